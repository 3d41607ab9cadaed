//! What CloudFormation and the services accept for construct option values.
//!
//! Each rule is a plain function over the value, used by the constructs at synth time
//! and, through [`Check`], by `stack!` on literals at compile time, so a value is judged
//! the same way at both stages. A rule's error reads after the option's name:
//! "`memory_size` is 20000 MB; Lambda accepts 128 to 10240 MB".

pub mod apigateway;
pub mod dynamodb;
pub mod ec2;
pub mod ecr;
pub mod iam;
pub mod lambda;
pub mod logs;
pub mod route53;
pub mod s3;

/// A literal option value, as written in a `stack!` block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal<'a> {
    /// A string literal.
    Str(&'a str),
    /// An integer literal.
    Int(i64),
    /// A span of time: `Duration::minutes(20)` is 1,200 seconds.
    Seconds(u64),
}

/// A rule that a construct option's value must satisfy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// [`s3::bucket_name`].
    S3BucketName,
    /// [`lambda::function_name`].
    LambdaFunctionName,
    /// [`lambda::memory_size`].
    LambdaMemorySize,
    /// [`lambda::timeout`].
    LambdaTimeout,
    /// [`logs::retention`].
    LogRetention,
    /// [`apigateway::method`].
    RestMethod,
    /// [`apigateway::cors_method`].
    CorsMethod,
    /// [`apigateway::stage_name`].
    RestStageName,
    /// [`ec2::vpc_cidr`].
    VpcCidr,
    /// [`ec2::port`].
    Port,
    /// [`dynamodb::table_name`].
    TableName,
    /// [`iam::role_name`].
    RoleName,
    /// [`ecr::repository_name`].
    RepositoryName,
    /// [`route53::domain_name`].
    DomainName,
    /// [`route53::domain_name_or_wildcard`].
    DomainNameOrWildcard,
}

impl Check {
    /// Judges a literal. A literal of another kind than the rule reads (a string where
    /// a number belongs) passes: the compiler reports the type mismatch itself.
    pub fn check(self, literal: Literal<'_>) -> Result<(), String> {
        match (self, literal) {
            (Check::S3BucketName, Literal::Str(s)) => s3::bucket_name(s),
            (Check::LambdaFunctionName, Literal::Str(s)) => lambda::function_name(s),
            (Check::LambdaMemorySize, Literal::Int(mb)) => lambda::memory_size(mb),
            (Check::LambdaTimeout, Literal::Seconds(s)) => lambda::timeout(s),
            (Check::LogRetention, Literal::Seconds(s)) => logs::retention(s),
            (Check::RestMethod, Literal::Str(s)) => apigateway::method(s).map(drop),
            (Check::CorsMethod, Literal::Str(s)) => apigateway::cors_method(s),
            (Check::RestStageName, Literal::Str(s)) => apigateway::stage_name(s),
            (Check::VpcCidr, Literal::Str(s)) => ec2::vpc_cidr(s).map(drop),
            (Check::Port, Literal::Int(p)) => ec2::port(p),
            (Check::TableName, Literal::Str(s)) => dynamodb::table_name(s),
            (Check::RoleName, Literal::Str(s)) => iam::role_name(s),
            (Check::RepositoryName, Literal::Str(s)) => ecr::repository_name(s),
            (Check::DomainName, Literal::Str(s)) => route53::domain_name(s),
            (Check::DomainNameOrWildcard, Literal::Str(s)) => route53::domain_name_or_wildcard(s),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    // The dispatch from a literal to its rule.
    use super::*;

    #[test]
    fn literals_reach_their_rule() {
        assert!(Check::LambdaMemorySize.check(Literal::Int(20_000)).is_err());
        assert!(Check::LambdaMemorySize.check(Literal::Int(512)).is_ok());
        assert!(Check::LambdaTimeout.check(Literal::Seconds(1200)).is_err());
        assert!(Check::S3BucketName
            .check(Literal::Str("My_Bucket"))
            .is_err());
        assert!(Check::RestMethod.check(Literal::Str("GETT")).is_err());
    }

    #[test]
    fn a_literal_of_another_kind_is_left_to_the_compiler() {
        assert!(Check::LambdaMemorySize.check(Literal::Str("big")).is_ok());
        assert!(Check::S3BucketName.check(Literal::Int(3)).is_ok());
    }
}
