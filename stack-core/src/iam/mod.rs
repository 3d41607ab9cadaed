//! IAM policy documents, principals and grants.

mod grant;
mod policy;

pub use grant::{Grant, Principal};
pub use policy::{Effect, PolicyDocument, PolicyResource, Statement};
