//! Choosing stacks by name.

use stack_core::{App, Stack};

use crate::error::CliError;

/// The stacks named in `names`, in app order; every stack when `names` is empty. An unknown
/// name is an error that lists the valid ones.
pub(crate) fn stacks<'a>(app: &'a App, names: &[String]) -> Result<Vec<&'a dyn Stack>, CliError> {
    if names.is_empty() {
        return Ok(app.stacks().collect());
    }
    let unknown: Vec<&String> = names
        .iter()
        .filter(|name| !app.stacks().any(|s| s.stack_name() == name.as_str()))
        .collect();
    if let Some(first) = unknown.first() {
        let valid = app.stacks().map(|s| s.stack_name());
        let mut message = if unknown.len() == 1 {
            format!("unknown stack `{first}`")
        } else {
            format!(
                "unknown stacks {}",
                list(unknown.iter().map(|n| n.as_str()))
            )
        };
        if app.stacks().next().is_none() {
            message.push_str("; the app has no stacks");
        } else {
            message.push_str(&format!("; stacks in this app: {}", list(valid)));
        }
        if let Some(close) = app
            .stacks()
            .find(|s| s.stack_name().eq_ignore_ascii_case(first))
        {
            message.push_str(&format!("; did you mean `{}`?", close.stack_name()));
        }
        return Err(CliError::new(message));
    }
    Ok(app
        .stacks()
        .filter(|s| names.iter().any(|n| n == s.stack_name()))
        .collect())
}

/// `` `A`, `B` ``.
pub(crate) fn list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
