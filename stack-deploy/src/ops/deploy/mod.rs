//! Deploying stacks: publish assets, create or update each stack (through a change set by
//! default), wait for it with progress, and report outputs. Stacks go in dependency order;
//! with `--concurrency N`, up to N stacks whose dependencies are deployed run at once.

mod change_set;
mod refactor;
mod schedule;
mod settle;
mod stack;

use std::path::PathBuf;

use serde_json::{Map, Value as Json};
use stack_core::asset::Asset;

use crate::aws::Aws;
use crate::error::{CliError, CliResult};
use crate::ops::approval::Approval;
use crate::ops::cfn::StackInfo;
use crate::ops::fs::write_atomic;
use crate::ops::interrupt::Tracker;
use crate::ops::progress::ProgressMode;
use crate::ops::select;
use crate::shell::Shell;

pub(crate) use change_set::{mark_change_set_replacements, preview_changes};
use schedule::{deploy_in_order, deploy_parallel};
pub(crate) use stack::{deploy_one, token};

pub(crate) use stack_app::cli::Method;

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
    /// `(old logical ID, new logical ID)` of resources declared under another name
    /// before, moved by a stack refactor before the update.
    pub(crate) renames: Vec<(String, String)>,
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
    /// `--timeout`: how long to wait for an operation already running on a stack.
    pub(crate) wait_timeout: Option<std::time::Duration>,
    /// `--no-rollback`: a failed create or update leaves the stack as it failed
    /// (DisableRollback), and a change that replaces a resource is refused.
    pub(crate) no_rollback: bool,
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
