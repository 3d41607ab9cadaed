//! `drift`: whether the deployed resources still match their templates.

use stack_app::cli::DriftArgs;

use crate::commands::{check_envs, AwsRun, Session};
use crate::error::CliResult;
use crate::ops;

/// Runs CloudFormation's drift detection on each stack and prints the resources that no
/// longer match their template. Exits with 2 when one drifted, 1 when a stack is not
/// deployed or could not be checked.
pub(crate) fn exec(session: &mut Session<'_>, args: &DriftArgs) -> CliResult {
    let stacks = ops::select::choose(&session.stacks(), &args.stacks, args.all, "check")?;
    let names: Vec<String> = stacks.iter().map(|s| s.name.clone()).collect();
    let run = AwsRun::connect(session)?;
    run.run(check_envs(&run.aws, &stacks, "drift"))?;
    let options = ops::drift::Options {
        json: args.json,
        progress: args.progress,
        timeout: args.timeout,
        app: session.app_name().to_owned(),
    };
    run.run(ops::drift::drift(session.shell, &run.aws, &names, &options))
}
