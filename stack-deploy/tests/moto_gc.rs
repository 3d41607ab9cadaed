//! `gc` against moto: a deployed stack's file asset and the image its template names stay,
//! staged assets no stack refers to are listed, tagged and deleted as the flags say. moto
//! implements every call `gc` makes (DescribeStacks, GetTemplate, ListObjectsV2,
//! Get/Put/DeleteObjectTagging, DeleteObjects, DescribeImages, BatchGetImage, PutImage,
//! BatchDeleteImage); what another deploy or the passing of days would leave behind is
//! put there with boto3 (`tests/fixtures/staging.py`).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{moto_server, run, stack, Moto, Outcome, TempDir};
use serde_json::Value as Json;
use stack_app::{BuildError, Context, Shell};
use stack_core::asset::{Asset, AssetKind};
use stack_core::template::ResourceDecl;
use stack_core::{App, Expr};
use stack_deploy::AwsOverrides;

const BUCKET: &str = "stack-assets-123456789012-us-east-1";
const REPO: &str = "stack-container-assets";

/// Hashes of images no stack names, and of the image the stack's parameter names.
const USED_IMAGE: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const STALE_IMAGE: &str = "2222222222222222222222222222222222222222222222222222222222222222";
const OTHER_IMAGE: &str = "3333333333333333333333333333333333333333333333333333333333333333";
/// File assets no stack refers to.
const STALE_ZIP: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.zip";
const OTHER_ZIP: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.zip";

/// A function whose code is a file asset, and a parameter whose value names an image of
/// the staging repository by its hash.
fn staged(ctx: &Context) -> Result<App, BuildError> {
    let code_dir = ctx.get("code_dir")?;
    Ok(App::new().stack(stack("Staged", |b| {
        let asset = Asset::from_dir(AssetKind::FileArchive, &code_dir).unwrap();
        let key = format!("{}.zip", asset.hash);
        b.add_asset(asset);
        b.add(
            "Role",
            ResourceDecl::new(
                "AWS::IAM::Role",
                Expr::Json(serde_json::json!({
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{ "Effect": "Allow",
                            "Principal": { "Service": "lambda.amazonaws.com" },
                            "Action": "sts:AssumeRole" }]
                    }
                })),
            ),
        );
        b.add(
            "Function",
            ResourceDecl::new(
                "AWS::Lambda::Function",
                Expr::Map(vec![
                    (
                        "Code".into(),
                        Expr::Map(vec![
                            (
                                "S3Bucket".into(),
                                Expr::Sub("stack-assets-${AWS::AccountId}-${AWS::Region}".into()),
                            ),
                            ("S3Key".into(), Expr::Str(key)),
                        ]),
                    ),
                    ("Handler".into(), Expr::Str("index.handler".into())),
                    ("Runtime".into(), Expr::Str("python3.12".into())),
                    ("Role".into(), Expr::GetAtt("Role".into(), "Arn".into())),
                ]),
            ),
        );
        b.add(
            "ImageUri",
            ResourceDecl::new(
                "AWS::SSM::Parameter",
                Expr::Map(vec![
                    ("Name".into(), Expr::Str("/staged/image-uri".into())),
                    ("Type".into(), Expr::Str("String".into())),
                    (
                        "Value".into(),
                        Expr::Sub(format!(
                            "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.amazonaws.com/{REPO}:{USED_IMAGE}"
                        )),
                    ),
                ]),
            ),
        );
    })))
}

/// `tests/fixtures/staging.py` run against `moto`; its stdout.
fn staging(moto: &Moto, args: &[&str]) -> String {
    let python = moto_server().with_file_name("python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/staging.py");
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "staging.py {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn keys(moto: &Moto) -> Vec<String> {
    serde_json::from_str(&staging(moto, &["keys", BUCKET])).unwrap()
}

fn tags(moto: &Moto, key: &str) -> Json {
    serde_json::from_str(&staging(moto, &["tags", BUCKET, key])).unwrap()
}

fn images(moto: &Moto) -> Vec<Vec<String>> {
    serde_json::from_str(&staging(moto, &["images", REPO])).unwrap()
}

/// The names `gc --json` gave each action.
fn actions(outcome: &Outcome) -> Vec<(String, String)> {
    let parsed: Json = serde_json::from_str(&outcome.out).unwrap();
    let mut found: Vec<(String, String)> = parsed["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

fn pair(name: &str, action: &str) -> (String, String) {
    (name.to_owned(), action.to_owned())
}

#[test]
fn gc_deletes_only_what_no_deployed_stack_refers_to() {
    let moto = Moto::start();
    let dir = TempDir::new("gc");
    let code = dir.path().join("code");
    fs::create_dir_all(&code).unwrap();
    fs::write(
        code.join("index.py"),
        "def handler(event, context):\n    return 1\n",
    )
    .unwrap();
    let used_zip = format!(
        "{}.zip",
        Asset::from_dir(AssetKind::FileArchive, &code).unwrap().hash
    );
    let env = moto.env(dir.path());
    let o = AwsOverrides::new().poll_interval(std::time::Duration::from_millis(100));
    let code_arg = format!("code_dir={}", code.display());
    let go_with = |shell: Shell, args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--context", code_arg.as_str()]);
        run(&env, &o, shell, &all, staged)
    };
    let go = |args: &[&str]| go_with(Shell::buffered(), args);

    // Before bootstrap there is nothing to collect, and saying so is not an error.
    let empty = go(&["gc", "--force"]);
    assert_eq!(empty.code, 0, "{}", empty.err);
    assert!(empty
        .err
        .contains(&format!("the staging bucket `{BUCKET}` does not exist")));
    assert!(empty
        .err
        .contains(&format!("the staging repository `{REPO}` does not exist")));

    assert_eq!(go(&["bootstrap"]).code, 0);
    let deploy = [
        "deploy",
        "--method",
        "direct",
        "--require-approval",
        "never",
    ];
    let deployed = go(&deploy);
    assert_eq!(deployed.code, 0, "{}", deployed.err);
    staging(&moto, &["put-object", BUCKET, STALE_ZIP]);
    staging(&moto, &["put-object", BUCKET, "notes.txt"]);
    let template_key = format!("templates/Old-{}.json", &STALE_ZIP[..64]);
    staging(&moto, &["put-object", BUCKET, &template_key]);
    staging(&moto, &["put-image", REPO, USED_IMAGE]);
    staging(&moto, &["put-image", REPO, STALE_IMAGE]);
    staging(&moto, &["put-image", REPO, "latest"]);
    let all_keys = {
        let mut k = vec![
            STALE_ZIP.to_owned(),
            used_zip.clone(),
            "notes.txt".to_owned(),
            template_key.clone(),
        ];
        k.sort();
        k
    };
    assert_eq!(keys(&moto), all_keys);

    // Everything just uploaded is within the default created buffer of a day: listed,
    // kept.
    let young = go(&["gc", "--action", "print"]);
    assert_eq!(young.code, 0, "{}", young.err);
    assert!(
        young.out.contains(&format!("file   {STALE_ZIP}")),
        "{}",
        young.out
    );
    assert!(young.out.contains("keep: uploaded less than 1 day ago"));
    assert!(!young.out.contains(&used_zip));
    assert!(!young.out.contains("notes.txt") && !young.out.contains("templates/"));
    assert!(young
        .err
        .contains("gc: read 2 stacks in account 123456789012 in us-east-1"));
    assert!(young
        .err
        .contains("gc: 4 staged assets: 2 in use, 2 unreferenced"));

    // A dry run lists what would be deleted and changes nothing.
    let dry = go(&["gc", "--dry-run", "--created-buffer-days", "0", "--json"]);
    assert_eq!(dry.code, 0, "{}", dry.err);
    assert_eq!(
        actions(&dry),
        [pair(STALE_IMAGE, "delete"), pair(STALE_ZIP, "delete")]
    );
    let parsed: Json = serde_json::from_str(&dry.out).unwrap();
    assert_eq!(parsed["action"], "print");
    assert_eq!(parsed["inUse"], 2);
    assert_eq!(parsed["assets"][0]["done"], false);
    assert!(dry
        .err
        .contains("gc: dry run; `--action full` would delete 2, tag 0 and untag 0"));
    assert_eq!(keys(&moto), all_keys);

    // Deleting asks; without a terminal it refuses, and a "no" changes nothing.
    let unasked = go(&["gc", "--created-buffer-days", "0"]);
    assert_eq!(unasked.code, 1);
    assert!(
        unasked.err.contains(
            "error: deleting 2 unreferenced assets (13 B) needs confirmation and there is no \
             terminal to ask on; pass `--force` to delete without asking, or `--action print` \
             to only list them"
        ),
        "{}",
        unasked.err
    );
    let declined = go_with(
        Shell::buffered().with_answers(["n"]),
        &["gc", "--created-buffer-days", "0"],
    );
    assert_eq!(declined.code, 1);
    assert!(declined.err.contains("Delete 2 unreferenced assets"));
    assert!(declined
        .err
        .contains("gc declined; nothing was tagged or deleted"));
    assert_eq!(keys(&moto), all_keys);

    // With a rollback buffer, unreferenced assets are only tagged.
    let tagging = [
        "gc",
        "--rollback-buffer-days",
        "1",
        "--created-buffer-days",
        "0",
        "--force",
    ];
    let tagged = go(&tagging);
    assert_eq!(tagged.code, 0, "{}", tagged.err);
    assert!(tagged
        .err
        .contains("gc: deleted 0 assets (0 B), tagged 2, untagged 0"));
    assert_eq!(keys(&moto), all_keys);
    let mark = tags(&moto, STALE_ZIP)["stack-deploy:isolated"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(mark.ends_with('Z') && mark.len() == 20, "{mark}");
    assert_eq!(tags(&moto, &used_zip), serde_json::json!({}));
    let after_tag = images(&moto);
    assert_eq!(after_tag.len(), 3);
    assert!(after_tag.contains(&vec![USED_IMAGE.to_owned()]));
    assert!(after_tag.contains(&vec!["latest".to_owned()]));
    let stale = after_tag
        .iter()
        .find(|t| t.contains(&STALE_IMAGE.to_owned()))
        .unwrap();
    assert!(stale[1].starts_with("stack-isolated-"), "{stale:?}");
    // Run again the same day: still waiting for the buffer.
    let waiting = go(&tagging);
    assert_eq!(waiting.code, 0, "{}", waiting.err);
    assert!(
        waiting.out.contains("keep: deletable from "),
        "{}",
        waiting.out
    );
    assert!(waiting.err.contains("tagged 0, untagged 0"));

    // Two days later (the marks set back), they are deleted; a mark left on an asset in
    // use is removed.
    staging(
        &moto,
        &[
            "set-tag",
            BUCKET,
            STALE_ZIP,
            "stack-deploy:isolated",
            "2020-01-01T00:00:00Z",
        ],
    );
    staging(
        &moto,
        &["add-tag", REPO, STALE_IMAGE, "stack-isolated-1577836800"],
    );
    staging(
        &moto,
        &[
            "set-tag",
            BUCKET,
            &used_zip,
            "stack-deploy:isolated",
            "2020-01-01T00:00:00Z",
        ],
    );
    let collected = go(&tagging);
    assert_eq!(collected.code, 0, "{}", collected.err);
    assert!(
        collected.err.contains("gc: deleted 2 assets ("),
        "{}",
        collected.err
    );
    assert!(collected.err.contains("tagged 0, untagged 1"));
    let mut remaining = vec![
        used_zip.clone(),
        "notes.txt".to_owned(),
        template_key.clone(),
    ];
    remaining.sort();
    assert_eq!(keys(&moto), remaining);
    assert_eq!(tags(&moto, &used_zip), serde_json::json!({}));
    let mut after_delete = images(&moto);
    after_delete.sort();
    assert_eq!(
        after_delete,
        [vec![USED_IMAGE.to_owned()], vec!["latest".to_owned()]]
    );

    // Without a buffer an unreferenced asset goes on the first run; `--type s3` leaves
    // images alone.
    staging(&moto, &["put-object", BUCKET, OTHER_ZIP]);
    staging(&moto, &["put-image", REPO, OTHER_IMAGE]);
    let full = go(&[
        "gc",
        "--type",
        "s3",
        "--action",
        "full",
        "--rollback-buffer-days",
        "0",
        "--created-buffer-days",
        "0",
        "--force",
        "--json",
    ]);
    assert_eq!(full.code, 0, "{}", full.err);
    assert_eq!(actions(&full), [pair(OTHER_ZIP, "delete")]);
    let parsed: Json = serde_json::from_str(&full.out).unwrap();
    assert_eq!(parsed["assets"][0]["done"], true);
    assert_eq!(keys(&moto), remaining);
    assert_eq!(images(&moto).len(), 3);

    // Once the stack is destroyed, its assets are no longer referenced.
    assert_eq!(go(&["destroy", "--force"]).code, 0);
    let after_destroy = go(&["gc", "--created-buffer-days", "0", "--force"]);
    assert_eq!(after_destroy.code, 0, "{}", after_destroy.err);
    assert!(after_destroy.err.contains("gc: read 1 stack in"));
    assert!(after_destroy.err.contains("gc: deleted 3 assets ("));
    assert_eq!(
        keys(&moto),
        ["notes.txt".to_owned(), template_key],
        "names gc does not give are never touched"
    );
    assert_eq!(images(&moto), [vec!["latest".to_owned()]]);
}
