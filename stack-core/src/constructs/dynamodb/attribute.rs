//! Key attributes of tables and indexes, and the key schemas they make.

use crate::aws::dynamodb::table;
use crate::stack::StackBuilder;
use crate::value::Value;

/// The type of a key attribute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AttributeType {
    /// A string (`S`).
    #[default]
    String,
    /// A number (`N`).
    Number,
    /// Binary data (`B`).
    Binary,
}

impl AttributeType {
    /// The letter DynamoDB uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            AttributeType::String => "S",
            AttributeType::Number => "N",
            AttributeType::Binary => "B",
        }
    }
}

/// A key attribute: `Attribute::string("user_id")`, or
/// `Attribute { name: "n", attribute_type: AttributeType::Number }`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attribute {
    pub(super) name: String,
    pub(super) attribute_type: AttributeType,
}

impl Attribute {
    /// A string attribute.
    pub fn string(name: impl Into<String>) -> Self {
        Self::default().name(name)
    }

    /// A number attribute.
    pub fn number(name: impl Into<String>) -> Self {
        Self::default()
            .name(name)
            .attribute_type(AttributeType::Number)
    }

    /// A binary attribute.
    pub fn binary(name: impl Into<String>) -> Self {
        Self::default()
            .name(name)
            .attribute_type(AttributeType::Binary)
    }

    /// The attribute's name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The attribute's type; string when unset.
    #[must_use]
    pub fn attribute_type(mut self, attribute_type: AttributeType) -> Self {
        self.attribute_type = attribute_type;
        self
    }
}

/// The `KeySchema` of a table or index; records each key in `definitions`, reporting a
/// name defined with two types.
pub(super) fn key_schema(
    stack: &mut StackBuilder,
    what: &str,
    partition: &Attribute,
    sort: Option<&Attribute>,
    definitions: &mut Vec<Attribute>,
) -> Vec<table::KeySchema> {
    let mut schema = Vec::new();
    for (key, key_type) in std::iter::once((partition, "HASH")).chain(sort.map(|s| (s, "RANGE"))) {
        if key.name.is_empty() || key.name.len() > 255 {
            stack.report(format!(
                "{what}: key attribute names are 1 to 255 characters"
            ));
        }
        match definitions.iter().find(|d| d.name == key.name) {
            Some(existing) if existing.attribute_type != key.attribute_type => {
                stack.report(format!(
                    "{what}: attribute `{}` is `{}` here but `{}` elsewhere; one attribute has one type",
                    key.name,
                    key.attribute_type.as_str(),
                    existing.attribute_type.as_str()
                ));
            }
            Some(_) => {}
            None => definitions.push(key.clone()),
        }
        schema.push(table::KeySchema {
            attribute_name: Some(Value::lit(&key.name)),
            key_type: Some(Value::lit(key_type)),
        });
    }
    if sort.is_some_and(|s| s.name == partition.name) {
        stack.report(format!(
            "{what}: the sort key `{}` is also the partition key",
            partition.name
        ));
    }
    schema
}
