//! Deploying stacks: publish assets, create or update each stack (through a change set by
//! default), wait for it with progress, and report outputs. Stacks go in dependency order;
//! with `--concurrency N`, up to N stacks whose dependencies are deployed run at once.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_cloudformation::types::{Capability, Change, ChangeSetType, Parameter, Tag};
use serde_json::{Map, Value as Json};
use stack_core::asset::Asset;

use crate::aws::{errors, Aws};
use crate::error::{CliError, CliResult};
use crate::ops::approval::{self, Approval};
use crate::ops::cfn::{self, Phase, StackInfo};
use crate::ops::diff::{self, Action, TemplateDiff};
use crate::ops::fs::write_atomic;
use crate::ops::image::Publisher;
use crate::ops::interrupt::{Doing, Operation, Tracker};
use crate::ops::progress::{Progress, ProgressMode};
use crate::ops::publish::{Staging, TemplateSource};
use crate::ops::select;
use crate::shell::{Forwarded, Shell, Style};

/// `--method`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Method {
    /// Create a change set, check it, then execute it.
    #[default]
    ChangeSet,
    /// CreateStack / UpdateStack.
    Direct,
}

/// One stack to deploy, independent of how it was built.
#[derive(Clone, Debug)]
pub(crate) struct StackInput {
    pub(crate) name: String,
    /// The template as sent.
    pub(crate) body: String,
    /// The template, parsed, for diffs and checks.
    pub(crate) template: Json,
    pub(crate) assets: Vec<Asset>,
    pub(crate) tags: Vec<(String, String)>,
    /// `--parameters` values for this stack.
    pub(crate) parameters: Vec<(String, String)>,
    /// The stacks this one imports from ([`stack_core::Stack::dependencies`]).
    pub(crate) dependencies: Vec<String>,
}

impl StackInput {
    fn resource_count(&self) -> usize {
        section(&self.template, "Resources").map_or(0, Map::len)
    }

    fn declared_parameters(&self) -> Vec<(String, bool)> {
        section(&self.template, "Parameters")
            .map(|params| {
                params
                    .iter()
                    .map(|(name, p)| (name.clone(), p.get("Default").is_some()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn section<'a>(template: &'a Json, name: &str) -> Option<&'a Map<String, Json>> {
    template.get(name).and_then(Json::as_object)
}

/// How every stack of one run is deployed.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub(crate) method: Method,
    pub(crate) approval: Approval,
    pub(crate) progress: ProgressMode,
    /// The program's name, for the commands suggested in messages.
    pub(crate) app: String,
    /// The docker-compatible command that builds image assets (`STACK_DOCKER`).
    pub(crate) docker: String,
}

/// A validated `deploy` invocation.
#[derive(Debug)]
pub(crate) struct Plan {
    /// In deploy order.
    pub(crate) stacks: Vec<StackInput>,
    pub(crate) options: Options,
    /// `--concurrency`: how many stacks may be deployed at once; at least 1.
    pub(crate) concurrency: usize,
    /// `--outputs-file`: as written, and resolved.
    pub(crate) outputs_file: Option<(PathBuf, PathBuf)>,
}

/// What deploying one stack did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// A deployed stack.
#[derive(Clone, Debug)]
pub(crate) struct Deployed {
    pub(crate) outcome: Outcome,
    pub(crate) stack: StackInfo,
}

/// Deploys every stack of the plan, each after the stacks it depends on, and stops
/// starting stacks at the first failure; writes the outputs of the stacks that were
/// deployed to `--outputs-file`.
pub(crate) async fn deploy(
    shell: &mut Shell,
    aws: &Aws,
    plan: &Plan,
    tracker: &Tracker,
) -> CliResult {
    let count = plan.stacks.len();
    let parallel = plan.concurrency > 1 && count > 1;
    let mut run = Run {
        deployed: vec![None; count],
        errors: Vec::new(),
        report_at_once: parallel,
    };
    if parallel {
        tokio::task::LocalSet::new()
            .run_until(deploy_parallel(shell, aws, plan, tracker, &mut run))
            .await?;
    } else {
        deploy_in_order(shell, aws, plan, tracker, &mut run).await?;
    }
    tracker.clear();

    let outcomes: Vec<&Outcome> = run.deployed.iter().flatten().map(|d| &d.outcome).collect();
    if !run.errors.is_empty() {
        let skipped: Vec<&str> = plan
            .stacks
            .iter()
            .zip(&run.deployed)
            .filter(|(input, deployed)| {
                deployed.is_none() && !run.errors.iter().any(|(name, _)| *name == input.name)
            })
            .map(|(input, _)| input.name.as_str())
            .collect();
        if !skipped.is_empty() {
            shell.note(format!(
                "not deployed because of the failure: {}",
                select::list(skipped)
            ));
        }
    }
    if count > 1 && !outcomes.is_empty() {
        let of = |o: Outcome| outcomes.iter().filter(|x| ***x == o).count();
        shell.status(format!(
            "{} of {count} stacks deployed: {} created, {} updated, {} unchanged",
            outcomes.len(),
            of(Outcome::Created),
            of(Outcome::Updated),
            of(Outcome::Unchanged)
        ));
    }
    if let Some((shown, path)) = &plan.outputs_file {
        let outputs: Vec<(String, Vec<(String, String)>)> = plan
            .stacks
            .iter()
            .zip(&run.deployed)
            .filter_map(|(input, deployed)| {
                deployed
                    .as_ref()
                    .map(|d| (input.name.clone(), d.stack.outputs.clone()))
            })
            .collect();
        write_outputs(path, &outputs).map_err(|e| {
            CliError::new(format!(
                "cannot write outputs file `{}`: {e}",
                shown.display()
            ))
        })?;
        if !outputs.is_empty() {
            shell.status(format!("outputs written to {}", shown.display()));
        }
    }
    match run.errors.into_iter().next() {
        None => Ok(()),
        Some(_) if run.report_at_once => Err(CliError::reported()),
        Some((_, error)) => Err(error),
    }
}

/// What a deploy run did: per stack of the plan, what deploying it gave (`None`: not
/// deployed), and the failures in the order they happened.
struct Run {
    deployed: Vec<Option<Deployed>>,
    errors: Vec<(String, CliError)>,
    /// Whether each failure is reported when it happens, next to the lines of its stack
    /// (stacks in parallel), rather than as the run's error at the end.
    report_at_once: bool,
}

impl Run {
    /// Records how deploying stack `index` ended: prints its outputs, or reports the error
    /// now when it is not the run's error.
    fn finish(
        &mut self,
        shell: &mut Shell,
        input: &StackInput,
        index: usize,
        result: Result<Deployed, CliError>,
    ) -> CliResult {
        match result {
            Ok(deployed) => {
                print_outputs(shell, input, &deployed)?;
                self.deployed[index] = Some(deployed);
            }
            Err(error) => {
                if self.report_at_once || !self.errors.is_empty() {
                    if let Some(message) = &error.message {
                        shell.error(message);
                    }
                }
                self.errors.push((input.name.clone(), error));
            }
        }
        Ok(())
    }
}

/// One stack at a time, in plan order (a dependency order), live progress and questions
/// on the terminal.
async fn deploy_in_order(
    shell: &mut Shell,
    aws: &Aws,
    plan: &Plan,
    tracker: &Tracker,
    run: &mut Run,
) -> CliResult {
    let mut staging = Staging::default();
    let count = plan.stacks.len();
    for (i, input) in plan.stacks.iter().enumerate() {
        let result = deploy_one(
            shell,
            aws,
            &plan.options,
            &mut staging,
            tracker,
            input,
            (i + 1, count),
        )
        .await;
        tracker.finish(&input.name);
        run.finish(shell, input, i, result)?;
        if !run.errors.is_empty() {
            break;
        }
    }
    Ok(())
}

/// Where a stack of a parallel run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Waiting,
    Running,
    Done,
    Failed,
}

/// Up to `--concurrency` stacks at once, each as a task on this thread, started as soon
/// as the stacks it depends on are deployed. Each task writes through its own shell to a
/// channel, and lines are written here whole, as they come, so output stays one line per
/// event, each with its `[n/N] Stack` prefix. Progress is event lines (a live status
/// line cannot show several stacks). Approval questions are asked here, one at a time,
/// while the other stacks go on. After a failure no further stack starts; those running
/// are watched to the end.
async fn deploy_parallel(
    shell: &mut Shell,
    aws: &Aws,
    plan: &Plan,
    tracker: &Tracker,
    run: &mut Run,
) -> CliResult {
    let count = plan.stacks.len();
    let options = Options {
        progress: ProgressMode::Events,
        ..plan.options.clone()
    };
    if plan.options.progress == ProgressMode::Bar && shell.err_is_tty() {
        shell.note("stacks are deployed in parallel, so progress is shown as event lines");
    }
    let in_plan = |name: &str| plan.stacks.iter().position(|s| s.name == name);
    let dependencies: Vec<Vec<usize>> = plan
        .stacks
        .iter()
        .map(|s| s.dependencies.iter().filter_map(|d| in_plan(d)).collect())
        .collect();
    let mut state = vec![State::Waiting; count];
    let mut staging = Staging::default();
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<Forwarded>();
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let running = state.iter().filter(|s| **s == State::Running).count();
        if run.errors.is_empty() {
            let ready = (0..count).filter(|&i| {
                state[i] == State::Waiting
                    && dependencies[i].iter().all(|&d| state[d] == State::Done)
            });
            for i in ready
                .take(plan.concurrency.saturating_sub(running))
                .collect::<Vec<_>>()
            {
                state[i] = State::Running;
                let mut task_shell = shell.forwarding(&sender);
                let aws = aws.clone();
                let options = options.clone();
                let mut staging = staging.clone();
                let tracker = tracker.clone();
                let input = plan.stacks[i].clone();
                tasks.spawn_local(async move {
                    let result = deploy_one(
                        &mut task_shell,
                        &aws,
                        &options,
                        &mut staging,
                        &tracker,
                        &input,
                        (i + 1, count),
                    )
                    .await;
                    tracker.finish(&input.name);
                    (i, result, staging)
                });
            }
        }
        if tasks.is_empty() {
            return Ok(());
        }
        tokio::select! {
            biased;
            Some(text) = receiver.recv() => write(shell, text)?,
            Some(joined) = tasks.join_next() => {
                let (i, result, task_staging) = match joined {
                    Ok(finished) => finished,
                    Err(error) => std::panic::resume_unwind(error.into_panic()),
                };
                // Everything the task wrote was sent before it finished.
                while let Ok(text) = receiver.try_recv() {
                    write(shell, text)?;
                }
                staging.merge(task_staging);
                state[i] = if result.is_ok() { State::Done } else { State::Failed };
                run.finish(shell, &plan.stacks[i], i, result)?;
            }
        }
    }
}

/// Writes a task's output line.
fn write(shell: &mut Shell, text: Forwarded) -> CliResult {
    shell.write_forwarded(text).map_err(CliError::stdout)
}

/// CDK's `--outputs-file` shape: `{"Stack": {"OutputKey": "value"}}`.
fn write_outputs(
    path: &std::path::Path,
    outputs: &[(String, Vec<(String, String)>)],
) -> std::io::Result<()> {
    let mut top = Map::new();
    for (stack, values) in outputs {
        let entries: Map<String, Json> = values
            .iter()
            .map(|(k, v)| (k.clone(), Json::String(v.clone())))
            .collect();
        top.insert(stack.clone(), Json::Object(entries));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    write_atomic(path, format!("{:#}\n", Json::Object(top)).as_bytes()).map(|_| ())
}

fn print_outputs(shell: &mut Shell, input: &StackInput, deployed: &Deployed) -> CliResult {
    let mut text = String::new();
    if !deployed.stack.outputs.is_empty() {
        text.push_str("Outputs:\n");
        for (key, value) in &deployed.stack.outputs {
            text.push_str(&format!("{}.{key} = {value}\n", input.name));
        }
    }
    text.push_str(&format!("Stack ARN:\n{}\n", deployed.stack.id));
    shell.out(&text).map_err(CliError::stdout)?;
    let declared = section(&input.template, "Outputs").map_or(0, Map::len);
    if declared > 0 && deployed.stack.outputs.is_empty() {
        shell.warn(format!(
            "`{}` declares {} but CloudFormation reported none",
            input.name,
            crate::ops::format::count(declared, "output")
        ));
    }
    Ok(())
}

/// A fresh token: CloudFormation treats a retried call with the same token as the same
/// request, so SDK retries of CreateStack and friends cannot start a second operation.
fn token(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{prefix}-{nanos}-{}", std::process::id())
}

const CAPABILITIES: [Capability; 3] = [
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
    let source = staging
        .template(shell, aws, &options.app, name, &input.body)
        .await
        .map_err(CliError::new)?;

    let diff = if options.approval == Approval::Never {
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
        return Err(failed(shell, &finished, &options.app, operation));
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

/// Brings the stack to a state a deploy can start from: waits for an operation already
/// running, and deletes a stack left in `ROLLBACK_COMPLETE` by a failed first create.
/// Returns the stack, or `None` when there is none.
async fn settle(
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

async fn delete_and_wait(
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
fn tags(input: &StackInput) -> Vec<Tag> {
    input
        .tags
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

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
        .stack_name(&existing.id)
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

/// Values given on the command line; for an existing stack, every other parameter the
/// template still declares keeps its previous value, as CDK does.
fn parameters(input: &StackInput, existing: Option<&StackInfo>) -> Vec<Parameter> {
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

struct ChangeSetStep<'a> {
    name: &'a str,
    source: &'a TemplateSource,
    parameters: &'a [Parameter],
    tags: &'a [Tag],
    change_set_type: ChangeSetType,
    /// Whether creating the change set creates the stack (in `REVIEW_IN_PROGRESS`), which
    /// must then be removed again if the change set is not executed.
    created_stack: bool,
}

impl ChangeSetStep<'_> {
    /// Creates and checks the change set, asks for approval, and executes it. `None` when
    /// there is nothing to change; otherwise the stack id and the newest event before the
    /// execution.
    #[allow(clippy::too_many_arguments)]
    async fn run(
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
        if let Some(diff) = diff {
            let mut diff = diff.clone();
            mark_change_set_replacements(&mut diff, changes);
            if let Err(error) = approve(shell, options, name, &diff, &input.template, changes).await
            {
                self.discard(aws, &change_set_id, &stack_id).await;
                return Err(error);
            }
        }
        let marker = if self.change_set_type == ChangeSetType::Update {
            cfn::newest_event(aws, &stack_id)
                .await
                .map_err(CliError::new)?
        } else {
            None
        };
        aws.cfn
            .execute_change_set()
            .change_set_name(&change_set_id)
            .client_request_token(token("execute"))
            .send()
            .await
            .map_err(|e| {
                CliError::new(format!(
                    "cannot execute the change set for `{name}`: {}",
                    errors::describe(&e)
                ))
            })?;
        Ok(Some((stack_id, marker)))
    }

    /// Deletes an unexecuted change set, and the empty stack it created; best effort, as
    /// the error being reported matters more.
    async fn discard(&self, aws: &Aws, change_set_id: &str, stack_id: &str) {
        let _ = aws
            .cfn
            .delete_change_set()
            .change_set_name(change_set_id)
            .send()
            .await;
        if self.created_stack {
            let _ = aws.cfn.delete_stack().stack_name(stack_id).send().await;
        }
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
async fn approve(
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

/// The error for an operation that ended in a failed state: the first failed resource and
/// its reason first, then the stack's status, then what to do.
fn failed(
    shell: &mut Shell,
    finished: &cfn::Finished,
    app: &str,
    operation: Operation,
) -> CliError {
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
    shell.clear_live();
    CliError::new(message)
}
