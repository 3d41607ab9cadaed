//! [`TableProps`]: a table's options, its billing mode and its stream.

use super::{Attribute, GlobalSecondaryIndex};
use crate::resource::RemovalPolicy;
use crate::value::{IntoValue, Value};

/// How a table is billed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BillingMode {
    /// On demand: pay per request, no capacity to plan.
    #[default]
    PayPerRequest,
    /// Provisioned capacity: `read_capacity` and `write_capacity` units (5 when unset).
    Provisioned,
}

/// What a table's stream records about each change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamViewType {
    /// Only the keys of the changed item.
    KeysOnly,
    /// The item after the change.
    NewImage,
    /// The item before the change.
    OldImage,
    /// The item before and after the change.
    NewAndOldImages,
}

impl StreamViewType {
    /// The identifier DynamoDB uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            StreamViewType::KeysOnly => "KEYS_ONLY",
            StreamViewType::NewImage => "NEW_IMAGE",
            StreamViewType::OldImage => "OLD_IMAGE",
            StreamViewType::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }
}

/// Options of a [`Table`](super::Table). `partition_key` is required.
#[derive(Clone, Debug)]
pub struct TableProps {
    pub(super) table_name: Option<Value<String>>,
    pub(super) partition_key: Option<Attribute>,
    pub(super) sort_key: Option<Attribute>,
    pub(super) global_secondary_indexes: Vec<GlobalSecondaryIndex>,
    pub(super) billing_mode: BillingMode,
    pub(super) read_capacity: Option<Value<i64>>,
    pub(super) write_capacity: Option<Value<i64>>,
    pub(super) point_in_time_recovery: bool,
    pub(super) removal_policy: Option<RemovalPolicy>,
    pub(super) deletion_protection: bool,
    pub(super) stream: Option<StreamViewType>,
    pub(super) time_to_live_attribute: Option<String>,
}

impl Default for TableProps {
    fn default() -> Self {
        Self {
            table_name: None,
            partition_key: None,
            sort_key: None,
            global_secondary_indexes: Vec::new(),
            billing_mode: BillingMode::PayPerRequest,
            read_capacity: None,
            write_capacity: None,
            point_in_time_recovery: true,
            removal_policy: None,
            deletion_protection: false,
            stream: None,
            time_to_live_attribute: None,
        }
    }
}

impl TableProps {
    /// The table's name; CloudFormation generates one when unset. Setting it means a change
    /// that replaces the table fails until it is renamed.
    #[must_use]
    pub fn table_name(mut self, name: impl IntoValue<String>) -> Self {
        self.table_name = Some(name.into_value());
        self
    }

    /// The partition (hash) key, e.g. `Attribute::string("user_id")`.
    #[must_use]
    pub fn partition_key(mut self, key: Attribute) -> Self {
        self.partition_key = Some(key);
        self
    }

    /// The sort (range) key.
    #[must_use]
    pub fn sort_key(mut self, key: Attribute) -> Self {
        self.sort_key = Some(key);
        self
    }

    /// Global secondary indexes:
    /// `[GlobalSecondaryIndex { index_name: "by-request", partition_key: Attribute::string("request_id") }]`.
    #[must_use]
    pub fn global_secondary_indexes(
        mut self,
        indexes: impl IntoIterator<Item = GlobalSecondaryIndex>,
    ) -> Self {
        self.global_secondary_indexes = indexes.into_iter().collect();
        self
    }

    /// On demand (the default) or provisioned.
    #[must_use]
    pub fn billing_mode(mut self, mode: BillingMode) -> Self {
        self.billing_mode = mode;
        self
    }

    /// Read capacity units of a provisioned table; 5 when unset.
    #[must_use]
    pub fn read_capacity(mut self, units: impl IntoValue<i64>) -> Self {
        self.read_capacity = Some(units.into_value());
        self
    }

    /// Write capacity units of a provisioned table; 5 when unset.
    #[must_use]
    pub fn write_capacity(mut self, units: impl IntoValue<i64>) -> Self {
        self.write_capacity = Some(units.into_value());
        self
    }

    /// Whether DynamoDB keeps continuous backups to restore any second of the last 35
    /// days; on when unset.
    #[must_use]
    pub fn point_in_time_recovery(mut self, enabled: bool) -> Self {
        self.point_in_time_recovery = enabled;
        self
    }

    /// What happens to the table when the stack deletes or replaces it; `Retain` when
    /// unset, so data outlives the stack unless you opt out.
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = Some(policy);
        self
    }

    /// Whether DynamoDB refuses to delete the table, whoever asks.
    #[must_use]
    pub fn deletion_protection(mut self, enabled: bool) -> Self {
        self.deletion_protection = enabled;
        self
    }

    /// Turns the table's change stream on; `stream_arn` is available only then.
    #[must_use]
    pub fn stream(mut self, view: StreamViewType) -> Self {
        self.stream = Some(view);
        self
    }

    /// The attribute holding each item's expiry time (epoch seconds).
    #[must_use]
    pub fn time_to_live_attribute(mut self, name: impl Into<String>) -> Self {
        self.time_to_live_attribute = Some(name.into());
        self
    }
}
