//! The work behind the commands, independent of argument parsing.

pub(crate) mod approval;
pub(crate) mod artifacts;
pub(crate) mod bootstrap;
pub(crate) mod cfn;
pub(crate) mod compare;
pub(crate) mod deploy;
pub(crate) mod destroy;
pub(crate) mod diff;
pub(crate) mod doctor;
pub(crate) mod drift;
pub(crate) mod format;
pub(crate) mod fs;
pub(crate) mod image;
pub(crate) mod interrupt;
pub(crate) mod ls;
pub(crate) mod order;
pub(crate) mod params;
pub(crate) mod progress;
pub(crate) mod publish;
pub(crate) mod rollback;
pub(crate) mod schema;
pub(crate) mod select;
pub(crate) mod synth;
pub(crate) mod zip;
