//! Stack environments: the AWS account and region a stack is pinned to.

use crate::suggest;

/// The regions a stack can be pinned to: the commercial regions, AWS GovCloud (US) and
/// the China regions.
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// A region name of [`REGIONS`], such as `us-east-1`.
pub fn region(name: &str) -> Result<(), String> {
    if REGIONS.contains(&name) {
        return Ok(());
    }
    Err(match suggest::closest(name, REGIONS.iter().copied()) {
        Some(close) => format!("`{name}` is not an AWS region; did you mean `{close}`?"),
        None => format!(
            "`{name}` is not an AWS region; regions are named like `us-east-1` or `eu-west-1`"
        ),
    })
}

/// An AWS account ID: 12 digits.
pub fn account(id: &str) -> Result<(), String> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "`{id}` is not an AWS account ID, which is 12 digits (`123456789012`)"
        ))
    }
}

#[cfg(test)]
mod tests {
    // Region names with suggestions, and account IDs.
    use super::*;

    #[test]
    fn regions_are_known_names_with_suggestions() {
        assert_eq!(region("us-east-1"), Ok(()));
        assert_eq!(region("eu-central-2"), Ok(()));
        assert_eq!(
            region("us-east-7").expect_err("no region"),
            "`us-east-7` is not an AWS region; did you mean `us-east-1`?"
        );
        assert_eq!(
            region("useast1").expect_err("no region"),
            "`useast1` is not an AWS region; did you mean `us-east-1`?"
        );
        assert!(region("Frankfurt")
            .expect_err("no region")
            .ends_with("regions are named like `us-east-1` or `eu-west-1`"));
    }

    #[test]
    fn regions_are_sorted_and_unique() {
        assert!(REGIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn accounts_are_twelve_digits() {
        assert_eq!(account("123456789012"), Ok(()));
        for bad in ["12345678901", "1234567890123", "12345678901a", ""] {
            assert!(account(bad).is_err(), "{bad}");
        }
    }
}
