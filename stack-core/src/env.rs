//! Stack environments: the AWS account and region a stack is pinned to.
//!
//! A stack declares its environment with `env { account: "123456789012", region:
//! "us-east-1" }` in its `stack!` block; without one it is environment-agnostic and
//! deploys wherever the credentials point. `synth` records the environment in the cloud
//! assembly, and `deploy`, `diff` and `destroy` refuse a pinned stack when the
//! credentials are for another account or region.

use std::fmt;

/// Where a stack deploys: an account, a region, both, or neither (environment-agnostic).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    /// The 12-digit account ID, when pinned.
    pub account: Option<String>,
    /// The region name (`us-east-1`), when pinned.
    pub region: Option<String>,
    /// Whether the stack may use stacks pinned to another region (`cross_region_references:
    /// true`); exports do not cross regions, so such references need another route.
    pub cross_region_references: bool,
}

impl Env {
    /// Whether the stack is pinned to an account or a region.
    pub fn is_pinned(&self) -> bool {
        self.account.is_some() || self.region.is_some()
    }

    /// The problems of its values, as the compile-time checks report them for literals:
    /// a region that is not one, an account ID that is not 12 digits.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(Err(why)) = self.region.as_deref().map(stack_spec::rules::env::region) {
            problems.push(format!("env `region`: {why}"));
        }
        if let Some(Err(why)) = self.account.as_deref().map(stack_spec::rules::env::account) {
            problems.push(format!("env `account`: {why}"));
        }
        problems
    }

    /// Why `consumer` (this environment) cannot import from the stack `producer` pinned to
    /// `other`, if it cannot: exports are read only in their own account and region.
    pub fn import_problem(&self, consumer: &str, producer: &str, other: &Env) -> Option<String> {
        if let (Some(mine), Some(theirs)) = (&self.account, &other.account) {
            if mine != theirs {
                return Some(format!(
                    "stack `{consumer}` (account {mine}) uses stack `{producer}` (account {theirs}); exports are read only in their own account, so pin both stacks to one account"
                ));
            }
        }
        match (&self.region, &other.region) {
            (Some(mine), Some(theirs)) if mine != theirs => Some(if self.cross_region_references {
                format!(
                    "stack `{consumer}` ({mine}) uses stack `{producer}` ({theirs}) with `cross_region_references: true`, but cross-region references through SSM are not supported yet; pin both stacks to one region"
                )
            } else {
                format!(
                    "stack `{consumer}` ({mine}) uses stack `{producer}` ({theirs}); exports are read only in their own region, so pin both stacks to one region"
                )
            }),
            _ => None,
        }
    }
}

impl fmt::Display for Env {
    /// `us-east-1 in 123456789012`, `us-east-1`, `account 123456789012`, or
    /// `any account and region`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.region, &self.account) {
            (Some(region), Some(account)) => write!(f, "{region} in {account}"),
            (Some(region), None) => f.write_str(region),
            (None, Some(account)) => write!(f, "account {account}"),
            (None, None) => f.write_str("any account and region"),
        }
    }
}

/// Whether `a` and `b` are equal, in constant evaluation: the compile-time check of
/// `uses` between stacks pinned to literal regions.
#[doc(hidden)]
pub const fn same(a: &str, b: &str) -> bool {
    crate::stack::contains(&[a], b)
}

/// `Some` when both are `Some` and differ, in constant evaluation: `(mine, theirs)`.
#[doc(hidden)]
pub const fn differ(
    mine: Option<&'static str>,
    theirs: Option<&'static str>,
) -> Option<(&'static str, &'static str)> {
    match (mine, theirs) {
        (Some(a), Some(b)) if !same(a, b) => Some((a, b)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    // Values, display, and the imports two environments allow.
    use super::*;

    fn env(account: Option<&str>, region: Option<&str>) -> Env {
        Env {
            account: account.map(str::to_owned),
            region: region.map(str::to_owned),
            cross_region_references: false,
        }
    }

    #[test]
    fn values_are_checked_like_literals() {
        assert!(env(Some("123456789012"), Some("us-east-1"))
            .problems()
            .is_empty());
        assert_eq!(
            env(Some("1234"), Some("us-east-7")).problems(),
            [
                "env `region`: `us-east-7` is not an AWS region; did you mean `us-east-1`?",
                "env `account`: `1234` is not an AWS account ID, which is 12 digits (`123456789012`)"
            ]
        );
    }

    #[test]
    fn displays_what_is_pinned() {
        assert_eq!(
            env(Some("123456789012"), Some("us-east-1")).to_string(),
            "us-east-1 in 123456789012"
        );
        assert_eq!(env(None, Some("eu-west-1")).to_string(), "eu-west-1");
        assert_eq!(Env::default().to_string(), "any account and region");
        assert!(!Env::default().is_pinned());
    }

    #[test]
    fn imports_stay_in_one_account_and_region() {
        let east = env(None, Some("us-east-1"));
        let west = env(None, Some("eu-west-1"));
        assert_eq!(east.import_problem("A", "B", &east), None);
        assert_eq!(east.import_problem("A", "B", &Env::default()), None);
        assert_eq!(
            east.import_problem("A", "B", &west).as_deref(),
            Some("stack `A` (us-east-1) uses stack `B` (eu-west-1); exports are read only in their own region, so pin both stacks to one region")
        );
        let opted = Env {
            cross_region_references: true,
            ..east
        };
        assert!(opted
            .import_problem("A", "B", &west)
            .expect("another region")
            .contains("cross-region references through SSM are not supported yet"));
        let other_account = env(Some("210987654321"), None);
        assert!(env(Some("123456789012"), None)
            .import_problem("A", "B", &other_account)
            .expect("another account")
            .contains("exports are read only in their own account"));
    }

    #[test]
    fn regions_differ_only_when_both_are_pinned() {
        assert_eq!(differ(Some("a"), Some("a")), None);
        assert_eq!(differ(Some("a"), None), None);
        assert_eq!(differ(Some("a"), Some("b")), Some(("a", "b")));
    }
}
