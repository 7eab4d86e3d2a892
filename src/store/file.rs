//! [`FileStore`]: secrets in a plaintext JSON file (mode 0600) in the config
//! directory, for machines without a usable keyring. Used only when asked for
//! (`--store file` or `JIRA_SPOKE_STORE=file`), never as a silent fallback;
//! commands warn when they write to it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic;
use super::secrets::{SecretRef, SecretStore, StoreKind};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// File name of the plaintext store inside the config directory.
pub const FILE_NAME: &str = "secrets.json";

#[derive(Default, Serialize, Deserialize)]
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

    fn read(&self) -> Result<Contents> {
        match atomic::read_optional(&self.path)? {
            None => Ok(Contents::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| Error::ConfigParse {
                path: self.path.clone(),
                reason: e.to_string(),
            }),
        }
    }

    fn modify<R>(&self, change: impl FnOnce(&mut Contents) -> R) -> Result<R> {
        let _lock = atomic::lock(&self.path.with_file_name(".secrets.lock"))?;
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
}
