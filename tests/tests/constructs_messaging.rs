//! The messaging constructs in a `stack!` block: a topic fanning out to a queue with a
//! dead-letter queue, a function, an email address and a webhook, with grants, the way a
//! CDK user writes an event-driven backend; every option, attribute and grant of `Queue`,
//! `Topic` and the subscriptions builds, and the template lints clean.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// Orders published to a topic, processed from a queue by a worker.
    pub stack Messaging {
        resource failed_orders: Queue {
            retention_period: Duration::days(14),
            removal_policy: RemovalPolicy::Destroy,
        }
        resource order_queue: Queue {
            queue_name: "order-queue",
            visibility_timeout: Duration::minutes(5),
            delivery_delay: Duration::seconds(5),
            receive_message_wait_time: Duration::seconds(20),
            dead_letter_queue: DeadLetterQueue { queue: failed_orders, max_receive_count: 3 },
            encryption: QueueEncryption::SqsManaged,
            removal_policy: RemovalPolicy::Destroy,
        }
        resource audit_queue: Queue {
            fifo: true,
            content_based_deduplication: true,
            encryption: QueueEncryption::kms("alias/aws/sqs"),
            removal_policy: RemovalPolicy::Destroy,
        }
        resource orders: Topic {
            display_name: "Orders",
            encryption: TopicEncryption::Unencrypted,
        }
        resource audit: Topic {
            topic_name: "audit.fifo",
            fifo: true,
            content_based_deduplication: true,
            encryption: TopicEncryption::AwsManaged,
        }
        resource worker: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { QUEUE_URL: order_queue.url, TOPIC_ARN: orders.arn },
        }
        resource orders_to_queue: SqsSubscription {
            topic: orders,
            queue: order_queue,
            raw_message_delivery: true,
            filter_policy: FilterPolicy::new().allow("type", ["order", "refund"]),
        }
        resource audit_to_queue: SqsSubscription { topic: audit, queue: audit_queue }
        resource orders_to_worker: LambdaSubscription {
            topic: orders,
            function: worker,
            filter_policy: FilterPolicy::new().exists("priority"),
        }
        resource orders_to_ops: EmailSubscription { topic: orders, email: "ops@example.com" }
        resource orders_to_hook: UrlSubscription {
            topic: orders,
            url: "https://hooks.example.com/orders",
            raw_message_delivery: true,
        }

        grant worker consume order_queue;
        grant worker send failed_orders;
        grant worker purge failed_orders;
        grant worker publish orders;
        grant worker subscribe orders;

        output queue_url = order_queue.url;
        output queue_name = order_queue.name;
        output queue_arn = order_queue.arn;
        output topic_arn = orders.arn;
        output topic_name = orders.name;
        output subscription_arn = orders_to_queue.arn;
        output worker_subscription_arn = orders_to_worker.arn;
        output email_subscription_arn = orders_to_ops.arn;
        output hook_subscription_arn = orders_to_hook.arn;
    }
}

fn template() -> Json {
    let stack = Messaging::new("Messaging");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    synthesized.template.to_json()
}

#[test]
fn every_option_attribute_and_grant_builds() {
    let template = template();
    assert_eq!(template["Outputs"].as_object().map(|o| o.len()), Some(9));
    let r = &template["Resources"];
    assert_eq!(
        r["OrderQueue"]["Properties"],
        json!({
            "DelaySeconds": 5,
            "QueueName": "order-queue",
            "ReceiveMessageWaitTimeSeconds": 20,
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": ["FailedOrders", "Arn"]},
                "maxReceiveCount": 3
            },
            "SqsManagedSseEnabled": true,
            "VisibilityTimeout": 300
        })
    );
    assert_eq!(r["AuditQueue"]["Properties"]["FifoQueue"], true);
    assert_eq!(r["Audit"]["Properties"]["KmsMasterKeyId"], "alias/aws/sns");
}

#[test]
fn each_subscription_gets_the_permission_its_endpoint_needs() {
    let r = &template()["Resources"];
    let queue_policy = &r["OrderQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(queue_policy[0]["Effect"], "Deny");
    assert_eq!(
        queue_policy[1]["Condition"],
        json!({"ArnEquals": {"aws:SourceArn": {"Ref": "Orders"}}})
    );
    assert_eq!(r["OrdersToQueue"]["DependsOn"], "OrderQueuePolicy");
    assert_eq!(
        r["OrdersToWorkerPermission"]["Properties"]["SourceArn"],
        json!({"Ref": "Orders"})
    );
    assert_eq!(r["OrdersToOps"]["Properties"]["Protocol"], "email");
    assert_eq!(r["OrdersToHook"]["Properties"]["Protocol"], "https");
}

#[test]
fn grants_are_scoped_to_their_targets() {
    let r = &template()["Resources"];
    let statements = r["WorkerServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let on = |resource: Json| -> Vec<Json> {
        statements
            .iter()
            .filter(|s| s["Resource"] == resource)
            .map(|s| s["Action"].clone())
            .collect()
    };
    assert_eq!(
        on(json!({"Fn::GetAtt": ["OrderQueue", "Arn"]})),
        [json!([
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage"
        ])]
    );
    // Statements on one resource are merged.
    assert_eq!(
        on(json!({"Ref": "Orders"})),
        [json!(["sns:Publish", "sns:Subscribe"])]
    );
}

#[test]
fn messaging_is_lint_clean() {
    tests::assert_lint_clean(&Messaging::new("Messaging"));
}
