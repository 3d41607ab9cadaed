//! Literal values checked against the property's type and allowed values.

use syn::{Expr, ExprLit, Lit};

use crate::ctxt::Ctxt;
use stack_spec::cfn_index::PropType;
use stack_spec::suggest;

/// Checks a literal (or a negated number) against `ty` and its enum values.
pub(crate) fn check_literal(expr: &Expr, ty: &PropType, allowed: &[&str], what: &str, cx: &Ctxt) {
    let lit = match expr {
        Expr::Lit(ExprLit { lit, .. }) => lit,
        Expr::Unary(u) => match &*u.expr {
            Expr::Lit(ExprLit { lit, .. }) => lit,
            _ => return,
        },
        _ => return,
    };
    let found = match lit {
        Lit::Str(_) => "a string",
        Lit::Int(_) => "an integer",
        Lit::Float(_) => "a number",
        Lit::Bool(_) => "a boolean",
        _ => "a literal",
    };
    let fits = match (ty, lit) {
        (PropType::String | PropType::Arn(_) | PropType::Id(_), Lit::Str(_)) => true,
        (PropType::Integer, Lit::Int(_)) => true,
        (PropType::Number, Lit::Int(_) | Lit::Float(_)) => true,
        (PropType::Boolean, Lit::Bool(_)) => true,
        (PropType::List(inner), _) => return check_literal(expr, inner, allowed, what, cx),
        (PropType::Json | PropType::Map(_), _) => true,
        _ => false,
    };
    if !fits {
        let fix = match (ty, lit) {
            (PropType::Integer | PropType::Number, Lit::Str(s))
                if s.value().parse::<f64>().is_ok() =>
            {
                format!("; write `{}` without quotes", s.value())
            }
            (PropType::Boolean, Lit::Str(s)) if matches!(s.value().as_str(), "true" | "false") => {
                format!("; write `{}` without quotes", s.value())
            }
            (PropType::String, Lit::Int(i)) => format!("; write `\"{}\"`", i.base10_digits()),
            (PropType::String, Lit::Bool(b)) => format!("; write `\"{}\"`", b.value),
            _ => String::new(),
        };
        cx.error(
            lit.span(),
            format!("`{what}` expects {}, found {found}{fix}", ty.describe()),
        );
        return;
    }
    if let Lit::Str(s) = lit {
        let value = s.value();
        if !allowed.is_empty() && !allowed.contains(&value.as_str()) {
            let hint = suggest::did_you_mean(&value, allowed.iter().copied());
            let hint = if hint.is_empty() {
                format!("; allowed values are {}", suggest::list(allowed))
            } else {
                hint
            };
            cx.error(
                s.span(),
                format!("`{value}` is not an allowed value of `{what}`{hint}"),
            );
        }
    }
}

/// Checks a parameter's default literal against its CloudFormation type.
pub(crate) fn check_param_default(expr: &Expr, cfn_type: &str, cx: &Ctxt) {
    let ty = match cfn_type {
        "Number" => PropType::Number,
        "String" => PropType::String,
        _ => return,
    };
    check_literal(expr, &ty, &[], "parameter default", cx);
}
