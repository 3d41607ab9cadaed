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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod websocket_tests;
