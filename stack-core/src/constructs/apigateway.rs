//! API Gateway REST APIs: [`RestApi`], routes served by Lambda functions through proxy or
//! non-proxy integrations, and [`LambdaRestApi`], a REST API that proxies every request to
//! one function. Both share the resource tree, CORS preflight, deployment and stage.

use super::{
    lit, literal_str, obj, short_hash, Construct, Duration, FunctionRef, IamRoleRef, RoleRef,
    StringMap,
};
use crate::expr::Expr;
use crate::iam::{Grant, Statement};
use crate::kind;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::{Arn, Id, IntoValue, ToExpr, Value};

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
        add_rest_api(
            stack,
            id,
            props.rest_api_name,
            props.description,
            props.binary_media_types,
            props.endpoint_type,
        );

        let integration = lambda_proxy_integration(&function_arn);
        let mut tree = ApiTree::new(id);
        tree.add_method(ROOT, "ANY", integration.clone(), None, Authorization::None);
        if props.proxy {
            if let Some(proxy) = tree.node(stack, "{proxy+}") {
                tree.add_method(proxy, "ANY", integration, None, Authorization::None);
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

/// A REST API of this stack, [`RestApi`] or [`LambdaRestApi`]: what a CloudFront origin
/// takes.
pub trait RestApiRef {
    /// The API's logical ID; its stage is `<Id>Stage`.
    fn rest_api_logical_id(&self) -> &str;
}

impl RestApiRef for LambdaRestApi {
    fn rest_api_logical_id(&self) -> &str {
        &self.id
    }
}

impl RestApiRef for RestApi {
    fn rest_api_logical_id(&self) -> &str {
        &self.id
    }
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
    let mut api = Vec::new();
    api.push((
        "Name".to_owned(),
        name.map_or_else(|| lit(id), Value::into_expr),
    ));
    if let Some(description) = description {
        api.push(("Description".to_owned(), description.into_expr()));
    }
    if !binary_media_types.is_empty() {
        api.push((
            "BinaryMediaTypes".to_owned(),
            Value::list(binary_media_types).into_expr(),
        ));
    }
    if let Some(endpoint) = endpoint_type {
        api.push((
            "EndpointConfiguration".to_owned(),
            obj([("Types", Expr::List(vec![lit(endpoint.as_str())]))]),
        ));
    }
    stack.add(
        id,
        ResourceDecl::new("AWS::ApiGateway::RestApi", Expr::Map(api)),
    );
}

/// Lets API Gateway invoke a function from `<api>/<stage>/<methods_and_paths>` only.
fn add_invoke_permission(
    stack: &mut StackBuilder,
    logical_id: String,
    api: &str,
    function_arn: Value<Arn<kind::lambda::Function>>,
    methods_and_paths: &str,
) {
    stack.add(
        logical_id,
        ResourceDecl::new(
            "AWS::Lambda::Permission",
            obj([
                ("Action", lit("lambda:InvokeFunction")),
                ("FunctionName", function_arn.into_expr()),
                ("Principal", lit("apigateway.amazonaws.com")),
                (
                    "SourceArn",
                    Expr::Sub(format!(
                        "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/${{{api}Stage}}/{methods_and_paths}"
                    )),
                ),
            ]),
        ),
    );
}

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
    const fn as_str(self) -> &'static str {
        match self {
            Authorization::None => "NONE",
            Authorization::Iam => "AWS_IAM",
        }
    }
}

/// What a non-proxy integration does with a request body no template matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassthroughBehavior {
    /// Pass it through unchanged when no template matches its content type.
    WhenNoMatch,
    /// Pass it through only when the integration has no templates at all.
    WhenNoTemplates,
    /// Reject it (415 Unsupported Media Type).
    Never,
}

impl PassthroughBehavior {
    const fn as_str(self) -> &'static str {
        match self {
            PassthroughBehavior::WhenNoMatch => "WHEN_NO_MATCH",
            PassthroughBehavior::WhenNoTemplates => "WHEN_NO_TEMPLATES",
            PassthroughBehavior::Never => "NEVER",
        }
    }
}

/// How a non-proxy integration converts a payload between text and binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentHandling {
    /// Base64-decode a text payload into binary.
    ConvertToBinary,
    /// Base64-encode a binary payload as text.
    ConvertToText,
}

impl ContentHandling {
    const fn as_str(self) -> &'static str {
        match self {
            ContentHandling::ConvertToBinary => "CONVERT_TO_BINARY",
            ContentHandling::ConvertToText => "CONVERT_TO_TEXT",
        }
    }
}

/// How a non-proxy integration maps the function's result to an HTTP response:
/// `IntegrationResponse { status_code: "200" }`. `status_code` is required.
#[derive(Clone, Debug, Default)]
pub struct IntegrationResponse {
    status_code: Option<Value<String>>,
    selection_pattern: Option<Value<String>>,
    response_templates: StringMap,
    response_parameters: StringMap,
    content_handling: Option<ContentHandling>,
}

impl IntegrationResponse {
    /// The HTTP status to answer with, e.g. `"200"`; it needs a method response.
    #[must_use]
    pub fn status_code(mut self, status: impl IntoValue<String>) -> Self {
        self.status_code = Some(status.into_value());
        self
    }

    /// A regular expression matched against the function's error message, e.g.
    /// `".*Not found.*"`; the response without one is the default.
    #[must_use]
    pub fn selection_pattern(mut self, pattern: impl IntoValue<String>) -> Self {
        self.selection_pattern = Some(pattern.into_value());
        self
    }

    /// Mapping templates by content type, `{ "application/json": "..." }`.
    #[must_use]
    pub fn response_templates(mut self, templates: StringMap) -> Self {
        self.response_templates = templates;
        self
    }

    /// Header mappings, `{ "method.response.header.X-Id": "integration.response.body.id" }`.
    #[must_use]
    pub fn response_parameters(mut self, parameters: StringMap) -> Self {
        self.response_parameters = parameters;
        self
    }

    /// Converts the response payload between text and binary.
    #[must_use]
    pub fn content_handling(mut self, handling: ContentHandling) -> Self {
        self.content_handling = Some(handling);
        self
    }
}

/// A response a method declares: `MethodResponse { status_code: "200", response_models: { "application/json": "Empty" } }`.
/// `status_code` is required.
#[derive(Clone, Debug, Default)]
pub struct MethodResponse {
    status_code: Option<Value<String>>,
    response_models: StringMap,
    response_headers: Vec<String>,
}

impl MethodResponse {
    /// The HTTP status, e.g. `"200"`.
    #[must_use]
    pub fn status_code(mut self, status: impl IntoValue<String>) -> Self {
        self.status_code = Some(status.into_value());
        self
    }

    /// Models by content type; `"Empty"` passes the body through unvalidated.
    #[must_use]
    pub fn response_models(mut self, models: StringMap) -> Self {
        self.response_models = models;
        self
    }

    /// Headers the response may carry, e.g. `["Access-Control-Allow-Origin"]`.
    #[must_use]
    pub fn response_headers(
        mut self,
        headers: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.response_headers = headers.into_iter().map(Into::into).collect();
        self
    }
}

/// A Lambda function behind a method: `LambdaIntegration { handler: chat }`. `handler` is
/// required.
///
/// With `proxy` (the default) the function receives the whole request and returns the
/// whole response. Without it, request templates shape the event and integration
/// responses shape the answer; when neither `integration_responses` nor the route's
/// `method_responses` are given, a `200` passing the result through is declared.
///
/// With `credentials_role`, API Gateway calls the function as that role, and the role is
/// granted `lambda:InvokeFunction` on this function only; otherwise the function gets a
/// resource policy allowing this API's stage, method and path only.
#[derive(Clone, Debug)]
pub struct LambdaIntegration {
    handler: Option<Value<Arn<kind::lambda::Function>>>,
    proxy: bool,
    credentials_role: Option<Option<String>>,
    request_templates: StringMap,
    passthrough_behavior: Option<PassthroughBehavior>,
    integration_responses: Vec<IntegrationResponse>,
    content_handling: Option<ContentHandling>,
    timeout: Option<Duration>,
}

impl Default for LambdaIntegration {
    fn default() -> Self {
        Self {
            handler: None,
            proxy: true,
            credentials_role: None,
            request_templates: StringMap::new(),
            passthrough_behavior: None,
            integration_responses: Vec::new(),
            content_handling: None,
            timeout: None,
        }
    }
}

impl LambdaIntegration {
    /// The function to call.
    #[must_use]
    pub fn handler(mut self, handler: &(impl FunctionRef + ?Sized)) -> Self {
        self.handler = Some(handler.function_arn());
        self
    }

    /// Whether the function receives the raw request (`AWS_PROXY`, the default) or a
    /// templated event (`AWS`).
    #[must_use]
    pub fn proxy(mut self, proxy: bool) -> Self {
        self.proxy = proxy;
        self
    }

    /// The role API Gateway assumes to call the function: a [`Role`](super::Role)
    /// trusting `apigateway.amazonaws.com`, or an `AWS::IAM::Role`.
    #[must_use]
    pub fn credentials_role(mut self, role: impl IamRoleRef) -> Self {
        self.credentials_role = Some(role.iam_role_logical_id().map(str::to_owned));
        self
    }

    /// Request mapping templates by content type (non-proxy only).
    #[must_use]
    pub fn request_templates(mut self, templates: StringMap) -> Self {
        self.request_templates = templates;
        self
    }

    /// What happens to a request body no template matches (non-proxy only).
    #[must_use]
    pub fn passthrough_behavior(mut self, behavior: PassthroughBehavior) -> Self {
        self.passthrough_behavior = Some(behavior);
        self
    }

    /// How results map to responses (non-proxy only); a `200` passthrough when unset.
    #[must_use]
    pub fn integration_responses(
        mut self,
        responses: impl IntoIterator<Item = IntegrationResponse>,
    ) -> Self {
        self.integration_responses = responses.into_iter().collect();
        self
    }

    /// Converts the request payload between text and binary (non-proxy only).
    #[must_use]
    pub fn content_handling(mut self, handling: ContentHandling) -> Self {
        self.content_handling = Some(handling);
        self
    }

    /// How long API Gateway waits for the function: 1 to 29 seconds (the default).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// One method on one path of a [`RestApi`]:
/// `ApiRoute { path: "chat", method: HttpMethod::Post, integration: LambdaIntegration { handler: chat } }`.
/// `integration` is required.
#[derive(Clone, Debug)]
pub struct ApiRoute {
    path: String,
    method: Value<String>,
    integration: Option<LambdaIntegration>,
    method_responses: Vec<MethodResponse>,
    authorization: Authorization,
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

    /// What serves the method.
    #[must_use]
    pub fn integration(mut self, integration: LambdaIntegration) -> Self {
        self.integration = Some(integration);
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

/// A REST API made of routes, each a method on a path served by a Lambda function.
///
/// Resources: the API `<Id>`; one `AWS::ApiGateway::Resource` per path segment, named
/// after the path (`chat/{id}` → `<Id>Chat`, `<Id>ChatId`); one method per route, named
/// after its resource and method (`<Id>ChatPost`, `<Id>RootGet` on `/`); with CORS,
/// `OPTIONS` preflight methods `<Id><Resource>Options`; a deployment
/// `<Id>Deployment<HASH>` whose hash covers the methods and resources; the stage
/// `<Id>Stage`; and, for each route without a credentials role, an
/// `AWS::Lambda::Permission` `<Id><Resource><Method>Permission` scoped to that stage,
/// method and path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestApi {
    id: String,
}

/// Options of a [`RestApi`]. `routes` is required.
#[derive(Clone, Debug)]
pub struct RestApiProps {
    routes: Vec<ApiRoute>,
    rest_api_name: Option<Value<String>>,
    description: Option<Value<String>>,
    binary_media_types: Vec<Value<String>>,
    default_cors_preflight: Option<CorsOptions>,
    stage_name: Value<String>,
    endpoint_type: Option<EndpointType>,
}

impl Default for RestApiProps {
    fn default() -> Self {
        Self {
            routes: Vec::new(),
            rest_api_name: None,
            description: None,
            binary_media_types: Vec::new(),
            default_cors_preflight: None,
            stage_name: Value::lit("prod"),
            endpoint_type: None,
        }
    }
}

impl RestApiProps {
    /// The routes: `[ApiRoute { path: "chat", method: HttpMethod::Post, integration: ... }]`.
    #[must_use]
    pub fn routes(mut self, routes: impl IntoIterator<Item = ApiRoute>) -> Self {
        self.routes = routes.into_iter().collect();
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

    /// Media types passed as binary, e.g. `["application/pdf", "image/*"]`.
    #[must_use]
    pub fn binary_media_types(
        mut self,
        types: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.binary_media_types = types.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Adds CORS preflight (`OPTIONS`) methods to every resource, and the
    /// `Access-Control-Allow-Origin` header (the first origin) to non-proxy responses.
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

    /// Edge-optimized (API Gateway's default) or regional (the choice behind your own
    /// CloudFront distribution).
    #[must_use]
    pub fn endpoint_type(mut self, endpoint_type: EndpointType) -> Self {
        self.endpoint_type = Some(endpoint_type);
        self
    }
}

impl RestApi {
    /// The names of the grant bundles: `grant caller invoke api;`.
    pub const GRANTS: &'static [&'static str] = &["invoke"];

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

    /// `invoke`: call any method of the deployed stage (`execute-api:Invoke`), what
    /// routes with `Authorization::Iam` require.
    pub fn grant_invoke(&self) -> Grant {
        Grant::new([Statement::allow(
            ["execute-api:Invoke"],
            [Value::<String>::from_expr(Expr::Sub(format!(
                "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/${{{api}Stage}}/*",
                api = self.id
            )))],
        )])
    }
}

impl Construct for RestApi {
    type Props = RestApiProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: RestApiProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        check_stage_name(stack, id, &props.stage_name);
        if props.routes.is_empty() {
            stack.report(format!(
                "REST API `{id}` has no `routes`; API Gateway cannot deploy an API without methods"
            ));
        }
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

        let mut tree = ApiTree::new(id);
        let mut permissions = Vec::new();
        // Each credentials role may invoke exactly the functions it fronts, in one statement.
        let mut invokers: Vec<(String, Vec<Value<String>>)> = Vec::new();
        for route in props.routes {
            let Some(method) = route_method(stack, id, &route.method) else {
                continue;
            };
            let Some(node) = tree.node(stack, &route.path) else {
                continue;
            };
            let Some(integration) = route.integration else {
                stack.report(format!(
                    "REST API `{id}`: route `{method} /{}` has no `integration`; add `integration: LambdaIntegration {{ handler: <function> }}`",
                    route.path.trim_matches('/')
                ));
                continue;
            };
            let what = format!(
                "REST API `{id}`: route `{method} /{}`",
                route.path.trim_matches('/')
            );
            let Some(planned) = plan_integration(
                stack,
                &what,
                integration,
                route.method_responses,
                cors.as_ref(),
            ) else {
                continue;
            };
            let method_id = tree.method_id(node, &method);
            if tree.has_method(node, &method) {
                stack.report(format!("{what} is declared twice"));
                continue;
            }
            match planned.credentials_role {
                Some(role) => {
                    let arn = planned.function_arn.clone().into_value();
                    match invokers.iter_mut().find(|(r, _)| *r == role) {
                        Some((_, arns)) if arns.contains(&arn) => {}
                        Some((_, arns)) => arns.push(arn),
                        None => invokers.push((role, vec![arn])),
                    }
                }
                None => permissions.push((
                    format!("{method_id}Permission"),
                    planned.function_arn.clone(),
                    format!(
                        "{}/{}",
                        if method == "ANY" {
                            "*"
                        } else {
                            method.as_str()
                        },
                        tree.source_path(node)
                    ),
                )),
            }
            tree.add_method(
                node,
                &method,
                planned.integration,
                planned.method_responses,
                route.authorization,
            );
        }
        tree.deploy(stack, cors.as_ref(), props.stage_name);
        for (role, functions) in invokers {
            stack.grant(
                &RoleRef(role),
                Grant::new([Statement::allow(["lambda:InvokeFunction"], functions)]),
            );
        }
        for (logical_id, function_arn, methods_and_paths) in permissions {
            add_invoke_permission(stack, logical_id, id, function_arn, &methods_and_paths);
        }
    }
}

/// The upper-case method of a route, if API Gateway knows it.
fn route_method(stack: &mut StackBuilder, api: &str, method: &Value<String>) -> Option<String> {
    const METHODS: [&str; 8] = [
        "ANY", "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS",
    ];
    match literal_str(method) {
        Some(m) if METHODS.contains(&m.to_ascii_uppercase().as_str()) => {
            Some(m.to_ascii_uppercase())
        }
        Some(m) => {
            stack.report(format!(
                "REST API `{api}`: `{m}` is not a method; use one of {METHODS:?}"
            ));
            None
        }
        None => {
            stack.report(format!(
                "REST API `{api}`: a route's `method` must be known when the stack is built, e.g. `HttpMethod::Get`"
            ));
            None
        }
    }
}

/// A route's integration, checked and rendered.
struct PlannedIntegration {
    integration: Expr,
    method_responses: Option<Expr>,
    function_arn: Value<Arn<kind::lambda::Function>>,
    credentials_role: Option<String>,
}

fn plan_integration(
    stack: &mut StackBuilder,
    what: &str,
    integration: LambdaIntegration,
    method_responses: Vec<MethodResponse>,
    cors: Option<&Preflight>,
) -> Option<PlannedIntegration> {
    let Some(function_arn) = integration.handler else {
        stack.report(format!(
            "{what}: the integration has no `handler`; add `handler: <function>`"
        ));
        return None;
    };
    let credentials_role = match integration.credentials_role {
        Some(Some(role)) => Some(role),
        Some(None) => {
            stack.report(format!(
                "{what}: `credentials_role` must be a role of this stack (a `Role` or an `AWS::IAM::Role`)"
            ));
            None
        }
        None => None,
    };
    if let Some(timeout) = integration.timeout {
        if !(1..=29).contains(&timeout.as_seconds()) {
            stack.report(format!(
                "{what}: `timeout` is {} s; API Gateway waits 1 s to 29 s",
                timeout.as_seconds()
            ));
        }
    }
    let mut entries: Vec<(String, Expr)> = vec![
        (
            "Type".into(),
            lit(if integration.proxy {
                "AWS_PROXY"
            } else {
                "AWS"
            }),
        ),
        ("IntegrationHttpMethod".into(), lit("POST")),
        ("Uri".into(), lambda_invocation_uri(&function_arn)),
    ];
    if let Some(role) = &credentials_role {
        entries.push((
            "Credentials".into(),
            Expr::GetAtt(role.clone(), "Arn".into()),
        ));
    }
    let extras = !integration.request_templates.is_empty()
        || integration.passthrough_behavior.is_some()
        || !integration.integration_responses.is_empty()
        || integration.content_handling.is_some();
    if integration.proxy && (extras || !method_responses.is_empty()) {
        stack.report(format!(
            "{what}: a proxy integration passes the function's response through; templates, passthrough, content handling and responses need `proxy: false`"
        ));
    }
    if !integration.request_templates.is_empty() {
        entries.push((
            "RequestTemplates".into(),
            integration.request_templates.to_expr(),
        ));
    }
    if let Some(behavior) = integration.passthrough_behavior {
        entries.push(("PassthroughBehavior".into(), lit(behavior.as_str())));
    }
    if let Some(handling) = integration.content_handling {
        entries.push(("ContentHandling".into(), lit(handling.as_str())));
    }
    if let Some(timeout) = integration.timeout {
        entries.push((
            "TimeoutInMillis".into(),
            Expr::Int(timeout.as_i64().saturating_mul(1000)),
        ));
    }
    let mut responses = None;
    if !integration.proxy {
        let (integration_responses, method_responses) = non_proxy_responses(
            stack,
            what,
            integration.integration_responses,
            method_responses,
            cors.and_then(|c| c.allow_origin.clone()),
        );
        entries.push(("IntegrationResponses".into(), integration_responses));
        responses = Some(method_responses);
    }
    Some(PlannedIntegration {
        integration: Expr::Map(entries),
        method_responses: responses,
        function_arn,
        credentials_role,
    })
}

/// The integration and method responses of a non-proxy integration: a `200` passthrough
/// when none are given, every integration status declared by a method response, and the
/// CORS origin header on both when the API has CORS.
fn non_proxy_responses(
    stack: &mut StackBuilder,
    what: &str,
    mut integration_responses: Vec<IntegrationResponse>,
    mut method_responses: Vec<MethodResponse>,
    cors_origin: Option<Value<String>>,
) -> (Expr, Expr) {
    const ORIGIN: &str = "Access-Control-Allow-Origin";
    if integration_responses.is_empty() {
        integration_responses.push(IntegrationResponse::default().status_code("200"));
    }
    if method_responses.is_empty() {
        for response in &integration_responses {
            let status = response
                .status_code
                .clone()
                .unwrap_or_else(|| Value::lit(""));
            if !method_responses
                .iter()
                .any(|m| m.status_code.as_ref() == Some(&status))
            {
                method_responses.push(
                    MethodResponse::default()
                        .status_code(status)
                        .response_models(StringMap::new().entry("application/json", "Empty")),
                );
            }
        }
    }
    let defaults = integration_responses
        .iter()
        .filter(|r| r.selection_pattern.is_none())
        .count();
    if defaults > 1 {
        stack.report(format!(
            "{what}: {defaults} integration responses have no `selection_pattern`; only one can be the default"
        ));
    }
    let mut rendered = Vec::new();
    for response in integration_responses {
        let Some(status) = response.status_code else {
            stack.report(format!(
                "{what}: an integration response has no `status_code`"
            ));
            continue;
        };
        check_status(stack, what, &status);
        if !method_responses
            .iter()
            .any(|m| m.status_code.as_ref() == Some(&status))
        {
            stack.report(format!(
                "{what}: integration response `{}` has no method response with that status; add `MethodResponse {{ status_code: ... }}`",
                literal_str(&status).unwrap_or("?")
            ));
        }
        let mut parameters = response.response_parameters;
        if let Some(origin) = &cors_origin {
            let key = format!("method.response.header.{ORIGIN}");
            if !parameters.iter().any(|(k, _)| k == key) {
                parameters = parameters.entry(
                    &key,
                    Value::concat([Value::lit("'"), origin.clone(), Value::lit("'")]),
                );
            }
        }
        let mut entries = vec![("StatusCode".to_owned(), status.into_expr())];
        if let Some(pattern) = response.selection_pattern {
            entries.push(("SelectionPattern".into(), pattern.into_expr()));
        }
        if !parameters.is_empty() {
            entries.push(("ResponseParameters".into(), parameters.to_expr()));
        }
        if !response.response_templates.is_empty() {
            entries.push((
                "ResponseTemplates".into(),
                response.response_templates.to_expr(),
            ));
        }
        if let Some(handling) = response.content_handling {
            entries.push(("ContentHandling".into(), lit(handling.as_str())));
        }
        rendered.push(Expr::Map(entries));
    }
    let mut declared = Vec::new();
    for mut response in method_responses {
        let Some(status) = response.status_code else {
            stack.report(format!("{what}: a method response has no `status_code`"));
            continue;
        };
        check_status(stack, what, &status);
        if cors_origin.is_some() && !response.response_headers.iter().any(|h| h == ORIGIN) {
            response.response_headers.push(ORIGIN.to_owned());
        }
        let mut entries = vec![("StatusCode".to_owned(), status.into_expr())];
        if !response.response_models.is_empty() {
            entries.push(("ResponseModels".into(), response.response_models.to_expr()));
        }
        if !response.response_headers.is_empty() {
            entries.push((
                "ResponseParameters".into(),
                Expr::Map(
                    response
                        .response_headers
                        .iter()
                        .map(|h| (format!("method.response.header.{h}"), Expr::Bool(true)))
                        .collect(),
                ),
            ));
        }
        declared.push(Expr::Map(entries));
    }
    (Expr::List(rendered), Expr::List(declared))
}

/// Reports a status code that is not a literal from 100 to 599.
fn check_status(stack: &mut StackBuilder, what: &str, status: &Value<String>) {
    let valid = literal_str(status)
        .is_some_and(|s| s.len() == 3 && s.parse::<u16>().is_ok_and(|n| (100..600).contains(&n)));
    if !valid {
        stack.report(format!(
            "{what}: status codes are written as three digits from 100 to 599, e.g. `\"200\"`"
        ));
    }
}

/// The index of the root resource in an [`ApiTree`].
const ROOT: usize = 0;

/// The resources and methods of a REST API by path, emitted resource by resource.
struct ApiTree {
    api: String,
    nodes: Vec<ApiNode>,
}

struct ApiNode {
    /// The path parts from the root; empty for the root.
    segments: Vec<String>,
    /// The logical ID suffix: `Root`, or the path in UpperCamelCase.
    suffix: String,
    parent: usize,
    methods: Vec<PlannedMethod>,
}

struct PlannedMethod {
    http_method: String,
    integration: Expr,
    method_responses: Option<Expr>,
    authorization: Authorization,
}

impl ApiTree {
    fn new(api: &str) -> Self {
        Self {
            api: api.to_owned(),
            nodes: vec![ApiNode {
                segments: Vec::new(),
                suffix: "Root".to_owned(),
                parent: ROOT,
                methods: Vec::new(),
            }],
        }
    }

    /// The node of `path`, creating it and its ancestors; reports an invalid path.
    fn node(&mut self, stack: &mut StackBuilder, path: &str) -> Option<usize> {
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            return Some(ROOT);
        }
        let segments: Vec<&str> = trimmed.split('/').collect();
        for (i, segment) in segments.iter().enumerate() {
            if let Err(why) = check_path_part(segment, i + 1 == segments.len()) {
                stack.report(format!(
                    "REST API `{}`: path `{path}`: `{segment}` {why}",
                    self.api
                ));
                return None;
            }
        }
        let mut current = ROOT;
        for depth in 1..=segments.len() {
            let prefix: Vec<String> = segments[..depth].iter().map(|s| (*s).to_owned()).collect();
            current = match self.nodes.iter().position(|n| n.segments == prefix) {
                Some(existing) => existing,
                None => {
                    self.nodes.push(ApiNode {
                        suffix: prefix.iter().map(|s| camel(s)).collect(),
                        segments: prefix,
                        parent: current,
                        methods: Vec::new(),
                    });
                    self.nodes.len() - 1
                }
            };
        }
        Some(current)
    }

    /// The logical ID of a method on a node: `<Api><Suffix><Method>`.
    fn method_id(&self, node: usize, method: &str) -> String {
        format!(
            "{}{}{}",
            self.api,
            self.nodes[node].suffix,
            method_camel(method)
        )
    }

    fn has_method(&self, node: usize, method: &str) -> bool {
        self.nodes[node]
            .methods
            .iter()
            .any(|m| m.http_method == method)
    }

    /// The path of a node in an `execute-api` ARN: path parameters match anything.
    fn source_path(&self, node: usize) -> String {
        self.nodes[node]
            .segments
            .iter()
            .map(|s| if s.starts_with('{') { "*" } else { s.as_str() })
            .collect::<Vec<_>>()
            .join("/")
    }

    fn add_method(
        &mut self,
        node: usize,
        http_method: &str,
        integration: Expr,
        method_responses: Option<Expr>,
        authorization: Authorization,
    ) {
        self.nodes[node].methods.push(PlannedMethod {
            http_method: http_method.to_owned(),
            integration,
            method_responses,
            authorization,
        });
    }

    /// Adds every resource followed by its methods and preflight, then the deployment
    /// and the stage.
    fn deploy(self, stack: &mut StackBuilder, cors: Option<&Preflight>, stage_name: Value<String>) {
        let mut definition = ApiDefinition::new(&self.api);
        let mut refs: Vec<Expr> = Vec::new();
        for (i, node) in self.nodes.into_iter().enumerate() {
            let resource = if i == ROOT {
                definition.root()
            } else {
                let part = node.segments.last().map_or("", String::as_str);
                definition.add_resource(&node.suffix, refs[node.parent].clone(), part)
            };
            refs.push(resource.clone());
            let mut has_options = false;
            for method in node.methods {
                has_options |= method.http_method == "OPTIONS";
                definition.add_method(
                    &format!("{}{}", node.suffix, method_camel(&method.http_method)),
                    resource.clone(),
                    &method.http_method,
                    method.authorization,
                    method.integration,
                    method.method_responses,
                );
            }
            if let (Some(cors), false) = (cors, has_options) {
                cors.add_to(&mut definition, &node.suffix, resource);
            }
        }
        definition.deploy(stack, stage_name);
    }
}

/// Why API Gateway would reject a path part, if it would.
fn check_path_part(part: &str, last: bool) -> Result<(), &'static str> {
    if part.is_empty() {
        return Err("is empty; remove the doubled `/`");
    }
    if let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(name) => (name, true),
            None => (inner, false),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err("is not a path parameter such as `{id}` or `{proxy+}`");
        }
        if greedy && !last {
            return Err("is greedy (`+`) and must be the last part of the path");
        }
        return Ok(());
    }
    if part
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        Ok(())
    } else {
        Err("may hold only letters, digits, `-`, `_`, `.` and `:`, or be a parameter `{name}`")
    }
}

/// UpperCamelCase of a path part: `my-path` → `MyPath`, `deleteItems` → `DeleteItems`,
/// `{proxy+}` → `Proxy`.
fn camel(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// A method in a logical ID: `POST` → `Post`.
fn method_camel(method: &str) -> String {
    camel(&method.to_ascii_lowercase())
}

/// `AWS_PROXY` integration with a Lambda function.
fn lambda_proxy_integration(function_arn: &Value<Arn<kind::lambda::Function>>) -> Expr {
    obj([
        ("Type", lit("AWS_PROXY")),
        ("IntegrationHttpMethod", lit("POST")),
        ("Uri", lambda_invocation_uri(function_arn)),
    ])
}

/// The URI API Gateway calls to invoke a Lambda function.
fn lambda_invocation_uri(function_arn: &Value<Arn<kind::lambda::Function>>) -> Expr {
    let uri: Value<String> = Value::concat([
        Value::lit("arn:"),
        crate::pseudo::partition(),
        Value::lit(":apigateway:"),
        crate::pseudo::region(),
        Value::lit(":lambda:path/2015-03-31/functions/"),
        function_arn.clone().into_value(),
        Value::lit("/invocations"),
    ]);
    uri.into_expr()
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

    /// Adds a method on `resource`.
    fn add_method(
        &mut self,
        suffix: &str,
        resource: Expr,
        http_method: &str,
        authorization: Authorization,
        integration: Expr,
        method_responses: Option<Expr>,
    ) {
        let logical_id = format!("{}{suffix}", self.api);
        let mut props = vec![
            ("RestApiId".to_owned(), Expr::Ref(self.api.clone())),
            ("ResourceId".to_owned(), resource),
            ("HttpMethod".to_owned(), lit(http_method)),
            ("AuthorizationType".to_owned(), lit(authorization.as_str())),
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

/// A resolved CORS configuration: the `OPTIONS` method every resource gets, and the
/// origin non-proxy responses announce.
struct Preflight {
    integration: Expr,
    method_responses: Expr,
    allow_origin: Option<Value<String>>,
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
            allow_origin: cors.allow_origins.first().cloned(),
        }
    }

    /// Adds the `OPTIONS` method `<Api><prefix>Options` to `resource`.
    fn add_to(&self, definition: &mut ApiDefinition, prefix: &str, resource: Expr) {
        definition.add_method(
            &format!("{prefix}Options"),
            resource,
            "OPTIONS",
            Authorization::None,
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
    // RestApi: routes, non-proxy integrations, credentials roles, permissions and CORS.

    fn rest(props: RestApiProps) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        crate::constructs::Role::declare("ApiRole").build(
            crate::constructs::RoleProps::default().assumed_by(
                crate::constructs::Principals::default().services(["apigateway.amazonaws.com"]),
            ),
            &mut stack,
        );
        RestApi::declare("Api").build(props, &mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"].clone())
            .map_err(|e| e.problems)
    }

    fn rest_ok(props: RestApiProps) -> Json {
        rest(props).unwrap_or_else(|problems| panic!("{problems:#?}"))
    }

    fn rest_problems(props: RestApiProps) -> Vec<String> {
        rest(props).err().unwrap_or_default()
    }

    fn of_type<'a>(resources: &'a Json, ty: &str) -> Vec<&'a String> {
        resources
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v["Type"] == ty)
                    .map(|(k, _)| k)
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn non_proxy_routes_call_functions_through_the_credentials_role() {
        let role = crate::constructs::Role::declare("ApiRole");
        let names = ["upload", "query", "history", "delete", "provisioning"];
        let functions: Vec<Function> = names
            .iter()
            .map(|n| Function::declare(&format!("{}Fn", camel(n))))
            .collect();
        let routes = names.iter().zip(&functions).map(|(name, function)| {
            ApiRoute::default()
                .path(*name)
                .method(crate::constructs::HttpMethod::Post)
                .integration(
                    LambdaIntegration::default()
                        .handler(function)
                        .proxy(false)
                        .credentials_role(&role)
                        .passthrough_behavior(PassthroughBehavior::WhenNoTemplates),
                )
        });
        let r = rest_ok(
            RestApiProps::default()
                .routes(routes)
                .rest_api_name("rest-api-for-chatbot")
                .description("API Gateway for chatbot")
                .endpoint_type(EndpointType::Regional)
                .binary_media_types(["application/pdf", "text/plain", "text/csv"])
                .stage_name("dev"),
        );
        assert!(of_type(&r, "AWS::Lambda::Permission").is_empty());
        assert_eq!(
            of_type(&r, "AWS::ApiGateway::Resource"),
            [
                "ApiUpload",
                "ApiQuery",
                "ApiHistory",
                "ApiDelete",
                "ApiProvisioning"
            ]
        );
        let upload = &r["ApiUploadPost"]["Properties"];
        assert_eq!(upload["HttpMethod"], "POST");
        assert_eq!(upload["ResourceId"], json!({"Ref": "ApiUpload"}));
        assert_eq!(
            upload["Integration"],
            json!({
                "Type": "AWS",
                "IntegrationHttpMethod": "POST",
                "Uri": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${UploadFn.Arn}/invocations"},
                "Credentials": {"Fn::GetAtt": ["ApiRole", "Arn"]},
                "PassthroughBehavior": "WHEN_NO_TEMPLATES",
                "IntegrationResponses": [{"StatusCode": "200"}]
            })
        );
        assert_eq!(
            upload["MethodResponses"],
            json!([{"StatusCode": "200", "ResponseModels": {"application/json": "Empty"}}])
        );
        let grants = &r["ApiRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        let resources: Vec<Json> = names
            .iter()
            .map(|n| json!({"Fn::GetAtt": [format!("{}Fn", camel(n)), "Arn"]}))
            .collect();
        assert_eq!(
            grants,
            &json!([{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": resources}])
        );
        let deployment = deployment_id(&r);
        assert_eq!(
            r[&deployment]["DependsOn"],
            json!([
                "ApiUploadPost",
                "ApiQueryPost",
                "ApiHistoryPost",
                "ApiDeletePost",
                "ApiProvisioningPost"
            ])
        );
        assert_eq!(r["ApiStage"]["Properties"]["StageName"], "dev");
        assert_eq!(
            r["Api"]["Properties"]["EndpointConfiguration"],
            json!({"Types": ["REGIONAL"]})
        );
    }

    #[test]
    fn routes_without_a_role_get_one_permission_per_method_and_path() {
        let users = Function::declare("Users");
        let home = Function::declare("Home");
        let r = rest_ok(
            RestApiProps::default().routes([
                ApiRoute::default()
                    .path("/users/{id}/")
                    .method("get")
                    .integration(LambdaIntegration::default().handler(&users))
                    .authorization(Authorization::Iam),
                ApiRoute::default()
                    .path("users/{id}/photos/{proxy+}")
                    .integration(
                        LambdaIntegration::default()
                            .handler(&users)
                            .timeout(Duration::seconds(10)),
                    ),
                ApiRoute::default()
                    .method(crate::constructs::HttpMethod::Get)
                    .integration(LambdaIntegration::default().handler(&home)),
            ]),
        );
        assert_eq!(
            of_type(&r, "AWS::ApiGateway::Resource"),
            [
                "ApiUsers",
                "ApiUsersId",
                "ApiUsersIdPhotos",
                "ApiUsersIdPhotosProxy"
            ]
        );
        assert_eq!(
            r["ApiUsersId"]["Properties"],
            json!({"RestApiId": {"Ref": "Api"}, "ParentId": {"Ref": "ApiUsers"}, "PathPart": "{id}"})
        );
        assert_eq!(
            r["ApiUsers"]["Properties"]["ParentId"],
            json!({"Fn::GetAtt": ["Api", "RootResourceId"]})
        );
        assert_eq!(
            r["ApiUsersIdGet"]["Properties"]["AuthorizationType"],
            "AWS_IAM"
        );
        assert_eq!(
            r["ApiUsersIdPhotosProxyAny"]["Properties"]["Integration"]["TimeoutInMillis"],
            10000
        );
        let arn = |path: &str| json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{Api}}/${{ApiStage}}/{path}")});
        assert_eq!(
            of_type(&r, "AWS::Lambda::Permission"),
            [
                "ApiUsersIdGetPermission",
                "ApiUsersIdPhotosProxyAnyPermission",
                "ApiRootGetPermission"
            ]
        );
        assert_eq!(
            r["ApiUsersIdGetPermission"]["Properties"]["SourceArn"],
            arn("GET/users/*")
        );
        assert_eq!(
            r["ApiUsersIdPhotosProxyAnyPermission"]["Properties"]["SourceArn"],
            arn("*/users/*/photos/*")
        );
        assert_eq!(
            r["ApiRootGetPermission"]["Properties"]["SourceArn"],
            arn("GET/")
        );
        assert_eq!(
            r["ApiRootGetPermission"]["Properties"]["FunctionName"],
            json!({"Fn::GetAtt": ["Home", "Arn"]})
        );
        // Methods come resource by resource: the root's first.
        let deployment = deployment_id(&r);
        assert_eq!(
            r[&deployment]["DependsOn"],
            json!(["ApiRootGet", "ApiUsersIdGet", "ApiUsersIdPhotosProxyAny"])
        );
    }

    #[test]
    fn cors_reaches_every_resource_and_non_proxy_responses() {
        let func = Function::declare("Handler");
        let r = rest_ok(
            RestApiProps::default()
                .routes([ApiRoute::default()
                    .path("a/b")
                    .method("POST")
                    .integration(
                        LambdaIntegration::default()
                            .handler(&func)
                            .proxy(false)
                            .request_templates(
                                StringMap::new().entry("application/json", "$input.body"),
                            )
                            .content_handling(ContentHandling::ConvertToText)
                            .integration_responses([
                                IntegrationResponse::default().status_code("200"),
                                IntegrationResponse::default()
                                    .status_code("404")
                                    .selection_pattern(".*not found.*")
                                    .response_templates(
                                        StringMap::new().entry("application/json", "{}"),
                                    )
                                    .content_handling(ContentHandling::ConvertToBinary),
                            ]),
                    )
                    .method_responses([
                        MethodResponse::default().status_code("200"),
                        MethodResponse::default()
                            .status_code("404")
                            .response_headers(["X-Reason"]),
                    ])])
                .default_cors_preflight(
                    CorsOptions::default().allow_origins(["https://chat.example.com"]),
                ),
        );
        for options in ["ApiRootOptions", "ApiAOptions", "ApiABOptions"] {
            assert_eq!(
                r[options]["Properties"]["HttpMethod"], "OPTIONS",
                "{options}"
            );
        }
        let integration = &r["ApiABPost"]["Properties"]["Integration"];
        assert_eq!(
            integration["RequestTemplates"],
            json!({"application/json": "$input.body"})
        );
        assert_eq!(integration["ContentHandling"], "CONVERT_TO_TEXT");
        assert_eq!(
            integration["IntegrationResponses"],
            json!([
                {"StatusCode": "200", "ResponseParameters": {
                    "method.response.header.Access-Control-Allow-Origin": "'https://chat.example.com'"
                }},
                {"StatusCode": "404", "SelectionPattern": ".*not found.*", "ResponseParameters": {
                    "method.response.header.Access-Control-Allow-Origin": "'https://chat.example.com'"
                }, "ResponseTemplates": {"application/json": "{}"}, "ContentHandling": "CONVERT_TO_BINARY"}
            ])
        );
        assert_eq!(
            r["ApiABPost"]["Properties"]["MethodResponses"],
            json!([
                {"StatusCode": "200", "ResponseParameters": {"method.response.header.Access-Control-Allow-Origin": true}},
                {"StatusCode": "404", "ResponseParameters": {
                    "method.response.header.X-Reason": true,
                    "method.response.header.Access-Control-Allow-Origin": true
                }}
            ])
        );
    }

    #[test]
    fn rest_api_attributes_and_invoke_grant() {
        let api = RestApi::declare("Api");
        assert_eq!(
            api.url().expr(),
            &Expr::Sub(
                "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${ApiStage}/".into()
            )
        );
        assert_eq!(api.rest_api_id().expr(), &Expr::Ref("Api".into()));
        assert_eq!(
            api.deployment_stage_name().expr(),
            &Expr::Ref("ApiStage".into())
        );
        assert_eq!(
            api.root_resource_id().expr(),
            &Expr::GetAtt("Api".into(), "RootResourceId".into())
        );
        assert_eq!(
            api.grant_invoke().statements[0].to_expr().to_json(),
            json!({"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${ApiStage}/*"}})
        );
        assert_eq!(camel("deleteItems"), "DeleteItems");
        assert_eq!(camel("{proxy+}"), "Proxy");
        assert_eq!(method_camel("OPTIONS"), "Options");
    }

    #[test]
    fn route_mistakes_are_reported() {
        assert!(rest_problems(RestApiProps::default())
            .iter()
            .any(|p| p.contains("no `routes`")));
        let func = Function::declare("Handler");
        let not_a_role: Value<Id<kind::iam::Role>> = Value::from_expr(lit("named"));
        let found = rest_problems(
            RestApiProps::default().routes([
                ApiRoute::default()
                    .path("a")
                    .method("FETCH")
                    .integration(LambdaIntegration::default().handler(&func)),
                ApiRoute::default()
                    .path("a b")
                    .integration(LambdaIntegration::default().handler(&func)),
                ApiRoute::default()
                    .path("{proxy+}/x")
                    .integration(LambdaIntegration::default().handler(&func)),
                ApiRoute::default().path("none"),
                ApiRoute::default()
                    .path("c")
                    .integration(LambdaIntegration::default()),
                ApiRoute::default().path("d").integration(
                    LambdaIntegration::default()
                        .handler(&func)
                        .integration_responses([IntegrationResponse::default().status_code("200")])
                        .timeout(Duration::seconds(30))
                        .credentials_role(not_a_role),
                ),
                ApiRoute::default()
                    .path("e")
                    .integration(
                        LambdaIntegration::default()
                            .handler(&func)
                            .proxy(false)
                            .integration_responses([
                                IntegrationResponse::default().status_code("200"),
                                IntegrationResponse::default().status_code("2000"),
                            ]),
                    )
                    .method_responses([MethodResponse::default().status_code("200")]),
                ApiRoute::default()
                    .path("f")
                    .integration(LambdaIntegration::default().handler(&func)),
                ApiRoute::default()
                    .path("f")
                    .integration(LambdaIntegration::default().handler(&func)),
            ]),
        );
        for needle in [
            "`FETCH`",
            "`a b`",
            "greedy",
            "no `integration`",
            "no `handler`",
            "need `proxy: false`",
            "1 s to 29 s",
            "`credentials_role`",
            "only one can be the default",
            "three digits",
            "integration response `2000` has no method response",
            "`ANY /f` is declared twice",
        ] {
            assert!(
                found.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {found:#?}"
            );
        }
    }
}
