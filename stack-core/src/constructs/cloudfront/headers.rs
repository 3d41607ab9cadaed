//! [`SecurityHeaders`]: a response headers policy of the distribution's own, for security
//! headers the managed policy sets differently.

use crate::aws;
use crate::aws::cloudfront::response_headers_policy as policy;
use crate::constructs::Duration;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// Whether pages may be shown in frames (`X-Frame-Options`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FrameOptions {
    /// Never (`DENY`, the default).
    #[default]
    Deny,
    /// Only by pages of the same origin (`SAMEORIGIN`).
    SameOrigin,
}

impl FrameOptions {
    const fn as_str(self) -> &'static str {
        match self {
            FrameOptions::Deny => "DENY",
            FrameOptions::SameOrigin => "SAMEORIGIN",
        }
    }
}

/// What browsers send as `Referer` when leaving a page (`Referrer-Policy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReferrerPolicy {
    /// `no-referrer`.
    NoReferrer,
    /// `no-referrer-when-downgrade`.
    NoReferrerWhenDowngrade,
    /// `origin`.
    Origin,
    /// `origin-when-cross-origin`.
    OriginWhenCrossOrigin,
    /// `same-origin`.
    SameOrigin,
    /// `strict-origin`.
    StrictOrigin,
    /// `strict-origin-when-cross-origin` (the default, as browsers do).
    #[default]
    StrictOriginWhenCrossOrigin,
    /// `unsafe-url`.
    UnsafeUrl,
}

impl ReferrerPolicy {
    const fn as_str(self) -> &'static str {
        match self {
            ReferrerPolicy::NoReferrer => "no-referrer",
            ReferrerPolicy::NoReferrerWhenDowngrade => "no-referrer-when-downgrade",
            ReferrerPolicy::Origin => "origin",
            ReferrerPolicy::OriginWhenCrossOrigin => "origin-when-cross-origin",
            ReferrerPolicy::SameOrigin => "same-origin",
            ReferrerPolicy::StrictOrigin => "strict-origin",
            ReferrerPolicy::StrictOriginWhenCrossOrigin => "strict-origin-when-cross-origin",
            ReferrerPolicy::UnsafeUrl => "unsafe-url",
        }
    }
}

/// Security headers CloudFront adds to every response of a behaviour, as a response
/// headers policy of the distribution's own:
/// `response_headers_policy: SecurityHeaders { frame_options: FrameOptions::SameOrigin }`.
///
/// Unset, every header is on: `Strict-Transport-Security` for two years with
/// subdomains, `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
/// `Referrer-Policy: strict-origin-when-cross-origin` and `X-XSS-Protection: 1;
/// mode=block`, replacing what the origin sends. Add a `content_security_policy` for
/// `Content-Security-Policy`.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityHeaders {
    hsts_max_age: Duration,
    hsts_include_subdomains: bool,
    hsts_preload: bool,
    content_type_options: bool,
    frame_options: FrameOptions,
    referrer_policy: ReferrerPolicy,
    xss_protection: bool,
    content_security_policy: Option<Value<String>>,
    override_origin: bool,
}

impl Default for SecurityHeaders {
    fn default() -> Self {
        Self {
            hsts_max_age: Duration::days(730),
            hsts_include_subdomains: true,
            hsts_preload: false,
            content_type_options: true,
            frame_options: FrameOptions::Deny,
            referrer_policy: ReferrerPolicy::StrictOriginWhenCrossOrigin,
            xss_protection: true,
            content_security_policy: None,
            override_origin: true,
        }
    }
}

impl SecurityHeaders {
    /// How long browsers keep to HTTPS (`Strict-Transport-Security: max-age`); two years
    /// when unset.
    #[must_use]
    pub fn hsts_max_age(mut self, max_age: Duration) -> Self {
        self.hsts_max_age = max_age;
        self
    }

    /// Whether HSTS covers subdomains; on when unset.
    #[must_use]
    pub fn hsts_include_subdomains(mut self, include: bool) -> Self {
        self.hsts_include_subdomains = include;
        self
    }

    /// Whether the domain asks to be on browsers' HSTS preload list; off when unset.
    #[must_use]
    pub fn hsts_preload(mut self, preload: bool) -> Self {
        self.hsts_preload = preload;
        self
    }

    /// Whether `X-Content-Type-Options: nosniff` is sent; on when unset.
    #[must_use]
    pub fn content_type_options(mut self, on: bool) -> Self {
        self.content_type_options = on;
        self
    }

    /// `X-Frame-Options`; `FrameOptions::Deny` when unset.
    #[must_use]
    pub fn frame_options(mut self, options: FrameOptions) -> Self {
        self.frame_options = options;
        self
    }

    /// `Referrer-Policy`; `ReferrerPolicy::StrictOriginWhenCrossOrigin` when unset.
    #[must_use]
    pub fn referrer_policy(mut self, policy: ReferrerPolicy) -> Self {
        self.referrer_policy = policy;
        self
    }

    /// Whether `X-XSS-Protection: 1; mode=block` is sent; on when unset.
    #[must_use]
    pub fn xss_protection(mut self, on: bool) -> Self {
        self.xss_protection = on;
        self
    }

    /// `Content-Security-Policy`, e.g. `"default-src 'self'"`; not sent when unset.
    #[must_use]
    pub fn content_security_policy(mut self, policy: impl IntoValue<String>) -> Self {
        self.content_security_policy = Some(policy.into_value());
        self
    }

    /// Whether these headers replace the origin's own; on when unset.
    #[must_use]
    pub fn override_origin(mut self, on: bool) -> Self {
        self.override_origin = on;
        self
    }

    /// Adds the `AWS::CloudFront::ResponseHeadersPolicy` `logical_id`, named after the
    /// stack, the ID and the region (policy names are global to the account).
    pub(super) fn add(&self, stack: &mut StackBuilder, logical_id: &str) {
        if let Err(why) =
            stack_spec::rules::cloudfront::hsts_max_age(self.hsts_max_age.as_seconds())
        {
            stack.report(format!(
                "response headers policy `{logical_id}`: `hsts_max_age` {why}"
            ));
        }
        let base: String = format!("{}-{logical_id}", stack.name())
            .chars()
            .take(100)
            .collect();
        let on = || Some(self.override_origin.into_value());
        let max_age = i64::try_from(self.hsts_max_age.as_seconds()).unwrap_or(i64::MAX);
        let security = policy::SecurityHeadersConfig {
            strict_transport_security: Some(policy::StrictTransportSecurity {
                access_control_max_age_sec: Some(max_age.into_value()),
                include_subdomains: Some(self.hsts_include_subdomains.into_value()),
                preload: Some(self.hsts_preload.into_value()),
                r#override: on(),
            }),
            content_type_options: self
                .content_type_options
                .then(|| policy::ContentTypeOptions { r#override: on() }),
            frame_options: Some(policy::FrameOptions {
                frame_option: Some(Value::lit(self.frame_options.as_str())),
                r#override: on(),
            }),
            referrer_policy: Some(policy::ReferrerPolicy {
                referrer_policy: Some(Value::lit(self.referrer_policy.as_str())),
                r#override: on(),
            }),
            xss_protection: self.xss_protection.then(|| policy::XSSProtection {
                protection: Some(true.into_value()),
                mode_block: Some(true.into_value()),
                r#override: on(),
                ..Default::default()
            }),
            content_security_policy: self.content_security_policy.clone().map(|csp| {
                policy::ContentSecurityPolicy {
                    content_security_policy: Some(csp),
                    r#override: on(),
                }
            }),
        };
        let resource = aws::cloudfront::ResponseHeadersPolicy {
            response_headers_policy_config: Some(policy::ResponseHeadersPolicyConfig {
                name: Some(Value::sub(format!("{base}-${{AWS::Region}}"))),
                comment: Some(Value::lit("Security headers")),
                security_headers_config: Some(security),
                ..Default::default()
            }),
        };
        stack.add_resource(logical_id, &resource);
    }
}
