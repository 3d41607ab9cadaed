//! The command line: global flags, parsing, and dispatch to one command.

use std::error::Error;
use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use stack_core::App;

use crate::aws::{AwsArgs, AwsOverrides};
use crate::commands::{self, Session};
use crate::config;
use crate::context::Context;
use crate::env::Env;
use crate::error::{CliError, CliResult};
use crate::shell::{ColorChoice, Shell};
use crate::spec::AppSpec;
use crate::{BuildError, EXIT_ERROR, EXIT_OK};

const AFTER_HELP: &str = "\
Context, later wins:
  app defaults, then --config FILE (else ./stack.json, else the app's own stack.json),
  then STACK_CONTEXT_<KEY>, then --context

AWS access:
  aws-config's default chain (environment, profiles, SSO), with --profile and --region;
  AWS_ENDPOINT_URL sends every call to another endpoint, such as a local moto

Image assets:
  built with docker (STACK_DOCKER names another docker-compatible command) for their
  platform and pushed to the staging repository that `bootstrap` creates

Exit status:
  0  success (for `diff`: no differences; for `drift`: in sync)
  1  error, including usage errors (for `drift`: a stack not deployed or not fully checked)
  2  differences found (`diff`) or drift found (`drift`)";

/// Synthesize and deploy the CloudFormation stacks of this app
#[derive(Parser, Debug)]
#[command(arg_required_else_help = true, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Flags every command accepts, before or after its name.
#[derive(clap::Args, Debug)]
pub(crate) struct GlobalArgs {
    /// Set a context value, overriding stack.json and STACK_CONTEXT_<KEY>; repeatable
    #[arg(
        short = 'c',
        long = "context",
        value_name = "KEY=VALUE",
        value_parser = parse_context_pair,
        global = true
    )]
    pub(crate) context: Vec<(String, String)>,

    /// Read context from FILE instead of ./stack.json
    #[arg(long, value_name = "FILE", global = true)]
    pub(crate) config: Option<PathBuf>,

    /// Print only errors and the data asked for
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,

    /// When to colour output
    #[arg(long, value_name = "WHEN", default_value = "auto", global = true)]
    pub(crate) color: ColorChoice,

    /// Use this profile from the AWS config files
    #[arg(long, value_name = "NAME", global = true)]
    pub(crate) profile: Option<String>,

    /// Deploy to this AWS region
    #[arg(long, value_name = "REGION", global = true)]
    pub(crate) region: Option<String>,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Write each stack's template, its assets manifest and manifest.json
    Synth(commands::synth::Args),
    /// List the app's stacks
    #[command(visible_alias = "list")]
    Ls(commands::ls::Args),
    /// Create or update stacks, publishing their assets first
    Deploy(commands::deploy::Args),
    /// Compare the app's templates with the deployed ones (exit 2 when they differ)
    Diff(commands::diff::Args),
    /// Delete stacks, after asking
    Destroy(commands::destroy::Args),
    /// Detect resources changed outside CloudFormation (exit 2 when one drifted)
    Drift(commands::drift::Args),
    /// Return a stack a failed operation left behind to its last stable state
    Rollback(commands::rollback::Args),
    /// Create the staging bucket that assets and large templates are uploaded to
    Bootstrap(commands::bootstrap::Args),
    /// Show the region, credentials, endpoint and bootstrap state deploys would use
    Doctor(commands::doctor::Args),
}

fn parse_context_pair(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some(("", _)) => Err("the key before `=` is empty".to_owned()),
        Some((key, value)) => Ok((key.to_owned(), value.to_owned())),
        None => Err(format!("expected KEY=VALUE, as in `{raw}=VALUE`")),
    }
}

fn command(spec: &AppSpec) -> clap::Command {
    let command = Cli::command()
        .name(spec.name().to_owned())
        .version(spec.version_or_default().to_owned());
    match spec.about_text() {
        Some(about) => command.about(about.to_owned()),
        None => command,
    }
}

/// Parses `args`, builds the app and runs the command; returns the exit status.
pub(crate) fn main<F>(
    spec: &AppSpec,
    args: Vec<OsString>,
    env: &Env,
    shell: &mut Shell,
    overrides: &AwsOverrides,
    build: F,
) -> u8
where
    F: FnOnce(&Context) -> Result<App, BuildError>,
{
    let cli = match command(spec)
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) => return report_clap(&error, &args, env, shell),
    };
    shell.set_color(cli.global.color, env);
    shell.set_quiet(cli.global.quiet);
    match execute(spec, cli, env, shell, overrides, build) {
        Ok(()) => EXIT_OK,
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
    env: &Env,
    shell: &mut Shell,
    overrides: &AwsOverrides,
    build: F,
) -> CliResult
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
        aws: AwsArgs {
            profile: cli.global.profile.clone(),
            region: cli.global.region.clone(),
        },
        overrides,
    };
    match &cli.command {
        Command::Synth(args) => commands::synth::exec(&mut session, args),
        Command::Ls(args) => commands::ls::exec(&mut session, args),
        Command::Deploy(args) => commands::deploy::exec(&mut session, args),
        Command::Diff(args) => commands::diff::exec(&mut session, args),
        Command::Destroy(args) => commands::destroy::exec(&mut session, args),
        Command::Drift(args) => commands::drift::exec(&mut session, args),
        Command::Rollback(args) => commands::rollback::exec(&mut session, args),
        Command::Bootstrap(args) => commands::bootstrap::exec(&mut session, args),
        Command::Doctor(args) => commands::doctor::exec(&mut session, args),
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

/// Prints help, a version or a usage error. Usage errors exit with 1, not clap's 2, which
/// is reserved for `diff`.
fn report_clap(error: &clap::Error, args: &[OsString], env: &Env, shell: &mut Shell) -> u8 {
    // Parsing failed, so `--color` is read from the raw arguments to style the message.
    shell.set_color(color_hint(args), env);
    let rendered = error.render();
    if error.use_stderr() {
        shell.err_styled(&rendered);
        return EXIT_ERROR;
    }
    debug_assert!(matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ));
    match shell.out_styled(&rendered) {
        Ok(()) => EXIT_OK,
        Err(error) => CliError::stdout(error).code,
    }
}

fn color_hint(args: &[OsString]) -> ColorChoice {
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    let mut choice = ColorChoice::Auto;
    while let Some(arg) = args.next() {
        let value = match arg.as_ref() {
            "--" => break,
            "--color" => args.next().map(|v| v.into_owned()),
            other => other.strip_prefix("--color=").map(str::to_owned),
        };
        if let Some(parsed) = value.and_then(|v| ColorChoice::from_str(&v, true).ok()) {
            choice = parsed;
        }
    }
    choice
}

#[cfg(test)]
mod tests {
    // The clap definition is consistent, and the raw `--color` scan matches clap's reading.
    use super::*;

    #[test]
    fn command_is_well_formed() {
        command(&AppSpec::new("app")).debug_assert();
    }

    #[test]
    fn color_hint_reads_both_spellings_and_stops_at_double_dash() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            color_hint(&args(&["app", "--color", "never"])),
            ColorChoice::Never
        );
        assert_eq!(
            color_hint(&args(&["app", "--color=always"])),
            ColorChoice::Always
        );
        assert_eq!(
            color_hint(&args(&["app", "--", "--color=always"])),
            ColorChoice::Auto
        );
    }

    #[test]
    fn context_pairs_split_at_the_first_equals_sign() {
        assert_eq!(
            parse_context_pair("a=b=c"),
            Ok(("a".to_owned(), "b=c".to_owned()))
        );
        assert_eq!(
            parse_context_pair("a="),
            Ok(("a".to_owned(), String::new()))
        );
        assert!(parse_context_pair("=b").is_err());
        assert!(parse_context_pair("a").is_err());
    }
}
