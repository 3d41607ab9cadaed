//! Change sets: created, checked and approved before they are executed, or only read
//! for `diff`.

use aws_sdk_cloudformation::types::{Change, ChangeSetType, Parameter, Tag};
use serde_json::Value as Json;

use super::stack::{parameters, refuse_replacement, tags, token, CAPABILITIES};
use super::{Options, StackInput};
use crate::aws::{errors, Aws};
use crate::error::CliError;
use crate::ops::approval;
use crate::ops::cfn::{self, StackInfo};
use crate::ops::diff::{Action, TemplateDiff};
use crate::ops::interrupt::{Doing, Tracker};
use crate::ops::publish::{Staging, TemplateSource};
use crate::shell::Shell;

/// The changes CloudFormation would make to the deployed stack `existing` to reach
/// `input`, from a change set that is created, read and deleted without being executed:
/// `diff` takes each resource's `Replacement` from it, which the schemas can only guess.
/// Empty when CloudFormation sees nothing to change.
pub(crate) async fn preview_changes(
    shell: &mut Shell,
    aws: &Aws,
    app: &str,
    staging: &mut Staging,
    input: &StackInput,
    existing: &StackInfo,
) -> Result<Vec<Change>, String> {
    let source = staging
        .template(shell, aws, app, &input.name, &input.body)
        .await?;
    let change_set_name = format!("stack-diff-{}", token("cs").replace('-', ""));
    let mut request = aws
        .cfn
        .create_change_set()
        // By name, as deploy does: CloudFormation takes the ARN here, but not every
        // endpoint does (moto answers that the stack does not exist).
        .stack_name(&existing.name)
        .change_set_name(&change_set_name)
        .change_set_type(ChangeSetType::Update)
        .set_parameters(Some(parameters(input, Some(existing))))
        .set_tags(Some(tags(input)))
        .set_capabilities(Some(CAPABILITIES.to_vec()))
        .description(format!("{app} diff (never executed)"));
    request = match &source {
        TemplateSource::Body(body) => request.template_body(body),
        TemplateSource::Url(url) => request.template_url(url),
    };
    let created = request.send().await.map_err(|e| errors::describe(&e))?;
    let id = created.id().unwrap_or(&change_set_name).to_owned();
    let described = cfn::wait_change_set(aws, &id).await;
    // Best effort: a change set that is never executed changes nothing, and one left
    // behind is listed with the stack's change sets under a name that says what it was.
    let _ = aws
        .cfn
        .delete_change_set()
        .change_set_name(&id)
        .send()
        .await;
    let described = described?;
    if described.status().map(|s| s.as_str()) == Some("FAILED") {
        let reason = described.status_reason().unwrap_or("no reason given");
        return if cfn::means_no_changes(reason) {
            Ok(Vec::new())
        } else {
            Err(format!("the change set failed: {reason}"))
        };
    }
    Ok(described.changes().to_vec())
}

pub(super) struct ChangeSetStep<'a> {
    pub(super) name: &'a str,
    pub(super) source: &'a TemplateSource,
    pub(super) parameters: &'a [Parameter],
    pub(super) tags: &'a [Tag],
    pub(super) change_set_type: ChangeSetType,
    /// Whether creating the change set creates the stack (in `REVIEW_IN_PROGRESS`), which
    /// must then be removed again if the change set is not executed.
    pub(super) created_stack: bool,
}

impl ChangeSetStep<'_> {
    /// Creates and checks the change set, asks for approval, and executes it. `None` when
    /// there is nothing to change; otherwise the stack id and the newest event before the
    /// change set. Fails, executing nothing, when another operation ran on the stack in
    /// between.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn run(
        &self,
        shell: &mut Shell,
        aws: &Aws,
        options: &Options,
        tracker: &Tracker,
        prefix: &str,
        diff: Option<&TemplateDiff>,
        input: &StackInput,
    ) -> Result<Option<(String, Option<String>)>, CliError> {
        let name = self.name;
        // The newest event before the change set is computed: a different one before it
        // is executed means another operation ran in between, whose changes executing this
        // change set would undo.
        let before = if self.change_set_type == ChangeSetType::Update {
            cfn::newest_event(aws, name).await.map_err(CliError::new)?
        } else {
            None
        };
        let change_set_name = format!("stack-deploy-{}", token("cs").replace('-', ""));
        let mut request = aws
            .cfn
            .create_change_set()
            .stack_name(name)
            .change_set_name(&change_set_name)
            .change_set_type(self.change_set_type.clone())
            .set_parameters(Some(self.parameters.to_vec()))
            .set_tags(Some(self.tags.to_vec()))
            .set_capabilities(Some(CAPABILITIES.to_vec()))
            .description(format!("{} deploy", options.app));
        request = match self.source {
            TemplateSource::Body(body) => request.template_body(body),
            TemplateSource::Url(url) => request.template_url(url),
        };
        let created = request.send().await.map_err(|e| {
            CliError::new(format!(
                "cannot create a change set for `{name}`: {}",
                errors::describe(&e)
            ))
        })?;
        let change_set_id = created.id().unwrap_or(&change_set_name).to_owned();
        let stack_id = created.stack_id().unwrap_or(name).to_owned();
        tracker.set(Doing::ChangeSet {
            stack: name.to_owned(),
            change_set: change_set_name.clone(),
        });
        shell.status(format!("{prefix}: change set `{change_set_name}` created"));

        let described = cfn::wait_change_set(aws, &change_set_id)
            .await
            .map_err(CliError::new)?;
        let status = described
            .status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default();
        if status == "FAILED" {
            let reason = described
                .status_reason()
                .unwrap_or("no reason given")
                .to_owned();
            self.discard(aws, &change_set_id, &stack_id).await;
            if cfn::means_no_changes(&reason) {
                return Ok(None);
            }
            return Err(CliError::new(format!(
                "the change set for `{name}` failed: {reason}"
            )));
        }
        let changes = described.changes();
        show_changes(shell, prefix, changes);
        if options.no_rollback {
            let refused = refuse_replacement(
                name,
                &replaced(changes),
                "as the change set says",
                &options.app,
            );
            if let Err(error) = refused {
                self.discard(aws, &change_set_id, &stack_id).await;
                return Err(error);
            }
        }
        if let Some(diff) = diff {
            let mut diff = diff.clone();
            mark_change_set_replacements(&mut diff, changes);
            if let Err(error) = approve(shell, options, name, &diff, &input.template, changes).await
            {
                self.discard(aws, &change_set_id, &stack_id).await;
                return Err(error);
            }
        }
        if self.change_set_type == ChangeSetType::Update {
            let now = cfn::newest_event(aws, &stack_id)
                .await
                .map_err(CliError::new)?;
            if now != before {
                self.discard(aws, &change_set_id, &stack_id).await;
                return Err(CliError::new(format!(
                    "`{name}` was changed by another operation (another deploy?) after this \
                     deploy computed its change set, so the change set was deleted without \
                     being executed: it would have undone that change; run `{} deploy {name}` \
                     again to deploy against the stack as it is now",
                    options.app
                )));
            }
        }
        let executed = aws
            .cfn
            .execute_change_set()
            .change_set_name(&change_set_id)
            .set_disable_rollback(options.no_rollback.then_some(true))
            .client_request_token(token("execute"))
            .send()
            .await;
        if let Err(error) = executed {
            let mut message = format!(
                "cannot execute the change set for `{name}`: {}",
                errors::describe(&error)
            );
            if self.discard(aws, &change_set_id, &stack_id).await {
                message.push_str(&format!(
                    "; another deploy of `{name}` may be running at the same time; the empty \
                     stack this deploy created for its change set was deleted again"
                ));
            }
            return Err(CliError::new(message));
        }
        Ok(Some((stack_id, before)))
    }

    /// Deletes an unexecuted change set, and the empty stack it created while that stack
    /// is still empty (`REVIEW_IN_PROGRESS`): another deploy may have created the stack
    /// under the same id and be running it. Best effort, as the error being reported
    /// matters more; whether the stack was deleted.
    async fn discard(&self, aws: &Aws, change_set_id: &str, stack_id: &str) -> bool {
        let _ = aws
            .cfn
            .delete_change_set()
            .change_set_name(change_set_id)
            .send()
            .await;
        if !self.created_stack {
            return false;
        }
        let empty = cfn::describe(aws, stack_id)
            .await
            .ok()
            .flatten()
            .is_some_and(|s| s.status == "REVIEW_IN_PROGRESS");
        empty
            && aws
                .cfn
                .delete_stack()
                .stack_name(stack_id)
                .send()
                .await
                .is_ok()
    }
}

/// Lists what the change set will do, replacements first marked.
fn show_changes(shell: &mut Shell, prefix: &str, changes: &[Change]) {
    for change in changes {
        let Some(resource) = change.resource_change() else {
            continue;
        };
        let action = resource.action().map(|a| a.as_str()).unwrap_or("?");
        let replacement = match resource.replacement().map(|r| r.as_str()) {
            Some("True") => " (replacement)",
            Some("Conditional") => " (may be replaced)",
            _ => "",
        };
        shell.status(format!(
            "{prefix}: {action:<6} {} {}{replacement}",
            resource.resource_type().unwrap_or_default(),
            resource.logical_resource_id().unwrap_or_default()
        ));
    }
}

/// The resources a change set replaces, as CDK reads it: `Replacement: True`, or a
/// `PolicyAction` that replaces (`ReplaceAndDelete`, `ReplaceAndRetain`,
/// `ReplaceAndSnapshot`).
fn replaced(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .filter_map(Change::resource_change)
        .filter(|c| {
            c.replacement().map(|r| r.as_str()) == Some("True")
                || c.policy_action()
                    .is_some_and(|a| a.as_str().starts_with("Replace"))
        })
        .map(|c| {
            format!(
                "`{}` ({})",
                c.logical_resource_id().unwrap_or_default(),
                c.resource_type().unwrap_or_default()
            )
        })
        .collect()
}

/// Change-set `Replacement` overrides the schema's guess.
pub(crate) fn mark_change_set_replacements(diff: &mut TemplateDiff, changes: &[Change]) {
    for change in changes.iter().filter_map(Change::resource_change) {
        let Some(id) = change.logical_resource_id() else {
            continue;
        };
        let Some(replacement) = approval::change_set_replacement(changes, id) else {
            continue;
        };
        if let Some(entry) = diff.resource_mut(id) {
            if entry.action == Action::Modify {
                entry.replacement = replacement;
            }
        }
    }
}

/// Asks for approval when the change needs it; fails when nobody can be asked or the
/// answer is no.
pub(super) async fn approve(
    shell: &mut Shell,
    options: &Options,
    name: &str,
    diff: &TemplateDiff,
    template: &Json,
    changes: &[Change],
) -> Result<(), CliError> {
    let reasons = approval::reasons(options.approval, diff, template.get("Resources"), changes);
    if reasons.is_empty() {
        return Ok(());
    }
    let level = options.approval.as_str();
    let mut summary = format!("deploying `{name}` needs approval (`--require-approval {level}`):");
    for reason in &reasons {
        summary.push_str(&format!("\n  - {reason}"));
    }
    if !shell.is_interactive() {
        return Err(CliError::new(format!(
            "{summary}\nno terminal to ask on, so nothing was deployed; review the changes with \
             `{} diff {name}`, then deploy with `--require-approval never`",
            options.app
        )));
    }
    shell.status(summary);
    match shell.ask(&format!("Deploy `{name}`?")).await {
        Some(true) => Ok(()),
        _ => Err(CliError::new(format!(
            "deployment of `{name}` declined; nothing was changed"
        ))),
    }
}
