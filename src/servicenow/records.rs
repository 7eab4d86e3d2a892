//! The records a Jira spoke needs, as wanted for one stored connection: the
//! one home of what goes where (tables, columns, stored values, names), used
//! by `servicenow apply`/`verify` and by `export --target servicenow`.
//!
//! From ServiceNow's "Set up the Jira spoke for Jira Cloud" (Washingtondc and
//! Australia releases) and the Table API names behind its forms:
//! Application Registry = `oauth_entity` (third-party provider), OAuth Entity
//! Scopes = `oauth_entity_scope`, the auto-created default OAuth Entity
//! Profile = `oauth_entity_profile` with its scopes in
//! `oauth_entity_profile_scope`, the credential (`oauth_2_0_credentials` or
//! `basic_auth_credentials`) and an HTTP(s) Connection (`http_connection`)
//! under the alias the spoke ships, `sn_jira_spoke.Jira`.

use crate::atlassian::scopes;
use crate::store::{Connection, Grant};

/// The connection & credential alias the Jira Cloud spoke ships (its `id`
/// column). Looked up, never created, never edited.
pub(crate) const ALIAS_ID: &str = "sn_jira_spoke.Jira";

/// The Jira site a connection serves, as its ServiceNow records name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Site {
    /// What identifies it: the Cloud ID (OAuth), else the site's host.
    pub key: String,
    /// What record names carry: the Cloud ID's first 8 hex digits, or the host.
    pub tag: String,
    /// The name of the child alias made for it (`[A-Za-z0-9_]` only).
    pub alias_name: String,
}

impl Site {
    /// The site `c` serves.
    pub(crate) fn of(c: &Connection) -> Site {
        let cloud_id = c
            .cloud_id
            .as_ref()
            .map(|id| id.as_str().to_owned())
            .or_else(|| cloud_id_in(c.connection_url.as_str()).map(str::to_owned));
        let host = |u: &url::Url| u.host_str().unwrap_or_default().to_ascii_lowercase();
        let (key, tag) = match cloud_id {
            Some(id) => {
                let tag = id.chars().take(8).collect::<String>();
                (id, tag)
            }
            None => {
                let host = host(&c.connection_url);
                (host.clone(), host)
            }
        };
        let label = c
            .site_url
            .as_ref()
            .map(host)
            .filter(|h| h.parse::<std::net::IpAddr>().is_err())
            .and_then(|h| h.split('.').next().map(str::to_owned))
            .filter(|l| !l.is_empty() && *l != tag);
        let raw = match label {
            Some(label) => format!("Jira_{label}_{tag}"),
            None => format!("Jira_{tag}"),
        };
        let alias_name = raw
            .chars()
            .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '_' })
            .collect();
        Site {
            key,
            tag,
            alias_name,
        }
    }

    /// True when a connection URL serves this site.
    pub(crate) fn served_by(&self, connection_url: &str) -> bool {
        match cloud_id_in(connection_url) {
            Some(id) => id.eq_ignore_ascii_case(&self.key),
            None => url::Url::parse(connection_url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                .is_some_and(|h| h == self.key),
        }
    }
}

/// The Cloud ID in a `…/ex/jira/<cloud-id>` URL.
pub(crate) fn cloud_id_in(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("/ex/jira/")?;
    rest.split('/').next().filter(|s| !s.is_empty())
}

/// A record name as jira-spoke writes it now, and as earlier versions did
/// (by connection name alone), which an apply adopts when it serves the
/// same site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    pub name: String,
    pub legacy: String,
}

impl Named {
    fn new(legacy: String, site: &Site) -> Named {
        Named {
            name: format!("{legacy} for {}", site.tag),
            legacy,
        }
    }
}

/// Table names.
pub(crate) mod table {
    pub(crate) const ALIAS: &str = "sys_alias";
    pub(crate) const REGISTRY: &str = "oauth_entity";
    pub(crate) const SCOPE: &str = "oauth_entity_scope";
    pub(crate) const PROFILE: &str = "oauth_entity_profile";
    pub(crate) const PROFILE_SCOPE: &str = "oauth_entity_profile_scope";
    pub(crate) const OAUTH_CREDENTIAL: &str = "oauth_2_0_credentials";
    pub(crate) const BASIC_CREDENTIAL: &str = "basic_auth_credentials";
    pub(crate) const CONNECTION: &str = "http_connection";
    pub(crate) const REQUESTOR_PROFILE: &str = "oauth_requestor_profile";
    pub(crate) const TOKEN: &str = "oauth_credential";
}

/// The columns jira-spoke reads of each record (secrets excepted: those are
/// written, never read), listed once for the walk and the schema check.
pub(crate) mod columns {
    pub(crate) const ALIAS: &[&str] = &["id", "name", "multiple_connections", "parent"];
    pub(crate) const REGISTRY: &[&str] = &[
        "name",
        "type",
        "client_id",
        "default_grant_type",
        "auth_url",
        "token_url",
        "refresh_token_url",
        "revoke_token_url",
        "active",
        "redirect_url",
    ];
    pub(crate) const PROFILE: &[&str] = &["name", "oauth_entity", "grant_type", "default"];
    pub(crate) const SCOPE: &[&str] = &["name", "oauth_entity_scope", "oauth_entity"];
    pub(crate) const LINK: &[&str] = &["oauth_entity_profile", "oauth_entity_scope"];
    pub(crate) const CONNECTION: &[&str] = &[
        "name",
        "connection_alias",
        "credential",
        "connection_url",
        "active",
        "extended_attributes",
    ];
    pub(crate) const OAUTH_CREDENTIAL: &[&str] = &["name", "oauth_entity_profile", "active"];
    pub(crate) const BASIC_CREDENTIAL: &[&str] = &["name", "user_name", "active"];
    pub(crate) const REQUESTOR_PROFILE: &[&str] = &["requestor_id", "oauth_entity_profile"];
    pub(crate) const TOKEN: &[&str] = &["type", "expires", "oauth_requestor_profile"];
}

/// `oauth_entity.type` of "Connect to a third party OAuth Provider".
pub(crate) const PROVIDER_TYPE: &str = "oauth_provider";
/// `oauth_credential.type` of a stored refresh token.
pub(crate) const REFRESH_TOKEN_TYPE: &str = "refresh_token";
/// `oauth_credential.type` of a stored access token (client credentials
/// keep only these).
pub(crate) const ACCESS_TOKEN_TYPE: &str = "access_token";
/// The connection attributes the spoke reads, set on the connection's
/// Attributes (the `extended_attributes` column).
pub(crate) const ATTRIBUTES: [(&str, &str); 2] = [("api_version", "2"), ("server_type", "cloud")];

/// A grant type as the registry and profile store it, and as forms label it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GrantType {
    /// The stored choice value (`default_grant_type`, `grant_type`).
    pub value: &'static str,
    /// The label on ServiceNow's forms.
    pub label: &'static str,
}

pub(crate) const AUTHORIZATION_CODE: GrantType = GrantType {
    value: "authorization_code",
    label: "Authorization Code",
};
pub(crate) const CLIENT_CREDENTIALS: GrantType = GrantType {
    value: "client_credentials",
    label: "Client Credentials",
};

/// The Application Registry and what hangs off it (OAuth grants only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Registry {
    pub name: String,
    /// Its name as earlier versions wrote it.
    pub legacy_name: String,
    pub client_id: String,
    pub grant: GrantType,
    /// Authorization URL (authorization code only).
    pub auth_url: Option<String>,
    pub token_url: String,
    /// The Refresh Token URL, hidden on the form before Australia (authorization code only).
    pub refresh_token_url: Option<String>,
    pub revoke_token_url: String,
    /// One `oauth_entity_scope` row each, all linked to the default profile.
    pub scopes: Vec<String>,
    /// Name for the default profile should it have to be created.
    pub profile_name: String,
}

/// The credential the connection uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Credential {
    pub table: &'static str,
    pub name: String,
    pub legacy_name: String,
    /// `user_name` of a basic-auth credential: the Atlassian e-mail.
    pub user_name: Option<String>,
    /// The password2 column that holds the secret.
    pub secret_column: &'static str,
}

/// The HTTP(s) connection under [`ALIAS_ID`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpConnection {
    pub name: String,
    pub legacy_name: String,
    /// The connection URL jira-spoke stored, without a trailing slash.
    pub url: String,
}

/// Everything wanted on the instance for one stored connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wanted {
    pub connection_name: String,
    pub grant: Grant,
    /// The site the records serve.
    pub site: Site,
    /// `--alias`: the alias (or child alias) the connection goes under,
    /// instead of the one jira-spoke picks.
    pub alias: Option<String>,
    pub registry: Option<Registry>,
    pub credential: Credential,
    pub connection: HttpConnection,
    /// Write the connection's attributes when creating it: false when the
    /// instance's column does not take them as text.
    pub write_attributes: bool,
}

impl Wanted {
    /// The same records, the connection under the alias with ID `alias`
    /// (`--alias`) when given.
    pub(crate) fn under(mut self, alias: Option<String>) -> Wanted {
        self.alias = alias.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty());
        self
    }

    /// The registry's name and the name earlier versions gave it (none
    /// for the API-token grant): what its records are found by.
    pub(crate) fn registry_names(&self) -> Vec<String> {
        self.registry
            .iter()
            .flat_map(|r| [r.name.clone(), r.legacy_name.clone()])
            .collect()
    }

    /// The records for stored connection `name`.
    pub(crate) fn of(name: &str, c: &Connection) -> Wanted {
        let url = c.connection_url.as_str().trim_end_matches('/').to_owned();
        let site = Site::of(c);
        if c.grant == Grant::ApiToken {
            let credential = Named::new(format!("Jira spoke cloud basic cred ({name})"), &site);
            let connection = Named::new(format!("Jira spoke cloud basic conn ({name})"), &site);
            return Wanted {
                connection_name: name.to_owned(),
                grant: c.grant,
                site,
                alias: None,
                registry: None,
                credential: Credential {
                    table: table::BASIC_CREDENTIAL,
                    name: credential.name,
                    legacy_name: credential.legacy,
                    user_name: Some(c.email.clone().unwrap_or_default()),
                    secret_column: "password",
                },
                connection: HttpConnection {
                    name: connection.name,
                    legacy_name: connection.legacy,
                    url,
                },
                write_attributes: true,
            };
        }
        let three_lo = c.grant == Grant::AuthorizationCode;
        let grant = if three_lo {
            AUTHORIZATION_CODE
        } else {
            CLIENT_CREDENTIALS
        };
        let oauth = c
            .oauth
            .clone()
            .unwrap_or_else(|| crate::atlassian::Endpoints::default().oauth());
        let registry = Named::new(format!("Jira {} OAuth ({name})", grant.label), &site);
        let credential = Named::new(format!("Jira {} cred ({name})", grant.label), &site);
        let connection = Named::new(format!("Jira cloud OAuth Connection ({name})"), &site);
        Wanted {
            connection_name: name.to_owned(),
            grant: c.grant,
            site,
            alias: None,
            registry: Some(Registry {
                profile_name: format!("{} default_profile", registry.name),
                name: registry.name,
                legacy_name: registry.legacy,
                client_id: c.client_id.clone().unwrap_or_default(),
                grant,
                auth_url: three_lo.then(|| oauth.authorize_url.to_string()),
                token_url: oauth.token_url.to_string(),
                refresh_token_url: three_lo.then(|| oauth.refresh_url.to_string()),
                revoke_token_url: oauth.revocation_url.to_string(),
                scopes: spoke_scopes(c),
            }),
            credential: Credential {
                table: table::OAUTH_CREDENTIAL,
                name: credential.name,
                legacy_name: credential.legacy,
                user_name: None,
                secret_column: "client_secret",
            },
            connection: HttpConnection {
                name: connection.name,
                legacy_name: connection.legacy,
                url,
            },
            write_attributes: true,
        }
    }
}

/// The scopes the registry and profile need: the connection's (else the
/// spoke's defaults), with `offline_access` for authorization code (without
/// it Atlassian issues no refresh token) and without it otherwise.
pub(crate) fn spoke_scopes(c: &Connection) -> Vec<String> {
    let three_lo = c.grant == Grant::AuthorizationCode;
    let mut list = if c.scopes.is_empty() {
        scopes::default_scopes(three_lo)
    } else {
        c.scopes.clone()
    };
    list.retain(|s| s != scopes::OFFLINE_ACCESS);
    if three_lo {
        list.push(scopes::OFFLINE_ACCESS.to_owned());
    }
    list
}

/// The `extended_attributes` value with the spoke's attributes set, keeping
/// any other attribute already there. `None` when it already has them.
pub(crate) fn attributes_update(current: &str) -> Option<String> {
    let mut object = match serde_json::from_str::<serde_json::Value>(current.trim()) {
        Ok(serde_json::Value::Object(o)) => o,
        _ => serde_json::Map::new(),
    };
    let unchanged = ATTRIBUTES
        .iter()
        .all(|(k, v)| object.get(*k).and_then(serde_json::Value::as_str) == Some(*v))
        && !current.trim().is_empty();
    if unchanged {
        return None;
    }
    for (k, v) in ATTRIBUTES {
        object.insert(k.to_owned(), serde_json::Value::String(v.to_owned()));
    }
    Some(serde_json::Value::Object(object).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn connection(grant: Grant) -> Connection {
        let mut c = Connection::new(
            grant,
            Url::parse("https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421/")
                .unwrap(),
        );
        c.client_id = Some("cid".into());
        c
    }

    #[test]
    fn authorization_code_asks_offline_access_and_every_url() {
        let mut c = connection(Grant::AuthorizationCode);
        c.scopes = vec!["read:jira-work".into()];
        let w = Wanted::of("prod", &c);
        assert_eq!(w.site.key, "1324a887-45db-1bf4-1e99-ef0ff456d421");
        assert_eq!(w.site.alias_name, "Jira_1324a887");
        assert_eq!(
            w.connection.name,
            "Jira cloud OAuth Connection (prod) for 1324a887"
        );
        assert_eq!(
            w.connection.legacy_name,
            "Jira cloud OAuth Connection (prod)"
        );
        assert!(w.site.served_by(&w.connection.url));
        assert!(
            !w.site.served_by(
                "https://api.atlassian.com/ex/jira/00000000-0000-0000-0000-000000000000"
            )
        );
        let r = w.registry.unwrap();
        assert_eq!(r.name, "Jira Authorization Code OAuth (prod) for 1324a887");
        assert_eq!(r.legacy_name, "Jira Authorization Code OAuth (prod)");
        assert_eq!(r.grant.value, "authorization_code");
        assert_eq!(r.scopes, vec!["read:jira-work", "offline_access"]);
        assert_eq!(
            r.refresh_token_url.as_deref(),
            Some("https://auth.atlassian.com/oauth/token")
        );
        assert_eq!(
            w.connection.url,
            "https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421"
        );
    }

    #[test]
    fn client_credentials_never_ask_offline_access() {
        let mut c = connection(Grant::ClientCredentials);
        c.scopes = vec!["read:jira-work".into(), "offline_access".into()];
        let r = Wanted::of("x", &c).registry.unwrap();
        assert_eq!(r.scopes, vec!["read:jira-work"]);
        assert_eq!(r.auth_url, None);
        assert_eq!(r.refresh_token_url, None);
        assert_eq!(
            spoke_scopes(&connection(Grant::ClientCredentials)).len(),
            13
        );
    }

    #[test]
    fn api_token_is_basic_auth_on_the_site() {
        let mut c = Connection::new(
            Grant::ApiToken,
            Url::parse("https://acme.atlassian.net").unwrap(),
        );
        c.email = Some("a@example.com".into());
        let w = Wanted::of("default", &c);
        assert!(w.registry.is_none());
        assert_eq!(w.credential.table, "basic_auth_credentials");
        assert_eq!(w.credential.user_name.as_deref(), Some("a@example.com"));
        assert_eq!(w.connection.url, "https://acme.atlassian.net");
        assert_eq!(
            w.connection.name,
            "Jira spoke cloud basic conn (default) for acme.atlassian.net"
        );
        assert_eq!(w.site.alias_name, "Jira_acme_atlassian_net");
        let mut named = c.clone();
        named.site_url = Some(Url::parse("https://acme.atlassian.net").unwrap());
        named.grant = Grant::ClientCredentials;
        named.connection_url =
            Url::parse("https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421")
                .unwrap();
        assert_eq!(Site::of(&named).alias_name, "Jira_acme_1324a887");
    }

    #[test]
    fn attributes_are_merged_not_replaced() {
        assert_eq!(
            attributes_update("").unwrap(),
            r#"{"api_version":"2","server_type":"cloud"}"#
        );
        assert_eq!(
            attributes_update(r#"{"server_type":"cloud","api_version":"2"}"#),
            None
        );
        assert_eq!(
            attributes_update(r#"{"api_version":"3","x":"y"}"#).unwrap(),
            r#"{"api_version":"2","server_type":"cloud","x":"y"}"#
        );
        assert!(attributes_update("not json").is_some());
    }
}
