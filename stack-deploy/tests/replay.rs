//! Failure paths moto cannot produce, replayed from scripted CloudFormation responses
//! through aws-smithy's `StaticReplayClient`: failed creates with per-resource events,
//! ROLLBACK_COMPLETE recovery, waiting for a running operation under throttling,
//! change-set replacements in deploy and in diff. Each fixture directory holds one awsQuery XML response per
//! call, named `NN-Action[.STATUS].xml`, in the order the calls must be made.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use common::replay::{replay, replay_with_requests};

#[test]
fn failed_create_reports_the_first_failed_resource_first() {
    let outcome = replay(
        "create-failed",
        &[
            "deploy",
            "--method",
            "direct",
            "--require-approval",
            "never",
            "--progress",
            "events",
        ],
    );
    assert_eq!(outcome.code, 1);
    // Per-resource events, in order, with reasons on failures.
    assert!(outcome.err.contains(
        "[1/1] Api | 10:01:03 | CREATE_FAILED            | AWS::S3::Bucket | Bucket (api-bucket already exists)"
    ));
    assert!(outcome
        .err
        .contains("[1/1] Api | 10:01:08 | DELETE_COMPLETE          | AWS::SQS::Queue | Queue"));
    let bucket_failed = outcome
        .err
        .find("CREATE_FAILED            | AWS::S3::Bucket")
        .unwrap();
    let queue_failed = outcome
        .err
        .find("CREATE_FAILED            | AWS::SQS::Queue")
        .unwrap();
    assert!(
        bucket_failed < queue_failed,
        "events are shown oldest first"
    );
    // The error starts with the cause, not the cancelled queue or the stack status.
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        error.starts_with(
            "`Bucket` (AWS::S3::Bucket) CREATE_FAILED: api-bucket already exists\n\
             deployment of `Api` failed: the stack is ROLLBACK_COMPLETE"
        ),
        "{error}"
    );
    assert!(error.contains("the next `testapp deploy Api` deletes it and creates it again"));
}

#[test]
fn a_failure_written_with_the_final_status_is_still_reported() {
    // The poll that sees the first events finds nothing failed yet; the next one finds the
    // stack already ROLLBACK_COMPLETE, with the failure among events not read yet.
    let outcome = replay(
        "create-failed-in-the-last-poll",
        &[
            "deploy",
            "--method",
            "direct",
            "--require-approval",
            "never",
            "--progress",
            "events",
        ],
    );
    assert_eq!(outcome.code, 1);
    assert!(outcome.err.contains(
        "[1/1] Api | 10:01:03 | CREATE_FAILED            | AWS::S3::Bucket | Bucket (api-bucket already exists)"
    ));
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        error.starts_with(
            "`Bucket` (AWS::S3::Bucket) CREATE_FAILED: api-bucket already exists\n\
             deployment of `Api` failed: the stack is ROLLBACK_COMPLETE"
        ),
        "{error}"
    );
}

#[test]
fn rollback_complete_is_deleted_and_created_again() {
    let outcome = replay(
        "rollback-complete-recovery",
        &[
            "deploy",
            "--method",
            "direct",
            "--require-approval",
            "never",
        ],
    );
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert!(outcome.err.contains(
        "`Api` is ROLLBACK_COMPLETE after a failed first create and cannot be updated; deleting it and creating it again"
    ));
    assert!(outcome
        .err
        .contains("DELETE_COMPLETE          | AWS::CloudFormation::Stack"));
    assert!(outcome.err.contains("[1/1] Api: created"));
    assert!(outcome.out.contains(
        "Outputs:\nApi.QueueUrl = https://sqs.us-east-1.amazonaws.com/123456789012/api-queue\n"
    ));
    assert!(
        outcome.out.contains("stack/Api/7c0e2a10"),
        "the new stack's ARN"
    );
}

#[test]
fn running_operation_is_waited_for_through_throttling_then_no_changes() {
    let outcome = replay(
        "in-progress-wait",
        &[
            "deploy",
            "--method",
            "direct",
            "--require-approval",
            "never",
        ],
    );
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert!(outcome.err.contains(
        "[1/1] Api: waiting for the operation already running on `Api` (UPDATE_IN_PROGRESS)"
    ));
    // Each retry of the throttled call is announced.
    assert!(
        outcome.err.contains(
            "note: CloudFormation DescribeStackEvents at https://cloudformation.us-east-1.amazonaws.com \
             failed (Throttling: Rate exceeded); retrying, attempt 3 of 8, "
        ),
        "{}",
        outcome.err
    );
    assert!(outcome
        .err
        .contains("UPDATE_COMPLETE          | AWS::SQS::Queue | Queue"));
    assert!(outcome.err.contains("[1/1] Api: no changes"));
    assert!(outcome.out.contains("Api.QueueUrl = "));
}

#[test]
fn change_set_replacement_of_a_stateful_resource_needs_approval() {
    let outcome = replay("change-set-replacement", &["deploy"]);
    assert_eq!(outcome.code, 1);
    // The schema says versioning updates in place; the change set knows better.
    assert!(outcome
        .err
        .contains("Modify AWS::S3::Bucket Bucket (may be replaced)"));
    assert!(outcome.err.contains(
        "may replace `Bucket` (AWS::S3::Bucket), which holds data; the old one is deleted"
    ));
    assert!(outcome.err.contains("`--require-approval never`"));
}

#[test]
fn a_change_set_overtaken_by_another_update_is_deleted_not_executed() {
    // Between computing the change set and executing it, another deploy updated the stack
    // (a newer event); executing would undo that update.
    let (outcome, bodies) = replay_with_requests(
        "change-set-overtaken",
        &["deploy", "--require-approval", "never"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(bodies
        .iter()
        .all(|b| !b.contains("Action=ExecuteChangeSet")));
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        error.starts_with(
            "`Api` was changed by another operation (another deploy?) after this deploy \
             computed its change set, so the change set was deleted without being executed: it \
             would have undone that change; run `testapp deploy Api` again"
        ),
        "{error}"
    );
}

#[test]
fn a_create_that_loses_a_race_deletes_the_empty_stack_it_made() {
    // Another deploy created `Api` first; this deploy's change set made an empty stack
    // (REVIEW_IN_PROGRESS) that cannot be executed, and is cleaned up.
    let (outcome, bodies) = replay_with_requests(
        "create-race-lost",
        &["deploy", "--require-approval", "never"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    let deleted = bodies
        .iter()
        .find(|b| b.contains("Action=DeleteStack"))
        .unwrap();
    assert!(
        deleted.contains("9e8d7c6b-8a2e-11f1-9d3c-0a1b2c3d4e5f"),
        "{deleted}"
    );
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        error.starts_with(
            "cannot execute the change set for `Api`: ValidationError: Stack [Api] already \
             exists and cannot be created again with the changeSet [stack-deploy-cs1].; another \
             deploy of `Api` may be running at the same time; the empty stack this deploy \
             created for its change set was deleted again"
        ),
        "{error}"
    );
}

#[test]
fn an_update_replaced_by_another_deploys_fails_though_cloudformation_says_complete() {
    // The update completes, but the template deployed at the end is another deploy's.
    let outcome = replay(
        "update-overwritten",
        &[
            "deploy",
            "--method",
            "direct",
            "--require-approval",
            "never",
        ],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(!outcome.err.contains("Api: updated"), "{}", outcome.err);
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        error.starts_with(
            "`Api` was updated, but its deployed template is not the one this deploy sent: \
             another deploy of `Api` ran at the same time and its change replaced this one; run \
             `testapp diff Api` to see what is deployed, then deploy again"
        ),
        "{error}"
    );
}

#[test]
fn diff_exits_1_when_the_stack_cannot_be_read() {
    let outcome = replay("diff-access-denied", &["diff"]);
    assert_eq!(outcome.code, 1);
    assert!(outcome.err.contains(
        "error: cannot read stack `Api`: AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized"
    ));
    assert_eq!(outcome.out, "");
}

#[test]
fn diff_marks_replacements_from_a_change_set_it_deletes_again() {
    let outcome = replay("diff-change-set-replacement", &["diff"]);
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    // The schema says versioning updates in place; the change set knows better.
    assert!(
        outcome
            .out
            .contains("[~] AWS::S3::Bucket Bucket (may be replaced)"),
        "{}",
        outcome.out
    );
    assert!(outcome
        .out
        .contains("Api: 0 to add, 1 to change (1 replaced), 0 to remove"));
}

#[test]
fn diff_creates_its_change_set_for_the_stack_name_as_deploy_does() {
    let (outcome, bodies) = replay_with_requests("diff-change-set-replacement", &["diff"]);
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    let create = bodies
        .iter()
        .find(|b| b.contains("Action=CreateChangeSet"))
        .unwrap();
    assert!(create.contains("&StackName=Api&"), "{create}");
}

#[test]
fn diff_falls_back_to_the_schemas_when_no_change_set_can_be_created() {
    let outcome = replay("diff-change-set-denied", &["diff"]);
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    assert!(
        outcome.err.contains(
            "warning: could not create a change set for `Api`, so replacements are the resource \
         schemas' estimate: AccessDenied: User: arn:aws:iam::123456789012:user/reviewer is not \
         authorized to perform: cloudformation:CreateChangeSet"
        ),
        "{}",
        outcome.err
    );
    assert!(
        outcome.out.contains("[~] AWS::S3::Bucket Bucket\n"),
        "{}",
        outcome.out
    );
}

#[test]
fn diff_without_a_change_set_reads_the_template_only() {
    let outcome = replay(
        "diff-without-change-set",
        &["diff", "--no-change-set", "--json"],
    );
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    let parsed: serde_json::Value = serde_json::from_str(&outcome.out).unwrap();
    assert_eq!(parsed["stacks"][0]["replacementSource"], "schema");
    assert_eq!(parsed["stacks"][0]["resources"][0]["replacement"], "no");
}
