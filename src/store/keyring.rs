//! [`KeyringStore`]: secrets in the OS keyring, through `keyring-core` and the
//! native store of each platform (Secret Service over D-Bus on Linux and the
//! BSDs, Keychain on macOS, Credential Manager on Windows).
//!
//! Every call runs on a worker thread with a deadline: a locked keyring that
//! waits for an unlock prompt nobody will answer (an SSH session, CI) must not
//! hang the CLI. A missing daemon or bus fails fast on its own.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};

use super::secrets::{SecretRef, SecretStore, StoreKind};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// How long one keyring call may take before the keyring counts as unavailable.
const KEYRING_TIMEOUT: Duration = Duration::from_secs(3);
/// Prefix of the entry written, read and deleted by [`SecretStore::probe`];
/// the process ID and a random suffix keep parallel probes apart.
const PROBE_ACCOUNT: &str = "jira-spoke-probe";

/// The OS keyring.
pub struct KeyringStore {
    timeout: Duration,
}

impl KeyringStore {
    /// The platform's keyring, with the default deadline per call.
    pub fn new() -> Self {
        KeyringStore {
            timeout: KEYRING_TIMEOUT,
        }
    }

    /// Runs `op` on the entry for `r` on a worker thread, within the deadline.
    fn with_entry<T: Send + 'static>(
        &self,
        r: &SecretRef,
        op: impl FnOnce(&Entry) -> keyring_core::Result<T> + Send + 'static,
    ) -> Result<keyring_core::Result<T>> {
        let (service, account) = (r.service.clone(), r.account.clone());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let result = platform_store()
                .and_then(|store| store.build(&service, &account, None))
                .and_then(|entry| op(&entry));
            let _ = tx.send(result);
        });
        rx.recv_timeout(self.timeout).map_err(|_| self.no_answer())
    }

    fn no_answer(&self) -> Error {
        Error::KeyringUnavailable {
            reason: format!(
                "it did not answer within {} s (it may be locked and waiting for an unlock prompt)",
                self.timeout.as_secs()
            ),
        }
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretStore for KeyringStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }

    fn probe(&self) -> Result<()> {
        let r = SecretRef {
            service: "jira-spoke".into(),
            account: format!(
                "{PROBE_ACCOUNT}-{}-{}",
                std::process::id(),
                crate::secret::random_string(6)?
            ),
        };
        self.set(&r, &Secret::new("probe"))?;
        let read = self.get(&r)?;
        self.delete(&r)?;
        match read {
            Some(s) if s.expose() == "probe" => Ok(()),
            _ => Err(Error::KeyringUnavailable {
                reason: "a test entry written to it could not be read back".into(),
            }),
        }
    }

    fn get(&self, r: &SecretRef) -> Result<Option<Secret>> {
        match self.with_entry(r, |e| e.get_password())? {
            Ok(value) => Ok(Some(Secret::verbatim(value))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, r: &SecretRef, secret: &Secret) -> Result<()> {
        let value = secret.expose().to_owned();
        self.with_entry(r, move |e| e.set_password(&value))?
            .map_err(map_error)
    }

    fn delete(&self, r: &SecretRef) -> Result<bool> {
        match self.with_entry(r, |e| e.delete_credential())? {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e)),
        }
    }
}

fn map_error(err: keyring_core::Error) -> Error {
    use keyring_core::Error as K;
    match err {
        K::NoStorageAccess(e) => {
            tracing::debug!("keyring: {e}");
            Error::KeyringUnavailable {
                reason: "it is locked or refused access".into(),
            }
        }
        K::PlatformFailure(e) => Error::KeyringUnavailable {
            reason: describe_platform_failure(&e.to_string()),
        },
        K::TooLong(what, limit) => Error::SecretTooLong {
            reason: format!("the {what} is longer than the platform limit of {limit}"),
        },
        K::NoDefaultStore => Error::KeyringUnavailable {
            reason: "this platform has no supported keyring".into(),
        },
        other => Error::Internal(format!("keyring error: {other}")),
    }
}

// NOTE: the two D-Bus cases say what is missing in words an admin knows;
// the library's own text ("zbus error … /run/user/0/bus") goes to `-v`,
// as a locked keyring's does.
fn describe_platform_failure(detail: &str) -> String {
    if detail.contains("DBUS_SESSION_BUS_ADDRESS")
        || detail.contains("/bus")
        || detail.contains("Connection")
        || detail.contains("Failed to connect")
    {
        tracing::debug!("keyring: {detail}");
        "no Secret Service is running (no D-Bus session)".to_owned()
    } else if detail.contains("org.freedesktop.secrets") {
        tracing::debug!("keyring: {detail}");
        "no Secret Service is running (no keyring daemon such as gnome-keyring or KWallet answers)"
            .to_owned()
    } else {
        detail.to_owned()
    }
}

/// The process-wide native store, created on first use (from a worker thread).
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    static STORE: Mutex<Option<Arc<CredentialStore>>> = Mutex::new(None);
    let mut guard = STORE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(store) = guard.as_ref() {
        return Ok(store.clone());
    }
    let store = new_platform_store()?;
    *guard = Some(store.clone());
    Ok(store)
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn new_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn new_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn new_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(unix, target_os = "windows")))]
fn new_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NoDefaultStore)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locked_keyring_is_said_without_the_librarys_words() {
        let locked =
            "org.freedesktop.Secret.Error.IsLocked: Cannot create an item in a locked collection";
        let err = map_error(keyring_core::Error::NoStorageAccess(locked.into()));
        let said = err.to_string();
        assert!(said.contains("it is locked or refused access"), "{said}");
        assert!(
            !said.contains("IsLocked") && !said.contains("collection"),
            "{said}"
        );
    }

    #[test]
    fn no_d_bus_session_is_said_without_the_librarys_words() {
        for detail in [
            "zbus error: Failed to connect to address `unix:path=/run/user/0/bus`: No such file or directory",
            "Connection(Address(\"DBUS_SESSION_BUS_ADDRESS not set\"))",
        ] {
            let said = describe_platform_failure(detail);
            assert_eq!(
                said, "no Secret Service is running (no D-Bus session)",
                "{detail}"
            );
        }
    }
}
