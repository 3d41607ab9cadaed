//! Where a stack's grants go: inline on the role that receives them, or, for the
//! statements that would close a dependency cycle (a role granted on a resource that uses
//! the role, such as a function allowed to invoke itself), into a separate
//! `AWS::IAM::Policy` attached to the role, which depends on both.

use std::collections::{BTreeMap, BTreeSet};

use super::{PolicyDocument, Statement};
use crate::aws;
use crate::expr::Expr;
use crate::resource::Resource;
use crate::template::{ResourceDecl, Template};
use crate::value::Value;

/// The suffix of the logical ID (and name) of a role's separate policy.
const SEPARATE_POLICY_SUFFIX: &str = "DefaultPolicy";

/// Attaches each role's statements, in the order the grants were made; returns the
/// problems found (a grant to a role the stack does not have, a taken policy ID).
pub(crate) fn attach_grants(
    template: &mut Template,
    role_statements: Vec<(String, Statement)>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut by_role: Vec<(String, Vec<Statement>)> = Vec::new();
    for (role, statement) in role_statements {
        match by_role.iter_mut().find(|(r, _)| *r == role) {
            Some((_, statements)) => statements.push(statement),
            None => by_role.push((role, vec![statement])),
        }
    }
    let graph = dependencies(template);
    for (role, statements) in by_role {
        if template.resource(&role).is_none() {
            problems.push(format!(
                "grant to role `{role}`, which is not a resource of this stack"
            ));
            continue;
        }
        let users = dependants(&graph, &role);
        let (separate, inline): (Vec<Statement>, Vec<Statement>) =
            statements.into_iter().partition(|s| {
                s.to_expr()
                    .referenced_ids()
                    .iter()
                    .any(|id| *id == role || users.contains(id.as_str()))
            });
        if !inline.is_empty() {
            let document = PolicyDocument::new(merge_statements(inline.into_iter()));
            if let Some(decl) = template.resource_mut(&role) {
                decl.push_to_list_property(
                    "Policies",
                    Expr::Map(vec![
                        ("PolicyName".to_owned(), Expr::Str("Grants".to_owned())),
                        ("PolicyDocument".to_owned(), document.to_expr()),
                    ]),
                );
            }
        }
        if !separate.is_empty() {
            let id = format!("{role}{SEPARATE_POLICY_SUFFIX}");
            if template.resource(&id).is_some() {
                problems.push(format!(
                    "the grants to `{role}` that refer to resources using it need a separate policy `{id}`, but the stack already has a resource `{id}`; rename it"
                ));
                continue;
            }
            let document = PolicyDocument::new(merge_statements(separate.into_iter()));
            let policy = aws::iam::Policy {
                policy_name: Some(Value::lit(id.clone())),
                policy_document: Some(Value::from_expr(document.to_expr())),
                roles: Some(Value::list([Value::reference(&role)])),
                ..Default::default()
            };
            template.resources.push((
                id,
                ResourceDecl::new(aws::iam::Policy::TYPE, policy.properties()),
            ));
        }
    }
    problems
}

/// Each resource's direct dependencies: the resources its properties refer to and its
/// `DependsOn`.
fn dependencies(template: &Template) -> BTreeMap<String, BTreeSet<String>> {
    template
        .resources
        .iter()
        .map(|(id, decl)| {
            let mut deps: BTreeSet<String> = decl.properties.referenced_ids().into_iter().collect();
            deps.extend(decl.depends_on.iter().cloned());
            (id.clone(), deps)
        })
        .collect()
}

/// The resources that depend on `target`, directly or through others.
fn dependants<'a>(
    graph: &'a BTreeMap<String, BTreeSet<String>>,
    target: &str,
) -> BTreeSet<&'a str> {
    let mut found: BTreeSet<&'a str> = BTreeSet::new();
    let mut frontier = vec![target];
    while let Some(current) = frontier.pop() {
        for (id, deps) in graph {
            if deps.contains(current) && found.insert(id.as_str()) {
                frontier.push(id.as_str());
            }
        }
    }
    found
}

/// Merges statements that differ only in their actions, so a role holding several grants
/// on one resource gets one statement per resource set.
fn merge_statements(statements: impl Iterator<Item = Statement>) -> Vec<Statement> {
    let mut merged: Vec<Statement> = Vec::new();
    for statement in statements {
        match merged.iter_mut().find(|m| {
            m.effect == statement.effect
                && m.resources == statement.resources
                && m.principal == statement.principal
                && m.condition == statement.condition
        }) {
            Some(existing) => {
                for action in statement.actions {
                    if !existing.actions.contains(&action) {
                        existing.actions.push(action);
                    }
                }
            }
            None => merged.push(statement),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    // Grants inline unless they would close a cycle; the separate policy and its name.
    use super::*;
    use serde_json::json;

    fn decl(type_name: &str, properties: Vec<(&str, Expr)>) -> ResourceDecl {
        let entries = properties
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        ResourceDecl::new(type_name, Expr::Map(entries))
    }

    fn template(resources: Vec<(&str, ResourceDecl)>) -> Template {
        Template {
            resources: resources
                .into_iter()
                .map(|(id, d)| (id.to_owned(), d))
                .collect(),
            ..Default::default()
        }
    }

    fn allow(action: &str, id: &str) -> Statement {
        Statement::allow([action], [Value::<String>::get_att(id, "Arn")])
    }

    #[test]
    fn ordinary_grants_stay_inline_and_merge() {
        let mut t = template(vec![
            ("Role", decl("AWS::IAM::Role", vec![])),
            ("Queue", decl("AWS::SQS::Queue", vec![])),
        ]);
        let problems = attach_grants(
            &mut t,
            vec![
                ("Role".into(), allow("sqs:SendMessage", "Queue")),
                ("Role".into(), allow("sqs:ReceiveMessage", "Queue")),
            ],
        );
        assert!(problems.is_empty());
        assert_eq!(t.resources.len(), 2);
        assert_eq!(
            t.resource("Role").map(|r| r.properties.to_json()),
            Some(json!({"Policies": [{
                "PolicyName": "Grants",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow",
                    "Action": ["sqs:ReceiveMessage", "sqs:SendMessage"],
                    "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}
                }]}
            }]}))
        );
    }

    #[test]
    fn a_grant_on_a_resource_that_uses_the_role_gets_a_separate_policy() {
        let mut t = template(vec![
            ("Role", decl("AWS::IAM::Role", vec![])),
            (
                "Worker",
                decl(
                    "AWS::Lambda::Function",
                    vec![("Role", Expr::GetAtt("Role".into(), "Arn".into()))],
                ),
            ),
            // Uses the function, so it uses the role too.
            (
                "Alias",
                decl(
                    "AWS::Lambda::Alias",
                    vec![("FunctionName", Expr::Ref("Worker".into()))],
                ),
            ),
            ("Queue", decl("AWS::SQS::Queue", vec![])),
        ]);
        let problems = attach_grants(
            &mut t,
            vec![
                ("Role".into(), allow("lambda:InvokeFunction", "Worker")),
                ("Role".into(), allow("lambda:InvokeFunction", "Alias")),
                ("Role".into(), allow("sqs:SendMessage", "Queue")),
            ],
        );
        assert!(problems.is_empty());
        let role = t.resource("Role").map(|r| r.properties.to_json());
        assert_eq!(
            role.as_ref()
                .map(|r| r["Policies"][0]["PolicyDocument"]["Statement"].clone()),
            Some(json!([{
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}
            }]))
        );
        let policy = t
            .resource("RoleDefaultPolicy")
            .map(|r| (r.type_name.clone(), r.properties.to_json()));
        assert_eq!(
            policy,
            Some((
                "AWS::IAM::Policy".to_owned(),
                json!({
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "lambda:InvokeFunction",
                            "Resource": {"Fn::GetAtt": ["Worker", "Arn"]}
                        },
                        {
                            "Effect": "Allow",
                            "Action": "lambda:InvokeFunction",
                            "Resource": {"Fn::GetAtt": ["Alias", "Arn"]}
                        }
                    ]},
                    "PolicyName": "RoleDefaultPolicy",
                    "Roles": [{"Ref": "Role"}]
                })
            ))
        );
    }

    #[test]
    fn a_role_granted_on_itself_gets_a_separate_policy() {
        let mut t = template(vec![("Role", decl("AWS::IAM::Role", vec![]))]);
        attach_grants(&mut t, vec![("Role".into(), allow("iam:PassRole", "Role"))]);
        assert!(t.resource("RoleDefaultPolicy").is_some());
        assert_eq!(
            t.resource("Role").map(|r| r.properties.to_json()),
            Some(json!({}))
        );
    }

    #[test]
    fn a_taken_policy_id_and_a_missing_role_are_reported() {
        let mut t = template(vec![
            ("Role", decl("AWS::IAM::Role", vec![])),
            ("RoleDefaultPolicy", decl("AWS::SQS::Queue", vec![])),
        ]);
        let problems = attach_grants(
            &mut t,
            vec![
                ("Role".into(), allow("iam:PassRole", "Role")),
                ("Ghost".into(), allow("sqs:SendMessage", "Role")),
            ],
        );
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("already has a resource `RoleDefaultPolicy`"));
        assert!(problems[1].contains("`Ghost`"));
    }
}
