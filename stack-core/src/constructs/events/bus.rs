//! [`EventBus`]: a custom event bus that applications put their own events on.

use super::super::{literal_str, Construct};
use crate::aws;
use crate::iam::{Grant, Statement};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Value};
use stack_spec::rules::events as rules;

/// A custom EventBridge event bus, for an application's own events; rules name it with
/// `event_bus`, and producers get `grant producer put_events bus;`. Named
/// `<StackName>-<Id>` unless `event_bus_name` says otherwise (CloudFormation requires a
/// name).
///
/// Resources: the bus `<Id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventBus {
    id: String,
}

/// Options of an [`EventBus`]; all optional.
#[derive(Clone, Debug, Default)]
pub struct EventBusProps {
    event_bus_name: Option<Value<String>>,
    description: Option<Value<String>>,
}

impl EventBusProps {
    /// The bus's name: 1 to 256 letters, digits, `.`, `-` and `_`, not `default`;
    /// `<StackName>-<Id>` when unset.
    #[must_use]
    pub fn event_bus_name(mut self, name: impl IntoValue<String>) -> Self {
        self.event_bus_name = Some(name.into_value());
        self
    }

    /// A description shown in the console, at most 512 characters.
    #[must_use]
    pub fn description(mut self, description: impl IntoValue<String>) -> Self {
        self.description = Some(description.into_value());
        self
    }
}

impl EventBus {
    /// The bus's ARN.
    pub fn arn(&self) -> Value<Arn<kind::events::EventBus>> {
        Value::get_att(&self.id, "Arn")
    }

    /// The bus's name (`Ref`), what `PutEvents` calls give as `EventBusName`.
    pub fn name(&self) -> Value<String> {
        Value::reference(&self.id)
    }

    /// `put_events`: put events on this bus (`events:PutEvents`).
    pub fn grant_put_events(&self) -> Grant {
        Grant::new([Statement::allow(["events:PutEvents"], [self.arn()])])
    }
}

impl Construct for EventBus {
    type Props = EventBusProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: EventBusProps, stack: &mut StackBuilder) {
        let id = &self.id;
        if let Some(Err(why)) = props
            .event_bus_name
            .as_ref()
            .and_then(literal_str)
            .map(rules::event_bus_name)
        {
            stack.report(format!("event bus `{id}`: `event_bus_name` {why}"));
        }
        if let Some(Err(why)) = props
            .description
            .as_ref()
            .and_then(literal_str)
            .map(rules::description)
        {
            stack.report(format!("event bus `{id}`: `description` {why}"));
        }
        let name = props
            .event_bus_name
            .unwrap_or_else(|| Value::sub(format!("${{AWS::StackName}}-{id}")));
        let bus = aws::events::EventBus {
            name: Some(name),
            description: props.description,
            ..Default::default()
        };
        stack.add_resource(id, &bus);
    }
}
