//! The states of a [`Definition`](super::Definition): [`LambdaInvoke`], [`Pass`], [`Wait`],
//! [`Choice`], [`Parallel`], [`Map`], [`Succeed`] and [`Fail`], each a builder that becomes
//! a [`State`], with the [`Retry`] and [`Catch`] rules of the states that run work.

use super::super::{Duration, FunctionRef};
use super::{Condition, Definition};
use crate::expr::Expr;
use crate::kind;
use crate::value::{Arn, Value};
use stack_spec::rules::stepfunctions::graph::{self, How, Kind};

/// The errors Lambda's service raises that are worth retrying: a task that invokes a
/// function retries them on its own (2 s, then 4 s, ..., 6 attempts).
const LAMBDA_SERVICE_ERRORS: [&str; 4] = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

/// One state of a [`Definition`], of any kind: what [`Definition::state`] takes. Built
/// from a [`LambdaInvoke`], [`Pass`], [`Wait`], [`Choice`], [`Parallel`], [`Map`],
/// [`Succeed`] or [`Fail`].
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub(super) name: String,
    /// The state's kind, its `Type`.
    pub(super) kind: Kind,
    comment: Option<String>,
    /// The fields only this kind has, in the order they are rendered.
    fields: Vec<(String, Expr)>,
    paths: Vec<(&'static str, String)>,
    pub(super) transition: Transition,
    pub(super) choices: Vec<(Condition, String)>,
    pub(super) otherwise: Option<String>,
    retries: Vec<Retry>,
    pub(super) catches: Vec<Catch>,
    /// Parallel branches, or a Map's item processor.
    pub(super) nested: Vec<Definition>,
    pub(super) function: Option<TaskFunction>,
}

/// What [`Definition::state`] takes: a state of any kind. Anything else is an error that
/// lists the kinds.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a state",
    label = "a definition's states are `LambdaInvoke`, `Pass`, `Wait`, `Choice`, `Parallel`, `Map`, `Succeed` or `Fail`",
    note = "a definition of its own goes in `Parallel::branch` or `Map::item_processor`"
)]
pub trait IntoState {
    /// The state.
    fn into_state(self) -> State;
}

#[diagnostic::do_not_recommend]
impl IntoState for State {
    fn into_state(self) -> State {
        self
    }
}

/// Where a state goes once it is done.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Transition {
    /// Neither `next` nor `end`: a `Choice` goes on by its rules, `Succeed` and `Fail`
    /// end, and any other kind lacks one (which the graph check reports).
    Unset,
    /// `Next`: the state of this name.
    Next(String),
    /// `End`: the execution (or branch) ends here.
    End,
}

/// A Lambda function a task invokes.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct TaskFunction {
    pub(super) id: String,
    pub(super) arn: Value<Arn<kind::lambda::Function>>,
    pub(super) log_group: Option<String>,
}

impl State {
    fn new(name: impl Into<String>, kind: Kind) -> Self {
        Self {
            name: name.into(),
            kind,
            comment: None,
            fields: Vec::new(),
            paths: Vec::new(),
            transition: Transition::Unset,
            choices: Vec::new(),
            otherwise: None,
            retries: Vec::new(),
            catches: Vec::new(),
            nested: Vec::new(),
            function: None,
        }
    }

    fn field(&mut self, key: &str, value: Expr) {
        match self.fields.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => *slot = value,
            None => self.fields.push((key.to_owned(), value)),
        }
    }

    fn path(&mut self, key: &'static str, path: String) {
        self.paths.retain(|(k, _)| *k != key);
        self.paths.push((key, path));
    }

    /// The state in the graph [`graph::problems`] checks: its name, kind, where it goes
    /// (`next`, its Choice rules and default, its catchers) and its nested definitions.
    pub(super) fn graph(&self) -> graph::State {
        let mut transitions = Vec::new();
        let mut to = |how, target: &str| {
            transitions.push(graph::Transition {
                how,
                target: target.to_owned(),
            });
        };
        if let Transition::Next(next) = &self.transition {
            to(How::Next, next);
        }
        for (_, next) in &self.choices {
            to(How::When, next);
        }
        if let Some(otherwise) = &self.otherwise {
            to(How::Otherwise, otherwise);
        }
        for catch in &self.catches {
            to(How::Catch, &catch.next);
        }
        graph::State {
            name: self.name.clone(),
            kind: self.kind,
            transitions,
            end: self.transition == Transition::End,
            nested: self.nested.iter().map(Definition::graph).collect(),
        }
    }

    /// The state in Amazon States Language.
    pub(super) fn to_expr(&self) -> Expr {
        let mut out = vec![(
            "Type".to_owned(),
            Expr::Str(self.kind.type_name().to_owned()),
        )];
        if let Some(comment) = &self.comment {
            out.push(("Comment".to_owned(), Expr::Str(comment.clone())));
        }
        out.extend(self.fields.iter().cloned());
        match (self.kind, self.nested.as_slice()) {
            (Kind::Parallel, branches) => out.push((
                "Branches".to_owned(),
                Expr::List(branches.iter().map(Definition::to_expr).collect()),
            )),
            (Kind::Map, [processor]) => {
                let mut processor = match processor.to_expr() {
                    Expr::Map(entries) => entries,
                    _ => Vec::new(),
                };
                let inline = Expr::Map(vec![("Mode".to_owned(), Expr::Str("INLINE".to_owned()))]);
                processor.insert(0, ("ProcessorConfig".to_owned(), inline));
                out.push(("ItemProcessor".to_owned(), Expr::Map(processor)));
            }
            _ => {}
        }
        out.extend(
            self.paths
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Expr::Str(v.clone()))),
        );
        if !self.choices.is_empty() {
            let rules = self
                .choices
                .iter()
                .map(|(condition, next)| {
                    let mut rule = condition.fields();
                    rule.push(("Next".to_owned(), Expr::Str(next.clone())));
                    Expr::Map(rule)
                })
                .collect();
            out.push(("Choices".to_owned(), Expr::List(rules)));
        }
        if let Some(otherwise) = &self.otherwise {
            out.push(("Default".to_owned(), Expr::Str(otherwise.clone())));
        }
        if !self.retries.is_empty() {
            let retries = self.retries.iter().map(Retry::to_expr).collect();
            out.push(("Retry".to_owned(), Expr::List(retries)));
        }
        if !self.catches.is_empty() {
            let catches = self.catches.iter().map(Catch::to_expr).collect();
            out.push(("Catch".to_owned(), Expr::List(catches)));
        }
        match &self.transition {
            Transition::Next(next) => out.push(("Next".to_owned(), Expr::Str(next.clone()))),
            Transition::End => out.push(("End".to_owned(), Expr::Bool(true))),
            Transition::Unset => {}
        }
        Expr::Map(out)
    }
}

/// When a state that runs work retries it: `Retry::new().errors(["States.Timeout"])
/// .interval(Duration::seconds(1)).max_attempts(3).backoff_rate(2.0)`; every error
/// (`States.ALL`) when `errors` is not given.
#[derive(Clone, Debug, PartialEq)]
pub struct Retry {
    errors: Vec<String>,
    interval: Option<Duration>,
    max_attempts: Option<u32>,
    backoff_rate: Option<Expr>,
}

impl Default for Retry {
    fn default() -> Self {
        Self::new()
    }
}

impl Retry {
    /// Retries every error with Step Functions' defaults (1 s, 3 attempts, rate 2).
    pub fn new() -> Self {
        Self {
            errors: vec!["States.ALL".to_owned()],
            interval: None,
            max_attempts: None,
            backoff_rate: None,
        }
    }

    /// The errors retried (`States.Timeout`, `States.TaskFailed`, a function's own error
    /// names).
    #[must_use]
    pub fn errors(mut self, errors: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.errors = errors.into_iter().map(Into::into).collect();
        self
    }

    /// How long before the first retry.
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = Some(interval);
        self
    }

    /// How many retries at most; 0 retries never.
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// How much longer each wait is than the one before.
    #[must_use]
    pub fn backoff_rate(mut self, rate: f64) -> Self {
        self.backoff_rate = Some(Expr::Num(rate));
        self
    }

    fn to_expr(&self) -> Expr {
        let errors = self.errors.iter().map(|e| Expr::Str(e.clone())).collect();
        let mut out = vec![("ErrorEquals".to_owned(), Expr::List(errors))];
        if let Some(interval) = self.interval {
            out.push(("IntervalSeconds".to_owned(), Expr::Int(interval.as_i64())));
        }
        if let Some(attempts) = self.max_attempts {
            out.push(("MaxAttempts".to_owned(), Expr::Int(i64::from(attempts))));
        }
        if let Some(rate) = &self.backoff_rate {
            out.push(("BackoffRate".to_owned(), rate.clone()));
        }
        Expr::Map(out)
    }
}

/// Where a state that runs work goes when it fails (after its retries):
/// `Catch::new("NotifyFailure").errors(["States.TaskFailed"]).result_path("$.error")`;
/// on every error (`States.ALL`) when `errors` is not given.
#[derive(Clone, Debug, PartialEq)]
pub struct Catch {
    pub(super) next: String,
    errors: Vec<String>,
    result_path: Option<String>,
}

impl Catch {
    /// Goes to the state named `next` on any error.
    pub fn new(next: impl Into<String>) -> Self {
        Self {
            next: next.into(),
            errors: vec!["States.ALL".to_owned()],
            result_path: None,
        }
    }

    /// The errors caught.
    #[must_use]
    pub fn errors(mut self, errors: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.errors = errors.into_iter().map(Into::into).collect();
        self
    }

    /// Where in the state's input the error is put (`$.error`); the error replaces the
    /// input when unset.
    #[must_use]
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.result_path = Some(path.into());
        self
    }

    fn to_expr(&self) -> Expr {
        let errors = self.errors.iter().map(|e| Expr::Str(e.clone())).collect();
        let mut out = vec![("ErrorEquals".to_owned(), Expr::List(errors))];
        if let Some(path) = &self.result_path {
            out.push(("ResultPath".to_owned(), Expr::Str(path.clone())));
        }
        out.push(("Next".to_owned(), Expr::Str(self.next.clone())));
        Expr::Map(out)
    }
}

/// `comment`, and `input_path`/`output_path` unless `$io` is false.
macro_rules! common {
    ($ty:ident, io: $io:tt) => {
        impl $ty {
            /// A comment shown with the state in the console.
            #[must_use]
            pub fn comment(mut self, comment: impl Into<String>) -> Self {
                self.0.comment = Some(comment.into());
                self
            }
            common!(@io $io);
        }

        #[diagnostic::do_not_recommend]
        impl IntoState for $ty {
            fn into_state(self) -> State {
                self.0
            }
        }
    };
    (@io true) => {
        /// The part of the state's input it works on (`$.order`); the whole input when
        /// unset.
        #[must_use]
        pub fn input_path(mut self, path: impl Into<String>) -> Self {
            self.0.path("InputPath", path.into());
            self
        }

        /// The part of the state's output passed on (`$.result`); all of it when unset.
        #[must_use]
        pub fn output_path(mut self, path: impl Into<String>) -> Self {
            self.0.path("OutputPath", path.into());
            self
        }
    };
    (@io false) => {};
}

/// `next`, `end` and `result_path`, for the states that pass a result on.
macro_rules! flows {
    ($ty:ident) => {
        impl $ty {
            /// The state that runs next, by name.
            #[must_use]
            pub fn next(mut self, state: impl Into<String>) -> Self {
                self.0.transition = Transition::Next(state.into());
                self
            }

            /// Ends the execution (or the branch) after this state.
            #[must_use]
            pub fn end(mut self) -> Self {
                self.0.transition = Transition::End;
                self
            }

            /// Where in the state's input its result is put (`$.result`); the result
            /// replaces the input when unset.
            #[must_use]
            pub fn result_path(mut self, path: impl Into<String>) -> Self {
                self.0.path("ResultPath", path.into());
                self
            }
        }
    };
}

/// `add_retry` and `add_catch`, for the states that run work.
macro_rules! handles_errors {
    ($ty:ident) => {
        impl $ty {
            /// Retries the state on these errors, after any retry added before.
            #[must_use]
            pub fn add_retry(mut self, retry: Retry) -> Self {
                self.0.retries.push(retry);
                self
            }

            /// Goes to another state on these errors, once retries are spent.
            #[must_use]
            pub fn add_catch(mut self, catch: Catch) -> Self {
                self.0.catches.push(catch);
                self
            }
        }
    };
}

/// A `Task` state that invokes a Lambda function of this stack with the state's input
/// and waits for its result: `LambdaInvoke::new("Validate", validate).next("Route")`.
/// It retries Lambda's own service errors (2 s, backoff 2, 6 attempts) unless
/// [`retry_on_service_exceptions(false)`](Self::retry_on_service_exceptions); the state
/// machine's role may invoke the function.
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaInvoke(State);
common!(LambdaInvoke, io: true);
flows!(LambdaInvoke);
handles_errors!(LambdaInvoke);

impl LambdaInvoke {
    /// A task named `name` that invokes `function`, a `Function` or `DockerImageFunction`
    /// of this stack. Its result is Lambda's whole response (`Payload`, `StatusCode`, ...)
    /// unless [`payload_response_only`](Self::payload_response_only).
    pub fn new(name: impl Into<String>, function: &(impl FunctionRef + ?Sized)) -> Self {
        let mut state = State::new(name, Kind::Task);
        state.function = Some(TaskFunction {
            id: function.function_logical_id().to_owned(),
            arn: function.function_arn(),
            log_group: function.function_log_group_logical_id().map(str::to_owned),
        });
        let mut task = Self(state);
        task.set_resource(false);
        task.0.retries.push(lambda_service_retry());
        task
    }

    /// Whether the result is only the function's return value (the function is the
    /// task's `Resource`) rather than Lambda's whole response.
    #[must_use]
    pub fn payload_response_only(mut self, only: bool) -> Self {
        self.set_resource(only);
        self
    }

    /// Whether to retry Lambda's service errors (`Lambda.ServiceException`, ...); `true`
    /// when unset.
    #[must_use]
    pub fn retry_on_service_exceptions(mut self, retry: bool) -> Self {
        let default = lambda_service_retry();
        let has = self.0.retries.first() == Some(&default);
        if has && !retry {
            self.0.retries.remove(0);
        } else if !has && retry {
            self.0.retries.insert(0, default);
        }
        self
    }

    /// How long the task may run before it fails with `States.Timeout`.
    #[must_use]
    pub fn task_timeout(mut self, timeout: Duration) -> Self {
        self.0.field("TimeoutSeconds", Expr::Int(timeout.as_i64()));
        self
    }

    fn set_resource(&mut self, payload_only: bool) {
        let Some(function) = &self.0.function else {
            return;
        };
        let arn = function.arn.expr().clone();
        self.0
            .fields
            .retain(|(k, _)| k != "Resource" && k != "Parameters");
        if payload_only {
            self.0.field("Resource", arn);
        } else {
            let invoke = Expr::Join(
                String::new(),
                vec![
                    Expr::Str("arn:".to_owned()),
                    Expr::Ref("AWS::Partition".to_owned()),
                    Expr::Str(":states:::lambda:invoke".to_owned()),
                ],
            );
            self.0.field("Resource", invoke);
            self.0.field(
                "Parameters",
                Expr::Map(vec![
                    ("FunctionName".to_owned(), arn),
                    ("Payload.$".to_owned(), Expr::Str("$".to_owned())),
                ]),
            );
        }
    }
}

/// The retry of Lambda's service errors a task adds unless told not to.
fn lambda_service_retry() -> Retry {
    Retry {
        errors: LAMBDA_SERVICE_ERRORS.map(str::to_owned).to_vec(),
        interval: Some(Duration::seconds(2)),
        max_attempts: Some(6),
        backoff_rate: Some(Expr::Int(2)),
    }
}

/// A `Pass` state: passes its input on, or a fixed `result`, doing no work. Useful to
/// shape data or to stub a step: `Pass::new("Defaults").result(json!({"retries": 0}))
/// .result_path("$.config").next("Process")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pass(State);
common!(Pass, io: true);
flows!(Pass);

impl Pass {
    /// A pass state named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self(State::new(name, Kind::Pass))
    }

    /// The JSON it outputs instead of its input.
    #[must_use]
    pub fn result(mut self, result: serde_json::Value) -> Self {
        self.0.field("Result", Expr::Json(result));
        self
    }

    /// The JSON it outputs, built from its input: keys ending in `.$` take a JSONPath
    /// (`{"id.$": "$.order.id"}`).
    #[must_use]
    pub fn parameters(mut self, parameters: serde_json::Value) -> Self {
        self.0.field("Parameters", Expr::Json(parameters));
        self
    }
}

/// How long a [`Wait`] state waits: a fixed `duration`, a number of seconds or a
/// timestamp read from the input, or a fixed timestamp.
#[derive(Clone, Debug, PartialEq)]
pub enum WaitTime {
    /// A fixed time: `WaitTime::Duration(Duration::seconds(30))`.
    Duration(Duration),
    /// Seconds read from the input at this JSONPath.
    SecondsPath(String),
    /// Until this ISO 8601 timestamp (`2030-01-01T00:00:00Z`).
    Timestamp(String),
    /// Until the timestamp read from the input at this JSONPath.
    TimestampPath(String),
}

impl WaitTime {
    /// A fixed time.
    pub fn duration(duration: Duration) -> Self {
        Self::Duration(duration)
    }

    /// Seconds read from the input at `path` (`$.delay`).
    pub fn seconds_path(path: impl Into<String>) -> Self {
        Self::SecondsPath(path.into())
    }

    /// Until `timestamp`, ISO 8601 (`2030-01-01T00:00:00Z`).
    pub fn timestamp(timestamp: impl Into<String>) -> Self {
        Self::Timestamp(timestamp.into())
    }

    /// Until the timestamp read from the input at `path` (`$.deliver_at`).
    pub fn timestamp_path(path: impl Into<String>) -> Self {
        Self::TimestampPath(path.into())
    }
}

/// A `Wait` state: waits, then goes on with its input unchanged:
/// `Wait::new("Cool down", WaitTime::duration(Duration::minutes(5))).next("Retry")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Wait(State);
common!(Wait, io: true);

impl Wait {
    /// A wait state named `name` that waits `time`.
    pub fn new(name: impl Into<String>, time: WaitTime) -> Self {
        let mut state = State::new(name, Kind::Wait);
        let (key, value) = match time {
            WaitTime::Duration(d) => ("Seconds", Expr::Int(d.as_i64())),
            WaitTime::SecondsPath(path) => ("SecondsPath", Expr::Str(path)),
            WaitTime::Timestamp(at) => ("Timestamp", Expr::Str(at)),
            WaitTime::TimestampPath(path) => ("TimestampPath", Expr::Str(path)),
        };
        state.field(key, value);
        Self(state)
    }

    /// The state that runs next, by name.
    #[must_use]
    pub fn next(mut self, state: impl Into<String>) -> Self {
        self.0.transition = Transition::Next(state.into());
        self
    }

    /// Ends the execution (or the branch) after the wait.
    #[must_use]
    pub fn end(mut self) -> Self {
        self.0.transition = Transition::End;
        self
    }
}

/// A `Choice` state: goes to the state of the first rule whose condition holds, else to
/// `otherwise`: `Choice::new("Route").when(Condition::string_equals("$.status", "ok"),
/// "Process").otherwise("Reject")`. A choice without `otherwise` is an error (at compile
/// time when its definition's names are literals, else at synth), since an input that no
/// rule matches fails the execution (`States.NoChoiceMatched`); give a [`Fail`] state if
/// that is what is meant.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice(State);
common!(Choice, io: true);

impl Choice {
    /// A choice state named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self(State::new(name, Kind::Choice))
    }

    /// Goes to the state named `next` when `condition` holds (and no rule before did).
    #[must_use]
    pub fn when(mut self, condition: Condition, next: impl Into<String>) -> Self {
        self.0.choices.push((condition, next.into()));
        self
    }

    /// Goes to the state named `next` when no rule's condition holds (ASL's `Default`).
    #[must_use]
    pub fn otherwise(mut self, next: impl Into<String>) -> Self {
        self.0.otherwise = Some(next.into());
        self
    }
}

/// A `Parallel` state: runs each branch, a [`Definition`] of its own, on the state's
/// input at once, and outputs the list of their outputs:
/// `Parallel::new("Notify").branch(email).branch(sms).next("Done")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Parallel(State);
common!(Parallel, io: true);
flows!(Parallel);
handles_errors!(Parallel);

impl Parallel {
    /// A parallel state named `name`, with no branch yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self(State::new(name, Kind::Parallel))
    }

    /// Adds a branch; its states' names are unique in the whole state machine and its
    /// `next`s stay inside it.
    #[must_use]
    pub fn branch(mut self, branch: Definition) -> Self {
        self.0.nested.push(branch);
        self
    }
}

/// A `Map` state: runs its item processor, a [`Definition`] of its own, once per item of
/// the list at `items_path`, and outputs the list of their outputs:
/// `Map::new("Resize all").items_path("$.images").max_concurrency(5)
/// .item_processor(Definition::new("Resize").state(..)).next("Done")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Map(State);
common!(Map, io: true);
flows!(Map);
handles_errors!(Map);

impl Map {
    /// A map state named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self(State::new(name, Kind::Map))
    }

    /// The list to iterate, by JSONPath (`$.items`); the whole input when unset.
    #[must_use]
    pub fn items_path(mut self, path: impl Into<String>) -> Self {
        self.0.field("ItemsPath", Expr::Str(path.into()));
        self
    }

    /// How many items run at once; 0 (as many as possible, up to 40) when unset.
    #[must_use]
    pub fn max_concurrency(mut self, max: u32) -> Self {
        self.0.field("MaxConcurrency", Expr::Int(i64::from(max)));
        self
    }

    /// The states each item runs through.
    #[must_use]
    pub fn item_processor(mut self, processor: Definition) -> Self {
        self.0.nested = vec![processor];
        self
    }
}

/// A `Succeed` state: the execution (or the branch) ends here, successfully.
#[derive(Clone, Debug, PartialEq)]
pub struct Succeed(State);
common!(Succeed, io: true);

impl Succeed {
    /// A succeed state named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self(State::new(name, Kind::Succeed))
    }
}

/// A `Fail` state: the execution ends here and fails with an `error` name and a `cause`:
/// `Fail::new("Rejected").error("OrderRejected").cause("The order did not validate")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fail(State);
common!(Fail, io: false);

impl Fail {
    /// A fail state named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self(State::new(name, Kind::Fail))
    }

    /// The error name the execution fails with (`OrderRejected`).
    #[must_use]
    pub fn error(mut self, error: impl Into<String>) -> Self {
        self.0.field("Error", Expr::Str(error.into()));
        self
    }

    /// A human-readable cause.
    #[must_use]
    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.0.field("Cause", Expr::Str(cause.into()));
        self
    }
}
