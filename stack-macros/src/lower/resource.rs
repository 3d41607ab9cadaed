//! `resource` declarations: the handle, its declaration and its build.

use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::ResourceItem;
use crate::check;
use crate::ctxt::Ctxt;
use crate::ir::*;
use crate::lower::attrs::ResourceAttrs;
use crate::lower::common::*;
use crate::lower::construct::lower_construct_options;
use crate::lower::l1::L1Lowerer;
use crate::scope::*;

pub(crate) fn lower_resource(
    r: &ResourceItem,
    index: usize,
    kind: Kind,
    scope: &Scope,
    cx: &Ctxt,
    edges: &mut Vec<Edge>,
) -> ResourceModel {
    let name = &r.name;
    let logical_id = logical_id(name);
    let in_loop = scope.collections[index];
    let attrs = ResourceAttrs::parse(&r.attrs, name, scope, index, cx, edges);
    let (handle_ty, declare, mut build) = match kind {
        Kind::L1 { type_name, schema } => {
            let path = stack_path(schema.path(), r.ty.span());
            // The types the constructs build with are compiled without their feature.
            let require = (!stack_spec::catalog::is_resource_type(type_name)).then(|| {
                let name =
                    format_ident!("__stack_require_{}", schema.feature(), span = r.ty.span());
                quote_spanned!(r.ty.span()=> ::stack_core::#name!();)
            });
            let mut lowerer = L1Lowerer {
                schema,
                scope,
                cx,
                resolver_from: index,
                edges,
            };
            let value = lowerer.object(&r.body, schema.props(), &path, type_name, type_span(r));
            if type_name == "AWS::Lambda::Function" {
                check::env::check_l1_function(&r.body, scope, cx);
            }
            (
                quote!(::stack_core::Handle<#path>),
                quote!(::stack_core::Handle::<#path>::new(#logical_id)),
                {
                    let id = if in_loop {
                        quote!(#name.logical_id())
                    } else {
                        quote!(#logical_id)
                    };
                    quote! {
                        #require
                        __stack.add_resource(#id, &#value);
                    }
                },
            )
        }
        Kind::L2(_) | Kind::User => {
            let spec = match kind {
                Kind::L2(spec) => Some(spec),
                _ => None,
            };
            if let Some(span) = attrs.removal_policy_span {
                let ty = &r.ty;
                let name = spec.map_or_else(
                    || quote!(#ty).to_string().replace(' ', ""),
                    |s| s.name.to_owned(),
                );
                cx.error(
                    span,
                    format!(
                        "`{name}` manages its own removal policy; set its `removal_policy` option instead"
                    ),
                );
            }
            let ty = &r.ty;
            let props = lower_construct_options(r, spec, index, scope, cx, edges);
            (
                quote!(#ty),
                quote_spanned!(ty.span()=> <<#ty as ::stack_core::constructs::ConstructType>::Construct as ::stack_core::constructs::Construct>::declare(#logical_id)),
                {
                    let this = if in_loop {
                        quote!(#name)
                    } else {
                        quote!(&#name)
                    };
                    quote_spanned! {ty.span()=>
                        <<#ty as ::stack_core::constructs::ConstructType>::Construct as ::stack_core::constructs::Construct>::build(#this, #props, &mut __stack);
                    }
                },
            )
        }
    };
    let id = match (in_loop, kind) {
        (false, _) => quote!(#logical_id),
        (true, Kind::L1 { .. }) => quote!(#name.logical_id()),
        (true, Kind::L2(_) | Kind::User) => {
            quote!(::stack_core::constructs::Construct::logical_id(#name))
        }
    };
    build.extend(attrs.tokens(&id));
    let before = attrs.before();
    let build = quote!(::stack_core::__private::build_resource(|| { #before #build }););
    ResourceModel {
        index,
        name: name.clone(),
        logical_id,
        doc: docs(&r.attrs),
        handle_ty,
        declare,
        build,
    }
}
