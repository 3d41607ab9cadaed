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
                format!("duplicate name `{key}`: {previous} already has it"),
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
                (&r.name, Name::Resource(index), "resource")
            }
            Item::Param(p) => (&p.name, Name::Param, "parameter"),
            Item::Let(l) => (&l.name, Name::Let { reusable: false }, "`let`"),
            _ => continue,
        };
        let key = ident.to_string();
        if let Some((span, previous)) = first_site.get(&key) {
            cx.error(
                ident.span(),
                format!("duplicate name `{key}`: a {previous} of this stack already has it; rename one of them"),
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
    if segments.len() == 3 {
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
