//! The model behind `stack!`: CloudFormation templates, typed values and references,
//! every CloudFormation resource type, higher-level constructs and IAM grants.
//!
//! Apps depend on this crate and on `stack-deploy`; the [`stack!`] macro is re-exported
//! here. See the language reference in `docs/language.md`.

// Lets the crate's own code use `stack!` and the derives, which name `::stack_core`.
extern crate self as stack_core;

pub mod app;
pub mod asset;
pub mod aws;
pub mod constructs;
pub mod env;
pub mod expr;
pub mod handle;
pub mod iam;
pub mod kind;
pub mod overrides;
pub mod pseudo;
pub mod resource;
pub mod stack;
pub mod tag;
pub mod template;
pub mod value;

/// The language reference: what a `stack!` block can declare and what each declaration
/// checks and produces.
#[doc = include_str!("../../docs/language.md")]
pub mod language {}

pub use app::{App, AppStack, FromApp, InApp};
pub use env::Env;
pub use expr::Expr;
pub use handle::Handle;
pub use resource::{RemovalPolicy, Resource};
pub use stack::{Stack, StackBuilder, SynthError, Synthesized};
pub use stack_macros::stack;
pub use tag::Tag;
pub use template::Template;
pub use value::{Arn, Id, IntoValue, Json, Value};

/// Everything a stack module needs: `use stack_core::prelude::*;`.
pub mod prelude {
    pub use crate::constructs::prelude::*;
    pub use crate::iam::Statement;
    pub use crate::resource::RemovalPolicy;
    pub use crate::stack;
    pub use crate::value::{Arn, Id, IntoValue, Json, Value};
    pub use crate::{kind, pseudo, App, Stack};
}

/// Support for generated code. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::app::{Foreign, InApp};
    pub use crate::constructs::construct::missing_option;
    pub use crate::env::differ;
    pub use crate::expr::Expr;
    pub use crate::handle::Handle;
    pub use crate::iam::{Grant, Principal, Statement};
    pub use crate::resource::{RemovalPolicy, Resource};
    pub use crate::stack::{
        contains, first_shared, Message, StackBuilder, SynthError, Synthesized, Used, UsedDepth,
    };
    pub use crate::template::{Output, Parameter, ParameterType, ResourceDecl};
    pub use crate::value::{IntoValue, ToExpr, Value};
    pub use serde_json;
    pub use stack_macros::__catalog_agreement as catalog_agreement;

    /// What generated resource types import.
    pub mod codegen {
        pub use crate::expr::Expr;
        pub use crate::handle::Handle;
        pub use crate::resource::Resource;
        pub use crate::tag::Tag;
        pub use crate::value::{Arn, Id, Json, Props, ToExpr, Value};
        pub use std::collections::BTreeMap;
    }

    /// `handle` of stack `stack`, seen from another stack: references to it become imports.
    pub fn foreign<S: crate::Stack, A, H: Foreign>(stack: &InApp<S, A>, handle: &H) -> H {
        handle.in_stack(stack.stack_name())
    }

    /// The logical ID of one element of a resource declared in a `for`: the declared
    /// name's ID followed by the element's key in UpperCamelCase (`Functions` + `text-api`
    /// → `FunctionsTextApi`).
    pub fn element_id(prefix: &str, key: &dyn ::std::fmt::Display) -> String {
        stack_spec::logical_id::element(prefix, &key.to_string())
    }

    /// The logical ID an element of `#[renamed_from(old)]` had: `id` (the declaration's
    /// own, or an element's inside a `for`) with its prefix `new` replaced by `old`.
    pub fn renamed_id(old: &str, new: &str, id: &str) -> String {
        format!("{old}{}", id.strip_prefix(new).unwrap_or_default())
    }

    /// Runs one resource's build out of line. A stack's constructor then stays a
    /// sequence of calls however many resources it declares: the optimizer's time on
    /// one function holding hundreds of inlined builds grows much faster than linearly.
    #[inline(never)]
    pub fn build_resource(build: impl FnOnce()) {
        build();
    }

    /// Renders any model value inside a JSON property.
    pub fn to_expr(value: impl ToExpr) -> Expr {
        value.to_expr()
    }
}
