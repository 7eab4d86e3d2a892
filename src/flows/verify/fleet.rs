//! `verify --all`: the one-connection verify ([`verify_loaded`]) over every
//! stored connection, a bounded number at once ([`crate::open_files::fleet_width`]),
//! each on a task of its own so their work spreads over every core.
//!
//! Nothing here is batched: each connection reads its secrets, takes its lock
//! and renews its token the way `verify` of that connection alone does
//! ([`crate::flows::tokens`]). The config is read once, up front; the
//! requests share [`Http`]'s one client, multiplexed on one connection per
//! origin where the server speaks HTTP/2.

use std::sync::Arc;

use futures_util::stream::{self, StreamExt};

use super::checks::verify_loaded;
use super::report::VerifyReport;
use crate::error::{Error, Result};
use crate::flows::tokens::{SharedStore, move_state_out_of_config};
use crate::http::Http;
use crate::settings::Settings;
use crate::store::{StoreKind, Stores};

/// Verifies every stored connection; the reports are in the config's order.
/// `progress` hears how many are done of how many, after each one.
/// Fails only when the config cannot be read.
pub(crate) async fn verify_all(
    http: &Http,
    settings: &Settings,
    stores: &Stores,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<VerifyReport>> {
    let config = settings.config.load()?;
    let earlier_version = config.connections.values().any(|c| c.token.is_some());
    let total = config.connections.len();
    progress(0, total);
    let keyring: SharedStore = Arc::from(stores.open(StoreKind::Keyring));
    let file: SharedStore = Arc::from(stores.open(StoreKind::File));
    let settings = Arc::new(settings.clone());
    let mut verified = stream::iter(config.connections.into_iter().enumerate())
        .map(|(i, (name, connection))| {
            let store = match connection.store {
                StoreKind::Keyring => keyring.clone(),
                StoreKind::File => file.clone(),
            };
            let (http, settings) = (http.clone(), settings.clone());
            tokio::spawn(async move {
                let report = verify_loaded(&http, &settings, &store, &name, &connection).await;
                (i, report)
            })
        })
        .buffer_unordered(crate::open_files::fleet_width());
    let mut reports = Vec::with_capacity(total);
    while let Some(done) = verified.next().await {
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
    if earlier_version && reports.iter().any(|(_, r)| r.token.source.is_some()) {
        move_state_out_of_config(&settings.config).await;
    }
    Ok(reports.into_iter().map(|(_, report)| report).collect())
}
