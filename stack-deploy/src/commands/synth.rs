//! `synth`: write each selected stack's template and assets manifest, and `manifest.json`.

use std::path::{Path, PathBuf};

use crate::commands::Session;
use crate::error::{CliError, CliResult};
use crate::ops;
use crate::ops::synth::{Plan, Target, DEFAULT_OUT_DIR};

/// Arguments of `synth`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Stacks to synthesize; all of them when none is named
    #[arg(value_name = "STACK")]
    pub(crate) stacks: Vec<String>,

    /// Directory to write to, relative to the working directory [default: stack.out];
    /// `-` prints the one selected template to stdout
    #[arg(short, long, visible_alias = "output", value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,

    /// Print the one selected template to stdout instead of writing files
    #[arg(long, conflicts_with = "out")]
    pub(crate) stdout: bool,
}

/// Validates the arguments into a [`Plan`] and runs it.
pub(crate) fn exec(session: &mut Session<'_>, args: &Args) -> CliResult {
    let plan = plan(session, args)?;
    ops::synth::synth(session.shell, session.spec.name(), &plan)
}

fn plan<'a>(session: &Session<'a>, args: &Args) -> Result<Plan<'a>, CliError> {
    let stacks = ops::select::stacks(session.app, &args.stacks)?;
    if stacks.is_empty() {
        return Err(CliError::new(
            "the app has no stacks; add one with `App::stack`",
        ));
    }
    let dash = args.out.as_deref() == Some(Path::new("-"));
    let target = if args.stdout || dash {
        if stacks.len() != 1 {
            let flag = if dash { "--out -" } else { "--stdout" };
            return Err(CliError::new(format!(
                "`{flag}` prints one template, but {} stacks are selected; name one of: {}",
                stacks.len(),
                ops::select::list(stacks.iter().map(|s| s.stack_name()))
            )));
        }
        Target::Stdout
    } else {
        let shown = args
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT_DIR));
        Target::Dir {
            path: session.env.resolve(&shown),
            shown,
        }
    };
    Ok(Plan { stacks, target })
}
