//! [`FileStore`]: secrets in a plaintext JSON file (mode 0600) in the config
//! directory, for machines without a usable keyring. Used only when asked for
//! (`--store file` or `JIRA_SPOKE_STORE=file`), never as a silent fallback;
//! commands warn when they write to it.
//!
//! It holds every connection's secrets at once, so it is rewritten only when
//! it was read whole: a file with fields this version does not know is an
//! error, not an empty store (the next write would drop the other
//! connections' secrets). It is never read or written through a symlink, and
//! never kept in a directory others can write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::atomic;
use super::lock;
use super::secrets::{SecretRef, SecretStore, StoreKind};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// File name of the plaintext store inside the config directory.
pub const FILE_NAME: &str = "secrets.json";

/// How long to wait for another process writing the file.
const LOCK_WAIT: Duration = Duration::from_secs(30);

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Contents {
    #[serde(default)]
    secrets: BTreeMap<String, String>,
}

/// The plaintext secret file.
pub struct FileStore {
    path: PathBuf,
    /// The entries last read, and which file they were read from: the
    /// connections of `verify --all` share one store and read the file
    /// once between writes.
    last_read: Mutex<Option<(Identity, Entries)>>,
}

/// The entries of the file, by key.
type Entries = Arc<BTreeMap<String, String>>;

/// Which file, as last written: an atomic write replaces the file (a new
/// inode), so entries read from another file are never taken for its.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Identity {
    /// The file at `path` itself (a symlink is not followed: reading it is
    /// refused anyway).
    fn of(path: &Path) -> Option<Identity> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        Some(Identity {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
        })
    }
}

impl FileStore {
    /// The store in `config_dir`.
    pub fn new(config_dir: &Path) -> Self {
        FileStore {
            path: config_dir.join(FILE_NAME),
            last_read: Mutex::new(None),
        }
    }

    /// Where the secrets are written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    fn read_text(&self) -> Result<Option<String>> {
        atomic::check_private_dir(self.dir())?;
        atomic::read_secret_file(&self.path).map_err(|e| match e {
            Error::ConfigParse { path, reason } => Error::SecretFileUnreadable { path, reason },
            other => other,
        })
    }

    fn read(&self) -> Result<Contents> {
        match self.read_text()? {
            None => Ok(Contents::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| self.unreadable(e)),
        }
    }

    fn unreadable(&self, e: serde_json::Error) -> Error {
        Error::SecretFileUnreadable {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    fn modify<R>(&self, change: impl FnOnce(&mut Contents) -> R) -> Result<R> {
        atomic::check_private_dir(self.dir())?;
        let _lock = lock::lock(
            &self.path.with_file_name(".secrets.lock"),
            "writing secrets.json",
            LOCK_WAIT,
        )?;
        let mut contents = self.read()?;
        let result = change(&mut contents);
        let text = serde_json::to_string_pretty(&contents)
            .map_err(|e| Error::Internal(format!("cannot serialize secrets: {e}")))?;
        atomic::write_private(&self.path, text.as_bytes())?;
        Ok(result)
    }
}

fn key(r: &SecretRef) -> String {
    r.to_string()
}

impl FileStore {
    /// Every entry, read whole (so a file it may not rewrite is refused for
    /// reading too), or as last read when the file is the same one.
    fn entries(&self) -> Result<Entries> {
        atomic::check_private_dir(self.dir())?;
        let identity = Identity::of(&self.path);
        let mut last = self.last_read.lock().unwrap_or_else(|p| p.into_inner());
        if let (Some(now), Some((then, entries))) = (&identity, last.as_ref())
            && now == then
        {
            return Ok(entries.clone());
        }
        // NOTE: the identity is taken before the read: a file replaced in
        // between is read anew next time, never served for the newer one.
        let entries = Arc::new(self.read()?.secrets);
        *last = identity.map(|identity| (identity, entries.clone()));
        Ok(entries)
    }
}

impl SecretStore for FileStore {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }

    fn probe(&self) -> Result<()> {
        self.modify(|_| ())
    }

    fn get(&self, r: &SecretRef) -> Result<Option<Secret>> {
        Ok(self
            .entries()?
            .get(&key(r))
            .map(|value| Secret::new(value.clone())))
    }

    fn set(&self, r: &SecretRef, secret: &Secret) -> Result<()> {
        self.modify(|c| {
            c.secrets.insert(key(r), secret.expose().to_owned());
        })
    }

    fn delete(&self, r: &SecretRef) -> Result<bool> {
        self.modify(|c| c.secrets.remove(&key(r)).is_some())
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
            let elsewhere = dir.path().join("elsewhere.json");
            std::fs::rename(fleet.path(), &elsewhere).unwrap();
            std::os::unix::fs::symlink(&elsewhere, fleet.path()).unwrap();
            assert!(matches!(fleet.get(&r), Err(Error::UnsafeSecretFile { .. })));
        }
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
            let whole = store.read().map(|c| c.secrets.get(&key(&r)).cloned());
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
