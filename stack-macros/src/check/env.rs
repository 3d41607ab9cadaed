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
