//! The PhotoSky app: `cargo run -p photosky -- synth`.

use std::process::ExitCode;

use photosky::{PhotoSky, PhotoSkyProps};
use stack_app::AppSpec;
use stack_core::App;

fn main() -> ExitCode {
    let spec = AppSpec::new("photosky").context_default("app_name", "PhotoSky");
    stack_app::run(spec, |ctx| {
        let props = PhotoSkyProps {
            app_name: ctx.get("app_name")?,
            image_uri: ctx.get_optional("image_uri"),
        };
        Ok(App::new().stack(PhotoSky::new(props.app_name.clone(), &props)))
    })
}
