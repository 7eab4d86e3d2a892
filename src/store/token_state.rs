//! Token state: what is known of a connection's stored access token — when
//! it expires, when it was obtained, the scopes granted — in
//! `connections/<name>/token.json` in the config directory, never in
//! `config.toml`.
//!
//! `config.toml` holds what the user declared and is written by `connect`,
//! `use`, `remove` and the ServiceNow commands. A renewal writes the secret
//! store and this file only, atomically and privately (0600), under the
//! connection's lock, so renewing one connection never rewrites the others'.
//! The file names the access-token entry it describes: after a reconnect
//! (new entries, see [`super::transaction`]) an older file describes nothing
//! and is not used. The refresh journal ([`super::journal`]) lives beside the
//! connection's lock; the token values live in the [`super::SecretStore`].
//!
//! Earlier versions kept this state in `config.toml`
//! (`[connections.<name>.token]`). Until [`move_from_config`] has moved it
//! here (the first `token` or `verify` does, once, for every connection),
//! it is read from there.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::atomic;
use super::config::ConfigFile;
use super::connection::{Connection, TokenInfo};
use super::secrets::SecretRef;
use crate::error::{Error, Result};

/// The file's contents.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    /// The entry holding the access token this describes.
    access_token: SecretRef,
    expires_at: u64,
    #[serde(default)]
    obtained_at: u64,
    #[serde(default)]
    scope: String,
}

/// The token state of one connection.
pub struct TokenState {
    path: PathBuf,
}

impl TokenState {
    /// The token state of connection `name`.
    pub fn new(config: &ConfigFile, name: &str) -> Self {
        TokenState {
            path: config.connection_dir(name).join("token.json"),
        }
    }

    /// Where the state is kept.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// What is known of `connection`'s access token, stored at `entry`: from
    /// this file when it describes that entry, else from a config written by
    /// an earlier version. `None` when nothing is known (never obtained, or
    /// the file is unreadable: the token is then renewed, which rewrites it).
    pub fn read(&self, connection: &Connection, entry: &SecretRef) -> Option<TokenInfo> {
        match self.saved() {
            Some(saved) if &saved.access_token == entry => Some(TokenInfo {
                expires_at: saved.expires_at,
                obtained_at: saved.obtained_at,
                scope: saved.scope,
            }),
            _ => connection.token.clone(),
        }
    }

    fn saved(&self) -> Option<Saved> {
        let text = atomic::read_optional(&self.path).ok()??;
        match serde_json::from_str(&text) {
            Ok(saved) => Some(saved),
            Err(e) => {
                tracing::info!("ignoring {}: {e}", self.path.display());
                None
            }
        }
    }

    /// Records `info` for the access token stored at `entry`. The caller
    /// holds the connection's lock.
    pub fn write(&self, entry: &SecretRef, info: &TokenInfo) -> Result<()> {
        let saved = Saved {
            access_token: entry.clone(),
            expires_at: info.expires_at,
            obtained_at: info.obtained_at,
            scope: info.scope.clone(),
        };
        let text = serde_json::to_string_pretty(&saved)
            .map_err(|e| Error::Internal(format!("cannot serialize the token state: {e}")))?;
        // NOTE: not synced: a state lost to a crash costs one renewal, and
        // a fleet's renewals would each wait for the disk twice.
        atomic::write_private_unsynced(&self.path, text.as_bytes())
    }

    /// Forgets the state (the connection is removed); best effort.
    pub fn remove(&self) {
        if let Err(e) = std::fs::remove_file(&self.path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::info!("cannot remove {}: {e}", self.path.display());
        }
    }

    /// The access-token entry the file names, if it can be read.
    pub fn entry(&self) -> Option<SecretRef> {
        self.saved().map(|saved| saved.access_token)
    }
}

/// Moves the token state a config of an earlier version holds
/// (`[connections.<name>.token]`) to each connection's file, in one write of
/// the config. A file that already describes the connection's token (this
/// version renewed it meanwhile) is kept. Nothing is written when there is
/// nothing to move.
pub fn move_from_config(config: &ConfigFile) -> Result<()> {
    if !config.load()?.connections.values().any(has_state) {
        return Ok(());
    }
    config.update(|c| {
        for (name, connection) in c.connections.iter_mut().filter(|(_, c)| has_state(c)) {
            let Some(info) = connection.token.take() else {
                continue;
            };
            let entry = access_token_entry(connection, name);
            let state = TokenState::new(config, name);
            if state
                .saved()
                .is_none_or(|saved| saved.access_token != entry)
            {
                state.write(&entry, &info)?;
            }
        }
        tracing::info!("moved the token state out of config.toml into connections/");
        Ok(())
    })
}

fn has_state(connection: &Connection) -> bool {
    connection.token.is_some()
}

/// Where connection `name`'s access token is stored: its reference, or for
/// a connection without one (written by hand), a fixed entry of its name.
pub fn access_token_entry(connection: &Connection, name: &str) -> SecretRef {
    match &connection.secrets.access_token {
        Some(r) => r.clone(),
        None => SecretRef::new(
            connection
                .secrets
                .client_secret
                .as_ref()
                .map_or("jira-spoke", |r| r.service.as_str()),
            name,
            "access_token",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::connection::Grant;

    fn connection(suffix: &str) -> Connection {
        let mut c = Connection::new(
            Grant::ClientCredentials,
            "https://api.atlassian.com/ex/jira/x".parse().unwrap(),
        );
        c.secrets.access_token = Some(SecretRef::new(
            "jira-spoke",
            "prod",
            &format!("access_token:{suffix}"),
        ));
        c
    }

    fn info(expires_at: u64) -> TokenInfo {
        TokenInfo {
            expires_at,
            obtained_at: 10,
            scope: "read:jira-work".into(),
        }
    }

    #[test]
    fn the_state_describes_one_stored_token_and_a_reconnect_makes_it_stale() {
        let dir = tempfile::tempdir().unwrap();
        let config = ConfigFile::new(dir.path());
        let state = TokenState::new(&config, "prod");
        let c = connection("ab12");
        let entry = access_token_entry(&c, "prod");
        assert_eq!(state.read(&c, &entry), None);
        state.write(&entry, &info(4000)).unwrap();
        assert_eq!(state.read(&c, &entry), Some(info(4000)));
        let reconnected = connection("cd34");
        let new_entry = access_token_entry(&reconnected, "prod");
        assert_eq!(state.read(&reconnected, &new_entry), None, "stale");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(state.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        state.remove();
        assert_eq!(state.read(&c, &entry), None);
        state.remove();
    }

    #[test]
    fn state_in_an_old_config_is_moved_once_and_a_newer_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        let config = ConfigFile::new(dir.path());
        config
            .update(|cfg| {
                for name in ["a", "b"] {
                    let mut c = connection("ab12");
                    c.secrets.access_token = Some(SecretRef::new("jira-spoke", name, "at"));
                    c.token = Some(info(1000));
                    cfg.connections.insert(name.into(), c);
                }
                Ok(())
            })
            .unwrap();
        assert!(
            std::fs::read_to_string(config.path())
                .unwrap()
                .contains("expires_at")
        );
        // `b` was renewed by this version before the move.
        let b_entry = SecretRef::new("jira-spoke", "b", "at");
        TokenState::new(&config, "b")
            .write(&b_entry, &info(9000))
            .unwrap();

        move_from_config(&config).unwrap();
        let text = std::fs::read_to_string(config.path()).unwrap();
        assert!(!text.contains("expires_at"), "{text}");
        let loaded = config.load().unwrap();
        let a = loaded.connection("a").unwrap();
        let a_entry = access_token_entry(a, "a");
        assert_eq!(
            TokenState::new(&config, "a").read(a, &a_entry),
            Some(info(1000))
        );
        let b = loaded.connection("b").unwrap();
        assert_eq!(
            TokenState::new(&config, "b").read(b, &b_entry),
            Some(info(9000))
        );

        // Once: nothing left to move, nothing written.
        let written = std::fs::metadata(config.path())
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        move_from_config(&config).unwrap();
        assert_eq!(std::fs::read_to_string(config.path()).unwrap(), text);
        let again = std::fs::metadata(config.path())
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(written, again);
    }
}
