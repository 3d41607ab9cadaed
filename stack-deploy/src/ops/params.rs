//! `--parameters [Stack:]Key=Value`, checked against the parameters each stack declares.

use std::collections::BTreeMap;

use serde_json::Value as Json;
use stack_core::template::Template;

use crate::ops::select;

/// One `--parameters` value as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParameterArg {
    /// The stack before `:`, when given.
    pub(crate) stack: Option<String>,
    pub(crate) key: String,
    pub(crate) value: String,
}

/// Parses `Stack:Key=Value` or `Key=Value`; clap's value parser.
pub(crate) fn parse(raw: &str) -> Result<ParameterArg, String> {
    let Some((name, value)) = raw.split_once('=') else {
        return Err(format!(
            "expected KEY=VALUE or STACK:KEY=VALUE, as in `{raw}=VALUE`"
        ));
    };
    let (stack, key) = match name.split_once(':') {
        Some((stack, key)) => (Some(stack.to_owned()), key),
        None => (None, name),
    };
    if key.is_empty() || stack.as_deref() == Some("") {
        return Err(format!(
            "`{raw}` has an empty stack or key; write KEY=VALUE or STACK:KEY=VALUE"
        ));
    }
    Ok(ParameterArg {
        stack,
        key: key.to_owned(),
        value: value.to_owned(),
    })
}

/// The values for each stack, keyed by stack name, after checking every argument: the
/// stack must be one being deployed, the key a parameter it declares, and the value one
/// of its `AllowedValues` when it has them. A key without a stack applies to every stack
/// that declares it, and at least one must.
pub(crate) fn resolve(
    args: &[ParameterArg],
    stacks: &[(&str, &Template)],
) -> Result<BTreeMap<String, Vec<(String, String)>>, String> {
    let mut values: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut problems = Vec::new();
    for arg in args {
        let targets: Vec<&(&str, &Template)> = match &arg.stack {
            Some(stack) => match stacks.iter().find(|(name, _)| name == stack) {
                Some(found) => {
                    if !declares(found.1, &arg.key) {
                        problems.push(format!(
                            "stack `{stack}` has no parameter `{}`; {}",
                            arg.key,
                            declared(found.1)
                        ));
                        continue;
                    }
                    vec![found]
                }
                None => {
                    problems.push(format!(
                        "`--parameters {stack}:{}`: stack `{stack}` is not being deployed; stacks being deployed: {}",
                        arg.key,
                        select::list(stacks.iter().map(|(n, _)| *n))
                    ));
                    continue;
                }
            },
            None => {
                let found: Vec<_> = stacks
                    .iter()
                    .filter(|(_, template)| declares(template, &arg.key))
                    .collect();
                if found.is_empty() {
                    let mut message =
                        format!("no stack being deployed has a parameter `{}`", arg.key);
                    for (name, template) in stacks {
                        message.push_str(&format!("; `{name}`: {}", declared(template)));
                    }
                    problems.push(message);
                    continue;
                }
                found
            }
        };
        for (name, template) in targets {
            if let Some(problem) = check_allowed(name, template, &arg.key, &arg.value) {
                problems.push(problem);
                continue;
            }
            let entry = values.entry((*name).to_owned()).or_default();
            entry.retain(|(k, _)| *k != arg.key);
            entry.push((arg.key.clone(), arg.value.clone()));
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems.join("\n"))
    }
}

fn declares(template: &Template, key: &str) -> bool {
    template.parameters.iter().any(|(name, _)| name == key)
}

fn declared(template: &Template) -> String {
    if template.parameters.is_empty() {
        "it declares no parameters".to_owned()
    } else {
        format!(
            "its parameters: {}",
            select::list(template.parameters.iter().map(|(n, _)| n.as_str()))
        )
    }
}

fn check_allowed(stack: &str, template: &Template, key: &str, value: &str) -> Option<String> {
    let (_, parameter) = template.parameters.iter().find(|(n, _)| n == key)?;
    if parameter.allowed_values.is_empty() {
        return None;
    }
    let allowed: Vec<String> = parameter
        .allowed_values
        .iter()
        .map(|v| match v {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    if allowed.iter().any(|a| a == value) {
        return None;
    }
    Some(format!(
        "parameter `{key}` of stack `{stack}` is `{value}`, which is not one of its allowed values: {}",
        select::list(allowed.iter().map(String::as_str))
    ))
}

#[cfg(test)]
mod tests {
    // Parsing and the checks against declared parameters.
    use super::*;
    use stack_core::template::{Parameter, ParameterType};

    fn template(params: &[(&str, &[&str])]) -> Template {
        let mut template = Template::default();
        for (name, allowed) in params {
            template.parameters.push((
                (*name).to_owned(),
                Parameter {
                    kind: ParameterType::String,
                    default: None,
                    description: None,
                    allowed_values: allowed.iter().map(|a| Json::from(*a)).collect(),
                    no_echo: false,
                },
            ));
        }
        template
    }

    #[test]
    fn parses_both_forms() {
        assert_eq!(
            parse("Api:Stage=prod=1").unwrap(),
            ParameterArg {
                stack: Some("Api".into()),
                key: "Stage".into(),
                value: "prod=1".into()
            }
        );
        assert_eq!(parse("Stage=").unwrap().stack, None);
        assert!(parse("Stage").is_err());
        assert!(parse(":Stage=x").is_err());
    }

    #[test]
    fn unscoped_keys_go_to_every_stack_that_declares_them() {
        let a = template(&[("Stage", &[])]);
        let b = template(&[("Stage", &[]), ("Size", &[])]);
        let stacks = [("A", &a), ("B", &b)];
        let resolved = resolve(
            &[parse("Stage=prod").unwrap(), parse("B:Size=3").unwrap()],
            &stacks,
        )
        .unwrap();
        assert_eq!(resolved["A"], [("Stage".to_owned(), "prod".to_owned())]);
        assert_eq!(resolved["B"].len(), 2);
    }

    #[test]
    fn unknown_keys_list_the_valid_ones() {
        let a = template(&[("Stage", &["dev", "prod"])]);
        let stacks = [("A", &a)];
        assert_eq!(
            resolve(&[parse("Stag=x").unwrap()], &stacks).unwrap_err(),
            "no stack being deployed has a parameter `Stag`; `A`: its parameters: `Stage`"
        );
        assert_eq!(
            resolve(&[parse("A:Nope=x").unwrap()], &stacks).unwrap_err(),
            "stack `A` has no parameter `Nope`; its parameters: `Stage`"
        );
        assert!(resolve(&[parse("B:Stage=x").unwrap()], &stacks)
            .unwrap_err()
            .contains("stack `B` is not being deployed"));
        assert_eq!(
            resolve(&[parse("Stage=test").unwrap()], &stacks).unwrap_err(),
            "parameter `Stage` of stack `A` is `test`, which is not one of its allowed values: `dev`, `prod`"
        );
    }
}
