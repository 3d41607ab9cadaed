//! JSON-typed values: object and list literals lowered to `Expr` trees.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::ValueExpr;
use crate::check;
use crate::ctxt::Ctxt;
use crate::resolve::Resolver;
use crate::scope::*;

/// Lowers a JSON-typed value into an `Expr` tree, resolving references inside it.
pub(crate) fn lower_json(
    value: &ValueExpr,
    scope: &Scope,
    cx: &Ctxt,
    from: Option<usize>,
    edges: &mut Vec<Edge>,
) -> TokenStream {
    match value {
        ValueExpr::Object(obj) => {
            check::iam::check_json_actions(obj, cx);
            let entries: Vec<TokenStream> = obj
                .fields
                .iter()
                .map(|f| {
                    let key = f.key.name();
                    let v = lower_json(&f.value, scope, cx, from, edges);
                    quote!((::std::string::String::from(#key), #v))
                })
                .collect();
            quote!(::stack_core::Expr::Map(::std::vec![#(#entries),*]))
        }
        ValueExpr::List { items, .. } => {
            let items: Vec<TokenStream> = items
                .iter()
                .map(|i| lower_json(i, scope, cx, from, edges))
                .collect();
            quote!(::stack_core::Expr::List(::std::vec![#(#items),*]))
        }
        ValueExpr::Struct { path, .. } => {
            cx.error(
                path.span(),
                "a struct literal is not JSON; write an object `{ ... }`",
            );
            quote!(::stack_core::Expr::Map(::std::vec::Vec::new()))
        }
        ValueExpr::Rust(expr) => {
            let mut expr = expr.clone();
            Resolver::new(scope, cx, from, edges).expr(&mut expr);
            quote_spanned!(expr.span()=> ::stack_core::__private::to_expr(#expr))
        }
    }
}
