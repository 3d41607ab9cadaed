//! `gc`: deleting staged assets no deployed stack refers to any more.
//!
//! Every stack in the account and region is read (its template and parameter values), and
//! every staged asset whose hash none of them contains is unreferenced. Only assets named
//! the way `deploy` names them are considered: `<hash>.zip` at the root of the staging
//! bucket (uploaded templates under `templates/` expire through the bucket's lifecycle
//! rule) and images in the staging repository whose tags are all hashes. An unreferenced
//! asset is tagged with the time it was first found so, and deleted once
//! `--rollback-buffer-days` have passed since; assets uploaded within
//! `--created-buffer-days` are left alone, since a deploy may be about to use them.

mod ecr;
mod refs;
mod s3;

use std::time::{SystemTime, UNIX_EPOCH};

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde_json::{json, Value as Json};
use stack_app::cli::{GcAction, GcType};
use stack_core::asset::CONTAINER_ASSET_REPOSITORY;

use crate::aws::Aws;
use crate::error::{CliError, CliResult};
use crate::ops::format;
use crate::ops::progress::ProgressMode;
use crate::ops::publish::staging_bucket;
use crate::shell::{Shell, Style};

const DAY: i64 = 86_400;

/// How `gc` runs.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// `--type`.
    pub(crate) asset_type: GcType,
    /// `--action` (`--dry-run` is `print`).
    pub(crate) action: GcAction,
    /// `--rollback-buffer-days`.
    pub(crate) rollback_buffer_days: u32,
    /// `--created-buffer-days`.
    pub(crate) created_buffer_days: u32,
    /// Ask before deleting (`--confirm`, and not `--force`).
    pub(crate) confirm: bool,
    /// `--json`.
    pub(crate) json: bool,
    pub(crate) progress: ProgressMode,
    /// The program's name, for messages.
    pub(crate) app: String,
}

/// One staged asset named by its content hash.
#[derive(Clone, Debug)]
pub(crate) struct Staged {
    pub(crate) location: Location,
    /// The hashes its name carries (an image can carry several tags).
    pub(crate) hashes: Vec<String>,
    /// Bytes.
    pub(crate) size: u64,
    /// When it was uploaded or pushed, in seconds since 1970.
    pub(crate) created: Option<i64>,
    /// When `gc` first found it unreferenced (its mark), in seconds since 1970.
    pub(crate) isolated_since: Option<i64>,
}

/// Where a staged asset is.
#[derive(Clone, Debug)]
pub(crate) enum Location {
    /// An object of the staging bucket, with all its tags.
    Object {
        key: String,
        tags: Vec<(String, String)>,
    },
    /// An image of the staging repository, with all its tags.
    Image { digest: String, tags: Vec<String> },
}

impl Staged {
    fn kind(&self) -> &'static str {
        match self.location {
            Location::Object { .. } => "file",
            Location::Image { .. } => "image",
        }
    }

    /// The object key, or the image's hash tag.
    fn name(&self) -> String {
        match &self.location {
            Location::Object { key, .. } => key.clone(),
            Location::Image { .. } => self.hashes.join(","),
        }
    }
}

/// What `gc` does with one asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A deployed stack refers to it.
    InUse,
    /// Referenced again after being marked unreferenced: the mark is removed.
    Untag,
    /// Unreferenced, but uploaded within `--created-buffer-days`.
    Young,
    /// Unreferenced and not marked yet: marked now.
    Tag,
    /// Marked, and the rollback buffer has not passed: deletable from this time on.
    Waiting { deletable: i64 },
    /// Unreferenced but never marked (`--action delete-tagged` deletes marked ones only).
    NotTagged,
    /// Deleted.
    Delete,
}

impl Verdict {
    /// Listed in the table: unreferenced.
    fn unreferenced(self) -> bool {
        !matches!(self, Verdict::InUse | Verdict::Untag)
    }

    fn label(self, created_buffer_days: u32) -> String {
        match self {
            Verdict::InUse => "in use".to_owned(),
            Verdict::Untag => "untag: in use again".to_owned(),
            Verdict::Young => format!(
                "keep: uploaded less than {} ago",
                format::count(created_buffer_days as usize, "day")
            ),
            Verdict::Tag => "tag".to_owned(),
            Verdict::Waiting { deletable } => format!("keep: deletable from {}", date(deletable)),
            Verdict::NotTagged => "keep: not tagged yet".to_owned(),
            Verdict::Delete => "delete".to_owned(),
        }
    }

    fn json_name(self) -> &'static str {
        match self {
            Verdict::InUse => "in-use",
            Verdict::Untag => "untag",
            Verdict::Young => "keep-young",
            Verdict::Tag => "tag",
            Verdict::Waiting { .. } => "keep-buffer",
            Verdict::NotTagged => "keep-untagged",
            Verdict::Delete => "delete",
        }
    }
}

/// The choice for one asset at time `now`; `print` decides as `full` does.
pub(crate) fn decide(staged: &Staged, in_use: bool, now: i64, options: &Options) -> Verdict {
    let action = match options.action {
        GcAction::Print => GcAction::Full,
        other => other,
    };
    if in_use {
        let marked = staged.isolated_since.is_some();
        return if marked && action != GcAction::DeleteTagged {
            Verdict::Untag
        } else {
            Verdict::InUse
        };
    }
    let created_buffer = i64::from(options.created_buffer_days) * DAY;
    if staged
        .created
        .is_none_or(|created| now - created < created_buffer)
    {
        return Verdict::Young;
    }
    let buffer = i64::from(options.rollback_buffer_days) * DAY;
    match (staged.isolated_since, action) {
        (Some(since), GcAction::Full | GcAction::DeleteTagged) if now - since >= buffer => {
            Verdict::Delete
        }
        (Some(since), _) => Verdict::Waiting {
            deletable: since + buffer,
        },
        (None, GcAction::Full) if buffer == 0 => Verdict::Delete,
        (None, GcAction::DeleteTagged) => Verdict::NotTagged,
        (None, _) => Verdict::Tag,
    }
}

/// Progress of the reading phase: a live line on a terminal with `--progress bar`.
pub(crate) struct Meter {
    live: bool,
}

impl Meter {
    /// Shows `line` as the live status, when there is one.
    pub(crate) fn show(&self, shell: &mut Shell, line: &str) {
        if self.live {
            shell.live(line);
        }
    }
}

/// What became of one asset.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Done {
    /// Nothing was to be done, or `print` did nothing.
    Nothing,
    /// Tagged, untagged or deleted as decided.
    Yes,
    /// The call failed.
    Failed(String),
}

/// Lists the staged assets no deployed stack refers to and tags or deletes them as
/// `options.action` says, after asking before any deletion unless `--force`.
pub(crate) async fn gc(shell: &mut Shell, aws: &Aws, options: &Options) -> CliResult {
    let meter = Meter {
        live: options.progress == ProgressMode::Bar && shell.err_is_tty(),
    };
    let now = now();
    let account = aws.account().await.map_err(CliError::new)?;
    let bucket = staging_bucket(&account, &aws.region);
    let place = format!("account {account} in {}", aws.region);
    let references = refs::read(shell, aws, &meter)
        .await
        .map_err(CliError::new)?;
    shell.clear_live();
    shell.status(format!(
        "gc: read {} in {place}",
        format::count(references.stacks, "stack")
    ));

    let mut assets = Vec::new();
    if options.asset_type != GcType::Ecr {
        let listed = s3::list(shell, aws, &bucket, &meter).await;
        shell.clear_live();
        match listed.map_err(CliError::new)? {
            Some(found) => assets.extend(found),
            None => shell.note(format!(
                "the staging bucket `{bucket}` does not exist; there are no file assets to \
                 collect (`{} bootstrap` creates it)",
                options.app
            )),
        }
    }
    if options.asset_type != GcType::S3 {
        meter.show(
            shell,
            &format!("gc: listing `{CONTAINER_ASSET_REPOSITORY}`"),
        );
        let listed = ecr::list(aws).await;
        shell.clear_live();
        match listed.map_err(CliError::new)? {
            Some(found) => assets.extend(found),
            None => shell.note(format!(
                "the staging repository `{CONTAINER_ASSET_REPOSITORY}` does not exist; there are \
                 no image assets to collect (`{} bootstrap` creates it)",
                options.app
            )),
        }
    }
    let planned: Vec<(Staged, Verdict)> = assets
        .into_iter()
        .map(|staged| {
            let in_use = staged.hashes.iter().any(|h| references.contains(h));
            let verdict = decide(&staged, in_use, now, options);
            (staged, verdict)
        })
        .collect();
    let unreferenced = planned.iter().filter(|(_, v)| v.unreferenced()).count();
    shell.status(format!(
        "gc: {}: {} in use, {unreferenced} unreferenced",
        format::count(planned.len(), "staged asset"),
        planned.len() - unreferenced
    ));
    if !options.json {
        let text = table(shell, &planned, now, options);
        shell.out(&text).map_err(CliError::stdout)?;
    }

    let mut done = vec![Done::Nothing; planned.len()];
    if options.action != GcAction::Print {
        confirm(shell, &planned, &bucket, &place, options)?;
        apply(shell, aws, &bucket, &planned, &mut done, now).await;
    }
    if options.json {
        let text = format!("{:#}\n", to_json(&planned, &done, &bucket, options));
        shell.out(&text).map_err(CliError::stdout)?;
    }
    report(shell, &planned, &done, options)
}

/// Asks before anything is changed when something is to be deleted, unless `--force`.
fn confirm(
    shell: &mut Shell,
    planned: &[(Staged, Verdict)],
    bucket: &str,
    place: &str,
    options: &Options,
) -> CliResult {
    let deleting: Vec<&Staged> = planned
        .iter()
        .filter(|(_, v)| *v == Verdict::Delete)
        .map(|(s, _)| s)
        .collect();
    if deleting.is_empty() || !options.confirm {
        return Ok(());
    }
    let what = format!(
        "{} ({})",
        format::count(deleting.len(), "unreferenced asset"),
        format::size(total(deleting.iter().copied()))
    );
    if !shell.is_interactive() {
        return Err(CliError::new(format!(
            "deleting {what} needs confirmation and there is no terminal to ask on; pass \
             `--force` to delete without asking, or `--action print` to only list them"
        )));
    }
    let question = format!(
        "Delete {what} from s3://{bucket} and `{CONTAINER_ASSET_REPOSITORY}`? No stack in {place} \
         refers to them."
    );
    if shell.confirm(&question) != Some(true) {
        return Err(CliError::new("gc declined; nothing was tagged or deleted"));
    }
    Ok(())
}

/// Untags, tags, then deletes, recording each outcome in `done`.
async fn apply(
    shell: &mut Shell,
    aws: &Aws,
    bucket: &str,
    planned: &[(Staged, Verdict)],
    done: &mut [Done],
    now: i64,
) {
    let outcome = |result: Result<(), String>| match result {
        Ok(()) => Done::Yes,
        Err(message) => Done::Failed(message),
    };
    for (i, (staged, verdict)) in planned.iter().enumerate() {
        let result = match (verdict, &staged.location) {
            (Verdict::Untag, Location::Object { key, tags }) => {
                s3::untag(aws, bucket, key, tags).await
            }
            (Verdict::Untag, Location::Image { tags, .. }) => ecr::untag(aws, tags).await,
            (Verdict::Tag, Location::Object { key, tags }) => {
                s3::tag(aws, bucket, key, tags, now).await
            }
            (Verdict::Tag, Location::Image { digest, .. }) => ecr::tag(aws, digest, now).await,
            _ => continue,
        };
        done[i] = outcome(result);
    }
    let deleting = |object: bool| -> Vec<(usize, &str)> {
        planned
            .iter()
            .enumerate()
            .filter(|(_, (_, v))| *v == Verdict::Delete)
            .filter_map(|(i, (s, _))| match (&s.location, object) {
                (Location::Object { key, .. }, true) => Some((i, key.as_str())),
                (Location::Image { digest, .. }, false) => Some((i, digest.as_str())),
                _ => None,
            })
            .collect()
    };
    for object in [true, false] {
        let batch = deleting(object);
        if batch.is_empty() {
            continue;
        }
        shell.status(format!(
            "gc: deleting {} from {}",
            format::count(batch.len(), "asset"),
            if object {
                format!("s3://{bucket}")
            } else {
                format!("`{CONTAINER_ASSET_REPOSITORY}`")
            }
        ));
        let names: Vec<&str> = batch.iter().map(|(_, n)| *n).collect();
        let result = if object {
            s3::delete(aws, bucket, &names).await
        } else {
            ecr::delete(aws, &names).await
        };
        for (i, name) in &batch {
            done[*i] = match &result {
                Err(message) => Done::Failed(message.clone()),
                Ok(failed) => match failed.iter().find(|(n, _)| n == name) {
                    Some((_, reason)) => Done::Failed(reason.clone()),
                    None => Done::Yes,
                },
            };
        }
    }
}

/// The summary lines, and the error naming every call that failed.
fn report(
    shell: &mut Shell,
    planned: &[(Staged, Verdict)],
    done: &[Done],
    options: &Options,
) -> CliResult {
    let count_done = |verdict: fn(&Verdict) -> bool| {
        planned
            .iter()
            .zip(done)
            .filter(|((_, v), d)| verdict(v) && **d == Done::Yes)
            .map(|((s, _), _)| s)
            .collect::<Vec<_>>()
    };
    let deleted = count_done(|v| *v == Verdict::Delete);
    let tagged = count_done(|v| *v == Verdict::Tag).len();
    let untagged = count_done(|v| *v == Verdict::Untag).len();
    if options.action == GcAction::Print {
        let would = |verdict: Verdict| planned.iter().filter(|(_, v)| *v == verdict).count();
        shell.status(format!(
            "gc: dry run; `--action full` would delete {}, tag {} and untag {}",
            would(Verdict::Delete),
            would(Verdict::Tag),
            would(Verdict::Untag)
        ));
    } else {
        let summary = format!(
            "gc: deleted {} ({}), tagged {tagged}, untagged {untagged}",
            format::count(deleted.len(), "asset"),
            format::size(total(deleted.iter().copied()))
        );
        let painted = shell.paint_err(Style::Success, &summary);
        shell.status(painted);
    }
    let failures: Vec<String> = planned
        .iter()
        .zip(done)
        .filter_map(|((s, _), d)| match d {
            Done::Failed(reason) => Some(format!("{} `{}`: {reason}", s.kind(), s.name())),
            _ => None,
        })
        .collect();
    match failures.as_slice() {
        [] => Ok(()),
        [one] => Err(CliError::new(one.clone())),
        several => Err(CliError::new(format!(
            "{} failed:\n  - {}",
            format::count(several.len(), "asset"),
            several.join("\n  - ")
        ))),
    }
}

/// The unreferenced assets as a table, with totals.
fn table(shell: &Shell, planned: &[(Staged, Verdict)], now: i64, options: &Options) -> String {
    let rows: Vec<&(Staged, Verdict)> = planned.iter().filter(|(_, v)| v.unreferenced()).collect();
    if rows.is_empty() {
        return "No unreferenced assets: every staged asset is used by a deployed stack.\n"
            .to_owned();
    }
    let width = rows
        .iter()
        .map(|(s, _)| s.name().len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut text = format!(
        "{:<5}  {:<width$}  {:>9}  {:>5}  ACTION\n",
        "TYPE", "ASSET", "SIZE", "AGE"
    );
    for (staged, verdict) in &rows {
        let label = verdict.label(options.created_buffer_days);
        let label = match verdict {
            Verdict::Delete => shell.paint_out(Style::Removed, &label),
            Verdict::Tag => shell.paint_out(Style::Warning, &label),
            _ => label,
        };
        text.push_str(&format!(
            "{:<5}  {:<width$}  {:>9}  {:>5}  {label}\n",
            staged.kind(),
            staged.name(),
            format::size(usize::try_from(staged.size).unwrap_or(usize::MAX)),
            staged
                .created
                .map_or_else(|| "?".to_owned(), |c| age(now - c)),
        ));
    }
    let sum = |verdict: Verdict| {
        let chosen: Vec<&Staged> = rows
            .iter()
            .filter(|(_, v)| *v == verdict)
            .map(|(s, _)| s)
            .collect();
        format!(
            "{} ({})",
            chosen.len(),
            format::size(total(chosen.into_iter()))
        )
    };
    text.push_str(&format!(
        "{} unreferenced: {} to delete, {} to tag\n",
        rows.len(),
        sum(Verdict::Delete),
        sum(Verdict::Tag)
    ));
    text
}

fn to_json(planned: &[(Staged, Verdict)], done: &[Done], bucket: &str, options: &Options) -> Json {
    let assets: Vec<Json> = planned
        .iter()
        .zip(done)
        .filter(|((_, v), _)| *v != Verdict::InUse)
        .map(|((staged, verdict), done)| {
            let (location, id) = match &staged.location {
                Location::Object { key, .. } => (format!("s3://{bucket}/{key}"), key.clone()),
                Location::Image { digest, .. } => (
                    format!("{CONTAINER_ASSET_REPOSITORY}@{digest}"),
                    digest.clone(),
                ),
            };
            let mut entry = json!({
                "type": staged.kind(),
                "name": staged.name(),
                "id": id,
                "location": location,
                "hashes": staged.hashes,
                "size": staged.size,
                "created": staged.created.map(date),
                "isolatedSince": staged.isolated_since.map(date),
                "action": verdict.json_name(),
                "done": *done == Done::Yes,
            });
            if let (Verdict::Waiting { deletable }, Some(map)) = (verdict, entry.as_object_mut()) {
                map.insert("deletableFrom".to_owned(), json!(date(*deletable)));
            }
            if let (Done::Failed(reason), Some(map)) = (done, entry.as_object_mut()) {
                map.insert("error".to_owned(), json!(reason));
            }
            entry
        })
        .collect();
    let count = |verdict: fn(&Verdict) -> bool| planned.iter().filter(|(_, v)| verdict(v)).count();
    json!({
        "action": options.action.as_str(),
        "bucket": bucket,
        "repository": CONTAINER_ASSET_REPOSITORY,
        "inUse": count(|v| *v == Verdict::InUse || *v == Verdict::Untag),
        "unreferenced": count(|v| v.unreferenced()),
        "assets": assets,
    })
}

fn total<'a>(assets: impl Iterator<Item = &'a Staged>) -> usize {
    let bytes: u64 = assets.map(|s| s.size).sum();
    usize::try_from(bytes).unwrap_or(usize::MAX)
}

/// Seconds since 1970, now.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `2025-03-01T10:00:00Z`.
fn date(secs: i64) -> String {
    DateTime::from_secs(secs)
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| secs.to_string())
}

/// `45m`, `5h`, `12d`.
fn age(secs: i64) -> String {
    match secs.max(0) {
        s if s < 3600 => format!("{}m", s / 60),
        s if s < DAY => format!("{}h", s / 3600),
        s => format!("{}d", s / DAY),
    }
}

#[cfg(test)]
mod tests;
