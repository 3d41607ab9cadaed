//! Emptying a bucket when the stack deletes it: the custom resource
//! `Custom::S3AutoDeleteObjects` and its stack-wide handler.

use super::super::obj;
use super::handler::StackHandler;
use super::Bucket;
use crate::expr::Expr;
use crate::iam::Grant;
use crate::resource::RemovalPolicy;
use crate::stack::StackBuilder;
use crate::template::ResourceDecl;

/// The tag that marks a bucket whose objects the stack may delete; the handler checks it
/// before emptying, so turning `auto_delete_objects` off never empties a bucket.
pub(super) const AUTO_DELETE_TAG: &str = "stack:auto-delete-objects";

/// The auto-delete handler: on `Delete` (and on a bucket rename) it empties the bucket,
/// every object version and delete marker included, if the bucket carries the tag. It
/// always answers CloudFormation, so a failure never leaves the stack waiting an hour.
const SOURCE: &str = r#"import boto3
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

/// The stack-wide handler behind every `Custom::S3AutoDeleteObjects`.
pub(super) const AUTO_DELETE: StackHandler = StackHandler {
    handler: "StackAutoDeleteObjectsHandler",
    role: "StackAutoDeleteObjectsRole",
    log_group: "StackAutoDeleteObjectsLogGroup",
    description: "Empties S3 buckets marked for auto-deletion when the stack deletes them",
    source: SOURCE,
    timeout: 900,
};

impl Bucket {
    /// The custom resource that empties this bucket, and the shared handler on first use.
    pub(super) fn add_auto_delete(&self, stack: &mut StackBuilder) {
        let service_token = AUTO_DELETE.service_token(stack);
        // Only what the handler calls: the tag check, version listing and batch deletes
        // (a versioned delete needs `s3:DeleteObjectVersion`).
        AUTO_DELETE.grant(
            stack,
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
                        ("ServiceToken", service_token),
                        ("BucketName", Expr::Ref(self.id.clone())),
                    ]),
                ),
            )
            .removal_policy = Some(RemovalPolicy::Destroy);
    }
}
