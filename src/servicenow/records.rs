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
/// column). Looked up, never created.
pub const ALIAS_ID: &str = "sn_jira_spoke.Jira";

/// Table names.
pub mod table {
    pub const ALIAS: &str = "sys_alias";
    pub const REGISTRY: &str = "oauth_entity";
    pub const SCOPE: &str = "oauth_entity_scope";
    pub const PROFILE: &str = "oauth_entity_profile";
    pub const PROFILE_SCOPE: &str = "oauth_entity_profile_scope";
    pub const OAUTH_CREDENTIAL: &str = "oauth_2_0_credentials";
    pub const BASIC_CREDENTIAL: &str = "basic_auth_credentials";
    pub const CONNECTION: &str = "http_connection";
    pub const REQUESTOR_PROFILE: &str = "oauth_requestor_profile";
    pub const TOKEN: &str = "oauth_credential";
}

/// `oauth_entity.type` of "Connect to a third party OAuth Provider".
pub const PROVIDER_TYPE: &str = "oauth_provider";
/// `oauth_credential.type` of a stored refresh token.
pub const REFRESH_TOKEN_TYPE: &str = "refresh_token";
/// `oauth_credential.type` of a stored access token (client credentials
/// keep only these).
pub const ACCESS_TOKEN_TYPE: &str = "access_token";
/// The connection attributes the spoke reads, set on the connection's
/// Attributes (the `extended_attributes` column).
pub const ATTRIBUTES: [(&str, &str); 2] = [("api_version", "2"), ("server_type", "cloud")];

/// A grant type as the registry and profile store it, and as forms label it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantType {
    /// The stored choice value (`default_grant_type`, `grant_type`).
    pub value: &'static str,
    /// The label on ServiceNow's forms.
    pub label: &'static str,
}

pub const AUTHORIZATION_CODE: GrantType = GrantType {
    value: "authorization_code",
    label: "Authorization Code",
};
pub const CLIENT_CREDENTIALS: GrantType = GrantType {
    value: "client_credentials",
    label: "Client Credentials",
};

/// The Application Registry and what hangs off it (OAuth grants only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    pub name: String,
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
pub struct Credential {
    pub table: &'static str,
    pub name: String,
    /// `user_name` of a basic-auth credential: the Atlassian e-mail.
    pub user_name: Option<String>,
    /// The password2 column that holds the secret.
    pub secret_column: &'static str,
}

/// The HTTP(s) connection under [`ALIAS_ID`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConnection {
    pub name: String,
    /// The connection URL jira-spoke stored, without a trailing slash.
    pub url: String,
}

/// Everything wanted on the instance for one stored connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub connection_name: String,
    pub grant: Grant,
    pub registry: Option<Registry>,
    pub credential: Credential,
    pub connection: HttpConnection,
    /// Write the connection's attributes when creating it: false when the
    /// instance's column does not take them as text.
    pub write_attributes: bool,
}

impl Wanted {
    /// The records for stored connection `name`.
    pub fn of(name: &str, c: &Connection) -> Wanted {
        let url = c.connection_url.as_str().trim_end_matches('/').to_owned();
        if c.grant == Grant::ApiToken {
            return Wanted {
                connection_name: name.to_owned(),
                grant: c.grant,
                registry: None,
                credential: Credential {
                    table: table::BASIC_CREDENTIAL,
                    name: format!("Jira spoke cloud basic cred ({name})"),
                    user_name: Some(c.email.clone().unwrap_or_default()),
                    secret_column: "password",
                },
                connection: HttpConnection {
                    name: format!("Jira spoke cloud basic conn ({name})"),
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
        let registry_name = format!("Jira {} OAuth ({name})", grant.label);
        Wanted {
            connection_name: name.to_owned(),
            grant: c.grant,
            registry: Some(Registry {
                profile_name: format!("{registry_name} default_profile"),
                name: registry_name,
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
                name: format!("Jira {} cred ({name})", grant.label),
                user_name: None,
                secret_column: "client_secret",
            },
            connection: HttpConnection {
                name: format!("Jira cloud OAuth Connection ({name})"),
                url,
            },
            write_attributes: true,
        }
    }
}

/// The scopes the registry and profile need: the connection's (else the
/// spoke's defaults), with `offline_access` for authorization code (without
/// it Atlassian issues no refresh token) and without it otherwise.
pub fn spoke_scopes(c: &Connection) -> Vec<String> {
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
pub fn attributes_update(current: &str) -> Option<String> {
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
        let r = w.registry.unwrap();
        assert_eq!(r.name, "Jira Authorization Code OAuth (prod)");
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
