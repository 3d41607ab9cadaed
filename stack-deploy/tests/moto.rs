//! The deploy lifecycle against a real CloudFormation API: moto_server on a free loopback
//! port, started by each test. What moto cannot do is asserted as what it does, with the
//! gap named (see `docs/deploy.md`).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::fs;

use common::{run, run_app, stack, Moto, TempDir};
use photosky::{PhotoSky, PhotoSkyProps};
use serde_json::Value as Json;
use stack_app::{BuildError, Context, Shell};
use stack_core::asset::{Asset, AssetKind};
use stack_core::template::{Output, Parameter, ParameterType, ResourceDecl};
use stack_core::{App, Expr};
use stack_deploy::AwsOverrides;

const IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/photosky";

/// The photosky binary's `main`, as a build function.
fn photosky(ctx: &Context) -> Result<App, BuildError> {
    let props = PhotoSkyProps {
        app_name: ctx.get_or("app_name", "PhotoSky"),
        image_uri: ctx.get_optional("image_uri"),
    };
    Ok(App::new().stack(PhotoSky::new(props.app_name.clone(), &props)))
}

fn overrides() -> AwsOverrides {
    AwsOverrides::new().poll_interval(std::time::Duration::from_millis(100))
}

#[test]
fn photosky_lifecycle_deploy_diff_update_destroy() {
    let moto = Moto::start();
    let dir = TempDir::new("photosky");
    let env = moto.env(dir.path());
    let o = overrides();
    let sky = |args: &[&str]| run_app("photosky", &env, &o, Shell::buffered(), args, photosky);
    let v1 = format!("image_uri={IMAGE}:v1");
    let v2 = format!("image_uri={IMAGE}:v2");

    // Without an image URI the app has a docker image asset, and there is no engine here.
    let no_image = sky(&["deploy"]);
    assert_eq!(no_image.code, 1);
    assert!(
        no_image.err.contains("docker image asset"),
        "{}",
        no_image.err
    );
    assert!(no_image.err.contains("image_uri"), "{}", no_image.err);

    // A first deploy adds IAM roles: broadening, so without a terminal it needs the flag.
    let unapproved = sky(&["deploy", "--context", &v1]);
    assert_eq!(unapproved.code, 1);
    assert!(unapproved
        .err
        .contains("adds `PhotosFuncServiceRole` (AWS::IAM::Role) with IAM permissions"));
    assert!(unapproved.err.contains("`--require-approval never`"));

    let first = sky(&[
        "deploy",
        "--require-approval",
        "never",
        "--context",
        &v1,
        "--outputs-file",
        "out/outputs.json",
        "--progress",
        "events",
    ]);
    assert_eq!(first.code, 0);
    assert!(
        first.err.contains("[1/1] PhotoSky: created"),
        "{}",
        first.err
    );
    assert!(first.err.contains("CREATE_COMPLETE"));
    assert!(first
        .out
        .contains("arn:aws:cloudformation:us-east-1:123456789012:stack/PhotoSky/"));
    // moto gap: a stack created through a change set has no outputs. Real CloudFormation
    // reports `ApiUrl` and `PhotoBucket` here; the file has the stack with what was
    // reported, and the run says the outputs are missing.
    let outputs: Json =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out/outputs.json")).unwrap())
            .unwrap();
    assert_eq!(outputs, serde_json::json!({ "PhotoSky": {} }));
    assert!(first
        .err
        .contains("`PhotoSky` declares 2 outputs but CloudFormation reported none"));

    let same = sky(&["diff", "--context", &v1]);
    assert_eq!(same.code, 0);
    assert!(same.out.contains("There were no differences"));

    let changed = sky(&["diff", "--context", &v2]);
    assert_eq!(changed.code, 2);
    // The change set that reads replacements is created for the stack by name.
    assert_eq!(changed.err, "", "diff warned");
    assert!(changed.out.contains("[~] AWS::Lambda::Function PhotosFunc"));
    assert!(changed.out.contains(&format!(
        "[~] Code.ImageUri: \"{IMAGE}:v1\" → \"{IMAGE}:v2\""
    )));
    assert!(changed
        .out
        .contains("PhotoSky: 0 to add, 1 to change, 0 to remove"));

    let json = sky(&["diff", "--json", "--context", &v2]);
    assert_eq!(json.code, 2);
    let parsed: Json = serde_json::from_str(&json.out).unwrap();
    assert_eq!(parsed["differences"], true);
    let resource = &parsed["stacks"][0]["resources"][0];
    assert_eq!(resource["logicalId"], "PhotosFunc");
    assert_eq!(resource["action"], "modify");
    assert_eq!(resource["replacement"], "no");
    assert_eq!(resource["changes"][0]["path"], "Properties.Code.ImageUri");

    // A new image is an in-place change with no new permissions: no approval needed.
    let updated = sky(&["deploy", "--context", &v2]);
    assert_eq!(updated.code, 0);
    assert!(
        updated.err.contains("[1/1] PhotoSky: updated"),
        "{}",
        updated.err
    );
    assert!(updated
        .err
        .contains("Modify AWS::Lambda::Function PhotosFunc"));

    let after = sky(&["diff", "--context", &v2]);
    assert_eq!(after.code, 0, "the update was applied");

    let again = sky(&["deploy", "--context", &v2]);
    assert_eq!(again.code, 0);
    assert!(again.err.contains("[1/1] PhotoSky: no changes"));

    let unforced = sky(&["destroy", "--context", &v2]);
    assert_eq!(unforced.code, 1);
    assert!(unforced.err.contains("pass `--force`"));

    let destroyed = sky(&["destroy", "--force", "--context", &v2]);
    assert_eq!(destroyed.code, 0);
    assert!(destroyed.err.contains("[1/1] PhotoSky: destroyed"));
    assert!(destroyed
        .err
        .contains("kept 1 resource because of its DeletionPolicy: `PhotosFuncLogGroup`"));

    let gone = sky(&["diff", "--context", &v2]);
    assert_eq!(gone.code, 2);
    assert!(gone.out.contains("(not deployed yet: everything is new)"));
}

/// The calls the docker stand-in logged, as argument lists, with login's password.
fn docker_calls(log: &std::path::Path) -> Vec<Json> {
    fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn command_of(call: &Json) -> &str {
    call["args"][0].as_str().unwrap()
}

#[test]
fn image_assets_are_built_for_their_platform_pushed_once_and_named_when_they_cannot_be() {
    let moto = Moto::start();
    let dir = TempDir::new("photosky-image");
    let (docker, log) = moto.fake_docker(dir.path(), "docker", &[]);
    let (stopped, _) = moto.fake_docker(dir.path(), "docker-stopped", &["FAKE_DOCKER_NO_ENGINE"]);
    let (broken, _) = moto.fake_docker(dir.path(), "docker-broken", &["FAKE_DOCKER_BUILD_FAILS"]);
    let docker = docker.display().to_string();
    let o = overrides();
    let sky = |extra: &[(&str, String)], args: &[&str]| {
        let env = moto.env_with(dir.path(), extra);
        run_app("photosky", &env, &o, Shell::buffered(), args, photosky)
    };
    let with_docker = [("STACK_DOCKER", docker.clone())];
    let deploy = [
        "deploy",
        "--require-approval",
        "never",
        "--progress",
        "events",
    ];
    let asset = {
        let props = PhotoSkyProps {
            app_name: "PhotoSky".into(),
            image_uri: None,
        };
        let stack = PhotoSky::new("PhotoSky", &props);
        stack_core::Stack::synthesized(&stack).unwrap().assets[0].clone()
    };
    assert_eq!(
        asset.platform,
        Some(stack_core::asset::Platform::LinuxAmd64)
    );

    // No docker command at all: the asset and what is missing are named, nothing changes.
    let missing = sky(&[], &deploy);
    assert_eq!(missing.code, 1);
    assert!(
        missing.err.contains("docker image asset"),
        "{}",
        missing.err
    );
    assert!(missing
        .err
        .contains("`/nonexistent/docker` is not installed"));
    assert!(missing.err.contains("STACK_DOCKER"));

    // A docker command whose daemon does not answer.
    let no_engine = sky(&[("STACK_DOCKER", stopped.display().to_string())], &deploy);
    assert_eq!(no_engine.code, 1);
    assert!(
        no_engine.err.contains("is installed but no engine answers"),
        "{}",
        no_engine.err
    );

    // An engine, but no staging repository yet.
    let unbootstrapped = sky(&with_docker, &deploy);
    assert_eq!(unbootstrapped.code, 1);
    assert!(
        unbootstrapped
            .err
            .contains("the staging repository `stack-container-assets` does not exist"),
        "{}",
        unbootstrapped.err
    );
    assert!(unbootstrapped.err.contains("run `photosky bootstrap`"));
    let nothing_built = docker_calls(&log);
    assert!(
        nothing_built.iter().all(|c| command_of(c) == "version"),
        "{nothing_built:?}"
    );

    assert_eq!(sky(&[], &["bootstrap"]).code, 0);
    let doctor = sky(&with_docker, &["doctor"]);
    assert!(
        doctor
            .out
            .contains(&format!("docker       `{docker}`, engine 27.3.1 ok")),
        "{}",
        doctor.out
    );

    // A build that fails stops the deploy before the stack is touched, quoting the engine.
    let broken = sky(&[("STACK_DOCKER", broken.display().to_string())], &deploy);
    assert_eq!(broken.code, 1);
    assert!(broken.err.contains("build` failed"), "{}", broken.err);
    assert!(broken
        .err
        .contains("#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\""));
    assert!(!broken.err.contains("PhotoSky: created"));
    fs::remove_file(&log).unwrap();

    let first = sky(&with_docker, &deploy);
    assert_eq!(first.code, 0, "{}", first.err);
    let calls = docker_calls(&log);
    let commands: Vec<&str> = calls.iter().map(command_of).collect();
    assert_eq!(commands, ["version", "login", "build", "push"]);
    let image = format!(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/stack-container-assets:{}",
        asset.hash
    );
    let login = &calls[1];
    assert_eq!(
        login["args"],
        serde_json::json!([
            "login",
            "--username",
            "AWS",
            "--password-stdin",
            "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
        ])
    );
    assert!(!login["password"].as_str().unwrap().is_empty());
    assert_eq!(
        calls[2]["args"],
        serde_json::json!([
            "build",
            "--platform",
            "linux/amd64",
            "--tag",
            image,
            asset.source.display().to_string()
        ])
    );
    assert_eq!(calls[3]["args"], serde_json::json!(["push", image]));
    assert!(first.err.contains("PhotoSky: building image asset"));
    assert!(first.err.contains("for linux/amd64"));
    assert!(
        first.err.contains("PhotoSky | #8 naming to"),
        "the engine's output is shown as progress: {}",
        first.err
    );
    assert!(first.err.contains(&format!(
        "published image asset `{}` to {image}",
        asset.source.display()
    )));
    assert!(first.err.contains("[1/1] PhotoSky: created"));

    // The deployed function runs the pushed image: its template is the local one, whose
    // `ImageUri` ends in the asset's hash.
    let deployed = sky(&with_docker, &["diff"]);
    assert_eq!(deployed.code, 0, "{}", deployed.out);

    // The same content is not built again.
    fs::remove_file(&log).unwrap();
    let again = sky(&with_docker, &deploy);
    assert_eq!(again.code, 0, "{}", again.err);
    assert!(again.err.contains("image asset `"), "{}", again.err);
    assert!(again.err.contains("already published"));
    assert!(again.err.contains("[1/1] PhotoSky: no changes"));
    assert!(
        docker_calls(&log).is_empty(),
        "no docker command runs for a published image"
    );
}

/// A bucket and a queue with explicit names (moto updates those in place), a parameter,
/// and outputs.
fn simple(ctx: &Context) -> Result<App, BuildError> {
    let suffix = ctx.get_or("suffix", "a");
    Ok(App::new().stack(stack("Simple", |b| {
        b.add_parameter(
            "Stage",
            Parameter {
                kind: ParameterType::String,
                default: Some(Json::from("dev")),
                description: None,
                allowed_values: vec![Json::from("dev"), Json::from("prod")],
                no_echo: false,
            },
        );
        b.add(
            "Queue",
            ResourceDecl::new(
                "AWS::SQS::Queue",
                Expr::Map(vec![
                    ("QueueName".into(), Expr::Str(format!("simple-{suffix}"))),
                    ("VisibilityTimeout".into(), Expr::Int(30)),
                ]),
            ),
        );
        b.add(
            "Bucket",
            ResourceDecl::new(
                "AWS::S3::Bucket",
                Expr::Map(vec![(
                    "BucketName".into(),
                    Expr::Str(format!("simple-bucket-{suffix}")),
                )]),
            ),
        );
        b.add(
            "Param",
            ResourceDecl::new(
                "AWS::SSM::Parameter",
                Expr::Map(vec![
                    ("Name".into(), Expr::Str("/simple/stage".into())),
                    ("Type".into(), Expr::Str("String".into())),
                    ("Value".into(), Expr::Ref("Stage".into())),
                ]),
            ),
        );
        b.add_output(
            "QueueArn",
            Output {
                value: Expr::GetAtt("Queue".into(), "Arn".into()),
                description: None,
                export_name: None,
            },
        );
        b.add_output(
            "Stage",
            Output {
                value: Expr::Ref("Stage".into()),
                description: None,
                export_name: None,
            },
        );
    })))
}

#[test]
fn direct_method_reports_outputs_parameters_and_approval() {
    let moto = Moto::start();
    let dir = TempDir::new("direct");
    let env = moto.env(dir.path());
    let o = overrides();
    let go = |args: &[&str]| run(&env, &o, Shell::buffered(), args, simple);

    let unknown = go(&["deploy", "--parameters", "Stag=prod"]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.err.contains(
        "no stack being deployed has a parameter `Stag`; `Simple`: its parameters: `Stage`"
    ));
    let not_allowed = go(&["deploy", "--parameters", "Simple:Stage=test"]);
    assert_eq!(not_allowed.code, 1);
    assert!(not_allowed.err.contains("not one of its allowed values"));

    // Without a terminal, a change that needs approval fails and names the flag.
    let unapproved = go(&[
        "deploy",
        "--method",
        "direct",
        "--require-approval",
        "any-change",
    ]);
    assert_eq!(unapproved.code, 1);
    assert!(unapproved.err.contains("--require-approval never"));
    assert!(unapproved.err.contains("nothing was deployed"));

    // With someone to ask, a yes deploys. CreateStack computes outputs on moto.
    let created = run(
        &env,
        &o,
        Shell::buffered().with_answers(["y"]),
        &[
            "deploy",
            "--method",
            "direct",
            "--require-approval",
            "any-change",
            "--outputs-file",
            "outputs.json",
        ],
        simple,
    );
    assert_eq!(created.code, 0);
    assert!(created.err.contains("Deploy `Simple`? [y/N] y"));
    assert!(created.out.contains("Outputs:\nSimple.QueueArn = arn:aws:sqs:us-east-1:123456789012:simple-a\nSimple.Stage = dev\n"));
    let outputs: Json =
        serde_json::from_str(&fs::read_to_string(dir.path().join("outputs.json")).unwrap())
            .unwrap();
    assert_eq!(outputs["Simple"]["Stage"], "dev");

    // UpdateStack recomputes outputs on moto.
    let updated = go(&[
        "deploy",
        "--method",
        "direct",
        "--parameters",
        "Stage=prod",
        "--outputs-file",
        "outputs.json",
    ]);
    assert_eq!(updated.code, 0);
    assert!(updated.out.contains("Simple.Stage = prod"));
    assert!(updated.err.contains("[1/1] Simple: updated"));

    // The same values again: CloudFormation says there is nothing to update, a success.
    let unchanged = go(&["deploy", "--method", "direct", "--parameters", "Stage=prod"]);
    assert_eq!(unchanged.code, 0);
    assert!(unchanged.err.contains("[1/1] Simple: no changes"));

    // Renaming the bucket replaces it, and a bucket holds data: broadening, so without a
    // terminal the run fails and names the flag.
    let rename = ["deploy", "--method", "direct", "--context", "suffix=b"];
    let refused = go(&rename);
    assert_eq!(refused.code, 1);
    assert!(
        refused.err.contains(
            "replaces `Bucket` (AWS::S3::Bucket), which holds data; the old one is deleted"
        ),
        "{}",
        refused.err
    );
    assert!(refused.err.contains("`--require-approval never`"));
    let declined = run(
        &env,
        &o,
        Shell::buffered().with_answers(["n"]),
        &rename,
        simple,
    );
    assert_eq!(declined.code, 1);
    assert!(declined.err.contains("declined; nothing was changed"));

    let doctor = go(&["doctor"]);
    assert_eq!(doctor.code, 0);
    assert!(doctor
        .out
        .contains("region       us-east-1 (from `AWS_REGION`)"));
    assert!(doctor
        .out
        .contains(&format!("endpoint     {}", moto.endpoint())));
    assert!(doctor.out.contains("account      123456789012"));
    assert!(doctor.out.contains("not bootstrapped"));
    assert!(doctor.out.contains(
        "docker       `/nonexistent/docker` is not installed (set `STACK_DOCKER` to use another \
         docker-compatible command, such as podman or finch); needed only to build image assets"
    ));

    let destroyed = go(&["destroy", "--force"]);
    assert_eq!(destroyed.code, 0);
    let nothing = go(&["destroy", "--force"]);
    assert_eq!(nothing.code, 0);
    assert!(nothing
        .err
        .contains("Simple: not deployed; nothing to destroy"));
}

/// Over 51,200 bytes of template (SSM parameters with long values), and a function whose
/// code is a file asset.
fn large(ctx: &Context) -> Result<App, BuildError> {
    let code_dir = ctx.get("code_dir")?;
    Ok(App::new().stack(stack("Large", |b| {
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
        for i in 0..15 {
            b.add(
                format!("Filler{i}"),
                ResourceDecl::new(
                    "AWS::SSM::Parameter",
                    Expr::Map(vec![
                        ("Name".into(), Expr::Str(format!("/large/filler-{i}"))),
                        ("Type".into(), Expr::Str("String".into())),
                        ("Value".into(), Expr::Str("x".repeat(4000))),
                    ]),
                ),
            );
        }
    })))
}

#[test]
fn large_template_and_file_assets_go_through_the_staging_bucket() {
    let moto = Moto::start();
    let dir = TempDir::new("large");
    let code = dir.path().join("code");
    fs::create_dir_all(&code).unwrap();
    fs::write(
        code.join("index.py"),
        "def handler(event, context):\n    return 1\n",
    )
    .unwrap();
    let env = moto.env(dir.path());
    let o = overrides();
    let code_arg = format!("code_dir={}", code.display());
    let go = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--context", code_arg.as_str()]);
        if args[0] == "deploy" {
            all.extend(["--require-approval", "never"]);
        }
        run(&env, &o, Shell::buffered(), &all, large)
    };

    let unbootstrapped = go(&["deploy"]);
    assert_eq!(unbootstrapped.code, 1);
    assert!(
        unbootstrapped.err.contains(
            "the staging bucket `stack-assets-123456789012-us-east-1` does not exist; run `testapp bootstrap`"
        ),
        "{}",
        unbootstrapped.err
    );

    let bootstrap = go(&["bootstrap"]);
    assert_eq!(bootstrap.code, 0);
    assert!(bootstrap
        .err
        .contains("staging bucket `stack-assets-123456789012-us-east-1`"));

    let deployed = go(&["deploy", "--method", "direct"]);
    assert_eq!(deployed.code, 0);
    assert!(deployed.err.contains("Large: published asset"));
    assert!(deployed.err.contains(
        "Large: template is 62.1 KiB, uploaded to s3://stack-assets-123456789012-us-east-1/templates/Large-"
    ), "{}", deployed.err);
    assert!(deployed.err.contains("[1/1] Large: created"));

    // The asset is uploaded once per content hash.
    let again = go(&["deploy", "--method", "direct"]);
    assert_eq!(again.code, 0);
    assert!(again.err.contains("already published"));

    let diff = go(&["diff"]);
    assert_eq!(diff.code, 0, "the deployed template is the uploaded one");

    let doctor = go(&["doctor"]);
    assert!(doctor.out.contains("stack `StackStaging` CREATE_COMPLETE"));
    let destroyed = go(&["destroy", "--force"]);
    assert_eq!(destroyed.code, 0);
}

#[test]
fn drift_detection_is_not_implemented_by_moto_and_says_so() {
    // moto 5.2.5 implements none of DetectStackDrift, DescribeStackDriftDetectionStatus,
    // DescribeStackResourceDrifts, ContinueUpdateRollback or RollbackStack: it answers them
    // with HTTP 500 and an HTML page. `drift` must fail (exit 1), never report "in sync".
    // The drift and rollback paths are tested with scripted responses in `drift_rollback.rs`.
    let moto = Moto::start();
    let dir = TempDir::new("drift");
    let env = moto.env(dir.path());
    let o = overrides().initial_backoff(std::time::Duration::from_millis(1));
    let go = |args: &[&str]| run(&env, &o, Shell::buffered(), args, simple);

    let not_deployed = go(&["drift"]);
    assert_eq!(not_deployed.code, 1);
    assert!(not_deployed.err.contains(
        "error: `Simple` is not deployed, so there is nothing to check; deploy it with `testapp \
         deploy Simple`"
    ));

    let deployed = go(&[
        "deploy",
        "--method",
        "direct",
        "--require-approval",
        "never",
    ]);
    assert_eq!(deployed.code, 0, "{}", deployed.err);
    let drift = go(&["drift", "--json"]);
    assert_eq!(drift.code, 1, "{}", drift.err);
    assert!(
        drift.err.contains(
            "error: cannot start drift detection on `Simple` (CREATE_COMPLETE): the service \
             answered with HTTP 500 and no error code; the endpoint in `AWS_ENDPOINT_URL` may not \
             implement DetectStackDrift (moto does not)"
        ),
        "{}",
        drift.err
    );
    let parsed: Json = serde_json::from_str(&drift.out).unwrap();
    assert_eq!(parsed["drifted"], false);
    assert_eq!(parsed["stacks"][0]["deployed"], true);
    assert!(parsed["stacks"][0]["error"]
        .as_str()
        .unwrap()
        .starts_with("cannot start drift detection on `Simple`"));
}
