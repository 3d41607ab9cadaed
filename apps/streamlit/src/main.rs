//! The Streamlit site app: `cargo run -p streamlit -- synth`, from the workspace root or
//! from this directory. The config is this directory's `config.json`, or the file
//! `--context config=FILE` names; `--context environment=...` and `--context platform=...`
//! override the file's values.

use std::process::ExitCode;

fn main() -> ExitCode {
    stack_app::run(streamlit::app_spec(), streamlit::build)
}
