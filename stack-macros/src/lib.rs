//! The `stack!` macro. The language is documented at `stack_core::stack!` and in
//! `docs/language.md`.
//!
//! Expansion runs in stages, each in its own module: `parse` builds the
//! syntax tree, `model` resolves names and checks everything against the
//! CloudFormation schema index and the construct catalog (the checks live in `check/`),
//! and `expand` generates the stack struct.

mod agreement;
mod ast;
mod check;
mod ctxt;
mod dummy;
mod expand;
#[cfg(test)]
mod fuzz;
mod ir;
mod lower;
mod model;
mod parse;
mod props;
mod resolve;
mod scope;
#[cfg(test)]
mod test_support;

use proc_macro::TokenStream;

/// Declares a stack. See `stack_core::stack!` for the language.
#[proc_macro]
pub fn stack(input: TokenStream) -> TokenStream {
    expand::stack(input.into()).into()
}

/// Derives `ConstructProps` and a setter per field for a construct's props struct. See
/// `stack_core::constructs::ConstructProps`.
#[proc_macro_derive(ConstructProps, attributes(option))]
pub fn construct_props(input: TokenStream) -> TokenStream {
    props::derive(input.into()).into()
}

/// Ties the constructs of `stack_core` to their catalog entries: the build fails when
/// the catalog names an option, attribute or grant a construct lacks. Not a public API.
#[doc(hidden)]
#[proc_macro]
pub fn __catalog_agreement(input: TokenStream) -> TokenStream {
    agreement::expand(input.into()).into()
}
