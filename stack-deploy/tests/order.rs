//! Which stacks `deploy` and `ls` take, and in which order, for an app whose stacks import
//! from each other: dependencies first, added to a named stack unless `--exclusively`.
//! Deploys run against scripted CloudFormation responses (every stack already deployed
//! and unchanged), so the calls made show exactly which stacks were deployed, in order.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::time::Duration;

use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::body::SdkBody;
use common::{run, stack, Outcome, TestStack};
use stack_app::{BuildError, Context, Env, Shell};
use stack_core::template::ResourceDecl;
use stack_core::{App, Expr};
use stack_deploy::AwsOverrides;

fn queue(name: &str) -> TestStack {
    stack(name, |b| {
        b.add(
            "Queue",
            ResourceDecl::new("AWS::SQS::Queue", Expr::Map(vec![])),
        );
    })
}

/// `Workers` imports from `Network` and `Storage`; `Audit` stands alone. They are added
/// in an order that interleaves the independent stack with the dependencies.
fn app(_: &Context) -> Result<App, BuildError> {
    let mut app = App::new();
    app.add(queue("Network"));
    app.add(queue("Audit"));
    app.add(queue("Storage"));
    app.add(stack("Workers", |b| {
        b.add(
            "Jobs",
            ResourceDecl::new(
                "AWS::SQS::Queue",
                Expr::Map(vec![(
                    "Tags".into(),
                    Expr::List(vec![
                        tag(
                            "network",
                            Expr::GetAtt("Network/Queue".into(), "Arn".into()),
                        ),
                        tag("storage", Expr::Ref("Storage/Queue".into())),
                    ]),
                )]),
            ),
        );
    }));
    Ok(app)
}

fn tag(key: &str, value: Expr) -> Expr {
    Expr::Map(vec![
        ("Key".into(), Expr::Str(key.into())),
        ("Value".into(), value),
    ])
}

/// The app's templates as the app synthesizes them, by stack name.
fn templates() -> Vec<(String, String)> {
    let app = app(&Context::from_pairs(Vec::<(String, String)>::new())).unwrap();
    app.stacks()
        .map(|s| {
            let template = s.synthesized().unwrap().template.to_json_string();
            (s.stack_name().to_owned(), template)
        })
        .collect()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn stack_id(name: &str) -> String {
    format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/5b9d1f60-8a2e-11f1-9d3c-0a1b2c3d4e5f")
}

/// DescribeStacks for a deployed, settled stack.
fn describe_stacks(name: &str) -> String {
    format!(
        r#"<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackId>{id}</StackId>
        <StackName>{name}</StackName>
        <CreationTime>2026-11-22T10:00:00.123Z</CreationTime>
        <RollbackConfiguration/>
        <StackStatus>CREATE_COMPLETE</StackStatus>
        <DisableRollback>false</DisableRollback>
        <NotificationARNs/>
        <Capabilities>
          <member>CAPABILITY_IAM</member>
        </Capabilities>
        <Tags/>
        <EnableTerminationProtection>false</EnableTerminationProtection>
        <DriftInformation>
          <StackDriftStatus>NOT_CHECKED</StackDriftStatus>
        </DriftInformation>
      </member>
    </Stacks>
  </DescribeStacksResult>
  <ResponseMetadata>
    <RequestId>00000001-1f2e-4d3c-9b8a-7f6e5d4c3b2a</RequestId>
  </ResponseMetadata>
</DescribeStacksResponse>"#,
        id = stack_id(name)
    )
}

/// GetTemplate answering with the template the app synthesizes: nothing to change.
fn get_template(body: &str) -> String {
    format!(
        r#"<GetTemplateResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <GetTemplateResult>
    <TemplateBody>{}</TemplateBody>
    <StagesAvailable>
      <member>Original</member>
      <member>Processed</member>
    </StagesAvailable>
  </GetTemplateResult>
  <ResponseMetadata>
    <RequestId>00000002-1f2e-4d3c-9b8a-7f6e5d4c3b2a</RequestId>
  </ResponseMetadata>
</GetTemplateResponse>"#,
        xml_escape(body)
    )
}

/// The calls an unchanged stack's deploy makes: read it, compare templates, read outputs.
fn unchanged(name: &str, template: &str) -> Vec<(&'static str, String)> {
    vec![
        ("DescribeStacks", describe_stacks(name)),
        ("GetTemplate", get_template(template)),
        ("DescribeStacks", describe_stacks(name)),
    ]
}

/// Runs `args` against scripted responses for `stacks` (each deployed and unchanged, in
/// this order); returns the run and the `(action, stack)` of every call made.
fn deploy(stacks: &[&str], args: &[&str]) -> (Outcome, Vec<(String, String)>) {
    let templates = templates();
    let events: Vec<ReplayEvent> = stacks
        .iter()
        .flat_map(|name| {
            let template = &templates.iter().find(|(n, _)| n == name).unwrap().1;
            unchanged(name, template)
        })
        .map(|(action, body)| {
            let request = http::Request::builder()
                .uri("https://cloudformation.us-east-1.amazonaws.com/")
                .body(SdkBody::from(format!("Action={action}")))
                .unwrap();
            let response = http::Response::builder()
                .status(200)
                .header("content-type", "text/xml")
                .header("x-amzn-requestid", "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b")
                .body(SdkBody::from(body))
                .unwrap();
            ReplayEvent::new(request, response)
        })
        .collect();
    let client = StaticReplayClient::new(events);
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
    let calls = client
        .actual_requests()
        .map(|request| {
            let body = String::from_utf8_lossy(request.body().bytes().unwrap_or_default());
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
            (param("Action="), stack)
        })
        .collect();
    (outcome, calls)
}

fn expected_calls(stacks: &[&str]) -> Vec<(String, String)> {
    stacks
        .iter()
        .flat_map(|name| {
            ["DescribeStacks", "GetTemplate", "DescribeStacks"]
                .map(|action| (action.to_owned(), (*name).to_owned()))
        })
        .collect()
}

const DIRECT: [&str; 4] = ["--method", "direct", "--require-approval", "any-change"];

#[test]
fn the_app_records_what_each_stack_imports() {
    let app = app(&Context::from_pairs(Vec::<(String, String)>::new())).unwrap();
    let dependencies: Vec<(&str, Vec<String>)> = app
        .stacks()
        .map(|s| (s.stack_name(), s.dependencies().to_vec()))
        .collect();
    assert_eq!(
        dependencies,
        [
            ("Network", vec![]),
            ("Audit", vec![]),
            ("Storage", vec![]),
            ("Workers", vec!["Network".to_owned(), "Storage".to_owned()]),
        ]
    );
}

#[test]
fn ls_lists_dependencies_before_the_stacks_that_use_them() {
    let (outcome, calls) = deploy(&[], &["ls"]);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert_eq!(outcome.out, "Network\nAudit\nStorage\nWorkers\n");
    assert!(calls.is_empty());
}

#[test]
fn deploying_a_stack_deploys_its_dependencies_first() {
    let mut args = vec!["deploy", "Workers"];
    args.extend(DIRECT);
    let (outcome, calls) = deploy(&["Network", "Storage", "Workers"], &args);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert_eq!(calls, expected_calls(&["Network", "Storage", "Workers"]));
    assert!(
        outcome.err.contains(
            "note: deploying `Network`, `Storage` first: the named stacks depend on them \
             (`--exclusively` deploys only the named stacks)"
        ),
        "{}",
        outcome.err
    );
    let network = outcome.err.find("[1/3] Network: no changes").unwrap();
    let storage = outcome.err.find("[2/3] Storage: no changes").unwrap();
    let workers = outcome.err.find("[3/3] Workers: no changes").unwrap();
    assert!(network < storage && storage < workers, "{}", outcome.err);
    assert!(!outcome.err.contains("Audit"), "{}", outcome.err);
}

#[test]
fn exclusively_deploys_only_the_named_stack() {
    let mut args = vec!["deploy", "Workers", "--exclusively"];
    args.extend(DIRECT);
    let (outcome, calls) = deploy(&["Workers"], &args);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert_eq!(calls, expected_calls(&["Workers"]));
    assert!(outcome.err.contains("[1/1] Workers: no changes"));
    assert!(!outcome
        .err
        .contains("first: the named stacks depend on them"));
}

#[test]
fn named_stacks_are_deployed_in_dependency_order_whatever_order_they_are_named_in() {
    let mut args = vec!["deploy", "Workers", "Audit", "Network", "-e"];
    args.extend(DIRECT);
    let (outcome, calls) = deploy(&["Network", "Audit", "Workers"], &args);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert_eq!(calls, expected_calls(&["Network", "Audit", "Workers"]));
}

#[test]
fn all_deploys_every_stack_in_dependency_order() {
    let mut args = vec!["deploy", "--all"];
    args.extend(DIRECT);
    let stacks = ["Network", "Audit", "Storage", "Workers"];
    let (outcome, calls) = deploy(&stacks, &args);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert_eq!(calls, expected_calls(&stacks));
    assert!(outcome
        .err
        .contains("4 of 4 stacks deployed: 0 created, 0 updated, 4 unchanged"));
}
