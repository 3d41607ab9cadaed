//! Ctrl-C or SIGTERM: stop watching, never stop CloudFormation half way, and say how to
//! go on.
//!
//! Every operation records what it is doing, per stack, in a [`Tracker`]. The command runs
//! its future against Ctrl-C and SIGTERM; when a signal wins, the future is dropped (an
//! HTTP call in flight either reached CloudFormation or did not, both of which leave a
//! consistent stack), and [`Tracker::message`] tells the user where each stack under way
//! stands.

use std::cell::RefCell;
use std::rc::Rc;

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
    /// ContinueUpdateRollback or RollbackStack (`rollback`).
    Rollback,
}

impl Doing {
    fn stack(&self) -> &str {
        match self {
            Doing::Preparing { stack }
            | Doing::ChangeSet { stack, .. }
            | Doing::Operation { stack, .. } => stack,
        }
    }
}

/// What the running command is doing, for each stack under way (several when stacks are
/// deployed in parallel), shared with the signal handler. Clones share the record, so each
/// task of a run can hold one.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tracker {
    doing: Rc<RefCell<Vec<Doing>>>,
}

impl Tracker {
    /// Nothing under way.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Records the current step of its stack.
    pub(crate) fn set(&self, doing: Doing) {
        let mut all = self.doing.borrow_mut();
        match all.iter_mut().find(|d| d.stack() == doing.stack()) {
            Some(entry) => *entry = doing,
            None => all.push(doing),
        }
    }

    /// Nothing is under way for `stack` any more.
    pub(crate) fn finish(&self, stack: &str) {
        self.doing.borrow_mut().retain(|d| d.stack() != stack);
    }

    /// Nothing is under way any more.
    pub(crate) fn clear(&self) {
        self.doing.borrow_mut().clear();
    }

    /// What to tell the user after Ctrl-C; `app` is the program's name.
    pub(crate) fn message(&self, app: &str) -> String {
        let doing = self.doing.borrow().clone();
        match doing.as_slice() {
            [] => "interrupted; nothing was under way".to_owned(),
            [one] => Self::describe(one.clone(), app),
            several => {
                let mut message =
                    format!("interrupted while {} stacks were under way:", several.len());
                for doing in several {
                    message.push_str("\n  - ");
                    message.push_str(&Self::describe(doing.clone(), app));
                }
                message
            }
        }
    }

    fn describe(doing: Doing, app: &str) -> String {
        match doing {
            Doing::Preparing { stack } => format!(
                "interrupted before `{stack}` was changed; run the command again to start over"
            ),
            Doing::ChangeSet { stack, change_set } => format!(
                "interrupted: change set `{change_set}` of `{stack}` was created but not \
                 executed, so the stack is unchanged; run `{app} deploy {stack}` to start \
                 over (the change set can be deleted in the console or with `aws \
                 cloudformation delete-change-set`)"
            ),
            Doing::Operation { stack, operation } => {
                let (what, next) = match operation {
                    Operation::Create => (
                        "creating",
                        format!(
                            "Run `{app} deploy {stack}` to wait for it and continue; to undo, \
                             run `{app} destroy {stack}` once it has finished"
                        ),
                    ),
                    Operation::Update => (
                        "updating",
                        format!(
                            "Run `{app} deploy {stack}` to wait for it and continue; to roll \
                             back now, run `aws cloudformation cancel-update-stack \
                             --stack-name {stack}`"
                        ),
                    ),
                    Operation::Delete => (
                        "deleting",
                        format!(
                            "Run `{app} deploy {stack}` to wait for it and continue; run \
                             `{app} destroy {stack}` to wait for it"
                        ),
                    ),
                    Operation::Rollback => (
                        "rolling back",
                        format!("Run `{app} rollback {stack}` to wait for it"),
                    ),
                };
                format!("stopped watching; CloudFormation goes on {what} `{stack}`. {next}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stack_under_way_is_named_and_finished_ones_are_not() {
        let tracker = Tracker::new();
        let shared = tracker.clone();
        tracker.set(Doing::Preparing {
            stack: "Alpha".into(),
        });
        shared.set(Doing::Operation {
            stack: "Beta".into(),
            operation: Operation::Create,
        });
        tracker.set(Doing::Operation {
            stack: "Alpha".into(),
            operation: Operation::Update,
        });
        let message = tracker.message("app");
        assert!(
            message.starts_with("interrupted while 2 stacks were under way:\n  - stopped watching; CloudFormation goes on updating `Alpha`"),
            "{message}"
        );
        assert!(message.contains("\n  - stopped watching; CloudFormation goes on creating `Beta`"));

        shared.finish("Alpha");
        assert!(tracker
            .message("app")
            .starts_with("stopped watching; CloudFormation goes on creating `Beta`"));
        tracker.clear();
        assert_eq!(shared.message("app"), "interrupted; nothing was under way");
    }
}
