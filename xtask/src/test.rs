//! `cargo xtask test`: every check CI runs, in the order that fails fastest, with the
//! tools it needs installed locally first.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};

use crate::util::{self, workspace_root};

/// Runs formatting, generated-code, lint, test and doc checks.
pub(crate) fn run() -> Result<()> {
    let root = workspace_root();
    let cfn_lint = ensure_cfn_lint(&root)?;
    let localstack = crate::localstack::ensure(&root)?;
    // As `MOTO_SERVER`: set before any test process starts, while xtask runs no other threads.
    std::env::set_var("LOCALSTACK_PYTHON", localstack);
    step("generated code is up to date", || {
        crate::codegen::run(true)?;
        crate::iam::generate(true)
    })?;
    cargo(&root, "formatting", &["fmt", "--all", "--", "--check"], &[])?;
    step("formatting of the modules build scripts include", || {
        included_modules_formatted(&root)
    })?;
    cargo(
        &root,
        "clippy",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // Alone, without features: the constructs must build with the types compiled for them
    // (a workspace build unifies the apps' features and would hide a missing one).
    cargo(
        &root,
        "the constructs build without service features",
        &["check", "-p", "stack-core"],
        &[],
    )?;
    // The tests enable a few services; this compiles the generated code of all of them.
    cargo(
        &root,
        "every generated resource type compiles",
        &["check", "-p", "stack-core", "--features", "all"],
        &[],
    )?;
    let lint_env = [("CFN_LINT", cfn_lint.as_str())];
    if has_nextest() {
        cargo(
            &root,
            "tests",
            &["nextest", "run", "--workspace", "--no-fail-fast"],
            &lint_env,
        )?;
        cargo(
            &root,
            "doc tests",
            &["test", "--workspace", "--doc"],
            &lint_env,
        )?;
    } else {
        cargo(
            &root,
            "tests",
            &["test", "--workspace", "--no-fail-fast"],
            &lint_env,
        )?;
    }
    cargo(
        &root,
        "docs",
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-Dwarnings")],
    )?;
    util::note("all checks passed");
    Ok(())
}

/// Installs the pinned cfn-lint and `moto[server]` into `.venv` unless they are already
/// there; returns the path of cfn-lint. The path of `moto_server` is exported to every
/// later child process as `MOTO_SERVER`, which the deploy tests start their endpoint from.
fn ensure_cfn_lint(root: &Path) -> Result<String> {
    let pin = util::read_text(&root.join("tests/cfn-lint-version.txt"))?
        .trim()
        .to_owned();
    let moto_pin = util::read_text(&root.join("stack-deploy/tests/moto-version.txt"))?
        .trim()
        .to_owned();
    let venv = root.join(".venv");
    let bin = venv.join("bin/cfn-lint");
    let python = venv.join("bin/python");
    let installed = Command::new(&bin)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let moto_installed = Command::new(&python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('moto'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let mut wanted = Vec::new();
    if installed.as_deref() != Some(&format!("cfn-lint {pin}")) {
        wanted.push(format!("cfn-lint=={pin}"));
    }
    if moto_installed.as_deref() != Some(moto_pin.as_str())
        || !venv.join("bin/moto_server").is_file()
    {
        wanted.push(format!("moto[server]=={moto_pin}"));
    }
    if !wanted.is_empty() {
        step(
            &format!("installing {} into .venv", wanted.join(" and ")),
            || {
                if !venv.join("bin/pip").is_file() {
                    util::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
                }
                util::run(
                    Command::new(venv.join("bin/pip"))
                        .args(["install", "--quiet", "--disable-pip-version-check"])
                        .args(&wanted),
                )?;
                Ok(())
            },
        )?;
    }
    // Set here, before any test process starts, so `cargo test` and nextest inherit it;
    // xtask runs no other threads at this point.
    std::env::set_var("MOTO_SERVER", venv.join("bin/moto_server"));
    Ok(bin.to_string_lossy().into_owned())
}

/// The directories whose modules a build script lists with `include!`, which `cargo fmt`
/// does not follow.
const INCLUDED_MODULE_DIRS: &[&str] = &[
    "stack-core/src/constructs",
    "stack-spec/src/catalog",
    "stack-spec/src/rules",
];

/// `rustfmt --check` on every file of [`INCLUDED_MODULE_DIRS`].
fn included_modules_formatted(root: &Path) -> Result<()> {
    let mut files = Vec::new();
    for dir in INCLUDED_MODULE_DIRS {
        rust_files(&root.join(dir), &mut files)?;
    }
    files.sort();
    let status = Command::new("rustfmt")
        .args(["--edition", "2021", "--check"])
        .args(&files)
        .current_dir(root)
        .status()
        .context("could not run rustfmt")?;
    if !status.success() {
        bail!("these modules are not formatted; run `rustfmt --edition 2021` on the files above");
    }
    Ok(())
}

/// The `.rs` files under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn has_nextest() -> bool {
    Command::new("cargo")
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn cargo(root: &Path, what: &str, args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    step(what, || {
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(args)
            .envs(env.iter().copied())
            .current_dir(root)
            .status()
            .with_context(|| format!("could not run cargo {}", args.join(" ")))?;
        if !status.success() {
            bail!("`cargo {}` failed ({status})", args.join(" "));
        }
        Ok(())
    })
}

/// Runs `work` between a heading and a line with its outcome and duration.
pub(crate) fn step(what: &str, work: impl FnOnce() -> Result<()>) -> Result<()> {
    util::note(&format!("==> {what}"));
    let started = Instant::now();
    let result = work();
    util::note(&format!(
        "    {what}: {} in {:.1}s",
        if result.is_ok() { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    ));
    result
}
