//! `ls`: the app's stacks, one per line.

use crate::app::Session;
use crate::cli::LsArgs;
use crate::error::{CliError, CliResult};
use crate::{format, order};

/// Lists the stacks in dependency order.
pub(crate) fn exec(session: &mut Session<'_>, args: &LsArgs) -> CliResult {
    list(session, args.long)
}

/// Prints each stack's name, in dependency order (the order `deploy --all` takes); `long`
/// adds resource counts, which needs each stack's synthesis, and then a stack that cannot
/// be synthesized fails the command.
fn list(session: &mut Session<'_>, long: bool) -> CliResult {
    let all = session.stacks();
    let stacks = order::deploy_order(&all, &all, true);
    let shell = &mut *session.shell;
    let width = stacks
        .iter()
        .map(|s| s.stack_name().chars().count())
        .max()
        .unwrap_or(0);
    let mut failures = Vec::new();
    for stack in stacks {
        let name = stack.stack_name();
        let line = if long {
            let detail = match stack.synthesized() {
                Ok(synthesized) => format::count(synthesized.template.resources.len(), "resource"),
                Err(error) => {
                    let detail = format!(
                        "cannot be synthesized ({})",
                        format::count(error.problems.len(), "problem")
                    );
                    failures.push(error);
                    detail
                }
            };
            format!("{name:<width$}  {detail}\n")
        } else {
            format!("{name}\n")
        };
        shell.out(&line).map_err(CliError::stdout)?;
    }
    if failures.is_empty() {
        return Ok(());
    }
    for error in failures {
        shell.error(error);
    }
    Err(CliError::reported())
}
