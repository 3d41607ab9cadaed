//! Typed handles to resources declared in a stack.

use std::fmt;
use std::marker::PhantomData;

use crate::value::Value;

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
