//! CloudFormation (L1) resources: bodies checked against the schema and lowered to the generated structs.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use stack_spec::cfn_index::{PropSet, PropType, ResourceSchema};
use stack_spec::suggest;

use crate::ast::{Field, Object, ValueExpr};
use crate::check;
use crate::check::values::Allowed;
use crate::ctxt::Ctxt;
use crate::lower::common::*;
use crate::lower::json::lower_json;
use crate::resolve::Resolver;
use crate::scope::*;

/// Lowers L1 values, checking them against the schema.
pub(crate) struct L1Lowerer<'a> {
    pub(crate) schema: ResourceSchema,
    pub(crate) scope: &'a Scope,
    pub(crate) cx: &'a Ctxt,
    pub(crate) resolver_from: usize,
    pub(crate) edges: &'a mut Vec<Edge>,
}

impl L1Lowerer<'_> {
    /// `Type { field: Some(..), ..Default::default() }`, checking unknown and missing
    /// properties.
    pub(crate) fn object(
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
            let lowered = self.value(
                value,
                &prop.ty,
                Allowed::of(&prop),
                &format!("{owner}.{name}"),
            );
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
        allowed: Allowed<'_>,
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
            (PropType::List(inner), ValueExpr::List { items, span }) => {
                check::values::check_list_size(items, *span, allowed, what, self.cx);
                let lowered: Vec<TokenStream> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        self.value(item, inner, allowed.items(), &format!("{what}[{i}]"))
                    })
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
                        let v =
                            self.value(&f.value, inner, allowed.items(), &format!("{what}.{key}"));
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
                    quote_spanned!(span=> ::stack_core::IntoValue::into_value(#expr))
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
                "Key" => key = Some(self.value(&f.value, &PropType::String, Allowed::default(), "Tag.Key")),
                "Value" => value = Some(self.value(&f.value, &PropType::String, Allowed::default(), "Tag.Value")),
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
pub(crate) fn unknown_hint(name: &str, valid: &[&str]) -> String {
    let hint = suggest::did_you_mean(name, valid.iter().copied());
    if hint.is_empty() {
        format!("; its properties are {}", suggest::list(valid))
    } else {
        hint
    }
}
