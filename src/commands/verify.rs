//! `jira-spoke verify`: runs [`crate::flows::verify`] for one stored
//! connection, or for all of them with `--all` (concurrently, the config and
//! each secret store read once), and exits non-zero when any check fails.

use crate::commands::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::flows::verify::{AllReport, VerifyReport, verify_all, verify_connection};
use crate::output::{Lines, terminal_text};
use crate::ui::spinner::Spinner;

/// Runs `verify` for the selected connection, or all of them.
pub(super) async fn run(all: bool, ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings,
        http,
        stores,
        printer,
        spin,
    } = ctx;

    if all {
        let spinner = Spinner::start("Verifying the stored connections", *spin);
        let reports = verify_all(http, settings, stores, |done, total| {
            spinner.set_message(progress(done, total));
        })
        .await?;
        drop(spinner);
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
    // NOTE: an unknown connection is an error, not a failed check: with
    // `--json` it is the `{"error":…}` every command prints (exit 4).
    if let Err(e @ Error::ConnectionNotFound { .. }) =
        settings.config.load_connection(&settings.connection)
    {
        return Err(e);
    }
    let spinner = Spinner::start(
        format!(
            "Verifying `{}`",
            terminal_text(&settings.connection, Lines::One)
        ),
        *spin,
    );
    let report = verify_connection(http, settings, stores, &settings.connection).await;
    drop(spinner);
    printer.out(&report);
    report
        .first_failure()
        .map_or(Ok(()), |kind| Err(Error::ChecksFailed { kind }))
}

/// The spinner's words for `verify --all` after `done` of `total`.
fn progress(done: usize, total: usize) -> String {
    match total {
        1 => "Verifying 1 connection".to_owned(),
        _ => format!("Verifying {total} connections: {done} done"),
    }
}
