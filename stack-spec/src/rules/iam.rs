//! AWS IAM: role and policy names, and the ARNs policies name.

/// Whether `name` is 1 to `max` characters of IAM's name alphabet (`[\w+=,.@-]`).
pub fn is_name(name: &str, max: usize) -> bool {
    !name.is_empty()
        && name.len() <= max
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

/// A role name: 1 to 64 letters, digits or `+=,.@_-`.
pub fn role_name(name: &str) -> Result<(), String> {
    if is_name(name, 64) {
        Ok(())
    } else {
        Err(format!(
            "`{name}` must be 1 to 64 letters, digits or `+=,.@_-`"
        ))
    }
}

/// The partitions an ARN can name.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// A policy statement's resource: `*`, or an ARN `arn:partition:service:region:account:resource`
/// (region and account may be empty; any part may hold `*` and `?` wildcards).
pub fn resource_arn(text: &str) -> Result<(), String> {
    if text == "*" {
        return Ok(());
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let [scheme, partition, service, _region, _account, resource] = parts.as_slice() else {
        return Err(format!(
            "`{text}` is not an ARN; write `arn:partition:service:region:account:resource`, e.g. `arn:aws:s3:::my-bucket/*`, or use a resource's `arn` attribute"
        ));
    };
    if *scheme != "arn" {
        return Err(format!("`{text}` is not an ARN; ARNs start with `arn:`"));
    }
    if !PARTITIONS.contains(partition) && !partition.contains('*') {
        return Err(format!(
            "`{text}` names the partition `{partition}`; AWS partitions are {}",
            PARTITIONS
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if service.is_empty() {
        return Err(format!(
            "`{text}` has no service; write e.g. `arn:aws:sqs:...`"
        ));
    }
    if resource.is_empty() {
        return Err(format!("`{text}` names no resource after the account"));
    }
    Ok(())
}

/// A trust condition's source ARN (`aws:SourceArn`): an ARN, wildcards allowed; `*` alone
/// would not narrow anything.
pub fn source_arn(text: &str) -> Result<(), String> {
    if text == "*" {
        return Err(
            "`*` matches every source; name the resources, e.g. `arn:aws:ecs:eu-west-1:123456789012:*`, or leave `source_arn` out"
                .to_owned(),
        );
    }
    resource_arn(text)
}

#[cfg(test)]
mod tests {
    // IAM's name alphabet and lengths.
    use super::*;

    #[test]
    fn resource_arns() {
        assert!(resource_arn("*").is_ok());
        assert!(resource_arn("arn:aws:s3:::photos/*").is_ok());
        assert!(resource_arn("arn:aws:sqs:us-east-1:123456789012:jobs").is_ok());
        assert!(resource_arn("arn:*:logs:*:*:*").is_ok());
        assert!(resource_arn("photos")
            .expect_err("a name")
            .contains("is not an ARN"));
        assert!(resource_arn("arn:amazon:s3:::x")
            .expect_err("partition")
            .contains("partition"));
        assert!(resource_arn("arn:aws::::x")
            .expect_err("service")
            .contains("no service"));
        assert!(resource_arn("arn:aws:s3:::")
            .expect_err("resource")
            .contains("no resource"));
    }

    #[test]
    fn source_arns() {
        assert!(source_arn("arn:aws:ecs:*:123456789012:*").is_ok());
        assert!(source_arn("*").expect_err("star").contains("every source"));
        assert!(source_arn("my-cluster")
            .expect_err("a name")
            .contains("is not an ARN"));
    }

    #[test]
    fn role_names() {
        assert!(role_name("app-role+ci@prod").is_ok());
        assert!(role_name("app role").is_err());
        assert!(role_name(&"r".repeat(65)).is_err());
        assert!(is_name(&"p".repeat(128), 128));
    }
}
