//! CloudFormation calls shared by the deploy commands: reading a stack, its template and
//! events, and waiting for an operation to finish while showing its progress.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::types::StackEvent;
use serde_json::Value as Json;

use crate::aws::{errors, Aws};
use crate::ops::progress::Progress;
use crate::shell::Shell;

/// What DescribeStacks says about one stack.
#[derive(Clone, Debug, Default)]
pub(crate) struct StackInfo {
    /// The stack ARN; later calls use it so a deleted stack can still be read.
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) status: String,
    pub(crate) reason: Option<String>,
    /// `(key, value)` in the order CloudFormation lists them.
    pub(crate) outputs: Vec<(String, String)>,
    /// The parameter keys the deployed stack has.
    pub(crate) parameters: Vec<String>,
}

/// How a stack status reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// An operation is running.
    InProgress,
    /// `REVIEW_IN_PROGRESS`: created by a change set that was never executed; it holds no
    /// resources.
    Review,
    /// The last operation succeeded.
    Complete,
    /// The last operation failed and was rolled back (or could not be).
    Failed,
}

/// Classifies a stack status.
pub(crate) fn phase(status: &str) -> Phase {
    match status {
        "REVIEW_IN_PROGRESS" => Phase::Review,
        s if s.ends_with("_IN_PROGRESS") => Phase::InProgress,
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "DELETE_COMPLETE" | "IMPORT_COMPLETE" => {
            Phase::Complete
        }
        _ => Phase::Failed,
    }
}

/// Whether a stack in this status can be updated.
pub(crate) fn updatable(status: &str) -> bool {
    matches!(
        status,
        "CREATE_COMPLETE"
            | "UPDATE_COMPLETE"
            | "UPDATE_ROLLBACK_COMPLETE"
            | "IMPORT_COMPLETE"
            | "IMPORT_ROLLBACK_COMPLETE"
    )
}

/// The stack, or `None` when it does not exist (or was deleted).
pub(crate) async fn describe(aws: &Aws, name_or_id: &str) -> Result<Option<StackInfo>, String> {
    let result = aws
        .cfn
        .describe_stacks()
        .stack_name(name_or_id)
        .send()
        .await;
    let output = match result {
        Ok(output) => output,
        Err(error) if errors::is_missing_stack(&error) => return Ok(None),
        Err(error) => {
            return Err(format!(
                "cannot read stack `{name_or_id}`: {}",
                errors::describe(&error)
            ))
        }
    };
    let Some(stack) = output.stacks().first() else {
        return Ok(None);
    };
    let status = stack
        .stack_status()
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    if status == "DELETE_COMPLETE" && !name_or_id.starts_with("arn:") {
        return Ok(None);
    }
    Ok(Some(StackInfo {
        id: stack.stack_id().unwrap_or(name_or_id).to_owned(),
        name: stack.stack_name().unwrap_or(name_or_id).to_owned(),
        status,
        reason: stack.stack_status_reason().map(str::to_owned),
        outputs: stack
            .outputs()
            .iter()
            .map(|o| {
                (
                    o.output_key().unwrap_or_default().to_owned(),
                    o.output_value().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        parameters: stack
            .parameters()
            .iter()
            .filter_map(|p| p.parameter_key().map(str::to_owned))
            .collect(),
    }))
}

/// The deployed template, parsed; `Err` when it cannot be read or is not JSON.
pub(crate) async fn template(aws: &Aws, name_or_id: &str) -> Result<Json, String> {
    let output = aws
        .cfn
        .get_template()
        .stack_name(name_or_id)
        .send()
        .await
        .map_err(|e| {
            format!(
                "cannot read the deployed template of `{name_or_id}`: {}",
                errors::describe(&e)
            )
        })?;
    let body = output.template_body().unwrap_or("{}");
    serde_json::from_str(body).map_err(|e| {
        format!(
            "the deployed template of `{name_or_id}` is not JSON ({e}); only JSON templates can be compared"
        )
    })
}

/// The id of the newest event of the stack, so that waiting shows only later events.
pub(crate) async fn newest_event(aws: &Aws, id: &str) -> Result<Option<String>, String> {
    Ok(last_event(aws, id)
        .await?
        .and_then(|e| e.event_id().map(str::to_owned)))
}

/// The newest event of the stack.
pub(crate) async fn last_event(aws: &Aws, id: &str) -> Result<Option<StackEvent>, String> {
    let output = aws
        .cfn
        .describe_stack_events()
        .stack_name(id)
        .send()
        .await
        .map_err(|e| format!("cannot read the events of `{id}`: {}", errors::describe(&e)))?;
    Ok(output.stack_events().first().cloned())
}

/// An event in one line: `10:04:00 UPDATE_IN_PROGRESS AWS::SQS::Queue Queue`.
pub(crate) fn event_line(event: &StackEvent) -> String {
    let time = event
        .timestamp()
        .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
        .and_then(|t| t.get(11..19).map(str::to_owned))
        .unwrap_or_else(|| "--:--:--".to_owned());
    let mut line = format!(
        "{time} {} {} {}",
        event.resource_status().map(|s| s.as_str()).unwrap_or("?"),
        event.resource_type().unwrap_or_default(),
        event.logical_resource_id().unwrap_or_default()
    );
    if let Some(reason) = event.resource_status_reason() {
        line.push_str(&format!(" ({reason})"));
    }
    line
}

/// Events newer than `seen_marker` that are not in `seen`, oldest first.
async fn new_events(
    aws: &Aws,
    id: &str,
    marker: Option<&str>,
    seen: &BTreeSet<String>,
) -> Result<Vec<StackEvent>, String> {
    let mut collected = Vec::new();
    let mut token: Option<String> = None;
    'pages: loop {
        let output = aws
            .cfn
            .describe_stack_events()
            .stack_name(id)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| format!("cannot read the events of `{id}`: {}", errors::describe(&e)))?;
        for event in output.stack_events() {
            let event_id = event.event_id().unwrap_or_default();
            if Some(event_id) == marker || seen.contains(event_id) {
                break 'pages;
            }
            collected.push(event.clone());
        }
        token = output.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    collected.reverse();
    Ok(collected)
}

/// How an operation that was waited for ended.
#[derive(Clone, Debug)]
pub(crate) struct Finished {
    pub(crate) stack: StackInfo,
    /// The first resource that failed, with its status and reason, when any did.
    pub(crate) first_failure: Option<Failure>,
    /// Resources CloudFormation left in place on delete (`DELETE_SKIPPED`).
    pub(crate) skipped: Vec<(String, String)>,
}

/// A resource event with a `*_FAILED` status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) logical_id: String,
    pub(crate) type_name: String,
    pub(crate) status: String,
    pub(crate) reason: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` ({}) {}: {}",
            self.logical_id, self.type_name, self.status, self.reason
        )
    }
}

/// Polls the stack until its status is no longer `*_IN_PROGRESS`, showing new events and
/// the resource count as it goes. `marker` is the newest event before the operation
/// started; `None` for a stack created by this operation.
///
/// Once the status is final, the events are read once more: the failure that ended the
/// operation is often written in the same moment as the final status, between two polls.
pub(crate) async fn wait(
    shell: &mut Shell,
    aws: &Aws,
    id: &str,
    marker: Option<String>,
    progress: &mut Progress,
) -> Result<Finished, String> {
    let finished = wait_until(shell, aws, id, marker, progress, None).await?;
    finished.ok_or_else(|| format!("stopped waiting for `{id}`"))
}

/// Waiting for an operation someone else started: a line every [`HEARTBEAT_POLLS`] polls
/// without a new event, and an optional limit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Patience {
    /// When the wait started, for the time so far.
    pub(crate) since: Instant,
    /// When to stop waiting.
    pub(crate) until: Option<Instant>,
}

/// How many polls without a new event make a "still waiting" line: a minute at the usual
/// poll interval.
const HEARTBEAT_POLLS: u32 = 30;

/// [`wait`], saying every so often how long it has waited and what the stack's last event
/// was, and giving up (`Ok(None)`) at the limit of `patience`.
pub(crate) async fn wait_until(
    shell: &mut Shell,
    aws: &Aws,
    id: &str,
    marker: Option<String>,
    progress: &mut Progress,
    patience: Option<Patience>,
) -> Result<Option<Finished>, String> {
    let mut seen = Seen::default();
    let mut quiet_polls = 0;
    loop {
        let before = seen.ids.len();
        seen.read(shell, aws, id, marker.as_deref(), progress)
            .await?;
        let stack = describe(aws, id)
            .await?
            .ok_or_else(|| format!("stack `{id}` disappeared while it was being watched"))?;
        if phase(&stack.status) != Phase::InProgress {
            seen.read(shell, aws, id, marker.as_deref(), progress)
                .await?;
            progress.finish(shell, &stack.status);
            return Ok(Some(Finished {
                stack,
                first_failure: seen.first_failure,
                skipped: seen.skipped,
            }));
        }
        progress.status(shell, &stack.status);
        if let Some(patience) = patience {
            if patience.until.is_some_and(|until| Instant::now() >= until) {
                shell.clear_live();
                return Ok(None);
            }
            quiet_polls = if seen.ids.len() == before {
                quiet_polls + 1
            } else {
                0
            };
            if quiet_polls >= HEARTBEAT_POLLS {
                quiet_polls = 0;
                let last = match &seen.last {
                    Some(event) => event_line(event),
                    None => last_event(aws, id)
                        .await?
                        .map_or_else(|| "none".to_owned(), |e| event_line(&e)),
                };
                shell.status(format!(
                    "{}: still {} after {}; last event: {last}",
                    progress.prefix(),
                    stack.status,
                    minutes(patience.since.elapsed())
                ));
            }
        }
        tokio::time::sleep(aws.poll_interval).await;
    }
}

/// `1m05s`, `42s`.
pub(crate) fn minutes(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    }
}

/// What the events of one operation said so far.
#[derive(Default)]
struct Seen {
    ids: BTreeSet<String>,
    first_failure: Option<Failure>,
    skipped: Vec<(String, String)>,
    /// The newest event read.
    last: Option<StackEvent>,
}

impl Seen {
    /// Reads and shows the events not seen yet, and notes failures and skipped deletes.
    async fn read(
        &mut self,
        shell: &mut Shell,
        aws: &Aws,
        id: &str,
        marker: Option<&str>,
        progress: &mut Progress,
    ) -> Result<(), String> {
        let events = new_events(aws, id, marker, &self.ids).await?;
        for event in &events {
            self.ids
                .insert(event.event_id().unwrap_or_default().to_owned());
            let status = event
                .resource_status()
                .map(|s| s.as_str())
                .unwrap_or_default();
            let logical = event.logical_resource_id().unwrap_or_default();
            let is_stack = event.resource_type() == Some("AWS::CloudFormation::Stack")
                && (event.physical_resource_id() == Some(id) || logical == progress.stack());
            if !is_stack && status.ends_with("_FAILED") && self.first_failure.is_none() {
                let reason = event.resource_status_reason().unwrap_or("no reason given");
                // Resources cancelled because another failed are not the cause.
                if !reason.contains("Resource creation cancelled")
                    && !reason.contains("Resource update cancelled")
                {
                    self.first_failure = Some(Failure {
                        logical_id: logical.to_owned(),
                        type_name: event.resource_type().unwrap_or_default().to_owned(),
                        status: status.to_owned(),
                        reason: reason.to_owned(),
                    });
                }
            }
            if !is_stack && status == "DELETE_SKIPPED" {
                self.skipped.push((
                    logical.to_owned(),
                    event.resource_type().unwrap_or_default().to_owned(),
                ));
            }
            progress.event(shell, event, is_stack);
        }
        if let Some(newest) = events.last() {
            self.last = Some(newest.clone());
        }
        Ok(())
    }
}

/// Polls a change set until CloudFormation has computed it.
pub(crate) async fn wait_change_set(
    aws: &Aws,
    change_set_id: &str,
) -> Result<aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput, String>
{
    let mut delay = Duration::from_millis(0);
    loop {
        tokio::time::sleep(delay).await;
        delay = aws.poll_interval.min(Duration::from_secs(1));
        let mut output = aws
            .cfn
            .describe_change_set()
            .change_set_name(change_set_id)
            .send()
            .await
            .map_err(|e| format!("cannot read change set: {}", errors::describe(&e)))?;
        let status = output
            .status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default();
        if status == "CREATE_PENDING" || status == "CREATE_IN_PROGRESS" {
            continue;
        }
        // Large change sets come in pages; gather every change into the first page.
        let mut token = output.next_token().map(str::to_owned);
        let mut changes = output.changes().to_vec();
        while let Some(next) = token {
            let page = aws
                .cfn
                .describe_change_set()
                .change_set_name(change_set_id)
                .next_token(next)
                .send()
                .await
                .map_err(|e| format!("cannot read change set: {}", errors::describe(&e)))?;
            changes.extend(page.changes().iter().cloned());
            token = page.next_token().map(str::to_owned);
        }
        output = aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput::builder()
            .set_change_set_id(output.change_set_id().map(str::to_owned))
            .set_stack_id(output.stack_id().map(str::to_owned))
            .set_status(output.status().cloned())
            .set_status_reason(output.status_reason().map(str::to_owned))
            .set_execution_status(output.execution_status().cloned())
            .set_changes(Some(changes))
            .build();
        return Ok(output);
    }
}

/// Whether a failed change set or update only means "nothing to do".
pub(crate) fn means_no_changes(reason: &str) -> bool {
    reason.contains("didn't contain changes")
        || reason.contains("No updates are to be performed")
        || reason.contains("No changes")
}
