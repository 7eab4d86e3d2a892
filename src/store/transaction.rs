//! Replacing a connection without ever leaving a broken one behind.
//!
//! New secrets are written under fresh entry names (a random suffix), then the
//! config is switched to them in one atomic write, and only then are the old
//! entries deleted. If anything fails before the switch, the new entries are
//! deleted and the old connection works exactly as before; a crash at any
//! point leaves either the old connection or the new one, never a mix.
//!
//! All of it happens under the connection's lock, so a token refresh of the
//! old connection running at the same time finishes first (or starts after,
//! on the new one): its tokens never land in the new connection.

use std::time::Duration;

use super::config::ConfigFile;
use super::connection::{Connection, SecretKind};
use super::journal::RefreshJournal;
use super::secrets::{SecretRef, SecretStore, Stores};
use super::token_state::{TokenState, access_token_entry};
use crate::error::Result;
use crate::secret::{Secret, random_string};

/// How long to wait for a refresh of the same connection to finish: as long
/// as [`super::config::connection_lock_wait`] allows one with the default
/// `--timeout` of 30 s.
const LOCK_WAIT: Duration = Duration::from_secs(30 * 2 + 5);

/// What replacing a connection did.
#[derive(Debug)]
pub struct Replaced {
    /// The connection as stored, with its secret references.
    pub connection: Connection,
    /// True when a connection of that name existed before.
    pub replaced_existing: bool,
    /// Old entries that could not be deleted (name and reason), for a warning.
    pub leftovers: Vec<String>,
}

/// Stores `secrets` in `store` and `connection` under `name` in the config.
pub(crate) fn replace_connection(
    config: &ConfigFile,
    stores: &Stores,
    store: &dyn SecretStore,
    service: &str,
    name: &str,
    mut connection: Connection,
    secrets: Vec<(SecretKind, Secret)>,
) -> Result<Replaced> {
    let _lock = config.lock_connection(name, &format!("storing connection `{name}`"), LOCK_WAIT)?;
    let suffix = random_string(4)?
        .to_ascii_lowercase()
        .replace(['-', '_'], "x");
    let mut written: Vec<SecretRef> = Vec::new();
    connection.store = store.kind();
    connection.secrets = Default::default();
    for (what, value) in &secrets {
        let r = SecretRef {
            service: service.to_owned(),
            account: format!("{name}:{what}:{suffix}"),
        };
        if let Err(e) = store.set(&r, value) {
            roll_back(store, &written);
            return Err(e);
        }
        connection.secrets.set(*what, r.clone());
        written.push(r);
    }
    // The new token's state goes beside the config, not into it
    // ([`super::token_state`]), once the config names the new entries.
    let token = connection.token.take();
    let stored = connection.clone();
    let previous = config.update(|c| Ok(c.connections.insert(name.to_owned(), stored)));
    let previous = match previous {
        Ok(previous) => previous,
        Err(e) => {
            roll_back(store, &written);
            return Err(e);
        }
    };
    // A refresh of the old connection that was interrupted no longer matters.
    RefreshJournal::new(config, name).end();
    let state = TokenState::new(config, name);
    match &token {
        // NOTE: the connection is stored already: failing here only means
        // its token is renewed on first use, so it is logged, not fatal.
        Some(info) => {
            if let Err(e) = state.write(&access_token_entry(&connection, name), info) {
                tracing::info!(
                    "the new token's state was not kept ({e}); it is renewed on first use"
                );
            }
        }
        None => state.remove(),
    }
    connection.token = token;
    let mut leftovers = Vec::new();
    if let Some(old) = &previous {
        let other;
        let old_store: &dyn SecretStore = if old.store == store.kind() {
            store
        } else {
            other = stores.open(old.store);
            other.as_ref()
        };
        for (what, r) in old.secrets.iter() {
            if written.contains(r) {
                continue;
            }
            if let Err(e) = old_store.delete(r) {
                leftovers.push(format!("old {what} ({r}) in the {} store: {e}", old.store));
            }
        }
    }
    Ok(Replaced {
        connection,
        replaced_existing: previous.is_some(),
        leftovers,
    })
}

fn roll_back(store: &dyn SecretStore, written: &[SecretRef]) {
    for r in written {
        let _ = store.delete(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::connection::Grant;
    use crate::store::{MemoryStore, Stores};

    fn connection() -> Connection {
        Connection {
            client_id: Some("id".into()),
            ..Connection::new(
                Grant::ClientCredentials,
                "https://api.atlassian.com/ex/jira/x".parse().unwrap(),
            )
        }
    }

    fn stores(store: &MemoryStore) -> Stores {
        let shared = store.clone();
        Stores::custom(move |_| Box::new(shared.clone()))
    }

    fn secrets(v: &str) -> Vec<(SecretKind, Secret)> {
        vec![
            (SecretKind::ClientSecret, Secret::new(v)),
            (SecretKind::AccessToken, Secret::new(format!("at-{v}"))),
        ]
    }

    #[test]
    fn replacing_switches_to_new_entries_and_deletes_the_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let config = ConfigFile::new(dir.path());
        let store = MemoryStore::new();
        let first = replace_connection(
            &config,
            &stores(&store),
            &store,
            "svc",
            "prod",
            connection(),
            secrets("one"),
        )
        .unwrap();
        assert!(!first.replaced_existing);
        let second = replace_connection(
            &config,
            &stores(&store),
            &store,
            "svc",
            "prod",
            connection(),
            secrets("two"),
        )
        .unwrap();
        assert!(second.replaced_existing);
        assert!(second.leftovers.is_empty());
        assert_eq!(store.len(), 2, "old entries deleted");
        let stored = config.load().unwrap().connection("prod").unwrap().clone();
        let r = stored.secrets.client_secret.unwrap();
        assert_eq!(store.get(&r).unwrap().unwrap().expose(), "two");
    }

    #[test]
    fn a_store_failure_leaves_the_old_connection_working() {
        let dir = tempfile::tempdir().unwrap();
        let config = ConfigFile::new(dir.path());
        let store = MemoryStore::new();
        replace_connection(
            &config,
            &stores(&store),
            &store,
            "svc",
            "prod",
            connection(),
            secrets("one"),
        )
        .unwrap();
        let before = config.load().unwrap();
        store.set_unavailable(true);
        assert!(
            replace_connection(
                &config,
                &stores(&store),
                &store,
                "svc",
                "prod",
                connection(),
                secrets("two")
            )
            .is_err()
        );
        store.set_unavailable(false);
        assert_eq!(config.load().unwrap(), before);
        let r = before
            .connection("prod")
            .unwrap()
            .secrets
            .client_secret
            .clone()
            .unwrap();
        assert_eq!(store.get(&r).unwrap().unwrap().expose(), "one");
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn a_config_failure_removes_the_new_entries() {
        let dir = tempfile::tempdir().unwrap();
        let config = ConfigFile::new(dir.path());
        std::fs::write(config.path(), "not = [valid").unwrap();
        let store = MemoryStore::new();
        assert!(
            replace_connection(
                &config,
                &stores(&store),
                &store,
                "svc",
                "prod",
                connection(),
                secrets("one")
            )
            .is_err()
        );
        assert!(store.is_empty());
    }
}
