//! `destroy`: delete stacks, dependants first, after a confirmation.

use crate::commands::{choose_stacks, AwsRun, Session};
use crate::error::CliResult;
use crate::ops;
use crate::ops::progress::ProgressMode;

/// Arguments of `destroy`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Stacks to destroy; the app's only stack when none is named
    #[arg(value_name = "STACK")]
    pub(crate) stacks: Vec<String>,

    /// Destroy every stack of the app
    #[arg(long, conflicts_with = "stacks")]
    pub(crate) all: bool,

    /// Do not ask for confirmation
    #[arg(short, long)]
    pub(crate) force: bool,

    /// How to show progress: a live status line on a terminal, or appended event lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub(crate) progress: ProgressMode,
}

/// Deletes the stacks in reverse dependency order and waits for each.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    let selected = choose_stacks(session.app, &args.stacks, args.all, "destroy")?;
    let names: Vec<String> = ops::order::destroy_order(session.app, &selected)
        .iter()
        .map(|s| s.stack_name().to_owned())
        .collect();
    let run = AwsRun::connect(session)?;
    let options = ops::destroy::Options {
        force: args.force,
        progress: args.progress,
        app: session.spec.name().to_owned(),
    };
    run.run(ops::destroy::destroy(
        session.shell,
        &run.aws,
        &names,
        &options,
        &run.tracker,
    ))
}
