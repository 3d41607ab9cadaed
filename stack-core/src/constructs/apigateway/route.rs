//! Routes of a [`RestApi`](super::RestApi): a method on a path, and who may call it.

use super::integration::{Integration, MethodResponse};
use crate::constructs::literal_str;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// Who may call a method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Authorization {
    /// Anyone (`NONE`), API Gateway's default.
    #[default]
    None,
    /// Callers signing requests with IAM credentials that allow `execute-api:Invoke`
    /// (`AWS_IAM`); hand that out with `grant caller invoke api;`.
    Iam,
}

impl Authorization {
    pub(super) const fn as_str(self) -> &'static str {
        match self {
            Authorization::None => "NONE",
            Authorization::Iam => "AWS_IAM",
        }
    }
}

/// One method on one path of a [`RestApi`](super::RestApi):
/// `ApiRoute { path: "chat", method: HttpMethod::Post, integration: LambdaIntegration { handler: chat } }`.
/// `integration` is required.
#[derive(Clone, Debug)]
pub struct ApiRoute {
    pub(super) path: String,
    pub(super) method: Value<String>,
    pub(super) integration: Option<Integration>,
    pub(super) method_responses: Vec<MethodResponse>,
    pub(super) authorization: Authorization,
}

impl Default for ApiRoute {
    fn default() -> Self {
        Self {
            path: String::new(),
            method: Value::lit("ANY"),
            integration: None,
            method_responses: Vec::new(),
            authorization: Authorization::None,
        }
    }
}

impl ApiRoute {
    /// The path, relative to the stage: `""` for the root, `"chat"`, `"users/{id}"`, or
    /// `"{proxy+}"` for everything below.
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The HTTP method, e.g. `HttpMethod::Post`, or `"ANY"` (the default).
    #[must_use]
    pub fn method(mut self, method: impl IntoValue<String>) -> Self {
        self.method = method.into_value();
        self
    }

    /// What serves the method: a `LambdaIntegration` or a `MockIntegration`.
    #[must_use]
    pub fn integration(mut self, integration: impl Into<Integration>) -> Self {
        self.integration = Some(integration.into());
        self
    }

    /// The responses the method declares.
    #[must_use]
    pub fn method_responses(mut self, responses: impl IntoIterator<Item = MethodResponse>) -> Self {
        self.method_responses = responses.into_iter().collect();
        self
    }

    /// Who may call the method; anyone when unset.
    #[must_use]
    pub fn authorization(mut self, authorization: Authorization) -> Self {
        self.authorization = authorization;
        self
    }
}

/// The upper-case method of a route, if API Gateway knows it.
pub(super) fn route_method(
    stack: &mut StackBuilder,
    api: &str,
    method: &Value<String>,
) -> Option<String> {
    match literal_str(method) {
        Some(m) => match stack_spec::rules::apigateway::method(m) {
            Ok(upper) => Some(upper),
            Err(why) => {
                stack.report(format!("REST API `{api}`: `method` {why}"));
                None
            }
        },
        None => {
            stack.report(format!(
                "REST API `{api}`: a route's `method` must be known when the stack is built, e.g. `HttpMethod::Get`"
            ));
            None
        }
    }
}
