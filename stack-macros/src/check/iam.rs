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
    for elem in array_elems(call.args.first()) {
        check_expr(elem, cx);
    }
    for elem in array_elems(call.args.iter().nth(1)) {
        if let Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) = elem
        {
            if let Err(why) = stack_spec::rules::iam::resource_arn(&s.value()) {
                cx.error(s.span(), format!("resource {why}"));
            }
        }
    }
}

/// The elements of `[a, b]` or `&[a, b]`.
fn array_elems(arg: Option<&Expr>) -> impl Iterator<Item = &Expr> {
    let array = match arg {
        Some(Expr::Array(array)) => Some(array),
        Some(Expr::Reference(r)) => match &*r.expr {
            Expr::Array(array) => Some(array),
            _ => None,
        },
        _ => None,
    };
    array.into_iter().flat_map(|a| a.elems.iter())
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

#[cfg(test)]
mod tests {
    // IAM actions in JSON policy statements and in `Statement::allow`/`deny` calls.
    use super::*;
    use crate::test_support::errors;

    fn json_errors(statement: &str) -> Vec<String> {
        let value: ValueExpr =
            syn::parse::Parser::parse_str(crate::parse::parse_value, statement).expect("a value");
        let ValueExpr::Object(obj) = value else {
            panic!("an object");
        };
        let cx = Ctxt::new();
        check_json_actions(&obj, &cx);
        errors(cx)
    }

    fn call_errors(call: &str) -> Vec<String> {
        let call: ExprCall = syn::parse_str(call).expect("a call");
        let cx = Ctxt::new();
        check_statement_call(&call, &cx);
        errors(cx)
    }

    #[test]
    fn json_actions_are_checked_one_by_one() {
        assert_eq!(
            json_errors(
                "{ Effect: \"Allow\", Action: [\"s3:GetObject\", \"s3:GetObjekt\", \"GetItem\"], Resource: \"*\" }"
            ),
            [
                "unknown IAM action `s3:GetObjekt`; did you mean `s3:GetObject`?",
                "missing service prefix in IAM action `GetItem`; did you mean `dax:GetItem` or `dynamodb:GetItem`?",
            ]
        );
        assert_eq!(
            json_errors("{ Effect: \"Deny\", NotAction: \"sqs:SendMesage\" }"),
            ["unknown IAM action `sqs:SendMesage`; did you mean `sqs:SendMessage`?"]
        );
    }

    #[test]
    fn json_outside_action_keys_is_not_an_action() {
        assert!(json_errors(
            "{ Sid: \"s3:GetObjekt\", Resource: \"s3:GetObjekt\", Action: [actions, \"*\", \"s3:Get*\"] }"
        )
        .is_empty());
    }

    #[test]
    fn statement_calls_check_their_action_list() {
        assert_eq!(
            call_errors("Statement::allow([\"s4:GetObject\", \"s3:GetObject\"], [bucket.arn()])"),
            ["unknown IAM service prefix `s4` in `s4:GetObject`; did you mean `s3`?"]
        );
        assert_eq!(
            call_errors("stack_core::iam::Statement::deny(&[\"s3:Gett*\"], resources)"),
            ["`s3:Gett*` matches no IAM action of service `s3`; did you mean `s3:Get*`?"]
        );
    }

    #[test]
    fn other_calls_are_not_statements() {
        assert!(call_errors("Policy::allow([\"s4:GetObject\"])").is_empty());
        assert!(call_errors("Statement::new([\"s4:GetObject\"])").is_empty());
        assert!(call_errors("allow([\"s4:GetObject\"])").is_empty());
        // The second list holds resources: ARNs, not actions.
        let errors = call_errors("Statement::allow(actions, [\"s4:GetObject\"])");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("resource `s4:GetObject` is not an ARN"),
            "{errors:?}"
        );
        assert!(call_errors("Statement::allow(actions, [\"arn:aws:s3:::b/*\", \"*\"])").is_empty());
    }
}
