//! [`EventPattern`]: which events a rule matches.

use crate::expr::Expr;
use crate::value::{IntoValue, Json, Value};

/// Which events a [`Rule`](super::Rule) matches, field by field; an event matches when
/// each field given holds one of its values:
/// `EventPattern::new().source(["aws.s3"]).detail_type(["Object Created"])`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventPattern {
    fields: Vec<(&'static str, Expr)>,
}

impl EventPattern {
    /// A pattern that names no field yet; a rule needs at least one.
    pub fn new() -> Self {
        Self::default()
    }

    /// Events from one of these sources (`aws.s3`, `com.example.orders`).
    #[must_use]
    pub fn source(self, sources: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.any_of("source", sources)
    }

    /// Events of one of these detail types (`Object Created`).
    #[must_use]
    pub fn detail_type(self, types: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.any_of("detail-type", types)
    }

    /// Events from one of these accounts.
    #[must_use]
    pub fn account(self, accounts: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.any_of("account", accounts)
    }

    /// Events from one of these regions.
    #[must_use]
    pub fn region(self, regions: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.any_of("region", regions)
    }

    /// Events about one of these resources, by ARN (`photos.arn`).
    #[must_use]
    pub fn resources(self, arns: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.any_of("resources", arns)
    }

    /// Events whose `detail` matches this pattern, written as EventBridge's JSON:
    /// `serde_json::json!({"bucket": {"name": ["photos"]}})`.
    #[must_use]
    pub fn detail(mut self, pattern: serde_json::Value) -> Self {
        self.fields
            .push(("detail", Value::<Json>::json(pattern).into_expr()));
        self
    }

    fn any_of(
        mut self,
        field: &'static str,
        values: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        let values = values
            .into_iter()
            .map(|v| v.into_value().into_expr())
            .collect();
        self.fields.push((field, Expr::List(values)));
        self
    }

    /// What is wrong with the pattern as a rule's: no field, or a field with no value.
    pub(super) fn problems(&self) -> Vec<String> {
        if self.fields.is_empty() {
            return vec![
                "matches on no field; give it a `source`, `detail_type` or another field"
                    .to_owned(),
            ];
        }
        self.fields
            .iter()
            .filter(|(_, values)| match values {
                Expr::List(items) => items.is_empty(),
                Expr::Json(serde_json::Value::Object(entries)) => entries.is_empty(),
                _ => false,
            })
            .map(|(field, _)| format!("has an empty `{field}`, which matches no event"))
            .collect()
    }

    /// The pattern as the rule's `EventPattern`.
    pub(super) fn to_value(&self) -> Value<Json> {
        Value::from_expr(Expr::Map(
            self.fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        ))
    }
}
