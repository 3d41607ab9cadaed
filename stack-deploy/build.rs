//! Reduces the schema index that `stack!` reads (`stack-spec/data/cfn-index.json`) to the
//! two facts `diff` and `deploy` need: which top-level properties force a replacement, and
//! which resource types hold data. The table is a few hundred kilobytes of text instead of
//! the index's five megabytes.

#![allow(
    clippy::disallowed_methods,
    reason = "cargo passes a build script its inputs as environment variables"
)]

use std::env;
use std::fs;
use std::path::PathBuf;

use serde_json::Value;

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let index = manifest.join("../stack-spec/data/cfn-index.json");
    println!("cargo::rerun-if-changed={}", index.display());
    let text = fs::read_to_string(&index)
        .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", index.display()));
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("`{}` is not JSON: {e}", index.display()));
    let resources = json
        .get("resources")
        .and_then(Value::as_object)
        .expect("the index has a `resources` object");
    // One line per fact, sorted, so lookups can binary-search:
    //   `S\tAWS::S3::Bucket` for a stateful type,
    //   `R\tAWS::S3::Bucket\tBucketName\ty` for a property whose change replaces (`y`) or
    //   may replace (`m`) the resource.
    let mut lines = Vec::new();
    for (type_name, resource) in resources {
        if resource.get("stateful").and_then(Value::as_bool) == Some(true) {
            lines.push(format!("S\t{type_name}"));
        }
        let Some(props) = resource.get("props").and_then(Value::as_object) else {
            continue;
        };
        for (prop, info) in props {
            let mark = match info.get("replacement").and_then(Value::as_str) {
                Some("yes") => "y",
                Some("maybe") => "m",
                _ => continue,
            };
            lines.push(format!("R\t{type_name}\t{prop}\t{mark}"));
        }
    }
    lines.sort();
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("schema.tsv");
    fs::write(&out, lines.join("\n") + "\n")
        .unwrap_or_else(|e| panic!("cannot write `{}`: {e}", out.display()));
}
