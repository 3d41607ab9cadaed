//! The Orders app: `cargo run -p orders -- synth`.

use std::process::ExitCode;

use orders::{Orders, STACK_NAME};
use stack_app::AppSpec;
use stack_core::App;

fn main() -> ExitCode {
    stack_app::run(AppSpec::new("orders"), |_ctx| {
        Ok(App::new().stack(Orders::new(STACK_NAME)))
    })
}
