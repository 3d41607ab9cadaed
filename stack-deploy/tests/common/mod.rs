//! Shared by the deploy tests: a moto server on a free loopback port (and localstack, the
//! asynchronous engine, in `localstack.rs`), hand-built stacks, and running the command
//! line in-process.

#![allow(dead_code, reason = "each test file uses part of the harness")]
#![allow(
    clippy::print_stderr,
    reason = "a run's output is shown when its test fails"
)]

pub(crate) mod localstack;
pub(crate) mod replay;

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use stack_app::{AppSpec, BuildError, Context, Env, Shell};
use stack_core::{App, Stack, StackBuilder, SynthError, Synthesized};
use stack_deploy::AwsOverrides;

/// A stack implemented by hand, the way `stack!` output implements it.
pub(crate) struct TestStack {
    pub(crate) name: String,
    pub(crate) result: Result<Synthesized, SynthError>,
}

impl Stack for TestStack {
    fn stack_name(&self) -> &str {
        &self.name
    }

    fn synthesized(&self) -> Result<&Synthesized, &SynthError> {
        self.result.as_ref()
    }
}

/// A stack built with `build`.
pub(crate) fn stack(name: &str, build: impl FnOnce(&mut StackBuilder)) -> TestStack {
    let mut builder = StackBuilder::new(name);
    build(&mut builder);
    TestStack {
        name: name.to_owned(),
        result: builder.finish(),
    }
}

/// A directory under the system temp dir, removed when dropped.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(label: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "stack-deploy-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// What one run of the command line printed and returned.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) code: u8,
    pub(crate) out: String,
    pub(crate) err: String,
}

/// Runs the command line of an app called `testapp` in-process.
pub(crate) fn run(
    env: &Env,
    overrides: &AwsOverrides,
    shell: Shell,
    args: &[&str],
    build: impl FnOnce(&Context) -> Result<App, BuildError>,
) -> Outcome {
    run_app("testapp", env, overrides, shell, args, build)
}

/// Runs the command line of an app called `name` in-process.
pub(crate) fn run_app(
    name: &str,
    env: &Env,
    overrides: &AwsOverrides,
    mut shell: Shell,
    args: &[&str],
    build: impl FnOnce(&Context) -> Result<App, BuildError>,
) -> Outcome {
    let argv = std::iter::once(name).chain(args.iter().copied());
    let code = stack_deploy::run_app(AppSpec::new(name), argv, env, &mut shell, overrides, build);
    let outcome = Outcome {
        code,
        out: shell.stdout_text(),
        err: shell.stderr_text(),
    };
    // Shown by the test harness only when the test fails.
    eprintln!(
        "$ {name} {}\n--- exit {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        outcome.code,
        outcome.out,
        outcome.err
    );
    outcome
}

/// The environment a user would set for a local endpoint at `endpoint`: dummy keys, the
/// region, a docker that does not exist (see [`Moto::env`]), and `extra`, which wins.
pub(crate) fn endpoint_env(endpoint: &str, cwd: &Path, extra: &[(&str, String)]) -> Env {
    let mut vars: Vec<(&str, String)> = vec![
        ("AWS_ENDPOINT_URL", endpoint.to_owned()),
        ("AWS_ACCESS_KEY_ID", "testing".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("STACK_DOCKER", NO_DOCKER.to_owned()),
    ];
    vars.retain(|(name, _)| !extra.iter().any(|(e, _)| e == name));
    vars.extend(extra.iter().cloned());
    Env::from_vars(vars).with_cwd(cwd)
}

/// A free loopback port (free when asked; the server started on it binds it soon after).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A moto server on a free loopback port, stopped when dropped.
pub(crate) struct Moto {
    child: Child,
    pub(crate) port: u16,
    log: PathBuf,
}

/// The `moto_server` to run: `MOTO_SERVER`, or the one `cargo xtask test` installs into
/// `.venv`. Missing moto fails the test: a skipped lifecycle test would pass silently.
pub(crate) fn moto_server() -> PathBuf {
    #[allow(
        clippy::disallowed_methods,
        reason = "the test harness reads its own configuration from the process"
    )]
    let from_env = std::env::var_os("MOTO_SERVER");
    let path = match from_env {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/moto_server"),
    };
    assert!(
        path.is_file(),
        "moto_server not found at `{}`; these tests need a local CloudFormation endpoint. \
         Run `cargo xtask test`, which installs moto[server]=={} into .venv, or install it \
         yourself (`python3 -m venv .venv && .venv/bin/pip install 'moto[server]=={}'`) \
         or set MOTO_SERVER to a moto_server binary",
        path.display(),
        MOTO_VERSION.trim(),
        MOTO_VERSION.trim()
    );
    path
}

const MOTO_VERSION: &str = include_str!("../moto-version.txt");

/// A docker command that does not exist.
pub(crate) const NO_DOCKER: &str = "/nonexistent/docker";

impl Moto {
    /// Starts moto and waits until it answers.
    pub(crate) fn start() -> Self {
        Self::start_with(|_| Vec::new())
    }

    /// [`Moto::start`] with the server's environment extended by `vars`, given the port
    /// moto will listen on (e.g. `MOTO_PORT`, which moto hands to the Lambda functions it
    /// runs as their endpoint).
    pub(crate) fn start_with(vars: impl FnOnce(u16) -> Vec<(&'static str, String)>) -> Self {
        let server = moto_server();
        let port = free_port();
        let log = std::env::temp_dir().join(format!("stack-deploy-moto-{port}.log"));
        let log_file = fs::File::create(&log).unwrap();
        let child = Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(vars(port))
            .stdout(Stdio::from(log_file.try_clone().unwrap()))
            .stderr(Stdio::from(log_file))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", server.display()));
        let moto = Self { child, port, log };
        let started = Instant::now();
        while moto.get("/moto-api/data.json").is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto did not answer on port {port} within 60 s; log: {}",
                moto.log.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The environment a user would set for moto, with `cwd` as working directory.
    ///
    /// `STACK_DOCKER` names a program that does not exist, so that image assets fail the
    /// same way whether or not the machine running the tests has docker.
    pub(crate) fn env(&self, cwd: &Path) -> Env {
        self.env_with(cwd, &[("STACK_DOCKER", NO_DOCKER.to_owned())])
    }

    /// [`Moto::env`] with `extra` variables, which win over the defaults.
    pub(crate) fn env_with(&self, cwd: &Path, extra: &[(&str, String)]) -> Env {
        endpoint_env(&self.endpoint(), cwd, extra)
    }

    /// A docker stand-in (`tests/fixtures/fake-docker.py`) run by the venv's Python,
    /// whose pushes land in this moto, written into `dir` as `name` with the stand-in's
    /// switches in `vars` (`FAKE_DOCKER_NO_ENGINE`, ...). Returns the program and the file
    /// it logs its calls to, one JSON object per line.
    pub(crate) fn fake_docker(&self, dir: &Path, name: &str, vars: &[&str]) -> (PathBuf, PathBuf) {
        let python = moto_server().with_file_name("python");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake-docker.py");
        let log = dir.join("docker-calls.jsonl");
        let program = dir.join(name);
        let switches: String = vars.iter().map(|v| format!("{v}=1 ")).collect();
        fs::write(
            &program,
            format!(
                "#!/bin/sh\n{switches}FAKE_DOCKER_LOG='{}' AWS_ENDPOINT_URL='{}' exec '{}' '{}' \"$@\"\n",
                log.display(),
                self.endpoint(),
                python.display(),
                script.display()
            ),
        )
        .unwrap();
        let mut permissions = fs::metadata(&program).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        fs::set_permissions(&program, permissions).unwrap();
        (program, log)
    }

    /// A plain HTTP GET; the body, or `None` when the server does not answer.
    pub(crate) fn get(&self, path: &str) -> Option<String> {
        self.request("GET", path, "")
    }

    /// A plain HTTP request with a JSON body; the response, or `None`.
    pub(crate) fn request(&self, method: &str, path: &str, body: &str) -> Option<String> {
        http_request(self.port, method, path, body)
    }
}

/// A plain HTTP/1.1 request to `127.0.0.1:port` with a JSON body; the whole response
/// (status line, headers, body), or `None` when nothing answers.
pub(crate) fn http_request(port: u16, method: &str, path: &str, body: &str) -> Option<String> {
    http_request_as(port, method, path, "application/json", body)
}

/// [`http_request`] with a body of `content_type`.
pub(crate) fn http_request_as(
    port: u16,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.starts_with("HTTP/1").then_some(response)
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_file(&self.log);
    }
}
