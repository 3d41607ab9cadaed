//! Showing a running stack operation: `[n/N]` per stack, resources done out of total, and
//! the events as they arrive. On a terminal a status line is redrawn in place under the
//! events; elsewhere (`--progress events`, CI logs) every line is appended.

use std::collections::BTreeMap;
use std::time::Instant;

use aws_sdk_cloudformation::types::StackEvent;
use aws_smithy_types::date_time::Format;

use crate::shell::{Shell, Style};

pub(crate) use stack_app::cli::ProgressMode;

/// The progress of one stack's operation.
#[derive(Debug)]
pub(crate) struct Progress {
    live: bool,
    index: usize,
    count: usize,
    stack: String,
    total: usize,
    /// The latest status of each resource seen in this operation.
    resources: BTreeMap<String, String>,
    started: Instant,
    status: String,
}

impl Progress {
    /// Progress of stack `index` (1-based) of `count`, with `total` resources (0: not
    /// counted).
    pub(crate) fn new(
        shell: &Shell,
        mode: ProgressMode,
        index: usize,
        count: usize,
        stack: &str,
        total: usize,
    ) -> Self {
        Self {
            live: mode == ProgressMode::Bar && shell.err_is_tty(),
            index,
            count,
            stack: stack.to_owned(),
            total,
            resources: BTreeMap::new(),
            started: Instant::now(),
            status: "starting".to_owned(),
        }
    }

    /// The stack's name.
    pub(crate) fn stack(&self) -> &str {
        &self.stack
    }

    /// `[1/2] PhotoSky`.
    pub(crate) fn prefix(&self) -> String {
        format!("[{}/{}] {}", self.index, self.count, self.stack)
    }

    /// Resources whose latest status is final.
    fn done(&self) -> usize {
        self.resources
            .values()
            .filter(|s| s.ends_with("_COMPLETE") || s.as_str() == "DELETE_SKIPPED")
            .count()
    }

    /// Shows one event.
    pub(crate) fn event(&mut self, shell: &mut Shell, event: &StackEvent, is_stack: bool) {
        let status = event
            .resource_status()
            .map(|s| s.as_str())
            .unwrap_or_default();
        let logical = event.logical_resource_id().unwrap_or_default();
        if !is_stack {
            self.resources.insert(logical.to_owned(), status.to_owned());
        }
        let time = event
            .timestamp()
            .and_then(|t| t.fmt(Format::DateTime).ok())
            .and_then(|t| t.get(11..19).map(str::to_owned))
            .unwrap_or_else(|| "--:--:--".to_owned());
        let style = if status.ends_with("_FAILED") {
            Some(Style::Error)
        } else if status.contains("ROLLBACK") {
            Some(Style::Warning)
        } else if status.ends_with("_COMPLETE") {
            Some(Style::Success)
        } else {
            None
        };
        let padded = format!("{status:<24}");
        let shown = match style {
            Some(style) => shell.paint_err(style, &padded),
            None => padded,
        };
        let mut line = format!(
            "{} | {time} | {shown} | {} | {logical}",
            self.prefix(),
            event.resource_type().unwrap_or_default(),
        );
        if let Some(reason) = event.resource_status_reason() {
            if status.ends_with("_FAILED") || status.contains("ROLLBACK") || is_stack {
                line.push_str(&format!(" ({reason})"));
            }
        }
        shell.status(line);
        self.redraw(shell);
    }

    /// Records the stack's current status.
    pub(crate) fn status(&mut self, shell: &mut Shell, status: &str) {
        self.status = status.to_owned();
        self.redraw(shell);
    }

    fn redraw(&self, shell: &mut Shell) {
        if !self.live {
            return;
        }
        // Without a resource count (drift detection, a template that could not be read),
        // the line shows the status and the time only.
        let resources = if self.total == 0 {
            String::new()
        } else {
            format!("  {}/{} resources", self.done().min(self.total), self.total)
        };
        let line = format!(
            "{}  {}{resources}  {}s",
            self.prefix(),
            self.status,
            self.started.elapsed().as_secs()
        );
        shell.live(&line);
    }

    /// Ends the live line once the stack reached `status`.
    pub(crate) fn finish(&mut self, shell: &mut Shell, status: &str) {
        self.status = status.to_owned();
        shell.clear_live();
    }

    /// Seconds since the operation started, one decimal.
    pub(crate) fn elapsed(&self) -> String {
        format!("{:.1}s", self.started.elapsed().as_secs_f64())
    }
}
