//! Routes of an [`HttpApi`](super::HttpApi) and the Lambda integrations that serve them.

use crate::constructs::{literal_str, Duration, FunctionRef};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Value};

/// A Lambda function serving routes of an [`HttpApi`](super::HttpApi), with the request
/// as event payload version 2.0: `HttpLambdaIntegration { handler: orders }`. `handler`
/// is required.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HttpLambdaIntegration {
    pub(super) handler: Option<Handler>,
    pub(super) timeout: Option<Duration>,
}

/// The function an integration calls.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Handler {
    /// The function's logical ID.
    pub(super) id: String,
    pub(super) arn: Value<Arn<kind::lambda::Function>>,
    /// The function's log group, when the stack creates it.
    pub(super) log_group: Option<String>,
}

impl Handler {
    /// What an integration needs of `function`.
    pub(super) fn of(function: &(impl FunctionRef + ?Sized)) -> Self {
        Self {
            id: function.function_logical_id().to_owned(),
            arn: function.function_arn(),
            log_group: function.function_log_group_logical_id().map(str::to_owned),
        }
    }
}

impl HttpLambdaIntegration {
    /// The function to call.
    #[must_use]
    pub fn handler(mut self, handler: &(impl FunctionRef + ?Sized)) -> Self {
        self.handler = Some(Handler::of(handler));
        self
    }

    /// How long API Gateway waits for the function: 1 to 30 seconds, 30 when unset.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// Requests with one of `methods` on `path`, sent to `integration`:
/// `HttpRoute { path: "/orders/{id}", methods: [HttpMethod::Get], integration: ... }`.
/// `path` and `integration` are required; `methods` is `[HttpMethod::Any]` when unset.
#[derive(Clone, Debug, Default)]
pub struct HttpRoute {
    pub(super) path: String,
    pub(super) methods: Option<Vec<Value<String>>>,
    pub(super) integration: Option<HttpLambdaIntegration>,
}

impl HttpRoute {
    /// The path: `/`, `/orders`, `/orders/{id}`, or `/files/{proxy+}` for everything
    /// below `/files`.
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The methods, e.g. `[HttpMethod::Get, HttpMethod::Post]`; `HttpMethod::Any`
    /// matches every method.
    #[must_use]
    pub fn methods(mut self, methods: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.methods = Some(methods.into_iter().map(IntoValue::into_value).collect());
        self
    }

    /// What serves the route.
    #[must_use]
    pub fn integration(mut self, integration: HttpLambdaIntegration) -> Self {
        self.integration = Some(integration);
        self
    }
}

/// One route key of an API, checked: `GET /orders`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RouteKey {
    pub(super) method: String,
    pub(super) path: String,
}

impl HttpRoute {
    /// The route's keys, each method upper case; reports what API Gateway would reject.
    pub(super) fn keys(&self, stack: &mut StackBuilder, api: &str) -> Vec<RouteKey> {
        let mut keys = Vec::new();
        if let Err(why) = stack_spec::rules::apigatewayv2::route_path(&self.path) {
            stack.report(format!("HTTP API `{api}`: route `path` {why}"));
            return keys;
        }
        let any = [Value::lit("ANY")];
        let methods = self.methods.as_deref().unwrap_or(&any);
        if methods.is_empty() {
            stack.report(format!(
                "HTTP API `{api}`: route `{}` has no `methods`; list some, e.g. `[HttpMethod::Get]`, or leave it out for `HttpMethod::Any`",
                self.path
            ));
        }
        for method in methods {
            match literal_str(method).map(stack_spec::rules::apigateway::method) {
                Some(Ok(method)) => keys.push(RouteKey {
                    method,
                    path: self.path.clone(),
                }),
                Some(Err(why)) => {
                    stack.report(format!("HTTP API `{api}`: route `{}`: `methods` {why}", self.path));
                }
                None => stack.report(format!(
                    "HTTP API `{api}`: route `{}`: `methods` must be known when the stack is built, e.g. `HttpMethod::Get`",
                    self.path
                )),
            }
        }
        keys
    }
}
