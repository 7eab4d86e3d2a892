//! The config file: `config.toml` in the platform config directory (or
//! `JIRA_SPOKE_CONFIG_DIR`), holding named [`Connection`]s.
//!
//! Every change goes through [`ConfigFile::update`]: it takes a cross-process
//! lock, re-reads the file, applies the change and writes it atomically with
//! 0600 permissions, so parallel commands never lose each other's work. A file
//! that does not parse is an error and is never overwritten.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic;
use super::connection::Connection;
use crate::error::{Error, Result};

/// Format version written to the file, so a later release can migrate it.
const CONFIG_VERSION: u32 = 1;

/// The whole config file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// File format version.
    #[serde(default = "current_version")]
    pub version: u32,
    /// The connection commands use when none is named (`jira-spoke use`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Connections by name.
    #[serde(default)]
    pub connections: BTreeMap<String, Connection>,
}

fn current_version() -> u32 {
    CONFIG_VERSION
}

/// The connection used when neither `--connection`, `JIRA_SPOKE_CONNECTION`
/// nor `jira-spoke use` names one.
pub const FALLBACK_CONNECTION: &str = "default";

impl Config {
    /// The connection commands act on when none is named: the one chosen
    /// with `jira-spoke use`, else the one called `default`.
    pub fn default_name(&self) -> &str {
        self.default.as_deref().unwrap_or(FALLBACK_CONNECTION)
    }

    /// Removes connection `name`. When it was the default, another one
    /// takes its place (the one called `default` if there is one, else the
    /// first by name) and is returned, so the caller can say so.
    pub fn remove_connection(&mut self, name: &str) -> Option<String> {
        let was_default = self.default_name() == name;
        self.connections.remove(name);
        if !was_default {
            return None;
        }
        self.default = if self.connections.contains_key(FALLBACK_CONNECTION) {
            Some(FALLBACK_CONNECTION.to_owned())
        } else {
            self.connections.keys().next().cloned()
        };
        self.default.clone()
    }

    /// The connection called `name`, or a not-found error listing the others.
    pub fn connection(&self, name: &str) -> Result<&Connection> {
        self.connections
            .get(name)
            .ok_or_else(|| Error::ConnectionNotFound {
                name: name.to_owned(),
                known: self.connections.keys().cloned().collect(),
            })
    }
}

/// Where the config lives, and the operations on it.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    dir: PathBuf,
}

impl ConfigFile {
    /// The config in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ConfigFile { dir: dir.into() }
    }

    /// The directory holding the config (and the `file` secret store).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of `config.toml`.
    pub fn path(&self) -> PathBuf {
        self.dir.join("config.toml")
    }

    fn lock_path(&self) -> PathBuf {
        self.dir.join(".config.lock")
    }

    /// Reads the config; a missing file is an empty config.
    pub fn load(&self) -> Result<Config> {
        let path = self.path();
        match atomic::read_optional(&path)? {
            None => Ok(Config::default()),
            Some(text) => parse(&path, &text),
        }
    }

    /// Applies `change` to the current config under an exclusive lock and
    /// saves the result atomically. Nothing is written if `change` fails.
    pub fn update<R>(&self, change: impl FnOnce(&mut Config) -> Result<R>) -> Result<R> {
        let _lock = atomic::lock(&self.lock_path())?;
        let mut config = self.load()?;
        let result = change(&mut config)?;
        config.version = CONFIG_VERSION;
        let text = toml::to_string_pretty(&config)
            .map_err(|e| Error::Internal(format!("cannot serialize the config: {e}")))?;
        atomic::write_private(&self.path(), text.as_bytes())?;
        Ok(result)
    }
}

fn parse(path: &Path, text: &str) -> Result<Config> {
    let config: Config = toml::from_str(text).map_err(|e| Error::ConfigParse {
        path: path.to_owned(),
        reason: first_line(&e.to_string()),
    })?;
    if config.version > CONFIG_VERSION {
        return Err(Error::ConfigParse {
            path: path.to_owned(),
            reason: format!(
                "it was written by a newer jira-spoke (format {}, this one reads {CONFIG_VERSION})",
                config.version
            ),
        });
    }
    Ok(config)
}

/// toml errors span several lines with a source excerpt; the summary is enough.
fn first_line(message: &str) -> String {
    let lines: Vec<&str> = message.lines().map(str::trim).collect();
    let location = lines.first().copied().unwrap_or_default();
    let detail = lines.last().copied().unwrap_or_default();
    if location == detail {
        detail.to_owned()
    } else {
        format!("{location}: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::connection::Grant;

    fn sample() -> Connection {
        Connection {
            client_id: Some("id".into()),
            ..Connection::new(
                Grant::ClientCredentials,
                "https://api.atlassian.com/ex/jira/x".parse().unwrap(),
            )
        }
    }

    #[test]
    fn update_round_trips_and_missing_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::new(dir.path());
        assert!(file.load().unwrap().connections.is_empty());
        file.update(|c| {
            c.connections.insert("prod".into(), sample());
            Ok(())
        })
        .unwrap();
        assert_eq!(file.load().unwrap().connection("prod").unwrap(), &sample());
    }

    #[test]
    fn an_unreadable_config_is_an_error_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::new(dir.path());
        std::fs::write(file.path(), "[connections.prod\ngrant = ").unwrap();
        let err = file.load().unwrap_err();
        assert_eq!(err.kind().exit_code(), 6, "{err}");
        assert!(!err.to_string().contains('\n'), "one line: {err}");
        assert!(file.update(|_| Ok(())).is_err());
        assert_eq!(
            std::fs::read_to_string(file.path()).unwrap(),
            "[connections.prod\ngrant = "
        );
    }

    #[test]
    fn removing_the_default_hands_it_on() {
        let mut config = Config::default();
        for name in ["b", "a", "default"] {
            config.connections.insert(name.into(), sample());
        }
        assert_eq!(config.default_name(), "default");
        config.default = Some("b".into());
        assert_eq!(config.remove_connection("a"), None, "not the default");
        assert_eq!(config.default.as_deref(), Some("b"));
        assert_eq!(config.remove_connection("b").as_deref(), Some("default"));
        config.default = None;
        config.connections.insert("c".into(), sample());
        assert_eq!(
            config.remove_connection("default").as_deref(),
            Some("c"),
            "the implicit default hands on too"
        );
        assert_eq!(config.remove_connection("c"), None, "none left");
        assert_eq!(config.default, None);
    }

    #[test]
    fn a_failed_change_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::new(dir.path());
        let r: Result<()> = file.update(|_| Err(Error::Interrupted));
        assert!(r.is_err());
        assert!(!file.path().exists());
    }
}
