//! Gateway endpoints: S3 and DynamoDB reached from a VPC without NAT.

/// A gateway endpoint: traffic to the service stays on the AWS network and needs no NAT.
/// Gateway endpoints cost nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GatewayEndpoint {
    /// Amazon S3 (`<Id>S3Endpoint`).
    S3,
    /// Amazon DynamoDB (`<Id>DynamoDbEndpoint`).
    DynamoDb,
}

impl GatewayEndpoint {
    /// The service's name in `com.amazonaws.<region>.<name>`.
    pub const fn service(self) -> &'static str {
        match self {
            GatewayEndpoint::S3 => "s3",
            GatewayEndpoint::DynamoDb => "dynamodb",
        }
    }

    pub(super) fn suffix(self) -> &'static str {
        match self {
            GatewayEndpoint::S3 => "S3Endpoint",
            GatewayEndpoint::DynamoDb => "DynamoDbEndpoint",
        }
    }
}
