//! The Extralabs app: `cargo run -p extralabs -- ls`, `synth`, `deploy EMRStack`.

use std::process::ExitCode;

fn main() -> ExitCode {
    stack_app::run(extralabs::spec(), extralabs::build)
}
