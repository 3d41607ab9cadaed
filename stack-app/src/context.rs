//! Context: string values an app reads while building its stacks, layered from app
//! defaults, the config file, the environment and the command line.

use std::any;
use std::collections::BTreeSet;
use std::error::Error;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::env::Env;

/// Where a context value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContextSource {
    /// [`AppSpec::context_default`](crate::AppSpec::context_default).
    Default,
    /// The config file at this path.
    ConfigFile(PathBuf),
    /// This environment variable.
    Env(String),
    /// `--context key=value`.
    CommandLine,
}

impl fmt::Display for ContextSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextSource::Default => f.write_str("the app's default"),
            ContextSource::ConfigFile(path) => write!(f, "`{}`", path.display()),
            ContextSource::Env(name) => write!(f, "`{name}`"),
            ContextSource::CommandLine => f.write_str("`--context`"),
        }
    }
}

/// A context value that is missing or does not parse; [`ContextError::kind`] says which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextError {
    // Boxed: the error travels in every `Result` of `Context::get`, which should stay small.
    kind: Box<ContextErrorKind>,
}

/// What went wrong with a context value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContextErrorKind {
    /// No layer sets the key.
    Missing {
        /// The key asked for.
        key: String,
        /// Every key that defaults, the config file or `--context` set, sorted.
        known: Vec<String>,
    },
    /// The value does not parse as the type asked for.
    Invalid {
        /// The key asked for.
        key: String,
        /// The value found.
        value: String,
        /// Where the value came from.
        origin: ContextSource,
        /// The type asked for.
        expected: String,
        /// The parser's complaint.
        reason: String,
    },
}

impl ContextError {
    /// What went wrong.
    pub fn kind(&self) -> &ContextErrorKind {
        &self.kind
    }

    /// The key asked for.
    pub fn key(&self) -> &str {
        match &*self.kind {
            ContextErrorKind::Missing { key, .. } | ContextErrorKind::Invalid { key, .. } => key,
        }
    }
}

impl From<ContextErrorKind> for ContextError {
    fn from(kind: ContextErrorKind) -> Self {
        Self {
            kind: Box::new(kind),
        }
    }
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            ContextErrorKind::Missing { key, known } => {
                write!(f, "context key `{key}` is not set; ")?;
                if known.is_empty() {
                    f.write_str("no context keys are set")?;
                } else {
                    f.write_str("keys that are set: ")?;
                    write_list(f, known)?;
                }
                write!(
                    f,
                    "; set it with `--context {key}=VALUE`, `{}` or in `stack.json`",
                    Context::env_var_name(key)
                )
            }
            ContextErrorKind::Invalid {
                key,
                value,
                origin,
                expected,
                reason,
            } => write!(
                f,
                "context key `{key}` is `{value}` (from {origin}), which is not a valid `{expected}`: {reason}"
            ),
        }
    }
}

impl Error for ContextError {}

fn write_list(f: &mut fmt::Formatter<'_>, items: &[String]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "`{item}`")?;
    }
    Ok(())
}

/// The context an app builds its stacks from.
///
/// Later layers win: app defaults, the config file, `STACK_CONTEXT_<KEY>` environment
/// variables, then `--context key=value`.
#[derive(Clone, Debug)]
pub struct Context {
    defaults: Vec<(String, String)>,
    file: Option<(PathBuf, Vec<(String, String)>)>,
    env: Option<Env>,
    cli: Vec<(String, String)>,
}

impl Context {
    /// A context holding exactly these values, as if they were app defaults; for tests of
    /// an app's build function.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            defaults: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            file: None,
            env: None,
            cli: Vec::new(),
        }
    }

    pub(crate) fn layered(
        defaults: &[(String, String)],
        file: Option<(PathBuf, Vec<(String, String)>)>,
        env: &Env,
        cli: Vec<(String, String)>,
    ) -> Self {
        Self {
            defaults: defaults.to_vec(),
            file,
            env: Some(env.clone()),
            cli,
        }
    }

    /// The working directory relative paths resolve against; `None` for a context made
    /// with [`Context::from_pairs`], whose paths resolve against the process's.
    pub(crate) fn cwd(&self) -> Option<&std::path::Path> {
        self.env.as_ref().map(Env::cwd)
    }

    /// The environment variable that sets `key`: `STACK_CONTEXT_` and the key upper-cased,
    /// with every character other than an ASCII letter or digit replaced by `_`.
    pub fn env_var_name(key: &str) -> String {
        let mut name = String::from("STACK_CONTEXT_");
        name.extend(key.chars().map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        }));
        name
    }

    /// The value of `key` and where it came from.
    pub fn lookup(&self, key: &str) -> Option<(String, ContextSource)> {
        if let Some((_, value)) = self.cli.iter().rev().find(|(k, _)| k == key) {
            return Some((value.clone(), ContextSource::CommandLine));
        }
        if let Some(env) = &self.env {
            let name = Self::env_var_name(key);
            if let Some(value) = env.var(&name) {
                return Some((value, ContextSource::Env(name)));
            }
        }
        if let Some((path, values)) = &self.file {
            if let Some((_, value)) = values.iter().rev().find(|(k, _)| k == key) {
                return Some((value.clone(), ContextSource::ConfigFile(path.clone())));
            }
        }
        self.defaults
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, value)| (value.clone(), ContextSource::Default))
    }

    /// The value of `key`, or `None` when no layer sets it.
    pub fn get_optional(&self, key: &str) -> Option<String> {
        self.lookup(key).map(|(value, _)| value)
    }

    /// The value of `key`; the error names the key and the keys that are set.
    pub fn get(&self, key: &str) -> Result<String, ContextError> {
        self.get_optional(key).ok_or_else(|| self.missing(key))
    }

    fn missing(&self, key: &str) -> ContextError {
        ContextErrorKind::Missing {
            key: key.to_owned(),
            known: self.keys(),
        }
        .into()
    }

    /// The value of `key`, or `default` when no layer sets it.
    pub fn get_or(&self, key: &str, default: impl Into<String>) -> String {
        self.get_optional(key).unwrap_or_else(|| default.into())
    }

    /// The value of `key` parsed as `T`; the error names the key, the value, where it came
    /// from and the type expected.
    pub fn get_parsed<T>(&self, key: &str) -> Result<T, ContextError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let (value, origin) = self.lookup(key).ok_or_else(|| self.missing(key))?;
        value.parse().map_err(|e: T::Err| {
            ContextErrorKind::Invalid {
                key: key.to_owned(),
                value: value.clone(),
                origin,
                expected: short_type_name::<T>(),
                reason: e.to_string(),
            }
            .into()
        })
    }

    /// Every key set by defaults, the config file or `--context`, sorted. Keys set only
    /// through the environment are not listed: they are found by name when asked for.
    pub fn keys(&self) -> Vec<String> {
        let file = self.file.iter().flat_map(|(_, values)| values);
        let keys: BTreeSet<&String> = self
            .defaults
            .iter()
            .chain(file)
            .chain(&self.cli)
            .map(|(k, _)| k)
            .collect();
        keys.into_iter().cloned().collect()
    }
}

/// `u32` rather than `u32`, `String` rather than `alloc::string::String`.
fn short_type_name<T>() -> String {
    let full = any::type_name::<T>();
    if full.contains('<') {
        full.to_owned()
    } else {
        full.rsplit("::").next().unwrap_or(full).to_owned()
    }
}

#[cfg(test)]
mod tests {
    // Lookup order, parsing and the wording of context errors.
    use super::*;

    fn layered() -> Context {
        let env = Env::from_vars([
            ("STACK_CONTEXT_STAGE", "from-env"),
            ("STACK_CONTEXT_REGION", "env-region"),
        ]);
        Context::layered(
            &[
                ("stage".to_owned(), "default".to_owned()),
                ("retries".to_owned(), "3".to_owned()),
                ("region".to_owned(), "default-region".to_owned()),
            ],
            Some((
                PathBuf::from("stack.json"),
                vec![("stage".to_owned(), "from-file".to_owned())],
            )),
            &env,
            vec![
                ("region".to_owned(), "cli-1".to_owned()),
                ("region".to_owned(), "cli-2".to_owned()),
            ],
        )
    }

    #[test]
    fn later_layers_win() {
        let ctx = layered();
        assert_eq!(
            ctx.lookup("stage"),
            Some((
                "from-env".to_owned(),
                ContextSource::Env("STACK_CONTEXT_STAGE".to_owned())
            ))
        );
        assert_eq!(
            ctx.lookup("region"),
            Some(("cli-2".to_owned(), ContextSource::CommandLine))
        );
        assert_eq!(
            ctx.lookup("retries"),
            Some(("3".to_owned(), ContextSource::Default))
        );
    }

    #[test]
    fn env_var_name_upper_cases_and_replaces_punctuation() {
        assert_eq!(Context::env_var_name("app_name"), "STACK_CONTEXT_APP_NAME");
        assert_eq!(Context::env_var_name("vpc.id-2"), "STACK_CONTEXT_VPC_ID_2");
    }

    #[test]
    fn missing_key_names_key_and_known_keys() {
        let error = layered().get("stag").unwrap_err();
        assert_eq!(
            error.to_string(),
            "context key `stag` is not set; keys that are set: `region`, `retries`, `stage`; \
             set it with `--context stag=VALUE`, `STACK_CONTEXT_STAG` or in `stack.json`"
        );
    }

    #[test]
    fn get_or_and_get_parsed() {
        let ctx = layered();
        assert_eq!(ctx.get_or("absent", "fallback"), "fallback");
        assert_eq!(ctx.get_or("retries", "9"), "3");
        assert_eq!(ctx.get_parsed::<u32>("retries"), Ok(3));
        let error = ctx.get_parsed::<u32>("stage").unwrap_err();
        assert_eq!(
            error.to_string(),
            "context key `stage` is `from-env` (from `STACK_CONTEXT_STAGE`), \
             which is not a valid `u32`: invalid digit found in string"
        );
    }

    #[test]
    fn from_pairs_ignores_the_environment() {
        let ctx = Context::from_pairs([("a", "1")]);
        assert_eq!(ctx.get("a"), Ok("1".to_owned()));
        assert_eq!(ctx.keys(), ["a"]);
    }
}
