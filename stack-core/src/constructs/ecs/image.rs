//! Where a service's container image comes from, and the repositories its execution role
//! may pull from.

use std::path::PathBuf;

use super::ApplicationLoadBalancedFargateService;
use crate::asset::{AssetKind, CONTAINER_ASSET_REPOSITORY};
use crate::constructs::{image_asset_uri, literal_str, register_asset, Architecture, Repository};
use crate::expr::Expr;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// Where a service's container image comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerImage {
    source: ImageSource,
}

#[derive(Clone, Debug, PartialEq)]
enum ImageSource {
    Asset(PathBuf),
    Registry(Value<String>),
    Ecr {
        uri: Value<String>,
        repository_arn: Value<String>,
    },
}

impl ContainerImage {
    /// A local directory with a `Dockerfile`, built and pushed to the staging repository.
    /// A relative path resolves against the crate that declares the stack.
    pub fn from_asset(dir: impl Into<PathBuf>) -> Self {
        Self {
            source: ImageSource::Asset(dir.into()),
        }
    }

    /// An image by URI: a public one (`public.ecr.aws/nginx/nginx:1.27`, `nginx:1.27`) or
    /// one in ECR (`<account>.dkr.ecr.<region>.amazonaws.com/repo:tag`), which the
    /// execution role may then pull. A URI known only at deploy time is assumed to be in
    /// this account's ECR, in this region.
    pub fn from_registry(uri: impl IntoValue<String>) -> Self {
        Self {
            source: ImageSource::Registry(uri.into_value()),
        }
    }

    /// A tag of a [`Repository`] of this stack; the execution role may pull from it only.
    pub fn from_ecr_repository(repository: &Repository, tag: impl IntoValue<String>) -> Self {
        Self {
            source: ImageSource::Ecr {
                uri: Value::concat([
                    repository.repository_uri(),
                    Value::lit(":"),
                    tag.into_value(),
                ]),
                repository_arn: repository.arn().into_value(),
            },
        }
    }
}

/// A resolved image: its URI and the repositories the execution role may pull from.
pub(super) struct ResolvedImage {
    pub(super) uri: Value<String>,
    pub(super) pull_from: Option<Vec<Value<String>>>,
}

impl ApplicationLoadBalancedFargateService {
    pub(super) fn image(
        &self,
        stack: &mut StackBuilder,
        image: Option<ContainerImage>,
        architecture: Architecture,
    ) -> ResolvedImage {
        let id = &self.ids.service;
        let repository_arn = |name: &str| {
            Value::sub(format!(
                "arn:${{AWS::Partition}}:ecr:${{AWS::Region}}:${{AWS::AccountId}}:repository/{name}"
            ))
        };
        match image.map(|i| i.source) {
            Some(ImageSource::Asset(dir)) => {
                let hash = register_asset(
                    stack,
                    AssetKind::DockerImage,
                    &dir,
                    Some(architecture.platform()),
                    &format!("service `{id}`"),
                );
                ResolvedImage {
                    uri: Value::from_expr(image_asset_uri(&hash)),
                    pull_from: Some(vec![repository_arn(CONTAINER_ASSET_REPOSITORY)]),
                }
            }
            Some(ImageSource::Registry(uri)) => {
                let pull_from = match literal_str(&uri) {
                    Some(text) => ecr_repository_arn(text).map(|arn| vec![Value::from_expr(arn)]),
                    None => Some(vec![repository_arn("*")]),
                };
                ResolvedImage { uri, pull_from }
            }
            Some(ImageSource::Ecr {
                uri,
                repository_arn,
            }) => ResolvedImage {
                uri,
                pull_from: Some(vec![repository_arn]),
            },
            None => {
                stack.report(format!(
                    "service `{id}` has no `image`; add `image: ContainerImage::from_asset(\"dir\")`"
                ));
                ResolvedImage {
                    uri: Value::lit(""),
                    pull_from: None,
                }
            }
        }
    }
}

/// The ARN of the ECR repository an image URI names, if it is in ECR.
fn ecr_repository_arn(uri: &str) -> Option<Expr> {
    let (host, rest) = uri.split_once('/')?;
    let mut parts = host.split('.');
    let (account, dkr, ecr, region) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if dkr != "dkr"
        || ecr != "ecr"
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let repository = rest.split_once('@').map_or(rest, |(name, _)| name);
    let repository = repository
        .rsplit_once(':')
        .map_or(repository, |(name, _)| name);
    Some(Expr::Sub(format!(
        "arn:${{AWS::Partition}}:ecr:{region}:{account}:repository/{repository}"
    )))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ok, props, statements};
    use super::super::ApplicationLoadBalancedFargateServiceProps;
    use super::*;
    use crate::constructs::{Construct, Vpc, VpcProps};
    use serde_json::json;

    #[test]
    fn image_assets_pull_from_the_staging_repository() {
        let dir = std::env::temp_dir().join(format!("stack-core-ecs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join("Dockerfile"), "FROM python:3.13-slim\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let vpc = Vpc::declare("Network");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let mut stack = StackBuilder::new("Test");
        vpc.build(VpcProps::default(), &mut stack);
        web.build(
            ApplicationLoadBalancedFargateServiceProps::default()
                .vpc(&vpc)
                .image(ContainerImage::from_asset(&dir)),
            &mut stack,
        );
        let synthesized = stack.finish().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(synthesized.assets.len(), 1);
        assert_eq!(synthesized.assets[0].kind, AssetKind::DockerImage);
        let hash = &synthesized.assets[0].hash;
        let r = synthesized.template.to_json()["Resources"].clone();
        assert_eq!(
            r["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"],
            json!({"Fn::Sub": format!("${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/stack-container-assets:{hash}")})
        );
        assert_eq!(
            statements(&r, "WebExecutionRole")[1]["Resource"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/stack-container-assets"})
        );
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn public_images_need_no_ecr_permissions() {
        let vpc = Vpc::declare("Network");
        let web = ApplicationLoadBalancedFargateService::declare("Web");
        let r = ok(|stack| {
            vpc.build(VpcProps::default(), stack);
            web.build(
                props(&vpc).image(ContainerImage::from_registry(
                    "public.ecr.aws/nginx/nginx:1.27",
                )),
                stack,
            );
        });
        let text = statements(&r, "WebExecutionRole").to_string();
        assert!(!text.contains("ecr:"), "{text}");
        assert_eq!(
            ecr_repository_arn("111111111111.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc")
                .map(|e| e.to_json()),
            Some(
                json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:us-east-1:111111111111:repository/app"})
            )
        );
        assert_eq!(ecr_repository_arn("nginx:1.27"), None);
    }
}
