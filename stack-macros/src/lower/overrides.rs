//! `override` and `remove`: escape hatches onto any property of any resource, including
//! the resources a construct adds (`override worker.role.Path = "/app/";`).

use proc_macro2::TokenStream;
use quote::quote_spanned;

use stack_spec::suggest;

use crate::ast::OverrideItem;
use crate::check;
use crate::ctxt::Ctxt;
use crate::lower::json::lower_json;
use crate::scope::{logical_id, Edge, Kind, Name, Scope};

/// The call that records the override, after checking its target and, where the
/// resource's type is known, its path.
pub(crate) fn lower_override(
    o: &OverrideItem,
    scope: &Scope,
    cx: &Ctxt,
    edges: &mut Vec<Edge>,
) -> Option<TokenStream> {
    let target = &o.target;
    let Some(Name::Resource(index)) = scope.names.get(&target.to_string()).copied() else {
        cx.error(
            target.span(),
            format!("`override` takes a resource of this stack; `{target}` is not one"),
        );
        return None;
    };
    if scope.collections[index] {
        cx.error(
            target.span(),
            format!("`{target}` is declared in a `for`; override its elements' properties in the construct or the L1 body instead"),
        );
        return None;
    }
    let kind = scope.resources[index].1?;
    let primary = logical_id(target);
    // A lowercase first segment names a resource the construct adds; the rest is the
    // property path below its `Properties`.
    let (first, first_span) = &o.path[0];
    let child = first.starts_with(|c: char| c.is_ascii_lowercase());
    let (id, cfn_type, path) = match kind {
        Kind::L1 { type_name, .. } => {
            if child {
                cx.error(
                    *first_span,
                    format!("`{target}` is an `{type_name}`, a single resource; override its properties: `override {target}.Property = ...;`"),
                );
                return None;
            }
            (primary, Some(type_name), &o.path[..])
        }
        Kind::L2(spec) if child => {
            let Some(found) = spec.children.iter().find(|c| c.name == first) else {
                let names: Vec<&str> = spec.children.iter().map(|c| c.name).collect();
                let hint = match suggest::closest(first, names.iter().copied()) {
                    Some(close) => format!("; did you mean `{close}`?"),
                    None if names.is_empty() => format!(
                        "; override the properties of its `{}` itself: `override {target}.Property = ...;`",
                        spec.cfn_type
                    ),
                    None => format!("; its resources are {}", suggest::list(&names)),
                };
                cx.error(
                    *first_span,
                    format!(
                        "`{target}` (`{}`) has no resource `{first}`{hint}",
                        spec.name
                    ),
                );
                return None;
            };
            (
                format!("{primary}{}", found.suffix),
                Some(found.cfn_type),
                &o.path[1..],
            )
        }
        Kind::L2(spec) => (primary, Some(spec.cfn_type), &o.path[..]),
        // Another crate's construct: its resources follow the `<Id><Name>` convention,
        // and their types are unknown here; the path is checked when the stack is built.
        Kind::User if child => (
            format!("{primary}{}", stack_spec::logical_id::from_name(first)),
            None,
            &o.path[1..],
        ),
        Kind::User => (primary, None, &o.path[..]),
    };
    if path.is_empty() {
        cx.error(
            *first_span,
            format!("name the property of `{first}` to change: `override {target}.{first}.Property = ...;`"),
        );
        return None;
    }
    if let Some(cfn_type) = cfn_type {
        check::overrides::check_path(cfn_type, path, o.value.as_ref(), cx);
    }
    let segments = path.iter().map(|(s, _)| s);
    let value = match &o.value {
        Some(value) => {
            let expr = lower_json(value, scope, cx, Some(index), edges);
            quote_spanned!(o.keyword=> ::core::option::Option::Some(#expr))
        }
        None => quote_spanned!(o.keyword=> ::core::option::Option::None),
    };
    Some(quote_spanned! {o.keyword=>
        __stack.override_property(#id, &[#(#segments),*], #value);
    })
}
