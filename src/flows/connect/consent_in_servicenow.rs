//! `connect --grant authorization-code` for an app registered with
//! ServiceNow's callback (`https://<instance>.service-now.com/oauth_redirect.do`):
//! Atlassian sends the code to ServiceNow, so the consent cannot happen
//! here. The client ID and secret are proven the `check-app` way
//! ([`oauth::check_client`]: no browser, no token issued), the site's Cloud
//! ID is resolved, and the connection is stored with its client secret and
//! no token. ServiceNow's "Get OAuth Token" (`servicenow consent`) then gets
//! the refresh token, which ServiceNow keeps.
//!
//! Such a connection is recognised by its stored callback URL alone
//! ([`applies`]), so nothing new is written to the config.

use url::Url;

use super::{ConnectPlan, Proven, oauth_connection, resolve_cloud_id};
use crate::atlassian::oauth::{self, Client};
use crate::error::Result;
use crate::http::Http;
use crate::secret::Secret;
use crate::servicenow::Instance;
use crate::store::{Connection, Grant};
use crate::ui::spinner::Spinner;

/// The path at which ServiceNow receives OAuth codes.
const SERVICENOW_CALLBACK_PATH: &str = "/oauth_redirect.do";

/// True when Atlassian sends the consent to `redirect_uri` elsewhere than to
/// jira-spoke's own listener: any `https://` callback (jira-spoke listens on
/// plain http on this machine only), or ServiceNow's `/oauth_redirect.do`.
// NOTE: the second case is for an instance on this machine (the tests' fake,
// plain http on loopback like every other endpoint override); jira-spoke
// never listens at `/oauth_redirect.do`.
pub(crate) fn is_elsewhere(redirect_uri: &Url) -> bool {
    redirect_uri.scheme() == "https" || redirect_uri.path() == SERVICENOW_CALLBACK_PATH
}

/// True for a stored authorization-code connection whose consent happens in
/// ServiceNow: it holds a client secret and no token, by design.
pub(crate) fn applies(c: &Connection) -> bool {
    c.grant == Grant::AuthorizationCode && c.redirect_uri.as_ref().is_some_and(is_elsewhere)
}

/// The ServiceNow instance a callback URL belongs to, when it is ServiceNow's
/// (`<instance>/oauth_redirect.do`).
pub(crate) fn instance_of(redirect_uri: &Url) -> Option<Instance> {
    if redirect_uri.path() != SERVICENOW_CALLBACK_PATH {
        return None;
    }
    Instance::parse(redirect_uri.origin().ascii_serialization().as_str()).ok()
}

/// `--instance` for the commands suggested next: the instance of the
/// connection's callback, or a placeholder when the callback is not ServiceNow's.
pub(crate) fn instance_arg(c: &Connection) -> String {
    c.redirect_uri
        .as_ref()
        .and_then(instance_of)
        .map_or_else(|| "INSTANCE".to_owned(), |i| i.arg())
}

/// Proves the client ID and secret without a token, resolves the Cloud ID,
/// and packs the connection with its client secret only.
pub(crate) async fn connect(
    plan: &ConnectPlan,
    http: &Http,
    client_secret: Secret,
    spin: bool,
) -> Result<Proven> {
    let client = Client {
        id: plan.client_id.clone().unwrap_or_default(),
        secret: client_secret,
    };
    {
        let _s = Spinner::start("Checking the client ID and secret", spin);
        oauth::check_client(http, &plan.oauth, &client).await?;
    }
    let cloud_id = {
        let _s = Spinner::start("Looking up the Cloud ID", spin && plan.cloud_id.is_none());
        resolve_cloud_id(http, plan).await?
    };
    let connection = oauth_connection(plan, cloud_id, plan.site.clone());
    Ok(Proven {
        connection,
        secrets: vec![(crate::store::SecretKind::ClientSecret, client.secret)],
        identity: None,
        not_granted: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        s.parse().unwrap()
    }

    #[test]
    fn servicenows_callback_is_elsewhere_and_names_its_instance() {
        let hosted = url("https://acme.service-now.com/oauth_redirect.do");
        assert!(is_elsewhere(&hosted));
        assert_eq!(instance_of(&hosted).unwrap().arg(), "acme");
        let local = url("http://127.0.0.1:4000/oauth_redirect.do");
        assert!(is_elsewhere(&local));
        assert_eq!(instance_of(&local).unwrap().url(), "http://127.0.0.1:4000");
        let other = url("https://hooks.example.com/cb");
        assert!(is_elsewhere(&other));
        assert!(instance_of(&other).is_none());
        assert!(!is_elsewhere(&url("http://localhost:8765/callback")));
    }
}
