//! The shared AWS config files, found through [`Env`] the way the AWS CLI finds them, so
//! that a named profile is looked up in the same files the SDK then reads.

use std::path::{Path, PathBuf};

use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};

use crate::env::Env;

/// `AWS_CONFIG_FILE` (else `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE` (else
/// `~/.aws/credentials`).
#[derive(Clone, Debug)]
pub(crate) struct ProfilePaths {
    config: PathBuf,
    credentials: PathBuf,
}

impl ProfilePaths {
    /// The files the environment points at.
    pub(crate) fn from_env(env: &Env) -> Self {
        let home = env
            .var("HOME")
            .filter(|h| !h.is_empty())
            .map_or_else(|| PathBuf::from("~"), PathBuf::from);
        let file = |var: &str, default: &str| {
            env.var(var).filter(|v| !v.is_empty()).map_or_else(
                || home.join(".aws").join(default),
                |v| env.resolve(Path::new(&v)),
            )
        };
        Self {
            config: file("AWS_CONFIG_FILE", "config"),
            credentials: file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        }
    }

    /// The same files, for the SDK; one that does not exist is read as empty, as the SDK
    /// fails on a named file that does not exist.
    pub(crate) fn sdk(&self) -> EnvConfigFiles {
        let mut builder = EnvConfigFiles::builder()
            .include_default_config_file(false)
            .include_default_credentials_file(false);
        for (kind, path) in [
            (EnvConfigFileKind::Config, &self.config),
            (EnvConfigFileKind::Credentials, &self.credentials),
        ] {
            builder = if path.is_file() {
                builder.with_file(kind, path)
            } else {
                builder.with_contents(kind, "")
            };
        }
        builder.build()
    }

    /// The file that defines profile `name`; the error names the files searched and the
    /// profiles they define.
    pub(crate) fn find(&self, name: &str) -> Result<PathBuf, String> {
        let config = read(&self.config);
        let credentials = read(&self.credentials);
        let in_config = profiles(&config, true);
        let in_credentials = profiles(&credentials, false);
        if in_config.iter().any(|p| p == name) {
            return Ok(self.config.clone());
        }
        if in_credentials.iter().any(|p| p == name) {
            return Ok(self.credentials.clone());
        }
        let mut known: Vec<String> = in_config.into_iter().chain(in_credentials).collect();
        known.sort();
        known.dedup();
        let known = if known.is_empty() {
            "they define no profiles".to_owned()
        } else {
            format!(
                "profiles there: {}",
                known
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Err(format!(
            "AWS profile `{name}` is not defined in `{}` or `{}` ({known}); check the name, \
             or point `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` at the files that define it",
            self.config.display(),
            self.credentials.display()
        ))
    }
}

/// A missing or unreadable file defines nothing.
fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The profile names of a file's `[section]` headers: `[profile NAME]` and `[default]` in
/// the config file, `[NAME]` in the credentials file.
fn profiles(text: &str, config: bool) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let header = line.trim().strip_prefix('[')?.split(']').next()?.trim();
            if !config || header == "default" {
                return Some(header.to_owned());
            }
            let name = header.strip_prefix("profile")?;
            name.starts_with(char::is_whitespace)
                .then(|| name.trim().to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::profiles;

    #[test]
    fn profile_headers_are_read_as_the_sdk_reads_them() {
        let config = "[default]\nregion = eu-west-1\n[profile dev]\n[ profile  ops ]\n[sso-session corp]\n[profiled]\n";
        assert_eq!(profiles(config, true), ["default", "dev", "ops"]);
        assert_eq!(profiles("[ci]\naws_access_key_id = A\n", false), ["ci"]);
    }
}
