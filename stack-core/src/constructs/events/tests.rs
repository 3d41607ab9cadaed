// Rules and buses as they are synthesized: schedules, patterns, each kind of target with
// its permission, and what is reported at synth.
use super::super::{
    Code, Construct, Definition, Duration, Function, FunctionProps, Queue, QueueProps, Runtime,
    StateMachine, StateMachineProps, Succeed, Topic, TopicProps,
};
use super::*;
use crate::stack::StackBuilder;
use crate::value::IntoValue;
use serde_json::json;

fn synth(build: impl FnOnce(&mut StackBuilder)) -> Result<serde_json::Value, Vec<String>> {
    let mut stack = StackBuilder::new("Test");
    build(&mut stack);
    stack
        .finish()
        .map(|s| s.template.to_json())
        .map_err(|e| e.problems)
}

fn rule(props: RuleProps) -> impl FnOnce(&mut StackBuilder) {
    move |stack| Rule::declare("Nightly").build(props, stack)
}

fn worker(stack: &mut StackBuilder) -> Function {
    let worker = Function::declare("Worker");
    worker.build(
        FunctionProps::default()
            .code(Code::inline("def handler(event, context): pass"))
            .runtime(Runtime::Python312)
            .handler("index.handler"),
        stack,
    );
    worker
}

#[test]
fn a_scheduled_rule_invokes_its_function_with_a_permission_for_this_rule() {
    let template = synth(|stack| {
        let worker = worker(stack);
        Rule::declare("Nightly").build(
            RuleProps::default()
                .schedule("cron(0 2 * * ? *)")
                .targets([RuleTarget::function(&worker).input(json!({"task": "cleanup"}))]),
            stack,
        );
    })
    .expect("synthesizes");
    let r = &template["Resources"];
    assert_eq!(
        r["Nightly"],
        json!({
            "Type": "AWS::Events::Rule",
            "Properties": {
                "ScheduleExpression": "cron(0 2 * * ? *)",
                "State": "ENABLED",
                "Targets": [{
                    "Arn": {"Fn::GetAtt": ["Worker", "Arn"]},
                    "Id": "Target0",
                    "Input": "{\"task\":\"cleanup\"}"
                }]
            }
        })
    );
    assert_eq!(
        r["NightlyWorkerPermission"]["Properties"],
        json!({
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": ["Worker", "Arn"]},
            "Principal": "events.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": ["Nightly", "Arn"]}
        })
    );
}

#[test]
fn a_pattern_rule_on_a_bus_sends_to_a_queue_and_a_topic_scoped_to_the_rule() {
    let template = synth(|stack| {
        let bus = EventBus::declare("Orders");
        bus.build(EventBusProps::default(), stack);
        let jobs = Queue::declare("Jobs");
        jobs.build(QueueProps::default().fifo(true), stack);
        let alerts = Topic::declare("Alerts");
        Rule::declare("OnOrder").build(
            RuleProps::default()
                .event_bus(&bus)
                .event_pattern(
                    EventPattern::new()
                        .source(["com.example.orders"])
                        .detail_type(["Order Placed"])
                        .resources([jobs.arn()])
                        .detail(json!({"total": [{"numeric": [">", 100]}]})),
                )
                .targets([
                    RuleTarget::queue(&jobs).message_group_id("orders"),
                    RuleTarget::topic(&alerts),
                ])
                .enabled(false)
                .rule_name("on-order")
                .description("Large orders"),
            stack,
        );
        // The topic is built after the rule added to its policy.
        alerts.build(TopicProps::default(), stack);
    })
    .expect("synthesizes");
    let r = &template["Resources"];
    assert_eq!(
        r["Orders"]["Properties"],
        json!({"Name": {"Fn::Sub": "${AWS::StackName}-Orders"}})
    );
    let rule = &r["OnOrder"]["Properties"];
    assert_eq!(rule["EventBusName"], json!({"Ref": "Orders"}));
    assert_eq!(rule["State"], "DISABLED");
    assert_eq!(rule["Name"], "on-order");
    assert_eq!(
        rule["EventPattern"],
        json!({
            "source": ["com.example.orders"],
            "detail-type": ["Order Placed"],
            "resources": [{"Fn::GetAtt": ["Jobs", "Arn"]}],
            "detail": {"total": [{"numeric": [">", 100]}]}
        })
    );
    assert_eq!(
        rule["Targets"][0]["SqsParameters"],
        json!({"MessageGroupId": "orders"})
    );
    assert_eq!(rule["Targets"][1]["Id"], "Target1");
    let scoped = json!({"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["OnOrder", "Arn"]}}});
    let queue_policy = &r["JobsPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(queue_policy[1]["Action"], "sqs:SendMessage");
    assert_eq!(
        queue_policy[1]["Principal"],
        json!({"Service": "events.amazonaws.com"})
    );
    assert_eq!(queue_policy[1]["Condition"], scoped);
    let topic_policy = &r["AlertsPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(topic_policy[0]["Effect"], "Deny", "the TLS rule leads");
    assert_eq!(topic_policy[1]["Action"], "sns:Publish");
    assert_eq!(topic_policy[1]["Condition"], scoped);
}

#[test]
fn two_targets_on_one_function_share_its_permission() {
    let template = synth(|stack| {
        let worker = worker(stack);
        Rule::declare("Nightly").build(
            RuleProps::default().schedule("rate(1 day)").targets([
                RuleTarget::function(&worker).input(json!({"part": 1})),
                RuleTarget::function(&worker).input(json!({"part": 2})),
            ]),
            stack,
        );
    })
    .expect("synthesizes");
    let r = template["Resources"].as_object().expect("resources");
    let permissions = r
        .values()
        .filter(|v| v["Type"] == "AWS::Lambda::Permission")
        .count();
    assert_eq!(permissions, 1);
    assert_eq!(
        template["Resources"]["Nightly"]["Properties"]["Targets"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn rates_are_written_in_the_largest_whole_unit() {
    let expression = |d| match Schedule::rate(d).to_value().into_expr() {
        crate::expr::Expr::Str(s) => s,
        other => panic!("{other:?}"),
    };
    assert_eq!(expression(Duration::minutes(5)), "rate(5 minutes)");
    assert_eq!(expression(Duration::minutes(120)), "rate(2 hours)");
    assert_eq!(expression(Duration::days(1)), "rate(1 day)");
    assert_eq!(expression(Duration::seconds(90)), "rate(90 seconds)");
    // What EventBridge cannot take is reported at synth, like a literal.
    let problems = synth(rule(
        RuleProps::default().schedule(Schedule::rate(Duration::seconds(30))),
    ))
    .expect_err("reported");
    assert_eq!(
        problems,
        ["rule `Nightly`: `schedule` `rate(30 seconds)`: the unit `seconds` must be minute(s), hour(s) or day(s)"]
    );
}

#[test]
fn a_bus_takes_its_name_and_description_and_grants_put_events() {
    let template = synth(|stack| {
        EventBus::declare("Orders").build(
            EventBusProps::default()
                .event_bus_name("orders")
                .description("Order events"),
            stack,
        );
    })
    .expect("synthesizes");
    assert_eq!(
        template["Resources"]["Orders"],
        json!({
            "Type": "AWS::Events::EventBus",
            "Properties": {"Description": "Order events", "Name": "orders"}
        })
    );
    let bus = EventBus::declare("Orders");
    for grant in crate::constructs::catalog_grants("EventBus") {
        let statements = match *grant {
            "put_events" => bus.grant_put_events(),
            other => panic!("no test for grant `{other}`"),
        }
        .statements;
        assert_eq!(statements.len(), 1);
        assert_eq!(statements[0].actions, ["events:PutEvents"]);
        assert_eq!(statements[0].resources, [bus.arn().into_value()]);
    }
}

#[test]
fn a_rule_with_neither_pattern_nor_schedule_is_reported() {
    let problems = synth(rule(RuleProps::default())).expect_err("reported");
    assert_eq!(
        problems,
        ["rule `Nightly` has neither `event_pattern` nor `schedule`; give it one, such as `schedule: \"rate(1 hour)\"` or `event_pattern: EventPattern::new().source([\"aws.s3\"])`"]
    );
}

#[test]
fn mistakes_are_reported_at_synth() {
    let problems = synth(|stack| {
        let bus = EventBus::declare("Bus");
        bus.build(
            EventBusProps::default()
                .event_bus_name("default")
                .description("d".repeat(513)),
            stack,
        );
        let jobs = Queue::declare("Jobs");
        jobs.build(QueueProps::default(), stack);
        let alerts = Topic::declare("Alerts");
        alerts.build(TopicProps::default(), stack);
        Rule::declare("Nightly").build(
            RuleProps::default()
                .schedule("cron(0 25 * * ? *)")
                .event_bus(&bus)
                .event_pattern(EventPattern::new().source(Vec::<String>::new()))
                .rule_name("nightly cleanup")
                .targets(
                    std::iter::repeat_n(RuleTarget::queue(&jobs), 5)
                        .chain([RuleTarget::topic(&alerts).message_group_id("g")]),
                ),
            stack,
        );
        Rule::declare("Empty").build(
            RuleProps::default().event_pattern(EventPattern::new()),
            stack,
        );
    })
    .expect_err("reported");
    assert_eq!(
        problems,
        [
            "event bus `Bus`: `event_bus_name` `default` is the account's default event bus; a rule without `event_bus` uses it",
            "event bus `Bus`: `description` is 513 characters long; EventBridge accepts at most 512",
            "rule `Nightly`: `schedule` `cron(0 25 * * ? *)`: the hours field `25` must be 0-23",
            "rule `Nightly`: `rule_name` `nightly cleanup` may hold only letters, digits, `.`, `-` and `_`",
            "rule `Nightly`: `schedule` runs on the default event bus only; drop `event_bus`, or match events with `event_pattern`",
            "rule `Nightly`: `event_pattern` has an empty `source`, which matches no event",
            "rule `Nightly` has 6 targets; EventBridge allows at most 5 per rule",
            "rule `Nightly`: target 5 has a `message_group_id`, which only a queue target takes",
            "rule `Empty`: `event_pattern` matches on no field; give it a `source`, `detail_type` or another field",
        ]
    );
}

#[test]
fn a_state_machine_target_is_started_by_one_role_of_the_rule() {
    let template = synth(|stack| {
        let machines: Vec<StateMachine> = ["Flow", "Other"]
            .into_iter()
            .map(|id| {
                let machine = StateMachine::declare(id);
                machine.build(
                    StateMachineProps::default()
                        .definition(Definition::new("Done").state(Succeed::new("Done"))),
                    stack,
                );
                machine
            })
            .collect();
        Rule::declare("Nightly").build(
            RuleProps::default().schedule("rate(1 day)").targets([
                RuleTarget::state_machine(&machines[0]).input(json!({"run": "nightly"})),
                RuleTarget::state_machine(&machines[1]),
            ]),
            stack,
        );
    })
    .expect("synthesizes");
    let r = &template["Resources"];
    let targets = &r["Nightly"]["Properties"]["Targets"];
    assert_eq!(
        targets[0],
        json!({
            "Arn": {"Ref": "Flow"},
            "Id": "Target0",
            "Input": "{\"run\":\"nightly\"}",
            "RoleArn": {"Fn::GetAtt": ["NightlyEventsRole", "Arn"]}
        })
    );
    assert_eq!(targets[1]["RoleArn"], targets[0]["RoleArn"]);
    let role = &r["NightlyEventsRole"]["Properties"];
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "events.amazonaws.com"})
    );
    assert_eq!(
        role["Policies"][0]["PolicyDocument"]["Statement"],
        json!([
            {"Effect": "Allow", "Action": "states:StartExecution", "Resource": {"Ref": "Flow"}},
            {"Effect": "Allow", "Action": "states:StartExecution", "Resource": {"Ref": "Other"}}
        ])
    );
    let roles = r.as_object().map_or(0, |r| {
        r.values().filter(|v| v["Type"] == "AWS::IAM::Role").count()
    });
    assert_eq!(roles, 3, "the two machines' roles and the rule's");
}
