//! The command line every stack app gets.
//!
//! An app binary describes itself with an [`AppSpec`] and hands [`run`] a function that
//! builds its [`App`] from the resolved [`Context`]:
//!
//! ```no_run
//! use stack_core::App;
//!
//! fn main() -> std::process::ExitCode {
//!     stack_app::run(
//!         stack_app::AppSpec::new("photosky").context_default("app_name", "PhotoSky"),
//!         |ctx| {
//!             let _name = ctx.get("app_name")?;
//!             Ok(App::new())
//!         },
//!     )
//! }
//! ```
//!
//! # Commands
//!
//! The app binary runs `synth` and `ls` itself. For every other command it writes the
//! cloud assembly (all stacks) to `stack.out/` and hands the command, with the same
//! arguments, to the `stack-deploy` binary, which carries the AWS SDK: apps and every
//! edit-synth loop compile without it. Under `cargo run` in a workspace with the
//! `stack-deploy` package, the first lifecycle command builds it once; elsewhere it is
//! found on `PATH` or at `STACK_DEPLOY` (see [`handoff`]).
//!
//! - `synth [STACK...] [--out DIR] [--stdout]` writes `<out>/<Stack>.template.json`,
//!   `<out>/<Stack>.assets.json` for stacks with assets, and `<out>/manifest.json`.
//!   `--out` defaults to `stack.out` in the working directory.
//! - `ls [--long]` lists the app's stacks.
//! - `deploy [STACK...|--all]` publishes file assets, creates or updates each stack (through
//!   a change set unless `--method direct`), waits for it with live progress, and prints
//!   its outputs; `--parameters`, `--require-approval`, `--outputs-file` and `--progress`
//!   as in CDK. Stacks go in dependency order ([`stack_core::Stack::dependencies`]), with
//!   the stacks the named ones depend on unless `--exclusively`, and up to
//!   `--concurrency N` at once. `--no-rollback` leaves a failed stack as it failed.
//! - `diff [STACK...] [--json] [--exclusively]` compares each local template with the
//!   deployed one, per resource and property, with IAM statements compared one by one and
//!   replacements marked; it exits with [`EXIT_DIFF`] when anything differs.
//! - `destroy [STACK...|--all] [--force] [--exclusively]` deletes stacks after asking,
//!   dependants first, with the stacks that depend on the named ones unless
//!   `--exclusively`.
//! - `drift [STACK...|--all] [--json]` runs CloudFormation's drift detection and lists the
//!   modified (with each property's expected and actual value), deleted and unchecked
//!   resources; it exits with [`EXIT_DIFF`] when a resource drifted, and with
//!   [`EXIT_ERROR`] when a stack is not deployed or could not be checked completely.
//! - `rollback [STACK] [--orphan ID,...]` continues a failed rollback
//!   (`UPDATE_ROLLBACK_FAILED`) or rolls back a stack that `deploy --no-rollback` left in
//!   `UPDATE_FAILED` / `CREATE_FAILED`, and waits for it.
//! - `bootstrap` deploys the staging stack (`StackStaging`): a bucket for file assets and
//!   templates over 51,200 bytes, and an ECR repository for image assets, which `deploy`
//!   builds with docker (or the docker-compatible command `STACK_DOCKER` names) for their
//!   platform and pushes once per content hash.
//! - `doctor` prints the region, credentials source, endpoint, account and bootstrap state.
//! - `gc [--type s3|ecr|all] [--action print|tag|delete-tagged|full] [--dry-run]` deletes
//!   staged assets (`<hash>.zip` objects of the staging bucket, images of the staging
//!   repository) that no stack of the account and region refers to, after asking unless
//!   `--force`; `--rollback-buffer-days N` tags them first and deletes them N days later,
//!   `--created-buffer-days N` (default 1) leaves recent uploads alone, `--json` lists the
//!   assets and what was done.
//!
//! AWS is reached through aws-config's default chain, with `--profile` and `--region`;
//! `AWS_ENDPOINT_URL` sends every call elsewhere, such as a local moto server
//! (`docs/deploy.md` in the repository walks through both).
//!
//! # Files written by `synth`
//!
//! Every selected stack is synthesized before anything is written: if one fails, its
//! problems are printed and no file at all is written. Each file is written to a temporary
//! file and renamed into place, and a file whose contents would not change is left alone.
//!
//! `<Stack>.template.json` is `Template::to_json_string()`. `<Stack>.assets.json` exists
//! only for stacks with assets:
//!
//! ```json
//! {
//!   "version": 1,
//!   "stack": "PhotoSky",
//!   "assets": [
//!     {
//!       "kind": "docker-image",
//!       "source": "/path/to/lambda",
//!       "hash": "<sha256>",
//!       "destination": { "repository": "stack-container-assets", "tag": "<sha256>" }
//!     },
//!     {
//!       "kind": "file-archive",
//!       "source": "/path/to/site",
//!       "hash": "<sha256>",
//!       "destination": {
//!         "bucket": "stack-assets-${AWS::AccountId}-${AWS::Region}",
//!         "key": "<sha256>.zip"
//!       }
//!     }
//!   ]
//! }
//! ```
//!
//! `manifest.json` lists the stacks this run wrote, in app order, with file names relative
//! to the manifest; `assets` is absent for a stack without assets, `renames` for a
//! stack without `#[renamed_from]`, and `env` for an environment-agnostic stack (one
//! without `env { .. }`; a stack pinned to a region only has no `account`):
//!
//! ```json
//! {
//!   "version": 1,
//!   "app": "photosky",
//!   "stacks": [
//!     {
//!       "name": "PhotoSky",
//!       "template": "PhotoSky.template.json",
//!       "assets": "PhotoSky.assets.json",
//!       "tags": { "Project": "photosky" },
//!       "renames": { "Files": "Photos", "FilesRole": "PhotosRole" },
//!       "env": { "account": "123456789012", "region": "us-east-1" }
//!     }
//!   ]
//! }
//! ```
//!
//! `renames` maps the logical IDs of resources declared under another name before (see
//! `#[renamed_from]` in `docs/language.md`) to the IDs they have now: `deploy` moves each
//! one the deployed stack still has to its new ID, with CloudFormation's stack
//! refactoring, before it updates the stack.
//!
//! `env` is the account and region the stack is pinned to: `deploy`, `diff`, `destroy`,
//! `drift` and `rollback` refuse the stack when the credentials are for another account or
//! region.
//!
//! # Context
//!
//! Context values are strings, looked up by key. Later layers win:
//!
//! 1. defaults from [`AppSpec::context_default`];
//! 2. the config file: `--config FILE`, else `stack.json` in the working directory when
//!    present, else the app's own file set with [`AppSpec::context_file`] when present; its
//!    shape is `{"context": {"key": "value"}}`, as in `cdk.json`;
//! 3. environment variables `STACK_CONTEXT_<KEY>`: the key upper-cased, with every
//!    character other than a letter or digit replaced by `_` (`app_name` →
//!    `STACK_CONTEXT_APP_NAME`);
//! 4. `--context key=value`, repeatable.
//!
//! # Typed app configuration
//!
//! Apps driven by a richer JSON file (lists of functions, nested settings) read it with
//! [`Context::load_config`] into their own `serde` type: the context value `config` (or
//! any key the app chooses) names the file, with a default next to the app. A file that
//! does not fit the type stops the run before anything is written, with exit status 1 and
//! a message that names the file, the key path and what was expected:
//!
//! ```text
//! error: config file `config.json`, at `lambda_functions[0].timeout`: invalid type: string "5", expected u32 at line 21 column 22
//! ```
//!
//! Checks the type cannot express are reported the same way with [`ConfigFile::invalid`].
//!
//! # Exit status
//!
//! | code | meaning |
//! |------|---------|
//! | [`EXIT_OK`] (0) | success |
//! | [`EXIT_ERROR`] (1) | any error, including command-line usage errors |
//! | [`EXIT_DIFF`] (2) | `diff` found differences, or `drift` found drift |
//!
//! Usage errors exit with 1, not clap's usual 2, so that 2 keeps one meaning.
//!
//! # Output
//!
//! Results (templates, stack lists, one summary line per synthesized stack) go to stdout;
//! errors, warnings and notes go to stderr. Colour is used only on terminals, never when
//! `NO_COLOR` is set, and also off a terminal when `CLICOLOR_FORCE` is set; `--color`
//! overrides both.

#![deny(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

mod app;
mod app_config;
pub mod assembly;
pub mod cli;
mod config;
mod context;
pub mod env;
pub mod error;
pub mod format;
pub mod fs;
pub mod handoff;
mod ls;
pub mod order;
pub mod select;
pub mod shell;
mod spec;
mod synth;

use std::error::Error;
use std::ffi::OsString;
use std::process::ExitCode;

use stack_core::App;

pub use app::{Deployer, Handoff};
pub use app_config::{ConfigFile, ConfigFileError, ConfigFileErrorKind};
pub use context::{Context, ContextError, ContextErrorKind, ContextSource};
pub use env::Env;
pub use shell::{ColorChoice, Shell};
pub use spec::AppSpec;
pub use synth::DEFAULT_OUT_DIR;

/// Exit status of a successful run.
pub const EXIT_OK: u8 = 0;
/// Exit status of a run that failed, including command-line usage errors.
pub const EXIT_ERROR: u8 = 1;
/// Exit status of `diff` when it finds differences, and of `drift` when a resource drifted.
pub const EXIT_DIFF: u8 = 2;

/// The error type an app's build function returns; `?` converts [`ContextError`],
/// [`ConfigFileError`], [`stack_core::SynthError`] and any other error into it.
pub type BuildError = Box<dyn Error>;

/// Runs the command line of an app against the process's arguments, environment and
/// terminal, and returns the exit status for `main` to return.
///
/// `build` is called once, after the arguments and the context are known, and not at all
/// for `--help`, `--version` or a usage error.
pub fn run<F>(spec: AppSpec, build: F) -> ExitCode
where
    F: FnOnce(&Context) -> Result<App, BuildError>,
{
    let env = Env::process();
    let mut shell = Shell::stdio();
    ExitCode::from(run_with(spec, std::env::args_os(), &env, &mut shell, build))
}

/// Runs the command line with explicit arguments, environment and output, and returns the
/// exit status: [`EXIT_OK`], [`EXIT_ERROR`] or [`EXIT_DIFF`].
///
/// `args` starts with the program name, like [`std::env::args_os`]. Relative paths are
/// resolved against [`Env::cwd`]. Lifecycle commands go to the `stack-deploy` binary
/// ([`handoff::run`]). This is what [`run`] calls; tests call it with
/// [`Env::from_vars`] and [`Shell::buffered`].
pub fn run_with<I, T, F>(spec: AppSpec, args: I, env: &Env, shell: &mut Shell, build: F) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
    F: FnOnce(&Context) -> Result<App, BuildError>,
{
    run_with_deployer(spec, args, env, shell, &mut handoff::run, build)
}

/// [`run_with`], with lifecycle commands handed to `deployer` instead of the
/// `stack-deploy` binary: `stack_deploy::run_app` runs them in-process this way.
pub fn run_with_deployer<I, T, F>(
    spec: AppSpec,
    args: I,
    env: &Env,
    shell: &mut Shell,
    deployer: &mut Deployer<'_>,
    build: F,
) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
    F: FnOnce(&Context) -> Result<App, BuildError>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    app::main(&spec, args, env, shell, deployer, build)
}
