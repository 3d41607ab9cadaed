//! API Gateway REST APIs: [`LambdaRestApi`], a REST API that proxies every request to one
//! Lambda function, built on pieces a general `RestApi` shares.

use super::{lit, literal_str, obj, short_hash, Construct, Duration, FunctionRef};
use crate::expr::Expr;
use crate::kind;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::{Arn, Id, IntoValue, Value};

/// CORS presets for [`CorsOptions`].
#[derive(Clone, Copy, Debug)]
pub struct Cors;

impl Cors {
    /// Every HTTP method: `allow_methods: Cors::ALL_METHODS`.
    pub const ALL_METHODS: [&'static str; 7] =
        ["OPTIONS", "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD"];

    /// Any origin: `allow_origins: Cors::ALL_ORIGINS`.
    pub const ALL_ORIGINS: [&'static str; 1] = ["*"];

    /// The headers allowed when `allow_headers` is unset: what AWS SDKs and signed
    /// requests send.
    pub const DEFAULT_HEADERS: [&'static str; 6] = [
        "Content-Type",
        "X-Amz-Date",
        "Authorization",
        "X-Api-Key",
        "X-Amz-Security-Token",
        "X-Amz-User-Agent",
    ];
}

/// CORS preflight options: every resource gets an `OPTIONS` method answering browsers'
/// preflight requests. `allow_origins` is required.
///
/// A proxy integration answers the actual requests itself, so the function must also
/// return `Access-Control-Allow-Origin`.
#[derive(Clone, Debug, Default)]
pub struct CorsOptions {
    allow_origins: Vec<Value<String>>,
    allow_methods: Option<Vec<Value<String>>>,
    allow_headers: Option<Vec<Value<String>>>,
    expose_headers: Vec<Value<String>>,
    allow_credentials: bool,
    max_age: Option<Duration>,
    status_code: Option<u16>,
}

impl CorsOptions {
    /// Origins allowed to call the API, e.g. `["https://example.com"]` or `Cors::ALL_ORIGINS`.
    #[must_use]
    pub fn allow_origins(
        mut self,
        origins: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allow_origins = origins.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Allowed methods; `Cors::ALL_METHODS` when unset. `"ANY"` stands for all of them.
    #[must_use]
    pub fn allow_methods(
        mut self,
        methods: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allow_methods = Some(methods.into_iter().map(IntoValue::into_value).collect());
        self
    }

    /// Allowed request headers; `Cors::DEFAULT_HEADERS` when unset.
    #[must_use]
    pub fn allow_headers(
        mut self,
        headers: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allow_headers = Some(headers.into_iter().map(IntoValue::into_value).collect());
        self
    }

    /// Response headers that browsers may read (`Access-Control-Expose-Headers`).
    #[must_use]
    pub fn expose_headers(
        mut self,
        headers: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.expose_headers = headers.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Whether browsers may send credentials (`Access-Control-Allow-Credentials`);
    /// not allowed together with the `*` origin.
    #[must_use]
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.allow_credentials = allow;
        self
    }

    /// How long browsers may cache the preflight answer (`Access-Control-Max-Age`).
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// The preflight response's status code; 204 when unset.
    #[must_use]
    pub fn status_code(mut self, status: u16) -> Self {
        self.status_code = Some(status);
        self
    }
}

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
        Value::from_expr(Expr::Sub(format!(
            "https://${{{api}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{api}Stage}}/",
            api = self.id
        )))
    }

    /// The API's ID (`Ref`).
    pub fn rest_api_id(&self) -> Value<Id<kind::apigateway::RestApi>> {
        Value::reference(&self.id)
    }

    /// The ID of the API's root resource `/`.
    pub fn root_resource_id(&self) -> Value<String> {
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

        let mut api = Vec::new();
        api.push((
            "Name".to_owned(),
            props
                .rest_api_name
                .map_or_else(|| lit(id), Value::into_expr),
        ));
        if let Some(description) = props.description {
            api.push(("Description".to_owned(), description.into_expr()));
        }
        if !props.binary_media_types.is_empty() {
            api.push((
                "BinaryMediaTypes".to_owned(),
                Value::list(props.binary_media_types).into_expr(),
            ));
        }
        if let Some(endpoint) = props.endpoint_type {
            api.push((
                "EndpointConfiguration".to_owned(),
                obj([("Types", Expr::List(vec![lit(endpoint.as_str())]))]),
            ));
        }
        stack.add(
            id,
            ResourceDecl::new("AWS::ApiGateway::RestApi", Expr::Map(api)),
        );

        let integration = lambda_proxy_integration(&function_arn);
        let mut definition = ApiDefinition::new(id);
        let root = definition.root();
        definition.add_method("RootAny", root.clone(), "ANY", integration.clone(), None);
        if let Some(cors) = &cors {
            cors.add_to(&mut definition, "Root", root.clone());
        }
        if props.proxy {
            let proxy = definition.add_resource("Proxy", root, "{proxy+}");
            definition.add_method("ProxyAny", proxy.clone(), "ANY", integration, None);
            if let Some(cors) = &cors {
                cors.add_to(&mut definition, "Proxy", proxy);
            }
        }
        definition.deploy(stack, props.stage_name);

        // One permission covers the root (`/prod/GET/`) and every proxied path
        // (`/prod/GET/a/b`): `*` also matches an empty path. Without `proxy`, only the root.
        let methods_and_paths = if props.proxy { "*/*" } else { "*/" };
        stack.add(
            format!("{id}InvokePermission"),
            ResourceDecl::new(
                "AWS::Lambda::Permission",
                obj([
                    ("Action", lit("lambda:InvokeFunction")),
                    ("FunctionName", function_arn.into_expr()),
                    ("Principal", lit("apigateway.amazonaws.com")),
                    (
                        "SourceArn",
                        Expr::Sub(format!(
                            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{id}}}/${{{id}Stage}}/{methods_and_paths}"
                        )),
                    ),
                ]),
            ),
        );
    }
}

/// `AWS_PROXY` integration with a Lambda function.
fn lambda_proxy_integration(function_arn: &Value<Arn<kind::lambda::Function>>) -> Expr {
    let uri: Value<String> = Value::concat([
        Value::lit("arn:"),
        crate::pseudo::partition(),
        Value::lit(":apigateway:"),
        crate::pseudo::region(),
        Value::lit(":lambda:path/2015-03-31/functions/"),
        function_arn.clone().into_value(),
        Value::lit("/invocations"),
    ]);
    obj([
        ("Type", lit("AWS_PROXY")),
        ("IntegrationHttpMethod", lit("POST")),
        ("Uri", uri.into_expr()),
    ])
}

/// Reports a stage name API Gateway would reject.
fn check_stage_name(stack: &mut StackBuilder, id: &str, stage: &Value<String>) {
    if let Some(name) = literal_str(stage) {
        let valid = !name.is_empty()
            && name.len() <= 128
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            stack.report(format!(
                "REST API `{id}`: `stage_name` `{name}` must be 1 to 128 letters, digits, `-` or `_`"
            ));
        }
    }
}

/// The methods and resources of one REST API, collected before they are added so the
/// deployment's logical ID can carry a hash of them.
struct ApiDefinition {
    api: String,
    items: Vec<(String, ResourceDecl)>,
    methods: Vec<String>,
}

impl ApiDefinition {
    fn new(api: &str) -> Self {
        Self {
            api: api.to_owned(),
            items: Vec::new(),
            methods: Vec::new(),
        }
    }

    /// The root resource `/`.
    fn root(&self) -> Expr {
        Expr::GetAtt(self.api.clone(), "RootResourceId".into())
    }

    /// Adds a path part under `parent`; returns a reference to the new resource.
    fn add_resource(&mut self, suffix: &str, parent: Expr, path_part: &str) -> Expr {
        let logical_id = format!("{}{suffix}", self.api);
        self.items.push((
            logical_id.clone(),
            ResourceDecl::new(
                "AWS::ApiGateway::Resource",
                obj([
                    ("RestApiId", Expr::Ref(self.api.clone())),
                    ("ParentId", parent),
                    ("PathPart", lit(path_part)),
                ]),
            ),
        ));
        Expr::Ref(logical_id)
    }

    /// Adds an unauthenticated method on `resource`.
    fn add_method(
        &mut self,
        suffix: &str,
        resource: Expr,
        http_method: &str,
        integration: Expr,
        method_responses: Option<Expr>,
    ) {
        let logical_id = format!("{}{suffix}", self.api);
        let mut props = vec![
            ("RestApiId".to_owned(), Expr::Ref(self.api.clone())),
            ("ResourceId".to_owned(), resource),
            ("HttpMethod".to_owned(), lit(http_method)),
            ("AuthorizationType".to_owned(), lit("NONE")),
            ("Integration".to_owned(), integration),
        ];
        if let Some(responses) = method_responses {
            props.push(("MethodResponses".to_owned(), responses));
        }
        self.items.push((
            logical_id.clone(),
            ResourceDecl::new("AWS::ApiGateway::Method", Expr::Map(props)),
        ));
        self.methods.push(logical_id);
    }

    /// Adds the collected items, a deployment named after their hash and the stage.
    fn deploy(self, stack: &mut StackBuilder, stage_name: Value<String>) {
        let fingerprint: String = self
            .items
            .iter()
            .map(|(id, decl)| format!("{id}={}\n", decl.properties.to_json()))
            .collect();
        let deployment = format!("{}Deployment{}", self.api, short_hash(&fingerprint, 8));
        let api = self.api;
        for (id, decl) in self.items {
            stack.add(id, decl);
        }
        let decl = stack.add(
            deployment.clone(),
            ResourceDecl::new(
                "AWS::ApiGateway::Deployment",
                obj([("RestApiId", Expr::Ref(api.clone()))]),
            ),
        );
        // API Gateway refuses to deploy an API without methods, so wait for all of them.
        for method in &self.methods {
            decl.add_dependency(method);
        }
        stack.add(
            format!("{api}Stage"),
            ResourceDecl::new(
                "AWS::ApiGateway::Stage",
                obj([
                    ("RestApiId", Expr::Ref(api)),
                    ("DeploymentId", Expr::Ref(deployment)),
                    ("StageName", stage_name.into_expr()),
                ]),
            ),
        );
    }
}

/// A resolved CORS configuration: the `OPTIONS` method every resource gets.
struct Preflight {
    integration: Expr,
    method_responses: Expr,
}

impl Preflight {
    fn new(stack: &mut StackBuilder, api: &str, cors: CorsOptions) -> Self {
        let status = cors.status_code.unwrap_or(204);
        if !(200..300).contains(&status) {
            stack.report(format!(
                "REST API `{api}`: CORS `status_code` {status} is not a 2xx success; browsers reject the preflight"
            ));
        }
        if cors.allow_origins.is_empty() {
            stack.report(format!(
                "REST API `{api}`: `default_cors_preflight` needs `allow_origins`, e.g. `Cors::ALL_ORIGINS`"
            ));
        }
        let any_origin = cors
            .allow_origins
            .iter()
            .any(|o| literal_str(o) == Some("*"));
        if any_origin && cors.allow_origins.len() > 1 {
            stack.report(format!(
                "REST API `{api}`: CORS origin `*` cannot be combined with other origins"
            ));
        }
        if any_origin && cors.allow_credentials {
            stack.report(format!(
                "REST API `{api}`: browsers refuse credentials with origin `*`; list the origins or drop `allow_credentials`"
            ));
        }
        let methods = expand_methods(stack, api, cors.allow_methods);
        let headers = cors
            .allow_headers
            .unwrap_or_else(|| Cors::DEFAULT_HEADERS.map(Value::lit).to_vec());

        let mut headers_out: Vec<(&str, Value<String>)> = Vec::new();
        if let Some(first) = cors.allow_origins.first() {
            headers_out.push(("Access-Control-Allow-Origin", first.clone()));
        }
        if !any_origin {
            headers_out.push(("Vary", Value::lit("Origin")));
        }
        headers_out.push(("Access-Control-Allow-Headers", join(headers)));
        headers_out.push(("Access-Control-Allow-Methods", join(methods)));
        if cors.allow_credentials {
            headers_out.push(("Access-Control-Allow-Credentials", Value::lit("true")));
        }
        if let Some(max_age) = cors.max_age {
            headers_out.push((
                "Access-Control-Max-Age",
                Value::lit(max_age.as_seconds().to_string()),
            ));
        }
        if !cors.expose_headers.is_empty() {
            headers_out.push(("Access-Control-Expose-Headers", join(cors.expose_headers)));
        }

        let parameter = |name: &str| format!("method.response.header.{name}");
        let response_parameters = Expr::Map(
            headers_out
                .iter()
                .map(|(name, value)| {
                    let quoted = Value::concat([Value::lit("'"), value.clone(), Value::lit("'")]);
                    (parameter(name), quoted.into_expr())
                })
                .collect(),
        );
        let declared = Expr::Map(
            headers_out
                .iter()
                .map(|(name, _)| (parameter(name), Expr::Bool(true)))
                .collect(),
        );
        let status = Expr::Str(status.to_string());
        let mut integration_response = vec![
            ("StatusCode".to_owned(), status.clone()),
            ("ResponseParameters".to_owned(), response_parameters),
        ];
        if cors.allow_origins.len() > 1 && !any_origin {
            integration_response.push((
                "ResponseTemplates".to_owned(),
                obj([(
                    "application/json",
                    echo_allowed_origin(&cors.allow_origins[1..]).into_expr(),
                )]),
            ));
        }
        let integration = obj([
            ("Type", lit("MOCK")),
            (
                "RequestTemplates",
                obj([("application/json", lit("{\"statusCode\": 200}"))]),
            ),
            (
                "IntegrationResponses",
                Expr::List(vec![Expr::Map(integration_response)]),
            ),
        ]);
        let method_responses = Expr::List(vec![obj([
            ("StatusCode", status),
            ("ResponseParameters", declared),
        ])]);
        Self {
            integration,
            method_responses,
        }
    }

    /// Adds the `OPTIONS` method `<Api><prefix>Options` to `resource`.
    fn add_to(&self, definition: &mut ApiDefinition, prefix: &str, resource: Expr) {
        definition.add_method(
            &format!("{prefix}Options"),
            resource,
            "OPTIONS",
            self.integration.clone(),
            Some(self.method_responses.clone()),
        );
    }
}

/// The allowed methods, `ANY` (or none given) standing for all of them.
fn expand_methods(
    stack: &mut StackBuilder,
    api: &str,
    methods: Option<Vec<Value<String>>>,
) -> Vec<Value<String>> {
    let all = || Cors::ALL_METHODS.map(Value::lit).to_vec();
    let Some(methods) = methods else {
        return all();
    };
    if methods.iter().any(|m| literal_str(m) == Some("ANY")) {
        if methods.len() > 1 {
            stack.report(format!(
                "REST API `{api}`: CORS method `ANY` already allows every method; list it alone"
            ));
        }
        return all();
    }
    for method in methods.iter().filter_map(literal_str) {
        if !Cors::ALL_METHODS.contains(&method) {
            stack.report(format!(
                "REST API `{api}`: `{method}` is not an HTTP method; use one of {:?}",
                Cors::ALL_METHODS
            ));
        }
    }
    methods
}

/// Joins values with `,`.
fn join(values: Vec<Value<String>>) -> Value<String> {
    let mut parts = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            parts.push(Value::lit(","));
        }
        parts.push(value);
    }
    Value::concat(parts)
}

/// A mapping template that overrides `Access-Control-Allow-Origin` with the request's
/// origin when it is one of `others` (the first allowed origin is the static default).
fn echo_allowed_origin(others: &[Value<String>]) -> Value<String> {
    let mut parts = vec![Value::lit(
        "#set($origin = $input.params().header.get(\"Origin\"))\n\
         #if($origin == \"\")\n\
         #set($origin = $input.params().header.get(\"origin\"))\n\
         #end\n\
         #if(",
    )];
    for (i, origin) in others.iter().enumerate() {
        if i > 0 {
            parts.push(Value::lit(" || "));
        }
        parts.push(Value::lit("$origin == \""));
        parts.push(origin.clone());
        parts.push(Value::lit("\""));
    }
    parts.push(Value::lit(
        ")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n",
    ));
    Value::concat(parts)
}

#[cfg(test)]
mod tests {
    // LambdaRestApi: methods, CORS preflight, deployment hash, stage and permission wiring.
    use super::*;
    use crate::constructs::{DockerImageFunction, Function};
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

    fn deployment_id(resources: &Json) -> String {
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
