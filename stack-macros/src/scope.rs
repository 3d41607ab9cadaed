//! The first pass over a block: every declared name, what each resource is, and the
//! references between resources.

use std::collections::BTreeMap;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::Ident;

use stack_spec::catalog::{self, ConstructSpec};
use stack_spec::cfn_index::{self as schema, ResourceSchema};
use stack_spec::suggest;

use crate::ast::{Item, ResourceItem, StackInput};
use crate::ctxt::Ctxt;

/// What a declared resource is.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// A generated CloudFormation type.
    L1 {
        type_name: &'static str,
        schema: ResourceSchema,
    },
    /// A construct from the catalog.
    L2(&'static ConstructSpec),
    /// A construct from outside the catalog: a type implementing `Construct`, such as
    /// one a user wrote. The compiler checks its options, attributes and grants against
    /// its methods, and its required options through `ConstructProps`.
    User,
}

/// A name visible inside the stack body.
#[derive(Clone, Copy)]
pub(crate) enum Name {
    Resource(usize),
    Param,
    /// A `let`; `reusable` when its value is cheap to clone (a `sub!` value, a resource
    /// attribute, a `Value`), so that each use takes a copy.
    Let {
        reusable: bool,
    },
    Props,
    /// Another stack of the app, from `uses`.
    Stack,
}

/// Every declared name, for resolution.
pub(crate) struct Scope {
    pub(crate) names: BTreeMap<String, Name>,
    /// Per resource: its name and, when its type is known, its kind.
    pub(crate) resources: Vec<(Ident, Option<Kind>)>,
    /// Per resource: whether it is declared in a `for`, one element per iteration.
    pub(crate) collections: Vec<bool>,
}

impl Scope {
    /// Names a user might have meant, for suggestions.
    pub(crate) fn candidates(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }
}

/// First pass: every resource, parameter and `let`, with duplicate names reported at
/// both sites.
pub(crate) fn declare_names(input: &StackInput, cx: &Ctxt) -> Scope {
    let mut scope = Scope {
        names: BTreeMap::new(),
        resources: Vec::new(),
        collections: Vec::new(),
    };
    let mut first_site: BTreeMap<String, (Span, &'static str)> = BTreeMap::new();
    let mut logical_ids: BTreeMap<String, Ident> = BTreeMap::new();
    if let Some((props, _)) = &input.props {
        scope.names.insert(props.to_string(), Name::Props);
        first_site.insert(props.to_string(), (props.span(), "the stack's props"));
    }
    for (stack, _) in &input.uses {
        let key = stack.to_string();
        if let Some((span, previous)) = first_site.get(&key) {
            cx.error(
                stack.span(),
                format!("duplicate name `{key}`: it already names {previous}; rename one of them"),
            );
            cx.error(*span, format!("`{key}` is first declared here"));
            continue;
        }
        scope.names.insert(key.clone(), Name::Stack);
        first_site.insert(key, (stack.span(), "a used stack"));
    }
    for item in &input.items {
        if let Item::For(f) = item {
            let mut bound = Vec::new();
            collect_pat_idents(&f.pat, &mut bound);
            for name in bound {
                scope
                    .names
                    .entry(name)
                    .or_insert(Name::Let { reusable: false });
            }
        }
    }
    for (item, in_loop) in flatten(&input.items) {
        let (ident, name, what) = match item {
            Item::Resource(r) => {
                let index = scope.resources.len();
                scope.resources.push((r.name.clone(), resolve_kind(r, cx)));
                scope.collections.push(in_loop);
                if let (Some(key), false) = (&r.key, in_loop) {
                    cx.error(
                        key.span(),
                        "only resources declared in a `for` take a key; remove `[..]`",
                    );
                }
                let logical_id = logical_id(&r.name);
                let suffix = match scope.resources[index].1 {
                    Some(Kind::L2(spec)) => spec.children.iter().map(|c| c.suffix.len()).max(),
                    _ => None,
                };
                let longest = logical_id.len() + suffix.unwrap_or(0);
                if longest > stack_spec::logical_id::MAX_LEN {
                    cx.error(
                        r.name.span(),
                        format!(
                            "`{}` makes a logical ID of {longest} characters{}, more than the {} CloudFormation accepts; shorten the name",
                            r.name,
                            if suffix.is_some() { " with the suffixes its construct adds" } else { "" },
                            stack_spec::logical_id::MAX_LEN
                        ),
                    );
                }
                if let Some(other) = logical_ids.get(&logical_id) {
                    if *other != r.name {
                        cx.error(
                            r.name.span(),
                            format!(
                                "resources `{other}` and `{}` both get the logical ID `{logical_id}`; rename one of them",
                                r.name
                            ),
                        );
                    }
                }
                logical_ids.insert(logical_id, r.name.clone());
                (&r.name, Name::Resource(index), "a resource of this stack")
            }
            Item::Param(p) => (&p.name, Name::Param, "a parameter of this stack"),
            Item::Let(l) => (
                &l.name,
                Name::Let { reusable: false },
                "a `let` of this stack",
            ),
            _ => continue,
        };
        let key = ident.to_string();
        if let Some((span, previous)) = first_site.get(&key) {
            cx.error(
                ident.span(),
                format!("duplicate name `{key}`: it already names {previous}; rename one of them"),
            );
            cx.error(*span, format!("`{key}` is first declared here"));
            continue;
        }
        first_site.insert(key.clone(), (ident.span(), what));
        scope.names.insert(key, name);
    }
    // Once every resource is known, so a `let` may name one declared after it.
    for (item, _) in flatten(&input.items) {
        if let Item::Let(l) = item {
            let reusable = cheap_to_clone(l, &scope);
            if let Some(Name::Let { reusable: slot }) = scope.names.get_mut(&l.name.to_string()) {
                *slot = reusable;
            }
        }
    }
    scope
}

/// Every item in declaration order, with whether it sits in a `for`.
pub(crate) fn flatten(items: &[Item]) -> Vec<(&Item, bool)> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::For(f) => out.extend(f.items.iter().map(|i| (i, true))),
            other => out.push((other, false)),
        }
    }
    out
}

/// The logical ID of a declared name: its UpperCamelCase form (`photo_bucket` → `PhotoBucket`).
pub(crate) fn logical_id(name: &Ident) -> String {
    stack_spec::logical_id::from_name(&name.to_string())
}

pub(crate) fn resolve_kind(r: &ResourceItem, cx: &Ctxt) -> Option<Kind> {
    let segments: Vec<String> = r.ty.segments.iter().map(|s| s.ident.to_string()).collect();
    // CloudFormation types live in the `AWS::` and `Alexa::` namespaces; other
    // three-segment paths (`stack_core::constructs::Bucket`) name constructs.
    let cloudformation = segments.len() == 3
        && segments.first().is_some_and(|s| {
            s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                || s == "Alexa"
        });
    if cloudformation {
        let type_name = segments.join("::");
        if let Some(schema) = schema::resource(&type_name) {
            return Some(Kind::L1 {
                type_name: schema.name(),
                schema,
            });
        }
        cx.error(
            type_span(r),
            format!(
                "unknown resource type `{type_name}`{}",
                suggest::did_you_mean(&type_name, schema::type_names())
            ),
        );
        return None;
    }
    // A built-in construct by its own name (`Bucket`) or through `stack_core`; any other
    // path is a construct the compiler resolves.
    let built_in = segments.len() == 1 || segments.first().is_some_and(|s| s == "stack_core");
    let last = segments.last().map(String::as_str).unwrap_or_default();
    match catalog::construct(last) {
        Some(spec) if built_in => Some(Kind::L2(spec)),
        _ => Some(Kind::User),
    }
}

/// The span of the type's last segment, where a misspelt type name usually is.
pub(crate) fn type_span(r: &ResourceItem) -> Span {
    r.ty.segments
        .last()
        .map_or_else(|| r.ty.span(), |s| s.ident.span())
}

/// A reference from one resource to another, for build order and cycle detection.
pub(crate) struct Edge {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) span: Span,
}

/// The names a pattern binds.
pub(crate) fn collect_pat_idents(pat: &syn::Pat, out: &mut Vec<String>) {
    match pat {
        syn::Pat::Ident(p) => out.push(p.ident.to_string()),
        syn::Pat::Tuple(t) => t.elems.iter().for_each(|p| collect_pat_idents(p, out)),
        syn::Pat::Type(t) => collect_pat_idents(&t.pat, out),
        syn::Pat::Reference(r) => collect_pat_idents(&r.pat, out),
        syn::Pat::TupleStruct(t) => t.elems.iter().for_each(|p| collect_pat_idents(p, out)),
        syn::Pat::Struct(s) => s
            .fields
            .iter()
            .for_each(|f| collect_pat_idents(&f.pat, out)),
        syn::Pat::Slice(s) => s.elems.iter().for_each(|p| collect_pat_idents(p, out)),
        _ => {}
    }
}

/// Whether a `let`'s value is a deploy-time value, which is cheap to clone: a `sub!`
/// interpolation, an attribute of a declared resource, or a value typed `Value<..>`.
fn cheap_to_clone(l: &crate::ast::LetItem, scope: &Scope) -> bool {
    let typed_value = matches!(&l.ty, Some(syn::Type::Path(p)) if p.path.segments.last().is_some_and(|s| s.ident == "Value"));
    let value = match &l.expr {
        syn::Expr::Macro(m) => m.mac.path.is_ident("sub"),
        syn::Expr::Field(field) => matches!(
            &*field.base,
            syn::Expr::Path(p) if p.path.get_ident().is_some_and(|i| {
                matches!(scope.names.get(&i.to_string()), Some(Name::Resource(_)))
            })
        ),
        _ => false,
    };
    typed_value || value
}

#[cfg(test)]
mod tests {
    // Declared names, duplicates at both sites, logical-ID collisions and what each resource type is.
    use super::*;
    use crate::test_support::{errors, input, sites};

    fn declare(text: &str) -> (Scope, Vec<(String, usize)>) {
        let cx = Ctxt::new();
        let scope = declare_names(&input(text), &cx);
        (scope, sites(cx))
    }

    fn kind_of(ty: &str) -> (Option<Kind>, Vec<String>) {
        let stack = input(&format!("stack S {{ resource r: {ty}; }}"));
        let Some(Item::Resource(r)) = stack.items.first() else {
            panic!("a resource");
        };
        let cx = Ctxt::new();
        let kind = resolve_kind(r, &cx);
        (kind, errors(cx))
    }

    #[test]
    fn every_declaration_gets_its_name() {
        let (scope, errors) = declare(
            "stack S(props: P) uses network: Network {
                param stage: String;
                let prefix = 1;
                resource bucket: Bucket;
                for (key, size) in props.sizes {
                    resource queues[key]: AWS::SQS::Queue;
                }
            }",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<(&str, &str)> = scope
            .names
            .iter()
            .map(|(name, what)| {
                let what = match what {
                    Name::Resource(_) => "resource",
                    Name::Param => "param",
                    Name::Let { .. } => "let",
                    Name::Props => "props",
                    Name::Stack => "stack",
                };
                (name.as_str(), what)
            })
            .collect();
        assert_eq!(
            names,
            [
                ("bucket", "resource"),
                ("key", "let"),
                ("network", "stack"),
                ("prefix", "let"),
                ("props", "props"),
                ("queues", "resource"),
                ("size", "let"),
                ("stage", "param"),
            ]
        );
        let resources: Vec<String> = scope.resources.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(resources, ["bucket", "queues"]);
        assert_eq!(scope.collections, [false, true]);
    }

    #[test]
    fn duplicate_names_are_reported_at_both_sites() {
        let (_, errors) = declare(
            "stack S {
                resource bucket: Bucket;
                param stage: String;
                resource bucket: Bucket;
                let stage = 1;
            }",
        );
        assert_eq!(
            errors,
            [
                (
                    "duplicate name `bucket`: it already names a resource of this stack; rename one of them".to_owned(),
                    4
                ),
                ("`bucket` is first declared here".to_owned(), 2),
                (
                    "duplicate name `stage`: it already names a parameter of this stack; rename one of them".to_owned(),
                    5
                ),
                ("`stage` is first declared here".to_owned(), 3),
            ]
        );
    }

    #[test]
    fn a_used_stack_cannot_share_the_props_name() {
        let (scope, errors) = declare("stack S(net: P)\n uses net: Network {}");
        assert_eq!(
            errors,
            [
                (
                    "duplicate name `net`: it already names the stack's props; rename one of them"
                        .to_owned(),
                    2
                ),
                ("`net` is first declared here".to_owned(), 1),
            ]
        );
        assert!(matches!(scope.names.get("net"), Some(Name::Props)));
        let (_, errors) =
            declare("stack S(props: P)\n uses net: N {\n let props = 1;\n resource net: Bucket; }");
        let lines: Vec<usize> = errors.iter().map(|(_, line)| *line).collect();
        assert_eq!(lines, [3, 1, 4, 2], "{errors:?}");
        assert!(
            errors[0].0.starts_with("duplicate name `props`: "),
            "{errors:?}"
        );
        assert!(
            errors[2].0.starts_with("duplicate name `net`: "),
            "{errors:?}"
        );
    }

    #[test]
    fn a_declaration_named_like_the_props_or_a_used_stack_says_which() {
        let (_, errors) =
            declare("stack S(props: P) uses net: N { let props = 1; resource net: Bucket; }");
        assert_eq!(
            errors[0].0,
            "duplicate name `props`: it already names the stack's props; rename one of them"
        );
        assert_eq!(
            errors[2].0,
            "duplicate name `net`: it already names a used stack; rename one of them"
        );
    }

    #[test]
    fn names_with_one_logical_id_collide() {
        let (_, errors) = declare(
            "stack S {
                resource photo_bucket: Bucket;
                resource photoBucket: Bucket;
                resource photo__bucket: Bucket;
            }",
        );
        let messages: Vec<&str> = errors.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "resources `photo_bucket` and `photoBucket` both get the logical ID `PhotoBucket`; rename one of them",
                "resources `photoBucket` and `photo__bucket` both get the logical ID `PhotoBucket`; rename one of them",
            ]
        );
        assert_eq!(
            logical_id(&Ident::new_raw("type", Span::call_site())),
            "Type"
        );
    }

    #[test]
    fn only_resources_in_a_for_take_a_key() {
        let (_, errors) = declare("stack S { resource b[1]: Bucket; }");
        assert_eq!(
            errors,
            [(
                "only resources declared in a `for` take a key; remove `[..]`".to_owned(),
                1
            )]
        );
    }

    #[test]
    fn three_segment_types_are_cloudformation_types() {
        let (kind, errors) = kind_of("AWS::SQS::Queue");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(
            kind,
            Some(Kind::L1 { type_name: "AWS::SQS::Queue", schema }) if schema.name() == "AWS::SQS::Queue"
        ));
        let (kind, errors) = kind_of("AWS::SQS::Queu");
        assert!(kind.is_none());
        assert_eq!(
            errors,
            ["unknown resource type `AWS::SQS::Queu`; did you mean `AWS::SQS::Queue`?"]
        );
    }

    #[test]
    fn catalog_constructs_are_found_by_bare_name() {
        let (kind, errors) = kind_of("Bucket");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(kind, Some(Kind::L2(spec)) if spec.name == "Bucket"));
        let (kind, _) = kind_of("Function");
        assert!(matches!(kind, Some(Kind::L2(spec)) if spec.name == "Function" && spec.principal));
    }

    #[test]
    fn any_other_path_is_a_construct_the_compiler_resolves() {
        for ty in [
            "StaticWebsite",
            "Buckt",
            "my_constructs::Bucket",
            "a::b::c::Site",
        ] {
            let (kind, errors) = kind_of(ty);
            assert!(errors.is_empty(), "{ty}: {errors:?}");
            assert!(matches!(kind, Some(Kind::User)), "{ty}");
        }
    }

    #[test]
    fn three_segment_construct_paths_are_constructs() {
        let (kind, errors) = kind_of("stack_core::constructs::Bucket");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(kind, Some(Kind::L2(spec)) if spec.name == "Bucket"));
        let (kind, errors) = kind_of("static_website::site::StaticWebsite");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(kind, Some(Kind::User)));
    }

    #[test]
    fn patterns_bind_every_name_they_contain() {
        let mut names = Vec::new();
        let pat = syn::parse::Parser::parse_str(
            syn::Pat::parse_single,
            "(a, Pair { b, c: &d }, [e, ..])",
        )
        .expect("a pattern");
        collect_pat_idents(&pat, &mut names);
        assert_eq!(names, ["a", "b", "d", "e"]);
    }
}
