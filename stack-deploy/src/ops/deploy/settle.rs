//! Bringing a stack to a state a deploy can start from.

use super::stack::token;
use super::Options;
use crate::aws::{errors, Aws};
use crate::error::CliError;
use crate::ops::cfn::{self, Phase, StackInfo};
use crate::ops::interrupt::{Doing, Operation, Tracker};
use crate::ops::progress::Progress;
use crate::shell::{Shell, Style};

/// Brings the stack to a state a deploy can start from: waits for an operation already
/// running, and deletes a stack left in `ROLLBACK_COMPLETE` by a failed first create.
/// Returns the stack, or `None` when there is none.
pub(super) async fn settle(
    shell: &mut Shell,
    aws: &Aws,
    options: &Options,
    name: &str,
    progress: &mut Progress,
    tracker: &Tracker,
) -> Result<Option<StackInfo>, CliError> {
    let prefix = progress.prefix();
    // Bounded: each pass either returns or waits for one operation to finish.
    for _ in 0..3 {
        let Some(stack) = cfn::describe(aws, name).await.map_err(CliError::new)? else {
            return Ok(None);
        };
        match cfn::phase(&stack.status) {
            Phase::InProgress => {
                shell.status(format!(
                    "{prefix}: waiting for the operation already running on `{name}` ({})",
                    stack.status
                ));
                let marker = cfn::newest_event(aws, &stack.id)
                    .await
                    .map_err(CliError::new)?;
                cfn::wait(shell, aws, &stack.id, marker, progress)
                    .await
                    .map_err(CliError::new)?;
            }
            Phase::Review | Phase::Complete => return Ok(Some(stack)),
            Phase::Failed if stack.status == "ROLLBACK_COMPLETE" => {
                let note = shell.paint_err(Style::Warning, "ROLLBACK_COMPLETE");
                shell.status(format!(
                    "{prefix}: `{name}` is {note} after a failed first create and cannot be \
                     updated; deleting it and creating it again"
                ));
                delete_and_wait(shell, aws, name, &Some(stack), progress, tracker).await?;
                return Ok(None);
            }
            Phase::Failed if cfn::updatable(&stack.status) => return Ok(Some(stack)),
            Phase::Failed => {
                let advice = match stack.status.as_str() {
                    "UPDATE_ROLLBACK_FAILED" => format!(
                        "continue the rollback first (`aws cloudformation continue-update-rollback \
                         --stack-name {name}`), then deploy again"
                    ),
                    _ => format!(
                        "delete it first with `{} destroy {name}`, then deploy again",
                        options.app
                    ),
                };
                let reason = stack
                    .reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                return Err(CliError::new(format!(
                    "stack `{name}` is {}{reason} and cannot be updated; {advice}",
                    stack.status
                )));
            }
        }
    }
    Err(CliError::new(format!(
        "stack `{name}` is still busy after waiting for three operations; try again later"
    )))
}

pub(super) async fn delete_and_wait(
    shell: &mut Shell,
    aws: &Aws,
    name: &str,
    existing: &Option<StackInfo>,
    progress: &mut Progress,
    tracker: &Tracker,
) -> Result<(), CliError> {
    let Some(stack) = existing else {
        return Ok(());
    };
    let marker = cfn::newest_event(aws, &stack.id)
        .await
        .map_err(CliError::new)?;
    tracker.set(Doing::Operation {
        stack: name.to_owned(),
        operation: Operation::Delete,
    });
    aws.cfn
        .delete_stack()
        .stack_name(&stack.id)
        .client_request_token(token("delete"))
        .send()
        .await
        .map_err(|e| CliError::new(format!("cannot delete `{name}`: {}", errors::describe(&e))))?;
    let finished = cfn::wait(shell, aws, &stack.id, marker, progress)
        .await
        .map_err(CliError::new)?;
    if finished.stack.status != "DELETE_COMPLETE" {
        let cause = finished
            .first_failure
            .map(|f| format!("; first failure: {f}"))
            .unwrap_or_default();
        return Err(CliError::new(format!(
            "could not delete `{name}`: it is {}{cause}",
            finished.stack.status
        )));
    }
    tracker.set(Doing::Preparing {
        stack: name.to_owned(),
    });
    Ok(())
}
