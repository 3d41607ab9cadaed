//! Lambda environment variables: names Lambda accepts and does not reserve, and
//! values that are strings.

use crate::ast::{Object, ValueExpr};
use crate::ctxt::Ctxt;
use crate::scope::{Kind, Name, Scope};

/// Checks an `environment: { NAME: value }` option of a function construct.
pub(crate) fn check_env_map(value: &ValueExpr, scope: &Scope, cx: &Ctxt) {
    match value {
        ValueExpr::Object(obj) => check_vars(obj, scope, cx),
        ValueExpr::Rust(_) => {}
        other => cx.error(
            other.span(),
            "`environment` is a map of variables: `environment: { NAME: value, ... }`",
        ),
    }
}

/// Checks `Environment: { Variables: { ... } }` on an `AWS::Lambda::Function`.
pub(crate) fn check_l1_function(body: &Object, scope: &Scope, cx: &Ctxt) {
    for field in &body.fields {
        if field.key.name() != "Environment" {
            continue;
        }
        if let ValueExpr::Object(env) = &field.value {
            for inner in &env.fields {
                if inner.key.name() == "Variables" {
                    if let ValueExpr::Object(vars) = &inner.value {
                        check_vars(vars, scope, cx);
                    }
                }
            }
        }
    }
}

fn check_vars(vars: &Object, scope: &Scope, cx: &Ctxt) {
    for field in &vars.fields {
        let name = field.key.name();
        if let Err(why) = stack_spec::rules::lambda::environment_name(&name) {
            cx.error(field.key.span(), why);
        }
        match &field.value {
            ValueExpr::Rust(syn::Expr::Path(p)) => {
                let Some(ident) = p.path.get_ident() else {
                    continue;
                };
                if let Some(Name::Resource(index)) = scope.names.get(&ident.to_string()) {
                    let attrs: Vec<&str> = match scope.resources[*index].1 {
                        Some(Kind::L2(spec)) => spec.attrs.to_vec(),
                        Some(Kind::L1 { schema, .. }) => {
                            schema.attrs().into_iter().map(|(_, m)| m).collect()
                        }
                        Some(Kind::User) | None => Vec::new(),
                    };
                    cx.error(
                        ident.span(),
                        format!(
                            "environment variable `{name}` is set to the whole resource `{ident}`; a value must be a string, such as one of its attributes: {}",
                            attrs
                                .iter()
                                .map(|a| format!("`{ident}.{a}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
            ValueExpr::Rust(syn::Expr::Lit(syn::ExprLit { lit, .. }))
                if !matches!(lit, syn::Lit::Str(_)) =>
            {
                cx.error(
                    field.value.span(),
                    format!("environment variable `{name}` must be a string; write it in quotes"),
                );
            }
            ValueExpr::Rust(_) => {}
            other => cx.error(
                other.span(),
                format!("environment variable `{name}` must be a string, not a nested value"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    // Environment variable names and values, in a construct's `environment` and an L1 function's `Variables`.
    use super::*;
    use crate::ast::Item;
    use crate::scope::declare_names;
    use crate::test_support::{errors, input};

    const STACK: &str = "stack S {
        resource bucket: Bucket;
        resource queue: AWS::SQS::Queue;
        resource f: AWS::Lambda::Function {
            Environment: { Variables: { Q: \"1\", QUEUE: queue, URL: queue.queue_url } }
        }
    }";

    fn env_errors(value: &str) -> Vec<String> {
        let cx = Ctxt::new();
        let scope = declare_names(&input(STACK), &cx);
        let value: ValueExpr =
            syn::parse::Parser::parse_str(crate::parse::parse_value, value).expect("a value");
        check_env_map(&value, &scope, &cx);
        errors(cx)
    }

    #[test]
    fn names_are_two_or_more_letters_digits_and_underscores() {
        assert_eq!(
            env_errors("{ A: \"x\" }"),
            ["invalid environment variable name `A`; Lambda accepts 2 or more letters, digits and `_`, starting with a letter"]
        );
        assert_eq!(env_errors("{ \"1X\": \"x\", \"MY-VAR\": \"x\" }").len(), 2);
        assert!(env_errors("{ AB: \"x\", table_name_2: \"y\" }").is_empty());
    }

    #[test]
    fn names_the_runtime_reserves_are_rejected() {
        assert_eq!(
            env_errors("{ AWS_REGION: \"eu-west-1\", AWS_LAMBDA_RUNTIME_API: \"x\" }"),
            [
                "`AWS_REGION` is reserved by the Lambda runtime and cannot be set; choose another name",
                "`AWS_LAMBDA_RUNTIME_API` is reserved by the Lambda runtime and cannot be set; choose another name",
            ]
        );
        // Reserved names that start with `_` are already no valid name.
        assert!(env_errors("{ _HANDLER: \"x\" }")[0]
            .starts_with("invalid environment variable name `_HANDLER`"));
    }

    #[test]
    fn values_are_strings_not_whole_resources_numbers_or_objects() {
        assert_eq!(
            env_errors("{ BUCKET: bucket, PORT: 8080, NESTED: { a: \"b\" }, LIST: [\"a\"] }"),
            [
                "environment variable `BUCKET` is set to the whole resource `bucket`; a value must be a string, such as one of its attributes: `bucket.arn`, `bucket.name`, `bucket.domain_name`, `bucket.regional_domain_name`",
                "environment variable `PORT` must be a string; write it in quotes",
                "environment variable `NESTED` must be a string, not a nested value",
                "environment variable `LIST` must be a string, not a nested value",
            ]
        );
        let errors = env_errors("{ BUCKET: bucket.name, STAGE: props.stage, N: \"1\" }");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("invalid environment variable name `N`"),
            "{errors:?}"
        );
    }

    #[test]
    fn the_environment_is_a_map() {
        assert_eq!(
            env_errors("[\"A=1\"]"),
            ["`environment` is a map of variables: `environment: { NAME: value, ... }`"]
        );
        assert!(env_errors("props.environment.clone()").is_empty());
    }

    #[test]
    fn an_l1_function_is_checked_in_its_variables() {
        let stack = input(STACK);
        let cx = Ctxt::new();
        let scope = declare_names(&stack, &cx);
        let Some(Item::Resource(function)) = stack.items.last() else {
            panic!("a function");
        };
        check_l1_function(&function.body, &scope, &cx);
        assert_eq!(
            errors(cx),
            [
                "invalid environment variable name `Q`; Lambda accepts 2 or more letters, digits and `_`, starting with a letter",
                "environment variable `QUEUE` is set to the whole resource `queue`; a value must be a string, such as one of its attributes: `queue.arn`, `queue.queue_name`, `queue.queue_url`",
            ]
        );
    }
}
