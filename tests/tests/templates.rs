//! Golden templates: each app's synthesized template, reviewed like code
//! (`cargo insta review`), and synthesized twice to prove the output is deterministic.

use photosky::{PhotoSky, PhotoSkyProps};
use stack_core::Stack;

fn photosky() -> PhotoSky {
    let props = PhotoSkyProps {
        app_name: "PhotoSky".to_owned(),
        image_uri: None,
    };
    PhotoSky::new("PhotoSky", &props)
}

fn template(stack: &dyn Stack) -> String {
    match stack.synthesized() {
        Ok(synthesized) => synthesized.template.to_json_string(),
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn photosky_template() {
    insta::assert_snapshot!("photosky", template(&photosky()));
}

#[test]
fn synthesis_is_deterministic() {
    assert_eq!(template(&photosky()), template(&photosky()));
}
