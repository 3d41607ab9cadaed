//! Resource policies that constructs add statements to from either side (a bucket's, a
//! queue's, a topic's): the owner adds its TLS-only rule, distributions, subscriptions,
//! rules and notifications add what lets their service reach it, in any build order.

use super::{PolicyDocument, Statement};
use crate::expr::Expr;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::{Json, Value};

/// The statement every resource policy starts with: deny `actions` on `resources` to any
/// request not made over TLS.
pub(crate) fn deny_insecure_transport<R: super::PolicyResource>(
    actions: &[&str],
    resources: impl IntoIterator<Item = R>,
) -> Statement {
    let map = |entries: Vec<(&str, Expr)>| {
        Expr::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    };
    Statement::deny(actions.iter().copied(), resources)
        .with_principal(Expr::Str("*".to_owned()))
        .with_condition(map(vec![(
            "Bool",
            map(vec![("aws:SecureTransport", Expr::Str("false".to_owned()))]),
        )]))
}

/// Adds `statement` to the resource policy `policy_id`: first with `first` (the TLS rule
/// leads), last otherwise, and once (two notifications of one bucket to one topic need
/// one statement). When the policy does not exist yet, `create` makes it from a document
/// holding only this statement.
pub(crate) fn add_statement(
    stack: &mut StackBuilder,
    policy_id: &str,
    statement: Statement,
    first: bool,
    create: impl FnOnce(&mut StackBuilder, Value<Json>),
) {
    if let Some(policy) = stack.resource_mut(policy_id) {
        if let Some(Expr::List(statements)) = policy_statements(policy) {
            let rendered = statement.to_expr();
            if !statements.contains(&rendered) {
                let at = if first { 0 } else { statements.len() };
                statements.insert(at, rendered);
            }
        }
        return;
    }
    let document = PolicyDocument::new([statement]).to_expr();
    create(stack, Value::from_expr(document));
}

/// The `Statement` list of a policy resource's `PolicyDocument`.
fn policy_statements(policy: &mut ResourceDecl) -> Option<&mut Expr> {
    let Expr::Map(properties) = &mut policy.properties else {
        return None;
    };
    let (_, document) = properties.iter_mut().find(|(k, _)| k == "PolicyDocument")?;
    let Expr::Map(document) = document else {
        return None;
    };
    document
        .iter_mut()
        .find(|(k, _)| k == "Statement")
        .map(|(_, statements)| statements)
}
