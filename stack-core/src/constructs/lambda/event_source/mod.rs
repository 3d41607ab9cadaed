//! Event sources: a queue or a stream that Lambda polls, invoking a function with batches
//! of its records. [`SqsEventSource`] reads a [`Queue`], [`DynamoEventSource`] a
//! [`Table`]'s stream and [`KinesisEventSource`] a Kinesis data stream; each is a
//! declaration of its own that adds an `AWS::Lambda::EventSourceMapping` and grants the
//! function's role what reading its source takes. (A [`Topic`] pushes to a function
//! instead, through a `LambdaSubscription`.)

use super::super::{literal_int, literal_str, Construct, Queue, RoleRef, Table, Topic};
use super::{Duration, FunctionRef};
use crate::aws;
use crate::aws::lambda::event_source_mapping as l1;
use crate::expr::Expr;
use crate::iam::{Grant, Principal, Statement};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};
use stack_spec::rules::lambda as rules;

/// The visibility timeout SQS gives a queue that sets none, in seconds.
const DEFAULT_VISIBILITY_TIMEOUT: i64 = 30;

/// The timeout Lambda gives a function that sets none, in seconds.
const DEFAULT_FUNCTION_TIMEOUT: i64 = 3;

/// The largest SQS batch Lambda takes without a batching window, and from a FIFO queue.
const SQS_UNWINDOWED_BATCH: i64 = 10;

/// Where a stream source starts reading when it is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartingPosition {
    /// The oldest record the stream still holds.
    TrimHorizon,
    /// Only records written from now on.
    Latest,
}

impl StartingPosition {
    /// The value CloudFormation expects.
    pub const fn as_str(self) -> &'static str {
        match self {
            StartingPosition::TrimHorizon => "TRIM_HORIZON",
            StartingPosition::Latest => "LATEST",
        }
    }
}

/// Where a stream source sends the description of a batch it gave up on (after its
/// retries, or once the records are too old): a [`Queue`] or a [`Topic`] of the stack.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot receive the batches an event source gave up on",
    label = "expected a `Queue` or a `Topic` of this stack"
)]
pub trait OnFailureDestination {
    /// The destination's ARN.
    fn destination_arn(&self) -> Value<String>;

    /// What the function's role needs to send there.
    fn grant_on_failure(&self) -> Grant;
}

#[diagnostic::do_not_recommend]
impl OnFailureDestination for Queue {
    fn destination_arn(&self) -> Value<String> {
        self.arn().into_value()
    }

    fn grant_on_failure(&self) -> Grant {
        Grant::new([Statement::allow(["sqs:SendMessage"], [self.arn()])])
    }
}

#[diagnostic::do_not_recommend]
impl OnFailureDestination for Topic {
    fn destination_arn(&self) -> Value<String> {
        self.arn().into_value()
    }

    fn grant_on_failure(&self) -> Grant {
        self.grant_publish()
    }
}

/// What an event source's `function` option takes: a `Function` or `DockerImageFunction`
/// of this stack (any [`FunctionRef`] that is also a [`Principal`]), whose role gets the
/// permissions to read the source.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a function construct an event source can grant to",
    label = "expected a `Function` or `DockerImageFunction` of this stack",
    note = "an event source gives its function's role read access to the source; an `AWS::Lambda::Function` names its role only by ARN, so declare a `Function` instead"
)]
pub trait EventSourceFunction {
    /// The function, and the holder of the role it runs as.
    fn function_and_role(&self) -> (&dyn FunctionRef, &dyn Principal);
}

#[diagnostic::do_not_recommend]
impl<T: FunctionRef + Principal> EventSourceFunction for &T {
    fn function_and_role(&self) -> (&dyn FunctionRef, &dyn Principal) {
        (*self, *self)
    }
}

/// The function an event source invokes, as its `function` setter saw it.
#[derive(Clone, Debug)]
struct Target {
    function: String,
    role: String,
    log_group: Option<String>,
}

/// What every source's props share: the function and how batches are formed.
#[derive(Clone, Debug, Default)]
struct Batching {
    function: Option<Target>,
    batch_size: Option<Value<i64>>,
    max_batching_window: Option<Duration>,
    report_batch_item_failures: bool,
    enabled: Option<bool>,
}

/// What stream sources (DynamoDB, Kinesis) add.
#[derive(Clone, Debug, Default)]
struct StreamOptions {
    starting_position: Option<StartingPosition>,
    bisect_batch_on_error: Option<bool>,
    retry_attempts: Option<Value<i64>>,
    max_record_age: Option<Duration>,
    on_failure: Option<(Value<String>, Grant)>,
    parallelization_factor: Option<Value<i64>>,
}

/// Setters every source's props share.
macro_rules! batching_setters {
    ($props:ty) => {
        impl $props {
            /// The function to invoke, a `Function` or `DockerImageFunction` of this
            /// stack; its role gets the permissions to read the source. The function's
            /// `role` must be settled when this is called, as it is in `stack!`, which
            /// builds the source after its function.
            #[must_use]
            pub fn function(mut self, function: impl EventSourceFunction) -> Self {
                let (function, role) = function.function_and_role();
                self.batching.function = Some(Target {
                    function: function.function_logical_id().to_owned(),
                    role: role.role_logical_id().to_owned(),
                    log_group: function.function_log_group_logical_id().map(str::to_owned),
                });
                self
            }

            /// The most records per invocation (1 to 10,000); Lambda's default is 10 for
            /// SQS and 100 for streams.
            #[must_use]
            pub fn batch_size(mut self, records: impl IntoValue<i64>) -> Self {
                self.batching.batch_size = Some(records.into_value());
                self
            }

            /// How long to gather records before invoking (up to 5 minutes); none when unset.
            #[must_use]
            pub fn max_batching_window(mut self, window: Duration) -> Self {
                self.batching.max_batching_window = Some(window);
                self
            }

            /// Let the function return the items it failed (`batchItemFailures`), so only
            /// those are retried instead of the whole batch.
            #[must_use]
            pub fn report_batch_item_failures(mut self, report: bool) -> Self {
                self.batching.report_batch_item_failures = report;
                self
            }

            /// Whether Lambda polls the source; `false` creates the mapping paused.
            #[must_use]
            pub fn enabled(mut self, enabled: bool) -> Self {
                self.batching.enabled = Some(enabled);
                self
            }
        }
    };
}

/// Setters of the stream sources' own options.
macro_rules! stream_setters {
    ($props:ty) => {
        impl $props {
            /// Where to start reading: `StartingPosition::Latest` or `TrimHorizon`.
            #[must_use]
            pub fn starting_position(mut self, position: StartingPosition) -> Self {
                self.stream.starting_position = Some(position);
                self
            }

            /// Split a failing batch in two and retry each half, to isolate a bad record.
            #[must_use]
            pub fn bisect_batch_on_error(mut self, bisect: bool) -> Self {
                self.stream.bisect_batch_on_error = Some(bisect);
                self
            }

            /// How often a failing batch is retried (0 to 10,000); -1, the default, retries
            /// until its records expire.
            #[must_use]
            pub fn retry_attempts(mut self, attempts: impl IntoValue<i64>) -> Self {
                self.stream.retry_attempts = Some(attempts.into_value());
                self
            }

            /// Skip records older than this (60 s to 7 days); unset, records are sent until
            /// the stream drops them.
            #[must_use]
            pub fn max_record_age(mut self, age: Duration) -> Self {
                self.stream.max_record_age = Some(age);
                self
            }

            /// A `Queue` or `Topic` of the stack that receives the description of each
            /// batch given up on; the function's role may send to it.
            #[must_use]
            pub fn on_failure(
                mut self,
                destination: &(impl OnFailureDestination + ?Sized),
            ) -> Self {
                self.stream.on_failure = Some((
                    destination.destination_arn(),
                    destination.grant_on_failure(),
                ));
                self
            }

            /// How many batches of one shard are processed at once (1 to 10); 1 when unset.
            #[must_use]
            pub fn parallelization_factor(mut self, batches: impl IntoValue<i64>) -> Self {
                self.stream.parallelization_factor = Some(batches.into_value());
                self
            }
        }
    };
}

/// The handle, its attributes and the `Construct` impl every source shares; `$source`
/// checks the props and returns the source's ARN, the grant reading it takes and the
/// mapping's source-specific properties, or `None` after reporting what is missing.
macro_rules! event_source_construct {
    ($ty:ident, $props:ty, |$this:ident, $p:ident, $stack:ident| $source:expr) => {
        impl $ty {
            /// The mapping's ID (`Ref`).
            pub fn event_source_mapping_id(&self) -> Value<Id<kind::lambda::EventSourceMapping>> {
                Value::reference(&self.id)
            }

            /// The mapping's ARN.
            pub fn event_source_mapping_arn(&self) -> Value<Arn<kind::lambda::EventSourceMapping>> {
                Value::get_att(&self.id, "EventSourceMappingArn")
            }
        }

        impl Construct for $ty {
            type Props = $props;

            fn declare(logical_id: &str) -> Self {
                Self {
                    id: logical_id.to_owned(),
                }
            }

            fn logical_id(&self) -> &str {
                &self.id
            }

            fn build(&self, $p: $props, $stack: &mut StackBuilder) {
                let $this = self;
                check_batching(&$p.batching, &$this.id, $stack);
                if let Some(source) = $source {
                    add_mapping($stack, &$this.id, $p.batching, source);
                }
            }
        }
    };
}

/// A source as its construct works it out.
struct Source {
    arn: Value<String>,
    grant: Grant,
    mapping: aws::lambda::EventSourceMapping,
}

/// Adds the mapping `id` and grants its function's role what reading `source` takes.
fn add_mapping(stack: &mut StackBuilder, id: &str, batching: Batching, source: Source) {
    // A missing function is reported by `check_batching`.
    let Some(target) = batching.function else {
        return;
    };
    stack.grant(&RoleRef(target.role), source.grant);
    let mapping = aws::lambda::EventSourceMapping {
        function_name: Some(Value::reference(&target.function)),
        event_source_arn: Some(source.arn),
        batch_size: batching.batch_size,
        maximum_batching_window_in_seconds: batching
            .max_batching_window
            .map(|window| window.as_i64().into_value()),
        function_response_types: batching
            .report_batch_item_failures
            .then(|| Value::list([Value::lit("ReportBatchItemFailures")])),
        enabled: batching.enabled.map(IntoValue::into_value),
        ..source.mapping
    };
    let decl = stack.add_resource(id, &mapping);
    // The mapping starts invoking as soon as it exists. The function's log group must
    // exist by then: otherwise Lambda creates a group of that name on the first write, and
    // the stack's own log group then fails to create.
    decl.depends_on.extend(target.log_group);
}

/// Reports a missing function, and batching values Lambda would reject by the rules
/// `stack!` applies to literals.
fn check_batching(batching: &Batching, id: &str, stack: &mut StackBuilder) {
    if batching.function.is_none() {
        stack.report(format!(
            "event source `{id}` has no `function`; add `function: <a Function of this stack>`"
        ));
    }
    let mut problems = Vec::new();
    if let Some(size) = batching.batch_size.as_ref().and_then(literal_int) {
        problems.push(("batch_size", rules::batch_size(size)));
    }
    if let Some(window) = batching.max_batching_window {
        problems.push((
            "max_batching_window",
            rules::max_batching_window(window.as_seconds()),
        ));
    }
    report(stack, id, problems);
}

/// Reports each failed rule as `event source `id`: `option` why`.
fn report(stack: &mut StackBuilder, id: &str, problems: Vec<(&str, Result<(), String>)>) {
    for (option, result) in problems {
        if let Err(why) = result {
            stack.report(format!("event source `{id}`: `{option}` {why}"));
        }
    }
}

/// A property of a resource already in the stack: `None` when the stack has no such
/// resource (yet), `Some(None)` when the resource does not set it.
fn property(stack: &mut StackBuilder, id: &str, name: &str) -> Option<Option<Expr>> {
    let decl = stack.resource_mut(id)?;
    let Expr::Map(entries) = &decl.properties else {
        return Some(None);
    };
    Some(
        entries
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone()),
    )
}

/// A literal integer property of a resource of the stack, or `default` when it sets none;
/// `None` when the resource is not in the stack or the value is known only at deploy time.
fn int_property(stack: &mut StackBuilder, id: &str, name: &str, default: i64) -> Option<i64> {
    match property(stack, id, name)? {
        None => Some(default),
        Some(Expr::Int(n)) => Some(n),
        Some(_) => None,
    }
}

/// Stream options Lambda would reject, and the mapping properties they set.
fn stream_mapping(
    stream: StreamOptions,
    id: &str,
    stack: &mut StackBuilder,
) -> (aws::lambda::EventSourceMapping, Option<Grant>) {
    let mut problems = Vec::new();
    if let Some(attempts) = stream.retry_attempts.as_ref().and_then(literal_int) {
        problems.push(("retry_attempts", rules::retry_attempts(attempts)));
    }
    if let Some(age) = stream.max_record_age {
        problems.push(("max_record_age", rules::max_record_age(age.as_seconds())));
    }
    if let Some(factor) = stream.parallelization_factor.as_ref().and_then(literal_int) {
        problems.push((
            "parallelization_factor",
            rules::parallelization_factor(factor),
        ));
    }
    report(stack, id, problems);
    let position = stream.starting_position.unwrap_or_else(|| {
        stack.report(format!(
            "event source `{id}` has no `starting_position`; add `starting_position: StartingPosition::Latest` (or `TrimHorizon`)"
        ));
        StartingPosition::Latest
    });
    let (destination, grant) = stream.on_failure.unzip();
    let mapping = aws::lambda::EventSourceMapping {
        starting_position: Some(Value::lit(position.as_str())),
        bisect_batch_on_function_error: stream.bisect_batch_on_error.map(IntoValue::into_value),
        maximum_retry_attempts: stream.retry_attempts,
        maximum_record_age_in_seconds: stream.max_record_age.map(|age| age.as_i64().into_value()),
        destination_config: destination.map(|destination| l1::DestinationConfig {
            on_failure: Some(l1::OnFailure {
                destination: Some(destination),
            }),
        }),
        parallelization_factor: stream.parallelization_factor,
        ..Default::default()
    };
    (mapping, grant)
}

/// A function invoked with batches of an SQS [`Queue`]'s messages. The function's role may
/// receive and delete the queue's messages (the queue's `consume` grant). A message the
/// function fails on returns to the queue after its visibility timeout, and moves to the
/// queue's `dead_letter_queue` after `max_receive_count` attempts.
///
/// Checked at synth: the queue's visibility timeout is at least the function's timeout (or
/// Lambda refuses the mapping), a batch over 10 messages has a batching window, and a FIFO
/// queue gets neither.
///
/// Resources: the mapping `<Id>` (`AWS::Lambda::EventSourceMapping`); a statement in the
/// function's role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqsEventSource {
    id: String,
}

/// Options of an [`SqsEventSource`]: `function` and `queue` are required.
#[derive(Clone, Debug, Default)]
pub struct SqsEventSourceProps {
    batching: Batching,
    queue: Option<Queue>,
    max_concurrency: Option<Value<i64>>,
}

batching_setters!(SqsEventSourceProps);

impl SqsEventSourceProps {
    /// The queue to read.
    #[must_use]
    pub fn queue(mut self, queue: &Queue) -> Self {
        self.queue = Some(queue.clone());
        self
    }

    /// The most concurrent invocations this source drives (2 to 1,000); as many as the
    /// function's concurrency allows when unset.
    #[must_use]
    pub fn max_concurrency(mut self, invocations: impl IntoValue<i64>) -> Self {
        self.max_concurrency = Some(invocations.into_value());
        self
    }
}

event_source_construct!(SqsEventSource, SqsEventSourceProps, |this, props, stack| {
    if let Some(Err(why)) = props
        .max_concurrency
        .as_ref()
        .and_then(literal_int)
        .map(rules::max_concurrency)
    {
        stack.report(format!(
            "event source `{}`: `max_concurrency` {why}",
            this.id
        ));
    }
    match &props.queue {
        Some(queue) => {
            check_queue(this, &props.batching, queue, stack);
            Some(Source {
                arn: queue.arn().into_value(),
                grant: queue.grant_consume(),
                mapping: aws::lambda::EventSourceMapping {
                    scaling_config: props.max_concurrency.clone().map(|max| l1::ScalingConfig {
                        maximum_concurrency: Some(max),
                    }),
                    ..Default::default()
                },
            })
        }
        None => {
            stack.report(format!(
                "event source `{}` has no `queue`; add `queue: <a Queue of this stack>`",
                this.id
            ));
            None
        }
    }
});

/// What Lambda refuses about an SQS source given its queue and function, when both are
/// built before it with values known at synth time.
fn check_queue(
    this: &SqsEventSource,
    batching: &Batching,
    queue: &Queue,
    stack: &mut StackBuilder,
) {
    let id = &this.id;
    let queue_id = queue.logical_id();
    let size = batching.batch_size.as_ref().and_then(literal_int);
    let fifo = matches!(
        property(stack, queue_id, "FifoQueue"),
        Some(Some(Expr::Bool(true)))
    );
    if fifo {
        if size.is_some_and(|size| size > SQS_UNWINDOWED_BATCH) {
            stack.report(format!(
                "event source `{id}`: `batch_size` is over {SQS_UNWINDOWED_BATCH}; Lambda reads a FIFO queue in batches of 1 to {SQS_UNWINDOWED_BATCH}"
            ));
        }
        if batching.max_batching_window.is_some() {
            stack.report(format!(
                "event source `{id}`: a FIFO queue takes no `max_batching_window`; remove it"
            ));
        }
    } else if size.is_some_and(|size| size > SQS_UNWINDOWED_BATCH)
        && batching
            .max_batching_window
            .is_none_or(|window| window.as_seconds() == 0)
    {
        stack.report(format!(
            "event source `{id}`: a `batch_size` over {SQS_UNWINDOWED_BATCH} needs a `max_batching_window` of at least 1 s, e.g. `Duration::seconds(5)`"
        ));
    }
    let Some(target) = &batching.function else {
        return;
    };
    let visibility = int_property(
        stack,
        queue_id,
        "VisibilityTimeout",
        DEFAULT_VISIBILITY_TIMEOUT,
    );
    let timeout = int_property(stack, &target.function, "Timeout", DEFAULT_FUNCTION_TIMEOUT);
    if let (Some(visibility), Some(timeout)) = (visibility, timeout) {
        if visibility < timeout {
            stack.report(format!(
                "event source `{id}`: queue `{queue_id}` hides a message for {visibility} s, less than function `{}`'s timeout of {timeout} s, and Lambda refuses the mapping; set the queue's `visibility_timeout` to at least the timeout (AWS advises six times it)",
                target.function
            ));
        }
    }
}

/// A function invoked with batches of a DynamoDB [`Table`]'s stream records. The table
/// needs a stream (`stream: StreamViewType::NewAndOldImages` or another view); the
/// function's role may read it (`dynamodb:DescribeStream`, `GetRecords`,
/// `GetShardIterator` on the stream, `ListStreams`), and send to the `on_failure`
/// destination.
///
/// Resources: the mapping `<Id>` (`AWS::Lambda::EventSourceMapping`); statements in the
/// function's role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DynamoEventSource {
    id: String,
}

/// Options of a [`DynamoEventSource`]: `function`, `table` and `starting_position` are
/// required.
#[derive(Clone, Debug, Default)]
pub struct DynamoEventSourceProps {
    batching: Batching,
    table: Option<Table>,
    stream: StreamOptions,
}

batching_setters!(DynamoEventSourceProps);
stream_setters!(DynamoEventSourceProps);

impl DynamoEventSourceProps {
    /// The table whose stream to read; it needs `stream`.
    #[must_use]
    pub fn table(mut self, table: &Table) -> Self {
        self.table = Some(table.clone());
        self
    }
}

event_source_construct!(
    DynamoEventSource,
    DynamoEventSourceProps,
    |this, props, stack| {
        let (mapping, on_failure) = stream_mapping(props.stream.clone(), &this.id, stack);
        let Some(table) = &props.table else {
            stack.report(format!(
                "event source `{}` has no `table`; add `table: <a Table of this stack>`",
                this.id
            ));
            return;
        };
        // A table of this stack is built before its event sources; one that is not
        // (another stack's) is not checked here.
        if let Some(None) = property(stack, table.logical_id(), "StreamSpecification") {
            stack.report(format!(
                "event source `{}`: table `{}` has no stream; set `stream: StreamViewType::NewAndOldImages` (or `NewImage`, `OldImage`, `KeysOnly`) on the table",
                this.id,
                table.logical_id()
            ));
        }
        let read = Grant::new([
            Statement::allow(
                [
                    "dynamodb:DescribeStream",
                    "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator",
                ],
                [table.stream_arn()],
            ),
            Statement::allow(["dynamodb:ListStreams"], ["*"]),
        ]);
        Some(Source {
            arn: table.stream_arn().into_value(),
            grant: on_failure.into_iter().fold(read, Grant::and),
            mapping,
        })
    }
);

/// A function invoked with batches of a Kinesis data stream's records, the stream given
/// by its ARN (an attribute of an `AWS::Kinesis::Stream` of the stack, or a literal). The
/// function's role may read it (`kinesis:DescribeStream`, `DescribeStreamSummary`,
/// `GetRecords`, `GetShardIterator`, `ListShards`, `SubscribeToShard` on the stream,
/// `ListStreams`), and send to the `on_failure` destination.
///
/// Resources: the mapping `<Id>` (`AWS::Lambda::EventSourceMapping`); statements in the
/// function's role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KinesisEventSource {
    id: String,
}

/// Options of a [`KinesisEventSource`]: `function`, `stream_arn` and `starting_position`
/// are required.
#[derive(Clone, Debug, Default)]
pub struct KinesisEventSourceProps {
    batching: Batching,
    stream_arn: Option<Value<Arn<kind::kinesis::Stream>>>,
    stream: StreamOptions,
}

batching_setters!(KinesisEventSourceProps);
stream_setters!(KinesisEventSourceProps);

impl KinesisEventSourceProps {
    /// The stream's ARN: `clicks.Arn` of an `AWS::Kinesis::Stream`, or
    /// `"arn:aws:kinesis:<region>:<account>:stream/<name>"`.
    #[must_use]
    pub fn stream_arn(mut self, arn: impl IntoValue<Arn<kind::kinesis::Stream>>) -> Self {
        self.stream_arn = Some(arn.into_value());
        self
    }
}

event_source_construct!(
    KinesisEventSource,
    KinesisEventSourceProps,
    |this, props, stack| {
        let (mapping, on_failure) = stream_mapping(props.stream.clone(), &this.id, stack);
        let Some(arn) = props.stream_arn.clone() else {
            stack.report(format!(
                "event source `{}` has no `stream_arn`; add `stream_arn: <the stream's ARN>`",
                this.id
            ));
            return;
        };
        if let Some(Err(why)) = literal_str(&arn).map(rules::kinesis_stream_arn) {
            stack.report(format!("event source `{}`: `stream_arn` {why}", this.id));
        }
        let read = Grant::new([
            Statement::allow(
                [
                    "kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:ListShards",
                    "kinesis:SubscribeToShard",
                ],
                [arn.clone()],
            ),
            Statement::allow(["kinesis:ListStreams"], ["*"]),
        ]);
        Some(Source {
            arn: arn.into_value(),
            grant: on_failure.into_iter().fold(read, Grant::and),
            mapping,
        })
    }
);

#[cfg(test)]
mod tests;
