//! Shared helpers for the workspace tests: locating the workspace and its tools.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The `cfn-lint` executable: `$CFN_LINT`, or the workspace's `.venv`.
///
/// `cargo xtask test` installs the pinned version into `.venv`.
pub fn cfn_lint() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CFN_LINT") {
        return Ok(PathBuf::from(path));
    }
    let venv = workspace_root().join(".venv/bin/cfn-lint");
    if venv.is_file() {
        Ok(venv)
    } else {
        Err(format!(
            "cfn-lint not found at `{}`; run `cargo xtask test` (it installs the pinned version) or set CFN_LINT",
            venv.display()
        ))
    }
}
