//! The GenAI app: `cargo run -p genai -- synth`, from the workspace root or from this
//! directory. The model IDs come from this directory's `stack.json` (or `./stack.json`,
//! `STACK_CONTEXT_<KEY>`, `--context key=value`).

use std::process::ExitCode;

fn main() -> ExitCode {
    stack_app::run(genai::app_spec(), genai::build)
}
