//! Choosing stacks by name.

use stack_core::Stack;

use crate::error::CliError;

/// A stack as choosing and ordering see it: a name and the stacks it imports from. The
/// app binary chooses among its built stacks, `stack-deploy` among the stacks of a cloud
/// assembly.
pub trait StackEntry: Copy {
    /// The CloudFormation stack name.
    fn name(&self) -> &str;
    /// The names of the stacks this one imports from; they deploy first.
    fn dependencies(&self) -> &[String];
}

impl StackEntry for &dyn Stack {
    fn name(&self) -> &str {
        self.stack_name()
    }

    fn dependencies(&self) -> &[String] {
        Stack::dependencies(*self)
    }
}

/// The stacks named in `names`, in the order of `all`; every stack when `names` is empty.
/// An unknown name is an error that lists the valid ones.
pub fn stacks<T: StackEntry>(all: &[T], names: &[String]) -> Result<Vec<T>, CliError> {
    if names.is_empty() {
        return Ok(all.to_vec());
    }
    let unknown: Vec<&String> = names
        .iter()
        .filter(|name| !all.iter().any(|s| s.name() == name.as_str()))
        .collect();
    if let Some(first) = unknown.first() {
        let mut message = if unknown.len() == 1 {
            format!("unknown stack `{first}`")
        } else {
            format!(
                "unknown stacks {}",
                list(unknown.iter().map(|n| n.as_str()))
            )
        };
        if all.is_empty() {
            message.push_str("; the app has no stacks");
        } else {
            message.push_str(&format!(
                "; stacks in this app: {}",
                list(all.iter().map(StackEntry::name))
            ));
        }
        if let Some(close) = all.iter().find(|s| s.name().eq_ignore_ascii_case(first)) {
            message.push_str(&format!("; did you mean `{}`?", close.name()));
        }
        return Err(CliError::new(message));
    }
    Ok(all
        .iter()
        .filter(|s| names.iter().any(|n| n == s.name()))
        .copied()
        .collect())
}

/// The stacks a lifecycle command works on: those named, every stack with `--all`, or the
/// app's only stack. `verb` is the command, for the message when a choice is needed.
pub fn choose<T: StackEntry>(
    all: &[T],
    names: &[String],
    every: bool,
    verb: &str,
) -> Result<Vec<T>, CliError> {
    let stacks = stacks(all, names)?;
    if stacks.is_empty() {
        return Err(CliError::new(
            "the app has no stacks; add one with `App::stack`",
        ));
    }
    if names.is_empty() && !every && stacks.len() > 1 {
        return Err(CliError::new(format!(
            "the app has {} stacks; name the ones to {verb} or pass `--all`: {}",
            stacks.len(),
            list(stacks.iter().map(StackEntry::name))
        )));
    }
    Ok(stacks)
}

/// `` `A`, `B` ``.
pub fn list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
