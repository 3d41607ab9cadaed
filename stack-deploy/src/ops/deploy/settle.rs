//! Bringing a stack to a state a deploy can start from.

use std::time::{Duration, Instant};

use super::stack::token;
use super::Options;
use crate::aws::{errors, Aws};
use crate::error::CliError;
use crate::ops::cfn::{self, Patience, Phase, StackInfo};
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
    let since = Instant::now();
    let patience = Patience {
        since,
        until: options.wait_timeout.map(|limit| since + limit),
    };
    // Bounded: each pass either returns or waits for one operation to finish.
    for _ in 0..3 {
        let Some(stack) = cfn::describe(aws, name).await.map_err(CliError::new)? else {
            return Ok(None);
        };
        match cfn::phase(&stack.status) {
            Phase::InProgress => {
                let last = cfn::last_event(aws, &stack.id)
                    .await
                    .map_err(CliError::new)?;
                let limit = match options.wait_timeout {
                    Some(limit) => format!("at most {}", cfn::minutes(limit)),
                    None => "with no limit (`--timeout` sets one)".to_owned(),
                };
                let shown = last
                    .as_ref()
                    .map(|e| format!("; last event: {}", cfn::event_line(e)))
                    .unwrap_or_default();
                shell.status(format!(
                    "{prefix}: waiting for the operation already running on `{name}` ({}), \
                     {limit}{shown}",
                    stack.status
                ));
                let marker = last.and_then(|e| e.event_id().map(str::to_owned));
                let finished =
                    cfn::wait_until(shell, aws, &stack.id, marker, progress, Some(patience))
                        .await
                        .map_err(CliError::new)?;
                if finished.is_none() {
                    return Err(still_busy(&stack, since.elapsed(), &options.app));
                }
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
            // Left as it failed by `--no-rollback`: it can be updated again the same way.
            Phase::Failed
                if options.no_rollback
                    && matches!(stack.status.as_str(), "CREATE_FAILED" | "UPDATE_FAILED") =>
            {
                return Ok(Some(stack))
            }
            Phase::Failed => {
                let advice = match stack.status.as_str() {
                    "UPDATE_ROLLBACK_FAILED" => format!(
                        "continue the rollback first with `{app} rollback {name}` (`--orphan` \
                         skips resources that cannot be rolled back), then deploy again",
                        app = options.app
                    ),
                    "CREATE_FAILED" | "UPDATE_FAILED" => format!(
                        "it was left as it failed by a deploy with `--no-rollback`; deploy it \
                         again with `--no-rollback` (`{app} deploy {name} --no-rollback`), or \
                         return it to its last stable state with `{app} rollback {name}` first",
                        app = options.app
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

/// The error when an operation someone else started outlasts `--timeout`.
fn still_busy(stack: &StackInfo, waited: Duration, app: &str) -> CliError {
    let name = &stack.name;
    let advice = if stack.status == "UPDATE_IN_PROGRESS" {
        format!(
            "to stop the update, run `aws cloudformation cancel-update-stack --stack-name \
             {name}`, which rolls it back"
        )
    } else {
        "CloudFormation cannot cancel this operation; it ends on its own, at the latest when \
         a resource's own timeout runs out"
            .to_owned()
    };
    CliError::new(format!(
        "`{name}` is still {} after waiting {} for the operation already running on it, so \
         nothing was deployed; see what it is doing with `aws cloudformation \
         describe-stack-events --stack-name {name}`; {advice}; then run `{app} deploy {name}` \
         again",
        stack.status,
        cfn::minutes(waited)
    ))
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
