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
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::atomic;
use super::connection::Connection;
use super::layout::{self, Layout};
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
        atomic::check_private_dir(&self.dir)?;
        let path = self.path();
        match atomic::read_optional(&path)? {
            None => Ok(Config::default()),
            Some(text) => parse(&path, &text),
        }
    }

    /// Reads connection `name` alone. In a config of the shape jira-spoke
    /// writes, the other connections are skipped, not parsed (see
    /// [`super::layout`]); anything else is parsed whole, as [`Self::load`].
    // NOTE: so a syntax error in another connection's tables does not stop
    // this one; `load` and every write still read the whole file.
    pub fn load_connection(&self, name: &str) -> Result<Connection> {
        atomic::check_private_dir(&self.dir)?;
        let path = self.path();
        // NOTE: the usual case reads the file in pieces and keeps only this
        // connection's tables; anything else reads it again, whole.
        if let Some(Some(part)) =
            atomic::read_optional_with(&path, |file| layout::connection_part(file, name))?
            && let Ok(mut part) = parse(&path, &part)
            && let Some(connection) = part.connections.remove(name)
        {
            return Ok(connection);
        }
        let Some(text) = atomic::read_optional(&path)? else {
            return Config::default().connection(name).cloned();
        };
        if let Some(layout) = Layout::scan(&text)
            && let Ok(mut part) = parse(&path, &layout.extract(name))
        {
            return part
                .connections
                .remove(name)
                .ok_or_else(|| Error::ConnectionNotFound {
                    name: name.to_owned(),
                    known: layout.names(),
                });
        }
        // Not of the usual shape, or an error: the whole file says where.
        parse(&path, &text)?.connection(name).cloned()
    }

    /// The connection commands act on when none is named (see
    /// [`Config::default_name`]), read without parsing the connections.
    pub fn default_name(&self) -> Result<String> {
        atomic::check_private_dir(&self.dir)?;
        let path = self.path();
        let Some(text) = atomic::read_optional(&path)? else {
            return Ok(FALLBACK_CONNECTION.to_owned());
        };
        let config = match Layout::scan(&text).map(|l| parse(&path, l.prelude())) {
            Some(Ok(prelude)) => prelude,
            _ => parse(&path, &text)?,
        };
        Ok(config.default_name().to_owned())
    }

    /// Applies `change` to the current config under an exclusive lock and
    /// saves the result atomically. Nothing is written if `change` fails.
    pub fn update<R>(&self, change: impl FnOnce(&mut Config) -> Result<R>) -> Result<R> {
        atomic::check_private_dir(&self.dir)?;
        let _lock = lock::lock(&self.lock_path(), "writing config.toml", FILE_LOCK_WAIT)?;
        let mut config = self.load()?;
        let result = change(&mut config)?;
        config.version = CONFIG_VERSION;
        let text = toml::to_string_pretty(&config)
            .map_err(|e| Error::Internal(format!("cannot serialize the config: {e}")))?;
        atomic::write_private(&self.path(), text.as_bytes())?;
        Ok(result)
    }
}

/// Configs this large (about 200 connections) are parsed in two halves at
/// once; a full parse costs about 35 µs per KiB.
const PARSE_IN_HALVES_BYTES: usize = 192 * 1024;

fn parse(path: &Path, text: &str) -> Result<Config> {
    let halves = (text.len() >= PARSE_IN_HALVES_BYTES)
        .then(|| parse_in_halves(text))
        .flatten();
    let config = match halves {
        Some(config) => config,
        None => toml::from_str(text).map_err(|e| Error::ConfigParse {
            path: path.to_owned(),
            reason: first_line(&e.to_string()),
        })?,
    };
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

/// `text` parsed as two configs, each with the top-level keys and half the
/// connections' tables (every table of a connection in the same half), on
/// two threads, and joined. `None` when the file is not of the shape
/// [`Layout`] splits, has fewer than two connections, or a half does not
/// parse: the whole parse then reads it, and names an error's line in the
/// file, not in a half.
// NOTE: `verify --all` and `list` read the whole config before anything
// else; at a thousand connections the parse was 35 ms of one core.
fn parse_in_halves(text: &str) -> Option<Config> {
    let layout = Layout::scan(text)?;
    let names = layout.names();
    if names.len() < 2 {
        return None;
    }
    let (first, second) = names.split_at(names.len() / 2);
    let (first, second) = (layout.extract_all(first), layout.extract_all(second));
    let parse = |half: &str| toml::from_str::<Config>(half).ok();
    let (first, second) = std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, || parse(&second));
        let here = parse(&first);
        // A thread that cannot start leaves the half to this one.
        let there = match other {
            Ok(thread) => thread.join().ok().flatten(),
            Err(_) => parse(&second),
        };
        (here, there)
    });
    let (mut config, second) = (first?, second?);
    config.connections.extend(second.connections);
    Some(config)
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

    /// Awkward text for any string field: quotes of every kind, comments,
    /// brackets and lines that look like another connection's header.
    fn awkward() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            "[ -~\n\t]{0,24}",
            Just("\n[connections.evil]\ngrant = \"api-token\"\n".to_owned()),
            Just("'''\n[connections.a]\n'''".to_owned()),
            Just("\"\"\"\n[x]\n\"\"".to_owned()),
            Just("a\\b # [c] = {d}".to_owned()),
            Just("Zürich 東京".to_owned()),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Reading one connection gives exactly what reading the whole file
        /// gives, and so does parsing it in halves; the files jira-spoke
        /// writes take the quick path.
        #[test]
        fn one_connection_reads_as_the_whole_file_does(
            entries in proptest::collection::btree_map(
                "[a-z]{1,3}|[a-z]\\.[a-z]|Zürich|東京|x-_y",
                (awkward(), awkward(), proptest::collection::vec(awkward(), 0..3)),
                0..5,
            ),
            default in proptest::option::of("[a-z]{1,3}"),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let file = ConfigFile::new(dir.path());
            let mut names = vec!["absent".to_owned()];
            file.update(|c| {
                c.default = default.clone();
                for (name, (client_id, email, scopes)) in &entries {
                    let mut connection = sample();
                    connection.client_id = Some(client_id.clone());
                    connection.email = Some(email.clone());
                    connection.scopes = scopes.clone();
                    connection.secrets.client_secret =
                        Some(crate::store::SecretRef::new("jira-spoke", name, client_id));
                    c.connections.insert(name.clone(), connection);
                    names.push(name.clone());
                }
                Ok(())
            })
            .unwrap();
            let text = std::fs::read_to_string(file.path()).unwrap();
            proptest::prop_assert!(Layout::scan(&text).is_some(), "not split:\n{}", text);
            let whole = file.load().unwrap();
            if entries.len() >= 2 {
                let halves = parse_in_halves(&text);
                proptest::prop_assert_eq!(halves.as_ref(), Some(&whole));
            }
            for name in &names {
                match (file.load_connection(name), whole.connection(name)) {
                    (Ok(one), Ok(expected)) => proptest::prop_assert_eq!(&one, expected),
                    (
                        Err(Error::ConnectionNotFound { known, .. }),
                        Err(Error::ConnectionNotFound { known: expected, .. }),
                    ) => proptest::prop_assert_eq!(&known, &expected),
                    (one, expected) => {
                        proptest::prop_assert!(false, "{:?} vs {:?}", one, expected)
                    }
                }
            }
            proptest::prop_assert_eq!(file.default_name().unwrap(), whole.default_name());
        }
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

    #[test]
    fn an_error_in_the_connection_read_names_its_line_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = ConfigFile::new(dir.path());
        file.update(|c| {
            c.connections.insert("a".into(), sample());
            c.connections.insert("b".into(), sample());
            Ok(())
        })
        .unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        let broken = text.replace("[connections.b]\n", "[connections.b]\nnonsense = 7\n");
        std::fs::write(file.path(), &broken).unwrap();
        let line = broken.lines().position(|l| l == "nonsense = 7").unwrap() + 1;
        let err = file.load_connection("b").unwrap_err();
        assert!(err.to_string().contains(&format!("line {line}")), "{err}");
        assert_eq!(
            file.load_connection("a").unwrap(),
            sample(),
            "another connection's error does not stop this one"
        );
    }

    /// A config of `n` connections as jira-spoke writes it, each with its
    /// sub-tables, past the size that is parsed in halves.
    fn large(n: usize) -> String {
        let mut config = Config::default();
        for i in 0..n {
            let mut c = sample();
            c.scopes = vec!["read:jira-work".into(), "offline_access".into()];
            c.token = Some(super::super::connection::TokenInfo::obtained_now(
                3600,
                Some("x"),
            ));
            let name = format!("c{i:04}");
            let secret = crate::store::SecretRef::new("jira-spoke", &name, "client_secret");
            c.secrets.set("client_secret", secret);
            config.connections.insert(format!("c{i:04}"), c);
        }
        config.default = Some("c0001".into());
        let text = toml::to_string_pretty(&config).unwrap();
        assert!(text.len() >= PARSE_IN_HALVES_BYTES, "{} bytes", text.len());
        text
    }

    #[test]
    fn a_large_config_parsed_in_halves_is_the_config_parsed_whole() {
        let text = large(500);
        let whole: Config = toml::from_str(&text).unwrap();
        assert_eq!(whole.connections.len(), 500);
        assert_eq!(parse_in_halves(&text).as_ref(), Some(&whole));
        // A connection's tables apart from each other still meet in one half:
        // c0000's sub-tables moved to the end of the file.
        let (head, rest) = text.split_at(text.find("[connections.c0000.").unwrap());
        let end = rest.find("[connections.c0001]").unwrap();
        let moved = format!("{head}{}\n{}", &rest[end..], &rest[..end]);
        assert_eq!(parse_in_halves(&moved).as_ref(), Some(&whole));
        assert_eq!(parse(Path::new("config.toml"), &moved).unwrap(), whole);
    }

    #[test]
    fn an_error_in_a_large_config_names_its_line_in_the_file_and_nothing_is_merged_away() {
        let text = large(500);
        let path = Path::new("config.toml");
        // Far into the second half.
        let broken = text.replace(
            "[connections.c0490]\n",
            "[connections.c0490]\nnonsense = 7\n",
        );
        let line = broken.lines().position(|l| l == "nonsense = 7").unwrap() + 1;
        let err = parse(path, &broken).unwrap_err();
        assert!(err.to_string().contains(&format!("line {line}")), "{err}");
        // One connection's table twice, in the two halves' ranges: the whole
        // parse refuses it; halves must not keep one copy.
        let c0490 = text.find("[connections.c0490]").unwrap();
        let c0491 = text.find("[connections.c0491]").unwrap();
        let twice = format!("{}{}", text, &text[c0490..c0491]);
        assert!(toml::from_str::<Config>(&twice).is_err());
        assert!(parse(path, &twice).is_err());
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
