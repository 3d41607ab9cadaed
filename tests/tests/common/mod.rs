//! The Extralabs app and its stacks, for the Extralabs test files.

use extralabs::ExtralabsConfig;
use stack_core::{App, Stack};

/// The stacks, in the order the app adds them (and `ls` lists them).
pub(crate) const STACKS: [&str; 6] = [
    "NetworkStack",
    "S3Stack",
    "ECRStack",
    "EMRStack",
    "InvokeStack",
    "ApiGatewayStack",
];

/// The app with its default configuration.
pub(crate) fn app() -> App {
    extralabs::app(&ExtralabsConfig::default())
}

/// The stack `name` of `app`.
pub(crate) fn stack<'a>(app: &'a App, name: &str) -> &'a dyn Stack {
    app.stacks()
        .find(|s| s.stack_name() == name)
        .unwrap_or_else(|| panic!("no stack {name}"))
}
