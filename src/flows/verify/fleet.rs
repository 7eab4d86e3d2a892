//! `verify --all`: every stored connection, with the config read once, each
//! secret store read once (one batch, off the async workers), expired tokens
//! renewed together ([`Renewals`]) and the connections verified
//! concurrently, one task each, with as many requests at once as [`Http`]
//! lets be in flight, so sockets stay under the open-file limit however many
//! connections there are.

use std::sync::Arc;

use tokio::task::JoinSet;

use super::checks::{Loaded, verify_loaded};
use super::report::VerifyReport;
use super::servicenow_consent;
use crate::atlassian::Http;
use crate::error::{Error, Result};
use crate::flows::renewals::Renewals;
use crate::flows::tokens::{read_secrets, renewal_due};
use crate::settings::Settings;
use crate::store::{SecretRef, SecretSnapshot, SecretStore, StoreKind, Stores};

/// Verifies every stored connection; the reports are in the config's order.
/// `progress` hears how many are done of how many, after each one.
/// Fails only when the config cannot be read.
pub async fn verify_all(
    http: &Http,
    settings: &Settings,
    stores: &Stores,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<VerifyReport>> {
    let config = settings.config.load()?;
    progress(0, config.connections.len());
    let mut opened: Vec<(StoreKind, Box<dyn SecretStore>, SecretSnapshot, Renewals)> = Vec::new();
    for kind in [StoreKind::Keyring, StoreKind::File] {
        let refs: Vec<SecretRef> = config
            .connections
            .values()
            .filter(|c| c.store == kind)
            .flat_map(|c| c.secrets.iter().map(|(_, r)| r.clone()))
            .collect();
        if refs.is_empty() {
            continue;
        }
        let snapshot = read_secrets(stores.open(kind), refs).await;
        let due = config
            .connections
            .iter()
            // Consent in ServiceNow: by design no token here to renew.
            .filter(|(_, c)| c.store == kind && !servicenow_consent::applies(c))
            .filter(|(_, c)| renewal_due(c, &snapshot))
            .map(|(name, _)| name.clone())
            .collect();
        // NOTE: the locks held at once are bounded like the requests in
        // flight: each is an open file too.
        let renewals = Renewals::new(
            settings.config.clone(),
            stores.open(kind),
            due,
            crate::open_files::in_flight(),
        );
        opened.push((kind, stores.open(kind), snapshot, renewals));
    }
    // NOTE: one task per connection, not one stream polled by the calling
    // task: a thousand connections' requests cost CPU (sockets, parsing), and
    // only tasks spread it over every core. `Http` bounds the requests, and so
    // the sockets, in flight.
    let opened = Arc::new(opened);
    let settings = Arc::new(settings.clone());
    let mut tasks = JoinSet::new();
    for (i, (name, connection)) in config.connections.into_iter().enumerate() {
        let (http, settings, opened) = (http.clone(), settings.clone(), opened.clone());
        tasks.spawn(async move {
            let (_, store, secrets, renewals) = opened
                .iter()
                .find(|(kind, _, _, _)| *kind == connection.store)
                .expect("every store in use was opened");
            let loaded = Loaded {
                store: store.as_ref(),
                secrets,
                renewals: Some(renewals),
            };
            let report = verify_loaded(&http, &settings, &loaded, &name, &connection).await;
            (i, report)
        });
    }
    let total = tasks.len();
    let mut reports = Vec::with_capacity(total);
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(report) => {
                reports.push(report);
                progress(reports.len(), total);
            }
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => return Err(Error::Internal(format!("a verify task failed: {e}"))),
        }
    }
    reports.sort_by_key(|(i, _)| *i);
    Ok(reports.into_iter().map(|(_, report)| report).collect())
}
