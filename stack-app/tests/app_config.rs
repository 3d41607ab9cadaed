//! Typed app configuration: the file the `config` context value names (or the app's
//! default) is read with serde, and a bad one stops the run with the file, the key path and
//! what was expected, before anything is written. Also the app's own context file, read
//! when the working directory has none.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Deserialize;
use stack_app::{run_with, AppSpec, BuildError, ConfigFileErrorKind, Context, Env, Shell};
use stack_core::template::ResourceDecl;
use stack_core::{App, Expr, Stack, StackBuilder, SynthError, Synthesized};

/// What a config-driven app reads: queues by name, each with a timeout.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FleetConfig {
    environment: String,
    queues: Vec<QueueConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueueConfig {
    name: String,
    visibility_seconds: u32,
}

/// A stack implemented by hand, the way `stack!` output implements it.
struct TestStack {
    name: String,
    result: Result<Synthesized, SynthError>,
}

impl Stack for TestStack {
    fn stack_name(&self) -> &str {
        &self.name
    }

    fn synthesized(&self) -> Result<&Synthesized, &SynthError> {
        self.result.as_ref()
    }
}

fn fleet_stack(config: &FleetConfig) -> TestStack {
    let name = format!("Fleet-{}", config.environment);
    let mut builder = StackBuilder::new(&name);
    for queue in &config.queues {
        builder.add(
            format!("Queue{}", queue.name),
            ResourceDecl::new(
                "AWS::SQS::Queue",
                Expr::Map(vec![(
                    "VisibilityTimeout".to_owned(),
                    Expr::Int(i64::from(queue.visibility_seconds)),
                )]),
            ),
        );
    }
    TestStack {
        name,
        result: builder.finish(),
    }
}

/// The app's build function: the config file from the `config` context value, or
/// `fleet.json` in the app's directory; queue names must be unique.
fn build_fleet(app_dir: &Path) -> impl FnOnce(&Context) -> Result<App, BuildError> + '_ {
    move |ctx| {
        let file = ctx.load_config::<FleetConfig>("config", app_dir.join("fleet.json"))?;
        for (i, queue) in file.value.queues.iter().enumerate() {
            if file.value.queues[..i].iter().any(|q| q.name == queue.name) {
                return Err(file
                    .invalid(
                        format!("queues[{i}].name"),
                        format!(
                            "`{}` names an earlier queue too; names must be unique",
                            queue.name
                        ),
                    )
                    .into());
            }
        }
        Ok(App::new().stack(fleet_stack(&file.value)))
    }
}

/// A directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "stack-deploy-app-config-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.0.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

struct Outcome {
    code: u8,
    out: String,
    err: String,
}

fn run_in(
    spec: AppSpec,
    cwd: &Path,
    args: &[&str],
    build: impl FnOnce(&Context) -> Result<App, BuildError>,
) -> Outcome {
    let env = Env::from_vars(Vec::<(String, String)>::new()).with_cwd(cwd);
    let mut shell = Shell::buffered();
    let argv = std::iter::once("fleet").chain(args.iter().copied());
    let code = run_with(spec, argv, &env, &mut shell, build);
    Outcome {
        code,
        out: shell.stdout_text(),
        err: shell.stderr_text(),
    }
}

const GOOD: &str = r#"{
  "environment": "dev",
  "queues": [
    {"name": "Thumbnails", "visibility_seconds": 60},
    {"name": "Transcode", "visibility_seconds": 900}
  ]
}"#;

#[test]
fn the_default_config_next_to_the_app_drives_the_stack() {
    let dir = TempDir::new("good");
    dir.write("app/fleet.json", GOOD);
    let app_dir = dir.path().join("app");
    let outcome = run_in(
        AppSpec::new("fleet"),
        dir.path(),
        &["synth"],
        build_fleet(&app_dir),
    );
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    let template =
        fs::read_to_string(dir.path().join("stack.out/Fleet-dev.template.json")).unwrap();
    assert!(template.contains("QueueTranscode"), "{template}");
    assert!(outcome.out.contains("Fleet-dev"), "{}", outcome.out);
}

#[test]
fn a_bad_config_names_file_and_key_path_and_writes_nothing() {
    let dir = TempDir::new("bad");
    let bad = GOOD.replace(
        "\"visibility_seconds\": 900",
        "\"visibility_seconds\": \"900\"",
    );
    dir.write("conf/dev.json", &bad);
    let app_dir = dir.path().join("app");
    let outcome = run_in(
        AppSpec::new("fleet"),
        dir.path(),
        &["synth", "--context", "config=conf/dev.json"],
        build_fleet(&app_dir),
    );
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: config file `conf/dev.json`, at `queues[1].visibility_seconds`: \
         invalid type: string \"900\", expected u32 at line 5 column 53\n"
    );
    assert!(!dir.path().join("stack.out").exists());
}

#[test]
fn unknown_keys_missing_keys_and_app_checks_are_reported_the_same_way() {
    let dir = TempDir::new("shapes");
    let app_dir = dir.path().join("app");
    let cases = [
        (
            GOOD.replace("\"name\": \"Thumbnails\"", "\"nmae\": \"Thumbnails\""),
            "error: config file `app/fleet.json`, at `queues[0].nmae`: unknown field `nmae`, \
             expected `name` or `visibility_seconds` at line 4 column 11\n",
        ),
        (
            GOOD.replace("\"environment\": \"dev\",", ""),
            "error: config file `app/fleet.json`: missing field `environment` at line 7 column 1\n",
        ),
        (
            GOOD.replace("Transcode", "Thumbnails"),
            "error: config file `app/fleet.json`, at `queues[1].name`: `Thumbnails` names an \
             earlier queue too; names must be unique\n",
        ),
    ];
    for (text, expected) in cases {
        dir.write("app/fleet.json", &text);
        let outcome = run_in(
            AppSpec::new("fleet"),
            dir.path(),
            &["synth"],
            build_fleet(&app_dir),
        );
        assert_eq!(outcome.code, 1);
        assert_eq!(outcome.err, expected);
        assert!(!dir.path().join("stack.out").exists());
    }
}

#[test]
fn a_missing_config_says_how_to_name_another() {
    let dir = TempDir::new("missing");
    let app_dir = dir.path().join("app");
    let outcome = run_in(
        AppSpec::new("fleet"),
        dir.path(),
        &["ls"],
        build_fleet(&app_dir),
    );
    assert_eq!(outcome.code, 1);
    assert!(
        outcome
            .err
            .starts_with("error: cannot read config file `app/fleet.json`: "),
        "{}",
        outcome.err
    );
    assert!(
        outcome
            .err
            .ends_with("; name another file with `--context config=FILE`\n"),
        "{}",
        outcome.err
    );
}

#[test]
fn load_json_reports_the_kind_and_the_path() {
    let dir = TempDir::new("kind");
    dir.write("fleet.json", r#"{"environment": 3, "queues": []}"#);
    let ctx = Context::from_pairs(Vec::<(String, String)>::new());
    let error = ctx
        .load_json::<FleetConfig>(dir.path().join("fleet.json"))
        .unwrap_err();
    assert_eq!(error.key_path(), Some("environment"));
    assert_eq!(error.path(), dir.path().join("fleet.json"));
    assert!(matches!(error.kind(), ConfigFileErrorKind::Invalid { .. }));
}

fn stage_seen(spec: AppSpec, cwd: &Path) -> String {
    let mut seen = String::new();
    let outcome = run_in(spec, cwd, &["ls"], |ctx| {
        seen = ctx.get("stage")?;
        Ok(App::new())
    });
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    seen
}

#[test]
fn the_apps_own_context_file_is_read_when_the_working_directory_has_none() {
    let dir = TempDir::new("context-file");
    dir.write("app/stack.json", r#"{"context": {"stage": "from-app"}}"#);
    let spec = || {
        AppSpec::new("fleet")
            .context_default("stage", "from-default")
            .context_file(dir.path().join("app/stack.json"))
    };
    assert_eq!(stage_seen(spec(), dir.path()), "from-app");
    assert_eq!(stage_seen(spec(), &dir.path().join("app")), "from-app");
    dir.write("stack.json", r#"{"context": {"stage": "from-cwd"}}"#);
    assert_eq!(stage_seen(spec(), dir.path()), "from-cwd");
    assert_eq!(
        stage_seen(
            AppSpec::new("fleet").context_default("stage", "from-default"),
            &dir.path().join("app")
        ),
        "from-app"
    );
    // A missing app file is not an error.
    fs::create_dir_all(dir.path().join("empty")).unwrap();
    let spec = AppSpec::new("fleet")
        .context_default("stage", "from-default")
        .context_file(dir.path().join("nowhere/stack.json"));
    assert_eq!(stage_seen(spec, &dir.path().join("empty")), "from-default");
}
