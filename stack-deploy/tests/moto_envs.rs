//! Stacks pinned to an account and region (`env { .. }`) against moto, whose account is
//! 123456789012 and whose region is the request's: a stack pinned where the credentials
//! point deploys, and `deploy`, `diff`, `destroy`, `drift` and `rollback` refuse one
//! pinned elsewhere before they change or read anything.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::time::Duration;

use common::{run, Moto, Outcome, TempDir};
use stack_app::{BuildError, Context, Shell};
use stack_core::prelude::*;
use stack_deploy::AwsOverrides;

stack! {
    /// Pinned to moto's account and the tests' region.
    pub stack Home {
        env { account: "123456789012", region: "us-east-1" }
        resource inbox: AWS::SQS::Queue { QueueName: "envs-home" }
    }
}

stack! {
    /// Pinned to another region.
    pub stack Ireland {
        env { region: "eu-west-1" }
        resource inbox: AWS::SQS::Queue { QueueName: "envs-ireland" }
    }
}

stack! {
    /// Pinned to another account.
    pub stack Partner {
        env { account: "210987654321", region: "us-east-1" }
        resource inbox: AWS::SQS::Queue { QueueName: "envs-partner" }
    }
}

fn app(_: &Context) -> Result<App, BuildError> {
    Ok(App::new()
        .stack(Home::new("Home"))
        .stack(Ireland::new("Ireland"))
        .stack(Partner::new("Partner")))
}

#[test]
fn pinned_stacks_deploy_only_where_the_credentials_point() {
    let moto = Moto::start();
    let dir = TempDir::new("envs");
    let env = moto.env(dir.path());
    let o = AwsOverrides::new().poll_interval(Duration::from_millis(100));
    let go = |args: &[&str]| -> Outcome { run(&env, &o, Shell::buffered(), args, app) };

    // The assembly records each stack's environment.
    let synth = go(&["synth", "--quiet"]);
    assert_eq!(synth.code, 0, "{}", synth.err);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("stack.out/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["stacks"][0]["env"],
        serde_json::json!({ "account": "123456789012", "region": "us-east-1" })
    );
    assert_eq!(
        manifest["stacks"][1]["env"],
        serde_json::json!({ "region": "eu-west-1" })
    );

    let home = go(&["deploy", "Home", "--method", "direct"]);
    assert_eq!(home.code, 0, "{}", home.err);
    assert!(home.err.contains("Home: created"), "{}", home.err);

    // Another region: refused, with the flag that fixes it; no account is needed.
    let ireland =
        "error: stack `Ireland` is pinned to eu-west-1, but the credentials are for us-east-1";
    let refused = go(&["deploy", "Ireland", "--method", "direct"]);
    assert_eq!(refused.code, 1, "{}", refused.err);
    assert!(
        refused
            .err
            .contains(&format!("{ireland}; deploy with `--region eu-west-1`")),
        "{}",
        refused.err
    );
    assert!(!refused.err.contains("Ireland: created"), "{}", refused.err);
    let diff = go(&["diff", "Ireland"]);
    assert_eq!(diff.code, 1, "{}", diff.err);
    assert!(diff
        .err
        .contains(&format!("{ireland}; diff with `--region eu-west-1`")));
    let destroy = go(&["destroy", "Ireland", "--force"]);
    assert_eq!(destroy.code, 1, "{}", destroy.err);
    assert!(destroy
        .err
        .contains(&format!("{ireland}; destroy with `--region eu-west-1`")));
    let drift = go(&["drift", "Ireland"]);
    assert_eq!(drift.code, 1, "{}", drift.err);
    assert!(drift
        .err
        .contains(&format!("{ireland}; drift with `--region eu-west-1`")));
    let rollback = go(&["rollback", "Ireland"]);
    assert_eq!(rollback.code, 1, "{}", rollback.err);
    assert!(rollback
        .err
        .contains(&format!("{ireland}; rollback with `--region eu-west-1`")));

    // With the region it is pinned to, it deploys there.
    let there = go(&[
        "deploy",
        "Ireland",
        "--method",
        "direct",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(there.code, 0, "{}", there.err);
    assert!(there.err.contains("Ireland: created"), "{}", there.err);

    // Another account: refused, naming both accounts.
    let partner = go(&["deploy", "Partner", "--method", "direct"]);
    assert_eq!(partner.code, 1, "{}", partner.err);
    assert!(
        partner.err.contains(
            "error: stack `Partner` is pinned to us-east-1 in 210987654321, but the credentials \
             are for us-east-1 in 123456789012; deploy with a profile for that account"
        ),
        "{}",
        partner.err
    );

    // Both at once, from another region: one line per stack.
    let all = go(&[
        "deploy",
        "--all",
        "--method",
        "direct",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(all.code, 1, "{}", all.err);
    assert!(
        all.err.contains(
            "stack `Home` is pinned to us-east-1 in 123456789012, but the credentials are for \
             eu-west-1 in 123456789012; deploy with `--region us-east-1`"
        ),
        "{}",
        all.err
    );
    assert!(
        all.err.contains(
            "stack `Partner` is pinned to us-east-1 in 210987654321, but the credentials are \
             for eu-west-1 in 123456789012; deploy with `--region us-east-1` and a profile for \
             that account"
        ),
        "{}",
        all.err
    );
}
