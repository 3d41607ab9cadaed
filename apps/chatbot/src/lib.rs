//! Chatbot (seed 001): a Bedrock chatbot whose web client is served by CloudFront from S3,
//! talks to five Lambda functions through a REST API behind the same distribution, and
//! chats with a container Lambda over a WebSocket API. The WebSocket API's deployment lives
//! in a second stack that imports the API's ID.
//!
//! The stacks are a library so that tests can build them; `main.rs` is the app binary.

use stack_core::prelude::*;

/// One Bedrock model the chat function may use, and the region it is called in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelProfile {
    /// The region whose Bedrock endpoint serves the model, e.g. `us-west-2`.
    pub bedrock_region: String,
    /// The model family the function formats requests for (`claude3`, `titan`).
    pub model_type: String,
    /// The Bedrock model ID.
    pub model_id: String,
}

impl ModelProfile {
    fn new(bedrock_region: &str, model_type: &str, model_id: &str) -> Self {
        Self {
            bedrock_region: bedrock_region.to_owned(),
            model_type: model_type.to_owned(),
            model_id: model_id.to_owned(),
        }
    }

    /// Claude 3 Sonnet in `us-west-2` and `us-east-1`: the seed's `claude3_sonnet`.
    pub fn claude3_sonnet() -> Vec<Self> {
        let id = "anthropic.claude-3-sonnet-20240229-v1:0";
        vec![
            Self::new("us-west-2", "claude3", id),
            Self::new("us-east-1", "claude3", id),
        ]
    }

    /// Titan Text Embeddings V2 in `us-west-2` and `us-east-1`: the seed's
    /// `titan_embedding_v2`.
    pub fn titan_embedding_v2() -> Vec<Self> {
        let id = "amazon.titan-embed-text-v2:0";
        vec![
            Self::new("us-west-2", "titan", id),
            Self::new("us-east-1", "titan", id),
        ]
    }

    /// A list of profiles as the JSON array the chat function reads from its environment
    /// (the seed's `JSON.stringify(...)`).
    pub fn to_json(profiles: &[Self]) -> String {
        let list: Vec<serde_json::Value> = profiles
            .iter()
            .map(|p| {
                serde_json::json!({
                    "bedrock_region": p.bedrock_region,
                    "model_type": p.model_type,
                    "model_id": p.model_id,
                })
            })
            .collect();
        serde_json::Value::Array(list).to_string()
    }
}

/// The app's configuration: the seed's module-level settings, from the context.
#[derive(Clone, Debug)]
pub struct ChatbotProps {
    /// The project name in every physical name (`chatbot`).
    pub project_name: String,
    /// The API stage name, for both the REST and the WebSocket API (`dev`).
    pub stage: String,
    /// The key prefix uploaded documents go under (`docs`).
    pub s3_prefix: String,
    /// Whether the chat function sends debug messages to the client (`"false"`).
    pub debug_message_mode: String,
    /// The Bedrock prompt flow the chat function looks up by name.
    pub prompt_flow_name: String,
    /// The Bedrock prompt flow for RAG the chat function looks up by name.
    pub rag_prompt_flow_name: String,
    /// The Bedrock knowledge base the chat function looks up by name.
    pub knowledge_base_name: String,
    /// The models for chat.
    pub llm_for_chat: Vec<ModelProfile>,
    /// The models for images.
    pub llm_for_multimodal: Vec<ModelProfile>,
    /// The embedding models.
    pub llm_embedding: Vec<ModelProfile>,
    /// An already-pushed chat image to run instead of building `lambdas/chat-ws`.
    pub chat_image_uri: Option<String>,
}

impl ChatbotProps {
    /// The seed's settings for a project and stage.
    pub fn new(project_name: impl Into<String>, stage: impl Into<String>) -> Self {
        Self {
            project_name: project_name.into(),
            stage: stage.into(),
            s3_prefix: "docs".to_owned(),
            debug_message_mode: "false".to_owned(),
            prompt_flow_name: "aws-bot".to_owned(),
            rag_prompt_flow_name: "rag-prompt-flow".to_owned(),
            knowledge_base_name: "aws-rag".to_owned(),
            llm_for_chat: ModelProfile::claude3_sonnet(),
            llm_for_multimodal: ModelProfile::claude3_sonnet(),
            llm_embedding: ModelProfile::titan_embedding_v2(),
            chat_image_uri: None,
        }
    }

    /// The chat function's image: the given URI, or `lambdas/chat-ws` built as an asset.
    pub fn chat_code(&self) -> DockerImageCode {
        match &self.chat_image_uri {
            Some(uri) => DockerImageCode::from_uri(uri.as_str()),
            None => DockerImageCode::from_asset("lambdas/chat-ws"),
        }
    }

    /// `<prefix>-for-<project>`, the seed's naming scheme.
    pub fn named(&self, prefix: &str) -> String {
        format!("{prefix}-for-{}", self.project_name)
    }

    /// The name of the main stack's second stack: `deployment-for-<project>`.
    pub fn deployment_stack_name(&self) -> String {
        self.named("deployment")
    }
}

/// A `POST` route on `path` served by `handler` through a non-proxy integration that calls
/// it as `credentials_role`: the seed's `addResource(path).addMethod('POST', new
/// LambdaIntegration(handler, { proxy: false, credentialsRole, ... }))`, the same for all
/// five REST paths. A request body no template matches passes through to the function; its
/// result is returned as a `200` with the `Empty` model.
pub fn post_route(
    path: &str,
    handler: &(impl FunctionRef + ?Sized),
    credentials_role: &Role,
) -> ApiRoute {
    ApiRoute::default()
        .path(path)
        .method(HttpMethod::Post)
        .integration(
            LambdaIntegration::default()
                .handler(handler)
                .proxy(false)
                .credentials_role(credentials_role)
                .passthrough_behavior(PassthroughBehavior::WhenNoTemplates)
                .integration_responses([IntegrationResponse::default().status_code("200")]),
        )
        .method_responses([MethodResponse::default()
            .status_code("200")
            .response_models(StringMap::new().entry("application/json", "Empty"))])
}

/// A CloudFront behaviour sending `path` to the REST API uncached, with every method and
/// HTTPS only: the seed's `distribution.addBehavior(path, new RestApiOrigin(api), ...)`.
pub fn api_behavior(path: &str, api: &RestApi) -> Behavior {
    Behavior::default()
        .path_pattern(path)
        .origin(api)
        .cache_policy(CachePolicy::CachingDisabled)
        .allowed_methods(AllowedMethods::All)
        .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
}

stack! {
    /// Chatbot: a Bedrock chatbot behind CloudFront, with a REST API for uploads and the
    /// call log, and a WebSocket API for the chat itself.
    pub stack Chatbot(props: ChatbotProps) {
        let project = props.project_name.as_str();
        let stage = props.stage.as_str();
        let call_log_index_name = props.named("index-type");

        // ---- S3: uploaded documents and the web client.
        resource storage: Bucket {
            bucket_name: sub!("storage-for-${project}-${AWS::AccountId}-${AWS::Region}"),
            versioned: false,
            cors: [CorsRule {
                allowed_headers: ["*"],
                allowed_methods: [HttpMethod::Post, HttpMethod::Put],
                allowed_origins: ["*"],
            }],
            removal_policy: RemovalPolicy::Destroy,
            auto_delete_objects: true,
        }

        // ---- DynamoDB: the call log, with a GSI on `request_id`.
        resource call_log: Table {
            table_name: props.named("db-call-log"),
            partition_key: Attribute::string("user_id"),
            sort_key: Attribute::string("request_time"),
            global_secondary_indexes: [GlobalSecondaryIndex {
                index_name: call_log_index_name.clone(),
                partition_key: Attribute::string("request_id"),
            }],
            billing_mode: BillingMode::PayPerRequest,
            removal_policy: RemovalPolicy::Destroy,
        }

        // ---- CloudFront: the bucket by default, the REST API on its paths.
        resource cdn: Distribution {
            default_behavior: Behavior {
                origin: storage,
                allowed_methods: AllowedMethods::All,
                cache_policy: CachePolicy::CachingDisabled,
                viewer_protocol_policy: ViewerProtocolPolicy::RedirectToHttps,
            },
            behaviors: [
                api_behavior("/chat", api),
                api_behavior("/upload", api),
                api_behavior("/query", api),
                api_behavior("/history", api),
                api_behavior("/delete", api),
                api_behavior("/provisioning", api),
            ],
            price_class: PriceClass::PriceClass200,
        }

        // ---- IAM: the Bedrock statements both chat roles carry (the seed's
        // `BedrockPolicy`), scoped to models, flows and knowledge bases instead of
        // `bedrock:*` on `*`.
        let bedrock_policy = InlinePolicy::default().name("bedrock").statements([
            Statement::allow(
                ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                [
                    sub!("arn:${AWS::Partition}:bedrock:*::foundation-model/*"),
                    sub!("arn:${AWS::Partition}:bedrock:*:${AWS::AccountId}:inference-profile/*"),
                ],
            ),
            Statement::allow(
                ["bedrock:ListFlows", "bedrock:ListFlowAliases", "bedrock:ListKnowledgeBases"],
                ["*"],
            ),
            Statement::allow(
                ["bedrock:InvokeFlow", "bedrock:Retrieve", "bedrock:RetrieveAndGenerate"],
                [
                    sub!("arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:flow/*"),
                    sub!("arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:knowledge-base/*"),
                ],
            ),
        ]);

        /// The seed's `roleLambda`: a chat role for Lambda and Bedrock. The seed declares
        /// it without attaching it to a function; it is kept so the template holds what
        /// the seed declares.
        resource lambda_role: Role {
            role_name: sub!("role-lambda-chat-for-${project}-${AWS::Region}"),
            assumed_by: Principals { services: ["lambda.amazonaws.com", "bedrock.amazonaws.com"] },
            managed_policies: ["service-role/AWSLambdaBasicExecutionRole"],
            inline_policies: [bedrock_policy.clone()],
        }

        /// The REST API's credentials role. The API grants it `lambda:InvokeFunction` on
        /// exactly the five functions it integrates.
        resource api_role: Role {
            role_name: sub!("api-role-for-${project}-${AWS::Region}"),
            assumed_by: Principals { services: ["apigateway.amazonaws.com"] },
        }

        // ---- REST API: five non-proxy Lambda integrations called as `api_role`.
        resource api: RestApi {
            description: "API Gateway for chatbot",
            endpoint_type: EndpointType::Regional,
            rest_api_name: props.named("rest-api"),
            binary_media_types: ["application/pdf", "text/plain", "text/csv"],
            stage_name: stage,
            routes: [
                post_route("upload", upload, api_role),
                post_route("query", query, api_role),
                post_route("history", history, api_role),
                post_route("delete", delete_items, api_role),
                post_route("provisioning", provisioning, api_role),
            ],
        }

        /// Upload: hands the client a presigned URL to `PUT` a document into the bucket.
        resource upload: Function {
            runtime: Runtime::Nodejs22x,
            function_name: props.named("lambda-upload"),
            code: Code::asset("lambdas/upload"),
            handler: "index.handler",
            timeout: Duration::seconds(10),
            environment: {
                bucketName: storage.name,
                s3_prefix: props.s3_prefix.clone(),
            },
        }

        /// Query: one call log entry by request ID, through the GSI.
        resource query: Function {
            runtime: Runtime::Nodejs22x,
            function_name: props.named("lambda-query"),
            code: Code::asset("lambdas/query"),
            handler: "index.handler",
            timeout: Duration::seconds(60),
            environment: {
                tableName: call_log.name,
                indexName: call_log_index_name.clone(),
            },
        }

        /// History: a user's call log since a given time.
        resource history: Function {
            runtime: Runtime::Nodejs22x,
            function_name: props.named("lambda-gethistory"),
            code: Code::asset("lambdas/gethistory"),
            handler: "index.handler",
            timeout: Duration::seconds(60),
            environment: { tableName: call_log.name },
        }

        /// Delete: removes a user's call log.
        resource delete_items: Function {
            runtime: Runtime::Nodejs22x,
            function_name: props.named("lambda-deleteItems"),
            code: Code::asset("lambdas/delete-items"),
            handler: "index.handler",
            timeout: Duration::seconds(60),
            environment: { tableName: call_log.name },
        }

        // ---- WebSocket API: the chat function behind `$connect`, `$disconnect` and
        // `$default`, on the stage the deployment stack deploys.
        /// The WebSocket API the client chats over. Its stage is deployed by the second
        /// stack, as in the seed, so it does not deploy itself.
        resource ws_api: WebSocketApi {
            description: "API Gateway for chatbot using websocket",
            api_key_selection_expression: "$request.header.x-api-key",
            api_name: props.named("ws-api"),
            route_selection_expression: "$request.body.action",
            connect_route_options: WebSocketRouteOptions {
                integration: WebSocketLambdaIntegration { handler: chat },
            },
            disconnect_route_options: WebSocketRouteOptions {
                integration: WebSocketLambdaIntegration { handler: chat },
            },
            default_route_options: WebSocketRouteOptions {
                integration: WebSocketLambdaIntegration { handler: chat },
            },
            stage_name: stage,
            auto_deploy: false,
        }

        /// The chat function's role (the seed's `roleLambdaWebsocket`): basic execution,
        /// Bedrock, invoking this app's functions, and (by `grant chat manage_connections
        /// ws_api` below) answering WebSocket clients.
        resource chat_role: Role {
            role_name: sub!("role-lambda-chat-ws-for-${project}-${AWS::Region}"),
            assumed_by: Principals { services: ["lambda.amazonaws.com", "bedrock.amazonaws.com"] },
            managed_policies: ["service-role/AWSLambdaBasicExecutionRole"],
            inline_policies: [
                bedrock_policy.clone(),
                InlinePolicy {
                    name: "lambda-invoke",
                    statements: [Statement::allow(
                        ["lambda:InvokeFunction"],
                        [upload.arn, query.arn, history.arn, delete_items.arn, provisioning.arn],
                    )],
                },
            ],
        }

        /// The LangSmith project and API key. The key is generated as a placeholder: put
        /// the real one in the secret after the first deploy.
        resource langsmith_secret: Secret {
            description: "secret for langsmith api key",
            secret_name: format!("langsmithapikey-{project}"),
            generate_secret_string: GenerateSecretString {
                secret_string_template: format!("{{\"langchain_project\":\"{project}\"}}"),
                generate_string_key: "langsmith_api_key",
            },
            removal_policy: RemovalPolicy::Destroy,
        }

        /// The Tavily project and API key, generated as a placeholder like the LangSmith one.
        resource tavily_secret: Secret {
            description: "secret for tavily api key",
            secret_name: format!("tavilyapikey-{project}"),
            generate_secret_string: GenerateSecretString {
                secret_string_template: format!("{{\"project_name\":\"{project}\"}}"),
                generate_string_key: "tavily_api_key",
            },
            removal_policy: RemovalPolicy::Destroy,
        }

        /// The chat function: a container image, 8 GB and 15 minutes, running as `chat_role`.
        resource chat: DockerImageFunction {
            description: "lambda for chat using websocket",
            function_name: props.named("lambda-chat-ws"),
            code: props.chat_code(),
            timeout: Duration::seconds(900),
            memory_size: 8192,
            role: chat_role,
            environment: {
                s3_bucket: storage.name,
                s3_prefix: props.s3_prefix.clone(),
                path: sub!("https://${cdn.domain_name}/"),
                callLogTableName: call_log.name,
                LLM_for_chat: ModelProfile::to_json(&props.llm_for_chat),
                LLM_for_multimodal: ModelProfile::to_json(&props.llm_for_multimodal),
                LLM_embedding: ModelProfile::to_json(&props.llm_embedding),
                connection_url: ws_api.callback_url,
                debugMessageMode: props.debug_message_mode.clone(),
                projectName: project,
                prompt_flow_name: props.prompt_flow_name.clone(),
                rag_prompt_flow_name: props.rag_prompt_flow_name.clone(),
                knowledge_base_name: props.knowledge_base_name.clone(),
            },
        }

        /// Provisioning: tells the web client which WebSocket URL to connect to.
        resource provisioning: Function {
            description: "lambda to earn provisioning info",
            function_name: format!("lambda-provisioning-api-{project}"),
            handler: "lambda_function.lambda_handler",
            runtime: Runtime::Python311,
            code: Code::asset("lambdas/provisioning"),
            timeout: Duration::seconds(30),
            environment: { wss_url: ws_api.url },
        }

        // ---- The seed's grants, each as narrow as its function needs.
        grant upload put storage;
        grant query read call_log;
        grant history read call_log;
        grant delete_items read_write call_log;
        grant chat read_write storage;
        grant chat read_write call_log;
        grant chat_role read langsmith_secret;
        grant chat_role read tavily_secret;
        grant chat manage_connections ws_api;

        /// The API identifier.
        output api_identifier = ws_api.api_id;
        /// The URL of Web Socket
        output web_socket_url = ws_api.url;
        /// The URL of connection
        output connection_url = ws_api.callback_url;
        /// The REST API's URL (its stage).
        output api_url = api.url;
        /// The web client's URL: the CloudFront distribution.
        output distribution_url = cdn.url;
    }
}

stack! {
    /// Deploys the chatbot's WebSocket API: a deployment of the API the main stack creates,
    /// to its stage.
    pub stack ChatbotDeployment(props: ChatbotProps) uses main: Chatbot {
        resource ws_deployment: AWS::ApiGatewayV2::Deployment {
            ApiId: main.ws_api.api_id,
            Description: "deploy api gateway using websocket",
            StageName: props.stage.clone(),
        }
    }
}
