//! The app binary's run: parse the command line, resolve the context, build the app, then
//! synthesize (`synth`, `ls`) or write the cloud assembly and hand the command to
//! `stack-deploy`.

use std::error::Error;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use stack_core::{App, Stack};

use crate::cli::{self, Cli, Command};
use crate::config;
use crate::context::Context;
use crate::env::Env;
use crate::error::{CliError, CliResult};
use crate::shell::Shell;
use crate::spec::AppSpec;
use crate::synth::{self, Plan, Target, DEFAULT_OUT_DIR};
use crate::{ls, BuildError, EXIT_OK};

/// A lifecycle command (`deploy`, `diff`, `destroy`, ...) as the app hands it on, once the
/// cloud assembly is written.
#[derive(Debug)]
pub struct Handoff<'a> {
    /// The cloud assembly's directory, absolute.
    pub assembly: &'a Path,
    /// The command line as the app received it, program name first.
    pub args: &'a [OsString],
}

/// What runs a handed-off command and returns its exit status: by default the
/// `stack-deploy` binary ([`crate::handoff::run`]); in tests, the deploy code in-process.
pub type Deployer<'d> = dyn FnMut(&Handoff<'_>, &Env, &mut Shell) -> u8 + 'd;

/// What `synth` and `ls` run against: the built app and the process it runs in.
pub(crate) struct Session<'a> {
    /// All output.
    pub(crate) shell: &'a mut Shell,
    /// Variables and the working directory.
    pub(crate) env: &'a Env,
    /// The app's name and defaults.
    pub(crate) spec: &'a AppSpec,
    /// The stacks.
    pub(crate) app: &'a App,
}

impl<'a> Session<'a> {
    /// The app's stacks, in app order.
    pub(crate) fn stacks(&self) -> Vec<&'a dyn Stack> {
        self.app.stacks().collect()
    }
}

/// Parses `args`, builds the app and runs the command; returns the exit status.
pub(crate) fn main<F>(
    spec: &AppSpec,
    args: Vec<OsString>,
    env: &Env,
    shell: &mut Shell,
    deployer: &mut Deployer<'_>,
    build: F,
) -> u8
where
    F: FnOnce(&Context) -> Result<App, BuildError>,
{
    let command = cli::command(spec.name(), spec.version_or_default(), spec.about_text());
    let cli = match cli::parse(command, &args, env, shell) {
        Ok((cli, _)) => cli,
        Err(code) => return code,
    };
    shell.set_color(cli.global.color, env);
    shell.set_quiet(cli.global.quiet);
    match execute(spec, cli, &args, env, shell, deployer, build) {
        Ok(code) => code,
        Err(error) => {
            if let Some(message) = &error.message {
                shell.error(message);
            }
            error.code
        }
    }
}

fn execute<F>(
    spec: &AppSpec,
    cli: Cli,
    args: &[OsString],
    env: &Env,
    shell: &mut Shell,
    deployer: &mut Deployer<'_>,
    build: F,
) -> Result<u8, CliError>
where
    F: FnOnce(&Context) -> Result<App, BuildError>,
{
    let config = config::load(env, cli.global.config.as_deref(), spec.context_file_path())
        .map_err(CliError::new)?;
    let file = config.map(|config| {
        for warning in &config.warnings {
            shell.warn(warning);
        }
        (config.path, config.context)
    });
    let context = Context::layered(spec.context_defaults(), file, env, cli.global.context);
    let app = build(&context).map_err(|error| CliError::new(error_chain(error.as_ref())))?;
    let mut session = Session {
        shell,
        env,
        spec,
        app: &app,
    };
    let done = |result: CliResult| result.map(|()| EXIT_OK);
    match &cli.command {
        Command::Synth(args) => done(synth::exec(&mut session, args)),
        Command::Ls(args) => done(ls::exec(&mut session, args)),
        _ => {
            let assembly = write_assembly(&mut session, verb(&cli.command))?;
            let handoff = Handoff {
                assembly: &assembly,
                args,
            };
            Ok(deployer(&handoff, env, session.shell))
        }
    }
}

/// The command's name, for messages.
fn verb(command: &Command) -> &'static str {
    match command {
        Command::Synth(_) => "synth",
        Command::Ls(_) => "ls",
        Command::Deploy(_) => "deploy",
        Command::Diff(_) => "diff",
        Command::Destroy(_) => "destroy",
        Command::Drift(_) => "drift",
        Command::Rollback(_) => "rollback",
        Command::Bootstrap(_) => "bootstrap",
        Command::Doctor(_) => "doctor",
        Command::Gc(_) => "gc",
    }
}

/// Synthesizes every stack into `stack.out/`, quietly: what `stack-deploy` reads.
fn write_assembly(session: &mut Session<'_>, verb: &str) -> Result<PathBuf, CliError> {
    let shown = PathBuf::from(DEFAULT_OUT_DIR);
    let path = session.env.resolve(&shown);
    let plan = Plan {
        stacks: session.stacks(),
        target: Target::Dir {
            path: path.clone(),
            shown,
            summary: false,
        },
        consequence: consequence(verb),
    };
    synth::synth(session.shell, session.spec.name(), &plan)?;
    Ok(std::path::absolute(&path).unwrap_or(path))
}

fn consequence(verb: &str) -> &'static str {
    match verb {
        "deploy" => "nothing was deployed",
        "destroy" => "nothing was destroyed",
        _ => "the command did not run",
    }
}

fn error_chain(error: &dyn Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    message
}
