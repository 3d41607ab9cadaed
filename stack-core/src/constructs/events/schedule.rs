//! [`Schedule`]: when a rule runs on its own, as EventBridge's `cron(...)` or `rate(...)`.

use super::super::Duration;
use crate::value::{IntoValue, Value};

/// When a [`Rule`](super::Rule) runs: a schedule expression, written in a block as the
/// literal itself (`schedule: "cron(0 2 * * ? *)"`, `schedule: "rate(5 minutes)"`), which
/// is checked at compile time, or built with [`Schedule::rate`]. EventBridge's cron has six
/// fields, minutes hours day-of-month month day-of-week year, in UTC, one of the two day
/// fields `?`.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    expression: Value<String>,
}

impl Schedule {
    /// A schedule expression as EventBridge reads it, `cron(...)` or `rate(...)`; a value
    /// known only at deploy time (a parameter) is passed through unchecked.
    pub fn expression(expression: impl IntoValue<String>) -> Self {
        Self {
            expression: expression.into_value(),
        }
    }

    /// Every `period`, in the largest unit that divides it: `Schedule::rate(Duration::hours(2))`
    /// is `rate(2 hours)`. EventBridge's rates are whole minutes at least.
    pub fn rate(period: Duration) -> Self {
        let seconds = period.as_seconds();
        let (n, unit) = [
            (86_400, "day"),
            (3600, "hour"),
            (60, "minute"),
            (1, "second"),
        ]
        .into_iter()
        .find(|(size, _)| seconds > 0 && seconds.is_multiple_of(*size))
        .map_or((0, "minute"), |(size, unit)| (seconds / size, unit));
        let plural = if n == 1 { "" } else { "s" };
        Self::expression(format!("rate({n} {unit}{plural})"))
    }

    /// The expression, as the rule's `ScheduleExpression`.
    pub(super) fn to_value(&self) -> Value<String> {
        self.expression.clone()
    }
}

impl From<&str> for Schedule {
    fn from(expression: &str) -> Self {
        Self::expression(expression)
    }
}

impl From<String> for Schedule {
    fn from(expression: String) -> Self {
        Self::expression(expression)
    }
}

impl From<Value<String>> for Schedule {
    fn from(expression: Value<String>) -> Self {
        Self::expression(expression)
    }
}

impl From<&Value<String>> for Schedule {
    fn from(expression: &Value<String>) -> Self {
        Self::expression(expression)
    }
}
