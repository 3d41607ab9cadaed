//! The stack-wide Lambda handlers behind the buckets' custom resources: per kind of
//! custom resource one function, with its execution role and log group, shared by every
//! bucket of the stack and added on first use.

use super::super::lambda::{log_group, DEFAULT_LOG_RETENTION_DAYS};
use super::super::{lambda_execution_role, RoleRef, Runtime};
use crate::aws;
use crate::aws::lambda::function;
use crate::expr::Expr;
use crate::iam::Grant;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// One stack-wide handler: its logical IDs, what it says it does, and its inline Python
/// source (which imports `cfnresponse`, present for inline code).
pub(super) struct StackHandler {
    /// The function's logical ID.
    pub(super) handler: &'static str,
    /// Its execution role's logical ID.
    pub(super) role: &'static str,
    /// Its log group's logical ID.
    pub(super) log_group: &'static str,
    /// The function's description.
    pub(super) description: &'static str,
    /// The module `index`, whose `handler` function CloudFormation invokes.
    pub(super) source: &'static str,
    /// How long one request may run, in seconds.
    pub(super) timeout: i64,
}

impl StackHandler {
    /// The handler's ARN, a custom resource's `ServiceToken`; adds the handler, its role
    /// and log group if the stack does not have them yet.
    pub(super) fn service_token(&self, stack: &mut StackBuilder) -> Expr {
        if stack.resource_mut(self.handler).is_none() {
            self.add(stack);
        }
        Expr::GetAtt(self.handler.into(), "Arn".into())
    }

    /// Grants the handler's role what it calls for one bucket.
    pub(super) fn grant(&self, stack: &mut StackBuilder, grant: Grant) {
        stack.grant(&RoleRef(self.role.to_owned()), grant);
    }

    fn add(&self, stack: &mut StackBuilder) {
        stack.add_resource(self.role, &lambda_execution_role());
        // Unlike a function's own logs, the helper's go with the stack: if a request
        // fails, the stack's operation stops and the log group stays for inspection.
        stack
            .add_resource(self.log_group, &log_group(DEFAULT_LOG_RETENTION_DAYS))
            .removal_policy = Some(RemovalPolicy::Destroy);
        let handler = aws::lambda::Function {
            description: Some(Value::lit(self.description)),
            code: Some(function::Code {
                zip_file: Some(Value::lit(self.source)),
                ..Default::default()
            }),
            handler: Some(Value::lit("index.handler")),
            runtime: Some(Value::lit(Runtime::Python312.as_str())),
            role: Some(Value::get_att(self.role, "Arn")),
            memory_size: Some(256.into_value()),
            timeout: Some(self.timeout.into_value()),
            logging_config: Some(function::LoggingConfig {
                log_group: Some(Value::reference(self.log_group)),
                ..Default::default()
            }),
            ..Default::default()
        };
        stack.add_resource(self.handler, &handler);
    }
}
