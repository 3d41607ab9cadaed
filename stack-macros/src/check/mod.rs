//! Cross-cutting checks, one concern per file.

pub(crate) mod cycles;
pub(crate) mod env;
pub(crate) mod iam;
pub(crate) mod limits;
pub(crate) mod options;
pub(crate) mod overrides;
pub(crate) mod renames;
pub(crate) mod state_graph;
pub(crate) mod values;
