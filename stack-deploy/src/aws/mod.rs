//! Reaching AWS: the SDK configuration every deploy command shares, built once per run.
//!
//! Region, credentials and endpoint come from `--region` / `--profile` and the
//! environment, read through [`Env`] so tests can point a run at a local endpoint without
//! touching the process environment; everything else comes from aws-config's default
//! chain (profiles, SSO, `credential_process`).

pub(crate) mod errors;
mod profile;
mod watch;

use std::time::Duration;

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudformation::config::Credentials;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use crate::env::Env;
use crate::shell::Notifier;
use profile::ProfilePaths;
use watch::{Limits, Watch};

/// How many times one call is tried. CloudFormation throttles `DescribeStackEvents` and
/// friends under load; with exponential backoff eight tries span about half a minute.
/// Each retry is announced (see [`watch`]).
const MAX_ATTEMPTS: u32 = 8;
/// First backoff of a retried call; doubled per try, with jitter, capped by the SDK at 20 s.
const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// A host that does not accept a connection in this time is unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// One try of a control-plane call. CloudFormation answers in well under a second; this
/// only bounds a hung connection.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// One control-plane call with all its tries and the waits between them: an endpoint
/// that accepts connections and never answers fails the command in this time.
const CALL_TIMEOUT: Duration = Duration::from_secs(90);
/// One try of an S3 upload, which carries asset archives of many megabytes.
const UPLOAD_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// How often a stack's status and events are read while an operation runs.
const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// What the command line says about reaching AWS.
#[derive(Clone, Debug, Default)]
pub(crate) struct AwsArgs {
    /// `--profile`.
    pub(crate) profile: Option<String>,
    /// `--region`.
    pub(crate) region: Option<String>,
}

/// Replacements for the parts of the AWS setup that tests need to control.
#[derive(Clone, Debug, Default)]
pub struct AwsOverrides {
    pub(crate) http_client: Option<SharedHttpClient>,
    pub(crate) poll_interval: Option<Duration>,
    pub(crate) initial_backoff: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) call_timeout: Option<Duration>,
}

impl AwsOverrides {
    /// No overrides: the real HTTPS client, real poll intervals and backoff.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends every request through `client`, e.g. aws-smithy's `StaticReplayClient`.
    #[must_use]
    pub fn http_client(mut self, client: SharedHttpClient) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Polls stack status and events at this interval instead of every 2 s.
    #[must_use]
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = Some(interval);
        self
    }

    /// Starts retry backoff at this delay instead of 500 ms.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = Some(backoff);
        self
    }

    /// Gives up on one try of a control-plane call after this instead of 20 s.
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Gives up on a control-plane call, all tries included, after this instead of 90 s.
    #[must_use]
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }
}

/// Where a setting came from, for `doctor`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// A command-line flag, e.g. `--region`.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// A profile of the AWS config files, named by `from` (`--profile` or `AWS_PROFILE`).
    Profile {
        name: String,
        from: &'static str,
        file: std::path::PathBuf,
    },
    /// aws-config's default chain: the profile's config file, SSO, and so on.
    Chain,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "`{flag}`"),
            Source::Env(name) => write!(f, "`{name}`"),
            Source::Profile { name, from, file } => write!(
                f,
                "profile `{name}` (named by `{from}`) in `{}`",
                file.display()
            ),
            Source::Chain => f.write_str("the AWS config files (default chain)"),
        }
    }
}

/// The SDK clients of one run and the facts `doctor` reports about them.
#[derive(Clone, Debug)]
pub(crate) struct Aws {
    pub(crate) cfn: aws_sdk_cloudformation::Client,
    pub(crate) s3: aws_sdk_s3::Client,
    pub(crate) ecr: aws_sdk_ecr::Client,
    pub(crate) sts: aws_sdk_sts::Client,
    pub(crate) region: String,
    pub(crate) region_source: Source,
    pub(crate) credentials_source: Source,
    /// `AWS_ENDPOINT_URL`, when set: every service is reached there.
    pub(crate) endpoint: Option<String>,
    pub(crate) poll_interval: Duration,
}

/// The error when no region is configured anywhere.
pub(crate) const NO_REGION: &str = "no AWS region is configured; pass `--region REGION`, set \
     `AWS_REGION`, or set `region` in the profile in ~/.aws/config";

impl Aws {
    /// Loads the SDK configuration: region, credentials, endpoint, retries and timeouts.
    /// Retries are announced through `notifier`.
    pub(crate) async fn connect(
        args: &AwsArgs,
        env: &Env,
        overrides: &AwsOverrides,
        notifier: Notifier,
    ) -> Result<Self, String> {
        let control = Limits {
            attempts: MAX_ATTEMPTS,
            attempt: overrides.attempt_timeout.unwrap_or(ATTEMPT_TIMEOUT),
            call: Some(overrides.call_timeout.unwrap_or(CALL_TIMEOUT)),
        };
        let watch = Watch {
            notifier: notifier.clone(),
            limits: control,
        };
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(MAX_ATTEMPTS)
                    .with_initial_backoff(overrides.initial_backoff.unwrap_or(INITIAL_BACKOFF)),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .operation_attempt_timeout(control.attempt)
                    .operation_timeout(control.call.unwrap_or(CALL_TIMEOUT))
                    .build(),
            );
        let http_client = overrides.http_client.clone().unwrap_or_else(https_client);
        loader = loader.http_client(http_client.clone());

        let paths = ProfilePaths::from_env(env);
        loader = loader.profile_files(paths.sdk());
        let profile = match (
            &args.profile,
            env.var("AWS_PROFILE").filter(|p| !p.is_empty()),
        ) {
            (Some(name), _) => Some((name.clone(), "--profile")),
            (None, Some(name)) => Some((name, "AWS_PROFILE")),
            (None, None) => None,
        };
        if let Some((name, _)) = &profile {
            loader = loader.profile_name(name);
        }

        let (region, region_source) = match (&args.region, first_var(env, REGION_VARS)) {
            (Some(region), _) => (Some(region.clone()), Source::Flag("--region")),
            (None, Some((name, region))) => (Some(region), Source::Env(name)),
            (None, None) => (None, Source::Chain),
        };
        if let Some(region) = &region {
            loader = loader.region(Region::new(region.clone()));
        }

        // An explicit `--profile` wins over keys in the environment, and keys in the
        // environment over `AWS_PROFILE`, as in the AWS CLI. The SDK's default chain reads
        // the environment first, so the profile's provider is set explicitly.
        let credentials_source = match (
            &profile,
            env.var("AWS_ACCESS_KEY_ID").filter(|v| !v.is_empty()),
            env.var("AWS_SECRET_ACCESS_KEY").filter(|v| !v.is_empty()),
        ) {
            (Some((name, from @ "--profile")), _, _) | (Some((name, from)), None, _) => {
                let file = paths.find(name)?;
                let provider_config = ProviderConfig::without_region()
                    .with_region(region.clone().map(Region::new))
                    .with_http_client(http_client.clone());
                loader = loader.credentials_provider(
                    ProfileFileCredentialsProvider::builder()
                        .configure(&provider_config)
                        .profile_files(paths.sdk())
                        .profile_name(name)
                        .build(),
                );
                Source::Profile {
                    name: name.clone(),
                    from,
                    file,
                }
            }
            (_, Some(key), Some(secret)) => {
                let token = env.var("AWS_SESSION_TOKEN").filter(|v| !v.is_empty());
                loader = loader.credentials_provider(Credentials::new(
                    key,
                    secret,
                    token,
                    None,
                    "environment",
                ));
                Source::Env("AWS_ACCESS_KEY_ID")
            }
            _ => Source::Chain,
        };

        let endpoint = env.var("AWS_ENDPOINT_URL").filter(|v| !v.is_empty());
        if let Some(endpoint) = &endpoint {
            check_endpoint(endpoint)?;
            loader = loader.endpoint_url(endpoint);
        }

        let config: SdkConfig = loader.load().await;
        let region = config
            .region()
            .map(|r| r.as_ref().to_owned())
            .ok_or_else(|| NO_REGION.to_owned())?;
        check_region(&region, &region_source)?;

        let cfn = aws_sdk_cloudformation::Client::from_conf(
            aws_sdk_cloudformation::config::Builder::from(&config)
                .interceptor(watch.clone())
                .build(),
        );
        let sts = aws_sdk_sts::Client::from_conf(
            aws_sdk_sts::config::Builder::from(&config)
                .interceptor(watch.clone())
                .build(),
        );
        let ecr = aws_sdk_ecr::Client::from_conf(
            aws_sdk_ecr::config::Builder::from(&config)
                .interceptor(watch)
                .build(),
        );
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            // A local endpoint has no wildcard DNS for bucket subdomains.
            .force_path_style(endpoint.is_some())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .operation_attempt_timeout(UPLOAD_ATTEMPT_TIMEOUT)
                    .build(),
            )
            .interceptor(Watch {
                notifier,
                limits: Limits {
                    attempts: MAX_ATTEMPTS,
                    attempt: UPLOAD_ATTEMPT_TIMEOUT,
                    call: None,
                },
            })
            .build();
        let s3 = aws_sdk_s3::Client::from_conf(s3_config);
        Ok(Self {
            cfn,
            s3,
            ecr,
            sts,
            region,
            region_source,
            credentials_source,
            endpoint,
            poll_interval: overrides.poll_interval.unwrap_or(POLL_INTERVAL),
        })
    }

    /// The account the credentials belong to.
    pub(crate) async fn account(&self) -> Result<String, String> {
        let identity = self.sts.get_caller_identity().send().await.map_err(|e| {
            format!(
                "cannot find out which AWS account the credentials belong to: {}",
                errors::describe(&e)
            )
        })?;
        identity
            .account()
            .map(str::to_owned)
            .ok_or_else(|| "STS GetCallerIdentity returned no account".to_owned())
    }
}

/// A region is part of every endpoint's host name, so it must be one DNS label; the SDK's
/// own check fails only at the first call, in its own terms.
fn check_region(region: &str, source: &Source) -> Result<(), String> {
    let label = !region.is_empty()
        && region.len() <= 63
        && !region.starts_with('-')
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if label {
        Ok(())
    } else {
        Err(format!(
            "the AWS region `{region}` (from {source}) is not a region name; region names look \
             like `us-east-1` or `eu-west-2`"
        ))
    }
}

/// `AWS_ENDPOINT_URL` must be an absolute http(s) URL with a host.
fn check_endpoint(endpoint: &str) -> Result<(), String> {
    let host = endpoint
        .strip_prefix("http://")
        .or_else(|| endpoint.strip_prefix("https://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    match host {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(()),
        _ => Err(format!(
            "`AWS_ENDPOINT_URL` is `{endpoint}`, which is not an http:// or https:// URL; set \
             it to the address of the endpoint (such as `http://127.0.0.1:5055`), or unset it \
             to reach AWS"
        )),
    }
}

const REGION_VARS: &[&str] = &["AWS_REGION", "AWS_DEFAULT_REGION"];

fn first_var(env: &Env, names: &[&'static str]) -> Option<(&'static str, String)> {
    names
        .iter()
        .find_map(|name| env.var(name).filter(|v| !v.is_empty()).map(|v| (*name, v)))
}

/// HTTPS through rustls with `ring` for cryptography: the SDK's default uses aws-lc, whose
/// C build dominates a clean build. Plain `http://` endpoints (a local moto) work too.
fn https_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}
