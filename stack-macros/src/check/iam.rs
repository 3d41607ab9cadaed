//! IAM actions written in policy statements, checked against the vendored action list.

use syn::{Expr, ExprCall, ExprLit, Lit};

use crate::ast::{Object, ValueExpr};
use crate::ctxt::Ctxt;
use stack_spec::iam_actions::check_action;

/// Checks `Action`/`NotAction` in a JSON policy statement written as an object literal.
pub(crate) fn check_json_actions(obj: &Object, cx: &Ctxt) {
    for field in &obj.fields {
        if !matches!(field.key.name().as_str(), "Action" | "NotAction") {
            continue;
        }
        match &field.value {
            ValueExpr::Rust(expr) => check_expr(expr, cx),
            ValueExpr::List { items, .. } => {
                for item in items {
                    if let ValueExpr::Rust(expr) = item {
                        check_expr(expr, cx);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Checks the action list of `Statement::allow([...], ...)` / `Statement::deny(...)`.
pub(crate) fn check_statement_call(call: &ExprCall, cx: &Ctxt) {
    let Expr::Path(path) = &*call.func else {
        return;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let is_statement = segments.len() >= 2
        && segments[segments.len() - 2] == "Statement"
        && matches!(segments[segments.len() - 1].as_str(), "allow" | "deny");
    if !is_statement {
        return;
    }
    match call.args.first() {
        Some(Expr::Array(array)) => array.elems.iter().for_each(|e| check_expr(e, cx)),
        Some(Expr::Reference(r)) => {
            if let Expr::Array(array) = &*r.expr {
                array.elems.iter().for_each(|e| check_expr(e, cx));
            }
        }
        _ => {}
    }
}

fn check_expr(expr: &Expr, cx: &Ctxt) {
    if let Expr::Lit(ExprLit {
        lit: Lit::Str(s), ..
    }) = expr
    {
        if let Err(e) = check_action(&s.value()) {
            cx.error(s.span(), e);
        }
    }
}
