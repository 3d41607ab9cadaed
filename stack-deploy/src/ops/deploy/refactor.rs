//! Moving renamed resources (`#[renamed_from]`) to their new logical IDs with
//! CloudFormation's stack refactoring, before the update that would otherwise delete them
//! and create new ones.
//!
//! A refactor may change logical IDs and nothing else, so the template it takes is the
//! deployed one with the moved IDs renamed (and every reference to them), not the new
//! template: the update that follows brings the rest.

use aws_sdk_cloudformation::types::{
    ResourceLocation, ResourceMapping, StackDefinition, StackRefactorExecutionStatus,
    StackRefactorStatus,
};

use super::StackInput;
use crate::aws::{errors, Aws};
use crate::error::CliError;
use crate::ops::cfn::{self, StackInfo};
use crate::ops::publish::{Staging, TemplateSource};
use crate::ops::renames::{self, Move};
use crate::shell::Shell;

/// Moves every declared rename whose old logical ID the deployed `stack` still has. A
/// refactor that fails stops the deploy with its reason.
pub(super) async fn move_renamed(
    shell: &mut Shell,
    aws: &Aws,
    app: &str,
    staging: &mut Staging,
    prefix: &str,
    input: &StackInput,
    stack: &StackInfo,
) -> Result<(), CliError> {
    if input.renames.is_empty() {
        return Ok(());
    }
    let deployed = cfn::template(aws, &stack.id).await.map_err(CliError::new)?;
    let moves = renames::declared_moves(&input.renames, &deployed, &input.template);
    if moves.is_empty() {
        return Ok(());
    }
    let name = input.name.as_str();
    for m in &moves {
        shell.status(format!("{prefix}: moving renamed {}", m.describe()));
    }
    let body = format!("{:#}\n", renames::rename_ids(&deployed, &moves));
    let definition = match staging
        .template(shell, aws, app, name, &body)
        .await
        .map_err(CliError::new)?
    {
        TemplateSource::Body(body) => StackDefinition::builder().template_body(body),
        TemplateSource::Url(url) => StackDefinition::builder().template_url(url),
    }
    .stack_name(name)
    .build();
    let fail = |what: String| {
        CliError::new(format!(
            "could not move the renamed resources of `{name}` ({}): {what}; nothing was deployed",
            list(&moves)
        ))
    };
    let created = aws
        .cfn
        .create_stack_refactor()
        .description(format!("{app}: renamed resources of {name}"))
        .enable_stack_creation(false)
        .set_resource_mappings(Some(moves.iter().map(|m| mapping(name, m)).collect()))
        .stack_definitions(definition)
        .send()
        .await
        .map_err(|e| fail(errors::describe(&e)))?;
    let id = created
        .stack_refactor_id()
        .ok_or_else(|| fail("CloudFormation returned no refactor ID".to_owned()))?
        .to_owned();

    let described = wait(aws, &id, |d| {
        d.status() == Some(&StackRefactorStatus::CreateInProgress)
    })
    .await
    .map_err(fail)?;
    if described.status() != Some(&StackRefactorStatus::CreateComplete) {
        return Err(fail(status_text(
            described.status().map(StackRefactorStatus::as_str),
            described.status_reason(),
        )));
    }
    if described.execution_status() != Some(&StackRefactorExecutionStatus::Available) {
        return Err(fail(status_text(
            described
                .execution_status()
                .map(StackRefactorExecutionStatus::as_str),
            described.execution_status_reason(),
        )));
    }

    aws.cfn
        .execute_stack_refactor()
        .stack_refactor_id(&id)
        .send()
        .await
        .map_err(|e| fail(errors::describe(&e)))?;
    let executed = wait(aws, &id, |d| {
        matches!(
            d.execution_status(),
            Some(
                StackRefactorExecutionStatus::ExecuteInProgress
                    | StackRefactorExecutionStatus::RollbackInProgress
            )
        )
    })
    .await
    .map_err(fail)?;
    if executed.execution_status() != Some(&StackRefactorExecutionStatus::ExecuteComplete) {
        return Err(fail(status_text(
            executed
                .execution_status()
                .map(StackRefactorExecutionStatus::as_str),
            executed.execution_status_reason(),
        )));
    }
    shell.status(format!(
        "{prefix}: moved {}",
        crate::ops::format::count(moves.len(), "renamed resource")
    ));
    Ok(())
}

type Described =
    aws_sdk_cloudformation::operation::describe_stack_refactor::DescribeStackRefactorOutput;

/// Describes the refactor `id` until `busy` says it is done.
async fn wait(aws: &Aws, id: &str, busy: impl Fn(&Described) -> bool) -> Result<Described, String> {
    loop {
        let described = aws
            .cfn
            .describe_stack_refactor()
            .stack_refactor_id(id)
            .send()
            .await
            .map_err(|e| errors::describe(&e))?;
        if !busy(&described) {
            return Ok(described);
        }
        tokio::time::sleep(aws.poll_interval).await;
    }
}

fn mapping(stack: &str, m: &Move) -> ResourceMapping {
    let location = |id: &str| {
        ResourceLocation::builder()
            .stack_name(stack)
            .logical_resource_id(id)
            .build()
    };
    ResourceMapping::builder()
        .source(location(&m.old))
        .destination(location(&m.new))
        .build()
}

fn list(moves: &[Move]) -> String {
    moves
        .iter()
        .map(|m| format!("`{}` → `{}`", m.old, m.new))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `the refactor is CREATE_FAILED: reason`.
fn status_text(status: Option<&str>, reason: Option<&str>) -> String {
    let mut text = format!(
        "the stack refactor is {}",
        status.unwrap_or("in no known state")
    );
    if let Some(reason) = reason.filter(|r| !r.is_empty()) {
        text.push_str(&format!(": {reason}"));
    }
    text
}
