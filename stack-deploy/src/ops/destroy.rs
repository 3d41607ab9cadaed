//! Deleting stacks and waiting for them, naming what CloudFormation keeps.

use serde_json::Value as Json;

use crate::aws::{errors, Aws};
use crate::error::{CliError, CliResult};
use crate::ops::cfn::{self, StackInfo};
use crate::ops::interrupt::{Doing, Operation, Tracker};
use crate::ops::progress::{Progress, ProgressMode};
use crate::ops::{format, select};
use crate::shell::{Shell, Style};

/// How `destroy` runs.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// `--force`: do not ask.
    pub(crate) force: bool,
    pub(crate) progress: ProgressMode,
    /// The program's name, for messages.
    pub(crate) app: String,
}

/// Deletes the stacks named, one at a time in the order given, after asking unless
/// `--force`.
pub(crate) async fn destroy(
    shell: &mut Shell,
    aws: &Aws,
    names: &[String],
    options: &Options,
    tracker: &Tracker,
) -> CliResult {
    let mut existing: Vec<StackInfo> = Vec::new();
    for name in names {
        match cfn::describe(aws, name).await.map_err(CliError::new)? {
            Some(stack) => existing.push(stack),
            None => shell.status(format!("{name}: not deployed; nothing to destroy")),
        }
    }
    if existing.is_empty() {
        return Ok(());
    }
    let listed = select::list(existing.iter().map(|s| s.name.as_str()));
    if !options.force {
        if !shell.is_interactive() {
            return Err(CliError::new(format!(
                "destroying {listed} needs confirmation and there is no terminal to ask on; \
                 pass `--force` to destroy without asking"
            )));
        }
        let question = format!(
            "Destroy {listed}? Their resources are deleted, except those with a DeletionPolicy that retains them."
        );
        if shell.confirm(&question) != Some(true) {
            return Err(CliError::new("destroy declined; nothing was deleted"));
        }
    }
    let count = existing.len();
    for (i, stack) in existing.iter().enumerate() {
        destroy_one(shell, aws, stack, (i + 1, count), options, tracker).await?;
        tracker.finish(&stack.name);
    }
    tracker.clear();
    Ok(())
}

async fn destroy_one(
    shell: &mut Shell,
    aws: &Aws,
    stack: &StackInfo,
    position: (usize, usize),
    options: &Options,
    tracker: &Tracker,
) -> CliResult {
    let name = stack.name.as_str();
    // A stack being changed cannot be deleted until the change ends.
    let mut stack = stack.clone();
    if cfn::phase(&stack.status) == cfn::Phase::InProgress {
        shell.status(format!(
            "{name}: waiting for the operation already running ({})",
            stack.status
        ));
        let marker = cfn::newest_event(aws, &stack.id)
            .await
            .map_err(CliError::new)?;
        let mut progress = Progress::new(shell, options.progress, position.0, position.1, name, 0);
        stack = cfn::wait(shell, aws, &stack.id, marker, &mut progress)
            .await
            .map_err(CliError::new)?
            .stack;
        if stack.status == "DELETE_COMPLETE" {
            return Ok(());
        }
    }
    let template = match cfn::template(aws, &stack.id).await {
        Ok(template) => Some(template),
        Err(error) => {
            shell.warn(format!(
                "{error}; retained resources cannot be listed in advance"
            ));
            None
        }
    };
    let mut retained = template
        .as_ref()
        .map(retained_resources)
        .unwrap_or_default();
    let total = template
        .as_ref()
        .and_then(|t| t.get("Resources"))
        .and_then(Json::as_object)
        .map_or(0, |r| r.len());
    let mut progress = Progress::new(shell, options.progress, position.0, position.1, name, total);
    shell.status(format!("{}: destroying", progress.prefix()));
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
        .send()
        .await
        .map_err(|e| CliError::new(format!("cannot delete `{name}`: {}", errors::describe(&e))))?;
    let finished = cfn::wait(shell, aws, &stack.id, marker, &mut progress)
        .await
        .map_err(CliError::new)?;
    if finished.stack.status != "DELETE_COMPLETE" {
        let mut message = match &finished.first_failure {
            Some(failure) => format!("{failure}\n"),
            None => String::new(),
        };
        message.push_str(&format!(
            "destroying `{name}` failed: the stack is {}",
            finished.stack.status
        ));
        if let Some(reason) = &finished.stack.reason {
            message.push_str(&format!(" ({reason})"));
        }
        message.push_str(&format!(
            "; fix or empty what blocks the deletion, then run `{} destroy {name}` again",
            options.app
        ));
        return Err(CliError::new(message));
    }
    for (id, ty) in finished.skipped {
        if !retained.iter().any(|(r, _)| *r == id) {
            retained.push((id, ty));
        }
    }
    let done = shell.paint_err(Style::Success, "destroyed");
    shell.status(format!(
        "{}: {done} in {}",
        progress.prefix(),
        progress.elapsed()
    ));
    if !retained.is_empty() {
        let list: Vec<String> = retained
            .iter()
            .map(|(id, ty)| format!("`{id}` ({ty})"))
            .collect();
        shell.warn(format!(
            "`{name}`: CloudFormation kept {} because of {}: {}; delete {} by hand when no longer needed",
            format::count(retained.len(), "resource"),
            if retained.len() == 1 { "its DeletionPolicy" } else { "their DeletionPolicy" },
            list.join(", "),
            if retained.len() == 1 { "it" } else { "them" }
        ));
    }
    Ok(())
}

/// Resources whose `DeletionPolicy` keeps them when the stack is deleted.
pub(crate) fn retained_resources(template: &Json) -> Vec<(String, String)> {
    template
        .get("Resources")
        .and_then(Json::as_object)
        .map(|resources| {
            resources
                .iter()
                .filter(|(_, r)| {
                    matches!(
                        r.get("DeletionPolicy").and_then(Json::as_str),
                        Some("Retain" | "RetainExceptOnCreate")
                    )
                })
                .map(|(id, r)| {
                    (
                        id.clone(),
                        r.get("Type")
                            .and_then(Json::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
