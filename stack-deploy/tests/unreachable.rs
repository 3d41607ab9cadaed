//! An endpoint that refuses connections or never answers: every retry is announced with
//! its attempt number and the time so far, the whole call is bounded, and the error says
//! what was tried and for how long.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

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

fn deploy(port: u16, overrides: &AwsOverrides) -> (Outcome, Duration) {
    let env = Env::from_vars([
        ("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}")),
        ("AWS_ACCESS_KEY_ID", "testing".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
    ]);
    let started = Instant::now();
    let outcome = run(
        &env,
        overrides,
        Shell::buffered(),
        &["deploy", "--require-approval", "never"],
        app,
    );
    (outcome, started.elapsed())
}

#[test]
fn a_refused_connection_is_retried_visibly_and_reported_with_the_tries() {
    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let overrides = AwsOverrides::new().initial_backoff(Duration::from_millis(1));
    let (outcome, _) = deploy(port, &overrides);
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    let endpoint = format!("http://127.0.0.1:{port}");
    for attempt in 2..=8 {
        let announced = format!("; retrying, attempt {attempt} of 8, ");
        assert!(
            outcome.err.contains(&announced),
            "{announced}: {}",
            outcome.err
        );
    }
    assert!(
        outcome.err.contains(&format!(
            "note: CloudFormation DescribeStacks at {endpoint} failed (Connection refused"
        )),
        "{}",
        outcome.err
    );
    assert!(outcome.err.contains(" so far\n"), "{}", outcome.err);
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        error.starts_with(&format!(
            "cannot read stack `Api`: cannot reach {endpoint} for CloudFormation DescribeStacks \
             (Connection refused"
        )),
        "{error}"
    );
    assert!(error.contains("): 8 tries in "), "{error}");
    assert!(
        error.contains("(at most 8 tries of 20.0 s each, and at most 90.0 s for the call)"),
        "{error}"
    );
}

#[test]
fn an_endpoint_that_never_answers_fails_within_the_call_limit() {
    // Accepts connections and reads nothing, answers nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let overrides = AwsOverrides::new()
        .initial_backoff(Duration::from_millis(1))
        .attempt_timeout(Duration::from_millis(300))
        .call_timeout(Duration::from_millis(1500));
    let (outcome, took) = deploy(port, &overrides);
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(
        outcome
            .err
            .contains("failed (no answer within 0.3 s); retrying, attempt 2 of 8, "),
        "{}",
        outcome.err
    );
    let error = outcome.err.split("error: ").nth(1).unwrap();
    assert!(
        error.starts_with(&format!(
            "cannot read stack `Api`: no answer from http://127.0.0.1:{port} to CloudFormation \
             DescribeStacks ("
        )),
        "{error}"
    );
    assert!(
        error.contains("(the last try was stopped at the call's limit of 1.5 s): ")
            && error.contains(" s (at most 8 tries of 0.3 s each, and at most 1.5 s for the call)"),
        "{error}"
    );
}
