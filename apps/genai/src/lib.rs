//! GenAI (seed 000): the workshop's `InfrastructureStack`. A VPC over two zones; a Text API
//! and an Image API, each a Python Lambda function behind API Gateway that calls Amazon
//! Bedrock with the model IDs from the context; and a Streamlit web app on ECS Fargate
//! behind an Application Load Balancer, which calls both APIs.
//!
//! The stack is a library so that tests can build it; `main.rs` is the app binary.

use std::fmt;
use std::str::FromStr;

use stack_app::{AppSpec, BuildError, Context, ContextError};
use stack_core::prelude::*;

/// The name the stack is deployed under, as in the workshop.
pub const STACK_NAME: &str = "InfrastructureStack";

/// Context key of the text model (the workshop's `toolchain-context` entry of the same name).
pub const TEXT_MODEL_KEY: &str = "bedrock-text-model-id";
/// Context key of the embedding model.
pub const EMBEDDING_MODEL_KEY: &str = "bedrock-embedding-model-id";
/// Context key of the image model.
pub const IMAGE_MODEL_KEY: &str = "bedrock-image-model-id";
/// Context key of an already-pushed web app image to run instead of building `webapp/`.
pub const WEBAPP_IMAGE_KEY: &str = "webapp_image_uri";

/// A Bedrock foundation model ID, such as `anthropic.claude-v2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelId(String);

impl ModelId {
    /// The ID as Bedrock spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The model's ARN in the stack's region and partition: what `bedrock:InvokeModel` is
    /// scoped to.
    pub fn arn(&self) -> Value<String> {
        Value::concat([
            Value::lit("arn:"),
            pseudo::partition(),
            Value::lit(":bedrock:"),
            pseudo::region(),
            Value::lit(format!("::foundation-model/{}", self.0)),
        ])
    }
}

impl FromStr for ModelId {
    type Err = String;

    /// Accepts what Bedrock model IDs are made of: letters, digits, `.`, `-`, `_` and `:`
    /// (`anthropic.claude-3-haiku-20240307-v1:0`), starting with a letter.
    fn from_str(id: &str) -> Result<Self, Self::Err> {
        let valid_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':');
        match id.chars().next() {
            None => Err("a model ID is not empty".to_owned()),
            Some(first) if !first.is_ascii_alphabetic() => {
                Err(format!("a model ID starts with a letter, not `{first}`"))
            }
            _ => match id.chars().find(|c| !valid_char(*c)) {
                Some(c) => Err(format!(
                    "a model ID holds letters, digits, `.`, `-`, `_` and `:`, not `{c}`"
                )),
                None => Ok(Self(id.to_owned())),
            },
        }
    }
}

impl fmt::Display for ModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The models the APIs call, from the context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenAiProps {
    /// The model that answers prompts (`TEXT_MODEL_ID` of the Text API).
    pub text_model: ModelId,
    /// The model that embeds text (`EMBEDDING_MODEL_ID` of the Text API).
    pub embedding_model: ModelId,
    /// The model that draws images (`IMAGE_MODEL_ID` of the Image API).
    pub image_model: ModelId,
    /// An already-pushed web app image (`<account>.dkr.ecr.<region>.amazonaws.com/repo:tag`)
    /// to run instead of building `webapp/`.
    pub webapp_image_uri: Option<String>,
}

impl GenAiProps {
    /// Reads the three model IDs from the context: `stack.json`, `STACK_CONTEXT_<KEY>` or
    /// `--context key=value`. The error names the key, the value and where it came from.
    pub fn from_context(ctx: &Context) -> Result<Self, ContextError> {
        Ok(Self {
            text_model: ctx.get_parsed(TEXT_MODEL_KEY)?,
            embedding_model: ctx.get_parsed(EMBEDDING_MODEL_KEY)?,
            image_model: ctx.get_parsed(IMAGE_MODEL_KEY)?,
            webapp_image_uri: ctx.get_optional(WEBAPP_IMAGE_KEY),
        })
    }

    /// The web app's image: the given one, or `webapp/` built as an image asset.
    pub fn webapp_image(&self) -> ContainerImage {
        match &self.webapp_image_uri {
            Some(uri) => ContainerImage::from_registry(uri.as_str()),
            None => ContainerImage::from_asset("webapp"),
        }
    }
}

/// The app's command line: its name, and its own `stack.json` as the context file when
/// the working directory has none, so the app synthesizes the same stack from the
/// workspace root as from its own directory.
pub fn app_spec() -> AppSpec {
    AppSpec::new("genai")
        .version(env!("CARGO_PKG_VERSION"))
        .about("GenAI workshop infrastructure: Text and Image APIs on Bedrock, a Streamlit web app on Fargate")
        .context_file(concat!(env!("CARGO_MANIFEST_DIR"), "/stack.json"))
}

/// Builds the app from the context: the one stack, [`STACK_NAME`].
pub fn build(ctx: &Context) -> Result<App, BuildError> {
    let props = GenAiProps::from_context(ctx)?;
    Ok(App::new().stack(InfrastructureStack::new(STACK_NAME, &props)))
}

stack! {
    /// GenAI workshop infrastructure: Text and Image APIs on Amazon Bedrock and a Streamlit web app on ECS Fargate, in a two-zone VPC.
    pub stack InfrastructureStack(props: GenAiProps) {
        // The VPC that hosts the web app's cluster.
        resource vpc: Vpc { max_azs: 2 }

        // The Text API: a prompt goes into a prompt template and on to the text model.
        resource text_handler: Function {
            code: Code::asset("lambdas/text"),
            runtime: Runtime::Python312,
            handler: "index.lambda_handler",
            memory_size: 512,
            timeout: Duration::seconds(300),
            environment: {
                EMBEDDING_MODEL_ID: props.embedding_model.as_str(),
                TEXT_MODEL_ID: props.text_model.as_str(),
            },
            initial_policy: [Statement::allow(
                ["bedrock:InvokeModel"],
                [props.text_model.arn(), props.embedding_model.arn()],
            )],
        }
        resource text_api: LambdaRestApi { handler: text_handler }

        /// The Text API's URL, for the system tests.
        output text_api_endpoint_url = text_api.url;

        // The Image API, the same shape with the image model.
        resource image_handler: Function {
            code: Code::asset("lambdas/image"),
            runtime: Runtime::Python312,
            handler: "index.lambda_handler",
            memory_size: 512,
            timeout: Duration::seconds(300),
            environment: { IMAGE_MODEL_ID: props.image_model.as_str() },
            initial_policy: [Statement::allow(["bedrock:InvokeModel"], [props.image_model.arn()])],
        }
        resource image_api: LambdaRestApi { handler: image_handler }

        /// The Image API's URL, for the system tests.
        output image_api_endpoint_url = image_api.url;

        /// The RAG API is not part of the stack yet.
        output rag_api_endpoint_url = "NULL";

        // The Streamlit web app on Fargate behind a public load balancer, told where the APIs are.
        resource web_app: ApplicationLoadBalancedFargateService {
            vpc: vpc,
            image: props.webapp_image(),
            container_name: "streamlit",
            container_port: 8501,
            environment: {
                TEXT_API: text_api.url,
                IMAGE_API: image_api.url,
                RAG_API: "",
            },
            cpu: 512,
            memory_limit_mib: 2048,
            desired_count: 1,
            health_check: HealthCheck { path: "/_stcore/health" },
            // Streamlit keeps each session in one task's memory.
            sticky_sessions: Duration::days(1),
            auto_scaling: TaskAutoScaling {
                max_capacity: 10,
                target_cpu_utilization: 50,
                scale_in_cooldown: Duration::seconds(60),
                scale_out_cooldown: Duration::seconds(60),
            },
        }

        /// Where the web app answers.
        output web_app_url = sub!("http://${web_app.load_balancer_dns_name}");
    }
}
