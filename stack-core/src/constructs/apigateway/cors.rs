//! CORS preflight: the options, and the `OPTIONS` method they resolve to on every resource.

use std::collections::BTreeMap;

use super::integration::MethodIntegration;
use super::route::Authorization;
use super::tree::ApiDefinition;
use crate::aws::apigateway::method;
use crate::constructs::{literal_str, Duration};
use crate::expr::Expr;
use crate::kind;
use crate::stack::StackBuilder;
use crate::value::{Id, IntoValue, Value};

/// CORS presets for [`CorsOptions`].
#[derive(Clone, Copy, Debug)]
pub struct Cors;

impl Cors {
    /// Every HTTP method: `allow_methods: Cors::ALL_METHODS`.
    pub const ALL_METHODS: [&'static str; 7] = stack_spec::rules::apigateway::CORS_METHODS;

    /// Any origin: `allow_origins: Cors::ALL_ORIGINS`.
    pub const ALL_ORIGINS: [&'static str; 1] = ["*"];

    /// The headers allowed when `allow_headers` is unset: what AWS SDKs and signed
    /// requests send.
    pub const DEFAULT_HEADERS: [&'static str; 6] = [
        "Content-Type",
        "X-Amz-Date",
        "Authorization",
        "X-Api-Key",
        "X-Amz-Security-Token",
        "X-Amz-User-Agent",
    ];
}

/// CORS preflight options: every resource gets an `OPTIONS` method answering browsers'
/// preflight requests. `allow_origins` is required.
///
/// A proxy integration answers the actual requests itself, so the function must also
/// return `Access-Control-Allow-Origin`.
#[derive(Clone, Debug, Default)]
pub struct CorsOptions {
    allow_origins: Vec<Value<String>>,
    allow_methods: Option<Vec<Value<String>>>,
    allow_headers: Option<Vec<Value<String>>>,
    expose_headers: Vec<Value<String>>,
    allow_credentials: bool,
    max_age: Option<Duration>,
    status_code: Option<u16>,
    exclude_root: bool,
}

impl CorsOptions {
    /// Origins allowed to call the API, e.g. `["https://example.com"]` or `Cors::ALL_ORIGINS`.
    #[must_use]
    pub fn allow_origins(
        mut self,
        origins: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allow_origins = origins.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Allowed methods; `Cors::ALL_METHODS` when unset. `"ANY"` stands for all of them.
    #[must_use]
    pub fn allow_methods(
        mut self,
        methods: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allow_methods = Some(methods.into_iter().map(IntoValue::into_value).collect());
        self
    }

    /// Allowed request headers; `Cors::DEFAULT_HEADERS` when unset.
    #[must_use]
    pub fn allow_headers(
        mut self,
        headers: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allow_headers = Some(headers.into_iter().map(IntoValue::into_value).collect());
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

    /// Whether browsers may send credentials (`Access-Control-Allow-Credentials`);
    /// not allowed together with the `*` origin.
    #[must_use]
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.allow_credentials = allow;
        self
    }

    /// How long browsers may cache the preflight answer (`Access-Control-Max-Age`).
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// The preflight response's status code; 204 when unset.
    #[must_use]
    pub fn status_code(mut self, status: u16) -> Self {
        self.status_code = Some(status);
        self
    }

    /// Whether the root resource `/` goes without an `OPTIONS` method (every other
    /// resource keeps its preflight): for an API whose root browsers never call, or
    /// whose root route answers `OPTIONS` itself. `false` when unset.
    #[must_use]
    pub fn exclude_root(mut self, exclude: bool) -> Self {
        self.exclude_root = exclude;
        self
    }
}

/// A resolved CORS configuration: the `OPTIONS` method every resource gets, and the
/// origin non-proxy responses announce.
pub(super) struct Preflight {
    /// The preflight's status code, e.g. `204`.
    status: String,
    /// The headers it answers with: `method.response.header.<Name>` and the value, quoted
    /// as API Gateway wants it.
    headers: Vec<(String, Value<String>)>,
    /// The template echoing an allowed origin, when there are several.
    echo_template: Option<Value<String>>,
    /// The headers non-proxy responses carry: `Access-Control-Allow-Origin` (the first
    /// origin) and, with credentials, `Access-Control-Allow-Credentials`, each with its
    /// quoted value.
    pub(super) response_headers: Vec<(&'static str, Value<String>)>,
    /// Whether the root resource goes without a preflight method.
    pub(super) exclude_root: bool,
}

impl Preflight {
    pub(super) fn new(stack: &mut StackBuilder, api: &str, cors: CorsOptions) -> Self {
        let status = cors.status_code.unwrap_or(204);
        if !(200..300).contains(&status) {
            stack.report(format!(
                "REST API `{api}`: CORS `status_code` {status} is not a 2xx success; browsers reject the preflight"
            ));
        }
        if cors.allow_origins.is_empty() {
            stack.report(format!(
                "REST API `{api}`: `default_cors_preflight` needs `allow_origins`, e.g. `Cors::ALL_ORIGINS`"
            ));
        }
        let any_origin = cors
            .allow_origins
            .iter()
            .any(|o| literal_str(o) == Some("*"));
        if any_origin && cors.allow_origins.len() > 1 {
            stack.report(format!(
                "REST API `{api}`: CORS origin `*` cannot be combined with other origins"
            ));
        }
        if any_origin && cors.allow_credentials {
            stack.report(format!(
                "REST API `{api}`: browsers refuse credentials with origin `*`; list the origins or drop `allow_credentials`"
            ));
        }
        let methods = expand_methods(stack, api, cors.allow_methods);
        let headers = cors
            .allow_headers
            .unwrap_or_else(|| Cors::DEFAULT_HEADERS.map(Value::lit).to_vec());

        let mut headers_out: Vec<(&str, Value<String>)> = Vec::new();
        if let Some(first) = cors.allow_origins.first() {
            headers_out.push(("Access-Control-Allow-Origin", first.clone()));
        }
        if !any_origin {
            headers_out.push(("Vary", Value::lit("Origin")));
        }
        headers_out.push(("Access-Control-Allow-Headers", join(headers)));
        headers_out.push(("Access-Control-Allow-Methods", join(methods)));
        if cors.allow_credentials {
            headers_out.push(("Access-Control-Allow-Credentials", Value::lit("true")));
        }
        if let Some(max_age) = cors.max_age {
            headers_out.push((
                "Access-Control-Max-Age",
                Value::lit(max_age.as_seconds().to_string()),
            ));
        }
        if !cors.expose_headers.is_empty() {
            headers_out.push(("Access-Control-Expose-Headers", join(cors.expose_headers)));
        }

        let headers = headers_out
            .into_iter()
            .map(|(name, value)| (format!("method.response.header.{name}"), quote(value)))
            .collect();
        let mut response_headers = Vec::new();
        if let Some(first) = cors.allow_origins.first() {
            response_headers.push(("Access-Control-Allow-Origin", quote(first.clone())));
        }
        if cors.allow_credentials {
            response_headers.push((
                "Access-Control-Allow-Credentials",
                quote(Value::lit("true")),
            ));
        }
        let echo_template = (cors.allow_origins.len() > 1 && !any_origin)
            .then(|| echo_allowed_origin(&cors.allow_origins[1..]));
        Self {
            status: status.to_string(),
            headers,
            echo_template,
            response_headers,
            exclude_root: cors.exclude_root,
        }
    }

    /// Adds the `OPTIONS` method `<Api><prefix>Options` to `resource`.
    pub(super) fn add_to(
        &self,
        definition: &mut ApiDefinition,
        prefix: &str,
        resource: Value<Id<kind::apigateway::Resource>>,
    ) {
        definition.add_method(
            &format!("{prefix}Options"),
            resource,
            "OPTIONS",
            Authorization::None,
            self.mock_integration(),
        );
    }

    /// A `MOCK` integration answering with the status and the headers.
    fn mock_integration(&self) -> MethodIntegration {
        let status = Value::lit(&self.status);
        let for_json =
            |value: Value<String>| BTreeMap::from([("application/json".to_owned(), value)]);
        let request_template = Value::lit("{\"statusCode\": 200}");
        let declared = Expr::Map(
            self.headers
                .iter()
                .map(|(name, _)| (name.clone(), Expr::Bool(true)))
                .collect(),
        );

        MethodIntegration {
            integration: method::Integration {
                r#type: Some(Value::lit("MOCK")),
                request_templates: Some(for_json(request_template)),
                integration_responses: Some(vec![method::IntegrationResponse {
                    status_code: Some(status.clone()),
                    response_parameters: Some(self.headers.iter().cloned().collect()),
                    response_templates: self.echo_template.clone().map(for_json),
                    ..Default::default()
                }]),
                ..Default::default()
            },
            method_responses: Some(vec![method::MethodResponse {
                status_code: Some(status),
                response_parameters: Some(Value::from_expr(declared)),
                ..Default::default()
            }]),
        }
    }
}

/// The allowed methods, `ANY` (or none given) standing for all of them.
fn expand_methods(
    stack: &mut StackBuilder,
    api: &str,
    methods: Option<Vec<Value<String>>>,
) -> Vec<Value<String>> {
    let all = || Cors::ALL_METHODS.map(Value::lit).to_vec();
    let Some(methods) = methods else {
        return all();
    };
    if methods.iter().any(|m| literal_str(m) == Some("ANY")) {
        if methods.len() > 1 {
            stack.report(format!(
                "REST API `{api}`: CORS method `ANY` already allows every method; list it alone"
            ));
        }
        return all();
    }
    for method in methods.iter().filter_map(literal_str) {
        if let Err(why) = stack_spec::rules::apigateway::cors_method(method) {
            stack.report(format!("REST API `{api}`: CORS method {why}"));
        }
    }
    methods
}

/// A header value as API Gateway maps a constant: in single quotes.
fn quote(value: Value<String>) -> Value<String> {
    Value::concat([Value::lit("'"), value, Value::lit("'")])
}

/// Joins values with `,`.
fn join(values: Vec<Value<String>>) -> Value<String> {
    let mut parts = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            parts.push(Value::lit(","));
        }
        parts.push(value);
    }
    Value::concat(parts)
}

/// A mapping template that overrides `Access-Control-Allow-Origin` with the request's
/// origin when it is one of `others` (the first allowed origin is the static default).
fn echo_allowed_origin(others: &[Value<String>]) -> Value<String> {
    let mut parts = vec![Value::lit(
        "#set($origin = $input.params().header.get(\"Origin\"))\n\
         #if($origin == \"\")\n\
         #set($origin = $input.params().header.get(\"origin\"))\n\
         #end\n\
         #if(",
    )];
    for (i, origin) in others.iter().enumerate() {
        if i > 0 {
            parts.push(Value::lit(" || "));
        }
        parts.push(Value::lit("$origin == \""));
        parts.push(origin.clone());
        parts.push(Value::lit("\""));
    }
    parts.push(Value::lit(
        ")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n",
    ));
    Value::concat(parts)
}
