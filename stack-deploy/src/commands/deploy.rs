//! `deploy`: create or update stacks, with assets published first and outputs at the end.

use std::path::PathBuf;
use std::time::Duration;

use stack_core::Stack;

use crate::commands::{choose_stacks, AwsRun, Session};
use crate::error::{CliError, CliResult};
use crate::ops;
use crate::ops::approval::Approval;
use crate::ops::deploy::{Method, Options, Plan, StackInput};
use crate::ops::params::{self, ParameterArg};
use crate::ops::progress::ProgressMode;

/// Arguments of `deploy`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Stacks to deploy; the app's only stack when none is named
    #[arg(value_name = "STACK")]
    pub(crate) stacks: Vec<String>,

    /// Deploy every stack of the app
    #[arg(long, conflicts_with = "stacks")]
    pub(crate) all: bool,

    /// How to deploy: review a change set, then execute it; or call CreateStack/UpdateStack
    #[arg(long, value_name = "METHOD", default_value = "change-set")]
    pub(crate) method: Method,

    /// A stack parameter, as KEY=VALUE for every stack that declares KEY, or STACK:KEY=VALUE; repeatable
    #[arg(long = "parameters", value_name = "[STACK:]KEY=VALUE", value_parser = params::parse)]
    pub(crate) parameters: Vec<ParameterArg>,

    /// Which changes need a yes: none, broadening ones (new IAM permissions, security-group
    /// openings, replacing or deleting data), or any change
    #[arg(long, value_name = "LEVEL", default_value = "broadening")]
    pub(crate) require_approval: Approval,

    /// Write the stacks' outputs to FILE as JSON: {"Stack": {"OutputKey": "value"}}
    #[arg(long, value_name = "FILE")]
    pub(crate) outputs_file: Option<PathBuf>,

    /// How to show progress: a live status line on a terminal, or appended event lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub(crate) progress: ProgressMode,

    /// How many stacks to deploy at once, each once the stacks it depends on are deployed;
    /// above 1, progress is shown as event lines and nothing can be asked
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub(crate) concurrency: usize,

    /// Deploy only the named stacks, not the stacks they depend on
    #[arg(short, long)]
    pub(crate) exclusively: bool,

    /// How long to wait for an operation already running on a stack (someone else's
    /// deploy) before giving up, as 90s, 30m or 1h; no limit by default
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub(crate) timeout: Option<Duration>,

    /// Do not roll back a failed create or update: the stack stays as it failed
    /// (CREATE_FAILED, UPDATE_FAILED) with the resources that succeeded, to fix and deploy
    /// again with `--no-rollback`, or to roll back with `rollback`. Changes that replace a
    /// resource are refused
    #[arg(long = "no-rollback", short = 'R')]
    pub(crate) no_rollback: bool,
}

/// `90s`, `30m`, `1h`, or a number of seconds.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => {
            return Err(format!(
                "`{text}` is not a duration; write it as 90s, 30m or 1h"
            ))
        }
    };
    let value: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write it as 90s, 30m or 1h"))?;
    if value == 0 {
        return Err("the timeout must be more than 0".to_owned());
    }
    Ok(Duration::from_secs(value * scale))
}

/// Validates the arguments into a [`Plan`] and runs it.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    let plan = plan(session, args)?;
    let run = AwsRun::connect(session)?;
    run.run(ops::deploy::deploy(
        session.shell,
        &run.aws,
        &plan,
        &run.tracker,
    ))
}

fn plan(session: &mut Session<'_>, args: &Args) -> Result<Plan, CliError> {
    if args.concurrency == 0 {
        return Err(CliError::new(
            "`--concurrency` must be at least 1 (1 deploys one stack at a time)",
        ));
    }
    let outputs_file = args
        .outputs_file
        .as_ref()
        .map(|shown| (shown.clone(), session.env.resolve(shown)));
    if let Some((shown, path)) = &outputs_file {
        ops::fs::check_writable(path).map_err(|e| {
            CliError::new(format!(
                "cannot write outputs file `{}`: {e}; nothing was deployed",
                shown.display()
            ))
        })?;
    }
    let selected = choose_stacks(session.app, &args.stacks, args.all, "deploy")?;
    let ordered = ops::order::deploy_order(session.app, &selected, args.exclusively);
    let added: Vec<&str> = ordered
        .iter()
        .map(|s| s.stack_name())
        .filter(|name| !selected.iter().any(|s| s.stack_name() == *name))
        .collect();
    if !added.is_empty() {
        session.shell.note(format!(
            "deploying {} first: the named stacks depend on them (`--exclusively` deploys \
             only the named stacks)",
            ops::select::list(added)
        ));
    }
    let inputs = synthesize(session, &ordered)?;
    let templates: Vec<(&str, &stack_core::template::Template)> = ordered
        .iter()
        .filter_map(|s| {
            s.synthesized()
                .ok()
                .map(|synth| (s.stack_name(), &synth.template))
        })
        .collect();
    let values = params::resolve(&args.parameters, &templates).map_err(CliError::new)?;
    let stacks = inputs
        .into_iter()
        .map(|mut input| {
            input.parameters = values.get(&input.name).cloned().unwrap_or_default();
            input
        })
        .collect();
    Ok(Plan {
        stacks,
        options: Options {
            method: args.method,
            approval: args.require_approval,
            progress: args.progress,
            app: session.spec.name().to_owned(),
            docker: ops::image::docker_command(session.env),
            wait_timeout: args.timeout,
            no_rollback: args.no_rollback,
        },
        concurrency: args.concurrency,
        outputs_file,
    })
}

/// Synthesizes every stack before anything is deployed, so one that cannot be built stops
/// the run before any change.
pub(crate) fn synthesize(
    session: &mut Session<'_>,
    stacks: &[&dyn Stack],
) -> Result<Vec<StackInput>, CliError> {
    let mut inputs = Vec::new();
    let mut failed = Vec::new();
    for stack in stacks {
        match stack.synthesized() {
            Ok(synthesized) => {
                let body = synthesized.template.to_json_string();
                inputs.push(StackInput {
                    name: stack.stack_name().to_owned(),
                    template: synthesized.template.to_json(),
                    body,
                    assets: synthesized.assets.clone(),
                    tags: synthesized.tags.clone(),
                    parameters: Vec::new(),
                    dependencies: stack.dependencies().to_vec(),
                });
            }
            Err(error) => {
                session.shell.error(error);
                failed.push(stack.stack_name());
            }
        }
    }
    if failed.is_empty() {
        Ok(inputs)
    } else {
        Err(CliError::new(format!(
            "could not synthesize {}; nothing was deployed",
            ops::select::list(failed)
        )))
    }
}
