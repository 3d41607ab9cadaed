//! Where a behaviour sends requests: S3 buckets through origin access control, REST API
//! stages, and HTTP servers.

use super::Distribution;
use crate::aws;
use crate::aws::cloudfront::{distribution, origin_access_control};
use crate::constructs::{lit, obj, Bucket, LambdaRestApi, RestApi, RestApiRef};
use crate::iam::Statement;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// Where a behaviour sends requests.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    pub(super) kind: OriginKind,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum OriginKind {
    /// A bucket of this stack, read through origin access control.
    S3(Bucket),
    /// A REST API of this stack, by logical ID: its stage is the origin path.
    RestApi(String),
    /// Any HTTPS server.
    Http(Value<String>),
}

impl Origin {
    /// A bucket of this stack: CloudFront reads it with origin access control (SigV4), and
    /// the bucket's policy lets this distribution, and only it, get objects. The bucket
    /// stays private.
    pub fn s3(bucket: &Bucket) -> Self {
        Self {
            kind: OriginKind::S3(bucket.clone()),
        }
    }

    /// A REST API of this stack ([`RestApi`] or [`LambdaRestApi`]): its deployed stage
    /// becomes the origin path, so `/chat` reaches `<stage>/chat`. Regional APIs suit
    /// best.
    pub fn rest_api(api: &(impl RestApiRef + ?Sized)) -> Self {
        Self {
            kind: OriginKind::RestApi(api.rest_api_logical_id().to_owned()),
        }
    }

    /// Any server reachable over HTTPS, by domain name.
    pub fn http(domain_name: impl IntoValue<String>) -> Self {
        Self {
            kind: OriginKind::Http(domain_name.into_value()),
        }
    }

    pub(super) fn is_s3(&self) -> bool {
        matches!(self.kind, OriginKind::S3(_))
    }
}

impl From<&Bucket> for Origin {
    fn from(bucket: &Bucket) -> Self {
        Origin::s3(bucket)
    }
}

impl From<&RestApi> for Origin {
    fn from(api: &RestApi) -> Self {
        Origin::rest_api(api)
    }
}

impl From<&LambdaRestApi> for Origin {
    fn from(api: &LambdaRestApi) -> Self {
        Origin::rest_api(api)
    }
}

impl Distribution {
    /// One origin access control for every S3 origin of this distribution. Its name must
    /// be unique in the account, across regions, and at most 64 characters.
    pub(super) fn add_origin_access_control(&self, stack: &mut StackBuilder) {
        let base: String = format!("{}-{}", stack.name(), self.id)
            .chars()
            .take(49)
            .collect();
        let oac = aws::cloudfront::OriginAccessControl {
            origin_access_control_config: Some(origin_access_control::OriginAccessControlConfig {
                name: Some(Value::sub(format!("{base}-${{AWS::Region}}"))),
                description: Some(Value::lit(format!("Lets {} read its S3 origins", self.id))),
                origin_access_control_origin_type: Some(Value::lit("s3")),
                signing_behavior: Some(Value::lit("always")),
                signing_protocol: Some(Value::lit("sigv4")),
            }),
        };
        stack.add_resource(self.oac_id(), &oac);
    }

    /// The distribution's origin `name` for `origin`.
    pub(super) fn render_origin(&self, name: &str, origin: &Origin) -> distribution::Origin {
        let custom = || {
            Some(distribution::CustomOriginConfig {
                origin_protocol_policy: Some(Value::lit("https-only")),
                origin_ssl_protocols: Some(Value::list([Value::lit("TLSv1.2")])),
                ..Default::default()
            })
        };
        let id = Some(name.into_value());
        match &origin.kind {
            OriginKind::S3(bucket) => distribution::Origin {
                id,
                domain_name: Some(bucket.regional_domain_name()),
                // Origin access control replaces the identity; CloudFront still wants the
                // (empty) S3 block to know the origin is a bucket.
                s3_origin_config: Some(distribution::S3OriginConfig {
                    origin_access_identity: Some(Value::lit("")),
                    ..Default::default()
                }),
                origin_access_control_id: Some(Value::get_att(&self.oac_id(), "Id")),
                ..Default::default()
            },
            OriginKind::RestApi(api) => distribution::Origin {
                id,
                domain_name: Some(Value::sub(format!(
                    "${{{api}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"
                ))),
                origin_path: Some(Value::sub(format!("/${{{api}Stage}}"))),
                custom_origin_config: custom(),
                ..Default::default()
            },
            OriginKind::Http(domain) => distribution::Origin {
                id,
                domain_name: Some(domain.clone()),
                custom_origin_config: custom(),
                ..Default::default()
            },
        }
    }

    /// `s3:GetObject` on the bucket's objects for this distribution only.
    pub(super) fn read_statement(&self, bucket: &Bucket) -> Statement {
        Statement::allow(
            ["s3:GetObject"],
            [Value::concat([bucket.arn().into_value(), Value::lit("/*")])],
        )
        .with_principal(obj([("Service", lit("cloudfront.amazonaws.com"))]))
        .with_condition(obj([(
            "StringEquals",
            obj([("AWS:SourceArn", self.arn().into_expr())]),
        )]))
    }
}
