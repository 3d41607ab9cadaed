//! File assets in the staging bucket: `<hash>.zip` objects, tagged with the time `gc` first
//! found them unreferenced.

use aws_sdk_s3::types::{Delete, ObjectIdentifier, Tag, Tagging};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;

use crate::aws::{errors, Aws};
use crate::ops::gc::refs::hash_name;
use crate::ops::gc::{Location, Meter, Staged};
use crate::shell::Shell;

/// The object tag holding the time (RFC 3339, UTC) an object was found unreferenced.
pub(crate) const ISOLATED_TAG: &str = "stack-deploy:isolated";

/// How many keys one DeleteObjects call takes.
const DELETE_BATCH: usize = 1000;

/// The staging bucket's file assets with their tags, or `None` when the bucket does not
/// exist.
pub(crate) async fn list(
    shell: &mut Shell,
    aws: &Aws,
    bucket: &str,
    meter: &Meter,
) -> Result<Option<Vec<Staged>>, String> {
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = aws
            .s3
            .list_objects_v2()
            .bucket(bucket)
            .set_continuation_token(token.take())
            .send()
            .await;
        let page = match page {
            Ok(page) => page,
            Err(error) if errors::code(&error) == Some("NoSuchBucket") => return Ok(None),
            Err(error) => {
                return Err(format!(
                    "cannot list the staging bucket `{bucket}`: {}",
                    errors::describe(&error)
                ))
            }
        };
        for object in page.contents() {
            let key = object.key().unwrap_or_default();
            let Some(hash) = hash_name(key, ".zip") else {
                continue;
            };
            found.push(Staged {
                location: Location::Object {
                    key: key.to_owned(),
                    tags: Vec::new(),
                },
                hashes: vec![hash.to_owned()],
                size: object.size().map_or(0, |s| u64::try_from(s).unwrap_or(0)),
                created: object.last_modified().map(DateTime::secs),
                isolated_since: None,
            });
        }
        token = page.next_continuation_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let count = found.len();
    for (i, staged) in found.iter_mut().enumerate() {
        meter.show(
            shell,
            &format!("gc: reading the tags of s3://{bucket} ({}/{count})", i + 1),
        );
        let Location::Object { key, tags } = &mut staged.location else {
            continue;
        };
        let output = aws
            .s3
            .get_object_tagging()
            .bucket(bucket)
            .key(key.as_str())
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot read the tags of s3://{bucket}/{key}: {}",
                    errors::describe(&e)
                )
            })?;
        *tags = output
            .tag_set()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect();
        staged.isolated_since = tags
            .iter()
            .find(|(k, _)| k == ISOLATED_TAG)
            .and_then(|(_, v)| DateTime::from_str(v, Format::DateTime).ok())
            .map(|t| t.secs());
    }
    Ok(Some(found))
}

/// Marks the object as found unreferenced at `now`, keeping its other tags.
pub(crate) async fn tag(
    aws: &Aws,
    bucket: &str,
    key: &str,
    tags: &[(String, String)],
    now: i64,
) -> Result<(), String> {
    let stamp = DateTime::from_secs(now)
        .fmt(Format::DateTime)
        .map_err(|e| format!("cannot write the time {now}: {e}"))?;
    let mut kept: Vec<(String, String)> = tags
        .iter()
        .filter(|(k, _)| k != ISOLATED_TAG)
        .cloned()
        .collect();
    kept.push((ISOLATED_TAG.to_owned(), stamp));
    put_tags(aws, bucket, key, &kept).await
}

/// Removes the mark from an object referenced again, keeping its other tags.
pub(crate) async fn untag(
    aws: &Aws,
    bucket: &str,
    key: &str,
    tags: &[(String, String)],
) -> Result<(), String> {
    let kept: Vec<(String, String)> = tags
        .iter()
        .filter(|(k, _)| k != ISOLATED_TAG)
        .cloned()
        .collect();
    if kept.is_empty() {
        return aws
            .s3
            .delete_object_tagging()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("cannot untag s3://{bucket}/{key}: {}", errors::describe(&e)));
    }
    put_tags(aws, bucket, key, &kept).await
}

async fn put_tags(
    aws: &Aws,
    bucket: &str,
    key: &str,
    tags: &[(String, String)],
) -> Result<(), String> {
    let set = tags
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("cannot build the tags of s3://{bucket}/{key}: {e}"))?;
    let tagging = Tagging::builder()
        .set_tag_set(Some(set))
        .build()
        .map_err(|e| format!("cannot build the tags of s3://{bucket}/{key}: {e}"))?;
    aws.s3
        .put_object_tagging()
        .bucket(bucket)
        .key(key)
        .tagging(tagging)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("cannot tag s3://{bucket}/{key}: {}", errors::describe(&e)))
}

/// Deletes the objects; returns the keys that could not be deleted, with the reason.
/// The bucket keeps versions, so each object's data stays as a noncurrent version until
/// the bucket's lifecycle rule expires it (30 days).
pub(crate) async fn delete(
    aws: &Aws,
    bucket: &str,
    keys: &[&str],
) -> Result<Vec<(String, String)>, String> {
    let mut failed = Vec::new();
    for batch in keys.chunks(DELETE_BATCH) {
        let objects = batch
            .iter()
            .map(|key| ObjectIdentifier::builder().key(*key).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("cannot build the delete request: {e}"))?;
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(|e| format!("cannot build the delete request: {e}"))?;
        let output = aws
            .s3
            .delete_objects()
            .bucket(bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot delete from the staging bucket `{bucket}`: {}",
                    errors::describe(&e)
                )
            })?;
        for error in output.errors() {
            failed.push((
                error.key().unwrap_or_default().to_owned(),
                format!(
                    "{}: {}",
                    error.code().unwrap_or("error"),
                    error.message().unwrap_or("not deleted")
                ),
            ));
        }
    }
    Ok(failed)
}
