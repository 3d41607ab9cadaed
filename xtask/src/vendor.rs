//! `cargo xtask vendor-schema`: download the pinned schema packages and reduce them to
//! `xtask/vendor/cfn/resources.json` (plus `SOURCES.md`, `sources.json` and the cfn-lint
//! pin the tests read).
//!
//! Inputs:
//! - `@aws-cdk/aws-service-spec` (npm, Apache-2.0): `db.json.gz`, CDK's database of every
//!   resource type. It gives property types, required flags, nested types, typed
//!   attributes, what `Ref` returns, replacement flags, `relationshipRefs`, ARN templates.
//! - `cfn-lint` (PyPI, MIT-0): the registry schemas it bundles. Only their `enum` lists are
//!   taken, so the generated checks agree with the linter the tests run.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context as _, Result};
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256, Sha512};

use crate::archive::{gunzip, untar, Zip};
use crate::util::{base64, hex, note, read_text, today_utc, workspace_root, write_if_changed};

/// npm package with CDK's resource database.
pub(crate) const SPEC_PACKAGE: &str = "@aws-cdk/aws-service-spec";
/// Exact version vendored (bump with `--spec-version`, then update this constant).
const SPEC_VERSION: &str = "0.1.216";
/// PyPI package whose bundled registry schemas give enum values.
pub(crate) const CFN_LINT_PACKAGE: &str = "cfn-lint";
/// Exact version: the same the test suite lints generated templates with.
const CFN_LINT_VERSION: &str = "1.58.0";

/// The reduced database, read by `cargo xtask codegen`.
pub(crate) const RESOURCES_JSON: &str = "xtask/vendor/cfn/resources.json";
const SOURCES_MD: &str = "xtask/vendor/cfn/SOURCES.md";
const SOURCES_JSON: &str = "xtask/vendor/cfn/sources.json";
/// The cfn-lint version the tests install and run.
const CFN_LINT_PIN: &str = "tests/cfn-lint-version.txt";

/// Version of the layout of `resources.json`.
pub(crate) const FORMAT: u64 = 1;

/// The region whose schemas are preferred (cfn-lint's default region).
const PRIMARY_PROVIDER: &str = "us-east-1.json";
const SCHEMAS: &str = "cfnlint/data/schemas/";

/// Command-line options.
pub(crate) struct Options {
    pub(crate) spec_version: String,
    pub(crate) cfn_lint_version: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            spec_version: SPEC_VERSION.to_owned(),
            cfn_lint_version: CFN_LINT_VERSION.to_owned(),
        }
    }
}

/// A downloaded package file.
struct Download {
    file_name: String,
    bytes: Vec<u8>,
}

impl Download {
    fn sha512_hex(&self) -> String {
        hex(&Sha512::digest(&self.bytes))
    }
    fn sha256_hex(&self) -> String {
        hex(&Sha256::digest(&self.bytes))
    }
    fn npm_integrity(&self) -> String {
        format!("sha512-{}", base64(&Sha512::digest(&self.bytes)))
    }
}

/// Runs the command.
pub(crate) fn run(options: &Options) -> Result<()> {
    let root = workspace_root();
    let tmp = crate::util::TempDir::new("cfn-schema")?;

    note(&format!("npm pack {SPEC_PACKAGE}@{}", options.spec_version));
    let spec = npm_pack(tmp.path(), SPEC_PACKAGE, &options.spec_version)?;
    note(&format!(
        "pip download {CFN_LINT_PACKAGE}=={}",
        options.cfn_lint_version
    ));
    let lint = pip_download(tmp.path(), CFN_LINT_PACKAGE, &options.cfn_lint_version)?;

    // CDK database.
    let files = untar(&gunzip(&spec.bytes)?)?;
    let package_json: Value = serde_json::from_slice(
        files
            .get("package/package.json")
            .context("no package.json in the npm tarball")?,
    )?;
    ensure!(
        package_json["version"] == options.spec_version.as_str(),
        "npm returned {SPEC_PACKAGE} {} instead of {}",
        package_json["version"],
        options.spec_version
    );
    let spec_license = package_json["license"].as_str().unwrap_or("?").to_owned();
    let db: Value = serde_json::from_slice(&gunzip(
        files
            .get("package/db.json.gz")
            .context("no db.json.gz in the npm tarball")?,
    )?)
    .context("parsing db.json")?;

    // cfn-lint schemas.
    let zip = Zip::new(&lint.bytes)?;
    let schemas = Schemas::load(&zip)?;
    let lint_license = wheel_license(&zip, &options.cfn_lint_version);

    let mut stats = Stats::default();
    let resources = reduce(&db, &schemas, &mut stats)?;
    let text = render_resources(&resources);

    let date = today_utc();
    let sources = SourcesInfo {
        spec: &spec,
        spec_version: &options.spec_version,
        spec_license: &spec_license,
        lint: &lint,
        lint_version: &options.cfn_lint_version,
        lint_license: &lint_license,
        schema_date: &schemas.schema_date,
        date: &date,
        stats: &stats,
        resources_bytes: text.len(),
    };
    for (path, bytes) in [
        (RESOURCES_JSON, text.into_bytes()),
        (SOURCES_JSON, sources.json().into_bytes()),
        (SOURCES_MD, sources.markdown().into_bytes()),
        (
            CFN_LINT_PIN,
            format!("{}\n", options.cfn_lint_version).into_bytes(),
        ),
    ] {
        if write_if_changed(&root.join(path), &bytes)? {
            note(&format!("wrote {path}"));
        }
    }
    note(&format!(
        "{} resource types, {} nested types, {} properties with enum values",
        stats.resources, stats.types, stats.enum_props
    ));
    note("now run `cargo xtask codegen`");
    Ok(())
}

fn npm_pack(dir: &Path, package: &str, version: &str) -> Result<Download> {
    let out = dir.join("npm");
    std::fs::create_dir_all(&out)?;
    crate::util::run(
        Command::new("npm")
            .arg("pack")
            .arg(format!("{package}@{version}"))
            .arg("--pack-destination")
            .arg(&out)
            .arg("--silent"),
    )?;
    single_file(&out, ".tgz")
}

fn pip_download(dir: &Path, package: &str, version: &str) -> Result<Download> {
    let out = dir.join("pip");
    std::fs::create_dir_all(&out)?;
    let spec = format!("{package}=={version}");
    let args = [
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        spec.as_str(),
        "-d",
    ];
    let pip = crate::util::run(
        Command::new("python3")
            .args(["-m", "pip"])
            .args(args)
            .arg(&out),
    );
    if let Err(e) = pip {
        note(&format!("python3 -m pip failed ({e:#}); trying `pip`"));
        crate::util::run(Command::new("pip").args(args).arg(&out))?;
    }
    single_file(&out, ".whl")
}

fn single_file(dir: &Path, suffix: &str) -> Result<Download> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    ensure!(
        found.len() == 1,
        "expected one `*{suffix}` in {}, found {found:?}",
        dir.display()
    );
    let path = found.remove(0);
    Ok(Download {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: std::fs::read(&path)?,
    })
}

/// `License-Expression`/`License` from the wheel's METADATA.
fn wheel_license(zip: &Zip<'_>, version: &str) -> String {
    let name = format!("cfn_lint-{version}.dist-info/METADATA");
    let Ok(meta) = zip.read(&name) else {
        return "?".to_owned();
    };
    let meta = String::from_utf8_lossy(&meta);
    for key in ["License-Expression: ", "License: "] {
        if let Some(v) = meta.lines().find_map(|l| l.strip_prefix(key)) {
            return v.trim().to_owned();
        }
    }
    "?".to_owned()
}

// ---------------------------------------------------------------------------------------
// Registry schemas (cfn-lint)

struct Schemas {
    /// type name → schema, from `us-east-1` first, then the other provider files in name order.
    by_type: BTreeMap<String, (String, Value)>,
    schema_date: String,
}

impl Schemas {
    fn load(zip: &Zip<'_>) -> Result<Self> {
        let providers_dir = format!("{SCHEMAS}providers/");
        let mut providers: Vec<String> = zip
            .names()
            .filter_map(|n| n.strip_prefix(&providers_dir))
            .filter(|n| n.ends_with(".json") && !n.contains('/'))
            .map(str::to_owned)
            .collect();
        ensure!(
            providers.iter().any(|p| p == PRIMARY_PROVIDER),
            "no {providers_dir}{PRIMARY_PROVIDER} in the cfn-lint wheel"
        );
        providers.sort_by_key(|p| (p != PRIMARY_PROVIDER, p.clone()));

        let mut cache: BTreeMap<String, Value> = BTreeMap::new();
        let mut by_type = BTreeMap::new();
        for provider in &providers {
            let index: Value =
                serde_json::from_slice(&zip.read(&format!("{providers_dir}{provider}"))?)?;
            let Some(index) = index.as_object() else {
                bail!("{provider}: not an object");
            };
            for (type_name, hash) in index {
                if by_type.contains_key(type_name) {
                    continue;
                }
                let Some(hash) = hash.as_str() else { continue };
                if !cache.contains_key(hash) {
                    let path = format!("{SCHEMAS}resources/{hash}.json");
                    let schema: Value = serde_json::from_slice(&zip.read(&path)?)
                        .with_context(|| format!("parsing {path}"))?;
                    cache.insert(hash.to_owned(), schema);
                }
                by_type.insert(
                    type_name.clone(),
                    (
                        provider.trim_end_matches(".json").to_owned(),
                        cache[hash].clone(),
                    ),
                );
            }
        }
        let version: Value = zip
            .read(&format!("{SCHEMAS}version.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(Value::Null);
        Ok(Self {
            by_type,
            schema_date: version["schema_date"].as_str().unwrap_or("?").to_owned(),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Reduction

#[derive(Default)]
struct Stats {
    resources: usize,
    types: usize,
    properties: usize,
    nested_properties: usize,
    attributes: usize,
    relationship_props: usize,
    enum_props: usize,
    cdk_allowed_values: usize,
    cdk_allowed_values_matched: usize,
    schema_regions: BTreeMap<String, usize>,
    without_schema: Vec<String>,
}

/// Builds `type name → reduced resource` from the CDK database and the registry schemas.
fn reduce(db: &Value, schemas: &Schemas, stats: &mut Stats) -> Result<BTreeMap<String, Value>> {
    let schema = &db["schema"];
    let entities = |name: &str| -> Result<&Vec<Value>> {
        schema[name]["entities"]
            .as_array()
            .with_context(|| format!("db.json has no `{name}` entities"))
    };
    let type_defs: BTreeMap<&str, &Value> = entities("typeDefinition")?
        .iter()
        .filter_map(|t| Some((t["$id"].as_str()?, t)))
        .collect();
    let uses_type = schema["usesType"]["forward"]
        .as_object()
        .context("db.json has no `usesType` relationship")?;

    let mut out = BTreeMap::new();
    for res in entities("resource")? {
        let cfn_type = res["cloudFormationType"]
            .as_str()
            .context("resource without cloudFormationType")?;
        let id = res["$id"].as_str().context("resource without $id")?;

        // Nested types of this resource: id → name.
        let mut type_names: BTreeMap<&str, &str> = BTreeMap::new();
        for used in uses_type
            .get(id)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let tid = used["$id"].as_str().context("usesType without $id")?;
            let def = type_defs
                .get(tid)
                .with_context(|| format!("{cfn_type}: unknown type definition {tid}"))?;
            let name = def["name"]
                .as_str()
                .context("type definition without name")?;
            ensure!(
                !type_names.values().any(|n| *n == name),
                "{cfn_type}: two nested types named {name}"
            );
            type_names.insert(tid, name);
        }

        let mut r = Map::new();
        r.insert("name".into(), res["name"].clone());
        let mut props = Map::new();
        for (name, p) in res["properties"].as_object().into_iter().flatten() {
            props.insert(name.clone(), reduce_prop(cfn_type, p, &type_names, stats)?);
            stats.properties += 1;
        }
        let mut types = Map::new();
        for (tid, name) in &type_names {
            let def = type_defs[tid];
            let mut tprops = Map::new();
            for (pname, p) in def["properties"].as_object().into_iter().flatten() {
                tprops.insert(pname.clone(), reduce_prop(cfn_type, p, &type_names, stats)?);
                stats.nested_properties += 1;
            }
            let mut t = Map::new();
            t.insert("properties".into(), Value::Object(tprops));
            types.insert((*name).to_owned(), Value::Object(t));
            stats.types += 1;
        }
        let mut attrs = Map::new();
        for (name, a) in res["attributes"].as_object().into_iter().flatten() {
            let mut attr = Map::new();
            attr.insert(
                "type".into(),
                reduce_type(cfn_type, &a["type"], &type_names)?,
            );
            attrs.insert(name.clone(), Value::Object(attr));
            stats.attributes += 1;
        }
        r.insert("properties".into(), Value::Object(props));
        r.insert("types".into(), Value::Object(types));
        r.insert("attributes".into(), Value::Object(attrs));
        for key in [
            "primaryIdentifier",
            "cfnRefIdentifier",
            "arnTemplate",
            "tagInformation",
            "additionalReplacementProperties",
        ] {
            if let Some(v) = res.get(key) {
                r.insert(key.into(), v.clone());
            }
        }
        if res["isStateful"] == true {
            r.insert("isStateful".into(), Value::Bool(true));
        }

        let mut r = Value::Object(r);
        match schemas.by_type.get(cfn_type) {
            Some((region, schema)) => {
                *stats.schema_regions.entry(region.clone()).or_default() += 1;
                stats.enum_props += attach_enums(&mut r, schema);
            }
            None => stats.without_schema.push(cfn_type.to_owned()),
        }
        count_allowed_values(&r, stats);
        stats.resources += 1;
        out.insert(cfn_type.to_owned(), r);
    }
    Ok(out)
}

fn reduce_prop(
    cfn_type: &str,
    p: &Value,
    type_names: &BTreeMap<&str, &str>,
    stats: &mut Stats,
) -> Result<Value> {
    let mut out = Map::new();
    out.insert(
        "type".into(),
        reduce_type(cfn_type, &p["type"], type_names)?,
    );
    if p["required"] == true {
        out.insert("required".into(), Value::Bool(true));
    }
    if let Some(r) = p["causesReplacement"].as_str() {
        if r != "no" {
            out.insert("causesReplacement".into(), r.into());
        }
    }
    if let Some(refs) = p["relationshipRefs"].as_array() {
        let refs: Vec<Value> = refs
            .iter()
            .map(|r| {
                let mut m = Map::new();
                m.insert("cloudFormationType".into(), r["cloudFormationType"].clone());
                m.insert("propertyName".into(), r["propertyName"].clone());
                Value::Object(m)
            })
            .collect();
        if !refs.is_empty() {
            out.insert("relationshipRefs".into(), Value::Array(refs));
            stats.relationship_props += 1;
        }
    }
    if let Some(d) = p.get("deprecated") {
        out.insert("deprecated".into(), d.clone());
    }
    if has_allowed_values(&p["type"]) {
        out.insert("_cdkAllowedValues".into(), Value::Bool(true));
    }
    Ok(Value::Object(out))
}

/// How many of CDK's own `allowedValues` sites got a registry `enum`.
fn count_allowed_values(r: &Value, stats: &mut Stats) {
    let nested = r["types"]
        .as_object()
        .into_iter()
        .flat_map(|t| t.values().map(|t| &t["properties"]));
    for props in std::iter::once(&r["properties"]).chain(nested) {
        for p in props.as_object().into_iter().flat_map(|m| m.values()) {
            if p.get("_cdkAllowedValues").is_some() {
                stats.cdk_allowed_values += 1;
                if p.get("enum").is_some() {
                    stats.cdk_allowed_values_matched += 1;
                }
            }
        }
    }
}

fn has_allowed_values(t: &Value) -> bool {
    t.get("allowedValues").is_some() || t.get("element").is_some_and(has_allowed_values)
}

/// CDK type → reduced type: `{"type": "string"|"integer"|"number"|"boolean"|"json"|
/// "date-time"|"tag"}`, `{"type": "array"|"map", "element": T}`,
/// `{"type": "ref", "name": "<nested type>"}`, `{"type": "union", "types": [T]}`.
fn reduce_type(cfn_type: &str, t: &Value, type_names: &BTreeMap<&str, &str>) -> Result<Value> {
    let kind = t["type"]
        .as_str()
        .with_context(|| format!("{cfn_type}: type without `type`: {t}"))?;
    let mut out = Map::new();
    out.insert("type".into(), kind.into());
    match kind {
        "string" | "integer" | "number" | "boolean" | "json" | "date-time" | "tag" => {}
        "array" | "map" => {
            out.insert(
                "element".into(),
                reduce_type(cfn_type, &t["element"], type_names)?,
            );
        }
        "ref" => {
            let id = t["reference"]["$ref"]
                .as_str()
                .with_context(|| format!("{cfn_type}: ref without $ref"))?;
            let name = type_names
                .get(id)
                .with_context(|| format!("{cfn_type}: ref to a type it does not use ({id})"))?;
            out.insert("name".into(), (*name).into());
        }
        "union" => {
            let types = t["types"]
                .as_array()
                .with_context(|| format!("{cfn_type}: union without types"))?
                .iter()
                .map(|m| reduce_type(cfn_type, m, type_names))
                .collect::<Result<Vec<_>>>()?;
            out.insert("types".into(), Value::Array(types));
        }
        other => bail!("{cfn_type}: unknown type kind `{other}`"),
    }
    Ok(Value::Object(out))
}

/// Walks the reduced resource and the registry schema side by side (properties by name,
/// nested types through `$ref`, list items and map values) and copies `enum` lists onto
/// the reduced properties. Returns how many properties got one.
fn attach_enums(resource: &mut Value, schema: &Value) -> usize {
    let mut found: BTreeMap<(Option<String>, String), Value> = BTreeMap::new();
    let mut visited: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<(String, Value)> = Vec::new();
    let defs = &schema["definitions"];

    let mut walk_props =
        |owner: Option<&str>, cdk_props: &Value, node: &Value, queue: &mut Vec<(String, Value)>| {
            let Some(cdk_props) = cdk_props.as_object() else {
                return;
            };
            for (name, p) in cdk_props {
                let Some(sub) = find_property(node, name, defs, 0) else {
                    continue;
                };
                if let Some(e) = match_type(&p["type"], sub, defs, queue) {
                    found.insert((owner.map(str::to_owned), name.clone()), e);
                }
            }
        };

    let root = resolve(schema, defs);
    walk_props(None, &resource["properties"], root, &mut queue);
    while let Some((type_name, node)) = queue.pop() {
        if !visited.insert(type_name.clone()) {
            continue;
        }
        let cdk = &resource["types"][&type_name]["properties"];
        walk_props(Some(&type_name), cdk, &node, &mut queue);
    }

    // Nested types the walk did not reach: try the schema definition of the same name.
    let unreached: Vec<String> = resource["types"]
        .as_object()
        .into_iter()
        .flat_map(|t| t.keys())
        .filter(|t| !visited.contains(*t))
        .cloned()
        .collect();
    for type_name in unreached {
        if let Some(node) = defs.get(&type_name) {
            let cdk = &resource["types"][&type_name]["properties"];
            walk_props(Some(&type_name), cdk, node, &mut Vec::new());
        }
    }

    let mut count = 0;
    for ((owner, name), values) in found {
        let target = match &owner {
            None => resource["properties"].get_mut(&name),
            Some(t) => resource["types"][t]["properties"].get_mut(&name),
        };
        if let Some(Value::Object(p)) = target {
            p.insert("enum".into(), values);
            count += 1;
        }
    }
    count
}

/// The schema of property `name` of an object node, also looking into `oneOf`/`anyOf`/
/// `allOf` branches.
fn find_property<'a>(
    node: &'a Value,
    name: &str,
    defs: &'a Value,
    depth: u32,
) -> Option<&'a Value> {
    let node = resolve(node, defs);
    if let Some(p) = node["properties"].get(name) {
        return Some(p);
    }
    if depth > 4 {
        return None;
    }
    ["oneOf", "anyOf", "allOf"]
        .iter()
        .filter_map(|k| node[*k].as_array())
        .flatten()
        .find_map(|branch| find_property(branch, name, defs, depth + 1))
}

fn is_object_like(node: &Value) -> bool {
    ["properties", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| node.get(*k).is_some())
}

/// Follows local `$ref`s (bounded).
fn resolve<'a>(mut node: &'a Value, defs: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match node["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/definitions/"))
        {
            Some(name) if defs.get(name).is_some() => node = &defs[name],
            _ => break,
        }
    }
    node
}

/// Matches a reduced CDK type against a schema node; returns the enum of a string or
/// integer leaf (through lists and maps), queueing nested types to walk.
fn match_type(
    t: &Value,
    node: &Value,
    defs: &Value,
    queue: &mut Vec<(String, Value)>,
) -> Option<Value> {
    let node = resolve(node, defs);
    match t["type"].as_str()? {
        "string" | "integer" | "number" => {
            let e = node.get("enum")?.as_array()?;
            (!e.is_empty()).then(|| Value::Array(e.clone()))
        }
        "array" => match_type(&t["element"], node.get("items")?, defs, queue),
        "map" => {
            let value = node["patternProperties"]
                .as_object()
                .and_then(|m| m.values().next())
                .or_else(|| node.get("additionalProperties").filter(|v| v.is_object()))?;
            match_type(&t["element"], value, defs, queue)
        }
        "ref" => {
            if is_object_like(node) {
                queue.push((t["name"].as_str()?.to_owned(), node.clone()));
            }
            None
        }
        _ => None,
    }
}

/// One resource per line, keys sorted: diffable and deterministic.
fn render_resources(resources: &BTreeMap<String, Value>) -> String {
    let mut out = String::new();
    let _ = write!(out, "{{\n\"format\": {FORMAT},\n\"resources\": {{\n");
    let last = resources.len().saturating_sub(1);
    for (i, (name, r)) in resources.iter().enumerate() {
        let r = strip_private(canonical(r));
        let _ = writeln!(
            out,
            "{}: {}{}",
            Value::String(name.clone()),
            r,
            if i == last { "" } else { "," }
        );
    }
    out.push_str("}\n}\n");
    out
}

/// Drops the `_`-prefixed bookkeeping keys.
fn strip_private(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .map(|(k, v)| (k, strip_private(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_private).collect()),
        other => other,
    }
}

/// The same value with every object's keys in sorted order (whether or not serde_json
/// preserves insertion order in this build).
pub(crate) fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<&String, &Value> = m.iter().collect();
            Value::Object(
                sorted
                    .into_iter()
                    .map(|(k, v)| (k.clone(), canonical(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------------------
// SOURCES.md / sources.json

struct SourcesInfo<'a> {
    spec: &'a Download,
    spec_version: &'a str,
    spec_license: &'a str,
    lint: &'a Download,
    lint_version: &'a str,
    lint_license: &'a str,
    schema_date: &'a str,
    date: &'a str,
    stats: &'a Stats,
    resources_bytes: usize,
}

impl SourcesInfo<'_> {
    fn json(&self) -> String {
        let s = self.stats;
        let v = serde_json::json!({
            "format": FORMAT,
            "date": self.date,
            "output": {
                "file": RESOURCES_JSON,
                "bytes": self.resources_bytes,
                "resourceTypes": s.resources,
                "nestedTypes": s.types,
                "properties": s.properties,
                "nestedProperties": s.nested_properties,
                "attributes": s.attributes,
                "propertiesWithRelationshipRefs": s.relationship_props,
                "propertiesWithEnum": s.enum_props,
                "cdkAllowedValuesSites": s.cdk_allowed_values,
                "cdkAllowedValuesSitesWithEnum": s.cdk_allowed_values_matched,
                "typesWithoutRegistrySchema": s.without_schema,
            },
            "packages": [
                {
                    "registry": "npm",
                    "name": SPEC_PACKAGE,
                    "version": self.spec_version,
                    "file": self.spec.file_name,
                    "integrity": self.spec.npm_integrity(),
                    "sha512": self.spec.sha512_hex(),
                    "sha256": self.spec.sha256_hex(),
                    "license": self.spec_license,
                    "used": "package/db.json.gz: resources, typeDefinitions, usesType",
                },
                {
                    "registry": "pypi",
                    "name": CFN_LINT_PACKAGE,
                    "version": self.lint_version,
                    "file": self.lint.file_name,
                    "sha256": self.lint.sha256_hex(),
                    "sha512": self.lint.sha512_hex(),
                    "license": self.lint_license,
                    "schemaDate": self.schema_date,
                    "used": "cfnlint/data/schemas/providers/*.json and resources/*.json: enum values",
                    "schemaRegions": s.schema_regions,
                },
            ],
        });
        let mut text = serde_json::to_string_pretty(&canonical(&v)).unwrap_or_default();
        text.push('\n');
        text
    }

    fn markdown(&self) -> String {
        let s = self.stats;
        let mut md = String::new();
        let _ = write!(
            md,
            "# Vendored CloudFormation schema data

`resources.json` is generated by `cargo xtask vendor-schema` from the two packages
below, and read (offline) by `cargo xtask codegen`. Do not edit it by hand. The same
information, machine-readable, is in `sources.json`.

Vendored on {date}.

| | `{spec_pkg}` | `{lint_pkg}` |
|---|---|---|
| registry | npm | PyPI |
| version | {spec_version} | {lint_version} |
| file | `{spec_file}` | `{lint_file}` |
| sha512 | `{spec_sha512}` | `{lint_sha512}` |
| sha256 | `{spec_sha256}` | `{lint_sha256}` |
| license | {spec_license} | {lint_license} |
| what is taken | `package/db.json.gz` (CDK's resource database): resource types, nested type definitions (`usesType`), property types, `required`, `causesReplacement`, `relationshipRefs`, typed attributes, `primaryIdentifier`, `cfnRefIdentifier`, `arnTemplate`, `isStateful`, `tagInformation` | the registry schemas it bundles (`cfnlint/data/schemas/providers/us-east-1.json` → `resources/<hash>.json`, other regions as fallback; schema date {schema_date}): `enum` lists only |

npm integrity of the spec tarball: `{integrity}`.

Licenses: `@aws-cdk/aws-service-spec` is Apache-2.0; cfn-lint is MIT-0 (its schemas are
AWS-authored CloudFormation registry schemas). No documentation text is vendored.

## Pin

cfn-lint is pinned to **{lint_version}**, the same version the test suite lints the
generated templates with (`tests/cfn-lint-version.txt`), so the enum values `stack!`
checks agree with the linter.

## Contents of `resources.json`

One JSON object; `resources` maps each CloudFormation type name to its reduced
definition, one resource type per line, keys sorted:

- `name`, `properties`, `attributes` (name → `{{\"type\": T}}`), `types` (nested
  property types by name, each `{{\"properties\": …}}`), `primaryIdentifier`,
  `cfnRefIdentifier`, `arnTemplate`, `isStateful`, `tagInformation`,
  `additionalReplacementProperties` (each when present);
- a property is `{{\"type\": T, \"required\": true, \"causesReplacement\": \"yes\"|\"maybe\",
  \"relationshipRefs\": [{{\"cloudFormationType\", \"propertyName\"}}], \"enum\": […],
  \"deprecated\": …}}` (optional keys only when set); `enum` applies to the string or
  integer leaf (list elements, map values);
- a type T is `{{\"type\": \"string\"|\"integer\"|\"number\"|\"boolean\"|\"json\"|\"date-time\"|\"tag\"}}`,
  `{{\"type\": \"array\"|\"map\", \"element\": T}}`, `{{\"type\": \"ref\", \"name\": \"<nested type>\"}}`
  or `{{\"type\": \"union\", \"types\": [T, …]}}`.

Counts: {resources} resource types, {types} nested types, {props} properties,
{nprops} nested properties, {attrs} attributes, {rels} properties with
`relationshipRefs`, {enums} properties with enum values ({bytes} bytes). Of the
{cdk_av} properties where CDK lists allowed values, {cdk_av_m} got a registry `enum`.

Resource types without a registry schema in this cfn-lint (no enum values):
{without}.

## Refreshing

```sh
npm view {spec_pkg} version       # newest spec version
pip index versions {lint_pkg}     # newest cfn-lint
cargo xtask vendor-schema --spec-version <V> --cfn-lint-version <V>
cargo xtask codegen
```

Then update the version constants in `xtask/src/vendor.rs` so a plain
`cargo xtask vendor-schema` reproduces the files.
",
            date = self.date,
            spec_pkg = SPEC_PACKAGE,
            lint_pkg = CFN_LINT_PACKAGE,
            spec_version = self.spec_version,
            lint_version = self.lint_version,
            spec_file = self.spec.file_name,
            lint_file = self.lint.file_name,
            spec_sha512 = self.spec.sha512_hex(),
            lint_sha512 = self.lint.sha512_hex(),
            spec_sha256 = self.spec.sha256_hex(),
            lint_sha256 = self.lint.sha256_hex(),
            spec_license = self.spec_license,
            lint_license = self.lint_license,
            schema_date = self.schema_date,
            integrity = self.spec.npm_integrity(),
            resources = s.resources,
            types = s.types,
            props = s.properties,
            nprops = s.nested_properties,
            attrs = s.attributes,
            rels = s.relationship_props,
            enums = s.enum_props,
            bytes = self.resources_bytes,
            cdk_av = s.cdk_allowed_values,
            cdk_av_m = s.cdk_allowed_values_matched,
            without = if s.without_schema.is_empty() {
                "none".to_owned()
            } else {
                s.without_schema
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        md
    }
}

/// Reads and parses `resources.json`.
pub(crate) fn load_resources(root: &Path) -> Result<Value> {
    let text = read_text(&root.join(RESOURCES_JSON))?;
    let v: Value = serde_json::from_str(&text).context("parsing resources.json")?;
    ensure!(
        v["format"] == FORMAT,
        "{RESOURCES_JSON} has format {}, this xtask reads {FORMAT}: run `cargo xtask vendor-schema`",
        v["format"]
    );
    Ok(v)
}
