//! [`MockIntegration`]: a method API Gateway answers itself, from templates.

use super::integration::{
    non_empty, non_proxy_responses, string_map, IntegrationResponse, MethodIntegration,
    MethodResponse, PassthroughBehavior,
};
use crate::aws::apigateway::method;
use crate::constructs::StringMap;
use crate::stack::StackBuilder;
use crate::value::Value;

/// A method API Gateway answers itself (`MOCK`), without calling anything:
/// `MockIntegration { integration_responses: [IntegrationResponse { status_code: "200", response_templates: { "application/json": "{\"ok\": true}" } }] }`.
///
/// The request template picks the integration response: its `statusCode` is matched
/// against each response's `selection_pattern`, and the response without one is the
/// default. With no `request_templates`, `{"statusCode": 200}` selects the default; with
/// no `integration_responses`, an empty `200` answers. Each integration response's status
/// is declared as a method response unless the route lists `method_responses` itself.
#[derive(Clone, Debug, Default)]
pub struct MockIntegration {
    request_templates: StringMap,
    passthrough_behavior: Option<PassthroughBehavior>,
    integration_responses: Vec<IntegrationResponse>,
}

impl MockIntegration {
    /// Request templates by content type, e.g.
    /// `{ "application/json": "{\"statusCode\": 404}" }`; `{"statusCode": 200}` when unset.
    #[must_use]
    pub fn request_templates(mut self, templates: StringMap) -> Self {
        self.request_templates = templates;
        self
    }

    /// What happens to a request body no template matches.
    #[must_use]
    pub fn passthrough_behavior(mut self, behavior: PassthroughBehavior) -> Self {
        self.passthrough_behavior = Some(behavior);
        self
    }

    /// The answers: status code, response templates and headers; an empty `200` when
    /// unset.
    #[must_use]
    pub fn integration_responses(
        mut self,
        responses: impl IntoIterator<Item = IntegrationResponse>,
    ) -> Self {
        self.integration_responses = responses.into_iter().collect();
        self
    }

    /// The `MOCK` integration and the method responses it needs.
    pub(super) fn plan(
        self,
        stack: &mut StackBuilder,
        what: &str,
        method_responses: Vec<MethodResponse>,
        cors_headers: &[(&str, Value<String>)],
    ) -> MethodIntegration {
        let request_templates = match non_empty(&self.request_templates) {
            Some(templates) => string_map(templates),
            None => {
                string_map(&StringMap::new().entry("application/json", "{\"statusCode\": 200}"))
            }
        };
        let responses = non_proxy_responses(
            stack,
            what,
            self.integration_responses,
            method_responses,
            cors_headers,
        );
        MethodIntegration {
            integration: method::Integration {
                r#type: Some(Value::lit("MOCK")),
                request_templates: Some(request_templates),
                passthrough_behavior: self.passthrough_behavior.map(|b| Value::lit(b.as_str())),
                integration_responses: Some(responses.integration),
                ..Default::default()
            },
            method_responses: Some(responses.method),
        }
    }
}
