//! A stack busy with an operation someone else started: the wait shows how long it has
//! waited and the stack's last event, and `--timeout` ends it with what to do.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::time::{Duration, Instant};

use aws_smithy_http_client::test_util::infallible_client_fn;
use common::{run, stack, Outcome};
use stack_app::{BuildError, Context, Env, Shell};
use stack_core::template::ResourceDecl;
use stack_core::{App, Expr};
use stack_deploy::AwsOverrides;

fn app(_: &Context) -> Result<App, BuildError> {
    Ok(App::new().stack(stack("Api", |b| {
        b.add(
            "Queue",
            ResourceDecl::new("AWS::SQS::Queue", Expr::Map(Vec::new())),
        );
    })))
}

const STACK_ID: &str =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/Api/5b9d1f60-8a2e-11f1-9d3c-0a1b2c3d4e5f";

/// An endpoint on which `Api` is in UPDATE_IN_PROGRESS for ever.
fn deploy(args: &[&str]) -> Outcome {
    let client = infallible_client_fn(|request| {
        let body = String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).into_owned();
        let answer = if body.contains("Action=DescribeStackEvents") {
            format!(
                "<DescribeStackEventsResponse><DescribeStackEventsResult><StackEvents><member>\
                 <StackId>{STACK_ID}</StackId><EventId>e1</EventId><StackName>Api</StackName>\
                 <LogicalResourceId>Api</LogicalResourceId><PhysicalResourceId>{STACK_ID}</PhysicalResourceId>\
                 <ResourceType>AWS::CloudFormation::Stack</ResourceType>\
                 <Timestamp>2026-11-22T10:04:00.000Z</Timestamp>\
                 <ResourceStatus>UPDATE_IN_PROGRESS</ResourceStatus>\
                 <ResourceStatusReason>User Initiated</ResourceStatusReason>\
                 </member></StackEvents></DescribeStackEventsResult></DescribeStackEventsResponse>"
            )
        } else {
            assert!(
                body.contains("Action=DescribeStacks"),
                "unexpected call {body}"
            );
            format!(
                "<DescribeStacksResponse><DescribeStacksResult><Stacks><member>\
                 <StackId>{STACK_ID}</StackId><StackName>Api</StackName>\
                 <CreationTime>2026-11-22T10:00:00.123Z</CreationTime>\
                 <StackStatus>UPDATE_IN_PROGRESS</StackStatus></member></Stacks>\
                 </DescribeStacksResult></DescribeStacksResponse>"
            )
        };
        http::Response::builder()
            .status(200)
            .header("content-type", "text/xml")
            .body(answer)
            .unwrap()
    });
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
    ]);
    let overrides = AwsOverrides::new()
        .http_client(client)
        .poll_interval(Duration::from_millis(1));
    let mut all = vec![
        "deploy",
        "--require-approval",
        "never",
        "--progress",
        "events",
    ];
    all.extend_from_slice(args);
    run(&env, &overrides, Shell::buffered(), &all, app)
}

#[test]
fn waiting_for_a_running_operation_shows_time_and_last_event_and_ends_at_the_timeout() {
    let started = Instant::now();
    let outcome = deploy(&["--timeout", "1s"]);
    let took = started.elapsed();
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(10),
        "{took:?}"
    );
    let last =
        "last event: 10:04:00 UPDATE_IN_PROGRESS AWS::CloudFormation::Stack Api (User Initiated)";
    assert!(
        outcome.err.contains(&format!(
            "[1/1] Api: waiting for the operation already running on `Api` \
             (UPDATE_IN_PROGRESS), at most 1s; {last}\n"
        )),
        "{}",
        outcome.err
    );
    assert!(
        outcome.err.lines().any(|line| {
            line.starts_with("[1/1] Api: still UPDATE_IN_PROGRESS after ")
                && line.ends_with(&format!("s; {last}"))
        }),
        "{}",
        outcome.err
    );
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        error.starts_with(
            "`Api` is still UPDATE_IN_PROGRESS after waiting 1s for the operation already \
             running on it, so nothing was deployed; see what it is doing with `aws \
             cloudformation describe-stack-events --stack-name Api`; to stop the update, run \
             `aws cloudformation cancel-update-stack --stack-name Api`, which rolls it back; \
             then run `testapp deploy Api` again"
        ),
        "{error}"
    );
}

#[test]
fn timeout_takes_a_duration() {
    let outcome = deploy(&["--timeout", "soon"]);
    assert_eq!(outcome.code, 1);
    assert!(
        outcome
            .err
            .contains("`soon` is not a duration; write it as 90s, 30m or 1h"),
        "{}",
        outcome.err
    );
}
