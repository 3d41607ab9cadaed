//! Routes of a [`WebSocketApi`](super::WebSocketApi) and the Lambda integrations that
//! serve them.

use super::route::Handler;
use crate::constructs::{Duration, FunctionRef};

/// A Lambda function serving routes of a [`WebSocketApi`](super::WebSocketApi), called
/// as a Lambda proxy (`AWS_PROXY`) with the connection ID and the message in its event:
/// `WebSocketLambdaIntegration { handler: chat }`. `handler` is required.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WebSocketLambdaIntegration {
    pub(super) handler: Option<Handler>,
    pub(super) timeout: Option<Duration>,
}

impl WebSocketLambdaIntegration {
    /// The function to call.
    #[must_use]
    pub fn handler(mut self, handler: &(impl FunctionRef + ?Sized)) -> Self {
        self.handler = Some(Handler::of(handler));
        self
    }

    /// How long API Gateway waits for the function: 1 to 29 seconds, 29 when unset.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// One of the routes API Gateway predefines (`$connect`, `$disconnect`, `$default`):
/// `WebSocketRouteOptions { integration: WebSocketLambdaIntegration { handler: chat } }`.
/// `integration` is required.
#[derive(Clone, Debug, Default)]
pub struct WebSocketRouteOptions {
    pub(super) integration: Option<WebSocketLambdaIntegration>,
}

impl WebSocketRouteOptions {
    /// What serves the route.
    #[must_use]
    pub fn integration(mut self, integration: WebSocketLambdaIntegration) -> Self {
        self.integration = Some(integration);
        self
    }
}

/// A custom route: the messages whose route selection expression (by default the
/// `action` field of a JSON message) equals `route_key`, sent to `integration`:
/// `WebSocketRoute { route_key: "sendMessage", integration: ... }`. Both are required.
#[derive(Clone, Debug, Default)]
pub struct WebSocketRoute {
    pub(super) route_key: String,
    pub(super) integration: Option<WebSocketLambdaIntegration>,
}

impl WebSocketRoute {
    /// The value of the route selection expression this route serves, e.g.
    /// `sendMessage`; not one of the predefined `$` routes, which have their own options.
    #[must_use]
    pub fn route_key(mut self, route_key: impl Into<String>) -> Self {
        self.route_key = route_key.into();
        self
    }

    /// What serves the route.
    #[must_use]
    pub fn integration(mut self, integration: WebSocketLambdaIntegration) -> Self {
        self.integration = Some(integration);
        self
    }
}
