//! localstack, the second local CloudFormation endpoint: asynchronous like CloudFormation
//! (stacks go through `*_IN_PROGRESS`, events per resource, `CREATE_FAILED` with the
//! service's error), where moto answers every call synchronously. One per test, on a free
//! loopback port, with every file it writes in a temporary directory.

use std::fs;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use stack_app::Env;

use super::{endpoint_env, free_port, http_request, http_request_as, TempDir};

/// The pin `cargo xtask test` installs (`version = ...`, `uploaded-prior-to = ...`).
const PIN: &str = include_str!("../localstack-version.txt");

/// What localstack runs: only the services the tests deploy to. Not DynamoDB: its tables
/// never leave `CREATE_IN_PROGRESS` offline (localstack downloads DynamoDB Local first).
const SERVICES: &str = "cloudformation,s3,iam,sqs,sns,lambda,logs,sts,ssm,ec2,apigateway";

/// How long localstack may take to answer its health check (it takes 2 to 3 s).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How long localstack may take to exit after SIGTERM before it gets SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(3);

/// A pinned value of [`PIN`].
fn pinned(key: &str) -> &'static str {
    PIN.lines()
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map_or("?", |(_, v)| v.trim())
}

/// The Python to run localstack with: `LOCALSTACK_PYTHON`, or the one `cargo xtask test`
/// installs into `.venv-localstack`. Missing localstack fails the test: a skipped
/// lifecycle test would pass silently.
pub(crate) fn localstack_python() -> PathBuf {
    #[allow(
        clippy::disallowed_methods,
        reason = "the test harness reads its own configuration from the process"
    )]
    let from_env = std::env::var_os("LOCALSTACK_PYTHON");
    let path = match from_env {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv-localstack/bin/python"),
    };
    let version = pinned("version");
    assert!(
        path.is_file(),
        "localstack's Python not found at `{}`; these tests need localstack-core=={version}, \
         the asynchronous local CloudFormation endpoint. Run `cargo xtask localstack` (or \
         `cargo xtask test`), which installs it into .venv-localstack and patches it for \
         Python < 3.13, or set LOCALSTACK_PYTHON to the Python of a venv that has it \
         (see docs/deploy.md, \"A second, asynchronous endpoint\")",
        path.display(),
    );
    path
}

/// localstack on a free loopback port, stopped when dropped (SIGTERM to its process
/// group, then SIGKILL).
pub(crate) struct Localstack {
    child: Child,
    /// The port its gateway listens on.
    pub(crate) port: u16,
    /// Its files (`FILESYSTEM_ROOT`, `TMPDIR`, `HOME`) and its log, removed on drop.
    dir: TempDir,
}

impl Localstack {
    /// Starts localstack and waits until its health check answers; panics with its log
    /// when it does not within [`START_TIMEOUT`] or exits first.
    pub(crate) fn start() -> Self {
        let python = localstack_python();
        let port = free_port();
        let dir = TempDir::new("localstack");
        for sub in ["fs", "tmp", "home"] {
            fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let log_file = fs::File::create(dir.path().join("localstack.log")).unwrap();
        let gateway = format!("127.0.0.1:{port}");
        let child = Command::new(&python)
            .args(["-m", "localstack.runtime.main"])
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            // Not in docker: otherwise it writes under /var/lib/localstack and /etc.
            .env("OVERRIDE_IN_DOCKER", "0")
            .env("FILESYSTEM_ROOT", dir.path().join("fs"))
            .env("TMPDIR", dir.path().join("tmp"))
            .env("HOME", dir.path().join("home"))
            .env("GATEWAY_LISTEN", &gateway)
            .env("LOCALSTACK_HOST", &gateway)
            .env("SERVICES", SERVICES)
            .env("DISABLE_EVENTS", "1")
            .env("SKIP_INFRA_DOWNLOADS", "1")
            .env("PERSISTENCE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::from(log_file.try_clone().unwrap()))
            .stderr(Stdio::from(log_file))
            // Its own process group, so that stopping it stops whatever it started.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start `{} -m localstack.runtime.main`: {e}",
                    python.display()
                )
            });
        let mut localstack = Self { child, port, dir };
        let started = Instant::now();
        loop {
            if localstack.healthy() {
                break;
            }
            if let Some(status) = localstack.child.try_wait().unwrap() {
                panic!(
                    "localstack exited ({status}) before answering on port {port}; its log:\n{}",
                    localstack.log()
                );
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "localstack did not answer on port {port} within {} s; its log:\n{}",
                START_TIMEOUT.as_secs(),
                localstack.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        localstack
    }

    /// Whether `GET /_localstack/health` answers 200 with CloudFormation `available` (or
    /// already `running`).
    fn healthy(&self) -> bool {
        http_request(self.port, "GET", "/_localstack/health", "").is_some_and(|response| {
            response.starts_with("HTTP/1.1 200")
                && (response.contains("\"cloudformation\": \"available\"")
                    || response.contains("\"cloudformation\": \"running\""))
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The environment a user would set for localstack, with `cwd` as working directory
    /// (as [`super::Moto::env`]).
    pub(crate) fn env(&self, cwd: &Path) -> Env {
        endpoint_env(&self.endpoint(), cwd, &[])
    }

    /// The response to an AWS query-protocol call (`Action=...&...`, form-encoded), such as
    /// SQS's `GetQueueAttributes`: to read what the engine really created. localstack needs
    /// no signature.
    pub(crate) fn query(&self, form: &str) -> String {
        http_request_as(
            self.port,
            "POST",
            "/",
            "application/x-www-form-urlencoded",
            form,
        )
        .unwrap_or_else(|| {
            panic!(
                "localstack did not answer `{form}`; its log:\n{}",
                self.log()
            )
        })
    }

    /// What localstack printed so far (its last 8 KiB).
    pub(crate) fn log(&self) -> String {
        let text = fs::read_to_string(self.dir.path().join("localstack.log")).unwrap_or_default();
        let mut start = text.len().saturating_sub(8 * 1024);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        text[start..].to_owned()
    }

    fn signal_group(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Localstack {
    fn drop(&mut self) {
        self.signal_group("-TERM");
        let stopping = Instant::now();
        while stopping.elapsed() < STOP_GRACE {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Also reaches what it started and left running after it exited.
        self.signal_group("-KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
