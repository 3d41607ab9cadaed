//! S3 buckets: [`Bucket`], private and encrypted by default, with least-privilege grants
//! and optional emptying on deletion.

mod auto_delete;
mod bucket;
mod cors;

pub use bucket::{Bucket, BucketProps};
pub use cors::CorsRule;

#[cfg(test)]
mod tests;
