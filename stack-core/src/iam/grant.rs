//! Grants: least-privilege statements attached to a principal's role.

use super::policy::Statement;

/// Something that can hold an identity policy: it has an IAM role in this stack.
///
/// Functions implement it through their execution role; a declared `AWS::IAM::Role` implements it directly.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no IAM role and cannot hold a policy",
    label = "grant to a function, a role, or a construct that implements `Principal`"
)]
pub trait Principal {
    /// The logical ID of the role that receives the grant's statements.
    fn role_logical_id(&self) -> &str;
}

/// How `stack!` passes a `grant`'s principal: implemented for every [`Principal`] and for
/// nothing else, so that a principal without a role is reported as such, without the list
/// of every principal rustc would show for `Principal` itself.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no IAM role and cannot hold a policy",
    label = "grant to a function, a role, or a construct that implements `Principal`"
)]
pub trait Grantee {
    /// `self` as the principal that receives the grant.
    fn principal(&self) -> &dyn Principal;
}

#[diagnostic::do_not_recommend]
impl<T: Principal> Grantee for T {
    fn principal(&self) -> &dyn Principal {
        self
    }
}

/// The statements a resource hands out for one permission (`read`, `write`, ...),
/// scoped to that resource's ARNs.
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    /// The statements to attach to the principal's role.
    pub statements: Vec<Statement>,
}

impl Grant {
    /// A grant made of these statements.
    pub fn new(statements: impl IntoIterator<Item = Statement>) -> Self {
        Self {
            statements: statements.into_iter().collect(),
        }
    }

    /// The union of two grants.
    pub fn and(mut self, other: Grant) -> Self {
        self.statements.extend(other.statements);
        self
    }
}

impl<R: crate::resource::Resource<Kind = crate::kind::iam::Role>> Principal
    for crate::handle::Handle<R>
{
    fn role_logical_id(&self) -> &str {
        self.logical_id()
    }
}
