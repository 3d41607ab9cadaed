//! One module per command: its clap `Args` and an `exec` that validates them into a plan
//! and hands the plan to [`crate::ops`].

pub(crate) mod bootstrap;
pub(crate) mod deploy;
pub(crate) mod destroy;
pub(crate) mod diff;
pub(crate) mod doctor;
pub(crate) mod drift;
pub(crate) mod gc;
pub(crate) mod rollback;

use std::future::Future;

use stack_app::assembly::{Assembly, AssemblyStack};

use crate::aws::{Aws, AwsArgs, AwsOverrides};
use crate::env::Env;
use crate::error::{CliError, CliResult};
use crate::ops::interrupt::Tracker;
use crate::shell::Shell;

/// What a command runs against: the app's cloud assembly and the process it runs in.
pub(crate) struct Session<'a> {
    /// All output.
    pub(crate) shell: &'a mut Shell,
    /// Variables and the working directory.
    pub(crate) env: &'a Env,
    /// The app's stacks, as synthesized.
    pub(crate) assembly: &'a Assembly,
    /// `--profile` and `--region`.
    pub(crate) aws: AwsArgs,
    /// Test hooks for the AWS connection.
    pub(crate) overrides: &'a AwsOverrides,
}

/// A single-threaded runtime, the AWS clients, and what is under way, for one command.
pub(crate) struct AwsRun {
    runtime: tokio::runtime::Runtime,
    pub(crate) aws: Aws,
    pub(crate) tracker: Tracker,
    app: String,
}

impl AwsRun {
    /// Starts the runtime and loads the AWS configuration.
    pub(crate) fn connect(session: &Session<'_>) -> Result<Self, CliError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CliError::new(format!("cannot start the async runtime: {e}")))?;
        let aws = runtime
            .block_on(Aws::connect(
                &session.aws,
                session.env,
                session.overrides,
                session.shell.notifier(),
            ))
            .map_err(CliError::new)?;
        Ok(Self {
            runtime,
            aws,
            tracker: Tracker::new(),
            app: session.assembly.app.clone(),
        })
    }

    /// Runs `work` until it finishes, Ctrl-C is pressed or SIGTERM arrives (what CI sends
    /// on cancel). After either signal the work is dropped, and the error says what was
    /// under way and how to go on.
    pub(crate) fn run(&self, work: impl Future<Output = CliResult>) -> CliResult {
        let outcome = self.runtime.block_on(async {
            tokio::select! {
                result = work => Some(result),
                () = interrupted() => None,
            }
        });
        match outcome {
            Some(result) => result,
            None => Err(CliError::new(self.tracker.message(&self.app))),
        }
    }
}

/// Refuses to `verb` stacks pinned to another account or region than the credentials'
/// (`env { .. }` in their `stack!` block), before anything is read or changed: one line
/// per such stack. The account is asked of STS only when a stack pins one.
pub(crate) async fn check_envs(aws: &Aws, stacks: &[&AssemblyStack], verb: &str) -> CliResult {
    let pinned: Vec<&AssemblyStack> = stacks
        .iter()
        .copied()
        .filter(|s| s.env.is_pinned())
        .collect();
    if pinned.is_empty() {
        return Ok(());
    }
    let account = if pinned.iter().any(|s| s.env.account.is_some()) {
        Some(aws.account().await.map_err(CliError::new)?)
    } else {
        None
    };
    let credentials = match &account {
        Some(account) => format!("{} in {account}", aws.region),
        None => aws.region.clone(),
    };
    let mut problems = Vec::new();
    for stack in pinned {
        let env = &stack.env;
        let region = env.region.as_ref().filter(|r| **r != aws.region);
        let other_account = env
            .account
            .as_ref()
            .filter(|a| account.as_ref() != Some(*a));
        let fix = match (region, other_account) {
            (None, None) => continue,
            (Some(region), None) => format!("`--region {region}`"),
            (None, Some(_)) => "a profile for that account".to_owned(),
            (Some(region), Some(_)) => {
                format!("`--region {region}` and a profile for that account")
            }
        };
        problems.push(format!(
            "stack `{}` is pinned to {env}, but the credentials are for {credentials}; {verb} with {fix}",
            stack.name
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::new(problems.join("\n")))
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM; a signal that cannot be watched never comes.
async fn interrupted() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = terminate() => {}
    }
}

#[cfg(unix)]
async fn terminate() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            term.recv().await;
        }
        Err(_) => std::future::pending::<()>().await,
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending::<()>().await;
}

impl<'a> Session<'a> {
    /// The app's name, for messages.
    pub(crate) fn app_name(&self) -> &'a str {
        &self.assembly.app
    }

    /// The assembly's stacks, in app order.
    pub(crate) fn stacks(&self) -> Vec<&'a AssemblyStack> {
        self.assembly.stacks.iter().collect()
    }
}
