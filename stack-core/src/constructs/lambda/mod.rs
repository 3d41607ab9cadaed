//! Lambda functions: [`Function`] (zip code) and [`DockerImageFunction`] (container image).
//!
//! Each function gets an execution role `<Id>ServiceRole` (or runs as a role of the stack
//! given with `role`) and an explicit log group `<Id>LogGroup` with a retention, named
//! `/aws/lambda/<function name>` as Lambda expects; [`SqsEventSource`],
//! [`DynamoEventSource`] and [`KinesisEventSource`] invoke a function with batches of a
//! queue's or a stream's records.

use std::cell::OnceCell;
use std::path::PathBuf;

use stack_spec::rules;

use super::{
    image_asset_uri, lambda_execution_role, literal_int, literal_str, register_asset, Construct,
    Duration, IamRoleRef, RoleRef, StringMap,
};
use crate::asset::{AssetKind, Platform, FILE_ASSET_BUCKET};
use crate::aws;
use crate::aws::lambda::function as l1;
use crate::iam::{Grant, Principal, Statement};
use crate::kind;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};

/// Log retention when none is set: one year. Long enough to investigate an incident or
/// answer an audit about last quarter, short enough that logs don't accumulate (and cost)
/// forever, which is CloudWatch's default.
pub(super) const DEFAULT_LOG_RETENTION_DAYS: i64 = 365;

/// Anything that names a Lambda function of this stack: what `handler:` and `function:`
/// options accept.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Lambda function construct",
    label = "expected a `Function` or `DockerImageFunction` of this stack"
)]
pub trait FunctionRef {
    /// The function's logical ID.
    fn function_logical_id(&self) -> &str;

    /// The function's ARN.
    fn function_arn(&self) -> Value<Arn<kind::lambda::Function>> {
        Value::get_att(self.function_logical_id(), "Arn")
    }

    /// The logical ID of the log group the function writes to, when the stack creates
    /// it: what must exist before anything in the stack invokes the function.
    fn function_log_group_logical_id(&self) -> Option<&str> {
        None
    }
}

/// Options shared by both kinds of function.
#[derive(Clone, Debug, Default)]
struct CommonOptions {
    function_name: Option<Value<String>>,
    description: Option<Value<String>>,
    timeout: Option<Duration>,
    memory_size: Option<Value<i64>>,
    environment: StringMap,
    architecture: Option<Architecture>,
    initial_policy: Vec<Statement>,
    log_retention: Option<Duration>,
    /// `Some(None)`: the value given does not name a role of this stack.
    role: Option<Option<String>>,
}

/// Setters for [`CommonOptions`] on a props type with a `common` field.
macro_rules! common_setters {
    ($props:ty) => {
        impl $props {
            /// The function's physical name; CloudFormation generates one when unset.
            /// Setting it means a change that replaces the function fails until renamed.
            #[must_use]
            pub fn function_name(mut self, name: impl IntoValue<String>) -> Self {
                self.common.function_name = Some(name.into_value());
                self
            }

            /// A description shown in the console.
            #[must_use]
            pub fn description(mut self, description: impl IntoValue<String>) -> Self {
                self.common.description = Some(description.into_value());
                self
            }

            /// How long one invocation may run: Lambda's default is 3 seconds, the limit 15 minutes.
            #[must_use]
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.common.timeout = Some(timeout);
                self
            }

            /// Memory in MB (128 to 10240); CPU scales with it. Lambda's default is 128.
            #[must_use]
            pub fn memory_size(mut self, mb: impl IntoValue<i64>) -> Self {
                self.common.memory_size = Some(mb.into_value());
                self
            }

            /// Environment variables, written `{ KEY: value, ... }`.
            #[must_use]
            pub fn environment(mut self, environment: StringMap) -> Self {
                self.common.environment = environment;
                self
            }

            /// The instruction set; x86_64 when unset.
            #[must_use]
            pub fn architecture(mut self, architecture: Architecture) -> Self {
                self.common.architecture = Some(architecture);
                self
            }

            /// Extra statements for the execution role, beside the stack's `grant`s.
            #[must_use]
            pub fn initial_policy(
                mut self,
                statements: impl IntoIterator<Item = Statement>,
            ) -> Self {
                self.common.initial_policy.extend(statements);
                self
            }

            /// A role of this stack to run as (a `Role` or an `AWS::IAM::Role`), instead of
            /// an execution role of its own: no `<Id>ServiceRole` is created, and `grant`s to
            /// the function, its `initial_policy` and `role_arn` all go to that role. The
            /// role must trust `lambda.amazonaws.com` and allow writing to CloudWatch Logs
            /// (e.g. `service-role/AWSLambdaBasicExecutionRole`).
            #[must_use]
            pub fn role(mut self, role: impl IamRoleRef) -> Self {
                self.common.role = Some(role.iam_role_logical_id().map(str::to_owned));
                self
            }

            /// How long the function's log group keeps events; one year when unset.
            /// Must be a CloudWatch Logs period, e.g. `Duration::days(30)`.
            #[must_use]
            pub fn log_retention(mut self, retention: Duration) -> Self {
                self.common.log_retention = Some(retention);
                self
            }
        }
    };
}

/// The logical IDs a function construct owns, and the role it runs as.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FunctionIds {
    function: String,
    /// The function's own execution role, `<Id>ServiceRole`.
    own_role: String,
    /// The stack's role given with `role`, set when the function is built. Grants are
    /// attached after every resource is built, and a resource that reads `role_arn` is
    /// built after the function it refers to, so both see the role the function runs as.
    shared_role: OnceCell<String>,
    log_group: String,
}

impl FunctionIds {
    fn new(logical_id: &str) -> Self {
        Self {
            function: logical_id.to_owned(),
            own_role: format!("{logical_id}ServiceRole"),
            shared_role: OnceCell::new(),
            log_group: format!("{logical_id}LogGroup"),
        }
    }

    /// The logical ID of the role the function runs as.
    fn role(&self) -> &str {
        self.shared_role.get().unwrap_or(&self.own_role)
    }

    /// These IDs seen from another stack: every ID, the shared role's too, under `prefix`.
    fn in_other_stack(&self, prefix: &str) -> Self {
        let ids = Self::new(&format!("{prefix}{}", self.function));
        if let Some(role) = self.shared_role.get() {
            let _ = ids.shared_role.set(format!("{prefix}{role}"));
        }
        ids
    }
}

/// Attributes shared by both function constructs.
macro_rules! function_handle {
    ($ty:ty) => {
        impl $ty {
            /// The function's ARN.
            pub fn arn(&self) -> Value<Arn<kind::lambda::Function>> {
                Value::get_att(&self.ids.function, "Arn")
            }

            /// The function's name (`Ref`).
            pub fn name(&self) -> Value<Id<kind::lambda::Function>> {
                Value::reference(&self.ids.function)
            }

            /// The ARN of the execution role: `<Id>ServiceRole`, or the role given with `role`.
            pub fn role_arn(&self) -> Value<Arn<kind::iam::Role>> {
                Value::get_att(self.ids.role(), "Arn")
            }

            /// The name of the function's log group (`<Id>LogGroup`),
            /// `/aws/lambda/<function name>`. Without a `function_name`, the group is named
            /// after the function and created after it, so the function's own options
            /// cannot refer to it (the runtime sets `AWS_LAMBDA_LOG_GROUP_NAME`).
            pub fn log_group_name(&self) -> Value<Id<kind::logs::LogGroup>> {
                Value::reference(&self.ids.log_group)
            }

            /// Permission to invoke the function, its versions and its aliases.
            pub fn grant_invoke(&self) -> Grant {
                Grant::new([Statement::allow(
                    ["lambda:InvokeFunction"],
                    [
                        self.arn().into_value(),
                        Value::concat([self.arn().into_value(), Value::lit(":*")]),
                    ],
                )])
            }
        }

        impl Principal for $ty {
            fn role_logical_id(&self) -> &str {
                self.ids.role()
            }
        }

        #[diagnostic::do_not_recommend]
        impl FunctionRef for $ty {
            fn function_logical_id(&self) -> &str {
                &self.ids.function
            }

            fn function_log_group_logical_id(&self) -> Option<&str> {
                Some(&self.ids.log_group)
            }
        }
    };
}

mod code;
mod docker;
mod event_source;
mod function;
mod rust;
#[cfg(test)]
mod tests;

pub use code::{Architecture, Code, DockerImageCode, Runtime};
pub use docker::{DockerImageFunction, DockerImageFunctionProps};
pub use event_source::{
    DynamoEventSource, DynamoEventSourceProps, EventSourceFunction, KinesisEventSource,
    KinesisEventSourceProps, OnFailureDestination, SqsEventSource, SqsEventSourceProps,
    StartingPosition,
};
pub use function::{Function, FunctionProps};

/// Adds the role, the log group and the function itself: `package` holds the code and
/// how it runs; the options shared by both kinds of function are set here.
fn build_function(
    stack: &mut StackBuilder,
    ids: &FunctionIds,
    package: aws::lambda::Function,
    common: CommonOptions,
) {
    let id = ids.function.as_str();
    check_common(stack, id, &common);

    match common.role {
        Some(Some(shared)) => {
            // Set once: a handle is built once per stack.
            let _ = ids.shared_role.set(shared);
        }
        Some(None) => stack.report(format!(
            "function `{id}`: `role` must be a role of this stack (a `Role` or an `AWS::IAM::Role`)"
        )),
        None => {}
    }
    if ids.shared_role.get().is_none() {
        stack.add_resource(&ids.own_role, &lambda_execution_role());
    }
    if !common.initial_policy.is_empty() {
        stack.grant(
            &RoleRef(ids.role().to_owned()),
            Grant::new(common.initial_policy),
        );
    }

    let retention = common
        .log_retention
        .and_then(Duration::as_whole_days)
        .and_then(|d| i64::try_from(d).ok())
        .unwrap_or(DEFAULT_LOG_RETENTION_DAYS);
    // The log group is the one Lambda writes to by default, `/aws/lambda/<function name>`.
    // A name given with `function_name` is known before the function exists: the function
    // points at the group (`LoggingConfig`), so the group is created first. A generated
    // name is known only once the function exists: the group is named from the function's
    // `Ref` and created right after it, and the function must not point at it (a cycle);
    // what the stack adds to invoke the function (event sources) waits for the group:
    // otherwise Lambda could create the group on the function's first write, and creating
    // `<Id>LogGroup` would then fail because the name is taken.
    let (log_group_name, logging_config) = match &common.function_name {
        Some(name) => (
            name.clone(),
            Some(l1::LoggingConfig {
                log_group: Some(Value::reference(&ids.log_group)),
                ..Default::default()
            }),
        ),
        None => (Value::reference(id), None),
    };
    let name = Value::concat([Value::lit("/aws/lambda/"), log_group_name]);
    let logs = aws::logs::LogGroup {
        // The generated type takes a function's name here; this is a name built from one.
        log_group_name: Some(Value::from_expr(name.into_expr())),
        ..log_group(retention)
    };
    stack.add_resource(&ids.log_group, &logs).removal_policy = Some(RemovalPolicy::Retain);

    let function = aws::lambda::Function {
        function_name: common.function_name,
        description: common.description,
        role: Some(Value::get_att(ids.role(), "Arn")),
        architectures: common
            .architecture
            .map(|architecture| Value::list([Value::lit(architecture.as_str())])),
        memory_size: common.memory_size,
        timeout: common.timeout.map(|timeout| timeout.as_i64().into_value()),
        environment: (!common.environment.is_empty()).then(|| l1::Environment {
            variables: Some(common.environment.to_l1()),
        }),
        logging_config,
        ..package
    };
    // `Role` is a `Fn::GetAtt` on the role, which carries every granted statement inline, so
    // the function is created only once its permissions exist; an explicit `DependsOn`
    // would be redundant (cfn-lint W3005).
    stack.add_resource(id, &function);
}

/// An `AWS::Logs::LogGroup` with a retention; CloudFormation names it.
pub(super) fn log_group(retention_days: i64) -> aws::logs::LogGroup {
    aws::logs::LogGroup {
        retention_in_days: Some(retention_days.into_value()),
        ..Default::default()
    }
}

/// Reports option values that Lambda or CloudWatch would reject at deploy time, by the
/// rules `stack!` applies to literals at compile time.
fn check_common(stack: &mut StackBuilder, id: &str, common: &CommonOptions) {
    let mut problems = Vec::new();
    if let Some(name) = common.function_name.as_ref().and_then(literal_str) {
        problems.push(("function_name", rules::lambda::function_name(name)));
    }
    if let Some(timeout) = common.timeout {
        problems.push(("timeout", rules::lambda::timeout(timeout.as_seconds())));
    }
    if let Some(memory) = common.memory_size.as_ref().and_then(literal_int) {
        problems.push(("memory_size", rules::lambda::memory_size(memory)));
    }
    if let Some(retention) = common.log_retention {
        problems.push((
            "log_retention",
            rules::logs::retention(retention.as_seconds()),
        ));
    }
    for (option, result) in problems {
        if let Err(why) = result {
            stack.report(format!("function `{id}`: `{option}` {why}"));
        }
    }
    for (key, _) in common.environment.iter() {
        if let Err(why) = rules::lambda::environment_name(key) {
            stack.report(format!("function `{id}`: {why}"));
        }
    }
}
