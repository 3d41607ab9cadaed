//! [`LambdaRestApi`]: a REST API that proxies every request to one function.

use super::cors::{CorsOptions, Preflight};
use super::integration::lambda_proxy_integration;
use super::route::Authorization;
use super::tree::{ApiTree, ROOT};
use super::{add_invoke_permission, add_rest_api, check_stage_name, EndpointType, RestApiRef};
use crate::constructs::{lit, Construct, FunctionRef};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};

/// A REST API that sends every request to one Lambda function (proxy integration).
///
/// Resources: the API `<Id>`; `ANY` on the root (`<Id>RootAny`); with `proxy` (the
/// default) a `{proxy+}` resource `<Id>Proxy` and its `ANY` method `<Id>ProxyAny`; with
/// CORS, `OPTIONS` preflight methods `<Id>RootOptions` and `<Id>ProxyOptions`; a
/// deployment `<Id>Deployment<HASH>` whose hash covers the methods and resources, so any
/// change redeploys; the stage `<Id>Stage`; and one `AWS::Lambda::Permission`
/// `<Id>InvokePermission` scoped to this API's stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LambdaRestApi {
    id: String,
}

/// Options of a [`LambdaRestApi`]. `handler` is required.
#[derive(Clone, Debug)]
pub struct LambdaRestApiProps {
    handler: Option<Value<Arn<kind::lambda::Function>>>,
    proxy: bool,
    rest_api_name: Option<Value<String>>,
    description: Option<Value<String>>,
    binary_media_types: Vec<Value<String>>,
    default_cors_preflight: Option<CorsOptions>,
    stage_name: Value<String>,
    endpoint_type: Option<EndpointType>,
}

impl Default for LambdaRestApiProps {
    fn default() -> Self {
        Self {
            handler: None,
            proxy: true,
            rest_api_name: None,
            description: None,
            binary_media_types: Vec::new(),
            default_cors_preflight: None,
            stage_name: Value::lit("prod"),
            endpoint_type: None,
        }
    }
}

impl LambdaRestApiProps {
    /// The function that serves every request.
    #[must_use]
    pub fn handler(mut self, handler: &(impl FunctionRef + ?Sized)) -> Self {
        self.handler = Some(handler.function_arn());
        self
    }

    /// Whether every path goes to the handler through a `{proxy+}` resource (the
    /// default); with `false` only the root path `/` is served.
    #[must_use]
    pub fn proxy(mut self, proxy: bool) -> Self {
        self.proxy = proxy;
        self
    }

    /// The API's name in the console; the logical ID when unset.
    #[must_use]
    pub fn rest_api_name(mut self, name: impl IntoValue<String>) -> Self {
        self.rest_api_name = Some(name.into_value());
        self
    }

    /// A description shown in the console.
    #[must_use]
    pub fn description(mut self, description: impl IntoValue<String>) -> Self {
        self.description = Some(description.into_value());
        self
    }

    /// Media types passed to the function as binary (base64), e.g. `["image/*"]`.
    #[must_use]
    pub fn binary_media_types(
        mut self,
        types: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.binary_media_types = types.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Adds CORS preflight (`OPTIONS`) methods to every resource.
    #[must_use]
    pub fn default_cors_preflight(mut self, cors: CorsOptions) -> Self {
        self.default_cors_preflight = Some(cors);
        self
    }

    /// The stage name, the first path segment of the URL; `prod` when unset.
    #[must_use]
    pub fn stage_name(mut self, name: impl IntoValue<String>) -> Self {
        self.stage_name = name.into_value();
        self
    }

    /// Edge-optimized (API Gateway's default) or regional.
    #[must_use]
    pub fn endpoint_type(mut self, endpoint_type: EndpointType) -> Self {
        self.endpoint_type = Some(endpoint_type);
        self
    }
}

impl LambdaRestApi {
    /// The URL of the deployed stage, ending in `/`:
    /// `https://<api>.execute-api.<region>.<url-suffix>/<stage>/`.
    pub fn url(&self) -> Value<String> {
        Value::sub(format!(
            "https://${{{api}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{api}Stage}}/",
            api = self.id
        ))
    }

    /// The API's ID (`Ref`).
    pub fn rest_api_id(&self) -> Value<Id<kind::apigateway::RestApi>> {
        Value::reference(&self.id)
    }

    /// The ID of the API's root resource `/`.
    pub fn root_resource_id(&self) -> Value<Id<kind::apigateway::Resource>> {
        Value::get_att(&self.id, "RootResourceId")
    }

    /// The deployed stage's name (`Ref` to `<Id>Stage`).
    pub fn deployment_stage_name(&self) -> Value<String> {
        Value::reference(&format!("{}Stage", self.id))
    }
}

impl Construct for LambdaRestApi {
    type Props = LambdaRestApiProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: LambdaRestApiProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        let function_arn = props.handler.unwrap_or_else(|| {
            stack.report(format!(
                "REST API `{id}` has no `handler`; add `handler: <function>`"
            ));
            Value::from_expr(lit(""))
        });
        check_stage_name(stack, id, &props.stage_name);
        let cors = props
            .default_cors_preflight
            .map(|cors| Preflight::new(stack, id, cors));
        add_rest_api(
            stack,
            id,
            props.rest_api_name,
            props.description,
            props.binary_media_types,
            props.endpoint_type,
        );

        let integration = || lambda_proxy_integration(&function_arn);
        let mut tree = ApiTree::new(id);
        tree.add_method(ROOT, "ANY", integration(), Authorization::None);
        if props.proxy {
            if let Some(proxy) = tree.node(stack, "{proxy+}") {
                tree.add_method(proxy, "ANY", integration(), Authorization::None);
            }
        }
        tree.deploy(stack, cors.as_ref(), props.stage_name);

        // One permission covers the root (`/prod/GET/`) and every proxied path
        // (`/prod/GET/a/b`): `*` also matches an empty path. Without `proxy`, only the root.
        let methods_and_paths = if props.proxy { "*/*" } else { "*/" };
        add_invoke_permission(
            stack,
            format!("{id}InvokePermission"),
            id,
            function_arn,
            methods_and_paths,
        );
    }
}

impl RestApiRef for LambdaRestApi {
    fn rest_api_logical_id(&self) -> &str {
        &self.id
    }
}

#[cfg(test)]
mod tests {
    // LambdaRestApi: methods, CORS preflight, deployment hash, stage and permission wiring.
    use super::super::test_support::deployment_id;
    use super::super::Cors;
    use super::*;
    use crate::constructs::{DockerImageFunction, Duration, Function};
    use crate::expr::Expr;
    use crate::template::Template;
    use serde_json::{json, Value as Json};

    fn synth(props: LambdaRestApiProps) -> Result<Template, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        LambdaRestApi::declare("Api").build(props, &mut stack);
        stack.finish().map(|s| s.template).map_err(|e| e.problems)
    }

    fn ok(props: LambdaRestApiProps) -> Json {
        match synth(props) {
            Ok(t) => t.to_json()["Resources"].clone(),
            Err(problems) => panic!("{problems:#?}"),
        }
    }

    fn photosky_cors() -> CorsOptions {
        CorsOptions::default()
            .allow_origins(["*"])
            .allow_methods(Cors::ALL_METHODS)
            .allow_headers(["*"])
    }

    #[test]
    fn proxy_api_routes_root_and_proxy_to_the_function() {
        let func = Function::declare("Handler");
        let r = ok(LambdaRestApiProps::default().handler(&func));
        let uri = json!({"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Handler.Arn}/invocations"});
        for (method, resource) in [
            (
                "ApiRootAny",
                json!({"Fn::GetAtt": ["Api", "RootResourceId"]}),
            ),
            ("ApiProxyAny", json!({"Ref": "ApiProxy"})),
        ] {
            let p = &r[method]["Properties"];
            assert_eq!(p["HttpMethod"], "ANY");
            assert_eq!(p["ResourceId"], resource);
            assert_eq!(p["Integration"]["Type"], "AWS_PROXY");
            assert_eq!(p["Integration"]["IntegrationHttpMethod"], "POST");
            assert_eq!(p["Integration"]["Uri"], uri);
        }
        assert_eq!(r["ApiProxy"]["Properties"]["PathPart"], "{proxy+}");
        assert_eq!(r["Api"]["Properties"]["Name"], "Api");
        assert!(r.get("ApiRootOptions").is_none());

        let deployment = deployment_id(&r);
        assert_eq!(
            r[&deployment]["DependsOn"],
            json!(["ApiRootAny", "ApiProxyAny"])
        );
        assert_eq!(
            r["ApiStage"]["Properties"],
            json!({"RestApiId": {"Ref": "Api"}, "DeploymentId": {"Ref": deployment}, "StageName": "prod"})
        );
        let permissions: Vec<&String> = r
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v["Type"] == "AWS::Lambda::Permission")
                    .map(|(k, _)| k)
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(permissions, ["ApiInvokePermission"]);
        assert_eq!(
            r["ApiInvokePermission"]["Properties"],
            json!({
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Fn::GetAtt": ["Handler", "Arn"]},
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${ApiStage}/*/*"}
            })
        );
    }

    #[test]
    fn without_proxy_only_the_root_is_served() {
        let func = Function::declare("Handler");
        let r = ok(LambdaRestApiProps::default().handler(&func).proxy(false));
        assert!(r.get("ApiProxy").is_none());
        assert!(r.get("ApiRootAny").is_some());
        assert_eq!(
            r["ApiInvokePermission"]["Properties"]["SourceArn"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${ApiStage}/*/"})
        );
    }

    #[test]
    fn cors_adds_preflight_methods_to_root_and_proxy() {
        let func = DockerImageFunction::declare("Handler");
        let r = ok(LambdaRestApiProps::default()
            .handler(&func)
            .default_cors_preflight(photosky_cors()));
        for (method, resource) in [
            (
                "ApiRootOptions",
                json!({"Fn::GetAtt": ["Api", "RootResourceId"]}),
            ),
            ("ApiProxyOptions", json!({"Ref": "ApiProxy"})),
        ] {
            let p = &r[method]["Properties"];
            assert_eq!(p["HttpMethod"], "OPTIONS");
            assert_eq!(p["ResourceId"], resource);
            assert_eq!(p["Integration"]["Type"], "MOCK");
            assert_eq!(
                p["Integration"]["IntegrationResponses"][0],
                json!({
                    "StatusCode": "204",
                    "ResponseParameters": {
                        "method.response.header.Access-Control-Allow-Origin": "'*'",
                        "method.response.header.Access-Control-Allow-Headers": "'*'",
                        "method.response.header.Access-Control-Allow-Methods": "'OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD'"
                    }
                })
            );
            assert_eq!(
                p["MethodResponses"][0]["ResponseParameters"]
                    ["method.response.header.Access-Control-Allow-Origin"],
                true
            );
        }
        let deployment = deployment_id(&r);
        assert_eq!(
            r[&deployment]["DependsOn"],
            json!([
                "ApiRootAny",
                "ApiRootOptions",
                "ApiProxyAny",
                "ApiProxyOptions"
            ])
        );
    }

    #[test]
    fn several_origins_echo_the_matching_one() {
        let func = Function::declare("Handler");
        let r = ok(LambdaRestApiProps::default()
            .handler(&func)
            .default_cors_preflight(
                CorsOptions::default()
                    .allow_origins(["https://a.example", "https://b.example"])
                    .allow_credentials(true)
                    .max_age(Duration::minutes(10)),
            ));
        let response = &r["ApiRootOptions"]["Properties"]["Integration"]["IntegrationResponses"][0];
        let params = &response["ResponseParameters"];
        assert_eq!(
            params["method.response.header.Access-Control-Allow-Origin"],
            "'https://a.example'"
        );
        assert_eq!(params["method.response.header.Vary"], "'Origin'");
        assert_eq!(
            params["method.response.header.Access-Control-Allow-Headers"],
            "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent'"
        );
        assert_eq!(
            params["method.response.header.Access-Control-Allow-Credentials"],
            "'true'"
        );
        assert_eq!(
            params["method.response.header.Access-Control-Max-Age"],
            "'600'"
        );
        let template = response["ResponseTemplates"]["application/json"]
            .as_str()
            .unwrap_or_default();
        assert!(
            template.contains("$origin == \"https://b.example\""),
            "{template}"
        );
        assert!(!template.contains("a.example"), "{template}");
    }

    #[test]
    fn deployment_hash_is_deterministic_and_tracks_definitions() {
        let func = Function::declare("Handler");
        let a = deployment_id(&ok(LambdaRestApiProps::default().handler(&func)));
        let b = deployment_id(&ok(LambdaRestApiProps::default().handler(&func)));
        let c = deployment_id(&ok(LambdaRestApiProps::default()
            .handler(&func)
            .default_cors_preflight(photosky_cors())));
        let other = Function::declare("Other");
        let d = deployment_id(&ok(LambdaRestApiProps::default().handler(&other)));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_eq!(a.len(), "ApiDeployment".len() + 8);
    }

    #[test]
    fn attributes_reference_api_and_stage() {
        let api = LambdaRestApi::declare("Api");
        assert_eq!(
            api.url().expr(),
            &Expr::Sub(
                "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${ApiStage}/".into()
            )
        );
        assert_eq!(api.rest_api_id().expr(), &Expr::Ref("Api".into()));
        assert_eq!(
            api.root_resource_id().expr(),
            &Expr::GetAtt("Api".into(), "RootResourceId".into())
        );
    }

    #[test]
    fn options_are_rendered() {
        let func = Function::declare("Handler");
        let r = ok(LambdaRestApiProps::default()
            .handler(&func)
            .rest_api_name("photos")
            .description("Photo API")
            .binary_media_types(["image/*"])
            .endpoint_type(EndpointType::Regional)
            .stage_name("v1"));
        assert_eq!(
            r["Api"]["Properties"],
            json!({
                "Name": "photos",
                "Description": "Photo API",
                "BinaryMediaTypes": ["image/*"],
                "EndpointConfiguration": {"Types": ["REGIONAL"]}
            })
        );
        assert_eq!(r["ApiStage"]["Properties"]["StageName"], "v1");
    }

    #[test]
    fn mistakes_are_reported() {
        let problems = synth(
            LambdaRestApiProps::default()
                .stage_name("bad stage")
                .default_cors_preflight(
                    CorsOptions::default()
                        .allow_origins(["*"])
                        .allow_credentials(true)
                        .allow_methods(["GET", "FETCH"]),
                ),
        )
        .err()
        .unwrap_or_default();
        for needle in ["`handler`", "`stage_name`", "credentials", "`FETCH`"] {
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {problems:#?}"
            );
        }
        assert_eq!(problems.len(), 4, "{problems:#?}");
    }
}
