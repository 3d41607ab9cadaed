//! Reduces the schema index that `stack!` reads (`stack_spec::cfn_index`) to the
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

use stack_spec::cfn_index::{self, Replacement};

fn main() {
    // The index is embedded in `stack-spec`: when it changes, cargo rebuilds that
    // build-dependency and so runs this script again.
    println!("cargo::rerun-if-changed=build.rs");
    // One line per fact, sorted, so lookups can binary-search:
    //   `S\tAWS::S3::Bucket` for a stateful type,
    //   `R\tAWS::S3::Bucket\tBucketName\ty` for a property whose change replaces (`y`) or
    //   may replace (`m`) the resource.
    let mut lines = Vec::new();
    for type_name in cfn_index::type_names() {
        let Some(resource) = cfn_index::resource(type_name) else {
            continue;
        };
        if resource.stateful() {
            lines.push(format!("S\t{type_name}"));
        }
        for prop in resource.props().iter() {
            let mark = match prop.replacement {
                Replacement::Always => "y",
                Replacement::Maybe => "m",
                Replacement::Never => continue,
            };
            lines.push(format!("R\t{type_name}\t{}\t{mark}", prop.name));
        }
    }
    lines.sort();
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("schema.tsv");
    fs::write(&out, lines.join("\n") + "\n")
        .unwrap_or_else(|e| panic!("cannot write `{}`: {e}", out.display()));
}
