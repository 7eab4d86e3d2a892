//! [`FileStore`]: secrets in plaintext JSON files (mode 0600) in the config
//! directory, for machines without a usable keyring. Used only when asked for
//! (`--store file` or `JIRA_SPOKE_STORE=file`), never as a silent fallback;
//! commands warn when they write to it.
//!
//! `secrets.json` holds every connection's client secret and API token. The
//! tokens a renewal rewrites — access and refresh tokens — are kept in a
//! file of their connection's own, `connections/<name>/secrets.json`, so renewing
//! one connection never rewrites another's secrets (earlier versions kept
//! them in `secrets.json`: still read from there, and moved out when next
//! written). Each file holds several secrets, so it is rewritten only when it
//! was read whole: a file with fields this version does not know is an
//! error, not an empty store (the next write would drop the secrets it
//! holds). No file is read or written through a symlink, or kept in a
//! directory others can write.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::atomic;
use super::config::connection_dir;
use super::connection::{SecretKind, validate_name};
use super::identity::Identity;
use super::lock;
use super::secrets::{SecretRef, SecretStore, StoreKind};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// File name of the plaintext store inside the config directory.
pub const FILE_NAME: &str = "secrets.json";

/// How long to wait for another process writing a file.
const LOCK_WAIT: Duration = Duration::from_secs(30);

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Contents {
    #[serde(default)]
    secrets: BTreeMap<String, String>,
}

/// The plaintext secret files.
pub struct FileStore {
    path: PathBuf,
    /// Each file's entries as last read, and which file they were read from
    /// ([`Identity`]): the connections of `verify --all` share one store and
    /// read each file once between writes.
    last_read: Mutex<HashMap<PathBuf, (Identity, Entries)>>,
}

/// The entries of a file, by key.
type Entries = Arc<BTreeMap<String, String>>;

fn key(r: &SecretRef) -> String {
    r.to_string()
}

impl FileStore {
    /// The store in `config_dir`.
    pub fn new(config_dir: &Path) -> Self {
        FileStore {
            path: config_dir.join(FILE_NAME),
            last_read: Mutex::default(),
        }
    }

    /// Where the secrets are written (`secrets.json`; a connection's tokens
    /// go in `connections/<name>/secrets.json`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The file of its connection's own where entry `r` is kept: for the
    /// tokens renewals rewrite (`<connection>:<kind>:…` entries, as
    /// [`super::transaction`] names them). `None`: `secrets.json`.
    fn own_file(&self, r: &SecretRef) -> Option<PathBuf> {
        let mut parts = r.account.split(':');
        let (connection, kind) = (parts.next()?, parts.next()?);
        let token = [SecretKind::AccessToken, SecretKind::RefreshToken]
            .iter()
            .any(|k| k.as_str() == kind);
        (token && validate_name(connection).is_ok())
            .then(|| connection_dir(self.dir(), connection).join(FILE_NAME))
    }

    fn read(&self, path: &Path) -> Result<Contents> {
        atomic::check_private_dir(parent(path))?;
        let text = atomic::read_secret_file(path).map_err(|e| match e {
            Error::ConfigParse { path, reason } => Error::SecretFileUnreadable { path, reason },
            other => other,
        })?;
        match text {
            None => Ok(Contents::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| Error::SecretFileUnreadable {
                path: path.to_owned(),
                reason: e.to_string(),
            }),
        }
    }

    /// Every entry of the file at `path`, read whole (so a file it may not
    /// rewrite is refused for reading too), or as last read when the file is
    /// the same one.
    fn entries(&self, path: &Path) -> Result<Entries> {
        atomic::check_private_dir(self.dir())?;
        // NOTE: the file itself: a symlink is not followed (reading it is
        // refused below).
        let identity = std::fs::symlink_metadata(path)
            .ok()
            .map(|meta| Identity::of(&meta));
        let mut last = self.last_read.lock().unwrap_or_else(|p| p.into_inner());
        if let (Some(now), Some((then, entries))) = (&identity, last.get(path))
            && now == then
        {
            return Ok(entries.clone());
        }
        // NOTE: the identity is taken before the read: a file replaced in
        // between is read anew next time, never served for the newer one.
        let entries = Arc::new(self.read(path)?.secrets);
        match identity {
            Some(identity) => last.insert(path.to_owned(), (identity, entries.clone())),
            None => last.remove(path),
        };
        Ok(entries)
    }

    /// Applies `change` to the file at `path` under its lock, and writes it
    /// (deletes it, when a connection's own file is left empty).
    fn modify<R>(&self, path: &Path, change: impl FnOnce(&mut Contents) -> R) -> Result<R> {
        atomic::check_private_dir(self.dir())?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(FILE_NAME);
        let lock_path = match name {
            FILE_NAME => path.with_file_name(".secrets.lock"),
            _ => path.with_extension("lock"),
        };
        let _lock = lock::lock(&lock_path, &format!("writing {name}"), LOCK_WAIT)?;
        let mut contents = self.read(path)?;
        let result = change(&mut contents);
        if contents.secrets.is_empty() && path != self.path {
            if let Err(e) = std::fs::remove_file(path)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                return Err(atomic::io_error("delete", path, e));
            }
            return Ok(result);
        }
        let text = serde_json::to_string_pretty(&contents)
            .map_err(|e| Error::Internal(format!("cannot serialize secrets: {e}")))?;
        atomic::write_private(path, text.as_bytes())?;
        Ok(result)
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

impl SecretStore for FileStore {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }

    /// `secrets.json` can be read whole, and a file written and synced
    /// beside it (a full disk, `ulimit -f`), without rewriting anyone's
    /// secrets.
    fn probe(&self) -> Result<()> {
        self.entries(&self.path)?;
        let dir = self.dir();
        atomic::create_private_dir(dir)?;
        let failed = |action, e| atomic::io_error(action, &self.path, e);
        let mut probe = tempfile::Builder::new()
            .prefix(".probe.")
            .tempfile_in(dir)
            .map_err(|e| failed("create a temp file to write", e))?;
        probe
            .write_all(b"probe")
            .and_then(|()| probe.as_file().sync_all())
            .map_err(|e| failed("write", e))
    }

    fn get(&self, r: &SecretRef) -> Result<Option<Secret>> {
        let key = key(r);
        if let Some(own) = self.own_file(r)
            && let Some(value) = self.entries(&own)?.get(&key)
        {
            return Ok(Some(Secret::verbatim(value.clone())));
        }
        Ok(self
            .entries(&self.path)?
            .get(&key)
            .map(|value| Secret::verbatim(value.clone())))
    }

    fn set(&self, r: &SecretRef, secret: &Secret) -> Result<()> {
        let key = key(r);
        let Some(own) = self.own_file(r) else {
            return self.modify(&self.path, |c| {
                c.secrets.insert(key, secret.expose().to_owned());
            });
        };
        // Stored by an earlier version in secrets.json: moved out, once. (Read
        // first: a secrets.json it may not rewrite stops the write here.)
        let earlier = self.entries(&self.path)?.contains_key(&key);
        self.modify(&own, |c| {
            c.secrets.insert(key.clone(), secret.expose().to_owned());
        })?;
        if earlier {
            self.modify(&self.path, |c| c.secrets.remove(&key))?;
        }
        Ok(())
    }

    fn delete(&self, r: &SecretRef) -> Result<bool> {
        let key = key(r);
        let mut deleted = false;
        if let Some(own) = self.own_file(r) {
            deleted = self.modify(&own, |c| c.secrets.remove(&key).is_some())?;
            // NOTE: a connection's own file with nothing left in it goes, and
            // its lock file with it: callers delete under the connection's
            // lock, so no other writer of this file is waiting on it.
            if deleted && self.entries(&own)?.is_empty() {
                let _ = std::fs::remove_file(&own);
                let _ = std::fs::remove_file(own.with_file_name(".secrets.lock"));
            }
        }
        if self.entries(&self.path)?.contains_key(&key) {
            deleted |= self.modify(&self.path, |c| c.secrets.remove(&key).is_some())?;
        }
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let r = SecretRef::new("jira-spoke", "prod", "client_secret");
        assert_eq!(store.get(&r).unwrap(), None);
        store.set(&r, &Secret::new("s3cret")).unwrap();
        assert_eq!(store.get(&r).unwrap().unwrap().expose(), "s3cret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(store.delete(&r).unwrap());
        assert!(!store.delete(&r).unwrap());
    }

    #[test]
    fn entries_read_before_are_never_served_for_a_file_written_since() {
        let dir = tempfile::tempdir().unwrap();
        let (fleet, other) = (FileStore::new(dir.path()), FileStore::new(dir.path()));
        let r = SecretRef::new("jira-spoke", "a", "access_token:x1");
        other.set(&r, &Secret::new("one")).unwrap();
        assert_eq!(fleet.get(&r).unwrap().unwrap().expose(), "one");
        // Another process renews it (same length, within the same tick).
        other.set(&r, &Secret::new("two")).unwrap();
        assert_eq!(fleet.get(&r).unwrap().unwrap().expose(), "two");
        fleet.set(&r, &Secret::new("six")).unwrap();
        assert_eq!(fleet.get(&r).unwrap().unwrap().expose(), "six");
        // Replaced by a symlink: refused, not served from before.
        #[cfg(unix)]
        {
            let own = dir.path().join("connections/a/secrets.json");
            let elsewhere = dir.path().join("elsewhere.json");
            std::fs::rename(&own, &elsewhere).unwrap();
            std::os::unix::fs::symlink(&elsewhere, &own).unwrap();
            assert!(matches!(fleet.get(&r), Err(Error::UnsafeSecretFile { .. })));
        }
    }

    #[test]
    fn renewing_one_connection_rewrites_no_other_connection_s_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let entry = |name: &str, what: &str| SecretRef::new("jira-spoke", name, what);
        for name in ["a", "b"] {
            for what in ["client_secret:x1", "access_token:x1", "refresh_token:x1"] {
                store
                    .set(&entry(name, what), &Secret::new(format!("{name}-{what}")))
                    .unwrap();
            }
        }
        let file = |path: &str| std::fs::read(dir.path().join(path)).unwrap();
        let (shared, b) = (file(FILE_NAME), file("connections/b/secrets.json"));
        assert!(
            !String::from_utf8_lossy(&shared).contains("token"),
            "tokens apart"
        );
        store
            .set(&entry("a", "refresh_token:x1"), &Secret::new("rotated"))
            .unwrap();
        store
            .set(&entry("a", "access_token:x1"), &Secret::new("renewed"))
            .unwrap();
        assert_eq!(file(FILE_NAME), shared, "secrets.json untouched");
        assert_eq!(
            file("connections/b/secrets.json"),
            b,
            "b's tokens untouched"
        );
        let value = |r: &SecretRef| store.get(r).unwrap().unwrap().expose().to_owned();
        assert_eq!(value(&entry("a", "refresh_token:x1")), "rotated");
        assert_eq!(value(&entry("b", "refresh_token:x1")), "b-refresh_token:x1");
        // Deleting a connection's tokens deletes its file.
        assert!(store.delete(&entry("b", "access_token:x1")).unwrap());
        assert!(store.delete(&entry("b", "refresh_token:x1")).unwrap());
        assert!(!dir.path().join("connections/b/secrets.json").exists());
    }

    #[test]
    fn tokens_an_earlier_version_kept_in_secrets_json_are_read_and_moved_out_once_written() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        std::fs::write(
            store.path(),
            r#"{"secrets":{"jira-spoke/a:refresh_token:x1":"old","jira-spoke/a:client_secret:x1":"s"}}"#,
        )
        .unwrap();
        let rt = SecretRef::new("jira-spoke", "a", "refresh_token:x1");
        assert_eq!(store.get(&rt).unwrap().unwrap().expose(), "old");
        store.set(&rt, &Secret::new("new")).unwrap();
        assert_eq!(store.get(&rt).unwrap().unwrap().expose(), "new");
        let shared = std::fs::read_to_string(store.path()).unwrap();
        assert!(!shared.contains("refresh_token") && shared.contains("client_secret"));
    }

    #[test]
    fn one_entry_is_read_as_the_whole_file_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let r = SecretRef::new("jira-spoke", "a", "client_secret:x1");
        for (text, expected) in [
            (
                r#"{"secrets":{"jira-spoke/a:client_secret:x1":"s\"1"}}"#,
                Ok(Some("s\"1")),
            ),
            (
                r#"{"secrets":{"other":"x","jira-spoke/a:client_secret:x1":"one"}}"#,
                Ok(Some("one")),
            ),
            (
                r#"{"secrets":{"jira-spoke\/a:client_secret:x1":"esc"}}"#,
                Ok(Some("esc")),
            ),
            (r#"{"secrets":{"other":"x"}}"#, Ok(None)),
            (r#"{}"#, Ok(None)),
            (r#"{"secrets":{"other":7}}"#, Err("invalid type")),
            (r#"{"secrets":{},"version":2}"#, Err("unknown field")),
            (r#"{"secrets":{},"secrets":{}}"#, Err("duplicate field")),
            (r#"{"secrets":{}} trailing"#, Err("trailing characters")),
        ] {
            std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
            // A store of its own each time: the file is rewritten in place.
            let store = FileStore::new(dir.path());
            let one = store.get(&r).map(|s| s.map(|s| s.expose().to_owned()));
            let whole = store
                .read(store.path())
                .map(|c| c.secrets.get(&key(&r)).cloned());
            match expected {
                Ok(value) => {
                    assert_eq!(one.as_ref().unwrap().as_deref(), value, "{text}");
                    assert_eq!(whole.unwrap().as_deref(), value, "{text}");
                }
                Err(words) => {
                    let err = one.unwrap_err().to_string();
                    assert!(err.contains(words), "{text}: {err}");
                    assert!(whole.is_err(), "{text}");
                }
            }
        }
    }

    #[test]
    fn a_file_with_unknown_fields_is_refused_and_never_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        // A newer format, or a hand edit: the other connections' secrets are in it.
        let text = r#"{"version":2,"entries":{"jira-spoke/prod:client_secret:ab12":"s3cret"}}"#;
        std::fs::write(store.path(), text).unwrap();
        let r = SecretRef::new("jira-spoke", "staging", "client_secret:cd34");
        let err = store.set(&r, &Secret::new("other")).unwrap_err();
        assert!(matches!(err, Error::SecretFileUnreadable { .. }), "{err:?}");
        assert!(err.to_string().contains("unknown field"), "{err}");
        assert!(err.hint().unwrap().contains("never rewrites"), "{err:?}");
        assert!(store.get(&r).is_err(), "not read as empty");
        assert!(store.probe().is_err());
        assert_eq!(std::fs::read_to_string(store.path()).unwrap(), text);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_file_or_a_shared_directory_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.json");
        std::fs::write(&elsewhere, r#"{"secrets":{}}"#).unwrap();
        let private = dir.path().join("private");
        std::fs::create_dir(&private).unwrap();
        std::os::unix::fs::symlink(&elsewhere, private.join(FILE_NAME)).unwrap();
        let r = SecretRef::new("jira-spoke", "prod", "client_secret");
        let err = FileStore::new(&private)
            .set(&r, &Secret::new("s3cret"))
            .unwrap_err();
        assert!(matches!(err, Error::UnsafeSecretFile { .. }), "{err:?}");
        assert_eq!(
            std::fs::read_to_string(&elsewhere).unwrap(),
            r#"{"secrets":{}}"#
        );

        let team = dir.path().join("team");
        std::fs::create_dir(&team).unwrap();
        std::fs::set_permissions(&team, std::fs::Permissions::from_mode(0o2775)).unwrap();
        let store = FileStore::new(&team);
        let err = store.set(&r, &Secret::new("s3cret")).unwrap_err();
        assert!(matches!(err, Error::SharedDirectory { .. }), "{err:?}");
        assert!(store.get(&r).is_err());
        assert!(!store.path().exists());
        let mode = std::fs::metadata(&team).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o2775, "mode changed silently");
    }
}
