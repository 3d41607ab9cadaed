//! What the CloudFormation resource schemas say about replacements and stateful types,
//! reduced at build time from the index `stack!` reads (see `build.rs`).

use std::cmp::Ordering;
use std::sync::OnceLock;

static TABLE: &str = include_str!(concat!(env!("OUT_DIR"), "/schema.tsv"));

/// Whether changing a property replaces the resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Replacement {
    /// Updated in place.
    Never,
    /// Depends on the new value (CloudFormation's "Conditional").
    Maybe,
    /// Always replaced.
    Always,
}

impl Replacement {
    /// `no`, `maybe`, `yes`: the words of `--json`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Replacement::Never => "no",
            Replacement::Maybe => "maybe",
            Replacement::Always => "yes",
        }
    }
}

fn lines() -> &'static [&'static str] {
    static LINES: OnceLock<Vec<&'static str>> = OnceLock::new();
    LINES.get_or_init(|| TABLE.lines().collect())
}

fn find(key: &str) -> Option<&'static str> {
    // The table is sorted, so a binary search over its lines needs no map.
    let all = lines();
    let index = all
        .binary_search_by(|line| compare_prefix(line, key))
        .ok()?;
    all.get(index).copied()
}

/// Orders `line` against `key`, treating a line that starts with `key` followed by a tab
/// or the end as equal.
fn compare_prefix(line: &str, key: &str) -> Ordering {
    match line.strip_prefix(key) {
        Some("") => Ordering::Equal,
        Some(rest) if rest.starts_with('\t') => Ordering::Equal,
        _ => line.cmp(key),
    }
}

/// Whether changing the top-level property `property` of a `type_name` resource replaces it.
/// Types and properties the schema does not know are assumed to update in place.
pub(crate) fn replacement(type_name: &str, property: &str) -> Replacement {
    let key = format!("R\t{type_name}\t{property}");
    match find(&key).and_then(|line| line.rsplit('\t').next()) {
        Some("y") => Replacement::Always,
        Some("m") => Replacement::Maybe,
        _ => Replacement::Never,
    }
}

/// Whether resources of this type hold data that a replacement or deletion destroys.
pub(crate) fn is_stateful(type_name: &str) -> bool {
    find(&format!("S\t{type_name}")).is_some()
}

#[cfg(test)]
mod tests {
    // The reduced table answers for well-known types.
    use super::*;

    #[test]
    fn bucket_name_replaces_and_cors_does_not() {
        assert_eq!(
            replacement("AWS::S3::Bucket", "BucketName"),
            Replacement::Always
        );
        assert_eq!(
            replacement("AWS::S3::Bucket", "CorsConfiguration"),
            Replacement::Never
        );
        assert_eq!(
            replacement("AWS::Lambda::Function", "FunctionName"),
            Replacement::Always
        );
        assert_eq!(replacement("AWS::Nope::Nope", "X"), Replacement::Never);
    }

    #[test]
    fn stateful_types() {
        assert!(is_stateful("AWS::S3::Bucket"));
        assert!(is_stateful("AWS::DynamoDB::Table"));
        assert!(!is_stateful("AWS::IAM::Role"));
    }
}
