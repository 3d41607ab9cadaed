//! The higher-level constructs (L2) the macro knows: their options, attributes, grants,
//! and whether they can hold a policy. The constructs themselves live in
//! `stack_core::constructs`; the `tests` crate checks that both sides agree.
//!
//! One file per service; each exports `CONSTRUCTS`, and [`SERVICES`] lists the files.

mod apigateway;
mod certificatemanager;
mod cloudfront;
mod dynamodb;
mod ec2;
mod ecr;
mod ecs;
mod iam;
mod lambda;
mod route53;
mod s3;
mod sagemaker;
mod secretsmanager;

/// How the macro treats one construct option.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OptionKind {
    /// Any value; rustc checks its type against the setter.
    Plain,
    /// Lambda environment variables: a `{ NAME: value }` map of strings.
    Env,
    /// A secret's value, or a `{ key: value }` map of them: a plaintext literal is an
    /// error unless marked `SecretValue::unsafe_plain_text`.
    Secret,
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

pub(crate) const fn opt(name: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        required: false,
        kind: OptionKind::Plain,
    }
}

pub(crate) const fn req(name: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        required: true,
        kind: OptionKind::Plain,
    }
}

pub(crate) const ENV: OptionSpec = OptionSpec {
    name: "environment",
    required: false,
    kind: OptionKind::Env,
};

/// The catalog of every service, in one place.
static SERVICES: &[&[ConstructSpec]] = &[
    apigateway::CONSTRUCTS,
    certificatemanager::CONSTRUCTS,
    cloudfront::CONSTRUCTS,
    dynamodb::CONSTRUCTS,
    ec2::CONSTRUCTS,
    ecr::CONSTRUCTS,
    ecs::CONSTRUCTS,
    iam::CONSTRUCTS,
    lambda::CONSTRUCTS,
    route53::CONSTRUCTS,
    s3::CONSTRUCTS,
    sagemaker::CONSTRUCTS,
    secretsmanager::CONSTRUCTS,
];

/// The construct called `name`.
pub(crate) fn construct(name: &str) -> Option<&'static ConstructSpec> {
    all().find(|c| c.name == name)
}

/// The names of all constructs, for suggestions.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    all().map(|c| c.name)
}

fn all() -> impl Iterator<Item = &'static ConstructSpec> {
    SERVICES.iter().flat_map(|service| service.iter())
}
