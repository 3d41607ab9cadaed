//! Putting what a template refers to where CloudFormation can read it: file assets and
//! large templates go to the staging bucket that `bootstrap` creates, image assets to its
//! repository.

use std::collections::BTreeSet;

use aws_sdk_s3::primitives::ByteStream;
use sha2::{Digest, Sha256};
use stack_core::asset::{Asset, AssetKind, FILE_ASSET_BUCKET};

use crate::aws::{errors, Aws};
use crate::ops::image::Publisher;
use crate::ops::{format, zip};
use crate::shell::Shell;

/// CloudFormation's limit for a template passed inline (`TemplateBody`).
pub(crate) const MAX_TEMPLATE_BODY: usize = 51_200;

/// The staging bucket of an account and region: [`FILE_ASSET_BUCKET`], which templates
/// refer to, with its placeholders filled in.
pub(crate) fn staging_bucket(account: &str, region: &str) -> String {
    FILE_ASSET_BUCKET
        .replace("${AWS::AccountId}", account)
        .replace("${AWS::Region}", region)
}

/// How the template reaches CloudFormation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TemplateSource {
    Body(String),
    Url(String),
}

/// The staging bucket and the hashes already published in this run. Stacks deployed in
/// parallel each work on a clone, merged back with [`Staging::merge`] when they finish;
/// two of them may then both check an asset that neither had published, which costs one
/// redundant upload of the same content-addressed object at most.
#[derive(Clone, Debug, Default)]
pub(crate) struct Staging {
    bucket: Option<String>,
    published: BTreeSet<String>,
}

impl Staging {
    /// Takes in what another copy of this run's staging learnt.
    pub(crate) fn merge(&mut self, other: Staging) {
        if self.bucket.is_none() {
            self.bucket = other.bucket;
        }
        self.published.extend(other.published);
    }

    /// The staging bucket, found from the account the credentials belong to.
    pub(crate) async fn bucket(&mut self, aws: &Aws) -> Result<String, String> {
        if let Some(bucket) = &self.bucket {
            return Ok(bucket.clone());
        }
        let account = aws.account().await?;
        let bucket = staging_bucket(&account, &aws.region);
        self.bucket = Some(bucket.clone());
        Ok(bucket)
    }

    /// Uploads the stack's file assets that are not in the bucket yet, and builds and
    /// pushes its image assets that are not in the staging repository yet.
    pub(crate) async fn publish_assets(
        &mut self,
        shell: &mut Shell,
        aws: &Aws,
        publisher: Publisher<'_>,
        assets: &[Asset],
    ) -> Result<(), String> {
        let (app, stack) = (publisher.app, publisher.stack);
        for asset in assets {
            if self.published.contains(&asset.hash) {
                continue;
            }
            match asset.kind {
                AssetKind::DockerImage => publisher.publish(shell, aws, asset).await?,
                AssetKind::FileArchive => {
                    let bucket = self.bucket(aws).await?;
                    let key = format!("{}.zip", asset.hash);
                    if exists(aws, &bucket, &key, app).await? {
                        shell.status(format!(
                            "{stack}: asset `{}` already published",
                            asset.source.display()
                        ));
                    } else {
                        let bytes = zip::zip_dir(&asset.source).map_err(|e| {
                            format!(
                                "cannot zip asset directory `{}`: {e}",
                                asset.source.display()
                            )
                        })?;
                        let size = bytes.len();
                        put(aws, &bucket, &key, bytes, "application/zip", app).await?;
                        shell.status(format!(
                            "{stack}: published asset `{}` ({}) to s3://{bucket}/{key}",
                            asset.source.display(),
                            format::size(size)
                        ));
                    }
                }
            }
            self.published.insert(asset.hash.clone());
        }
        Ok(())
    }

    /// The template inline when it fits, or uploaded to the staging bucket and passed by
    /// URL when it is over [`MAX_TEMPLATE_BODY`] bytes.
    pub(crate) async fn template(
        &mut self,
        shell: &mut Shell,
        aws: &Aws,
        app: &str,
        stack: &str,
        body: &str,
    ) -> Result<TemplateSource, String> {
        if body.len() <= MAX_TEMPLATE_BODY {
            return Ok(TemplateSource::Body(body.to_owned()));
        }
        let bucket = self.bucket(aws).await?;
        let hash: String = Sha256::digest(body.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let key = format!("templates/{stack}-{hash}.json");
        put(
            aws,
            &bucket,
            &key,
            body.as_bytes().to_vec(),
            "application/json",
            app,
        )
        .await
        .map_err(|e| {
            format!(
                "the template of `{stack}` is {}, over CloudFormation's {MAX_TEMPLATE_BODY}-byte \
                 limit for inline templates, so it goes through the staging bucket: {e}",
                format::size(body.len())
            )
        })?;
        shell.status(format!(
            "{stack}: template is {}, uploaded to s3://{bucket}/{key}",
            format::size(body.len())
        ));
        Ok(TemplateSource::Url(template_url(aws, &bucket, &key)))
    }
}

/// The URL CloudFormation reads an uploaded template from.
///
/// With `AWS_ENDPOINT_URL` set, path-style on that endpoint, with `127.0.0.1` written as
/// `localhost`: moto takes the first label of an IP host for a bucket name.
pub(crate) fn template_url(aws: &Aws, bucket: &str, key: &str) -> String {
    match &aws.endpoint {
        Some(endpoint) => {
            let base = endpoint
                .trim_end_matches('/')
                .replacen("://127.0.0.1", "://localhost", 1);
            format!("{base}/{bucket}/{key}")
        }
        None => {
            let suffix = if aws.region.starts_with("cn-") {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            format!("https://{bucket}.s3.{}.{suffix}/{key}", aws.region)
        }
    }
}

async fn exists(aws: &Aws, bucket: &str, key: &str, app: &str) -> Result<bool, String> {
    match aws.s3.head_object().bucket(bucket).key(key).send().await {
        Ok(_) => Ok(true),
        Err(error) => {
            let not_found = matches!(
                &error,
                aws_sdk_s3::error::SdkError::ServiceError(e) if e.raw().status().as_u16() == 404
            );
            if not_found {
                // A missing bucket also answers 404 to HEAD; the upload tells them apart.
                Ok(false)
            } else {
                Err(bucket_error(bucket, &errors::describe(&error), app))
            }
        }
    }
}

async fn put(
    aws: &Aws,
    bucket: &str,
    key: &str,
    bytes: Vec<u8>,
    content_type: &str,
    app: &str,
) -> Result<(), String> {
    aws.s3
        .put_object()
        .bucket(bucket)
        .key(key)
        .content_type(content_type)
        .body(ByteStream::from(bytes))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| bucket_error(bucket, &errors::describe(&e), app))
}

fn bucket_error(bucket: &str, detail: &str, app: &str) -> String {
    if detail.contains("NoSuchBucket") {
        format!("the staging bucket `{bucket}` does not exist; run `{app} bootstrap` once per account and region")
    } else {
        format!("cannot write to the staging bucket `{bucket}`: {detail}")
    }
}
