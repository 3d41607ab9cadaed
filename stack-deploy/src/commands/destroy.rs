//! `destroy`: delete stacks, dependants first, after a confirmation.

use stack_app::cli::DestroyArgs;

use crate::commands::{check_envs, AwsRun, Session};
use crate::error::CliResult;
use crate::ops;

/// Deletes the stacks in reverse dependency order and waits for each.
pub(crate) fn exec(session: &mut Session<'_>, args: &DestroyArgs) -> CliResult {
    let selected = ops::select::choose(&session.stacks(), &args.stacks, args.all, "destroy")?;
    let ordered = ops::order::destroy_order(&session.stacks(), &selected, args.exclusively);
    let names: Vec<String> = ordered.iter().map(|s| s.name.clone()).collect();
    let added: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|name| !selected.iter().any(|s| s.name.as_str() == *name))
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
    run.run(check_envs(&run.aws, &ordered, "destroy"))?;
    let options = ops::destroy::Options {
        force: args.force,
        progress: args.progress,
        app: session.app_name().to_owned(),
    };
    run.run(ops::destroy::destroy(
        session.shell,
        &run.aws,
        &names,
        &options,
        &run.tracker,
    ))
}
