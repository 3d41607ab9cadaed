// State machines as they are synthesized: the States Language of each kind of state, the
// definition string with its function ARNs, the role, grants, logging, the graph the
// builders make (whose problems stack-spec's tests cover) and how problems are reported.
use super::super::{Code, Construct, Duration, Function, FunctionProps, Runtime};
use super::*;
use crate::stack::StackBuilder;
use crate::value::IntoValue;
use serde_json::{json, Value as Json};
use stack_spec::rules::stepfunctions::graph::{self, How, Kind};

fn synth(build: impl FnOnce(&mut StackBuilder)) -> Result<Json, Vec<String>> {
    let mut stack = StackBuilder::new("Test");
    build(&mut stack);
    stack
        .finish()
        .map(|s| s.template.to_json())
        .map_err(|e| e.problems)
}

fn function(stack: &mut StackBuilder, id: &str) -> Function {
    let function = Function::declare(id);
    function.build(
        FunctionProps::default()
            .code(Code::inline("def handler(event, context): return event"))
            .runtime(Runtime::Python312)
            .handler("index.handler"),
        stack,
    );
    function
}

/// The ASL of a definition as the state machine renders it, function ARNs as `GetAtt`s.
fn asl(definition: Definition) -> Json {
    definition.to_expr().to_json()
}

/// The problems reported for a state machine `Flow` with this definition.
fn problems(definition: Definition) -> Vec<String> {
    synth(|stack| {
        StateMachine::declare("Flow")
            .build(StateMachineProps::default().definition(definition), stack)
    })
    .expect_err("reported")
}

#[test]
fn a_lambda_task_invokes_its_function_and_retries_lambda_service_errors() {
    let worker = Function::declare("Worker");
    let states = asl(Definition::new("Validate")
        .state(
            LambdaInvoke::new("Validate", &worker)
                .comment("Checks the order")
                .input_path("$.order")
                .result_path("$.validation")
                .output_path("$")
                .task_timeout(Duration::seconds(30))
                .add_retry(
                    Retry::new()
                        .errors(["States.Timeout"])
                        .interval(Duration::seconds(1))
                        .max_attempts(3)
                        .backoff_rate(1.5),
                )
                .add_catch(
                    Catch::new("Done")
                        .errors(["States.TaskFailed"])
                        .result_path("$.error"),
                )
                .next("Done"),
        )
        .state(Succeed::new("Done")));
    assert_eq!(
        states["States"]["Validate"],
        json!({
            "Type": "Task",
            "Comment": "Checks the order",
            "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":states:::lambda:invoke"]]},
            "Parameters": {"FunctionName": {"Fn::GetAtt": ["Worker", "Arn"]}, "Payload.$": "$"},
            "TimeoutSeconds": 30,
            "InputPath": "$.order",
            "ResultPath": "$.validation",
            "OutputPath": "$",
            "Retry": [
                {
                    "ErrorEquals": [
                        "Lambda.ServiceException",
                        "Lambda.AWSLambdaException",
                        "Lambda.SdkClientException",
                        "Lambda.TooManyRequestsException"
                    ],
                    "IntervalSeconds": 2,
                    "MaxAttempts": 6,
                    "BackoffRate": 2
                },
                {"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 1.5}
            ],
            "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "Done"}],
            "Next": "Done"
        })
    );
    assert_eq!(states["StartAt"], "Validate");
    assert_eq!(states["States"]["Done"], json!({"Type": "Succeed"}));
    let bare = asl(Definition::new("Call").state(
        LambdaInvoke::new("Call", &worker)
            .payload_response_only(true)
            .retry_on_service_exceptions(false)
            .end(),
    ));
    assert_eq!(
        bare["States"]["Call"],
        json!({"Type": "Task", "Resource": {"Fn::GetAtt": ["Worker", "Arn"]}, "End": true})
    );
    let again = LambdaInvoke::new("Call", &worker)
        .retry_on_service_exceptions(false)
        .retry_on_service_exceptions(true);
    assert_eq!(
        again,
        LambdaInvoke::new("Call", &worker),
        "the default retry comes back once"
    );
}

#[test]
fn pass_wait_succeed_and_fail_render_their_fields() {
    let states = asl(Definition::new("Defaults")
        .state(
            Pass::new("Defaults")
                .result(json!({"retries": 0}))
                .result_path("$.config")
                .next("Shape"),
        )
        .state(
            Pass::new("Shape")
                .parameters(json!({"id.$": "$.order.id"}))
                .next("Pause"),
        )
        .state(Wait::new("Pause", WaitTime::duration(Duration::minutes(1))).next("Until"))
        .state(Wait::new("Until", WaitTime::timestamp_path("$.at")).next("By path"))
        .state(Wait::new("By path", WaitTime::seconds_path("$.delay")).next("Fixed"))
        .state(Wait::new("Fixed", WaitTime::timestamp("2030-01-01T00:00:00Z")).end())
        .state(Succeed::new("Done").output_path("$.result"))
        .state(
            Fail::new("Rejected")
                .comment("No")
                .error("OrderRejected")
                .cause("Invalid order"),
        ))["States"]
        .clone();
    assert_eq!(
        states["Defaults"],
        json!({"Type": "Pass", "Result": {"retries": 0}, "ResultPath": "$.config", "Next": "Shape"})
    );
    assert_eq!(states["Shape"]["Parameters"], json!({"id.$": "$.order.id"}));
    assert_eq!(
        states["Pause"],
        json!({"Type": "Wait", "Seconds": 60, "Next": "Until"})
    );
    assert_eq!(states["Until"]["TimestampPath"], "$.at");
    assert_eq!(states["By path"]["SecondsPath"], "$.delay");
    assert_eq!(
        states["Fixed"],
        json!({"Type": "Wait", "Timestamp": "2030-01-01T00:00:00Z", "End": true})
    );
    assert_eq!(
        states["Done"],
        json!({"Type": "Succeed", "OutputPath": "$.result"})
    );
    assert_eq!(
        states["Rejected"],
        json!({"Type": "Fail", "Comment": "No", "Error": "OrderRejected", "Cause": "Invalid order"})
    );
}

#[test]
fn choice_rules_render_their_conditions_and_default() {
    let states = asl(Definition::new("Route").state(
        Choice::new("Route")
            .when(Condition::string_equals("$.status", "ok"), "A")
            .when(
                Condition::and([
                    Condition::number_greater_than_equals("$.total", 100),
                    Condition::not(Condition::is_present("$.coupon")),
                ]),
                "B",
            )
            .when(
                Condition::or([
                    Condition::number_less_than("$.n", 1.5),
                    Condition::boolean_equals("$.vip", true),
                    Condition::string_matches("$.sku", "X-*"),
                    Condition::is_null("$.x"),
                    Condition::is_not_present("$.y"),
                    Condition::number_equals("$.z", 0),
                ]),
                "C",
            )
            .otherwise("D"),
    ));
    assert_eq!(
        states["States"]["Route"],
        json!({
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.status", "StringEquals": "ok", "Next": "A"},
                {"And": [
                    {"Variable": "$.total", "NumericGreaterThanEquals": 100},
                    {"Not": {"Variable": "$.coupon", "IsPresent": true}}
                ], "Next": "B"},
                {"Or": [
                    {"Variable": "$.n", "NumericLessThan": 1.5},
                    {"Variable": "$.vip", "BooleanEquals": true},
                    {"Variable": "$.sku", "StringMatches": "X-*"},
                    {"Variable": "$.x", "IsNull": true},
                    {"Variable": "$.y", "IsPresent": false},
                    {"Variable": "$.z", "NumericEquals": 0}
                ], "Next": "C"}
            ],
            "Default": "D"
        })
    );
}

#[test]
fn parallel_branches_and_map_item_processors_are_definitions_of_their_own() {
    let worker = Function::declare("Worker");
    let states = asl(Definition::new("Fan out")
        .state(
            Parallel::new("Fan out")
                .branch(Definition::new("Left").state(Pass::new("Left").end()))
                .branch(Definition::new("Right").state(LambdaInvoke::new("Right", &worker).end()))
                .add_catch(Catch::new("Each"))
                .next("Each"),
        )
        .state(
            Map::new("Each")
                .items_path("$.items")
                .max_concurrency(5)
                .item_processor(Definition::new("Item").state(Succeed::new("Item")))
                .end(),
        ))["States"]
        .clone();
    assert_eq!(
        states["Fan out"]["Branches"],
        json!([
            {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
            {"StartAt": "Right", "States": {"Right": states["Fan out"]["Branches"][1]["States"]["Right"].clone()}}
        ])
    );
    assert_eq!(
        states["Fan out"]["Branches"][1]["States"]["Right"]["Type"],
        "Task"
    );
    assert_eq!(
        states["Fan out"]["Catch"],
        json!([{"ErrorEquals": ["States.ALL"], "Next": "Each"}])
    );
    assert_eq!(
        states["Each"],
        json!({
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 5,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Item",
                "States": {"Item": {"Type": "Succeed"}}
            },
            "End": true
        })
    );
}

#[test]
fn the_definition_string_is_one_sub_with_the_function_arns_spliced_in() {
    let template = synth(|stack| {
        let worker = function(stack, "Worker");
        StateMachine::declare("Flow").build(
            StateMachineProps::default()
                .definition(
                    Definition::new("Call")
                        .state(LambdaInvoke::new("Call", &worker).next("Done"))
                        .state(
                            Pass::new("Done")
                                .result(json!({"note": "costs ${5}"}))
                                .end(),
                        ),
                )
                .timeout(Duration::minutes(30))
                .comment("Orders"),
            stack,
        );
    })
    .expect("synthesizes");
    let machine = &template["Resources"]["Flow"];
    assert_eq!(machine["Type"], "AWS::StepFunctions::StateMachine");
    assert_eq!(
        machine["Properties"]["RoleArn"],
        json!({"Fn::GetAtt": ["FlowRole", "Arn"]})
    );
    assert_eq!(
        machine["DependsOn"], "WorkerLogGroup",
        "executions wait for the function's log group"
    );
    let Some(sub) = machine["Properties"]["DefinitionString"]["Fn::Sub"].as_str() else {
        panic!("not a Fn::Sub: {machine}");
    };
    // Resolving the placeholders gives the ASL document.
    let resolved = sub
        .replace("${AWS::Partition}", "aws")
        .replace("${Worker.Arn}", "arn:aws:lambda:eu-west-1:1:function:w")
        .replace("${!", "${");
    let document: Json =
        serde_json::from_str(&resolved).unwrap_or_else(|e| panic!("{e}: {resolved}"));
    assert_eq!(document["Comment"], "Orders");
    assert_eq!(document["TimeoutSeconds"], 1800);
    assert_eq!(
        document["States"]["Call"]["Resource"],
        "arn:aws:states:::lambda:invoke"
    );
    assert_eq!(
        document["States"]["Call"]["Parameters"]["FunctionName"],
        "arn:aws:lambda:eu-west-1:1:function:w"
    );
    assert_eq!(document["States"]["Done"]["Result"]["note"], "costs ${5}");
}

#[test]
fn the_role_trusts_step_functions_of_this_account_and_invokes_exactly_the_task_functions() {
    let template = synth(|stack| {
        let a = function(stack, "A");
        let b = function(stack, "B");
        function(stack, "Unused");
        StateMachine::declare("Flow").build(
            StateMachineProps::default().definition(
                Definition::new("One")
                    .state(LambdaInvoke::new("One", &a).next("Both"))
                    .state(
                        Parallel::new("Both")
                            .branch(
                                Definition::new("Two").state(LambdaInvoke::new("Two", &b).end()),
                            )
                            .branch(
                                Definition::new("Three")
                                    .state(LambdaInvoke::new("Three", &a).end()),
                            )
                            .end(),
                    ),
            ),
            stack,
        );
    })
    .expect("synthesizes");
    let role = &template["Resources"]["FlowRole"];
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Principal": {"Service": "states.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
        }])
    );
    assert_eq!(
        role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": [
                {"Fn::GetAtt": ["A", "Arn"]},
                {"Fn::Sub": "${A.Arn}:*"},
                {"Fn::GetAtt": ["B", "Arn"]},
                {"Fn::Sub": "${B.Arn}:*"}
            ]
        }])
    );
}

#[test]
fn logging_tracing_name_and_type_become_properties_and_permissions() {
    let template = synth(|stack| {
        StateMachine::declare("Flow").build(
            StateMachineProps::default()
                .definition(Definition::new("Done").state(Succeed::new("Done")))
                .state_machine_name("order-flow")
                .state_machine_type(StateMachineType::Express)
                .logging(LogLevel::Error)
                .tracing_enabled(true),
            stack,
        );
    })
    .expect("synthesizes");
    let r = &template["Resources"];
    let properties = &r["Flow"]["Properties"];
    assert_eq!(properties["StateMachineName"], "order-flow");
    assert_eq!(properties["StateMachineType"], "EXPRESS");
    assert_eq!(properties["TracingConfiguration"], json!({"Enabled": true}));
    assert_eq!(
        properties["LoggingConfiguration"],
        json!({
            "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": ["FlowLogGroup", "Arn"]}}}],
            "IncludeExecutionData": false,
            "Level": "ERROR"
        })
    );
    assert_eq!(
        r["FlowLogGroup"]["Properties"],
        json!({"LogGroupName": {"Fn::Sub": "/aws/vendedlogs/states/${AWS::StackName}-Flow"}, "RetentionInDays": 365})
    );
    let statements = &r["FlowRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(statements[0]["Resource"], "*");
    let actions: Vec<&str> = statements[0]["Action"]
        .as_array()
        .map(|a| a.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    assert!(
        actions.contains(&"logs:CreateLogDelivery") && actions.contains(&"xray:PutTraceSegments"),
        "{actions:?}"
    );
    let off = synth(|stack| {
        StateMachine::declare("Flow").build(
            StateMachineProps::default()
                .definition(Definition::new("Done").state(Succeed::new("Done")))
                .logging(LogLevel::Off),
            stack,
        );
    })
    .expect("synthesizes");
    assert!(off["Resources"].get("FlowLogGroup").is_none());
    assert!(off["Resources"]["Flow"]["Properties"]
        .get("LoggingConfiguration")
        .is_none());
}

#[test]
fn grants_are_scoped_to_the_machine_and_its_executions() {
    let flow = StateMachine::declare("Flow");
    for grant in crate::constructs::catalog_grants("StateMachine") {
        let statements = match *grant {
            "start_execution" => flow.grant_start_execution(),
            "read" => flow.grant_read(),
            other => panic!("no test for grant `{other}`"),
        }
        .statements;
        assert!(statements
            .iter()
            .all(|s| s.actions.iter().all(|a| a.starts_with("states:"))));
        assert_eq!(statements[0].resources, [flow.arn().into_value()]);
    }
    assert_eq!(
        flow.grant_start_execution().statements[0].actions,
        ["states:StartExecution"]
    );
    let read = flow.grant_read().statements;
    assert_eq!(
        read[0].actions,
        ["states:DescribeStateMachine", "states:ListExecutions"]
    );
    assert_eq!(
        read[1].actions,
        ["states:DescribeExecution", "states:GetExecutionHistory"]
    );
    assert_eq!(
        read[1].resources[0].expr().to_json(),
        json!({"Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${Flow.Name}:*"})
    );
}

#[test]
fn a_task_function_that_starts_its_machine_gets_that_grant_in_a_separate_policy() {
    let template = synth(|stack| {
        let starter = function(stack, "Starter");
        let flow = StateMachine::declare("Flow");
        flow.build(
            StateMachineProps::default().definition(
                Definition::new("Start").state(LambdaInvoke::new("Start", &starter).end()),
            ),
            stack,
        );
        stack.grant(&starter, flow.grant_start_execution());
        stack.grant(&flow, flow.grant_read());
    })
    .expect("synthesizes");
    let r = &template["Resources"];
    assert!(r["StarterServiceRole"]["Properties"]
        .get("Policies")
        .is_none());
    assert_eq!(
        r["StarterServiceRoleDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"][0],
        json!({"Effect": "Allow", "Action": "states:StartExecution", "Resource": {"Ref": "Flow"}})
    );
    // The machine's grant on itself goes apart too; its invoke permission stays inline.
    assert_eq!(
        r["FlowRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"],
        "lambda:InvokeFunction"
    );
    assert_eq!(r["FlowRoleDefaultPolicy"]["Type"], "AWS::IAM::Policy");
}

#[test]
fn the_graph_is_read_from_every_builder_that_names_a_state() {
    let mut stack = StackBuilder::new("Test");
    let work = function(&mut stack, "Work");
    let definition = Definition::new("Work")
        .state(
            LambdaInvoke::new("Work", &work)
                .add_catch(Catch::new("Failed").errors(["States.TaskFailed"]))
                .next("Route"),
        )
        .state(
            Choice::new("Route")
                .when(Condition::is_present("$.items"), "Each")
                .otherwise("Both"),
        )
        .state(
            Map::new("Each")
                .item_processor(Definition::new("Item").state(Pass::new("Item").end()))
                .next("Pause"),
        )
        .state(
            Parallel::new("Both")
                .branch(Definition::new("Left").state(Succeed::new("Left")))
                .next("Orphan")
                .end(),
        )
        .state(Wait::new("Pause", WaitTime::seconds_path("$.delay")).next("Done"))
        .state(Pass::new("Orphan"))
        .state(Succeed::new("Done"))
        .state(Fail::new("Failed"));
    let to = |how, target: &str| graph::Transition {
        how,
        target: target.to_owned(),
    };
    let state = |name: &str, kind, transitions, end, nested| graph::State {
        name: name.to_owned(),
        kind,
        transitions,
        end,
        nested,
    };
    let leaf = |name: &str, kind, end| graph::Definition {
        start_at: name.to_owned(),
        states: vec![state(name, kind, vec![], end, vec![])],
    };
    assert_eq!(
        definition.graph(),
        graph::Definition {
            start_at: "Work".to_owned(),
            states: vec![
                state(
                    "Work",
                    Kind::Task,
                    vec![to(How::Next, "Route"), to(How::Catch, "Failed")],
                    false,
                    vec![]
                ),
                state(
                    "Route",
                    Kind::Choice,
                    vec![to(How::When, "Each"), to(How::Otherwise, "Both")],
                    false,
                    vec![]
                ),
                state(
                    "Each",
                    Kind::Map,
                    vec![to(How::Next, "Pause")],
                    false,
                    vec![leaf("Item", Kind::Pass, true)]
                ),
                // The last of `next` and `end` holds.
                state(
                    "Both",
                    Kind::Parallel,
                    vec![],
                    true,
                    vec![leaf("Left", Kind::Succeed, false)]
                ),
                state(
                    "Pause",
                    Kind::Wait,
                    vec![to(How::Next, "Done")],
                    false,
                    vec![]
                ),
                state("Orphan", Kind::Pass, vec![], false, vec![]),
                state("Done", Kind::Succeed, vec![], false, vec![]),
                state("Failed", Kind::Fail, vec![], false, vec![]),
            ],
        }
    );
}

#[test]
fn the_graph_s_problems_then_the_conditions_are_reported_with_the_machine() {
    let problems = problems(
        Definition::new("Route")
            .state(Choice::new("Route").when(Condition::string_equals("status", "ok"), "Dne"))
            .state(Succeed::new("Done")),
    );
    assert_eq!(
        problems,
        [
            "state machine `Flow`: state `Route`: `when` names `Dne`, which is not a state of the definition; did you mean `Done`?",
            "state machine `Flow`: Choice `Route` has no `otherwise`: an input no rule matches would fail the execution with `States.NoChoiceMatched`; add `.otherwise(\"<state>\")`, to a `Fail` state if failing is meant",
            "state machine `Flow`: Choice `Route`: the condition's variable `status` is not a JSONPath; write it from `$`, such as `$.status`",
        ]
    );
    let empty_and = problems_of_choice(Condition::and([]));
    assert_eq!(
        empty_and,
        ["state machine `Flow`: Choice `Inner`: `Condition::and` holds no condition; give it at least one"]
    );
}

/// The problems of a definition whose branch holds a Choice on `condition`.
fn problems_of_choice(condition: Condition) -> Vec<String> {
    let branch = Definition::new("Inner")
        .state(
            Choice::new("Inner")
                .when(condition, "Done")
                .otherwise("Done"),
        )
        .state(Succeed::new("Done"));
    problems(Definition::new("Both").state(Parallel::new("Both").branch(branch).end()))
}

#[test]
fn options_out_of_range_and_a_missing_definition_are_reported() {
    let problems = synth(|stack| {
        StateMachine::declare("Flow").build(
            StateMachineProps::default()
                .state_machine_name("order flow")
                .timeout(Duration::hours(1))
                .state_machine_type(StateMachineType::Express),
            stack,
        );
        StateMachine::declare("Long").build(
            StateMachineProps::default()
                .definition(Definition::new("Done").state(Succeed::new("Done")))
                .timeout(Duration::days(366)),
            stack,
        );
    })
    .expect_err("reported");
    assert_eq!(
        problems,
        [
            "state machine `Flow`: `state_machine_name` `order flow` may hold only letters, digits, `-` and `_`",
            "state machine `Flow`: `timeout` is 3600 s; an express execution runs at most 300 s (`Duration::minutes(5)`): shorten it or use `StateMachineType::Standard`",
            "state machine `Flow` has no `definition`; give it one: `Definition::new(\"<state>\").state(..)`",
            "state machine `Long`: `timeout` is 31622400 s; Step Functions accepts 1 s to 31536000 s (`Duration::days(365)`)",
        ]
    );
}
