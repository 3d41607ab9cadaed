//! Resource tags.

use crate::expr::Expr;
use crate::value::{IntoValue, ToExpr, Value};

/// One `{Key, Value}` tag.
#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    /// The tag key.
    pub key: Value<String>,
    /// The tag value.
    pub value: Value<String>,
}

impl Tag {
    /// A tag from a key and a value.
    pub fn new(key: impl IntoValue<String>, value: impl IntoValue<String>) -> Self {
        Self {
            key: key.into_value(),
            value: value.into_value(),
        }
    }
}

impl ToExpr for Tag {
    fn to_expr(&self) -> Expr {
        Expr::Map(vec![
            ("Key".to_owned(), self.key.to_expr()),
            ("Value".to_owned(), self.value.to_expr()),
        ])
    }
}
