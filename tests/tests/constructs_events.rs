//! The EventBridge constructs in a `stack!` block: a nightly job on a schedule, uploads
//! matched by an event pattern and fanned out to a queue and a topic, and an application
//! bus with its own rule, the way a CDK user writes them; every option, attribute, grant
//! and kind of target of `EventBus` and `Rule` builds, and the template lints clean.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// Scheduled and event-driven work for an uploads service.
    pub stack Events {
        resource jobs: Queue { removal_policy: RemovalPolicy::Destroy }
        resource ordered_jobs: Queue {
            fifo: true,
            content_based_deduplication: true,
            removal_policy: RemovalPolicy::Destroy,
        }
        resource alerts: Topic { display_name: "Alerts" }
        resource worker: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { BUS_NAME: orders.name },
        }
        resource orders: EventBus {
            event_bus_name: "orders",
            description: "Order events of the shop",
        }
        resource nightly: Rule {
            schedule: "cron(0 2 * * ? *)",
            targets: [RuleTarget::function(worker).input(serde_json::json!({"task": "cleanup"}))],
            description: "Nightly cleanup",
        }
        resource every_five_minutes: Rule {
            schedule: Schedule::rate(Duration::minutes(5)),
            targets: [RuleTarget::function(worker)],
            enabled: false,
        }
        resource on_upload: Rule {
            event_pattern: EventPattern::new().source(["aws.s3"]).detail_type(["Object Created"]),
            targets: [RuleTarget::queue(jobs), RuleTarget::topic(alerts)],
            rule_name: "on-upload",
        }
        resource on_order: Rule {
            event_bus: orders,
            event_pattern: EventPattern::new()
                .source(["com.example.shop"])
                .detail_type(["Order Placed"])
                .detail(serde_json::json!({"total": [{"numeric": [">", 100]}]})),
            targets: [RuleTarget::queue(ordered_jobs).message_group_id("orders")],
        }

        grant worker put_events orders;
        grant worker consume jobs;

        output bus_arn = orders.arn;
        output bus_name = orders.name;
        output nightly_arn = nightly.arn;
        output nightly_name = nightly.name;
    }
}

fn template() -> Json {
    let stack = Events::new("Events");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    synthesized.template.to_json()
}

#[test]
fn every_option_attribute_and_grant_builds() {
    let template = template();
    assert_eq!(template["Outputs"].as_object().map(|o| o.len()), Some(4));
    let r = &template["Resources"];
    assert_eq!(
        r["Nightly"]["Properties"],
        json!({
            "Description": "Nightly cleanup",
            "ScheduleExpression": "cron(0 2 * * ? *)",
            "State": "ENABLED",
            "Targets": [{
                "Arn": {"Fn::GetAtt": ["Worker", "Arn"]},
                "Id": "Target0",
                "Input": "{\"task\":\"cleanup\"}"
            }]
        })
    );
    let five = &r["EveryFiveMinutes"]["Properties"];
    assert_eq!(five["ScheduleExpression"], "rate(5 minutes)");
    assert_eq!(five["State"], "DISABLED");
    assert_eq!(
        r["OnUpload"]["Properties"]["EventPattern"],
        json!({"source": ["aws.s3"], "detail-type": ["Object Created"]})
    );
    assert_eq!(r["OnUpload"]["Properties"]["Name"], "on-upload");
    let on_order = &r["OnOrder"]["Properties"];
    assert_eq!(on_order["EventBusName"], json!({"Ref": "Orders"}));
    assert_eq!(
        on_order["Targets"][0]["SqsParameters"],
        json!({"MessageGroupId": "orders"})
    );
    assert_eq!(
        r["Orders"]["Properties"],
        json!({"Description": "Order events of the shop", "Name": "orders"})
    );
}

#[test]
fn each_target_gets_the_permission_it_needs_for_its_rule_only() {
    let r = &template()["Resources"];
    for (permission, rule) in [
        ("NightlyWorkerPermission", "Nightly"),
        ("EveryFiveMinutesWorkerPermission", "EveryFiveMinutes"),
    ] {
        assert_eq!(
            r[permission]["Properties"],
            json!({
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Fn::GetAtt": ["Worker", "Arn"]},
                "Principal": "events.amazonaws.com",
                "SourceArn": {"Fn::GetAtt": [rule, "Arn"]}
            })
        );
    }
    let scoped = json!({"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["OnUpload", "Arn"]}}});
    let queue = &r["JobsPolicy"]["Properties"]["PolicyDocument"]["Statement"][1];
    assert_eq!(queue["Action"], "sqs:SendMessage");
    assert_eq!(
        queue["Principal"],
        json!({"Service": "events.amazonaws.com"})
    );
    assert_eq!(queue["Condition"], scoped);
    let topic = &r["AlertsPolicy"]["Properties"]["PolicyDocument"]["Statement"][1];
    assert_eq!(topic["Action"], "sns:Publish");
    assert_eq!(topic["Condition"], scoped);
    assert_eq!(
        r["OrderedJobsPolicy"]["Properties"]["PolicyDocument"]["Statement"][1]["Condition"],
        json!({"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["OnOrder", "Arn"]}}})
    );
}

#[test]
fn put_events_is_scoped_to_the_bus() {
    let r = &template()["Resources"];
    let statements = r["WorkerServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let put = statements
        .iter()
        .find(|s| s["Action"] == "events:PutEvents")
        .unwrap_or_else(|| panic!("no events:PutEvents in {statements:?}"));
    assert_eq!(put["Resource"], json!({"Fn::GetAtt": ["Orders", "Arn"]}));
}

#[test]
fn events_is_lint_clean() {
    tests::assert_lint_clean(&Events::new("Events"));
}
