//! The config file: `config.toml` in the platform config directory (or
//! `JIRA_SPOKE_CONFIG_DIR`), holding named [`Connection`]s.
//!
//! Every change goes through [`ConfigFile::update`]: it takes a cross-process
//! lock, re-reads the file, applies the change and writes it atomically with
//! 0600 permissions, so parallel commands never lose each other's work. A file
//! that does not parse is an error and is never overwritten, and a directory
//! others can write is refused (they could redirect where secrets are sent).
//!
//! Each connection also has a lock ([`ConfigFile::lock_connection`]) held by
//! whatever changes its secrets — a token refresh, `connect`, `remove` — so
//! those never interleave.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::atomic;
use super::connection::Connection;
use super::excerpt::excerpt;
use super::identity::Identity;
use super::lock::{self, Lock};
use crate::error::{Error, Result};

/// Format version written to the file, so a later release can migrate it.
const CONFIG_VERSION: u32 = 1;

/// How long to wait for the config file's own lock: its holders only read and
/// write local files.
const FILE_LOCK_WAIT: Duration = Duration::from_secs(30);

/// How long to wait for a connection's lock whose holder may be waiting on
/// Atlassian for up to `http_timeout`: twice that, and 5 s for the stores.
pub fn connection_lock_wait(http_timeout: Duration) -> Duration {
    http_timeout * 2 + Duration::from_secs(5)
}

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

/// [`ConfigFile::connection_dir`] in config directory `dir`.
pub(super) fn connection_dir(dir: &Path, name: &str) -> PathBuf {
    dir.join("connections").join(name)
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
    /// The config last parsed, and which file it was parsed from
    /// ([`Identity`]); clones share it. Each connection of a fleet re-reads
    /// its own under its lock, and renewals no longer write the file, so it
    /// is parsed once, not once per connection.
    last_read: Arc<Mutex<Option<LastRead>>>,
}

/// A config as parsed, and the file it was parsed from.
type LastRead = (Identity, Arc<Config>);

impl ConfigFile {
    /// The config in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ConfigFile {
            dir: dir.into(),
            last_read: Arc::default(),
        }
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

    /// The directory of connection `name`'s own files: its token state
    /// ([`super::token_state`]) and, with the file store, its tokens.
    pub fn connection_dir(&self, name: &str) -> PathBuf {
        connection_dir(&self.dir, name)
    }

    /// Where the per-connection locks and refresh journals live.
    pub fn locks_dir(&self) -> PathBuf {
        self.dir.join("locks")
    }

    /// Takes connection `name`'s lock, waiting at most `wait` (see
    /// [`connection_lock_wait`]); `doing` is shown to those who wait in vain.
    pub fn lock_connection(&self, name: &str, doing: &str, wait: Duration) -> Result<Lock> {
        atomic::check_private_dir(&self.dir)?;
        lock::lock(&self.locks_dir().join(format!("{name}.lock")), doing, wait)
    }

    /// Reads the config; a missing file is an empty config.
    pub fn load(&self) -> Result<Config> {
        self.parsed().map(|config| (*config).clone())
    }

    /// The config as last parsed, while the file is the same one; else the
    /// file read and parsed anew.
    fn parsed(&self) -> Result<Arc<Config>> {
        if let Some(config) = self.still_parsed()? {
            return Ok(config);
        }
        // NOTE: the identity is taken before the read: a file replaced in
        // between is read anew next time, never served for the newer one.
        let identity = std::fs::metadata(self.path())
            .ok()
            .map(|meta| Identity::of(&meta));
        let config = Arc::new(self.read()?);
        let mut last = self.last_read.lock().unwrap_or_else(|p| p.into_inner());
        *last = identity.map(|identity| (identity, config.clone()));
        Ok(config)
    }

    /// The config as last parsed, if the file is still the same one.
    fn still_parsed(&self) -> Result<Option<Arc<Config>>> {
        atomic::check_private_dir(&self.dir)?;
        let identity = std::fs::metadata(self.path())
            .ok()
            .map(|meta| Identity::of(&meta));
        let last = self.last_read.lock().unwrap_or_else(|p| p.into_inner());
        Ok(match (identity, last.as_ref()) {
            (Some(now), Some((then, config))) if &now == then => Some(config.clone()),
            _ => None,
        })
    }

    /// Reads and parses the file; a missing file is an empty config.
    fn read(&self) -> Result<Config> {
        let path = self.path();
        match atomic::read_optional(&path)? {
            None => Ok(Config::default()),
            Some(text) => parse(&path, &text),
        }
    }

    /// Reads connection `name`. The whole file's syntax is checked (an error
    /// anywhere is reported), but only the top-level keys and this
    /// connection's tables are read ([`excerpt`]): a hand edit that breaks
    /// another connection's fields does not stop this one, and `token` with
    /// a thousand connections stored does not build the other 999.
    pub fn load_connection(&self, name: &str) -> Result<Connection> {
        if let Some(config) = self.still_parsed()? {
            return config.connection(name).cloned();
        }
        let path = self.path();
        let Some(text) = atomic::read_optional(&path)? else {
            return Config::default().connection(name).cloned();
        };
        if let Some(mut config) = read_excerpt(&text, Some(name))
            && let Some(connection) = config.connections.remove(name)
        {
            return Ok(connection);
        }
        // Not there, or not readable: the whole file says which, and where.
        parse(&path, &text)?.connection(name).cloned()
    }

    /// The connection commands act on when none is named (see
    /// [`Config::default_name`]); the connections are not read.
    pub fn default_name(&self) -> Result<String> {
        if let Some(config) = self.still_parsed()? {
            return Ok(config.default_name().to_owned());
        }
        let path = self.path();
        let Some(text) = atomic::read_optional(&path)? else {
            return Ok(FALLBACK_CONNECTION.to_owned());
        };
        let config = match read_excerpt(&text, None) {
            Some(config) => config,
            None => parse(&path, &text)?,
        };
        Ok(config.default_name().to_owned())
    }

    /// Applies `change` to the current config under an exclusive lock and
    /// saves the result atomically. Nothing is written if `change` fails.
    pub fn update<R>(&self, change: impl FnOnce(&mut Config) -> Result<R>) -> Result<R> {
        atomic::check_private_dir(&self.dir)?;
        let _lock = lock::lock(&self.lock_path(), "writing config.toml", FILE_LOCK_WAIT)?;
        // Read anew, never as last parsed: this is what gets written.
        let mut config = self.read()?;
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

/// The part of TOML document `text` that [`excerpt`] cuts for
/// `connection`, read into a [`Config`]; `None` when it does not read or is
/// of a newer format (the whole file is then parsed, and says where).
fn read_excerpt(text: &str, connection: Option<&str>) -> Option<Config> {
    let config: Config = toml::from_str(&excerpt(text, connection)?).ok()?;
    (config.version <= CONFIG_VERSION).then_some(config)
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

    #[cfg(unix)]
    #[test]
    fn a_shared_directory_is_refused_and_left_as_it_is() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let team = dir.path().join("team");
        std::fs::create_dir(&team).unwrap();
        std::fs::set_permissions(&team, std::fs::Permissions::from_mode(0o1777)).unwrap();
        let file = ConfigFile::new(&team);
        let err = file.load().unwrap_err();
        assert!(matches!(err, Error::SharedDirectory { .. }), "{err:?}");
        assert!(err.to_string().contains("everyone can write"), "{err}");
        assert!(file.update(|_| Ok(())).is_err());
        assert!(
            file.lock_connection("prod", "testing", Duration::ZERO)
                .is_err()
        );
        assert!(!file.path().exists() && !file.locks_dir().exists());
        let mode = std::fs::metadata(&team).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o1777, "mode changed silently");
    }

    #[test]
    fn a_config_that_is_not_utf8_names_where() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::new(dir.path());
        std::fs::write(file.path(), b"version = 1\n\n[connections.\xff]\n").unwrap();
        let err = file.load().unwrap_err();
        assert_eq!(err.kind().exit_code(), 6);
        assert!(
            err.to_string()
                .contains("invalid byte 0xFF at line 3, byte 14"),
            "{err}"
        );
        assert!(!err.hint().unwrap().contains("permissions"));
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
    fn a_config_of_another_shape_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::new(dir.path());
        std::fs::write(
            file.path(),
            "version = 1\ndefault = \"b\"\n[connections]\nb.grant = \"api-token\"\n\
             b.connection_url = \"https://acme.atlassian.net\"\nb.store = \"file\"\n",
        )
        .unwrap();
        let b = file.load_connection("b").unwrap();
        assert_eq!(b.grant, Grant::ApiToken);
        assert_eq!(file.default_name().unwrap(), "b");
        let err = file.load_connection("c").unwrap_err();
        assert!(
            matches!(&err, Error::ConnectionNotFound { known, .. } if known == &["b"]),
            "{err:?}"
        );
    }

    /// A config of connections `a` and `b`, then `line` added to `b`'s
    /// table by hand; returns the file and that line's number.
    fn with_a_line_in_b(dir: &Path, line: &str) -> (ConfigFile, usize) {
        let file = ConfigFile::new(dir);
        file.update(|c| {
            c.connections.insert("a".into(), sample());
            c.connections.insert("b".into(), sample());
            Ok(())
        })
        .unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        let edited = text.replace("[connections.b]\n", &format!("[connections.b]\n{line}\n"));
        std::fs::write(file.path(), &edited).unwrap();
        let number = edited.lines().position(|l| l == line).unwrap() + 1;
        (file, number)
    }

    #[test]
    fn an_error_in_the_connection_read_names_its_line_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let (file, line) = with_a_line_in_b(dir.path(), "nonsense = 7");
        let err = file.load_connection("b").unwrap_err();
        assert!(err.to_string().contains(&format!("line {line}")), "{err}");
        assert_eq!(
            file.load_connection("a").unwrap(),
            sample(),
            "another connection's error does not stop this one"
        );
    }

    #[test]
    fn a_syntax_error_in_another_connection_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let (file, line) = with_a_line_in_b(dir.path(), "note = \"\\q\"");
        for name in ["a", "b"] {
            let err = file.load_connection(name).unwrap_err();
            assert!(err.to_string().contains(&format!("line {line}")), "{err}");
        }
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
