//! [`RestApi`]: a REST API made of routes served by Lambda functions.

use super::cors::{CorsOptions, Preflight};
use super::integration::{plan_integration, Invoke};
use super::route::{route_method, ApiRoute};
use super::tree::{path_suffix, ApiTree};
use super::{add_invoke_permission, add_rest_api, check_stage_name, EndpointType, RestApiRef};
use crate::constructs::{Construct, RoleRef};
use crate::iam::{Grant, Statement};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Id, IntoValue, Value};
use stack_spec::suggest;
use std::sync::{Arc, Mutex, PoisonError};

/// A REST API made of routes, each a method on a path served by a Lambda function or
/// answered by API Gateway itself.
///
/// Resources: the API `<Id>`; one `AWS::ApiGateway::Resource` per path segment, named
/// after the path (`chat/{id}` → `<Id>Chat`, `<Id>ChatId`); one method per route, named
/// after its resource and method (`<Id>ChatPost`, `<Id>RootGet` on `/`); with CORS,
/// `OPTIONS` preflight methods `<Id><Resource>Options`; a deployment
/// `<Id>Deployment<HASH>` whose hash covers the methods and resources; the stage
/// `<Id>Stage`; and, for each route without a credentials role, an
/// `AWS::Lambda::Permission` `<Id><Resource><Method>Permission` scoped to that stage,
/// method and path.
#[derive(Clone, Debug)]
pub struct RestApi {
    id: String,
    /// The paths asked for through [`RestApi::resource_id`], checked once the stack is
    /// finished.
    asked: Arc<Mutex<Vec<String>>>,
}

impl PartialEq for RestApi {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for RestApi {}

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

    /// The ID of the resource at `path` (`"/items"`, `"/items/{id}"`; `"/"` is the root),
    /// for methods of your own: `ResourceId: api.resource_id("/items")` on an
    /// `AWS::ApiGateway::Method`. A path none of the routes creates is reported when the
    /// stack is built.
    pub fn resource_id(&self, path: &str) -> Value<Id<kind::apigateway::Resource>> {
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            return self.root_resource_id();
        }
        self.asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(trimmed.to_owned());
        Value::reference(&format!("{}{}", self.id, path_suffix(trimmed)))
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
            [Value::<String>::sub(format!(
                "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/${{{api}Stage}}/*",
                api = self.id
            ))],
        )])
    }
}

impl Construct for RestApi {
    type Props = RestApiProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
            asked: Arc::default(),
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
                    "REST API `{id}`: route `{method} /{}` has no `integration`; add `integration: LambdaIntegration {{ handler: <function> }}` or `integration: MockIntegration {{ .. }}`",
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
            match planned.invoke {
                None => {}
                Some(Invoke {
                    function_arn,
                    credentials_role: Some(role),
                }) => {
                    let arn = function_arn.into_value();
                    match invokers.iter_mut().find(|(r, _)| *r == role) {
                        Some((_, arns)) if arns.contains(&arn) => {}
                        Some((_, arns)) => arns.push(arn),
                        None => invokers.push((role, vec![arn])),
                    }
                }
                Some(Invoke {
                    function_arn,
                    credentials_role: None,
                }) => permissions.push((
                    format!("{method_id}Permission"),
                    function_arn,
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
            tree.add_method(node, &method, planned.method, route.authorization);
        }
        let paths = tree.paths();
        let asked = Arc::clone(&self.asked);
        let api = id.to_owned();
        stack.check_when_finished(move || {
            let asked = asked.lock().unwrap_or_else(PoisonError::into_inner);
            let known: Vec<String> = paths.iter().map(|p| format!("/{p}")).collect();
            let mut problems = Vec::new();
            for path in asked.iter().filter(|p| !paths.contains(p)) {
                let path = format!("/{path}");
                let mut hint = suggest::did_you_mean(&path, known.iter().map(String::as_str));
                if hint.is_empty() {
                    let mut all = vec!["/"];
                    all.extend(known.iter().map(String::as_str));
                    hint = format!("; its paths are {}", suggest::list(&all));
                }
                problems.push(format!(
                    "REST API `{api}`: `resource_id(\"{path}\")` names a path no route creates{hint}"
                ));
            }
            problems
        });
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

impl RestApiRef for RestApi {
    fn rest_api_logical_id(&self) -> &str {
        &self.id
    }
}

#[cfg(test)]
mod tests {
    // RestApi: routes, non-proxy integrations, credentials roles, permissions and CORS.
    use super::super::test_support::deployment_id;
    use super::super::tree::camel;
    use super::super::{
        Authorization, ContentHandling, IntegrationResponse, LambdaIntegration, MethodResponse,
        PassthroughBehavior,
    };
    use super::*;
    use crate::constructs::{lit, Duration, Function, StringMap};
    use crate::expr::Expr;
    use serde_json::{json, Value as Json};

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
