//! [`RuleTarget`]: where a rule delivers its events, and the permission each kind of
//! target needs for EventBridge to deliver there.

use super::super::{lit, obj, FunctionRef, Principals, Queue, RoleRef, StateMachine, Topic};
use crate::aws;
use crate::iam::Statement;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Value};

/// The service principal EventBridge delivers as.
const EVENTS: &str = "events.amazonaws.com";

/// Where a [`Rule`](super::Rule) delivers the events it matches: `RuleTarget::function(worker)`,
/// `RuleTarget::queue(jobs)`, `RuleTarget::topic(alerts)`, `RuleTarget::state_machine(flow)`.
/// Each target lets EventBridge deliver for this rule only: a function gets an invoke
/// permission, a queue or a topic a statement in its resource policy, both scoped to the
/// rule's ARN, and a state machine is started by the rule's role `<Rule>EventsRole`.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleTarget {
    destination: Destination,
    input: Option<serde_json::Value>,
    message_group_id: Option<Value<String>>,
}

/// What a rule's `targets` list holds: a [`RuleTarget`]. Anything else is an error that
/// says how to make one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a rule target",
    label = "a rule's `targets` hold `RuleTarget`s",
    note = "wrap it: `RuleTarget::function(worker)`, `RuleTarget::queue(jobs)`, `RuleTarget::topic(alerts)` or `RuleTarget::state_machine(flow)`"
)]
pub trait IntoRuleTarget {
    /// The target.
    fn into_rule_target(self) -> RuleTarget;
}

#[diagnostic::do_not_recommend]
impl IntoRuleTarget for RuleTarget {
    fn into_rule_target(self) -> RuleTarget {
        self
    }
}

/// What a target delivers to. Another kind of target is a variant here and its arm in
/// [`RuleTarget::bind`], which adds whatever lets EventBridge reach it (a resource-policy
/// statement, a permission, or a role the target entry names in `RoleArn`).
#[derive(Clone, Debug, PartialEq)]
enum Destination {
    /// A Lambda function: its logical ID and ARN.
    Function {
        id: String,
        arn: Value<Arn<kind::lambda::Function>>,
    },
    /// An SQS queue of the stack.
    Queue(Queue),
    /// An SNS topic of the stack.
    Topic(Topic),
    /// A Step Functions state machine of the stack, started by the rule's role.
    StateMachine(StateMachine),
}

impl RuleTarget {
    /// Invoke a `Function` or `DockerImageFunction` of this stack with each event.
    pub fn function(function: &(impl FunctionRef + ?Sized)) -> Self {
        Self::to(Destination::Function {
            id: function.function_logical_id().to_owned(),
            arn: function.function_arn(),
        })
    }

    /// Send each event to a [`Queue`] of this stack. A FIFO queue also needs
    /// [`message_group_id`](Self::message_group_id).
    pub fn queue(queue: &Queue) -> Self {
        Self::to(Destination::Queue(queue.clone()))
    }

    /// Publish each event to a [`Topic`] of this stack.
    pub fn topic(topic: &Topic) -> Self {
        Self::to(Destination::Topic(topic.clone()))
    }

    /// Start an execution of a [`StateMachine`] of this stack with each event as its
    /// input. The rule gets a role `<Rule>EventsRole`, which EventBridge assumes, allowed
    /// `states:StartExecution` on the state machines this rule targets.
    pub fn state_machine(machine: &StateMachine) -> Self {
        Self::to(Destination::StateMachine(machine.clone()))
    }

    fn to(destination: Destination) -> Self {
        Self {
            destination,
            input: None,
            message_group_id: None,
        }
    }

    /// Deliver this JSON instead of the event: `.input(serde_json::json!({"task": "cleanup"}))`.
    #[must_use]
    pub fn input(mut self, input: serde_json::Value) -> Self {
        self.input = Some(input);
        self
    }

    /// For a FIFO queue: the message group the events are sent in.
    #[must_use]
    pub fn message_group_id(mut self, group: impl IntoValue<String>) -> Self {
        self.message_group_id = Some(group.into_value());
        self
    }

    /// The target entry `Target<index>` of the rule `rule_id`, after adding what lets
    /// EventBridge deliver to it for that rule only.
    pub(super) fn bind(
        &self,
        rule_id: &str,
        rule_arn: &Value<String>,
        index: usize,
        stack: &mut StackBuilder,
    ) -> aws::events::rule::Target {
        let mut role_arn = None;
        let arn = match &self.destination {
            Destination::Function { id, arn } => {
                let permission_id = format!("{rule_id}{id}Permission");
                // One permission serves every target of this rule on the function.
                if stack.resource_mut(&permission_id).is_none() {
                    let permission = aws::lambda::Permission {
                        action: Some(Value::lit("lambda:InvokeFunction")),
                        function_name: Some(arn.clone().into_value()),
                        principal: Some(Value::lit(EVENTS)),
                        source_arn: Some(rule_arn.clone()),
                        ..Default::default()
                    };
                    stack.add_resource(&permission_id, &permission);
                }
                arn.clone().into_value()
            }
            Destination::Queue(queue) => {
                let send = events_may("sqs:SendMessage", queue.arn().into_value(), rule_arn);
                queue.add_to_resource_policy(stack, send);
                queue.arn().into_value()
            }
            Destination::Topic(topic) => {
                let publish = events_may("sns:Publish", topic.arn().into_value(), rule_arn);
                topic.add_to_resource_policy(stack, publish);
                topic.arn().into_value()
            }
            Destination::StateMachine(machine) => {
                // One role per rule, allowed to start each state machine it targets.
                let role_id = format!("{rule_id}EventsRole");
                if stack.resource_mut(&role_id).is_none() {
                    let role = aws::iam::Role {
                        assume_role_policy_document: Some(Value::from_expr(
                            Principals::default().services([EVENTS]).trust_policy(),
                        )),
                        ..Default::default()
                    };
                    stack.add_resource(&role_id, &role);
                }
                stack.grant(&RoleRef(role_id.clone()), machine.grant_start_execution());
                role_arn = Some(Value::get_att(&role_id, "Arn"));
                machine.arn().into_value()
            }
        };
        if self.message_group_id.is_some() && !matches!(self.destination, Destination::Queue(_)) {
            stack.report(format!(
                "rule `{rule_id}`: target {index} has a `message_group_id`, which only a queue target takes"
            ));
        }
        aws::events::rule::Target {
            id: Some(Value::lit(format!("Target{index}"))),
            arn: Some(arn),
            input: self.input.as_ref().map(|json| Value::lit(json.to_string())),
            role_arn,
            sqs_parameters: self.message_group_id.clone().map(|group| {
                aws::events::rule::SqsParameters {
                    message_group_id: Some(group),
                }
            }),
            ..Default::default()
        }
    }
}

/// Allows EventBridge `action` on `resource` for events of the rule `rule_arn` only.
fn events_may(action: &str, resource: Value<String>, rule_arn: &Value<String>) -> Statement {
    Statement::allow([action], [resource])
        .with_principal(obj([("Service", lit(EVENTS))]))
        .with_condition(obj([(
            "ArnEquals",
            obj([("aws:SourceArn", rule_arn.clone().into_expr())]),
        )]))
}
