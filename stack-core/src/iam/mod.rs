//! IAM policy documents, principals and grants.

mod attach;
mod grant;
mod policy;

pub(crate) use attach::attach_grants;

pub use grant::{Grant, Principal};
pub use policy::{Effect, PolicyDocument, PolicyResource, Statement};
