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
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::atomic;
use super::lock;
use super::secrets::{SecretRef, SecretSnapshot, SecretStore, StoreKind};
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
}

impl FileStore {
    /// The store in `config_dir`.
    pub fn new(config_dir: &Path) -> Self {
        FileStore {
            path: config_dir.join(FILE_NAME),
        }
    }

    /// Where the secrets are written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    fn read(&self) -> Result<Contents> {
        atomic::check_private_dir(self.dir())?;
        let text = atomic::read_secret_file(&self.path).map_err(|e| match e {
            Error::ConfigParse { path, reason } => Error::SecretFileUnreadable { path, reason },
            other => other,
        })?;
        match text {
            None => Ok(Contents::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| Error::SecretFileUnreadable {
                path: self.path.clone(),
                reason: e.to_string(),
            }),
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

impl SecretStore for FileStore {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }

    fn probe(&self) -> Result<()> {
        self.modify(|_| ())
    }

    fn get(&self, r: &SecretRef) -> Result<Option<Secret>> {
        Ok(self.read()?.secrets.get(&key(r)).map(Secret::new))
    }

    fn set(&self, r: &SecretRef, secret: &Secret) -> Result<()> {
        self.modify(|c| {
            c.secrets.insert(key(r), secret.expose().to_owned());
        })
    }

    fn delete(&self, r: &SecretRef) -> Result<bool> {
        self.modify(|c| c.secrets.remove(&key(r)).is_some())
    }

    fn get_many(&self, refs: &[SecretRef]) -> SecretSnapshot {
        match self.read() {
            Ok(contents) => SecretSnapshot::from_entries(refs.iter().map(|r| {
                let found = contents.secrets.get(&key(r)).map(Secret::new);
                (r.clone(), Ok(found))
            })),
            Err(err) => SecretSnapshot::failed(err),
        }
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
    fn get_many_reads_every_entry_or_says_why_none() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let a = SecretRef::new("jira-spoke", "a", "client_secret:x1");
        let b = SecretRef::new("jira-spoke", "b", "client_secret:x2");
        let gone = SecretRef::new("jira-spoke", "c", "client_secret:x3");
        store.set(&a, &Secret::new("one")).unwrap();
        store.set(&b, &Secret::new("two")).unwrap();
        let refs = [a.clone(), b.clone(), gone.clone(), a.clone()];
        let snapshot = store.get_many(&refs);
        let value = |r| snapshot.get(r).unwrap().unwrap().map(|s| s.expose().to_owned());
        assert_eq!(value(&a).as_deref(), Some("one"));
        assert_eq!(value(&b).as_deref(), Some("two"));
        assert_eq!(value(&gone), None, "missing, not an error");
        let unasked = SecretRef::new("jira-spoke", "d", "client_secret:x4");
        assert!(snapshot.get(&unasked).is_none());

        std::fs::write(store.path(), "{not json").unwrap();
        let snapshot = store.get_many(&refs);
        for r in &refs {
            let err = snapshot.get_owned(r).unwrap().unwrap_err();
            assert!(matches!(err, Error::SecretFileUnreadable { .. }), "{err:?}");
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
