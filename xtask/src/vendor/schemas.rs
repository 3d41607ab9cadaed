//! The registry schemas cfn-lint bundles, and the `enum` lists taken from them.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, ensure, Context as _, Result};
use serde_json::Value;

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

/// Walks the reduced resource and the registry schema side by side (properties by name,
/// nested types through `$ref`, list items and map values) and copies `enum` lists onto
/// the reduced properties. Returns how many properties got one.
pub(super) fn attach_enums(resource: &mut Value, schema: &Value) -> usize {
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
