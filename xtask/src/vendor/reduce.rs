//! Reducing CDK's resource database to the resource definitions `resources.json` holds.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{bail, ensure, Context as _, Result};
use serde_json::{Map, Value};

use super::schemas::{attach_constraints, Attached, Schemas};
use super::FORMAT;

#[derive(Default)]
pub(super) struct Stats {
    pub(super) resources: usize,
    pub(super) types: usize,
    pub(super) properties: usize,
    pub(super) nested_properties: usize,
    pub(super) attributes: usize,
    pub(super) relationship_props: usize,
    pub(super) constraints: Attached,
    pub(super) cdk_allowed_values: usize,
    pub(super) cdk_allowed_values_matched: usize,
    pub(super) schema_regions: BTreeMap<String, usize>,
    pub(super) without_schema: Vec<String>,
}

/// Builds `type name → reduced resource` from the CDK database and the registry schemas.
pub(super) fn reduce(
    db: &Value,
    schemas: &Schemas,
    stats: &mut Stats,
) -> Result<BTreeMap<String, Value>> {
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
                attach_constraints(&mut r, schema, &mut stats.constraints);
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

/// One resource per line, keys sorted: diffable and deterministic.
pub(super) fn render_resources(resources: &BTreeMap<String, Value>) -> String {
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
