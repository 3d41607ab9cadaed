//! The command line's definition: global flags, the commands and their arguments, and how
//! a usage error is reported. The app binary and `stack-deploy` both parse with it.

mod args;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

pub use args::*;

use crate::env::Env;
use crate::error::CliError;
use crate::shell::{ColorChoice, Shell};
use crate::{EXIT_ERROR, EXIT_OK};

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
pub struct Cli {
    /// Flags every command accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts, before or after its name.
#[derive(clap::Args, Debug)]
pub struct GlobalArgs {
    /// `--context KEY=VALUE`: context values, overriding `stack.json` and
    /// `STACK_CONTEXT_<KEY>`.
    #[arg(
        short = 'c',
        long = "context",
        value_name = "KEY=VALUE",
        value_parser = parse_context_pair,
        global = true,
        help = "Set a context value, overriding stack.json and STACK_CONTEXT_<KEY>; repeatable"
    )]
    pub context: Vec<(String, String)>,

    /// Read context from FILE instead of ./stack.json
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    /// Print only errors and the data asked for
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to colour output
    #[arg(long, value_name = "WHEN", default_value = "auto", global = true)]
    pub color: ColorChoice,

    /// Use this profile from the AWS config files
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Option<String>,

    /// Deploy to this AWS region
    #[arg(long, value_name = "REGION", global = true)]
    pub region: Option<String>,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Write each stack's template, its assets manifest and manifest.json
    Synth(SynthArgs),
    /// List the app's stacks
    #[command(visible_alias = "list")]
    Ls(LsArgs),
    /// Create or update stacks, publishing their assets first
    Deploy(DeployArgs),
    /// Compare the app's templates with the deployed ones (exit 2 when they differ)
    Diff(DiffArgs),
    /// Delete stacks, after asking
    Destroy(DestroyArgs),
    /// Detect resources changed outside CloudFormation (exit 2 when one drifted)
    Drift(DriftArgs),
    /// Return a stack a failed operation left behind to its last stable state
    Rollback(RollbackArgs),
    /// Create the staging bucket that assets and large templates are uploaded to
    Bootstrap(BootstrapArgs),
    /// Show the region, credentials, endpoint and bootstrap state deploys would use
    Doctor(DoctorArgs),
    /// Delete staged assets (bucket objects, images) that no deployed stack references
    Gc(GcArgs),
}

fn parse_context_pair(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some(("", _)) => Err("the key before `=` is empty".to_owned()),
        Some((key, value)) => Ok((key.to_owned(), value.to_owned())),
        None => Err(format!("expected KEY=VALUE, as in `{raw}=VALUE`")),
    }
}

/// The command line of the app called `name`, as its `--help` shows it.
pub fn command(name: &str, version: &str, about: Option<&str>) -> clap::Command {
    let command = Cli::command()
        .name(name.to_owned())
        .bin_name(name.to_owned())
        .version(version.to_owned());
    match about {
        Some(about) => command.about(about.to_owned()),
        None => command,
    }
}

/// Parses `args` (program name first) with `command`; on help, a version or a usage error,
/// prints it and returns the exit status instead.
pub fn parse(
    command: clap::Command,
    args: &[OsString],
    env: &Env,
    shell: &mut Shell,
) -> Result<(Cli, clap::ArgMatches), u8> {
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, matches)));
    parsed.map_err(|error| report_clap(&error, args, env, shell))
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
        command("app", "0.0.0", None).debug_assert();
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
