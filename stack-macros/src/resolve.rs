//! Resolving names inside Rust expressions: resources become handles and attribute
//! accesses become typed getters, and each reference is recorded as a dependency edge.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, LitStr, Member, Token};

use crate::check;
use crate::ctxt::Ctxt;
use crate::scope::{collect_pat_idents, Edge, Kind, Name, Scope};
use stack_spec::suggest;

/// Rewrites one expression in place.
pub(crate) struct Resolver<'a> {
    scope: &'a Scope,
    cx: &'a Ctxt,
    from: Option<usize>,
    edges: &'a mut Vec<Edge>,
    locals: Vec<String>,
    /// Inside a `for`: names of resources declared there mean the current element.
    in_loop: bool,
}

/// Macros whose arguments are formatted into plain strings at synth time.
const FORMAT_MACROS: &[&str] = &[
    "format",
    "format_args",
    "concat",
    "println",
    "print",
    "eprintln",
    "write",
    "writeln",
    "panic",
];

impl<'a> Resolver<'a> {
    pub(crate) fn new(
        scope: &'a Scope,
        cx: &'a Ctxt,
        from: Option<usize>,
        edges: &'a mut Vec<Edge>,
    ) -> Self {
        let in_loop = from.is_some_and(|i| scope.collections.get(i).copied().unwrap_or(false));
        Self {
            scope,
            cx,
            from,
            edges,
            locals: Vec::new(),
            in_loop,
        }
    }

    /// Resolves as inside a `for`, where collection names mean the current element.
    pub(crate) fn in_loop(mut self) -> Self {
        self.in_loop = true;
        self
    }

    /// Whether resource `index` is a collection seen from outside its `for`.
    fn whole_collection(&self, index: usize) -> bool {
        !self.in_loop && self.scope.collections.get(index).copied().unwrap_or(false)
    }

    /// Resolves `expr` in place.
    pub(crate) fn expr(&mut self, expr: &mut Expr) {
        self.visit_expr_mut(expr);
    }

    fn record(&mut self, to: usize, span: Span) {
        if let Some(from) = self.from {
            self.edges.push(Edge { from, to, span });
        }
    }

    /// `name.attr` for a declared resource: the typed getter, or an error.
    fn attribute(&mut self, base: &Ident, index: usize, member: &Ident) -> Option<TokenStream> {
        self.record(index, member.span());
        if self.whole_collection(index) {
            self.cx.error(
                member.span(),
                format!("`{base}` is declared in a `for` and has one element per iteration; use it inside that `for`, or iterate it in Rust: `{base}.iter().map(|e| e.{member}())`"),
            );
            return None;
        }
        let attr = member.to_string();
        let attr = attr.strip_prefix("r#").unwrap_or(&attr).to_owned();
        match self.scope.resources[index].1? {
            // The compiler finds the attribute method, or says which it has.
            Kind::User => Some(quote_spanned!(member.span()=> #base.#member())),
            Kind::L2(spec) => {
                if spec.attrs.contains(&attr.as_str()) {
                    Some(quote_spanned!(member.span()=> #base.#member()))
                } else {
                    self.cx.error(
                        member.span(),
                        format!(
                            "`{base}` (`{}`) has no attribute `{attr}`{}",
                            spec.name,
                            hint(&attr, spec.attrs.iter().copied())
                        ),
                    );
                    None
                }
            }
            Kind::L1 { type_name, schema } => {
                let attrs = schema.attrs();
                if let Some((_, method)) = attrs
                    .iter()
                    .find(|(cfn, method)| *method == attr || *cfn == attr)
                {
                    let method = Ident::new_raw(method.trim_start_matches("r#"), member.span());
                    let method =
                        if syn::parse_str::<Ident>(&method.to_string().replace("r#", "")).is_ok() {
                            Ident::new(&method.to_string().replace("r#", ""), member.span())
                        } else {
                            method
                        };
                    Some(quote_spanned!(member.span()=> #base.#method()))
                } else {
                    let methods: Vec<&str> = attrs.iter().map(|(_, m)| *m).collect();
                    self.cx.error(
                        member.span(),
                        format!(
                            "`{base}` (`{type_name}`) has no attribute `{attr}`{}",
                            hint(&attr, methods.iter().copied())
                        ),
                    );
                    None
                }
            }
        }
    }

    /// `stack.resource.attribute` or `stack.resource` for a stack from `uses`: the
    /// resource as seen from this stack, so its references become imports.
    fn foreign(&mut self, field: &syn::ExprField) -> Option<TokenStream> {
        let is_stack = |e: &Expr| match e {
            Expr::Path(p) => p
                .path
                .get_ident()
                .filter(|i| {
                    !self.locals.contains(&i.to_string())
                        && matches!(self.scope.names.get(&i.to_string()), Some(Name::Stack))
                })
                .cloned(),
            _ => None,
        };
        let Member::Named(member) = &field.member else {
            return None;
        };
        if let Some(stack) = is_stack(&field.base) {
            return Some(quote_spanned!(member.span()=>
                (&::stack_core::__private::foreign(#stack, &#stack.#member))
            ));
        }
        if let Expr::Field(inner) = &*field.base {
            if let (Some(stack), Member::Named(resource)) = (is_stack(&inner.base), &inner.member) {
                return Some(quote_spanned!(member.span()=>
                    ::stack_core::__private::foreign(#stack, &#stack.#resource).#member()
                ));
            }
        }
        None
    }

    /// A bare name: a resource handle, or a parameter, `let` or the props.
    fn name(&mut self, ident: &Ident) -> Option<TokenStream> {
        let key = ident.to_string();
        if self.locals.contains(&key) {
            return None;
        }
        match self.scope.names.get(&key) {
            Some(Name::Resource(index)) => {
                self.record(*index, ident.span());
                if self.scope.collections[*index] {
                    return Some(if self.in_loop {
                        quote_spanned!(ident.span()=> #ident)
                    } else {
                        quote_spanned!(ident.span()=> (&#ident))
                    });
                }
                match self.scope.resources[*index].1 {
                    Some(Kind::L1 { .. }) => {
                        let r = Ident::new_raw("ref", ident.span());
                        Some(quote_spanned!(ident.span()=> #ident.#r()))
                    }
                    _ => Some(quote_spanned!(ident.span()=> (&#ident))),
                }
            }
            // Parameters are values the stack struct keeps too, and deploy-time `let`s
            // are cheap: each use takes a copy.
            Some(Name::Param | Name::Let { reusable: true }) => {
                Some(quote_spanned!(ident.span()=> ::core::clone::Clone::clone(&#ident)))
            }
            Some(_) => None,
            None => {
                if key.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') && key != "_" {
                    self.cx.error(
                        ident.span(),
                        format!(
                            "cannot find `{key}` in this stack{}",
                            self.cx
                                .may_suggest()
                                .then(|| suggest::did_you_mean(&key, self.scope.candidates()))
                                .filter(|hint| !hint.is_empty())
                                .unwrap_or_else(|| {
                                    "; declare it with `resource`, `param` or `let`".to_owned()
                                })
                        ),
                    );
                }
                None
            }
        }
    }

    /// `sub!("text ${name.attr} ${AWS::Region}")`: interpolation lowered to
    /// `Fn::Sub`/`Fn::Join` through `Value::concat`.
    fn sub(&mut self, lit: &LitStr) -> TokenStream {
        let text = lit.value();
        let span = lit.span();
        let template = stack_spec::sub::parse(&text);
        if template.unclosed {
            self.cx.error(
                span,
                "unclosed `${` in `sub!`; close it with `}` or escape it as `${!`",
            );
            return quote!(::stack_core::Value::<::std::string::String>::lit(""));
        }
        let mut parts: Vec<TokenStream> = Vec::new();
        for part in template.parts {
            parts.push(match part {
                stack_spec::sub::Part::Literal(literal) => quote_spanned!(span=>
                    ::stack_core::Value::<::std::string::String>::lit(#literal)
                ),
                stack_spec::sub::Part::Placeholder(inner) => self.placeholder(inner.trim(), span),
            });
        }
        if parts.is_empty() {
            parts
                .push(quote_spanned!(span=> ::stack_core::Value::<::std::string::String>::lit("")));
        }
        quote_spanned!(span=> ::stack_core::Value::<::std::string::String>::concat([#(#parts),*]))
    }

    fn placeholder(&mut self, inner: &str, span: Span) -> TokenStream {
        if let Some(pseudo) = inner.strip_prefix("AWS::") {
            let function = match pseudo {
                "AccountId" => "account_id",
                "Region" => "region",
                "Partition" => "partition",
                "URLSuffix" => "url_suffix",
                "StackName" => "stack_name",
                "StackId" => "stack_id",
                _ => {
                    self.cx.error(span, format!("`${{AWS::{pseudo}}}` is not a string pseudo parameter; use `AWS::AccountId`, `AWS::Region`, `AWS::Partition`, `AWS::URLSuffix`, `AWS::StackName` or `AWS::StackId`"));
                    "region"
                }
            };
            let function = Ident::new(function, span);
            return quote_spanned!(span=> ::stack_core::pseudo::#function());
        }
        let mut expr: Expr = match syn::parse_str(inner) {
            Ok(e) => e,
            Err(_) => {
                self.cx.error(
                    span,
                    format!("`${{{inner}}}` in `sub!` is not a name or `name.attribute`"),
                );
                return quote!(::stack_core::Value::<::std::string::String>::lit(""));
            }
        };
        let mut respanned = TokenStream::new();
        for mut tt in quote!(#expr) {
            tt.set_span(span);
            respanned.extend([tt]);
        }
        expr = syn::parse2(respanned).unwrap_or(expr);
        if let Expr::Path(p) = &expr {
            if let Some(ident) = p.path.get_ident() {
                if let Some(Name::Resource(i)) = self.scope.names.get(&ident.to_string()) {
                    if let Some(Kind::L2(spec)) = self.scope.resources[*i].1 {
                        self.cx.error(span, format!("`${{{ident}}}` is a whole `{}`; interpolate one of its attributes: {}", spec.name, suggest::list(spec.attrs)));
                    }
                }
            }
        }
        self.visit_expr_mut(&mut expr);
        quote_spanned!(span=> ::stack_core::IntoValue::<::std::string::String>::into_value(#expr))
    }

    fn check_format_macro(&mut self, mac: &syn::Macro) {
        let mut found = Vec::new();
        find_resource_idents(mac.tokens.clone(), self.scope, &mut found);
        for ident in found {
            self.cx.error(
                ident.span(),
                format!(
                    "`{ident}` is resolved at deploy time and cannot be formatted into a plain string; interpolate it with `sub!(\"...${{{ident}.attribute}}...\")`"
                ),
            );
        }
    }
}

fn hint<'a>(name: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> String {
    let dym = suggest::did_you_mean(name, candidates.clone());
    if dym.is_empty() {
        let all: Vec<&str> = candidates.collect();
        if all.is_empty() {
            String::new()
        } else {
            format!("; its attributes are {}", suggest::list(&all))
        }
    } else {
        dym
    }
}

fn find_resource_idents(tokens: TokenStream, scope: &Scope, out: &mut Vec<Ident>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(i) => {
                if matches!(scope.names.get(&i.to_string()), Some(Name::Resource(_))) {
                    out.push(i);
                }
            }
            proc_macro2::TokenTree::Group(g) => find_resource_idents(g.stream(), scope, out),
            proc_macro2::TokenTree::Literal(literal) => {
                // Inline arguments of a format string: `format!("{bucket}-logs")`.
                if let Ok(text) = syn::parse_str::<LitStr>(&literal.to_string()) {
                    for name in inline_format_args(&text.value()) {
                        if matches!(scope.names.get(name), Some(Name::Resource(_))) {
                            out.push(Ident::new(name, literal.span()));
                        }
                    }
                }
            }
            proc_macro2::TokenTree::Punct(_) => {}
        }
    }
}

/// The names a format string interpolates inline: `a` and `b` in `"{a}-{b:?} {{c}}"`.
fn inline_format_args(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        if let Some(escaped) = after.strip_prefix('{') {
            rest = escaped;
            continue;
        }
        let Some(close) = after.find('}') else {
            break;
        };
        let inner = &after[..close];
        let name = inner.split(':').next().unwrap_or_default().trim();
        if name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            names.push(name);
        }
        rest = &after[close + 1..];
    }
    names
}

impl VisitMut for Resolver<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Field(field) => {
                if let Some(tokens) = self.foreign(field) {
                    if let Ok(e) = syn::parse2(tokens) {
                        *expr = e;
                    }
                    return;
                }
                if let (Expr::Path(base), Member::Named(member)) = (&*field.base, &field.member) {
                    if let Some(base) = base.path.get_ident() {
                        if !self.locals.contains(&base.to_string()) {
                            if let Some(Name::Resource(index)) =
                                self.scope.names.get(&base.to_string())
                            {
                                let (base, member, index) = (base.clone(), member.clone(), *index);
                                if let Some(tokens) = self.attribute(&base, index, &member) {
                                    if let Ok(e) = syn::parse2(tokens) {
                                        *expr = e;
                                    }
                                }
                                return;
                            }
                        }
                    }
                }
                visit_mut::visit_expr_mut(self, expr);
            }
            Expr::Path(path) if path.qself.is_none() => {
                if let Some(ident) = path.path.get_ident().cloned() {
                    if let Some(tokens) = self.name(&ident) {
                        if let Ok(e) = syn::parse2(tokens) {
                            *expr = e;
                        }
                    }
                }
            }
            Expr::Call(call) => {
                check::iam::check_statement_call(call, self.cx);
                for arg in &mut call.args {
                    self.visit_expr_mut(arg);
                }
                if !matches!(&*call.func, Expr::Path(_)) {
                    self.visit_expr_mut(&mut call.func);
                }
            }
            Expr::Closure(closure) => {
                let before = self.locals.len();
                for input in &closure.inputs {
                    collect_pat_idents(input, &mut self.locals);
                }
                self.visit_expr_mut(&mut closure.body);
                self.locals.truncate(before);
            }
            Expr::Macro(m) => {
                let name = m
                    .mac
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                if name == "sub" {
                    match m.mac.parse_body::<LitStr>() {
                        Ok(lit) => {
                            let tokens = self.sub(&lit);
                            if let Ok(e) = syn::parse2(tokens) {
                                *expr = e;
                            }
                        }
                        Err(_) => self.cx.error(
                            m.mac.path.span(),
                            "`sub!` takes one string literal, e.g. `sub!(\"${bucket.arn}/*\")`",
                        ),
                    }
                } else if FORMAT_MACROS.contains(&name.as_str()) {
                    self.check_format_macro(&m.mac);
                } else if name == "vec" {
                    if let Ok(mut items) = m
                        .mac
                        .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
                    {
                        for item in &mut items {
                            self.visit_expr_mut(item);
                        }
                        m.mac.tokens = quote!(#items);
                    }
                }
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        let before = self.locals.len();
        collect_pat_idents(&arm.pat, &mut self.locals);
        if let Some((_, guard)) = &mut arm.guard {
            self.visit_expr_mut(guard);
        }
        self.visit_expr_mut(&mut arm.body);
        self.locals.truncate(before);
    }

    fn visit_expr_if_mut(&mut self, expr_if: &mut syn::ExprIf) {
        let before = self.locals.len();
        if let Expr::Let(binding) = &mut *expr_if.cond {
            self.visit_expr_mut(&mut binding.expr);
            collect_pat_idents(&binding.pat, &mut self.locals);
        } else {
            self.visit_expr_mut(&mut expr_if.cond);
        }
        self.visit_block_mut(&mut expr_if.then_branch);
        self.locals.truncate(before);
        if let Some((_, else_branch)) = &mut expr_if.else_branch {
            self.visit_expr_mut(else_branch);
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = self.locals.len();
        for stmt in &mut block.stmts {
            if let syn::Stmt::Local(local) = stmt {
                if let Some(init) = &mut local.init {
                    self.visit_expr_mut(&mut init.expr);
                }
                collect_pat_idents(&local.pat, &mut self.locals);
            } else {
                self.visit_stmt_mut(stmt);
            }
        }
        self.locals.truncate(before);
    }
}

#[cfg(test)]
mod tests {
    // Names, attributes and `sub!` templates in Rust expressions: what they become and what is reported.
    use super::*;
    use crate::scope::declare_names;
    use crate::test_support::{errors, input};

    const STACK: &str = "stack S(props: P) uses network: Network {
        param stage: String;
        resource bucket: Bucket;
        resource queue: AWS::SQS::Queue;
        for name in props.names {
            resource handlers[name]: Function;
        }
    }";

    /// `expr` resolved from resource `from` of [`STACK`]: its tokens, the errors and the
    /// resources it refers to.
    fn resolve_from(from: Option<usize>, expr: &str) -> (String, Vec<String>, Vec<usize>) {
        let cx = Ctxt::new();
        let scope = declare_names(&input(STACK), &cx);
        let mut edges = Vec::new();
        let mut expr: Expr = syn::parse_str(expr).expect("an expression");
        Resolver::new(&scope, &cx, from, &mut edges).expr(&mut expr);
        let to = edges.iter().map(|e| e.to).collect();
        (quote!(#expr).to_string(), errors(cx), to)
    }

    fn resolve(expr: &str) -> (String, Vec<String>) {
        let (tokens, errors, _) = resolve_from(None, expr);
        (tokens, errors)
    }

    #[test]
    fn names_become_handles_refs_and_copies() {
        assert_eq!(resolve("bucket"), ("(& bucket)".to_owned(), Vec::new()));
        assert_eq!(resolve("queue").0, "queue . r#ref ()");
        assert_eq!(
            resolve("stage").0,
            ":: core :: clone :: Clone :: clone (& stage)"
        );
        assert_eq!(resolve("props.names.len()").0, "props . names . len ()");
    }

    #[test]
    fn references_are_recorded_from_the_resource_that_makes_them() {
        let (_, errors, to) = resolve_from(Some(0), "(queue, bucket.arn, stage)");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(to, [1, 0]);
        let (_, _, to) = resolve_from(None, "queue");
        assert!(to.is_empty(), "no resource to record from");
    }

    #[test]
    fn unknown_names_suggest_the_closest_declared_one() {
        assert_eq!(
            resolve("buckt.arn").1,
            ["cannot find `buckt` in this stack; did you mean `bucket`?"]
        );
        assert_eq!(
            resolve("zzz").1,
            ["cannot find `zzz` in this stack; declare it with `resource`, `param` or `let`"]
        );
        // Types, constants and `_` are left to the compiler.
        assert!(resolve("(Duration::seconds(1), MAX, None)").1.is_empty());
    }

    #[test]
    fn locals_shadow_declared_names() {
        for expr in [
            "|bucket| bucket.nothing",
            "{ let queue = 1; queue.nothing }",
            "match x { Some(bucket) => bucket.nothing, None => 0 }",
            "if let Some(queue) = q { queue.nothing } else { 0 }",
        ] {
            let (tokens, errors) = resolve(&format!("{{ let x = 1; let q = 1; {expr} }}"));
            assert!(errors.is_empty(), "{expr}: {errors:?}");
            assert!(tokens.contains(". nothing"), "{tokens}");
        }
        // Outside the closure the name is the resource again.
        assert_eq!(
            resolve("(|bucket| bucket, bucket)").0,
            "(| bucket | bucket , (& bucket))"
        );
    }

    #[test]
    fn construct_attributes_are_checked_against_the_catalog() {
        assert_eq!(
            resolve("bucket.arn"),
            ("bucket . arn ()".to_owned(), Vec::new())
        );
        assert_eq!(
            resolve("bucket.ar").1,
            ["`bucket` (`Bucket`) has no attribute `ar`; did you mean `arn`?"]
        );
        assert_eq!(
            resolve("bucket.website").1,
            ["`bucket` (`Bucket`) has no attribute `website`; its attributes are `arn`, `name`, `domain_name`, `regional_domain_name`"]
        );
    }

    #[test]
    fn cloudformation_attributes_take_the_method_or_the_schema_name() {
        assert_eq!(resolve("queue.queue_url").0, "queue . queue_url ()");
        assert_eq!(resolve("queue.QueueUrl").0, "queue . queue_url ()");
        assert_eq!(
            resolve("queue.visibility").1,
            ["`queue` (`AWS::SQS::Queue`) has no attribute `visibility`; its attributes are `arn`, `queue_name`, `queue_url`"]
        );
        assert_eq!(
            resolve("queue.queue_nme").1,
            ["`queue` (`AWS::SQS::Queue`) has no attribute `queue_nme`; did you mean `queue_name`?"]
        );
    }

    #[test]
    fn a_collection_is_one_element_only_inside_its_for() {
        assert_eq!(
            resolve("handlers.arn").1,
            ["`handlers` is declared in a `for` and has one element per iteration; use it inside that `for`, or iterate it in Rust: `handlers.iter().map(|e| e.arn())`"]
        );
        assert_eq!(resolve("handlers").0, "(& handlers)");
        let (tokens, errors, to) = resolve_from(Some(2), "handlers.arn");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((tokens.as_str(), to), ("handlers . arn ()", vec![2]));
    }

    #[test]
    fn used_stacks_resources_become_imports() {
        assert_eq!(
            resolve("network.vpc.id").0,
            ":: stack_core :: __private :: foreign (network , & network . vpc) . id ()"
        );
        assert_eq!(
            resolve("network.vpc").0,
            "(& :: stack_core :: __private :: foreign (network , & network . vpc))"
        );
    }

    #[test]
    fn sub_interpolates_pseudo_parameters_and_attributes() {
        let (tokens, errors) = resolve("sub!(\"arn:${AWS::Partition}:s3:::${bucket.name}/*\")");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            tokens.contains(":: stack_core :: pseudo :: partition ()"),
            "{tokens}"
        );
        assert!(
            tokens.contains(
                "IntoValue :: < :: std :: string :: String > :: into_value (bucket . name ())"
            ),
            "{tokens}"
        );
        assert!(
            tokens.contains("lit (\"arn:\")")
                && tokens.contains("lit (\":s3:::\")")
                && tokens.contains("lit (\"/*\")"),
            "{tokens}"
        );
        let (tokens, errors) = resolve("sub!(\"${AWS::Region}\")");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            tokens,
            ":: stack_core :: Value :: < :: std :: string :: String > :: concat ([:: stack_core :: pseudo :: region ()])"
        );
        let (tokens, errors) = resolve("sub!(\"${!Literal}\")");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(tokens.contains("lit (\"${Literal}\")"), "{tokens}");
    }

    #[test]
    fn sub_reports_what_it_cannot_interpolate() {
        assert_eq!(
            resolve("sub!(\"${bucket.arn\")").1,
            ["unclosed `${` in `sub!`; close it with `}` or escape it as `${!`"]
        );
        assert_eq!(
            resolve("sub!(\"${AWS::NoValue}\")").1,
            ["`${AWS::NoValue}` is not a string pseudo parameter; use `AWS::AccountId`, `AWS::Region`, `AWS::Partition`, `AWS::URLSuffix`, `AWS::StackName` or `AWS::StackId`"]
        );
        assert_eq!(
            resolve("sub!(\"${bucket.nme}\")").1,
            ["`bucket` (`Bucket`) has no attribute `nme`; did you mean `name`?"]
        );
        assert_eq!(
            resolve("sub!(\"${bucket}\")").1,
            ["`${bucket}` is a whole `Bucket`; interpolate one of its attributes: `arn`, `name`, `domain_name`, `regional_domain_name`"]
        );
        assert_eq!(
            resolve("sub!(\"${a b}\")").1,
            ["`${a b}` in `sub!` is not a name or `name.attribute`"]
        );
        assert_eq!(
            resolve("sub!(prefix)").1,
            ["`sub!` takes one string literal, e.g. `sub!(\"${bucket.arn}/*\")`"]
        );
        assert_eq!(
            resolve("sub!(\"${buckt.arn}\")").1,
            ["cannot find `buckt` in this stack; did you mean `bucket`?"]
        );
    }

    #[test]
    fn formatting_a_deploy_time_value_is_an_error() {
        assert_eq!(
            resolve("format!(\"{}-logs\", bucket.name)").1,
            ["`bucket` is resolved at deploy time and cannot be formatted into a plain string; interpolate it with `sub!(\"...${bucket.attribute}...\")`"]
        );
        assert_eq!(resolve("concat!(\"a\", (queue))").1.len(), 1);
        assert!(resolve("format!(\"{}-{}\", props.names.len(), stage)")
            .1
            .is_empty());
    }

    #[test]
    fn formatting_an_inline_deploy_time_value_is_an_error() {
        assert_eq!(
            resolve("format!(\"{bucket}-logs\")").1,
            ["`bucket` is resolved at deploy time and cannot be formatted into a plain string; interpolate it with `sub!(\"...${bucket.attribute}...\")`"]
        );
    }

    #[test]
    fn vec_items_are_resolved() {
        let (tokens, errors) = resolve("vec![bucket.arn, buckt]");
        assert_eq!(tokens, "vec ! [bucket . arn () , buckt]");
        assert_eq!(
            errors,
            ["cannot find `buckt` in this stack; did you mean `bucket`?"]
        );
    }
}
