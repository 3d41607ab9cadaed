//! `ls`: the app's stacks, one per line.

use crate::commands::Session;
use crate::error::CliResult;
use crate::ops;

/// Arguments of `ls`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Also show how many resources each stack has
    #[arg(short, long)]
    pub(crate) long: bool,
}

/// Lists the stacks in dependency order.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    ops::ls::list(session.shell, session.app, args.long)
}
