//! The `stack-deploy` binary as a user runs it: on the cloud assembly an app wrote, with
//! the app's command line, against moto.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::process::{Command, Output};

use common::{stack, Moto, TempDir};
use stack_app::{run_with, AppSpec, Env, Shell};
use stack_core::template::ResourceDecl;
use stack_core::{App, Expr};

/// Runs the binary in `dir` with moto's variables and nothing else from the environment.
fn stack_deploy(moto: &Moto, dir: &TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stack-deploy"))
        .args(args)
        .current_dir(dir.path())
        .env_clear()
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("HOME", dir.path())
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_binary_deploys_diffs_and_destroys_what_the_app_synthesized() {
    let moto = Moto::start();
    let dir = TempDir::new("binary");
    let env = Env::from_vars(Vec::<(String, String)>::new()).with_cwd(dir.path());
    let mut shell = Shell::buffered();
    let synth = run_with(
        AppSpec::new("binapp"),
        ["binapp", "synth", "--out", "assembly"],
        &env,
        &mut shell,
        |_| {
            Ok(App::new().stack(stack("BinQueues", |b| {
                b.add(
                    "Queue",
                    ResourceDecl::new(
                        "AWS::SQS::Queue",
                        Expr::Map(vec![("QueueName".into(), Expr::Str("bin-queue".into()))]),
                    ),
                );
            })))
        },
    );
    assert_eq!(synth, 0, "{}", shell.stderr_text());

    let deploy = stack_deploy(
        &moto,
        &dir,
        &["--app", "assembly", "deploy", "--require-approval", "never"],
    );
    assert_eq!(deploy.status.code(), Some(0), "{}", text(&deploy));
    assert!(text(&deploy).contains("BinQueues"), "{}", text(&deploy));

    let diff = stack_deploy(&moto, &dir, &["--app=assembly", "diff", "--no-change-set"]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff));

    // Usage errors name the app, as its own command line would.
    let usage = stack_deploy(&moto, &dir, &["--app", "assembly", "deploy", "--bogus"]);
    assert_eq!(usage.status.code(), Some(1), "{}", text(&usage));
    assert!(
        text(&usage).contains("Usage: binapp deploy"),
        "{}",
        text(&usage)
    );

    let synth_here = stack_deploy(&moto, &dir, &["--app", "assembly", "synth"]);
    assert_eq!(synth_here.status.code(), Some(1), "{}", text(&synth_here));
    assert!(
        text(&synth_here).contains("`synth` and `ls` are run by the app binary"),
        "{}",
        text(&synth_here)
    );

    let destroy = stack_deploy(&moto, &dir, &["--app", "assembly", "destroy", "--force"]);
    assert_eq!(destroy.status.code(), Some(0), "{}", text(&destroy));
    let gone = stack_deploy(
        &moto,
        &dir,
        &["--app", "assembly", "diff", "--no-change-set"],
    );
    assert_eq!(gone.status.code(), Some(2), "{}", text(&gone));
}

#[test]
fn without_an_assembly_the_binary_says_to_synthesize_first() {
    let moto = Moto::start();
    let dir = TempDir::new("binary-none");
    let output = stack_deploy(&moto, &dir, &["deploy"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("no cloud assembly at `stack.out`"),
        "{}",
        text(&output)
    );
}
