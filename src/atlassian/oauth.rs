//! The token endpoint: client credentials, authorization code and refresh
//! exchanges, and the PKCE/state values of the authorize step.
//!
//! Wire shapes follow Atlassian's 3LO page
//! (<https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/>):
//! a JSON body with `client_id` and `client_secret` in it (the secret is
//! required even with PKCE), and Auth0-style `{"error","error_description"}`
//! answers. Token values are opaque: never parsed, never logged.

use serde::Deserialize;
use serde_json::json;
use url::Url;

use super::endpoints::{OAuthEndpoints, TokenBody};
use super::http::{Http, Response};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Lifetime assumed when a token response has no `expires_in` (Atlassian: 1 hour).
const DEFAULT_EXPIRES_IN: u64 = 3600;
/// The audience Atlassian's 3LO and service-account tokens are issued for.
pub const AUDIENCE: &str = "api.atlassian.com";

/// An OAuth client: its ID and secret.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub secret: Secret,
}

/// A successful token response.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: Secret,
    /// Absent for client credentials, and sometimes absent on refresh (keep the old one then).
    pub refresh_token: Option<Secret>,
    /// Seconds the access token lives.
    pub expires_in: u64,
    /// Granted scopes, space-separated, as Atlassian returns them.
    pub scope: Option<String>,
}

#[derive(Deserialize)]
struct RawTokens {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<serde_json::Value>,
    scope: Option<String>,
}

#[derive(Deserialize, Default)]
struct OAuthError {
    error: Option<String>,
    error_description: Option<String>,
}

/// `grant_type=client_credentials` (service accounts). Scopes are fixed on
/// the credential at Atlassian; `scopes`, when given, are sent anyway.
pub async fn exchange_client_credentials(
    http: &Http,
    endpoints: &OAuthEndpoints,
    client: &Client,
    scopes: &[String],
) -> Result<Tokens> {
    let mut body = json!({
        "grant_type": "client_credentials",
        "client_id": client.id,
        "client_secret": client.secret.expose(),
        "audience": AUDIENCE,
    });
    if !scopes.is_empty() {
        body["scope"] = json!(scopes.join(" "));
    }
    post_token(http, &endpoints.token_url, endpoints.token_body, &body).await
}

/// `grant_type=authorization_code`: `redirect_uri` must be byte-identical to
/// the one sent to `/authorize`.
pub async fn exchange_code(
    http: &Http,
    endpoints: &OAuthEndpoints,
    client: &Client,
    code: &Secret,
    redirect_uri: &Url,
    code_verifier: &Secret,
) -> Result<Tokens> {
    let body = json!({
        "grant_type": "authorization_code",
        "client_id": client.id,
        "client_secret": client.secret.expose(),
        "code": code.expose(),
        "redirect_uri": redirect_uri.as_str(),
        "code_verifier": code_verifier.expose(),
    });
    post_token(http, &endpoints.token_url, endpoints.token_body, &body).await
}

/// `grant_type=refresh_token`, with exactly the four documented fields.
// NOTE: no `scope` or `audience` here: extra fields on a rotating refresh
// have been seen to misbehave (airweave-ai/airweave#1038 → #1060).
pub async fn refresh(
    http: &Http,
    endpoints: &OAuthEndpoints,
    client: &Client,
    refresh_token: &Secret,
) -> Result<Tokens> {
    let body = json!({
        "grant_type": "refresh_token",
        "client_id": client.id,
        "client_secret": client.secret.expose(),
        "refresh_token": refresh_token.expose(),
    });
    post_token(http, &endpoints.refresh_url, endpoints.token_body, &body).await
}

async fn post_token(
    http: &Http,
    url: &Url,
    format: TokenBody,
    body: &serde_json::Value,
) -> Result<Tokens> {
    let form = form_body(body);
    let response = http
        .send(url, |c| {
            let request = c
                .post(url.clone())
                .header(reqwest::header::ACCEPT, "application/json");
            match format {
                TokenBody::Json => request.json(body),
                TokenBody::Form => request
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(form.clone()),
            }
        })
        .await?;
    if response.is_success() {
        parse_tokens(&response)
    } else {
        Err(token_error(&response))
    }
}

/// The same fields, form-urlencoded.
fn form_body(body: &serde_json::Value) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    if let Some(fields) = body.as_object() {
        for (key, value) in fields {
            form.append_pair(key, value.as_str().unwrap_or_default());
        }
    }
    form.finish()
}

fn parse_tokens(response: &Response) -> Result<Tokens> {
    let raw: RawTokens = response.json()?;
    let malformed = |detail: &str| Error::UnexpectedResponse {
        url: response.url.clone(),
        status: response.status,
        detail: detail.to_owned(),
    };
    let access_token = raw
        .access_token
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| malformed("a token response without an access_token"))?;
    let expires_in = match raw.expires_in {
        None | Some(serde_json::Value::Null) => DEFAULT_EXPIRES_IN,
        Some(serde_json::Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| malformed("a token response whose expires_in is not a whole number"))?,
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| malformed("a token response whose expires_in is not a number"))?,
        Some(_) => {
            return Err(malformed(
                "a token response whose expires_in is not a number",
            ));
        }
    };
    Ok(Tokens {
        access_token: Secret::new(access_token),
        // NOTE: an empty or missing refresh_token means "keep the old one":
        // Atlassian sometimes omits it on refresh (community thread 54555).
        refresh_token: raw
            .refresh_token
            .filter(|t| !t.trim().is_empty())
            .map(Secret::new),
        expires_in,
        scope: raw.scope,
    })
}

/// Turns a failed token response into the error an admin can act on.
fn token_error(response: &Response) -> Error {
    let url = response.url.clone();
    let body: OAuthError = serde_json::from_slice(&response.body).unwrap_or_default();
    let code = body.error.unwrap_or_default();
    let description = body.error_description.unwrap_or_default();
    match (response.status, code.as_str()) {
        (_, "invalid_grant") => Error::GrantRejected { url, description },
        (401, _) | (_, "access_denied" | "invalid_client" | "unauthorized_client") => {
            Error::ClientRejected {
                url,
                status: response.status,
                code: if code.is_empty() { None } else { Some(code) },
            }
        }
        (429, _) => response.rate_limited(),
        (500..=599, _) => Error::ServerError {
            url,
            status: response.status,
        },
        (400..=499, c) if !c.is_empty() => Error::TokenRequestRejected {
            url,
            status: response.status,
            code: c.to_owned(),
            description,
        },
        (status, _) => Error::UnexpectedResponse {
            url,
            status,
            detail: "an answer that is not an OAuth error".into(),
        },
    }
}

/// The refresh token sent by [`check_client`]; no server ever issued it.
const MADE_UP_REFRESH_TOKEN: &str = "jira-spoke-check-app-not-a-real-refresh-token";

/// Proves a client ID and secret without a browser and without a user.
///
/// It asks the token endpoint to refresh a refresh token that cannot exist.
/// Atlassian's authorization server (built on Auth0) authenticates the client
/// before it looks at the grant, so the answer tells the two apart:
/// `invalid_grant` means the client ID and secret were accepted (and only the
/// made-up token was refused), while `access_denied`/`invalid_client` (HTTP
/// 401) means they were not. No token is issued either way. This is how an app
/// registered with ServiceNow's callback URL, which cannot run the browser
/// flow here, is checked.
pub async fn check_client(http: &Http, endpoints: &OAuthEndpoints, client: &Client) -> Result<()> {
    match refresh(http, endpoints, client, &Secret::new(MADE_UP_REFRESH_TOKEN)).await {
        Err(Error::GrantRejected { .. }) => Ok(()),
        Err(other) => Err(other),
        Ok(_) => Err(Error::UnexpectedResponse {
            url: super::http::safe_url(&endpoints.refresh_url),
            status: 200,
            detail: "tokens for a refresh token that was never issued; this is not a trustworthy OAuth server".into(),
        }),
    }
}

/// A PKCE verifier and its S256 challenge (RFC 7636). Atlassian ignores PKCE
/// at the token step but accepts it; standard servers require it.
#[derive(Debug, Clone)]
pub struct Pkce {
    pub verifier: Secret,
    pub challenge: String,
}

impl Pkce {
    /// A fresh random verifier (43 characters of base64url) and its challenge.
    pub fn new() -> Result<Pkce> {
        use base64::Engine;
        use sha2::Digest;
        let verifier = crate::secret::random_string(32)?;
        let digest = sha2::Sha256::digest(verifier.as_bytes());
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
        Ok(Pkce {
            verifier: Secret::new(verifier),
            challenge,
        })
    }
}

/// The authorize URL for the 3LO consent screen.
pub fn authorize_url(
    authorize: &Url,
    client_id: &str,
    scopes: &[String],
    redirect_uri: &Url,
    state: &str,
    pkce: &Pkce,
) -> Url {
    let mut url = authorize.clone();
    url.query_pairs_mut()
        .append_pair("audience", AUDIENCE)
        .append_pair("client_id", client_id)
        .append_pair("scope", &scopes.join(" "))
        .append_pair("redirect_uri", redirect_uri.as_str())
        .append_pair("state", state)
        .append_pair("response_type", "code")
        .append_pair("prompt", "consent")
        .append_pair("code_challenge", &pkce.challenge)
        .append_pair("code_challenge_method", "S256");
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn response(status: u16, body: &str) -> Response {
        Response {
            url: "https://auth.example/oauth/token".into(),
            status,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn token_responses_keep_missing_refresh_tokens_absent() {
        let t = parse_tokens(&response(
            200,
            r#"{"access_token":"a","expires_in":3600,"scope":"x y"}"#,
        ))
        .unwrap();
        assert_eq!(t.access_token.expose(), "a");
        assert!(t.refresh_token.is_none());
        assert_eq!(t.scope.as_deref(), Some("x y"));
        let t = parse_tokens(&response(200, r#"{"access_token":"a","refresh_token":""}"#)).unwrap();
        assert!(t.refresh_token.is_none());
        assert_eq!(t.expires_in, DEFAULT_EXPIRES_IN);
    }

    #[test]
    fn malformed_token_responses_are_plain_errors() {
        for body in [
            r#"{"expires_in":3600}"#,
            r#"{"access_token":"a","expires_in":"soon"}"#,
            r#"{"access_token":"a","expires_in":-1}"#,
            r#"{"access_token":7}"#,
            "<html>proxy</html>",
        ] {
            let err = parse_tokens(&response(200, body)).unwrap_err();
            assert_eq!(err.kind().exit_code(), 5, "{body}: {err}");
        }
    }

    #[test]
    fn token_errors_are_classified() {
        let e = token_error(&response(
            401,
            r#"{"error":"access_denied","error_description":"Unauthorized"}"#,
        ));
        assert!(matches!(e, Error::ClientRejected { .. }), "{e:?}");
        let e = token_error(&response(
            403,
            r#"{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}"#,
        ));
        assert!(matches!(e, Error::GrantRejected { .. }), "{e:?}");
        assert_eq!(e.kind().exit_code(), 3);
        let e = token_error(&response(400, r#"{"error":"invalid_scope"}"#));
        assert!(matches!(e, Error::TokenRequestRejected { .. }), "{e:?}");
        let e = token_error(&response(502, "<html>bad gateway</html>"));
        assert_eq!(e.kind().exit_code(), 5);
    }

    #[test]
    fn pkce_challenge_is_the_s256_of_the_verifier() {
        use base64::Engine;
        use sha2::Digest;
        let p = Pkce::new().unwrap();
        assert_eq!(p.verifier.expose().len(), 43);
        let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(sha2::Sha256::digest(p.verifier.expose().as_bytes()));
        assert_eq!(p.challenge, expected);
        assert_ne!(Pkce::new().unwrap().challenge, p.challenge);
    }

    #[test]
    fn authorize_url_carries_every_atlassian_parameter() {
        let pkce = Pkce::new().unwrap();
        let url = authorize_url(
            &"https://auth.atlassian.com/authorize".parse().unwrap(),
            "cid",
            &["read:jira-work".into(), "offline_access".into()],
            &"http://localhost:8765/callback".parse().unwrap(),
            "st",
            &pkce,
        );
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["audience"], "api.atlassian.com");
        assert_eq!(q["scope"], "read:jira-work offline_access");
        assert_eq!(q["redirect_uri"], "http://localhost:8765/callback");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["prompt"], "consent");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["state"], "st");
        assert!(
            url.as_str()
                .contains("scope=read%3Ajira-work+offline_access")
                || url
                    .as_str()
                    .contains("scope=read%3Ajira-work%20offline_access")
        );
    }
}
