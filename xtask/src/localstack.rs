//! The second local CloudFormation endpoint of the deploy tests: `localstack-core`, pinned in
//! `stack-deploy/tests/localstack-version.txt`, in its own venv (`.venv-localstack`; its
//! dependencies conflict with moto's), with the one-line patch it needs on Python < 3.13.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{ensure, Context as _, Result};

use crate::util;

/// The venv, relative to the workspace root.
const VENV: &str = ".venv-localstack";

/// The file that fails to import on Python < 3.13: its annotation `threading.Lock | None`
/// is evaluated at import time, and `threading.Lock` is a function there, not a type.
/// Postponed evaluation (PEP 563) leaves the annotation a string.
const PATCHED_FILE: &str = "localstack/packages/api.py";
const PATCH_LINE: &str = "from __future__ import annotations";

/// The pin: `version = ...` and `uploaded-prior-to = ...` lines, `#` comments.
struct Pin {
    version: String,
    uploaded_prior_to: String,
}

impl Pin {
    fn read(root: &Path) -> Result<Self> {
        let path = root.join("stack-deploy/tests/localstack-version.txt");
        let text = util::read_text(&path)?;
        let value = |key: &str| {
            text.lines()
                .filter_map(|line| line.split_once('='))
                .find(|(k, _)| k.trim() == key)
                .map(|(_, v)| v.trim().to_owned())
                .with_context(|| format!("`{}` has no `{key} = ...` line", path.display()))
        };
        Ok(Self {
            version: value("version")?,
            uploaded_prior_to: value("uploaded-prior-to")?,
        })
    }
}

/// Installs the pinned `localstack-core[runtime]` into `.venv-localstack` and patches it,
/// unless it is already there, patched; returns the venv's Python, which the tests run
/// `python -m localstack.runtime.main` with (`LOCALSTACK_PYTHON`).
pub(crate) fn ensure(root: &Path) -> Result<PathBuf> {
    let pin = Pin::read(root)?;
    let venv = root.join(VENV);
    let python = venv.join("bin/python");
    if installed_version(&python).as_deref() != Some(pin.version.as_str()) {
        crate::test::step(
            &format!(
                "installing localstack-core=={} into {VENV} (dependencies as of {})",
                pin.version, pin.uploaded_prior_to
            ),
            || install(&venv, &pin),
        )?;
    }
    patch(&python)?;
    Ok(python)
}

/// The installed `localstack-core` version, if any.
fn installed_version(python: &Path) -> Option<String> {
    Command::new(python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('localstack-core'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

fn install(venv: &Path, pin: &Pin) -> Result<()> {
    let pip = venv.join("bin/pip");
    if !pip.is_file() {
        util::run(Command::new("python3").args(["-m", "venv"]).arg(venv))?;
    }
    // The pip a venv starts with predates `--uploaded-prior-to` (pip 26).
    util::run(Command::new(&pip).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--upgrade",
        "pip>=26",
    ]))?;
    util::run(
        Command::new(&pip)
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("--uploaded-prior-to={}", pin.uploaded_prior_to))
            .arg(format!("localstack-core[runtime]=={}", pin.version)),
    )?;
    Ok(())
}

/// Patches [`PATCHED_FILE`] in the venv of `python`.
fn patch(python: &Path) -> Result<()> {
    let purelib = util::run(Command::new(python).args([
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
    ]))?;
    let purelib = PathBuf::from(String::from_utf8_lossy(&purelib).trim());
    if patch_file(&purelib.join(PATCHED_FILE))? {
        util::note(&format!(
            "patched `{}`: {PATCH_LINE}",
            purelib.join(PATCHED_FILE).display()
        ));
    }
    Ok(())
}

/// Makes [`PATCH_LINE`] the first line of `file`, unless the file has it already (patched
/// before, or fixed upstream); returns whether it wrote. A missing file is an error that
/// says what to check: the patch is written for the pinned version's layout.
fn patch_file(file: &Path) -> Result<bool> {
    ensure!(
        file.is_file(),
        "cannot patch localstack: `{}` does not exist. The patch (`{PATCH_LINE}` as the first \
         line) is written for the layout of the pinned version; after changing the pin, check \
         where that module went and update `xtask/src/localstack.rs`",
        file.display()
    );
    let text = util::read_text(file)?;
    if text.lines().any(|line| line.trim_end() == PATCH_LINE) {
        return Ok(false);
    }
    std::fs::write(file, format!("{PATCH_LINE}\n{text}"))
        .with_context(|| format!("patching `{}`", file.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patch_is_written_once_and_a_missing_file_is_named() -> Result<()> {
        let dir = util::TempDir::new("localstack-patch")?;
        let file = dir.path().join("api.py");
        std::fs::write(&file, "import abc\nLOCK: threading.Lock | None = None\n")?;
        assert!(patch_file(&file)?);
        assert!(!patch_file(&file)?);
        assert_eq!(
            util::read_text(&file)?,
            "from __future__ import annotations\nimport abc\nLOCK: threading.Lock | None = None\n"
        );
        let Err(missing) = patch_file(&dir.path().join("gone.py")) else {
            anyhow::bail!("patching a missing file succeeded");
        };
        assert!(
            missing.to_string().contains("gone.py` does not exist"),
            "{missing}"
        );
        Ok(())
    }

    #[test]
    fn the_pin_has_a_version_and_a_cut_off() -> Result<()> {
        let pin = Pin::read(&util::workspace_root())?;
        assert!(pin.version.split('.').count() == 3, "{}", pin.version);
        assert!(
            pin.uploaded_prior_to.ends_with('Z'),
            "{}",
            pin.uploaded_prior_to
        );
        Ok(())
    }
}
