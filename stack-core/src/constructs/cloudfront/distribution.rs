//! [`Distribution`]: the distribution itself, its options and attributes.

use super::behavior::ResolvedBehavior;
use super::errors::{self, ErrorResponse};
use super::origin::{Origin, OriginKind};
use super::{Behavior, PriceClass, ResponseHeadersPolicy, SecurityHeaders, SecurityPolicyProtocol};
use crate::aws;
use crate::aws::cloudfront::distribution;
use crate::constructs::{literal_str, Construct};
use crate::iam::{Grant, Statement};
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Arn, Id, IntoValue, Value};

/// CloudFront's default quota of cache behaviors per distribution.
const MAX_BEHAVIORS: usize = 25;

/// CloudFront's limit on origins per distribution.
const MAX_ORIGINS: usize = 25;

/// A CloudFront distribution: HTTP/2 and HTTP/3, IPv6, HTTPS for viewers.
///
/// Resources: the distribution `<Id>`; per distinct [`SecurityHeaders`] of its behaviours,
/// a response headers policy `<Id>ResponseHeadersPolicy` (`...Policy2`, ...); with an S3
/// origin, one origin access control `<Id>OriginAccessControl` and, in each such bucket's policy (`<Bucket>Policy`), a
/// statement letting this distribution read objects. No origin access identity, and no
/// public bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    pub(super) id: String,
}

/// Options of a [`Distribution`]. `default_behavior` is required.
#[derive(Clone, Debug, Default)]
pub struct DistributionProps {
    default_behavior: Option<Behavior>,
    behaviors: Vec<Behavior>,
    price_class: Option<PriceClass>,
    default_root_object: Option<Value<String>>,
    comment: Option<Value<String>>,
    domain_names: Vec<Value<String>>,
    certificate_arn: Option<Value<String>>,
    minimum_protocol_version: Option<SecurityPolicyProtocol>,
    error_responses: Vec<ErrorResponse>,
}

impl DistributionProps {
    /// The behaviour for every path no other behaviour matches.
    #[must_use]
    pub fn default_behavior(mut self, behavior: Behavior) -> Self {
        self.default_behavior = Some(behavior);
        self
    }

    /// Additional behaviours, each with a `path_pattern`, matched in order.
    #[must_use]
    pub fn behaviors(mut self, behaviors: impl IntoIterator<Item = Behavior>) -> Self {
        self.behaviors = behaviors.into_iter().collect();
        self
    }

    /// Which edge locations serve the distribution; all when unset.
    #[must_use]
    pub fn price_class(mut self, class: PriceClass) -> Self {
        self.price_class = Some(class);
        self
    }

    /// The object served for `/`, e.g. `"index.html"`.
    #[must_use]
    pub fn default_root_object(mut self, object: impl IntoValue<String>) -> Self {
        self.default_root_object = Some(object.into_value());
        self
    }

    /// A comment shown in the console.
    #[must_use]
    pub fn comment(mut self, comment: impl IntoValue<String>) -> Self {
        self.comment = Some(comment.into_value());
        self
    }

    /// Alternate domain names, e.g. `["www.example.com"]`; need `certificate_arn`.
    #[must_use]
    pub fn domain_names(mut self, names: impl IntoIterator<Item = impl IntoValue<String>>) -> Self {
        self.domain_names = names.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// An ACM certificate in `us-east-1` covering `domain_names`, served with SNI and
    /// TLS 1.2 or later (`minimum_protocol_version`).
    #[must_use]
    pub fn certificate_arn(mut self, arn: impl IntoValue<String>) -> Self {
        self.certificate_arn = Some(arn.into_value());
        self
    }

    /// The lowest TLS version viewers of `domain_names` may use;
    /// `SecurityPolicyProtocol::TlsV1_2_2021` when unset. Needs `certificate_arn`: the
    /// `cloudfront.net` domain's own certificate allows what CloudFront decides.
    #[must_use]
    pub fn minimum_protocol_version(mut self, version: SecurityPolicyProtocol) -> Self {
        self.minimum_protocol_version = Some(version);
        self
    }

    /// What viewers get instead of an origin's error:
    /// `[ErrorResponse { http_status: 403, response_page_path: "/error.html" }]`.
    #[must_use]
    pub fn error_responses(mut self, responses: impl IntoIterator<Item = ErrorResponse>) -> Self {
        self.error_responses = responses.into_iter().collect();
        self
    }
}

impl Distribution {
    /// The distribution's domain name, `d111111abcdef8.cloudfront.net`.
    pub fn domain_name(&self) -> Value<String> {
        Value::get_att(&self.id, "DomainName")
    }

    /// The distribution's ID (`Ref`).
    pub fn distribution_id(&self) -> Value<Id<kind::cloudfront::Distribution>> {
        Value::reference(&self.id)
    }

    /// `https://<domain name>`.
    pub fn url(&self) -> Value<String> {
        Value::sub(format!("https://${{{}.DomainName}}", self.id))
    }

    /// The distribution's ARN.
    pub fn arn(&self) -> Value<Arn<kind::cloudfront::Distribution>> {
        Value::sub(format!(
            "arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{}}}",
            self.id
        ))
    }

    /// `invalidate`: clear cached objects of this distribution
    /// (`cloudfront:CreateInvalidation`).
    pub fn grant_invalidate(&self) -> Grant {
        Grant::new([Statement::allow(
            ["cloudfront:CreateInvalidation"],
            [self.arn()],
        )])
    }

    /// The logical ID of the distribution's own response headers policy `index`:
    /// `<Id>ResponseHeadersPolicy`, then `<Id>ResponseHeadersPolicy2`, ...
    fn headers_policy_id(&self, index: usize) -> String {
        match index {
            0 => format!("{}ResponseHeadersPolicy", self.id),
            n => format!("{}ResponseHeadersPolicy{}", self.id, n + 1),
        }
    }

    pub(super) fn oac_id(&self) -> String {
        format!("{}OriginAccessControl", self.id)
    }
}

impl Construct for Distribution {
    type Props = DistributionProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: DistributionProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        let default_behavior = props.default_behavior.unwrap_or_else(|| {
            stack.report(format!(
                "distribution `{id}` has no `default_behavior`; add e.g. `default_behavior: Behavior {{ origin: site }}`"
            ));
            Behavior::default()
        });
        if default_behavior.path_pattern.is_some() {
            stack.report(format!(
                "distribution `{id}`: the default behaviour serves every other path; move its `path_pattern` to an entry of `behaviors`"
            ));
        }
        if props.behaviors.len() > MAX_BEHAVIORS {
            stack.report(format!(
                "distribution `{id}` has {} behaviours; CloudFront allows {MAX_BEHAVIORS}",
                props.behaviors.len()
            ));
        }
        let mut patterns: Vec<&str> = Vec::new();
        for behavior in &props.behaviors {
            match behavior.path_pattern.as_deref() {
                None => stack.report(format!(
                    "distribution `{id}`: an additional behaviour has no `path_pattern`"
                )),
                Some(pattern) => {
                    if pattern.is_empty()
                        || pattern.len() > 255
                        || pattern.chars().any(char::is_whitespace)
                    {
                        stack.report(format!(
                            "distribution `{id}`: path pattern `{pattern}` must be 1 to 255 characters without spaces"
                        ));
                    }
                    if patterns.contains(&pattern) {
                        stack.report(format!(
                            "distribution `{id}`: two behaviours have the path pattern `{pattern}`"
                        ));
                    }
                    patterns.push(pattern);
                }
            }
        }
        if let Some(object) = props.default_root_object.as_ref().and_then(literal_str) {
            if object.starts_with('/') {
                stack.report(format!(
                    "distribution `{id}`: `default_root_object` `{object}` is an object name; drop the leading `/`"
                ));
            }
        }
        if props.domain_names.is_empty() != props.certificate_arn.is_none() {
            stack.report(format!(
                "distribution `{id}`: `domain_names` and `certificate_arn` go together"
            ));
        }
        if props.minimum_protocol_version.is_some() && props.certificate_arn.is_none() {
            stack.report(format!(
                "distribution `{id}`: `minimum_protocol_version` applies to `domain_names` served with `certificate_arn`; add them or drop it"
            ));
        }
        let custom_error_responses = errors::render(stack, id, props.error_responses);
        // Security headers of the distribution's own: one policy per distinct setting.
        let mut own_headers: Vec<SecurityHeaders> = Vec::new();
        let mut headers_id = |policy: Option<ResponseHeadersPolicy>| {
            let policy = policy?;
            if let Some(id) = policy.id() {
                return Some(id);
            }
            let ResponseHeadersPolicy::Own(headers) = policy else {
                return None;
            };
            let index = own_headers
                .iter()
                .position(|h| *h == headers)
                .unwrap_or_else(|| {
                    own_headers.push(headers);
                    own_headers.len() - 1
                });
            Some(Value::reference(&self.headers_policy_id(index)))
        };

        // One origin per distinct target, however many behaviours use it.
        let mut origins: Vec<(String, Origin)> = Vec::new();
        let mut http_origins = 0;
        let mut origin_id = |origin: &Origin, origins: &mut Vec<(String, Origin)>| -> String {
            if let Some((existing, _)) = origins.iter().find(|(_, o)| o == origin) {
                return existing.clone();
            }
            let name = match &origin.kind {
                OriginKind::S3(bucket) => bucket.logical_id().to_owned(),
                OriginKind::RestApi(api) => api.clone(),
                OriginKind::Http(_) => {
                    http_origins += 1;
                    format!("Http{http_origins}")
                }
            };
            origins.push((name.clone(), origin.clone()));
            name
        };
        let mut resolve =
            |behavior: Behavior, origins: &mut Vec<(String, Origin)>| -> ResolvedBehavior {
                let origin = behavior.origin.clone().unwrap_or_else(|| {
                    stack.report(format!("distribution `{id}`: a behaviour has no `origin`"));
                    Origin::http("")
                });
                let target = origin_id(&origin, origins);
                let headers = headers_id(behavior.response_headers_policy.clone());
                ResolvedBehavior::new(behavior, &origin, target, headers)
            };
        let default_cache_behavior = resolve(default_behavior, &mut origins).into_default();
        let cache_behaviors: Vec<distribution::CacheBehavior> = props
            .behaviors
            .into_iter()
            .map(|b| resolve(b, &mut origins).into_additional())
            .collect();
        if origins.len() > MAX_ORIGINS {
            stack.report(format!(
                "distribution `{id}` has {} origins; CloudFront allows {MAX_ORIGINS}",
                origins.len()
            ));
        }

        for (index, headers) in own_headers.iter().enumerate() {
            headers.add(stack, &self.headers_policy_id(index));
        }
        let any_s3 = origins.iter().any(|(_, o)| o.is_s3());
        if any_s3 {
            self.add_origin_access_control(stack);
        }
        let rendered_origins = origins
            .iter()
            .map(|(name, origin)| self.render_origin(name, origin))
            .collect();

        let config = distribution::DistributionConfig {
            enabled: Some(true.into_value()),
            comment: props.comment,
            aliases: (!props.domain_names.is_empty()).then(|| Value::list(props.domain_names)),
            default_root_object: props.default_root_object,
            http_version: Some(Value::lit("http2and3")),
            ipv6_enabled: Some(true.into_value()),
            price_class: props.price_class.map(|class| Value::lit(class.as_str())),
            origins: Some(rendered_origins),
            default_cache_behavior: Some(default_cache_behavior),
            cache_behaviors: (!cache_behaviors.is_empty()).then_some(cache_behaviors),
            custom_error_responses,
            viewer_certificate: props
                .certificate_arn
                .map(|arn| distribution::ViewerCertificate {
                    acm_certificate_arn: Some(arn),
                    ssl_support_method: Some(Value::lit("sni-only")),
                    minimum_protocol_version: Some(Value::lit(
                        props.minimum_protocol_version.unwrap_or_default().as_str(),
                    )),
                    ..Default::default()
                }),
            ..Default::default()
        };
        stack.add_resource(
            id,
            &aws::cloudfront::Distribution {
                distribution_config: Some(config),
                ..Default::default()
            },
        );

        for (_, origin) in &origins {
            if let OriginKind::S3(bucket) = &origin.kind {
                bucket.add_to_resource_policy(stack, self.read_statement(bucket));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    // Distributions: S3 origins through origin access control (both halves), REST API
    // origins, behaviour defaults, grants and option checks.
    use super::super::{
        AllowedMethods, CachePolicy, OriginRequestPolicy, ResponseHeadersPolicy,
        ViewerProtocolPolicy,
    };
    use super::*;
    use crate::constructs::{
        ApiRoute, Bucket, BucketProps, Function, LambdaIntegration, RestApi, RestApiProps,
    };
    use crate::expr::Expr;
    use serde_json::{json, Value as Json};

    fn chatbot(distribution_first: bool) -> Json {
        let mut stack = StackBuilder::new("Chatbot");
        let bucket = Bucket::declare("Storage");
        let api = RestApi::declare("ChatApi");
        let cdn = Distribution::declare("Cdn");
        let handler = Function::declare("Upload");
        let build_cdn = |stack: &mut StackBuilder| {
            let api_behavior = |path: &str| {
                Behavior::default()
                    .path_pattern(path)
                    .origin(&api)
                    .cache_policy(CachePolicy::CachingDisabled)
                    .allowed_methods(AllowedMethods::All)
            };
            cdn.build(
                DistributionProps::default()
                    .default_behavior(
                        Behavior::default()
                            .origin(&bucket)
                            .allowed_methods(AllowedMethods::All)
                            .cache_policy(CachePolicy::CachingDisabled)
                            .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps),
                    )
                    .behaviors(
                        [
                            "/chat",
                            "/upload",
                            "/query",
                            "/history",
                            "/delete",
                            "/provisioning",
                        ]
                        .map(api_behavior),
                    )
                    .price_class(PriceClass::PriceClass200),
                stack,
            );
        };
        if distribution_first {
            build_cdn(&mut stack);
        }
        bucket.build(BucketProps::default(), &mut stack);
        api.build(
            RestApiProps::default().routes([ApiRoute::default()
                .path("upload")
                .method("POST")
                .integration(LambdaIntegration::default().handler(&handler))]),
            &mut stack,
        );
        if !distribution_first {
            build_cdn(&mut stack);
        }
        match stack.finish() {
            Ok(s) => s.template.to_json()["Resources"].clone(),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn s3_origin_uses_origin_access_control_on_both_sides() {
        for distribution_first in [true, false] {
            let r = chatbot(distribution_first);
            let config = &r["Cdn"]["Properties"]["DistributionConfig"];
            let origins = config["Origins"].as_array().cloned().unwrap_or_default();
            assert_eq!(origins.len(), 2, "{origins:#?}");
            assert_eq!(
                origins[0],
                json!({
                    "Id": "Storage",
                    "DomainName": {"Fn::GetAtt": ["Storage", "RegionalDomainName"]},
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": {"Fn::GetAtt": ["CdnOriginAccessControl", "Id"]}
                })
            );
            let oac = &r["CdnOriginAccessControl"];
            assert_eq!(oac["Type"], "AWS::CloudFront::OriginAccessControl");
            assert_eq!(
                oac["Properties"]["OriginAccessControlConfig"]["Name"],
                json!({"Fn::Sub": "Chatbot-Cdn-${AWS::Region}"})
            );
            assert_eq!(
                oac["Properties"]["OriginAccessControlConfig"]["SigningBehavior"],
                "always"
            );
            let statements = &r["StoragePolicy"]["Properties"]["PolicyDocument"]["Statement"];
            assert_eq!(statements.as_array().map(Vec::len), Some(2));
            assert_eq!(statements[0]["Effect"], "Deny");
            assert_eq!(
                statements[1],
                json!({
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": {"Fn::Sub": "${Storage.Arn}/*"},
                    "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}"}}}
                })
            );
            assert!(!r.to_string().contains("CloudFrontOriginAccessIdentity"));
        }
    }

    #[test]
    fn api_behaviours_share_one_origin_at_the_stage_path() {
        let r = chatbot(false);
        let config = &r["Cdn"]["Properties"]["DistributionConfig"];
        assert_eq!(
            config["Origins"][1],
            json!({
                "Id": "ChatApi",
                "DomainName": {"Fn::Sub": "${ChatApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"},
                "OriginPath": {"Fn::Sub": "/${ChatApiStage}"},
                "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]}
            })
        );
        let behaviors = config["CacheBehaviors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let patterns: Vec<&str> = behaviors
            .iter()
            .filter_map(|b| b["PathPattern"].as_str())
            .collect();
        assert_eq!(
            patterns,
            [
                "/chat",
                "/upload",
                "/query",
                "/history",
                "/delete",
                "/provisioning"
            ]
        );
        for behavior in &behaviors {
            assert_eq!(behavior["TargetOriginId"], "ChatApi");
            assert_eq!(
                behavior["CachePolicyId"],
                "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
            );
            assert_eq!(
                behavior["OriginRequestPolicyId"],
                "b689b0a8-53d0-40ab-baf2-68738e2966ac"
            );
            assert_eq!(behavior["ViewerProtocolPolicy"], "redirect-to-https");
            assert_eq!(behavior["AllowedMethods"].as_array().map(Vec::len), Some(7));
        }
        assert_eq!(config["DefaultCacheBehavior"]["TargetOriginId"], "Storage");
        assert!(config["DefaultCacheBehavior"]
            .get("OriginRequestPolicyId")
            .is_none());
        assert_eq!(config["PriceClass"], "PriceClass_200");
        assert_eq!(config["HttpVersion"], "http2and3");
    }

    #[test]
    fn defaults_follow_the_origin_and_options_render() {
        let mut stack = StackBuilder::new("Site");
        let site = Bucket::declare("Site");
        site.build(BucketProps::default(), &mut stack);
        let cdn = Distribution::declare("Cdn");
        cdn.build(
            DistributionProps::default()
                .default_behavior(
                    Behavior::default()
                        .origin(Origin::s3(&site))
                        .response_headers_policy(ResponseHeadersPolicy::SecurityHeaders),
                )
                .behaviors([Behavior::default()
                    .path_pattern("/api/*")
                    .origin(Origin::http("api.example.com"))
                    .origin_request_policy(OriginRequestPolicy::CorsCustomOrigin)
                    .cache_policy(CachePolicy::custom("my-cache-policy"))
                    .response_headers_policy(ResponseHeadersPolicy::custom("my-headers"))
                    .compress(false)])
                .default_root_object("index.html")
                .comment("site")
                .domain_names(["www.example.com"])
                .certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/abc"),
            &mut stack,
        );
        let r = match stack.finish() {
            Ok(s) => s.template.to_json()["Resources"].clone(),
            Err(e) => panic!("{e}"),
        };
        let config = &r["Cdn"]["Properties"]["DistributionConfig"];
        assert_eq!(
            config["DefaultCacheBehavior"],
            json!({
                "TargetOriginId": "Site",
                "ViewerProtocolPolicy": "redirect-to-https",
                "AllowedMethods": ["GET", "HEAD"],
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                "ResponseHeadersPolicyId": "67f7725c-6f97-4210-82d7-5512b31e9d03",
                "Compress": true
            })
        );
        assert_eq!(config["CacheBehaviors"][0]["TargetOriginId"], "Http1");
        assert_eq!(
            config["CacheBehaviors"][0]["OriginRequestPolicyId"],
            "59781a5b-3903-41f3-afcb-af62929ccde1"
        );
        assert_eq!(config["CacheBehaviors"][0]["Compress"], false);
        assert_eq!(
            config["CacheBehaviors"][0]["CachePolicyId"],
            "my-cache-policy"
        );
        assert_eq!(
            config["CacheBehaviors"][0]["ResponseHeadersPolicyId"],
            "my-headers"
        );
        assert_eq!(
            OriginRequestPolicy::custom("x").id().expr(),
            &Expr::Str("x".into())
        );
        assert_eq!(config["Origins"][1]["DomainName"], "api.example.com");
        assert_eq!(config["DefaultRootObject"], "index.html");
        assert_eq!(config["Aliases"], json!(["www.example.com"]));
        assert_eq!(
            config["ViewerCertificate"]["MinimumProtocolVersion"],
            "TLSv1.2_2021"
        );
    }

    #[test]
    fn attributes_and_invalidate_grant() {
        let cdn = Distribution::declare("Cdn");
        assert_eq!(cdn.distribution_id().expr(), &Expr::Ref("Cdn".into()));
        assert_eq!(
            cdn.domain_name().expr(),
            &Expr::GetAtt("Cdn".into(), "DomainName".into())
        );
        assert_eq!(
            cdn.url().expr(),
            &Expr::Sub("https://${Cdn.DomainName}".into())
        );
        assert_eq!(
            cdn.grant_invalidate().statements[0].to_expr().to_json(),
            json!({"Effect": "Allow", "Action": "cloudfront:CreateInvalidation", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}"}})
        );
    }

    #[test]
    fn mistakes_are_reported() {
        let mut stack = StackBuilder::new("Site");
        Distribution::declare("Cdn").build(
            DistributionProps::default()
                .behaviors([
                    Behavior::default().origin(Origin::http("a.example.com")),
                    Behavior::default().path_pattern("/a b"),
                    Behavior::default()
                        .path_pattern("/x")
                        .origin(Origin::http("a.example.com")),
                    Behavior::default()
                        .path_pattern("/x")
                        .origin(Origin::http("a.example.com")),
                ])
                .default_root_object("/index.html")
                .domain_names(["www.example.com"]),
            &mut stack,
        );
        let problems = stack.finish().err().map(|e| e.problems).unwrap_or_default();
        for needle in [
            "no `default_behavior`",
            "no `path_pattern`",
            "`/a b`",
            "two behaviours have the path pattern `/x`",
            "leading `/`",
            "go together",
            "no `origin`",
        ] {
            assert!(
                problems.iter().any(|p| p.contains(needle)),
                "no problem mentions {needle}: {problems:#?}"
            );
        }
    }
}
