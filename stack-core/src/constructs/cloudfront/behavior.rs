//! Cache behaviours: which requests go to which origin, with what policies.

use super::origin::Origin;
use super::{
    AllowedMethods, CachePolicy, OriginRequestPolicy, ResponseHeadersPolicy, ViewerProtocolPolicy,
};
use crate::aws::cloudfront::distribution;
use crate::kind;
use crate::value::{Id, IntoValue, Value};

/// How CloudFront handles requests: `Behavior { origin: site }` for the default, plus
/// `path_pattern` for additional ones. `origin` is required.
///
/// Unset options follow the origin: S3 origins get `GET`/`HEAD` and
/// `CachePolicy::CachingOptimized`; API and HTTP origins get every method,
/// `CachePolicy::CachingDisabled` and `OriginRequestPolicy::AllViewerExceptHostHeader`,
/// so query strings and headers reach them.
#[derive(Clone, Debug)]
pub struct Behavior {
    pub(super) origin: Option<Origin>,
    pub(super) path_pattern: Option<String>,
    pub(super) allowed_methods: Option<AllowedMethods>,
    pub(super) cache_policy: Option<CachePolicy>,
    pub(super) origin_request_policy: Option<OriginRequestPolicy>,
    pub(super) response_headers_policy: Option<ResponseHeadersPolicy>,
    pub(super) viewer_protocol_policy: ViewerProtocolPolicy,
    pub(super) compress: bool,
}

impl Default for Behavior {
    fn default() -> Self {
        Self {
            origin: None,
            path_pattern: None,
            allowed_methods: None,
            cache_policy: None,
            origin_request_policy: None,
            response_headers_policy: None,
            viewer_protocol_policy: ViewerProtocolPolicy::RedirectToHttps,
            compress: true,
        }
    }
}

impl Behavior {
    /// Where requests go: a bucket or a REST API of this stack (`origin: site`), or
    /// `Origin::http("example.com")`.
    #[must_use]
    pub fn origin(mut self, origin: impl Into<Origin>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// The paths this behaviour serves, e.g. `"/chat"` or `"/images/*"`; additional
    /// behaviours only.
    #[must_use]
    pub fn path_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.path_pattern = Some(pattern.into());
        self
    }

    /// Which methods are accepted.
    #[must_use]
    pub fn allowed_methods(mut self, methods: AllowedMethods) -> Self {
        self.allowed_methods = Some(methods);
        self
    }

    /// How responses are cached.
    #[must_use]
    pub fn cache_policy(mut self, policy: CachePolicy) -> Self {
        self.cache_policy = Some(policy);
        self
    }

    /// What is forwarded to the origin besides the cache key.
    #[must_use]
    pub fn origin_request_policy(mut self, policy: OriginRequestPolicy) -> Self {
        self.origin_request_policy = Some(policy);
        self
    }

    /// Headers added to responses: a managed policy such as
    /// `ResponseHeadersPolicy::SecurityHeaders` or `ResponseHeadersPolicy::CorsWithPreflight`,
    /// or security headers of your own, `SecurityHeaders { .. }`.
    #[must_use]
    pub fn response_headers_policy(mut self, policy: impl Into<ResponseHeadersPolicy>) -> Self {
        self.response_headers_policy = Some(policy.into());
        self
    }

    /// What happens to plain-HTTP requests; redirected to HTTPS when unset.
    #[must_use]
    pub fn viewer_protocol_policy(mut self, policy: ViewerProtocolPolicy) -> Self {
        self.viewer_protocol_policy = policy;
        self
    }

    /// Whether CloudFront compresses responses; on when unset.
    #[must_use]
    pub fn compress(mut self, compress: bool) -> Self {
        self.compress = compress;
        self
    }
}

/// One cache behaviour with the origin's defaults for unset options, and the ID of the
/// origin it targets.
pub(super) struct ResolvedBehavior {
    path_pattern: Option<String>,
    target: String,
    viewer_protocol_policy: ViewerProtocolPolicy,
    allowed_methods: AllowedMethods,
    cache_policy: CachePolicy,
    origin_request_policy: Option<OriginRequestPolicy>,
    response_headers_policy: Option<Value<Id<kind::cloudfront::ResponseHeadersPolicy>>>,
    compress: bool,
}

impl ResolvedBehavior {
    /// `behavior` sending requests to `origin`, whose ID is `target`, with the response
    /// headers policy `headers` (resolved by the distribution, which adds its own).
    pub(super) fn new(
        behavior: Behavior,
        origin: &Origin,
        target: String,
        headers: Option<Value<Id<kind::cloudfront::ResponseHeadersPolicy>>>,
    ) -> Self {
        let s3 = origin.is_s3();
        Self {
            path_pattern: behavior.path_pattern,
            target,
            viewer_protocol_policy: behavior.viewer_protocol_policy,
            allowed_methods: behavior.allowed_methods.unwrap_or(if s3 {
                AllowedMethods::GetHead
            } else {
                AllowedMethods::All
            }),
            cache_policy: behavior.cache_policy.unwrap_or(if s3 {
                CachePolicy::CachingOptimized
            } else {
                CachePolicy::CachingDisabled
            }),
            origin_request_policy: behavior
                .origin_request_policy
                .or((!s3).then_some(OriginRequestPolicy::AllViewerExceptHostHeader)),
            response_headers_policy: headers,
            compress: behavior.compress,
        }
    }

    /// The distribution's default behaviour; a path pattern, which the default cannot
    /// have, is reported by the distribution and left out here.
    pub(super) fn into_default(self) -> distribution::DefaultCacheBehavior {
        distribution::DefaultCacheBehavior {
            target_origin_id: Some(self.target.into_value()),
            viewer_protocol_policy: Some(Value::lit(self.viewer_protocol_policy.as_str())),
            allowed_methods: Some(self.allowed_methods.to_value()),
            cache_policy_id: Some(self.cache_policy.id()),
            origin_request_policy_id: self
                .origin_request_policy
                .as_ref()
                .map(OriginRequestPolicy::id),
            response_headers_policy_id: self.response_headers_policy,
            compress: Some(self.compress.into_value()),
            ..Default::default()
        }
    }

    /// An additional behaviour, matched by its path pattern.
    pub(super) fn into_additional(self) -> distribution::CacheBehavior {
        distribution::CacheBehavior {
            path_pattern: self.path_pattern.map(Value::lit),
            target_origin_id: Some(Value::lit(self.target)),
            viewer_protocol_policy: Some(Value::lit(self.viewer_protocol_policy.as_str())),
            allowed_methods: Some(self.allowed_methods.to_value()),
            cache_policy_id: Some(self.cache_policy.id()),
            origin_request_policy_id: self
                .origin_request_policy
                .as_ref()
                .map(OriginRequestPolicy::id),
            response_headers_policy_id: self.response_headers_policy,
            compress: Some(self.compress.into_value()),
            ..Default::default()
        }
    }
}
