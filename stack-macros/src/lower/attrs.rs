//! Resource attributes: `#[depends_on(..)]`, `#[removal_policy(..)]`, `#[tags(..)]`,
//! `#[renamed_from(..)]`.

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
    /// `#[renamed_from(old)]`: the logical ID the resource had, and its own.
    renamed_from: Option<(String, String)>,
}

const POLICIES: &[&str] = &["Destroy", "Retain", "Snapshot", "RetainExceptOnCreate"];

impl ResourceAttrs {
    pub(crate) fn parse(
        attrs: &[Attribute],
        name: &Ident,
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
            renamed_from: None,
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
            } else if path.is_ident("renamed_from") {
                match attr.parse_args::<Ident>() {
                    Ok(old) => {
                        if let Some(problem) = renamed_from_problem(&old, name, scope) {
                            cx.error(old.span(), problem);
                        } else if out.renamed_from.is_some() {
                            cx.error(
                                attr.span(),
                                format!("`{name}` is renamed from one name; keep one `#[renamed_from(..)]`"),
                            );
                        } else {
                            out.renamed_from = Some((logical_id(&old), logical_id(name)));
                        }
                    }
                    Err(_) => cx.error(
                        attr.span(),
                        "expected `#[renamed_from(old_name)]`: the name the resource was declared with before",
                    ),
                }
            } else {
                cx.error(
                    attr.span(),
                    "unknown resource attribute; use `#[depends_on(..)]`, `#[removal_policy(..)]`, `#[tags(..)]` or `#[renamed_from(..)]`",
                );
            }
        }
        out
    }

    /// Statements that run before the resource is built: where its resources start, for
    /// `#[renamed_from]`.
    pub(crate) fn before(&self) -> TokenStream {
        match self.renamed_from {
            Some(_) => quote!(let __first = __stack.resource_count();),
            None => TokenStream::new(),
        }
    }

    /// Statements applying the attributes to the resource `logical_id`, after
    /// [`ResourceAttrs::before`] and its build.
    pub(crate) fn tokens(&self, logical_id: &TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        if let Some((old, new)) = &self.renamed_from {
            out.extend(quote!(
                __stack.renamed_from(
                    __first,
                    &::stack_core::__private::renamed_id(#old, #new, #logical_id),
                    #logical_id,
                );
            ));
        }
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
                __stack.tag_resource(#logical_id, #key, ::stack_core::IntoValue::<::std::string::String>::into_value(#value));
            ));
        }
        out
    }
}

/// Why `#[renamed_from(old)]` on `name` cannot be: `old` is `name` itself, or a resource
/// the stack still declares.
fn renamed_from_problem(old: &Ident, name: &Ident, scope: &Scope) -> Option<String> {
    if old == name {
        return Some(format!(
            "`{name}` cannot be renamed from its own name; name the resource's previous name, or remove `#[renamed_from({old})]`"
        ));
    }
    match scope.names.get(&old.to_string()) {
        Some(Name::Resource(_)) => Some(format!(
            "`{old}` is still declared, so `{name}` cannot take over its resources: `#[renamed_from(..)]` names the previous name of a resource; remove the declaration of `{old}`, or this attribute"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    // `#[depends_on]`, `#[removal_policy]` and `#[tags]` read and checked, and unknown attributes rejected.
    use super::*;
    use crate::ast::Item;
    use crate::scope::declare_names;
    use crate::test_support::{errors, input};

    /// The attributes of the last resource of a stack that also declares `bucket` and
    /// `queue`: the statements they lower to, the errors and the references recorded.
    fn attrs_of(attributes: &str) -> (String, Vec<String>, Vec<usize>) {
        let stack = input(&format!(
            "stack S {{ resource bucket: Bucket; resource queue: Bucket; {attributes} resource r: Bucket; }}"
        ));
        let cx = Ctxt::new();
        let scope = declare_names(&stack, &cx);
        let Some(Item::Resource(r)) = stack.items.last() else {
            panic!("a resource");
        };
        let mut edges = Vec::new();
        let attrs = ResourceAttrs::parse(&r.attrs, &r.name, &scope, 2, &cx, &mut edges);
        let tokens = attrs.tokens(&quote!("R")).to_string();
        (tokens, errors(cx), edges.iter().map(|e| e.to).collect())
    }

    #[test]
    fn depends_on_names_declared_resources() {
        let (tokens, errors, to) = attrs_of("#[depends_on(bucket, queue)]");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(to, [0, 1]);
        assert_eq!(
            tokens,
            "__stack . add_dependency (\"R\" , \"Bucket\") ; __stack . add_dependency (\"R\" , \"Queue\") ;"
        );
        let (_, errors, to) = attrs_of("#[depends_on(buckt)]");
        assert_eq!(
            errors,
            ["`depends_on` names undeclared resource `buckt`; did you mean `bucket`?"]
        );
        assert!(to.is_empty());
        assert_eq!(
            attrs_of("#[depends_on(\"bucket\")]").1,
            ["expected `#[depends_on(resource, ...)]`"]
        );
    }

    #[test]
    fn removal_policies_are_one_of_four() {
        let (tokens, errors, _) = attrs_of("#[removal_policy(RetainExceptOnCreate)]");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            tokens.contains("RemovalPolicy :: RetainExceptOnCreate"),
            "{tokens}"
        );
        assert_eq!(
            attrs_of("#[removal_policy(Retian)]").1,
            ["unknown removal policy `Retian`; did you mean `Retain`?"]
        );
        assert_eq!(
            attrs_of("#[removal_policy(Keep)]").1,
            ["unknown removal policy `Keep`; use one of `Destroy`, `Retain`, `Snapshot`, `RetainExceptOnCreate`"]
        );
        assert_eq!(
            attrs_of("#[removal_policy]").1,
            ["expected `#[removal_policy(Destroy|Retain|Snapshot|RetainExceptOnCreate)]`"]
        );
    }

    #[test]
    fn tags_are_key_value_pairs_with_resolved_values() {
        let (tokens, errors, to) = attrs_of("#[tags(Team = \"photos\", Bucket = bucket.name)]");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(to, [0]);
        assert!(
            tokens.contains("tag_resource (\"R\" , \"Team\""),
            "{tokens}"
        );
        assert!(tokens.contains("(bucket . name ())"), "{tokens}");
        assert_eq!(
            attrs_of("#[tags(Team)]").1,
            ["expected `#[tags(Key = \"value\", ...)]`"]
        );
    }

    #[test]
    fn other_attributes_are_rejected_and_docs_ignored() {
        let (tokens, errors, _) = attrs_of("/// Docs.\n #[retain]");
        assert_eq!(
            errors,
            ["unknown resource attribute; use `#[depends_on(..)]`, `#[removal_policy(..)]`, `#[tags(..)]` or `#[renamed_from(..)]`"]
        );
        assert!(tokens.is_empty());
    }

    #[test]
    fn renamed_from_names_a_resource_no_longer_declared() {
        let (tokens, errors, _) = attrs_of("#[renamed_from(files)]");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            tokens.contains("__stack . renamed_from (__first"),
            "{tokens}"
        );
        assert!(
            tokens.contains("renamed_id (\"Files\" , \"R\" , \"R\")"),
            "{tokens}"
        );
        assert_eq!(
            attrs_of("#[renamed_from(bucket)]").1,
            ["`bucket` is still declared, so `r` cannot take over its resources: `#[renamed_from(..)]` names the previous name of a resource; remove the declaration of `bucket`, or this attribute"]
        );
        assert_eq!(
            attrs_of("#[renamed_from(r)]").1,
            ["`r` cannot be renamed from its own name; name the resource's previous name, or remove `#[renamed_from(r)]`"]
        );
        assert_eq!(
            attrs_of("#[renamed_from(a)] #[renamed_from(b)]").1,
            ["`r` is renamed from one name; keep one `#[renamed_from(..)]`"]
        );
        assert_eq!(
            attrs_of("#[renamed_from(\"files\")]").1,
            ["expected `#[renamed_from(old_name)]`: the name the resource was declared with before"]
        );
    }
}
