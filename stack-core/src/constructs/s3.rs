//! S3 buckets: [`Bucket`], private and encrypted by default, with least-privilege grants
//! and optional emptying on deletion.

use super::lambda::{log_group, DEFAULT_LOG_RETENTION_DAYS};
use super::{
    lambda_execution_role, lit, literal_str, obj, Construct, HttpMethod, RoleRef, Runtime,
};
use crate::aws;
use crate::aws::lambda::function;
use crate::aws::s3::bucket;
use crate::expr::Expr;
use crate::iam::{Grant, PolicyDocument, Statement};
use crate::kind;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::tag::Tag;
use crate::template::ResourceDecl;
use crate::value::{Arn, Id, IntoValue, Value};

/// The tag that marks a bucket whose objects the stack may delete; the handler checks it
/// before emptying, so turning `auto_delete_objects` off never empties a bucket.
const AUTO_DELETE_TAG: &str = "stack:auto-delete-objects";

/// The logical IDs of the stack-wide auto-delete handler, shared by every bucket.
const AUTO_DELETE_HANDLER: &str = "StackAutoDeleteObjectsHandler";
const AUTO_DELETE_ROLE: &str = "StackAutoDeleteObjectsRole";
const AUTO_DELETE_LOG_GROUP: &str = "StackAutoDeleteObjectsLogGroup";

/// The auto-delete handler: on `Delete` (and on a bucket rename) it empties the bucket,
/// every object version and delete marker included, if the bucket carries the tag. It
/// always answers CloudFormation, so a failure never leaves the stack waiting an hour.
const AUTO_DELETE_SOURCE: &str = r#"import boto3
import cfnresponse
from botocore.exceptions import ClientError

TAG = {"Key": "stack:auto-delete-objects", "Value": "true"}
s3 = boto3.client("s3")


def handler(event, context):
    physical_id = event.get("PhysicalResourceId")
    try:
        bucket = event["ResourceProperties"]["BucketName"]
        physical_id = bucket
        if event["RequestType"] == "Delete":
            empty(bucket)
        elif event["RequestType"] == "Update":
            old = event.get("OldResourceProperties", {}).get("BucketName")
            if old and old != bucket:
                empty(old)
    except Exception as error:
        print(f"failed: {error!r}")
        cfnresponse.send(event, context, cfnresponse.FAILED, {},
                         physical_id or context.log_stream_name, reason=str(error))
        return
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, physical_id)


def empty(bucket):
    try:
        tags = s3.get_bucket_tagging(Bucket=bucket)["TagSet"]
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchBucket", "NoSuchTagSet"):
            return
        raise
    if TAG not in tags:
        print(f"{bucket} is not tagged for auto-deletion; keeping its objects")
        return
    pages = s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
    for page in pages:
        objects = [{"Key": o["Key"], "VersionId": o["VersionId"]}
                   for o in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        if objects:
            result = s3.delete_objects(
                Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
            if result.get("Errors"):
                raise RuntimeError(f"cannot delete objects: {result['Errors'][:3]}")
"#;

/// One CORS rule of a bucket: which origins may use which methods from a browser.
/// `allowed_methods` and `allowed_origins` are required.
#[derive(Clone, Debug, Default)]
pub struct CorsRule {
    allowed_methods: Vec<HttpMethod>,
    allowed_origins: Vec<Value<String>>,
    allowed_headers: Vec<Value<String>>,
    exposed_headers: Vec<Value<String>>,
    max_age: Option<Value<i64>>,
    id: Option<Value<String>>,
}

impl CorsRule {
    /// Methods browsers may use: `GET`, `PUT`, `POST`, `DELETE` or `HEAD`.
    #[must_use]
    pub fn allowed_methods(mut self, methods: impl IntoIterator<Item = HttpMethod>) -> Self {
        self.allowed_methods = methods.into_iter().collect();
        self
    }

    /// Origins allowed to make requests, e.g. `["https://example.com"]`; `*` allows any.
    #[must_use]
    pub fn allowed_origins(
        mut self,
        origins: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allowed_origins = origins.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Request headers allowed in a preflight's `Access-Control-Request-Headers`.
    #[must_use]
    pub fn allowed_headers(
        mut self,
        headers: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.allowed_headers = headers.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// Response headers that browsers may read, e.g. `["ETag"]`.
    #[must_use]
    pub fn exposed_headers(
        mut self,
        headers: impl IntoIterator<Item = impl IntoValue<String>>,
    ) -> Self {
        self.exposed_headers = headers.into_iter().map(IntoValue::into_value).collect();
        self
    }

    /// How long, in seconds, browsers may cache the preflight answer.
    #[must_use]
    pub fn max_age(mut self, seconds: impl IntoValue<i64>) -> Self {
        self.max_age = Some(seconds.into_value());
        self
    }

    /// An identifier for the rule.
    #[must_use]
    pub fn id(mut self, id: impl IntoValue<String>) -> Self {
        self.id = Some(id.into_value());
        self
    }
}

impl CorsRule {
    /// The rule as the generated property type; empty lists are left out.
    fn to_l1(&self) -> bucket::CorsRule {
        let list = |values: Vec<Value<String>>| (!values.is_empty()).then(|| Value::list(values));
        bucket::CorsRule {
            allowed_headers: list(self.allowed_headers.clone()),
            allowed_methods: list(
                self.allowed_methods
                    .iter()
                    .map(|m| Value::lit(m.as_str()))
                    .collect(),
            ),
            allowed_origins: list(self.allowed_origins.clone()),
            exposed_headers: list(self.exposed_headers.clone()),
            id: self.id.clone(),
            max_age: self.max_age.clone(),
        }
    }
}

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
    id: String,
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
    fn objects_arn(&self) -> Value<String> {
        Value::concat([self.arn().into_value(), Value::lit("/*")])
    }

    fn on_bucket(&self, actions: &[&str]) -> Statement {
        Statement::allow(actions.iter().copied(), [self.arn()])
    }

    fn on_objects(&self, actions: &[&str]) -> Statement {
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

        let deny_insecure =
            Statement::deny(["s3:*"], [self.arn().into_value(), self.objects_arn()])
                .with_principal(lit("*"))
                .with_condition(obj([(
                    "Bool",
                    obj([("aws:SecureTransport", lit("false"))]),
                )]));
        // A construct built before the bucket (a distribution's origin access) may have
        // started the policy already; the TLS rule still comes first.
        match stack.resource_mut(&format!("{id}Policy")) {
            Some(policy) => insert_policy_statement(policy, 0, deny_insecure.to_expr()),
            None => {
                let document = PolicyDocument::new([deny_insecure]).to_expr();
                add_policy(stack, id, document);
            }
        }

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
        let policy_id = format!("{}Policy", self.id);
        let rendered = statement.to_expr();
        match stack.resource_mut(&policy_id) {
            Some(policy) => insert_policy_statement(policy, usize::MAX, rendered),
            None => {
                let document = obj([
                    ("Version", lit("2012-10-17")),
                    ("Statement", Expr::List(vec![rendered])),
                ]);
                add_policy(stack, &self.id, document);
            }
        }
    }

    /// The custom resource that empties this bucket, and the shared handler on first use.
    fn add_auto_delete(&self, stack: &mut StackBuilder) {
        if stack.resource_mut(AUTO_DELETE_HANDLER).is_none() {
            add_auto_delete_handler(stack);
        }
        // Only what the handler calls: the tag check, version listing and batch deletes
        // (a versioned delete needs `s3:DeleteObjectVersion`).
        stack.grant(
            &RoleRef(AUTO_DELETE_ROLE.to_owned()),
            Grant::new([
                self.on_bucket(&["s3:GetBucketTagging", "s3:ListBucketVersions"]),
                self.on_objects(&["s3:DeleteObject", "s3:DeleteObjectVersion"]),
            ]),
        );
        // The custom resource refers to the bucket and, through the handler, to the role
        // holding the grant above, so CloudFormation deletes it (emptying the bucket)
        // before either of them.
        stack
            .add(
                format!("{}AutoDeleteObjects", self.id),
                ResourceDecl::new(
                    "Custom::S3AutoDeleteObjects",
                    obj([
                        (
                            "ServiceToken",
                            Expr::GetAtt(AUTO_DELETE_HANDLER.into(), "Arn".into()),
                        ),
                        ("BucketName", Expr::Ref(self.id.clone())),
                    ]),
                ),
            )
            .removal_policy = Some(RemovalPolicy::Destroy);
    }
}

/// Adds the policy `<bucket>Policy` of the bucket `bucket` with a rendered document.
fn add_policy(stack: &mut StackBuilder, bucket: &str, document: Expr) {
    let policy = aws::s3::BucketPolicy {
        bucket: Some(Value::reference(bucket)),
        policy_document: Some(Value::from_expr(document)),
    };
    stack.add_resource(format!("{bucket}Policy"), &policy);
}

/// Inserts a rendered statement into a bucket policy's document at `index` (clamped to
/// the end).
fn insert_policy_statement(policy: &mut ResourceDecl, index: usize, statement: Expr) {
    let Expr::Map(properties) = &mut policy.properties else {
        return;
    };
    let document = properties
        .iter_mut()
        .find(|(k, _)| k == "PolicyDocument")
        .map(|(_, v)| v);
    if let Some(Expr::Map(document)) = document {
        if let Some((_, Expr::List(statements))) =
            document.iter_mut().find(|(k, _)| k == "Statement")
        {
            statements.insert(index.min(statements.len()), statement);
        }
    }
}

/// The stack-wide handler behind every `Custom::S3AutoDeleteObjects`.
fn add_auto_delete_handler(stack: &mut StackBuilder) {
    stack.add_resource(AUTO_DELETE_ROLE, &lambda_execution_role());
    // Unlike a function's own logs, the helper's go with the stack: if emptying fails, the
    // deletion stops and the log group stays for inspection.
    stack
        .add_resource(
            AUTO_DELETE_LOG_GROUP,
            &log_group(DEFAULT_LOG_RETENTION_DAYS),
        )
        .removal_policy = Some(RemovalPolicy::Destroy);
    let handler = aws::lambda::Function {
        description: Some(Value::lit(
            "Empties S3 buckets marked for auto-deletion when the stack deletes them",
        )),
        code: Some(function::Code {
            zip_file: Some(Value::lit(AUTO_DELETE_SOURCE)),
            ..Default::default()
        }),
        handler: Some(Value::lit("index.handler")),
        runtime: Some(Value::lit(Runtime::Python312.as_str())),
        role: Some(Value::get_att(AUTO_DELETE_ROLE, "Arn")),
        memory_size: Some(256.into_value()),
        timeout: Some(900.into_value()),
        logging_config: Some(function::LoggingConfig {
            log_group: Some(Value::reference(AUTO_DELETE_LOG_GROUP)),
            ..Default::default()
        }),
        ..Default::default()
    };
    stack.add_resource(AUTO_DELETE_HANDLER, &handler);
}

/// Reports a CORS rule S3 would reject.
fn check_cors_rule(stack: &mut StackBuilder, id: &str, rule: &CorsRule) {
    if rule.allowed_methods.is_empty() {
        stack.report(format!(
            "bucket `{id}`: a CORS rule needs `allowed_methods`, e.g. `[HttpMethod::Get]`"
        ));
    }
    for method in &rule.allowed_methods {
        if matches!(method, HttpMethod::Patch | HttpMethod::Options) {
            stack.report(format!(
                "bucket `{id}`: S3 CORS rules do not accept `{}`; use GET, PUT, POST, DELETE or HEAD",
                method.as_str()
            ));
        }
    }
    if rule.allowed_origins.is_empty() {
        stack.report(format!(
            "bucket `{id}`: a CORS rule needs `allowed_origins`, e.g. `[\"https://example.com\"]`"
        ));
    }
}

#[cfg(test)]
mod tests {
    // Buckets: secure defaults, grants, auto-delete wiring and option checks.
    use super::*;
    use crate::constructs::{DockerImageCode, DockerImageFunction, DockerImageFunctionProps};
    use serde_json::{json, Value as Json};

    fn build(buckets: &[(&str, BucketProps)]) -> Result<Json, Vec<String>> {
        let mut stack = StackBuilder::new("Test");
        for (id, props) in buckets {
            Bucket::declare(id).build(props.clone(), &mut stack);
        }
        stack
            .finish()
            .map(|s| s.template.to_json()["Resources"].clone())
            .map_err(|e| e.problems)
    }

    fn ok(buckets: &[(&str, BucketProps)]) -> Json {
        build(buckets).unwrap_or_else(|problems| panic!("{problems:#?}"))
    }

    #[test]
    fn bucket_is_private_encrypted_retained_and_tls_only() {
        let r = ok(&[("Photos", BucketProps::default())]);
        let bucket = &r["Photos"];
        assert_eq!(bucket["DeletionPolicy"], "Retain");
        assert_eq!(bucket["UpdateReplacePolicy"], "Retain");
        let p = &bucket["Properties"];
        assert_eq!(
            p["PublicAccessBlockConfiguration"],
            json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
        );
        assert_eq!(
            p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
                ["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
            "AES256"
        );
        assert_eq!(
            p["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
            "BucketOwnerEnforced"
        );
        assert!(p.get("Tags").is_none());
        let policy = &r["PhotosPolicy"]["Properties"];
        assert_eq!(policy["Bucket"], json!({"Ref": "Photos"}));
        assert_eq!(
            policy["PolicyDocument"]["Statement"],
            json!([{
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [{"Fn::GetAtt": ["Photos", "Arn"]}, {"Fn::Sub": "${Photos.Arn}/*"}],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}
            }])
        );
        assert!(r.get(AUTO_DELETE_HANDLER).is_none());
    }

    #[test]
    fn cors_and_versioning_are_rendered() {
        let props = BucketProps::default()
            .bucket_name("photosky")
            .versioned(true)
            .cors([CorsRule::default()
                .allowed_methods([HttpMethod::Get, HttpMethod::Put])
                .allowed_origins(["*"])
                .allowed_headers(["*"])
                .exposed_headers(["ETag"])
                .max_age(3000)]);
        let r = ok(&[("Photos", props)]);
        let p = &r["Photos"]["Properties"];
        assert_eq!(p["BucketName"], "photosky");
        assert_eq!(p["VersioningConfiguration"], json!({"Status": "Enabled"}));
        assert_eq!(
            p["CorsConfiguration"],
            json!({"CorsRules": [{
                "AllowedHeaders": ["*"],
                "AllowedMethods": ["GET", "PUT"],
                "AllowedOrigins": ["*"],
                "ExposedHeaders": ["ETag"],
                "MaxAge": 3000
            }]})
        );
    }

    #[test]
    fn read_write_grant_scopes_bucket_and_object_actions_separately() {
        let bucket = Bucket::declare("Photos");
        let func = DockerImageFunction::declare("Api");
        let mut stack = StackBuilder::new("Test");
        bucket.build(BucketProps::default(), &mut stack);
        func.build(
            DockerImageFunctionProps::default().code(DockerImageCode::from_uri(
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1",
            )),
            &mut stack,
        );
        stack.grant(&func, bucket.grant_read_write());
        let template = match stack.finish() {
            Ok(s) => s.template.to_json(),
            Err(e) => panic!("{e}"),
        };
        let statements = &template["Resources"]["ApiServiceRole"]["Properties"]["Policies"][0]
            ["PolicyDocument"]["Statement"];
        assert_eq!(
            statements,
            &json!([
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["Photos", "Arn"]}},
                {"Effect": "Allow", "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"], "Resource": {"Fn::Sub": "${Photos.Arn}/*"}}
            ])
        );
    }

    #[test]
    fn every_grant_lists_explicit_known_actions() {
        let bucket = Bucket::declare("Photos");
        let grants = [
            bucket.grant_read(),
            bucket.grant_write(),
            bucket.grant_read_write(),
            bucket.grant_put(),
            bucket.grant_delete(),
        ];
        assert_eq!(grants.len(), super::super::catalog_grants("Bucket").len());
        let known = include_str!("../../../stack-spec/data/iam-actions.txt");
        for statement in grants.iter().flat_map(|g| &g.statements) {
            for action in &statement.actions {
                assert!(!action.contains('*'), "wildcard action {action}");
                assert!(
                    known.lines().any(|l| l == action),
                    "{action} is not an IAM action"
                );
            }
        }
    }

    #[test]
    fn auto_delete_shares_one_handler_and_scopes_its_role() {
        let destroy = || {
            BucketProps::default()
                .removal_policy(RemovalPolicy::Destroy)
                .auto_delete_objects(true)
        };
        let r = ok(&[("A", destroy()), ("B", destroy())]);
        for id in ["A", "B"] {
            let custom = &r[format!("{id}AutoDeleteObjects")];
            assert_eq!(custom["Type"], "Custom::S3AutoDeleteObjects");
            assert_eq!(
                custom["Properties"],
                json!({"ServiceToken": {"Fn::GetAtt": [AUTO_DELETE_HANDLER, "Arn"]}, "BucketName": {"Ref": id}})
            );
            assert_eq!(
                r[id]["Properties"]["Tags"],
                json!([{"Key": AUTO_DELETE_TAG, "Value": "true"}])
            );
            assert_eq!(r[id]["DeletionPolicy"], "Delete");
        }
        let handlers = r.as_object().map(|m| {
            m.values()
                .filter(|v| v["Type"] == "AWS::Lambda::Function")
                .count()
        });
        assert_eq!(handlers, Some(1));
        let handler = &r[AUTO_DELETE_HANDLER]["Properties"];
        assert_eq!(handler["Runtime"], "python3.12");
        assert_eq!(handler["Handler"], "index.handler");
        let source = handler["Code"]["ZipFile"].as_str().unwrap_or_default();
        assert!(source.contains(AUTO_DELETE_TAG));
        assert!(source.len() <= 4096, "{} characters", source.len());
        let statements =
            &r[AUTO_DELETE_ROLE]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(
            statements,
            &json!([
                {"Effect": "Allow", "Action": ["s3:GetBucketTagging", "s3:ListBucketVersions"], "Resource": {"Fn::GetAtt": ["A", "Arn"]}},
                {"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": {"Fn::Sub": "${A.Arn}/*"}},
                {"Effect": "Allow", "Action": ["s3:GetBucketTagging", "s3:ListBucketVersions"], "Resource": {"Fn::GetAtt": ["B", "Arn"]}},
                {"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": {"Fn::Sub": "${B.Arn}/*"}}
            ])
        );
    }

    #[test]
    fn auto_delete_without_destroy_is_reported() {
        let problems = build(&[("Photos", BucketProps::default().auto_delete_objects(true))])
            .err()
            .unwrap_or_default();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("RemovalPolicy::Destroy"),
            "{problems:#?}"
        );
    }

    #[test]
    fn invalid_names_and_cors_rules_are_reported() {
        let problems = build(&[(
            "Photos",
            BucketProps::default()
                .bucket_name("Photo_Sky")
                .cors([CorsRule::default().allowed_methods([HttpMethod::Patch])]),
        )])
        .err()
        .unwrap_or_default();
        assert_eq!(problems.len(), 3, "{problems:#?}");
    }

    #[test]
    fn attributes_are_typed_references() {
        let bucket = Bucket::declare("Photos");
        assert_eq!(
            bucket.arn().expr(),
            &Expr::GetAtt("Photos".into(), "Arn".into())
        );
        assert_eq!(bucket.name().expr(), &Expr::Ref("Photos".into()));
        assert_eq!(
            bucket.regional_domain_name().expr(),
            &Expr::GetAtt("Photos".into(), "RegionalDomainName".into())
        );
    }
}
