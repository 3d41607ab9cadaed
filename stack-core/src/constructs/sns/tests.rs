// Topics and subscriptions as they are synthesized: the policies each endpoint needs,
// filter policies, and what is reported at synth.
use super::*;
use crate::constructs::{Code, Construct, Function, FunctionProps, Queue, QueueProps, Runtime};
use crate::stack::StackBuilder;
use crate::value::IntoValue;
use serde_json::json;

fn synth(build: impl FnOnce(&mut StackBuilder)) -> Result<serde_json::Value, Vec<String>> {
    let mut stack = StackBuilder::new("Test");
    build(&mut stack);
    stack
        .finish()
        .map(|s| s.template.to_json()["Resources"].clone())
        .map_err(|e| e.problems)
}

#[test]
fn a_topic_denies_publishing_over_plain_http() {
    let resources = synth(|stack| {
        Topic::declare("Orders").build(TopicProps::default().display_name("Orders"), stack);
    })
    .expect("synthesizes");
    assert_eq!(
        resources["Orders"],
        json!({"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "Orders"}})
    );
    assert_eq!(
        resources["OrdersPolicy"]["Properties"],
        json!({
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "sns:Publish",
                    "Resource": {"Ref": "Orders"},
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                }]
            },
            "Topics": [{"Ref": "Orders"}]
        })
    );
}

#[test]
fn a_fifo_topic_is_encrypted_when_asked() {
    let resources = synth(|stack| {
        Topic::declare("Orders").build(
            TopicProps::default()
                .topic_name("orders.fifo")
                .fifo(true)
                .content_based_deduplication(true)
                .encryption(TopicEncryption::AwsManaged),
            stack,
        );
    })
    .expect("synthesizes");
    assert_eq!(
        resources["Orders"]["Properties"],
        json!({
            "ContentBasedDeduplication": true,
            "FifoTopic": true,
            "KmsMasterKeyId": "alias/aws/sns",
            "TopicName": "orders.fifo"
        })
    );
}

#[test]
fn a_queue_subscription_lets_only_its_topic_send_and_waits_for_that_policy() {
    let resources = synth(|stack| {
        let topic = Topic::declare("Orders");
        let queue = Queue::declare("Jobs");
        // Subscribed before the queue is built: the policy still starts with the TLS rule.
        SqsSubscription::declare("OrdersToJobs").build(
            SqsSubscriptionProps::default()
                .topic(&topic)
                .queue(&queue)
                .raw_message_delivery(true)
                .filter_policy(FilterPolicy::new().allow("type", ["order", "refund"])),
            stack,
        );
        queue.build(QueueProps::default(), stack);
        topic.build(TopicProps::default(), stack);
    })
    .expect("synthesizes");
    assert_eq!(
        resources["OrdersToJobs"],
        json!({
            "Type": "AWS::SNS::Subscription",
            "Properties": {
                "Endpoint": {"Fn::GetAtt": ["Jobs", "Arn"]},
                "FilterPolicy": {"type": ["order", "refund"]},
                "Protocol": "sqs",
                "RawMessageDelivery": true,
                "TopicArn": {"Ref": "Orders"}
            },
            "DependsOn": "JobsPolicy"
        })
    );
    let statements = &resources["JobsPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements[0]["Effect"], "Deny");
    assert_eq!(
        statements[1],
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]},
            "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": "Orders"}}}
        })
    );
}

#[test]
fn a_function_subscription_has_its_invoke_permission() {
    let resources = synth(|stack| {
        let topic = Topic::declare("Orders");
        topic.build(TopicProps::default(), stack);
        let worker = Function::declare("Worker");
        worker.build(
            FunctionProps::default()
                .code(Code::inline("def handler(event, context): pass"))
                .runtime(Runtime::Python312)
                .handler("index.handler"),
            stack,
        );
        LambdaSubscription::declare("OrdersToWorker").build(
            LambdaSubscriptionProps::default()
                .topic(&topic)
                .function(&worker)
                .filter_policy(FilterPolicy::new().prefix("region", "eu-").on_body()),
            stack,
        );
    })
    .expect("synthesizes");
    assert_eq!(
        resources["OrdersToWorkerPermission"]["Properties"],
        json!({
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": ["Worker", "Arn"]},
            "Principal": "sns.amazonaws.com",
            "SourceArn": {"Ref": "Orders"}
        })
    );
    assert_eq!(
        resources["OrdersToWorker"]["Properties"],
        json!({
            "Endpoint": {"Fn::GetAtt": ["Worker", "Arn"]},
            "FilterPolicy": {"region": [{"prefix": "eu-"}]},
            "FilterPolicyScope": "MessageBody",
            "Protocol": "lambda",
            "TopicArn": {"Ref": "Orders"}
        })
    );
    assert_eq!(
        resources["OrdersToWorker"]["DependsOn"],
        json!("OrdersToWorkerPermission")
    );
}

#[test]
fn email_and_url_subscriptions_pick_their_protocol() {
    let resources = synth(|stack| {
        let topic = Topic::declare("Orders");
        topic.build(TopicProps::default(), stack);
        EmailSubscription::declare("Ops").build(
            EmailSubscriptionProps::default()
                .topic(&topic)
                .email("ops@example.com"),
            stack,
        );
        UrlSubscription::declare("Hook").build(
            UrlSubscriptionProps::default()
                .topic(&topic)
                .url("http://hooks.example.com/orders"),
            stack,
        );
    })
    .expect("synthesizes");
    assert_eq!(resources["Ops"]["Properties"]["Protocol"], "email");
    assert_eq!(
        resources["Ops"]["Properties"]["Endpoint"],
        "ops@example.com"
    );
    assert_eq!(resources["Hook"]["Properties"]["Protocol"], "http");
}

#[test]
fn mistakes_are_reported_at_synth() {
    let problems = synth(|stack| {
        let topic = Topic::declare("Orders");
        topic.build(
            TopicProps::default()
                .topic_name("orders.fifo")
                .content_based_deduplication(true),
            stack,
        );
        EmailSubscription::declare("Ops").build(
            EmailSubscriptionProps::default()
                .topic(&topic)
                .email("ops.example.com"),
            stack,
        );
        UrlSubscription::declare("Hook").build(
            UrlSubscriptionProps::default().url("ftp://example.com"),
            stack,
        );
        SqsSubscription::declare("Lost")
            .build(SqsSubscriptionProps::default().topic(&topic), stack);
    })
    .expect_err("reported");
    assert_eq!(
        problems,
        [
            "topic `Orders`: `topic_name` `orders.fifo`: a FIFO topic's name ends in `.fifo` and only a FIFO topic's does; set `fifo: true` or drop `.fifo`",
            "topic `Orders`: `content_based_deduplication` applies to FIFO topics only; set `fifo: true`",
            "subscription `Ops`: `email` `ops.example.com` is not an email address",
            "subscription `Hook`: `url` `ftp://example.com` is not an HTTP endpoint; write `https://host/path`",
            "subscription `Hook` has no `topic`; add `topic: <a Topic of this stack>`",
            "subscription `Lost` has no `queue`; add `queue: <a Queue of this stack>`",
        ]
    );
}

#[test]
fn grants_are_scoped_to_the_topic() {
    let topic = Topic::declare("Orders");
    for grant in crate::constructs::catalog_grants("Topic") {
        let statements = match *grant {
            "publish" => topic.grant_publish(),
            "subscribe" => topic.grant_subscribe(),
            other => panic!("no test for grant `{other}`"),
        }
        .statements;
        assert_eq!(statements[0].resources, [topic.arn().into_value()]);
    }
}
