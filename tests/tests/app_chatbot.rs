//! The Chatbot app (seed 001): golden templates of both stacks, the wiring the seed
//! declares, and cfn-lint.

use chatbot::{Chatbot, ChatbotDeployment, ChatbotProps};
use serde_json::{json, Value as Json};
use stack_core::{App, Stack};

const MAIN: &str = "CdkChatbotStack";
const DEPLOYMENT: &str = "deployment-for-chatbot";

/// The app as `main.rs` builds it with the default context.
fn app() -> App {
    let props = ChatbotProps::new("chatbot", "dev");
    let mut app = App::new();
    let main = app.add(Chatbot::new(MAIN, &props));
    app.add(ChatbotDeployment::new(
        props.deployment_stack_name(),
        &props,
        &main,
    ));
    app
}

fn stack<'a>(app: &'a App, name: &str) -> &'a dyn Stack {
    app.stacks()
        .find(|s| s.stack_name() == name)
        .unwrap_or_else(|| panic!("no stack {name}"))
}

fn template(app: &App, name: &str) -> Json {
    stack(app, name)
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json()
}

fn template_text(app: &App, name: &str) -> String {
    stack(app, name)
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json_string()
}

/// The logical IDs of the resources of type `ty`.
fn of_type<'a>(resources: &'a Json, ty: &str) -> Vec<(&'a str, &'a Json)> {
    resources
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, r)| r["Type"] == ty)
                .map(|(id, r)| (id.as_str(), r))
                .collect()
        })
        .unwrap_or_default()
}

/// The statements of the `Grants` inline policy of a role.
fn grants(resources: &Json, role: &str) -> Json {
    resources[role]["Properties"]["Policies"]
        .as_array()
        .and_then(|policies| policies.iter().find(|p| p["PolicyName"] == "Grants"))
        .map(|p| p["PolicyDocument"]["Statement"].clone())
        .unwrap_or(Json::Null)
}

fn get_att(id: &str, attribute: &str) -> Json {
    json!({"Fn::GetAtt": [id, attribute]})
}

#[test]
fn main_stack_template() {
    insta::assert_snapshot!("chatbot_main", template_text(&app(), MAIN));
}

#[test]
fn deployment_stack_template() {
    insta::assert_snapshot!("chatbot_deployment", template_text(&app(), DEPLOYMENT));
}

#[test]
fn synthesis_is_deterministic() {
    assert_eq!(template_text(&app(), MAIN), template_text(&app(), MAIN));
}

#[test]
fn cloudfront_serves_the_bucket_by_default_and_the_rest_api_on_each_path() {
    let t = template(&app(), MAIN);
    let config = &t["Resources"]["Cdn"]["Properties"]["DistributionConfig"];
    let origins = config["Origins"].as_array().cloned().unwrap_or_default();
    let origin = |id: &Json| {
        origins
            .iter()
            .find(|o| &o["Id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no origin {id}"))
    };

    let default = &config["DefaultCacheBehavior"];
    let s3 = origin(&default["TargetOriginId"]);
    assert_eq!(s3["DomainName"], get_att("Storage", "RegionalDomainName"));
    assert_eq!(
        s3["OriginAccessControlId"],
        get_att("CdnOriginAccessControl", "Id")
    );
    assert_eq!(default["ViewerProtocolPolicy"], "redirect-to-https");
    assert_eq!(config["PriceClass"], "PriceClass_200");

    let behaviors = config["CacheBehaviors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let paths: Vec<&str> = behaviors
        .iter()
        .filter_map(|b| b["PathPattern"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "/chat",
            "/upload",
            "/query",
            "/history",
            "/delete",
            "/provisioning"
        ]
    );
    for behavior in &behaviors {
        let api = origin(&behavior["TargetOriginId"]);
        assert_eq!(
            api["DomainName"],
            json!({"Fn::Sub": "${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}"}),
            "{behavior}"
        );
        assert!(api["OriginPath"].to_string().contains("ApiStage"), "{api}");
        assert_eq!(behavior["ViewerProtocolPolicy"], "redirect-to-https");
        // CachingDisabled, with every method allowed.
        assert_eq!(
            behavior["CachePolicyId"],
            "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
        );
        assert_eq!(behavior["AllowedMethods"].as_array().map(Vec::len), Some(7));
    }

    // The distribution may read the bucket, nothing more.
    let policy = &t["Resources"]["StoragePolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(
        policy[1]["Principal"],
        json!({"Service": "cloudfront.amazonaws.com"})
    );
    assert_eq!(policy[1]["Action"], "s3:GetObject");
}

#[test]
fn the_websocket_routes_all_target_the_one_integration() {
    let t = template(&app(), MAIN);
    let r = &t["Resources"];
    let integrations = of_type(r, "AWS::ApiGatewayV2::Integration");
    assert_eq!(integrations.len(), 1);
    let (integration_id, integration) = integrations[0];
    let target = json!({"Fn::Join": ["", ["integrations/", {"Ref": integration_id}]]});

    let mut keys: Vec<&str> = Vec::new();
    for (id, route) in of_type(r, "AWS::ApiGatewayV2::Route") {
        let p = &route["Properties"];
        assert_eq!(p["Target"], target, "{id}");
        assert_eq!(p["ApiId"], json!({"Ref": "WsApi"}), "{id}");
        assert_eq!(p["AuthorizationType"], "NONE", "{id}");
        keys.extend(p["RouteKey"].as_str());
    }
    keys.sort_unstable();
    assert_eq!(keys, ["$connect", "$default", "$disconnect"]);

    let p = &integration["Properties"];
    assert_eq!(p["ApiId"], json!({"Ref": "WsApi"}));
    assert_eq!(p["IntegrationType"], "AWS_PROXY");
    assert!(
        p["IntegrationUri"]
            .to_string()
            .contains(&get_att("Chat", "Arn").to_string()),
        "{p}"
    );
    // API Gateway invokes the chat function through the function's resource policy,
    // from this API's stage only: no credentials role.
    assert!(p.get("CredentialsArn").is_none(), "{p}");
    let permissions = of_type(r, "AWS::Lambda::Permission");
    assert_eq!(permissions.len(), 1);
    let (_, permission) = permissions[0];
    let p = &permission["Properties"];
    assert_eq!(p["FunctionName"], get_att("Chat", "Arn"));
    assert_eq!(p["Principal"], "apigateway.amazonaws.com");
    let source = p["SourceArn"].to_string();
    assert!(
        source.contains(r#"{"Ref":"WsApi"},"/",{"Ref":"WsApiStage"},"/*""#),
        "{source}"
    );

    let stage = &r["WsApiStage"]["Properties"];
    assert_eq!(stage["ApiId"], json!({"Ref": "WsApi"}));
    assert_eq!(stage["StageName"], "dev");
    // The deployment stack deploys the stage, as in the seed.
    assert!(stage.get("AutoDeploy").is_none(), "{stage}");
    assert_eq!(r["WsApi"]["Properties"]["ProtocolType"], "WEBSOCKET");
    assert_eq!(
        r["WsApi"]["Properties"]["ApiKeySelectionExpression"],
        "$request.header.x-api-key"
    );
}

#[test]
fn the_chat_function_may_post_to_the_stages_connections_only() {
    let t = template(&app(), MAIN);
    let statements = grants(&t["Resources"], "ChatRole");
    let manage: Vec<&Json> = statements
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|s| s.to_string().contains("execute-api"))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(manage.len(), 1, "{statements}");
    assert_eq!(manage[0]["Action"], "execute-api:ManageConnections");
    let resource = manage[0]["Resource"].to_string();
    assert!(
        resource.contains(r#"{"Ref":"WsApi"},"/",{"Ref":"WsApiStage"},"/POST/@connections/*""#),
        "{resource}"
    );
    // The function answers on the callback URL of that stage.
    let env = &t["Resources"]["Chat"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["connection_url"],
        t["Outputs"]["ConnectionUrl"]["Value"]
    );
}

#[test]
fn the_call_log_index_is_on_request_id() {
    let t = template(&app(), MAIN);
    let p = &t["Resources"]["CallLog"]["Properties"];
    assert_eq!(
        p["KeySchema"],
        json!([
            {"AttributeName": "user_id", "KeyType": "HASH"},
            {"AttributeName": "request_time", "KeyType": "RANGE"}
        ])
    );
    let index = &p["GlobalSecondaryIndexes"][0];
    assert_eq!(index["IndexName"], "index-type-for-chatbot");
    assert_eq!(
        index["KeySchema"],
        json!([{"AttributeName": "request_id", "KeyType": "HASH"}])
    );
    assert_eq!(p["BillingMode"], "PAY_PER_REQUEST");
    // The query function reads the index by the name it is given.
    let env = &t["Resources"]["Query"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["indexName"], "index-type-for-chatbot");
    assert_eq!(env["tableName"], json!({"Ref": "CallLog"}));
}

#[test]
fn the_rest_integrations_call_their_functions_as_the_credentials_role() {
    let t = template(&app(), MAIN);
    let r = &t["Resources"];
    let expected = [
        ("upload", "Upload"),
        ("query", "Query"),
        ("history", "History"),
        ("delete", "DeleteItems"),
        ("provisioning", "Provisioning"),
    ];
    let methods = of_type(r, "AWS::ApiGateway::Method");
    assert_eq!(methods.len(), expected.len());
    for (path, function) in expected {
        let resource = of_type(r, "AWS::ApiGateway::Resource")
            .into_iter()
            .find(|(_, res)| res["Properties"]["PathPart"] == path)
            .map(|(id, _)| id)
            .unwrap_or_else(|| panic!("no resource /{path}"));
        let (id, method) = methods
            .iter()
            .find(|(_, m)| m["Properties"]["ResourceId"] == json!({"Ref": resource}))
            .unwrap_or_else(|| panic!("no method on /{path}"));
        let p = &method["Properties"];
        assert_eq!(p["HttpMethod"], "POST", "{id}");
        let integration = &p["Integration"];
        assert_eq!(integration["Type"], "AWS", "{id}: non-proxy");
        assert_eq!(
            integration["Credentials"],
            get_att("ApiRole", "Arn"),
            "{id}"
        );
        assert_eq!(integration["PassthroughBehavior"], "WHEN_NO_TEMPLATES");
        assert_eq!(
            integration["IntegrationResponses"],
            json!([{"StatusCode": "200"}])
        );
        assert!(
            integration["Uri"]
                .to_string()
                .contains(&get_att(function, "Arn").to_string()),
            "{id}: {integration}"
        );
        assert_eq!(
            p["MethodResponses"],
            json!([{"StatusCode": "200", "ResponseModels": {"application/json": "Empty"}}])
        );
    }
    // The credentials role may invoke exactly those five functions; with it, no function
    // needs a resource policy for API Gateway.
    let invokable: Vec<Json> = expected
        .iter()
        .map(|(_, function)| get_att(function, "Arn"))
        .collect();
    assert_eq!(
        grants(r, "ApiRole"),
        json!([{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": invokable}])
    );
    assert_eq!(of_type(r, "AWS::Lambda::Permission").len(), 1);
    assert_eq!(
        r["Api"]["Properties"]["EndpointConfiguration"],
        json!({"Types": ["REGIONAL"]})
    );
    assert_eq!(r["ApiStage"]["Properties"]["StageName"], "dev");
}

#[test]
fn the_chat_function_is_an_8_gb_15_minute_image_running_as_the_shared_role() {
    let t = template(&app(), MAIN);
    let r = &t["Resources"];
    let p = &r["Chat"]["Properties"];
    assert_eq!(p["MemorySize"], 8192);
    assert_eq!(p["Timeout"], 900);
    assert_eq!(p["PackageType"], "Image");
    assert_eq!(p["Role"], get_att("ChatRole", "Arn"));
    assert!(r.get("ChatServiceRole").is_none());

    let env = &p["Environment"]["Variables"];
    assert_eq!(env["s3_bucket"], json!({"Ref": "Storage"}));
    assert_eq!(env["callLogTableName"], json!({"Ref": "CallLog"}));
    assert!(env["path"].to_string().contains("Cdn"), "{env}");
    assert!(env["connection_url"].to_string().contains("WsApi"), "{env}");

    // The role trusts Lambda and Bedrock, and holds the grants made to the function.
    let role = &r["ChatRole"]["Properties"];
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": ["lambda.amazonaws.com", "bedrock.amazonaws.com"]})
    );
    let statements = grants(r, "ChatRole").to_string();
    for needle in [
        "s3:GetObject",
        "s3:PutObject",
        "dynamodb:PutItem",
        "secretsmanager:GetSecretValue",
        "LangsmithSecret",
        "TavilySecret",
    ] {
        assert!(statements.contains(needle), "{needle} in {statements}");
    }
    // No wildcard actions (the seed's `bedrock:*`), and `*` resources only for Bedrock's
    // list actions, which have no resource to scope to.
    let policies = role["Policies"].as_array().cloned().unwrap_or_default();
    for statement in policies.iter().flat_map(|p| {
        p["PolicyDocument"]["Statement"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }) {
        let actions: Vec<String> = match &statement["Action"] {
            Json::Array(list) => list
                .iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect(),
            other => other.as_str().map(str::to_owned).into_iter().collect(),
        };
        assert!(actions.iter().all(|a| !a.contains('*')), "{statement}");
        if statement["Resource"] == "*" {
            assert!(
                actions.iter().all(|a| a.starts_with("bedrock:List")),
                "{statement}"
            );
        }
    }
}

#[test]
fn the_secrets_are_generated_not_written_in_the_template() {
    let t = template(&app(), MAIN);
    let r = &t["Resources"];
    for (id, key) in [
        ("LangsmithSecret", "langsmith_api_key"),
        ("TavilySecret", "tavily_api_key"),
    ] {
        let p = &r[id]["Properties"];
        assert!(p.get("SecretString").is_none(), "{id}");
        assert_eq!(p["GenerateSecretString"]["GenerateStringKey"], key, "{id}");
    }
}

#[test]
fn the_deployment_stack_imports_the_api_id_the_main_stack_exports() {
    let app = app();
    let main = template(&app, MAIN);
    let deployment = template(&app, DEPLOYMENT);
    let export = main["Outputs"]
        .as_object()
        .and_then(|outputs| {
            outputs
                .values()
                .find(|o| o["Value"] == json!({"Ref": "WsApi"}) && o.get("Export").is_some())
        })
        .unwrap_or_else(|| panic!("no output exports the WebSocket API: {}", main["Outputs"]));
    let name = &export["Export"]["Name"];
    assert_eq!(name, "CdkChatbotStack-WsApi-Ref");

    let resources = &deployment["Resources"];
    let deployments = of_type(resources, "AWS::ApiGatewayV2::Deployment");
    assert_eq!(deployments.len(), 1);
    let p = &deployments[0].1["Properties"];
    assert_eq!(p["ApiId"], json!({"Fn::ImportValue": name}));
    assert_eq!(p["StageName"], "dev");
}

#[test]
fn the_deployment_stack_depends_on_the_main_stack() {
    let app = app();
    let order: Vec<(&str, Vec<String>)> = app
        .stacks()
        .map(|s| (s.stack_name(), s.dependencies().to_vec()))
        .collect();
    assert_eq!(
        order,
        vec![(MAIN, vec![]), (DEPLOYMENT, vec![MAIN.to_owned()])]
    );
}

#[test]
fn both_stacks_are_lint_clean() {
    for stack in app().stacks() {
        tests::assert_lint_clean(stack);
    }
}
