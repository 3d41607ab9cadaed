//! [`StateMachine`]: a Step Functions state machine, its role, and grants to start and
//! read its executions.

use super::super::lambda::{log_group, DEFAULT_LOG_RETENTION_DAYS};
use super::super::{lit, literal_str, obj, Construct, Duration};
use super::definition::json_text;
use super::Definition;
use crate::aws;
use crate::aws::stepfunctions::state_machine as l1;
use crate::expr::Expr;
use crate::iam::{Grant, Principal, Statement};
use crate::kind;
use crate::pseudo;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Json, Value};
use stack_spec::rules::stepfunctions as rules;

/// The longest an express execution may run: 5 minutes.
const MAX_EXPRESS_SECONDS: u64 = 300;

/// What a state machine's role needs to deliver execution logs to CloudWatch Logs: these
/// actions take no resource narrower than `*`.
const LOG_DELIVERY_ACTIONS: [&str; 8] = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];

/// What a state machine's role needs to send traces to X-Ray.
const XRAY_ACTIONS: [&str; 4] = [
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
];

/// Whether executions are durable and long (standard) or fast and short (express).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StateMachineType {
    /// Exactly-once executions of up to a year, with their history kept: the default.
    #[default]
    Standard,
    /// At-least-once executions of up to 5 minutes, for high-volume event processing.
    Express,
}

/// Which execution events a state machine logs to its log group `<Id>LogGroup`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    /// Every event.
    All,
    /// Errors only.
    Error,
    /// Fatal errors only.
    Fatal,
    /// Nothing; no log group.
    Off,
}

impl LogLevel {
    fn as_str(self) -> &'static str {
        match self {
            LogLevel::All => "ALL",
            LogLevel::Error => "ERROR",
            LogLevel::Fatal => "FATAL",
            LogLevel::Off => "OFF",
        }
    }
}

/// A Step Functions state machine, its states built in Rust as a [`Definition`]:
///
/// ```rust,ignore
/// resource flow: StateMachine {
///     definition: Definition::new("Validate")
///         .state(LambdaInvoke::new("Validate", validate).next("Done"))
///         .state(Succeed::new("Done")),
///     timeout: Duration::minutes(30),
/// }
/// grant api start_execution flow;
/// ```
///
/// It runs as its own role `<Id>Role`, which only Step Functions of this account can
/// assume, allowed to invoke exactly the functions its tasks call. The definition is
/// rendered to Amazon States Language in `DefinitionString`, function ARNs included; its
/// graph is checked at compile time when its names are literals, and always when the
/// stack is synthesized (see [`Definition`]). It holds a role, so grants can be given to
/// it too (`grant flow read photos;`).
///
/// Resources: the role `<Id>Role`, the state machine `<Id>`, and with `logging` a log
/// group `<Id>LogGroup`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateMachine {
    id: String,
    role: String,
}

/// Options of a [`StateMachine`]: a `definition`, the rest optional.
#[derive(Clone, Debug, Default)]
pub struct StateMachineProps {
    definition: Option<Definition>,
    state_machine_name: Option<Value<String>>,
    timeout: Option<Duration>,
    comment: Option<Value<String>>,
    state_machine_type: StateMachineType,
    logging: Option<LogLevel>,
    tracing_enabled: bool,
}

impl StateMachineProps {
    /// The states and the one to start at.
    #[must_use]
    pub fn definition(mut self, definition: Definition) -> Self {
        self.definition = Some(definition);
        self
    }

    /// The state machine's name: 1 to 80 letters, digits, `-` and `_`; CloudFormation
    /// generates one when unset.
    #[must_use]
    pub fn state_machine_name(mut self, name: impl IntoValue<String>) -> Self {
        self.state_machine_name = Some(name.into_value());
        self
    }

    /// How long an execution may run before it fails with `States.Timeout` (ASL's
    /// `TimeoutSeconds`); a year (standard) or 5 minutes (express) when unset.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A comment on the whole definition (ASL's `Comment`).
    #[must_use]
    pub fn comment(mut self, comment: impl IntoValue<String>) -> Self {
        self.comment = Some(comment.into_value());
        self
    }

    /// Standard or express; standard when unset.
    #[must_use]
    pub fn state_machine_type(mut self, kind: StateMachineType) -> Self {
        self.state_machine_type = kind;
        self
    }

    /// Logs execution events at this level to a log group `<Id>LogGroup` of the stack,
    /// `/aws/vendedlogs/states/<StackName>-<Id>`, kept a year; no logs when unset.
    #[must_use]
    pub fn logging(mut self, level: LogLevel) -> Self {
        self.logging = Some(level);
        self
    }

    /// Whether executions are traced with X-Ray.
    #[must_use]
    pub fn tracing_enabled(mut self, enabled: bool) -> Self {
        self.tracing_enabled = enabled;
        self
    }
}

impl StateMachine {
    /// The state machine's ARN (`Ref`).
    pub fn arn(&self) -> Value<Arn<kind::stepfunctions::StateMachine>> {
        Value::reference(&self.id)
    }

    /// The state machine's name.
    pub fn name(&self) -> Value<String> {
        Value::get_att(&self.id, "Name")
    }

    /// The ARN of any of its executions: `arn:...:execution:<name>:*`.
    fn executions_arn(&self) -> Value<String> {
        Value::concat([
            Value::lit("arn:"),
            pseudo::partition(),
            Value::lit(":states:"),
            pseudo::region(),
            Value::lit(":"),
            pseudo::account_id(),
            Value::lit(":execution:"),
            self.name(),
            Value::lit(":*"),
        ])
    }

    /// `start_execution`: start executions (`states:StartExecution`).
    pub fn grant_start_execution(&self) -> Grant {
        Grant::new([Statement::allow(["states:StartExecution"], [self.arn()])])
    }

    /// `read`: describe the state machine, list its executions, and describe them and
    /// read their history.
    pub fn grant_read(&self) -> Grant {
        Grant::new([
            Statement::allow(
                ["states:DescribeStateMachine", "states:ListExecutions"],
                [self.arn()],
            ),
            Statement::allow(
                ["states:DescribeExecution", "states:GetExecutionHistory"],
                [self.executions_arn()],
            ),
        ])
    }

    fn check(&self, props: &StateMachineProps, stack: &mut StackBuilder) {
        let id = &self.id;
        let mut report = |problem: String| stack.report(format!("state machine `{id}`{problem}"));
        if let Some(Err(why)) = props
            .state_machine_name
            .as_ref()
            .and_then(literal_str)
            .map(rules::state_machine_name)
        {
            report(format!(": `state_machine_name` {why}"));
        }
        if let Some(timeout) = props.timeout {
            if let Err(why) = rules::timeout(timeout.as_seconds()) {
                report(format!(": `timeout` {why}"));
            } else if props.state_machine_type == StateMachineType::Express
                && timeout.as_seconds() > MAX_EXPRESS_SECONDS
            {
                report(format!(
                    ": `timeout` is {} s; an express execution runs at most {MAX_EXPRESS_SECONDS} s (`Duration::minutes(5)`): shorten it or use `StateMachineType::Standard`",
                    timeout.as_seconds()
                ));
            }
        }
        match &props.definition {
            None => report(
                " has no `definition`; give it one: `Definition::new(\"<state>\").state(..)`"
                    .to_owned(),
            ),
            Some(definition) => {
                for problem in definition.problems() {
                    report(format!(": {problem}"));
                }
            }
        }
    }

    /// The whole definition in Amazon States Language.
    fn document(props: &StateMachineProps, definition: &Definition) -> Expr {
        let Expr::Map(mut entries) = definition.to_expr() else {
            return definition.to_expr();
        };
        if let Some(timeout) = props.timeout {
            entries.push(("TimeoutSeconds".to_owned(), Expr::Int(timeout.as_i64())));
        }
        if let Some(comment) = &props.comment {
            entries.insert(0, ("Comment".to_owned(), comment.expr().clone()));
        }
        Expr::Map(entries)
    }
}

impl Principal for StateMachine {
    fn role_logical_id(&self) -> &str {
        &self.role
    }
}

impl Construct for StateMachine {
    type Props = StateMachineProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
            role: format!("{logical_id}Role"),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: StateMachineProps, stack: &mut StackBuilder) {
        self.check(&props, stack);
        let definition = props
            .definition
            .clone()
            .unwrap_or_else(|| Definition::new(""));

        // Only Step Functions, on behalf of this account, may assume the role.
        let trust = Value::<Json>::from_expr(obj([
            ("Version", lit("2012-10-17")),
            (
                "Statement",
                Expr::List(vec![obj([
                    ("Effect", lit("Allow")),
                    ("Principal", obj([("Service", lit("states.amazonaws.com"))])),
                    ("Action", lit("sts:AssumeRole")),
                    (
                        "Condition",
                        obj([(
                            "StringEquals",
                            obj([("aws:SourceAccount", pseudo::account_id().into_expr())]),
                        )]),
                    ),
                ])]),
            ),
        ]));
        let role = aws::iam::Role {
            assume_role_policy_document: Some(trust),
            ..Default::default()
        };
        stack.add_resource(&self.role, &role);

        let functions = definition.functions();
        if !functions.is_empty() {
            let arns = functions.iter().flat_map(|f| {
                let arn: Value<String> = f.arn.clone().into_value();
                [arn.clone(), Value::concat([arn, Value::lit(":*")])]
            });
            let invoke = Statement::allow(["lambda:InvokeFunction"], arns);
            stack.grant(self, Grant::new([invoke]));
        }

        let logging = match props.logging {
            None | Some(LogLevel::Off) => None,
            Some(level) => {
                let group_id = format!("{}LogGroup", self.id);
                let group = aws::logs::LogGroup {
                    log_group_name: Some(Value::sub(format!(
                        "/aws/vendedlogs/states/${{AWS::StackName}}-{}",
                        self.id
                    ))),
                    ..log_group(DEFAULT_LOG_RETENTION_DAYS)
                };
                stack.add_resource(&group_id, &group);
                let delivery = Statement::allow(LOG_DELIVERY_ACTIONS, ["*"]);
                stack.grant(self, Grant::new([delivery]));
                Some(l1::LoggingConfiguration {
                    destinations: Some(vec![l1::LogDestination {
                        cloud_watch_logs_log_group: Some(l1::CloudWatchLogsLogGroup {
                            log_group_arn: Some(Value::get_att(&group_id, "Arn")),
                        }),
                    }]),
                    include_execution_data: Some(false.into_value()),
                    level: Some(Value::lit(level.as_str())),
                })
            }
        };
        if props.tracing_enabled {
            stack.grant(self, Grant::new([Statement::allow(XRAY_ACTIONS, ["*"])]));
        }

        let machine = aws::stepfunctions::StateMachine {
            definition_string: Some(json_text(&Self::document(&props, &definition))),
            role_arn: Some(Value::get_att(&self.role, "Arn")),
            state_machine_name: props.state_machine_name.clone(),
            state_machine_type: (props.state_machine_type == StateMachineType::Express)
                .then(|| Value::lit("EXPRESS")),
            logging_configuration: logging,
            tracing_configuration: props.tracing_enabled.then(|| l1::TracingConfiguration {
                enabled: Some(true.into_value()),
            }),
            ..Default::default()
        };
        stack.add_resource(&self.id, &machine);
        // Executions may invoke a function as soon as the machine exists: its log group
        // must exist first, or Lambda would create it and the stack's would fail.
        for group in functions.iter().filter_map(|f| f.log_group.as_deref()) {
            stack.add_dependency(&self.id, group);
        }
    }
}
