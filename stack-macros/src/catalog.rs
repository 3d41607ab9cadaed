//! The higher-level constructs (L2) the macro knows: their options, attributes, grants,
//! and whether they can hold a policy. The constructs themselves live in
//! `stack_core::constructs`; the `tests` crate checks that both sides agree.

/// How the macro treats one construct option.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OptionKind {
    /// Any value; rustc checks its type against the setter.
    Plain,
    /// Lambda environment variables: a `{ NAME: value }` map of strings.
    Env,
}

/// One construct option.
pub(crate) struct OptionSpec {
    pub(crate) name: &'static str,
    pub(crate) required: bool,
    pub(crate) kind: OptionKind,
}

/// One construct.
pub(crate) struct ConstructSpec {
    /// The type name users write.
    pub(crate) name: &'static str,
    /// The CloudFormation type of its primary resource.
    pub(crate) cfn_type: &'static str,
    pub(crate) options: &'static [OptionSpec],
    /// Attribute methods (`bucket.arn`).
    pub(crate) attrs: &'static [&'static str],
    /// Grant bundles it hands out (`grant func read bucket`).
    pub(crate) grants: &'static [&'static str],
    /// Whether it has a role that grants attach to.
    pub(crate) principal: bool,
    /// How many resources it adds at least (for the per-stack limit).
    pub(crate) resources: usize,
}

const fn opt(name: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        required: false,
        kind: OptionKind::Plain,
    }
}

const fn req(name: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        required: true,
        kind: OptionKind::Plain,
    }
}

const ENV: OptionSpec = OptionSpec {
    name: "environment",
    required: false,
    kind: OptionKind::Env,
};

const FUNCTION_ATTRS: &[&str] = &["arn", "name", "role_arn", "log_group_name"];

/// Every construct the macro knows.
pub(crate) static CONSTRUCTS: &[ConstructSpec] = &[
    ConstructSpec {
        name: "Function",
        cfn_type: "AWS::Lambda::Function",
        options: &[
            req("code"),
            req("runtime"),
            req("handler"),
            opt("function_name"),
            opt("timeout"),
            opt("memory_size"),
            ENV,
            opt("architecture"),
            opt("description"),
            opt("initial_policy"),
            opt("log_retention"),
        ],
        attrs: FUNCTION_ATTRS,
        grants: &["invoke"],
        principal: true,
        resources: 3,
    },
    ConstructSpec {
        name: "DockerImageFunction",
        cfn_type: "AWS::Lambda::Function",
        options: &[
            req("code"),
            opt("function_name"),
            opt("timeout"),
            opt("memory_size"),
            ENV,
            opt("architecture"),
            opt("description"),
            opt("initial_policy"),
            opt("log_retention"),
        ],
        attrs: FUNCTION_ATTRS,
        grants: &["invoke"],
        principal: true,
        resources: 3,
    },
    ConstructSpec {
        name: "LambdaRestApi",
        cfn_type: "AWS::ApiGateway::RestApi",
        options: &[
            req("handler"),
            opt("proxy"),
            opt("rest_api_name"),
            opt("description"),
            opt("binary_media_types"),
            opt("default_cors_preflight"),
            opt("stage_name"),
            opt("endpoint_type"),
        ],
        attrs: &[
            "url",
            "rest_api_id",
            "root_resource_id",
            "deployment_stage_name",
        ],
        grants: &[],
        principal: false,
        resources: 5,
    },
    ConstructSpec {
        name: "Bucket",
        cfn_type: "AWS::S3::Bucket",
        options: &[
            opt("bucket_name"),
            opt("cors"),
            opt("removal_policy"),
            opt("auto_delete_objects"),
            opt("versioned"),
        ],
        attrs: &["arn", "name", "domain_name", "regional_domain_name"],
        grants: &["read", "write", "read_write", "put", "delete"],
        principal: false,
        resources: 2,
    },
];

/// The construct called `name`.
pub(crate) fn construct(name: &str) -> Option<&'static ConstructSpec> {
    CONSTRUCTS.iter().find(|c| c.name == name)
}

/// The names of all constructs, for suggestions.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    CONSTRUCTS.iter().map(|c| c.name)
}
