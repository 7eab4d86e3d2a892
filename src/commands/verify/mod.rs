//! `jira-spoke verify`: checks a stored connection end to end and says, for
//! every problem at once, what is wrong and what to change.
//!
//! The checks run in order — config, secret, token, then site, identity,
//! server, scopes and rate limit — and every one runs even after one fails.
//! Talking to Atlassian lives in [`crate::atlassian`] and [`crate::tokens`];
//! this module orders the calls (the independent ones concurrently, so a
//! cached token costs one round trip) and turns outcomes into a
//! [`VerifyReport`]. With `--all`, connections are verified concurrently.

mod checks;
mod report;

use futures_util::future::join_all;

use crate::atlassian::Http;
use crate::error::{Error, ErrorKind, Result};
use crate::output::Printer;
use crate::settings::Settings;
use crate::store::Stores;

pub use checks::verify as verify_connection;
pub use report::{AllReport, Check, VerifyReport};

/// Runs `verify` for the selected connection, or all of them.
pub async fn run(settings: &Settings, all: bool, printer: &Printer) -> Result<()> {
    let http = Http::new(settings.timeout)?;
    let stores = Stores::system(settings.config.dir());
    if all {
        let names: Vec<String> = settings
            .config
            .load()?
            .connections
            .keys()
            .cloned()
            .collect();
        let reports = join_all(
            names
                .iter()
                .map(|name| checks::verify(&http, settings, &stores, name)),
        )
        .await;
        let report = AllReport {
            ok: !reports.is_empty() && reports.iter().all(|r| r.ok),
            connections: reports,
        };
        // NOTE: nothing to verify is "not configured" (exit 4), as for `verify`
        // of a connection that does not exist: a script must not read it as success.
        let failure = if report.connections.is_empty() {
            Some(ErrorKind::NotFound)
        } else {
            report
                .connections
                .iter()
                .find_map(VerifyReport::first_failure)
        };
        printer.out(&report);
        return failure.map_or(Ok(()), |kind| Err(Error::ChecksFailed { kind }));
    }
    let report = checks::verify(&http, settings, &stores, &settings.connection).await;
    printer.out(&report);
    report
        .first_failure()
        .map_or(Ok(()), |kind| Err(Error::ChecksFailed { kind }))
}
