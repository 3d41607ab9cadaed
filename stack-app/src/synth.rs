//! `synth`: write each selected stack's template and assets manifest, and `manifest.json`;
//! and the whole cloud assembly that a lifecycle command hands to `stack-deploy`.

use std::fs;
use std::path::{Path, PathBuf};

use stack_core::{Stack, Synthesized};

use crate::app::Session;
use crate::assembly::{self, ManifestEntry};
use crate::cli::SynthArgs;
use crate::error::{CliError, CliResult};
use crate::fs::write_atomic;
use crate::shell::{Shell, Style};
use crate::{format, select};

/// Where `synth` writes when `--out` is not given, relative to the working directory.
pub const DEFAULT_OUT_DIR: &str = "stack.out";

/// Where the output goes.
#[derive(Debug)]
pub(crate) enum Target {
    /// Files in a directory.
    Dir {
        /// The directory as the user wrote it, for messages.
        shown: PathBuf,
        /// The directory resolved against the working directory.
        path: PathBuf,
        /// Whether to print a line per stack written.
        summary: bool,
    },
    /// The one selected template, on stdout.
    Stdout,
}

/// A validated `synth` invocation.
pub(crate) struct Plan<'a> {
    /// The stacks, in app order; never empty, exactly one for [`Target::Stdout`].
    pub(crate) stacks: Vec<&'a dyn Stack>,
    /// Where the output goes.
    pub(crate) target: Target,
    /// What a failure means, after "could not synthesize `Stack`; ".
    pub(crate) consequence: &'static str,
}

/// One stack, rendered to the bytes that will be written.
struct Rendered<'a> {
    name: &'a str,
    dependencies: &'a [String],
    synthesized: &'a Synthesized,
    template: String,
    assets: Option<String>,
}

/// Validates the arguments into a [`Plan`] and runs it.
pub(crate) fn exec(session: &mut Session<'_>, args: &SynthArgs) -> CliResult {
    let plan = plan(session, args)?;
    synth(session.shell, session.spec.name(), &plan)
}

fn plan<'a>(session: &Session<'a>, args: &SynthArgs) -> Result<Plan<'a>, CliError> {
    let stacks = select::stacks(&session.stacks(), &args.stacks)?;
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
                select::list(stacks.iter().map(|s| s.stack_name()))
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
            summary: true,
        }
    };
    Ok(Plan {
        stacks,
        target,
        consequence: "nothing was written",
    })
}

/// Synthesizes every stack of the plan before writing anything, so a run in which any
/// stack fails writes no file at all, and then writes templates, assets manifests and,
/// last, `manifest.json`.
pub(crate) fn synth(shell: &mut Shell, app_name: &str, plan: &Plan<'_>) -> CliResult {
    check_names(&plan.stacks)?;
    let mut rendered = Vec::new();
    let mut failed = Vec::new();
    for stack in &plan.stacks {
        match stack.synthesized() {
            Ok(synthesized) => rendered.push(render(
                stack.stack_name(),
                stack.dependencies(),
                synthesized,
            )),
            Err(error) => {
                shell.error(error);
                failed.push(stack.stack_name());
            }
        }
    }
    if !failed.is_empty() {
        return Err(CliError::new(format!(
            "could not synthesize {}; {}",
            select::list(failed),
            plan.consequence
        )));
    }
    match &plan.target {
        Target::Stdout => to_stdout(shell, &rendered),
        Target::Dir {
            shown,
            path,
            summary,
        } => to_dir(shell, app_name, &rendered, shown, path, *summary),
    }
}

fn render<'a>(
    name: &'a str,
    dependencies: &'a [String],
    synthesized: &'a Synthesized,
) -> Rendered<'a> {
    Rendered {
        name,
        dependencies,
        synthesized,
        template: synthesized.template.to_json_string(),
        assets: (!synthesized.assets.is_empty())
            .then(|| assembly::assets_json(name, &synthesized.assets)),
    }
}

/// Stack names become file names and CloudFormation stack names, so both rules apply:
/// CloudFormation's pattern, which also keeps paths inside the output directory, and
/// uniqueness.
fn check_names(stacks: &[&dyn Stack]) -> CliResult {
    let mut seen: Vec<&str> = Vec::new();
    for stack in stacks {
        let name = stack.stack_name();
        let valid = name.len() <= 128
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid {
            return Err(CliError::new(format!(
                "stack name `{name}` is not valid for CloudFormation; use letters, digits and \
                 hyphens, starting with a letter, at most 128 characters"
            )));
        }
        if seen.contains(&name) {
            return Err(CliError::new(format!(
                "two stacks are named `{name}`; give each stack of the app its own name"
            )));
        }
        seen.push(name);
    }
    Ok(())
}

fn to_stdout(shell: &mut Shell, rendered: &[Rendered<'_>]) -> CliResult {
    for stack in rendered {
        shell.out(&stack.template).map_err(CliError::stdout)?;
        let assets = stack.synthesized.assets.len();
        if assets > 0 {
            shell.note(format!(
                "stack `{}` refers to {}; `synth` without `--stdout` also writes `{}`",
                stack.name,
                format::count(assets, "asset"),
                assembly::assets_file(stack.name)
            ));
        }
    }
    Ok(())
}

fn to_dir(
    shell: &mut Shell,
    app_name: &str,
    rendered: &[Rendered<'_>],
    shown: &Path,
    path: &Path,
    summary: bool,
) -> CliResult {
    fs::create_dir_all(path).map_err(|e| {
        CliError::new(format!(
            "cannot create output directory `{}`: {e}",
            shown.display()
        ))
    })?;
    let write = |file: &str, contents: &str| {
        write_atomic(&path.join(file), contents.as_bytes()).map_err(|e| {
            CliError::new(format!(
                "cannot write `{}`: {e}",
                shown.join(file).display()
            ))
        })
    };
    for stack in rendered {
        write(&assembly::template_file(stack.name), &stack.template)?;
        if let Some(assets) = &stack.assets {
            write(&assembly::assets_file(stack.name), assets)?;
        }
    }
    let entries: Vec<ManifestEntry<'_>> = rendered
        .iter()
        .map(|stack| ManifestEntry {
            name: stack.name,
            dependencies: stack.dependencies,
            has_assets: stack.assets.is_some(),
            tags: &stack.synthesized.tags,
            renames: &stack.synthesized.renames,
            env: &stack.synthesized.env,
        })
        .collect();
    write(
        assembly::MANIFEST_FILE,
        &assembly::manifest_json(app_name, &entries),
    )?;
    if summary && !shell.is_quiet() {
        summarize(shell, rendered, shown)?;
    }
    Ok(())
}

/// One aligned line per stack: `PhotoSky  22 resources  14.3 KiB  stack.out/PhotoSky.template.json`.
fn summarize(shell: &mut Shell, rendered: &[Rendered<'_>], shown: &Path) -> CliResult {
    let rows: Vec<[String; 4]> = rendered
        .iter()
        .map(|stack| {
            [
                stack.name.to_owned(),
                format::count(stack.synthesized.template.resources.len(), "resource"),
                format::size(stack.template.len()),
                shown
                    .join(assembly::template_file(stack.name))
                    .display()
                    .to_string(),
            ]
        })
        .collect();
    let width = |column: usize| {
        rows.iter()
            .map(|row| row[column].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (name_w, count_w, size_w) = (width(0), width(1), width(2));
    let mut text = String::new();
    for [name, count, size, file] in &rows {
        // Padding goes outside the escape codes so a terminal shows no bold spaces.
        let pad = " ".repeat(name_w - name.chars().count());
        let name = shell.paint_out(Style::Bold, name);
        text.push_str(&format!(
            "{name}{pad}  {count:<count_w$}  {size:>size_w$}  {file}\n"
        ));
    }
    shell.out(&text).map_err(CliError::stdout)
}
