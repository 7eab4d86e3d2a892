//! A valid access token for a stored connection: the cached one while it has
//! more than a minute left, else a new one — re-exchanged for client
//! credentials, refreshed for authorization code. This is the one renewal
//! path: `token`, `verify` and each connection of `verify --all` come here.
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
//! A renewal writes the secret store and the connection's [`TokenState`],
//! never `config.toml`. The stores and files are read and written off the
//! async workers: the keyring answers over D-Bus, and a file write is synced.

use std::sync::Arc;

use crate::atlassian::OAuthEndpoints;
use crate::atlassian::oauth::{self, Client, Tokens};
use crate::error::{Error, Result};
use crate::http::Http;
use crate::secret::Secret;
use crate::store::connection::TokenInfo;
use crate::store::journal::RefreshJournal;
use crate::store::token_state::{self, TokenState, access_token_entry};
use crate::store::{
    ConfigFile, Connection, Grant, SecretRef, SecretStore, Stores, connection_lock_wait,
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
pub(crate) struct AccessToken {
    pub token: Secret,
    pub expires_at: u64,
    /// When it was obtained (0 when not known): a refresh token's last use.
    pub obtained_at: u64,
    pub scope: String,
    pub source: TokenSource,
}

/// A secret store shared by the tasks of a command (`verify --all`).
pub(crate) type SharedStore = Arc<dyn SecretStore>;

/// Returns a valid access token for connection `name`.
pub(crate) async fn access_token(
    http: &Http,
    config: &ConfigFile,
    stores: &Stores,
    name: &str,
) -> Result<AccessToken> {
    let connection = config.load_connection(name)?;
    let store: SharedStore = Arc::from(stores.open(connection.store));
    let token = access_token_for(http, config, &store, name, &connection).await?;
    if connection.token.is_some() {
        move_state_out_of_config(config).await;
    }
    Ok(token)
}

/// Moves the token state a config of an earlier version holds to its new
/// home ([`token_state::move_from_config`]), once a token was had from it:
/// a command that fails (a locked keyring) leaves the config as it was.
/// Best effort: the state is still read from the config until it moved.
pub(crate) async fn move_state_out_of_config(config: &ConfigFile) {
    let config = config.clone();
    if let Err(e) = off_workers(move || token_state::move_from_config(&config)).await {
        tracing::info!("the token state stays in config.toml for now: {e}");
    }
}

/// Runs `work` off the async workers (a store call, a file written and
/// synced); a fleet's other requests go on meanwhile. At most
/// [`crate::open_files::file_work`] at once: each opens a few files.
pub(crate) async fn off_workers<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let _turn = crate::open_files::file_work().await;
    blocking(work).await
}

/// Runs `work` on tokio's blocking threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(format!("a store or file task failed: {e}")))?
}

/// [`access_token`] for `connection`, already read, whose secrets are in
/// `store`. Only a renewal reads the config again, under the connection's
/// lock: what another process did meanwhile must be seen.
pub(crate) async fn access_token_for(
    http: &Http,
    config: &ConfigFile,
    store: &SharedStore,
    name: &str,
    connection: &Connection,
) -> Result<AccessToken> {
    if connection.grant == Grant::ApiToken {
        return Err(Error::usage(
            format!(
                "connection `{name}` uses an API token with basic auth; it has no OAuth access token"
            ),
            "use the e-mail and API token as basic auth, or connect with `--grant client-credentials`",
        ));
    }
    let cached_now = {
        let (config, store, name, connection) = owned(config, store, name, connection);
        off_workers(move || cached(&config, store.as_ref(), &name, &connection)).await?
    };
    if let Some(token) = cached_now {
        return Ok(token);
    }
    // NOTE: waited for off the async workers: another jira-spoke may hold
    // it for a while, and a fleet's other requests must go on meanwhile.
    // It is one file held: `verify --all`'s width counts it.
    let _lock = {
        let (config, name) = (config.clone(), name.to_owned());
        let wait = connection_lock_wait(http.timeout());
        blocking(move || {
            config.lock_connection(
                &name,
                &format!("renewing the access token of `{name}`"),
                wait,
            )
        })
        .await?
    };
    // Another process may have renewed the token while we waited for the lock.
    let (config_now, store_now, name_now, _) = owned(config, store, name, connection);
    let (connection, cached_now) = off_workers(move || {
        let connection = config_now.load_connection(&name_now)?;
        let token = cached(&config_now, store_now.as_ref(), &name_now, &connection)?;
        Ok((connection, token))
    })
    .await?;
    if let Some(token) = cached_now {
        return Ok(token);
    }
    renew(http, config, store, name, &connection).await
}

/// Owned copies, for work sent off the async workers.
fn owned(
    config: &ConfigFile,
    store: &SharedStore,
    name: &str,
    connection: &Connection,
) -> (ConfigFile, SharedStore, String, Connection) {
    (
        config.clone(),
        store.clone(),
        name.to_owned(),
        connection.clone(),
    )
}

/// The stored access token, if it has more than the margin left.
fn cached(
    config: &ConfigFile,
    store: &dyn SecretStore,
    name: &str,
    connection: &Connection,
) -> Result<Option<AccessToken>> {
    let entry = access_token_entry(connection, name);
    let Some(info) = TokenState::new(config, name).read(connection, &entry) else {
        return Ok(None);
    };
    if !info.is_fresh(now_unix()) {
        return Ok(None);
    }
    let token = store.get(&entry)?;
    if token.is_none() {
        tracing::info!("the access token of `{name}` is missing from the store; renewing it");
    }
    Ok(token.map(|token| AccessToken {
        token,
        expires_at: info.expires_at,
        obtained_at: info.obtained_at,
        scope: info.scope,
        source: TokenSource::Cached,
    }))
}

async fn renew(
    http: &Http,
    config: &ConfigFile,
    store: &SharedStore,
    name: &str,
    connection: &Connection,
) -> Result<AccessToken> {
    let oauth = connection
        .oauth
        .as_ref()
        .ok_or_else(|| Error::Internal(format!("connection `{name}` has no OAuth URLs")))?;
    let (config_now, store_now, name_now, connection_now) = owned(config, store, name, connection);
    let prepared =
        off_workers(move || prepare(&config_now, store_now.as_ref(), &name_now, &connection_now))
            .await?;
    let (tokens, source) = match prepared.refresh {
        None => {
            let tokens = oauth::exchange_client_credentials(
                http,
                oauth,
                &prepared.client,
                &connection.scopes,
            )
            .await?;
            (tokens, TokenSource::Exchanged)
        }
        Some(refresh) => {
            let journal = RefreshJournal::new(config, name);
            let tokens = send_refresh(
                http,
                oauth,
                &prepared.client,
                &refresh.token,
                name,
                refresh.interrupted,
                &journal,
            )
            .await?;
            (tokens, TokenSource::Refreshed)
        }
    };
    let (config_now, store_now, name_now, connection_now) = owned(config, store, name, connection);
    let (access_token, info) = off_workers(move || {
        let info = renewed_info(&config_now, &name_now, &connection_now, &tokens);
        store_renewed(
            &config_now,
            store_now.as_ref(),
            &name_now,
            &connection_now,
            tokens,
            &info,
        )
        .map(|token| (token, info))
    })
    .await?;
    Ok(AccessToken {
        token: access_token,
        expires_at: info.expires_at,
        obtained_at: info.obtained_at,
        scope: info.scope,
        source,
    })
}

/// What a renewal sends: the client, and for authorization code the refresh
/// token, already noted in the journal.
struct Prepared {
    client: Client,
    refresh: Option<PreparedRefresh>,
}

struct PreparedRefresh {
    token: Secret,
    /// When an earlier refresh of it was sent and never finished.
    interrupted: Option<u64>,
}

/// Reads the client secret and, for authorization code, the refresh token;
/// a refresh token is only sent once the store has shown it can take the
/// answer and the journal notes the refresh ([`send_refresh`]).
fn prepare(
    config: &ConfigFile,
    store: &dyn SecretStore,
    name: &str,
    connection: &Connection,
) -> Result<Prepared> {
    let client = Client {
        id: connection.client_id.clone().unwrap_or_default(),
        secret: read(
            store,
            connection.secrets.client_secret.as_ref(),
            "client secret",
            name,
            connection,
        )?,
    };
    if connection.grant == Grant::ClientCredentials {
        return Ok(Prepared {
            client,
            refresh: None,
        });
    }
    let stored = connection.secrets.refresh_token.as_ref();
    let token = read(store, stored, "refresh token", name, connection)?;
    let stored = stored.expect("read checked the reference");
    // A refresh token sent is a refresh token gone: only send it when the
    // answer can be kept.
    store.probe()?;
    let journal = RefreshJournal::new(config, name);
    let interrupted = interrupted_refresh(&journal, stored, name);
    journal.begin(stored)?;
    Ok(Prepared {
        client,
        refresh: Some(PreparedRefresh { token, interrupted }),
    })
}

/// When a refresh of the stored refresh token `stored` was sent and never
/// finished, as `journal` says.
fn interrupted_refresh(journal: &RefreshJournal, stored: &SecretRef, name: &str) -> Option<u64> {
    let interrupted = journal.unfinished(stored);
    if let Some(at) = interrupted {
        tracing::info!(
            "a refresh of `{name}` sent {} s ago never finished; sending the same refresh token again",
            now_unix().saturating_sub(at)
        );
    }
    interrupted
}

/// Sends `refresh_token`, already noted in `journal` ([`prepare`]). The
/// note stays until the new refresh token is stored ([`store_renewed`]) or
/// Atlassian refused without rotating; on a timeout or a dropped connection
/// nobody knows whether it rotated, so the note stays for the next run. A
/// refusal of a refresh that was `interrupted` says so.
async fn send_refresh(
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
/// answered, the old one is disabled), then the access token, then what is
/// known of it. Each overwrites its entry in place, so a kill between two
/// steps leaves a refresh token that works and, at worst, an access token
/// marked expired. Returns the new access token.
fn store_renewed(
    config: &ConfigFile,
    store: &dyn SecretStore,
    name: &str,
    connection: &Connection,
    tokens: Tokens,
    info: &TokenInfo,
) -> Result<Secret> {
    if let (Some(new), Some(r)) = (&tokens.refresh_token, &connection.secrets.refresh_token) {
        store.set(r, new)?;
    }
    if connection.grant == Grant::AuthorizationCode {
        RefreshJournal::new(config, name).end();
    }
    let entry = access_token_entry(connection, name);
    store.set(&entry, &tokens.access_token)?;
    TokenState::new(config, name).write(&entry, info)?;
    Ok(tokens.access_token)
}

/// What is known of renewed `tokens`, from now on.
fn renewed_info(
    config: &ConfigFile,
    name: &str,
    connection: &Connection,
    tokens: &Tokens,
) -> TokenInfo {
    // A refresh response may omit `scope`; the grant's scopes did not change then.
    let before = || {
        TokenState::new(config, name)
            .read(connection, &access_token_entry(connection, name))
            .map(|info| info.scope)
    };
    let scope = tokens.scope.clone().or_else(before);
    TokenInfo::obtained_now(tokens.expires_in, scope.as_deref())
}

/// Secret `what` of connection `name` at `r`.
fn read(
    store: &dyn SecretStore,
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
    store.get(r)?.ok_or_else(missing)
}
