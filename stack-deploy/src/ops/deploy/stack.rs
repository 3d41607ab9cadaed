//! Deploying one stack: checks, the create or update, waiting for it, and its result.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_cloudformation::types::{Capability, ChangeSetType, Parameter, Tag};

use super::change_set::{approve, ChangeSetStep};
use super::refactor;
use super::settle::{delete_and_wait, settle};
use super::{Deployed, Method, Options, Outcome, StackInput};
use crate::aws::{errors, Aws};
use crate::error::CliError;
use crate::ops::approval::Approval;
use crate::ops::cfn::{self, Phase, StackInfo};
use crate::ops::diff::{self, Action};
use crate::ops::image::Publisher;
use crate::ops::interrupt::{Doing, Operation, Tracker};
use crate::ops::progress::Progress;
use crate::ops::publish::{Staging, TemplateSource};
use crate::ops::schema::Replacement;
use crate::shell::{Shell, Style};

/// A fresh token: CloudFormation treats a retried call with the same token as the same
/// request, so SDK retries of CreateStack and friends cannot start a second operation.
pub(crate) fn token(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{prefix}-{nanos}-{}", std::process::id())
}

pub(super) const CAPABILITIES: [Capability; 3] = [
    Capability::CapabilityIam,
    Capability::CapabilityNamedIam,
    Capability::CapabilityAutoExpand,
];

/// Deploys one stack; `position` is `(n, N)` for `[n/N]`.
pub(crate) async fn deploy_one(
    shell: &mut Shell,
    aws: &Aws,
    options: &Options,
    staging: &mut Staging,
    tracker: &Tracker,
    input: &StackInput,
    position: (usize, usize),
) -> Result<Deployed, CliError> {
    let name = input.name.as_str();
    let mut progress = Progress::new(
        shell,
        options.progress,
        position.0,
        position.1,
        name,
        input.resource_count(),
    );
    let prefix = progress.prefix();
    tracker.set(Doing::Preparing {
        stack: name.to_owned(),
    });
    shell.status(format!("{prefix}: deploying"));

    let existing = settle(shell, aws, options, name, &mut progress, tracker).await?;
    if existing
        .as_ref()
        .is_none_or(|s| s.status == "REVIEW_IN_PROGRESS")
    {
        check_dependencies_deployed(aws, input, &options.app).await?;
    }
    check_required_parameters(input, existing.as_ref(), &options.app)?;
    let publisher = Publisher {
        docker: &options.docker,
        app: &options.app,
        stack: name,
    };
    staging
        .publish_assets(shell, aws, publisher, &input.assets)
        .await
        .map_err(CliError::new)?;
    if let Some(stack) = existing
        .as_ref()
        .filter(|s| s.status != "REVIEW_IN_PROGRESS")
    {
        refactor::move_renamed(shell, aws, &options.app, staging, &prefix, input, stack).await?;
    }
    let source = staging
        .template(shell, aws, &options.app, name, &input.body)
        .await
        .map_err(CliError::new)?;

    let diff = if options.approval == Approval::Never && !options.no_rollback {
        None
    } else {
        let deployed = match &existing {
            Some(stack) if stack.status != "REVIEW_IN_PROGRESS" => {
                Some(cfn::template(aws, &stack.id).await.map_err(CliError::new)?)
            }
            _ => None,
        };
        Some(diff::diff_templates(deployed.as_ref(), &input.template))
    };

    let parameters = parameters(input, existing.as_ref());
    let tags = tags(input);

    let deployed = existing
        .as_ref()
        .filter(|s| s.status != "REVIEW_IN_PROGRESS");
    let operation = if deployed.is_some() {
        Operation::Update
    } else {
        Operation::Create
    };

    let (id, marker) = match options.method {
        Method::ChangeSet => {
            let change_set = ChangeSetStep {
                name,
                source: &source,
                parameters: &parameters,
                tags: &tags,
                change_set_type: if deployed.is_some() {
                    ChangeSetType::Update
                } else {
                    ChangeSetType::Create
                },
                created_stack: existing.is_none(),
            };
            match change_set
                .run(shell, aws, options, tracker, &prefix, diff.as_ref(), input)
                .await?
            {
                None => return unchanged(shell, aws, &prefix, name).await,
                Some(ids) => ids,
            }
        }
        Method::Direct => {
            if let Some(diff) = &diff {
                if diff.is_empty() && deployed.is_some() && input.parameters.is_empty() {
                    return unchanged(shell, aws, &prefix, name).await;
                }
                if options.no_rollback {
                    let replaced: Vec<String> = diff
                        .resources
                        .iter()
                        .filter(|r| {
                            r.action == Action::Modify && r.replacement == Replacement::Always
                        })
                        .map(|r| format!("`{}` ({})", r.id, r.type_name))
                        .collect();
                    refuse_replacement(name, &replaced, "by the resource schemas", &options.app)?;
                }
                approve(shell, options, name, diff, &input.template, &[]).await?;
            }
            match deployed {
                Some(stack) => {
                    let marker = cfn::newest_event(aws, &stack.id)
                        .await
                        .map_err(CliError::new)?;
                    let mut request = aws
                        .cfn
                        .update_stack()
                        .stack_name(&stack.id)
                        .set_disable_rollback(options.no_rollback.then_some(true))
                        .set_parameters(Some(parameters.clone()))
                        .set_tags(Some(tags.clone()))
                        .set_capabilities(Some(CAPABILITIES.to_vec()))
                        .client_request_token(token("update"));
                    request = match &source {
                        TemplateSource::Body(body) => request.template_body(body),
                        TemplateSource::Url(url) => request.template_url(url),
                    };
                    tracker.set(Doing::Operation {
                        stack: name.to_owned(),
                        operation,
                    });
                    match request.send().await {
                        Ok(_) => (stack.id.clone(), marker),
                        Err(error)
                            if errors::message(&error).is_some_and(cfn::means_no_changes) =>
                        {
                            return unchanged(shell, aws, &prefix, name).await;
                        }
                        Err(error) => {
                            return Err(CliError::new(format!(
                                "cannot update `{name}`: {}",
                                errors::describe(&error)
                            )))
                        }
                    }
                }
                None => {
                    if existing.is_some() {
                        // An empty REVIEW_IN_PROGRESS stack blocks CreateStack.
                        delete_and_wait(shell, aws, name, &existing, &mut progress, tracker)
                            .await?;
                    }
                    let mut request = aws
                        .cfn
                        .create_stack()
                        .stack_name(name)
                        .set_disable_rollback(options.no_rollback.then_some(true))
                        .set_parameters(Some(parameters.clone()))
                        .set_tags(Some(tags.clone()))
                        .set_capabilities(Some(CAPABILITIES.to_vec()))
                        .client_request_token(token("create"));
                    request = match &source {
                        TemplateSource::Body(body) => request.template_body(body),
                        TemplateSource::Url(url) => request.template_url(url),
                    };
                    tracker.set(Doing::Operation {
                        stack: name.to_owned(),
                        operation,
                    });
                    let output = match request.send().await {
                        Ok(output) => output,
                        Err(error) => {
                            let mut message =
                                format!("cannot create `{name}`: {}", errors::describe(&error));
                            if errors::code(&error) == Some("AlreadyExistsException") {
                                // The stack did not exist a moment ago, so this is the SDK's
                                // retry of a first attempt that failed on the server after
                                // creating the stack (moto answers a failing resource with
                                // HTTP 500 and leaves the stack in CREATE_IN_PROGRESS).
                                let status = cfn::describe(aws, name)
                                    .await
                                    .ok()
                                    .flatten()
                                    .map_or_else(|| "unknown".to_owned(), |s| s.status);
                                message.push_str(&format!(
                                    "; the first CreateStack call failed on the server after \
                                     creating the stack, which is now {status}; the endpoint's \
                                     log has the cause"
                                ));
                            }
                            return Err(CliError::new(message));
                        }
                    };
                    (output.stack_id().unwrap_or(name).to_owned(), None)
                }
            }
        }
    };

    tracker.set(Doing::Operation {
        stack: name.to_owned(),
        operation,
    });
    let finished = cfn::wait(shell, aws, &id, marker, &mut progress)
        .await
        .map_err(CliError::new)?;
    if cfn::phase(&finished.stack.status) != Phase::Complete {
        return Err(failed(shell, &finished, options, operation));
    }
    if operation == Operation::Update {
        check_template_landed(aws, input, &id, &options.app).await?;
    }
    let outcome = if operation == Operation::Create {
        Outcome::Created
    } else {
        Outcome::Updated
    };
    let verb = if outcome == Outcome::Created {
        "created"
    } else {
        "updated"
    };
    let done = shell.paint_err(Style::Success, verb);
    shell.status(format!("{prefix}: {done} in {}", progress.elapsed()));
    Ok(Deployed {
        outcome,
        stack: finished.stack,
    })
}

async fn unchanged(
    shell: &mut Shell,
    aws: &Aws,
    prefix: &str,
    name: &str,
) -> Result<Deployed, CliError> {
    shell.status(format!("{prefix}: no changes"));
    let stack = cfn::describe(aws, name)
        .await
        .map_err(CliError::new)?
        .ok_or_else(|| CliError::new(format!("stack `{name}` disappeared")))?;
    Ok(Deployed {
        outcome: Outcome::Unchanged,
        stack,
    })
}

/// After an update, the deployed template must be the one this deploy sent: another
/// deploy of the same stack at the same time can land after it and undo its change,
/// which CloudFormation reports as a success to both.
async fn check_template_landed(
    aws: &Aws,
    input: &StackInput,
    id: &str,
    app: &str,
) -> Result<(), CliError> {
    let deployed = cfn::template(aws, id).await.map_err(CliError::new)?;
    if deployed == input.template {
        return Ok(());
    }
    let name = &input.name;
    Err(CliError::new(format!(
        "`{name}` was updated, but its deployed template is not the one this deploy sent: \
         another deploy of `{name}` ran at the same time and its change replaced this one; \
         run `{app} diff {name}` to see what is deployed, then deploy again"
    )))
}

/// A stack about to be created imports from the stacks it depends on, so each must be
/// deployed. Within a run they are (dependencies go first); this catches a dependency left
/// out with `--exclusively` before anything is changed, where CloudFormation would fail on
/// the first missing export (and moto leaves the new stack in `CREATE_IN_PROGRESS`).
async fn check_dependencies_deployed(
    aws: &Aws,
    input: &StackInput,
    app: &str,
) -> Result<(), CliError> {
    let mut missing = Vec::new();
    for dependency in &input.dependencies {
        match cfn::describe(aws, dependency)
            .await
            .map_err(CliError::new)?
        {
            // Its exports exist while it is complete or being updated.
            Some(stack) if cfn::updatable(&stack.status) || stack.status.starts_with("UPDATE_") => {
            }
            Some(stack) if stack.status != "REVIEW_IN_PROGRESS" => {
                missing.push(format!("`{dependency}` ({})", stack.status));
            }
            _ => missing.push(format!("`{dependency}`")),
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let name = &input.name;
    let (which, them) = if missing.len() == 1 {
        ("which is", "it")
    } else {
        ("which are", "them")
    };
    Err(CliError::new(format!(
        "`{name}` imports from {}, {which} not deployed, so `{name}` was not created; deploy \
         {them} first, or run `{app} deploy {name}` without `--exclusively` to deploy {them} \
         along with `{name}`",
        missing.join(", ")
    )))
}

/// A stack parameter without a default needs a value on create.
fn check_required_parameters(
    input: &StackInput,
    existing: Option<&StackInfo>,
    app: &str,
) -> Result<(), CliError> {
    let missing: Vec<String> = input
        .declared_parameters()
        .into_iter()
        .filter(|(name, has_default)| {
            !has_default
                && !input.parameters.iter().any(|(k, _)| k == name)
                && !existing.is_some_and(|s| s.parameters.contains(name))
        })
        .map(|(name, _)| name)
        .collect();
    match missing.first() {
        None => Ok(()),
        Some(first) => Err(CliError::new(format!(
            "stack `{}` needs a value for {} without a default; pass `{app} deploy --parameters {}:{first}=VALUE`",
            input.name,
            crate::ops::select::list(missing.iter().map(String::as_str)),
            input.name
        ))),
    }
}

/// The stack tags, as CloudFormation takes them.
pub(super) fn tags(input: &StackInput) -> Vec<Tag> {
    input
        .tags
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// Values given on the command line; for an existing stack, every other parameter the
/// template still declares keeps its previous value, as CDK does.
pub(super) fn parameters(input: &StackInput, existing: Option<&StackInfo>) -> Vec<Parameter> {
    let mut list: Vec<Parameter> = input
        .parameters
        .iter()
        .map(|(k, v)| {
            Parameter::builder()
                .parameter_key(k)
                .parameter_value(v)
                .build()
        })
        .collect();
    if let Some(stack) = existing.filter(|s| s.status != "REVIEW_IN_PROGRESS") {
        for (name, _) in input.declared_parameters() {
            if stack.parameters.contains(&name) && !input.parameters.iter().any(|(k, _)| *k == name)
            {
                list.push(
                    Parameter::builder()
                        .parameter_key(name)
                        .use_previous_value(true)
                        .build(),
                );
            }
        }
    }
    list
}

/// The error for an operation that ended in a failed state: the first failed resource and
/// its reason first, then the stack's status, then what to do.
fn failed(
    shell: &mut Shell,
    finished: &cfn::Finished,
    options: &Options,
    operation: Operation,
) -> CliError {
    let app = &options.app;
    let name = &finished.stack.name;
    let mut message = match &finished.first_failure {
        Some(failure) => format!("{failure}\n"),
        None => String::new(),
    };
    message.push_str(&format!(
        "deployment of `{name}` failed: the stack is {}",
        finished.stack.status
    ));
    if let Some(reason) = &finished.stack.reason {
        message.push_str(&format!(" ({reason})"));
    }
    if finished.stack.status == "ROLLBACK_COMPLETE" && operation == Operation::Create {
        message.push_str(&format!(
            "; the stack holds no resources, and the next `{app} deploy {name}` deletes it and \
             creates it again"
        ));
    }
    if options.no_rollback
        && matches!(
            finished.stack.status.as_str(),
            "CREATE_FAILED" | "UPDATE_FAILED"
        )
    {
        message.push_str(&format!(
            "; `--no-rollback` left the stack as it failed, with the resources that succeeded: \
             fix the cause and run `{app} deploy {name} --no-rollback` again, or return it to \
             its last stable state with `{app} rollback {name}`"
        ));
    }
    shell.clear_live();
    CliError::new(message)
}

/// `--no-rollback` cannot deploy a change that replaces a resource, as in CDK: a stack left
/// as it failed half-way through a replacement would hold both the old resource and the
/// new one. `replaced` lists the resources, `source` says who decided.
pub(super) fn refuse_replacement(
    name: &str,
    replaced: &[String],
    source: &str,
    app: &str,
) -> Result<(), CliError> {
    if replaced.is_empty() {
        return Ok(());
    }
    Err(CliError::new(format!(
        "deploying `{name}` replaces {} ({source}), which `--no-rollback` cannot do: a stack \
         left as it failed half-way through a replacement would hold both the old and the new \
         resource; nothing was deployed; deploy without `--no-rollback` (`{app} deploy {name}`)",
        replaced.join(", ")
    )))
}
