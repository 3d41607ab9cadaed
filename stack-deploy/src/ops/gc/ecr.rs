//! Image assets in the staging repository: images tagged with their hash, marked by an
//! extra image tag `stack-isolated-<seconds since 1970>` when `gc` first found them
//! unreferenced (images carry no resource tags of their own).

use aws_sdk_ecr::types::ImageIdentifier;
use aws_smithy_types::DateTime;
use stack_core::asset::CONTAINER_ASSET_REPOSITORY;

use crate::aws::{errors, Aws};
use crate::ops::gc::refs::hash_name;
use crate::ops::gc::{Location, Staged};

/// The prefix of the image tag that marks an image as found unreferenced.
pub(crate) const ISOLATED_PREFIX: &str = "stack-isolated-";

/// How many images one BatchDeleteImage call takes.
const DELETE_BATCH: usize = 100;

/// The staging repository's image assets, or `None` when the repository does not exist.
/// An image with any tag other than hashes and the mark is someone else's and is left out.
pub(crate) async fn list(aws: &Aws) -> Result<Option<Vec<Staged>>, String> {
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = aws
            .ecr
            .describe_images()
            .repository_name(CONTAINER_ASSET_REPOSITORY)
            .set_next_token(token.take())
            .send()
            .await;
        let page = match page {
            Ok(page) => page,
            Err(error) if errors::code(&error) == Some("RepositoryNotFoundException") => {
                return Ok(None)
            }
            Err(error) => {
                return Err(format!(
                    "cannot list the images of `{CONTAINER_ASSET_REPOSITORY}`: {}",
                    errors::describe(&error)
                ))
            }
        };
        for image in page.image_details() {
            let tags = image.image_tags();
            let hashes: Vec<String> = tags
                .iter()
                .filter_map(|t| hash_name(t, ""))
                .map(str::to_owned)
                .collect();
            let marks: Vec<i64> = tags.iter().filter_map(|t| mark_time(t)).collect();
            let Some(digest) = image.image_digest() else {
                continue;
            };
            if hashes.is_empty() || hashes.len() + marks.len() != tags.len() {
                continue;
            }
            found.push(Staged {
                location: Location::Image {
                    digest: digest.to_owned(),
                    tags: tags.to_vec(),
                },
                hashes,
                size: image
                    .image_size_in_bytes()
                    .map_or(0, |s| u64::try_from(s).unwrap_or(0)),
                created: image.image_pushed_at().map(DateTime::secs),
                isolated_since: marks.into_iter().min(),
            });
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    Ok(Some(found))
}

/// The time a mark tag records.
fn mark_time(tag: &str) -> Option<i64> {
    let secs = tag.strip_prefix(ISOLATED_PREFIX)?;
    secs.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| secs.parse().ok())
        .flatten()
}

/// Adds the mark for `now` to the image: the same manifest pushed again under the mark tag.
pub(crate) async fn tag(aws: &Aws, digest: &str, now: i64) -> Result<(), String> {
    let fetched = aws
        .ecr
        .batch_get_image()
        .repository_name(CONTAINER_ASSET_REPOSITORY)
        .image_ids(ImageIdentifier::builder().image_digest(digest).build())
        .send()
        .await
        .map_err(|e| format!("cannot read image {digest}: {}", errors::describe(&e)))?;
    let image = fetched
        .images()
        .first()
        .ok_or_else(|| format!("image {digest} is no longer in `{CONTAINER_ASSET_REPOSITORY}`"))?;
    let manifest = image
        .image_manifest()
        .ok_or_else(|| format!("ECR returned no manifest for image {digest}"))?;
    aws.ecr
        .put_image()
        .repository_name(CONTAINER_ASSET_REPOSITORY)
        .image_manifest(manifest)
        .set_image_manifest_media_type(image.image_manifest_media_type().map(str::to_owned))
        .image_tag(format!("{ISOLATED_PREFIX}{now}"))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("cannot tag image {digest}: {}", errors::describe(&e)))
}

/// Removes the marks from an image referenced again; its hash tags stay.
pub(crate) async fn untag(aws: &Aws, tags: &[String]) -> Result<(), String> {
    let ids: Vec<ImageIdentifier> = tags
        .iter()
        .filter(|t| mark_time(t).is_some())
        .map(|t| ImageIdentifier::builder().image_tag(t).build())
        .collect();
    let output = aws
        .ecr
        .batch_delete_image()
        .repository_name(CONTAINER_ASSET_REPOSITORY)
        .set_image_ids(Some(ids))
        .send()
        .await
        .map_err(|e| format!("cannot untag an image: {}", errors::describe(&e)))?;
    match output.failures().first() {
        Some(failure) => Err(format!(
            "cannot untag an image: {}",
            failure.failure_reason().unwrap_or("no reason given")
        )),
        None => Ok(()),
    }
}

/// Deletes the images; returns the digests that could not be deleted, with the reason.
pub(crate) async fn delete(aws: &Aws, digests: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut failed = Vec::new();
    for batch in digests.chunks(DELETE_BATCH) {
        let ids: Vec<ImageIdentifier> = batch
            .iter()
            .map(|d| ImageIdentifier::builder().image_digest(*d).build())
            .collect();
        let output = aws
            .ecr
            .batch_delete_image()
            .repository_name(CONTAINER_ASSET_REPOSITORY)
            .set_image_ids(Some(ids))
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot delete from `{CONTAINER_ASSET_REPOSITORY}`: {}",
                    errors::describe(&e)
                )
            })?;
        for failure in output.failures() {
            failed.push((
                failure
                    .image_id()
                    .and_then(|id| id.image_digest())
                    .unwrap_or_default()
                    .to_owned(),
                failure.failure_reason().unwrap_or("not deleted").to_owned(),
            ));
        }
    }
    Ok(failed)
}

#[cfg(test)]
mod tests {
    // The mark tag's format.
    use super::*;

    #[test]
    fn marks_carry_the_time_they_were_set() {
        assert_eq!(mark_time("stack-isolated-1700000000"), Some(1_700_000_000));
        assert_eq!(mark_time("stack-isolated-"), None);
        assert_eq!(mark_time("stack-isolated--5"), None);
        assert_eq!(mark_time("latest"), None);
    }
}
