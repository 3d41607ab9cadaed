//! `bootstrap`: create or update the staging stack of the account and region.

use crate::commands::{AwsRun, Session};
use crate::error::CliResult;
use crate::ops;
use crate::ops::progress::ProgressMode;

/// Arguments of `bootstrap`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Name of the staging stack
    #[arg(long, value_name = "NAME", default_value = ops::bootstrap::DEFAULT_STACK)]
    pub(crate) toolkit_stack_name: String,

    /// How to show progress: a live status line on a terminal, or appended event lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub(crate) progress: ProgressMode,

    /// Print the staging template instead of deploying it
    #[arg(long)]
    pub(crate) show_template: bool,
}

/// Deploys the staging stack.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    if args.show_template {
        let text = format!("{:#}\n", ops::bootstrap::template());
        return session
            .shell
            .out(&text)
            .map_err(crate::error::CliError::stdout);
    }
    let run = AwsRun::connect(session)?;
    run.run(ops::bootstrap::bootstrap(
        session.shell,
        &run.aws,
        &args.toolkit_stack_name,
        session.spec.name(),
        args.progress,
        &run.tracker,
    ))
}
