//! `doctor`: the resolved region, credentials source, endpoint, bootstrap state and docker
//! engine.

use stack_app::cli::DoctorArgs;

use crate::commands::{AwsRun, Session};
use crate::error::CliResult;
use crate::ops;

/// Prints what deploys would use, and fails when something is not usable.
pub(crate) fn exec(session: &mut Session<'_>, args: &DoctorArgs) -> CliResult {
    let run = AwsRun::connect(session)?;
    run.run(ops::doctor::doctor(
        session.shell,
        &run.aws,
        &args.toolkit_stack_name,
        session.app_name(),
        &ops::image::docker_command(session.env),
    ))
}
