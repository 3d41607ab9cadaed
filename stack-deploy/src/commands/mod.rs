//! One module per command: its clap `Args` and an `exec` that validates them into a plan
//! and hands the plan to [`crate::ops`].

pub(crate) mod ls;
pub(crate) mod synth;

use stack_core::App;

use crate::env::Env;
use crate::shell::Shell;
use crate::spec::AppSpec;

/// What a command runs against: the built app and the process it runs in.
pub(crate) struct Session<'a> {
    /// All output.
    pub(crate) shell: &'a mut Shell,
    /// Variables and the working directory.
    pub(crate) env: &'a Env,
    /// The app's name and defaults.
    pub(crate) spec: &'a AppSpec,
    /// The stacks.
    pub(crate) app: &'a App,
}
