//! Every app's template is clean under the pinned cfn-lint: no errors, no warnings.

use std::process::Command;

use photosky::{PhotoSky, PhotoSkyProps};
use stack_core::Stack;

fn lint(stack: &dyn Stack) {
    let cfn_lint = tests::cfn_lint().unwrap_or_else(|e| panic!("{e}"));
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("stack-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join(format!("{}.template.json", stack.stack_name()));
    std::fs::write(&path, synthesized.template.to_json_string()).unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new(&cfn_lint)
        .arg("--format")
        .arg("parseable")
        .arg("--")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", cfn_lint.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.trim().is_empty(),
        "cfn-lint reported problems in {} (exit {:?}):\n{stdout}{stderr}",
        stack.stack_name(),
        output.status.code()
    );
}

#[test]
fn photosky_is_lint_clean() {
    let props = PhotoSkyProps {
        app_name: "PhotoSky".to_owned(),
        image_uri: None,
    };
    lint(&PhotoSky::new("PhotoSky", &props));
}
