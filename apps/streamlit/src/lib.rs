//! Streamlit site (seed 003): a Streamlit app on ECS Fargate behind HTTPS on its own domain,
//! with the Lambda functions and SageMaker serverless endpoints that its JSON config lists,
//! one construct per entry.
//!
//! [`load_config`] reads `config.json` (the seed's `cdk.json` context) into the typed
//! [`StreamlitConfig`]; [`StreamlitSite`] is the stack. `main.rs` is the app binary.

pub mod config;

use std::path::{Path, PathBuf};

use stack_app::{AppSpec, BuildError, Context};
use stack_core::prelude::*;

pub use config::{
    ConfigProblem, EndpointConfig, FunctionConfig, Platform, PolicyStatementConfig, StreamlitConfig,
};

/// The context key that names the config file: `--context config=path/to/config.json`.
pub const CONFIG_KEY: &str = "config";

/// Context key of an already-pushed image of the site to run instead of building
/// `streamlit_app/`.
pub const SITE_IMAGE_KEY: &str = "streamlit_image_uri";

/// This app's directory: where `config.json`, `streamlit_app/` and `lambda_functions/` are.
pub fn app_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The config file read when the context does not name one: `config.json` in this app's
/// directory, whatever the working directory.
pub fn default_config_path() -> PathBuf {
    app_dir().join("config.json")
}

/// Reads the config: the file the `config` context value names (relative to the working
/// directory), else [`default_config_path`]; then `environment` and `platform` from the
/// context when set there; then [`StreamlitConfig::check`].
///
/// Every problem is reported with the file and the key path of the value.
pub fn load_config(ctx: &Context) -> Result<StreamlitConfig, BuildError> {
    let file = ctx.load_config::<StreamlitConfig>(CONFIG_KEY, default_config_path())?;
    let mut config = file.value.clone();
    let mut overridden = Vec::new();
    if let Some(environment) = ctx.get_optional("environment") {
        config.environment = environment;
        overridden.push("environment");
    }
    if ctx.get_optional("platform").is_some() {
        config.platform = ctx.get_parsed("platform")?;
    }
    let problems: Vec<String> = config
        .check(app_dir())
        .into_iter()
        .map(|problem| {
            if overridden.contains(&problem.key_path.as_str()) {
                let origin = ctx
                    .lookup(&problem.key_path)
                    .map(|(_, origin)| origin.to_string())
                    .unwrap_or_default();
                format!(
                    "context key `{}` (from {origin}): expected {}",
                    problem.key_path, problem.expected
                )
            } else {
                file.invalid(problem.key_path, format!("expected {}", problem.expected))
                    .to_string()
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems.join("\n").into())
    }
}

/// The app's command line.
pub fn app_spec() -> AppSpec {
    AppSpec::new("streamlit")
        .version(env!("CARGO_PKG_VERSION"))
        .about("A Streamlit site on Fargate with the Lambda functions and SageMaker endpoints of its config")
}

/// Builds the app from the context: [`load_config`], then the one stack, named by
/// [`StreamlitConfig::stack_name`].
pub fn build(ctx: &Context) -> Result<App, BuildError> {
    let config = load_config(ctx)?;
    let props = SiteProps {
        config,
        image_uri: ctx.get_optional(SITE_IMAGE_KEY),
    };
    Ok(App::new().stack(StreamlitSite::new(props.config.stack_name(), &props)))
}

/// What the stack is built from: the config, and where the site's image comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteProps {
    /// The config file's contents, with the context's overrides.
    pub config: StreamlitConfig,
    /// An already-pushed image of the site to run instead of building `streamlit_app/`.
    pub image_uri: Option<String>,
}

impl SiteProps {
    /// The stack's input for `config`, building the site's image from `streamlit_app/`.
    pub fn new(config: StreamlitConfig) -> Self {
        Self {
            config,
            image_uri: None,
        }
    }

    /// The site's image: the given one, or `streamlit_app/` built as an image asset.
    pub fn image(&self) -> ContainerImage {
        match &self.image_uri {
            Some(uri) => ContainerImage::from_registry(uri.as_str()),
            None => ContainerImage::from_asset("streamlit_app"),
        }
    }
}

stack! {
    /// A Streamlit site on ECS Fargate behind HTTPS, with the Lambda functions and SageMaker endpoints its config lists.
    pub stack StreamlitSite(site_props: SiteProps) {
        let props = &site_props.config;
        let site_domain = props.site_domain();

        // 1. One Lambda function per `lambda_functions` entry, from its Docker image.
        for spec in &site_props.config.lambda_functions {
            resource functions[spec.key()]: DockerImageFunction {
                code: spec.code(),
                timeout: spec.timeout(),
                memory_size: spec.memory_size,
                architecture: spec.architecture(props.platform),
                initial_policy: spec.statements(),
            }
            grant site invoke functions;
        }

        // 2. One SageMaker serverless endpoint per `sagemaker_endpoints` entry.
        for spec in &site_props.config.sagemaker_endpoints {
            resource endpoints[spec.endpoint_name]: ServerlessEndpoint {
                image: spec.image(),
                model_data_url: spec.model_data_url.as_deref(),
                environment: spec.container_environment(),
                memory_size: spec.serverless_config.memory_size_in_mb,
                max_concurrency: spec.serverless_config.max_concurrency,
                endpoint_name: &spec.endpoint_name,
            }
            grant site invoke endpoints;
        }

        // 3. The VPC.
        resource vpc: Vpc {
            cidr: "10.0.0.0/16",
            max_azs: 2,
            nat_gateways: 1,
            gateway_endpoints: [GatewayEndpoint::S3],
        }

        // 4. The domain: a DNS-validated certificate and a CNAME to the load balancer.
        resource certificate: Certificate {
            domain_name: &site_domain,
            hosted_zone_id: &props.hosted_zone_id,
        }
        resource cname_record: CnameRecord {
            hosted_zone_id: &props.hosted_zone_id,
            record_name: &site_domain,
            domain_name: site.load_balancer_dns_name,
            comment: "the Streamlit site's load balancer",
        }

        // 8. A security group open to everyone, on the load balancer.
        resource open_to_all: SecurityGroup {
            vpc: vpc,
            description: "Streamlit site: clients from anywhere",
            allow_all_outbound: false,
            ingress: [
                SecurityGroupRule { peer: Peer::any_ipv4(), port: Port::tcp(443), description: "HTTPS from any IPv4 address" },
                SecurityGroupRule { peer: Peer::any_ipv6(), port: Port::tcp(443), description: "HTTPS from any IPv6 address" },
                SecurityGroupRule { peer: Peer::any_ipv4(), port: Port::tcp(80), description: "HTTP (redirected to HTTPS) from any IPv4 address" },
                SecurityGroupRule { peer: Peer::any_ipv6(), port: Port::tcp(80), description: "HTTP (redirected to HTTPS) from any IPv6 address" },
            ],
        }

        let app_environment = props.app_environment(&functions, &endpoints);

        // 5-7. The app's image, built from `streamlit_app/`, on Fargate behind the load balancer.
        resource site: ApplicationLoadBalancedFargateService {
            vpc: vpc,
            image: site_props.image(),
            container_name: "streamlit",
            container_port: 8080,
            environment: app_environment,
            cpu: 256,
            memory_limit_mib: 2048,
            architecture: props.platform.architecture(),
            desired_count: 1,
            initial_policy: props.ecs_statements(),
            certificate: certificate,
            health_check: HealthCheck {
                path: "/_stcore/health",
                interval: Duration::seconds(60),
                unhealthy_threshold_count: 5,
            },
            // Streamlit keeps each session in one task's memory.
            sticky_sessions: Duration::days(1),
            load_balancer_security_groups: [open_to_all],
        }

        /// The site's address.
        output api_url = format!("https://{site_domain}");
    }
}
