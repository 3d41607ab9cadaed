//! Helpers every lowering shares: identifiers, doc comments, hints.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Attribute, Expr, Ident};

use crate::ast::ValueExpr;

pub(crate) fn field_ident(field: &str, span: Span) -> Ident {
    match field.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, span),
        None => syn::parse_str::<Ident>(field)
            .map(|mut i| {
                i.set_span(span);
                i
            })
            .unwrap_or_else(|_| Ident::new_raw(field, span)),
    }
}

pub(crate) fn describe_value(value: &ValueExpr) -> &'static str {
    match value {
        ValueExpr::Object(_) => "an object `{ ... }`",
        ValueExpr::List { .. } => "a list `[ ... ]`",
        ValueExpr::Struct { .. } => "a struct literal",
        ValueExpr::Rust(_) => "an expression",
    }
}

/// The doc-comment attributes, to copy onto generated items.
pub(crate) fn docs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}

/// The text of the doc comments, trimmed and joined, if any.
pub(crate) fn doc_text(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let text = lines.join(" ").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// `aws::s3::Bucket` as a path under `::stack_core`, spanned at the user's type.
pub(crate) fn stack_path(path: &str, span: Span) -> TokenStream {
    let segments =
        path.split("::")
            .filter(|s| !s.is_empty())
            .map(|s| match syn::parse_str::<Ident>(s) {
                Ok(mut i) => {
                    i.set_span(span);
                    i
                }
                Err(_) => Ident::new_raw(s.trim_start_matches("r#"), span),
            });
    quote!(::stack_core #(:: #segments)*)
}
