//! CloudFront: [`Distribution`], HTTPS by default, reading private S3 buckets through
//! origin access control and forwarding API paths to REST APIs.

mod behavior;
mod distribution;
mod origin;
mod policies;

pub use behavior::Behavior;
pub use distribution::{Distribution, DistributionProps};
pub use origin::Origin;
pub use policies::{
    AllowedMethods, CachePolicy, OriginRequestPolicy, PriceClass, ResponseHeadersPolicy,
    ViewerProtocolPolicy,
};
