//! [`Renewals`]: the expired tokens of many connections renewed together
//! (`verify --all`), with the file work shared.
//!
//! One renewal ([`super::tokens`]) takes the connection's lock, reads the
//! config and the secret store again under it, and writes both back. Over a
//! fleet of a thousand expired tokens (CI checking every connection once a
//! day finds them all expired) that was a thousand parses and rewrites of a
//! megabyte of config on the async workers: 40 s of CPU, and requests that
//! waited behind it reported as timed out.
//!
//! Here a connection that needs a new token asks for it, and asks are
//! gathered into batches: those that arrive together, and those still
//! expected within a few milliseconds. A batch takes the connections' locks,
//! reads the config and the store once under them, and notes the refreshes
//! in their journals together. The tokens are then asked for concurrently,
//! and the answers gathered the same way: what arrives while renewals are
//! still being answered, for up to 100 ms, or while a batch is being
//! written. Each batch stores the rotated refresh tokens, then the access
//! tokens, then their expiry in the config, once each, before any of its new
//! access tokens is used. The file work runs off the async workers, and the
//! locks held at once are bounded like the requests in flight, so they stay
//! under the open-file limit.
//!
//! A connection whose lock another process holds, or that cannot be read
//! under its lock, renews alone ([`access_token_for`]), which waits for the
//! lock and says what went wrong.
//!
//! [`access_token_for`]: super::tokens::access_token_for

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};

use super::tokens::{
    AccessToken, TokenSource, access_token_ref, apply_renewed, cached, interrupted_refresh, read,
    renewed_info, send_refresh,
};
use crate::atlassian::Http;
use crate::atlassian::oauth::{self, Client, Tokens};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::store::connection::TokenInfo;
use crate::store::journal::RefreshJournal;
use crate::store::secrets::copy_error;
use crate::store::{ConfigFile, Connection, Grant, Lock, SecretRef, SecretSnapshot, SecretStore};

/// Renewals of the connections of one secret store, for one command.
pub struct Renewals {
    config: ConfigFile,
    /// Connections whose stored token could not be used when the command
    /// began; the others never ask.
    due: HashSet<String>,
    asks: mpsc::UnboundedSender<Ask>,
    writes: mpsc::UnboundedSender<Write>,
}

/// A connection asking for its renewal to be prepared.
struct Ask {
    name: String,
    reply: oneshot::Sender<Prepared>,
}

/// What a read batch found for a connection.
enum Prepared {
    /// Renewed alone: its lock is held elsewhere, or it could not be read.
    Alone,
    /// Another process renewed it meanwhile.
    Fresh(AccessToken),
    Failed(Error),
    Renew(Box<Locked>),
}

/// A connection locked and read again, ready to ask Atlassian.
struct Locked {
    held: Held,
    /// Counts it among the renewals whose answer the writer may wait for.
    asking: Asking,
    /// As read under the lock.
    connection: Connection,
    client_secret: Secret,
    /// Authorization code: the stored refresh token, noted in the journal,
    /// and when an earlier refresh of it was sent and never finished.
    refresh: Option<(Secret, Option<u64>)>,
}

/// A connection's lock, and its place among the locks held at once.
struct Held {
    _lock: Lock,
    _permit: OwnedSemaphorePermit,
}

/// One renewal asked of Atlassian and not yet handed to the writer, counted
/// in `asking` until dropped.
struct Asking(Arc<AtomicUsize>);

impl Asking {
    fn new(asking: &Arc<AtomicUsize>) -> Asking {
        asking.fetch_add(1, Ordering::SeqCst);
        Asking(asking.clone())
    }
}

impl Drop for Asking {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Renewed tokens on their way into the store and the config.
struct Write {
    name: String,
    connection: Connection,
    tokens: Tokens,
    info: TokenInfo,
    held: Held,
    reply: oneshot::Sender<Result<()>>,
}

impl Renewals {
    /// Renewals for the connections `due` of `store`, holding at most `locks`
    /// connection locks at once. Starts the tasks that read and write the
    /// batches; they end with the returned value.
    pub fn new(
        config: ConfigFile,
        store: Box<dyn SecretStore>,
        due: HashSet<String>,
        locks: usize,
    ) -> Renewals {
        let store: Arc<dyn SecretStore> = Arc::from(store);
        let (asks, asked) = mpsc::unbounded_channel();
        let (writes, written) = mpsc::unbounded_channel();
        let permits = Arc::new(Semaphore::new(locks.max(1)));
        let asking = Arc::new(AtomicUsize::new(0));
        let reads = Reads {
            config: config.clone(),
            store: store.clone(),
            permits,
            asking: asking.clone(),
        };
        tokio::spawn(read_batches(reads, due.len(), asked));
        tokio::spawn(write_batches(config.clone(), store, asking, written));
        Renewals {
            config,
            due,
            asks,
            writes,
        }
    }

    /// A new access token for connection `name`, renewed with the others;
    /// `None` when it was not due at the start, or must renew alone
    /// ([`super::tokens::access_token_for`]).
    pub async fn access_token(&self, http: &Http, name: &str) -> Option<Result<AccessToken>> {
        if !self.due.contains(name) {
            return None;
        }
        let (reply, prepared) = oneshot::channel();
        let ask = Ask {
            name: name.to_owned(),
            reply,
        };
        self.asks.send(ask).ok()?;
        match prepared.await.ok()? {
            Prepared::Alone => None,
            Prepared::Fresh(token) => Some(Ok(token)),
            Prepared::Failed(e) => Some(Err(e)),
            Prepared::Renew(locked) => Some(self.renew(http, name, *locked).await),
        }
    }

    async fn renew(&self, http: &Http, name: &str, locked: Locked) -> Result<AccessToken> {
        let Locked {
            held,
            asking,
            connection,
            client_secret,
            refresh,
        } = locked;
        let client = Client {
            id: connection.client_id.clone().unwrap_or_default(),
            secret: client_secret,
        };
        let oauth = connection
            .oauth
            .as_ref()
            .ok_or_else(|| Error::Internal(format!("connection `{name}` has no OAuth URLs")))?;
        let (tokens, source) = match refresh {
            None => {
                let tokens =
                    oauth::exchange_client_credentials(http, oauth, &client, &connection.scopes)
                        .await?;
                (tokens, TokenSource::Exchanged)
            }
            Some((refresh_token, interrupted)) => {
                let journal = RefreshJournal::new(&self.config, name);
                let tokens = send_refresh(
                    http,
                    oauth,
                    &client,
                    &refresh_token,
                    name,
                    interrupted,
                    &journal,
                )
                .await?;
                (tokens, TokenSource::Refreshed)
            }
        };
        let info = renewed_info(&connection, &tokens);
        let (reply, stored) = oneshot::channel();
        let write = Write {
            name: name.to_owned(),
            connection,
            tokens: tokens.clone(),
            info: info.clone(),
            held,
            reply,
        };
        let stopped = || Error::Internal("storing the renewed tokens stopped".into());
        self.writes.send(write).map_err(|_| stopped())?;
        drop(asking);
        stored.await.map_err(|_| stopped())??;
        Ok(AccessToken {
            token: tokens.access_token,
            expires_at: info.expires_at,
            scope: info.scope,
            source,
        })
    }
}

/// How long a read batch waits for the asks still expected: a fleet's
/// connections all ask at once, and each batch reads the whole config.
const GATHER: Duration = Duration::from_millis(20);

/// What read batches work with.
#[derive(Clone)]
struct Reads {
    config: ConfigFile,
    store: Arc<dyn SecretStore>,
    /// One per connection lock held.
    permits: Arc<Semaphore>,
    /// Renewals asked of Atlassian and not yet handed to the writer.
    asking: Arc<AtomicUsize>,
}

/// Gathers asks into batches and prepares each batch off the async workers.
/// A batch is as many asks as locks allow: those that have arrived, and
/// those still expected (`due` in all) that arrive within [`GATHER`].
async fn read_batches(reads: Reads, due: usize, mut asked: mpsc::UnboundedReceiver<Ask>) {
    let permits = reads.permits.clone();
    let mut received = 0;
    while let Some(first) = asked.recv().await {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        received += 1;
        let until = tokio::time::Instant::now() + GATHER;
        let mut batch = vec![(first, permit)];
        while let Ok(permit) = permits.clone().try_acquire_owned() {
            let ask = match asked.try_recv() {
                Ok(ask) => Some(ask),
                Err(_) if received < due => tokio::time::timeout_at(until, asked.recv())
                    .await
                    .ok()
                    .flatten(),
                Err(_) => None,
            };
            let Some(ask) = ask else { break };
            received += 1;
            batch.push((ask, permit));
        }
        let reads = reads.clone();
        let _ = tokio::task::spawn_blocking(move || prepare(&reads, batch)).await;
    }
}

/// Locks the connections of `batch`, reads the config and the store once,
/// notes the refreshes in their journals together, and answers each ask.
fn prepare(reads: &Reads, batch: Vec<(Ask, OwnedSemaphorePermit)>) {
    let (config, store) = (&reads.config, reads.store.as_ref());
    let mut locked = Vec::with_capacity(batch.len());
    for (ask, permit) in batch {
        let doing = format!("renewing the access token of `{}`", ask.name);
        match config.lock_connection(&ask.name, &doing, Duration::ZERO) {
            Ok(lock) => locked.push((
                ask,
                Held {
                    _lock: lock,
                    _permit: permit,
                },
            )),
            // Another process renews it: alone, it waits for that one.
            Err(_) => {
                let _ = ask.reply.send(Prepared::Alone);
            }
        }
    }
    if locked.is_empty() {
        return;
    }
    // What other processes did before the locks were taken is seen now.
    let Ok(current) = config.load() else {
        for (ask, _) in locked {
            let _ = ask.reply.send(Prepared::Alone);
        }
        return;
    };
    let refs: Vec<SecretRef> = locked
        .iter()
        .filter_map(|(ask, _)| current.connections.get(&ask.name))
        .flat_map(|c| c.secrets.iter().map(|(_, r)| r.clone()))
        .collect();
    let secrets = store.get_many(&refs);
    let mut probed = None;
    let mut refreshes = Vec::new();
    for (ask, held) in locked {
        let step = match current.connections.get(&ask.name) {
            Some(connection) => {
                prepare_one(reads, &secrets, &mut probed, &ask.name, connection, held)
            }
            None => Step::Done(Prepared::Alone),
        };
        match step {
            Step::Done(prepared) => {
                let _ = ask.reply.send(prepared);
            }
            Step::Note(locked, stored) => refreshes.push((ask, locked, stored)),
        }
    }
    if refreshes.is_empty() {
        return;
    }
    let journals: Vec<(RefreshJournal, &SecretRef)> = refreshes
        .iter()
        .map(|(ask, _, stored)| (RefreshJournal::new(config, &ask.name), stored))
        .collect();
    let noted = RefreshJournal::begin_all(&journals);
    drop(journals);
    for (ask, locked, _) in refreshes {
        let prepared = match &noted {
            Ok(()) => Prepared::Renew(locked),
            Err(e) => Prepared::Failed(copy_error(e)),
        };
        let _ = ask.reply.send(prepared);
    }
}

/// How far [`prepare_one`] got a connection.
enum Step {
    Done(Prepared),
    /// Ready once its refresh is noted in its journal: the stored refresh
    /// token's reference.
    Note(Box<Locked>, SecretRef),
}

/// One connection of a read batch, locked (`held`) and read again.
/// `probed` is the store's answer to a probe, made once per batch before the
/// first refresh token is noted as sent.
fn prepare_one(
    reads: &Reads,
    secrets: &SecretSnapshot,
    probed: &mut Option<Result<()>>,
    name: &str,
    connection: &Connection,
    held: Held,
) -> Step {
    let (config, store) = (&reads.config, reads.store.as_ref());
    match cached(connection, store, Some(secrets), name) {
        Ok(Some(token)) => return Step::Done(Prepared::Fresh(token)),
        Ok(None) => {}
        Err(e) => return Step::Done(Prepared::Failed(e)),
    }
    let client_secret = match read(
        store,
        Some(secrets),
        connection.secrets.client_secret.as_ref(),
        "client secret",
        name,
        connection,
    ) {
        Ok(s) => s,
        Err(e) => return Step::Done(Prepared::Failed(e)),
    };
    let mut locked = Box::new(Locked {
        held,
        asking: Asking::new(&reads.asking),
        connection: connection.clone(),
        client_secret,
        refresh: None,
    });
    if connection.grant == Grant::ClientCredentials {
        return Step::Done(Prepared::Renew(locked));
    }
    let stored = connection.secrets.refresh_token.as_ref();
    let token = match read(
        store,
        Some(secrets),
        stored,
        "refresh token",
        name,
        connection,
    ) {
        Ok(token) => token,
        Err(e) => return Step::Done(Prepared::Failed(e)),
    };
    let stored = stored.expect("read checked the reference");
    // A refresh token sent is a refresh token gone: only send it when the
    // answer can be kept.
    if let Err(e) = probed.get_or_insert_with(|| store.probe()) {
        return Step::Done(Prepared::Failed(copy_error(e)));
    }
    let interrupted = interrupted_refresh(&RefreshJournal::new(config, name), stored, name);
    locked.refresh = Some((token, interrupted));
    Step::Note(locked, stored.clone())
}

/// How long a write batch waits for the renewals still being answered:
/// each batch rewrites the whole config.
const GATHER_WRITES: Duration = Duration::from_millis(100);

/// Gathers renewed tokens into batches and stores each batch off the async
/// workers. A batch is what has arrived, and what arrives within
/// [`GATHER_WRITES`] while renewals are still `asking` Atlassian.
async fn write_batches(
    config: ConfigFile,
    store: Arc<dyn SecretStore>,
    asking: Arc<AtomicUsize>,
    mut written: mpsc::UnboundedReceiver<Write>,
) {
    while let Some(first) = written.recv().await {
        let until = tokio::time::Instant::now() + GATHER_WRITES;
        let mut batch = vec![first];
        loop {
            while let Ok(write) = written.try_recv() {
                batch.push(write);
            }
            if asking.load(Ordering::SeqCst) == 0 {
                // Each was sent before it stopped asking: all are in now.
                while let Ok(write) = written.try_recv() {
                    batch.push(write);
                }
                break;
            }
            match tokio::time::timeout_at(until, written.recv()).await {
                Ok(Some(write)) => batch.push(write),
                _ => break,
            }
        }
        let (config, store) = (config.clone(), store.clone());
        let _ =
            tokio::task::spawn_blocking(move || store_batch(&config, store.as_ref(), batch)).await;
    }
}

/// Stores a batch of renewed tokens as [`super::tokens`] stores one: the
/// rotated refresh tokens first (once Atlassian has answered, the old ones
/// are disabled), then the access tokens, then their expiry in the config.
/// Each write hears how its own tokens fared; its lock goes after.
fn store_batch(config: &ConfigFile, store: &dyn SecretStore, batch: Vec<Write>) {
    let mut results: Vec<Result<()>> = batch.iter().map(|_| Ok(())).collect();
    set_all(store, &batch, &mut results, |w| {
        Some((
            w.connection.secrets.refresh_token.clone()?,
            w.tokens.refresh_token.clone()?,
        ))
    });
    for (w, result) in batch.iter().zip(&results) {
        if w.connection.grant == Grant::AuthorizationCode && result.is_ok() {
            RefreshJournal::new(config, &w.name).end();
        }
    }
    set_all(store, &batch, &mut results, |w| {
        Some((
            access_token_ref(&w.connection, &w.name),
            w.tokens.access_token.clone(),
        ))
    });
    let updated = config.update(|c| {
        for (w, result) in batch.iter().zip(&results) {
            if result.is_ok() {
                let r = access_token_ref(&w.connection, &w.name);
                apply_renewed(c, &w.name, &w.connection, &w.info, r);
            }
        }
        Ok(())
    });
    if let Err(e) = updated {
        for result in results.iter_mut().filter(|r| r.is_ok()) {
            *result = Err(copy_error(&e));
        }
    }
    for (w, result) in batch.into_iter().zip(results) {
        let Write { reply, held, .. } = w;
        let _ = reply.send(result);
        drop(held);
    }
}

/// Stores what `entry` gives for each write of `batch` that has not failed,
/// all at once; if that fails, one by one, so each write gets its own
/// answer.
fn set_all(
    store: &dyn SecretStore,
    batch: &[Write],
    results: &mut [Result<()>],
    entry: impl Fn(&Write) -> Option<(SecretRef, Secret)>,
) {
    let entries: Vec<(usize, SecretRef, Secret)> = batch
        .iter()
        .enumerate()
        .filter(|(i, _)| results[*i].is_ok())
        .filter_map(|(i, w)| entry(w).map(|(r, secret)| (i, r, secret)))
        .collect();
    if entries.is_empty() {
        return;
    }
    let all: Vec<(SecretRef, Secret)> = entries
        .iter()
        .map(|(_, r, secret)| (r.clone(), secret.clone()))
        .collect();
    if store.set_many(&all).is_ok() {
        return;
    }
    for (i, r, secret) in entries {
        if let Err(e) = store.set(&r, &secret) {
            results[i] = Err(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    /// A store whose batch writes fail, as do single writes to `refused`.
    struct Refusing {
        inner: MemoryStore,
        refused: SecretRef,
    }

    impl SecretStore for Refusing {
        fn kind(&self) -> crate::store::StoreKind {
            self.inner.kind()
        }
        fn probe(&self) -> Result<()> {
            Ok(())
        }
        fn get(&self, r: &SecretRef) -> Result<Option<Secret>> {
            self.inner.get(r)
        }
        fn set(&self, r: &SecretRef, secret: &Secret) -> Result<()> {
            if *r == self.refused {
                return Err(Error::KeyringUnavailable {
                    reason: "refused".into(),
                });
            }
            self.inner.set(r, secret)
        }
        fn delete(&self, r: &SecretRef) -> Result<bool> {
            self.inner.delete(r)
        }
        fn set_many(&self, _: &[(SecretRef, Secret)]) -> Result<()> {
            Err(Error::KeyringUnavailable {
                reason: "no batches".into(),
            })
        }
    }

    fn connection(name: &str) -> Connection {
        let url = url::Url::parse("https://api.atlassian.com/ex/jira/x").unwrap();
        let mut c = Connection::new(Grant::ClientCredentials, url);
        c.secrets.set(
            "client_secret",
            SecretRef::new("jira-spoke", name, "client_secret"),
        );
        c.secrets.set(
            "access_token",
            SecretRef::new("jira-spoke", name, "access_token"),
        );
        c
    }

    #[test]
    fn a_write_the_store_refuses_fails_alone_and_its_expiry_is_not_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let config = ConfigFile::new(dir.path());
        let names = ["a", "b", "c"];
        config
            .update(|c| {
                for name in names {
                    c.connections.insert(name.into(), connection(name));
                }
                Ok(())
            })
            .unwrap();
        let store = Refusing {
            inner: MemoryStore::new(),
            refused: SecretRef::new("jira-spoke", "b", "access_token"),
        };
        let permits = Arc::new(Semaphore::new(3));
        let mut replies = Vec::new();
        let batch: Vec<Write> = names
            .iter()
            .map(|name| {
                let (reply, stored) = oneshot::channel();
                replies.push(stored);
                let tokens = Tokens {
                    access_token: Secret::new(format!("new-{name}")),
                    refresh_token: None,
                    expires_in: 3600,
                    scope: Some("read:jira-work".into()),
                };
                let connection = connection(name);
                Write {
                    name: name.to_string(),
                    info: renewed_info(&connection, &tokens),
                    connection,
                    tokens,
                    held: Held {
                        _lock: config
                            .lock_connection(name, "test", Duration::ZERO)
                            .unwrap(),
                        _permit: permits.clone().try_acquire_owned().unwrap(),
                    },
                    reply,
                }
            })
            .collect();
        store_batch(&config, &store, batch);

        let results: Vec<bool> = replies
            .into_iter()
            .map(|mut r| r.try_recv().unwrap().is_ok())
            .collect();
        assert_eq!(results, [true, false, true]);
        let stored = |name| {
            store
                .inner
                .get(&SecretRef::new("jira-spoke", name, "access_token"))
                .unwrap()
                .map(|s| s.expose().to_owned())
        };
        assert_eq!(stored("a").as_deref(), Some("new-a"));
        assert_eq!(stored("b"), None);
        assert_eq!(stored("c").as_deref(), Some("new-c"));
        let after = config.load().unwrap();
        let scope = |name: &str| {
            after.connections[name]
                .token
                .as_ref()
                .map(|t| t.scope.clone())
        };
        assert_eq!(scope("a").as_deref(), Some("read:jira-work"));
        assert_eq!(scope("b"), None, "no expiry for a token not stored");
        assert_eq!(scope("c").as_deref(), Some("read:jira-work"));
        // Every lock, and its place, is given back.
        assert_eq!(permits.available_permits(), 3);
        for name in names {
            config
                .lock_connection(name, "test", Duration::ZERO)
                .unwrap();
        }
    }
}
