//! Amazon EventBridge: schedule expressions (`cron(...)`, `rate(...)`), rule and event bus
//! names and descriptions.

/// The longest rule description EventBridge keeps: 512 characters.
const MAX_DESCRIPTION: usize = 512;

/// A schedule expression: EventBridge's six-field `cron(...)` or `rate(N unit)`.
pub fn schedule_expression(expression: &str) -> Result<(), String> {
    let inner = |prefix: &str| {
        expression
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(')'))
    };
    let problem = if let Some(fields) = inner("cron(") {
        cron(fields)
    } else if let Some(rate_body) = inner("rate(") {
        rate(rate_body)
    } else {
        return Err(format!(
            "`{expression}` is neither `cron(...)` nor `rate(...)`; write `rate(5 minutes)` or `cron(0 2 * * ? *)`"
        ));
    };
    problem.map_err(|why| format!("`{expression}`: {why}"))
}

/// The body of `rate(...)`: a positive whole number and a unit that agrees with it.
fn rate(body: &str) -> Result<(), String> {
    let parts: Vec<&str> = body.split_whitespace().collect();
    let [value, unit] = parts.as_slice() else {
        return Err("a rate is a number and a unit, such as `rate(5 minutes)`".to_owned());
    };
    let n: u64 = match value.parse() {
        Ok(n) if n > 0 => n,
        _ => {
            return Err(format!(
                "the value `{value}` must be a whole number of at least 1"
            ))
        }
    };
    let Some(singular) = ["minute", "hour", "day"]
        .into_iter()
        .find(|s| unit.strip_suffix('s').unwrap_or(unit) == *s)
    else {
        return Err(format!(
            "the unit `{unit}` must be minute(s), hour(s) or day(s)"
        ));
    };
    let expected = if n == 1 {
        singular.to_owned()
    } else {
        format!("{singular}s")
    };
    if *unit == expected {
        Ok(())
    } else if n == 1 {
        Err(format!(
            "1 takes the singular unit; write `rate(1 {expected})`"
        ))
    } else {
        Err(format!(
            "{n} takes the plural unit; write `rate({n} {expected})`"
        ))
    }
}

/// One field of a cron expression: its name, values and the wildcards it accepts.
struct CronField {
    name: &'static str,
    min: u32,
    max: u32,
    /// Names of the values from `min` on (`JAN` is 1), if the field has names.
    names: &'static [&'static str],
    /// The values, as an error message says them.
    range: &'static str,
    /// Everything the field accepts, as an error message says it.
    accepts: &'static str,
    /// Whether it takes `/` steps.
    steps: bool,
    /// Whether it takes `?`, and which day-of-month or day-of-week specials.
    day: Option<Day>,
}

/// The specials of the two day fields.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Day {
    /// `L`, `LW`, `<day>W`.
    OfMonth,
    /// `L`, `<day>L`, `<day>#<n>`.
    OfWeek,
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEK_DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const CRON_FIELDS: [CronField; 6] = [
    CronField {
        name: "minutes",
        min: 0,
        max: 59,
        names: &[],
        range: "0-59",
        accepts: "0-59, or a list, range or step of them (`, - * /`)",
        steps: true,
        day: None,
    },
    CronField {
        name: "hours",
        min: 0,
        max: 23,
        names: &[],
        range: "0-23",
        accepts: "0-23, or a list, range or step of them (`, - * /`)",
        steps: true,
        day: None,
    },
    CronField {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
        range: "1-31",
        accepts: "1-31, `?`, `L`, `LW` or a day with `W` (`15W`), or a list, range or step of days (`, - * /`)",
        steps: true,
        day: Some(Day::OfMonth),
    },
    CronField {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
        range: "1-12 or JAN-DEC",
        accepts: "1-12 or JAN-DEC, or a list, range or step of them (`, - * /`)",
        steps: true,
        day: None,
    },
    CronField {
        name: "day-of-week",
        min: 1,
        max: 7,
        names: WEEK_DAYS,
        range: "1-7 or SUN-SAT",
        accepts: "1-7 or SUN-SAT, `?`, `L`, a day with `L` (`FRIL`) or `#` (`MON#1`), or a list or range of days (`, - *`)",
        steps: false,
        day: Some(Day::OfWeek),
    },
    CronField {
        name: "year",
        min: 1970,
        max: 2199,
        names: &[],
        range: "1970-2199",
        accepts: "1970-2199, or a list, range or step of them (`, - * /`)",
        steps: true,
        day: None,
    },
];

/// What is wrong with one field.
enum Problem {
    /// Not a form the field accepts.
    Syntax,
    /// A value outside the field's range.
    Range(String),
    /// A step that is not a whole number of at least 1.
    Step(String),
    /// A `#` occurrence outside 1-5.
    Occurrence(String),
}

/// The body of `cron(...)`: six fields, exactly one of the day fields `?`.
fn cron(body: &str) -> Result<(), String> {
    let fields: Vec<&str> = body.split_whitespace().collect();
    if fields.len() != CRON_FIELDS.len() {
        return Err(format!(
            "EventBridge's cron has 6 fields (minutes hours day-of-month month day-of-week year), not {}",
            fields.len()
        ));
    }
    for (spec, text) in CRON_FIELDS.iter().zip(&fields) {
        cron_field(spec, text).map_err(|problem| describe(spec, text, problem))?;
    }
    let (day_of_month, day_of_week) = (fields[2], fields[4]);
    if (day_of_month == "?") == (day_of_week == "?") {
        return Err(format!(
            "the day-of-month `{day_of_month}` and day-of-week `{day_of_week}` fields: exactly one must be `?` (`cron(0 2 * * ? *)` runs every day)"
        ));
    }
    Ok(())
}

fn describe(spec: &CronField, text: &str, problem: Problem) -> String {
    let name = spec.name;
    match problem {
        Problem::Syntax => format!("the {name} field `{text}` must be {}", spec.accepts),
        Problem::Range(value) if value == text => {
            format!("the {name} field `{text}` must be {}", spec.range)
        }
        Problem::Range(value) => format!(
            "the {name} field `{text}` holds `{value}`, which must be {}",
            spec.range
        ),
        Problem::Step(step) => format!(
            "the {name} field `{text}` steps by `{step}`; a step must be a whole number of at least 1"
        ),
        Problem::Occurrence(n) => format!(
            "the {name} field `{text}` asks for occurrence `{n}` after `#`, which must be 1-5"
        ),
    }
}

fn cron_field(spec: &CronField, text: &str) -> Result<(), Problem> {
    if text == "?" {
        return if spec.day.is_some() {
            Ok(())
        } else {
            Err(Problem::Syntax)
        };
    }
    for item in text.split(',') {
        cron_item(spec, item)?;
    }
    Ok(())
}

/// One item of a field's `,` list.
fn cron_item(spec: &CronField, item: &str) -> Result<(), Problem> {
    if let Some(day) = spec.day {
        if let Some(result) = day_special(spec, day, item) {
            return result;
        }
    }
    let (base, step) = match item.split_once('/') {
        Some((base, step)) if spec.steps => (base, Some(step)),
        Some(_) => return Err(Problem::Syntax),
        None => (item, None),
    };
    if let Some(step) = step {
        if !matches!(step.parse::<u32>(), Ok(n) if n >= 1) {
            return Err(
                if step.bytes().all(|b| b.is_ascii_digit()) && !step.is_empty() {
                    Problem::Step(step.to_owned())
                } else {
                    Problem::Syntax
                },
            );
        }
    }
    if base == "*" {
        return Ok(());
    }
    match base.split_once('-') {
        Some((from, to)) => {
            value(spec, from)?;
            value(spec, to)?;
        }
        None => {
            value(spec, base)?;
        }
    }
    Ok(())
}

/// The day fields' own forms (`L`, `LW`, `15W`; `L`, `6L`, `MON#1`), when `item` is one.
fn day_special(spec: &CronField, day: Day, item: &str) -> Option<Result<(), Problem>> {
    if item == "L" || (day == Day::OfMonth && item == "LW") {
        return Some(Ok(()));
    }
    match day {
        Day::OfMonth => item.strip_suffix('W').map(|d| value(spec, d).map(|_| ())),
        Day::OfWeek => {
            if let Some((d, n)) = item.split_once('#') {
                return Some(value(spec, d).and_then(|_| match n.parse::<u32>() {
                    Ok(1..=5) => Ok(()),
                    Ok(_) => Err(Problem::Occurrence(n.to_owned())),
                    Err(_) => Err(Problem::Syntax),
                }));
            }
            // `SAT` ends in no `L`; `6L` and `FRIL` do.
            item.strip_suffix('L')
                .filter(|d| !d.is_empty())
                .map(|d| value(spec, d).map(|_| ()))
        }
    }
}

/// A single value: a number in range, or one of the field's names.
fn value(spec: &CronField, text: &str) -> Result<u32, Problem> {
    if let Some(i) = spec.names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return Ok(spec.min + u32::try_from(i).unwrap_or(0));
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::Syntax);
    }
    match text.parse::<u32>() {
        Ok(n) if (spec.min..=spec.max).contains(&n) => Ok(n),
        _ => Err(Problem::Range(text.to_owned())),
    }
}

/// A rule name: 1 to 64 letters, digits, `.`, `-` and `_`.
pub fn rule_name(name: &str) -> Result<(), String> {
    resource_name(name, 64)
}

/// A custom event bus's name: 1 to 256 letters, digits, `.`, `-` and `_`, not `default`
/// (the account's own bus) nor with the `/` of partner event buses.
pub fn event_bus_name(name: &str) -> Result<(), String> {
    if name == "default" {
        return Err(
            "`default` is the account's default event bus; a rule without `event_bus` uses it"
                .to_owned(),
        );
    }
    resource_name(name, 256)
}

fn resource_name(name: &str, max: usize) -> Result<(), String> {
    if name.is_empty() || name.len() > max {
        return Err(format!("`{name}` must be 1 to {max} characters long"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    {
        return Err(format!(
            "`{name}` may hold only letters, digits, `.`, `-` and `_`"
        ));
    }
    Ok(())
}

/// A rule's description: at most 512 characters.
pub fn description(text: &str) -> Result<(), String> {
    let len = text.chars().count();
    if len > MAX_DESCRIPTION {
        Err(format!(
            "is {len} characters long; EventBridge accepts at most {MAX_DESCRIPTION}"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    // The schedule expressions EventBridge accepts, and the error each mistake gets.
    use super::*;

    fn why(expression: &str) -> String {
        schedule_expression(expression).expect_err("rejected")
    }

    #[test]
    fn valid_cron_expressions() {
        for ok in [
            "cron(0 2 * * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(*/5 8-17 ? * MON-FRI *)",
            "cron(0 18 ? * mon-fri *)",
            "cron(0 12 L * ? 2030)",
            "cron(0 9 15W * ? *)",
            "cron(0 9 LW * ? *)",
            "cron(0 10 ? * 6L 2024-2026)",
            "cron(0 10 ? * MON#1 *)",
            "cron(0 10 ? * L *)",
            "cron(15,45 1,13 1 JAN,JUL ? *)",
            "cron(0 0 1 1/3 ? 1970/10)",
        ] {
            assert_eq!(schedule_expression(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn each_bad_field_is_named_with_what_it_accepts() {
        assert_eq!(
            why("cron(0 25 * * ? *)"),
            "`cron(0 25 * * ? *)`: the hours field `25` must be 0-23"
        );
        assert_eq!(
            why("cron(60 2 * * ? *)"),
            "`cron(60 2 * * ? *)`: the minutes field `60` must be 0-59"
        );
        assert_eq!(
            why("cron(0 2 0 * ? *)"),
            "`cron(0 2 0 * ? *)`: the day-of-month field `0` must be 1-31"
        );
        assert_eq!(
            why("cron(0 2 * 1-13 ? *)"),
            "`cron(0 2 * 1-13 ? *)`: the month field `1-13` holds `13`, which must be 1-12 or JAN-DEC"
        );
        assert!(why("cron(0 2 * JUNE ? *)")
            .contains("the month field `JUNE` must be 1-12 or JAN-DEC, or a list"));
        assert!(
            why("cron(0 2 ? * 8 *)").contains("the day-of-week field `8` must be 1-7 or SUN-SAT")
        );
        assert!(why("cron(0 2 ? * */2 *)")
            .contains("the day-of-week field `*/2` must be 1-7 or SUN-SAT, `?`"));
        assert!(
            why("cron(0 2 ? * MON#6 *)").contains("occurrence `6` after `#`, which must be 1-5")
        );
        assert!(why("cron(0 2 * * ? 1969)").contains("the year field `1969` must be 1970-2199"));
        assert!(why("cron(*/0 2 * * ? *)").contains("the minutes field `*/0` steps by `0`"));
        assert!(why("cron(0 ? * * ? *)").contains("the hours field `?` must be 0-23, or a list"));
        assert!(why("cron(0 2L * * ? *)").contains("the hours field `2L`"));
        assert!(why("cron(0 2 5X * ? *)")
            .contains("the day-of-month field `5X` must be 1-31, `?`, `L`"));
    }

    #[test]
    fn exactly_one_day_field_is_a_question_mark() {
        assert_eq!(
            why("cron(0 2 * * * *)"),
            "`cron(0 2 * * * *)`: the day-of-month `*` and day-of-week `*` fields: exactly one must be `?` (`cron(0 2 * * ? *)` runs every day)"
        );
        assert!(why("cron(0 2 ? * ? *)").contains("exactly one must be `?`"));
    }

    #[test]
    fn a_cron_has_six_fields() {
        assert_eq!(
            why("cron(0 2 * * ?)"),
            "`cron(0 2 * * ?)`: EventBridge's cron has 6 fields (minutes hours day-of-month month day-of-week year), not 5"
        );
    }

    #[test]
    fn rates_agree_with_their_unit() {
        for ok in [
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(1 hour)",
            "rate(12 hours)",
            "rate(1 day)",
            "rate(7 days)",
        ] {
            assert_eq!(schedule_expression(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            why("rate(5 minute)"),
            "`rate(5 minute)`: 5 takes the plural unit; write `rate(5 minutes)`"
        );
        assert_eq!(
            why("rate(1 hours)"),
            "`rate(1 hours)`: 1 takes the singular unit; write `rate(1 hour)`"
        );
        assert_eq!(
            why("rate(30 seconds)"),
            "`rate(30 seconds)`: the unit `seconds` must be minute(s), hour(s) or day(s)"
        );
        assert!(
            why("rate(0 minutes)").contains("the value `0` must be a whole number of at least 1")
        );
        assert!(why("rate(minutes)").contains("a rate is a number and a unit"));
    }

    #[test]
    fn other_expressions_name_both_forms() {
        assert_eq!(
            why("every 5 minutes"),
            "`every 5 minutes` is neither `cron(...)` nor `rate(...)`; write `rate(5 minutes)` or `cron(0 2 * * ? *)`"
        );
        assert!(schedule_expression("cron(0 2 * * ? *").is_err());
    }

    #[test]
    fn names_and_descriptions() {
        assert!(rule_name("nightly-cleanup.v2").is_ok());
        assert!(rule_name(&"a".repeat(65)).is_err());
        assert!(rule_name("nightly cleanup").is_err());
        assert!(event_bus_name("orders").is_ok());
        assert!(event_bus_name("default").is_err());
        assert!(event_bus_name("aws.partner/x").is_err());
        assert!(description(&"a".repeat(512)).is_ok());
        assert!(description(&"a".repeat(513)).is_err());
    }
}
