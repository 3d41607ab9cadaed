//! `diff`: what a deploy would change, per resource and property.

use stack_app::cli::DiffArgs;

use crate::commands::{check_envs, deploy::inputs, AwsRun, Session};
use crate::error::{CliError, CliResult};
use crate::ops;

/// Compares the local templates with the deployed ones: the named stacks and, as in CDK,
/// the stacks they depend on (what `deploy` of the same stacks would deploy). For a
/// deployed stack with modified resources, a change set is created and deleted again to
/// read CloudFormation's own replacement decisions. Exits with 2 when they differ.
pub(crate) fn exec(session: &mut Session<'_>, args: &DiffArgs) -> CliResult {
    let selected = ops::select::stacks(&session.stacks(), &args.stacks)?;
    if selected.is_empty() {
        return Err(CliError::new(
            "the app has no stacks; add one with `App::stack`",
        ));
    }
    let ordered = ops::order::deploy_order(&session.stacks(), &selected, args.exclusively);
    let inputs = inputs(&ordered);
    let run = AwsRun::connect(session)?;
    run.run(check_envs(&run.aws, &ordered, "diff"))?;
    let options = ops::compare::DiffOptions {
        json: args.json,
        change_set: !args.no_change_set,
        app: session.app_name(),
    };
    run.run(ops::compare::diff(
        session.shell,
        &run.aws,
        &inputs,
        options,
    ))
}
