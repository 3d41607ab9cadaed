//! The Extralabs app's command line: `ls`, `synth` with context overrides, and `deploy`
//! against moto.

mod common;

use std::path::PathBuf;

use common::{app, stack, STACKS};
use serde_json::{json, Value as Json};
use stack_app::{Env, Shell};
use stack_deploy::AwsOverrides;

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
    cli_with(dir, Vec::new(), args)
}

/// [`cli`] with environment variables.
fn cli_with(dir: &TempDir, vars: Vec<(String, String)>, args: &[&str]) -> (u8, String, String) {
    let env = Env::from_vars(vars).with_cwd(&dir.0);
    let mut shell = Shell::buffered();
    let argv = std::iter::once(extralabs::APP_NAME).chain(args.iter().copied());
    let overrides = AwsOverrides::new();
    let code = stack_deploy::run_app(
        extralabs::spec(),
        argv,
        &env,
        &mut shell,
        &overrides,
        extralabs::build,
    );
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

/// A moto server (a local CloudFormation endpoint) on a free loopback port, stopped when
/// dropped: `$MOTO_SERVER`, or the one `cargo xtask test` installs into `.venv`.
struct Moto {
    child: std::process::Child,
    port: u16,
}

impl Moto {
    fn start() -> Self {
        let server = std::env::var_os("MOTO_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| tests::workspace_root().join(".venv/bin/moto_server"));
        assert!(
            server.is_file(),
            "moto_server not found at `{}`; run `cargo xtask test` or set MOTO_SERVER",
            server.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let child = std::process::Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", server.display()));
        let moto = Self { child, port };
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "moto did not answer on port {port}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        moto
    }

    fn env(&self) -> Vec<(String, String)> {
        [
            (
                "AWS_ENDPOINT_URL",
                format!("http://127.0.0.1:{}", self.port),
            ),
            ("AWS_ACCESS_KEY_ID", "testing".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "testing".to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `deploy EMRStack` against moto: the three stacks it imports from are deployed first,
/// then the cluster; `--exclusively` then deploys `EMRStack` alone. (`--method direct`:
/// moto registers exports only for stacks created that way.)
#[test]
fn deploy_emr_stack_deploys_what_it_imports_from_first() {
    let moto = Moto::start();
    let dir = TempDir::new("deploy");
    let deploy = |extra: &[&str]| {
        let mut args = vec![
            "deploy",
            "EMRStack",
            "--method",
            "direct",
            "--require-approval",
            "never",
            "--progress",
            "events",
        ];
        args.extend(extra);
        cli_with(&dir, moto.env(), &args)
    };

    let (code, out, err) = deploy(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("deploying `NetworkStack`, `S3Stack`, `ECRStack` first"),
        "{err}"
    );
    let positions: Vec<usize> = [
        "[1/4] NetworkStack: created",
        "[2/4] S3Stack: created",
        "[3/4] ECRStack: created",
        "[4/4] EMRStack: created",
    ]
    .iter()
    .map(|line| err.find(line).unwrap_or_else(|| panic!("{line} in {err}")))
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{err}");
    assert!(out.contains("EMRStack.ClusterId = j-"), "{out}");
    assert!(!err.contains("InvokeStack") && !err.contains("ApiGatewayStack"));

    // Once they exist, `--exclusively` deploys the EMR stack alone. (moto updates a stack
    // even when nothing changed, and cannot replace a cluster: it answers HTTP 500.)
    let (code, out, err) = deploy(&["--exclusively"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("[1/1] EMRStack: updated"), "{err}");
    assert!(!err.contains("NetworkStack"), "{err}");
    assert!(out.contains("EMRStack.ClusterId = j-"), "{out}");
}
