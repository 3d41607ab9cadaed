//! Resource attributes: `#[depends_on(..)]`, `#[removal_policy(..)]`, `#[tags(..)]`.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, Token};

use crate::ctxt::Ctxt;
use crate::resolve::Resolver;
use crate::scope::{logical_id, Edge, Name, Scope};
use stack_spec::suggest;

/// The checked attributes of one resource.
pub(crate) struct ResourceAttrs {
    depends_on: Vec<String>,
    removal_policy: Option<Ident>,
    /// Where `#[removal_policy]` was written, for constructs that reject it.
    pub(crate) removal_policy_span: Option<Span>,
    tags: Vec<(String, Expr)>,
}

const POLICIES: &[&str] = &["Destroy", "Retain", "Snapshot", "RetainExceptOnCreate"];

impl ResourceAttrs {
    pub(crate) fn parse(
        attrs: &[Attribute],
        scope: &Scope,
        index: usize,
        cx: &Ctxt,
        edges: &mut Vec<Edge>,
    ) -> Self {
        let mut out = ResourceAttrs {
            depends_on: Vec::new(),
            removal_policy: None,
            removal_policy_span: None,
            tags: Vec::new(),
        };
        for attr in attrs {
            let path = attr.path();
            if path.is_ident("doc") {
                continue;
            }
            if path.is_ident("depends_on") {
                let parsed = attr.parse_args_with(
                    syn::punctuated::Punctuated::<Ident, Token![,]>::parse_terminated,
                );
                match parsed {
                    Ok(names) => {
                        for name in names {
                            match scope.names.get(&name.to_string()) {
                                Some(Name::Resource(to)) => {
                                    edges.push(Edge {
                                        from: index,
                                        to: *to,
                                        span: name.span(),
                                    });
                                    out.depends_on.push(logical_id(&name));
                                }
                                _ => {
                                    let resources: Vec<String> = scope
                                        .resources
                                        .iter()
                                        .map(|(n, _)| n.to_string())
                                        .collect();
                                    cx.error(
                                        name.span(),
                                        format!(
                                            "`depends_on` names undeclared resource `{name}`{}",
                                            suggest::did_you_mean(
                                                &name.to_string(),
                                                resources.iter().map(String::as_str)
                                            )
                                        ),
                                    );
                                }
                            }
                        }
                    }
                    Err(_) => cx.error(attr.span(), "expected `#[depends_on(resource, ...)]`"),
                }
            } else if path.is_ident("removal_policy") {
                match attr.parse_args::<Ident>() {
                    Ok(policy) if POLICIES.contains(&policy.to_string().as_str()) => {
                        out.removal_policy_span = Some(attr.span());
                        out.removal_policy = Some(policy);
                    }
                    Ok(policy) => cx.error(
                        policy.span(),
                        format!(
                            "unknown removal policy `{policy}`{}",
                            Some(suggest::did_you_mean(&policy.to_string(), POLICIES.iter().copied()))
                                .filter(|hint| !hint.is_empty())
                                .unwrap_or_else(|| format!("; use one of {}", suggest::list(POLICIES)))
                        ),
                    ),
                    Err(_) => cx.error(
                        attr.span(),
                        "expected `#[removal_policy(Destroy|Retain|Snapshot|RetainExceptOnCreate)]`",
                    ),
                }
            } else if path.is_ident("tags") {
                let parsed = attr.parse_args_with(
                    syn::punctuated::Punctuated::<syn::MetaNameValue, Token![,]>::parse_terminated,
                );
                match parsed {
                    Ok(pairs) => {
                        for pair in pairs {
                            let key = pair
                                .path
                                .get_ident()
                                .map(ToString::to_string)
                                .unwrap_or_default();
                            let mut value = pair.value;
                            Resolver::new(scope, cx, Some(index), edges).expr(&mut value);
                            out.tags.push((key, value));
                        }
                    }
                    Err(_) => cx.error(attr.span(), "expected `#[tags(Key = \"value\", ...)]`"),
                }
            } else {
                cx.error(
                    attr.span(),
                    "unknown resource attribute; use `#[depends_on(..)]`, `#[removal_policy(..)]` or `#[tags(..)]`",
                );
            }
        }
        out
    }

    /// Statements applying the attributes to the resource `logical_id`.
    pub(crate) fn tokens(&self, logical_id: &TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        for dep in &self.depends_on {
            out.extend(quote!(__stack.add_dependency(#logical_id, #dep);));
        }
        if let Some(policy) = &self.removal_policy {
            out.extend(quote!(
                __stack.set_removal_policy(#logical_id, ::stack_core::RemovalPolicy::#policy);
            ));
        }
        for (key, value) in &self.tags {
            out.extend(quote!(
                __stack.tag_resource(#logical_id, #key, ::stack_core::__private::into_value::<::std::string::String>(#value));
            ));
        }
        out
    }
}
