//! SageMaker constructs.

use super::{opt, req, ConstructSpec, OptionType};

/// `ServerlessEndpoint`.
pub(super) static CONSTRUCTS: &[ConstructSpec] = &[ConstructSpec {
    name: "ServerlessEndpoint",
    cfn_type: "AWS::SageMaker::Endpoint",
    options: &[
        req("image", "ModelImage"),
        opt("model_data_url", "Value<String>"),
        opt("environment", "StringMap"),
        opt("memory_size", "Value<i64>"),
        opt("max_concurrency", "Value<i64>"),
        opt("provisioned_concurrency", "Value<i64>"),
        opt("endpoint_name", "Value<String>"),
    ],
    attrs: &["endpoint_name", "endpoint_arn", "model_name", "role_arn"],
    grants: &["invoke"],
    // Grants to the endpoint go to its execution role (e.g. reading more S3 data).
    principal: true,
    // The role, the model, the endpoint configuration and the endpoint.
    resources: 4,
    children: &[],
}];

/// The option types whose struct literals the macro checks field by field: none yet.
pub(super) static OPTION_TYPES: &[OptionType] = &[];

/// The resource types these constructs build with the generated structs.
pub(super) static RESOURCE_TYPES: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::SageMaker::Endpoint",
    "AWS::SageMaker::EndpointConfig",
    "AWS::SageMaker::Model",
];
