//! [`Condition`]: what a [`Choice`](super::Choice) rule tests of the state's input.

use crate::expr::Expr;

/// A test of a `Choice` state's input, by JSONPath (`$.status`):
/// `Condition::string_equals("$.status", "ok")`, `Condition::number_greater_than("$.total", 100)`,
/// `Condition::is_present("$.coupon")`, combined with [`and`](Self::and),
/// [`or`](Self::or) and [`not`](Self::not).
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    test: Test,
}

#[derive(Clone, Debug, PartialEq)]
enum Test {
    /// A comparison of the value at `variable`: `{"Variable": .., "<operator>": value}`.
    Compare {
        variable: String,
        operator: &'static str,
        value: Expr,
    },
    /// `And` or `Or` of several conditions.
    All(&'static str, Vec<Condition>),
    /// `Not`.
    Not(Box<Condition>),
}

/// A number a numeric condition compares with: an integer or a float.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a number",
    label = "a numeric condition compares with an integer or a float",
    note = "to compare with a string, use `Condition::string_equals` (or `string_less_than`, `string_greater_than`)"
)]
pub trait Numeric {
    /// The number as an expression.
    fn to_number(self) -> Expr;
}

macro_rules! integers {
    ($($ty:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl Numeric for $ty {
            fn to_number(self) -> Expr {
                Expr::Int(i64::from(self))
            }
        }
    )*};
}
integers!(i8, i16, i32, i64, u8, u16, u32);

#[diagnostic::do_not_recommend]
impl Numeric for f64 {
    fn to_number(self) -> Expr {
        Expr::Num(self)
    }
}

impl Condition {
    fn compare(variable: impl Into<String>, operator: &'static str, value: Expr) -> Self {
        Self {
            test: Test::Compare {
                variable: variable.into(),
                operator,
                value,
            },
        }
    }

    /// The string at `variable` equals `value`.
    pub fn string_equals(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::compare(variable, "StringEquals", Expr::Str(value.into()))
    }

    /// The string at `variable` sorts before `value`.
    pub fn string_less_than(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::compare(variable, "StringLessThan", Expr::Str(value.into()))
    }

    /// The string at `variable` sorts after `value`.
    pub fn string_greater_than(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::compare(variable, "StringGreaterThan", Expr::Str(value.into()))
    }

    /// The string at `variable` matches `pattern`, where `*` stands for any characters.
    pub fn string_matches(variable: impl Into<String>, pattern: impl Into<String>) -> Self {
        Self::compare(variable, "StringMatches", Expr::Str(pattern.into()))
    }

    /// The number at `variable` equals `value`.
    pub fn number_equals(variable: impl Into<String>, value: impl Numeric) -> Self {
        Self::compare(variable, "NumericEquals", value.to_number())
    }

    /// The number at `variable` is less than `value`.
    pub fn number_less_than(variable: impl Into<String>, value: impl Numeric) -> Self {
        Self::compare(variable, "NumericLessThan", value.to_number())
    }

    /// The number at `variable` is at most `value`.
    pub fn number_less_than_equals(variable: impl Into<String>, value: impl Numeric) -> Self {
        Self::compare(variable, "NumericLessThanEquals", value.to_number())
    }

    /// The number at `variable` is greater than `value`.
    pub fn number_greater_than(variable: impl Into<String>, value: impl Numeric) -> Self {
        Self::compare(variable, "NumericGreaterThan", value.to_number())
    }

    /// The number at `variable` is at least `value`.
    pub fn number_greater_than_equals(variable: impl Into<String>, value: impl Numeric) -> Self {
        Self::compare(variable, "NumericGreaterThanEquals", value.to_number())
    }

    /// The boolean at `variable` is `value`.
    pub fn boolean_equals(variable: impl Into<String>, value: bool) -> Self {
        Self::compare(variable, "BooleanEquals", Expr::Bool(value))
    }

    /// The input has a field at `variable`.
    pub fn is_present(variable: impl Into<String>) -> Self {
        Self::compare(variable, "IsPresent", Expr::Bool(true))
    }

    /// The input has no field at `variable`.
    pub fn is_not_present(variable: impl Into<String>) -> Self {
        Self::compare(variable, "IsPresent", Expr::Bool(false))
    }

    /// The value at `variable` is `null`.
    pub fn is_null(variable: impl Into<String>) -> Self {
        Self::compare(variable, "IsNull", Expr::Bool(true))
    }

    /// The value at `variable` is not `null`.
    pub fn is_not_null(variable: impl Into<String>) -> Self {
        Self::compare(variable, "IsNull", Expr::Bool(false))
    }

    /// Every one of `conditions` holds.
    pub fn and(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Self {
            test: Test::All("And", conditions.into_iter().collect()),
        }
    }

    /// At least one of `conditions` holds.
    pub fn or(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Self {
            test: Test::All("Or", conditions.into_iter().collect()),
        }
    }

    /// `condition` does not hold.
    #[allow(
        clippy::should_implement_trait,
        reason = "Condition::not reads as the Choice rule it builds"
    )]
    pub fn not(condition: Condition) -> Self {
        Self {
            test: Test::Not(Box::new(condition)),
        }
    }

    /// The condition's fields in a Choice rule, in Amazon States Language.
    pub(super) fn fields(&self) -> Vec<(String, Expr)> {
        match &self.test {
            Test::Compare {
                variable,
                operator,
                value,
            } => vec![
                ("Variable".to_owned(), Expr::Str(variable.clone())),
                ((*operator).to_owned(), value.clone()),
            ],
            Test::All(operator, conditions) => vec![(
                (*operator).to_owned(),
                Expr::List(conditions.iter().map(|c| Expr::Map(c.fields())).collect()),
            )],
            Test::Not(condition) => vec![("Not".to_owned(), Expr::Map(condition.fields()))],
        }
    }

    /// What Step Functions would reject: a variable that is no JSONPath, an `and`/`or` of
    /// nothing.
    pub(super) fn problems(&self) -> Vec<String> {
        match &self.test {
            Test::Compare { variable, .. } if !variable.starts_with('$') => vec![format!(
                "the condition's variable `{variable}` is not a JSONPath; write it from `$`, such as `$.{variable}`"
            )],
            Test::Compare { .. } => Vec::new(),
            Test::All(operator, conditions) if conditions.is_empty() => vec![format!(
                "`Condition::{}` holds no condition; give it at least one",
                operator.to_lowercase()
            )],
            Test::All(_, conditions) => conditions.iter().flat_map(Condition::problems).collect(),
            Test::Not(condition) => condition.problems(),
        }
    }
}
