//! SageMaker: [`ServerlessEndpoint`], a model served by a serverless inference endpoint,
//! with an execution role limited to what the model needs.

use super::{literal_int, literal_str, Construct, Principals, RoleRef, StringMap};
use crate::aws;
use crate::aws::sagemaker::{endpoint_config, model};
use crate::expr::Expr;
use crate::iam::{Grant, Principal, Statement};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, ToExpr, Value};

/// The account that publishes the Hugging Face deep learning containers in most regions.
const HUGGING_FACE_ACCOUNT: &str = "763104351884";

/// Memory sizes serverless inference accepts, in MB.
const MEMORY_SIZES: &[i64] = &[1024, 2048, 3072, 4096, 5120, 6144];

/// Memory and concurrency used when unset.
const DEFAULT_MEMORY_MB: i64 = 2048;
const DEFAULT_MAX_CONCURRENCY: i64 = 5;

/// The container image a model runs, in ECR.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelImage {
    uri: Value<String>,
    /// The ECR repository the execution role may pull from, when known.
    repository_arn: Option<Value<String>>,
}

impl ModelImage {
    /// An image by URI. A literal ECR URI
    /// (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`) scopes the role's
    /// pull permission to that repository; any other value, to this account's
    /// repositories in the stack's region.
    pub fn from_uri(uri: impl IntoValue<String>) -> Self {
        let uri = uri.into_value();
        let repository_arn = literal_str(&uri).and_then(ecr_repository_arn);
        Self {
            uri,
            repository_arn,
        }
    }

    /// A Hugging Face deep learning container published by AWS, e.g.
    /// `ModelImage::hugging_face("huggingface-pytorch-inference", "2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04")`.
    /// Uses the publishing account of most regions (763104351884); for regions with
    /// their own (such as `af-south-1` or `me-south-1`) use [`ModelImage::from_uri`].
    pub fn hugging_face(repository: &str, tag: &str) -> Self {
        Self {
            uri: Value::sub(format!(
                "{HUGGING_FACE_ACCOUNT}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/{repository}:{tag}"
            )),
            repository_arn: Some(Value::sub(format!(
                "arn:${{AWS::Partition}}:ecr:${{AWS::Region}}:{HUGGING_FACE_ACCOUNT}:repository/{repository}"
            ))),
        }
    }

    /// The Hugging Face PyTorch inference container with this tag.
    pub fn hugging_face_pytorch_inference(tag: &str) -> Self {
        Self::hugging_face("huggingface-pytorch-inference", tag)
    }
}

/// What [`ServerlessEndpointProps::model_data_url`] accepts: a URL, or an `Option` of one.
pub trait ModelDataUrl {
    /// The URL, or `None` for a model without artifacts.
    fn into_model_data_url(self) -> Option<Value<String>>;
}

impl<T: IntoValue<String>> ModelDataUrl for T {
    fn into_model_data_url(self) -> Option<Value<String>> {
        Some(self.into_value())
    }
}

impl<T: IntoValue<String>> ModelDataUrl for Option<T> {
    fn into_model_data_url(self) -> Option<Value<String>> {
        self.map(IntoValue::into_value)
    }
}

/// The repository ARN of a literal ECR image URI.
fn ecr_repository_arn(uri: &str) -> Option<Value<String>> {
    let (host, path) = uri.split_once('/')?;
    let mut labels = host.split('.');
    let account = labels.next()?;
    let (dkr, ecr, region) = (labels.next()?, labels.next()?, labels.next()?);
    if dkr != "dkr" || ecr != "ecr" || account.len() != 12 || region.is_empty() {
        return None;
    }
    let repository = path.split(['@', ':']).next()?;
    (!repository.is_empty()).then(|| {
        Value::sub(format!(
            "arn:${{AWS::Partition}}:ecr:{region}:{account}:repository/{repository}"
        ))
    })
}

/// A model served by a serverless SageMaker inference endpoint: capacity scales with
/// requests, down to zero.
///
/// Resources: the execution role `<Id>Role` (trusted by SageMaker for this account only;
/// pulls the image, reads the model data, writes the endpoint's logs, plus the stack's
/// grants), the model `<Id>Model`, the endpoint configuration `<Id>Config` (one serverless
/// variant, `AllTraffic`) and the endpoint `<Id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerlessEndpoint {
    id: String,
    role: String,
}

/// Options of a [`ServerlessEndpoint`]. `image` is required.
#[derive(Clone, Debug, Default)]
pub struct ServerlessEndpointProps {
    image: Option<ModelImage>,
    model_data_url: Option<Value<String>>,
    environment: StringMap,
    memory_size: Option<Value<i64>>,
    max_concurrency: Option<Value<i64>>,
    provisioned_concurrency: Option<Value<i64>>,
    endpoint_name: Option<Value<String>>,
}

impl ServerlessEndpointProps {
    /// The inference container: `ModelImage::hugging_face_pytorch_inference(tag)` or
    /// `ModelImage::from_uri(uri)`.
    #[must_use]
    pub fn image(mut self, image: ModelImage) -> Self {
        self.image = Some(image);
        self
    }

    /// The model artifacts, `s3://bucket/path/model.tar.gz`; the role may read that
    /// object only. Off-the-shelf Hugging Face models need none (set `HF_MODEL_ID`).
    ///
    /// Takes an `Option` too, so that a stack driven by a config file can pass an optional
    /// field as it is: `None` leaves the model without artifacts.
    #[must_use]
    pub fn model_data_url(mut self, url: impl ModelDataUrl) -> Self {
        self.model_data_url = url.into_model_data_url();
        self
    }

    /// The container's environment, e.g. `{ HF_MODEL_ID: "distilbert-base-uncased", HF_TASK: "fill-mask" }`.
    #[must_use]
    pub fn environment(mut self, environment: StringMap) -> Self {
        self.environment = environment;
        self
    }

    /// Memory in MB: 1024, 2048 (when unset), 3072, 4096, 5120 or 6144.
    #[must_use]
    pub fn memory_size(mut self, mb: impl IntoValue<i64>) -> Self {
        self.memory_size = Some(mb.into_value());
        self
    }

    /// How many requests the endpoint serves at once, 1 to 200; 5 when unset.
    #[must_use]
    pub fn max_concurrency(mut self, max: impl IntoValue<i64>) -> Self {
        self.max_concurrency = Some(max.into_value());
        self
    }

    /// Concurrency kept warm (and billed) to avoid cold starts, at most `max_concurrency`.
    #[must_use]
    pub fn provisioned_concurrency(mut self, count: impl IntoValue<i64>) -> Self {
        self.provisioned_concurrency = Some(count.into_value());
        self
    }

    /// The endpoint's name; CloudFormation generates one when unset.
    #[must_use]
    pub fn endpoint_name(mut self, name: impl IntoValue<String>) -> Self {
        self.endpoint_name = Some(name.into_value());
        self
    }
}

impl ServerlessEndpoint {
    /// The endpoint's name, what `InvokeEndpoint` takes.
    pub fn endpoint_name(&self) -> Value<Id<kind::sagemaker::Endpoint>> {
        Value::get_att(&self.id, "EndpointName")
    }

    /// The endpoint's ARN (`Ref`).
    pub fn endpoint_arn(&self) -> Value<Arn<kind::sagemaker::Endpoint>> {
        Value::reference(&self.id)
    }

    /// The model's name (`<Id>Model`).
    pub fn model_name(&self) -> Value<Id<kind::sagemaker::Model>> {
        Value::get_att(&self.model_id(), "ModelName")
    }

    /// The ARN of the execution role (`<Id>Role`).
    pub fn role_arn(&self) -> Value<Arn<kind::iam::Role>> {
        Value::get_att(&self.role, "Arn")
    }

    /// `invoke`: call this endpoint (`sagemaker:InvokeEndpoint`).
    pub fn grant_invoke(&self) -> Grant {
        Grant::new([Statement::allow(
            ["sagemaker:InvokeEndpoint"],
            [self.endpoint_arn()],
        )])
    }

    fn model_id(&self) -> String {
        format!("{}Model", self.id)
    }

    fn config_id(&self) -> String {
        format!("{}Config", self.id)
    }
}

impl Principal for ServerlessEndpoint {
    fn role_logical_id(&self) -> &str {
        &self.role
    }
}

impl Construct for ServerlessEndpoint {
    type Props = ServerlessEndpointProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
            role: format!("{logical_id}Role"),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: ServerlessEndpointProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        check_options(stack, id, &props);
        let image = props.image.unwrap_or_else(|| {
            stack.report(format!(
                "serverless endpoint `{id}` has no `image`; add e.g. `image: ModelImage::hugging_face_pytorch_inference(\"<tag>\")`"
            ));
            ModelImage::from_uri("")
        });

        // SageMaker sends `aws:SourceAccount` when it assumes the role, so the role
        // trusts it only on behalf of this account (the confused-deputy guard AWS
        // documents for `sagemaker.amazonaws.com`).
        let trust = Principals::default()
            .services(["sagemaker.amazonaws.com"])
            .source_account(true);
        let role = aws::iam::Role {
            assume_role_policy_document: Some(Value::from_expr(trust.trust_policy())),
            ..Default::default()
        };
        stack.add_resource(&self.role, &role);
        let mut statements = execution_statements(&image);
        if let Some(url) = &props.model_data_url {
            match model_data_arn(url) {
                Some(arn) => statements.push(Statement::allow(["s3:GetObject"], [arn])),
                None => stack.report(format!(
                    "serverless endpoint `{id}`: `model_data_url` must be an `s3://bucket/key` URL"
                )),
            }
        }
        stack.grant(&RoleRef(self.role.clone()), Grant::new(statements));

        let model = aws::sagemaker::Model {
            execution_role_arn: Some(self.role_arn().into_value()),
            primary_container: Some(model::ContainerDefinition {
                image: Some(image.uri),
                model_data_url: props.model_data_url,
                // A JSON-typed property: the map keeps the order it was written in.
                environment: (!props.environment.is_empty())
                    .then(|| Value::from_expr(props.environment.to_expr())),
                ..Default::default()
            }),
            ..Default::default()
        };
        stack.add_resource(self.model_id(), &model);

        let config = aws::sagemaker::EndpointConfig {
            production_variants: Some(vec![endpoint_config::ProductionVariant {
                model_name: Some(self.model_name().into_value()),
                variant_name: Some(Value::lit("AllTraffic")),
                serverless_config: Some(endpoint_config::ServerlessConfig {
                    memory_size_in_mb: Some(
                        props
                            .memory_size
                            .unwrap_or_else(|| DEFAULT_MEMORY_MB.into_value()),
                    ),
                    max_concurrency: Some(
                        props
                            .max_concurrency
                            .unwrap_or_else(|| DEFAULT_MAX_CONCURRENCY.into_value()),
                    ),
                    provisioned_concurrency: props.provisioned_concurrency,
                }),
                ..Default::default()
            }]),
            ..Default::default()
        };
        stack.add_resource(self.config_id(), &config);

        let endpoint = aws::sagemaker::Endpoint {
            endpoint_name: props.endpoint_name,
            endpoint_config_name: Some(Value::get_att(&self.config_id(), "EndpointConfigName")),
            ..Default::default()
        };
        stack.add_resource(id, &endpoint);
    }
}

/// What the execution role needs to serve the model: pull the image, write the
/// endpoint's logs.
fn execution_statements(image: &ModelImage) -> Vec<Statement> {
    let repository = image.repository_arn.clone().unwrap_or_else(|| {
        Value::sub("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*")
    });
    let log_groups = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/Endpoints/*";
    vec![
        // Registry logins cannot be scoped to a repository.
        Statement::allow(["ecr:GetAuthorizationToken"], ["*"]),
        Statement::allow(
            [
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ],
            [repository],
        ),
        Statement::allow(["logs:CreateLogGroup"], [Value::<String>::sub(log_groups)]),
        Statement::allow(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [Value::<String>::sub(format!("{log_groups}:log-stream:*"))],
        ),
    ]
}

/// The object ARN of an `s3://bucket/key` URL, literal or `Fn::Sub`.
fn model_data_arn(url: &Value<String>) -> Option<Value<String>> {
    let (rest, sub) = match url.expr() {
        Expr::Str(s) => (s.strip_prefix("s3://")?, false),
        Expr::Sub(s) => (s.strip_prefix("s3://")?, true),
        _ => return None,
    };
    let (bucket, key) = rest.split_once('/')?;
    if bucket.is_empty() || key.is_empty() {
        return None;
    }
    let arn = if sub {
        format!("arn:${{AWS::Partition}}:s3:::{rest}")
    } else {
        format!(
            "arn:${{AWS::Partition}}:s3:::{}",
            stack_spec::sub::escape(rest)
        )
    };
    Some(Value::sub(arn))
}

/// Reports option values SageMaker would reject.
fn check_options(stack: &mut StackBuilder, id: &str, props: &ServerlessEndpointProps) {
    let environment = &props.environment;
    let memory = props.memory_size.as_ref().and_then(literal_int);
    if let Some(mb) = memory {
        if !MEMORY_SIZES.contains(&mb) {
            stack.report(format!(
                "serverless endpoint `{id}`: `memory_size` is {mb} MB; use one of {MEMORY_SIZES:?}"
            ));
        }
    }
    let max = props.max_concurrency.as_ref().and_then(literal_int);
    if let Some(max) = max {
        if !(1..=200).contains(&max) {
            stack.report(format!(
                "serverless endpoint `{id}`: `max_concurrency` is {max}; SageMaker accepts 1 to 200"
            ));
        }
    }
    if let Some(provisioned) = props.provisioned_concurrency.as_ref().and_then(literal_int) {
        let max = max.unwrap_or(DEFAULT_MAX_CONCURRENCY);
        if !(1..=max).contains(&provisioned) {
            stack.report(format!(
                "serverless endpoint `{id}`: `provisioned_concurrency` is {provisioned}; it must be 1 to `max_concurrency` ({max})"
            ));
        }
    }
    if let Some(name) = props.endpoint_name.as_ref().and_then(literal_str) {
        let valid = !name.is_empty()
            && name.len() <= 63
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !name.starts_with('-')
            && !name.ends_with('-');
        if !valid {
            stack.report(format!(
                "serverless endpoint `{id}`: `endpoint_name` `{name}` must be 1 to 63 letters, digits or inner `-`"
            ));
        }
    }
    for (key, _) in environment.iter() {
        let valid = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key.len() <= 1024
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            stack.report(format!(
                "serverless endpoint `{id}`: environment variable `{key}` must start with a letter or `_` and hold only letters, digits and `_`"
            ));
        }
    }
    if environment.len() > 100 {
        stack.report(format!(
            "serverless endpoint `{id}` has {} environment variables; SageMaker allows 100",
            environment.len()
        ));
    }
}

#[cfg(test)]
mod tests {
    // Serverless endpoints: model, config and endpoint wiring, the execution role's
    // scoped permissions, grants and option checks.
    use super::*;
    use serde_json::{json, Value as Json};

    fn build(props: ServerlessEndpointProps) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        ServerlessEndpoint::declare("Sentiment").build(props, &mut stack);
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"].clone())
            .map_err(|e| e.problems)
    }

    fn ok(props: ServerlessEndpointProps) -> Json {
        build(props).unwrap_or_else(|problems| panic!("{problems:#?}"))
    }

    #[test]
    fn hugging_face_model_behind_a_serverless_endpoint() {
        let r = ok(ServerlessEndpointProps::default()
            .image(ModelImage::hugging_face_pytorch_inference(
                "2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04",
            ))
            .model_data_url("s3://models-bucket/sentiment/model.tar.gz")
            .environment(StringMap::new().entry("HF_TASK", "text-classification"))
            .memory_size(4096)
            .max_concurrency(2)
            .provisioned_concurrency(1)
            .endpoint_name("sentiment"));
        let ids: Vec<&String> = r
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(
            ids,
            [
                "SentimentRole",
                "SentimentModel",
                "SentimentConfig",
                "Sentiment"
            ]
        );
        assert_eq!(
            r["SentimentModel"]["Properties"],
            json!({
                "ExecutionRoleArn": {"Fn::GetAtt": ["SentimentRole", "Arn"]},
                "PrimaryContainer": {
                    "Image": {"Fn::Sub": "763104351884.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/huggingface-pytorch-inference:2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04"},
                    "ModelDataUrl": "s3://models-bucket/sentiment/model.tar.gz",
                    "Environment": {"HF_TASK": "text-classification"}
                }
            })
        );
        assert_eq!(
            r["SentimentConfig"]["Properties"]["ProductionVariants"],
            json!([{
                "ModelName": {"Fn::GetAtt": ["SentimentModel", "ModelName"]},
                "VariantName": "AllTraffic",
                "ServerlessConfig": {"MemorySizeInMB": 4096, "MaxConcurrency": 2, "ProvisionedConcurrency": 1}
            }])
        );
        assert_eq!(
            r["Sentiment"]["Properties"],
            json!({
                "EndpointName": "sentiment",
                "EndpointConfigName": {"Fn::GetAtt": ["SentimentConfig", "EndpointConfigName"]}
            })
        );
        let role = &r["SentimentRole"]["Properties"];
        // SageMaker may assume the role only on behalf of this account.
        assert_eq!(
            role["AssumeRolePolicyDocument"]["Statement"],
            json!([{
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
            }])
        );
        assert!(role.get("ManagedPolicyArns").is_none());
        let statements = &role["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(
            statements[1]["Resource"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:763104351884:repository/huggingface-pytorch-inference"})
        );
        assert_eq!(
            statements[4],
            json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::models-bucket/sentiment/model.tar.gz"}})
        );
        let text = statements.to_string();
        assert!(
            !text.contains("sagemaker:*") && !text.contains("s3:*"),
            "{text}"
        );
    }

    #[test]
    fn an_optional_model_data_url_may_be_absent() {
        let image = || {
            ModelImage::hugging_face_pytorch_inference(
                "2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04",
            )
        };
        let from_config: Option<String> = None;
        let r = ok(ServerlessEndpointProps::default()
            .image(image())
            .model_data_url(from_config));
        let container = &r["SentimentModel"]["Properties"]["PrimaryContainer"];
        assert!(container.get("ModelDataUrl").is_none(), "{container}");
        let r = ok(ServerlessEndpointProps::default()
            .image(image())
            .model_data_url(Some("s3://models-bucket/model.tar.gz")));
        assert_eq!(
            r["SentimentModel"]["Properties"]["PrimaryContainer"]["ModelDataUrl"],
            "s3://models-bucket/model.tar.gz"
        );
    }

    #[test]
    fn defaults_and_image_uris() {
        let r = ok(
            ServerlessEndpointProps::default().image(ModelImage::from_uri(
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/models/summarize:3",
            )),
        );
        assert_eq!(
            r["SentimentConfig"]["Properties"]["ProductionVariants"][0]["ServerlessConfig"],
            json!({"MemorySizeInMB": 2048, "MaxConcurrency": 5})
        );
        assert_eq!(
            r["SentimentRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][1]
                ["Resource"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/models/summarize"})
        );
        let image = ModelImage::from_uri(Value::<String>::reference("ImageUri"));
        assert_eq!(image.repository_arn, None);
        let url: Value<String> = Value::sub("s3://${Models}/m.tar.gz");
        assert_eq!(
            model_data_arn(&url).map(|v| v.into_expr()),
            Some(Expr::Sub(
                "arn:${AWS::Partition}:s3:::${Models}/m.tar.gz".into()
            ))
        );
    }

    #[test]
    fn invoke_grant_and_attributes_name_the_endpoint() {
        let endpoint = ServerlessEndpoint::declare("Sentiment");
        assert_eq!(
            endpoint.grant_invoke().statements[0].to_expr().to_json(),
            json!({"Effect": "Allow", "Action": "sagemaker:InvokeEndpoint", "Resource": {"Ref": "Sentiment"}})
        );
        assert_eq!(
            endpoint.endpoint_name().expr(),
            &Expr::GetAtt("Sentiment".into(), "EndpointName".into())
        );
        assert_eq!(
            endpoint.model_name().expr(),
            &Expr::GetAtt("SentimentModel".into(), "ModelName".into())
        );
        assert_eq!(endpoint.role_logical_id(), "SentimentRole");
        let known = include_str!("../../../stack-spec/data/iam-actions.txt");
        let image = ModelImage::hugging_face_pytorch_inference("t");
        for action in execution_statements(&image)
            .iter()
            .chain(&endpoint.grant_invoke().statements)
            .flat_map(|s| &s.actions)
        {
            assert!(known.lines().any(|l| l == action), "{action}");
        }
    }

    #[test]
    fn mistakes_are_reported() {
        let problems = build(
            ServerlessEndpointProps::default()
                .model_data_url("https://example.com/model.tar.gz")
                .memory_size(1000)
                .max_concurrency(300)
                .provisioned_concurrency(0)
                .endpoint_name("bad_name")
                .environment(StringMap::new().entry("1BAD", "x")),
        )
        .err()
        .unwrap_or_default();
        for needle in [
            "no `image`",
            "`model_data_url`",
            "`memory_size`",
            "`max_concurrency`",
            "`provisioned_concurrency`",
            "`endpoint_name`",
            "`1BAD`",
        ] {
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {problems:#?}"
            );
        }
        assert_eq!(problems.len(), 7, "{problems:#?}");
    }
}
