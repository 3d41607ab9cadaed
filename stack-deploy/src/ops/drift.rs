//! `drift`: whether the deployed resources still match their stack's template, from
//! CloudFormation's drift detection (DetectStackDrift, DescribeStackDriftDetectionStatus,
//! DescribeStackResourceDrifts, and ListStackResources for the resources it cannot check).

use std::time::{Duration, Instant};

use aws_sdk_cloudformation::types::{PropertyDifference, StackResourceDrift};
use serde_json::{json, Value as Json};

use crate::aws::{errors, Aws};
use crate::error::{CliError, CliResult};
use crate::ops::cfn;
use crate::ops::progress::{Progress, ProgressMode};
use crate::shell::{Shell, Style};

/// How `drift` runs.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// `--json`.
    pub(crate) json: bool,
    pub(crate) progress: ProgressMode,
    /// `--timeout`: how long to wait for one stack's detection.
    pub(crate) timeout: Duration,
    /// The program's name, for the commands suggested in messages.
    pub(crate) app: String,
}

/// What was learned about one stack.
#[derive(Debug)]
enum Checked {
    /// No such stack, or only an empty one made by an unexecuted change set.
    NotDeployed,
    /// Detection could not be started, finished or read.
    Error(String),
    /// Detection ran; `failure` is its reason when it did not finish for every resource.
    Detected {
        stack_status: String,
        failure: Option<String>,
        resources: Vec<Resource>,
        in_sync: usize,
    },
}

/// A resource that is not in sync: drifted, or not checked.
#[derive(Debug)]
struct Resource {
    logical_id: String,
    type_name: String,
    physical_id: Option<String>,
    /// `MODIFIED`, `DELETED` or `NOT_CHECKED`.
    status: String,
    differences: Vec<Difference>,
}

/// One property of a `MODIFIED` resource.
#[derive(Debug)]
struct Difference {
    /// As CloudFormation writes it: `/VersioningConfiguration/Status`.
    path: String,
    expected: Option<String>,
    actual: Option<String>,
    /// `ADD`, `REMOVE` or `NOT_EQUAL`.
    kind: String,
}

impl Checked {
    fn drifted(&self) -> bool {
        matches!(self, Checked::Detected { resources, .. }
            if resources.iter().any(|r| r.status != "NOT_CHECKED"))
    }

    /// Why this stack's result cannot be trusted, if it cannot.
    fn problem(&self, name: &str, app: &str) -> Option<String> {
        match self {
            Checked::NotDeployed => Some(format!(
                "`{name}` is not deployed, so there is nothing to check; deploy it with `{app} \
                 deploy {name}`"
            )),
            Checked::Error(message) => Some(message.clone()),
            Checked::Detected {
                failure: Some(reason),
                ..
            } => Some(format!(
                "drift detection of `{name}` failed for some resources ({reason}); the \
                 resources listed are those CloudFormation could check"
            )),
            Checked::Detected { failure: None, .. } => None,
        }
    }
}

/// Detects drift on each named stack, one after the other, and prints what drifted. Exit
/// status 2 when a resource drifted, 1 when a stack is not deployed or could not be
/// checked completely (even if another drifted), 0 when everything is in sync.
pub(crate) async fn drift(
    shell: &mut Shell,
    aws: &Aws,
    names: &[String],
    options: &Options,
) -> CliResult {
    let mut results = Vec::new();
    let count = names.len();
    for (i, name) in names.iter().enumerate() {
        let mut progress = Progress::new(shell, options.progress, i + 1, count, name, 0);
        let checked = match check(shell, aws, name, &mut progress, options).await {
            Ok(checked) => checked,
            Err(message) => Checked::Error(message),
        };
        let summary = summary(&checked);
        let painted = if checked.drifted() {
            shell.paint_err(Style::Warning, &summary)
        } else if checked.problem(name, &options.app).is_some() {
            shell.paint_err(Style::Error, &summary)
        } else {
            shell.paint_err(Style::Success, &summary)
        };
        shell.status(format!("{}: {painted}", progress.prefix()));
        if !options.json {
            let text = render(shell, name, &checked);
            shell.out(&text).map_err(CliError::stdout)?;
        }
        results.push((name.as_str(), checked));
    }
    let drifted = results.iter().any(|(_, c)| c.drifted());
    if options.json {
        let stacks: Vec<Json> = results.iter().map(|(n, c)| to_json(n, c)).collect();
        let text = format!("{:#}\n", json!({ "drifted": drifted, "stacks": stacks }));
        shell.out(&text).map_err(CliError::stdout)?;
    }
    let problems: Vec<String> = results
        .iter()
        .filter_map(|(name, c)| c.problem(name, &options.app))
        .collect();
    match problems.as_slice() {
        [] if drifted => Err(CliError::differences()),
        [] => Ok(()),
        [one] => Err(CliError::new(one.clone())),
        several => Err(CliError::new(format!(
            "drift could not be checked on {} of {count} stacks:\n  - {}",
            several.len(),
            several.join("\n  - ")
        ))),
    }
}

/// Starts detection on one stack, waits for it and reads its results.
async fn check(
    shell: &mut Shell,
    aws: &Aws,
    name: &str,
    progress: &mut Progress,
    options: &Options,
) -> Result<Checked, String> {
    let Some(stack) = cfn::describe(aws, name)
        .await?
        .filter(|s| s.status != "REVIEW_IN_PROGRESS")
    else {
        return Ok(Checked::NotDeployed);
    };
    shell.status(format!("{}: detecting drift", progress.prefix()));
    let started = aws
        .cfn
        .detect_stack_drift()
        .stack_name(&stack.id)
        .send()
        .await
        .map_err(|e| {
            let mut message = format!(
                "cannot start drift detection on `{name}` ({}): {}",
                stack.status,
                errors::describe(&e)
            );
            if aws.endpoint.is_some() && errors::code(&e).is_none() {
                message.push_str(
                    "; the endpoint in `AWS_ENDPOINT_URL` may not implement DetectStackDrift \
                     (moto does not)",
                );
            }
            message
        })?;
    let detection = started
        .stack_drift_detection_id()
        .ok_or_else(|| format!("DetectStackDrift on `{name}` returned no detection ID"))?;
    let status = wait_detection(shell, aws, name, detection, progress, options).await?;
    let failure =
        (status.detection_status().map(|s| s.as_str()) == Some("DETECTION_FAILED")).then(|| {
            status
                .detection_status_reason()
                .unwrap_or("no reason given")
                .to_owned()
        });
    let drifts = resource_drifts(aws, name, &stack.id).await?;
    let mut in_sync = 0;
    let mut resources = Vec::new();
    for drift in &drifts {
        match drift.stack_resource_drift_status().map(|s| s.as_str()) {
            Some("IN_SYNC") => in_sync += 1,
            Some(status) => resources.push(resource(drift, status)),
            None => {}
        }
    }
    for (logical_id, type_name) in not_checked(aws, name, &stack.id).await? {
        if !resources.iter().any(|r| r.logical_id == logical_id) {
            resources.push(Resource {
                logical_id,
                type_name,
                physical_id: None,
                status: "NOT_CHECKED".to_owned(),
                differences: Vec::new(),
            });
        }
    }
    Ok(Checked::Detected {
        stack_status: status
            .stack_drift_status()
            .map_or("UNKNOWN", |s| s.as_str())
            .to_owned(),
        failure,
        resources,
        in_sync,
    })
}

type DetectionStatus = aws_sdk_cloudformation::operation::describe_stack_drift_detection_status::DescribeStackDriftDetectionStatusOutput;

/// Polls the detection until it is no longer `DETECTION_IN_PROGRESS`, showing its status
/// on the live line; gives up after `--timeout`.
async fn wait_detection(
    shell: &mut Shell,
    aws: &Aws,
    name: &str,
    detection: &str,
    progress: &mut Progress,
    options: &Options,
) -> Result<DetectionStatus, String> {
    let until = Instant::now() + options.timeout;
    loop {
        let status = aws
            .cfn
            .describe_stack_drift_detection_status()
            .stack_drift_detection_id(detection)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot read the drift detection of `{name}`: {}",
                    errors::describe(&e)
                )
            })?;
        let state = status
            .detection_status()
            .map_or("UNKNOWN", |s| s.as_str())
            .to_owned();
        if state != "DETECTION_IN_PROGRESS" {
            progress.finish(shell, &state);
            return Ok(status);
        }
        progress.status(shell, &state);
        if Instant::now() >= until {
            shell.clear_live();
            return Err(format!(
                "drift detection of `{name}` was still running after {}, so its result is \
                 unknown; see it later with `aws cloudformation \
                 describe-stack-drift-detection-status --stack-drift-detection-id {detection}`, \
                 or run `{} drift {name}` again with a longer `--timeout`",
                cfn::minutes(options.timeout),
                options.app
            ));
        }
        tokio::time::sleep(aws.poll_interval).await;
    }
}

/// Every page of DescribeStackResourceDrifts.
async fn resource_drifts(
    aws: &Aws,
    name: &str,
    id: &str,
) -> Result<Vec<StackResourceDrift>, String> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = aws
            .cfn
            .describe_stack_resource_drifts()
            .stack_name(id)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot read the resource drifts of `{name}`: {}",
                    errors::describe(&e)
                )
            })?;
        all.extend(page.stack_resource_drifts().iter().cloned());
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(all);
        }
    }
}

/// The resources whose drift CloudFormation did not check (types that do not support
/// drift detection), from ListStackResources: DescribeStackResourceDrifts leaves them out.
async fn not_checked(aws: &Aws, name: &str, id: &str) -> Result<Vec<(String, String)>, String> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = aws
            .cfn
            .list_stack_resources()
            .stack_name(id)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot list the resources of `{name}`: {}",
                    errors::describe(&e)
                )
            })?;
        for summary in page.stack_resource_summaries() {
            let status = summary
                .drift_information()
                .and_then(|d| d.stack_resource_drift_status())
                .map(|s| s.as_str());
            if status == Some("NOT_CHECKED") {
                all.push((
                    summary.logical_resource_id().unwrap_or_default().to_owned(),
                    summary.resource_type().unwrap_or_default().to_owned(),
                ));
            }
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(all);
        }
    }
}

fn resource(drift: &StackResourceDrift, status: &str) -> Resource {
    Resource {
        logical_id: drift.logical_resource_id().unwrap_or_default().to_owned(),
        type_name: drift.resource_type().unwrap_or_default().to_owned(),
        physical_id: drift.physical_resource_id().map(str::to_owned),
        status: status.to_owned(),
        differences: drift
            .property_differences()
            .iter()
            .map(difference)
            .collect(),
    }
}

fn difference(property: &PropertyDifference) -> Difference {
    let kind = property
        .difference_type()
        .map_or("NOT_EQUAL", |k| k.as_str())
        .to_owned();
    let value = |v: Option<&str>| {
        v.filter(|v| !v.is_empty() && *v != "null")
            .map(str::to_owned)
    };
    Difference {
        path: property.property_path().unwrap_or_default().to_owned(),
        expected: if kind == "ADD" {
            None
        } else {
            value(property.expected_value())
        },
        actual: if kind == "REMOVE" {
            None
        } else {
            value(property.actual_value())
        },
        kind,
    }
}

/// `in sync`, `drifted: 1 modified, 1 deleted, 2 in sync`, `not deployed`.
fn summary(checked: &Checked) -> String {
    match checked {
        Checked::NotDeployed => "not deployed; nothing to check".to_owned(),
        Checked::Error(_) => "drift could not be detected".to_owned(),
        Checked::Detected {
            resources,
            in_sync,
            failure,
            ..
        } => {
            let of = |status: &str| resources.iter().filter(|r| r.status == status).count();
            let (modified, deleted, unchecked) = (of("MODIFIED"), of("DELETED"), of("NOT_CHECKED"));
            let mut parts = Vec::new();
            if modified + deleted > 0 {
                parts.push(format!("{modified} modified"));
                parts.push(format!("{deleted} deleted"));
            }
            parts.push(format!("{in_sync} in sync"));
            if unchecked > 0 {
                parts.push(format!("{unchecked} not checked"));
            }
            let head = match (modified + deleted > 0, failure.is_some()) {
                (_, true) => "detection failed for some resources",
                (true, false) => "drifted",
                (false, false) => "in sync",
            };
            format!("{head}: {}", parts.join(", "))
        }
    }
}

fn render(shell: &Shell, name: &str, checked: &Checked) -> String {
    let mut out = format!(
        "{}\n",
        shell.paint_out(Style::Bold, &format!("Stack {name}"))
    );
    let Checked::Detected { resources, .. } = checked else {
        out.push_str(&format!("{}\n\n", summary(checked)));
        return out;
    };
    if resources.is_empty() {
        out.push_str("No drift\n");
    }
    for resource in resources {
        let (symbol, style) = match resource.status.as_str() {
            "DELETED" => ("[-]", Style::Removed),
            "NOT_CHECKED" => ("[?]", Style::Bold),
            _ => ("[~]", Style::Warning),
        };
        let note = if resource.status == "NOT_CHECKED" {
            " (CloudFormation cannot check this type for drift)"
        } else {
            ""
        };
        out.push_str(&format!(
            "{} {} {} {}{note}\n",
            shell.paint_out(style, symbol),
            resource.type_name,
            resource.logical_id,
            resource.status
        ));
        for difference in &resource.differences {
            let path = difference.path.trim_start_matches('/').replace('/', ".");
            let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".to_owned());
            out.push_str(&format!(
                "    [~] {path}: expected {}, actual {}\n",
                shown(&difference.expected),
                shown(&difference.actual)
            ));
        }
    }
    out.push_str(&format!("{name}: {}\n\n", summary(checked)));
    out
}

fn to_json(name: &str, checked: &Checked) -> Json {
    match checked {
        Checked::NotDeployed => json!({ "stack": name, "deployed": false, "drifted": false }),
        Checked::Error(message) => {
            json!({ "stack": name, "deployed": true, "drifted": false, "error": message })
        }
        Checked::Detected {
            stack_status,
            failure,
            resources,
            in_sync,
        } => {
            let resources: Vec<Json> = resources
                .iter()
                .map(|r| {
                    let differences: Vec<Json> = r
                        .differences
                        .iter()
                        .map(|d| {
                            json!({
                                "path": d.path,
                                "expected": d.expected,
                                "actual": d.actual,
                                "differenceType": d.kind,
                            })
                        })
                        .collect();
                    json!({
                        "logicalId": r.logical_id,
                        "type": r.type_name,
                        "physicalId": r.physical_id,
                        "status": r.status,
                        "differences": differences,
                    })
                })
                .collect();
            json!({
                "stack": name,
                "deployed": true,
                "drifted": checked.drifted(),
                "stackDriftStatus": stack_status,
                "detectionFailure": failure,
                "inSync": in_sync,
                "resources": resources,
            })
        }
    }
}
