//! The process environment as the CLI sees it: variables and the working directory.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// The environment variables and working directory the CLI reads.
///
/// Every variable the CLI consults (`STACK_CONTEXT_*`, `NO_COLOR`, `CLICOLOR_FORCE`,
/// `CLICOLOR`, `TERM`) is read through [`Env::var`], so the whole CLI can run against a
/// made-up environment.
#[derive(Clone)]
pub struct Env {
    lookup: Arc<Lookup>,
    cwd: PathBuf,
}

impl Env {
    /// The process's variables and current directory.
    pub fn process() -> Self {
        Self {
            lookup: Arc::new(|name| {
                #[allow(
                    clippy::disallowed_methods,
                    reason = "the one place that reads process variables"
                )]
                let value = std::env::var_os(name);
                // A non-Unicode value is kept, with replacement characters, rather than
                // silently treated as unset.
                value.map(|v| v.to_string_lossy().into_owned())
            }),
            // An unreadable working directory (deleted under us) still lets relative
            // paths resolve against the process's own notion of `.`.
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }

    /// An environment whose variables come from `lookup`, with `.` as working directory.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self {
            lookup: Arc::new(lookup),
            cwd: PathBuf::from("."),
        }
    }

    /// An environment with exactly these variables, with `.` as working directory.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let vars: BTreeMap<String, String> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self::from_fn(move |name| vars.get(name).cloned())
    }

    /// Replaces the working directory that relative paths are resolved against.
    #[must_use]
    pub fn with_cwd(mut self, cwd: impl Into<PathBuf>) -> Self {
        self.cwd = cwd.into();
        self
    }

    /// The value of the variable `name`, if set.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
    }

    /// The working directory.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// `path` resolved against the working directory.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        self.cwd.join(path)
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("cwd", &self.cwd)
            .finish_non_exhaustive()
    }
}
