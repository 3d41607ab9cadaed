//! Typed handles to resources declared in a stack.

use std::fmt;
use std::marker::PhantomData;

use crate::resource::Resource;
use crate::value::{Id, IntoValue, Value};

/// A reference to a declared resource of type `R`, by logical ID.
///
/// Generated code adds one method per `Fn::GetAtt` attribute, typed, plus `r#ref()`
/// for what `Ref` returns.
pub struct Handle<R> {
    logical_id: String,
    _resource: PhantomData<fn() -> R>,
}

impl<R> Clone for Handle<R> {
    fn clone(&self) -> Self {
        Self::new(self.logical_id.clone())
    }
}

impl<R> fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Handle").field(&self.logical_id).finish()
    }
}

impl<R> Handle<R> {
    /// A handle to the resource with this logical ID.
    pub fn new(logical_id: impl Into<String>) -> Self {
        Self {
            logical_id: logical_id.into(),
            _resource: PhantomData,
        }
    }

    /// The resource's logical ID.
    pub fn logical_id(&self) -> &str {
        &self.logical_id
    }

    /// `Fn::GetAtt` of one attribute, typed by the caller.
    pub fn get_att<T>(&self, attribute: &str) -> Value<T> {
        Value::get_att(&self.logical_id, attribute)
    }

    /// `Ref` to the resource, typed by the caller.
    pub fn ref_value<T>(&self) -> Value<T> {
        Value::reference(&self.logical_id)
    }
}

/// A handle given where the resource's ID is expected is what `Ref` returns: inside
/// `stack!`, `ApiId: main.ws_api` for a resource of another stack, like `ApiId: ws_api`
/// for one of this stack. Properties are typed `Id<K>` only for resources whose `Ref`
/// returns exactly that ID, so this never stands for an ARN.
#[diagnostic::do_not_recommend]
impl<R: Resource> IntoValue<Id<R::Kind>> for &Handle<R> {
    fn into_value(self) -> Value<Id<R::Kind>> {
        self.ref_value()
    }
}

#[cfg(test)]
mod tests {
    // A handle as a value: `Ref`, also for a resource of another stack.
    use super::*;
    use crate::expr::Expr;

    struct Thing;
    struct ThingKind;

    impl Resource for Thing {
        const TYPE: &'static str = "Test::Thing";
        type Kind = ThingKind;
        fn properties(&self) -> Expr {
            Expr::Map(Vec::new())
        }
    }

    #[test]
    fn a_handle_as_an_id_is_its_ref() {
        let handle: Handle<Thing> = Handle::new("Producer/Thing");
        let value: Value<Id<ThingKind>> = (&handle).into_value();
        assert_eq!(value.expr(), &Expr::Ref("Producer/Thing".into()));
    }
}
