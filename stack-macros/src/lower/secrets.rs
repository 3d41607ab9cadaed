//! Secret values: a plaintext literal written as a secret's value is an error unless it is
//! marked `SecretValue::unsafe_plain_text`, so a secret readable in the template is never
//! an accident. Object values (`{ key: value }`) are lowered to a `SecretObject`, whose
//! entries rustc then checks are `SecretValue`s.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Expr;

use crate::ast::ValueExpr;
use crate::ctxt::Ctxt;
use crate::resolve::Resolver;
use crate::scope::{Edge, Scope};

/// Macros whose result is text written in the stack.
const TEXT_MACROS: &[&str] = &["sub", "format", "concat", "stringify", "include_str"];

/// Methods that turn text into a `String` without hiding it.
const TEXT_METHODS: &[&str] = &["to_string", "to_owned", "into", "clone"];

/// Checks and lowers a secret-valued option: `SecretValue::...`, or an object of them.
pub(crate) fn lower_secret(
    value: &ValueExpr,
    scope: &Scope,
    cx: &Ctxt,
    index: usize,
    edges: &mut Vec<Edge>,
) -> TokenStream {
    match value {
        ValueExpr::Rust(expr) => lower_value(expr, scope, cx, index, edges),
        ValueExpr::Object(object) => {
            let entries: Vec<TokenStream> = object
                .fields
                .iter()
                .map(|field| {
                    let key = field.key.name();
                    let value = match &field.value {
                        ValueExpr::Rust(expr) => lower_value(expr, scope, cx, index, edges),
                        other => {
                            cx.error(
                                other.span(),
                                format!("the secret field `{key}` takes one value, e.g. `SecretValue::from_parameter(param)`"),
                            );
                            TokenStream::new()
                        }
                    };
                    quote_spanned!(field.value.span()=> .entry(#key, #value))
                })
                .collect();
            quote!(::stack_core::constructs::SecretObject::new() #(#entries)*)
        }
        other => {
            cx.error(
                other.span(),
                "a secret value is one `SecretValue`, or an object `{ key: SecretValue::..., ... }`",
            );
            TokenStream::new()
        }
    }
}

fn lower_value(
    expr: &Expr,
    scope: &Scope,
    cx: &Ctxt,
    index: usize,
    edges: &mut Vec<Edge>,
) -> TokenStream {
    if let Some(span) = plaintext(expr) {
        cx.error(
            span,
            "plaintext secret value: it would be readable by anyone who can read the template or the stack; let Secrets Manager generate it (`generate_secret_string`), pass a `#[no_echo]` parameter (`SecretValue::from_parameter(param)`), or mark it `SecretValue::unsafe_plain_text(...)`",
        );
    }
    let mut expr = expr.clone();
    Resolver::new(scope, cx, Some(index), edges).expr(&mut expr);
    quote!(#expr)
}

/// The span of text written in the stack, when `expr` is such text: a literal, a text
/// macro, or a conversion of either.
fn plaintext(expr: &Expr) -> Option<proc_macro2::Span> {
    match expr {
        Expr::Lit(lit) => Some(lit.span()),
        Expr::Macro(m) => {
            let name = m.mac.path.segments.last()?.ident.to_string();
            TEXT_MACROS.contains(&name.as_str()).then(|| m.span())
        }
        Expr::Reference(r) => plaintext(&r.expr),
        Expr::Paren(p) => plaintext(&p.expr),
        Expr::Group(g) => plaintext(&g.expr),
        Expr::MethodCall(call) if TEXT_METHODS.contains(&call.method.to_string().as_str()) => {
            plaintext(&call.receiver).map(|_| call.span())
        }
        Expr::Call(call) => {
            let Expr::Path(path) = &*call.func else {
                return None;
            };
            let segments: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let conversion = matches!(
                segments
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice(),
                [.., "String", "from"] | [.., "Value", "lit"]
            );
            if conversion {
                call.args.first().and_then(plaintext).map(|_| call.span())
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    // Which expressions count as plaintext secrets.
    use super::*;

    fn is_plaintext(text: &str) -> bool {
        syn::parse_str::<Expr>(text)
            .ok()
            .and_then(|e| plaintext(&e))
            .is_some()
    }

    #[test]
    fn literals_and_text_conversions_are_plaintext() {
        for text in [
            r#""hunter2""#,
            "42",
            r#"sub!("key-${AWS::Region}")"#,
            r#"format!("{}", 1)"#,
            r#""x".to_string()"#,
            r#"String::from("x")"#,
            r#"&"x""#,
            r#"("x")"#,
        ] {
            assert!(is_plaintext(text), "{text}");
        }
    }

    #[test]
    fn marked_and_referenced_values_are_not() {
        for text in [
            r#"SecretValue::unsafe_plain_text("x")"#,
            "SecretValue::from_parameter(api_key)",
            "props.api_key.clone()",
            "value",
        ] {
            assert!(!is_plaintext(text), "{text}");
        }
    }
}
