//! The arguments of each command, and the values they parse into. The app binary parses
//! them to build and synthesize the app; `stack-deploy` parses the same arguments again
//! to run the lifecycle commands, so both read one definition.

use std::path::PathBuf;
use std::time::Duration;

/// The staging stack's name when `--toolkit-stack-name` is not given.
pub const DEFAULT_TOOLKIT_STACK: &str = "StackStaging";

/// Arguments of `synth`.
#[derive(clap::Args, Debug)]
pub struct SynthArgs {
    /// Stacks to synthesize; all of them when none is named
    #[arg(value_name = "STACK")]
    pub stacks: Vec<String>,

    /// Directory to write to, relative to the working directory [default: stack.out];
    /// `-` prints the one selected template to stdout
    #[arg(short, long, visible_alias = "output", value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Print the one selected template to stdout instead of writing files
    #[arg(long, conflicts_with = "out")]
    pub stdout: bool,
}

/// Arguments of `ls`.
#[derive(clap::Args, Debug)]
pub struct LsArgs {
    /// Also show how many resources each stack has
    #[arg(short, long)]
    pub long: bool,
}

/// Arguments of `deploy`.
#[derive(clap::Args, Debug)]
pub struct DeployArgs {
    /// Stacks to deploy; the app's only stack when none is named
    #[arg(value_name = "STACK")]
    pub stacks: Vec<String>,

    /// Deploy every stack of the app
    #[arg(long, conflicts_with = "stacks")]
    pub all: bool,

    /// How to deploy: review a change set, then execute it; or call CreateStack/UpdateStack
    #[arg(long, value_name = "METHOD", default_value = "change-set")]
    pub method: Method,

    /// A stack parameter, as KEY=VALUE for every stack that declares KEY, or STACK:KEY=VALUE; repeatable
    #[arg(long = "parameters", value_name = "[STACK:]KEY=VALUE", value_parser = parse_parameter)]
    pub parameters: Vec<ParameterArg>,

    /// Which changes need a yes: none, broadening ones (new IAM permissions, security-group
    /// openings, replacing or deleting data), or any change
    #[arg(long, value_name = "LEVEL", default_value = "broadening")]
    pub require_approval: Approval,

    /// Write the stacks' outputs to FILE as JSON: {"Stack": {"OutputKey": "value"}}
    #[arg(long, value_name = "FILE")]
    pub outputs_file: Option<PathBuf>,

    /// How to show progress: a live status line on a terminal, or appended event lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub progress: ProgressMode,

    /// How many stacks to deploy at once, each once the stacks it depends on are deployed;
    /// above 1, progress is shown as event lines and nothing can be asked
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub concurrency: usize,

    /// Deploy only the named stacks, not the stacks they depend on
    #[arg(short, long)]
    pub exclusively: bool,

    /// How long to wait for an operation already running on a stack (someone else's
    /// deploy) before giving up, as 90s, 30m or 1h; no limit by default
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// Do not roll back a failed create or update: the stack stays as it failed
    /// (CREATE_FAILED, UPDATE_FAILED) with the resources that succeeded, to fix and deploy
    /// again with `--no-rollback`, or to roll back with `rollback`. Changes that replace a
    /// resource are refused
    #[arg(long = "no-rollback", short = 'R')]
    pub no_rollback: bool,
}

/// Arguments of `diff`.
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// Stacks to compare; all of them when none is named
    #[arg(value_name = "STACK")]
    pub stacks: Vec<String>,

    /// Print the differences as JSON on stdout
    #[arg(long)]
    pub json: bool,

    /// Compare only the named stacks, not the stacks they depend on
    #[arg(short, long)]
    pub exclusively: bool,

    /// Compare templates only: do not create (and delete) a change set to learn which
    /// resources CloudFormation would replace
    #[arg(long)]
    pub no_change_set: bool,
}

/// Arguments of `destroy`.
#[derive(clap::Args, Debug)]
pub struct DestroyArgs {
    /// Stacks to destroy; the app's only stack when none is named
    #[arg(value_name = "STACK")]
    pub stacks: Vec<String>,

    /// Destroy every stack of the app
    #[arg(long, conflicts_with = "stacks")]
    pub all: bool,

    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,

    /// Destroy only the named stacks, not the stacks that depend on them
    #[arg(short, long)]
    pub exclusively: bool,

    /// How to show progress: a live status line on a terminal, or appended event lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub progress: ProgressMode,
}

/// Arguments of `drift`.
#[derive(clap::Args, Debug)]
pub struct DriftArgs {
    /// Stacks to check; the app's only stack when none is named
    #[arg(value_name = "STACK")]
    pub stacks: Vec<String>,

    /// Check every stack of the app
    #[arg(long, conflicts_with = "stacks")]
    pub all: bool,

    /// Print the result as JSON on stdout
    #[arg(long)]
    pub json: bool,

    /// How long to wait for CloudFormation's detection on one stack, as 90s, 30m or 1h
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "10m")]
    pub timeout: Duration,

    /// How to show progress: a live status line on a terminal, or appended lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub progress: ProgressMode,
}

/// Arguments of `rollback`.
#[derive(clap::Args, Debug)]
pub struct RollbackArgs {
    /// The stack to roll back; the app's only stack when none is named
    #[arg(value_name = "STACK")]
    pub stack: Option<String>,

    /// For a stack in UPDATE_ROLLBACK_FAILED: resources (logical IDs) whose rollback
    /// CloudFormation skips. They are left as they are, marked as rolled back, and may no
    /// longer match the template; comma-separated or repeated
    #[arg(
        long,
        visible_alias = "resources-to-skip",
        value_name = "LOGICAL_ID",
        value_delimiter = ','
    )]
    pub orphan: Vec<String>,

    /// How to show progress: a live status line on a terminal, or appended event lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub progress: ProgressMode,
}

/// Arguments of `bootstrap`.
#[derive(clap::Args, Debug)]
pub struct BootstrapArgs {
    /// Name of the staging stack
    #[arg(long, value_name = "NAME", default_value = DEFAULT_TOOLKIT_STACK)]
    pub toolkit_stack_name: String,

    /// How to show progress: a live status line on a terminal, or appended event lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub progress: ProgressMode,

    /// Print the staging template instead of deploying it
    #[arg(long)]
    pub show_template: bool,
}

/// Arguments of `doctor`.
#[derive(clap::Args, Debug)]
pub struct DoctorArgs {
    /// Name of the staging stack to look for
    #[arg(long, value_name = "NAME", default_value = DEFAULT_TOOLKIT_STACK)]
    pub toolkit_stack_name: String,
}

/// Arguments of `gc`.
#[derive(clap::Args, Debug)]
pub struct GcArgs {
    /// Which staged assets to collect: file assets in the staging bucket, images in the
    /// staging repository, or both
    #[arg(long = "type", value_name = "TYPE", default_value = "all")]
    pub asset_type: GcType,

    /// What to do with unreferenced assets: list them; tag them as unreferenced; delete
    /// those tagged long enough ago; or tag and delete (print lists what full would do)
    #[arg(long, value_name = "ACTION", default_value = "full")]
    pub action: GcAction,

    /// List what would be tagged and deleted and change nothing: `--action print`
    #[arg(long, conflicts_with = "action")]
    pub dry_run: bool,

    /// Delete an unreferenced asset only once it has been found unreferenced (and tagged)
    /// at least this many days ago; 0 deletes it on the first run
    #[arg(long, value_name = "DAYS", default_value_t = 0)]
    pub rollback_buffer_days: u32,

    /// Never tag or delete an asset uploaded fewer than this many days ago (a deploy may be
    /// about to use it)
    #[arg(long, value_name = "DAYS", default_value_t = 1)]
    pub created_buffer_days: u32,

    /// Ask before deleting; `--confirm=false` deletes without asking, as `--force` does
    #[arg(
        long,
        value_name = "BOOL",
        default_value_t = true,
        num_args = 0..=1,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    pub confirm: bool,

    /// Do not ask before deleting
    #[arg(short, long)]
    pub force: bool,

    /// Print the unreferenced assets and what was done to them as JSON on stdout
    #[arg(long)]
    pub json: bool,

    /// How to show progress: a live status line on a terminal, or appended lines
    #[arg(long, value_name = "STYLE", default_value = "bar")]
    pub progress: ProgressMode,
}

/// `gc --type`, with CDK's names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum GcType {
    /// File assets in the staging bucket.
    S3,
    /// Image assets in the staging repository.
    Ecr,
    /// Both.
    #[default]
    All,
}

/// `gc --action`, with CDK's names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum GcAction {
    /// List unreferenced assets and what `full` would do to them; change nothing.
    Print,
    /// Tag unreferenced assets with the time they were found unreferenced (and untag
    /// assets referenced again); delete nothing.
    Tag,
    /// Delete unreferenced assets tagged at least `--rollback-buffer-days` ago; tag nothing.
    DeleteTagged,
    /// Tag, then delete what the rollback buffer allows.
    #[default]
    Full,
}

impl GcAction {
    /// The flag value, for messages and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            GcAction::Print => "print",
            GcAction::Tag => "tag",
            GcAction::DeleteTagged => "delete-tagged",
            GcAction::Full => "full",
        }
    }
}

/// `--method`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// Create a change set, check it, then execute it.
    #[default]
    ChangeSet,
    /// CreateStack / UpdateStack.
    Direct,
}

/// `--require-approval`, with CDK's names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Approval {
    /// Never ask.
    Never,
    /// Ask for new IAM permissions, security-group openings, and replacement or deletion
    /// of a resource that holds data.
    #[default]
    Broadening,
    /// Ask for any change.
    AnyChange,
}

impl Approval {
    /// The flag value, for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Never => "never",
            Approval::Broadening => "broadening",
            Approval::AnyChange => "any-change",
        }
    }
}

/// How progress is shown (`--progress`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ProgressMode {
    /// A status line redrawn in place on a terminal, events above it; events only
    /// elsewhere.
    #[default]
    Bar,
    /// Append-only event lines, for logs.
    Events,
}

/// One `--parameters` value as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParameterArg {
    /// The stack before `:`, when given.
    pub stack: Option<String>,
    /// The parameter's name.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// Parses `Stack:Key=Value` or `Key=Value`; clap's value parser.
pub fn parse_parameter(raw: &str) -> Result<ParameterArg, String> {
    let Some((name, value)) = raw.split_once('=') else {
        return Err(format!(
            "expected KEY=VALUE or STACK:KEY=VALUE, as in `{raw}=VALUE`"
        ));
    };
    let (stack, key) = match name.split_once(':') {
        Some((stack, key)) => (Some(stack.to_owned()), key),
        None => (None, name),
    };
    if key.is_empty() || stack.as_deref() == Some("") {
        return Err(format!(
            "`{raw}` has an empty stack or key; write KEY=VALUE or STACK:KEY=VALUE"
        ));
    }
    Ok(ParameterArg {
        stack,
        key: key.to_owned(),
        value: value.to_owned(),
    })
}

/// `90s`, `30m`, `1h`, or a number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
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

#[cfg(test)]
mod tests {
    // The value parsers of `--parameters` and `--timeout`.
    use super::*;

    #[test]
    fn parameters_parse_in_both_forms() {
        assert_eq!(
            parse_parameter("Api:Stage=prod=1").unwrap(),
            ParameterArg {
                stack: Some("Api".into()),
                key: "Stage".into(),
                value: "prod=1".into()
            }
        );
        assert_eq!(parse_parameter("Stage=").unwrap().stack, None);
        assert!(parse_parameter("Stage").is_err());
        assert!(parse_parameter(":Stage=x").is_err());
    }

    #[test]
    fn gc_takes_cdks_flags_and_a_dry_run_alias() {
        use clap::Parser;
        let parse = |args: &[&str]| {
            crate::cli::Cli::try_parse_from(std::iter::once("app").chain(args.iter().copied()))
        };
        let gc = |args: &[&str]| match parse(args).unwrap().command {
            crate::cli::Command::Gc(gc) => gc,
            other => panic!("{other:?}"),
        };
        let defaults = gc(&["gc"]);
        assert_eq!(defaults.action, GcAction::Full);
        assert_eq!(defaults.asset_type, GcType::All);
        assert_eq!(
            (defaults.rollback_buffer_days, defaults.created_buffer_days),
            (0, 1)
        );
        assert!(defaults.confirm && !defaults.force && !defaults.dry_run);
        assert!(!gc(&["gc", "--confirm=false"]).confirm);
        assert!(gc(&["gc", "--confirm"]).confirm);
        let set = gc(&["gc", "--type", "s3", "--action", "delete-tagged"]);
        assert_eq!(
            (set.asset_type, set.action),
            (GcType::S3, GcAction::DeleteTagged)
        );
        assert!(gc(&["gc", "--dry-run"]).dry_run);
        assert!(parse(&["gc", "--dry-run", "--action", "full"]).is_err());
    }

    #[test]
    fn durations_take_a_unit_or_seconds() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("5d")
            .unwrap_err()
            .contains("write it as 90s, 30m or 1h"));
    }
}
