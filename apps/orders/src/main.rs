//! The Orders app: `cargo run -p orders -- synth`.

use std::process::ExitCode;

use orders::{Orders, STACK_NAME};
use stack_core::App;
use stack_deploy::AppSpec;

fn main() -> ExitCode {
    stack_deploy::run(AppSpec::new("orders"), |_ctx| {
        Ok(App::new().stack(Orders::new(STACK_NAME)))
    })
}
