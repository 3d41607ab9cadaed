//! Scripted CloudFormation responses, replayed through aws-smithy's `StaticReplayClient`.
//! A scenario is a directory under `tests/fixtures/` holding one awsQuery XML response per
//! call, named `NN-Action[.STATUS].xml`, in the order the calls must be made.

use std::fs;
use std::path::Path;
use std::time::Duration;

use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::body::SdkBody;
use stack_app::{BuildError, Context, Env, Shell};
use stack_core::template::{Output, ResourceDecl};
use stack_core::{App, Expr};
use stack_deploy::AwsOverrides;

use super::{run, stack, Outcome};

/// The stack every scenario deploys: a bucket with versioning and a queue.
pub(crate) fn api(_: &Context) -> Result<App, BuildError> {
    Ok(App::new().stack(stack("Api", |b| {
        b.add(
            "Bucket",
            ResourceDecl::new(
                "AWS::S3::Bucket",
                Expr::Map(vec![
                    ("BucketName".into(), Expr::Str("api-bucket".into())),
                    (
                        "VersioningConfiguration".into(),
                        Expr::Map(vec![("Status".into(), Expr::Str("Enabled".into()))]),
                    ),
                ]),
            ),
        );
        b.add(
            "Queue",
            ResourceDecl::new(
                "AWS::SQS::Queue",
                Expr::Map(vec![("QueueName".into(), Expr::Str("api-queue".into()))]),
            ),
        );
        b.add_output(
            "QueueUrl",
            Output {
                value: Expr::Ref("Queue".into()),
                description: None,
                export_name: None,
            },
        );
    })))
}

/// [`api`] after `Bucket` was renamed `Photos` with `#[renamed_from(bucket)]`.
pub(crate) fn renamed_api(_: &Context) -> Result<App, BuildError> {
    Ok(App::new().stack(stack("Api", |b| {
        let first = b.resource_count();
        b.add(
            "Photos",
            ResourceDecl::new(
                "AWS::S3::Bucket",
                Expr::Map(vec![
                    ("BucketName".into(), Expr::Str("api-bucket".into())),
                    (
                        "VersioningConfiguration".into(),
                        Expr::Map(vec![("Status".into(), Expr::Str("Enabled".into()))]),
                    ),
                ]),
            ),
        );
        b.renamed_from(first, "Bucket", "Photos");
        b.add(
            "Queue",
            ResourceDecl::new(
                "AWS::SQS::Queue",
                Expr::Map(vec![("QueueName".into(), Expr::Str("api-queue".into()))]),
            ),
        );
        b.add_output(
            "QueueUrl",
            Output {
                value: Expr::Ref("Queue".into()),
                description: None,
                export_name: None,
            },
        );
    })))
}

/// The scripted calls of one scenario: `(action, events)`.
pub(crate) fn script(name: &str) -> (Vec<String>, StaticReplayClient) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut actions = Vec::new();
    let mut events = Vec::new();
    for file in files {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        // `01-DescribeStacks` or `01-DescribeStacks.400`.
        let (call, status) = match stem.split_once('.') {
            Some((call, status)) => (call.to_owned(), status.parse::<u16>().unwrap()),
            None => (stem.clone(), 200),
        };
        let action = call.split_once('-').unwrap().1.to_owned();
        let body = fs::read_to_string(&file).unwrap();
        let request = http::Request::builder()
            .uri("https://cloudformation.us-east-1.amazonaws.com/")
            .body(SdkBody::from(format!("Action={action}")))
            .unwrap();
        let response = http::Response::builder()
            .status(status)
            .header("content-type", "text/xml")
            .header("x-amzn-requestid", "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b")
            .body(SdkBody::from(body))
            .unwrap();
        actions.push(action);
        events.push(ReplayEvent::new(request, response));
    }
    (actions, StaticReplayClient::new(events))
}

/// Runs `args` against the scripted responses of `scenario`, then checks that exactly
/// the scripted calls were made, in order.
pub(crate) fn replay(scenario: &str, args: &[&str]) -> Outcome {
    replay_with_requests(scenario, args).0
}

/// [`replay`], also returning the body of each request made.
pub(crate) fn replay_with_requests(scenario: &str, args: &[&str]) -> (Outcome, Vec<String>) {
    replay_app(scenario, args, api)
}

/// [`replay_with_requests`] of another app than [`api`].
pub(crate) fn replay_app(
    scenario: &str,
    args: &[&str],
    app: fn(&Context) -> Result<App, BuildError>,
) -> (Outcome, Vec<String>) {
    let (expected, client) = script(scenario);
    let overrides = AwsOverrides::new()
        .http_client(SharedHttpClient::new(client.clone()))
        .poll_interval(Duration::from_millis(1))
        .initial_backoff(Duration::from_millis(1));
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ),
        ("AWS_REGION", "us-east-1"),
    ]);
    let outcome = run(&env, &overrides, Shell::buffered(), args, app);
    let bodies: Vec<String> = client
        .actual_requests()
        .map(|request| {
            String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).into_owned()
        })
        .collect();
    let made: Vec<&str> = bodies
        .iter()
        .map(|body| {
            body.split('&')
                .find_map(|pair| pair.strip_prefix("Action="))
                .unwrap_or("?")
        })
        .collect();
    assert_eq!(made, expected, "calls made vs. scripted");
    (outcome, bodies)
}
