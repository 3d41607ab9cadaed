//! The Extralabs app's command line: `ls` and `synth` with context overrides (`deploy`
//! against moto is in `stack-deploy/tests/moto_extralabs.rs`).

mod common;

use std::path::PathBuf;

use common::{app, stack, STACKS};
use serde_json::{json, Value as Json};
use stack_app::{Env, Shell};

struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        let path = std::env::temp_dir().join(format!("extralabs-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("{e}"));
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the app's command line in `dir`; returns the exit code, stdout and stderr.
fn cli(dir: &TempDir, args: &[&str]) -> (u8, String, String) {
    let env = Env::from_vars(Vec::<(String, String)>::new()).with_cwd(&dir.0);
    let mut shell = Shell::buffered();
    let argv = std::iter::once(extralabs::APP_NAME).chain(args.iter().copied());
    let code = stack_app::run_with(extralabs::spec(), argv, &env, &mut shell, extralabs::build);
    (code, shell.stdout_text(), shell.stderr_text())
}

#[test]
fn ls_prints_the_six_stacks_in_dependency_order() {
    let dir = TempDir::new("ls");
    let (code, out, err) = cli(&dir, &["ls"]);
    assert_eq!(code, 0, "{err}");
    let listed: Vec<&str> = out.lines().collect();
    assert_eq!(listed, STACKS);
    // Each stack comes after every stack it depends on.
    let app = app();
    for (i, name) in listed.iter().enumerate() {
        for dependency in stack(&app, name).dependencies() {
            let at = listed.iter().position(|n| n == dependency);
            assert!(at.is_some_and(|at| at < i), "{name} before {dependency}");
        }
    }
}

#[test]
fn synth_emr_stack_writes_only_that_stack() {
    let dir = TempDir::new("synth");
    let (code, _, err) = cli(&dir, &["synth", "EMRStack"]);
    assert_eq!(code, 0, "{err}");
    let out = dir.0.join("stack.out");
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    files.sort();
    assert_eq!(files, ["EMRStack.template.json", "manifest.json"]);
    let manifest: Json = serde_json::from_str(
        &std::fs::read_to_string(out.join("manifest.json")).unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(manifest["stacks"][0]["name"], "EMRStack");
    assert_eq!(
        manifest["stacks"][0]["dependencies"],
        json!(["S3Stack", "ECRStack", "NetworkStack"])
    );
}

#[test]
fn context_overrides_reach_the_templates() {
    let dir = TempDir::new("context");
    let (code, out, err) = cli(
        &dir,
        &[
            "synth",
            "EMRStack",
            "--stdout",
            "--context",
            "cluster_name=extralabs-dev-2",
            "--context",
            "idle_timeout_minutes=30",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let template: Json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let cluster = &template["Resources"]["Cluster"]["Properties"];
    assert_eq!(cluster["Name"], "extralabs-dev-2");
    assert_eq!(cluster["AutoTerminationPolicy"]["IdleTimeout"], 1800);
    let (code, _, err) = cli(&dir, &["ls", "--context", "idle_timeout_minutes=soon"]);
    assert_eq!(code, 1);
    assert!(err.contains("idle_timeout_minutes"), "{err}");
}
