//! `env { account: .., region: .., cross_region_references: .. }`: where the stack
//! deploys. Literal values are checked here with the rules `synth` applies to computed ones.

use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit};

use crate::ast::EnvItem;
use crate::ctxt::Ctxt;
use crate::ir::EnvModel;
use crate::resolve::Resolver;
use crate::scope::{Edge, Scope};

/// The keys an `env` takes.
const KEYS: &[&str] = &["account", "region", "cross_region_references"];

/// Checks an `env` and lowers it to the `set_env` call of the constructor.
pub(crate) fn lower_env(
    item: &EnvItem,
    scope: &Scope,
    cx: &Ctxt,
    edges: &mut Vec<Edge>,
) -> EnvModel {
    let mut model = EnvModel::default();
    let mut seen: Vec<String> = Vec::new();
    let (mut account, mut region) = (quote!(None), quote!(None));
    let mut cross_region = false;
    for (key, value) in &item.fields {
        let name = key.to_string();
        if !KEYS.contains(&name.as_str()) {
            let hint = match stack_spec::suggest::closest(&name, KEYS.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "an `env` takes `account`, `region` and `cross_region_references`".into(),
            };
            cx.error(key.span(), format!("unknown `env` key `{name}`; {hint}"));
            continue;
        }
        if seen.contains(&name) {
            cx.error(key.span(), format!("`{name}` is set twice in this `env`"));
            continue;
        }
        seen.push(name.clone());
        if name == "cross_region_references" {
            match value {
                Expr::Lit(ExprLit {
                    lit: Lit::Bool(b), ..
                }) => cross_region = b.value,
                other => cx.error_spanned(
                    other,
                    "`cross_region_references` is `true` or `false`, written as a literal",
                ),
            }
            continue;
        }
        let rule = if name == "region" {
            stack_spec::rules::env::region
        } else {
            stack_spec::rules::env::account
        };
        let mut value = value.clone();
        if let Expr::Lit(ExprLit {
            lit: Lit::Str(text),
            ..
        }) = &value
        {
            match rule(&text.value()) {
                Ok(()) if name == "region" => model.region = Some(text.value()),
                Ok(()) => model.account = Some(text.value()),
                Err(why) => cx.error(text.span(), why),
            }
        } else {
            Resolver::new(scope, cx, None, edges).expr(&mut value);
        }
        let lowered = quote_spanned!(value.span()=>
            ::core::option::Option::Some(::core::convert::Into::<::std::string::String>::into(#value))
        );
        if name == "region" {
            region = lowered;
        } else {
            account = lowered;
        }
    }
    if item
        .fields
        .iter()
        .all(|(k, _)| k == "cross_region_references")
    {
        cx.error(
            item.keyword,
            "an `env` pins the stack to a `region`, an `account`, or both: `env { account: \"123456789012\", region: \"us-east-1\" }`",
        );
    }
    model.cross_region_references = cross_region;
    model.build = quote_spanned! {item.keyword=>
        __stack.set_env(::stack_core::Env {
            account: #account,
            region: #region,
            cross_region_references: #cross_region,
        });
    };
    model
}

#[cfg(test)]
mod tests {
    // What an `env` accepts, and the literals it keeps for the checks between stacks.
    use crate::ctxt::Ctxt;
    use crate::model::build;
    use crate::test_support::{errors, input};

    fn env_errors(body: &str) -> Vec<String> {
        let cx = Ctxt::new();
        build(
            &input(&format!("stack S {{ {body} resource b: Bucket {{}} }}")),
            &cx,
        );
        errors(cx)
    }

    #[test]
    fn literals_are_kept_for_the_checks_between_stacks() {
        let cx = Ctxt::new();
        let model = build(
            &input(
                r#"stack S {
                    env { account: "123456789012", region: "eu-west-1", cross_region_references: true }
                    resource b: Bucket {}
                }"#,
            ),
            &cx,
        );
        assert!(errors(cx).is_empty());
        let env = model.env.expect("an env");
        assert_eq!(env.account.as_deref(), Some("123456789012"));
        assert_eq!(env.region.as_deref(), Some("eu-west-1"));
        assert!(env.cross_region_references);
    }

    #[test]
    fn computed_values_are_left_to_synth() {
        let cx = Ctxt::new();
        let model = build(
            &input("stack S { env { region: std::env::var(\"R\").unwrap_or_default() } resource b: Bucket {} }"),
            &cx,
        );
        assert!(errors(cx).is_empty());
        assert_eq!(model.env.expect("an env").region, None);
    }

    #[test]
    fn malformed_envs_are_reported() {
        assert_eq!(
            env_errors("env { cross_region_references: true }"),
            ["an `env` pins the stack to a `region`, an `account`, or both: `env { account: \"123456789012\", region: \"us-east-1\" }`"]
        );
        assert_eq!(
            env_errors("env { region: \"us-east-1\", region: \"us-east-2\" }"),
            ["`region` is set twice in this `env`"]
        );
        assert_eq!(
            env_errors("env { region: \"us-east-1\", cross_region_references: \"yes\" }"),
            ["`cross_region_references` is `true` or `false`, written as a literal"]
        );
        assert_eq!(
            env_errors("env { zone: \"a\", region: \"us-east-1\" }"),
            ["unknown `env` key `zone`; an `env` takes `account`, `region` and `cross_region_references`"]
        );
        assert_eq!(
            env_errors("env { region: \"us-east-1\" } env { account: \"123456789012\" }"),
            ["a stack has one `env`; put `account` and `region` in the first"]
        );
    }
}
