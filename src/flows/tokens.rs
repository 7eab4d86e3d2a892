//! A valid access token for a stored connection: the cached one while it has
//! more than a minute left, else a new one — re-exchanged for client
//! credentials, refreshed for authorization code.
//!
//! Refresh tokens rotate at Atlassian: every refresh disables the token sent,
//! and reusing it outside a short leeway revokes the whole family
//! (<https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/>).
//! So refreshes are single-flight across processes (the connection's lock,
//! waited for with a deadline), the stored state is re-read after taking the
//! lock, and the new refresh token is stored before the new access token is
//! used.
//!
//! Before a refresh token is sent, the store must prove it can be written and
//! the refresh is noted in the connection's [`RefreshJournal`]: if the answer
//! cannot be stored (killed, disk full), the old refresh token is still the
//! stored one, the next run re-sends it within Atlassian's reuse interval, and
//! after that interval says plainly that the refresh was interrupted.
//!
//! Many connections at once (`verify --all`) renew in batches, the same
//! way, with the files read and written once per batch:
//! [`super::renewals`].

use crate::atlassian::oauth::{self, Client, Tokens};
use crate::atlassian::{Http, OAuthEndpoints};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::store::connection::TokenInfo;
use crate::store::journal::RefreshJournal;
use crate::store::{
    Config, ConfigFile, Connection, Grant, SecretRef, SecretSnapshot, SecretStore, Stores,
    connection_lock_wait,
};
use crate::time::now_unix;

/// Where an access token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// The stored token, still valid.
    Cached,
    /// A new one from the refresh token.
    Refreshed,
    /// A new one from the client credentials.
    Exchanged,
}

/// A usable access token and what is known of it.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: Secret,
    pub expires_at: u64,
    pub scope: String,
    pub source: TokenSource,
}

/// Returns a valid access token for connection `name`.
pub async fn access_token(
    http: &Http,
    config: &ConfigFile,
    stores: &Stores,
    name: &str,
) -> Result<AccessToken> {
    let connection = config.load_connection(name)?;
    let stored = match (&connection.token, &connection.secrets.access_token) {
        (Some(info), Some(r)) if info.is_fresh(now_unix()) => {
            Some(read_secrets(stores.open(connection.store), vec![r.clone()]).await)
        }
        _ => None,
    };
    let store = stores.open(connection.store);
    access_token_for(
        http,
        config,
        store.as_ref(),
        name,
        &connection,
        stored.as_ref(),
    )
    .await
}

/// Reads `refs` from `store` in one batch, off the async workers: the keyring
/// answers over D-Bus, the file store reads a file.
pub(crate) async fn read_secrets(
    store: Box<dyn SecretStore>,
    refs: Vec<SecretRef>,
) -> SecretSnapshot {
    tokio::task::spawn_blocking(move || store.get_many(&refs))
        .await
        .unwrap_or_else(|e| {
            SecretSnapshot::failed(Error::Internal(format!("reading the secrets failed: {e}")))
        })
}

/// [`access_token`] for a connection already read, from its `store`, with
/// the secrets already read in `known` (`verify --all` reads each store
/// once). Only a renewal reads the config and the store again, under the
/// connection's lock: what another process did meanwhile must be seen.
pub async fn access_token_for(
    http: &Http,
    config: &ConfigFile,
    store: &dyn SecretStore,
    name: &str,
    connection: &Connection,
    known: Option<&SecretSnapshot>,
) -> Result<AccessToken> {
    if connection.grant == Grant::ApiToken {
        return Err(Error::usage(
            format!(
                "connection `{name}` uses an API token with basic auth; it has no OAuth access token"
            ),
            "use the e-mail and API token as basic auth, or connect with `--grant client-credentials`",
        ));
    }
    if let Some(token) = cached(connection, store, known, name)? {
        return Ok(token);
    }
    // NOTE: waited for off the async workers: another jira-spoke may hold
    // it for a while, and a fleet's other requests must go on meanwhile.
    let _lock = {
        let (config, name) = (config.clone(), name.to_owned());
        let wait = connection_lock_wait(http.timeout());
        tokio::task::spawn_blocking(move || {
            config.lock_connection(
                &name,
                &format!("renewing the access token of `{name}`"),
                wait,
            )
        })
        .await
        .map_err(|e| Error::Internal(format!("waiting for a connection's lock failed: {e}")))??
    };
    // Another process may have renewed the token while we waited for the lock.
    let connection = config.load_connection(name)?;
    if let Some(token) = cached(&connection, store, None, name)? {
        return Ok(token);
    }
    renew(http, config, store, name, &connection).await
}

/// Whether `connection`'s stored access token cannot be used as it is:
/// expired, or missing from `known`. A store that could not be read is not
/// a reason: the renewal would meet it too, and reports it alone.
pub(crate) fn renewal_due(connection: &Connection, known: &SecretSnapshot) -> bool {
    if connection.grant == Grant::ApiToken {
        return false;
    }
    let (Some(info), Some(r)) = (&connection.token, &connection.secrets.access_token) else {
        return true;
    };
    !info.is_fresh(now_unix()) || matches!(known.get(r), Some(Ok(None)))
}

/// The stored access token, if it has more than the margin left; read from
/// `known` when it holds it.
pub(super) fn cached(
    connection: &Connection,
    store: &dyn SecretStore,
    known: Option<&SecretSnapshot>,
    name: &str,
) -> Result<Option<AccessToken>> {
    let (Some(info), Some(r)) = (&connection.token, &connection.secrets.access_token) else {
        return Ok(None);
    };
    if !info.is_fresh(now_unix()) {
        return Ok(None);
    }
    let token = match known.and_then(|k| k.get_owned(r)) {
        Some(found) => found?,
        None => store.get(r)?,
    };
    if token.is_none() {
        tracing::info!("the access token of `{name}` is missing from the store; renewing it");
    }
    Ok(token.map(|token| AccessToken {
        token,
        expires_at: info.expires_at,
        scope: info.scope.clone(),
        source: TokenSource::Cached,
    }))
}

async fn renew(
    http: &Http,
    config: &ConfigFile,
    store: &dyn SecretStore,
    name: &str,
    connection: &Connection,
) -> Result<AccessToken> {
    let client = Client {
        id: connection.client_id.clone().unwrap_or_default(),
        secret: read(
            store,
            None,
            connection.secrets.client_secret.as_ref(),
            "client secret",
            name,
            connection,
        )?,
    };
    let oauth = connection
        .oauth
        .as_ref()
        .ok_or_else(|| Error::Internal(format!("connection `{name}` has no OAuth URLs")))?;
    let (tokens, source) = match connection.grant {
        Grant::ClientCredentials => {
            let tokens =
                oauth::exchange_client_credentials(http, oauth, &client, &connection.scopes)
                    .await?;
            (tokens, TokenSource::Exchanged)
        }
        _ => {
            let tokens = refresh(http, config, store, name, connection, oauth, &client).await?;
            (tokens, TokenSource::Refreshed)
        }
    };
    let info = store_renewed(config, store, name, connection, &tokens)?;
    Ok(AccessToken {
        expires_at: info.expires_at,
        scope: info.scope,
        token: tokens.access_token,
        source,
    })
}

/// Sends the stored refresh token, once the store has shown it can take the
/// answer and the journal notes the refresh. The note stays until the new
/// refresh token is stored ([`store_renewed`]) or Atlassian refused without
/// rotating; on a timeout or a dropped connection nobody knows whether it
/// rotated, so the note stays for the next run.
async fn refresh(
    http: &Http,
    config: &ConfigFile,
    store: &dyn SecretStore,
    name: &str,
    connection: &Connection,
    endpoints: &OAuthEndpoints,
    client: &Client,
) -> Result<Tokens> {
    let stored = connection.secrets.refresh_token.as_ref();
    let refresh_token = read(store, None, stored, "refresh token", name, connection)?;
    let stored = stored.expect("read checked the reference");
    // A refresh token sent is a refresh token gone: only send it when the
    // answer can be kept.
    store.probe()?;
    let journal = RefreshJournal::new(config, name);
    let interrupted = note_refresh(&journal, stored, name)?;
    send_refresh(
        http,
        endpoints,
        client,
        &refresh_token,
        name,
        interrupted,
        &journal,
    )
    .await
}

/// Notes in `journal` that the stored refresh token `stored` is about to be
/// sent; when an earlier refresh of it never finished, when that was sent.
fn note_refresh(journal: &RefreshJournal, stored: &SecretRef, name: &str) -> Result<Option<u64>> {
    let interrupted = interrupted_refresh(journal, stored, name);
    journal.begin(stored)?;
    Ok(interrupted)
}

/// When a refresh of the stored refresh token `stored` was sent and never
/// finished, as `journal` says.
pub(super) fn interrupted_refresh(
    journal: &RefreshJournal,
    stored: &SecretRef,
    name: &str,
) -> Option<u64> {
    let interrupted = journal.unfinished(stored);
    if let Some(at) = interrupted {
        tracing::info!(
            "a refresh of `{name}` sent {} s ago never finished; sending the same refresh token again",
            now_unix().saturating_sub(at)
        );
    }
    interrupted
}

/// Sends `refresh_token`, already noted in `journal` ([`note_refresh`]):
/// a refusal of a refresh that was `interrupted` says so, and the note ends
/// only when Atlassian refused without rotating anything.
pub(super) async fn send_refresh(
    http: &Http,
    endpoints: &OAuthEndpoints,
    client: &Client,
    refresh_token: &Secret,
    name: &str,
    interrupted: Option<u64>,
    journal: &RefreshJournal,
) -> Result<Tokens> {
    match oauth::refresh(http, endpoints, client, refresh_token).await {
        Ok(tokens) => Ok(tokens),
        Err(Error::GrantRejected { .. }) if interrupted.is_some() => {
            Err(Error::RefreshInterrupted {
                connection: name.to_owned(),
            })
        }
        Err(e) => {
            if interrupted.is_none() && !may_have_rotated(&e) {
                journal.end();
            }
            Err(e)
        }
    }
}

/// False when Atlassian answered with a refusal (nothing rotated); true when
/// the request may have been answered without us seeing it.
fn may_have_rotated(e: &Error) -> bool {
    !matches!(
        e,
        Error::GrantRejected { .. }
            | Error::ClientRejected { .. }
            | Error::TokenRequestRejected { .. }
    )
}

/// Stores renewed tokens: the rotated refresh token first (once Atlassian has
/// answered, the old one is disabled), then the access token, then its expiry.
/// Each overwrites its entry in place, so a kill between two steps leaves a
/// refresh token that works and, at worst, an access token marked expired.
fn store_renewed(
    config: &ConfigFile,
    store: &dyn SecretStore,
    name: &str,
    connection: &Connection,
    tokens: &Tokens,
) -> Result<TokenInfo> {
    if let (Some(new), Some(r)) = (&tokens.refresh_token, &connection.secrets.refresh_token) {
        store.set(r, new)?;
    }
    if connection.grant == Grant::AuthorizationCode {
        RefreshJournal::new(config, name).end();
    }
    let r = access_token_ref(connection, name);
    store.set(&r, &tokens.access_token)?;
    let info = renewed_info(connection, tokens);
    config.update(|c| {
        apply_renewed(c, name, connection, &info, r);
        Ok(())
    })?;
    Ok(info)
}

/// Where connection `name`'s access token is stored.
pub(super) fn access_token_ref(connection: &Connection, name: &str) -> SecretRef {
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

/// What is known of renewed `tokens`, from now on.
pub(super) fn renewed_info(connection: &Connection, tokens: &Tokens) -> TokenInfo {
    // A refresh response may omit `scope`; the grant's scopes did not change then.
    let scope = tokens
        .scope
        .as_deref()
        .or(connection.token.as_ref().map(|t| t.scope.as_str()));
    TokenInfo::obtained_now(tokens.expires_in, scope)
}

/// Records in `config` that connection `name`, as `connection` was read
/// under its lock, has a new access token stored at `r`, known as `info`.
pub(super) fn apply_renewed(
    config: &mut Config,
    name: &str,
    connection: &Connection,
    info: &TokenInfo,
    r: SecretRef,
) {
    // NOTE: under the connection's lock nobody replaces it meanwhile; a
    // hand edit that did must not receive this connection's token.
    match config.connections.get_mut(name) {
        Some(stored)
            if stored.secrets.client_secret == connection.secrets.client_secret
                && stored.secrets.refresh_token == connection.secrets.refresh_token =>
        {
            stored.token = Some(info.clone());
            stored.secrets.access_token = Some(r);
        }
        _ => tracing::info!("connection `{name}` changed meanwhile; its token info is left alone"),
    }
}

/// Secret `what` of connection `name` at `r`: from `known` when it holds
/// it, else from `store`.
pub(super) fn read(
    store: &dyn SecretStore,
    known: Option<&SecretSnapshot>,
    r: Option<&SecretRef>,
    what: &str,
    name: &str,
    connection: &Connection,
) -> Result<Secret> {
    let missing = || Error::SecretMissing {
        what: what.to_owned(),
        connection: name.to_owned(),
        store: connection.store.to_string(),
    };
    let r = r.ok_or_else(missing)?;
    let found = match known.and_then(|k| k.get_owned(r)) {
        Some(found) => found?,
        None => store.get(r)?,
    };
    found.ok_or_else(missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SecretRefs;

    fn connection(grant: Grant, expires_at: u64) -> Connection {
        let url = url::Url::parse("https://api.atlassian.com/ex/jira/x").unwrap();
        let mut c = Connection::new(grant, url);
        c.secrets = SecretRefs::default();
        c.secrets.set(
            "access_token",
            SecretRef::new("jira-spoke", "a", "access_token"),
        );
        c.token = Some(TokenInfo {
            expires_at,
            obtained_at: now_unix() - 60,
            scope: String::new(),
        });
        c
    }

    #[test]
    fn a_renewal_is_due_for_an_expired_or_missing_token_not_an_unreadable_store() {
        let fresh = now_unix() + 3600;
        let r = SecretRef::new("jira-spoke", "a", "access_token");
        let held = SecretSnapshot::from_entries([(r.clone(), Ok(Some(Secret::new("t"))))]);
        let gone = SecretSnapshot::from_entries([(r.clone(), Ok(None))]);
        let unreadable = SecretSnapshot::failed(Error::KeyringUnavailable {
            reason: "locked".into(),
        });
        let cc = |expires_at| connection(Grant::ClientCredentials, expires_at);
        assert!(!renewal_due(&cc(fresh), &held));
        assert!(renewal_due(&cc(1), &held), "expired");
        assert!(renewal_due(&cc(fresh), &gone), "missing from the store");
        assert!(
            !renewal_due(&cc(fresh), &unreadable),
            "the store's failure is reported, not renewed around"
        );
        let mut never = cc(fresh);
        never.token = None;
        assert!(renewal_due(&never, &held), "never obtained");
        assert!(renewal_due(&connection(Grant::AuthorizationCode, 1), &held));
        assert!(!renewal_due(&connection(Grant::ApiToken, 1), &held));
    }
}
