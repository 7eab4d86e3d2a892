//! Verifying a connection whose consent happens in ServiceNow
//! ([`crate::flows::connect::consent_in_servicenow`]): it has, by design, no
//! token here, so the checks that need one (site, identity, server, scopes)
//! are shown as skipped and point to `servicenow verify`, which reads the
//! token ServiceNow keeps. The client ID and secret are still proven, the `check-app` way.

use super::checks::check_rate_limit;
use super::report::{Check, SiteReport, TokenReport, VerifyReport};
use crate::atlassian::oauth::{self, Client};
use crate::error::ErrorKind;
use crate::flows::connect::consent_in_servicenow;
use crate::http::Http;
use crate::http::safe_url;
use crate::store::{Connection, SecretStore};

pub(super) use consent_in_servicenow::applies;

/// The report of such a connection: `checks` so far (config, secret), then
/// the client check and the checks ServiceNow answers for.
pub(super) async fn verify(
    http: &Http,
    name: &str,
    c: &Connection,
    store: &dyn SecretStore,
    mut checks: Vec<Check>,
) -> VerifyReport {
    let flag = if name == "default" {
        String::new()
    } else {
        format!(" -c {name}")
    };
    let elsewhere = format!(
        "not run here (consent happens in ServiceNow): run `jira-spoke{flag} servicenow verify --instance {}`",
        consent_in_servicenow::instance_arg(c)
    );
    checks.push(check_client(http, c, store).await);
    for check in ["site", "identity", "server", "scopes"] {
        checks.push(Check::skip(check, elsewhere.clone()));
    }
    checks.push(check_rate_limit(&checks));
    let mut report = VerifyReport::new(name, checks);
    report.site = SiteReport {
        url: c
            .site_url
            .as_ref()
            .map(|u| u.as_str().trim_end_matches('/').to_owned()),
        cloud_id: c.cloud_id.as_ref().map(ToString::to_string),
        connection_url: Some(c.connection_url.to_string()),
        ..Default::default()
    };
    report.token = TokenReport {
        expires_at: None,
        store: Some(c.store.to_string()),
        source: None,
    };
    report
}

/// The `token` check: none here by design; the client ID and secret must
/// still be accepted by the token endpoint (no token is issued).
async fn check_client(http: &Http, c: &Connection, store: &dyn SecretStore) -> Check {
    let (Some(oauth), Some(r)) = (&c.oauth, &c.secrets.client_secret) else {
        return Check::fail(
            "token",
            ErrorKind::NotFound,
            "skipped: the connection lacks its OAuth URLs or client secret (see above)",
            None,
        );
    };
    let secret = match store.get(r) {
        Ok(Some(secret)) => secret,
        Ok(None) => {
            return Check::fail(
                "token",
                ErrorKind::NotFound,
                "skipped: no client secret (see above)",
                None,
            );
        }
        Err(e) => return Check::from_error("token", &e),
    };
    let client = Client {
        id: c.client_id.clone().unwrap_or_default(),
        secret,
    };
    match oauth::check_client(http, oauth, &client).await {
        Ok(()) => Check::pass(
            "token",
            format!(
                "none on this machine by design (consent happens in ServiceNow); {} accepts the client ID and secret",
                safe_url(&oauth.refresh_url)
            ),
        ),
        Err(e) => Check::from_error("token", &e),
    }
}
