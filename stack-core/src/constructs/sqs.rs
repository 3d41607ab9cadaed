//! SQS queues: [`Queue`], encrypted and TLS-only by default, with a dead-letter queue and
//! least-privilege grants to send, consume and purge.

use super::{literal_int, literal_str, obj, Construct, Duration};
use crate::aws;
use crate::iam::{add_resource_policy_statement, deny_insecure_transport, Grant, Statement};
use crate::kind;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Json, Value};
use stack_spec::rules::sqs as rules;

/// How a queue encrypts its messages at rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum QueueEncryption {
    /// Keys owned and rotated by SQS (SSE-SQS), at no cost: the default. Topics, buckets
    /// and other services can send to the queue without any key permission.
    #[default]
    SqsManaged,
    /// A KMS key, by ID, ARN or alias (`"alias/aws/sqs"` for the AWS-managed one).
    /// Senders and consumers also need `kms:GenerateDataKey`/`kms:Decrypt` on it.
    Kms(Value<String>),
    /// No encryption at rest.
    Unencrypted,
}

impl QueueEncryption {
    /// A KMS key, by ID, ARN or alias: `QueueEncryption::kms("alias/aws/sqs")`.
    pub fn kms(key: impl IntoValue<String>) -> Self {
        Self::Kms(key.into_value())
    }
}

/// Where a queue moves a message that was received `max_receive_count` times without
/// being deleted: `DeadLetterQueue { queue: failed_jobs, max_receive_count: 3 }`.
#[derive(Clone, Debug, Default)]
pub struct DeadLetterQueue {
    queue: Option<Queue>,
    max_receive_count: Option<Value<i64>>,
}

impl DeadLetterQueue {
    /// The queue that receives the failed messages, a [`Queue`] of this stack.
    #[must_use]
    pub fn queue(mut self, queue: &Queue) -> Self {
        self.queue = Some(queue.clone());
        self
    }

    /// How many receives a message gets before it moves: 1 to 1,000.
    #[must_use]
    pub fn max_receive_count(mut self, count: impl IntoValue<i64>) -> Self {
        self.max_receive_count = Some(count.into_value());
        self
    }
}

/// An SQS queue, standard or FIFO. Encrypted with SQS-owned keys by default, with a
/// queue policy `<Id>Policy` that denies requests not made over TLS; subscriptions and
/// notifications add their statements to that policy. Kept when the stack deletes it
/// unless `removal_policy` says otherwise, since it may hold messages.
///
/// Resources: the queue `<Id>` and its policy `<Id>Policy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queue {
    id: String,
}

/// Options of a [`Queue`]; all optional.
#[derive(Clone, Debug, Default)]
pub struct QueueProps {
    queue_name: Option<Value<String>>,
    fifo: bool,
    content_based_deduplication: bool,
    visibility_timeout: Option<Duration>,
    retention_period: Option<Duration>,
    delivery_delay: Option<Duration>,
    receive_message_wait_time: Option<Duration>,
    dead_letter_queue: Option<DeadLetterQueue>,
    encryption: QueueEncryption,
    removal_policy: Option<RemovalPolicy>,
}

impl QueueProps {
    /// The queue's name; CloudFormation generates one when unset. A FIFO queue's name
    /// ends in `.fifo`.
    #[must_use]
    pub fn queue_name(mut self, name: impl IntoValue<String>) -> Self {
        self.queue_name = Some(name.into_value());
        self
    }

    /// Whether the queue is FIFO: exactly-once processing, in order per message group.
    #[must_use]
    pub fn fifo(mut self, fifo: bool) -> Self {
        self.fifo = fifo;
        self
    }

    /// For a FIFO queue: deduplicate by a hash of the body instead of an explicit ID.
    #[must_use]
    pub fn content_based_deduplication(mut self, enabled: bool) -> Self {
        self.content_based_deduplication = enabled;
        self
    }

    /// How long a received message stays hidden from other consumers: 0 s to 12 hours
    /// (SQS's default is 30 s). Make it at least the consumer's timeout.
    #[must_use]
    pub fn visibility_timeout(mut self, timeout: Duration) -> Self {
        self.visibility_timeout = Some(timeout);
        self
    }

    /// How long the queue keeps a message: 1 minute to 14 days (SQS's default is 4 days).
    #[must_use]
    pub fn retention_period(mut self, period: Duration) -> Self {
        self.retention_period = Some(period);
        self
    }

    /// How long a new message stays invisible: 0 s to 15 minutes.
    #[must_use]
    pub fn delivery_delay(mut self, delay: Duration) -> Self {
        self.delivery_delay = Some(delay);
        self
    }

    /// How long a receive waits for a message (long polling): 0 s to 20 s.
    #[must_use]
    pub fn receive_message_wait_time(mut self, wait: Duration) -> Self {
        self.receive_message_wait_time = Some(wait);
        self
    }

    /// Where messages go after failing `max_receive_count` times.
    #[must_use]
    pub fn dead_letter_queue(mut self, dead_letter_queue: DeadLetterQueue) -> Self {
        self.dead_letter_queue = Some(dead_letter_queue);
        self
    }

    /// How messages are encrypted at rest; SQS-owned keys when unset.
    #[must_use]
    pub fn encryption(mut self, encryption: QueueEncryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// What happens to the queue when the stack deletes or replaces it; `Retain` when
    /// unset.
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = Some(policy);
        self
    }
}

impl Queue {
    /// The queue's ARN.
    pub fn arn(&self) -> Value<Arn<kind::sqs::Queue>> {
        Value::get_att(&self.id, "Arn")
    }

    /// The queue's name.
    pub fn name(&self) -> Value<String> {
        Value::get_att(&self.id, "QueueName")
    }

    /// The queue's URL (`Ref`), what the SDKs send to.
    pub fn url(&self) -> Value<String> {
        Value::reference(&self.id)
    }

    /// `send`: send messages (`sqs:SendMessage`, with `sqs:GetQueueAttributes` and
    /// `sqs:GetQueueUrl`).
    pub fn grant_send(&self) -> Grant {
        self.grant(&[
            "sqs:SendMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
        ])
    }

    /// `consume`: receive, delete and extend the visibility of messages.
    pub fn grant_consume(&self) -> Grant {
        self.grant(&[
            "sqs:ReceiveMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
        ])
    }

    /// `purge`: delete every message at once (`sqs:PurgeQueue`).
    pub fn grant_purge(&self) -> Grant {
        self.grant(&[
            "sqs:PurgeQueue",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
        ])
    }

    fn grant(&self, actions: &[&str]) -> Grant {
        Grant::new([Statement::allow(actions.iter().copied(), [self.arn()])])
    }

    /// Adds a statement with a principal to the queue's policy `<Id>Policy`, whether the
    /// queue is built before or after the caller: what a topic subscription uses to let
    /// SNS send to the queue.
    pub fn add_to_resource_policy(&self, stack: &mut StackBuilder, statement: Statement) {
        self.add_policy_statement(stack, statement, false);
    }

    fn add_policy_statement(&self, stack: &mut StackBuilder, statement: Statement, first: bool) {
        let policy_id = self.policy_id();
        add_resource_policy_statement(stack, &policy_id, statement, first, |stack, document| {
            let policy = aws::sqs::QueuePolicy {
                policy_document: Some(document),
                queues: Some(Value::list([Value::reference(&self.id)])),
            };
            stack.add_resource(&policy_id, &policy);
        });
    }

    /// The logical ID of the queue's policy.
    pub fn policy_id(&self) -> String {
        format!("{}Policy", self.id)
    }

    fn check(&self, props: &QueueProps, stack: &mut StackBuilder) {
        let id = &self.id;
        let mut report = |option: &str, why: String| {
            stack.report(format!("queue `{id}`: `{option}` {why}"));
        };
        if let Some(name) = props.queue_name.as_ref().and_then(literal_str) {
            let valid = rules::queue_name(name)
                .and_then(|()| stack_spec::rules::fifo::name_matches(name, props.fifo, "queue"));
            if let Err(why) = valid {
                report("queue_name", why);
            }
        }
        type Rule = fn(u64) -> Result<(), String>;
        let timings: [(&str, Option<Duration>, Rule); 4] = [
            (
                "visibility_timeout",
                props.visibility_timeout,
                rules::visibility_timeout,
            ),
            (
                "retention_period",
                props.retention_period,
                rules::retention_period,
            ),
            (
                "delivery_delay",
                props.delivery_delay,
                rules::delivery_delay,
            ),
            (
                "receive_message_wait_time",
                props.receive_message_wait_time,
                rules::receive_wait_time,
            ),
        ];
        for (option, value, rule) in timings {
            if let Some(Err(why)) = value.map(|d| rule(d.as_seconds())) {
                report(option, why);
            }
        }
        if props.content_based_deduplication && !props.fifo {
            report(
                "content_based_deduplication",
                "applies to FIFO queues only; set `fifo: true`".to_owned(),
            );
        }
        if let Some(dlq) = &props.dead_letter_queue {
            if dlq.queue.is_none() {
                report("dead_letter_queue", "has no `queue`".to_owned());
            }
            match dlq.max_receive_count.as_ref() {
                None => report("dead_letter_queue", "has no `max_receive_count`".to_owned()),
                Some(count) => {
                    if let Some(Err(why)) = literal_int(count).map(rules::max_receive_count) {
                        report("dead_letter_queue.max_receive_count", why);
                    }
                }
            }
            if dlq.queue.as_ref() == Some(self) {
                report(
                    "dead_letter_queue",
                    "names the queue itself; give it another queue".to_owned(),
                );
            }
        }
    }
}

impl Construct for Queue {
    type Props = QueueProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: QueueProps, stack: &mut StackBuilder) {
        self.check(&props, stack);
        let seconds = |d: Option<Duration>| {
            d.map(|d| {
                i64::try_from(d.as_seconds())
                    .unwrap_or(i64::MAX)
                    .into_value()
            })
        };
        let redrive = props.dead_letter_queue.as_ref().and_then(|dlq| {
            let queue = dlq.queue.as_ref()?;
            let count = dlq.max_receive_count.clone()?;
            Some(Value::<Json>::from_expr(obj([
                ("deadLetterTargetArn", queue.arn().into_expr()),
                ("maxReceiveCount", count.into_expr()),
            ])))
        });
        let (sqs_managed, kms_key) = match &props.encryption {
            QueueEncryption::SqsManaged => (Some(true.into_value()), None),
            QueueEncryption::Kms(key) => (None, Some(key.clone())),
            QueueEncryption::Unencrypted => (Some(false.into_value()), None),
        };
        let queue = aws::sqs::Queue {
            queue_name: props.queue_name.clone(),
            fifo_queue: props.fifo.then(|| true.into_value()),
            content_based_deduplication: props
                .content_based_deduplication
                .then(|| true.into_value()),
            visibility_timeout: seconds(props.visibility_timeout),
            message_retention_period: seconds(props.retention_period),
            delay_seconds: seconds(props.delivery_delay),
            receive_message_wait_time_seconds: seconds(props.receive_message_wait_time),
            redrive_policy: redrive,
            sqs_managed_sse_enabled: sqs_managed,
            kms_master_key_id: kms_key,
            ..Default::default()
        };
        stack.add_resource(&self.id, &queue).removal_policy =
            Some(props.removal_policy.unwrap_or(RemovalPolicy::Retain));

        let tls_only = deny_insecure_transport(&["sqs:*"], [self.arn()]);
        self.add_policy_statement(stack, tls_only, true);
    }
}

#[cfg(test)]
mod tests {
    // Queues as they are synthesized: defaults, FIFO, dead-letter queues, policies and
    // what is reported at synth.
    use super::*;
    use crate::constructs::lit;
    use serde_json::json;

    fn synth(build: impl FnOnce(&mut StackBuilder)) -> Result<serde_json::Value, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        build(&mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json())
            .map_err(|e| e.problems)
    }

    fn queue(id: &str, props: QueueProps) -> impl FnOnce(&mut StackBuilder) {
        let id = id.to_owned();
        move |stack| Queue::declare(&id).build(props, stack)
    }

    #[test]
    fn a_queue_is_encrypted_kept_and_tls_only() {
        let template = synth(queue("Jobs", QueueProps::default())).expect("synthesizes");
        assert_eq!(
            template["Resources"]["Jobs"],
            json!({
                "Type": "AWS::SQS::Queue",
                "Properties": {"SqsManagedSseEnabled": true},
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain"
            })
        );
        assert_eq!(
            template["Resources"]["JobsPolicy"]["Properties"],
            json!({
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "sqs:*",
                        "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]},
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                    }]
                },
                "Queues": [{"Ref": "Jobs"}]
            })
        );
    }

    #[test]
    fn options_become_properties() {
        let template = synth(|stack| {
            let failed = Queue::declare("Failed");
            failed.build(QueueProps::default().fifo(true), stack);
            Queue::declare("Orders").build(
                QueueProps::default()
                    .queue_name("orders.fifo")
                    .fifo(true)
                    .content_based_deduplication(true)
                    .visibility_timeout(Duration::minutes(5))
                    .retention_period(Duration::days(14))
                    .delivery_delay(Duration::seconds(10))
                    .receive_message_wait_time(Duration::seconds(20))
                    .encryption(QueueEncryption::Kms(Value::lit("alias/aws/sqs")))
                    .removal_policy(RemovalPolicy::Destroy)
                    .dead_letter_queue(
                        DeadLetterQueue::default()
                            .queue(&failed)
                            .max_receive_count(3),
                    ),
                stack,
            );
        })
        .expect("synthesizes");
        assert_eq!(
            template["Resources"]["Orders"]["Properties"],
            json!({
                "ContentBasedDeduplication": true,
                "DelaySeconds": 10,
                "FifoQueue": true,
                "KmsMasterKeyId": "alias/aws/sqs",
                "MessageRetentionPeriod": 1_209_600,
                "QueueName": "orders.fifo",
                "ReceiveMessageWaitTimeSeconds": 20,
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": ["Failed", "Arn"]},
                    "maxReceiveCount": 3
                },
                "VisibilityTimeout": 300
            })
        );
        assert_eq!(template["Resources"]["Orders"]["DeletionPolicy"], "Delete");
    }

    #[test]
    fn mistakes_are_reported_at_synth() {
        let problems = synth(queue(
            "Jobs",
            QueueProps::default()
                .queue_name("jobs.fifo")
                .content_based_deduplication(true)
                .visibility_timeout(Duration::hours(13))
                .dead_letter_queue(
                    DeadLetterQueue::default()
                        .queue(&Queue::declare("Jobs"))
                        .max_receive_count(0),
                ),
        ))
        .expect_err("reported");
        assert_eq!(
            problems,
            [
                "queue `Jobs`: `queue_name` `jobs.fifo`: a FIFO queue's name ends in `.fifo` and only a FIFO queue's does; set `fifo: true` or drop `.fifo`",
                "queue `Jobs`: `visibility_timeout` is 46800 s; SQS accepts 0 s to 43200 s (`Duration::hours(12)`)",
                "queue `Jobs`: `content_based_deduplication` applies to FIFO queues only; set `fifo: true`",
                "queue `Jobs`: `dead_letter_queue.max_receive_count` is 0; SQS accepts 1 to 1000 receives",
                "queue `Jobs`: `dead_letter_queue` names the queue itself; give it another queue",
            ]
        );
    }

    #[test]
    fn grants_are_scoped_to_the_queue() {
        let queue = Queue::declare("Jobs");
        for grant in crate::constructs::catalog_grants("Queue") {
            let statements = match *grant {
                "send" => queue.grant_send(),
                "consume" => queue.grant_consume(),
                "purge" => queue.grant_purge(),
                other => panic!("no test for grant `{other}`"),
            }
            .statements;
            assert_eq!(statements.len(), 1);
            assert_eq!(statements[0].resources, [queue.arn().into_value()]);
            assert!(statements[0].actions.iter().all(|a| a.starts_with("sqs:")));
        }
        assert!(queue.grant_consume().statements[0]
            .actions
            .contains(&"sqs:DeleteMessage".to_owned()));
    }

    #[test]
    fn statements_added_before_the_queue_is_built_follow_the_tls_rule() {
        let template = synth(|stack| {
            let queue = Queue::declare("Jobs");
            queue.add_to_resource_policy(
                stack,
                Statement::allow(["sqs:SendMessage"], [queue.arn()])
                    .with_principal(obj([("Service", lit("sns.amazonaws.com"))])),
            );
            queue.build(QueueProps::default(), stack);
        })
        .expect("synthesizes");
        let statements =
            &template["Resources"]["JobsPolicy"]["Properties"]["PolicyDocument"]["Statement"];
        assert_eq!(statements[0]["Effect"], "Deny");
        assert_eq!(statements[1]["Action"], "sqs:SendMessage");
    }
}
