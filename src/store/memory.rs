//! [`MemoryStore`]: an in-memory secret store for tests, which can be told to
//! fail like a locked keyring. Only in the crate's own tests and with the
//! `test-support` feature; never in the shipped binary.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::secrets::{SecretRef, SecretStore, StoreKind};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// An in-memory store for tests, which can be told to fail like a locked
/// keyring. Clones share their entries. Not in the shipped binary: the crate's
/// tests and the `test-support` feature only.
#[derive(Default, Clone)]
pub struct MemoryStore {
    entries: Arc<Mutex<HashMap<SecretRef, Secret>>>,
    unavailable: Arc<Mutex<bool>>,
}

impl MemoryStore {
    /// An empty, working store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every later call fail as an unreachable keyring does (or work again).
    pub fn set_unavailable(&self, unavailable: bool) {
        *self.unavailable.lock().expect("lock") = unavailable;
    }

    /// How many entries are stored.
    pub fn len(&self) -> usize {
        self.entries.lock().expect("lock").len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn check(&self) -> Result<()> {
        if *self.unavailable.lock().expect("lock") {
            return Err(Error::KeyringUnavailable {
                reason: "the test store is switched off".into(),
            });
        }
        Ok(())
    }
}

impl SecretStore for MemoryStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }

    fn probe(&self) -> Result<()> {
        self.check()
    }

    fn get(&self, r: &SecretRef) -> Result<Option<Secret>> {
        self.check()?;
        Ok(self.entries.lock().expect("lock").get(r).cloned())
    }

    fn set(&self, r: &SecretRef, secret: &Secret) -> Result<()> {
        self.check()?;
        self.entries
            .lock()
            .expect("lock")
            .insert(r.clone(), secret.clone());
        Ok(())
    }

    fn delete(&self, r: &SecretRef) -> Result<bool> {
        self.check()?;
        Ok(self.entries.lock().expect("lock").remove(r).is_some())
    }
}
