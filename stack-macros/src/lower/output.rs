//! `output` declarations, with descriptions and exports.

use proc_macro2::Span;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Expr;

use stack_spec::suggest;

use crate::ast::{OutputItem, ValueExpr};
use crate::ctxt::Ctxt;
use crate::ir::*;
use crate::lower::common::*;
use crate::resolve::Resolver;
use crate::scope::*;

pub(crate) fn lower_output(
    o: &OutputItem,
    scope: &Scope,
    cx: &Ctxt,
    edges: &mut Vec<Edge>,
    export_names: &mut Vec<(String, Span)>,
) -> Option<OutputModel> {
    let logical_id = logical_id(&o.name);
    let mut export = quote!(::core::option::Option::None);
    for attr in &o.attrs {
        if attr.path().is_ident("doc") {
            continue;
        }
        if attr.path().is_ident("export") {
            match &attr.meta {
                syn::Meta::Path(_) => {
                    let sub = format!("${{AWS::StackName}}-{logical_id}");
                    export = quote!(::core::option::Option::Some(::stack_core::Expr::Sub(::std::string::String::from(#sub))));
                }
                syn::Meta::NameValue(nv) => {
                    if let Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = &nv.value
                    {
                        let name = s.value();
                        if let Some((_, first)) = export_names.iter().find(|(n, _)| *n == name) {
                            cx.error(s.span(), format!("duplicate export name `{name}`; export names must be unique in a region"));
                            cx.error(*first, format!("`{name}` is first exported here"));
                        } else {
                            export_names.push((name, s.span()));
                        }
                    }
                    let mut value = nv.value.clone();
                    Resolver::new(scope, cx, None, edges).expr(&mut value);
                    export = quote_spanned!(value.span()=> ::core::option::Option::Some(::stack_core::IntoValue::<::std::string::String>::into_value(#value).into_expr()));
                }
                syn::Meta::List(_) => cx.error(
                    attr.span(),
                    "expected `#[export]` or `#[export = \"name\"]`",
                ),
            }
        } else {
            cx.error(attr.span(), "unknown output attribute; use `#[export]` or `#[export = \"name\"]` (doc comments become the description)");
        }
    }
    let value = match &o.value {
        ValueExpr::Rust(expr) => {
            let mut expr = expr.clone();
            if let Expr::Path(p) = &expr {
                if let Some(ident) = p.path.get_ident() {
                    if let Some(Name::Resource(i)) = scope.names.get(&ident.to_string()) {
                        if let Some(Kind::L2(spec)) = scope.resources[*i].1 {
                            cx.error(ident.span(), format!("output `{}` is the whole resource `{ident}`; output one of its attributes: {}", o.name, suggest::list(spec.attrs)));
                            return None;
                        }
                    }
                }
            }
            Resolver::new(scope, cx, None, edges).expr(&mut expr);
            quote_spanned!(expr.span()=> ::stack_core::IntoValue::<::std::string::String>::into_value(#expr))
        }
        other => {
            cx.error(
                other.span(),
                "an output's value is a string expression, e.g. `api.url` or `sub!(\"...\")`",
            );
            return None;
        }
    };
    let description = match doc_text(&o.attrs) {
        Some(d) => quote!(::core::option::Option::Some(::std::string::String::from(#d))),
        None => quote!(::core::option::Option::None),
    };
    let name = &o.name;
    Some(OutputModel {
        name: name.clone(),
        doc: docs(&o.attrs),
        build: quote! {
            let #name: ::stack_core::Value<::std::string::String> = #value;
            __stack.add_output(#logical_id, ::stack_core::__private::Output {
                value: #name.expr().clone(),
                description: #description,
                export_name: #export,
            });
        },
    })
}
