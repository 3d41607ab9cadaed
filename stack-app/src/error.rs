//! How a command fails: a message to report, and the exit status.

use std::io;

use crate::{EXIT_DIFF, EXIT_ERROR, EXIT_OK};

/// A command's failure.
#[derive(Debug)]
pub struct CliError {
    /// Printed as `error: ...`; `None` when the problems were already reported.
    pub message: Option<String>,
    /// The exit status.
    pub code: u8,
}

/// What every command returns.
pub type CliResult = Result<(), CliError>;

impl CliError {
    /// An error to report, exiting with [`EXIT_ERROR`].
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: Some(message.into()),
            code: EXIT_ERROR,
        }
    }

    /// A failure whose problems were already printed.
    pub fn reported() -> Self {
        Self {
            message: None,
            code: EXIT_ERROR,
        }
    }

    /// Not a failure: `diff` found differences (or `drift` found drift), which it already
    /// printed.
    pub fn differences() -> Self {
        Self {
            message: None,
            code: EXIT_DIFF,
        }
    }

    /// A failure to write results to stdout. A closed pipe (`| head`) means the reader has
    /// what it wants, so it ends the run quietly and successfully, as in ripgrep.
    pub fn stdout(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Self {
                message: None,
                code: EXIT_OK,
            }
        } else {
            Self::new(format!("cannot write to stdout: {error}"))
        }
    }
}
