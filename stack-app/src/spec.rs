//! What an app binary says about itself before any argument is parsed.

use std::path::{Path, PathBuf};

/// An app's name, version and context defaults.
#[derive(Clone, Debug)]
pub struct AppSpec {
    name: String,
    version: Option<String>,
    about: Option<String>,
    defaults: Vec<(String, String)>,
    context_file: Option<PathBuf>,
}

impl AppSpec {
    /// An app called `name`, the name shown in `--help` and recorded in `manifest.json`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            version: None,
            about: None,
            defaults: Vec::new(),
            context_file: None,
        }
    }

    /// Sets the context value `key` unless the config file, the environment or
    /// `--context` sets it; a second default for the same key replaces the first.
    #[must_use]
    pub fn context_default(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        let value = value.into();
        match self.defaults.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.defaults.push((key, value)),
        }
        self
    }

    /// The app's own context file, read when `--config` is not given and the working
    /// directory has no `stack.json`: usually
    /// `concat!(env!("CARGO_MANIFEST_DIR"), "/stack.json")`, so that the app reads the same
    /// context from the workspace root as from its own directory. A missing file is not
    /// an error.
    #[must_use]
    pub fn context_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.context_file = Some(path.into());
        self
    }

    /// The app's own context file, if it has one.
    pub fn context_file_path(&self) -> Option<&Path> {
        self.context_file.as_deref()
    }

    /// Sets the version `--version` prints, usually `env!("CARGO_PKG_VERSION")`; without
    /// it, `--version` prints the version of `stack-deploy`.
    #[must_use]
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Sets the one-line description at the top of `--help`.
    #[must_use]
    pub fn about(mut self, about: impl Into<String>) -> Self {
        self.about = Some(about.into());
        self
    }

    /// The app's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn version_or_default(&self) -> &str {
        self.version.as_deref().unwrap_or(env!("CARGO_PKG_VERSION"))
    }

    pub(crate) fn about_text(&self) -> Option<&str> {
        self.about.as_deref()
    }

    /// The context defaults, in the order they were first set.
    pub fn context_defaults(&self) -> &[(String, String)] {
        &self.defaults
    }
}
