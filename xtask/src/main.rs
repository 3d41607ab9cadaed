//! Maintenance tasks for the workspace, run as `cargo xtask <command>`.
//!
//! - `vendor-schema`: download the pinned CloudFormation schema packages (npm, PyPI) and
//!   reduce them to `xtask/vendor/cfn/resources.json`. Needs the package registries.
//! - `codegen [--check]`: generate the resource types, the marker kinds, the schema index
//!   the proc macro loads and the service features, from the vendored file alone.
//! - `iam [--check]`: refresh the vendored IAM action list.
//! - `bench-macro [--sizes N,..] [--runs N] [--shapes S,..]`: the `stack!` macro's expansion
//!   time against the size of a stack, from `cargo check` of generated crates.
//! - `test`: every check CI runs (generated code, formatting, clippy, tests, docs).
//! - `localstack`: install the pinned localstack the deploy tests run (as `test` does) and
//!   print the `LOCALSTACK_PYTHON` to export for `cargo test`.
//!
//! See `xtask/README.md`.

mod archive;
mod bench_macro;
mod codegen;
mod iam;
mod localstack;
mod model;
mod names;
mod test;
mod util;
mod vendor;

use std::process::ExitCode;

use anyhow::{bail, Result};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  vendor-schema [--spec-version V] [--cfn-lint-version V]
                     download the pinned schema packages and rewrite xtask/vendor/cfn/
  codegen [--check]  regenerate stack-core/src/aws/, stack-core/src/kind.rs,
                     stack-spec/data/cfn-index.json and the stack-core features;
                     with --check, fail and name the stale files instead of writing
  iam [--check]      refresh the vendored IAM action list (xtask/vendor/iam/)
  bench-macro [--sizes 10,100,500,1000,4000] [--runs 3]
              [--shapes plain,chained,cyclic,typo,grants]
                     time `cargo check` of generated crates with one `stack!` block
                     of each shape and size (in target/bench-macro/), net of an empty crate
  test               run every check CI runs (installs the pinned cfn-lint and moto into
                     .venv, localstack into .venv-localstack)
  localstack         only install the pinned localstack into .venv-localstack, and print
                     the LOCALSTACK_PYTHON=... that `cargo test` needs for its deploy tests
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            util::note(&format!("error: {e:#}"));
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let Some((command, rest)) = args.split_first() else {
        util::note(USAGE);
        bail!("no command given");
    };
    match command.as_str() {
        "vendor-schema" => {
            let mut options = vendor::Options::default();
            let mut rest = rest.iter();
            while let Some(arg) = rest.next() {
                let mut value = || match rest.next() {
                    Some(v) => Ok(v.clone()),
                    None => bail!("`{arg}` needs a value"),
                };
                match arg.as_str() {
                    "--spec-version" => options.spec_version = value()?,
                    "--cfn-lint-version" => options.cfn_lint_version = value()?,
                    other => bail!("unknown argument `{other}` for `vendor-schema`\n\n{USAGE}"),
                }
            }
            vendor::run(&options)
        }
        "codegen" => {
            let check = flag_check(command, rest)?;
            codegen::run(check)?;
            iam::generate(check)
        }
        "iam" => iam::vendor(flag_check(command, rest)?),
        "bench-macro" => bench_macro::run(&bench_macro::Options::parse(rest)?),
        "test" => {
            if !rest.is_empty() {
                bail!("unexpected arguments for `test`: {rest:?}\n\n{USAGE}");
            }
            test::run()
        }
        "localstack" => {
            if !rest.is_empty() {
                bail!("unexpected arguments for `localstack`: {rest:?}\n\n{USAGE}");
            }
            let python = localstack::ensure(&util::workspace_root())?;
            let mut out = std::io::stdout().lock();
            std::io::Write::write_all(
                &mut out,
                format!("LOCALSTACK_PYTHON={}\n", python.display()).as_bytes(),
            )?;
            Ok(())
        }
        "-h" | "--help" | "help" => {
            util::note(USAGE);
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// Parses an optional lone `--check`.
fn flag_check(command: &str, rest: &[String]) -> Result<bool> {
    match rest {
        [] => Ok(false),
        [flag] if flag == "--check" => Ok(true),
        _ => bail!("unexpected arguments for `{command}`: {rest:?}\n\n{USAGE}"),
    }
}
