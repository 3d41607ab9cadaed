//! Calls that get no answer: each retry is announced as it starts (attempt n of m, time so
//! far), and a call that fails without an answer says what was tried and for how long.
//!
//! The SDK retries transport failures and throttling on its own, silently; this
//! interceptor only watches and rewords, the retry policy stays the SDK's standard one.

use std::fmt;
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextMut, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{Metadata, OrchestratorError};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

use crate::shell::Notifier;

/// How long one call may take.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Tries, the first one included.
    pub(crate) attempts: u32,
    /// One try.
    pub(crate) attempt: Duration,
    /// All tries and the waits between them; `None` for calls bounded by their tries only.
    pub(crate) call: Option<Duration>,
}

/// The interceptor: announces retries through `notifier`, and rewords transport failures
/// and timeouts with the tries made.
#[derive(Clone, Debug)]
pub(crate) struct Watch {
    pub(crate) notifier: Notifier,
    pub(crate) limits: Limits,
}

/// When the call started.
#[derive(Clone, Debug)]
struct Started(Instant);

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

/// Where the call goes: the request's scheme and authority, once the endpoint is resolved.
#[derive(Clone, Debug)]
struct Endpoint(String);

impl Storable for Endpoint {
    type Storer = StoreReplace<Self>;
}

/// Why the last try failed.
#[derive(Clone, Debug)]
struct LastFailure(String);

impl Storable for LastFailure {
    type Storer = StoreReplace<Self>;
}

impl Intercept for Watch {
    fn name(&self) -> &'static str {
        "Watch"
    }

    fn read_before_execution(
        &self,
        _: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(Started(Instant::now()));
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let endpoint = endpoint(context.request().uri());
        cfg.interceptor_state().store_put(Endpoint(endpoint));
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let attempt = cfg
            .load::<RequestAttempts>()
            .map_or(1, RequestAttempts::attempts);
        if attempt > 1 {
            let why = cfg
                .load::<LastFailure>()
                .map_or_else(|| "it failed".to_owned(), |f| f.0.clone());
            self.notifier.note(format_args!(
                "{} at {} failed ({why}); retrying, attempt {attempt} of {}, {} so far",
                operation(cfg),
                endpoint_of(cfg),
                self.limits.attempts,
                seconds(elapsed(cfg)),
            ));
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(Err(error)) = context.output_or_error() {
            let why = if error.is_operation_error() {
                let body = context
                    .response()
                    .and_then(|r| r.body().bytes())
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                service_error(&body).unwrap_or_else(|| {
                    let status = context.response().map(|r| r.status().as_u16());
                    status.map_or_else(|| "an error".to_owned(), |s| format!("HTTP {s}"))
                })
            } else {
                self.cause(error)
            };
            cfg.interceptor_state().store_put(LastFailure(why));
        }
        Ok(())
    }

    fn modify_before_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(Err(error)) = context.output_or_error_mut() else {
            return Ok(());
        };
        if !error.is_timeout_error() && !error.is_connector_error() {
            return Ok(());
        }
        let elapsed = elapsed(cfg);
        let cause = match self.limits.call {
            // The last try was cut short by the limit of the whole call.
            Some(call) if error.is_timeout_error() && elapsed >= call => format!(
                "the last try was stopped at the call's limit of {}",
                seconds(call)
            ),
            _ => self.cause(error),
        };
        let unanswered = Unanswered {
            timed_out: error.is_timeout_error(),
            operation: operation(cfg),
            endpoint: endpoint_of(cfg),
            cause,
            attempts: cfg
                .load::<RequestAttempts>()
                .map_or(1, RequestAttempts::attempts),
            elapsed,
            limits: self.limits,
        };
        *error = if error.is_timeout_error() {
            OrchestratorError::timeout(Box::new(unanswered))
        } else {
            OrchestratorError::connector(ConnectorError::other(Box::new(unanswered), None))
        };
        Ok(())
    }
}

impl Watch {
    /// A transport failure in a few words: the innermost cause (`Connection refused (os
    /// error 111)`), or how long a try waited for an answer.
    fn cause<E>(&self, error: &OrchestratorError<E>) -> String
    where
        E: fmt::Debug + std::error::Error + 'static,
    {
        if error.is_timeout_error() {
            return format!("no answer within {}", seconds(self.limits.attempt));
        }
        let mut cause: &dyn std::error::Error = error;
        while let Some(source) = cause.source() {
            cause = source;
        }
        cause.to_string()
    }
}

/// A call that failed without an answer from the service, after all its tries.
#[derive(Debug)]
pub(crate) struct Unanswered {
    /// Whether the tries timed out, rather than failed to connect.
    timed_out: bool,
    operation: String,
    endpoint: String,
    cause: String,
    attempts: u32,
    elapsed: Duration,
    limits: Limits,
}

impl fmt::Display for Unanswered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tries = if self.attempts == 1 {
            "1 try".to_owned()
        } else {
            format!("{} tries", self.attempts)
        };
        let (what, to) = if self.timed_out {
            ("no answer from", "to")
        } else {
            ("cannot reach", "for")
        };
        write!(
            f,
            "{what} {} {to} {} ({}): {tries} in {}",
            self.endpoint,
            self.operation,
            self.cause,
            seconds(self.elapsed)
        )?;
        let call = self
            .limits
            .call
            .map(|c| format!(", and at most {} for the call", seconds(c)))
            .unwrap_or_default();
        write!(
            f,
            " (at most {} tries of {} each{call}); check the endpoint and the network, then \
             run the command again",
            self.limits.attempts,
            seconds(self.limits.attempt)
        )
    }
}

impl std::error::Error for Unanswered {}

/// `Throttling: Rate exceeded`, from an awsQuery or JSON error body.
fn service_error(body: &str) -> Option<String> {
    let code = element(body, "Code")?;
    Some(match element(body, "Message") {
        Some(message) => format!("{code}: {message}"),
        None => code.to_owned(),
    })
}

/// The text of the first `<name>` element.
fn element<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    let start = body.find(&format!("<{name}>"))? + name.len() + 2;
    let end = body[start..].find(&format!("</{name}>"))? + start;
    Some(body[start..end].trim()).filter(|text| !text.is_empty())
}

fn operation(cfg: &ConfigBag) -> String {
    cfg.load::<Metadata>().map_or_else(
        || "the call".to_owned(),
        |m| format!("{} {}", m.service(), m.name()),
    )
}

fn endpoint_of(cfg: &ConfigBag) -> String {
    cfg.load::<Endpoint>()
        .map_or_else(|| "the endpoint".to_owned(), |e| e.0.clone())
}

fn elapsed(cfg: &ConfigBag) -> Duration {
    cfg.load::<Started>()
        .map_or(Duration::ZERO, |started| started.0.elapsed())
}

/// `https://host:port` of a request URI.
fn endpoint(uri: &str) -> String {
    let rest = uri.find("://").map_or(0, |at| at + 3);
    let end = uri[rest..].find('/').map_or(uri.len(), |at| rest + at);
    uri[..end].to_owned()
}

fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::{endpoint, service_error};

    #[test]
    fn service_errors_read_as_code_and_message() {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>\
                    <Message>Rate exceeded</Message></Error></ErrorResponse>";
        assert_eq!(
            service_error(body).as_deref(),
            Some("Throttling: Rate exceeded")
        );
        assert_eq!(service_error("<html>500</html>"), None);
    }

    #[test]
    fn endpoint_is_scheme_and_authority() {
        assert_eq!(
            endpoint("https://cloudformation.us-east-1.amazonaws.com/?x=1"),
            "https://cloudformation.us-east-1.amazonaws.com"
        );
        assert_eq!(endpoint("http://127.0.0.1:9"), "http://127.0.0.1:9");
    }
}
