//! The work behind the commands, independent of argument parsing.

pub(crate) mod artifacts;
pub(crate) mod format;
pub(crate) mod fs;
pub(crate) mod ls;
pub(crate) mod select;
pub(crate) mod synth;
