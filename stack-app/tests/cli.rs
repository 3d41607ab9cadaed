//! End-to-end runs of the command line against hand-built stacks, a made-up environment
//! and a buffered shell.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use stack_app::{run_with, AppSpec, BuildError, Context, Env, Shell};
use stack_core::asset::{Asset, AssetKind};
use stack_core::template::ResourceDecl;
use stack_core::{App, Expr, Stack, StackBuilder, SynthError, Synthesized};

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

fn stack(name: &str, build: impl FnOnce(&mut StackBuilder)) -> TestStack {
    let mut builder = StackBuilder::new(name);
    build(&mut builder);
    TestStack {
        name: name.to_owned(),
        result: builder.finish(),
    }
}

fn bucket_stack(name: &str, bucket_name: &str) -> TestStack {
    stack(name, |b| {
        b.add(
            "Bucket",
            ResourceDecl::new(
                "AWS::S3::Bucket",
                Expr::Map(vec![(
                    "BucketName".to_owned(),
                    Expr::Str(bucket_name.to_owned()),
                )]),
            ),
        );
    })
}

/// No resources, so `finish` reports a problem.
fn broken_stack(name: &str) -> TestStack {
    stack(name, |b| {
        b.report("`Queue` refers to `Topicc`, which is not declared")
    })
}

fn two_stacks(_: &Context) -> Result<App, BuildError> {
    Ok(App::new()
        .stack(bucket_stack("Alpha", "alpha-bucket"))
        .stack(bucket_stack("Beta", "beta-bucket")))
}

/// A directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "stack-deploy-cli-{label}-{}-{}",
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

fn spec() -> AppSpec {
    AppSpec::new("testapp")
        .version("9.8.7")
        .context_default("bucket", "from-default")
}

fn run_in(
    cwd: &Path,
    vars: &[(&str, &str)],
    args: &[&str],
    build: impl FnOnce(&Context) -> Result<App, BuildError>,
) -> Outcome {
    let env = Env::from_vars(vars.iter().map(|&(k, v)| (k, v))).with_cwd(cwd);
    let mut shell = Shell::buffered();
    let argv = std::iter::once("testapp").chain(args.iter().copied());
    let code = run_with(spec(), argv, &env, &mut shell, build);
    Outcome {
        code,
        out: shell.stdout_text(),
        err: shell.stderr_text(),
    }
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries {
            let entry = entry.unwrap();
            found.insert(
                entry.file_name().to_string_lossy().into_owned(),
                fs::read(entry.path()).unwrap(),
            );
        }
    }
    found
}

#[test]
fn synth_writes_templates_assets_and_manifest_byte_identically_twice() {
    let dir = TempDir::new("synth-twice");
    dir.write("lambda/Dockerfile", "FROM scratch\n");
    dir.write("site/index.html", "<h1>hi</h1>\n");
    let image = Asset::from_dir(AssetKind::DockerImage, dir.path().join("lambda")).unwrap();
    let site = Asset::from_dir(AssetKind::FileArchive, dir.path().join("site")).unwrap();
    let build = || {
        let (image, site) = (image.clone(), site.clone());
        move |_: &Context| -> Result<App, BuildError> {
            let with_assets = stack("Web", |b| {
                b.add(
                    "Fn",
                    ResourceDecl::new("AWS::Lambda::Function", Expr::Map(vec![])),
                );
                b.add_asset(image);
                b.add_asset(site);
                b.add_tag("Project", "web");
                b.add_tag("Stage", "dev");
            });
            Ok(App::new()
                .stack(bucket_stack("Alpha", "alpha-bucket"))
                .stack(with_assets))
        }
    };

    let first = run_in(dir.path(), &[], &["synth"], build());
    assert_eq!(first.code, 0, "{}", first.err);
    let out = dir.path().join("stack.out");
    let written = files(&out);
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        [
            "Alpha.template.json",
            "Web.assets.json",
            "Web.template.json",
            "manifest.json"
        ]
    );

    let second = run_in(dir.path(), &[], &["synth"], build());
    assert_eq!(second.code, 0, "{}", second.err);
    assert_eq!(files(&out), written);
    assert_eq!(second.out, first.out);

    let manifest = String::from_utf8(written["manifest.json"].clone()).unwrap();
    assert_eq!(
        manifest,
        r#"{
  "version": 1,
  "app": "testapp",
  "stacks": [
    {
      "name": "Alpha",
      "template": "Alpha.template.json",
      "dependencies": [],
      "tags": {}
    },
    {
      "name": "Web",
      "template": "Web.template.json",
      "dependencies": [],
      "assets": "Web.assets.json",
      "tags": {
        "Project": "web",
        "Stage": "dev"
      }
    }
  ]
}
"#
    );

    let assets: serde_json::Value = serde_json::from_slice(&written["Web.assets.json"]).unwrap();
    assert_eq!(
        assets,
        serde_json::json!({
            "version": 1,
            "stack": "Web",
            "assets": [
                {
                    "kind": "docker-image",
                    "source": image.source.to_string_lossy(),
                    "hash": image.hash,
                    "destination": {"repository": "stack-container-assets", "tag": image.hash},
                },
                {
                    "kind": "file-archive",
                    "source": site.source.to_string_lossy(),
                    "hash": site.hash,
                    "destination": {
                        "bucket": "stack-assets-${AWS::AccountId}-${AWS::Region}",
                        "key": format!("{}.zip", site.hash),
                    },
                },
            ],
        })
    );

    let template = String::from_utf8(written["Alpha.template.json"].clone()).unwrap();
    let expected = bucket_stack("Alpha", "alpha-bucket");
    let expected = expected.synthesized().unwrap().template.to_json_string();
    assert_eq!(template, expected);
}

#[test]
fn synth_prints_one_aligned_line_per_stack() {
    let dir = TempDir::new("summary");
    let outcome = run_in(dir.path(), &[], &["synth"], two_stacks);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    let size = |name: &str| {
        fs::metadata(dir.path().join(format!("stack.out/{name}.template.json")))
            .unwrap()
            .len()
    };
    let sep = std::path::MAIN_SEPARATOR;
    assert_eq!(
        outcome.out,
        format!(
            "Alpha  1 resource  {} B  stack.out{sep}Alpha.template.json\n\
             Beta   1 resource  {} B  stack.out{sep}Beta.template.json\n",
            size("Alpha"),
            size("Beta")
        )
    );
    assert_eq!(outcome.err, "");
}

#[test]
fn synth_writes_only_the_named_stacks_to_the_given_dir() {
    let dir = TempDir::new("select");
    let outcome = run_in(
        dir.path(),
        &[],
        &["synth", "Beta", "--out", "cdk/out"],
        two_stacks,
    );
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    let written = files(&dir.path().join("cdk/out"));
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        ["Beta.template.json", "manifest.json"]
    );
    let manifest: serde_json::Value = serde_json::from_slice(&written["manifest.json"]).unwrap();
    assert_eq!(manifest["stacks"].as_array().unwrap().len(), 1);
    assert_eq!(manifest["stacks"][0]["name"], "Beta");
}

#[test]
fn synth_quiet_writes_files_without_the_summary() {
    let dir = TempDir::new("quiet");
    let outcome = run_in(dir.path(), &[], &["-q", "synth"], two_stacks);
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    assert_eq!(outcome.out, "");
    assert_eq!(files(&dir.path().join("stack.out")).len(), 3);
}

#[test]
fn unknown_stack_exits_1_listing_the_valid_ones() {
    let dir = TempDir::new("unknown");
    let outcome = run_in(dir.path(), &[], &["synth", "alpha"], two_stacks);
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: unknown stack `alpha`; stacks in this app: `Alpha`, `Beta`; did you mean `Alpha`?\n"
    );
    assert!(!dir.path().join("stack.out").exists());
}

#[test]
fn failing_stack_writes_nothing_and_exits_1() {
    let dir = TempDir::new("failing");
    let outcome = run_in(dir.path(), &[], &["synth"], |_| {
        Ok(App::new()
            .stack(bucket_stack("Alpha", "alpha-bucket"))
            .stack(broken_stack("Broken")))
    });
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: stack `Broken` cannot be synthesized:\n  \
         - `Queue` refers to `Topicc`, which is not declared\n  \
         - a stack needs at least one resource\n\
         error: could not synthesize `Broken`; nothing was written\n"
    );
    assert_eq!(outcome.out, "");
    assert!(!dir.path().join("stack.out").exists());
}

#[test]
fn synth_stdout_prints_the_one_template_and_writes_nothing() {
    let dir = TempDir::new("stdout");
    let expected = bucket_stack("Beta", "beta-bucket");
    let expected = expected.synthesized().unwrap().template.to_json_string();
    for args in [
        &["synth", "Beta", "--stdout"][..],
        &["synth", "Beta", "--out", "-"],
    ] {
        let outcome = run_in(dir.path(), &[], args, two_stacks);
        assert_eq!(outcome.code, 0, "{}", outcome.err);
        assert_eq!(outcome.out, expected);
        assert_eq!(outcome.err, "");
    }
    assert!(files(dir.path()).is_empty());
}

#[test]
fn synth_stdout_needs_exactly_one_stack() {
    let dir = TempDir::new("stdout-two");
    let outcome = run_in(dir.path(), &[], &["synth", "--out", "-"], two_stacks);
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: `--out -` prints one template, but 2 stacks are selected; name one of: `Alpha`, `Beta`\n"
    );
}

#[test]
fn invalid_and_duplicate_stack_names_are_rejected() {
    let dir = TempDir::new("names");
    let outcome = run_in(dir.path(), &[], &["synth"], |_| {
        Ok(App::new().stack(bucket_stack("../escape", "b")))
    });
    assert_eq!(outcome.code, 1);
    assert!(outcome
        .err
        .starts_with("error: stack name `../escape` is not valid for CloudFormation"));
    let outcome = run_in(dir.path(), &[], &["synth"], |_| {
        Ok(App::new()
            .stack(bucket_stack("Twin", "a"))
            .stack(bucket_stack("Twin", "b")))
    });
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: two stacks are named `Twin`; give each stack of the app its own name\n"
    );
    assert!(files(dir.path()).is_empty());
}

/// The value of `bucket` that the build function sees.
fn bucket_seen(dir: &Path, vars: &[(&str, &str)], args: &[&str]) -> String {
    let seen = Cell::new(None);
    let outcome = run_in(dir, vars, args, |ctx| {
        seen.set(Some(ctx.get("bucket")?));
        two_stacks(ctx)
    });
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    seen.take().unwrap()
}

#[test]
fn context_command_line_beats_env_beats_file_beats_default() {
    let dir = TempDir::new("layers");
    assert_eq!(bucket_seen(dir.path(), &[], &["ls"]), "from-default");
    dir.write("stack.json", r#"{"context": {"bucket": "from-file"}}"#);
    assert_eq!(bucket_seen(dir.path(), &[], &["ls"]), "from-file");
    let env = [("STACK_CONTEXT_BUCKET", "from-env")];
    assert_eq!(bucket_seen(dir.path(), &env, &["ls"]), "from-env");
    assert_eq!(
        bucket_seen(dir.path(), &env, &["ls", "--context", "bucket=from-cli"]),
        "from-cli"
    );
    assert_eq!(
        bucket_seen(
            dir.path(),
            &env,
            &["-c", "bucket=first", "ls", "-c", "bucket=last"]
        ),
        "last"
    );
}

#[test]
fn config_flag_names_another_file() {
    let dir = TempDir::new("config-flag");
    dir.write(
        "stack.json",
        r#"{"context": {"bucket": "from-default-file"}}"#,
    );
    dir.write("conf/prod.json", r#"{"context": {"bucket": "from-prod"}}"#);
    assert_eq!(
        bucket_seen(dir.path(), &[], &["ls", "--config", "conf/prod.json"]),
        "from-prod"
    );
    let outcome = run_in(
        dir.path(),
        &[],
        &["ls", "--config", "missing.json"],
        two_stacks,
    );
    assert_eq!(outcome.code, 1);
    assert!(
        outcome
            .err
            .starts_with("error: cannot read config file `missing.json`: "),
        "{}",
        outcome.err
    );
}

#[test]
fn bad_config_file_names_file_and_key_and_writes_nothing() {
    let dir = TempDir::new("bad-config");
    dir.write("stack.json", r#"{"context": {"bucket": ["a", "b"]}}"#);
    let built = Cell::new(false);
    let outcome = run_in(dir.path(), &[], &["synth"], |ctx| {
        built.set(true);
        two_stacks(ctx)
    });
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: config file `stack.json`: `context.bucket` must be a string, number or boolean, found an array\n"
    );
    assert!(!built.get());
    assert!(!dir.path().join("stack.out").exists());

    dir.write("stack.json", "{\"context\": {\"bucket\": \"x\",}}");
    let outcome = run_in(dir.path(), &[], &["synth"], two_stacks);
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: config file `stack.json` is not valid JSON: trailing comma at line 1 column 28\n"
    );
}

#[test]
fn unknown_config_keys_are_warned_about() {
    let dir = TempDir::new("config-warn");
    dir.write("stack.json", r#"{"contxt": {}}"#);
    let outcome = run_in(dir.path(), &[], &["ls"], two_stacks);
    assert_eq!(outcome.code, 0);
    assert_eq!(
        outcome.err,
        "warning: config file `stack.json`: unknown key `contxt` ignored; the only key read is `context`\n"
    );
}

#[test]
fn missing_context_key_names_the_key_and_the_known_keys() {
    let dir = TempDir::new("missing-key");
    let outcome = run_in(dir.path(), &[], &["ls", "-c", "stage=dev"], |ctx| {
        ctx.get("region")?;
        two_stacks(ctx)
    });
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: context key `region` is not set; keys that are set: `bucket`, `stage`; \
         set it with `--context region=VALUE`, `STACK_CONTEXT_REGION` or in `stack.json`\n"
    );
}

#[test]
fn parsed_context_errors_say_where_the_value_came_from() {
    let dir = TempDir::new("parsed");
    let vars = [("STACK_CONTEXT_RETRIES", "many")];
    let outcome = run_in(dir.path(), &vars, &["ls"], |ctx| {
        let _: u32 = ctx.get_parsed("retries")?;
        two_stacks(ctx)
    });
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: context key `retries` is `many` (from `STACK_CONTEXT_RETRIES`), \
         which is not a valid `u32`: invalid digit found in string\n"
    );
}

#[test]
fn build_errors_from_synthesis_are_reported() {
    let dir = TempDir::new("build-error");
    let api = || -> Result<App, SynthError> {
        Err(SynthError {
            stack: "Api".to_owned(),
            problems: vec!["no handler".to_owned()],
        })
    };
    let outcome = run_in(dir.path(), &[], &["ls"], |_| Ok(api()?));
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.err,
        "error: stack `Api` cannot be synthesized:\n  - no handler\n"
    );
}

#[test]
fn ls_lists_names_in_app_order() {
    let dir = TempDir::new("ls");
    let build = |_: &Context| -> Result<App, BuildError> {
        Ok(App::new()
            .stack(bucket_stack("Zeta", "z"))
            .stack(bucket_stack("Alpha", "a")))
    };
    let outcome = run_in(dir.path(), &[], &["ls"], build);
    assert_eq!((outcome.code, outcome.out.as_str()), (0, "Zeta\nAlpha\n"));
    let outcome = run_in(dir.path(), &[], &["list"], build);
    assert_eq!(outcome.out, "Zeta\nAlpha\n");
}

#[test]
fn ls_long_adds_resource_counts_and_fails_on_a_broken_stack() {
    let dir = TempDir::new("ls-long");
    let outcome = run_in(dir.path(), &[], &["ls", "--long"], |_| {
        Ok(App::new()
            .stack(stack("Storage", |b| {
                for id in ["A", "B"] {
                    b.add(id, ResourceDecl::new("AWS::S3::Bucket", Expr::Map(vec![])));
                }
            }))
            .stack(bucket_stack("Web", "w"))
            .stack(broken_stack("Broken")))
    });
    assert_eq!(outcome.code, 1);
    assert_eq!(
        outcome.out,
        "Storage  2 resources\n\
         Web      1 resource\n\
         Broken   cannot be synthesized (2 problems)\n"
    );
    assert!(outcome
        .err
        .starts_with("error: stack `Broken` cannot be synthesized:\n"));
}

#[test]
fn help_documents_exit_codes_and_version_uses_the_app() {
    let dir = TempDir::new("help");
    let help = run_in(dir.path(), &[], &["--help"], |_| {
        unreachable!("not built for --help")
    });
    assert_eq!(help.code, 0);
    assert!(
        help.out.contains("Usage: testapp [OPTIONS] <COMMAND>"),
        "{}",
        help.out
    );
    assert!(help.out.contains("2  differences found"), "{}", help.out);
    assert!(help.out.contains("--context <KEY=VALUE>"), "{}", help.out);
    assert_eq!(help.err, "");

    let version = run_in(dir.path(), &[], &["--version"], |_| unreachable!());
    assert_eq!((version.code, version.out.as_str()), (0, "testapp 9.8.7\n"));
}

#[test]
fn usage_errors_exit_1_not_2() {
    let dir = TempDir::new("usage");
    for args in [
        &["synth", "--bogus"][..],
        &[],
        &["ls", "--context", "novalue"],
    ] {
        let outcome = run_in(dir.path(), &[], args, |_| unreachable!("not built"));
        assert_eq!(outcome.code, 1, "{args:?}");
        assert!(!outcome.err.is_empty(), "{args:?}");
        assert_eq!(outcome.out, "", "{args:?}");
    }
}

#[test]
fn colour_only_when_asked_for_or_forced() {
    let dir = TempDir::new("colour");
    let fail = |vars: &[(&str, &str)], args: &[&str]| {
        run_in(dir.path(), vars, args, |_| Err("boom".into())).err
    };
    assert_eq!(fail(&[], &["ls"]), "error: boom\n");
    assert_eq!(
        fail(&[], &["ls", "--color", "always"]),
        "\x1b[1;31merror\x1b[0m: boom\n"
    );
    assert_eq!(
        fail(&[("CLICOLOR_FORCE", "1")], &["ls"]),
        "\x1b[1;31merror\x1b[0m: boom\n"
    );
    assert_eq!(
        fail(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &["ls"]),
        "error: boom\n"
    );
    assert_eq!(
        fail(&[("CLICOLOR_FORCE", "1")], &["ls", "--color=never"]),
        "error: boom\n"
    );
    let usage = run_in(
        dir.path(),
        &[],
        &["--color", "always", "bogus"],
        |_| unreachable!(),
    );
    assert!(usage.err.contains('\x1b'), "{:?}", usage.err);
}
