//! Subscriptions of a [`Topic`]: to a queue ([`SqsSubscription`]), a function
//! ([`LambdaSubscription`]), an email address ([`EmailSubscription`]) or an HTTP endpoint
//! ([`UrlSubscription`]), each with the permission its endpoint needs.

use super::super::{lit, literal_str, obj, Construct, FunctionRef, Queue};
use super::Topic;
use crate::aws;
use crate::iam::Statement;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Json, Value};
use stack_spec::rules::sns as rules;

/// Which messages a subscription receives, by their attributes (or, with
/// [`FilterPolicy::on_body`], by the fields of a JSON body):
/// `FilterPolicy::new().allow("type", ["order", "refund"]).prefix("region", "eu-")`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterPolicy {
    conditions: Vec<(String, serde_json::Value)>,
    on_body: bool,
}

impl FilterPolicy {
    /// A policy that lets every message through until conditions are added.
    pub fn new() -> Self {
        Self::default()
    }

    /// Messages whose `attribute` is one of `values`.
    #[must_use]
    pub fn allow(
        self,
        attribute: &str,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let values = values
            .into_iter()
            .map(|v| serde_json::Value::String(v.into()))
            .collect();
        self.condition(attribute, serde_json::Value::Array(values))
    }

    /// Messages whose `attribute` starts with `prefix`.
    #[must_use]
    pub fn prefix(self, attribute: &str, prefix: &str) -> Self {
        self.condition(attribute, serde_json::json!([{ "prefix": prefix }]))
    }

    /// Messages that carry `attribute` at all.
    #[must_use]
    pub fn exists(self, attribute: &str) -> Self {
        self.condition(attribute, serde_json::json!([{ "exists": true }]))
    }

    /// Match the fields of the message body (a JSON object) instead of its attributes.
    #[must_use]
    pub fn on_body(mut self) -> Self {
        self.on_body = true;
        self
    }

    fn condition(mut self, attribute: &str, condition: serde_json::Value) -> Self {
        self.conditions.push((attribute.to_owned(), condition));
        self
    }

    fn to_value(&self) -> Value<Json> {
        let map = self.conditions.iter().cloned().collect();
        Value::json(serde_json::Value::Object(map))
    }
}

/// Where a subscription delivers, as its construct works it out.
struct Endpoint {
    protocol: &'static str,
    endpoint: Value<String>,
    raw_message_delivery: bool,
    depends_on: Option<String>,
}

/// Adds the `AWS::SNS::Subscription` `id` of `topic` to `endpoint`.
fn add_subscription(
    stack: &mut StackBuilder,
    id: &str,
    topic: Option<&Topic>,
    filter_policy: Option<&FilterPolicy>,
    endpoint: Endpoint,
) {
    let Some(topic) = topic else {
        stack.report(format!(
            "subscription `{id}` has no `topic`; add `topic: <a Topic of this stack>`"
        ));
        return;
    };
    let subscription = aws::sns::Subscription {
        topic_arn: Some(topic.arn()),
        protocol: Some(Value::lit(endpoint.protocol)),
        endpoint: Some(endpoint.endpoint),
        raw_message_delivery: endpoint.raw_message_delivery.then(|| true.into_value()),
        filter_policy: filter_policy.map(FilterPolicy::to_value),
        filter_policy_scope: filter_policy
            .filter(|f| f.on_body)
            .map(|_| Value::lit("MessageBody")),
        ..Default::default()
    };
    let decl = stack.add_resource(id, &subscription);
    decl.depends_on.extend(endpoint.depends_on);
}

/// Setters every subscription's props share: `topic` and `filter_policy`.
macro_rules! subscription_setters {
    ($props:ty) => {
        impl $props {
            /// The topic to subscribe to, a [`Topic`] of this stack.
            #[must_use]
            pub fn topic(mut self, topic: &Topic) -> Self {
                self.topic = Some(topic.clone());
                self
            }

            /// Which messages to receive; every message when unset.
            #[must_use]
            pub fn filter_policy(mut self, policy: FilterPolicy) -> Self {
                self.filter_policy = Some(policy);
                self
            }
        }
    };
}

/// The handle, `arn` and `Construct` impl every subscription shares.
macro_rules! subscription_construct {
    ($ty:ident, $props:ty, |$this:ident, $p:ident, $stack:ident| $endpoint:expr) => {
        impl $ty {
            /// The subscription's ARN (`Ref`).
            pub fn arn(&self) -> Value<Arn<kind::sns::Subscription>> {
                Value::reference(&self.id)
            }
        }

        impl Construct for $ty {
            type Props = $props;

            fn declare(logical_id: &str) -> Self {
                Self {
                    id: logical_id.to_owned(),
                }
            }

            fn logical_id(&self) -> &str {
                &self.id
            }

            fn build(&self, $p: $props, $stack: &mut StackBuilder) {
                let $this = self;
                if let Some(endpoint) = $endpoint {
                    add_subscription(
                        $stack,
                        &$this.id,
                        $p.topic.as_ref(),
                        $p.filter_policy.as_ref(),
                        endpoint,
                    );
                }
            }
        }
    };
}

/// A topic's messages delivered to a [`Queue`] of the stack. The queue's policy gets a
/// statement that lets SNS send to it from this topic only (`aws:SourceArn`), and the
/// subscription waits for that policy, so no message is dropped in between.
///
/// Resources: the subscription `<Id>`; a statement in the queue's `<Queue>Policy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqsSubscription {
    id: String,
}

/// Options of an [`SqsSubscription`]: `topic` and `queue` are required.
#[derive(Clone, Debug, Default)]
pub struct SqsSubscriptionProps {
    topic: Option<Topic>,
    queue: Option<Queue>,
    raw_message_delivery: bool,
    filter_policy: Option<FilterPolicy>,
}

subscription_setters!(SqsSubscriptionProps);

impl SqsSubscriptionProps {
    /// The queue that receives the messages.
    #[must_use]
    pub fn queue(mut self, queue: &Queue) -> Self {
        self.queue = Some(queue.clone());
        self
    }

    /// Deliver the message as published, without SNS's JSON envelope.
    #[must_use]
    pub fn raw_message_delivery(mut self, raw: bool) -> Self {
        self.raw_message_delivery = raw;
        self
    }
}

subscription_construct!(
    SqsSubscription,
    SqsSubscriptionProps,
    |this, props, stack| {
        let Some(queue) = &props.queue else {
            stack.report(format!(
                "subscription `{}` has no `queue`; add `queue: <a Queue of this stack>`",
                this.id
            ));
            return;
        };
        if let Some(topic) = &props.topic {
            let send = service_may("sqs:SendMessage", queue.arn().into_value(), topic);
            queue.add_to_resource_policy(stack, send);
        }
        Some(Endpoint {
            protocol: "sqs",
            endpoint: queue.arn().into_value(),
            raw_message_delivery: props.raw_message_delivery,
            depends_on: Some(queue.policy_id()),
        })
    }
);

/// A topic's messages delivered to a Lambda function, with the permission that lets SNS
/// invoke it for this topic only.
///
/// Resources: the subscription `<Id>` and the function's permission `<Id>Permission`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LambdaSubscription {
    id: String,
}

/// Options of a [`LambdaSubscription`]: `topic` and `function` are required.
#[derive(Clone, Debug, Default)]
pub struct LambdaSubscriptionProps {
    topic: Option<Topic>,
    function: Option<Value<Arn<kind::lambda::Function>>>,
    filter_policy: Option<FilterPolicy>,
}

subscription_setters!(LambdaSubscriptionProps);

impl LambdaSubscriptionProps {
    /// The function that receives the messages, a `Function` or `DockerImageFunction`
    /// of this stack.
    #[must_use]
    pub fn function(mut self, function: &(impl FunctionRef + ?Sized)) -> Self {
        self.function = Some(function.function_arn());
        self
    }
}

subscription_construct!(
    LambdaSubscription,
    LambdaSubscriptionProps,
    |this, props, stack| {
        let Some(function) = props.function.clone() else {
            stack.report(format!(
                "subscription `{}` has no `function`; add `function: <a Function of this stack>`",
                this.id
            ));
            return;
        };
        let permission_id = format!("{}Permission", this.id);
        if let Some(topic) = &props.topic {
            let permission = aws::lambda::Permission {
                action: Some(Value::lit("lambda:InvokeFunction")),
                function_name: Some(function.clone().into_value()),
                principal: Some(Value::lit("sns.amazonaws.com")),
                source_arn: Some(topic.arn().into_value()),
                ..Default::default()
            };
            stack.add_resource(&permission_id, &permission);
        }
        Some(Endpoint {
            protocol: "lambda",
            endpoint: function.into_value(),
            raw_message_delivery: false,
            depends_on: props.topic.is_some().then_some(permission_id),
        })
    }
);

/// A topic's messages sent to an email address, which must confirm the subscription.
///
/// Resources: the subscription `<Id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailSubscription {
    id: String,
}

/// Options of an [`EmailSubscription`]: `topic` and `email` are required.
#[derive(Clone, Debug, Default)]
pub struct EmailSubscriptionProps {
    topic: Option<Topic>,
    email: Option<Value<String>>,
    filter_policy: Option<FilterPolicy>,
}

subscription_setters!(EmailSubscriptionProps);

impl EmailSubscriptionProps {
    /// The address that receives the messages.
    #[must_use]
    pub fn email(mut self, address: impl IntoValue<String>) -> Self {
        self.email = Some(address.into_value());
        self
    }
}

subscription_construct!(
    EmailSubscription,
    EmailSubscriptionProps,
    |this, props, stack| {
        let Some(email) = props.email.clone() else {
            stack.report(format!("subscription `{}` has no `email`", this.id));
            return;
        };
        if let Some(Err(why)) = literal_str(&email).map(rules::email_address) {
            stack.report(format!("subscription `{}`: `email` {why}", this.id));
        }
        Some(Endpoint {
            protocol: "email",
            endpoint: email,
            raw_message_delivery: false,
            depends_on: None,
        })
    }
);

/// A topic's messages posted to an HTTP(S) endpoint, which must confirm the subscription.
///
/// Resources: the subscription `<Id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlSubscription {
    id: String,
}

/// Options of a [`UrlSubscription`]: `topic` and `url` are required.
#[derive(Clone, Debug, Default)]
pub struct UrlSubscriptionProps {
    topic: Option<Topic>,
    url: Option<Value<String>>,
    raw_message_delivery: bool,
    filter_policy: Option<FilterPolicy>,
}

subscription_setters!(UrlSubscriptionProps);

impl UrlSubscriptionProps {
    /// The endpoint, `https://...` (or `http://...`). A URL known only at deploy time is
    /// subscribed over HTTPS.
    #[must_use]
    pub fn url(mut self, url: impl IntoValue<String>) -> Self {
        self.url = Some(url.into_value());
        self
    }

    /// Post the message as published, without SNS's JSON envelope.
    #[must_use]
    pub fn raw_message_delivery(mut self, raw: bool) -> Self {
        self.raw_message_delivery = raw;
        self
    }
}

subscription_construct!(
    UrlSubscription,
    UrlSubscriptionProps,
    |this, props, stack| {
        let Some(url) = props.url.clone() else {
            stack.report(format!("subscription `{}` has no `url`", this.id));
            return;
        };
        let literal = literal_str(&url);
        if let Some(Err(why)) = literal.map(rules::endpoint_url) {
            stack.report(format!("subscription `{}`: `url` {why}", this.id));
        }
        let protocol = if literal.is_some_and(|u| u.starts_with("http://")) {
            "http"
        } else {
            "https"
        };
        Some(Endpoint {
            protocol,
            endpoint: url,
            raw_message_delivery: props.raw_message_delivery,
            depends_on: None,
        })
    }
);

/// Allows the SNS service `action` on `resource` for messages from `topic` only.
fn service_may(action: &str, resource: Value<String>, topic: &Topic) -> Statement {
    Statement::allow([action], [resource])
        .with_principal(obj([("Service", lit("sns.amazonaws.com"))]))
        .with_condition(obj([(
            "ArnEquals",
            obj([("aws:SourceArn", topic.arn().into_expr())]),
        )]))
}
