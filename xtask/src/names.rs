//! Rust names for CloudFormation names.

use std::collections::BTreeSet;

/// Rust keywords (strict, reserved and edition-dependent) that `r#` can escape.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; a trailing `_` is added instead.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// `snake_case` of a CloudFormation name: a word starts at an upper-case letter that
/// follows a lower-case letter or a digit, or at the last upper-case letter of an acronym
/// followed by a lower-case one (`VPCId` → `vpc_id`, `S3Bucket` → `s3_bucket`,
/// `Endpoint.Address` → `endpoint_address`). `IPv` is read as one word (`IPv6Cidr` →
/// `ipv6_cidr`).
pub(crate) fn snake(name: &str) -> String {
    let name = name.replace("IPv", "Ipv");
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(char::is_ascii_lowercase),
                _ => false,
            };
            if boundary && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// An identifier usable in Rust source: keywords get `r#` (or a trailing `_` where `r#`
/// is not allowed).
pub(crate) fn ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// Hands out unique names: the first request for a base gets it unchanged, later ones
/// get `_2`, `_3`, … (skipping names already taken).
#[derive(Default)]
pub(crate) struct Unique {
    taken: BTreeSet<String>,
}

impl Unique {
    /// A name not yet handed out, derived from `base`.
    pub(crate) fn claim(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case() {
        for (cfn, rust) in [
            ("BucketName", "bucket_name"),
            ("VPCId", "vpc_id"),
            ("S3Bucket", "s3_bucket"),
            ("IPv6CidrBlock", "ipv6_cidr_block"),
            ("EnableIPv6", "enable_ipv6"),
            ("DBInstanceIdentifier", "db_instance_identifier"),
            ("AutoScalingGroupARN", "auto_scaling_group_arn"),
            ("Endpoint.Address", "endpoint_address"),
            ("MaxTTL", "max_ttl"),
            ("Http2Enabled", "http2_enabled"),
            ("Type", "type"),
            ("Arn", "arn"),
            ("VPC", "vpc"),
            ("Some_Thing", "some_thing"),
            ("3D", "_3_d"),
        ] {
            assert_eq!(snake(cfn), rust, "{cfn}");
        }
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(ident("type"), "r#type");
        assert_eq!(ident("self"), "self_");
        assert_eq!(ident("bucket"), "bucket");
    }

    #[test]
    fn unique_names_get_suffixes() {
        let mut u = Unique::default();
        assert_eq!(u.claim("a"), "a");
        assert_eq!(u.claim("a"), "a_2");
        assert_eq!(u.claim("a_2"), "a_2_2");
    }
}
