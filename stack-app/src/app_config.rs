//! Typed app configuration read from JSON files with serde. Every error names the file, the
//! key path inside it and what was expected, so that a bad config stops the run before any
//! template is written.

use std::error::Error;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::context::Context;

/// A config file that cannot be read, is not JSON, or does not have the shape the app
/// expects; [`ConfigFileError::kind`] says which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigFileError {
    // Boxed, as `ContextError`: it travels in every `Result` of a load.
    kind: Box<ConfigFileErrorKind>,
}

/// What went wrong with a config file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigFileErrorKind {
    /// The file does not exist or cannot be read.
    Unreadable {
        /// The file, as shown to the user.
        path: PathBuf,
        /// The operating system's complaint.
        reason: String,
        /// The context key that names another file, when the path came from
        /// [`Context::load_config`].
        context_key: Option<String>,
    },
    /// The file is not JSON, or a value in it is not what the app expects.
    Invalid {
        /// The file, as shown to the user.
        path: PathBuf,
        /// Where in the file: `lambda_functions[0].timeout`; empty for the whole file.
        key_path: String,
        /// What was found and what was expected, with the line and column when known.
        problem: String,
    },
}

impl ConfigFileError {
    /// A value of the file at `path` that the app rejects after reading it: `key_path` says
    /// where (`sagemaker_endpoints[1].environment_variable_name`), `problem` what was
    /// expected.
    pub fn invalid(
        path: impl Into<PathBuf>,
        key_path: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        ConfigFileErrorKind::Invalid {
            path: path.into(),
            key_path: key_path.into(),
            problem: problem.into(),
        }
        .into()
    }

    /// What went wrong.
    pub fn kind(&self) -> &ConfigFileErrorKind {
        &self.kind
    }

    /// The file, as shown to the user.
    pub fn path(&self) -> &Path {
        match &*self.kind {
            ConfigFileErrorKind::Unreadable { path, .. }
            | ConfigFileErrorKind::Invalid { path, .. } => path,
        }
    }

    /// Where in the file the problem is; `None` when the file could not be read, and empty
    /// when the problem is the whole file.
    pub fn key_path(&self) -> Option<&str> {
        match &*self.kind {
            ConfigFileErrorKind::Unreadable { .. } => None,
            ConfigFileErrorKind::Invalid { key_path, .. } => Some(key_path),
        }
    }
}

impl From<ConfigFileErrorKind> for ConfigFileError {
    fn from(kind: ConfigFileErrorKind) -> Self {
        Self {
            kind: Box::new(kind),
        }
    }
}

impl fmt::Display for ConfigFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            ConfigFileErrorKind::Unreadable {
                path,
                reason,
                context_key,
            } => {
                write!(f, "cannot read config file `{}`: {reason}", path.display())?;
                if let Some(key) = context_key {
                    write!(f, "; name another file with `--context {key}=FILE`")?;
                }
                Ok(())
            }
            ConfigFileErrorKind::Invalid {
                path,
                key_path,
                problem,
            } if key_path.is_empty() => {
                write!(f, "config file `{}`: {problem}", path.display())
            }
            ConfigFileErrorKind::Invalid {
                path,
                key_path,
                problem,
            } => write!(
                f,
                "config file `{}`, at `{key_path}`: {problem}",
                path.display()
            ),
        }
    }
}

impl Error for ConfigFileError {}

/// A config file that was read: where it is and its typed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigFile<T> {
    /// The file, as shown to the user (relative to the working directory when it is below
    /// it).
    pub path: PathBuf,
    /// The typed config.
    pub value: T,
}

impl<T> ConfigFile<T> {
    /// An error about the value at `key_path` of this file, for checks the app makes after
    /// reading it (a name used twice, say).
    pub fn invalid(
        &self,
        key_path: impl Into<String>,
        problem: impl Into<String>,
    ) -> ConfigFileError {
        ConfigFileError::invalid(self.path.clone(), key_path, problem)
    }
}

impl Context {
    /// Reads the JSON file at `path` as a `T` with serde. A relative path resolves against
    /// the working directory.
    ///
    /// The error names the file, the key path of the first value that does not fit
    /// (`lambda_functions[0].policy_statements[0].actions`) and what serde expected there,
    /// with the line and column.
    pub fn load_json<T: DeserializeOwned>(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<ConfigFile<T>, ConfigFileError> {
        self.read_json(path.as_ref(), None)
    }

    /// Reads the app's config file: the file the context value `key` names (relative to
    /// the working directory), or `default` when no layer sets `key`.
    ///
    /// Apps usually pass their own directory's file as `default`
    /// (`concat!(env!("CARGO_MANIFEST_DIR"), "/config.json")`), so the app reads the same
    /// config wherever it is run from, and `--context config=FILE` picks another.
    pub fn load_config<T: DeserializeOwned>(
        &self,
        key: &str,
        default: impl AsRef<Path>,
    ) -> Result<ConfigFile<T>, ConfigFileError> {
        let path = self
            .get_optional(key)
            .map_or_else(|| default.as_ref().to_path_buf(), PathBuf::from);
        self.read_json(&path, Some(key))
    }

    fn read_json<T: DeserializeOwned>(
        &self,
        path: &Path,
        context_key: Option<&str>,
    ) -> Result<ConfigFile<T>, ConfigFileError> {
        let (resolved, shown) = match self.cwd() {
            Some(cwd) => {
                let resolved = cwd.join(path);
                let shown = resolved
                    .strip_prefix(cwd)
                    .map_or_else(|_| resolved.clone(), Path::to_path_buf);
                (resolved, shown)
            }
            None => (path.to_path_buf(), path.to_path_buf()),
        };
        let text = fs::read_to_string(&resolved).map_err(|e| {
            ConfigFileError::from(ConfigFileErrorKind::Unreadable {
                path: shown.clone(),
                reason: e.to_string(),
                context_key: context_key.map(str::to_owned),
            })
        })?;
        let value = parse_json(&text).map_err(|(key_path, problem)| {
            ConfigFileError::invalid(shown.clone(), key_path, problem)
        })?;
        Ok(ConfigFile { path: shown, value })
    }
}

/// Deserializes `text`, returning the key path and serde's message on failure.
fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, (String, String)> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let key_path = e.path().to_string();
        // `?` is what the crate prints for an empty path.
        let key_path = if key_path == "." || key_path == "?" {
            String::new()
        } else {
            key_path
        };
        let pointer = json_pointer(e.path());
        let error = e.into_inner();
        let problem =
            wrong_type::<T>(text, pointer.as_deref(), &error).unwrap_or_else(|| error.to_string());
        (key_path, problem)
    })?;
    deserializer
        .end()
        .map_err(|e| (String::new(), e.to_string()))?;
    Ok(value)
}

/// The JSON pointer (`/lambda_functions/0/platform`) of a key path, when it has one.
fn json_pointer(path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Enum { .. } | Segment::Unknown => return None,
        }
    }
    Some(pointer)
}

/// What a value of the wrong JSON type should have been. serde_json reports a number or
/// boolean where a name from a fixed list (an enum) belongs as a syntax error ("expected
/// value"), though the JSON is fine; reading the file again with a name that is on no
/// list in that place makes serde list the names it takes.
fn wrong_type<T: DeserializeOwned>(
    text: &str,
    pointer: Option<&str>,
    error: &serde_json::Error,
) -> Option<String> {
    if !error.is_syntax() {
        return None;
    }
    let mut json: serde_json::Value = serde_json::from_str(text).ok()?;
    let slot = json.pointer_mut(pointer?)?;
    let found = match slot {
        serde_json::Value::Number(n) => format!("the number {n}"),
        serde_json::Value::Bool(b) => format!("the boolean {b}"),
        serde_json::Value::Null => "null".to_owned(),
        serde_json::Value::Array(_) => "a list".to_owned(),
        serde_json::Value::Object(_) => "an object".to_owned(),
        serde_json::Value::String(_) => return None,
    };
    *slot = serde_json::Value::String(String::new());
    let probe = serde_json::from_value::<T>(json).err()?.to_string();
    let expected = probe.strip_prefix("unknown variant ``, expected ")?;
    Some(format!(
        "expected {expected}, found {found} at line {} column {}",
        error.line(),
        error.column()
    ))
}

#[cfg(test)]
mod tests {
    // Key paths and wording of config file errors.
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "read only by serde")]
    struct Config {
        name: String,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        tags: BTreeMap<String, String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "read only by serde")]
    struct Item {
        size: u32,
    }

    fn error(text: &str) -> (String, String) {
        parse_json::<Config>(text).unwrap_err()
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Platform {
        Arm64,
        Amd64,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "read only by serde")]
    struct Built {
        platforms: Vec<Platform>,
        default: Option<Platform>,
    }

    #[test]
    fn a_value_of_the_wrong_json_type_names_the_key_and_what_it_expects() {
        let text = "{\n  \"platforms\": [\"arm64\"],\n  \"default\": 64\n}";
        let (path, problem) = parse_json::<Built>(text).unwrap_err();
        assert_eq!(path, "default");
        assert_eq!(
            problem,
            "expected `arm64` or `amd64`, found the number 64 at line 3 column 14"
        );
        let text = r#"{"platforms": ["arm64", true]}"#;
        let (path, problem) = parse_json::<Built>(text).unwrap_err();
        assert_eq!(path, "platforms[1]");
        assert!(
            problem.starts_with("expected `arm64` or `amd64`, found the boolean true at line 1"),
            "{problem}"
        );
    }

    #[test]
    fn key_paths_point_into_lists_and_maps() {
        let (path, problem) = error(r#"{"name": "x", "items": [{"size": 1}, {"size": "2"}]}"#);
        assert_eq!(path, "items[1].size");
        assert!(
            problem.starts_with("invalid type: string \"2\", expected u32"),
            "{problem}"
        );
        let (path, _) = error(r#"{"name": "x", "tags": {"team": 3}}"#);
        assert_eq!(path, "tags.team");
        let (path, problem) = error(r#"{"name": "x", "itemz": []}"#);
        assert_eq!(path, "itemz");
        assert!(
            problem.starts_with("unknown field `itemz`, expected one of"),
            "{problem}"
        );
    }

    #[test]
    fn missing_fields_syntax_and_trailing_text_are_reported() {
        let (path, problem) = error("{}");
        assert_eq!(path, "");
        assert!(problem.starts_with("missing field `name`"), "{problem}");
        let (_, problem) = error("{\"name\": \"x\",}");
        assert!(problem.contains("trailing comma"), "{problem}");
        let (path, problem) = error("{\"name\": \"x\"} []");
        assert_eq!(path, "");
        assert!(problem.starts_with("trailing characters"), "{problem}");
    }

    #[test]
    fn display_names_file_key_path_and_hint() {
        let invalid = ConfigFileError::invalid("config.json", "items[0].size", "expected u32");
        assert_eq!(
            invalid.to_string(),
            "config file `config.json`, at `items[0].size`: expected u32"
        );
        assert_eq!(invalid.key_path(), Some("items[0].size"));
        let whole = ConfigFileError::invalid("config.json", "", "missing field `name`");
        assert_eq!(
            whole.to_string(),
            "config file `config.json`: missing field `name`"
        );
        let unreadable = ConfigFileError::from(ConfigFileErrorKind::Unreadable {
            path: PathBuf::from("gone.json"),
            reason: "No such file or directory (os error 2)".to_owned(),
            context_key: Some("config".to_owned()),
        });
        assert_eq!(
            unreadable.to_string(),
            "cannot read config file `gone.json`: No such file or directory (os error 2); \
             name another file with `--context config=FILE`"
        );
        assert_eq!(unreadable.key_path(), None);
    }
}
