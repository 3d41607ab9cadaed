//! `bootstrap`: create or update the staging stack of the account and region.

use stack_app::cli::BootstrapArgs;

use crate::commands::{AwsRun, Session};
use crate::error::CliResult;
use crate::ops;

/// Deploys the staging stack.
pub(crate) fn exec(session: &mut Session<'_>, args: &BootstrapArgs) -> CliResult {
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
        session.app_name(),
        args.progress,
        &run.tracker,
    ))
}
