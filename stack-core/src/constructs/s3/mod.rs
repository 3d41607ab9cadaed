//! S3 buckets: [`Bucket`], private and encrypted by default, with least-privilege grants
//! and optional emptying on deletion; [`BucketNotification`]s of their events to a topic,
//! a queue or a function.

mod auto_delete;
mod bucket;
mod cors;
mod handler;
mod notifications;

pub use bucket::{Bucket, BucketProps};
pub use cors::CorsRule;
pub use notifications::{
    BucketNotification, BucketNotificationProps, EventType, NotificationDestination,
    NotificationTarget,
};

#[cfg(test)]
mod tests;
