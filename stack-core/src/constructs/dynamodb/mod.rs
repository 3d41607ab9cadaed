//! DynamoDB: [`Table`], on-demand, with point-in-time recovery, retained on deletion, and
//! least-privilege data grants.

mod attribute;
mod index;
mod props;
mod table;

pub use attribute::{Attribute, AttributeType};
pub use index::{GlobalSecondaryIndex, Projection};
pub use props::{BillingMode, StreamViewType, TableProps};
pub use table::Table;
