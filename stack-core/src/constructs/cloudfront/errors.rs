//! Custom error responses: what viewers get instead of an origin's error.

use crate::aws::cloudfront::distribution;
use crate::constructs::Duration;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// What CloudFront answers instead of an error:
/// `ErrorResponse { http_status: 403, response_http_status: 200, response_page_path: "/index.html" }`.
/// `http_status` is required, with a `response_page_path`, a `ttl`, or both.
///
/// `403 → /error.html` is the common case for private S3 origins, which answer `403` for
/// a missing object; a single-page app answers `403` and `404` with `/index.html` and
/// `200`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorResponse {
    http_status: Option<u16>,
    response_http_status: Option<u16>,
    response_page_path: Option<String>,
    ttl: Option<Duration>,
}

impl ErrorResponse {
    /// The origin's error this replaces: `400`, `403`, `404`, `405`, `414`, `416`, `500`,
    /// `501`, `502`, `503` or `504`.
    #[must_use]
    pub fn http_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    /// The status viewers get with the page; `http_status` when unset.
    #[must_use]
    pub fn response_http_status(mut self, status: u16) -> Self {
        self.response_http_status = Some(status);
        self
    }

    /// The page served instead, a path from the distribution's root: `"/error.html"`.
    #[must_use]
    pub fn response_page_path(mut self, path: impl Into<String>) -> Self {
        self.response_page_path = Some(path.into());
        self
    }

    /// How long CloudFront caches the error before asking the origin again; CloudFront's
    /// default (10 seconds) when unset.
    #[must_use]
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }
}

/// The distribution's `CustomErrorResponses`, each checked by the rules the macro applies
/// to literals; `None` without any.
pub(super) fn render(
    stack: &mut StackBuilder,
    id: &str,
    responses: Vec<ErrorResponse>,
) -> Option<Vec<distribution::CustomErrorResponse>> {
    use stack_spec::rules::cloudfront as rules;
    let mut seen: Vec<u16> = Vec::new();
    let mut rendered = Vec::new();
    for response in responses {
        let Some(status) = response.http_status else {
            stack.report(format!(
                "distribution `{id}`: an error response has no `http_status`, e.g. `http_status: 403`"
            ));
            continue;
        };
        let what = format!("distribution `{id}`: error response `{status}`");
        if let Err(why) = rules::error_code(i64::from(status)) {
            stack.report(format!("{what}: `http_status` {why}"));
        }
        if seen.contains(&status) {
            stack.report(format!(
                "{what} is declared twice; CloudFront takes one response per status"
            ));
        }
        seen.push(status);
        if let Some(answer) = response.response_http_status {
            if let Err(why) = rules::response_code(i64::from(answer)) {
                stack.report(format!("{what}: `response_http_status` {why}"));
            }
            if response.response_page_path.is_none() {
                stack.report(format!(
                    "{what}: `response_http_status` needs the page to send, `response_page_path: \"/error.html\"`"
                ));
            }
        }
        if let Some(path) = &response.response_page_path {
            if let Err(why) = rules::response_page_path(path) {
                stack.report(format!("{what}: `response_page_path` {why}"));
            }
        }
        if response.response_page_path.is_none() && response.ttl.is_none() {
            stack.report(format!(
                "{what} changes nothing; give it a `response_page_path`, a `ttl`, or both"
            ));
        }
        let response_code = response
            .response_page_path
            .is_some()
            .then(|| i64::from(response.response_http_status.unwrap_or(status)).into_value());
        rendered.push(distribution::CustomErrorResponse {
            error_code: Some(i64::from(status).into_value()),
            response_code,
            response_page_path: response.response_page_path.map(Value::lit),
            error_caching_min_ttl: response.ttl.map(|t| (t.as_seconds() as f64).into_value()),
        });
    }
    (!rendered.is_empty()).then_some(rendered)
}
