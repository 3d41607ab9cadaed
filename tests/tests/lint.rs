//! Every app's template is clean under the pinned cfn-lint: no errors, no warnings.

use photosky::{PhotoSky, PhotoSkyProps};

#[test]
fn photosky_is_lint_clean() {
    let props = PhotoSkyProps {
        app_name: "PhotoSky".to_owned(),
        image_uri: None,
    };
    tests::assert_lint_clean(&PhotoSky::new("PhotoSky", &props));
}
