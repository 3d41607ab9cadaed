//! The registry schemas cfn-lint bundles, and the value constraints taken from them:
//! `enum` lists, and `pattern`, `minLength`/`maxLength`, `minimum`/`maximum`,
//! `minItems`/`maxItems`.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, ensure, Context as _, Result};
use serde_json::{Map, Value};

use crate::archive::Zip;

/// The region whose schemas are preferred (cfn-lint's default region).
const PRIMARY_PROVIDER: &str = "us-east-1.json";
const SCHEMAS: &str = "cfnlint/data/schemas/";

pub(super) struct Schemas {
    /// type name → schema, from `us-east-1` first, then the other provider files in name order.
    pub(super) by_type: BTreeMap<String, (String, Value)>,
    pub(super) schema_date: String,
}

impl Schemas {
    pub(super) fn load(zip: &Zip<'_>) -> Result<Self> {
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

/// Keywords of a string or number leaf taken as they are (besides `enum`).
const LEAF_KEYWORDS: [&str; 5] = ["pattern", "minLength", "maxLength", "minimum", "maximum"];
/// Keywords of the outermost list taken as they are.
const LIST_KEYWORDS: [&str; 2] = ["minItems", "maxItems"];

/// How many properties got each kind of constraint.
#[derive(Default)]
pub(super) struct Attached {
    pub(super) enums: usize,
    /// keyword → properties.
    pub(super) keywords: BTreeMap<&'static str, usize>,
}

/// Walks the reduced resource and the registry schema side by side (properties by name,
/// nested types through `$ref`, list items and map values) and copies the value
/// constraints onto the reduced properties.
///
/// `enum` lists are also taken from properties found in `oneOf`/`anyOf`/`allOf` branches
/// and from schema definitions matched by name only; the other keywords only from a
/// property the object declares itself, reached by the walk, so every constraint taken
/// applies to every value cfn-lint checks.
pub(super) fn attach_constraints(resource: &mut Value, schema: &Value, attached: &mut Attached) {
    let mut found: BTreeMap<(Option<String>, String), Map<String, Value>> = BTreeMap::new();
    let mut visited: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<(String, Value)> = Vec::new();
    let defs = &schema["definitions"];

    let mut walk_props = |owner: Option<&str>,
                          cdk_props: &Value,
                          node: &Value,
                          reached: bool,
                          queue: &mut Vec<(String, Value)>| {
        let Some(cdk_props) = cdk_props.as_object() else {
            return;
        };
        for (name, p) in cdk_props {
            let Some((sub, declared)) = find_property(node, name, defs, 0) else {
                continue;
            };
            let mut facts = Map::new();
            let direct = reached && declared;
            match_type(&p["type"], sub, defs, queue, direct, true, &mut facts);
            if !facts.is_empty() {
                found.insert((owner.map(str::to_owned), name.clone()), facts);
            }
        }
    };

    let root = resolve(schema, defs);
    walk_props(None, &resource["properties"], root, true, &mut queue);
    while let Some((type_name, node)) = queue.pop() {
        if !visited.insert(type_name.clone()) {
            continue;
        }
        let cdk = &resource["types"][&type_name]["properties"];
        walk_props(Some(&type_name), cdk, &node, true, &mut queue);
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
            walk_props(Some(&type_name), cdk, node, false, &mut Vec::new());
        }
    }

    for ((owner, name), facts) in found {
        let target = match &owner {
            None => resource["properties"].get_mut(&name),
            Some(t) => resource["types"][t]["properties"].get_mut(&name),
        };
        if let Some(Value::Object(p)) = target {
            for (key, value) in facts {
                match LEAF_KEYWORDS
                    .iter()
                    .chain(&LIST_KEYWORDS)
                    .find(|k| **k == key)
                {
                    Some(k) => *attached.keywords.entry(k).or_default() += 1,
                    None => attached.enums += 1,
                }
                p.insert(key, value);
            }
        }
    }
}

/// The schema of property `name` of an object node, also looking into `oneOf`/`anyOf`/
/// `allOf` branches; `true` when the object declares it itself (not in a branch).
fn find_property<'a>(
    node: &'a Value,
    name: &str,
    defs: &'a Value,
    depth: u32,
) -> Option<(&'a Value, bool)> {
    let node = resolve(node, defs);
    if let Some(p) = node["properties"].get(name) {
        return Some((p, depth == 0));
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

/// Matches a reduced CDK type against a schema node, collecting into `facts` the `enum`
/// of a string or number leaf (through lists and maps) and, when `direct`, the other
/// keywords of the leaf and of the outermost list; queues nested types to walk.
fn match_type(
    t: &Value,
    node: &Value,
    defs: &Value,
    queue: &mut Vec<(String, Value)>,
    direct: bool,
    outermost: bool,
    facts: &mut Map<String, Value>,
) {
    let node = resolve(node, defs);
    let Some(kind) = t["type"].as_str() else {
        return;
    };
    match kind {
        "string" | "integer" | "number" => {
            if let Some(e) = node.get("enum").and_then(Value::as_array) {
                if !e.is_empty() {
                    facts.insert("enum".into(), Value::Array(e.clone()));
                }
            }
            if direct {
                // A `json` string's length is counted on its re-serialized JSON.
                let json_text = node["format"] == "json";
                for key in LEAF_KEYWORDS {
                    let Some(v) = node.get(key) else { continue };
                    let usable = match key {
                        "pattern" => v.is_string() && kind == "string",
                        "minLength" | "maxLength" => v.is_u64() && kind == "string" && !json_text,
                        _ => v.is_number() && kind != "string",
                    };
                    if usable {
                        facts.insert(key.into(), v.clone());
                    }
                }
            }
        }
        "array" => {
            if direct && outermost {
                for key in LIST_KEYWORDS {
                    if let Some(v) = node.get(key).filter(|v| v.is_u64()) {
                        facts.insert(key.into(), v.clone());
                    }
                }
            }
            if let Some(items) = node.get("items") {
                match_type(&t["element"], items, defs, queue, direct, false, facts);
            }
        }
        "map" => {
            let value = node["patternProperties"]
                .as_object()
                .and_then(|m| m.values().next())
                .or_else(|| node.get("additionalProperties").filter(|v| v.is_object()));
            if let Some(value) = value {
                // The value schema of one key pattern among possibly several: enums only.
                match_type(&t["element"], value, defs, queue, false, false, facts);
            }
        }
        "ref" if is_object_like(node) => {
            if let Some(name) = t["name"].as_str() {
                queue.push((name.to_owned(), node.clone()));
            }
        }
        _ => {}
    }
}
