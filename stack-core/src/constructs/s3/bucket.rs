//! [`Bucket`]: private, encrypted and TLS-only by default, with least-privilege grants.

use super::super::{literal_str, Construct};
use super::auto_delete::AUTO_DELETE_TAG;
use super::cors::{check_cors_rule, CorsRule};
use crate::aws;
use crate::aws::s3::bucket;
use crate::iam::{add_resource_policy_statement, deny_insecure_transport, Grant, Statement};
use crate::kind;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::tag::Tag;
use crate::value::{Arn, Id, IntoValue, Value};

/// An S3 bucket, secure by default: all public access blocked, SSE-S3 encryption, ACLs
/// disabled (bucket owner enforced) and a bucket policy `<Id>Policy` that denies requests
/// not made over TLS.
///
/// With `auto_delete_objects`, a custom resource `<Id>AutoDeleteObjects` empties the
/// bucket when the stack deletes it, through one handler per stack
/// (`StackAutoDeleteObjectsHandler`, its role `StackAutoDeleteObjectsRole` and log group
/// `StackAutoDeleteObjectsLogGroup`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    pub(super) id: String,
}

/// Options of a [`Bucket`]; all optional.
#[derive(Clone, Debug, Default)]
pub struct BucketProps {
    bucket_name: Option<Value<String>>,
    cors: Vec<CorsRule>,
    removal_policy: Option<RemovalPolicy>,
    auto_delete_objects: bool,
    versioned: bool,
}

impl BucketProps {
    /// The bucket's globally unique name; CloudFormation generates one when unset.
    #[must_use]
    pub fn bucket_name(mut self, name: impl IntoValue<String>) -> Self {
        self.bucket_name = Some(name.into_value());
        self
    }

    /// CORS rules for browser access.
    #[must_use]
    pub fn cors(mut self, rules: impl IntoIterator<Item = CorsRule>) -> Self {
        self.cors = rules.into_iter().collect();
        self
    }

    /// What happens to the bucket when the stack deletes or replaces it; `Retain` when
    /// unset, so data outlives the stack unless you opt out.
    #[must_use]
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = Some(policy);
        self
    }

    /// Whether to delete every object (and version) when the stack deletes the bucket, so
    /// the deletion succeeds; needs `removal_policy: RemovalPolicy::Destroy`.
    #[must_use]
    pub fn auto_delete_objects(mut self, enabled: bool) -> Self {
        self.auto_delete_objects = enabled;
        self
    }

    /// Whether to keep every version of every object.
    #[must_use]
    pub fn versioned(mut self, enabled: bool) -> Self {
        self.versioned = enabled;
        self
    }
}

impl Bucket {
    /// The bucket's ARN.
    pub fn arn(&self) -> Value<Arn<kind::s3::Bucket>> {
        Value::get_att(&self.id, "Arn")
    }

    /// The bucket's name (`Ref`).
    pub fn name(&self) -> Value<Id<kind::s3::Bucket>> {
        Value::reference(&self.id)
    }

    /// The bucket's global domain name, `<name>.s3.amazonaws.com`.
    pub fn domain_name(&self) -> Value<String> {
        Value::get_att(&self.id, "DomainName")
    }

    /// The bucket's regional domain name, `<name>.s3.<region>.amazonaws.com`.
    pub fn regional_domain_name(&self) -> Value<String> {
        Value::get_att(&self.id, "RegionalDomainName")
    }

    /// `read`: list the bucket (`s3:ListBucket`) and read objects (`s3:GetObject`).
    pub fn grant_read(&self) -> Grant {
        Grant::new([
            self.on_bucket(&["s3:ListBucket"]),
            self.on_objects(&["s3:GetObject"]),
        ])
    }

    /// `write`: create, overwrite and delete objects (`s3:PutObject`, `s3:DeleteObject`,
    /// `s3:AbortMultipartUpload`).
    pub fn grant_write(&self) -> Grant {
        Grant::new([self.on_objects(&[
            "s3:PutObject",
            "s3:DeleteObject",
            "s3:AbortMultipartUpload",
        ])])
    }

    /// `read_write`: `read` and `write` together.
    pub fn grant_read_write(&self) -> Grant {
        Grant::new([
            self.on_bucket(&["s3:ListBucket"]),
            self.on_objects(&[
                "s3:GetObject",
                "s3:PutObject",
                "s3:DeleteObject",
                "s3:AbortMultipartUpload",
            ]),
        ])
    }

    /// `put`: create and overwrite objects, without reading or deleting them
    /// (`s3:PutObject`, `s3:AbortMultipartUpload`).
    pub fn grant_put(&self) -> Grant {
        Grant::new([self.on_objects(&["s3:PutObject", "s3:AbortMultipartUpload"])])
    }

    /// `delete`: delete objects (`s3:DeleteObject`).
    pub fn grant_delete(&self) -> Grant {
        Grant::new([self.on_objects(&["s3:DeleteObject"])])
    }

    /// `${Bucket.Arn}/*`: every object.
    pub(super) fn objects_arn(&self) -> Value<String> {
        Value::concat([self.arn().into_value(), Value::lit("/*")])
    }

    pub(super) fn on_bucket(&self, actions: &[&str]) -> Statement {
        Statement::allow(actions.iter().copied(), [self.arn()])
    }

    pub(super) fn on_objects(&self, actions: &[&str]) -> Statement {
        Statement::allow(actions.iter().copied(), [self.objects_arn()])
    }
}

impl Construct for Bucket {
    type Props = BucketProps;

    fn declare(logical_id: &str) -> Self {
        Self {
            id: logical_id.to_owned(),
        }
    }

    fn logical_id(&self) -> &str {
        &self.id
    }

    fn build(&self, props: BucketProps, stack: &mut StackBuilder) {
        let id = self.id.as_str();
        if let Some(name) = props.bucket_name.as_ref().and_then(literal_str) {
            if let Err(why) = stack_spec::rules::s3::bucket_name(name) {
                stack.report(format!("bucket `{id}`: `bucket_name` {why}"));
            }
        }
        for rule in &props.cors {
            check_cors_rule(stack, id, rule);
        }
        let removal_policy = props.removal_policy.unwrap_or(RemovalPolicy::Retain);
        let auto_delete = props.auto_delete_objects;
        if auto_delete && removal_policy != RemovalPolicy::Destroy {
            stack.report(format!(
                "bucket `{id}`: `auto_delete_objects: true` needs `removal_policy: RemovalPolicy::Destroy`; a kept bucket must keep its objects"
            ));
        }

        let enabled = || Some(true.into_value());
        let resource = aws::s3::Bucket {
            bucket_name: props.bucket_name,
            bucket_encryption: Some(bucket::BucketEncryption {
                server_side_encryption_configuration: Some(vec![
                    bucket::ServerSideEncryptionRule {
                        server_side_encryption_by_default: Some(
                            bucket::ServerSideEncryptionByDefault {
                                sse_algorithm: Some(Value::lit("AES256")),
                                ..Default::default()
                            },
                        ),
                        ..Default::default()
                    },
                ]),
            }),
            public_access_block_configuration: Some(bucket::PublicAccessBlockConfiguration {
                block_public_acls: enabled(),
                block_public_policy: enabled(),
                ignore_public_acls: enabled(),
                restrict_public_buckets: enabled(),
            }),
            ownership_controls: Some(bucket::OwnershipControls {
                rules: Some(vec![bucket::OwnershipControlsRule {
                    object_ownership: Some(Value::lit("BucketOwnerEnforced")),
                }]),
            }),
            versioning_configuration: props.versioned.then(|| bucket::VersioningConfiguration {
                status: Some(Value::lit("Enabled")),
            }),
            cors_configuration: (!props.cors.is_empty()).then(|| bucket::CorsConfiguration {
                cors_rules: Some(props.cors.iter().map(CorsRule::to_l1).collect()),
            }),
            tags: auto_delete.then(|| vec![Tag::new(AUTO_DELETE_TAG, Value::lit("true"))]),
            ..Default::default()
        };
        stack.add_resource(id, &resource).removal_policy = Some(removal_policy);

        // A construct built before the bucket (a distribution's origin access) may have
        // started the policy already; the TLS rule still comes first.
        let deny_insecure =
            deny_insecure_transport(&["s3:*"], [self.arn().into_value(), self.objects_arn()]);
        self.add_policy_statement(stack, deny_insecure, true);

        if auto_delete && removal_policy == RemovalPolicy::Destroy {
            self.add_auto_delete(stack);
        }
    }
}

impl Bucket {
    /// Adds a resource-policy statement (one with a principal) to the bucket's policy
    /// `<Id>Policy`, whether the bucket is built before or after the caller: what a
    /// CloudFront distribution uses to let its origin access control read objects.
    pub fn add_to_resource_policy(&self, stack: &mut StackBuilder, statement: Statement) {
        self.add_policy_statement(stack, statement, false);
    }

    fn add_policy_statement(&self, stack: &mut StackBuilder, statement: Statement, first: bool) {
        let policy_id = format!("{}Policy", self.id);
        add_resource_policy_statement(stack, &policy_id, statement, first, |stack, document| {
            let policy = aws::s3::BucketPolicy {
                bucket: Some(Value::reference(&self.id)),
                policy_document: Some(document),
            };
            stack.add_resource(&policy_id, &policy);
        });
    }
}
