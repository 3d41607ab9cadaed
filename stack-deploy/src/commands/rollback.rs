//! `rollback`: return a stack a failed operation left behind to its last stable state.

use stack_app::cli::RollbackArgs;

use crate::commands::{check_envs, AwsRun, Session};
use crate::error::{CliError, CliResult};
use crate::ops;

/// Continues a failed rollback (UPDATE_ROLLBACK_FAILED) or rolls back a stack that
/// `deploy --no-rollback` left in UPDATE_FAILED or CREATE_FAILED, and waits for it.
pub(crate) fn exec(session: &mut Session<'_>, args: &RollbackArgs) -> CliResult {
    let names: Vec<String> = args.stack.iter().cloned().collect();
    let stacks = ops::select::stacks(&session.stacks(), &names)?;
    let name = match stacks.as_slice() {
        [one] => one.name.as_str().to_owned(),
        [] => {
            return Err(CliError::new(
                "the app has no stacks; add one with `App::stack`",
            ))
        }
        several => {
            return Err(CliError::new(format!(
                "the app has {} stacks; name the one to roll back: {}",
                several.len(),
                ops::select::list(several.iter().map(|s| s.name.as_str()))
            )))
        }
    };
    let run = AwsRun::connect(session)?;
    run.run(check_envs(&run.aws, &stacks, "rollback"))?;
    let options = ops::rollback::Options {
        orphan: args.orphan.clone(),
        progress: args.progress,
        app: session.app_name().to_owned(),
    };
    run.run(ops::rollback::rollback(
        session.shell,
        &run.aws,
        &name,
        &options,
        &run.tracker,
    ))
}
