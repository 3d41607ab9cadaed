//! The config file: `--config FILE`, else `stack.json` in the working directory, else the
//! app's own file ([`AppSpec::context_file`](crate::AppSpec::context_file)); shaped like
//! `cdk.json`: `{"context": {"key": "value"}}`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::env::Env;

/// The file read when `--config` is not given, if it exists.
pub(crate) const DEFAULT_FILE: &str = "stack.json";

/// A parsed config file.
#[derive(Debug)]
pub(crate) struct Config {
    /// The path as the user wrote it (or [`DEFAULT_FILE`]), for messages.
    pub(crate) path: PathBuf,
    /// The `context` entries, in file order.
    pub(crate) context: Vec<(String, String)>,
    /// Things worth telling the user that do not stop the run.
    pub(crate) warnings: Vec<String>,
}

/// Reads `--config FILE`, else `stack.json` when present, else the app's own file
/// (`fallback`) when present. Every error names the file.
pub(crate) fn load(
    env: &Env,
    explicit: Option<&Path>,
    fallback: Option<&Path>,
) -> Result<Option<Config>, String> {
    if let Some(path) = explicit {
        return read(env, path, true);
    }
    if let Some(config) = read(env, Path::new(DEFAULT_FILE), false)? {
        return Ok(Some(config));
    }
    match fallback {
        Some(path) => read(env, path, false),
        None => Ok(None),
    }
}

/// Reads one config file; `Ok(None)` when it is missing and not `required`. The path shown
/// in messages is relative to the working directory when the file is below it.
fn read(env: &Env, path: &Path, required: bool) -> Result<Option<Config>, String> {
    let resolved = env.resolve(path);
    let shown = resolved
        .strip_prefix(env.cwd())
        .map_or_else(|_| resolved.clone(), Path::to_path_buf);
    let text = match fs::read_to_string(&resolved) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound && !required => return Ok(None),
        Err(e) => {
            return Err(format!(
                "cannot read config file `{}`: {e}",
                shown.display()
            ))
        }
    };
    parse(&shown, &text).map(Some)
}

/// Parses the text of a config file shown to the user as `path`.
pub(crate) fn parse(path: &Path, text: &str) -> Result<Config, String> {
    let shown = path.display();
    let json: Json = serde_json::from_str(text)
        .map_err(|e| format!("config file `{shown}` is not valid JSON: {e}"))?;
    let Json::Object(top) = json else {
        return Err(format!(
            "config file `{shown}`: expected an object at the top level, found {}; \
             write `{{\"context\": {{\"key\": \"value\"}}}}`",
            describe(&json)
        ));
    };
    let mut config = Config {
        path: path.to_path_buf(),
        context: Vec::new(),
        warnings: Vec::new(),
    };
    for (key, value) in &top {
        if key != "context" {
            config.warnings.push(format!(
                "config file `{shown}`: unknown key `{key}` ignored; the only key read is `context`"
            ));
            continue;
        }
        let Json::Object(entries) = value else {
            return Err(format!(
                "config file `{shown}`: `context` must be an object of strings, found {}",
                describe(value)
            ));
        };
        for (name, value) in entries {
            if name.is_empty() {
                return Err(format!(
                    "config file `{shown}`: `context` has an empty key; give the value a name"
                ));
            }
            let text = match value {
                Json::String(s) => s.clone(),
                // Numbers and booleans are read as the text they are written as, as CDK
                // does, so `"retries": 3` works with `get_parsed::<u32>`.
                Json::Number(n) => n.to_string(),
                Json::Bool(b) => b.to_string(),
                Json::Null | Json::Array(_) | Json::Object(_) => {
                    return Err(format!(
                        "config file `{shown}`: `{}` must be a string, number or boolean, found {}",
                        key_path(name),
                        describe(value)
                    ))
                }
            };
            config.context.push((name.clone(), text));
        }
    }
    Ok(config)
}

/// `context.app_name`, or `context["vpc.id"]` when the key is not a plain word.
fn key_path(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        format!("context.{key}")
    } else {
        let quoted = serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""));
        format!("context[{quoted}]")
    }
}

fn describe(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    // What the config parser accepts and how it words its complaints.
    use super::*;

    fn parse_str(text: &str) -> Result<Config, String> {
        parse(Path::new("stack.json"), text)
    }

    #[test]
    fn reads_strings_numbers_and_booleans_in_order() {
        let config =
            parse_str(r#"{"context": {"b": "x", "a": 3, "c": true}, "app": "cargo run"}"#).unwrap();
        assert_eq!(
            config.context,
            [
                ("b".to_owned(), "x".to_owned()),
                ("a".to_owned(), "3".to_owned()),
                ("c".to_owned(), "true".to_owned()),
            ]
        );
        assert_eq!(
            config.warnings,
            ["config file `stack.json`: unknown key `app` ignored; the only key read is `context`"]
        );
    }

    #[test]
    fn errors_name_file_and_key_path() {
        assert_eq!(
            parse_str(r#"{"context": {"app_name": ["x"]}}"#).unwrap_err(),
            "config file `stack.json`: `context.app_name` must be a string, number or boolean, found an array"
        );
        assert_eq!(
            parse_str(r#"{"context": {"vpc.id": null}}"#).unwrap_err(),
            "config file `stack.json`: `context[\"vpc.id\"]` must be a string, number or boolean, found null"
        );
        assert_eq!(
            parse_str(r#"{"context": "x"}"#).unwrap_err(),
            "config file `stack.json`: `context` must be an object of strings, found a string"
        );
        assert!(parse_str("[]").unwrap_err().starts_with(
            "config file `stack.json`: expected an object at the top level, found an array"
        ));
        assert_eq!(
            parse_str("{\"context\": {\n  \"a\": 1,\n}}").unwrap_err(),
            "config file `stack.json` is not valid JSON: trailing comma at line 3 column 1"
        );
    }
}
