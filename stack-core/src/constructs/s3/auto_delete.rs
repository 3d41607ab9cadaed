//! Emptying a bucket when the stack deletes it: the custom resource
//! `Custom::S3AutoDeleteObjects` and its stack-wide handler.

use super::super::lambda::{log_group, DEFAULT_LOG_RETENTION_DAYS};
use super::super::{lambda_execution_role, obj, RoleRef, Runtime};
use super::Bucket;
use crate::aws;
use crate::aws::lambda::function;
use crate::expr::Expr;
use crate::iam::Grant;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;
use crate::value::{IntoValue, Value};

/// The tag that marks a bucket whose objects the stack may delete; the handler checks it
/// before emptying, so turning `auto_delete_objects` off never empties a bucket.
pub(super) const AUTO_DELETE_TAG: &str = "stack:auto-delete-objects";

/// The logical IDs of the stack-wide auto-delete handler, shared by every bucket.
pub(super) const AUTO_DELETE_HANDLER: &str = "StackAutoDeleteObjectsHandler";
pub(super) const AUTO_DELETE_ROLE: &str = "StackAutoDeleteObjectsRole";
pub(super) const AUTO_DELETE_LOG_GROUP: &str = "StackAutoDeleteObjectsLogGroup";

/// The auto-delete handler: on `Delete` (and on a bucket rename) it empties the bucket,
/// every object version and delete marker included, if the bucket carries the tag. It
/// always answers CloudFormation, so a failure never leaves the stack waiting an hour.
pub(super) const AUTO_DELETE_SOURCE: &str = r#"import boto3
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

impl Bucket {
    /// The custom resource that empties this bucket, and the shared handler on first use.
    pub(super) fn add_auto_delete(&self, stack: &mut StackBuilder) {
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
