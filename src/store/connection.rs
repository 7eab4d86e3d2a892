//! [`Connection`]: one named Jira connection as the config file keeps it —
//! the fields of ServiceNow's "Connection & Credential Alias", with references
//! to secrets but never their values.

use std::fmt;

use serde::{Deserialize, Serialize};
use url::Url;

use super::secrets::{SecretRef, StoreKind};
use crate::atlassian::{CloudId, OAuthEndpoints};
use crate::error::{Error, Result};

/// How a connection authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Grant {
    /// OAuth 2.0 (3LO) Authorization Code: acts as a user, needs a browser once.
    AuthorizationCode,
    /// OAuth 2.0 Client Credentials: a service account, for CI and integrations.
    ClientCredentials,
    /// Basic auth with an Atlassian account's API token (legacy).
    ApiToken,
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Grant::AuthorizationCode => "authorization-code",
            Grant::ClientCredentials => "client-credentials",
            Grant::ApiToken => "api-token",
        })
    }
}

/// A stored connection to one Jira Cloud site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// How it authenticates.
    pub grant: Grant,
    /// The site as the admin knows it (`https://acme.atlassian.net`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_url: Option<Url>,
    /// The site's Cloud ID (OAuth grants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_id: Option<CloudId>,
    /// Base of every REST call: `https://api.atlassian.com/ex/jira/<cloud-id>`
    /// for OAuth, the site URL for API-token basic auth.
    pub connection_url: Url,
    /// Jira REST API version used for checks (3, or 2 as the ServiceNow spoke uses).
    #[serde(default = "default_api_version")]
    pub api_version: u8,
    /// Always `cloud`: jira-spoke speaks to Jira Cloud only.
    #[serde(default = "default_server_type")]
    pub server_type: String,
    /// OAuth client ID (not secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Atlassian account e-mail, for API-token basic auth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Scopes requested.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// The exact callback URL registered in the developer console (3LO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<Url>,
    /// The API gateway base this connection was made against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<Url>,
    /// Authorize, token, refresh and revocation URLs (OAuth grants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OAuthEndpoints>,
    /// Where the secrets are kept.
    pub store: StoreKind,
    /// References to the secrets.
    #[serde(default)]
    pub secrets: SecretRefs,
    /// The ServiceNow instance (`https://acme.service-now.com`) the spoke's
    /// records were applied to, so later `servicenow` commands need no
    /// `--instance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub servicenow_instance: Option<String>,
    /// What is known of the current access token (not the token itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenInfo>,
}

impl Connection {
    /// A connection with only its grant and URL set: API version 3, Jira
    /// Cloud, the keyring store, and nothing else yet.
    pub fn new(grant: Grant, connection_url: Url) -> Connection {
        Connection {
            grant,
            site_url: None,
            cloud_id: None,
            connection_url,
            api_version: default_api_version(),
            server_type: default_server_type(),
            client_id: None,
            email: None,
            scopes: Vec::new(),
            redirect_uri: None,
            api_url: None,
            oauth: None,
            store: StoreKind::Keyring,
            secrets: SecretRefs::default(),
            servicenow_instance: None,
            token: None,
        }
    }
}

/// References to a connection's secrets, each a separate store entry
/// (Windows Credential Manager caps one entry at about 2560 bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRefs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SecretRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_token: Option<SecretRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<SecretRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<SecretRef>,
}

/// Which of a connection's secrets: a field of [`SecretRefs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    ClientSecret,
    ApiToken,
    AccessToken,
    RefreshToken,
}

impl SecretKind {
    /// The field's name, as the config and entry names spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::ClientSecret => "client_secret",
            SecretKind::ApiToken => "api_token",
            SecretKind::AccessToken => "access_token",
            SecretKind::RefreshToken => "refresh_token",
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl SecretRefs {
    /// Sets the reference for secret `kind`.
    pub fn set(&mut self, kind: SecretKind, r: SecretRef) {
        *self.slot(kind) = Some(r);
    }

    fn slot(&mut self, kind: SecretKind) -> &mut Option<SecretRef> {
        match kind {
            SecretKind::ClientSecret => &mut self.client_secret,
            SecretKind::ApiToken => &mut self.api_token,
            SecretKind::AccessToken => &mut self.access_token,
            SecretKind::RefreshToken => &mut self.refresh_token,
        }
    }

    /// Every reference that is set, with its kind.
    pub fn iter(&self) -> impl Iterator<Item = (SecretKind, &SecretRef)> {
        [
            (SecretKind::ClientSecret, &self.client_secret),
            (SecretKind::ApiToken, &self.api_token),
            (SecretKind::AccessToken, &self.access_token),
            (SecretKind::RefreshToken, &self.refresh_token),
        ]
        .into_iter()
        .filter_map(|(kind, r)| r.as_ref().map(|r| (kind, r)))
    }
}

/// Non-secret facts about the stored access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenInfo {
    /// Unix time (seconds) at which the access token expires.
    pub expires_at: u64,
    /// Unix time at which it was obtained.
    #[serde(default)]
    pub obtained_at: u64,
    /// Scopes Atlassian granted, space-separated as in the token response.
    #[serde(default)]
    pub scope: String,
}

/// A token this close to expiry (seconds) is replaced rather than used, so it
/// cannot expire between `jira-spoke token` and the caller's request.
pub const EXPIRY_MARGIN_SECS: u64 = 60;

impl TokenInfo {
    /// Facts of a token obtained now that lives `expires_in` seconds.
    pub fn obtained_now(expires_in: u64, scope: Option<&str>) -> TokenInfo {
        let now = crate::time::now_unix();
        TokenInfo {
            expires_at: now + expires_in,
            obtained_at: now,
            scope: scope.unwrap_or_default().to_owned(),
        }
    }

    /// True while the token is worth using at `now`: more than the margin
    /// left (half its lifetime, for tokens shorter than two margins).
    pub fn is_fresh(&self, now: u64) -> bool {
        let lifetime = self.expires_at.saturating_sub(self.obtained_at);
        let margin = EXPIRY_MARGIN_SECS.min(lifetime / 2);
        self.expires_at > now + margin
    }
}

fn default_api_version() -> u8 {
    3
}

fn default_server_type() -> String {
    "cloud".to_owned()
}

/// Longest connection name: it becomes part of keyring entry names.
const MAX_NAME_CHARS: usize = 64;

/// `name` in Unicode's composed form (NFC): `Zürich` typed with a
/// combining diaeresis (as macOS file names and some keyboards give it) is
/// the same name as with `ü`, and keeps its keyring entries.
pub fn normalize_name(name: &str) -> String {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc()
        .normalize(name.trim())
        .into_owned()
}

/// Checks a connection name: letters (any script), digits, `-`, `_` and `.`,
/// not starting with `.`, at most 64 characters.
pub fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::usage(
            format!("`{name}` is not a valid connection name"),
            "use letters, digits, `-`, `_` or `.` (at most 64), e.g. `prod` or `acme-servicenow`",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_keeps_a_margin_scaled_to_short_lifetimes() {
        let hour = TokenInfo {
            expires_at: 4600,
            obtained_at: 1000,
            scope: String::new(),
        };
        assert!(hour.is_fresh(4539));
        assert!(!hour.is_fresh(4540));
        let short = TokenInfo {
            expires_at: 1002,
            obtained_at: 1000,
            scope: String::new(),
        };
        assert!(short.is_fresh(1000));
        assert!(!short.is_fresh(1001));
        let legacy = TokenInfo {
            expires_at: 5000,
            obtained_at: 0,
            scope: String::new(),
        };
        assert!(legacy.is_fresh(4000) && !legacy.is_fresh(4940));
    }

    #[test]
    fn names_allow_unicode_letters_but_not_separators() {
        for ok in ["default", "prod-eu", "acme_1.2", "Zürich", "東京"] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        let decomposed = "Zu\u{308}rich";
        assert!(validate_name(decomposed).is_err(), "a combining mark alone");
        assert_eq!(normalize_name(decomposed), "Zürich");
        assert!(validate_name(&normalize_name(decomposed)).is_ok());
        for bad in ["", ".hidden", "a/b", "a b", "a:b", &"x".repeat(65)] {
            assert_eq!(
                validate_name(bad).unwrap_err().kind().exit_code(),
                2,
                "{bad}"
            );
        }
    }
}
