//! API Gateway HTTP APIs: [`HttpApi`], whose routes ([`HttpRoute`]) send requests to
//! Lambda functions ([`HttpLambdaIntegration`]), with CORS answered by API Gateway
//! ([`CorsPreflightOptions`]).

mod cors;
mod http_api;
mod route;

pub use cors::CorsPreflightOptions;
pub use http_api::{HttpApi, HttpApiProps};
pub use route::{HttpLambdaIntegration, HttpRoute};

#[cfg(test)]
mod tests;
