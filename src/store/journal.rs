//! The refresh journal: a note kept while a refresh token is on its way to
//! Atlassian and its replacement on the way back into the store.
//!
//! Atlassian disables a refresh token the moment it answers a refresh. If
//! jira-spoke is killed (or cannot write) before the new token is stored, the
//! old one is still what is stored, and re-sending it works within Atlassian's
//! reuse interval (10 minutes). After that Atlassian answers `invalid_grant`,
//! and only this note tells that apart from revoked consent, so the message
//! can say what happened. It names the stored entry (never a secret) and is
//! written and removed under the connection's lock, in the connection's own
//! directory (`connections/<name>/refresh`; earlier versions kept it beside
//! the lock, `locks/<name>.refresh`, where it is still looked for).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::atomic;
use super::config::ConfigFile;
use super::secrets::SecretRef;
use crate::error::Result;
use crate::time::now_unix;

#[derive(Serialize, Deserialize)]
struct Note {
    /// The stored refresh token's entry (`service/account`).
    refresh_token: String,
    /// Unix time the refresh was sent.
    started_at: u64,
}

/// The journal of one connection.
pub(crate) struct RefreshJournal {
    path: PathBuf,
    /// Where an earlier version kept it.
    earlier: PathBuf,
}

impl RefreshJournal {
    /// The journal of connection `name`.
    pub(crate) fn new(config: &ConfigFile, name: &str) -> Self {
        RefreshJournal {
            // NOTE: not in `locks/` beside the lock: writing a file sweeps
            // its directory of temp files, and `locks/` holds every
            // connection's lock.
            path: config.connection_dir(name).join("refresh"),
            earlier: config.locks_dir().join(format!("{name}.refresh")),
        }
    }

    /// When an earlier refresh of the stored token `stored` was sent and
    /// never finished; `None` if there was none (or it was of another token).
    pub(crate) fn unfinished(&self, stored: &SecretRef) -> Option<u64> {
        [&self.path, &self.earlier].into_iter().find_map(|path| {
            let text = atomic::read_optional(path).ok()??;
            let note: Note = serde_json::from_str(&text).ok()?;
            (note.refresh_token == stored.to_string()).then_some(note.started_at)
        })
    }

    /// Notes that the refresh token `sent` is about to be sent. Failing here
    /// (a full disk) stops the refresh before Atlassian rotates anything.
    pub(crate) fn begin(&self, sent: &SecretRef) -> Result<()> {
        atomic::write_private(&self.path, note(sent).as_bytes())
    }

    /// The refresh finished: its result is stored, or Atlassian refused it
    /// without rotating anything.
    pub(crate) fn end(&self) {
        for path in [&self.path, &self.earlier] {
            if let Err(e) = std::fs::remove_file(path)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::info!("cannot remove {}: {e}", path.display());
            }
        }
    }
}

/// The note that the refresh token `sent` is being sent, from now.
fn note(sent: &SecretRef) -> String {
    let note = Note {
        refresh_token: sent.to_string(),
        started_at: now_unix(),
    };
    serde_json::to_string(&note).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_about_one_stored_token_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let config = ConfigFile::new(dir.path());
        let journal = RefreshJournal::new(&config, "prod");
        let rt = SecretRef::new("jira-spoke", "prod", "refresh_token:ab12");
        let other = SecretRef::new("jira-spoke", "prod", "refresh_token:cd34");
        assert_eq!(journal.unfinished(&rt), None);
        journal.begin(&rt).unwrap();
        let started = journal.unfinished(&rt).unwrap();
        assert!(started.abs_diff(now_unix()) < 5);
        assert_eq!(
            journal.unfinished(&other),
            None,
            "a reconnect makes it stale"
        );
        journal.end();
        assert_eq!(journal.unfinished(&rt), None);
        journal.end();
    }
}
