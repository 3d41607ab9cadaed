//! Ctrl-C: stop watching, never stop CloudFormation half way, and say how to go on.
//!
//! Every operation records what it is doing in a [`Tracker`]. The command runs its future
//! against Ctrl-C; when Ctrl-C wins, the future is dropped (an HTTP call in flight either
//! reached CloudFormation or did not, both of which leave a consistent stack), and
//! [`Tracker::message`] tells the user where things stand.

use std::cell::RefCell;

/// What was under way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Doing {
    /// Nothing changed yet: reading, publishing assets, uploading templates.
    Preparing { stack: String },
    /// A change set was created and not executed.
    ChangeSet { stack: String, change_set: String },
    /// CloudFormation is creating, updating or deleting the stack.
    Operation { stack: String, operation: Operation },
}

/// The stack operation CloudFormation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operation {
    Create,
    Update,
    Delete,
}

/// What the running command is doing, shared with the Ctrl-C handler.
#[derive(Debug, Default)]
pub(crate) struct Tracker {
    doing: RefCell<Option<Doing>>,
}

impl Tracker {
    /// Nothing under way.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Records the current step.
    pub(crate) fn set(&self, doing: Doing) {
        *self.doing.borrow_mut() = Some(doing);
    }

    /// Nothing is under way any more.
    pub(crate) fn clear(&self) {
        *self.doing.borrow_mut() = None;
    }

    /// What to tell the user after Ctrl-C; `app` is the program's name.
    pub(crate) fn message(&self, app: &str) -> String {
        let doing = self.doing.borrow().clone();
        match doing {
            None => "interrupted; nothing was under way".to_owned(),
            Some(Doing::Preparing { stack }) => format!(
                "interrupted before `{stack}` was changed; run the command again to start over"
            ),
            Some(Doing::ChangeSet { stack, change_set }) => format!(
                "interrupted: change set `{change_set}` of `{stack}` was created but not \
                 executed, so the stack is unchanged; run `{app} deploy {stack}` to start \
                 over (the change set can be deleted in the console or with `aws \
                 cloudformation delete-change-set`)"
            ),
            Some(Doing::Operation { stack, operation }) => {
                let (what, undo) = match operation {
                    Operation::Create => (
                        "creating",
                        format!("to undo, run `{app} destroy {stack}` once it has finished"),
                    ),
                    Operation::Update => (
                        "updating",
                        format!(
                            "to roll back now, run `aws cloudformation cancel-update-stack \
                             --stack-name {stack}`"
                        ),
                    ),
                    Operation::Delete => (
                        "deleting",
                        format!("run `{app} destroy {stack}` to wait for it"),
                    ),
                };
                format!(
                    "stopped watching; CloudFormation goes on {what} `{stack}`. Run `{app} \
                     deploy {stack}` to wait for it and continue; {undo}"
                )
            }
        }
    }
}
