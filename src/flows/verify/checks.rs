//! The checks of one connection, in order, each turned into a [`Check`].
//!
//! Round trips: the token (cached: none; expired: one), then one concurrent
//! round of `accessible-resources` (3LO), `myself` and `serverInfo`.

use std::sync::Arc;

use url::Url;

use super::report::{Check, SiteReport, TokenReport, VerifyReport};
use crate::atlassian::cloud_id::{AccessibleResource, fetch_accessible_resources};
use crate::atlassian::jira::{self, Auth, Myself, ServerInfo};
use crate::atlassian::{Endpoints, scopes};
use crate::error::{Error, ErrorKind, Result};
use crate::flows::Identity;
use crate::flows::tokens::{
    AccessToken, SharedStore, access_token_for, move_state_out_of_config, off_workers,
};
use crate::http::Http;
use crate::secret::Secret;
use crate::settings::Settings;
use crate::store::{Connection, Grant, SecretKind, SecretRef, Stores};

/// Verifies connection `name`; never fails, every problem is a failed check.
pub(crate) async fn verify(
    http: &Http,
    settings: &Settings,
    stores: &Stores,
    name: &str,
) -> VerifyReport {
    let connection = match settings.config.load_connection(name) {
        Ok(c) => c,
        Err(e) => return VerifyReport::new(name, vec![Check::from_error("config", &e)]),
    };
    let store: SharedStore = Arc::from(stores.open(connection.store));
    let report = verify_loaded(http, settings, &store, name, &connection).await;
    if connection.token.is_some() && report.token.source.is_some() {
        move_state_out_of_config(&settings.config).await;
    }
    report
}

/// Verifies `connection`, already read, whose secrets are in `store`: the
/// one-connection verify, which `verify --all` runs for each.
pub(super) async fn verify_loaded(
    http: &Http,
    settings: &Settings,
    store: &SharedStore,
    name: &str,
    connection: &Connection,
) -> VerifyReport {
    let mut checks = vec![check_config(connection)];
    let (secret_check, api_token) = check_secrets(store, connection, name).await;
    checks.push(secret_check);
    // No token here by design: ServiceNow answers for the checks that need one.
    if super::servicenow_consent::applies(connection) {
        return super::servicenow_consent::verify(http, name, connection, store.as_ref(), checks)
            .await;
    }

    let token = if connection.grant == Grant::ApiToken {
        checks.push(Check::pass(
            "token",
            "basic auth with the stored API token (no OAuth token)",
        ));
        None
    } else {
        match access_token_for(http, &settings.config, store, name, connection).await {
            Ok(t) => {
                checks.push(Check::pass("token", describe_token(&t, connection)));
                Some(t)
            }
            Err(e) => {
                checks.push(Check::from_error("token", &e.for_stored_connection(name)));
                None
            }
        }
    };
    let auth = match (&token, &api_token, &connection.email) {
        (Some(t), _, _) => Some(Auth::Bearer(&t.token)),
        (None, Some(secret), Some(email)) => Some(Auth::Basic {
            email,
            token: secret,
        }),
        _ => None,
    };
    let probes = match auth {
        Some(auth) => Some(probe(http, connection, auth).await),
        None => None,
    };
    let mut report_site = SiteReport {
        url: connection.site_url.as_ref().map(|u| trim(u.as_str())),
        cloud_id: connection.cloud_id.as_ref().map(ToString::to_string),
        connection_url: Some(connection.connection_url.to_string()),
        ..Default::default()
    };
    let mut identity = None;
    match &probes {
        None => {
            let why = "skipped: no working credential (see above)";
            for name in ["site", "identity", "server", "scopes"] {
                checks.push(Check::fail(name, ErrorKind::Auth, why, None));
            }
        }
        Some(p) => {
            checks.push(check_site(connection, p, &mut report_site));
            checks.push(check_identity(p));
            checks.push(check_server(connection, p, &mut report_site));
            checks.push(check_scopes(connection, token.as_ref(), p));
            identity = p.myself.as_ref().ok().map(Identity::from);
        }
    }
    checks.push(check_rate_limit(&checks));
    let mut report = VerifyReport::new(name, checks);
    report.identity = identity;
    report.site = report_site;
    report.token = TokenReport {
        expires_at: token.as_ref().map(|t| t.expires_at),
        store: Some(connection.store.to_string()),
        source: token.as_ref().map(|t| t.source),
    };
    report
}

fn trim(url: &str) -> String {
    url.trim_end_matches('/').to_owned()
}

/// Atlassian drops a rotating refresh token that goes unused this long.
const REFRESH_INACTIVITY_DAYS: u64 = 90;

fn describe_token(t: &AccessToken, c: &Connection) -> String {
    let now = crate::time::now_unix();
    let left = t.expires_at.saturating_sub(now);
    let how = match t.source {
        crate::flows::tokens::TokenSource::Cached => "stored token",
        crate::flows::tokens::TokenSource::Refreshed => "refreshed just now",
        crate::flows::tokens::TokenSource::Exchanged => "exchanged just now",
    };
    let mut detail = format!("{how}, valid for {}", crate::time::human_duration(left));
    // Every refresh rotates the refresh token, so the stored token's age is
    // the refresh token's idle time.
    let renewed = match t.source {
        crate::flows::tokens::TokenSource::Refreshed => Some(now),
        _ => Some(t.obtained_at).filter(|&at| at > 0),
    };
    if let (Grant::AuthorizationCode, Some(at)) = (c.grant, renewed) {
        let idle_days = now.saturating_sub(at) / 86_400;
        let days_left = REFRESH_INACTIVITY_DAYS.saturating_sub(idle_days);
        detail.push_str(&format!(
            "; refresh token last renewed {idle_days} d ago, {days_left} d before Atlassian drops it unused"
        ));
    }
    detail
}

/// The connection has what its grant needs.
fn check_config(c: &Connection) -> Check {
    let mut gaps = Vec::new();
    if c.grant != Grant::ApiToken {
        if c.client_id.as_deref().is_none_or(str::is_empty) {
            gaps.push("client_id");
        }
        if c.oauth.is_none() {
            gaps.push("oauth URLs");
        }
        match &c.cloud_id {
            None => gaps.push("cloud_id"),
            Some(id)
                if !c
                    .connection_url
                    .path()
                    .trim_end_matches('/')
                    .ends_with(id.as_str()) =>
            {
                gaps.push("a connection_url that ends with its cloud_id")
            }
            Some(_) => {}
        }
    } else if c.email.is_none() {
        gaps.push("email");
    }
    if gaps.is_empty() {
        Check::pass(
            "config",
            format!(
                "{} connection to {}",
                c.grant,
                trim(c.connection_url.as_str())
            ),
        )
    } else {
        Check::fail(
            "config",
            ErrorKind::NotFound,
            format!("the connection lacks {}", gaps.join(", ")),
            Some("run `jira-spoke connect …` again for this connection".into()),
        )
    }
}

/// Every referenced secret is readable; returns the API token for basic auth.
async fn check_secrets(store: &SharedStore, c: &Connection, name: &str) -> (Check, Option<Secret>) {
    let refs: Vec<(SecretKind, SecretRef)> = c
        .secrets
        .iter()
        .map(|(what, r)| (what, r.clone()))
        .collect();
    let read = {
        let store = store.clone();
        off_workers(move || {
            refs.into_iter()
                .map(|(what, r)| store.get(&r).map(|found| (what, found)))
                .collect::<Result<Vec<_>>>()
        })
        .await
    };
    let found = match read {
        Ok(found) => found,
        Err(e) => {
            return (
                Check::from_error("secret", &e.for_stored_connection(name)),
                None,
            );
        }
    };
    let mut missing = Vec::new();
    let mut api_token = None;
    for (what, secret) in found {
        match secret {
            Some(secret) if what == SecretKind::ApiToken => api_token = Some(secret),
            Some(_) => {}
            None => missing.push(what.as_str()),
        }
    }
    if c.secrets.iter().next().is_none() {
        missing.push("every secret");
    }
    if missing.is_empty() {
        let n = c.secrets.iter().count();
        (
            Check::pass(
                "secret",
                format!("{n} secrets readable from {}", c.store.described()),
            ),
            api_token,
        )
    } else {
        let e = Error::SecretMissing {
            what: missing.join(", "),
            connection: name.to_owned(),
            store: c.store.to_string(),
        };
        (Check::from_error("secret", &e), api_token)
    }
}

/// What the concurrent round of calls returned.
struct Probes {
    resources: Option<Result<Vec<AccessibleResource>>>,
    myself: Result<Myself>,
    server: Result<ServerInfo>,
}

async fn probe(http: &Http, c: &Connection, auth: Auth<'_>) -> Probes {
    let base = &c.connection_url;
    let resources = async {
        match (c.grant, auth) {
            (Grant::AuthorizationCode, Auth::Bearer(token)) => {
                let api = c
                    .api_url
                    .clone()
                    .unwrap_or_else(|| Endpoints::default().api);
                let url = Endpoints {
                    api,
                    ..Endpoints::default()
                }
                .accessible_resources();
                Some(fetch_accessible_resources(http, &url, token).await)
            }
            _ => None,
        }
    };
    let (resources, myself, server) = tokio::join!(
        resources,
        jira::fetch_myself(http, base, c.api_version, auth),
        jira::fetch_server_info(http, base, c.api_version, auth),
    );
    Probes {
        resources,
        myself,
        server,
    }
}

/// Whether a request failed before any HTTP answer came back.
fn unreachable(e: &Error) -> bool {
    matches!(
        e,
        Error::Network { .. }
            | Error::Tls { .. }
            | Error::Timeout { .. }
            | Error::TooManyOpenFiles { .. }
    )
}

fn check_site(c: &Connection, p: &Probes, site: &mut SiteReport) -> Check {
    for result in [p.myself.as_ref().err(), p.server.as_ref().err()]
        .into_iter()
        .flatten()
    {
        if matches!(
            result,
            Error::CloudIdNotFound { .. } | Error::UnknownSite { .. }
        ) {
            return Check::from_error("site", result);
        }
    }
    let Some(resources) = &p.resources else {
        // "Answers" only when something came back: a TLS failure or a
        // timeout on both requests is the site's check failing, not passing.
        if let (Err(e), Err(_)) = (&p.myself, &p.server)
            && unreachable(e)
        {
            return Check::from_error("site", e);
        }
        return Check::pass(
            "site",
            format!("{} answers", trim(c.connection_url.as_str())),
        );
    };
    let resources = match resources {
        Ok(r) => r,
        Err(e) => return Check::from_error("site", e),
    };
    site.accessible = resources.clone();
    let id = c.cloud_id.as_ref().map(|i| i.as_str()).unwrap_or_default();
    let others: Vec<String> = resources
        .iter()
        .filter(|r| r.id != id)
        .map(|r| format!("{} ({})", r.url, r.id))
        .collect();
    if resources.iter().any(|r| r.id == id) {
        let also = if others.is_empty() {
            String::new()
        } else {
            format!("; the grant also covers {}", others.join(", "))
        };
        Check::pass("site", format!("the grant covers Cloud ID {id}{also}"))
    } else {
        Check::from_error(
            "site",
            &Error::SiteNotInGrant {
                site: id.to_owned(),
                available: if others.is_empty() {
                    "no site".into()
                } else {
                    others.join(", ")
                },
            },
        )
    }
}

fn check_identity(p: &Probes) -> Check {
    match &p.myself {
        Ok(me) => Check::pass("identity", format!("acting as {}", Identity::from(me))),
        Err(e) => Check::from_error("identity", e),
    }
}

fn check_server(c: &Connection, p: &Probes, site: &mut SiteReport) -> Check {
    let info = match &p.server {
        Ok(info) => info,
        Err(e) => return Check::from_error("server", e),
    };
    site.base_url = Some(info.base_url.clone());
    site.deployment_type = info.deployment_type.clone();
    if let Some(kind) = info
        .deployment_type
        .as_deref()
        .filter(|k| !k.eq_ignore_ascii_case("cloud"))
    {
        return Check::fail(
            "server",
            ErrorKind::NotFound,
            format!("the site reports deploymentType {kind}, not Cloud"),
            Some("jira-spoke connects to Jira Cloud only; Data Center and Server sites use other auth".into()),
        );
    }
    let matches = match (&c.site_url, Url::parse(&info.base_url)) {
        (Some(expected), Ok(actual)) => expected.host_str() == actual.host_str(),
        _ => true,
    };
    if matches {
        Check::pass("server", format!("Jira Cloud at {}", info.base_url))
    } else {
        Check::fail(
            "server",
            ErrorKind::NotFound,
            format!(
                "the Cloud ID belongs to {}, not {}",
                info.base_url,
                c.site_url
                    .as_ref()
                    .map(|u| trim(u.as_str()))
                    .unwrap_or_default()
            ),
            Some(
                "run `jira-spoke cloud-id SITE` and connect again with the Cloud ID it prints"
                    .into(),
            ),
        )
    }
}

/// Needed vs requested vs granted. Needed is what the connection requested
/// of the spoke's set ([`scopes::required`]), the list `servicenow apply`
/// writes to the registry, so this check and ServiceNow's agree; a spoke
/// scope left out of the request is named, not blamed on the credential.
fn check_scopes(c: &Connection, token: Option<&AccessToken>, p: &Probes) -> Check {
    if c.grant == Grant::ApiToken {
        return Check::pass(
            "scopes",
            "not applicable: API tokens carry the account's own permissions",
        );
    }
    let mut granted: Vec<String> = token
        .map(|t| t.scope.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    if let Some(Ok(resources)) = &p.resources {
        let id = c.cloud_id.as_ref().map(|i| i.as_str()).unwrap_or_default();
        for r in resources.iter().filter(|r| r.id == id) {
            granted.extend(r.scopes.iter().cloned());
        }
    }
    let scope_401 = matches!(
        p.myself,
        Err(Error::JiraUnauthorized {
            scope_mismatch: true,
            ..
        })
    );
    let needed = scopes::required(&c.scopes);
    let spoke = scopes::default_scopes(false);
    let unrequested = scopes::missing(&spoke, &needed);
    if granted.is_empty() && !scope_401 {
        return Check::pass(
            "scopes",
            "Atlassian did not report the granted scopes; the calls above worked",
        );
    }
    let mut gone = scopes::missing(&needed, &granted);
    if gone.is_empty() && scope_401 {
        gone.push("read:jira-user");
    }
    let requested_not_granted: Vec<&str> = scopes::missing(&c.scopes, &granted);
    if gone.is_empty() && requested_not_granted.is_empty() {
        let extra = granted.iter().filter(|s| !needed.contains(s)).count();
        let note = if extra > 0 {
            format!(" (and {extra} more)")
        } else {
            String::new()
        };
        let detail = if unrequested.is_empty() {
            format!(
                "all {} scopes the Jira spoke needs are granted{note}",
                needed.len()
            )
        } else {
            format!(
                "all {} requested scopes are granted{note}; not requested, though the Jira spoke needs them: {}",
                needed.len(),
                scopes::grouped(&unrequested)
            )
        };
        return Check::pass("scopes", detail);
    }
    let mut all = gone.clone();
    all.extend(requested_not_granted.iter().filter(|s| !gone.contains(s)));
    Check::fail(
        "scopes",
        ErrorKind::Auth,
        format!("not granted: {}", all.join(" ")),
        Some(where_to_add(c.grant, &all)),
    )
}

fn where_to_add(grant: Grant, missing: &[&str]) -> String {
    scopes::where_to_add(grant == Grant::ClientCredentials, missing)
}

/// Whether any call ended on a 429 after its retries.
pub(super) fn check_rate_limit(checks: &[Check]) -> Check {
    match checks.iter().find(|c| c.rate_limited) {
        Some(limited) => Check::fail(
            "rate_limit",
            ErrorKind::Remote,
            format!("Atlassian is rate limiting ({} check)", limited.name),
            limited.hint.clone(),
        ),
        None => Check::pass("rate_limit", "no request was rate limited"),
    }
}
