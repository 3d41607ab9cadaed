//! Handing a lifecycle command to the `stack-deploy` binary, which carries the AWS SDK so
//! that the app binary does not: found or built once, then run with the app's arguments
//! and the cloud assembly's directory.
//!
//! Where the binary comes from, first match wins:
//!
//! 1. `STACK_DEPLOY`, the path of a `stack-deploy` binary;
//! 2. when the app runs under `cargo run` in a workspace that has the `stack-deploy`
//!    package, `cargo build -p stack-deploy` (a no-op once built, so the binary always
//!    matches the workspace's sources);
//! 3. `stack-deploy` on `PATH` (`cargo install stack-deploy`).

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::app::Handoff;
use crate::env::Env;
use crate::error::CliError;
use crate::shell::Shell;

/// The deploy binary's name.
pub const DEPLOY_BINARY: &str = "stack-deploy";

/// The variable that names the deploy binary.
pub const DEPLOY_BINARY_VAR: &str = "STACK_DEPLOY";

/// Runs the handed-off command in the `stack-deploy` binary, with the same standard
/// streams, and returns its exit status.
pub fn run(handoff: &Handoff<'_>, env: &Env, shell: &mut Shell) -> u8 {
    match locate(env, shell).and_then(|binary| exec(&binary, handoff)) {
        Ok(code) => code,
        Err(error) => {
            if let Some(message) = &error.message {
                shell.error(message);
            }
            error.code
        }
    }
}

/// The arguments `stack-deploy` gets: `--app <assembly>`, then the app's own arguments
/// after the program name.
pub fn deploy_args(handoff: &Handoff<'_>) -> Vec<OsString> {
    let mut args = vec![OsString::from("--app"), handoff.assembly.into()];
    args.extend(handoff.args.iter().skip(1).cloned());
    args
}

fn exec(binary: &Path, handoff: &Handoff<'_>) -> Result<u8, CliError> {
    let mut command = Command::new(binary);
    command.args(deploy_args(handoff));
    #[cfg(unix)]
    {
        // The deploy tool takes over the process: signals (Ctrl-C during a deploy) and
        // the exit status are its own.
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        Err(cannot_run(binary, &error))
    }
    #[cfg(not(unix))]
    {
        let status = command.status().map_err(|e| cannot_run(binary, &e))?;
        Ok(status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .unwrap_or(crate::EXIT_ERROR))
    }
}

fn cannot_run(binary: &Path, error: &std::io::Error) -> CliError {
    CliError::new(format!("cannot run `{}`: {error}", binary.display()))
}

fn locate(env: &Env, shell: &mut Shell) -> Result<PathBuf, CliError> {
    if let Some(path) = env.var(DEPLOY_BINARY_VAR).filter(|p| !p.is_empty()) {
        let path = env.resolve(Path::new(&path));
        if path.is_file() {
            return Ok(path);
        }
        return Err(CliError::new(format!(
            "`{DEPLOY_BINARY_VAR}` names `{}`, which is not a file; point it at a \
             `{DEPLOY_BINARY}` binary or unset it",
            path.display()
        )));
    }
    if let (Some(cargo), Some(manifest_dir)) = (env.var("CARGO"), env.var("CARGO_MANIFEST_DIR")) {
        if let Some(path) = build_in_workspace(shell, Path::new(&cargo), Path::new(&manifest_dir))?
        {
            return Ok(path);
        }
    }
    if let Some(path) = on_path(env) {
        return Ok(path);
    }
    Err(CliError::new(format!(
        "the lifecycle commands run `{DEPLOY_BINARY}`, which is not installed: install it \
         with `cargo install stack-deploy` (or `cargo install --path stack-deploy` in the \
         stack repository), or set `{DEPLOY_BINARY_VAR}` to its path"
    )))
}

/// Builds `stack-deploy` with the cargo that runs the app, when the app's workspace has
/// it as a member; `None` when it does not.
fn build_in_workspace(
    shell: &mut Shell,
    cargo: &Path,
    manifest_dir: &Path,
) -> Result<Option<PathBuf>, CliError> {
    let metadata = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(manifest_dir)
        .stderr(Stdio::null())
        .output();
    let is_member = metadata.ok().is_some_and(|out| {
        out.status.success()
            && serde_json::from_slice::<serde_json::Value>(&out.stdout)
                .ok()
                .and_then(|meta| {
                    meta.get("packages")?.as_array().map(|packages| {
                        packages
                            .iter()
                            .any(|p| p.get("name").and_then(|n| n.as_str()) == Some(DEPLOY_BINARY))
                    })
                })
                .unwrap_or(false)
    });
    if !is_member {
        return Ok(None);
    }
    let release = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.ends_with("release")))
        .unwrap_or(false);
    let mut build = Command::new(cargo);
    build
        .args(["build", "-p", DEPLOY_BINARY, "--bin", DEPLOY_BINARY])
        .args(["--message-format", "json-render-diagnostics"])
        .current_dir(manifest_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if release {
        build.arg("--release");
    }
    let cannot =
        |e: std::io::Error| CliError::new(format!("cannot run `{}`: {e}", cargo.display()));
    let mut child = build.spawn().map_err(cannot)?;
    let stdout = child.stdout.take();
    // Cargo's JSON messages name the binary; they are read while its stderr is shown.
    let executable = std::thread::spawn(move || {
        let mut executable = None;
        for line in stdout
            .into_iter()
            .flat_map(|s| BufReader::new(s).lines().map_while(Result::ok))
        {
            if let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) {
                if let Some(path) = message.get("executable").and_then(|e| e.as_str()) {
                    executable = Some(PathBuf::from(path));
                }
            }
        }
        executable
    });
    // Cargo's progress is shown only when something is compiled, so a deploy with the
    // tool already built prints nothing about it; on failure everything is shown.
    let mut held = Vec::new();
    let mut showing = false;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !showing && line.trim_start().starts_with("Compiling") {
                showing = true;
                shell.status(format!(
                    "Building `{DEPLOY_BINARY}`, which runs the lifecycle commands; the first \
                     build takes a few minutes, later runs reuse it"
                ));
                for earlier in held.drain(..) {
                    shell.status(earlier);
                }
            }
            if showing {
                shell.status(&line);
            } else {
                held.push(line);
            }
        }
    }
    let status = child.wait().map_err(cannot)?;
    let executable = executable.join().ok().flatten();
    match executable {
        Some(path) if status.success() => Ok(Some(path)),
        _ => {
            for line in held {
                shell.status(line);
            }
            Err(CliError::new(format!(
                "could not build `{DEPLOY_BINARY}` (cargo's messages are above); fix that, \
                 or install it elsewhere and set `{DEPLOY_BINARY_VAR}` to its path"
            )))
        }
    }
}

fn on_path(env: &Env) -> Option<PathBuf> {
    let path = env.var("PATH")?;
    let name = format!("{DEPLOY_BINARY}{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(OsStr::new(&path))
        .map(|dir| dir.join(&name))
        .find(|candidate| candidate.is_file())
}
