//! The [`SecretStore`] seam: where secret values live, behind a reference.
//!
//! Two real backends: the OS keyring ([`super::keyring::KeyringStore`], the
//! default) and a plaintext 0600 file ([`super::file::FileStore`], only when
//! asked for). `MemoryStore`, built for tests only, serves them. A store
//! distinguishes "no such entry" (`Ok(None)`) from "the store cannot be
//! reached" (an error, exit 6).

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::file::FileStore;
use super::keyring::KeyringStore;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Which backend keeps a connection's secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows).
    Keyring,
    /// A plaintext JSON file (mode 0600) in the config directory. Only when asked for.
    File,
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
        })
    }
}

/// Where one secret is kept: a keyring service and account (or file key).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRef {
    /// Keyring service name, `jira-spoke` unless overridden.
    pub service: String,
    /// Account within the service: `<connection>:<what>`.
    pub account: String,
}

impl SecretRef {
    /// The reference for secret `what` of connection `connection`.
    pub fn new(service: &str, connection: &str, what: &str) -> Self {
        SecretRef {
            service: service.to_owned(),
            account: format!("{connection}:{what}"),
        }
    }
}

impl fmt::Display for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.service, self.account)
    }
}

/// A place that keeps secrets.
pub trait SecretStore: Send + Sync {
    /// Which backend this is.
    fn kind(&self) -> StoreKind;
    /// Checks that the store can be written and read, before any work that
    /// would be lost if it cannot (a browser consent, a token exchange).
    fn probe(&self) -> Result<()>;
    /// The secret, or `None` when there is no such entry.
    fn get(&self, r: &SecretRef) -> Result<Option<Secret>>;
    /// Stores (or replaces) a secret.
    fn set(&self, r: &SecretRef, secret: &Secret) -> Result<()>;
    /// Deletes a secret; `false` when there was none.
    fn delete(&self, r: &SecretRef) -> Result<bool>;
    /// Reads many secrets at once, for commands that use many connections:
    /// the file store reads its file once, the keyring is asked from worker
    /// threads. Blocking: async callers run it with `spawn_blocking`.
    fn get_many(&self, refs: &[SecretRef]) -> SecretSnapshot {
        SecretSnapshot::from_entries(refs.iter().map(|r| (r.clone(), self.get(r))))
    }
    /// Stores (or replaces) many secrets at once, for renewals of many
    /// connections: the file store writes its file once. Stops at the first
    /// that fails. Blocking.
    fn set_many(&self, entries: &[(SecretRef, Secret)]) -> Result<()> {
        entries
            .iter()
            .try_for_each(|(r, secret)| self.set(r, secret))
    }
}

/// What one [`SecretStore::get_many`] found: each secret, or why the store
/// could not be read at all.
#[derive(Default)]
pub struct SecretSnapshot {
    /// The store as a whole could not be read (the file, a locked keyring).
    failed: Option<Error>,
    entries: HashMap<SecretRef, Result<Option<Secret>>>,
}

impl SecretSnapshot {
    /// Each entry's own result.
    pub fn from_entries(
        entries: impl IntoIterator<Item = (SecretRef, Result<Option<Secret>>)>,
    ) -> Self {
        SecretSnapshot {
            failed: None,
            entries: entries.into_iter().collect(),
        }
    }

    /// Nothing could be read: every entry answers `err`.
    pub fn failed(err: Error) -> Self {
        SecretSnapshot {
            failed: Some(err),
            entries: HashMap::new(),
        }
    }

    /// What the batch found for `r`; `None` when `r` was not asked for.
    pub fn get(&self, r: &SecretRef) -> Option<Result<Option<&Secret>, &Error>> {
        if let Some(err) = &self.failed {
            return Some(Err(err));
        }
        self.entries
            .get(r)
            .map(|found| found.as_ref().map(Option::as_ref))
    }

    /// [`Self::get`] with owned values, for code that returns its errors:
    /// each connection sharing a failed store reports the failure itself.
    pub fn get_owned(&self, r: &SecretRef) -> Option<Result<Option<Secret>>> {
        self.get(r).map(|found| match found {
            Ok(secret) => Ok(secret.cloned()),
            Err(err) => Err(copy_error(err)),
        })
    }
}

/// An owned copy of an error a store returned (errors are not `Clone`: some
/// carry an `io::Error`, which is rebuilt with its kind and message).
pub fn copy_error(err: &Error) -> Error {
    use Error::*;
    match err {
        KeyringUnavailable { reason } => KeyringUnavailable {
            reason: reason.clone(),
        },
        StoredKeyringUnavailable { connection, reason } => StoredKeyringUnavailable {
            connection: connection.clone(),
            reason: reason.clone(),
        },
        SecretFileUnreadable { path, reason } => SecretFileUnreadable {
            path: path.clone(),
            reason: reason.clone(),
        },
        UnsafeSecretFile { path, reason } => UnsafeSecretFile {
            path: path.clone(),
            reason: reason.clone(),
        },
        SharedDirectory { path, reason } => SharedDirectory {
            path: path.clone(),
            reason: reason.clone(),
        },
        ConfigParse { path, reason } => ConfigParse {
            path: path.clone(),
            reason: reason.clone(),
        },
        TooManyOpenFiles {
            action,
            limit,
            system,
        } => TooManyOpenFiles {
            action: action.clone(),
            limit: *limit,
            system: *system,
        },
        FileAccess {
            action,
            path,
            source,
        } => FileAccess {
            action,
            path: path.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        SecretMissing {
            what,
            connection,
            store,
        } => SecretMissing {
            what: what.clone(),
            connection: connection.clone(),
            store: store.clone(),
        },
        NoSpace {
            action,
            path,
            reason,
        } => NoSpace {
            action,
            path: path.clone(),
            reason: reason.clone(),
        },
        LockTimeout {
            path,
            holder,
            pid,
            waited_secs,
        } => LockTimeout {
            path: path.clone(),
            holder: holder.clone(),
            pid: *pid,
            waited_secs: *waited_secs,
        },
        other => Internal(other.to_string()),
    }
}

/// Opens the backend of kind `kind`; the file store lives in `config_dir`.
pub fn open(kind: StoreKind, config_dir: &Path) -> Box<dyn SecretStore> {
    match kind {
        StoreKind::Keyring => Box::new(KeyringStore::new()),
        StoreKind::File => Box::new(FileStore::new(config_dir)),
    }
}

type Opener = dyn Fn(StoreKind) -> Box<dyn SecretStore>;

/// Opens the store a connection names: the system's stores in the binary,
/// substitutes in tests. Passed to everything that reads or writes secrets.
pub struct Stores {
    open: Box<Opener>,
}

impl Stores {
    /// The OS keyring, and the file store in `config_dir`.
    pub fn system(config_dir: &Path) -> Stores {
        let dir = config_dir.to_owned();
        Stores {
            open: Box::new(move |kind| open(kind, &dir)),
        }
    }

    /// Stores made by `open` (tests).
    pub fn custom(open: impl Fn(StoreKind) -> Box<dyn SecretStore> + 'static) -> Stores {
        Stores {
            open: Box::new(open),
        }
    }

    /// The store of kind `kind`.
    pub fn open(&self, kind: StoreKind) -> Box<dyn SecretStore> {
        (self.open)(kind)
    }
}
