//! [`CorsRule`]: which origins may use a bucket from a browser, and the checks S3 would
//! otherwise make at deploy time.

use super::super::HttpMethod;
use crate::aws::s3::bucket;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// One CORS rule of a bucket: which origins may use which methods from a browser.
/// `allowed_methods` and `allowed_origins` are required.
#[derive(Clone, Debug, Default)]
pub struct CorsRule {
    allowed_methods: Vec<HttpMethod>,
    allowed_origins: Vec<Value<String>>,
    allowed_headers: Vec<Value<String>>,
    exposed_headers: Vec<Value<String>>,
    max_age: Option<Value<i64>>,
    id: Option<Value<String>>,
}

impl CorsRule {
    /// Methods browsers may use: `GET`, `PUT`, `POST`, `DELETE` or `HEAD`.
    #[must_use]
    pub fn allowed_methods(mut self, methods: impl IntoIterator<Item = HttpMethod>) -> Self {
        self.allowed_methods = methods.into_iter().collect();
        self
    }

    /// Origins allowed to make requests, e.g. `["https://example.com"]`; `*` allows any.
    #[must_use]
    pub fn allowed_origins(
        mut self,
        origins: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allowed_origins = origins.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Request headers allowed in a preflight's `Access-Control-Request-Headers`.
    #[must_use]
    pub fn allowed_headers(
        mut self,
        headers: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allowed_headers = headers.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Response headers that browsers may read, e.g. `["ETag"]`.
    #[must_use]
    pub fn exposed_headers(
        mut self,
        headers: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.exposed_headers = headers.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// How long, in seconds, browsers may cache the preflight answer.
    #[must_use]
    pub fn max_age(mut self, seconds: impl IntoValue<i64>) -> Self {
        self.max_age = Some(seconds.into_value());
        self
    }

    /// An identifier for the rule.
    #[must_use]
    pub fn id(mut self, id: impl IntoValue<String>) -> Self {
        self.id = Some(id.into_value());
        self
    }
}

impl CorsRule {
    /// The rule as the generated property type; empty lists are left out.
    pub(super) fn to_l1(&self) -> bucket::CorsRule {
        let list = |values: Vec<Value<String>>| (!values.is_empty()).then(|| Value::list(values));
        bucket::CorsRule {
            allowed_headers: list(self.allowed_headers.clone()),
            allowed_methods: list(
                self.allowed_methods
                    .iter()
                    .map(|m| Value::lit(m.as_str()))
                    .collect(),
            ),
            allowed_origins: list(self.allowed_origins.clone()),
            exposed_headers: list(self.exposed_headers.clone()),
            id: self.id.clone(),
            max_age: self.max_age.clone(),
        }
    }
}

/// Reports a CORS rule S3 would reject.
pub(super) fn check_cors_rule(stack: &mut StackBuilder, id: &str, rule: &CorsRule) {
    if rule.allowed_methods.is_empty() {
        stack.report(format!(
            "bucket `{id}`: a CORS rule needs `allowed_methods`, e.g. `[HttpMethod::Get]`"
        ));
    }
    for method in &rule.allowed_methods {
        if matches!(
            method,
            HttpMethod::Any | HttpMethod::Patch | HttpMethod::Options
        ) {
            stack.report(format!(
                "bucket `{id}`: S3 CORS rules do not accept `{}`; use GET, PUT, POST, DELETE or HEAD",
                method.as_str()
            ));
        }
    }
    if rule.allowed_origins.is_empty() {
        stack.report(format!(
            "bucket `{id}`: a CORS rule needs `allowed_origins`, e.g. `[\"https://example.com\"]`"
        ));
    }
}
