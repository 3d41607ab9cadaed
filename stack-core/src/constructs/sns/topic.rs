//! [`Topic`]: an SNS topic with a TLS-only policy and grants to publish and subscribe.

use super::super::{literal_str, Construct};
use crate::aws;
use crate::iam::{add_resource_policy_statement, deny_insecure_transport, Grant, Statement};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Value};
use stack_spec::rules::sns as rules;

/// How a topic encrypts its messages at rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum TopicEncryption {
    /// No encryption at rest (SNS's default). S3 notifications, EventBridge rules and
    /// CloudWatch alarms can publish without any key permission, which the AWS-managed
    /// key does not allow them.
    #[default]
    Unencrypted,
    /// The AWS-managed key `alias/aws/sns`: only principals of the account can publish.
    AwsManaged,
    /// A KMS key, by ID, ARN or alias, whose key policy lets the publishers use it.
    Kms(Value<String>),
}

impl TopicEncryption {
    /// A KMS key, by ID, ARN or alias: `TopicEncryption::kms(key.arn)`.
    pub fn kms(key: impl IntoValue<String>) -> Self {
        Self::Kms(key.into_value())
    }
}

/// An SNS topic, standard or FIFO, with a topic policy `<Id>Policy` that denies publishing
/// over plain HTTP. Subscriptions are declared on their own: [`SqsSubscription`],
/// [`LambdaSubscription`], [`EmailSubscription`], [`UrlSubscription`].
///
/// Resources: the topic `<Id>` and its policy `<Id>Policy`.
///
/// [`SqsSubscription`]: super::SqsSubscription
/// [`LambdaSubscription`]: super::LambdaSubscription
/// [`EmailSubscription`]: super::EmailSubscription
/// [`UrlSubscription`]: super::UrlSubscription
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    id: String,
}

/// Options of a [`Topic`]; all optional.
#[derive(Clone, Debug, Default)]
pub struct TopicProps {
    topic_name: Option<Value<String>>,
    display_name: Option<Value<String>>,
    fifo: bool,
    content_based_deduplication: bool,
    encryption: TopicEncryption,
}

impl TopicProps {
    /// The topic's name; CloudFormation generates one when unset. A FIFO topic's name ends
    /// in `.fifo`.
    #[must_use]
    pub fn topic_name(mut self, name: impl IntoValue<String>) -> Self {
        self.topic_name = Some(name.into_value());
        self
    }

    /// The name SMS and email subscribers see.
    #[must_use]
    pub fn display_name(mut self, name: impl IntoValue<String>) -> Self {
        self.display_name = Some(name.into_value());
        self
    }

    /// Whether the topic is FIFO: ordered, deduplicated delivery to FIFO queues.
    #[must_use]
    pub fn fifo(mut self, fifo: bool) -> Self {
        self.fifo = fifo;
        self
    }

    /// For a FIFO topic: deduplicate by a hash of the body instead of an explicit ID.
    #[must_use]
    pub fn content_based_deduplication(mut self, enabled: bool) -> Self {
        self.content_based_deduplication = enabled;
        self
    }

    /// How messages are encrypted at rest; not at all when unset (see
    /// [`TopicEncryption::Unencrypted`] for why).
    #[must_use]
    pub fn encryption(mut self, encryption: TopicEncryption) -> Self {
        self.encryption = encryption;
        self
    }
}

impl Topic {
    /// The topic's ARN (`Ref`).
    pub fn arn(&self) -> Value<Arn<kind::sns::Topic>> {
        Value::reference(&self.id)
    }

    /// The topic's name.
    pub fn name(&self) -> Value<String> {
        Value::get_att(&self.id, "TopicName")
    }

    /// `publish`: publish messages (`sns:Publish`).
    pub fn grant_publish(&self) -> Grant {
        Grant::new([Statement::allow(["sns:Publish"], [self.arn()])])
    }

    /// `subscribe`: subscribe endpoints (`sns:Subscribe`).
    pub fn grant_subscribe(&self) -> Grant {
        Grant::new([Statement::allow(["sns:Subscribe"], [self.arn()])])
    }

    /// The logical ID of the topic's policy.
    pub fn policy_id(&self) -> String {
        format!("{}Policy", self.id)
    }

    /// Adds a statement with a principal to the topic's policy `<Id>Policy`, whether the
    /// topic is built before or after the caller: what lets a service publish to it.
    pub fn add_to_resource_policy(&self, stack: &mut StackBuilder, statement: Statement) {
        self.add_policy_statement(stack, statement, false);
    }

    fn add_policy_statement(&self, stack: &mut StackBuilder, statement: Statement, first: bool) {
        let policy_id = self.policy_id();
        add_resource_policy_statement(stack, &policy_id, statement, first, |stack, document| {
            let policy = aws::sns::TopicPolicy {
                policy_document: Some(document),
                topics: Some(Value::list([self.arn().into_value()])),
            };
            stack.add_resource(&policy_id, &policy);
        });
    }

    fn check(&self, props: &TopicProps, stack: &mut StackBuilder) {
        let id = &self.id;
        if let Some(name) = props.topic_name.as_ref().and_then(literal_str) {
            let valid = rules::topic_name(name)
                .and_then(|()| stack_spec::rules::fifo::name_matches(name, props.fifo, "topic"));
            if let Err(why) = valid {
                stack.report(format!("topic `{id}`: `topic_name` {why}"));
            }
        }
        if props.content_based_deduplication && !props.fifo {
            stack.report(format!(
                "topic `{id}`: `content_based_deduplication` applies to FIFO topics only; set `fifo: true`"
            ));
        }
    }
}

impl Construct for Topic {
    type Props = TopicProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: TopicProps, stack: &mut StackBuilder) {
        self.check(&props, stack);
        let kms_master_key_id = match props.encryption {
            TopicEncryption::Unencrypted => None,
            TopicEncryption::AwsManaged => Some(Value::lit("alias/aws/sns")),
            TopicEncryption::Kms(key) => Some(key),
        };
        let topic = aws::sns::Topic {
            topic_name: props.topic_name,
            display_name: props.display_name,
            fifo_topic: props.fifo.then(|| true.into_value()),
            content_based_deduplication: props
                .content_based_deduplication
                .then(|| true.into_value()),
            kms_master_key_id,
            ..Default::default()
        };
        stack.add_resource(&self.id, &topic);

        let tls_only = deny_insecure_transport(&["sns:Publish"], [self.arn()]);
        self.add_policy_statement(stack, tls_only, true);
    }
}
