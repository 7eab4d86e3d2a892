//! A valid access token for a stored connection: the cached one while it has
//! more than a minute left, else a new one — re-exchanged for client
//! credentials, refreshed for authorization code.
//!
//! Refresh tokens rotate at Atlassian: every refresh disables the token sent,
//! and reusing it outside a short leeway revokes the whole family
//! (<https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/>).
//! So refreshes are single-flight across processes (an exclusive lock file
//! per connection), the stored state is re-read after taking the lock, and the
//! new refresh token is stored before the new access token is used.

use std::path::PathBuf;

use crate::atlassian::Http;
use crate::atlassian::oauth::{self, Client, Tokens};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::store::connection::TokenInfo;
use crate::store::{ConfigFile, Connection, Grant, SecretRef, SecretStore, Stores};
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
    let connection = config.load()?.connection(name)?.clone();
    if connection.grant == Grant::ApiToken {
        return Err(Error::usage(
            format!(
                "connection `{name}` uses an API token with basic auth; it has no OAuth access token"
            ),
            "use the e-mail and API token as basic auth, or connect with `--grant client-credentials`",
        ));
    }
    let store = stores.open(connection.store);
    if let Some(token) = cached(&connection, store.as_ref(), name)? {
        return Ok(token);
    }
    let _lock = crate::store::atomic_lock(&lock_path(config, name))?;
    // Another process may have renewed the token while we waited for the lock.
    let connection = config.load()?.connection(name)?.clone();
    if let Some(token) = cached(&connection, store.as_ref(), name)? {
        return Ok(token);
    }
    renew(http, config, store.as_ref(), name, &connection).await
}

fn lock_path(config: &ConfigFile, name: &str) -> PathBuf {
    config.dir().join("locks").join(format!("{name}.lock"))
}

/// The stored access token, if it has more than the margin left.
fn cached(
    connection: &Connection,
    store: &dyn SecretStore,
    name: &str,
) -> Result<Option<AccessToken>> {
    let (Some(info), Some(r)) = (&connection.token, &connection.secrets.access_token) else {
        return Ok(None);
    };
    if !info.is_fresh(now_unix()) {
        return Ok(None);
    }
    let token = store.get(r)?;
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
            let refresh_token = read(
                store,
                connection.secrets.refresh_token.as_ref(),
                "refresh token",
                name,
                connection,
            )?;
            let tokens = oauth::refresh(http, oauth, &client, &refresh_token).await?;
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

/// Stores renewed tokens: the rotated refresh token first (once Atlassian has
/// answered, the old one is disabled), then the access token, then its expiry.
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
    let r = match &connection.secrets.access_token {
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
    };
    store.set(&r, &tokens.access_token)?;
    // A refresh response may omit `scope`; the grant's scopes did not change then.
    let scope = tokens
        .scope
        .as_deref()
        .or(connection.token.as_ref().map(|t| t.scope.as_str()));
    let info = TokenInfo::obtained_now(tokens.expires_in, scope);
    config.update(|c| {
        if let Some(stored) = c.connections.get_mut(name) {
            stored.token = Some(info.clone());
            stored.secrets.access_token = Some(r);
        }
        Ok(())
    })?;
    Ok(info)
}

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
