//! The API, data, CDN, IAM, secret and SageMaker constructs agree with the macro's catalog:
//! every option, attribute and grant of `RestApi`, `Table`, `Distribution`, `Role`,
//! `Secret` and `ServerlessEndpoint` builds, wires up as a CDK user expects, and lints
//! clean.

use serde_json::{json, Value as Json};
use stack_core::prelude::*;

stack! {
    /// A chatbot backend: a REST API behind CloudFront next to a private site bucket, a
    /// call log table, roles, secrets and a serverless model endpoint.
    pub stack ApiData {
        /// The Tavily API key, supplied at deploy time.
        #[no_echo]
        param tavily_key: String;

        resource site: Bucket {
            cors: [CorsRule { allowed_methods: [HttpMethod::Post, HttpMethod::Put], allowed_origins: ["*"], allowed_headers: ["*"] }],
        }
        resource call_log: Table {
            table_name: "db-call-log-for-api-data",
            partition_key: Attribute::string("user_id"),
            sort_key: Attribute::string("request_time"),
            global_secondary_indexes: [GlobalSecondaryIndex {
                index_name: "index-type-for-api-data",
                partition_key: Attribute::string("request_id"),
                sort_key: Attribute { name: "request_time", attribute_type: AttributeType::String },
                projection: Projection::include(["answer"]),
                read_capacity: 2,
                write_capacity: 2,
            }],
            billing_mode: BillingMode::Provisioned,
            read_capacity: 5,
            write_capacity: 4,
            point_in_time_recovery: true,
            removal_policy: RemovalPolicy::Destroy,
            deletion_protection: false,
            stream: StreamViewType::NewAndOldImages,
            time_to_live_attribute: "expires_at",
        }
        resource api_role: Role {
            role_name: sub!("api-role-for-api-data-${AWS::Region}"),
            description: "lets API Gateway call the functions",
            assumed_by: Principals { services: ["apigateway.amazonaws.com"] },
            managed_policies: ["service-role/AmazonAPIGatewayPushToCloudWatchLogs"],
            inline_policies: [InlinePolicy {
                name: "metrics",
                statements: [Statement::allow(["cloudwatch:PutMetricData"], ["*"])],
            }],
            max_session_duration: Duration::hours(2),
        }
        resource chat_role: Role {
            assumed_by: Principals {
                services: ["lambda.amazonaws.com", "bedrock.amazonaws.com"],
                accounts: ["123456789012"],
                arns: ["arn:aws:iam::123456789012:role/operator"],
                external_id: "api-data",
            },
            managed_policies: ["service-role/AWSLambdaBasicExecutionRole"],
        }
        resource upload: Function {
            code: Code::inline("def handler(event, context):\n    return {}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { BUCKET: site.name, TABLE: call_log.name },
        }
        resource query: Function {
            code: Code::inline("def handler(event, context):\n    return {}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { ENDPOINT: sentiment.endpoint_name, INDEX: "index-type-for-api-data" },
        }
        resource api: RestApi {
            rest_api_name: "rest-api-for-api-data",
            description: "API Gateway for the chatbot",
            endpoint_type: EndpointType::Regional,
            binary_media_types: ["application/pdf", "text/plain", "text/csv"],
            stage_name: "dev",
            default_cors_preflight: CorsOptions { allow_origins: ["https://chat.example.com"] },
            routes: [
                ApiRoute {
                    path: "upload",
                    method: HttpMethod::Post,
                    integration: LambdaIntegration {
                        handler: upload,
                        proxy: false,
                        credentials_role: api_role,
                        passthrough_behavior: PassthroughBehavior::WhenNoTemplates,
                        request_templates: { "application/json": "$input.json('$')" },
                        content_handling: ContentHandling::ConvertToText,
                        timeout: Duration::seconds(29),
                        integration_responses: [
                            IntegrationResponse { status_code: "200" },
                            IntegrationResponse {
                                status_code: "400",
                                selection_pattern: ".*invalid.*",
                                response_templates: { "application/json": "{\"error\": \"invalid\"}" },
                                response_parameters: { "method.response.header.X-Error": "'invalid'" },
                                content_handling: ContentHandling::ConvertToText,
                            },
                        ],
                    },
                    method_responses: [
                        MethodResponse { status_code: "200", response_models: { "application/json": "Empty" } },
                        MethodResponse { status_code: "400", response_headers: ["X-Error"] },
                    ],
                    authorization: Authorization::None,
                },
                ApiRoute {
                    path: "query/{proxy+}",
                    integration: LambdaIntegration { handler: query },
                    authorization: Authorization::Iam,
                },
            ],
        }
        resource cdn: Distribution {
            default_behavior: Behavior {
                origin: site,
                allowed_methods: AllowedMethods::GetHeadOptions,
                cache_policy: CachePolicy::CachingOptimized,
                origin_request_policy: OriginRequestPolicy::CorsS3Origin,
                response_headers_policy: ResponseHeadersPolicy::SecurityHeaders,
                viewer_protocol_policy: ViewerProtocolPolicy::RedirectToHttps,
                compress: true,
            },
            behaviors: [
                Behavior { path_pattern: "/upload", origin: api, cache_policy: CachePolicy::CachingDisabled, allowed_methods: AllowedMethods::All },
                Behavior { path_pattern: "/query/*", origin: api },
            ],
            price_class: PriceClass::PriceClass200,
            default_root_object: "index.html",
            comment: "chatbot",
            domain_names: ["chat.example.com"],
            certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        }
        resource langsmith: Secret {
            secret_name: "langsmithapikey-api-data",
            description: "LangSmith project and key",
            secret_object_value: {
                langchain_project: SecretValue::unsafe_plain_text("api-data"),
                langsmith_api_key: SecretValue::from_parameter(tavily_key),
            },
            removal_policy: RemovalPolicy::Destroy,
        }
        resource tavily: Secret {
            secret_string_value: SecretValue::from_parameter(tavily_key),
            removal_policy: RemovalPolicy::Destroy,
        }
        resource db_password: Secret {
            generate_secret_string: GenerateSecretString {
                secret_string_template: "{\"username\":\"app\"}",
                generate_string_key: "password",
                exclude_characters: "\"@/\\",
                exclude_punctuation: false,
                exclude_uppercase: false,
                exclude_lowercase: false,
                exclude_numbers: false,
                include_space: false,
                password_length: 40,
                require_each_included_type: true,
            },
        }
        resource sentiment: ServerlessEndpoint {
            image: ModelImage::hugging_face_pytorch_inference("2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04"),
            model_data_url: "s3://api-data-models/sentiment/model.tar.gz",
            environment: { HF_TASK: "text-classification" },
            memory_size: 2048,
            max_concurrency: 2,
            provisioned_concurrency: 1,
            endpoint_name: "sentiment-api-data",
        }

        grant query read call_log;
        grant upload write call_log;
        grant chat_role read_write call_log;
        grant chat_role read langsmith;
        grant chat_role write tavily;
        grant chat_role invoke api;
        grant chat_role invalidate cdn;
        grant query invoke sentiment;
        grant query pass api_role;
        grant sentiment read site;
        grant chat_role ["dynamodb:DescribeTimeToLive"] on call_log;

        output table_arn = call_log.arn;
        output table_name = call_log.name;
        output table_stream = call_log.stream_arn;
        output role_arn = chat_role.arn;
        output role_name = chat_role.name;
        output api_url = api.url;
        output api_id = api.rest_api_id;
        output api_root = api.root_resource_id;
        output api_stage = api.deployment_stage_name;
        output cdn_domain = cdn.domain_name;
        output cdn_id = cdn.distribution_id;
        output cdn_url = cdn.url;
        output cdn_arn = cdn.arn;
        output secret_arn = langsmith.arn;
        output endpoint_name = sentiment.endpoint_name;
        output endpoint_arn = sentiment.endpoint_arn;
        output model_name = sentiment.model_name;
        output model_role = sentiment.role_arn;
    }
}

stack! {
    /// Each construct with only its required options: the defaults alone deploy.
    pub stack Defaults {
        resource site: Bucket {}
        resource handler: Function {
            code: Code::inline("def handler(event, context):\n    return {}\n"),
            runtime: Runtime::Python312,
            handler: "index.handler",
        }
        resource api: RestApi {
            routes: [ApiRoute { path: "{proxy+}", integration: LambdaIntegration { handler: handler } }],
        }
        resource cdn: Distribution {
            default_behavior: Behavior { origin: site },
            behaviors: [Behavior { path_pattern: "/api/*", origin: api }],
        }
        resource items: Table { partition_key: Attribute::string("id") }
        resource role: Role { assumed_by: Principals { services: ["lambda.amazonaws.com"] } }
        resource token: Secret {}
        resource model: ServerlessEndpoint {
            image: ModelImage::from_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1"),
        }
        grant role read items;
        grant role read token;
        grant role invoke model;
    }
}

fn template() -> Json {
    let stack = ApiData::new("ApiData");
    let synthesized = stack.synthesized().unwrap_or_else(|e| panic!("{e}"));
    synthesized.template.to_json()
}

fn statements(resources: &Json, role: &str) -> Json {
    resources[role]["Properties"]["Policies"]
        .as_array()
        .and_then(|policies| policies.iter().find(|p| p["PolicyName"] == "Grants"))
        .map(|p| p["PolicyDocument"]["Statement"].clone())
        .unwrap_or(Json::Null)
}

#[test]
fn every_option_attribute_and_grant_builds() {
    let template = template();
    assert_eq!(template["Outputs"].as_object().map(|o| o.len()), Some(18));
    assert_eq!(template["Parameters"]["TavilyKey"]["NoEcho"], true);
}

#[test]
fn the_index_is_on_request_id() {
    let r = &template()["Resources"];
    let table = &r["CallLog"];
    assert_eq!(table["DeletionPolicy"], "Delete");
    let p = &table["Properties"];
    assert_eq!(
        p["KeySchema"],
        json!([
            {"AttributeName": "user_id", "KeyType": "HASH"},
            {"AttributeName": "request_time", "KeyType": "RANGE"}
        ])
    );
    let index = &p["GlobalSecondaryIndexes"][0];
    assert_eq!(index["IndexName"], "index-type-for-api-data");
    assert_eq!(
        index["KeySchema"][0],
        json!({"AttributeName": "request_id", "KeyType": "HASH"})
    );
    assert_eq!(
        index["ProvisionedThroughput"],
        json!({"ReadCapacityUnits": 2, "WriteCapacityUnits": 2})
    );
    assert_eq!(
        p["PointInTimeRecoverySpecification"],
        json!({"PointInTimeRecoveryEnabled": true})
    );
}

#[test]
fn origin_access_control_is_wired_in_the_distribution_and_the_bucket_policy() {
    let r = &template()["Resources"];
    let config = &r["Cdn"]["Properties"]["DistributionConfig"];
    assert_eq!(
        config["Origins"][0]["OriginAccessControlId"],
        json!({"Fn::GetAtt": ["CdnOriginAccessControl", "Id"]})
    );
    assert_eq!(
        config["Origins"][0]["DomainName"],
        json!({"Fn::GetAtt": ["Site", "RegionalDomainName"]})
    );
    assert_eq!(
        r["CdnOriginAccessControl"]["Type"],
        "AWS::CloudFront::OriginAccessControl"
    );
    let policy = &r["SitePolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(policy[0]["Effect"], "Deny");
    assert_eq!(
        policy[1]["Principal"],
        json!({"Service": "cloudfront.amazonaws.com"})
    );
    assert_eq!(
        policy[1]["Condition"]["StringEquals"]["AWS:SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}"})
    );
    assert_eq!(config["Origins"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        config["Origins"][1]["OriginPath"],
        json!({"Fn::Sub": "/${ApiStage}"})
    );
    let patterns: Vec<&Json> = config["CacheBehaviors"]
        .as_array()
        .map(|b| b.iter().map(|b| &b["PathPattern"]).collect())
        .unwrap_or_default();
    assert_eq!(patterns, [&json!("/upload"), &json!("/query/*")]);
}

#[test]
fn the_rest_api_calls_through_the_credentials_role() {
    let r = &template()["Resources"];
    let upload = &r["ApiUploadPost"]["Properties"]["Integration"];
    assert_eq!(upload["Type"], "AWS");
    assert_eq!(
        upload["Credentials"],
        json!({"Fn::GetAtt": ["ApiRole", "Arn"]})
    );
    assert_eq!(
        statements(r, "ApiRole"),
        json!([{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": {"Fn::GetAtt": ["Upload", "Arn"]}}])
    );
    assert!(r.get("ApiUploadPostPermission").is_none());
    assert_eq!(
        r["ApiQueryProxyAnyPermission"]["Properties"]["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${ApiStage}/*/query/*"})
    );
    assert_eq!(
        r["ApiQueryProxyAny"]["Properties"]["AuthorizationType"],
        "AWS_IAM"
    );
    assert_eq!(r["ApiStage"]["Properties"]["StageName"], "dev");
}

#[test]
fn grants_are_scoped_to_their_targets() {
    let r = &template()["Resources"];
    let query = statements(r, "QueryServiceRole");
    assert_eq!(
        query[1],
        json!({"Effect": "Allow", "Action": ["dynamodb:Query", "dynamodb:Scan"], "Resource": {"Fn::Sub": "${CallLog.Arn}/index/*"}})
    );
    assert_eq!(
        query[2],
        json!({"Effect": "Allow", "Action": "sagemaker:InvokeEndpoint", "Resource": {"Ref": "Sentiment"}})
    );
    let chat = statements(r, "ChatRole").to_string();
    for needle in [
        "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue",
        "execute-api:Invoke",
        "cloudfront:CreateInvalidation",
        "dynamodb:DescribeTimeToLive",
    ] {
        assert!(chat.contains(needle), "{needle} in {chat}");
    }
    assert!(!chat.contains("\"*\""), "{chat}");
    assert_eq!(
        query[3],
        json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"Fn::GetAtt": ["ApiRole", "Arn"]}})
    );
    let model = statements(r, "SentimentRole").to_string();
    assert!(
        model.contains("s3:GetObject") && model.contains("s3:ListBucket"),
        "{model}"
    );
}

#[test]
fn secrets_keep_plaintext_explicit_and_parameters_out_of_the_template() {
    let r = &template()["Resources"];
    assert_eq!(
        r["Langsmith"]["Properties"]["SecretString"],
        json!({"Fn::Sub": "{\"langchain_project\":\"api-data\",\"langsmith_api_key\":\"${TavilyKey}\"}"})
    );
    assert_eq!(
        r["Tavily"]["Properties"]["SecretString"],
        json!({"Ref": "TavilyKey"})
    );
    assert_eq!(r["DbPassword"]["DeletionPolicy"], "Retain");
    assert_eq!(
        r["DbPassword"]["Properties"]["GenerateSecretString"]["GenerateStringKey"],
        "password"
    );
}

#[test]
fn api_data_is_lint_clean() {
    tests::assert_lint_clean(&ApiData::new("ApiData"));
}

#[test]
fn defaults_are_secure_and_lint_clean() {
    let stack = Defaults::new("Defaults");
    let template = stack
        .synthesized()
        .unwrap_or_else(|e| panic!("{e}"))
        .template
        .to_json();
    let r = &template["Resources"];
    assert_eq!(r["Items"]["DeletionPolicy"], "Retain");
    assert_eq!(r["Items"]["Properties"]["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(r["Token"]["DeletionPolicy"], "Retain");
    assert_eq!(
        r["Token"]["Properties"],
        json!({"GenerateSecretString": {}})
    );
    let config = &r["Cdn"]["Properties"]["DistributionConfig"];
    assert_eq!(
        config["DefaultCacheBehavior"]["ViewerProtocolPolicy"],
        "redirect-to-https"
    );
    assert_eq!(
        config["CacheBehaviors"][0]["OriginRequestPolicyId"],
        "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    );
    assert_eq!(
        r["ApiProxyAnyPermission"]["Properties"]["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/${ApiStage}/*/*"})
    );
    tests::assert_lint_clean(&stack);
}
