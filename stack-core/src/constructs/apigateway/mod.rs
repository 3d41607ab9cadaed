//! API Gateway REST APIs: [`RestApi`], routes served by Lambda functions through proxy or
//! non-proxy integrations or answered by API Gateway itself ([`MockIntegration`]), and
//! [`LambdaRestApi`], a REST API that proxies every request to
//! one function. Both share the resource tree, CORS preflight, deployment and stage.

mod cors;
mod integration;
mod lambda_rest_api;
mod mock;
mod rest_api;
mod route;
#[cfg(test)]
mod tests;
mod tree;

pub use cors::{Cors, CorsOptions};
pub use integration::{
    ContentHandling, Integration, IntegrationResponse, LambdaIntegration, MethodResponse,
    PassthroughBehavior,
};
pub use lambda_rest_api::{LambdaRestApi, LambdaRestApiProps};
pub use mock::MockIntegration;
pub use rest_api::{RestApi, RestApiProps};
pub use route::{ApiRoute, Authorization};

pub(crate) use integration::lambda_invocation_uri;

use super::literal_str;
use crate::aws;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, IntoValue, Value};

/// Where an API is reachable from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EndpointType {
    /// Through an API Gateway-managed CloudFront distribution (API Gateway's default).
    #[default]
    Edge,
    /// In the API's region only: lower latency for same-region clients, and the choice
    /// when you put your own CloudFront distribution in front.
    Regional,
}

impl EndpointType {
    /// The identifier API Gateway uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            EndpointType::Edge => "EDGE",
            EndpointType::Regional => "REGIONAL",
        }
    }
}

/// A REST API of this stack, [`RestApi`] or [`LambdaRestApi`]: what a CloudFront origin
/// takes.
pub trait RestApiRef {
    /// The API's logical ID; its stage is `<Id>Stage`.
    fn rest_api_logical_id(&self) -> &str;
}

/// Adds the `AWS::ApiGateway::RestApi` itself.
fn add_rest_api(
    stack: &mut StackBuilder,
    id: &str,
    name: Option<Value<String>>,
    description: Option<Value<String>>,
    binary_media_types: Vec<Value<String>>,
    endpoint_type: Option<EndpointType>,
) {
    let endpoint_configuration =
        endpoint_type.map(
            |endpoint| aws::apigateway::rest_api::EndpointConfiguration {
                types: Some(Value::list([Value::lit(endpoint.as_str())])),
                ..Default::default()
            },
        );
    let api = aws::apigateway::RestApi {
        name: Some(name.unwrap_or_else(|| Value::lit(id))),
        description,
        binary_media_types: (!binary_media_types.is_empty())
            .then(|| Value::list(binary_media_types)),
        endpoint_configuration,
        ..Default::default()
    };
    stack.add_resource(id, &api);
}

/// Lets API Gateway invoke a function from `<api>/<stage>/<methods_and_paths>` only.
fn add_invoke_permission(
    stack: &mut StackBuilder,
    logical_id: String,
    api: &str,
    function_arn: Value<Arn<kind::lambda::Function>>,
    methods_and_paths: &str,
) {
    let permission = aws::lambda::Permission {
        action: Some(Value::lit("lambda:InvokeFunction")),
        function_name: Some(function_arn.into_value()),
        principal: Some(Value::lit("apigateway.amazonaws.com")),
        source_arn: Some(Value::sub(format!(
            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/${{{api}Stage}}/{methods_and_paths}"
        ))),
        ..Default::default()
    };
    stack.add_resource(logical_id, &permission);
}

/// Reports a stage name API Gateway would reject.
fn check_stage_name(stack: &mut StackBuilder, id: &str, stage: &Value<String>) {
    if let Some(name) = literal_str(stage) {
        if let Err(why) = stack_spec::rules::apigateway::stage_name(name) {
            stack.report(format!("REST API `{id}`: `stage_name` {why}"));
        }
    }
}

#[cfg(test)]
mod test_support {
    //! What the REST API tests share.
    use serde_json::Value as Json;

    /// The logical ID of the one `ApiDeployment<HASH>` in `resources`.
    pub(super) fn deployment_id(resources: &Json) -> String {
        let ids: Vec<&String> = resources
            .as_object()
            .map(|m| {
                m.keys()
                    .filter(|k| k.starts_with("ApiDeployment"))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(ids.len(), 1, "{ids:?}");
        ids[0].clone()
    }
}
