//! IAM policy documents, principals and grants.

mod attach;
mod grant;
mod policy;
mod resource_policy;

pub(crate) use attach::attach_grants;
pub(crate) use resource_policy::{
    add_statement as add_resource_policy_statement, deny_insecure_transport,
};

pub use grant::{Grant, Grantee, Principal};
pub use policy::{Effect, PolicyDocument, PolicyResource, Statement};
