//! The website app: `cargo run -p website -- synth`.

use std::process::ExitCode;

use stack_app::AppSpec;
use stack_core::App;
use website::{Website, WebsiteProps};

fn main() -> ExitCode {
    let spec = AppSpec::new("website")
        .context_default("domain_name", "www.example.com")
        .context_default("hosted_zone_id", "Z0123456789EXAMPLE");
    stack_app::run(spec, |ctx| {
        let props = WebsiteProps {
            domain_name: ctx.get("domain_name")?,
            hosted_zone_id: ctx.get("hosted_zone_id")?,
        };
        Ok(App::new().stack(Website::new("Website", &props)))
    })
}
