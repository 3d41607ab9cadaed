//! `drift`: whether the deployed resources still match their templates.

use std::time::Duration;

use crate::commands::{choose_stacks, deploy::parse_duration, AwsRun, Session};
use crate::error::CliResult;
use crate::ops;
use crate::ops::progress::ProgressMode;

/// Arguments of `drift`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Stacks to check; the app's only stack when none is named
    #[arg(value_name = "STACK")]
    pub(crate) stacks: Vec<String>,

    /// Check every stack of the app
    #[arg(long, conflicts_with = "stacks")]
    pub(crate) all: bool,

    /// Print the result as JSON on stdout
    #[arg(long)]
    pub(crate) json: bool,

    /// How long to wait for CloudFormation's detection on one stack, as 90s, 30m or 1h
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "10m")]
    pub(crate) timeout: Duration,

    /// How to show progress: a live status line on a terminal, or appended lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub(crate) progress: ProgressMode,
}

/// Runs CloudFormation's drift detection on each stack and prints the resources that no
/// longer match their template. Exits with 2 when one drifted, 1 when a stack is not
/// deployed or could not be checked.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    let names: Vec<String> = choose_stacks(session.app, &args.stacks, args.all, "check")?
        .iter()
        .map(|s| s.stack_name().to_owned())
        .collect();
    let run = AwsRun::connect(session)?;
    let options = ops::drift::Options {
        json: args.json,
        progress: args.progress,
        timeout: args.timeout,
        app: session.spec.name().to_owned(),
    };
    run.run(ops::drift::drift(session.shell, &run.aws, &names, &options))
}
