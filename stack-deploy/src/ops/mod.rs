//! The work behind the commands, independent of argument parsing.

pub(crate) mod approval;
pub(crate) mod bootstrap;
pub(crate) mod cfn;
pub(crate) mod compare;
pub(crate) mod deploy;
pub(crate) mod destroy;
pub(crate) mod diff;
pub(crate) mod doctor;
pub(crate) mod drift;
pub(crate) mod gc;
pub(crate) mod image;
pub(crate) mod interrupt;
pub(crate) mod params;
pub(crate) mod progress;
pub(crate) mod publish;
pub(crate) mod renames;
pub(crate) mod rollback;
pub(crate) mod schema;
pub(crate) mod zip;

pub(crate) use stack_app::{format, fs, order, select};
