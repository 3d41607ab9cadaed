//! `param` declarations: template parameters.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::Expr;

use crate::ast::ParamItem;
use crate::check;
use crate::ctxt::Ctxt;
use crate::ir::*;
use crate::lower::common::*;
use crate::scope::*;

/// The CloudFormation type and the Rust value type of a parameter declared as `ty`, or
/// `None` for a type a parameter cannot have.
pub(crate) fn param_types(ty: &syn::Type) -> Option<(&'static str, TokenStream)> {
    let ty_text = quote!(#ty).to_string().replace(' ', "");
    Some(match ty_text.as_str() {
        "String" => ("String", quote!(::std::string::String)),
        "i64" => ("Number", quote!(i64)),
        "f64" => ("Number", quote!(f64)),
        "Vec<String>" => (
            "CommaDelimitedList",
            quote!(::std::vec::Vec<::std::string::String>),
        ),
        _ => return None,
    })
}

pub(crate) fn lower_param(p: &ParamItem, cx: &Ctxt) -> ParamModel {
    let logical_id = logical_id(&p.name);
    let ty = &p.ty;
    let (cfn, value_ty) = param_types(ty).unwrap_or_else(|| {
        let ty_text = quote!(#ty).to_string().replace(' ', "");
        cx.error(
            ty.span(),
            format!("parameter type `{ty_text}` is not supported; use `String`, `i64`, `f64` or `Vec<String>`"),
        );
        ("String", quote!(::std::string::String))
    });
    // The CloudFormation type names are the variants of `ParameterType`.
    let kind = format_ident!("{}", cfn);
    let default = match &p.default {
        Some(expr) => {
            check::values::check_param_default(expr, cfn, cx);
            quote!(::core::option::Option::Some(
                ::stack_core::__private::serde_json::json!(#expr)
            ))
        }
        None => quote!(::core::option::Option::None),
    };
    let mut allowed = Vec::new();
    let mut no_echo = false;
    for attr in &p.attrs {
        if attr.path().is_ident("doc") {
            continue;
        } else if attr.path().is_ident("allowed") {
            match attr.parse_args_with(
                syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
            ) {
                Ok(values) => allowed.extend(values),
                Err(e) => cx.error(e.span(), "expected `#[allowed(value, ...)]`"),
            }
        } else if attr.path().is_ident("no_echo") {
            no_echo = true;
        } else {
            cx.error(attr.span(), "unknown parameter attribute; use `#[allowed(...)]` or `#[no_echo]` (doc comments become the description)");
        }
    }
    let description = match doc_text(&p.attrs) {
        Some(d) => quote!(::core::option::Option::Some(::std::string::String::from(#d))),
        None => quote!(::core::option::Option::None),
    };
    let name = &p.name;
    ParamModel {
        name: name.clone(),
        doc: docs(&p.attrs),
        value_ty,
        build: quote! {
            __stack.add_parameter(#logical_id, ::stack_core::__private::Parameter {
                kind: ::stack_core::__private::ParameterType::#kind,
                default: #default,
                description: #description,
                allowed_values: ::std::vec![#(::stack_core::__private::serde_json::json!(#allowed)),*],
                no_echo: #no_echo,
            });
            let #name = ::stack_core::Value::reference(#logical_id);
        },
    }
}
