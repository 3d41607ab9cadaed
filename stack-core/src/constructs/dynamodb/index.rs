//! Global secondary indexes: other keys to query a table by.

use super::Attribute;
use crate::aws::dynamodb::table;
use crate::value::{IntoValue, Value};

/// Which attributes an index copies from the table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Projection {
    /// Every attribute.
    #[default]
    All,
    /// Only the table's and the index's keys.
    KeysOnly,
    /// The keys and the listed attributes: `Projection::include(["title"])`.
    Include(Vec<String>),
}

impl Projection {
    /// The keys plus these attributes.
    pub fn include(attributes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Projection::Include(attributes.into_iter().map(Into::into).collect())
    }

    pub(super) fn to_l1(&self) -> table::Projection {
        let (projection_type, non_key_attributes) = match self {
            Projection::All => ("ALL", None),
            Projection::KeysOnly => ("KEYS_ONLY", None),
            Projection::Include(attributes) => (
                "INCLUDE",
                Some(Value::list(attributes.iter().map(Value::lit))),
            ),
        };
        table::Projection {
            non_key_attributes,
            projection_type: Some(Value::lit(projection_type)),
        }
    }
}

/// A global secondary index: another key to query the table by. `index_name` and
/// `partition_key` are required.
#[derive(Clone, Debug, Default)]
pub struct GlobalSecondaryIndex {
    pub(super) index_name: String,
    pub(super) partition_key: Option<Attribute>,
    pub(super) sort_key: Option<Attribute>,
    pub(super) projection: Projection,
    pub(super) read_capacity: Option<Value<i64>>,
    pub(super) write_capacity: Option<Value<i64>>,
}

impl GlobalSecondaryIndex {
    /// The index's name, used in queries.
    #[must_use]
    pub fn index_name(mut self, name: impl Into<String>) -> Self {
        self.index_name = name.into();
        self
    }

    /// The index's partition key, e.g. `Attribute::string("request_id")`.
    #[must_use]
    pub fn partition_key(mut self, key: Attribute) -> Self {
        self.partition_key = Some(key);
        self
    }

    /// The index's sort key.
    #[must_use]
    pub fn sort_key(mut self, key: Attribute) -> Self {
        self.sort_key = Some(key);
        self
    }

    /// Which attributes the index holds; all when unset.
    #[must_use]
    pub fn projection(mut self, projection: Projection) -> Self {
        self.projection = projection;
        self
    }

    /// Read capacity units of a provisioned table's index; the table's when unset.
    #[must_use]
    pub fn read_capacity(mut self, units: impl IntoValue<i64>) -> Self {
        self.read_capacity = Some(units.into_value());
        self
    }

    /// Write capacity units of a provisioned table's index; the table's when unset.
    #[must_use]
    pub fn write_capacity(mut self, units: impl IntoValue<i64>) -> Self {
        self.write_capacity = Some(units.into_value());
        self
    }
}
