//! The [`SecretStore`] seam: where secret values live, behind a reference.
//!
//! Two real backends: the OS keyring ([`super::keyring::KeyringStore`], the
//! default) and a plaintext 0600 file ([`super::file::FileStore`], only when
//! asked for). `MemoryStore`, built for tests only, serves them. A store
//! distinguishes "no such entry" (`Ok(None)`) from "the store cannot be
//! reached" (an error, exit 6).

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::file::FileStore;
use super::keyring::KeyringStore;
use crate::error::Result;
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

impl StoreKind {
    /// The store in words a newcomer knows: "the OS keyring", "the
    /// plaintext file store (secrets.json)".
    pub fn described(self) -> &'static str {
        match self {
            StoreKind::Keyring => "the OS keyring",
            StoreKind::File => "the plaintext file store (secrets.json)",
        }
    }
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
