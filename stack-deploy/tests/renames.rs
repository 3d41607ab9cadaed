//! Renamed resources, replayed from scripted CloudFormation responses (moto has no stack
//! refactoring): `#[renamed_from]` moves the deployed resource with a stack refactor
//! before the update, a failed refactor stops the deploy, `diff` shows the move; without
//! the declaration, `diff` and `--require-approval broadening` call a removed bucket and
//! its added twin a rename that deletes data.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use common::replay::{api, renamed_api, replay_app};

const DIRECT: [&str; 5] = [
    "deploy",
    "--method",
    "direct",
    "--require-approval",
    "never",
];

/// The value of `key` in an awsQuery request body, decoded.
fn param(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn a_declared_rename_is_moved_by_a_stack_refactor_before_the_update() {
    let (outcome, bodies) = replay_app("refactor-rename", &DIRECT, renamed_api);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert!(
        outcome
            .err
            .contains("Api: moving renamed `Bucket` → `Photos` (AWS::S3::Bucket)"),
        "{}",
        outcome.err
    );
    assert!(
        outcome.err.contains("Api: moved 1 renamed resource"),
        "{}",
        outcome.err
    );
    assert!(outcome.err.contains("Api: updated"), "{}", outcome.err);
    let create = &bodies[2];
    let mapping = "ResourceMappings.member.1";
    for (key, value) in [
        ("EnableStackCreation", "false"),
        ("StackDefinitions.member.1.StackName", "Api"),
        (&format!("{mapping}.Source.StackName") as &str, "Api"),
        (&format!("{mapping}.Source.LogicalResourceId"), "Bucket"),
        (&format!("{mapping}.Destination.StackName"), "Api"),
        (
            &format!("{mapping}.Destination.LogicalResourceId"),
            "Photos",
        ),
    ] {
        assert_eq!(
            param(create, key).as_deref(),
            Some(value),
            "{key} in {create}"
        );
    }
    // The refactor takes the deployed template with the ID renamed, nothing else: the
    // update afterwards brings the new template.
    let template: serde_json::Value =
        serde_json::from_str(&param(create, "StackDefinitions.member.1.TemplateBody").unwrap())
            .unwrap();
    assert_eq!(
        template["Resources"]["Photos"]["Properties"]["BucketName"],
        "api-bucket"
    );
    assert!(
        template["Resources"].get("Bucket").is_none(),
        "{template:#}"
    );
    assert_eq!(
        param(&bodies[5], "StackRefactorId").as_deref(),
        Some("9c384f70-4e07-4ed7-a65d-fee5eb430841")
    );
    assert!(param(&bodies[9], "TemplateBody")
        .unwrap()
        .contains("\"Photos\""));
}

#[test]
fn a_refactor_that_fails_stops_the_deploy_with_its_reason() {
    let (outcome, bodies) = replay_app("refactor-rename-failed", &DIRECT, renamed_api);
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(bodies.iter().all(|b| !b.contains("Action=UpdateStack")));
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert_eq!(
        error.trim_end(),
        "could not move the renamed resources of `Api` (`Bucket` → `Photos`): the stack \
         refactor is CREATE_FAILED: Resource Photos in stack Api does not match the destination \
         resource properties.; nothing was deployed"
    );
}

#[test]
fn a_refactor_whose_execution_rolls_back_stops_the_deploy_with_its_reason() {
    let (outcome, _) = replay_app("refactor-rename-execute-failed", &DIRECT, renamed_api);
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        error.contains(
            "the stack refactor is ROLLBACK_COMPLETE: Stack Api is in UPDATE_IN_PROGRESS state \
             and can not be updated.; nothing was deployed"
        ),
        "{error}"
    );
}

#[test]
fn diff_shows_a_declared_rename_as_a_move_without_a_change_set() {
    let (outcome, _) = replay_app("diff-renamed", &["diff"], renamed_api);
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    assert!(
        outcome.out.contains(
            "[>] `Bucket` → `Photos` (AWS::S3::Bucket) is renamed: deploy moves it to its new \
             logical ID, with its data\nThere were no other differences\n"
        ),
        "{}",
        outcome.out
    );
}

const PROBABLE: &str = "`Files` → `Bucket` (AWS::S3::Bucket) looks like a rename: \
    CloudFormation would delete `Files` and its data and create `Bucket`; declare \
    `#[renamed_from(files)]` on the resource to move it instead";

#[test]
fn diff_flags_an_undeclared_rename_of_a_bucket() {
    let (outcome, _) = replay_app("diff-probable-rename", &["diff", "--no-change-set"], api);
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    assert!(
        outcome.out.contains("[-] AWS::S3::Bucket Files"),
        "{}",
        outcome.out
    );
    assert!(
        outcome.out.contains(&format!("[!] {PROBABLE}")),
        "{}",
        outcome.out
    );
    let (json, _) = replay_app(
        "diff-probable-rename",
        &["diff", "--no-change-set", "--json"],
        api,
    );
    let parsed: serde_json::Value = serde_json::from_str(&json.out).unwrap();
    assert_eq!(
        parsed["stacks"][0]["probableRenames"],
        serde_json::json!([{ "from": "Files", "to": "Bucket", "type": "AWS::S3::Bucket" }])
    );
}

#[test]
fn broadening_approval_stops_for_an_undeclared_rename() {
    let (outcome, bodies) = replay_app(
        "deploy-probable-rename",
        &[
            "deploy",
            "--method",
            "direct",
            "--require-approval",
            "broadening",
        ],
        api,
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(bodies.iter().all(|b| !b.contains("Action=UpdateStack")));
    assert!(outcome.err.contains(PROBABLE), "{}", outcome.err);
}
