//! Higher-level constructs: one declaration that expands into several resources with
//! secure, working defaults.

/// The constructs and their option types, for `use stack_core::prelude::*`.
pub mod prelude {}
