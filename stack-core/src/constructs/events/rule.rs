//! [`Rule`]: an EventBridge rule that matches events or runs on a schedule.

use super::super::{literal_str, Construct};
use super::{EventBus, EventPattern, IntoRuleTarget, RuleTarget, Schedule};
use crate::aws;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Value};
use stack_spec::rules::events as rules;

/// How many targets EventBridge lets one rule have.
const MAX_TARGETS: usize = 5;

/// An EventBridge rule: it matches events on the default bus (or on `event_bus`) with an
/// `event_pattern`, or runs on a `schedule`, and delivers to its `targets`, each with the
/// permission it needs for this rule only.
///
/// ```rust,ignore
/// resource nightly: Rule { schedule: "cron(0 2 * * ? *)", targets: [RuleTarget::function(worker)] }
/// resource on_upload: Rule {
///     event_pattern: EventPattern::new().source(["aws.s3"]).detail_type(["Object Created"]),
///     targets: [RuleTarget::queue(jobs), RuleTarget::topic(alerts)],
/// }
/// ```
///
/// Resources: the rule `<Id>`; per function target `<Id><Function>Permission`; a
/// statement in each target queue's or topic's policy; with state machine targets a role
/// `<Id>EventsRole` that starts them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    id: String,
}

/// Options of a [`Rule`]: an `event_pattern`, a `schedule` or both.
#[derive(Clone, Debug, Default)]
pub struct RuleProps {
    schedule: Option<Schedule>,
    event_pattern: Option<EventPattern>,
    targets: Vec<RuleTarget>,
    enabled: Option<bool>,
    description: Option<Value<String>>,
    rule_name: Option<Value<String>>,
    event_bus: Option<EventBus>,
}

impl RuleProps {
    /// When the rule runs on its own: `"cron(0 2 * * ? *)"` (six fields, UTC),
    /// `"rate(5 minutes)"`, or [`Schedule::rate`]. Only on the default event bus.
    #[must_use]
    pub fn schedule(mut self, schedule: impl Into<Schedule>) -> Self {
        self.schedule = Some(schedule.into());
        self
    }

    /// Which events the rule matches.
    #[must_use]
    pub fn event_pattern(mut self, pattern: EventPattern) -> Self {
        self.event_pattern = Some(pattern);
        self
    }

    /// Where the rule delivers, at most 5 targets.
    #[must_use]
    pub fn targets(mut self, targets: impl IntoIterator<Item = impl IntoRuleTarget>) -> Self {
        self.targets = targets
            .into_iter()
            .map(IntoRuleTarget::into_rule_target)
            .collect();
        self
    }

    /// Whether the rule runs; `true` when unset.
    #[must_use]
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }

    /// A description shown in the console, at most 512 characters.
    #[must_use]
    pub fn description(mut self, description: impl IntoValue<String>) -> Self {
        self.description = Some(description.into_value());
        self
    }

    /// The rule's name: 1 to 64 letters, digits, `.`, `-` and `_`; CloudFormation
    /// generates one when unset.
    #[must_use]
    pub fn rule_name(mut self, name: impl IntoValue<String>) -> Self {
        self.rule_name = Some(name.into_value());
        self
    }

    /// The bus whose events the rule matches, an [`EventBus`] of this stack; the account's
    /// default bus when unset.
    #[must_use]
    pub fn event_bus(mut self, bus: &EventBus) -> Self {
        self.event_bus = Some(bus.clone());
        self
    }
}

impl Rule {
    /// The rule's ARN.
    pub fn arn(&self) -> Value<Arn<kind::events::Rule>> {
        Value::get_att(&self.id, "Arn")
    }

    /// The rule's name.
    pub fn name(&self) -> Value<String> {
        Value::get_att(&self.id, "RuleName")
    }

    fn check(&self, props: &RuleProps, stack: &mut StackBuilder) {
        let id = &self.id;
        let mut report = |problem: String| stack.report(format!("rule `{id}`{problem}"));
        let schedule = props.schedule.as_ref().map(Schedule::to_value);
        if let Some(Err(why)) = schedule
            .as_ref()
            .and_then(literal_str)
            .map(rules::schedule_expression)
        {
            report(format!(": `schedule` {why}"));
        }
        if let Some(Err(why)) = props
            .rule_name
            .as_ref()
            .and_then(literal_str)
            .map(rules::rule_name)
        {
            report(format!(": `rule_name` {why}"));
        }
        if let Some(Err(why)) = props
            .description
            .as_ref()
            .and_then(literal_str)
            .map(rules::description)
        {
            report(format!(": `description` {why}"));
        }
        match (&props.schedule, &props.event_pattern) {
            (None, None) => report(
                " has neither `event_pattern` nor `schedule`; give it one, such as `schedule: \"rate(1 hour)\"` or `event_pattern: EventPattern::new().source([\"aws.s3\"])`".to_owned(),
            ),
            (Some(_), _) if props.event_bus.is_some() => report(
                ": `schedule` runs on the default event bus only; drop `event_bus`, or match events with `event_pattern`".to_owned(),
            ),
            _ => {}
        }
        if let Some(pattern) = &props.event_pattern {
            for problem in pattern.problems() {
                report(format!(": `event_pattern` {problem}"));
            }
        }
        if props.targets.len() > MAX_TARGETS {
            report(format!(
                " has {} targets; EventBridge allows at most {MAX_TARGETS} per rule",
                props.targets.len()
            ));
        }
    }
}

impl Construct for Rule {
    type Props = RuleProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: RuleProps, stack: &mut StackBuilder) {
        self.check(&props, stack);
        let arn = self.arn().into_value();
        let targets: Vec<_> = props
            .targets
            .iter()
            .enumerate()
            .map(|(index, target)| target.bind(&self.id, &arn, index, stack))
            .collect();
        let state = if props.enabled.unwrap_or(true) {
            "ENABLED"
        } else {
            "DISABLED"
        };
        let rule = aws::events::Rule {
            name: props.rule_name,
            description: props.description,
            event_bus_name: props.event_bus.as_ref().map(EventBus::name),
            event_pattern: props.event_pattern.as_ref().map(EventPattern::to_value),
            schedule_expression: props.schedule.as_ref().map(Schedule::to_value),
            state: Some(Value::lit(state)),
            targets: (!targets.is_empty()).then_some(targets),
            ..Default::default()
        };
        stack.add_resource(&self.id, &rule);
    }
}
