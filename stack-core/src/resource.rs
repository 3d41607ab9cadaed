//! The contract between generated resource types and the template.

use crate::expr::Expr;

/// A CloudFormation resource type with typed properties.
///
/// Implemented by every generated type in [`crate::aws`] (one cargo feature per service).
pub trait Resource {
    /// The CloudFormation type name, e.g. `AWS::SQS::Queue`.
    const TYPE: &'static str;
    /// The marker type used by typed references (`Arn<Kind>`, `Id<Kind>`).
    type Kind;
    /// The `Properties` object.
    fn properties(&self) -> Expr;
}

/// What happens to a resource's physical object when CloudFormation deletes or replaces it.
///
/// Rendered as both `DeletionPolicy` and `UpdateReplacePolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovalPolicy {
    /// Delete the physical resource (CloudFormation's default for most types).
    Destroy,
    /// Keep the physical resource, orphaned from the stack.
    Retain,
    /// Take a snapshot, then delete (databases and volumes only).
    Snapshot,
    /// Retain, except when the stack's creation itself fails.
    RetainExceptOnCreate,
}

impl RemovalPolicy {
    /// The template spelling.
    pub fn as_cfn(self) -> &'static str {
        match self {
            RemovalPolicy::Destroy => "Delete",
            RemovalPolicy::Retain => "Retain",
            RemovalPolicy::Snapshot => "Snapshot",
            RemovalPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
        }
    }
}
