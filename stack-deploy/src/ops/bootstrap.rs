//! `bootstrap`: the staging stack, with the bucket that file assets and large templates are
//! uploaded to and the repository image assets are pushed to.

use serde_json::{json, Value as Json};
use stack_core::asset::{CONTAINER_ASSET_REPOSITORY, FILE_ASSET_BUCKET};

use crate::aws::Aws;
use crate::error::CliResult;
use crate::ops::approval::Approval;
use crate::ops::deploy::{self, Method, Options, StackInput};
use crate::ops::interrupt::Tracker;
use crate::ops::progress::ProgressMode;
use crate::ops::publish::Staging;
use crate::shell::Shell;

/// Bumped when the staging template changes in a way deploys depend on.
const VERSION: u32 = 1;

/// The staging template. The bucket is encrypted (SSE-S3), blocks every form of public
/// access, refuses plain HTTP, enforces bucket-owner object ownership and keeps versions;
/// its lifecycle rules expire uploaded templates after 30 days, old object versions after
/// 30 days and abandoned multipart uploads after a day. Asset archives are kept, since
/// rollbacks and redeploys read them.
pub(crate) fn template() -> Json {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Staging resources for stack deployments: assets and large templates",
        "Resources": {
            "StagingBucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": { "Fn::Sub": FILE_ASSET_BUCKET },
                    "BucketEncryption": {
                        "ServerSideEncryptionConfiguration": [
                            { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }
                        ]
                    },
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": true,
                        "BlockPublicPolicy": true,
                        "IgnorePublicAcls": true,
                        "RestrictPublicBuckets": true
                    },
                    "OwnershipControls": {
                        "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }]
                    },
                    "VersioningConfiguration": { "Status": "Enabled" },
                    "LifecycleConfiguration": {
                        "Rules": [
                            {
                                "Id": "ExpireTemplates",
                                "Status": "Enabled",
                                "Prefix": "templates/",
                                "ExpirationInDays": 30
                            },
                            {
                                "Id": "ExpireOldVersions",
                                "Status": "Enabled",
                                "NoncurrentVersionExpiration": { "NoncurrentDays": 30 }
                            },
                            {
                                "Id": "AbortIncompleteUploads",
                                "Status": "Enabled",
                                "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 1 }
                            }
                        ]
                    }
                },
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain"
            },
            "StagingBucketPolicy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": { "Ref": "StagingBucket" },
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Sid": "DenyPlainHttp",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [
                                { "Fn::GetAtt": ["StagingBucket", "Arn"] },
                                { "Fn::Sub": "${StagingBucket.Arn}/*" }
                            ],
                            "Condition": { "Bool": { "aws:SecureTransport": "false" } }
                        }]
                    }
                }
            },
            "ContainerAssetRepository": {
                "Type": "AWS::ECR::Repository",
                "Properties": {
                    "RepositoryName": CONTAINER_ASSET_REPOSITORY,
                    "ImageScanningConfiguration": { "ScanOnPush": true },
                    "ImageTagMutability": "IMMUTABLE"
                },
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain"
            }
        },
        "Outputs": {
            "BucketName": { "Value": { "Ref": "StagingBucket" } },
            "RepositoryName": { "Value": { "Ref": "ContainerAssetRepository" } },
            "BootstrapVersion": { "Value": VERSION.to_string() }
        }
    })
}

/// Creates or updates the staging stack, through CreateStack/UpdateStack so its outputs
/// are read back on every endpoint.
pub(crate) async fn bootstrap(
    shell: &mut Shell,
    aws: &Aws,
    stack_name: &str,
    app: &str,
    progress: ProgressMode,
    tracker: &Tracker,
) -> CliResult {
    let template = template();
    let input = StackInput {
        name: stack_name.to_owned(),
        body: format!("{template:#}\n"),
        template,
        assets: Vec::new(),
        tags: Vec::new(),
        parameters: Vec::new(),
        dependencies: Vec::new(),
        renames: Vec::new(),
    };
    let options = Options {
        method: Method::Direct,
        approval: Approval::Never,
        progress,
        app: app.to_owned(),
        docker: crate::ops::image::DEFAULT_DOCKER.to_owned(),
        wait_timeout: None,
        no_rollback: false,
    };
    let mut staging = Staging::default();
    let deployed =
        deploy::deploy_one(shell, aws, &options, &mut staging, tracker, &input, (1, 1)).await?;
    tracker.clear();
    let bucket = deployed
        .stack
        .outputs
        .iter()
        .find(|(k, _)| k == "BucketName")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "(not reported)".to_owned());
    shell.status(format!(
        "{stack_name}: staging bucket `{bucket}` in {} is ready",
        aws.region
    ));
    Ok(())
}
