//! `verify --all`: every stored connection, with the config read once, each
//! secret store read once (one batch, off the async workers) and the
//! connections verified concurrently — as many at once as [`Http`] lets
//! requests be in flight, so sockets stay under the open-file limit however
//! many connections there are.

use futures_util::stream::{self, StreamExt};

use super::checks::verify_loaded;
use super::report::VerifyReport;
use crate::atlassian::Http;
use crate::error::Result;
use crate::flows::tokens::read_secrets;
use crate::settings::Settings;
use crate::store::{SecretRef, SecretSnapshot, SecretStore, StoreKind, Stores};

/// Verifies every stored connection; the reports are in the config's order.
/// Fails only when the config cannot be read.
pub async fn verify_all(
    http: &Http,
    settings: &Settings,
    stores: &Stores,
) -> Result<Vec<VerifyReport>> {
    let config = settings.config.load()?;
    let mut opened: Vec<(StoreKind, Box<dyn SecretStore>, SecretSnapshot)> = Vec::new();
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
        opened.push((kind, stores.open(kind), snapshot));
    }
    let opened = &opened;
    let jobs = config
        .connections
        .iter()
        .enumerate()
        .map(|(i, (name, connection))| async move {
            let (_, store, secrets) = opened
                .iter()
                .find(|(kind, _, _)| *kind == connection.store)
                .expect("every store in use was opened");
            let report =
                verify_loaded(http, settings, store.as_ref(), secrets, name, connection).await;
            (i, report)
        });
    // NOTE: unordered, so one connection that hangs until its timeout does
    // not hold back the start of the others; sorted back afterwards.
    let mut reports: Vec<(usize, VerifyReport)> = stream::iter(jobs)
        .buffer_unordered(http.in_flight())
        .collect()
        .await;
    reports.sort_by_key(|(i, _)| *i);
    Ok(reports.into_iter().map(|(_, report)| report).collect())
}
