//! The policies a behaviour applies: allowed methods, caching, what reaches the origin,
//! response headers, viewer protocol, and the distribution's price class.

use super::SecurityHeaders;
use crate::kind;
use crate::value::{Id, IntoValue, Value};

/// Which methods a behaviour accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllowedMethods {
    /// `GET`, `HEAD`: static content (the default for S3 origins).
    GetHead,
    /// `GET`, `HEAD`, `OPTIONS`: static content read by browsers cross-origin.
    GetHeadOptions,
    /// Every method: APIs (the default for API and HTTP origins).
    All,
}

impl AllowedMethods {
    /// The methods, as `AllowedMethods` takes them.
    pub(super) fn to_value(self) -> Value<Vec<String>> {
        let methods: &[&str] = match self {
            AllowedMethods::GetHead => &["GET", "HEAD"],
            AllowedMethods::GetHeadOptions => &["GET", "HEAD", "OPTIONS"],
            AllowedMethods::All => &["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
        };
        Value::list(methods.iter().map(|m| Value::lit(*m)))
    }
}

/// How a behaviour caches: a managed policy or one of yours.
#[derive(Clone, Debug, PartialEq)]
pub enum CachePolicy {
    /// `Managed-CachingOptimized`: long TTLs, no query strings, headers or cookies in the
    /// key (the default for S3 origins).
    CachingOptimized,
    /// `Managed-CachingDisabled`: every request goes to the origin (the default for API
    /// and HTTP origins).
    CachingDisabled,
    /// `Managed-CachingOptimizedForUncompressedObjects`: as `CachingOptimized`, without
    /// compression.
    CachingOptimizedForUncompressedObjects,
    /// A cache policy of yours, by ID: `CachePolicy::custom(policy.id)`.
    Custom(Value<String>),
}

impl CachePolicy {
    /// A cache policy of yours, by ID.
    pub fn custom(id: impl IntoValue<String>) -> Self {
        CachePolicy::Custom(id.into_value())
    }

    /// The policy's ID; a custom ID is passed through as given.
    pub(super) fn id(&self) -> Value<Id<kind::cloudfront::CachePolicy>> {
        match self {
            CachePolicy::CachingOptimized => "658327ea-f89d-4fab-a63d-7e88639e58f6".into_value(),
            CachePolicy::CachingDisabled => "4135ea2d-6df8-44a3-9df3-4b5a84be39ad".into_value(),
            CachePolicy::CachingOptimizedForUncompressedObjects => {
                "b2884449-e4de-46a7-ac36-70bc7f1ddd6d".into_value()
            }
            CachePolicy::Custom(id) => Value::from_expr(id.expr().clone()),
        }
    }
}

/// What a behaviour forwards to the origin besides the cache key.
#[derive(Clone, Debug, PartialEq)]
pub enum OriginRequestPolicy {
    /// `Managed-AllViewer`: every header, cookie and query string.
    AllViewer,
    /// `Managed-AllViewerExceptHostHeader`: all but `Host`, which API Gateway needs to be
    /// its own (the default for API and HTTP origins).
    AllViewerExceptHostHeader,
    /// `Managed-CORS-S3Origin`: the headers S3 needs for CORS.
    CorsS3Origin,
    /// `Managed-CORS-CustomOrigin`: the `Origin` header.
    CorsCustomOrigin,
    /// `Managed-UserAgentRefererHeaders`.
    UserAgentRefererHeaders,
    /// An origin request policy of yours, by ID: `OriginRequestPolicy::custom(policy.id)`.
    Custom(Value<String>),
}

impl OriginRequestPolicy {
    /// An origin request policy of yours, by ID.
    pub fn custom(id: impl IntoValue<String>) -> Self {
        OriginRequestPolicy::Custom(id.into_value())
    }

    /// The policy's ID; a custom ID is passed through as given.
    pub(super) fn id(&self) -> Value<Id<kind::cloudfront::OriginRequestPolicy>> {
        match self {
            OriginRequestPolicy::AllViewer => "216adef6-5c7f-47e4-b989-5492eafa07d3".into_value(),
            OriginRequestPolicy::AllViewerExceptHostHeader => {
                "b689b0a8-53d0-40ab-baf2-68738e2966ac".into_value()
            }
            OriginRequestPolicy::CorsS3Origin => {
                "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf".into_value()
            }
            OriginRequestPolicy::CorsCustomOrigin => {
                "59781a5b-3903-41f3-afcb-af62929ccde1".into_value()
            }
            OriginRequestPolicy::UserAgentRefererHeaders => {
                "acba4595-bd28-49b8-b9fe-13317c0390fa".into_value()
            }
            OriginRequestPolicy::Custom(id) => Value::from_expr(id.expr().clone()),
        }
    }
}

/// Headers CloudFront adds to responses: a managed policy, one of yours by ID, or security
/// headers of the distribution's own (`response_headers_policy: SecurityHeaders { .. }`).
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseHeadersPolicy {
    /// `Managed-SecurityHeadersPolicy`: HSTS (one year), `X-Content-Type-Options`,
    /// `X-Frame-Options: SAMEORIGIN`, `Referrer-Policy` and `X-XSS-Protection`.
    SecurityHeaders,
    /// `Managed-SimpleCORS`: `Access-Control-Allow-Origin: *` for simple requests.
    SimpleCors,
    /// `Managed-CORS-With-Preflight`: CORS from any origin, answering preflight `OPTIONS`
    /// requests too (allow `OPTIONS` on the behaviour).
    CorsWithPreflight,
    /// `Managed-CORS-and-SecurityHeadersPolicy`: `SimpleCors` and `SecurityHeaders`.
    CorsAndSecurityHeaders,
    /// `Managed-CORS-with-preflight-and-SecurityHeadersPolicy`: `CorsWithPreflight` and
    /// `SecurityHeaders`.
    CorsWithPreflightAndSecurityHeaders,
    /// A response headers policy of yours, by ID: `ResponseHeadersPolicy::custom(policy.id)`.
    Custom(Value<String>),
    /// Security headers as you set them, in a policy the distribution adds
    /// (`<Id>ResponseHeadersPolicy`); written `SecurityHeaders { .. }`.
    Own(SecurityHeaders),
}

impl From<SecurityHeaders> for ResponseHeadersPolicy {
    fn from(headers: SecurityHeaders) -> Self {
        ResponseHeadersPolicy::Own(headers)
    }
}

impl ResponseHeadersPolicy {
    /// A response headers policy of yours, by ID.
    pub fn custom(id: impl IntoValue<String>) -> Self {
        ResponseHeadersPolicy::Custom(id.into_value())
    }

    /// The ID of a managed policy, or a custom ID as given; `None` for the distribution's
    /// own policy, which it names when it adds it.
    pub(super) fn id(&self) -> Option<Value<Id<kind::cloudfront::ResponseHeadersPolicy>>> {
        let managed = match self {
            ResponseHeadersPolicy::SecurityHeaders => "67f7725c-6f97-4210-82d7-5512b31e9d03",
            ResponseHeadersPolicy::SimpleCors => "60669652-455b-4ae9-85a4-c4c02393f86c",
            ResponseHeadersPolicy::CorsWithPreflight => "5cc3b908-e619-4b99-88e5-2cf7f45965bd",
            ResponseHeadersPolicy::CorsAndSecurityHeaders => "e61eb60c-9c35-4d20-a928-2b84e02af89c",
            ResponseHeadersPolicy::CorsWithPreflightAndSecurityHeaders => {
                "eaab4381-ed33-4a86-88ca-d9558dc6cd63"
            }
            ResponseHeadersPolicy::Custom(id) => return Some(Value::from_expr(id.expr().clone())),
            ResponseHeadersPolicy::Own(_) => return None,
        };
        Some(managed.into_value())
    }
}

/// The lowest TLS version and the ciphers CloudFront offers viewers of a custom domain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SecurityPolicyProtocol {
    /// `TLSv1.2_2021`: TLS 1.2 and later with strong ciphers only (the default).
    #[default]
    TlsV1_2_2021,
    /// `TLSv1.2_2019`: TLS 1.2 and later, with some older ciphers.
    TlsV1_2_2019,
    /// `TLSv1.2_2018`: TLS 1.2 and later, with older ciphers still.
    TlsV1_2_2018,
}

impl SecurityPolicyProtocol {
    pub(super) const fn as_str(self) -> &'static str {
        match self {
            SecurityPolicyProtocol::TlsV1_2_2021 => "TLSv1.2_2021",
            SecurityPolicyProtocol::TlsV1_2_2019 => "TLSv1.2_2019",
            SecurityPolicyProtocol::TlsV1_2_2018 => "TLSv1.2_2018",
        }
    }
}

/// What CloudFront does with plain-HTTP requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ViewerProtocolPolicy {
    /// Redirect them to HTTPS (the default).
    #[default]
    RedirectToHttps,
    /// Refuse them (403).
    HttpsOnly,
    /// Serve them over HTTP.
    AllowAll,
}

impl ViewerProtocolPolicy {
    pub(super) const fn as_str(self) -> &'static str {
        match self {
            ViewerProtocolPolicy::RedirectToHttps => "redirect-to-https",
            ViewerProtocolPolicy::HttpsOnly => "https-only",
            ViewerProtocolPolicy::AllowAll => "allow-all",
        }
    }
}

/// Which edge locations serve the distribution, cheapest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceClass {
    /// North America, Europe and Israel.
    PriceClass100,
    /// `PriceClass100` plus Asia, the Middle East and Africa.
    PriceClass200,
    /// Every edge location (CloudFront's default).
    PriceClassAll,
}

impl PriceClass {
    pub(super) const fn as_str(self) -> &'static str {
        match self {
            PriceClass::PriceClass100 => "PriceClass_100",
            PriceClass::PriceClass200 => "PriceClass_200",
            PriceClass::PriceClassAll => "PriceClass_All",
        }
    }
}
