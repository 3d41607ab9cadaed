//! Image assets: built with a docker-compatible engine for the asset's platform and pushed
//! to the staging repository that `bootstrap` creates, once per content hash.
//!
//! The engine is whatever `STACK_DOCKER` names (`docker` by default; podman and finch speak
//! the same commands). Its output is streamed as progress: on a terminal as one live line,
//! elsewhere line by line, prefixed with the stack's name.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use aws_sdk_ecr::types::ImageIdentifier;
use stack_core::asset::{Asset, CONTAINER_ASSET_REPOSITORY};
use tokio::sync::mpsc;

use crate::aws::{errors, Aws};
use crate::env::Env;
use crate::shell::Shell;

/// The docker-compatible command line used when `STACK_DOCKER` is not set.
pub(crate) const DEFAULT_DOCKER: &str = "docker";

/// The docker-compatible command: `STACK_DOCKER`, else `docker`.
pub(crate) fn docker_command(env: &Env) -> String {
    env.var("STACK_DOCKER")
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| DEFAULT_DOCKER.to_owned())
}

/// How many of the engine's last output lines a failure message quotes.
const TAIL_LINES: usize = 15;

/// How much of an engine output line the live status line shows on a terminal.
const LIVE_WIDTH: usize = 72;

/// The version of the engine behind `docker`, or what is missing, e.g. "`docker` is not
/// installed (...)".
pub(crate) fn engine_version(docker: &str) -> Result<String, String> {
    let answer = Command::new(docker)
        .args(["version", "--format", "{{.Server.Version}}"])
        .stdin(Stdio::null())
        .output();
    match answer {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "`{docker}` is not installed (set `STACK_DOCKER` to use another docker-compatible \
             command, such as podman or finch)"
        )),
        Err(error) => Err(format!("`{docker}` cannot be run: {error}")),
        Ok(output) if !output.status.success() => Err(format!(
            "`{docker}` is installed but no engine answers (start the docker daemon, or Docker \
             Desktop)"
        )),
        Ok(output) => Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned()),
    }
}

/// Who builds images in this run and what the messages call the app.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Publisher<'a> {
    /// The docker-compatible program (`STACK_DOCKER`).
    pub(crate) docker: &'a str,
    /// The program's name, for the commands suggested in messages.
    pub(crate) app: &'a str,
    /// The stack the asset belongs to.
    pub(crate) stack: &'a str,
}

impl Publisher<'_> {
    /// Builds and pushes `asset` unless the staging repository has its tag already.
    pub(crate) async fn publish(
        &self,
        shell: &mut Shell,
        aws: &Aws,
        asset: &Asset,
    ) -> Result<(), String> {
        let repository = self.repository_uri(aws).await;
        if repository.is_ok() && self.exists(aws, &asset.hash).await? {
            shell.status(format!(
                "{}: image asset `{}` already published",
                self.stack,
                asset.source.display()
            ));
            return Ok(());
        }
        // A missing engine is named before a missing bootstrap: both must be fixed, and
        // the engine is what a user without one would otherwise look for next.
        self.check_engine(asset)?;
        let image = format!("{}:{}", repository?, asset.hash);
        let platform = asset.platform.map(|p| p.as_docker());
        shell.status(format!(
            "{}: building image asset `{}`{}",
            self.stack,
            asset.source.display(),
            platform.map(|p| format!(" for {p}")).unwrap_or_default()
        ));
        self.login(shell, aws).await?;

        let mut build = Command::new(self.docker);
        build.arg("build");
        if let Some(platform) = platform {
            build.args(["--platform", platform]);
        }
        build.args(["--tag", &image]).arg(&asset.source);
        self.stream(shell, build, "build", None).await?;

        let mut push = Command::new(self.docker);
        push.args(["push", &image]);
        self.stream(shell, push, "push", None).await?;
        shell.status(format!(
            "{}: published image asset `{}` to {image}",
            self.stack,
            asset.source.display()
        ));
        Ok(())
    }

    /// The URI of the staging repository, from ECR.
    async fn repository_uri(&self, aws: &Aws) -> Result<String, String> {
        let found = aws
            .ecr
            .describe_repositories()
            .repository_names(CONTAINER_ASSET_REPOSITORY)
            .send()
            .await;
        match found {
            Ok(output) => output
                .repositories()
                .first()
                .and_then(|r| r.repository_uri())
                .map(str::to_owned)
                .ok_or_else(|| {
                    format!("ECR returned no URI for the staging repository `{CONTAINER_ASSET_REPOSITORY}`")
                }),
            Err(error) if errors::code(&error) == Some("RepositoryNotFoundException") => Err(format!(
                "the staging repository `{CONTAINER_ASSET_REPOSITORY}` does not exist, and stack \
                 `{}` has image assets; run `{} bootstrap` once per account and region",
                self.stack, self.app
            )),
            Err(error) => Err(format!(
                "cannot read the staging repository `{CONTAINER_ASSET_REPOSITORY}`: {}",
                errors::describe(&error)
            )),
        }
    }

    /// Whether the staging repository holds an image tagged `tag`.
    async fn exists(&self, aws: &Aws, tag: &str) -> Result<bool, String> {
        let found = aws
            .ecr
            .describe_images()
            .repository_name(CONTAINER_ASSET_REPOSITORY)
            .image_ids(ImageIdentifier::builder().image_tag(tag).build())
            .send()
            .await;
        match found {
            Ok(output) => Ok(!output.image_details().is_empty()),
            Err(error) if errors::code(&error) == Some("ImageNotFoundException") => Ok(false),
            Err(error) => Err(format!(
                "cannot list the images of `{CONTAINER_ASSET_REPOSITORY}`: {}",
                errors::describe(&error)
            )),
        }
    }

    /// Fails, naming the asset and what is missing, when no engine answers.
    fn check_engine(&self, asset: &Asset) -> Result<(), String> {
        let Err(missing) = engine_version(self.docker) else {
            return Ok(());
        };
        Err(format!(
            "stack `{}` has a docker image asset `{}` (hash {}), which is built on this machine, \
             and {missing}; or build and push the image yourself and pass its URI through the \
             app's context, if the app reads one (photosky reads `image_uri`: `{} deploy \
             --context image_uri=ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG`)",
            self.stack,
            asset.source.display(),
            &asset.hash[..asset.hash.len().min(12)],
            self.app
        ))
    }

    /// Logs the engine in to the account's registry with a token from ECR.
    async fn login(&self, shell: &mut Shell, aws: &Aws) -> Result<(), String> {
        let output = aws
            .ecr
            .get_authorization_token()
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot get a registry login from ECR: {}",
                    errors::describe(&e)
                )
            })?;
        let data = output
            .authorization_data()
            .first()
            .ok_or("ECR returned no authorization data")?;
        let (token, endpoint) = match (data.authorization_token(), data.proxy_endpoint()) {
            (Some(token), Some(endpoint)) => (token, endpoint),
            _ => return Err("ECR returned an authorization without token or endpoint".to_owned()),
        };
        let decoded = aws_smithy_types::base64::decode(token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or("ECR returned an authorization token that is not base64 text")?;
        let (user, password) = decoded
            .split_once(':')
            .ok_or("ECR returned an authorization token without `user:password`")?;
        let mut login = Command::new(self.docker);
        login.args(["login", "--username", user, "--password-stdin", endpoint]);
        self.stream(shell, login, "login", Some(password.to_owned()))
            .await
    }

    /// Runs one engine command, showing its output as progress, and fails with the last
    /// lines of that output when the command fails.
    async fn stream(
        &self,
        shell: &mut Shell,
        mut command: Command,
        step: &str,
        input: Option<String>,
    ) -> Result<(), String> {
        command
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot run `{} {step}`: {e}", self.docker))?;
        if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
            stdin
                .write_all(input.as_bytes())
                .map_err(|e| format!("cannot write to `{} {step}`: {e}", self.docker))?;
        }
        let (sender, mut lines) = mpsc::unbounded_channel();
        let readers: Vec<_> = [
            child
                .stdout
                .take()
                .map(|o| Box::new(o) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|e| Box::new(e) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        .map(|pipe| {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            })
        })
        .collect();
        drop(sender);

        let mut tail: Vec<String> = Vec::new();
        let live = shell.err_is_tty();
        while let Some(line) = lines.recv().await {
            let line = line.trim_end().to_owned();
            if line.is_empty() {
                continue;
            }
            if live {
                // One terminal row, or the next redraw cannot clear it.
                let shown: String = line.chars().take(LIVE_WIDTH).collect();
                shell.live(&format!("{} | {step}: {shown}", self.stack));
            } else {
                shell.status(format!("{} | {line}", self.stack));
            }
            if tail.len() == TAIL_LINES {
                tail.remove(0);
            }
            tail.push(line);
        }
        shell.clear_live();
        for reader in readers {
            let _ = reader.join();
        }
        let status = child
            .wait()
            .map_err(|e| format!("cannot wait for `{} {step}`: {e}", self.docker))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!(
                "`{} {step}` failed ({status}) for stack `{}`; its last lines:\n  {}",
                self.docker,
                self.stack,
                tail.join("\n  ")
            ))
        }
    }
}
