//! The app's configuration: the `context` object of the seed's `cdk.json`, as a JSON file of
//! its own (`config.json`), read with serde into [`StreamlitConfig`].
//!
//! Serde checks the shape (types, unknown and missing keys); [`StreamlitConfig::check`]
//! checks what the shape cannot say (names AWS would reject, a name used twice, a folder
//! that does not exist), each with the key path of the offending value.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use stack_core::prelude::*;

/// The default tag of the Hugging Face PyTorch inference container that endpoints run.
pub const DEFAULT_HUGGING_FACE_IMAGE_TAG: &str = "2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04";

/// Memory sizes serverless inference accepts, in MB.
const SERVERLESS_MEMORY_SIZES: &[u32] = &[1024, 2048, 3072, 4096, 5120, 6144];

/// The whole configuration.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StreamlitConfig {
    /// The account to deploy to. Accepted so that a `cdk.json` context can be used as it
    /// is; the account comes from the AWS credentials at deploy time.
    #[serde(default)]
    pub account: Option<String>,
    /// The region to deploy to. Accepted as `account` is; the region comes from
    /// `--region` or the AWS profile at deploy time.
    #[serde(default)]
    pub region: Option<String>,
    /// The deployment's environment (`dev`, `prod`); any other than `prod` is put in front
    /// of the domain name.
    pub environment: String,
    /// The Route 53 hosted zone that holds the domain.
    pub hosted_zone_id: String,
    /// The site's domain name in production.
    pub domain_name: String,
    /// The CPU architecture of the web app's tasks, and of functions that do not choose
    /// their own.
    #[serde(default)]
    pub platform: Platform,
    /// One SageMaker endpoint per entry.
    #[serde(default)]
    pub sagemaker_endpoints: Vec<EndpointConfig>,
    /// One Lambda function per entry.
    #[serde(default)]
    pub lambda_functions: Vec<FunctionConfig>,
    /// More environment variables for the web app, beside the function and endpoint names.
    #[serde(default)]
    pub streamlit_environment_variables: BTreeMap<String, EnvValue>,
    /// More statements for the web app's task role, beside invoking the functions and
    /// endpoints.
    #[serde(default)]
    pub ecs_policy_statements: Vec<PolicyStatementConfig>,
}

/// A CPU architecture: `"arm64"` or `"amd64"` (the default).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// 64-bit ARM (Graviton).
    Arm64,
    /// 64-bit x86.
    #[default]
    Amd64,
}

impl Platform {
    /// The architecture Lambda and ECS call this platform.
    pub fn architecture(self) -> Architecture {
        match self {
            Platform::Arm64 => Architecture::Arm64,
            Platform::Amd64 => Architecture::X86_64,
        }
    }
}

impl FromStr for Platform {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "arm64" => Ok(Platform::Arm64),
            "amd64" => Ok(Platform::Amd64),
            _ => Err("expected `arm64` or `amd64`".to_owned()),
        }
    }
}

/// How a function's image is made; the seed's only kind is `"from_docker_image"`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FunctionType {
    /// A container image, built from a folder or taken from ECR.
    FromDockerImage,
}

/// A Lambda function from a container image.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FunctionConfig {
    /// How the image is made.
    pub function_type: FunctionType,
    /// The web app's environment variable that carries the function's name.
    pub environment_variable_name: String,
    /// A folder of `lambda_functions/` with a `Dockerfile`, built at deploy time.
    #[serde(default)]
    pub folder_name: Option<String>,
    /// Instead of `folder_name`: an ECR repository of this account and region...
    #[serde(default)]
    pub ecr_repo: Option<String>,
    /// ...and the tag of the image in it.
    #[serde(default)]
    pub tag: Option<String>,
    /// The function's architecture; the config's `platform` when unset.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// How long one invocation may run, in minutes (1 to 15); 5 when unset.
    #[serde(default = "default_timeout_minutes")]
    pub timeout: u32,
    /// Memory in MB (128 to 10240); 512 when unset.
    #[serde(default = "default_memory_size")]
    pub memory_size: u32,
    /// What the function may do beyond writing its logs.
    #[serde(default)]
    pub policy_statements: Vec<PolicyStatementConfig>,
}

fn default_timeout_minutes() -> u32 {
    5
}

fn default_memory_size() -> u32 {
    512
}

impl FunctionConfig {
    /// The key of the function in the stack: its environment variable, lower-cased, so
    /// `COUNTERFACTUAL_LAMBDA` becomes the logical ID `FunctionsCounterfactualLambda`.
    pub fn key(&self) -> String {
        self.environment_variable_name.to_ascii_lowercase()
    }

    /// The image: the folder built as an asset, or the ECR image.
    pub fn code(&self) -> DockerImageCode {
        match (&self.folder_name, &self.ecr_repo, &self.tag) {
            (Some(folder), _, _) => {
                DockerImageCode::from_asset(format!("lambda_functions/{folder}"))
            }
            (None, Some(repository), Some(tag)) => DockerImageCode::from_uri(Value::concat([
                pseudo::account_id(),
                Value::lit(".dkr.ecr."),
                pseudo::region(),
                Value::lit("."),
                pseudo::url_suffix(),
                Value::lit(format!("/{repository}:{tag}")),
            ])),
            // `check` rejects the other combinations before the stack is built.
            _ => DockerImageCode::from_uri(""),
        }
    }

    /// The function's architecture: its own `platform`, else the config's.
    pub fn architecture(&self, default: Platform) -> Architecture {
        self.platform.unwrap_or(default).architecture()
    }

    /// The invocation timeout.
    pub fn timeout(&self) -> Duration {
        Duration::minutes(u64::from(self.timeout))
    }

    /// The function's statements.
    pub fn statements(&self) -> Vec<Statement> {
        self.policy_statements
            .iter()
            .map(PolicyStatementConfig::statement)
            .collect()
    }
}

/// The kind of model an endpoint serves; the seed's serverless kind is `"huggingface"`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EndpointType {
    /// A Hugging Face model in AWS's Hugging Face inference container.
    Huggingface,
}

/// A SageMaker serverless endpoint serving a Hugging Face model.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EndpointConfig {
    /// The kind of model.
    pub endpoint_type: EndpointType,
    /// The web app's environment variable that carries the endpoint's name.
    pub environment_variable_name: String,
    /// The endpoint's name.
    pub endpoint_name: String,
    /// The model's task (`HF_TASK`), such as `fill-mask`.
    #[serde(default)]
    pub model_task: Option<String>,
    /// An off-the-shelf model from the Hugging Face hub (`HF_MODEL_ID`).
    #[serde(default)]
    pub model_name: Option<String>,
    /// A fine-tuned model's artifacts, `s3://bucket/key/model.tar.gz`.
    #[serde(default)]
    pub model_data_url: Option<String>,
    /// Memory and concurrency.
    #[serde(default)]
    pub serverless_config: ServerlessConfig,
    /// The tag of the Hugging Face PyTorch inference container; a CPU image, since
    /// serverless endpoints have no GPUs.
    #[serde(default)]
    pub image_tag: Option<String>,
}

impl EndpointConfig {
    /// The inference container.
    pub fn image(&self) -> ModelImage {
        ModelImage::hugging_face_pytorch_inference(
            self.image_tag
                .as_deref()
                .unwrap_or(DEFAULT_HUGGING_FACE_IMAGE_TAG),
        )
    }

    /// The container's environment: `HF_TASK` and `HF_MODEL_ID` when set.
    pub fn container_environment(&self) -> StringMap {
        let mut environment = StringMap::new();
        if let Some(task) = &self.model_task {
            environment = environment.entry("HF_TASK", task);
        }
        if let Some(model) = &self.model_name {
            environment = environment.entry("HF_MODEL_ID", model);
        }
        environment
    }
}

/// A serverless endpoint's capacity.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ServerlessConfig {
    /// Memory in MB: 1024, 2048 (when unset), 3072, 4096, 5120 or 6144.
    #[serde(default = "default_endpoint_memory")]
    pub memory_size_in_mb: u32,
    /// Requests served at once, 1 to 200; 5 when unset.
    #[serde(default = "default_max_concurrency")]
    pub max_concurrency: u32,
}

fn default_endpoint_memory() -> u32 {
    2048
}

fn default_max_concurrency() -> u32 {
    5
}

impl Default for ServerlessConfig {
    fn default() -> Self {
        Self {
            memory_size_in_mb: default_endpoint_memory(),
            max_concurrency: default_max_concurrency(),
        }
    }
}

/// An IAM statement allowing `actions` on `resources`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PolicyStatementConfig {
    /// ARNs, or `*`.
    pub resources: Vec<String>,
    /// Actions such as `sagemaker:InvokeEndpoint`.
    pub actions: Vec<String>,
}

impl PolicyStatementConfig {
    /// The statement.
    pub fn statement(&self) -> Statement {
        Statement::allow(self.actions.iter().cloned(), self.resources.iter().cloned())
    }
}

/// An environment variable's value: a string, or a number or boolean written as text, as
/// the seed's `Dict[str, Any]` allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvValue(pub String);

impl<'de> Deserialize<'de> for EnvValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EnvValueVisitor;

        impl Visitor<'_> for EnvValueVisitor {
            type Value = EnvValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<EnvValue, E> {
                Ok(EnvValue(v.to_owned()))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<EnvValue, E> {
                Ok(EnvValue(v.to_string()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<EnvValue, E> {
                Ok(EnvValue(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<EnvValue, E> {
                Ok(EnvValue(v.to_string()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<EnvValue, E> {
                Ok(EnvValue(v.to_string()))
            }
        }

        deserializer.deserialize_any(EnvValueVisitor)
    }
}

/// A value the config holds that AWS, the stack or the app would reject: where it is
/// (`lambda_functions[0].timeout`) and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The key path of the value.
    pub key_path: String,
    /// What was expected.
    pub expected: String,
}

impl ConfigProblem {
    fn new(key_path: impl Into<String>, expected: impl Into<String>) -> Self {
        Self {
            key_path: key_path.into(),
            expected: expected.into(),
        }
    }
}

impl StreamlitConfig {
    /// The domain the site is served on: `domain_name` in `prod`, else the environment in
    /// front of it (`dev.streamlit.example.com`).
    pub fn site_domain(&self) -> String {
        if self.environment == "prod" {
            self.domain_name.clone()
        } else {
            format!("{}.{}", self.environment, self.domain_name)
        }
    }

    /// The stack's name: `StreamlitSite` in `prod`, `StreamlitSite-<environment>` otherwise,
    /// so that environments can share an account.
    pub fn stack_name(&self) -> String {
        if self.environment == "prod" {
            "StreamlitSite".to_owned()
        } else {
            format!("StreamlitSite-{}", self.environment)
        }
    }

    /// The extra statements of the web app's task role.
    pub fn ecs_statements(&self) -> Vec<Statement> {
        self.ecs_policy_statements
            .iter()
            .map(PolicyStatementConfig::statement)
            .collect()
    }

    /// The web app's environment: `streamlit_environment_variables`, then each function's
    /// name and each endpoint's name under its configured variable. `functions` and
    /// `endpoints` are the stack's handles, in config order.
    pub fn app_environment(
        &self,
        functions: &[DockerImageFunction],
        endpoints: &[ServerlessEndpoint],
    ) -> StringMap {
        let mut environment = StringMap::new();
        for (name, value) in &self.streamlit_environment_variables {
            environment = environment.entry(name, &value.0);
        }
        for (spec, function) in self.lambda_functions.iter().zip(functions) {
            environment = environment.entry(&spec.environment_variable_name, function.name());
        }
        for (spec, endpoint) in self.sagemaker_endpoints.iter().zip(endpoints) {
            environment =
                environment.entry(&spec.environment_variable_name, endpoint.endpoint_name());
        }
        environment
    }

    /// Checks what serde cannot: names AWS would reject, environment variables and
    /// endpoint names used twice, function folders that do not exist under
    /// `app_dir/lambda_functions`. Returns every problem, in file order.
    pub fn check(&self, app_dir: &Path) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        if let Err(expected) = check_dns_label(&self.environment) {
            problems.push(ConfigProblem::new("environment", expected));
        }
        if let Err(expected) = check_domain_name(&self.domain_name) {
            problems.push(ConfigProblem::new("domain_name", expected));
        }
        if !is_hosted_zone_id(&self.hosted_zone_id) {
            problems.push(ConfigProblem::new(
                "hosted_zone_id",
                format!(
                    "a Route 53 hosted zone ID such as `Z0123456789ABCDEFGHIJ`, found `{}`",
                    self.hosted_zone_id
                ),
            ));
        }

        // Every variable of the web app's environment, with where it was set.
        let mut variables: Vec<(String, String)> = Vec::new();
        let mut claim = |name: &str, key_path: String, problems: &mut Vec<ConfigProblem>| {
            if let Err(expected) = check_env_var_name(name) {
                problems.push(ConfigProblem::new(&key_path, expected));
            }
            let folded = name.to_ascii_lowercase();
            match variables
                .iter()
                .find(|(n, _)| n.to_ascii_lowercase() == folded)
            {
                Some((_, first)) => problems.push(ConfigProblem::new(
                    &key_path,
                    format!("a variable name of its own; `{name}` is also set by `{first}`"),
                )),
                None => variables.push((name.to_owned(), key_path)),
            }
        };
        for name in self.streamlit_environment_variables.keys() {
            claim(
                name,
                format!("streamlit_environment_variables.{name}"),
                &mut problems,
            );
        }
        for (i, function) in self.lambda_functions.iter().enumerate() {
            let at = format!("lambda_functions[{i}]");
            claim(
                &function.environment_variable_name,
                format!("{at}.environment_variable_name"),
                &mut problems,
            );
            check_function(function, &at, app_dir, &mut problems);
        }
        let mut endpoint_names: Vec<(String, String)> = Vec::new();
        for (i, endpoint) in self.sagemaker_endpoints.iter().enumerate() {
            let at = format!("sagemaker_endpoints[{i}]");
            claim(
                &endpoint.environment_variable_name,
                format!("{at}.environment_variable_name"),
                &mut problems,
            );
            let name_at = format!("{at}.endpoint_name");
            let folded = endpoint.endpoint_name.to_ascii_lowercase();
            if let Some((_, first)) = endpoint_names.iter().find(|(n, _)| *n == folded) {
                problems.push(ConfigProblem::new(
                    &name_at,
                    format!(
                        "a name of its own; `{}` is also the name at `{first}`",
                        endpoint.endpoint_name
                    ),
                ));
            } else {
                endpoint_names.push((folded, name_at.clone()));
            }
            check_endpoint(endpoint, &at, &mut problems);
        }
        for (i, statement) in self.ecs_policy_statements.iter().enumerate() {
            check_statement(
                statement,
                &format!("ecs_policy_statements[{i}]"),
                &mut problems,
            );
        }
        problems
    }
}

fn check_function(
    function: &FunctionConfig,
    at: &str,
    app_dir: &Path,
    problems: &mut Vec<ConfigProblem>,
) {
    match (&function.folder_name, &function.ecr_repo, &function.tag) {
        (Some(folder), None, None) => {
            let plain = !folder.is_empty()
                && folder
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && folder != "."
                && folder != "..";
            if !plain {
                problems.push(ConfigProblem::new(
                    format!("{at}.folder_name"),
                    format!("the name of a folder of `lambda_functions/`, found `{folder}`"),
                ));
            } else if !app_dir
                .join("lambda_functions")
                .join(folder)
                .join("Dockerfile")
                .is_file()
            {
                problems.push(ConfigProblem::new(
                    format!("{at}.folder_name"),
                    format!("a folder with a `Dockerfile`; `lambda_functions/{folder}/Dockerfile` does not exist"),
                ));
            }
        }
        (None, Some(repository), Some(tag)) => {
            if !is_ecr_repository_name(repository) {
                problems.push(ConfigProblem::new(
                    format!("{at}.ecr_repo"),
                    format!("an ECR repository name (lower-case letters, digits, `._-/`), found `{repository}`"),
                ));
            }
            if tag.is_empty() || tag.len() > 128 || tag.contains(['/', ':', '@', ' ']) {
                problems.push(ConfigProblem::new(
                    format!("{at}.tag"),
                    format!("an image tag, found `{tag}`"),
                ));
            }
        }
        _ => problems.push(ConfigProblem::new(
            at,
            "either `folder_name`, or `ecr_repo` and `tag`",
        )),
    }
    if !(1..=15).contains(&function.timeout) {
        problems.push(ConfigProblem::new(
            format!("{at}.timeout"),
            format!("minutes from 1 to 15, found {}", function.timeout),
        ));
    }
    if !(128..=10240).contains(&function.memory_size) {
        problems.push(ConfigProblem::new(
            format!("{at}.memory_size"),
            format!("MB from 128 to 10240, found {}", function.memory_size),
        ));
    }
    for (i, statement) in function.policy_statements.iter().enumerate() {
        check_statement(statement, &format!("{at}.policy_statements[{i}]"), problems);
    }
}

fn check_endpoint(endpoint: &EndpointConfig, at: &str, problems: &mut Vec<ConfigProblem>) {
    let name = &endpoint.endpoint_name;
    let valid_name = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if !valid_name {
        problems.push(ConfigProblem::new(
            format!("{at}.endpoint_name"),
            format!("up to 63 letters, digits and inner hyphens, found `{name}`"),
        ));
    }
    if endpoint.model_name.is_none() && endpoint.model_data_url.is_none() {
        problems.push(ConfigProblem::new(
            at,
            "`model_name` (a model of the Hugging Face hub) or `model_data_url` (a fine-tuned model), or both",
        ));
    }
    if let Some(url) = &endpoint.model_data_url {
        let ok = url
            .strip_prefix("s3://")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(bucket, key)| !bucket.is_empty() && !key.is_empty());
        if !ok {
            problems.push(ConfigProblem::new(
                format!("{at}.model_data_url"),
                format!("an `s3://bucket/key` URL, found `{url}`"),
            ));
        }
    }
    let memory = endpoint.serverless_config.memory_size_in_mb;
    if !SERVERLESS_MEMORY_SIZES.contains(&memory) {
        problems.push(ConfigProblem::new(
            format!("{at}.serverless_config.memory_size_in_mb"),
            format!("one of {SERVERLESS_MEMORY_SIZES:?}, found {memory}"),
        ));
    }
    let concurrency = endpoint.serverless_config.max_concurrency;
    if !(1..=200).contains(&concurrency) {
        problems.push(ConfigProblem::new(
            format!("{at}.serverless_config.max_concurrency"),
            format!("from 1 to 200, found {concurrency}"),
        ));
    }
}

fn check_statement(statement: &PolicyStatementConfig, at: &str, problems: &mut Vec<ConfigProblem>) {
    if statement.actions.is_empty() {
        problems.push(ConfigProblem::new(
            format!("{at}.actions"),
            "at least one action",
        ));
    }
    for (i, action) in statement.actions.iter().enumerate() {
        if !is_iam_action(action) {
            problems.push(ConfigProblem::new(
                format!("{at}.actions[{i}]"),
                format!("an IAM action such as `sagemaker:InvokeEndpoint`, found `{action}`"),
            ));
        }
    }
    if statement.resources.is_empty() {
        problems.push(ConfigProblem::new(
            format!("{at}.resources"),
            "at least one resource ARN, or `*`",
        ));
    }
    for (i, resource) in statement.resources.iter().enumerate() {
        if resource != "*" && !resource.starts_with("arn:") {
            problems.push(ConfigProblem::new(
                format!("{at}.resources[{i}]"),
                format!("an ARN (`arn:...`) or `*`, found `{resource}`"),
            ));
        }
    }
}

/// `service:Action`, with `*` allowed in the action.
fn is_iam_action(action: &str) -> bool {
    action.split_once(':').is_some_and(|(service, name)| {
        !service.is_empty()
            && service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '*')
    })
}

/// Letters, digits and `_`, not starting with a digit: what a shell and Python accept.
fn check_env_var_name(name: &str) -> Result<(), String> {
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "an environment variable name (letters, digits and `_`, not starting with a digit), found `{name}`"
        ))
    }
}

/// One DNS label of lower-case letters, digits and inner hyphens: it goes into the domain
/// name and the stack name.
fn check_dns_label(label: &str) -> Result<(), String> {
    let valid = !label.is_empty()
        && label.len() <= 63
        && label
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "a DNS label (lower-case letters, digits and inner hyphens, at most 63), found `{label}`"
        ))
    }
}

/// Dot-separated DNS labels, at least two.
fn check_domain_name(name: &str) -> Result<(), String> {
    let folded = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let labels: Vec<&str> = folded.split('.').collect();
    if labels.len() >= 2 && folded.len() <= 253 && labels.iter().all(|l| check_dns_label(l).is_ok())
    {
        Ok(())
    } else {
        Err(format!(
            "a domain name such as `streamlit.example.com`, found `{name}`"
        ))
    }
}

fn is_hosted_zone_id(id: &str) -> bool {
    id.starts_with('Z')
        && id.len() <= 32
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn is_ecr_repository_name(name: &str) -> bool {
    (2..=256).contains(&name.len())
        && name.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '/')
        })
}

#[cfg(test)]
mod tests {
    // The checks serde cannot make, value by value.
    use super::*;

    #[test]
    fn names_aws_accepts() {
        assert!(is_iam_action("sagemaker:InvokeEndpoint"));
        assert!(is_iam_action("s3:Get*"));
        assert!(!is_iam_action("s3.GetObject"));
        assert!(!is_iam_action("S3:GetObject"));
        assert!(!is_iam_action("s3:"));
        assert!(check_env_var_name("_PRIVATE_1").is_ok());
        assert!(check_env_var_name("1X").is_err());
        assert!(check_env_var_name("A-B").is_err());
        assert!(check_dns_label("dev-2").is_ok());
        assert!(check_dns_label("-dev").is_err());
        assert!(check_dns_label("Dev").is_err());
        assert!(check_domain_name("streamlit.example.com.").is_ok());
        assert!(check_domain_name("localhost").is_err());
        assert!(is_hosted_zone_id("Z0123456789ABCDEFGHIJ"));
        assert!(!is_hosted_zone_id("z0123"));
        assert!(is_ecr_repository_name("site/warmup"));
        assert!(!is_ecr_repository_name("Site"));
    }

    #[test]
    fn the_domain_and_the_stack_name_follow_the_environment() {
        let mut config: StreamlitConfig = serde_json::from_str(
            r#"{"environment": "dev", "hosted_zone_id": "Z1", "domain_name": "example.com"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.site_domain(), "dev.example.com");
        assert_eq!(config.stack_name(), "StreamlitSite-dev");
        assert_eq!(config.platform, Platform::Amd64);
        config.environment = "prod".to_owned();
        assert_eq!(config.site_domain(), "example.com");
        assert_eq!(config.stack_name(), "StreamlitSite");
    }

    #[test]
    fn a_function_needs_exactly_one_image_source() {
        let config: StreamlitConfig = serde_json::from_str(
            r#"{"environment": "dev", "hosted_zone_id": "Z1", "domain_name": "example.com",
                "lambda_functions": [
                    {"function_type": "from_docker_image", "environment_variable_name": "A"},
                    {"function_type": "from_docker_image", "environment_variable_name": "B",
                     "folder_name": "x", "ecr_repo": "repo", "tag": "1"}
                ]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let problems = config.check(Path::new("/nowhere"));
        let paths: Vec<&str> = problems.iter().map(|p| p.key_path.as_str()).collect();
        assert_eq!(paths, ["lambda_functions[0]", "lambda_functions[1]"]);
        assert!(
            problems[0].expected.contains("`folder_name`"),
            "{problems:?}"
        );
    }
}
