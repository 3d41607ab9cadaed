//! Which credentials sign the calls: `--profile` wins over keys in the environment, a
//! profile that is not defined stops the run naming the files searched, and `doctor`
//! reports the source actually used.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::sync::{Arc, Mutex};

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

const ENV_KEY: &str = "AKIAENVIRONMENTKEY01";
const DEV_KEY: &str = "AKIAPROFILEDEVKEY001";

/// Runs `args` with keys in the environment and a config file that defines profile
/// `dev`; returns the outcome and the access key of each signed call.
fn go(dir: &TempDir, args: &[&str]) -> (Outcome, Vec<String>) {
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[default]\nregion = us-east-1\n\n[profile dev]\naws_access_key_id = {DEV_KEY}\n\
             aws_secret_access_key = devsecret\n"
        ),
    )
    .unwrap();
    let keys = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&keys);
    let client = infallible_client_fn(move |request| {
        let authorization = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let key = authorization
            .split("Credential=")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("unsigned")
            .to_owned();
        seen.lock().unwrap().push(key);
        let body = String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).into_owned();
        let (status, answer) = if body.contains("Action=GetCallerIdentity") {
            (200, IDENTITY)
        } else {
            (400, NO_STACK)
        };
        http::Response::builder()
            .status(status)
            .header("content-type", "text/xml")
            .body(answer)
            .unwrap()
    });
    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", ENV_KEY.to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "envsecret".to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("credentials").display().to_string(),
        ),
        ("STACK_DOCKER", common::NO_DOCKER.to_owned()),
    ]);
    let overrides = AwsOverrides::new().http_client(client);
    let outcome = run(&env, &overrides, Shell::buffered(), args, app);
    let keys = keys.lock().unwrap().clone();
    (outcome, keys)
}

const NO_STACK: &str = r#"<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id Api does not exist</Message></Error>
  <RequestId>00000001-1f2e-4d3c-9b8a-7f6e5d4c3b2a</RequestId>
</ErrorResponse>"#;

const IDENTITY: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::210987654321:user/dev</Arn>
    <UserId>AIDAEXAMPLE</UserId>
    <Account>210987654321</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>00000002-1f2e-4d3c-9b8a-7f6e5d4c3b2a</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#;

#[test]
fn profile_wins_over_keys_in_the_environment() {
    let dir = TempDir::new("profile-wins");
    let (outcome, keys) = go(&dir, &["doctor", "--profile", "dev"]);
    assert!(!keys.is_empty());
    assert!(keys.iter().all(|k| k == DEV_KEY), "{keys:?}");
    let config = dir.path().join("config");
    assert!(
        outcome.out.contains(&format!(
            "credentials  from profile `dev` (named by `--profile`) in `{}`",
            config.display()
        )),
        "{}",
        outcome.out
    );
    assert!(
        outcome.out.contains("account      210987654321 ok"),
        "{}",
        outcome.out
    );
}

#[test]
fn keys_in_the_environment_are_used_without_a_profile_and_reported() {
    let dir = TempDir::new("env-keys");
    let (outcome, keys) = go(&dir, &["doctor"]);
    assert!(!keys.is_empty());
    assert!(keys.iter().all(|k| k == ENV_KEY), "{keys:?}");
    assert!(
        outcome
            .out
            .contains("credentials  from `AWS_ACCESS_KEY_ID`\n"),
        "{}",
        outcome.out
    );
}

#[test]
fn a_profile_that_is_not_defined_is_an_error_naming_the_files() {
    let dir = TempDir::new("missing-profile");
    for command in ["doctor", "deploy"] {
        let (outcome, keys) = go(&dir, &[command, "--profile", "prod"]);
        assert_eq!(outcome.code, 1, "{}", outcome.err);
        assert!(keys.is_empty(), "nothing may be called: {keys:?}");
        assert!(
            outcome.err.contains(&format!(
                "error: AWS profile `prod` is not defined in `{}` or `{}` (profiles there: \
                 `default`, `dev`); check the name",
                dir.path().join("config").display(),
                dir.path().join("credentials").display()
            )),
            "{}",
            outcome.err
        );
    }
}
