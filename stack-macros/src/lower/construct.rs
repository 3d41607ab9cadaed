//! Construct options: `Props::default().option(value)...`, checked against the catalog.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Ident;

use stack_spec::catalog::{ConstructSpec, OptionKind};

use crate::ast::{Field, ResourceItem, ValueExpr};
use crate::check;
use crate::ctxt::Ctxt;
use crate::lower::common::*;
use crate::resolve::Resolver;
use crate::scope::*;

/// Lowers construct options to `Props::default().option(value)...`.
pub(crate) fn lower_construct_options(
    r: &ResourceItem,
    spec: Option<&ConstructSpec>,
    index: usize,
    scope: &Scope,
    cx: &Ctxt,
    edges: &mut Vec<Edge>,
) -> TokenStream {
    let ty = &r.ty;
    if let Some(spec) = spec {
        check::options::check_fields(spec.name, spec.options, &r.body, cx);
    }
    let mut calls = Vec::new();
    for Field { key, value } in &r.body.fields {
        let name = key.name();
        let option = spec.and_then(|spec| spec.options.iter().find(|o| o.name == name));
        let kind = option.map_or(OptionKind::Plain, |o| o.kind);
        let Some(method) = option_ident(key, cx) else {
            continue;
        };
        // What a detached option names is referred to by the construct's secondary
        // resources only: those references neither order the build nor close a cycle.
        let mut detached_edges = Vec::new();
        let edges = if option.is_some_and(|o| o.detached) {
            &mut detached_edges
        } else {
            &mut *edges
        };
        let lowered = match kind {
            OptionKind::Env => {
                check::env::check_env_map(value, scope, cx);
                lower_option_value(value, scope, cx, index, edges)
            }
            OptionKind::Secret => {
                crate::lower::secrets::lower_secret(value, scope, cx, index, edges)
            }
            OptionKind::Plain => lower_option_value(value, scope, cx, index, edges),
        };
        calls.push(quote_spanned!(key.span()=> .#method(#lowered)));
    }
    // Spanned at the type, so a type that is no construct is reported there once.
    let props_ty = quote_spanned! {ty.span()=>
        <<#ty as ::stack_core::constructs::ConstructType>::Construct as ::stack_core::constructs::Construct>::Props
    };
    // The catalog's required options are checked above; another construct's are checked
    // by the compiler, against what its `ConstructProps` says.
    let required = spec.is_none().then(|| {
        let set = r.body.fields.iter().map(|f| f.key.name());
        quote_spanned! {r.body.span=>
            const _: () = if let ::core::option::Option::Some(missing) =
                ::stack_core::__private::missing_option::<#props_ty>(&[#(#set),*])
            {
                ::core::panic!("{}", missing);
            };
        }
    });
    let props = quote_spanned! {ty.span()=>
        <#props_ty as ::core::default::Default>::default()
    };
    match required {
        Some(required) => quote_spanned! {ty.span()=>
            {
                #required
                #props #(#calls)*
            }
        },
        None => quote!(#props #(#calls)*),
    }
}

/// The setter an option key names, or an error when the key cannot be one (`"a-b"`,
/// `self`).
pub(crate) fn option_ident(key: &crate::ast::Key, cx: &Ctxt) -> Option<Ident> {
    let name = key.name();
    if !check::options::is_option_name(&name) {
        cx.error(
            key.span(),
            if name.is_empty() {
                "an empty key is not an option name; options are written as Rust identifiers, such as `bucket_name`".to_owned()
            } else {
                format!("`{name}` is not an option name; options are written as Rust identifiers, such as `bucket_name`")
            },
        );
        return None;
    }
    Some(field_ident(&name, key.span()))
}

pub(crate) fn lower_option_value(
    value: &ValueExpr,
    scope: &Scope,
    cx: &Ctxt,
    index: usize,
    edges: &mut Vec<Edge>,
) -> TokenStream {
    match value {
        ValueExpr::Rust(expr) => {
            let mut expr = expr.clone();
            Resolver::new(scope, cx, Some(index), edges).expr(&mut expr);
            quote!(#expr)
        }
        ValueExpr::List { items, .. } => {
            let items: Vec<TokenStream> = items
                .iter()
                .map(|i| lower_option_value(i, scope, cx, index, edges))
                .collect();
            quote!([#(#items),*])
        }
        ValueExpr::Struct { path, body } => {
            let calls: Vec<TokenStream> = body
                .fields
                .iter()
                .filter_map(|f| {
                    let method = option_ident(&f.key, cx)?;
                    let v = lower_option_value(&f.value, scope, cx, index, edges);
                    Some(quote_spanned!(f.key.span()=> .#method(#v)))
                })
                .collect();
            quote!(<#path as ::core::default::Default>::default() #(#calls)*)
        }
        ValueExpr::Object(obj) => {
            let entries: Vec<TokenStream> = obj
                .fields
                .iter()
                .map(|f| {
                    let key = f.key.name();
                    let v = lower_option_value(&f.value, scope, cx, index, edges);
                    quote_spanned!(f.value.span()=> .entry(#key, #v))
                })
                .collect();
            quote!(::stack_core::constructs::StringMap::new() #(#entries)*)
        }
    }
}
