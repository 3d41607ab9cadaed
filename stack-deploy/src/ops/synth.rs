//! Synthesizing stacks to files or stdout.

use std::fs;
use std::path::{Path, PathBuf};

use stack_core::{Stack, Synthesized};

use crate::error::{CliError, CliResult};
use crate::ops::artifacts::{self, ManifestEntry};
use crate::ops::fs::write_atomic;
use crate::ops::{format, select};
use crate::shell::{Shell, Style};

/// Where `synth` writes when `--out` is not given, relative to the working directory.
pub(crate) const DEFAULT_OUT_DIR: &str = "stack.out";

/// Where the output goes.
#[derive(Debug)]
pub(crate) enum Target {
    /// Files in a directory.
    Dir {
        /// The directory as the user wrote it, for messages.
        shown: PathBuf,
        /// The directory resolved against the working directory.
        path: PathBuf,
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
}

/// One stack, rendered to the bytes that will be written.
struct Rendered<'a> {
    name: &'a str,
    dependencies: &'a [String],
    synthesized: &'a Synthesized,
    template: String,
    assets: Option<String>,
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
            "could not synthesize {}; nothing was written",
            select::list(failed)
        )));
    }
    match &plan.target {
        Target::Stdout => to_stdout(shell, &rendered),
        Target::Dir { shown, path } => to_dir(shell, app_name, &rendered, shown, path),
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
            .then(|| artifacts::assets_json(name, &synthesized.assets)),
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
                artifacts::assets_file(stack.name)
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
        write(&artifacts::template_file(stack.name), &stack.template)?;
        if let Some(assets) = &stack.assets {
            write(&artifacts::assets_file(stack.name), assets)?;
        }
    }
    let entries: Vec<ManifestEntry<'_>> = rendered
        .iter()
        .map(|stack| ManifestEntry {
            name: stack.name,
            dependencies: stack.dependencies,
            has_assets: stack.assets.is_some(),
            tags: &stack.synthesized.tags,
        })
        .collect();
    write(
        artifacts::MANIFEST_FILE,
        &artifacts::manifest_json(app_name, &entries),
    )?;
    if !shell.is_quiet() {
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
                    .join(artifacts::template_file(stack.name))
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
