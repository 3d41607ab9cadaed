//! Cache behaviours: which requests go to which origin, with what policies.

use super::origin::Origin;
use super::{
    AllowedMethods, CachePolicy, OriginRequestPolicy, ResponseHeadersPolicy, ViewerProtocolPolicy,
};
use crate::constructs::lit;
use crate::expr::Expr;

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

    /// Headers added to responses, e.g. `ResponseHeadersPolicy::SecurityHeaders`.
    #[must_use]
    pub fn response_headers_policy(mut self, policy: ResponseHeadersPolicy) -> Self {
        self.response_headers_policy = Some(policy);
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

/// One cache behaviour, with the origin's defaults for unset options.
pub(super) fn render_behavior(behavior: Behavior, origin: &Origin, target: String) -> Expr {
    let s3 = origin.is_s3();
    let mut entries: Vec<(String, Expr)> = Vec::new();
    if let Some(pattern) = behavior.path_pattern {
        entries.push(("PathPattern".into(), Expr::Str(pattern)));
    }
    entries.push(("TargetOriginId".into(), Expr::Str(target)));
    entries.push((
        "ViewerProtocolPolicy".into(),
        lit(behavior.viewer_protocol_policy.as_str()),
    ));
    let methods = behavior.allowed_methods.unwrap_or(if s3 {
        AllowedMethods::GetHead
    } else {
        AllowedMethods::All
    });
    entries.push(("AllowedMethods".into(), methods.to_expr()));
    let cache = behavior.cache_policy.unwrap_or(if s3 {
        CachePolicy::CachingOptimized
    } else {
        CachePolicy::CachingDisabled
    });
    entries.push(("CachePolicyId".into(), cache.to_expr()));
    let origin_request = behavior
        .origin_request_policy
        .or((!s3).then_some(OriginRequestPolicy::AllViewerExceptHostHeader));
    if let Some(policy) = origin_request {
        entries.push(("OriginRequestPolicyId".into(), policy.to_expr()));
    }
    if let Some(policy) = behavior.response_headers_policy {
        entries.push(("ResponseHeadersPolicyId".into(), policy.to_expr()));
    }
    entries.push(("Compress".into(), Expr::Bool(behavior.compress)));
    Expr::Map(entries)
}
