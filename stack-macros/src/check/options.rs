//! Construct option values checked before they are lowered: literals against the rule
//! their option follows (the same rule the construct applies at synth), struct literals
//! of known option types against their fields, and the fields a list's struct literals
//! must not share.

use syn::{Expr, ExprLit, Lit, UnOp};

use stack_spec::catalog::{self, OptionSpec};
use stack_spec::rules::{Check, Literal};
use stack_spec::suggest;

use crate::ast::{Field, Object, ValueExpr};
use crate::check::state_graph;
use crate::ctxt::Ctxt;

/// Checks the value of `option`, and every option-type literal inside it.
pub(crate) fn check_value(option: &OptionSpec, value: &ValueExpr, cx: &Ctxt) {
    match (option.check, value) {
        (Some(Check::StateGraph(rule)), ValueExpr::Rust(expr)) => {
            state_graph::check(rule, expr, cx);
        }
        (Some(check), _) => check_literals(option.name, check, value, cx),
        (None, _) => {}
    }
    check_struct_literals(value, cx);
    check_unique_fields(value, cx);
}

/// In a list of option-type literals, reports a literal value of a `unique` field that an
/// earlier item of the list already has, at the later one.
fn check_unique_fields(value: &ValueExpr, cx: &Ctxt) {
    let ValueExpr::List { items, .. } = value else {
        return;
    };
    // Per option type and field, the literal values seen so far.
    let mut seen: Vec<(&str, &str, String)> = Vec::new();
    for item in items {
        let ValueExpr::Struct { path, body } = item else {
            continue;
        };
        let name = path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let Some(ty) = catalog::option_type(&name) else {
            continue;
        };
        for spec in ty.fields.iter().filter(|f| f.unique) {
            let Some(Field { value, .. }) = body.fields.iter().find(|f| f.key.name() == spec.name)
            else {
                continue;
            };
            let ValueExpr::Rust(expr) = value else {
                continue;
            };
            let Some(Owned::Str(text)) = literal(expr) else {
                continue;
            };
            if seen
                .iter()
                .any(|(t, f, v)| *t == ty.name && *f == spec.name && *v == text)
            {
                cx.error_spanned(
                    expr,
                    format!(
                        "`{}` `{text}` is already taken by an earlier `{}` of this list; each needs its own `{}`",
                        spec.name, ty.name, spec.name
                    ),
                );
            } else {
                seen.push((ty.name, spec.name, text));
            }
        }
    }
}

/// Applies `check` to a literal value, or to each literal of a list.
fn check_literals(name: &str, check: Check, value: &ValueExpr, cx: &Ctxt) {
    match value {
        ValueExpr::List { items, .. } => {
            for item in items {
                check_literals(name, check, item, cx);
            }
        }
        ValueExpr::Rust(Expr::Array(array)) => {
            for item in &array.elems {
                check_expr(name, check, item, cx);
            }
        }
        ValueExpr::Rust(expr) => check_expr(name, check, expr, cx),
        ValueExpr::Object(_) | ValueExpr::Struct { .. } => {}
    }
}

fn check_expr(name: &str, check: Check, expr: &Expr, cx: &Ctxt) {
    if let Some(literal) = literal(expr) {
        if let Err(why) = check.check(literal.as_literal()) {
            cx.error_spanned(expr, format!("`{name}` {why}"));
        }
    }
}

/// Finds struct literals of known option types anywhere in `value` and checks them.
fn check_struct_literals(value: &ValueExpr, cx: &Ctxt) {
    match value {
        ValueExpr::Struct { path, body } => {
            let name = path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            match catalog::option_type(&name) {
                Some(ty) => check_fields(ty.name, ty.fields, body, cx),
                None => {
                    for field in &body.fields {
                        check_struct_literals(&field.value, cx);
                    }
                }
            }
        }
        ValueExpr::List { items, .. } => {
            for item in items {
                check_struct_literals(item, cx);
            }
        }
        ValueExpr::Object(obj) => {
            for field in &obj.fields {
                check_struct_literals(&field.value, cx);
            }
        }
        ValueExpr::Rust(_) => {}
    }
}

/// Whether `name` can name a setter: an identifier, raw if need be (`r#type`), but not
/// `self`, `crate` and the like, nor `a-b`.
pub(crate) fn is_option_name(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
        || (!matches!(name, "self" | "Self" | "super" | "crate" | "_" | "")
            && syn::parse_str::<syn::Ident>(&format!("r#{name}")).is_ok())
}

/// Checks the fields of an option-type literal: unknown, repeated and missing fields,
/// and the rules of checked fields.
pub(crate) fn check_fields(owner: &str, fields: &[OptionSpec], body: &Object, cx: &Ctxt) {
    let mut seen: Vec<String> = Vec::new();
    // Options an unknown one was probably meant to be: not reported missing as well.
    let mut meant: Vec<&str> = Vec::new();
    for Field { key, value } in &body.fields {
        let name = key.name();
        if !is_option_name(&name) {
            // Lowering says that it cannot name an option.
            continue;
        }
        let Some(field) = fields.iter().find(|f| f.name == name) else {
            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            let hint = match suggest::closest(&name, names.iter().copied()) {
                Some(close) => {
                    meant.push(close);
                    format!("; did you mean `{close}`?")
                }
                None => format!("; its options are {}", suggest::list(&names)),
            };
            cx.error(
                key.span(),
                format!("unknown option `{name}` on `{owner}`{hint}"),
            );
            continue;
        };
        if seen.contains(&name) {
            cx.error(key.span(), format!("option `{name}` is set twice"));
            continue;
        }
        seen.push(name);
        check_value(field, value, cx);
    }
    check_conflicts(fields, body, cx);
    let missing: Vec<&str> = fields
        .iter()
        .filter(|f| f.required && !seen.iter().any(|s| s == f.name) && !meant.contains(&f.name))
        .map(|f| f.name)
        .collect();
    if !missing.is_empty() {
        let plural = if missing.len() == 1 {
            "option"
        } else {
            "options"
        };
        cx.error(
            body.span,
            format!(
                "missing required {plural} {} on `{owner}`",
                suggest::list(&missing)
            ),
        );
    }
}

/// Reports each literal of a field that another field's literal in the same struct
/// literal rules out (its [`Conflict`](catalog::Conflict)), on the literal.
fn check_conflicts(fields: &[OptionSpec], body: &Object, cx: &Ctxt) {
    let value_of = |name: &str| {
        body.fields
            .iter()
            .find(|f| f.key.name() == name)
            .map(|f| &f.value)
    };
    for spec in fields {
        let (Some(conflict), Some(value)) = (spec.conflict, value_of(spec.name)) else {
            continue;
        };
        let ruled_out = value_of(conflict.other).is_some_and(|other| {
            written_literals(other)
                .iter()
                .any(|(_, text)| text == conflict.other_value)
        });
        if !ruled_out {
            continue;
        }
        for (expr, text) in written_literals(value) {
            if conflict.values.contains(&text.as_str()) {
                cx.error_spanned(expr, format!("`{}` `{text}` {}", spec.name, conflict.why));
            }
        }
    }
}

/// The literals of a value, or of each item of a list, as written: a string's value,
/// `true` or `false`, or a constant's last two path segments (`Cors::ALL_ORIGINS`).
fn written_literals(value: &ValueExpr) -> Vec<(&Expr, String)> {
    let text = |expr: &Expr| -> Option<String> {
        match expr {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s.value()),
            Expr::Lit(ExprLit {
                lit: Lit::Bool(b), ..
            }) => Some(b.value.to_string()),
            Expr::Path(path) if path.qself.is_none() => {
                let segments: Vec<String> = path
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                Some(segments[segments.len().saturating_sub(2)..].join("::"))
            }
            _ => None,
        }
    };
    let mut out = Vec::new();
    match value {
        ValueExpr::List { items, .. } => {
            for item in items {
                if let ValueExpr::Rust(expr) = item {
                    out.extend(text(expr).map(|t| (expr, t)));
                }
            }
        }
        ValueExpr::Rust(Expr::Array(array)) => {
            out.extend(array.elems.iter().filter_map(|e| text(e).map(|t| (e, t))));
        }
        ValueExpr::Rust(expr) => out.extend(text(expr).map(|t| (expr, t))),
        ValueExpr::Object(_) | ValueExpr::Struct { .. } => {}
    }
    out
}

/// A literal value the macro can judge, owned so it outlives the expression.
#[derive(Debug, PartialEq, Eq)]
enum Owned {
    Str(String),
    Int(i64),
    Seconds(u64),
}

impl Owned {
    fn as_literal(&self) -> Literal<'_> {
        match self {
            Owned::Str(s) => Literal::Str(s),
            Owned::Int(i) => Literal::Int(*i),
            Owned::Seconds(s) => Literal::Seconds(*s),
        }
    }
}

/// The literal `expr` stands for: a string, an integer (possibly negated), or a
/// `Duration::seconds|minutes|hours|days(n)` with a literal `n`.
fn literal(expr: &Expr) -> Option<Owned> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(Owned::Str(s.value())),
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => i.base10_parse().ok().map(Owned::Int),
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => match literal(&unary.expr)? {
            Owned::Int(i) => Some(Owned::Int(-i)),
            _ => None,
        },
        Expr::Paren(inner) => literal(&inner.expr),
        Expr::Group(inner) => literal(&inner.expr),
        Expr::Call(call) if call.args.len() == 1 => {
            let Expr::Path(function) = &*call.func else {
                return None;
            };
            let segments: Vec<String> = function
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let [.., ty, unit] = segments.as_slice() else {
                return None;
            };
            if ty != "Duration" {
                return None;
            }
            let factor: u64 = match unit.as_str() {
                "seconds" => 1,
                "minutes" => 60,
                "hours" => 3600,
                "days" => 86_400,
                _ => return None,
            };
            match literal(call.args.first()?)? {
                Owned::Int(n) => Some(Owned::Seconds(
                    u64::try_from(n).ok()?.saturating_mul(factor),
                )),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    // Literal extraction and the checks of option values and option-type literals.
    use super::*;

    fn expr(text: &str) -> Expr {
        syn::parse_str(text).expect("an expression")
    }

    fn errors_of(value: &str, option: &str, construct: &str) -> Vec<String> {
        let value: ValueExpr =
            syn::parse::Parser::parse_str(crate::parse::parse_value, value).expect("a value");
        let spec = catalog::construct(construct)
            .and_then(|c| c.options.iter().find(|o| o.name == option))
            .expect("a catalog option");
        let cx = Ctxt::new();
        check_value(spec, &value, &cx);
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(tokens) => tokens
                .to_string()
                .split("compile_error !")
                .skip(1)
                .map(str::to_owned)
                .collect(),
        }
    }

    #[test]
    fn literals_are_read_from_strings_integers_and_durations() {
        assert_eq!(literal(&expr("\"a\"")), Some(Owned::Str("a".into())));
        assert_eq!(literal(&expr("-5")), Some(Owned::Int(-5)));
        assert_eq!(
            literal(&expr("Duration::minutes(20)")),
            Some(Owned::Seconds(1200))
        );
        assert_eq!(
            literal(&expr("stack_core::constructs::Duration::days(2)")),
            Some(Owned::Seconds(172_800))
        );
        assert_eq!(literal(&expr("Duration::minutes(n)")), None);
        assert_eq!(literal(&expr("Other::minutes(2)")), None);
        assert_eq!(literal(&expr("bucket.name")), None);
    }

    #[test]
    fn checked_options_report_their_rule() {
        let errors = errors_of("20000", "memory_size", "Function");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("Lambda accepts 128 to 10240 MB"),
            "{errors:?}"
        );
        assert_eq!(
            errors_of("Duration::minutes(20)", "timeout", "Function").len(),
            1
        );
        assert!(errors_of("Duration::minutes(15)", "timeout", "Function").is_empty());
        assert!(errors_of("\"My_Bucket\"", "bucket_name", "Bucket")[0].contains("lowercase"));
        assert!(errors_of("props.name", "bucket_name", "Bucket").is_empty());
    }

    #[test]
    fn a_literal_definition_has_its_graph_checked() {
        let errors = errors_of(
            "Definition::new(\"A\").state(Pass::new(\"A\").next(\"B\"))",
            "definition",
            "StateMachine",
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("`next` names `B`"), "{errors:?}");
        assert!(errors[1].contains("never ends"), "{errors:?}");
        assert!(errors_of("order_flow()", "definition", "StateMachine").is_empty());
    }

    #[test]
    fn a_literal_another_field_rules_out_is_reported() {
        for origins in [
            "[\"*\"]",
            "Cors::ALL_ORIGINS",
            "[\"https://a.example\", \"*\"]",
        ] {
            let cors =
                format!("CorsOptions {{ allow_origins: {origins}, allow_credentials: true }}");
            let errors = errors_of(&cors, "default_cors_preflight", "RestApi");
            assert_eq!(errors.len(), 1, "{origins}: {errors:?}");
            assert!(
                errors[0].contains("cannot go with `allow_credentials: true`"),
                "{errors:?}"
            );
        }
        for fine in [
            "CorsOptions { allow_origins: [\"*\"], allow_credentials: false }",
            "CorsOptions { allow_origins: [\"https://a.example\"], allow_credentials: true }",
            "CorsOptions { allow_origins: origins, allow_credentials: true }",
        ] {
            assert!(
                errors_of(fine, "default_cors_preflight", "RestApi").is_empty(),
                "{fine}"
            );
        }
    }

    #[test]
    fn option_type_literals_are_checked_field_by_field() {
        let errors = errors_of(
            "[ApiRoute { path: \"a\", method: \"GETT\", integration: i }]",
            "routes",
            "RestApi",
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("did you mean `GET`?"), "{errors:?}");
        let errors = errors_of("[ApiRoute { paht: \"a\" }]", "routes", "RestApi");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("did you mean `path`?"), "{errors:?}");
        assert!(
            errors[1].contains("missing required option `integration`"),
            "{errors:?}"
        );
        let errors = errors_of("[ApiRoute { integraton: i }]", "routes", "RestApi");
        assert_eq!(
            errors.len(),
            1,
            "a misspelt required option is not also missing: {errors:?}"
        );
    }

    #[test]
    fn unique_fields_differ_within_a_list() {
        let errors = errors_of(
            "[WebSocketRoute { route_key: \"send\", integration: i }, WebSocketRoute { route_key: \"ping\", integration: i }, WebSocketRoute { route_key: \"send\", integration: i }]",
            "routes",
            "WebSocketApi",
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains(
                "`route_key` `send` is already taken by an earlier `WebSocketRoute` of this list"
            ),
            "{errors:?}"
        );
        assert!(errors_of(
            "[WebSocketRoute { route_key: \"send\", integration: i }, WebSocketRoute { route_key: key, integration: i }]",
            "routes",
            "WebSocketApi",
        )
        .is_empty());
    }
}
