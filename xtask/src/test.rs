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
    step("generated code is up to date", || {
        crate::codegen::run(true)?;
        crate::iam::generate(true)
    })?;
    cargo(&root, "formatting", &["fmt", "--all", "--", "--check"], &[])?;
    cargo(
        &root,
        "clippy",
        &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
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
        cargo(&root, "doc tests", &["test", "--workspace", "--doc"], &lint_env)?;
    } else {
        cargo(&root, "tests", &["test", "--workspace", "--no-fail-fast"], &lint_env)?;
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

/// Installs the pinned cfn-lint into `.venv` unless it is already there; returns its path.
fn ensure_cfn_lint(root: &Path) -> Result<String> {
    let pin = util::read_text(&root.join("tests/cfn-lint-version.txt"))?
        .trim()
        .to_owned();
    let venv = root.join(".venv");
    let bin = venv.join("bin/cfn-lint");
    let installed = Command::new(&bin)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if installed.as_deref() != Some(&format!("cfn-lint {pin}")) {
        step(&format!("installing cfn-lint {pin} into .venv"), || {
            if !venv.join("bin/pip").is_file() {
                util::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
            }
            util::run(
                Command::new(venv.join("bin/pip"))
                    .args(["install", "--quiet", "--disable-pip-version-check"])
                    .arg(format!("cfn-lint=={pin}")),
            )?;
            Ok(())
        })?;
    }
    Ok(bin.to_string_lossy().into_owned())
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

fn step(what: &str, work: impl FnOnce() -> Result<()>) -> Result<()> {
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
