//! `for`: one resource per element of a collection from the props.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use crate::ast::Item;
use crate::ctxt::Ctxt;
use crate::ir::*;
use crate::lower::grant::lower_grant;
use crate::lower::resource::lower_resource;
use crate::resolve::Resolver;
use crate::scope::*;

/// A `for`: declares each keyed resource's handles up front (so any declaration can
/// refer to them), then builds them and applies the loop's grants, element by element.
pub(crate) fn lower_loop(
    f: &crate::ast::ForItem,
    resource_index: &mut usize,
    scope: &Scope,
    cx: &Ctxt,
    edges: &mut Vec<Edge>,
    model: &mut Model,
) -> TokenStream {
    let pat = &f.pat;
    let mut iterable = f.iterable.clone();
    Resolver::new(scope, cx, None, edges).expr(&mut iterable);
    let mut shadows = Vec::new();
    let mut body = Vec::new();
    for item in &f.items {
        match item {
            Item::Resource(r) => {
                let index = *resource_index;
                *resource_index += 1;
                let Some(kind) = scope.resources[index].1 else {
                    continue;
                };
                let mut key = r.key.clone().unwrap_or_else(|| syn::parse_quote!(""));
                Resolver::new(scope, cx, None, edges).expr(&mut key);
                let mut lowered = lower_resource(r, index, kind, scope, cx, edges);
                let name = &r.name;
                let prefix = &lowered.logical_id;
                let element = &lowered.handle_ty;
                let declare_one = match kind {
                    Kind::L1 { .. } => {
                        quote!(<#element>::new(::stack_core::__private::element_id(#prefix, &(#key))))
                    }
                    Kind::L2(_) | Kind::User => {
                        quote!(<<#element as ::stack_core::constructs::ConstructType>::Construct as ::stack_core::constructs::Construct>::declare(&::stack_core::__private::element_id(#prefix, &(#key))))
                    }
                };
                lowered.declare = quote!({
                    let mut elements: ::std::vec::Vec<#element> = ::std::vec::Vec::new();
                    for #pat in #iterable {
                        elements.push(#declare_one);
                    }
                    elements
                });
                lowered.handle_ty = quote!(::std::vec::Vec<#element>);
                shadows.push(quote!(let #name = &#name[__element];));
                body.push(std::mem::take(&mut lowered.build));
                model.resources.push(lowered);
            }
            Item::Grant(g) => {
                if let Some(tokens) = lower_grant(g, scope, cx) {
                    body.push(tokens);
                }
            }
            Item::Let(l) => {
                let mut expr = l.expr.clone();
                Resolver::new(scope, cx, None, edges)
                    .in_loop()
                    .expr(&mut expr);
                let name = &l.name;
                let ty = l.ty.as_ref().map(|t| quote!(: #t));
                body.push(quote_spanned!(name.span()=> let #name #ty = #expr;));
            }
            _ => {}
        }
    }
    quote! {
        for (__element, #pat) in ::core::iter::Iterator::enumerate(::core::iter::IntoIterator::into_iter(#iterable)) {
            #(#shadows)*
            #(#body)*
        }
    }
}
