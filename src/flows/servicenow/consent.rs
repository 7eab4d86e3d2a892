//! "Get OAuth Token" for an authorization-code connection: opens the
//! instance's `oauth_initiator.do` for the credential and its profile in a
//! browser signed in to ServiceNow, then polls `oauth_credential` until a new
//! refresh token is stored.

use std::collections::BTreeSet;
use std::fmt;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::Target;
use crate::error::{Error, Result};
use crate::output::Printer;
use crate::servicenow::reconcile::{Mode, reconcile};
use crate::servicenow::tokens::refresh_tokens;
use crate::store::Grant;
use crate::time::{human_duration, now_unix};
use crate::ui::spinner::Spinner;

/// How often the instance is asked whether the token has arrived.
const POLL_EVERY: Duration = Duration::from_secs(2);

/// What `consent` ended with.
#[derive(Debug, Serialize)]
pub struct ConsentReport {
    pub instance: String,
    pub connection: String,
    pub grant: String,
    /// False when the grant needs no consent (client credentials, API token).
    pub consent_needed: bool,
    pub credential: String,
    /// Unix seconds at which the new refresh token expires, when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    pub message: String,
    pub next: Vec<String>,
}

impl fmt::Display for ConsentReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.message)?;
        writeln!(f, "Next:")?;
        for line in &self.next {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}

/// How the consent runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Print the URL only; open no browser.
    pub no_browser: bool,
    /// How long to wait for the refresh token.
    pub wait: Duration,
}

/// Opens (or shows) the credential's "Get OAuth Token" page and waits until
/// ServiceNow holds a new refresh token. Nothing to do, and nothing asked of
/// the instance, for grants without consent.
pub async fn consent(
    target: &Target,
    options: Options,
    printer: &Printer,
    spin: bool,
) -> Result<ConsentReport> {
    let mut report = ConsentReport {
        instance: target.instance().url(),
        connection: target.name.clone(),
        grant: target.connection.grant.to_string(),
        consent_needed: target.connection.grant == Grant::AuthorizationCode,
        credential: target.wanted.credential.name.clone(),
        expires_at: None,
        message: String::new(),
        next: vec![target.suggest("verify")],
    };
    match target.connection.grant {
        Grant::ClientCredentials => {
            report.message = "Nothing to consent to: with client credentials ServiceNow fetches \
                 tokens itself, on the spoke's first call."
                .to_owned();
            return Ok(report);
        }
        Grant::ApiToken => {
            report.message =
                "Nothing to consent to: the connection signs in with the API token (basic auth)."
                    .to_owned();
            return Ok(report);
        }
        Grant::AuthorizationCode => {}
    }
    let outcome = reconcile(&target.api, &target.wanted, Mode::DryRun, None).await?;
    let (Some(credential), Some(profile)) = (&outcome.ids.credential, &outcome.ids.profile) else {
        return Err(Error::ServiceNowRecordMissing {
            instance: target.instance().url(),
            what: format!(
                "OAuth 2.0 credential `{}` on a default profile",
                target.wanted.credential.name
            ),
        });
    };
    if outcome.changes_anything() {
        let differ: Vec<String> = outcome
            .steps
            .iter()
            .filter(|s| s.action != crate::servicenow::plan::Action::Unchanged)
            .map(|s| format!("{} `{}`", s.record, s.key))
            .collect();
        return Err(Error::ServiceNowRecordMissing {
            instance: target.instance().url(),
            what: format!(
                "records as `servicenow apply` makes them ({} differ: {})",
                differ.len(),
                differ.join(", ")
            ),
        });
    }
    let before: BTreeSet<(String, String)> = refresh_tokens(&target.api, credential, profile)
        .await?
        .into_iter()
        .map(|t| (t.sys_id, t.updated))
        .collect();
    let url = target.instance().initiator_url(credential, profile);
    // NOTE: shown even with -q: without it, --no-browser leaves nothing to do.
    printer.notice(format_args!(
        "Open this URL in a browser signed in to {} and choose Accept on Atlassian's consent screen:\n\n  {url}\n",
        target.instance()
    ));
    if !options.no_browser {
        open_browser(url.to_string(), printer);
    }
    let started = Instant::now();
    let wait = options.wait;
    let _s = Spinner::start("Waiting for ServiceNow to receive the refresh token", spin);
    loop {
        let now = now_unix();
        let fresh = refresh_tokens(&target.api, credential, profile)
            .await?
            .into_iter()
            .find(|t| t.valid(now) && !before.contains(&(t.sys_id.clone(), t.updated.clone())));
        if let Some(token) = fresh {
            report.expires_at = token.expires;
            report.message = match token.expires {
                Some(e) => format!(
                    "✓ ServiceNow holds a refresh token for `{}`, valid for {}.",
                    report.credential,
                    human_duration(e.saturating_sub(now))
                ),
                None => format!(
                    "✓ ServiceNow holds a refresh token for `{}`.",
                    report.credential
                ),
            };
            return Ok(report);
        }
        let left = wait.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Error::ServiceNowConsentTimeout {
                instance: target.instance().url(),
                secs: wait.as_secs(),
            });
        }
        tokio::time::sleep(POLL_EVERY.min(left)).await;
    }
}

fn open_browser(url: String, printer: &Printer) {
    // NOTE: a $BROWSER command may run in the foreground; never block polling on it.
    let printer = printer.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = webbrowser::open(&url) {
            printer.status(format!(
                "Could not open a browser ({e}); open the URL above by hand."
            ));
        }
    });
}
