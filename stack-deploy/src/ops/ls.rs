//! Listing stacks.

use stack_core::App;

use crate::error::{CliError, CliResult};
use crate::ops::{format, order};
use crate::shell::Shell;

/// Prints each stack's name, in dependency order (the order `deploy --all` takes); `long`
/// adds resource counts, which needs each stack's synthesis, and then a stack that cannot
/// be synthesized fails the command.
pub(crate) fn list(shell: &mut Shell, app: &App, long: bool) -> CliResult {
    let all: Vec<_> = app.stacks().collect();
    let stacks = order::deploy_order(app, &all, true);
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
