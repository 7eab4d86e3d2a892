//! Connecting: get a working credential for one Jira Cloud site, prove it
//! against Jira, and only then store it. `connect` and `setup` both run
//! these steps.
//!
//! [`ConnectPlan::resolve`] checks every input offline; the grant modules
//! ([`client_credentials`], [`authorization_code`], [`api_token`]) get tokens
//! and prove them, each returning a [`Proven`] connection (OAuth grants are
//! first compared with the scopes they need, [`check_grant`], so a missing
//! scope is named before any Jira call); [`store_proven`]
//! saves it through [`crate::store::transaction`], which never leaves a
//! half-written connection. The setup wizard calls the same steps.
//!
//! An authorization-code app registered with ServiceNow's callback cannot
//! give its consent here: [`consent_in_servicenow`] proves its client ID and
//! secret without a token and stores the connection without one.

pub(crate) mod api_token;
pub(crate) mod authorization_code;
pub(crate) mod client_credentials;
pub(crate) mod consent_in_servicenow;

use url::Url;

use crate::atlassian::endpoints::parse_endpoint_url;
use crate::atlassian::jira::{self, Auth, Myself};
use crate::atlassian::oauth::{Client, Tokens};
use crate::atlassian::{CloudId, OAuthEndpoints, SiteInput, scopes};
use crate::cli::ConnectArgs;
use crate::error::{Error, Result};
use crate::http::Http;
use crate::output::Printer;
use crate::secret::Secret;
use crate::servicenow::records::Site;
use crate::settings::Settings;
use crate::store::connection::TokenInfo;
use crate::store::transaction::{Replaced, replace_connection};
use crate::store::{Connection, Grant, SecretKind, SecretStore, StoreKind, Stores};
use crate::ui::spinner::Spinner;

/// Checked inputs of a connect, before any network or store work.
#[derive(Debug, Clone)]
pub(crate) struct ConnectPlan {
    pub name: String,
    pub grant: Grant,
    pub site: Option<Url>,
    pub cloud_id: Option<CloudId>,
    pub client_id: Option<String>,
    pub email: Option<String>,
    /// Scopes to request; empty for client credentials without `--scopes`.
    pub scopes: Vec<String>,
    pub redirect_uri: Url,
    pub oauth: OAuthEndpoints,
    /// The API gateway base (`--api-url`).
    pub api: Url,
    pub api_version: u8,
    pub no_browser: bool,
    pub callback_timeout: std::time::Duration,
}

impl ConnectPlan {
    /// Validates `connect`'s arguments.
    pub(crate) fn resolve(args: &ConnectArgs, settings: &Settings) -> Result<ConnectPlan> {
        let (site, cloud_id) = parse_site_and_id(args.site.as_deref(), args.cloud_id.as_deref())?;
        let client_id = args
            .client_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if args.grant != Grant::ApiToken && client_id.is_none() {
            return Err(Error::usage(
                format!("--client-id is required for --grant {}", args.grant),
                "copy it from developer.atlassian.com → your app → Settings, or from the service account's \
                 OAuth 2.0 credential",
            ));
        }
        let defaults = settings.endpoints.oauth();
        let url = |flag: &str, given: &Option<String>, default: &Url| match given {
            Some(u) => parse_endpoint_url(flag, u),
            None => Ok(default.clone()),
        };
        let token_url = url(
            "--token-url",
            &args.oauth_urls.token_url,
            &defaults.token_url,
        )?;
        let oauth = OAuthEndpoints {
            authorize_url: url(
                "--authorize-url",
                &args.oauth_urls.authorize_url,
                &defaults.authorize_url,
            )?,
            refresh_url: url("--refresh-url", &args.oauth_urls.refresh_url, &token_url)?,
            token_body: args.oauth_urls.token_body,
            revocation_url: url(
                "--revocation-url",
                &args.oauth_urls.revocation_url,
                &token_url,
            )?,
            token_url,
        };
        Ok(ConnectPlan {
            name: settings.connection.clone(),
            grant: args.grant,
            site,
            cloud_id,
            client_id: client_id.map(str::to_owned),
            email: args.email.clone(),
            scopes: parse_scopes(args.scopes.as_deref(), args.grant),
            redirect_uri: parse_redirect_uri(&args.redirect_uri)?,
            oauth,
            api: settings.endpoints.api.clone(),
            api_version: args.api_version,
            no_browser: args.no_browser,
            callback_timeout: std::time::Duration::from_secs(args.callback_timeout.max(1)),
        })
    }
}

impl ConnectPlan {
    /// True for an authorization-code connection whose callback is
    /// ServiceNow's (or another server's): its consent happens there.
    pub(crate) fn consent_in_servicenow(&self) -> bool {
        self.grant == Grant::AuthorizationCode
            && consent_in_servicenow::is_elsewhere(&self.redirect_uri)
    }
}

/// `--site` and `--cloud-id`; a site given as an admin URL or bare ID counts as the ID.
pub(crate) fn parse_site_and_id(
    site: Option<&str>,
    cloud_id: Option<&str>,
) -> Result<(Option<Url>, Option<CloudId>)> {
    let mut id = cloud_id.map(CloudId::parse).transpose()?;
    let site = match site.map(SiteInput::parse).transpose()? {
        Some(SiteInput::Site(url)) => Some(url),
        Some(SiteInput::CloudId(from_site)) => {
            if id.as_ref().is_some_and(|given| *given != from_site) {
                return Err(Error::usage(
                    "--site and --cloud-id name different Cloud IDs",
                    "give one of them, or make them agree",
                ));
            }
            id = Some(from_site);
            None
        }
        None => None,
    };
    Ok((site, id))
}

/// Space- or comma-separated scopes; the spoke's defaults when none are given.
pub(crate) fn parse_scopes(given: Option<&str>, grant: Grant) -> Vec<String> {
    let mut list: Vec<String> = given
        .unwrap_or_default()
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    match grant {
        Grant::AuthorizationCode if list.is_empty() => scopes::default_scopes(true),
        Grant::AuthorizationCode if !list.iter().any(|s| s == scopes::OFFLINE_ACCESS) => {
            list.push(scopes::OFFLINE_ACCESS.to_owned());
            list
        }
        _ => list,
    }
}

/// The callback URL: plain `http://` on this machine, where jira-spoke
/// listens; or another server's `https://` callback, such as ServiceNow's
/// `https://INSTANCE.service-now.com/oauth_redirect.do`, for which the
/// consent happens there ([`consent_in_servicenow`]). Plain `http://`
/// elsewhere is refused, as for every endpoint.
pub(crate) fn parse_redirect_uri(input: &str) -> Result<Url> {
    let url = parse_endpoint_url("--redirect-uri", input)?;
    let loopback = crate::atlassian::endpoints::is_loopback(&url);
    let listened_on = url.scheme() == "http" && loopback;
    if !listened_on && (loopback || url.scheme() != "https") {
        return Err(Error::usage(
            format!("--redirect-uri `{input}` is not a loopback http:// URL"),
            "jira-spoke listens for the callback on this machine over plain http: register and pass e.g. \
             http://localhost:8765/callback; or pass ServiceNow's callback \
             (https://INSTANCE.service-now.com/oauth_redirect.do) to give consent in ServiceNow",
        ));
    }
    Ok(url)
}

/// A credential that worked against Jira, ready to be stored.
pub(crate) struct Proven {
    pub connection: Connection,
    pub secrets: Vec<(SecretKind, Secret)>,
    /// Who the token acts as; `None` when no token was issued (consent in ServiceNow).
    pub identity: Option<Myself>,
    /// Scopes asked for but not granted that the connection can do without.
    pub not_granted: Vec<String>,
}

/// Says which requested scopes Atlassian left out, when the connection works without them.
pub(crate) fn warn_not_granted(printer: &Printer, grant: Grant, not_granted: &[String]) {
    if not_granted.is_empty() {
        return;
    }
    let list: Vec<&str> = not_granted.iter().map(String::as_str).collect();
    printer.warn(format!(
        "Atlassian did not grant {} (requested; the Jira spoke does not need them); to get them: {}",
        scopes::grouped(&list),
        scopes::where_to_add(grant == Grant::ClientCredentials, &list)
    ));
}

/// Compares what Atlassian granted — the token response's `scope`, and for
/// 3LO the site's `scopes` in `accessible-resources` — with what the
/// connection needs ([`scopes::required`]). A missing needed scope fails with
/// [`Error::ScopesNotGranted`], naming each one, before any Jira call (which
/// would only answer a bare "scope does not match"). Returns the requested
/// scopes that were not granted but are not needed.
pub(crate) fn check_grant(
    plan: &ConnectPlan,
    token_scope: Option<&str>,
    site_scopes: &[String],
) -> Result<Vec<String>> {
    let granted: Vec<String> = token_scope
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .chain(site_scopes.iter().cloned())
        .collect();
    // NOTE: a grant that reports no scopes is not judged here: `/myself`
    // proves the token, and `verify` says what it can.
    if granted.is_empty() {
        return Ok(Vec::new());
    }
    let owned = |list: Vec<&str>| list.into_iter().map(str::to_owned).collect::<Vec<_>>();
    let missing = owned(scopes::missing(&scopes::required(&plan.scopes), &granted));
    if !missing.is_empty() {
        return Err(Error::ScopesNotGranted {
            grant: plan.grant,
            missing,
        });
    }
    Ok(owned(scopes::missing(&plan.scopes, &granted)))
}

/// Opens and probes the chosen store before any network or browser work.
pub(crate) fn open_store(
    settings: &Settings,
    stores: &Stores,
    printer: &Printer,
) -> Result<Box<dyn SecretStore>> {
    let kind = settings.store.unwrap_or(StoreKind::Keyring);
    let store = stores.open(kind);
    store.probe()?;
    if kind == StoreKind::File {
        // NOTE: the client secret or API token goes in the shared file, the
        // tokens a renewal rewrites in the connection's own.
        printer.warn(format!(
            "secrets will be kept in plaintext in {} and {} (--store file)",
            settings
                .config
                .dir()
                .join(crate::store::file::FILE_NAME)
                .display(),
            settings
                .config
                .connection_dir(&settings.connection)
                .join(crate::store::file::FILE_NAME)
                .display()
        ));
    }
    Ok(store)
}

/// Saves a proven connection, replacing any of the same name only now.
pub(crate) fn store_proven(
    settings: &Settings,
    stores: &Stores,
    store: &dyn SecretStore,
    name: &str,
    mut proven: Proven,
) -> Result<Replaced> {
    // NOTE: the instance the records were applied to stays remembered; a
    // connection to another site gets records of its own there.
    if let Ok(config) = settings.config.load()
        && let Some(old) = config.connections.get(name)
        && proven.connection.servicenow_instance.is_none()
    {
        proven.connection.servicenow_instance = old.servicenow_instance.clone();
    }
    replace_connection(
        &settings.config,
        stores,
        store,
        &settings.keyring_service,
        name,
        proven.connection,
        proven.secrets,
    )
}

/// When connection `name` has ServiceNow records for another Jira site than
/// `new` serves: what stays there, for the question (or refusal) before the
/// connection is replaced. Records are never re-pointed: they keep serving
/// their site, and the next `servicenow apply` makes the new site's own.
pub(crate) fn servicenow_records_elsewhere(
    settings: &Settings,
    name: &str,
    new: &Connection,
) -> Option<String> {
    let config = settings.config.load().ok()?;
    let old = config.connections.get(name)?;
    let instance = old.servicenow_instance.as_ref()?;
    let (before, after) = (Site::of(old), Site::of(new));
    (before.key != after.key).then(|| {
        format!(
            "connection `{name}` has the Jira spoke's records on ServiceNow {instance} for the Jira site {}; \
             connected to {} instead, they stay and keep serving {} (jira-spoke never re-points them), and \
             the next `servicenow apply` makes records of its own for {} (a child alias while the other \
             site's connection is active there); `jira-spoke -c {name} servicenow remove` first takes the \
             old ones away",
            before.key, after.key, before.key, after.key
        )
    })
}

/// Resolves the Cloud ID from `--cloud-id`, or the site's tenant_info.
pub(crate) async fn resolve_cloud_id(http: &Http, plan: &ConnectPlan) -> Result<CloudId> {
    match (&plan.cloud_id, &plan.site) {
        (Some(id), _) => Ok(id.clone()),
        (None, Some(site)) => crate::atlassian::cloud_id::fetch_tenant_info(http, site).await,
        (None, None) => Err(Error::usage(
            "connect needs the Jira site: give --site (or --cloud-id)",
            "e.g. `--site acme` for https://acme.atlassian.net",
        )),
    }
}

/// Checks the granted scopes ([`check_grant`]; `site_scopes` are the 3LO
/// site's from `accessible-resources`), proves freshly obtained OAuth tokens
/// on Jira's `/myself`, then packs the connection with its secrets: the
/// client secret, the access token, and the refresh token when there is one.
pub(crate) async fn prove_oauth(
    plan: &ConnectPlan,
    http: &Http,
    mut connection: Connection,
    client: Client,
    tokens: Tokens,
    site_scopes: &[String],
    spin: bool,
) -> Result<Proven> {
    let not_granted = check_grant(plan, tokens.scope.as_deref(), site_scopes)?;
    let identity = {
        let _s = Spinner::start("Checking the token against Jira", spin);
        jira::fetch_myself(
            http,
            &connection.connection_url,
            plan.api_version,
            Auth::Bearer(&tokens.access_token),
        )
        .await?
    };
    connection.token = Some(TokenInfo::obtained_now(
        tokens.expires_in,
        tokens.scope.as_deref(),
    ));
    let mut secrets = vec![
        (SecretKind::ClientSecret, client.secret),
        (SecretKind::AccessToken, tokens.access_token),
    ];
    if let Some(refresh) = tokens.refresh_token {
        secrets.push((SecretKind::RefreshToken, refresh));
    }
    Ok(Proven {
        connection,
        secrets,
        identity: Some(identity),
        not_granted,
    })
}

/// A connection's non-secret fields for an OAuth grant.
pub(crate) fn oauth_connection(
    plan: &ConnectPlan,
    cloud_id: CloudId,
    site: Option<Url>,
) -> Connection {
    let gateway = crate::atlassian::endpoints::jira_gateway(&plan.api, &cloud_id);
    Connection {
        site_url: site,
        cloud_id: Some(cloud_id),
        api_version: plan.api_version,
        client_id: plan.client_id.clone(),
        scopes: plan.scopes.clone(),
        redirect_uri: (plan.grant == Grant::AuthorizationCode).then(|| plan.redirect_uri.clone()),
        api_url: Some(plan.api.clone()),
        oauth: Some(plan.oauth.clone()),
        ..Connection::new(plan.grant, gateway)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_split_on_spaces_and_commas_and_3lo_always_asks_offline_access() {
        assert_eq!(
            parse_scopes(
                Some("read:jira-work, read:jira-user"),
                Grant::ClientCredentials
            ),
            vec!["read:jira-work", "read:jira-user"]
        );
        assert!(parse_scopes(None, Grant::ClientCredentials).is_empty());
        let three_lo = parse_scopes(Some("read:jira-work"), Grant::AuthorizationCode);
        assert_eq!(three_lo, vec!["read:jira-work", "offline_access"]);
        assert_eq!(parse_scopes(None, Grant::AuthorizationCode).len(), 17);
    }

    fn cc_plan(scopes: &[&str]) -> ConnectPlan {
        let settings_endpoints = crate::atlassian::Endpoints::default();
        ConnectPlan {
            name: "default".into(),
            grant: Grant::ClientCredentials,
            site: None,
            cloud_id: None,
            client_id: Some("id".into()),
            email: None,
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            redirect_uri: "http://localhost:8765/callback".parse().unwrap(),
            oauth: settings_endpoints.oauth(),
            api: settings_endpoints.api,
            api_version: 3,
            no_browser: true,
            callback_timeout: std::time::Duration::from_secs(1),
        }
    }

    #[test]
    fn a_grant_without_a_needed_scope_names_each_one() {
        let all = scopes::default_scopes(false);
        let fewer: Vec<&str> = all
            .iter()
            .map(String::as_str)
            .filter(|s| *s != "read:jira-user" && *s != "read:jql:jira")
            .collect();
        let err = check_grant(&cc_plan(&[]), Some(&fewer.join(" ")), &[]).unwrap_err();
        assert_eq!(err.missing_scopes(), ["read:jira-user", "read:jql:jira"]);
        assert_eq!(err.kind().exit_code(), 3);
        // The 3LO site's scopes count as granted too.
        let site = vec!["read:jira-user".to_owned(), "read:jql:jira".to_owned()];
        assert!(check_grant(&cc_plan(&[]), Some(&fewer.join(" ")), &site).is_ok());
        // Nothing reported: not judged here.
        assert!(check_grant(&cc_plan(&[]), None, &[]).unwrap().is_empty());
    }

    #[test]
    fn a_requested_scope_the_spoke_does_not_need_is_only_reported() {
        let plan = cc_plan(&["read:jira-work", "read:me"]);
        let left_out = check_grant(&plan, Some("read:jira-work"), &[]).unwrap();
        assert_eq!(left_out, ["read:me"]);
    }

    #[test]
    fn a_site_given_as_admin_url_counts_as_the_cloud_id() {
        let id = "1324a887-45db-1bf4-1e99-ef0ff456d421";
        let (site, cloud_id) = parse_site_and_id(
            Some(&format!("https://admin.atlassian.com/s/{id}/apps")),
            None,
        )
        .unwrap();
        assert!(site.is_none());
        assert_eq!(cloud_id.unwrap().as_str(), id);
        let err =
            parse_site_and_id(Some(id), Some("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")).unwrap_err();
        assert_eq!(err.kind().exit_code(), 2);
    }

    #[test]
    fn the_redirect_uri_is_loopback_http_or_another_servers_https() {
        assert!(parse_redirect_uri("http://localhost:8765/callback").is_ok());
        assert!(parse_redirect_uri("http://127.0.0.1:9/cb").is_ok());
        assert!(parse_redirect_uri("https://acme.service-now.com/oauth_redirect.do").is_ok());
        for bad in [
            "https://localhost:8765/callback",
            "http://example.com/cb",
            "http://acme.service-now.com/oauth_redirect.do",
            "not a url",
        ] {
            assert_eq!(
                parse_redirect_uri(bad).unwrap_err().kind().exit_code(),
                2,
                "{bad}"
            );
        }
    }
}
