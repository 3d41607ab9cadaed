//! Problems found before anything is deployed or even called: nothing reaches the
//! endpoint, and the message says what is wrong in the user's terms.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aws_smithy_http_client::test_util::infallible_client_fn;
use common::{run, stack, Outcome, TempDir};
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

/// Runs `args` in `dir` with `vars` on top of test keys; returns the outcome and how many
/// calls reached the endpoint (each is answered "stack does not exist").
fn go(dir: &TempDir, vars: &[(&str, &str)], args: &[&str]) -> (Outcome, usize) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let client = infallible_client_fn(move |_| {
        counted.fetch_add(1, Ordering::Relaxed);
        http::Response::builder()
            .status(400)
            .header("content-type", "text/xml")
            .body(
                "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>\
                 <Message>Stack with id Api does not exist</Message></Error>\
                 <RequestId>1</RequestId></ErrorResponse>",
            )
            .unwrap()
    });
    let mut all = vec![
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
    ];
    all.retain(|(name, _)| !vars.iter().any(|(v, _)| v == name));
    all.extend_from_slice(vars);
    let env = Env::from_vars(all).with_cwd(dir.path());
    let overrides = AwsOverrides::new().http_client(client);
    let outcome = run(&env, &overrides, Shell::buffered(), args, app);
    (outcome, calls.load(Ordering::Relaxed))
}

#[test]
fn an_outputs_file_that_cannot_be_written_stops_the_deploy_before_it_starts() {
    let dir = TempDir::new("outputs-file");
    std::fs::write(dir.path().join("taken"), "a file, not a directory").unwrap();
    std::fs::create_dir(dir.path().join("outputs.json")).unwrap();
    for (path, why) in [
        ("taken/outputs.json", "`"),
        ("outputs.json", "it is a directory"),
    ] {
        let (outcome, calls) = go(
            &dir,
            &[],
            &[
                "deploy",
                "--require-approval",
                "never",
                "--outputs-file",
                path,
            ],
        );
        assert_eq!(outcome.code, 1, "{}", outcome.err);
        assert_eq!(calls, 0, "nothing may be called");
        assert!(
            outcome
                .err
                .contains(&format!("error: cannot write outputs file `{path}`: {why}")),
            "{}",
            outcome.err
        );
        assert!(
            outcome.err.contains("; nothing was deployed\n"),
            "{}",
            outcome.err
        );
        if path.starts_with("taken/") {
            assert!(
                outcome.err.contains("taken` is a file, not a directory"),
                "{}",
                outcome.err
            );
        }
    }
}

#[test]
fn a_region_that_is_not_a_region_name_is_named_in_the_users_terms() {
    let dir = TempDir::new("bad-region");
    for (args, source) in [
        (vec!["deploy", "--region", "us east 1"], "`--region`"),
        (vec!["deploy"], "`AWS_REGION`"),
    ] {
        let (outcome, calls) = go(&dir, &[("AWS_REGION", "us east 1")], &args);
        assert_eq!(outcome.code, 1, "{}", outcome.err);
        assert_eq!(calls, 0, "nothing may be called");
        assert_eq!(
            outcome.err,
            format!(
                "error: the AWS region `us east 1` (from {source}) is not a region name; \
                 region names look like `us-east-1` or `eu-west-2`\n"
            )
        );
    }
}

#[test]
fn an_endpoint_url_that_is_not_a_url_is_named_in_the_users_terms() {
    let dir = TempDir::new("bad-endpoint");
    let (outcome, calls) = go(&dir, &[("AWS_ENDPOINT_URL", "not-a-url")], &["deploy"]);
    assert_eq!(outcome.code, 1, "{}", outcome.err);
    assert_eq!(calls, 0, "nothing may be called");
    assert_eq!(
        outcome.err,
        "error: `AWS_ENDPOINT_URL` is `not-a-url`, which is not an http:// or https:// URL; \
         set it to the address of the endpoint (such as `http://127.0.0.1:5055`), or unset it \
         to reach AWS\n"
    );
}
