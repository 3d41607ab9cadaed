//! `doctor`: where deploys would go, with what identity, and whether the account is ready.

use crate::aws::Aws;
use crate::error::{CliError, CliResult};
use crate::ops::publish::staging_bucket;
use crate::ops::{cfn, image};
use crate::shell::{Shell, Style};

/// Prints region, credentials, account, endpoint and bootstrap state, one per line; fails
/// when any of them is not usable.
pub(crate) async fn doctor(
    shell: &mut Shell,
    aws: &Aws,
    toolkit_stack: &str,
    app: &str,
    docker: &str,
) -> CliResult {
    let mut rows: Vec<(&str, String)> = Vec::new();
    let mut problems = 0;
    let ok = |shell: &Shell| shell.paint_out(Style::Success, "ok");
    let bad = |shell: &Shell, what: &str| shell.paint_out(Style::Error, what);

    rows.push((
        "region",
        format!("{} (from {})", aws.region, aws.region_source),
    ));
    rows.push(("credentials", format!("from {}", aws.credentials_source)));
    let endpoint = match &aws.endpoint {
        Some(url) => format!("{url} (from `AWS_ENDPOINT_URL`)"),
        None => "the AWS endpoints of the region".to_owned(),
    };
    rows.push(("endpoint", endpoint));
    let account = match aws.account().await {
        Ok(account) => {
            rows.push(("account", format!("{account} {}", ok(shell))));
            Some(account)
        }
        Err(error) => {
            problems += 1;
            rows.push(("account", format!("{}: {error}", bad(shell, "unknown"))));
            None
        }
    };
    match cfn::describe(aws, toolkit_stack).await {
        Ok(Some(stack)) if cfn::phase(&stack.status) == cfn::Phase::Complete => {
            let bucket = account
                .as_deref()
                .map(|a| format!(", bucket `{}`", staging_bucket(a, &aws.region)))
                .unwrap_or_default();
            rows.push((
                "bootstrap",
                format!(
                    "stack `{toolkit_stack}` {}{bucket} {}",
                    stack.status,
                    ok(shell)
                ),
            ));
        }
        Ok(Some(stack)) => {
            problems += 1;
            rows.push((
                "bootstrap",
                format!(
                    "stack `{toolkit_stack}` is {} {}; run `{app} bootstrap` again",
                    stack.status,
                    bad(shell, "(not usable)")
                ),
            ));
        }
        Ok(None) => rows.push((
            "bootstrap",
            format!(
                "not bootstrapped: stack `{toolkit_stack}` does not exist; run `{app} bootstrap` \
                 before deploying stacks with file or image assets or templates over 51,200 bytes"
            ),
        )),
        Err(error) => {
            problems += 1;
            rows.push(("bootstrap", format!("{}: {error}", bad(shell, "unknown"))));
        }
    }
    // Not a failed check: only stacks with image assets need an engine.
    let engine = match image::engine_version(docker) {
        Ok(version) => format!("`{docker}`, engine {version} {}", ok(shell)),
        Err(missing) => format!("{missing}; needed only to build image assets"),
    };
    rows.push(("docker", engine));
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let text: String = rows
        .iter()
        .map(|(k, v)| format!("{k:<width$}  {v}\n"))
        .collect();
    shell.out(&text).map_err(CliError::stdout)?;
    if problems > 0 {
        Err(CliError::new(format!(
            "{problems} of the checks above failed"
        )))
    } else {
        Ok(())
    }
}
