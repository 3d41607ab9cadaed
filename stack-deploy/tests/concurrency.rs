//! `deploy --concurrency N`: independent stacks deploy at the same time, a stack never
//! starts before the stacks it imports from are deployed, lines from parallel stacks stay
//! whole, and a failure stops further stacks while those running finish. CloudFormation
//! is a scripted endpoint that answers by action and stack after a delay, and records
//! when each call was in flight.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use common::{run, stack, Outcome, TestStack};
use stack_app::{BuildError, Context, Env, Shell};
use stack_core::template::ResourceDecl;
use stack_core::{App, Expr};
use stack_deploy::AwsOverrides;

/// How long the endpoint takes to answer each call.
const LATENCY: Duration = Duration::from_millis(60);

fn queue(name: &str, tags: Vec<Expr>) -> TestStack {
    stack(name, |b| {
        b.add(
            "Queue",
            ResourceDecl::new(
                "AWS::SQS::Queue",
                Expr::Map(vec![("Tags".into(), Expr::List(tags))]),
            ),
        );
    })
}

/// `Alpha` and `Beta` stand alone; `Gamma` imports from `Alpha`.
fn app(_: &Context) -> Result<App, BuildError> {
    let mut app = App::new();
    app.add(queue("Alpha", vec![]));
    app.add(queue("Beta", vec![]));
    app.add(queue(
        "Gamma",
        vec![Expr::Map(vec![
            ("Key".into(), Expr::Str("alpha".into())),
            (
                "Value".into(),
                Expr::GetAtt("Alpha/Queue".into(), "Arn".into()),
            ),
        ])],
    ));
    Ok(app)
}

/// One call the endpoint answered.
#[derive(Clone, Debug)]
struct Call {
    action: String,
    stack: String,
    started: Instant,
    ended: Instant,
}

/// A CloudFormation endpoint on which every stack of [`app`] is deployed and unchanged,
/// except that `changed` has a different template deployed.
#[derive(Clone, Debug)]
struct Endpoint {
    templates: Arc<Vec<(String, String)>>,
    changed: Option<&'static str>,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl Endpoint {
    fn new(changed: Option<&'static str>) -> Self {
        let app = app(&Context::from_pairs(Vec::<(String, String)>::new())).unwrap();
        let templates = app
            .stacks()
            .map(|s| {
                let template = s.synthesized().unwrap().template.to_json_string();
                (s.stack_name().to_owned(), template)
            })
            .collect();
        Self {
            templates: Arc::new(templates),
            changed,
            calls: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// The HTTP status and body of the answer.
    fn answer(&self, action: &str, stack: &str) -> (u16, String) {
        match action {
            "DescribeStacks" => (200, describe_stacks(stack)),
            "GetTemplate" if Some(stack) == self.changed => {
                (200, get_template("{\"Resources\": {}}"))
            }
            "GetTemplate" => {
                let template = &self.templates.iter().find(|(n, _)| n == stack).unwrap().1;
                (200, get_template(template))
            }
            // An approved update of the changed stack: CloudFormation finds nothing to do
            // (its deployed template differs only in what it ignores).
            "DescribeStackEvents" if Some(stack) == self.changed => (200, NO_EVENTS.to_owned()),
            "UpdateStack" if Some(stack) == self.changed => (400, NO_UPDATES.to_owned()),
            other => panic!("unexpected call {other} for {stack}"),
        }
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }
}

impl HttpConnector for Endpoint {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).into_owned();
        let param = |key: &str| {
            body.split('&')
                .find_map(|pair| pair.strip_prefix(key))
                .unwrap_or("?")
                .to_owned()
        };
        // `StackName` is the name, or the stack's ARN once it is known.
        let stack = param("StackName=").replace("%3A", ":").replace("%2F", "/");
        let stack = stack
            .split_once(":stack/")
            .and_then(|(_, rest)| rest.split('/').next())
            .map_or(stack.clone(), str::to_owned);
        let action = param("Action=");
        let (status, answer) = self.answer(&action, &stack);
        let calls = Arc::clone(&self.calls);
        HttpConnectorFuture::new(async move {
            let started = Instant::now();
            tokio::time::sleep(LATENCY).await;
            calls.lock().unwrap().push(Call {
                action,
                stack,
                started,
                ended: Instant::now(),
            });
            let response = http::Response::builder()
                .status(status)
                .header("content-type", "text/xml")
                .body(SdkBody::from(answer))
                .unwrap();
            Ok(HttpResponse::try_from(response).unwrap())
        })
    }
}

impl HttpClient for Endpoint {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

const NO_EVENTS: &str = r#"<DescribeStackEventsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStackEventsResult>
    <StackEvents/>
  </DescribeStackEventsResult>
  <ResponseMetadata>
    <RequestId>4e6a8c02-1f2e-4d3c-9b8a-7f6e5d4c3b2a</RequestId>
  </ResponseMetadata>
</DescribeStackEventsResponse>"#;

const NO_UPDATES: &str = r#"<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <Error>
    <Type>Sender</Type>
    <Code>ValidationError</Code>
    <Message>No updates are to be performed.</Message>
  </Error>
  <RequestId>5f7b9d13-1f2e-4d3c-9b8a-7f6e5d4c3b2a</RequestId>
</ErrorResponse>"#;

/// A deployed, settled stack; `Alpha` has the output that exports what `Gamma` imports.
fn describe_stacks(name: &str) -> String {
    let outputs = if name == "Alpha" {
        "<Outputs><member><OutputKey>ExportQueueArn</OutputKey>\
         <OutputValue>arn:aws:sqs:us-east-1:123456789012:Alpha-Queue-1</OutputValue>\
         <ExportName>Alpha-Queue-Arn</ExportName></member></Outputs>"
    } else {
        ""
    };
    format!(
        r#"<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/0b6c2d5e-8a2e-11f1-9d3c-0a1b2c3d4e5f</StackId>
        <StackName>{name}</StackName>
        <CreationTime>2026-11-22T10:00:00.123Z</CreationTime>
        <StackStatus>CREATE_COMPLETE</StackStatus>
        <DisableRollback>false</DisableRollback>
        <NotificationARNs/>
        {outputs}
        <Tags/>
      </member>
    </Stacks>
  </DescribeStacksResult>
  <ResponseMetadata>
    <RequestId>2c4e6a80-1f2e-4d3c-9b8a-7f6e5d4c3b2a</RequestId>
  </ResponseMetadata>
</DescribeStacksResponse>"#
    )
}

fn get_template(body: &str) -> String {
    let escaped = body
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r#"<GetTemplateResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <GetTemplateResult>
    <TemplateBody>{escaped}</TemplateBody>
  </GetTemplateResult>
  <ResponseMetadata>
    <RequestId>3d5f7b91-1f2e-4d3c-9b8a-7f6e5d4c3b2a</RequestId>
  </ResponseMetadata>
</GetTemplateResponse>"#
    )
}

/// Runs `args` against `endpoint`.
fn deploy(endpoint: &Endpoint, args: &[&str]) -> Outcome {
    deploy_with(endpoint, Shell::buffered(), args)
}

/// [`deploy`] with the given shell, e.g. one that answers questions.
fn deploy_with(endpoint: &Endpoint, shell: Shell, args: &[&str]) -> Outcome {
    let overrides = AwsOverrides::new()
        .http_client(SharedHttpClient::new(endpoint.clone()))
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
    let mut all = vec!["deploy", "--all", "--method", "direct"];
    all.extend(args);
    run(&env, &overrides, shell, &all, app)
}

/// The most calls in flight at one moment.
fn most_at_once(calls: &[Call]) -> usize {
    calls
        .iter()
        .map(|c| {
            calls
                .iter()
                .filter(|o| o.started <= c.started && c.started < o.ended)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// When `stack`'s first call started and its last call ended.
fn span(calls: &[Call], stack: &str) -> (Instant, Instant) {
    let own: Vec<&Call> = calls.iter().filter(|c| c.stack == stack).collect();
    assert!(!own.is_empty(), "no calls for {stack}: {calls:?}");
    (
        own.iter().map(|c| c.started).min().unwrap(),
        own.iter().map(|c| c.ended).max().unwrap(),
    )
}

#[test]
fn one_at_a_time_by_default() {
    let endpoint = Endpoint::new(None);
    let outcome = deploy(&endpoint, &[]);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    let calls = endpoint.calls();
    assert_eq!(most_at_once(&calls), 1, "{calls:?}");
    let made: Vec<(&str, &str)> = calls
        .iter()
        .map(|c| (c.stack.as_str(), c.action.as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = ["Alpha", "Beta", "Gamma"]
        .iter()
        .flat_map(|s| ["DescribeStacks", "GetTemplate", "DescribeStacks"].map(|a| (*s, a)))
        .collect();
    assert_eq!(made, expected);
}

#[test]
fn independent_stacks_deploy_at_once_and_dependants_wait() {
    let endpoint = Endpoint::new(None);
    let outcome = deploy(&endpoint, &["--concurrency", "2", "--progress", "events"]);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    let calls = endpoint.calls();
    assert_eq!(most_at_once(&calls), 2, "{calls:?}");
    let (alpha_start, alpha_end) = span(&calls, "Alpha");
    let (beta_start, beta_end) = span(&calls, "Beta");
    let (gamma_start, _) = span(&calls, "Gamma");
    assert!(
        alpha_start < beta_end && beta_start < alpha_end,
        "{calls:?}"
    );
    assert!(
        gamma_start >= alpha_end,
        "Gamma started before Alpha was done: {calls:?}"
    );
    assert!(outcome
        .err
        .contains("3 of 3 stacks deployed: 0 created, 0 updated, 3 unchanged"));
    assert!(outcome.out.contains(
        "Outputs:\nAlpha.ExportQueueArn = arn:aws:sqs:us-east-1:123456789012:Alpha-Queue-1\n"
    ));

    // Every line is whole and names its stack.
    for line in outcome.err.lines() {
        let whole = ["[1/3] Alpha: ", "[2/3] Beta: ", "[3/3] Gamma: "]
            .iter()
            .any(|prefix| line.starts_with(prefix))
            || line.starts_with("3 of 3 stacks deployed");
        assert!(whole, "line {line:?} in\n{}", outcome.err);
    }
}

#[test]
fn a_dependant_waits_even_with_room_to_start() {
    let endpoint = Endpoint::new(None);
    let outcome = deploy(&endpoint, &["--concurrency", "3"]);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    let calls = endpoint.calls();
    let (_, alpha_end) = span(&calls, "Alpha");
    let (gamma_start, _) = span(&calls, "Gamma");
    assert!(
        gamma_start >= alpha_end,
        "Gamma started before Alpha was done: {calls:?}"
    );
}

#[test]
fn a_failure_stops_new_stacks_and_lets_running_ones_finish() {
    // `Beta` has changes, which need approval; the question is asked while `Alpha` runs,
    // and declined.
    let endpoint = Endpoint::new(Some("Beta"));
    let outcome = deploy_with(
        &endpoint,
        Shell::buffered().with_answers(["n"]),
        &["--concurrency", "2", "--require-approval", "any-change"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(
        outcome
            .err
            .contains("deploying `Beta` needs approval (`--require-approval any-change`):"),
        "{}",
        outcome.err
    );
    assert!(outcome.err.contains("Deploy `Beta`? [y/N] n\n"));
    assert!(outcome
        .err
        .contains("deployment of `Beta` declined; nothing was changed"));
    // `Alpha` ran alongside and finished; `Gamma` waited for it, and then did not start.
    assert!(outcome.err.contains("[1/3] Alpha: no changes"));
    assert!(outcome
        .err
        .contains("note: not deployed because of the failure: `Gamma`"));
    assert!(outcome
        .err
        .contains("1 of 3 stacks deployed: 0 created, 0 updated, 1 unchanged"));
    assert!(endpoint.calls().iter().all(|c| c.stack != "Gamma"));
}

#[test]
fn a_parallel_change_needing_approval_is_asked_and_goes_ahead_when_approved() {
    let endpoint = Endpoint::new(Some("Beta"));
    let outcome = deploy_with(
        &endpoint,
        Shell::buffered().with_answers(["y"]),
        &["--concurrency", "2", "--require-approval", "any-change"],
    );
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert!(
        outcome.err.contains("Deploy `Beta`? [y/N] y\n"),
        "{}",
        outcome.err
    );
    assert!(endpoint
        .calls()
        .iter()
        .any(|c| c.stack == "Beta" && c.action == "UpdateStack"));
    assert!(
        outcome.err.contains("3 of 3 stacks deployed"),
        "{}",
        outcome.err
    );
}

#[test]
fn without_a_terminal_a_parallel_change_needing_approval_fails_naming_the_flag() {
    let endpoint = Endpoint::new(Some("Beta"));
    let outcome = deploy(
        &endpoint,
        &["--concurrency", "2", "--require-approval", "any-change"],
    );
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert!(
        outcome.err.contains(
            "no terminal to ask on, so nothing was deployed; review the changes with \
             `testapp diff Beta`, then deploy with `--require-approval never`"
        ),
        "{}",
        outcome.err
    );
    assert!(outcome.err.contains("[1/3] Alpha: no changes"));
}

#[test]
fn concurrency_zero_is_an_error() {
    let endpoint = Endpoint::new(None);
    let outcome = deploy(&endpoint, &["--concurrency", "0"]);
    assert_eq!(outcome.code, 1);
    assert!(outcome
        .err
        .contains("error: `--concurrency` must be at least 1"));
    assert!(endpoint.calls().is_empty());
}
