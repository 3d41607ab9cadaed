//! `rollback`: return a stack a failed operation left behind to its last stable state.

use crate::commands::{AwsRun, Session};
use crate::error::{CliError, CliResult};
use crate::ops;
use crate::ops::progress::ProgressMode;

/// Arguments of `rollback`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The stack to roll back; the app's only stack when none is named
    #[arg(value_name = "STACK")]
    pub(crate) stack: Option<String>,

    /// For a stack in UPDATE_ROLLBACK_FAILED: resources (logical IDs) whose rollback
    /// CloudFormation skips. They are left as they are, marked as rolled back, and may no
    /// longer match the template; comma-separated or repeated
    #[arg(
        long,
        visible_alias = "resources-to-skip",
        value_name = "LOGICAL_ID",
        value_delimiter = ','
    )]
    pub(crate) orphan: Vec<String>,

    /// How to show progress: a live status line on a terminal, or appended event lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub(crate) progress: ProgressMode,
}

/// Continues a failed rollback (UPDATE_ROLLBACK_FAILED) or rolls back a stack that
/// `deploy --no-rollback` left in UPDATE_FAILED or CREATE_FAILED, and waits for it.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    let names: Vec<String> = args.stack.iter().cloned().collect();
    let stacks = ops::select::stacks(session.app, &names)?;
    let name = match stacks.as_slice() {
        [one] => one.stack_name().to_owned(),
        [] => {
            return Err(CliError::new(
                "the app has no stacks; add one with `App::stack`",
            ))
        }
        several => {
            return Err(CliError::new(format!(
                "the app has {} stacks; name the one to roll back: {}",
                several.len(),
                ops::select::list(several.iter().map(|s| s.stack_name()))
            )))
        }
    };
    let run = AwsRun::connect(session)?;
    let options = ops::rollback::Options {
        orphan: args.orphan.clone(),
        progress: args.progress,
        app: session.spec.name().to_owned(),
    };
    run.run(ops::rollback::rollback(
        session.shell,
        &run.aws,
        &name,
        &options,
        &run.tracker,
    ))
}
