//! `stack-core/src/kind.rs`: the marker types.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::HEADER;
use crate::model::Resource;

pub(super) fn kind_rs(services: &BTreeMap<&str, Vec<&Resource>>) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        "//! Marker types, one per CloudFormation resource type, grouped by service.
//!
//! They are the type parameters of typed references: `Value<Arn<kind::s3::Bucket>>` is
//! a bucket's ARN and fits only where a bucket ARN is expected. Always compiled (the
//! resource types in [`crate::aws`] are behind one cargo feature per service).
",
    );
    let names: Vec<&str> = services
        .values()
        .flatten()
        .map(|r| r.rust.as_str())
        .collect();
    push_allows(&mut s, &names, false);
    for (service, list) in services {
        let _ = writeln!(
            s,
            "\n/// Markers for `{}::*`.\npub mod {service} {{",
            list[0].namespace
        );
        for r in list {
            let _ = writeln!(
                s,
                "    /// Marker for `{}`.\n    pub enum {} {{}}",
                r.cfn_type, r.rust
            );
        }
        s.push_str("}\n");
    }
    s
}

/// Inner `#![allow]`s for what keeping CloudFormation's names requires.
pub(super) fn push_allows(s: &mut String, type_names: &[&str], derivable: bool) {
    let acronyms = type_names.iter().any(|n| {
        let letters: Vec<char> = n.chars().filter(char::is_ascii_alphabetic).collect();
        letters.len() > 1 && letters.iter().all(char::is_ascii_uppercase)
    });
    let camel = type_names
        .iter()
        .any(|n| n.contains('_') || n.starts_with(|c: char| c.is_ascii_lowercase()));
    if acronyms || camel || derivable {
        s.push('\n');
    }
    if acronyms {
        s.push_str(
            "// Type names keep CloudFormation's spelling (`VPC`), as the templates do.\n\
             #![allow(clippy::upper_case_acronyms)]\n",
        );
    }
    if camel {
        s.push_str(
            "// Type names keep CloudFormation's spelling, underscores included.\n\
             #![allow(non_camel_case_types)]\n",
        );
    }
    if derivable {
        s.push_str(
            "// `Default` is written out instead of derived: derives on thousands of types cost\n\
             // tens of seconds of compile time.\n\
             #![allow(clippy::derivable_impls)]\n",
        );
    }
}
