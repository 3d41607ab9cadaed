//! The checked model of a block: what each declaration lowered to, ready to expand.

use proc_macro2::TokenStream;
use syn::{Attribute, Ident, Type};

/// One lowered resource.
pub(crate) struct ResourceModel {
    /// The resource's index in the scope.
    pub(crate) index: usize,
    pub(crate) name: Ident,
    pub(crate) logical_id: String,
    pub(crate) doc: Vec<Attribute>,
    /// The type of the struct field holding its handle.
    pub(crate) handle_ty: TokenStream,
    /// The expression creating the handle.
    pub(crate) declare: TokenStream,
    /// Statements adding it to `__stack`.
    pub(crate) build: TokenStream,
}

/// One lowered parameter.
pub(crate) struct ParamModel {
    pub(crate) name: Ident,
    pub(crate) doc: Vec<Attribute>,
    pub(crate) value_ty: TokenStream,
    pub(crate) build: TokenStream,
}

/// One lowered output.
pub(crate) struct OutputModel {
    pub(crate) name: Ident,
    pub(crate) doc: Vec<Attribute>,
    pub(crate) build: TokenStream,
}

/// The whole checked stack, ready to expand.
pub(crate) struct Model {
    pub(crate) vis: syn::Visibility,
    pub(crate) name: Ident,
    pub(crate) doc: Vec<Attribute>,
    pub(crate) description: Option<String>,
    pub(crate) props: Option<(Ident, Type)>,
    pub(crate) uses: Vec<(Ident, Type)>,
    pub(crate) params: Vec<ParamModel>,
    pub(crate) lets: Vec<TokenStream>,
    pub(crate) resources: Vec<ResourceModel>,
    pub(crate) grants: Vec<TokenStream>,
    /// `for` loops building one resource per element, after the other resources.
    pub(crate) loops: Vec<TokenStream>,
    pub(crate) outputs: Vec<OutputModel>,
    /// The literal export names (`#[export = "name"]`), each with its span.
    pub(crate) exports: Vec<(String, proc_macro2::Span)>,
    pub(crate) tags: Vec<TokenStream>,
    /// `override` and `remove`, applied when the stack is finished.
    pub(crate) overrides: Vec<TokenStream>,
    /// `env { .. }`, when the stack declares one.
    pub(crate) env: Option<EnvModel>,
}

/// A checked `env`: the `set_env` call, and the values written as literals, which the
/// compile-time checks between stacks read.
#[derive(Default)]
pub(crate) struct EnvModel {
    pub(crate) build: TokenStream,
    pub(crate) account: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) cross_region_references: bool,
}
