//! How jira-spoke signs in to a ServiceNow instance, on the wire: basic auth
//! as a user, or an OAuth bearer token from the instance's own OAuth server
//! (`oauth_token.do`, `oauth_auth.do`), the way ServiceNow's `now-sdk` does.
//! Which way is chosen (environment, kept login, prompt) is
//! [`crate::flows::servicenow::login`]'s; nothing here prompts or stores.
//!
//! Since the Australia release, instances may enforce "Basic Auth
//! Restriction": interactive accounts may not use basic auth on the API, so
//! OAuth is the way in for people (a browser sign-in, with SSO and MFA) and
//! for CI (client credentials of an inbound OAuth client).

use std::fmt;

use url::Url;

use super::Instance;
use crate::atlassian::oauth::{self, Pkce, TokenGrant, Tokens};
use crate::error::{Error, Result};
use crate::http::Http;
use crate::http::{Failure, Plain, Response, one_line};
use crate::secret::Secret;

/// Where a sign-in came from, for messages and hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// `JIRA_SPOKE_SERVICENOW_TOKEN`: a bearer token used as is.
    TokenEnv,
    /// `JIRA_SPOKE_SERVICENOW_CLIENT_ID` and `_CLIENT_SECRET`.
    ClientCredentialsEnv,
    /// A browser login kept by `servicenow login --oauth-client-id`.
    KeptOAuth,
    /// A user and password kept by `servicenow login`.
    KeptPassword,
    /// A user and password given for this run.
    Password,
    /// `servicenow login --oauth-client-id`'s browser sign-in itself.
    Browser,
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Via::TokenEnv => "the token in JIRA_SPOKE_SERVICENOW_TOKEN",
            Via::ClientCredentialsEnv => {
                "OAuth client credentials (JIRA_SPOKE_SERVICENOW_CLIENT_ID and _CLIENT_SECRET)"
            }
            Via::KeptOAuth => "the browser login kept by `jira-spoke servicenow login`",
            Via::KeptPassword => "the login kept by `jira-spoke servicenow login`",
            Via::Password => "the user name and password given",
            Via::Browser => "the browser sign-in",
        })
    }
}

/// How the Table API is signed in to.
#[derive(Clone)]
pub(crate) enum SignIn {
    /// Basic auth as a user.
    Basic {
        user: String,
        password: Secret,
        via: Via,
    },
    /// An OAuth access token issued by the instance.
    Bearer { token: Secret, via: Via },
}

impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignIn::Basic { user, via, .. } => write!(f, "Basic({user}, {via:?})"),
            SignIn::Bearer { via, .. } => write!(f, "Bearer({via:?})"),
        }
    }
}

/// A user name basic auth can carry: `user:password` is split at the first
/// colon, so a name with one would sign in as someone else.
pub(crate) fn check_user(user: &str) -> Result<()> {
    if user.contains(':') {
        return Err(Error::usage(
            format!("the ServiceNow user `{user}` contains `:`, which basic auth cannot carry"),
            "give the user name (its User ID), not `user:password`; the password is asked for apart",
        ));
    }
    Ok(())
}

impl SignIn {
    /// Basic auth with a user and password given for this run.
    pub(crate) fn password(user: impl Into<String>, password: Secret) -> SignIn {
        SignIn::Basic {
            user: user.into(),
            password,
            via: Via::Password,
        }
    }

    /// Where it came from.
    pub(crate) fn via(&self) -> Via {
        match self {
            SignIn::Basic { via, .. } | SignIn::Bearer { via, .. } => *via,
        }
    }

    /// The user name, when signing in as one with a password.
    pub(crate) fn user(&self) -> Option<&str> {
        match self {
            SignIn::Basic { user, .. } => Some(user),
            SignIn::Bearer { .. } => None,
        }
    }

    /// Its secrets, for scrubbing server text: the password or the token.
    pub(crate) fn secret(&self) -> &Secret {
        match self {
            SignIn::Basic { password, .. } => password,
            SignIn::Bearer { token, .. } => token,
        }
    }

    /// Adds the `Authorization` header.
    pub(crate) fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            SignIn::Basic { user, password, .. } => {
                request.basic_auth(user, Some(password.expose()))
            }
            SignIn::Bearer { token, .. } => request.bearer_auth(token.expose()),
        }
    }
}

/// An OAuth client registered on the instance (System OAuth → Application
/// Registry → an inbound client).
#[derive(Debug, Clone)]
pub(crate) struct OAuthClient {
    pub id: String,
    /// `None` for a public client (PKCE only).
    pub secret: Option<Secret>,
}

/// `grant_type=client_credentials` at `<instance>/oauth_token.do`: a token
/// acting as the client's OAuth application user. No refresh token.
pub(crate) async fn client_credentials(
    http: &Http,
    instance: &Instance,
    client: &OAuthClient,
    via: Via,
) -> Result<Tokens> {
    request(http, instance, client, TokenGrant::ClientCredentials, via).await
}

/// `grant_type=authorization_code` with the PKCE verifier: the end of
/// `servicenow login --oauth-client-id`.
pub(crate) async fn exchange_code(
    http: &Http,
    instance: &Instance,
    client: &OAuthClient,
    code: &Secret,
    redirect_uri: &Url,
    verifier: &Secret,
) -> Result<Tokens> {
    let grant = TokenGrant::Code {
        code,
        redirect_uri,
        verifier,
    };
    request(http, instance, client, grant, Via::Browser).await
}

/// `grant_type=refresh_token`: a kept browser login, renewed silently.
pub(crate) async fn refresh(
    http: &Http,
    instance: &Instance,
    client: &OAuthClient,
    refresh_token: &Secret,
) -> Result<Tokens> {
    let grant = TokenGrant::Refresh(refresh_token);
    request(http, instance, client, grant, Via::KeptOAuth).await
}

/// The authorize URL of the browser sign-in (`oauth_auth.do`).
pub(crate) fn authorize_url(
    instance: &Instance,
    client_id: &str,
    redirect_uri: &Url,
    state: &str,
    pkce: &Pkce,
) -> Url {
    oauth::plain_authorize_url(
        &instance.authorize_url(),
        client_id,
        redirect_uri,
        state,
        pkce,
    )
}

async fn request(
    http: &Http,
    instance: &Instance,
    client: &OAuthClient,
    grant: TokenGrant<'_>,
    via: Via,
) -> Result<Tokens> {
    let token_url = instance.token_url();
    let reject = |response: &Response, code: &str, description: &str| {
        let description = one_line(description, client.secret.as_ref(), 300);
        refused(response, code, &description, via)
    };
    oauth::request_tokens(
        http,
        &token_url,
        &client.id,
        client.secret.as_ref(),
        grant,
        &reject,
    )
    .await
}

/// ServiceNow's token endpoint refused: its OAuth error, in one error whose
/// hint names the instance set-up that error points to.
fn refused(response: &Response, code: &str, description: &str, via: Via) -> Error {
    if matches!(
        response.failure(),
        Failure::ServerError | Failure::RateLimited
    ) {
        return response.error(&Plain);
    }
    let code = if code.is_empty() && response.status == 401 {
        "invalid_client"
    } else {
        code
    };
    Error::ServiceNowSignInRefused {
        url: response.url.clone(),
        status: response.status,
        via,
        code: one_line(code, None, 80),
        description: one_line(description, None, 300),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_secret_in_debug() {
        let basic = SignIn::Basic {
            user: "admin".into(),
            password: Secret::new("pw-SECRET"),
            via: Via::Password,
        };
        let bearer = SignIn::Bearer {
            token: Secret::new("tok-SECRET"),
            via: Via::TokenEnv,
        };
        for s in [format!("{basic:?}"), format!("{bearer:?}")] {
            assert!(!s.contains("SECRET"), "{s}");
        }
        assert_eq!(basic.user(), Some("admin"));
        assert_eq!(bearer.user(), None);
    }

    #[test]
    fn the_authorize_url_carries_pkce_and_nothing_of_atlassian() {
        let instance = Instance::parse("acme").unwrap();
        let pkce = Pkce::new().unwrap();
        let redirect = Url::parse("http://localhost:8766/callback").unwrap();
        let url = authorize_url(&instance, "cid", &redirect, "st", &pkce);
        assert!(
            url.as_str()
                .starts_with("https://acme.service-now.com/oauth_auth.do?")
        );
        let q: std::collections::BTreeMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "cid");
        assert_eq!(q["state"], "st");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["code_challenge"], pkce.challenge);
        assert_eq!(q["redirect_uri"], "http://localhost:8766/callback");
        assert!(!q.contains_key("audience") && !q.contains_key("prompt"));
    }

    #[test]
    fn refusals_keep_the_oauth_error_and_its_way() {
        let response = Response {
            url: "https://acme.service-now.com/oauth_token.do".into(),
            status: 400,
            headers: Default::default(),
            body: Vec::new(),
        };
        let e = refused(
            &response,
            "unsupported_grant_type",
            "not\nenabled",
            Via::ClientCredentialsEnv,
        );
        assert!(matches!(
            &e,
            Error::ServiceNowSignInRefused { code, description, .. }
                if code == "unsupported_grant_type" && description == "not enabled"
        ));
        assert!(
            e.hint()
                .unwrap()
                .contains("glide.oauth.inbound.client.credential.grant_type.enabled")
        );
        assert_eq!(e.kind().exit_code(), 3);
        let unauthorized = Response {
            status: 401,
            ..response
        };
        let e = refused(&unauthorized, "", "", Via::KeptOAuth);
        assert!(
            matches!(&e, Error::ServiceNowSignInRefused { code, .. } if code == "invalid_client")
        );
    }
}
