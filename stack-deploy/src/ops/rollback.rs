//! `rollback`: bringing a stack that a failed operation left behind back to its last
//! stable state: ContinueUpdateRollback for `UPDATE_ROLLBACK_FAILED`, RollbackStack for
//! `UPDATE_FAILED` / `CREATE_FAILED` (left by `deploy --no-rollback`).

use crate::aws::{errors, Aws};
use crate::error::{CliError, CliResult};
use crate::ops::cfn::{self, Finished, StackInfo};
use crate::ops::deploy::token;
use crate::ops::interrupt::{Doing, Operation, Tracker};
use crate::ops::progress::{Progress, ProgressMode};
use crate::ops::select;
use crate::shell::{Shell, Style};

/// How `rollback` runs.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// `--orphan`: logical IDs CloudFormation skips, leaving them as they are.
    pub(crate) orphan: Vec<String>,
    pub(crate) progress: ProgressMode,
    /// The program's name, for the commands suggested in messages.
    pub(crate) app: String,
}

/// What rolling back a stack in its status takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// ContinueUpdateRollback.
    Continue,
    /// RollbackStack.
    Rollback,
    /// A rollback is already running: wait for it.
    Wait,
}

/// Rolls the stack back and waits; `Ok` once it is in a stable `*_COMPLETE` state.
pub(crate) async fn rollback(
    shell: &mut Shell,
    aws: &Aws,
    name: &str,
    options: &Options,
    tracker: &Tracker,
) -> CliResult {
    let app = options.app.as_str();
    let Some(stack) = cfn::describe(aws, name)
        .await
        .map_err(CliError::new)?
        .filter(|s| s.status != "REVIEW_IN_PROGRESS")
    else {
        return Err(CliError::new(format!(
            "`{name}` is not deployed; there is nothing to roll back"
        )));
    };
    let step = match stack.status.as_str() {
        "UPDATE_ROLLBACK_FAILED" => Step::Continue,
        "UPDATE_FAILED" | "CREATE_FAILED" => Step::Rollback,
        "ROLLBACK_IN_PROGRESS"
        | "UPDATE_ROLLBACK_IN_PROGRESS"
        | "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS" => Step::Wait,
        _ => return Err(CliError::new(not_applicable(&stack, app))),
    };
    if !options.orphan.is_empty() && step != Step::Continue {
        return Err(CliError::new(format!(
            "`--orphan` applies only to a stack in UPDATE_ROLLBACK_FAILED, whose rollback \
             stopped at those resources; `{name}` is {}, so nothing was changed; run `{app} \
             rollback {name}` without it",
            stack.status
        )));
    }
    let mut progress = Progress::new(shell, options.progress, 1, 1, name, 0);
    let prefix = progress.prefix();
    let marker = cfn::newest_event(aws, &stack.id)
        .await
        .map_err(CliError::new)?;
    tracker.set(Doing::Operation {
        stack: name.to_owned(),
        operation: Operation::Rollback,
    });
    match step {
        Step::Continue => {
            let skipped = if options.orphan.is_empty() {
                String::new()
            } else {
                format!(
                    ", leaving {} as {}",
                    select::list(options.orphan.iter().map(String::as_str)),
                    if options.orphan.len() == 1 {
                        "it is"
                    } else {
                        "they are"
                    }
                )
            };
            shell.status(format!(
                "{prefix}: continuing the rollback of `{name}` (UPDATE_ROLLBACK_FAILED){skipped}"
            ));
            aws.cfn
                .continue_update_rollback()
                .stack_name(&stack.id)
                .set_resources_to_skip((!options.orphan.is_empty()).then(|| options.orphan.clone()))
                .client_request_token(token("rollback"))
                .send()
                .await
                .map_err(|e| {
                    CliError::new(format!(
                        "cannot continue the rollback of `{name}`: {}",
                        errors::describe(&e)
                    ))
                })?;
        }
        Step::Rollback => {
            shell.status(format!(
                "{prefix}: rolling back `{name}` ({}) to its last stable state",
                stack.status
            ));
            aws.cfn
                .rollback_stack()
                .stack_name(&stack.id)
                .client_request_token(token("rollback"))
                .send()
                .await
                .map_err(|e| {
                    CliError::new(format!(
                        "cannot roll back `{name}`: {}",
                        errors::describe(&e)
                    ))
                })?;
        }
        Step::Wait => shell.status(format!(
            "{prefix}: a rollback is already running on `{name}` ({}); waiting for it",
            stack.status
        )),
    }
    let finished = cfn::wait(shell, aws, &stack.id, marker, &mut progress)
        .await
        .map_err(CliError::new)?;
    tracker.clear();
    let status = finished.stack.status.as_str();
    if !status.ends_with("_COMPLETE") {
        return Err(CliError::new(failed(&finished, options)));
    }
    let done = shell.paint_err(Style::Success, "rolled back");
    shell.status(format!(
        "{prefix}: {done} in {}; the stack is {status}",
        progress.elapsed()
    ));
    match status {
        "ROLLBACK_COMPLETE" => shell.note(format!(
            "`{name}` holds no resources now (its first create never completed); the next \
             `{app} deploy {name}` deletes it and creates it again"
        )),
        "DELETE_COMPLETE" => shell.note(format!(
            "`{name}` had no earlier stable state, so CloudFormation deleted it"
        )),
        _ => {}
    }
    if !options.orphan.is_empty() {
        let (verb, pronoun) = if options.orphan.len() == 1 {
            ("was", "it was")
        } else {
            ("were", "they were")
        };
        shell.warn(format!(
            "{} of `{name}` {verb} left as {pronoun} and may no longer match the template; \
             `{app} drift {name}` shows how, and the next deploy updates them",
            select::list(options.orphan.iter().map(String::as_str)),
        ));
    }
    Ok(())
}

/// The error for a rollback that did not reach a stable state.
fn failed(finished: &Finished, options: &Options) -> String {
    let app = options.app.as_str();
    let name = &finished.stack.name;
    let status = finished.stack.status.as_str();
    let mut message = match &finished.first_failure {
        Some(failure) => format!("{failure}\n"),
        None => String::new(),
    };
    message.push_str(&format!(
        "rolling back `{name}` failed: the stack is {status}"
    ));
    if let Some(reason) = &finished.stack.reason {
        message.push_str(&format!(" ({reason})"));
    }
    let advice = match status {
        "UPDATE_ROLLBACK_FAILED" => {
            let blocking = finished
                .first_failure
                .as_ref()
                .map_or("LOGICAL_ID", |f| f.logical_id.as_str());
            format!(
                "fix what blocks the rollback and run `{app} rollback {name}` again, or leave \
                 the resource as it is with `{app} rollback {name} --orphan {blocking}`"
            )
        }
        "ROLLBACK_FAILED" => format!(
            "CloudFormation cannot roll back a failed first create any further; delete the \
             stack with `{app} destroy {name}`"
        ),
        _ => format!(
            "see its events with `aws cloudformation describe-stack-events --stack-name \
             {name}`"
        ),
    };
    message.push_str(&format!("; {advice}"));
    message
}

/// Why a stack in this status is not rolled back, and what to do instead.
fn not_applicable(stack: &StackInfo, app: &str) -> String {
    let name = &stack.name;
    let status = stack.status.as_str();
    let why = match status {
        "ROLLBACK_COMPLETE" => format!(
            "its first create failed and was rolled back already; it holds no resources, and \
             the next `{app} deploy {name}` deletes it and creates it again"
        ),
        "ROLLBACK_FAILED" | "DELETE_FAILED" => {
            format!("CloudFormation cannot roll it back; delete it with `{app} destroy {name}`")
        }
        s if s.ends_with("_IN_PROGRESS") => format!(
            "an operation is running on it; wait for it to end (`{app} deploy {name}` waits \
             and shows its events), or stop an update with `aws cloudformation \
             cancel-update-stack --stack-name {name}`, which rolls it back"
        ),
        s if s.ends_with("_COMPLETE") => format!(
            "a stable state, so there is nothing to roll back: `rollback` is for a stack left \
             in UPDATE_ROLLBACK_FAILED, or in UPDATE_FAILED or CREATE_FAILED by `{app} deploy \
             --no-rollback`; to undo a change that was deployed, deploy the earlier version"
        ),
        _ => "a state that cannot be rolled back".to_owned(),
    };
    format!("`{name}` is {status}: {why}; nothing was changed")
}
