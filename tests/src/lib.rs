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

/// Synthesizes `stack`, runs cfn-lint on its template and panics with cfn-lint's report
/// unless it finds nothing at all (no errors, no warnings).
pub fn assert_lint_clean(stack: &dyn stack_core::Stack) {
    let cfn_lint = cfn_lint().unwrap_or_else(|e| panic!("{e}"));
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("stack-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join(format!("{}.template.json", stack.stack_name()));
    std::fs::write(&path, synthesized.template.to_json_string()).unwrap_or_else(|e| panic!("{e}"));
    let output = std::process::Command::new(&cfn_lint)
        .args(["--format", "parseable", "--"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", cfn_lint.display()));
    // The template is only for cfn-lint; the report below quotes what it found.
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.trim().is_empty(),
        "cfn-lint reported problems in {} (exit {:?}):\n{stdout}{stderr}",
        stack.stack_name(),
        output.status.code()
    );
}
