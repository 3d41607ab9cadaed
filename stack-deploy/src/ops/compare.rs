//! `diff`: the local templates against the deployed ones, as text or JSON.

use serde_json::{json, Value as Json};

use crate::aws::Aws;
use crate::error::{CliError, CliResult};
use crate::ops::cfn;
use crate::ops::deploy::{self, StackInput};
use crate::ops::diff::{self, Action, EntryChange, TemplateDiff};
use crate::ops::publish::Staging;
use crate::ops::renames::{self, Move};
use crate::ops::schema::Replacement;
use crate::shell::{Shell, Style};

/// One stack's comparison.
struct Compared<'a> {
    input: &'a StackInput,
    deployed: bool,
    diff: TemplateDiff,
    /// Declared renames the next deploy moves; the diff is against the deployed template
    /// with them already moved.
    moves: Vec<Move>,
    /// Whether replacements come from a change set rather than the resource schemas.
    from_change_set: bool,
}

/// How `diff` compares.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DiffOptions<'a> {
    /// `--json`.
    pub(crate) json: bool,
    /// Whether to ask CloudFormation, through a change set that is never executed, which
    /// resources a deployed stack's changes replace (`--no-change-set` turns it off).
    pub(crate) change_set: bool,
    /// The program's name, for the commands suggested in messages.
    pub(crate) app: &'a str,
}

/// Compares every stack and prints the result; `Err` with exit status 2 when anything
/// differs, 1 when a stack could not be read.
pub(crate) async fn diff(
    shell: &mut Shell,
    aws: &Aws,
    stacks: &[StackInput],
    options: DiffOptions<'_>,
) -> CliResult {
    let mut compared = Vec::new();
    let mut staging = Staging::default();
    for input in stacks {
        let existing = cfn::describe(aws, &input.name)
            .await
            .map_err(CliError::new)?
            .filter(|s| s.status != "REVIEW_IN_PROGRESS");
        let deployed = match &existing {
            Some(stack) => Some(cfn::template(aws, &stack.id).await.map_err(CliError::new)?),
            None => None,
        };
        let moves = deployed.as_ref().map_or_else(Vec::new, |d| {
            renames::declared_moves(&input.renames, d, &input.template)
        });
        let moved = deployed.as_ref().map(|d| renames::rename_ids(d, &moves));
        let mut diff = diff::diff_templates(moved.as_ref(), &input.template);
        let mut from_change_set = false;
        // A change set would compare with the stack before the moves, as deletions.
        if let Some(stack) = existing
            .as_ref()
            .filter(|_| options.change_set && moves.is_empty())
        {
            if diff.resources.iter().any(|r| r.action == Action::Modify) {
                match deploy::preview_changes(shell, aws, options.app, &mut staging, input, stack)
                    .await
                {
                    Ok(changes) => {
                        deploy::mark_change_set_replacements(&mut diff, &changes);
                        from_change_set = true;
                    }
                    Err(error) => shell.warn(format!(
                        "could not create a change set for `{}`, so replacements are the \
                         resource schemas' estimate: {error}",
                        input.name
                    )),
                }
            }
        }
        compared.push(Compared {
            input,
            deployed: existing.is_some(),
            diff,
            moves,
            from_change_set,
        });
    }
    let differs = compared
        .iter()
        .any(|c| !c.diff.is_empty() || !c.moves.is_empty());
    if options.json {
        let stacks: Vec<Json> = compared
            .iter()
            .map(|c| {
                let mut entry = diff::to_json(&c.diff);
                if let Some(map) = entry.as_object_mut() {
                    map.insert("stack".into(), c.input.name.clone().into());
                    map.insert("deployed".into(), c.deployed.into());
                    map.insert("differences".into(), (!c.diff.is_empty()).into());
                    let source = if c.from_change_set {
                        "change-set"
                    } else {
                        "schema"
                    };
                    map.insert("replacementSource".into(), source.into());
                    let moves: Vec<Json> = c
                        .moves
                        .iter()
                        .map(|m| json!({ "from": m.old, "to": m.new, "type": m.type_name }))
                        .collect();
                    map.insert("renames".into(), moves.into());
                }
                entry
            })
            .collect();
        let text = format!(
            "{:#}\n",
            json!({ "differences": differs, "stacks": stacks })
        );
        shell.out(&text).map_err(CliError::stdout)?;
    } else {
        let mut text = String::new();
        for c in &compared {
            render(shell, c, &mut text);
        }
        shell.out(&text).map_err(CliError::stdout)?;
    }
    if differs {
        Err(CliError::differences())
    } else {
        Ok(())
    }
}

fn render(shell: &Shell, c: &Compared<'_>, out: &mut String) {
    let name = shell.paint_out(Style::Bold, &format!("Stack {}", c.input.name));
    out.push_str(&format!("{name}\n"));
    for m in &c.moves {
        let mark = shell.paint_out(Style::Success, "[>]");
        out.push_str(&format!(
            "{mark} {} is renamed: deploy moves it to its new logical ID, with its data\n",
            m.describe()
        ));
    }
    if c.diff.is_empty() {
        let other = if c.moves.is_empty() { "" } else { " other" };
        out.push_str(&format!("There were no{other} differences\n\n"));
        return;
    }
    if !c.deployed {
        out.push_str("(not deployed yet: everything is new)\n");
    }
    for change in &c.diff.other {
        out.push_str(&format!(
            "[~] {}: {} → {}\n",
            change.path,
            show(change.old.as_ref()),
            show(change.new.as_ref())
        ));
    }
    section(shell, "Parameters", &c.diff.parameters, false, out);
    section(shell, "Resources", &c.diff.resources, true, out);
    section(shell, "Outputs", &c.diff.outputs, false, out);
    for rename in &c.diff.probable_renames {
        let mark = shell.paint_out(Style::Error, "[!]");
        out.push_str(&format!("{mark} {}\n", renames::warning(rename)));
    }
    let count = |action: Action| {
        c.diff
            .resources
            .iter()
            .filter(|r| r.action == action)
            .count()
    };
    let replaced = c
        .diff
        .resources
        .iter()
        .filter(|r| r.action == Action::Modify && r.replacement != Replacement::Never)
        .count();
    out.push_str(&format!(
        "{}: {} to add, {} to change{}, {} to remove\n\n",
        c.input.name,
        count(Action::Add),
        count(Action::Modify),
        if replaced > 0 {
            format!(" ({replaced} replaced)")
        } else {
            String::new()
        },
        count(Action::Remove),
    ));
}

fn show(value: Option<&Json>) -> String {
    value.map_or_else(|| "(absent)".to_owned(), diff::show_value)
}

fn section(shell: &Shell, title: &str, changes: &[EntryChange], resources: bool, out: &mut String) {
    if changes.is_empty() {
        return;
    }
    out.push_str(&format!("{title}\n"));
    for change in changes {
        let symbol = match change.action {
            Action::Add => shell.paint_out(Style::Success, change.action.symbol()),
            Action::Remove => shell.paint_out(Style::Removed, change.action.symbol()),
            Action::Modify => shell.paint_out(Style::Warning, change.action.symbol()),
        };
        let ty = if resources {
            format!("{} ", change.type_name)
        } else {
            String::new()
        };
        let replacement = match (change.action, change.replacement) {
            (Action::Modify, Replacement::Always) => {
                shell.paint_out(Style::Error, " (replacement)")
            }
            (Action::Modify, Replacement::Maybe) => {
                shell.paint_out(Style::Warning, " (may be replaced)")
            }
            _ => String::new(),
        };
        out.push_str(&format!("{symbol} {ty}{}{replacement}\n", change.id));
        for value in &change.values {
            let note = match value.replacement {
                Replacement::Always => " (requires replacement)",
                Replacement::Maybe => " (may require replacement)",
                Replacement::Never => "",
            };
            let path = value
                .path
                .strip_prefix("Properties.")
                .unwrap_or(&value.path);
            out.push_str(&format!(
                "    [~] {path}{note}: {} → {}\n",
                show(value.old.as_ref()),
                show(value.new.as_ref())
            ));
        }
        for statement in &change.statements {
            let path = statement
                .path
                .strip_prefix("Properties.")
                .unwrap_or(&statement.path);
            let symbol = match statement.action {
                Action::Add => shell.paint_out(Style::Success, "[+]"),
                _ => shell.paint_out(Style::Removed, "[-]"),
            };
            out.push_str(&format!(
                "    {symbol} {path}: {}\n",
                diff::show_statement(&statement.statement)
            ));
        }
    }
}
