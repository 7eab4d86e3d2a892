//! [`Endpoints`]: every Atlassian URL jira-spoke talks to, in one overridable struct.
//!
//! The defaults are the real Atlassian hosts; `--auth-url`/`JIRA_SPOKE_AUTH_URL`
//! and `--api-url`/`JIRA_SPOKE_API_URL` move them (tests point them at a local
//! fake). No call site builds an Atlassian URL by hand: it asks this struct.
//! Plain `http://` is accepted only for loopback hosts.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use super::site::CloudId;
use crate::error::{Error, Result};

/// The authorization server: `/authorize` and `/oauth/token` live below it.
pub const DEFAULT_AUTH_URL: &str = "https://auth.atlassian.com";
/// The API gateway: `/oauth/token/accessible-resources` and `/ex/jira/<cloud-id>`.
pub const DEFAULT_API_URL: &str = "https://api.atlassian.com";

/// The two Atlassian base URLs. Site URLs come from the connection itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Base of the authorization server.
    pub auth: Url,
    /// Base of the API gateway.
    pub api: Url,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            auth: Url::parse(DEFAULT_AUTH_URL).expect("constant URL"),
            api: Url::parse(DEFAULT_API_URL).expect("constant URL"),
        }
    }
}

impl Endpoints {
    /// Builds the endpoints from optional overrides, checking each one.
    pub fn from_overrides(auth: Option<&str>, api: Option<&str>) -> Result<Endpoints> {
        let mut endpoints = Endpoints::default();
        if let Some(auth) = auth {
            endpoints.auth = parse_endpoint_url("--auth-url", auth)?;
        }
        if let Some(api) = api {
            endpoints.api = parse_endpoint_url("--api-url", api)?;
        }
        Ok(endpoints)
    }

    /// The default per-connection OAuth URLs, derived from the auth base.
    pub fn oauth(&self) -> OAuthEndpoints {
        let token = join(&self.auth, "oauth/token");
        OAuthEndpoints {
            authorize_url: join(&self.auth, "authorize"),
            token_url: token.clone(),
            refresh_url: token.clone(),
            revocation_url: token,
            token_body: TokenBody::Form,
        }
    }

    /// `GET` this with a bearer token to list the sites a grant covers.
    pub fn accessible_resources(&self) -> Url {
        join(&self.api, "oauth/token/accessible-resources")
    }

    /// The connection URL of a site behind the gateway: `<api>/ex/jira/<cloud-id>`.
    pub fn jira_gateway(&self, cloud_id: &CloudId) -> Url {
        jira_gateway(&self.api, cloud_id)
    }
}

/// The connection URL of a site behind the gateway at `api`:
/// `<api>/ex/jira/<cloud-id>`. The one place this URL is built.
pub fn jira_gateway(api: &Url, cloud_id: &CloudId) -> Url {
    join(api, &format!("ex/jira/{cloud_id}"))
}

/// The four OAuth URLs of an application registration (ServiceNow's
/// "Application Registry" fields), stored with each OAuth connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthEndpoints {
    /// Where the browser is sent for consent.
    pub authorize_url: Url,
    /// Where codes and client credentials are exchanged for tokens.
    pub token_url: Url,
    /// Where refresh tokens are exchanged (the token URL at Atlassian).
    pub refresh_url: Url,
    /// Where tokens are revoked (the token URL at Atlassian).
    pub revocation_url: Url,
    /// How token requests are encoded.
    // NOTE: a connection stored before form became the default has no
    // `token_body` and so now sends form; Atlassian accepts both, and only
    // `--token-body json` writes the field.
    #[serde(default, skip_serializing_if = "TokenBody::is_form")]
    pub token_body: TokenBody,
}

/// The encoding of token-endpoint requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum TokenBody {
    /// `application/x-www-form-urlencoded`: RFC 6749 §4.1.3, §4.4.2 and §6,
    /// what the `oauth2` crate, Go's x/oauth2, passport and next-auth send to
    /// auth.atlassian.com, and the only body standard OAuth servers accept.
    #[default]
    Form,
    /// A JSON object, the form Atlassian's 3LO page shows.
    Json,
}

impl TokenBody {
    fn is_form(&self) -> bool {
        *self == TokenBody::Form
    }
}

/// `base` joined with a relative path, keeping any path the base already has
/// (`http://127.0.0.1:9/prefix` + `oauth/token` → `…/prefix/oauth/token`).
pub fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!("{}/{}", base.path().trim_end_matches('/'), path);
    url.set_path(&joined);
    url
}

/// Parses an endpoint URL given by the admin: `https://` anywhere, `http://`
/// only on this machine. `what` names the flag or field in the error.
pub fn parse_endpoint_url(what: &str, input: &str) -> Result<Url> {
    let url = Url::parse(input.trim()).map_err(|e| Error::InvalidUrl {
        what: what.to_owned(),
        input: input.to_owned(),
        reason: e.to_string(),
    })?;
    let reason = match url.scheme() {
        _ if url.host().is_none() => Some("it has no host"),
        _ if !url.username().is_empty() || url.password().is_some() => {
            Some("it must not contain a user name or password")
        }
        "https" => None,
        "http" if is_loopback(&url) => None,
        "http" => {
            return Err(Error::InsecureUrl {
                what: what.to_owned(),
                url: input.to_owned(),
            });
        }
        _ => Some("only https:// URLs are accepted"),
    };
    match reason {
        Some(reason) => Err(Error::InvalidUrl {
            what: what.to_owned(),
            input: input.to_owned(),
            reason: reason.to_owned(),
        }),
        None => Ok(url),
    }
}

/// True when the URL's host is this machine: 127.0.0.0/8, ::1 or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_real_atlassian_hosts() {
        let e = Endpoints::default();
        let oauth = e.oauth();
        assert_eq!(
            oauth.authorize_url.as_str(),
            "https://auth.atlassian.com/authorize"
        );
        assert_eq!(
            oauth.token_url.as_str(),
            "https://auth.atlassian.com/oauth/token"
        );
        assert_eq!(oauth.refresh_url, oauth.token_url);
        assert_eq!(oauth.token_body, TokenBody::Form);
        assert_eq!(
            e.accessible_resources().as_str(),
            "https://api.atlassian.com/oauth/token/accessible-resources"
        );
        let id = CloudId::parse("1324a887-45db-1bf4-1e99-ef0ff456d421").unwrap();
        assert_eq!(
            e.jira_gateway(&id).as_str(),
            "https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421"
        );
    }

    #[test]
    fn overrides_keep_their_path_prefix() {
        let e = Endpoints::from_overrides(Some("http://127.0.0.1:9/auth/"), None).unwrap();
        assert_eq!(
            e.oauth().token_url.as_str(),
            "http://127.0.0.1:9/auth/oauth/token"
        );
    }

    #[test]
    fn plain_http_is_loopback_only() {
        for ok in [
            "http://127.0.0.1:1",
            "http://127.9.9.9",
            "http://localhost:8",
            "http://LOCALHOST",
            "http://[::1]:5",
            "https://auth.example.com",
        ] {
            assert!(parse_endpoint_url("--auth-url", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://auth.atlassian.com",
            "http://10.1.2.3",
            "http://192.168.0.1",
            "http://[::2]",
            "http://localhost.evil.com",
        ] {
            let err = parse_endpoint_url("--auth-url", bad).unwrap_err();
            assert!(matches!(err, Error::InsecureUrl { .. }), "{bad}: {err:?}");
        }
    }

    #[test]
    fn malformed_endpoint_urls_are_usage_errors() {
        for bad in [
            "",
            "auth.atlassian.com",
            "ftp://x.y",
            "https://u:p@x.y",
            "http://",
        ] {
            let err = parse_endpoint_url("--api-url", bad).unwrap_err();
            assert_eq!(err.kind().exit_code(), 2, "{bad}: {err:?}");
        }
    }
}
