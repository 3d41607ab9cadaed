//! API Gateway HTTP APIs: [`HttpApi`], whose routes ([`HttpRoute`]) send requests to
//! Lambda functions ([`HttpLambdaIntegration`]), with CORS answered by API Gateway
//! ([`CorsPreflightOptions`]); and WebSocket APIs: [`WebSocketApi`], whose predefined
//! ([`WebSocketRouteOptions`]) and custom ([`WebSocketRoute`]) routes send messages to
//! Lambda functions ([`WebSocketLambdaIntegration`]).

mod cors;
mod http_api;
mod route;
mod websocket_api;
mod websocket_route;

pub use cors::CorsPreflightOptions;
pub use http_api::{HttpApi, HttpApiProps};
pub use route::{HttpLambdaIntegration, HttpRoute};
pub use websocket_api::{WebSocketApi, WebSocketApiProps};
pub use websocket_route::{WebSocketLambdaIntegration, WebSocketRoute, WebSocketRouteOptions};

use crate::constructs::Duration;
use crate::stack::StackBuilder;
use crate::value::{IntoValue, Value};

/// The logical ID of an integration calling function `function` of API `api`:
/// `<Api><Function>Integration`, numbered from 2 when `same_function` integrations of the
/// API already call that function (with another timeout).
fn integration_id(api: &str, function: &str, same_function: usize) -> String {
    let base = format!("{api}{function}Integration");
    match same_function {
        0 => base,
        n => format!("{base}{}", n + 1),
    }
}

/// An integration's `TimeoutInMillis`: `timeout` checked by `rule`, whose refusal is
/// reported after `context` (which API and route).
fn timeout_in_millis(
    stack: &mut StackBuilder,
    timeout: Option<Duration>,
    rule: fn(u64) -> Result<(), String>,
    context: &str,
) -> Option<Value<i64>> {
    timeout.map(|timeout| {
        let seconds = timeout.as_seconds();
        if let Err(why) = rule(seconds) {
            stack.report(format!("{context}: `timeout` {why}"));
        }
        i64::try_from(seconds.saturating_mul(1000))
            .unwrap_or(i64::MAX)
            .into_value()
    })
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod websocket_tests;
