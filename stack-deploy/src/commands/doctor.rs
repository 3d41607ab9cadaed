//! `doctor`: the resolved region, credentials source, endpoint, bootstrap state and docker
//! engine.

use crate::commands::{AwsRun, Session};
use crate::error::CliResult;
use crate::ops;

/// Arguments of `doctor`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Name of the staging stack to look for
    #[arg(long, value_name = "NAME", default_value = ops::bootstrap::DEFAULT_STACK)]
    pub(crate) toolkit_stack_name: String,
}

/// Prints what deploys would use, and fails when something is not usable.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    let run = AwsRun::connect(session)?;
    run.run(ops::doctor::doctor(
        session.shell,
        &run.aws,
        &args.toolkit_stack_name,
        session.spec.name(),
        &ops::image::docker_command(session.env),
    ))
}
