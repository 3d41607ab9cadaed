//! EventBridge constructs: event buses and rules with their targets.

use super::{opt, ConstructSpec, OptionType};
use crate::rules::{events, Check};

/// `EventBus`, `Rule`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "EventBus",
        cfn_type: "AWS::Events::EventBus",
        options: &[
            opt("event_bus_name", "Value<String>").checked(Check::Str(events::event_bus_name)),
            opt("description", "Value<String>").checked(Check::Str(events::description)),
        ],
        attrs: &["arn", "name"],
        grants: &["put_events"],
        principal: false,
        resources: 1,
        children: &[],
    },
    ConstructSpec {
        name: "Rule",
        cfn_type: "AWS::Events::Rule",
        options: &[
            opt("schedule", "Schedule").checked(Check::Str(events::schedule_expression)),
            opt("event_pattern", "EventPattern"),
            opt("targets", "Vec<RuleTarget>"),
            opt("enabled", "bool"),
            opt("description", "Value<String>").checked(Check::Str(events::description)),
            opt("rule_name", "Value<String>").checked(Check::Str(events::rule_name)),
            opt("event_bus", "&EventBus"),
        ],
        attrs: &["arn", "name"],
        grants: &[],
        principal: false,
        resources: 1,
        children: &[],
    },
];

/// The option types whose struct literals the macro checks field by field: none.
pub(super) static OPTION_TYPES: &[OptionType] = &[];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::Events::EventBus",
    "AWS::Events::Rule",
    "AWS::IAM::Role",
    "AWS::Lambda::Permission",
];
