//! `stack-deploy`: the lifecycle commands of stack apps (`deploy`, `diff`, `destroy`,
//! `drift`, `rollback`, `bootstrap`, `doctor`, `gc`) on the AWS SDK.
//!
//! It reads the cloud assembly an app binary wrote (`stack.out/`: `manifest.json`, the
//! templates and assets manifests; see [`stack_app`]) and takes the app's command line.
//! App binaries hand their lifecycle commands to it ([`stack_app::handoff`]), so only this
//! crate compiles the SDK; it also runs on its own:
//!
//! ```text
//! stack-deploy [--app stack.out] deploy --all
//! ```
//!
//! Every command, its flags and exit statuses are those of the app's command line
//! ([`stack_app`]'s crate documentation lists them).
//!
//! AWS is reached through aws-config's default chain, with `--profile` and `--region`;
//! `AWS_ENDPOINT_URL` sends every call elsewhere, such as a local moto server
//! (`docs/deploy.md` in the repository walks through both).

#![deny(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

mod aws;
mod commands;
mod ops;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Arg, ArgAction};
use stack_app::assembly::Assembly;
use stack_app::cli::{self, Command};
use stack_app::{env, error, shell};
use stack_app::{AppSpec, BuildError, Context, Env, Handoff, Shell, EXIT_OK};
use stack_core::App;

use crate::commands::Session;
use crate::error::CliError;

pub use aws::AwsOverrides;

/// Runs `stack-deploy` against the process's arguments, environment and terminal, and
/// returns the exit status.
pub fn main() -> std::process::ExitCode {
    let env = Env::process();
    let mut shell = Shell::stdio();
    let args: Vec<OsString> = std::env::args_os().collect();
    std::process::ExitCode::from(run_with(&args, &env, &mut shell, &AwsOverrides::new()))
}

/// Runs `stack-deploy` with explicit arguments (program name first, then
/// `[--app DIR]` and the app's command line), environment, output and AWS test hooks;
/// returns the exit status.
pub fn run_with(args: &[OsString], env: &Env, shell: &mut Shell, overrides: &AwsOverrides) -> u8 {
    let (dir, rest) = split_app_dir(args);
    let shown = dir.unwrap_or_else(|| PathBuf::from(stack_app::DEFAULT_OUT_DIR));
    let assembly = match Assembly::read(&env.resolve(&shown), &shown) {
        Ok(assembly) => assembly,
        Err(error) => return report(shell, &error),
    };
    let mut app_args = vec![OsString::from(assembly.app.clone())];
    app_args.extend(rest);
    run_assembly(&assembly, &app_args, env, shell, overrides)
}

/// Runs an app's command line, its stacks built in-process by `build`, with lifecycle
/// commands run in-process too: what the app binary and `stack-deploy` do together, in
/// one process. For tests.
pub fn run_app<I, T, F>(
    spec: AppSpec,
    args: I,
    env: &Env,
    shell: &mut Shell,
    overrides: &AwsOverrides,
    build: F,
) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
    F: FnOnce(&Context) -> Result<App, BuildError>,
{
    let mut deployer = |handoff: &Handoff<'_>, env: &Env, shell: &mut Shell| {
        let mut args = vec![OsString::from("stack-deploy")];
        args.extend(stack_app::handoff::deploy_args(handoff));
        run_with(&args, env, shell, overrides)
    };
    stack_app::run_with_deployer(spec, args, env, shell, &mut deployer, build)
}

/// `--app DIR` (or `--app=DIR`) when it comes first, and the arguments after it.
fn split_app_dir(args: &[OsString]) -> (Option<PathBuf>, Vec<OsString>) {
    let rest = args.get(1..).unwrap_or_default();
    match rest.first().and_then(|a| a.to_str()) {
        Some("--app") if rest.len() > 1 => (Some(PathBuf::from(&rest[1])), rest[2..].to_vec()),
        Some(flag) if flag.starts_with("--app=") => (
            Some(PathBuf::from(&flag["--app=".len()..])),
            rest[1..].to_vec(),
        ),
        _ => (None, rest.to_vec()),
    }
}

fn run_assembly(
    assembly: &Assembly,
    args: &[OsString],
    env: &Env,
    shell: &mut Shell,
    overrides: &AwsOverrides,
) -> u8 {
    let command = cli::command(&assembly.app, env!("CARGO_PKG_VERSION"), None).arg(
        Arg::new("app")
            .long("app")
            .value_name("DIR")
            .action(ArgAction::Set)
            .global(true)
            .help("Read the cloud assembly in DIR [default: stack.out]; give it first"),
    );
    let cli = match cli::parse(command, args, env, shell) {
        Ok((_, matches)) if matches.contains_id("app") => {
            let error = CliError::new("give `--app DIR` first, before the command");
            return report(shell, &error);
        }
        Ok((cli, _)) => cli,
        Err(code) => return code,
    };
    shell.set_color(cli.global.color, env);
    shell.set_quiet(cli.global.quiet);
    let mut session = Session {
        shell,
        env,
        assembly,
        aws: aws::AwsArgs {
            profile: cli.global.profile.clone(),
            region: cli.global.region.clone(),
        },
        overrides,
    };
    let result = match &cli.command {
        Command::Deploy(args) => commands::deploy::exec(&mut session, args),
        Command::Diff(args) => commands::diff::exec(&mut session, args),
        Command::Destroy(args) => commands::destroy::exec(&mut session, args),
        Command::Drift(args) => commands::drift::exec(&mut session, args),
        Command::Rollback(args) => commands::rollback::exec(&mut session, args),
        Command::Bootstrap(args) => commands::bootstrap::exec(&mut session, args),
        Command::Doctor(args) => commands::doctor::exec(&mut session, args),
        Command::Gc(args) => commands::gc::exec(&mut session, args),
        Command::Synth(_) | Command::Ls(_) => Err(CliError::new(format!(
            "`synth` and `ls` are run by the app binary (`{} synth`); `stack-deploy` runs \
             the lifecycle commands on what it wrote",
            assembly.app
        ))),
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(error) => report(session.shell, &error),
    }
}

fn report(shell: &mut Shell, error: &CliError) -> u8 {
    if let Some(message) = &error.message {
        shell.error(message);
    }
    error.code
}

#[cfg(test)]
mod tests {
    // The assembly directory flag, and the message without an assembly.
    use super::*;
    use stack_app::EXIT_ERROR;

    #[test]
    fn the_assembly_directory_comes_first_in_either_spelling() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        let (dir, rest) = split_app_dir(&args(&["stack-deploy", "--app", "out", "deploy"]));
        assert_eq!(dir, Some(PathBuf::from("out")));
        assert_eq!(rest, args(&["deploy"]));
        let (dir, rest) = split_app_dir(&args(&["stack-deploy", "--app=o", "diff", "-e"]));
        assert_eq!(dir, Some(PathBuf::from("o")));
        assert_eq!(rest, args(&["diff", "-e"]));
        let (dir, rest) = split_app_dir(&args(&["stack-deploy", "deploy", "--app", "x"]));
        assert_eq!(dir, None);
        assert_eq!(rest, args(&["deploy", "--app", "x"]));
    }

    #[test]
    fn a_missing_assembly_says_to_synthesize_first() {
        let dir = std::env::temp_dir().join("stack-deploy-no-assembly");
        let env = Env::from_vars([("HOME", "/nonexistent")]).with_cwd(&dir);
        let mut shell = Shell::buffered();
        let args = [OsString::from("stack-deploy"), OsString::from("deploy")];
        let code = run_with(&args, &env, &mut shell, &AwsOverrides::new());
        assert_eq!(code, EXIT_ERROR);
        assert!(
            shell
                .stderr_text()
                .contains("no cloud assembly at `stack.out`"),
            "{}",
            shell.stderr_text()
        );
    }
}
