//! The Extralabs app's six stacks against moto: deploying one deploys the stacks it
//! imports from first.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use common::{Moto, TempDir};
use stack_app::Shell;
use stack_deploy::AwsOverrides;

/// `deploy EMRStack` against moto: the three stacks it imports from are deployed first,
/// then the cluster; `--exclusively` then deploys `EMRStack` alone. (`--method direct`:
/// moto registers exports only for stacks created that way.)
#[test]
fn deploy_emr_stack_deploys_what_it_imports_from_first() {
    let moto = Moto::start();
    let dir = TempDir::new("extralabs-deploy");
    let deploy = |extra: &[&str]| {
        let mut args = vec![
            "deploy",
            "EMRStack",
            "--method",
            "direct",
            "--require-approval",
            "never",
            "--progress",
            "events",
        ];
        args.extend(extra);
        let mut shell = Shell::buffered();
        let argv = std::iter::once(extralabs::APP_NAME).chain(args.iter().copied());
        let code = stack_deploy::run_app(
            extralabs::spec(),
            argv,
            &moto.env(dir.path()),
            &mut shell,
            &AwsOverrides::new(),
            extralabs::build,
        );
        (code, shell.stdout_text(), shell.stderr_text())
    };

    let (code, out, err) = deploy(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("deploying `NetworkStack`, `S3Stack`, `ECRStack` first"),
        "{err}"
    );
    let positions: Vec<usize> = [
        "[1/4] NetworkStack: created",
        "[2/4] S3Stack: created",
        "[3/4] ECRStack: created",
        "[4/4] EMRStack: created",
    ]
    .iter()
    .map(|line| err.find(line).unwrap_or_else(|| panic!("{line} in {err}")))
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{err}");
    assert!(out.contains("EMRStack.ClusterId = j-"), "{out}");
    assert!(!err.contains("InvokeStack") && !err.contains("ApiGatewayStack"));

    // Once they exist, `--exclusively` deploys the EMR stack alone. (moto updates a stack
    // even when nothing changed, and cannot replace a cluster: it answers HTTP 500.)
    let (code, out, err) = deploy(&["--exclusively"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("[1/1] EMRStack: updated"), "{err}");
    assert!(!err.contains("NetworkStack"), "{err}");
    assert!(out.contains("EMRStack.ClusterId = j-"), "{out}");
}
