//! `grant` declarations: named bundles and explicit actions, on this stack's resources or a used stack's.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;

use stack_spec::suggest;

use crate::ast::{GrantItem, Permission};
use crate::ctxt::Ctxt;
use crate::lower::common::*;
use crate::scope::*;

/// A grant adds no dependency between its two resources: the stack puts it inline on the
/// principal's role, or, when the target uses that role, into a separate policy that
/// depends on both, so no grant can close a cycle.
pub(crate) fn lower_grant(g: &GrantItem, scope: &Scope, cx: &Ctxt) -> Option<TokenStream> {
    if let Some(resource) = &g.target_resource {
        return lower_foreign_grant(g, resource, scope, cx);
    }
    let principal = resource_named(&g.principal, scope, cx, "grant to")?;
    let target = resource_named(&g.target, scope, cx, "grant on")?;
    let (p_index, p_kind) = principal;
    let (_, t_kind) = target;
    let mut ok = true;
    match p_kind {
        // The compiler checks that it implements `Principal`.
        Some(Kind::User) => {}
        Some(Kind::L2(spec)) if spec.principal => {}
        Some(Kind::L1 {
            type_name: "AWS::IAM::Role",
            ..
        }) => {}
        Some(Kind::L2(spec)) => {
            cx.error(
                g.principal.span(),
                format!("`{}` is a `{}` (`{}`), which has no IAM role and cannot hold a policy; grant to a function or a role", g.principal, spec.name, spec.cfn_type),
            );
            ok = false;
        }
        Some(Kind::L1 { type_name, .. }) => {
            cx.error(
                g.principal.span(),
                format!("`{}` is an `{type_name}`, which cannot hold a policy; grant to its role (`AWS::IAM::Role`) or use a construct such as `Function`", g.principal),
            );
            ok = false;
        }
        None => ok = false,
    }
    let p = &g.principal;
    let t = &g.target;
    let p_ref = if scope.collections[p_index] {
        quote_spanned!(p.span()=> ::stack_core::iam::Grantee::principal(#p))
    } else {
        quote_spanned!(p.span()=> ::stack_core::iam::Grantee::principal(&#p))
    };
    let tokens = match (&g.permission, t_kind) {
        (Permission::Named(perm), Some(Kind::L2(spec))) => {
            if !spec.grants.contains(&perm.to_string().as_str()) {
                let hint = suggest::did_you_mean(&perm.to_string(), spec.grants.iter().copied());
                let hint = if hint.is_empty() && !spec.grants.is_empty() {
                    format!("; it grants {}", suggest::list(spec.grants))
                } else if spec.grants.is_empty() {
                    "; it has no grants: grant explicit actions with `grant f [\"svc:Action\"] on x;`".to_owned()
                } else {
                    hint
                };
                cx.error(
                    perm.span(),
                    format!(
                        "`{}` (`{}`) has no `{perm}` permission to grant{hint}",
                        g.target, spec.name
                    ),
                );
                ok = false;
            }
            let method = format_ident!("grant_{}", perm, span = perm.span());
            quote_spanned!(g.keyword=> __stack.grant(#p_ref, #t.#method());)
        }
        (Permission::Named(perm), Some(Kind::User)) => {
            let method = format_ident!("grant_{}", perm, span = perm.span());
            quote_spanned!(g.keyword=> __stack.grant(#p_ref, #t.#method());)
        }
        (Permission::Named(perm), Some(Kind::L1 { type_name, .. })) => {
            cx.error(
                perm.span(),
                format!("`{}` is an `{type_name}`, which has no named grants; grant explicit actions instead: `grant {} [\"service:Action\"] on {};`", g.target, g.principal, g.target),
            );
            ok = false;
            TokenStream::new()
        }
        (Permission::Actions(actions), kind) => {
            let target_type = match kind {
                Some(Kind::L1 { type_name, .. }) => Some(type_name),
                Some(Kind::L2(spec)) => Some(spec.cfn_type),
                _ => None,
            };
            for action in actions {
                if let Err(e) = stack_spec::iam_actions::check_action(&action.value()) {
                    cx.error(action.span(), e);
                    ok = false;
                } else if let Some(why) =
                    target_type.and_then(|ty| other_service(&action.value(), t, ty))
                {
                    cx.error(action.span(), why);
                    ok = false;
                }
            }
            let arn = match kind {
                Some(Kind::L2(spec)) if spec.attrs.contains(&"arn") => quote!(#t.arn()),
                Some(Kind::User) => quote_spanned!(t.span()=> #t.arn()),
                Some(Kind::L1 { schema, .. }) if schema.arn_method().is_some() => {
                    let m = field_ident(schema.arn_method().unwrap_or("arn"), t.span());
                    quote!(#t.#m())
                }
                Some(_) => {
                    cx.error(t.span(), format!("`{t}` has no ARN to scope a grant to"));
                    ok = false;
                    TokenStream::new()
                }
                None => {
                    ok = false;
                    TokenStream::new()
                }
            };
            quote_spanned!(g.keyword=>
                __stack.grant(#p_ref, ::stack_core::__private::Grant::new([
                    ::stack_core::__private::Statement::allow([#(#actions),*], [#arn]),
                ]));
            )
        }
        (_, None) => {
            ok = false;
            TokenStream::new()
        }
    };
    ok.then_some(tokens)
}

/// A grant on a resource of a used stack: the permission is checked by rustc against
/// the construct's `grant_*` methods, and the statements reference it through imports.
pub(crate) fn lower_foreign_grant(
    g: &GrantItem,
    resource: &Ident,
    scope: &Scope,
    cx: &Ctxt,
) -> Option<TokenStream> {
    let stack = &g.target;
    if !matches!(scope.names.get(&stack.to_string()), Some(Name::Stack)) {
        cx.error(
            stack.span(),
            format!(
                "`{stack}` is not a stack this one uses; declare it with `uses {stack}: StackType`"
            ),
        );
        return None;
    }
    let (_, p_kind) = resource_named(&g.principal, scope, cx, "grant to")?;
    if !matches!(p_kind, Some(Kind::L2(spec)) if spec.principal)
        && !matches!(p_kind, Some(Kind::User))
        && !matches!(
            p_kind,
            Some(Kind::L1 {
                type_name: "AWS::IAM::Role",
                ..
            })
        )
    {
        cx.error(
            g.principal.span(),
            format!(
                "`{}` cannot hold a policy; grant to a function or a role",
                g.principal
            ),
        );
        return None;
    }
    let p = &g.principal;
    let p_index = match scope.names.get(&p.to_string()) {
        Some(Name::Resource(i)) => *i,
        _ => return None,
    };
    let p_ref = if scope.collections[p_index] {
        quote_spanned!(p.span()=> ::stack_core::iam::Grantee::principal(#p))
    } else {
        quote_spanned!(p.span()=> ::stack_core::iam::Grantee::principal(&#p))
    };
    let target = quote_spanned!(resource.span()=> ::stack_core::__private::foreign(#stack, &#stack.#resource));
    Some(match &g.permission {
        Permission::Named(perm) => {
            let method = format_ident!("grant_{}", perm, span = perm.span());
            quote_spanned!(g.keyword=> __stack.grant(#p_ref, #target.#method());)
        }
        Permission::Actions(actions) => {
            let mut ok = true;
            for action in actions {
                if let Err(e) = stack_spec::iam_actions::check_action(&action.value()) {
                    cx.error(action.span(), e);
                    ok = false;
                }
            }
            if !ok {
                return None;
            }
            quote_spanned!(g.keyword=>
                __stack.grant(#p_ref, ::stack_core::__private::Grant::new([
                    ::stack_core::__private::Statement::allow([#(#actions),*], [#target.arn()]),
                ]));
            )
        }
    })
}

pub(crate) fn resource_named(
    ident: &Ident,
    scope: &Scope,
    cx: &Ctxt,
    what: &str,
) -> Option<(usize, Option<Kind>)> {
    match scope.names.get(&ident.to_string()) {
        Some(Name::Resource(i)) => Some((*i, scope.resources[*i].1)),
        _ => {
            let resources = scope
                .resources
                .iter()
                .map(|(n, _)| n.to_string())
                .collect::<Vec<_>>();
            cx.error(
                ident.span(),
                format!(
                    "{what} undeclared resource `{ident}`{}",
                    if cx.may_suggest() {
                        suggest::did_you_mean(
                            &ident.to_string(),
                            resources.iter().map(String::as_str),
                        )
                    } else {
                        String::new()
                    }
                ),
            );
            None
        }
    }
}

/// Why `action` grants nothing on `target`, an `type_name`, when its service is another
/// one: `s3:GetObject` on a queue.
fn other_service(action: &str, target: &Ident, type_name: &str) -> Option<String> {
    let (prefix, _) = action.split_once(':')?;
    let own = stack_spec::iam_actions::prefix_of_type(type_name)?;
    if prefix.eq_ignore_ascii_case(&own) {
        return None;
    }
    let examples: Vec<&str> = stack_spec::iam_actions::service_actions(&own)
        .unwrap_or_default()
        .iter()
        .copied()
        .filter(|a| !a.contains('*'))
        .take(4)
        .collect();
    Some(format!(
        "`{action}` is an action of `{prefix}`, but `{target}` is an `{type_name}`, so it grants nothing there; grant `{own}:` actions on `{target}` ({}, ...), or `{action}` on a resource of `{prefix}`",
        suggest::list(&examples)
    ))
}
