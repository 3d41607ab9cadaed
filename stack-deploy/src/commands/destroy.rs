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

    /// Destroy only the named stacks, not the stacks that depend on them
    #[arg(short, long)]
    pub(crate) exclusively: bool,

    /// How to show progress: a live status line on a terminal, or appended event lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub(crate) progress: ProgressMode,
}

/// Deletes the stacks in reverse dependency order and waits for each.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    let selected = choose_stacks(session.app, &args.stacks, args.all, "destroy")?;
    let names: Vec<String> = ops::order::destroy_order(session.app, &selected, args.exclusively)
        .iter()
        .map(|s| s.stack_name().to_owned())
        .collect();
    let added: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|name| !selected.iter().any(|s| s.stack_name() == *name))
        .collect();
    if !added.is_empty() {
        let depend = if added.len() == 1 {
            "it depends"
        } else {
            "they depend"
        };
        session.shell.note(format!(
            "destroying {} too: {depend} on the named stacks (`--exclusively` destroys only \
             the named stacks)",
            ops::select::list(added)
        ));
    }
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
