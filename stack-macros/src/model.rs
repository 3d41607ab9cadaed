//! The checked model: every name resolved, every value checked against the schema or
//! the construct catalog and lowered to Rust, every error reported on its token.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, Type};

use crate::ast::{
    Field, GrantItem, Item, Object, OutputItem, ParamItem, Permission, ResourceItem, StackInput,
    ValueExpr,
};
use crate::check::{self, attrs::ResourceAttrs};
use crate::ctxt::Ctxt;
use crate::resolve::{Edge, Resolver};
use stack_spec::catalog::{self, ConstructSpec, OptionKind};
use stack_spec::cfn_index::{self as schema, PropSet, PropType, ResourceSchema};
use stack_spec::suggest;

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
    Let,
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

/// One lowered resource.
pub(crate) struct ResourceModel {
    /// The resource's index in the scope.
    pub(crate) index: usize,
    pub(crate) name: Ident,
    pub(crate) logical_id: String,
    pub(crate) doc: Vec<Attribute>,
    /// The type of the struct field holding its handle.
    pub(crate) handle_ty: TokenStream,
    /// The expression creating the handle.
    pub(crate) declare: TokenStream,
    /// Statements adding it to `__stack`.
    pub(crate) build: TokenStream,
}

/// One lowered parameter.
pub(crate) struct ParamModel {
    pub(crate) name: Ident,
    pub(crate) doc: Vec<Attribute>,
    pub(crate) value_ty: TokenStream,
    pub(crate) build: TokenStream,
}

/// One lowered output.
pub(crate) struct OutputModel {
    pub(crate) name: Ident,
    pub(crate) doc: Vec<Attribute>,
    pub(crate) build: TokenStream,
}

/// The whole checked stack, ready to expand.
pub(crate) struct Model {
    pub(crate) vis: syn::Visibility,
    pub(crate) name: Ident,
    pub(crate) doc: Vec<Attribute>,
    pub(crate) description: Option<String>,
    pub(crate) props: Option<(Ident, Type)>,
    pub(crate) uses: Vec<(Ident, Type)>,
    pub(crate) params: Vec<ParamModel>,
    pub(crate) lets: Vec<TokenStream>,
    pub(crate) resources: Vec<ResourceModel>,
    pub(crate) grants: Vec<TokenStream>,
    /// `for` loops building one resource per element, after the other resources.
    pub(crate) loops: Vec<TokenStream>,
    pub(crate) outputs: Vec<OutputModel>,
    pub(crate) tags: Vec<TokenStream>,
}

/// Resolves and checks `input`, reporting every problem into `cx`.
pub(crate) fn build(input: &StackInput, cx: &Ctxt) -> Model {
    let scope = declare_names(input, cx);
    let mut edges: Vec<Edge> = Vec::new();
    let mut model = Model {
        vis: input.vis.clone(),
        name: input.name.clone(),
        doc: docs(&input.attrs),
        description: doc_text(&input.attrs),
        props: input.props.clone(),
        uses: input.uses.clone(),
        params: Vec::new(),
        lets: Vec::new(),
        resources: Vec::new(),
        grants: Vec::new(),
        loops: Vec::new(),
        outputs: Vec::new(),
        tags: Vec::new(),
    };
    let mut export_names: Vec<(String, Span)> = Vec::new();
    let mut output_names: Vec<(String, Span)> = Vec::new();
    let mut resource_index = 0;
    for item in &input.items {
        match item {
            Item::Param(p) => model.params.push(lower_param(p, cx)),
            Item::Let(l) => {
                let mut expr = l.expr.clone();
                Resolver::new(&scope, cx, None, &mut edges).expr(&mut expr);
                let name = &l.name;
                let ty = l.ty.as_ref().map(|t| quote!(: #t));
                model.lets.push(quote!(let #name #ty = #expr;));
            }
            Item::Resource(r) => {
                let kind = scope.resources[resource_index].1;
                if let Some(kind) = kind {
                    let lowered = lower_resource(r, resource_index, kind, &scope, cx, &mut edges);
                    model.resources.push(lowered);
                }
                resource_index += 1;
            }
            Item::For(f) => {
                let tokens = lower_loop(f, &mut resource_index, &scope, cx, &mut edges, &mut model);
                model.loops.push(tokens);
            }
            Item::Grant(g) => {
                if let Some(tokens) = lower_grant(g, &scope, cx, &mut edges) {
                    model.grants.push(tokens);
                }
            }
            Item::Output(o) => {
                let key = o.name.to_string();
                if let Some((_, first)) = output_names.iter().find(|(n, _)| *n == key) {
                    cx.error(
                        o.name.span(),
                        format!("duplicate output `{key}`; each output needs its own name"),
                    );
                    cx.error(*first, format!("`{key}` is first declared here"));
                    continue;
                }
                output_names.push((key, o.name.span()));
                if let Some(output) = lower_output(o, &scope, cx, &mut edges, &mut export_names) {
                    model.outputs.push(output);
                }
            }
            Item::Tag(t) => {
                let mut value = t.value.clone();
                Resolver::new(&scope, cx, None, &mut edges).expr(&mut value);
                let key = &t.key;
                model.tags.push(quote_spanned!(value.span()=>
                    __stack.add_tag(#key, #value);
                ));
            }
        }
    }
    check::cycles::check(&scope, &edges, cx);
    check::limits::check(input, &scope, cx);
    order_by_dependencies(&mut model.resources, &edges);
    model
}

/// Orders resources so that each is built after the resources it refers to (constructs
/// such as a VPC settle their layout when built), keeping declaration order otherwise.
/// Cycles are reported separately; their members keep declaration order.
fn order_by_dependencies(resources: &mut Vec<ResourceModel>, edges: &[Edge]) {
    let mut pending: Vec<ResourceModel> = std::mem::take(resources);
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|r| {
                !edges.iter().any(|e| {
                    e.from == r.index && e.to != r.index && pending.iter().any(|p| p.index == e.to)
                })
            })
            .unwrap_or(0);
        resources.push(pending.remove(ready));
    }
}

/// First pass: every resource, parameter and `let`, with duplicate names reported at
/// both sites.
fn declare_names(input: &StackInput, cx: &Ctxt) -> Scope {
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
            crate::resolve::collect_pat_idents(&f.pat, &mut bound);
            for name in bound {
                scope.names.entry(name).or_insert(Name::Let);
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
            Item::Let(l) => (&l.name, Name::Let, "`let`"),
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
    scope
}

/// Every item in declaration order, with whether it sits in a `for`.
fn flatten(items: &[Item]) -> Vec<(&Item, bool)> {
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

fn resolve_kind(r: &ResourceItem, cx: &Ctxt) -> Option<Kind> {
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

/// A `for`: declares each keyed resource's handles up front (so any declaration can
/// refer to them), then builds them and applies the loop's grants, element by element.
fn lower_loop(
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
                        quote!(<#element as ::stack_core::constructs::Construct>::declare(&::stack_core::__private::element_id(#prefix, &(#key))))
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
                if let Some(tokens) = lower_grant(g, scope, cx, edges) {
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
                body.push(quote!(let #name #ty = #expr;));
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

/// The span of the type's last segment, where a misspelt type name usually is.
fn type_span(r: &ResourceItem) -> Span {
    r.ty.segments
        .last()
        .map_or_else(|| r.ty.span(), |s| s.ident.span())
}

fn lower_resource(
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
    let attrs = ResourceAttrs::parse(&r.attrs, scope, index, cx, edges);
    let (handle_ty, declare, mut build) = match kind {
        Kind::L1 { type_name, schema } => {
            let path = stack_path(schema.path(), r.ty.span());
            let require = format_ident!("__stack_require_{}", schema.feature(), span = r.ty.span());
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
                    let require = quote_spanned!(r.ty.span()=> ::stack_core::#require!(););
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
                quote_spanned!(ty.span()=> <#ty as ::stack_core::constructs::Construct>::declare(#logical_id)),
                {
                    let this = if in_loop {
                        quote!(#name)
                    } else {
                        quote!(&#name)
                    };
                    quote_spanned! {ty.span()=>
                        <#ty as ::stack_core::constructs::Construct>::build(#this, #props, &mut __stack);
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
    let build = quote!(::stack_core::__private::build_resource(|| { #build }););
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

/// `aws::s3::Bucket` as a path under `::stack_core`, spanned at the user's type.
fn stack_path(path: &str, span: Span) -> TokenStream {
    let segments =
        path.split("::")
            .filter(|s| !s.is_empty())
            .map(|s| match syn::parse_str::<Ident>(s) {
                Ok(mut i) => {
                    i.set_span(span);
                    i
                }
                Err(_) => Ident::new_raw(s.trim_start_matches("r#"), span),
            });
    quote!(::stack_core #(:: #segments)*)
}

/// Lowers L1 values, checking them against the schema.
struct L1Lowerer<'a> {
    schema: ResourceSchema,
    scope: &'a Scope,
    cx: &'a Ctxt,
    resolver_from: usize,
    edges: &'a mut Vec<Edge>,
}

impl L1Lowerer<'_> {
    /// `Type { field: Some(..), ..Default::default() }`, checking unknown and missing
    /// properties.
    fn object(
        &mut self,
        body: &Object,
        props: PropSet,
        path: &TokenStream,
        owner: &str,
        missing_span: Span,
    ) -> TokenStream {
        let mut fields = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for Field { key, value } in &body.fields {
            let name = key.name();
            let Some(prop) = props.get(&name) else {
                self.cx.error(
                    key.span(),
                    format!(
                        "unknown property `{name}` on `{owner}`{}",
                        unknown_hint(&name, &props.names())
                    ),
                );
                continue;
            };
            if seen.contains(&prop.name) {
                self.cx
                    .error(key.span(), format!("property `{name}` is set twice"));
                continue;
            }
            seen.push(prop.name);
            let field = field_ident(prop.field, key.span());
            let lowered = self.value(value, &prop.ty, &prop.allowed, &format!("{owner}.{name}"));
            fields
                .push(quote_spanned!(key.span()=> #field: ::core::option::Option::Some(#lowered)));
        }
        let missing: Vec<&str> = props
            .iter()
            .filter(|p| p.required && !seen.contains(&p.name))
            .map(|p| p.name)
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() == 1 {
                "property"
            } else {
                "properties"
            };
            self.cx.error(
                missing_span,
                format!(
                    "missing required {plural} {} on `{owner}`",
                    suggest::list(&missing)
                ),
            );
        }
        quote!(#path { #(#fields,)* ..::core::default::Default::default() })
    }

    fn value(
        &mut self,
        value: &ValueExpr,
        ty: &PropType,
        allowed: &[&str],
        what: &str,
    ) -> TokenStream {
        match (ty, value) {
            (PropType::Json, _) => {
                let expr = lower_json(
                    value,
                    self.scope,
                    self.cx,
                    Some(self.resolver_from),
                    self.edges,
                );
                quote!(::stack_core::Value::<::stack_core::Json>::from_expr(#expr))
            }
            (PropType::Nested(name), ValueExpr::Object(obj)) => match self.schema.nested(name) {
                Some(nested) => {
                    let path = stack_path(nested.path, obj.span);
                    let inner = self.object(obj, nested.props, &path, name, obj.span);
                    quote!(::core::convert::From::from(#inner))
                }
                None => quote!(::core::convert::From::from(
                    ::core::default::Default::default()
                )),
            },
            (PropType::Tag, ValueExpr::Object(obj)) => self.tag(obj),
            (PropType::List(inner), ValueExpr::List { items, .. }) => {
                let lowered: Vec<TokenStream> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.value(item, inner, allowed, &format!("{what}[{i}]")))
                    .collect();
                if inner.is_scalar() {
                    quote!(::stack_core::Value::list(::std::vec![#(#lowered),*]))
                } else {
                    quote!(::std::vec![#(#lowered),*])
                }
            }
            (PropType::Map(inner), ValueExpr::Object(obj)) => {
                let entries: Vec<TokenStream> = obj
                    .fields
                    .iter()
                    .map(|f| {
                        let key = f.key.name();
                        let v = self.value(&f.value, inner, allowed, &format!("{what}.{key}"));
                        quote!((::std::string::String::from(#key), #v))
                    })
                    .collect();
                quote!(::std::collections::BTreeMap::from([#(#entries),*]))
            }
            (_, ValueExpr::Rust(expr)) => {
                check::values::check_literal(expr, ty, allowed, what, self.cx);
                let mut expr = expr.clone();
                Resolver::new(self.scope, self.cx, Some(self.resolver_from), self.edges)
                    .expr(&mut expr);
                let span = expr.span();
                if ty.is_scalar() || matches!(ty, PropType::List(inner) if inner.is_scalar()) {
                    quote_spanned!(span=> ::stack_core::__private::into_value(#expr))
                } else {
                    quote_spanned!(span=> ::core::convert::From::from(#expr))
                }
            }
            (_, other) => {
                self.cx.error(
                    other.span(),
                    format!(
                        "`{what}` expects {}, found {}",
                        ty.describe(),
                        describe_value(other)
                    ),
                );
                quote!(::core::default::Default::default())
            }
        }
    }

    fn tag(&mut self, obj: &Object) -> TokenStream {
        let mut key = None;
        let mut value = None;
        for f in &obj.fields {
            match f.key.name().as_str() {
                "Key" => key = Some(self.value(&f.value, &PropType::String, &[], "Tag.Key")),
                "Value" => value = Some(self.value(&f.value, &PropType::String, &[], "Tag.Value")),
                other => self.cx.error(
                    f.key.span(),
                    format!("unknown tag field `{other}`; a tag is `{{ Key: \"...\", Value: \"...\" }}`"),
                ),
            }
        }
        match (key, value) {
            (Some(k), Some(v)) => quote!(::stack_core::Tag { key: #k, value: #v }),
            _ => {
                self.cx
                    .error(obj.span, "a tag needs both `Key` and `Value`");
                quote!(::stack_core::Tag::new("", ""))
            }
        }
    }
}

/// "; did you mean `x`?" when a name is close, else the list of valid names.
fn unknown_hint(name: &str, valid: &[&str]) -> String {
    let hint = suggest::did_you_mean(name, valid.iter().copied());
    if hint.is_empty() {
        format!("; its properties are {}", suggest::list(valid))
    } else {
        hint
    }
}

fn field_ident(field: &str, span: Span) -> Ident {
    match field.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, span),
        None => syn::parse_str::<Ident>(field)
            .map(|mut i| {
                i.set_span(span);
                i
            })
            .unwrap_or_else(|_| Ident::new_raw(field, span)),
    }
}

fn describe_value(value: &ValueExpr) -> &'static str {
    match value {
        ValueExpr::Object(_) => "an object `{ ... }`",
        ValueExpr::List { .. } => "a list `[ ... ]`",
        ValueExpr::Struct { .. } => "a struct literal",
        ValueExpr::Rust(_) => "an expression",
    }
}

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

/// Lowers construct options to `Props::default().option(value)...`.
fn lower_construct_options(
    r: &ResourceItem,
    spec: Option<&ConstructSpec>,
    index: usize,
    scope: &Scope,
    cx: &Ctxt,
    edges: &mut Vec<Edge>,
) -> TokenStream {
    let ty = &r.ty;
    if let Some(spec) = spec {
        check::options::check_fields(spec.name, spec.options, &r.body, cx);
    }
    let mut calls = Vec::new();
    for Field { key, value } in &r.body.fields {
        let name = key.name();
        let kind = spec
            .and_then(|spec| spec.options.iter().find(|o| o.name == name))
            .map_or(OptionKind::Plain, |o| o.kind);
        let Some(method) = option_ident(key, cx) else {
            continue;
        };
        let lowered = match kind {
            OptionKind::Env => {
                check::env::check_env_map(value, scope, cx);
                lower_option_value(value, scope, cx, index, edges)
            }
            OptionKind::Secret => check::secrets::lower_secret(value, scope, cx, index, edges),
            OptionKind::Plain => lower_option_value(value, scope, cx, index, edges),
        };
        calls.push(quote_spanned!(key.span()=> .#method(#lowered)));
    }
    // The catalog's required options are checked above; another construct's are checked
    // by the compiler, against what its `ConstructProps` says.
    let required = spec.is_none().then(|| {
        let set = r.body.fields.iter().map(|f| f.key.name());
        quote_spanned! {r.body.span=>
            const _: () = if let ::core::option::Option::Some(missing) =
                ::stack_core::__private::missing_option::<<#ty as ::stack_core::constructs::Construct>::Props>(&[#(#set),*])
            {
                ::core::panic!("{}", missing);
            };
        }
    });
    // Spanned at the type, so a type that is no construct is reported there once.
    let props = quote_spanned! {ty.span()=>
        <<#ty as ::stack_core::constructs::Construct>::Props as ::core::default::Default>::default()
    };
    match required {
        Some(required) => quote_spanned! {ty.span()=>
            {
                #required
                #props #(#calls)*
            }
        },
        None => quote!(#props #(#calls)*),
    }
}

/// The setter an option key names, or an error when the key cannot be one (`"a-b"`,
/// `self`).
fn option_ident(key: &crate::ast::Key, cx: &Ctxt) -> Option<Ident> {
    let name = key.name();
    let valid = syn::parse_str::<Ident>(&name).is_ok()
        || (!matches!(
            name.as_str(),
            "self" | "Self" | "super" | "crate" | "_" | ""
        ) && syn::parse_str::<Ident>(&format!("r#{name}")).is_ok());
    if !valid {
        cx.error(
            key.span(),
            format!("`{name}` is not an option name; options are written as Rust identifiers, such as `bucket_name`"),
        );
        return None;
    }
    Some(field_ident(&name, key.span()))
}

fn lower_option_value(
    value: &ValueExpr,
    scope: &Scope,
    cx: &Ctxt,
    index: usize,
    edges: &mut Vec<Edge>,
) -> TokenStream {
    match value {
        ValueExpr::Rust(expr) => {
            let mut expr = expr.clone();
            Resolver::new(scope, cx, Some(index), edges).expr(&mut expr);
            quote!(#expr)
        }
        ValueExpr::List { items, .. } => {
            let items: Vec<TokenStream> = items
                .iter()
                .map(|i| lower_option_value(i, scope, cx, index, edges))
                .collect();
            quote!([#(#items),*])
        }
        ValueExpr::Struct { path, body } => {
            let calls: Vec<TokenStream> = body
                .fields
                .iter()
                .filter_map(|f| {
                    let method = option_ident(&f.key, cx)?;
                    let v = lower_option_value(&f.value, scope, cx, index, edges);
                    Some(quote_spanned!(f.key.span()=> .#method(#v)))
                })
                .collect();
            quote!(<#path as ::core::default::Default>::default() #(#calls)*)
        }
        ValueExpr::Object(obj) => {
            let entries: Vec<TokenStream> = obj
                .fields
                .iter()
                .map(|f| {
                    let key = f.key.name();
                    let v = lower_option_value(&f.value, scope, cx, index, edges);
                    quote_spanned!(f.value.span()=> .entry(#key, #v))
                })
                .collect();
            quote!(::stack_core::constructs::StringMap::new() #(#entries)*)
        }
    }
}

fn lower_param(p: &ParamItem, cx: &Ctxt) -> ParamModel {
    let logical_id = logical_id(&p.name);
    let ty = &p.ty;
    let ty_text = quote!(#ty).to_string().replace(' ', "");
    let (cfn, value_ty) = match ty_text.as_str() {
        "String" => ("String", quote!(::std::string::String)),
        "i64" => ("Number", quote!(i64)),
        "f64" => ("Number", quote!(f64)),
        "Vec<String>" => (
            "CommaDelimitedList",
            quote!(::std::vec::Vec<::std::string::String>),
        ),
        _ => {
            cx.error(
                ty.span(),
                format!("parameter type `{ty_text}` is not supported; use `String`, `i64`, `f64` or `Vec<String>`"),
            );
            ("String", quote!(::std::string::String))
        }
    };
    let kind = format_ident!(
        "{}",
        if cfn == "CommaDelimitedList" {
            "CommaDelimitedList"
        } else if cfn == "Number" {
            "Number"
        } else {
            "String"
        }
    );
    let default = match &p.default {
        Some(expr) => {
            check::values::check_param_default(expr, cfn, cx);
            quote!(::core::option::Option::Some(
                ::stack_core::__private::serde_json::json!(#expr)
            ))
        }
        None => quote!(::core::option::Option::None),
    };
    let mut allowed = Vec::new();
    let mut no_echo = false;
    for attr in &p.attrs {
        if attr.path().is_ident("doc") {
            continue;
        } else if attr.path().is_ident("allowed") {
            match attr.parse_args_with(
                syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
            ) {
                Ok(values) => allowed.extend(values),
                Err(e) => cx.error(e.span(), "expected `#[allowed(value, ...)]`"),
            }
        } else if attr.path().is_ident("no_echo") {
            no_echo = true;
        } else {
            cx.error(attr.span(), "unknown parameter attribute; use `#[allowed(...)]` or `#[no_echo]` (doc comments become the description)");
        }
    }
    let description = match doc_text(&p.attrs) {
        Some(d) => quote!(::core::option::Option::Some(::std::string::String::from(#d))),
        None => quote!(::core::option::Option::None),
    };
    let name = &p.name;
    ParamModel {
        name: name.clone(),
        doc: docs(&p.attrs),
        value_ty,
        build: quote! {
            __stack.add_parameter(#logical_id, ::stack_core::__private::Parameter {
                kind: ::stack_core::__private::ParameterType::#kind,
                default: #default,
                description: #description,
                allowed_values: ::std::vec![#(::stack_core::__private::serde_json::json!(#allowed)),*],
                no_echo: #no_echo,
            });
            let #name = ::stack_core::Value::reference(#logical_id);
        },
    }
}

fn lower_grant(
    g: &GrantItem,
    scope: &Scope,
    cx: &Ctxt,
    edges: &mut Vec<Edge>,
) -> Option<TokenStream> {
    if let Some(resource) = &g.target_resource {
        return lower_foreign_grant(g, resource, scope, cx);
    }
    let principal = resource_named(&g.principal, scope, cx, "grant to")?;
    let target = resource_named(&g.target, scope, cx, "grant on")?;
    let (p_index, p_kind) = principal;
    let (t_index, t_kind) = target;
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
        quote_spanned!(p.span()=> #p)
    } else {
        quote_spanned!(p.span()=> &#p)
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
            for action in actions {
                if let Err(e) = stack_spec::iam_actions::check_action(&action.value()) {
                    cx.error(action.span(), e);
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
    edges.push(Edge {
        from: p_index,
        to: t_index,
        span: g.target.span(),
    });
    ok.then_some(tokens)
}

/// A grant on a resource of a used stack: the permission is checked by rustc against
/// the construct's `grant_*` methods, and the statements reference it through imports.
fn lower_foreign_grant(
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
        quote_spanned!(p.span()=> #p)
    } else {
        quote_spanned!(p.span()=> &#p)
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

fn resource_named(
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
                    suggest::did_you_mean(&ident.to_string(), resources.iter().map(String::as_str))
                ),
            );
            None
        }
    }
}

fn lower_output(
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
                    export = quote_spanned!(value.span()=> ::core::option::Option::Some(::stack_core::__private::into_value::<::std::string::String>(#value).into_expr()));
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
            quote_spanned!(expr.span()=> ::stack_core::__private::into_value::<::std::string::String>(#expr))
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

/// The doc-comment attributes, to copy onto generated items.
fn docs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}

/// The text of the doc comments, trimmed and joined, if any.
pub(crate) fn doc_text(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let text = lines.join(" ").trim().to_owned();
    (!text.is_empty()).then_some(text)
}
