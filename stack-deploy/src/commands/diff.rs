//! `diff`: what a deploy would change, per resource and property.

use crate::commands::{deploy::synthesize, AwsRun, Session};
use crate::error::{CliError, CliResult};
use crate::ops;

/// Arguments of `diff`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Stacks to compare; all of them when none is named
    #[arg(value_name = "STACK")]
    pub(crate) stacks: Vec<String>,

    /// Print the differences as JSON on stdout
    #[arg(long)]
    pub(crate) json: bool,

    /// Compare only the named stacks, not the stacks they depend on
    #[arg(short, long)]
    pub(crate) exclusively: bool,

    /// Compare templates only: do not create (and delete) a change set to learn which
    /// resources CloudFormation would replace
    #[arg(long)]
    pub(crate) no_change_set: bool,
}

/// Compares the local templates with the deployed ones: the named stacks and, as in CDK,
/// the stacks they depend on (what `deploy` of the same stacks would deploy). For a
/// deployed stack with modified resources, a change set is created and deleted again to
/// read CloudFormation's own replacement decisions. Exits with 2 when they differ.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    let selected = ops::select::stacks(session.app, &args.stacks)?;
    if selected.is_empty() {
        return Err(CliError::new(
            "the app has no stacks; add one with `App::stack`",
        ));
    }
    let ordered = ops::order::deploy_order(session.app, &selected, args.exclusively);
    let inputs = synthesize(session, &ordered)?;
    let run = AwsRun::connect(session)?;
    let options = ops::compare::DiffOptions {
        json: args.json,
        change_set: !args.no_change_set,
        app: session.spec.name(),
    };
    run.run(ops::compare::diff(
        session.shell,
        &run.aws,
        &inputs,
        options,
    ))
}
