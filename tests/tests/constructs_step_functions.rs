//! Step Functions in a `stack!` block: an order workflow of every kind of state (Lambda
//! tasks, a Choice, a Map, a Parallel, a Wait, a Pass, Succeed and Fail), started every
//! night by an EventBridge rule, read by a reporting function and started by a task
//! function of its own; every option, attribute and grant of `StateMachine` builds, the
//! grant of a task function on its own machine closes no cycle, and the template lints
//! clean.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// An order workflow and what starts and reads it.
    pub stack Orders {
        resource validate: Function {
            code: Code::inline("def handler(event, context):\n    return {'status': 'ok', 'items': []}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource resize: Function {
            code: Code::inline("def handler(event, context):\n    return event\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            function_name: "orders-resize",
        }
        // Starts the next run of the workflow from inside it.
        resource reschedule: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource report: Function {
            code: Code::inline("def handler(event, context):\n    return None\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { FLOW_ARN: flow.arn },
        }
        resource flow: StateMachine {
            definition: Definition::new("Validate")
                .state(LambdaInvoke::new("Validate", validate)
                    .payload_response_only(true)
                    .result_path("$.validation")
                    .add_catch(Catch::new("Rejected").errors(["States.TaskFailed"]))
                    .next("Route"))
                .state(Choice::new("Route")
                    .when(Condition::string_equals("$.validation.status", "ok"), "Resize all")
                    .when(Condition::and([
                        Condition::is_present("$.retry"),
                        Condition::number_less_than("$.retry", 3),
                    ]), "Cool down")
                    .otherwise("Rejected"))
                .state(Wait::new("Cool down", WaitTime::duration(Duration::seconds(30))).next("Validate"))
                .state(Map::new("Resize all")
                    .items_path("$.validation.items")
                    .max_concurrency(5)
                    .result_path("$.resized")
                    .item_processor(Definition::new("Resize")
                        .state(LambdaInvoke::new("Resize", resize)
                            .add_retry(Retry::new().errors(["States.Timeout"]).max_attempts(2))
                            .end()))
                    .next("Finish"))
                .state(Parallel::new("Finish")
                    .branch(Definition::new("Reschedule")
                        .state(LambdaInvoke::new("Reschedule", reschedule).end()))
                    .branch(Definition::new("Summarize")
                        .state(Pass::new("Summarize").parameters(serde_json::json!({"done": true})).end()))
                    .next("Done"))
                .state(Succeed::new("Done"))
                .state(Fail::new("Rejected").error("OrderRejected").cause("The order did not validate")),
            state_machine_name: "orders-flow",
            timeout: Duration::minutes(30),
            comment: "Validates, resizes and reschedules orders",
            state_machine_type: StateMachineType::Standard,
            logging: LogLevel::Error,
            tracing_enabled: true,
        }
        resource ping: StateMachine {
            definition: Definition::new("Pong").state(Pass::new("Pong").end()),
            state_machine_type: StateMachineType::Express,
            timeout: Duration::minutes(1),
        }
        resource nightly: Rule {
            schedule: "cron(0 2 * * ? *)",
            targets: [
                RuleTarget::state_machine(flow).input(serde_json::json!({"source": "nightly"})),
                RuleTarget::state_machine(ping),
            ],
        }

        grant reschedule start_execution flow;
        grant report read flow;
        grant report start_execution ping;

        output flow_arn = flow.arn;
        output flow_name = flow.name;
    }
}

fn template() -> Json {
    let stack = Orders::new("Orders");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    synthesized.template.to_json()
}

/// The ASL document of a state machine, its placeholders resolved to sample values.
fn document(template: &Json, id: &str) -> Json {
    let definition = &template["Resources"][id]["Properties"]["DefinitionString"];
    let text = match (definition.as_str(), definition["Fn::Sub"].as_str()) {
        (Some(text), _) | (None, Some(text)) => text.to_owned(),
        _ => panic!("DefinitionString is neither a string nor a Fn::Sub: {definition}"),
    };
    let resolved = ["Validate", "Resize", "Reschedule"].iter().fold(
        text.replace("${AWS::Partition}", "aws"),
        |text, id| {
            text.replace(
                &format!("${{{id}.Arn}}"),
                &format!("arn:aws:lambda:::function:{id}"),
            )
        },
    );
    serde_json::from_str(&resolved).unwrap_or_else(|e| panic!("{e}: {resolved}"))
}

#[test]
fn every_state_kind_renders_to_the_states_language() {
    let template = template();
    let flow = document(&template, "Flow");
    assert_eq!(flow["StartAt"], "Validate");
    assert_eq!(flow["TimeoutSeconds"], 1800);
    assert_eq!(flow["Comment"], "Validates, resizes and reschedules orders");
    let states = &flow["States"];
    let kinds: Vec<&str> = [
        "Validate",
        "Route",
        "Cool down",
        "Resize all",
        "Finish",
        "Done",
        "Rejected",
    ]
    .iter()
    .map(|s| states[s]["Type"].as_str().unwrap_or("missing"))
    .collect();
    assert_eq!(
        kinds,
        ["Task", "Choice", "Wait", "Map", "Parallel", "Succeed", "Fail"]
    );
    assert_eq!(
        states["Validate"]["Resource"],
        "arn:aws:lambda:::function:Validate"
    );
    assert_eq!(
        states["Resize all"]["ItemProcessor"]["States"]["Resize"]["Parameters"]["FunctionName"],
        "arn:aws:lambda:::function:Resize"
    );
    assert_eq!(states["Route"]["Default"], "Rejected");
    assert_eq!(
        states["Finish"]["Branches"][1]["States"]["Summarize"]["Type"],
        "Pass"
    );
    let properties = &template["Resources"]["Flow"]["Properties"];
    assert_eq!(properties["StateMachineName"], "orders-flow");
    assert_eq!(properties["TracingConfiguration"], json!({"Enabled": true}));
    assert_eq!(properties["LoggingConfiguration"]["Level"], "ERROR");
    assert_eq!(
        template["Resources"]["Ping"]["Properties"]["StateMachineType"],
        "EXPRESS"
    );
    assert_eq!(template["Outputs"].as_object().map(|o| o.len()), Some(2));
}

#[test]
fn the_role_invokes_exactly_the_task_functions() {
    let template = template();
    let statements = &template["Resources"]["FlowRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"];
    let invoke = statements
        .as_array()
        .and_then(|s| s.iter().find(|s| s["Action"] == "lambda:InvokeFunction"))
        .unwrap_or_else(|| panic!("no invoke statement in {statements}"));
    let resources: Vec<&Json> = invoke["Resource"]
        .as_array()
        .map(|r| r.iter().collect())
        .unwrap_or_default();
    assert_eq!(
        resources.len(),
        6,
        "three functions, each with its versions: {resources:?}"
    );
    assert!(!invoke.to_string().contains("Report"));
}

#[test]
fn a_scheduled_rule_starts_both_machines_through_its_role() {
    let template = template();
    let r = &template["Resources"];
    let targets = &r["Nightly"]["Properties"]["Targets"];
    assert_eq!(targets[0]["Arn"], json!({"Ref": "Flow"}));
    assert_eq!(targets[1]["Arn"], json!({"Ref": "Ping"}));
    for target in targets.as_array().into_iter().flatten() {
        assert_eq!(
            target["RoleArn"],
            json!({"Fn::GetAtt": ["NightlyEventsRole", "Arn"]})
        );
    }
    assert_eq!(
        r["NightlyEventsRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
            ["Action"],
        "states:StartExecution"
    );
}

#[test]
fn a_task_function_starting_its_own_machine_gets_a_separate_policy() {
    let template = template();
    let r = &template["Resources"];
    assert_eq!(
        r["RescheduleServiceRoleDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "states:StartExecution", "Resource": {"Ref": "Flow"}}])
    );
    // The reporting function is no task: its grants stay inline.
    let report = r["ReportServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .to_string();
    assert!(
        report.contains("states:GetExecutionHistory") && report.contains("states:StartExecution")
    );
}

/// cfn-lint checks a `DefinitionString` against the States Language schema only when it
/// is a plain string: this lints the template with each definition resolved to one.
#[test]
fn the_states_language_passes_cfn_lints_schema() {
    let mut template = template();
    for id in ["Flow", "Ping"] {
        let resolved = document(&template, id).to_string();
        template["Resources"][id]["Properties"]["DefinitionString"] = Json::String(resolved);
    }
    let cfn_lint = tests::cfn_lint().unwrap_or_else(|e| panic!("{e}"));
    let path = std::env::temp_dir().join(format!("stack-sfn-asl-{}.json", std::process::id()));
    std::fs::write(&path, template.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let output = std::process::Command::new(&cfn_lint)
        .args(["--format", "parseable", "--"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", cfn_lint.display()));
    let _ = std::fs::remove_file(&path);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.trim().is_empty(),
        "cfn-lint rejected the States Language:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn step_functions_is_lint_clean() {
    tests::assert_lint_clean(&Orders::new("Orders"));
}
