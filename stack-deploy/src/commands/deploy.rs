//! `deploy`: create or update stacks, with assets published first and outputs at the end.

use stack_app::assembly::AssemblyStack;
use stack_app::cli::DeployArgs;

use crate::commands::{check_envs, AwsRun, Session};
use crate::error::{CliError, CliResult};
use crate::ops;
use crate::ops::deploy::{Options, Plan, StackInput};
use crate::ops::params;

/// Validates the arguments into a [`Plan`] and runs it.
pub(crate) fn exec(session: &mut Session<'_>, args: &DeployArgs) -> CliResult {
    let plan = plan(session, args)?;
    let run = AwsRun::connect(session)?;
    let stacks: Vec<&AssemblyStack> = session
        .stacks()
        .into_iter()
        .filter(|s| plan.stacks.iter().any(|p| p.name == s.name))
        .collect();
    run.run(check_envs(&run.aws, &stacks, "deploy"))?;
    run.run(ops::deploy::deploy(
        session.shell,
        &run.aws,
        &plan,
        &run.tracker,
    ))
}

fn plan(session: &mut Session<'_>, args: &DeployArgs) -> Result<Plan, CliError> {
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
    let selected = ops::select::choose(&session.stacks(), &args.stacks, args.all, "deploy")?;
    let ordered = ops::order::deploy_order(&session.stacks(), &selected, args.exclusively);
    let added: Vec<&str> = ordered
        .iter()
        .map(|s| s.name.as_str())
        .filter(|name| !selected.iter().any(|s| s.name.as_str() == *name))
        .collect();
    if !added.is_empty() {
        session.shell.note(format!(
            "deploying {} first: the named stacks depend on them (`--exclusively` deploys \
             only the named stacks)",
            ops::select::list(added)
        ));
    }
    let inputs = inputs(&ordered);
    let templates: Vec<(&str, &serde_json::Value)> = ordered
        .iter()
        .map(|s| (s.name.as_str(), &s.template))
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
            app: session.app_name().to_owned(),
            docker: ops::image::docker_command(session.env),
            wait_timeout: args.timeout,
            no_rollback: args.no_rollback,
        },
        concurrency: args.concurrency,
        outputs_file,
    })
}

/// The stacks as the deploy operations take them.
pub(crate) fn inputs(stacks: &[&AssemblyStack]) -> Vec<StackInput> {
    stacks
        .iter()
        .map(|stack| StackInput {
            name: stack.name.clone(),
            template: stack.template.clone(),
            body: stack.body.clone(),
            assets: stack.assets.clone(),
            tags: stack.tags.clone(),
            parameters: Vec::new(),
            dependencies: stack.dependencies.clone(),
            renames: stack.renames.clone(),
        })
        .collect()
}
