//! `--require-approval`: which changes need a person to say yes.

use aws_sdk_cloudformation::types::Change;
use serde_json::Value as Json;

use crate::ops::diff::{Action, TemplateDiff};
use crate::ops::renames;
use crate::ops::schema::{self, Replacement};

pub(crate) use stack_app::cli::Approval;

/// Resource types whose whole purpose is to grant access.
const PERMISSION_TYPES: &[&str] = &[
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::UserToGroupAddition",
    "AWS::Lambda::Permission",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy",
    "AWS::KMS::Key",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
];

/// Why the change needs approval at `level`; empty when it does not. `resources` is the
/// local template's `Resources`, to look into added resources; `changes` is the change
/// set's list, when there is one, whose `Replacement` is more precise than the schema.
pub(crate) fn reasons(
    level: Approval,
    diff: &TemplateDiff,
    resources: Option<&Json>,
    changes: &[Change],
) -> Vec<String> {
    match level {
        Approval::Never => Vec::new(),
        Approval::AnyChange => {
            if diff.is_empty() && changes.is_empty() {
                Vec::new()
            } else {
                let n = diff.resources.len().max(changes.len());
                vec![format!(
                    "{} changed (`--require-approval any-change`)",
                    crate::ops::format::count(n, "resource")
                )]
            }
        }
        Approval::Broadening => broadening(diff, resources, changes),
    }
}

fn broadening(diff: &TemplateDiff, resources: Option<&Json>, changes: &[Change]) -> Vec<String> {
    let mut reasons = Vec::new();
    for change in &diff.resources {
        let id = &change.id;
        let ty = &change.type_name;
        match change.action {
            Action::Add => {
                let body = resources.and_then(|r| r.get(id));
                if PERMISSION_TYPES.contains(&ty.as_str()) {
                    reasons.push(format!("adds `{id}` ({ty}), which grants access"));
                } else if body.is_some_and(has_allow_statement) {
                    reasons.push(format!("adds `{id}` ({ty}) with IAM permissions"));
                } else if ty == "AWS::EC2::SecurityGroup"
                    && body.is_some_and(|b| b.pointer("/Properties/SecurityGroupIngress").is_some())
                {
                    reasons.push(format!("adds security group `{id}` with ingress rules"));
                }
            }
            Action::Remove => {
                if let Some(rename) = diff.probable_renames.iter().find(|m| m.old == *id) {
                    reasons.push(renames::warning(rename));
                } else if schema::is_stateful(ty) {
                    reasons.push(format!(
                        "deletes `{id}` ({ty}), which holds data, unless its DeletionPolicy retains it"
                    ));
                }
            }
            Action::Modify => {
                let granted = change
                    .statements
                    .iter()
                    .filter(|s| {
                        s.action == Action::Add
                            && s.statement.get("Effect").and_then(Json::as_str) == Some("Allow")
                    })
                    .count();
                if granted > 0 {
                    reasons.push(format!(
                        "grants {} in `{id}` ({ty})",
                        crate::ops::format::count(granted, "new IAM statement")
                    ));
                }
                if change.values.iter().any(|v| {
                    v.path.contains("SecurityGroupIngress")
                        || v.path.contains("SecurityGroupEgress")
                        || v.path.contains("ManagedPolicyArns")
                }) {
                    reasons.push(format!("changes the access rules of `{id}` ({ty})"));
                }
                let replaced = change_set_replacement(changes, id).unwrap_or(change.replacement);
                if schema::is_stateful(ty) && replaced != Replacement::Never {
                    let how = if replaced == Replacement::Always {
                        "replaces"
                    } else {
                        "may replace"
                    };
                    reasons.push(format!(
                        "{how} `{id}` ({ty}), which holds data; the old one is deleted"
                    ));
                }
            }
        }
    }
    reasons
}

/// What the change set says about replacing `logical_id`.
pub(crate) fn change_set_replacement(changes: &[Change], logical_id: &str) -> Option<Replacement> {
    changes
        .iter()
        .filter_map(Change::resource_change)
        .find(|c| c.logical_resource_id() == Some(logical_id))
        .and_then(|c| c.replacement())
        .map(|r| match r.as_str() {
            "True" => Replacement::Always,
            "Conditional" => Replacement::Maybe,
            _ => Replacement::Never,
        })
}

fn has_allow_statement(value: &Json) -> bool {
    match value {
        Json::Object(map) => {
            if let Some(statements) = map.get("Statement") {
                let list = match statements {
                    Json::Array(items) => items.iter().collect::<Vec<_>>(),
                    other => vec![other],
                };
                if list
                    .iter()
                    .any(|s| s.get("Effect").and_then(Json::as_str) == Some("Allow"))
                {
                    return true;
                }
            }
            map.values().any(has_allow_statement)
        }
        Json::Array(items) => items.iter().any(has_allow_statement),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    // What counts as broadening.
    use super::*;
    use crate::ops::diff::diff_templates;
    use serde_json::json;

    fn reasons_for(old: Option<Json>, new: Json, level: Approval) -> Vec<String> {
        let diff = diff_templates(old.as_ref(), &new);
        reasons(level, &diff, new.get("Resources"), &[])
    }

    #[test]
    fn new_role_with_policy_is_broadening_and_a_queue_is_not() {
        let new = json!({ "Resources": {
            "Q": { "Type": "AWS::SQS::Queue" },
            "R": { "Type": "AWS::IAM::Role", "Properties": { "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" },
                    "Action": "sts:AssumeRole" }] } } } } });
        let reasons = reasons_for(None, new.clone(), Approval::Broadening);
        assert_eq!(reasons, ["adds `R` (AWS::IAM::Role) with IAM permissions"]);
        assert!(reasons_for(None, new, Approval::Never).is_empty());
    }

    #[test]
    fn replacing_a_bucket_is_broadening_and_changing_a_timeout_is_not() {
        let old = json!({ "Resources": {
            "B": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "a" } },
            "F": { "Type": "AWS::Lambda::Function", "Properties": { "Timeout": 3 } } } });
        let new = json!({ "Resources": {
            "B": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "b" } },
            "F": { "Type": "AWS::Lambda::Function", "Properties": { "Timeout": 4 } } } });
        assert_eq!(
            reasons_for(Some(old.clone()), new.clone(), Approval::Broadening),
            ["replaces `B` (AWS::S3::Bucket), which holds data; the old one is deleted"]
        );
        assert_eq!(
            reasons_for(Some(old), new, Approval::AnyChange),
            ["2 resources changed (`--require-approval any-change`)"]
        );
    }

    #[test]
    fn a_probable_rename_of_a_bucket_is_broadening_and_says_rename() {
        let bucket = json!({ "Type": "AWS::S3::Bucket",
            "Properties": { "VersioningConfiguration": { "Status": "Enabled" } } });
        let old = json!({ "Resources": { "Files": bucket.clone() } });
        let new = json!({ "Resources": { "Photos": bucket } });
        assert_eq!(
            reasons_for(Some(old), new, Approval::Broadening),
            [
                "`Files` → `Photos` (AWS::S3::Bucket) looks like a rename: CloudFormation would \
              delete `Files` and its data and create `Photos`; declare \
              `#[renamed_from(files)]` on the resource to move it instead"
            ]
        );
    }
}
