//! `--parameters [Stack:]Key=Value`, checked against the parameters each stack declares.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::ops::select;

pub(crate) use stack_app::cli::ParameterArg;

/// The values for each stack, keyed by stack name, after checking every argument: the
/// stack must be one being deployed, the key a parameter it declares, and the value one
/// of its `AllowedValues` when it has them. A key without a stack applies to every stack
/// that declares it, and at least one must.
pub(crate) fn resolve(
    args: &[ParameterArg],
    stacks: &[(&str, &Json)],
) -> Result<BTreeMap<String, Vec<(String, String)>>, String> {
    let mut values: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut problems = Vec::new();
    for arg in args {
        let targets: Vec<&(&str, &Json)> = match &arg.stack {
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

/// The template's `Parameters`, by name.
fn parameters(template: &Json) -> impl Iterator<Item = (&String, &Json)> {
    template
        .get("Parameters")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
}

fn declares(template: &Json, key: &str) -> bool {
    parameters(template).any(|(name, _)| name == key)
}

fn declared(template: &Json) -> String {
    if parameters(template).next().is_none() {
        "it declares no parameters".to_owned()
    } else {
        format!(
            "its parameters: {}",
            select::list(parameters(template).map(|(n, _)| n.as_str()))
        )
    }
}

fn check_allowed(stack: &str, template: &Json, key: &str, value: &str) -> Option<String> {
    let (_, parameter) = parameters(template).find(|(n, _)| *n == key)?;
    let allowed = parameter
        .get("AllowedValues")
        .and_then(Json::as_array)
        .filter(|values| !values.is_empty())?;
    let allowed: Vec<String> = allowed
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
    use stack_app::cli::parse_parameter as parse;
    use stack_core::template::{Parameter, ParameterType, Template};

    fn template(params: &[(&str, &[&str])]) -> Json {
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
        template.to_json()
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
