//! CloudFront: [`Distribution`], HTTPS by default, reading private S3 buckets through
//! origin access control and forwarding API paths to REST APIs, with custom error
//! responses and managed or own response headers policies.

mod behavior;
mod distribution;
mod errors;
mod headers;
mod origin;
mod policies;
#[cfg(test)]
mod tests;

pub use behavior::Behavior;
pub use distribution::{Distribution, DistributionProps};
pub use errors::ErrorResponse;
pub use headers::{FrameOptions, ReferrerPolicy, SecurityHeaders};
pub use origin::Origin;
pub use policies::{
    AllowedMethods, CachePolicy, OriginRequestPolicy, PriceClass, ResponseHeadersPolicy,
    SecurityPolicyProtocol, ViewerProtocolPolicy,
};
