//! Lifecycle commands leave the app binary: it writes the cloud assembly and replaces
//! itself with the deploy binary that `STACK_DEPLOY` names, which gets `--app <assembly>`
//! and the app's arguments and whose exit status becomes the app's.
//!
//! The hand-off replaces the process, so the app runs in a child: this test binary,
//! started again with `HANDOFF_CHILD` set, running only this test.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "the child reads its real environment"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use stack_app::{run_with, AppSpec, Env, Shell};
use stack_core::template::ResourceDecl;
use stack_core::{App, Expr, Stack, StackBuilder, SynthError, Synthesized};

struct TestStack(String, Result<Synthesized, SynthError>);

impl Stack for TestStack {
    fn stack_name(&self) -> &str {
        &self.0
    }

    fn synthesized(&self) -> Result<&Synthesized, &SynthError> {
        self.1.as_ref()
    }
}

fn queue_stack(name: &str) -> TestStack {
    let mut builder = StackBuilder::new(name);
    builder.add(
        "Queue",
        ResourceDecl::new("AWS::SQS::Queue", Expr::Map(Vec::new())),
    );
    TestStack(name.to_owned(), builder.finish())
}

/// The app: runs its command line in the working directory with the real environment.
fn child() -> ! {
    let cwd = std::env::current_dir().unwrap();
    let env = Env::process().with_cwd(&cwd);
    let mut shell = Shell::stdio();
    let args = [
        "handoffapp",
        "deploy",
        "--all",
        "--require-approval",
        "never",
    ];
    let code = run_with(AppSpec::new("handoffapp"), args, &env, &mut shell, |_| {
        Ok(App::new().stack(queue_stack("Queues")))
    });
    std::process::exit(i32::from(code));
}

/// A fresh directory of this test's own, since tests may share a process.
fn temp_dir(label: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("stack-app-handoff-{label}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A stand-in deploy binary: prints its arguments and the manifest it was pointed at, and
/// exits with 7.
fn fake_deploy(dir: &Path) -> PathBuf {
    let path = dir.join("fake-stack-deploy");
    fs::write(
        &path,
        "#!/bin/sh\nprintf '%s\\n' \"$@\"\ncat \"$2/manifest.json\"\nexit 7\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[cfg(unix)]
#[test]
fn deploy_writes_the_assembly_and_becomes_the_deploy_binary() {
    if std::env::var_os("HANDOFF_CHILD").is_some() {
        child();
    }
    let dir = temp_dir("exec");
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "deploy_writes_the_assembly_and_becomes_the_deploy_binary",
            "--nocapture",
        ])
        .current_dir(&dir)
        .env("HANDOFF_CHILD", "1")
        .env("STACK_DEPLOY", fake_deploy(&dir))
        .env_remove("CARGO")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(7), "{stdout}\n{stderr}");
    let assembly = dir.join("stack.out");
    // The test harness prints its own lines before the hand-off.
    let args: Vec<&str> = stdout
        .lines()
        .skip_while(|line| *line != "--app")
        .take(6)
        .collect();
    assert_eq!(
        args,
        [
            "--app",
            assembly.to_str().unwrap(),
            "deploy",
            "--all",
            "--require-approval",
            "never"
        ],
        "{stdout}"
    );
    assert!(stdout.contains("\"app\": \"handoffapp\""), "{stdout}");
    assert!(assembly.join("Queues.template.json").is_file());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_deploy_binary_that_is_not_there_is_named() {
    let dir = temp_dir("missing");
    let env = Env::from_vars([("STACK_DEPLOY", "no/such/stack-deploy")]).with_cwd(&dir);
    let mut shell = Shell::buffered();
    let code = run_with(
        AppSpec::new("handoffapp"),
        ["handoffapp", "diff"],
        &env,
        &mut shell,
        |_| Ok(App::new().stack(queue_stack("Queues"))),
    );
    assert_eq!(code, 1);
    assert!(
        shell.stderr_text().contains("`STACK_DEPLOY` names `")
            && shell.stderr_text().contains("which is not a file"),
        "{}",
        shell.stderr_text()
    );
}

#[test]
fn without_cargo_or_path_the_message_says_how_to_install() {
    let dir = temp_dir("nopath");
    let env = Env::from_vars([("PATH", "/nonexistent")]).with_cwd(&dir);
    let mut shell = Shell::buffered();
    let code = run_with(
        AppSpec::new("handoffapp"),
        ["handoffapp", "doctor"],
        &env,
        &mut shell,
        |_| Ok(App::new().stack(queue_stack("Queues"))),
    );
    assert_eq!(code, 1);
    assert!(
        shell.stderr_text().contains("cargo install stack-deploy"),
        "{}",
        shell.stderr_text()
    );
    // The assembly was written before the binary was looked for.
    assert!(dir.join("stack.out/manifest.json").is_file());
}
