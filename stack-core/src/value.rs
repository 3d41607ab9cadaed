//! Typed values: what a property accepts and what a reference returns.
//!
//! A [`Value<T>`] is either known at synth time or resolved by CloudFormation at deploy
//! time. The type parameter says what it holds, so a bucket ARN (`Value<Arn<kind::s3::Bucket>>`)
//! is not accepted where a role ARN is expected. `Value` deliberately has no `Display`:
//! a deploy-time value cannot be formatted into a plain string. Interpolate it with
//! `sub!` inside `stack!`, or with [`Value::concat`].

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use crate::expr::Expr;

/// A typed CloudFormation value.
pub struct Value<T> {
    expr: Expr,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Value<T> {
    fn clone(&self) -> Self {
        Self::from_expr(self.expr.clone())
    }
}

impl<T> fmt::Debug for Value<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Value").field(&self.expr).finish()
    }
}

impl<T> PartialEq for Value<T> {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

/// The ARN of a resource of kind `K` (a marker from [`crate::kind`]).
pub struct Arn<K>(PhantomData<fn() -> K>);

/// What `Ref` returns for a resource of kind `K`: its name or physical ID.
pub struct Id<K>(PhantomData<fn() -> K>);

/// Free-form JSON (policy documents, untyped properties).
pub enum Json {}

impl<T> Value<T> {
    /// Wraps an untyped expression. The caller vouches for its type.
    pub fn from_expr(expr: Expr) -> Self {
        Self {
            expr,
            _type: PhantomData,
        }
    }

    /// The underlying expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Consumes the value, returning the underlying expression.
    pub fn into_expr(self) -> Expr {
        self.expr
    }

    /// `Fn::GetAtt` on a logical ID.
    pub fn get_att(logical_id: &str, attribute: &str) -> Self {
        Self::from_expr(Expr::GetAtt(logical_id.to_owned(), attribute.to_owned()))
    }

    /// `Ref` to a logical ID or pseudo parameter.
    pub fn reference(logical_id: &str) -> Self {
        Self::from_expr(Expr::Ref(logical_id.to_owned()))
    }

    /// `Fn::Sub` of a template such as `arn:${AWS::Partition}:ecs:${AWS::Region}:*`. The
    /// caller vouches that the result is a `T` (an ARN of the right kind, say).
    pub fn sub(template: impl Into<String>) -> Self {
        Self::from_expr(Expr::Sub(template.into()))
    }
}

impl Value<String> {
    /// A literal string.
    pub fn lit(s: impl Into<String>) -> Self {
        Self::from_expr(Expr::Str(s.into()))
    }

    /// Concatenates parts into one string: a literal when every part is known at synth
    /// time, otherwise `Fn::Sub` (when every deploy-time part is a `Ref` or `Fn::GetAtt`)
    /// or `Fn::Join`.
    pub fn concat(parts: impl IntoIterator<Item = Value<String>>) -> Self {
        let parts: Vec<Expr> = parts.into_iter().map(Value::into_expr).collect();
        if parts.iter().all(|p| matches!(p, Expr::Str(_))) {
            let joined = parts
                .iter()
                .map(|p| match p {
                    Expr::Str(s) => s.as_str(),
                    _ => "",
                })
                .collect::<String>();
            return Self::lit(joined);
        }
        if parts
            .iter()
            .all(|p| matches!(p, Expr::Str(_) | Expr::Ref(_) | Expr::GetAtt(..)))
        {
            let mut template = String::new();
            for part in &parts {
                match part {
                    Expr::Str(s) => template.push_str(&stack_spec::sub::escape(s)),
                    Expr::Ref(id) => template.push_str(&format!("${{{id}}}")),
                    Expr::GetAtt(id, attr) => template.push_str(&format!("${{{id}.{attr}}}")),
                    _ => {}
                }
            }
            return Self::sub(template);
        }
        Self::from_expr(Expr::Join(String::new(), parts))
    }

    /// `Fn::ImportValue` of an export name.
    pub fn import(export_name: impl IntoValue<String>) -> Self {
        Self::from_expr(Expr::ImportValue(Box::new(
            export_name.into_value().into_expr(),
        )))
    }
}

impl<T> Value<Vec<T>> {
    /// A list of values.
    pub fn list(items: impl IntoIterator<Item = Value<T>>) -> Self {
        Self::from_expr(Expr::List(
            items.into_iter().map(Value::into_expr).collect(),
        ))
    }
}

impl Value<Json> {
    /// Literal JSON.
    pub fn json(json: serde_json::Value) -> Self {
        Self::from_expr(Expr::Json(json))
    }
}

/// Converts a Rust value into a typed CloudFormation value.
///
/// Implemented for literals (`&str`, `String`, integers, `f64`, `bool`), for typed
/// references that fit (a `Value<Arn<K>>` fits a plain string), and for lists.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a `{T}` value",
    label = "expected a `{T}` value here",
    note = "references lower to `Ref`/`Fn::GetAtt`: use an attribute such as `bucket.arn` or `func.name`, or a literal"
)]
pub trait IntoValue<T> {
    /// Performs the conversion.
    fn into_value(self) -> Value<T>;
}

#[diagnostic::do_not_recommend]
impl<T> IntoValue<T> for Value<T> {
    fn into_value(self) -> Value<T> {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<T> IntoValue<T> for &Value<T> {
    fn into_value(self) -> Value<T> {
        self.clone()
    }
}

macro_rules! string_like {
    ($($ty:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl IntoValue<String> for $ty {
            fn into_value(self) -> Value<String> {
                Value::lit(self)
            }
        }
        #[diagnostic::do_not_recommend]
        impl<K> IntoValue<Arn<K>> for $ty {
            fn into_value(self) -> Value<Arn<K>> {
                Value::from_expr(Expr::Str(self.into()))
            }
        }
        #[diagnostic::do_not_recommend]
        impl<K> IntoValue<Id<K>> for $ty {
            fn into_value(self) -> Value<Id<K>> {
                Value::from_expr(Expr::Str(self.into()))
            }
        }
    )*};
}
string_like!(&str, String, &String);

#[diagnostic::do_not_recommend]
impl<K> IntoValue<String> for Value<Arn<K>> {
    fn into_value(self) -> Value<String> {
        Value::from_expr(self.expr)
    }
}

#[diagnostic::do_not_recommend]
impl<K> IntoValue<String> for Value<Id<K>> {
    fn into_value(self) -> Value<String> {
        Value::from_expr(self.expr)
    }
}

#[diagnostic::do_not_recommend]
impl<K> IntoValue<String> for &Value<Arn<K>> {
    fn into_value(self) -> Value<String> {
        Value::from_expr(self.expr.clone())
    }
}

#[diagnostic::do_not_recommend]
impl<K> IntoValue<String> for &Value<Id<K>> {
    fn into_value(self) -> Value<String> {
        Value::from_expr(self.expr.clone())
    }
}

macro_rules! int_like {
    ($($ty:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl IntoValue<i64> for $ty {
            fn into_value(self) -> Value<i64> {
                Value::from_expr(Expr::Int(i64::from(self)))
            }
        }
        #[diagnostic::do_not_recommend]
        impl IntoValue<f64> for $ty {
            fn into_value(self) -> Value<f64> {
                Value::from_expr(Expr::Num(f64::from(self)))
            }
        }
    )*};
}
int_like!(i32, u32, u16, u8, i16, i8);

#[diagnostic::do_not_recommend]
impl IntoValue<i64> for i64 {
    fn into_value(self) -> Value<i64> {
        Value::from_expr(Expr::Int(self))
    }
}

#[diagnostic::do_not_recommend]
impl IntoValue<f64> for f64 {
    fn into_value(self) -> Value<f64> {
        Value::from_expr(Expr::Num(self))
    }
}

#[diagnostic::do_not_recommend]
impl IntoValue<bool> for bool {
    fn into_value(self) -> Value<bool> {
        Value::from_expr(Expr::Bool(self))
    }
}

#[diagnostic::do_not_recommend]
impl IntoValue<Json> for serde_json::Value {
    fn into_value(self) -> Value<Json> {
        Value::json(self)
    }
}

#[diagnostic::do_not_recommend]
impl<T, U: IntoValue<T>> IntoValue<Vec<T>> for Vec<U> {
    fn into_value(self) -> Value<Vec<T>> {
        Value::list(self.into_iter().map(IntoValue::into_value))
    }
}

#[diagnostic::do_not_recommend]
impl<T, U: IntoValue<T>, const N: usize> IntoValue<Vec<T>> for [U; N] {
    fn into_value(self) -> Value<Vec<T>> {
        Value::list(self.into_iter().map(IntoValue::into_value))
    }
}

/// Renders a model value (a property value, a nested property type) as an [`Expr`].
pub trait ToExpr {
    /// Renders `self`.
    fn to_expr(&self) -> Expr;
}

impl<T> ToExpr for Value<T> {
    fn to_expr(&self) -> Expr {
        self.expr.clone()
    }
}

impl ToExpr for &str {
    fn to_expr(&self) -> Expr {
        Expr::Str((*self).to_owned())
    }
}

impl ToExpr for String {
    fn to_expr(&self) -> Expr {
        Expr::Str(self.clone())
    }
}

impl ToExpr for i64 {
    fn to_expr(&self) -> Expr {
        Expr::Int(*self)
    }
}

impl ToExpr for i32 {
    fn to_expr(&self) -> Expr {
        Expr::Int(i64::from(*self))
    }
}

impl ToExpr for f64 {
    fn to_expr(&self) -> Expr {
        Expr::Num(*self)
    }
}

impl ToExpr for bool {
    fn to_expr(&self) -> Expr {
        Expr::Bool(*self)
    }
}

impl ToExpr for serde_json::Value {
    fn to_expr(&self) -> Expr {
        Expr::Json(self.clone())
    }
}

impl<T: ToExpr> ToExpr for Vec<T> {
    fn to_expr(&self) -> Expr {
        Expr::List(self.iter().map(ToExpr::to_expr).collect())
    }
}

impl<T: ToExpr> ToExpr for Box<T> {
    fn to_expr(&self) -> Expr {
        (**self).to_expr()
    }
}

impl<T: ToExpr> ToExpr for BTreeMap<String, T> {
    fn to_expr(&self) -> Expr {
        Expr::Map(self.iter().map(|(k, v)| (k.clone(), v.to_expr())).collect())
    }
}

/// Builds the property object of a resource or nested type, skipping unset fields.
#[derive(Default)]
pub struct Props {
    entries: Vec<(String, Expr)>,
}

impl Props {
    /// An empty property object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name` when `value` is set.
    pub fn put<V: ToExpr>(&mut self, name: &str, value: &Option<V>) {
        if let Some(value) = value {
            self.entries.push((name.to_owned(), value.to_expr()));
        }
    }

    /// Adds `name` unconditionally.
    pub fn set(&mut self, name: &str, value: Expr) {
        self.entries.push((name.to_owned(), value));
    }

    /// Finishes the object.
    pub fn into_expr(self) -> Expr {
        Expr::Map(self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_of_literals_is_a_literal() {
        let v = Value::concat([Value::lit("a"), Value::lit("b")]);
        assert_eq!(v.expr(), &Expr::Str("ab".into()));
    }

    #[test]
    fn concat_with_references_is_a_sub() {
        let v = Value::concat([
            Value::lit("${x}:"),
            Value::get_att("Bucket", "Arn"),
            Value::lit("/*"),
        ]);
        assert_eq!(v.expr(), &Expr::Sub("${!x}:${Bucket.Arn}/*".into()));
    }

    #[test]
    fn concat_with_other_intrinsics_is_a_join() {
        let v = Value::concat([Value::lit("a"), Value::import("Exported")]);
        assert!(matches!(v.expr(), Expr::Join(sep, parts) if sep.is_empty() && parts.len() == 2));
    }
}
