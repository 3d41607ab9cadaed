//! CORS for an HTTP API: API Gateway answers preflight requests and adds the CORS headers
//! to the integrations' responses.

use crate::aws::apigatewayv2::api;
use crate::constructs::{literal_str, Duration};
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// CORS settings of an [`HttpApi`](super::HttpApi):
/// `CorsPreflightOptions { allow_origins: ["https://example.com"], max_age: Duration::days(1) }`.
/// `allow_origins` is required. API Gateway answers `OPTIONS` requests itself, and
/// overrides the CORS headers that the functions return.
#[derive(Clone, Debug, Default)]
pub struct CorsPreflightOptions {
    allow_origins: Vec<Value<String>>,
    allow_methods: Vec<Value<String>>,
    allow_headers: Vec<Value<String>>,
    expose_headers: Vec<Value<String>>,
    allow_credentials: bool,
    max_age: Option<Duration>,
}

impl CorsPreflightOptions {
    /// Origins allowed to call the API, e.g. `["https://example.com"]`, or `["*"]` for any.
    #[must_use]
    pub fn allow_origins(
        mut self,
        origins: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allow_origins = origins.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Allowed methods, e.g. `[HttpMethod::Get, HttpMethod::Post]`; `HttpMethod::Any`
    /// allows every method. Browsers allow only simple methods when unset.
    #[must_use]
    pub fn allow_methods(
        mut self,
        methods: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allow_methods = methods.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Allowed request headers, e.g. `["Content-Type", "Authorization"]`, or `["*"]`.
    #[must_use]
    pub fn allow_headers(
        mut self,
        headers: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allow_headers = headers.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Response headers that browsers may read (`Access-Control-Expose-Headers`).
    #[must_use]
    pub fn expose_headers(
        mut self,
        headers: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.expose_headers = headers.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Whether browsers may send credentials (`Access-Control-Allow-Credentials`); not
    /// allowed together with the `*` origin.
    #[must_use]
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.allow_credentials = allow;
        self
    }

    /// How long browsers may cache the preflight answer: at most one day.
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// The API's `CorsConfiguration`, after reporting what API Gateway would reject.
    pub(super) fn to_l1(&self, stack: &mut StackBuilder, api: &str) -> api::Cors {
        if self.allow_origins.is_empty() {
            stack.report(format!(
                "HTTP API `{api}`: `cors_preflight` needs `allow_origins`, e.g. `[\"https://example.com\"]`"
            ));
        }
        let any_origin = self
            .allow_origins
            .iter()
            .any(|o| literal_str(o) == Some("*"));
        if any_origin && self.allow_credentials {
            stack.report(format!(
                "HTTP API `{api}`: browsers refuse credentials with origin `*`; list the origins or drop `allow_credentials`"
            ));
        }
        let mut methods = Vec::new();
        for method in &self.allow_methods {
            match literal_str(method) {
                Some(name) => match stack_spec::rules::apigateway::cors_method(name) {
                    // API Gateway writes every method as `*`.
                    Ok(()) if name == "ANY" => methods.push(Value::lit("*")),
                    Ok(()) => methods.push(method.clone()),
                    Err(why) => {
                        stack.report(format!("HTTP API `{api}`: CORS `allow_methods` {why}"))
                    }
                },
                None => methods.push(method.clone()),
            }
        }
        if let Some(max_age) = self.max_age {
            if let Err(why) = stack_spec::rules::apigatewayv2::cors_max_age(max_age.as_seconds()) {
                stack.report(format!("HTTP API `{api}`: CORS `max_age` {why}"));
            }
        }
        let list = |items: &[Value<String>]| {
            (!items.is_empty()).then(|| Value::list(items.iter().cloned()))
        };
        api::Cors {
            allow_origins: list(&self.allow_origins),
            allow_methods: list(&methods),
            allow_headers: list(&self.allow_headers),
            expose_headers: list(&self.expose_headers),
            allow_credentials: self.allow_credentials.then(|| true.into_value()),
            max_age: self.max_age.map(|age| age.as_i64().into_value()),
        }
    }
}
