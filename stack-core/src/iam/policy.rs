//! Policy documents and statements.

use crate::expr::Expr;
use crate::value::{Arn, IntoValue, Value};

/// What a statement's `Resource` takes: an ARN. A resource's `arn` attribute, an
/// interpolated `sub!` string, a literal (checked at compile time inside `stack!`); not a
/// name or an ID, which grant nothing.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an ARN; a policy statement's resources are ARNs",
    label = "use the resource's ARN here (`bucket.arn`, not `bucket.name`), or `sub!(\"arn:...\")`"
)]
pub trait PolicyResource {
    /// The ARN as a string value.
    fn into_resource(self) -> Value<String>;
}

#[diagnostic::do_not_recommend]
impl<K> PolicyResource for Value<Arn<K>> {
    fn into_resource(self) -> Value<String> {
        self.into_value()
    }
}

#[diagnostic::do_not_recommend]
impl<K> PolicyResource for &Value<Arn<K>> {
    fn into_resource(self) -> Value<String> {
        self.into_value()
    }
}

#[diagnostic::do_not_recommend]
impl PolicyResource for Value<String> {
    fn into_resource(self) -> Value<String> {
        self
    }
}

#[diagnostic::do_not_recommend]
impl PolicyResource for &Value<String> {
    fn into_resource(self) -> Value<String> {
        self.clone()
    }
}

#[diagnostic::do_not_recommend]
impl PolicyResource for &str {
    fn into_resource(self) -> Value<String> {
        Value::lit(self)
    }
}

#[diagnostic::do_not_recommend]
impl PolicyResource for String {
    fn into_resource(self) -> Value<String> {
        Value::lit(self)
    }
}

/// Whether a statement allows or denies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

/// One policy statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// Allow or deny.
    pub effect: Effect,
    /// Actions such as `s3:GetObject`, sorted and unique when rendered.
    pub actions: Vec<String>,
    /// Resource ARNs (literal or deploy-time).
    pub resources: Vec<Value<String>>,
    /// A `Principal` block, for resource policies.
    pub principal: Option<Expr>,
    /// A `Condition` block.
    pub condition: Option<Expr>,
}

impl Statement {
    /// An `Allow` statement on the given actions and resources.
    pub fn allow<A: Into<String>, R: PolicyResource>(
        actions: impl IntoIterator<Item = A>,
        resources: impl IntoIterator<Item = R>,
    ) -> Self {
        Self {
            effect: Effect::Allow,
            actions: actions.into_iter().map(Into::into).collect(),
            resources: resources
                .into_iter()
                .map(PolicyResource::into_resource)
                .collect(),
            principal: None,
            condition: None,
        }
    }

    /// A `Deny` statement on the given actions and resources.
    pub fn deny<A: Into<String>, R: PolicyResource>(
        actions: impl IntoIterator<Item = A>,
        resources: impl IntoIterator<Item = R>,
    ) -> Self {
        Self {
            effect: Effect::Deny,
            ..Self::allow(actions, resources)
        }
    }

    /// Sets the `Principal` block.
    pub fn with_principal(mut self, principal: Expr) -> Self {
        self.principal = Some(principal);
        self
    }

    /// Sets the `Condition` block.
    pub fn with_condition(mut self, condition: Expr) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Renders the statement.
    pub fn to_expr(&self) -> Expr {
        let mut actions = self.actions.clone();
        actions.sort();
        actions.dedup();
        let mut entries = vec![(
            "Effect".to_owned(),
            Expr::Str(
                match self.effect {
                    Effect::Allow => "Allow",
                    Effect::Deny => "Deny",
                }
                .to_owned(),
            ),
        )];
        if let Some(principal) = &self.principal {
            entries.push(("Principal".to_owned(), principal.clone()));
        }
        entries.push((
            "Action".to_owned(),
            one_or_list(actions.into_iter().map(Expr::Str)),
        ));
        entries.push((
            "Resource".to_owned(),
            one_or_list(self.resources.iter().map(|r| r.expr().clone())),
        ));
        if let Some(condition) = &self.condition {
            entries.push(("Condition".to_owned(), condition.clone()));
        }
        Expr::Map(entries)
    }
}

fn one_or_list(items: impl Iterator<Item = Expr>) -> Expr {
    let mut items: Vec<Expr> = items.collect();
    if items.len() == 1 {
        items.remove(0)
    } else {
        Expr::List(items)
    }
}

/// A policy document: a version and its statements.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyDocument {
    /// The statements, in order.
    pub statements: Vec<Statement>,
}

impl PolicyDocument {
    /// A document holding these statements.
    pub fn new(statements: impl IntoIterator<Item = Statement>) -> Self {
        Self {
            statements: statements.into_iter().collect(),
        }
    }

    /// Renders the document with `Version: 2012-10-17`.
    pub fn to_expr(&self) -> Expr {
        Expr::Map(vec![
            ("Version".to_owned(), Expr::Str("2012-10-17".to_owned())),
            (
                "Statement".to_owned(),
                Expr::List(self.statements.iter().map(Statement::to_expr).collect()),
            ),
        ])
    }
}
