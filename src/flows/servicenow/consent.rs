//! "Get OAuth Token" for an OAuth connection: opens the instance's
//! `oauth_initiator.do` for the credential and its profile in a browser
//! signed in to ServiceNow, then polls `oauth_credential` until a token newer
//! than the start of the consent is stored: a refresh token for
//! authorization code (after consent at Atlassian), an access token for
//! client credentials — the proof that the client secret ServiceNow stored
//! works, which nothing else gives (a secret stored the wrong way is kept
//! silently and fails only here, with `invalid_client`).

use std::collections::BTreeSet;
use std::fmt;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::Target;
use crate::error::{Error, Result};
use crate::output::Printer;
use crate::servicenow::reconcile::{Mode, reconcile};
use crate::servicenow::records::ACCESS_TOKEN_TYPE;
use crate::servicenow::tokens::{StoredToken, proof_type, registry_tokens, stored_tokens};
use crate::store::Grant;
use crate::time::{human_duration, now_unix};
use crate::ui::spinner::Spinner;

/// How often the instance is asked whether the token has arrived.
const POLL_EVERY: Duration = Duration::from_millis(500);

/// What `consent` ended with.
#[derive(Debug, Serialize)]
pub(crate) struct ConsentReport {
    pub instance: String,
    pub connection: String,
    pub grant: String,
    /// False when the grant has no "Get OAuth Token" (API token).
    pub consent_needed: bool,
    pub credential: String,
    /// The kind of token ServiceNow now holds: `refresh_token` or `access_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<&'static str>,
    /// Unix seconds at which the new token expires, when recorded.
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
pub(crate) struct Options {
    /// Print the URL only; open no browser.
    pub no_browser: bool,
    /// How long to wait for ServiceNow's token.
    pub wait: Duration,
}

/// Opens (or shows) the credential's "Get OAuth Token" page and waits until
/// ServiceNow holds a new token. Nothing to do, and nothing asked of the
/// instance, for the API-token grant.
pub(crate) async fn consent(
    target: &Target,
    options: Options,
    printer: &Printer,
    spin: bool,
) -> Result<ConsentReport> {
    let grant = target.connection.grant;
    let mut report = ConsentReport {
        instance: target.instance().url(),
        connection: target.name.clone(),
        grant: grant.to_string(),
        consent_needed: grant != Grant::ApiToken,
        credential: target.wanted.credential.name.clone(),
        token_type: None,
        expires_at: None,
        message: String::new(),
        next: vec![target.suggest("verify")],
    };
    if grant == Grant::ApiToken {
        report.message =
            "Nothing to consent to: the connection signs in with the API token (basic auth)."
                .to_owned();
        return Ok(report);
    }
    let kind = proof_type(grant);
    let names = target.wanted.registry_names();
    // NOTE: the tokens there are before the page is opened are read with
    // the records, by the registry's name.
    let (ready, tokens) = tokio::join!(ready(target), registry_tokens(&target.api, &names, kind));
    let (credential, profile) = ready?;
    let seen = |tokens: Vec<StoredToken>| -> BTreeSet<(String, String)> {
        tokens.into_iter().map(|t| (t.sys_id, t.updated)).collect()
    };
    let before = seen(tokens?.of(&credential, &profile));
    let url = target.instance().initiator_url(&credential, &profile);
    let ask = match grant {
        Grant::AuthorizationCode => "and choose Accept on Atlassian's consent screen",
        _ => "(ServiceNow then asks Atlassian for a token with the client secret it stored)",
    };
    // NOTE: shown even with -q: without it, --no-browser leaves nothing to do.
    printer.notice(format_args!(
        "Open this URL in a browser signed in to {} {ask}:\n\n  {url}\n",
        target.instance()
    ));
    if !options.no_browser {
        open_browser(url.to_string(), printer);
    }
    let started = Instant::now();
    let spinner = Spinner::start(waiting(kind, Duration::ZERO), spin);
    loop {
        // NOTE: a poll starts every POLL_EVERY whatever the instance's
        // latency, so a token is noticed within POLL_EVERY plus one answer.
        let polled = Instant::now();
        let now = now_unix();
        // NOTE: one failed poll (a 5xx, a dropped connection) is not the
        // end of the wait; anything else is.
        let new: Vec<StoredToken> =
            match stored_tokens(&target.api, &credential, &profile, kind).await {
                Ok(tokens) => tokens
                    .into_iter()
                    .filter(|t| !before.contains(&(t.sys_id.clone(), t.updated.clone())))
                    .collect(),
                Err(e) if e.kind() == crate::error::ErrorKind::Remote => Vec::new(),
                Err(e) => return Err(e),
            };
        // NOTE: a token that arrived expired is said so, not waited past.
        if !new.is_empty() && new.iter().all(|t| !t.valid(now)) {
            return Err(Error::ServiceNowTokenExpired {
                instance: target.instance().url(),
                credential: report.credential.clone(),
            });
        }
        let fresh = new.into_iter().find(|t| t.valid(now));
        if let Some(token) = fresh {
            report.token_type = Some(kind);
            report.expires_at = token.expires;
            report.message = held(&report.credential, kind, token.expires, now);
            return Ok(report);
        }
        let left = options.wait.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(timeout(target, options.wait));
        }
        spinner.set_message(waiting(kind, started.elapsed()));
        tokio::time::sleep(POLL_EVERY.saturating_sub(polled.elapsed()).min(left)).await;
    }
}

/// The credential and its profile, once the records are as `apply` makes
/// them (so the consent is for the right client, scopes and callback).
async fn ready(target: &Target) -> Result<(String, String)> {
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
    Ok((credential.clone(), profile.clone()))
}

fn waiting(kind: &str, waited: Duration) -> String {
    let what = if kind == ACCESS_TOKEN_TYPE {
        "an access token"
    } else {
        "the refresh token"
    };
    match waited.as_secs() {
        0 => format!("Waiting for ServiceNow to receive {what}"),
        secs => format!("Waiting for ServiceNow to receive {what} ({secs} s)"),
    }
}

fn held(credential: &str, kind: &str, expires: Option<u64>, now: u64) -> String {
    let (what, proof) = if kind == ACCESS_TOKEN_TYPE {
        ("an access token", ": the client secret it stored works")
    } else {
        ("a refresh token", "")
    };
    match expires {
        Some(e) => format!(
            "✓ ServiceNow holds {what} for `{credential}`, valid for {}{proof}.",
            human_duration(e.saturating_sub(now))
        ),
        None => format!("✓ ServiceNow holds {what} for `{credential}`{proof}."),
    }
}

/// No token in time: for authorization code the usual consent causes, for
/// client credentials what ServiceNow's own token request needs.
fn timeout(target: &Target, wait: Duration) -> Error {
    match (&target.connection.grant, &target.wanted.registry) {
        (Grant::ClientCredentials, Some(registry)) => Error::ServiceNowTokenNotFetched {
            instance: target.instance().url(),
            credential: target.wanted.credential.name.clone(),
            secs: wait.as_secs(),
            token_url: registry.token_url.clone(),
            scopes: registry.scopes.clone(),
        },
        _ => Error::ServiceNowConsentTimeout {
            instance: target.instance().url(),
            secs: wait.as_secs(),
        },
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
