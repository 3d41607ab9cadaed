//! The day-2 commands, replayed from scripted CloudFormation responses (moto implements
//! none of drift detection, ContinueUpdateRollback, RollbackStack or DisableRollback):
//! `drift` in sync, modified, deleted, not checked, failing and not deployed; `rollback`
//! continuing a failed rollback, rolling back a failed update, and refusing stable stacks;
//! `deploy --no-rollback` sending DisableRollback and refusing replacements. Each scenario
//! also asserts the exact calls made, in order.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use common::replay::{replay, replay_with_requests};
use serde_json::Value as Json;

/// The request body of the first call of `action`.
fn request<'a>(bodies: &'a [String], action: &str) -> &'a str {
    bodies
        .iter()
        .find(|b| b.contains(&format!("Action={action}&")))
        .unwrap()
}

/// The text after the last `error: `.
fn error(err: &str) -> &str {
    err.rsplit("error: ").next().unwrap()
}

#[test]
fn drift_in_sync_exits_0_and_lists_what_it_cannot_check() {
    let outcome = replay("drift-in-sync", &["drift", "--progress", "events"]);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert_eq!(
        outcome.out,
        "Stack Api\n\
         [?] AWS::CloudFormation::WaitConditionHandle Wait NOT_CHECKED (CloudFormation cannot \
         check this type for drift)\n\
         Api: in sync: 2 in sync, 1 not checked\n\n"
    );
    assert!(outcome.err.contains("[1/1] Api: detecting drift\n"));
    assert!(outcome
        .err
        .contains("[1/1] Api: in sync: 2 in sync, 1 not checked\n"));
}

#[test]
fn drift_shows_each_property_of_a_modified_resource_and_exits_2() {
    let (outcome, bodies) = replay_with_requests("drift-modified", &["drift"]);
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    assert_eq!(
        outcome.out,
        "Stack Api\n\
         [~] AWS::S3::Bucket Bucket MODIFIED\n    \
         [~] VersioningConfiguration.Status: expected Enabled, actual Suspended\n    \
         [~] Tags: expected (absent), actual [{\"Key\":\"owner\",\"Value\":\"ops\"}]\n\
         Api: drifted: 1 modified, 0 deleted, 1 in sync\n\n"
    );
    // Detection and its results are asked for by the stack's ARN, not its name.
    assert!(request(&bodies, "DetectStackDrift").contains(
        "StackName=arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack%2FApi%2F"
    ));
    assert!(request(&bodies, "DescribeStackDriftDetectionStatus")
        .contains("StackDriftDetectionId=b7c1e0d2-8a2e-11f1-9d3c-0a1b2c3d4e5f"));
}

#[test]
fn drift_json_names_deleted_and_not_checked_resources() {
    let outcome = replay("drift-deleted", &["drift", "--json"]);
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    let parsed: Json = serde_json::from_str(&outcome.out).unwrap();
    assert_eq!(parsed["drifted"], true);
    let stack = &parsed["stacks"][0];
    assert_eq!(stack["stack"], "Api");
    assert_eq!(stack["deployed"], true);
    assert_eq!(stack["stackDriftStatus"], "DRIFTED");
    assert_eq!(stack["inSync"], 1);
    assert_eq!(stack["detectionFailure"], Json::Null);
    let resources = stack["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 2);
    assert_eq!(resources[0]["logicalId"], "Queue");
    assert_eq!(resources[0]["type"], "AWS::SQS::Queue");
    assert_eq!(resources[0]["physicalId"], "api-queue");
    assert_eq!(resources[0]["status"], "DELETED");
    assert_eq!(resources[1]["logicalId"], "Wait");
    assert_eq!(resources[1]["status"], "NOT_CHECKED");
}

#[test]
fn drift_json_carries_property_differences_as_cloudformation_writes_them() {
    let outcome = replay("drift-modified", &["drift", "--json"]);
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    let parsed: Json = serde_json::from_str(&outcome.out).unwrap();
    let differences = &parsed["stacks"][0]["resources"][0]["differences"];
    assert_eq!(
        differences[0],
        serde_json::json!({
            "path": "/VersioningConfiguration/Status",
            "expected": "Enabled",
            "actual": "Suspended",
            "differenceType": "NOT_EQUAL",
        })
    );
    assert_eq!(differences[1]["expected"], Json::Null);
    assert_eq!(differences[1]["differenceType"], "ADD");
}

#[test]
fn drift_detection_that_fails_exits_1_with_its_reason_and_what_it_could_check() {
    let outcome = replay("drift-detection-failed", &["drift"]);
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(outcome.out.contains(
        "[?] AWS::SQS::Queue Queue NOT_CHECKED (CloudFormation cannot check this type for drift)\n"
    ));
    assert_eq!(
        error(&outcome.err).trim_end(),
        "drift detection of `Api` failed for some resources (Failed to detect drift on \
         resource [Queue]: User: arn:aws:iam::123456789012:user/ci is not authorized to \
         perform: sqs:GetQueueAttributes); the resources listed are those CloudFormation \
         could check"
    );
}

#[test]
fn drift_of_a_stack_that_is_not_deployed_exits_1() {
    let outcome = replay("drift-not-deployed", &["drift", "--json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    let parsed: Json = serde_json::from_str(&outcome.out).unwrap();
    assert_eq!(parsed["drifted"], false);
    assert_eq!(parsed["stacks"][0]["deployed"], false);
    assert_eq!(
        error(&outcome.err).trim_end(),
        "`Api` is not deployed, so there is nothing to check; deploy it with `testapp deploy Api`"
    );
}

#[test]
fn rollback_continues_a_failed_rollback_skipping_the_orphaned_resources() {
    let (outcome, bodies) = replay_with_requests(
        "rollback-continue",
        &["rollback", "--orphan", "Bucket", "--progress", "events"],
    );
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    let continued = request(&bodies, "ContinueUpdateRollback");
    assert!(
        continued.contains("&ResourcesToSkip.member.1=Bucket&")
            || continued.ends_with("&ResourcesToSkip.member.1=Bucket"),
        "{continued}"
    );
    assert!(
        !continued.contains("ResourcesToSkip.member.2"),
        "{continued}"
    );
    assert!(outcome.err.contains(
        "[1/1] Api: continuing the rollback of `Api` (UPDATE_ROLLBACK_FAILED), leaving `Bucket` \
         as it is\n"
    ));
    // The events of the rollback, and only those after it was continued.
    assert!(outcome
        .err
        .contains("[1/1] Api | 10:30:02 | UPDATE_COMPLETE          | AWS::S3::Bucket | Bucket\n"));
    assert!(!outcome.err.contains("10:20:00"), "{}", outcome.err);
    assert!(outcome.err.contains("[1/1] Api: rolled back in "));
    assert!(outcome
        .err
        .contains("; the stack is UPDATE_ROLLBACK_COMPLETE\n"));
    assert!(outcome.err.contains(
        "warning: `Bucket` of `Api` was left as it was and may no longer match the template; \
         `testapp drift Api` shows how, and the next deploy updates them"
    ));
}

#[test]
fn rollback_accepts_the_api_name_and_a_comma_separated_list() {
    let (outcome, bodies) = replay_with_requests(
        "rollback-continue",
        &["rollback", "Api", "--resources-to-skip", "Bucket,Queue"],
    );
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    let continued = request(&bodies, "ContinueUpdateRollback");
    assert!(
        continued.contains("ResourcesToSkip.member.1=Bucket"),
        "{continued}"
    );
    assert!(
        continued.contains("ResourcesToSkip.member.2=Queue"),
        "{continued}"
    );
}

#[test]
fn a_rollback_that_fails_again_names_the_resource_and_orphan() {
    let outcome = replay("rollback-continue-fails-again", &["rollback"]);
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert_eq!(
        outcome.err.split("error: ").nth(1).unwrap().trim_end(),
        "`Bucket` (AWS::S3::Bucket) UPDATE_FAILED: Access Denied\n\
         rolling back `Api` failed: the stack is UPDATE_ROLLBACK_FAILED (The following \
         resource(s) failed to update: [Bucket].); fix what blocks the rollback and run \
         `testapp rollback Api` again, or leave the resource as it is with `testapp rollback \
         Api --orphan Bucket`"
    );
}

#[test]
fn rollback_of_a_failed_update_calls_rollback_stack_and_waits() {
    let (outcome, bodies) =
        replay_with_requests("rollback-stack", &["rollback", "--progress", "events"]);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert!(request(&bodies, "RollbackStack").contains("ClientRequestToken=rollback-"));
    assert!(outcome
        .err
        .contains("[1/1] Api: rolling back `Api` (UPDATE_FAILED) to its last stable state"));
    assert!(outcome
        .err
        .contains("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"));
    assert!(outcome
        .err
        .contains("; the stack is UPDATE_ROLLBACK_COMPLETE"));
    assert!(!outcome.err.contains("warning:"), "{}", outcome.err);
}

#[test]
fn rollback_of_a_stable_stack_changes_nothing_and_says_why() {
    let outcome = replay("rollback-stable", &["rollback"]);
    assert_eq!(outcome.code, 1);
    assert_eq!(
        error(&outcome.err).trim_end(),
        "`Api` is UPDATE_COMPLETE: a stable state, so there is nothing to roll back: \
         `rollback` is for a stack left in UPDATE_ROLLBACK_FAILED, or in UPDATE_FAILED or \
         CREATE_FAILED by `testapp deploy --no-rollback`; to undo a change that was deployed, \
         deploy the earlier version; nothing was changed"
    );
}

#[test]
fn orphan_is_refused_for_a_stack_that_rollback_stack_handles() {
    let outcome = replay(
        "rollback-orphan-without-failed-rollback",
        &["rollback", "--orphan", "Bucket"],
    );
    assert_eq!(outcome.code, 1);
    assert_eq!(
        error(&outcome.err).trim_end(),
        "`--orphan` applies only to a stack in UPDATE_ROLLBACK_FAILED, whose rollback stopped \
         at those resources; `Api` is UPDATE_FAILED, so nothing was changed; run `testapp \
         rollback Api` without it"
    );
}

#[test]
fn no_rollback_create_sends_disable_rollback_and_says_how_to_go_on() {
    let (outcome, bodies) = replay_with_requests(
        "no-rollback-create-failed",
        &[
            "deploy",
            "--no-rollback",
            "--method",
            "direct",
            "--require-approval",
            "never",
        ],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(request(&bodies, "CreateStack").contains("&DisableRollback=true"));
    assert_eq!(
        outcome.err.split("error: ").nth(1).unwrap().trim_end(),
        "`Bucket` (AWS::S3::Bucket) CREATE_FAILED: api-bucket already exists\n\
         deployment of `Api` failed: the stack is CREATE_FAILED (The following resource(s) \
         failed to create: [Bucket].); `--no-rollback` left the stack as it failed, with the \
         resources that succeeded: fix the cause and run `testapp deploy Api --no-rollback` \
         again, or return it to its last stable state with `testapp rollback Api`"
    );
}

#[test]
fn no_rollback_executes_the_change_set_with_disable_rollback() {
    let (outcome, bodies) = replay_with_requests(
        "no-rollback-update-failed",
        &["deploy", "-R", "--require-approval", "never"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(request(&bodies, "ExecuteChangeSet").contains("&DisableRollback=true"));
    let message = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        message.starts_with(
            "`Bucket` (AWS::S3::Bucket) UPDATE_FAILED: Access Denied\n\
             deployment of `Api` failed: the stack is UPDATE_FAILED"
        ),
        "{message}"
    );
    assert!(message.contains("`testapp rollback Api`"), "{message}");
}

#[test]
fn a_deploy_with_rollback_sends_no_disable_rollback() {
    let (outcome, bodies) = replay_with_requests(
        "create-failed",
        &[
            "deploy",
            "--method",
            "direct",
            "--require-approval",
            "never",
        ],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(!request(&bodies, "CreateStack").contains("DisableRollback"));
    assert!(!outcome.err.contains("--no-rollback"), "{}", outcome.err);
}

#[test]
fn no_rollback_refuses_a_change_set_that_replaces_a_resource() {
    let (outcome, bodies) = replay_with_requests(
        "no-rollback-replacement",
        &["deploy", "--no-rollback", "--require-approval", "never"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(bodies
        .iter()
        .all(|b| !b.contains("Action=ExecuteChangeSet")));
    assert_eq!(
        error(&outcome.err).trim_end(),
        "deploying `Api` replaces `Bucket` (AWS::S3::Bucket) (as the change set says), which \
         `--no-rollback` cannot do: a stack left as it failed half-way through a replacement \
         would hold both the old and the new resource; nothing was deployed; deploy without \
         `--no-rollback` (`testapp deploy Api`)"
    );
}

#[test]
fn a_stack_left_failed_by_no_rollback_is_not_deployed_over_with_rollback() {
    let outcome = replay("no-rollback-needed-for-failed-stack", &["deploy"]);
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert_eq!(
        error(&outcome.err).trim_end(),
        "stack `Api` is UPDATE_FAILED and cannot be updated; it was left as it failed by a \
         deploy with `--no-rollback`; deploy it again with `--no-rollback` (`testapp deploy \
         Api --no-rollback`), or return it to its last stable state with `testapp rollback \
         Api` first"
    );
}
