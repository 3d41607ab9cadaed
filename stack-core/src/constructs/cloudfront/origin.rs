//! Where a behaviour sends requests: S3 buckets through origin access control, REST API
//! stages, and HTTP servers.

use super::Distribution;
use crate::constructs::{lit, obj, Bucket, LambdaRestApi, RestApi, RestApiRef};
use crate::expr::Expr;
use crate::iam::Statement;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
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
        stack.add(
            self.oac_id(),
            ResourceDecl::new(
                "AWS::CloudFront::OriginAccessControl",
                obj([(
                    "OriginAccessControlConfig",
                    obj([
                        ("Name", Expr::Sub(format!("{base}-${{AWS::Region}}"))),
                        (
                            "Description",
                            Expr::Str(format!("Lets {} read its S3 origins", self.id)),
                        ),
                        ("OriginAccessControlOriginType", lit("s3")),
                        ("SigningBehavior", lit("always")),
                        ("SigningProtocol", lit("sigv4")),
                    ]),
                )]),
            ),
        );
    }

    pub(super) fn render_origin(&self, name: &str, origin: &Origin) -> Expr {
        let custom = || {
            obj([
                ("OriginProtocolPolicy", lit("https-only")),
                ("OriginSSLProtocols", Expr::List(vec![lit("TLSv1.2")])),
            ])
        };
        match &origin.kind {
            OriginKind::S3(bucket) => obj([
                ("Id", lit(name)),
                ("DomainName", bucket.regional_domain_name().into_expr()),
                // Origin access control replaces the identity; CloudFront still wants the
                // (empty) S3 block to know the origin is a bucket.
                ("S3OriginConfig", obj([("OriginAccessIdentity", lit(""))])),
                (
                    "OriginAccessControlId",
                    Expr::GetAtt(self.oac_id(), "Id".into()),
                ),
            ]),
            OriginKind::RestApi(api) => obj([
                ("Id", lit(name)),
                (
                    "DomainName",
                    Expr::Sub(format!(
                        "${{{api}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"
                    )),
                ),
                ("OriginPath", Expr::Sub(format!("/${{{api}Stage}}"))),
                ("CustomOriginConfig", custom()),
            ]),
            OriginKind::Http(domain) => obj([
                ("Id", lit(name)),
                ("DomainName", domain.clone().into_expr()),
                ("CustomOriginConfig", custom()),
            ]),
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
