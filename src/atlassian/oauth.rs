//! The token endpoint: client credentials, authorization code and refresh
//! exchanges, and the PKCE/state values of the authorize step, all built by
//! the `oauth2` crate and sent through [`Http`].
//!
//! `oauth2` owns the protocol: the authorize URL, PKCE S256, the three grant
//! requests and the token response. This module owns what it cannot know:
//! the transport (an async closure over [`Http`], so timeouts, retries,
//! `Retry-After` and the status and body of a failure reach the error
//! hints), the JSON body Atlassian documents (`--token-body json`), and the
//! translation of every failure into an [`Error`] an admin can act on.
//!
//! Wire shapes follow Atlassian's 3LO page
//! (<https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/>):
//! `client_id` and `client_secret` in the body (the secret is required even
//! with PKCE), and Auth0-style `{"error","error_description"}` answers.
//! Requests are form-urlencoded unless the connection says JSON (RFC 6749
//! §4.1.3, §4.4.2, §6; Atlassian accepts both). Token values are opaque:
//! never parsed, never logged.

use std::sync::Mutex;
use std::time::Duration;

use oauth2::basic::{
    BasicClient, BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AccessToken, AsyncHttpClient, AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret,
    CsrfToken, EndpointNotSet, EndpointSet, HttpRequest, HttpResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardRevocableToken,
    TokenResponse, TokenUrl,
};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use url::Url;

use super::endpoints::{OAuthEndpoints, TokenBody};
use crate::error::{Error, Result};
use crate::http::{ErrorContext, Failed, Failure, Http, Response, safe_url};
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

/// `oauth2`'s client with our token response and only the token URL set.
type TokenClient = oauth2::Client<
    BasicErrorResponse,
    TokenAnswer,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// What a token request can end in, as `oauth2` reports it.
type TokenResult = std::result::Result<TokenAnswer, RequestTokenError<Error, BasicErrorResponse>>;

/// `grant_type=client_credentials` (service accounts). Scopes are fixed on
/// the credential at Atlassian; `scopes`, when given, are sent anyway.
pub async fn exchange_client_credentials(
    http: &Http,
    endpoints: &OAuthEndpoints,
    client: &Client,
    scopes: &[String],
) -> Result<Tokens> {
    let transport = Transport::new(http, endpoints.token_body);
    let oauth = token_client(client, &endpoints.token_url);
    let request = oauth
        .exchange_client_credentials()
        .add_scopes(scopes.iter().cloned().map(Scope::new))
        .add_extra_param("audience", AUDIENCE);
    let result = request.request_async(&transport).await;
    match transport.finish(result, &endpoints.token_url) {
        // NOTE: there is no consent in this grant: invalid_grant here means
        // the credential itself (or the grant type) was refused.
        Err(Error::GrantRejected { url, description }) => {
            Err(Error::ClientCredentialsRejected { url, description })
        }
        other => other,
    }
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
    let transport = Transport::new(http, endpoints.token_body);
    let oauth = token_client(client, &endpoints.token_url)
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()));
    let request = oauth
        .exchange_code(AuthorizationCode::new(code.expose().to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(code_verifier.expose().to_owned()));
    let result = request.request_async(&transport).await;
    transport.finish(result, &endpoints.token_url)
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
    let transport = Transport::new(http, endpoints.token_body);
    let oauth = token_client(client, &endpoints.refresh_url);
    let token = RefreshToken::new(refresh_token.expose().to_owned());
    let result = oauth
        .exchange_refresh_token(&token)
        .request_async(&transport)
        .await;
    transport.finish(result, &endpoints.refresh_url)
}

/// The `oauth2` client for one exchange at `token_url`.
///
/// The client authenticates with `client_id` and `client_secret` in the
/// request body (`client_secret_post`), not HTTP Basic: Atlassian documents
/// the body, and Basic at auth.atlassian.com is unconfirmed. RFC 6749 §2.3.1
/// allows the body; a standard server has the client registered for it.
fn token_client(client: &Client, token_url: &Url) -> TokenClient {
    oauth2::Client::new(ClientId::new(client.id.clone()))
        .set_client_secret(ClientSecret::new(client.secret.expose().to_owned()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(token_url.clone()))
}

/// Makes the error of a refused token request: from the answer, its OAuth
/// error code and its description (both "" when absent).
pub type Reject<'a> = dyn Fn(&Response, &str, &str) -> Error + Sync + 'a;

/// What a token request at another OAuth server asks for.
#[derive(Debug, Clone, Copy)]
pub enum TokenGrant<'a> {
    /// `grant_type=client_credentials`.
    ClientCredentials,
    /// `grant_type=authorization_code` with PKCE.
    Code {
        code: &'a Secret,
        redirect_uri: &'a Url,
        verifier: &'a Secret,
    },
    /// `grant_type=refresh_token`.
    Refresh(&'a Secret),
}

/// A token request at `token_url` of another OAuth server (ServiceNow's
/// `oauth_token.do`), form-urlencoded with the client in the body, no
/// Atlassian parameters; `secret` is `None` for a public client. A refused
/// request becomes the error `reject` makes of it, in that server's words.
pub async fn request_tokens(
    http: &Http,
    token_url: &Url,
    client_id: &str,
    secret: Option<&Secret>,
    grant: TokenGrant<'_>,
    reject: &Reject<'_>,
) -> Result<Tokens> {
    let transport = Transport::new(http, TokenBody::Form);
    let mut oauth = oauth2::Client::new(ClientId::new(client_id.to_owned()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(token_url.clone()));
    if let Some(secret) = secret {
        oauth = oauth.set_client_secret(ClientSecret::new(secret.expose().to_owned()));
    }
    let oauth: TokenClient = oauth;
    let result = match grant {
        TokenGrant::ClientCredentials => {
            oauth
                .exchange_client_credentials()
                .request_async(&transport)
                .await
        }
        TokenGrant::Code {
            code,
            redirect_uri,
            verifier,
        } => {
            oauth
                .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()))
                .exchange_code(AuthorizationCode::new(code.expose().to_owned()))
                .set_pkce_verifier(PkceCodeVerifier::new(verifier.expose().to_owned()))
                .request_async(&transport)
                .await
        }
        TokenGrant::Refresh(token) => {
            let token = RefreshToken::new(token.expose().to_owned());
            oauth
                .exchange_refresh_token(&token)
                .request_async(&transport)
                .await
        }
    };
    transport.finish_with(result, token_url, reject)
}

/// The authorize URL of another OAuth server: `response_type=code`, the
/// client, `redirect_uri`, `state` and the PKCE S256 challenge, nothing else.
pub fn plain_authorize_url(
    authorize: &Url,
    client_id: &str,
    redirect_uri: &Url,
    state: &str,
    pkce: &Pkce,
) -> Url {
    let client = BasicClient::new(ClientId::new(client_id.to_owned()))
        .set_auth_uri(AuthUrl::from_url(authorize.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()));
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(
        pkce.verifier.expose().to_owned(),
    ));
    let (url, _) = client
        .authorize_url(|| CsrfToken::new(state.to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    url
}

/// `oauth2`'s HTTP client: sends its requests through [`Http`] and keeps the
/// last answer, whose status and headers decide the error when it fails.
struct Transport<'h> {
    http: &'h Http,
    body: TokenBody,
    last: Mutex<Option<Response>>,
}

// NOTE: implemented by hand, not through oauth2's blanket impl for a
// closure: a closure's future borrows the transport for a lifetime the
// compiler then cannot prove `Send` for every caller, and `verify --all`
// runs token renewals in spawned tasks, which must be `Send`.
impl<'c> AsyncHttpClient<'c> for Transport<'_> {
    type Error = Error;
    type Future = std::pin::Pin<Box<dyn Future<Output = Result<HttpResponse>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

impl<'h> Transport<'h> {
    fn new(http: &'h Http, body: TokenBody) -> Self {
        Transport {
            http,
            body,
            last: Mutex::new(None),
        }
    }

    /// Sends one request `oauth2` built (form-urlencoded), re-encoded as a
    /// JSON object when the connection asks for JSON.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        let (parts, body) = request.into_parts();
        let url = Url::parse(&parts.uri.to_string()).map_err(|e| {
            Error::Internal(format!("oauth2 built a token URL that is not one: {e}"))
        })?;
        let mut headers = parts.headers;
        let body = match self.body {
            TokenBody::Form => body,
            TokenBody::Json => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                form_to_json(&body)
            }
        };
        let response = self
            .http
            .send(&url, |c| {
                c.request(parts.method.clone(), url.clone())
                    .headers(headers.clone())
                    .body(body.clone())
            })
            .await?;
        let mut answer = oauth2::http::Response::builder().status(response.status);
        if let Some(h) = answer.headers_mut() {
            *h = response.headers.clone();
        }
        let answer = answer
            .body(response.body.clone())
            .map_err(|e| Error::Internal(format!("cannot hand the token answer to oauth2: {e}")))?;
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(response);
        Ok(answer)
    }

    /// Turns what `oauth2` made of the exchange into [`Tokens`] or an [`Error`].
    fn finish(self, result: TokenResult, token_url: &Url) -> Result<Tokens> {
        self.finish_with(result, token_url, &rejected)
    }

    /// [`Transport::finish`], with `reject` making the error of a refused
    /// request from its answer, OAuth error code and description.
    fn finish_with(
        self,
        result: TokenResult,
        token_url: &Url,
        reject: &Reject<'_>,
    ) -> Result<Tokens> {
        let last = self.last.into_inner().unwrap_or_else(|p| p.into_inner());
        let failure = match result {
            Ok(answer) => return answer.into_tokens(safe_url(token_url)),
            Err(RequestTokenError::Request(e)) => return Err(e),
            Err(failure) => failure,
        };
        let Some(response) = last else {
            return Err(Error::Internal(format!(
                "the token request to {} could not be made: {failure}",
                safe_url(token_url)
            )));
        };
        Err(match failure {
            // NOTE: oauth2 takes only 200 as success; any other status is an
            // error answer, in OAuth's shape (ServerResponse) or not.
            _ if response.status == 200 => Error::UnexpectedResponse {
                url: response.url.clone(),
                status: 200,
                detail: describe_answer(&response),
            },
            RequestTokenError::ServerResponse(e) => reject(
                &response,
                e.error().as_ref(),
                e.error_description().map_or("", String::as_str),
            ),
            _ => reject(&response, "", ""),
        })
    }
}

/// The fields of a form-urlencoded body as one JSON object of strings.
fn form_to_json(form: &[u8]) -> Vec<u8> {
    let fields: serde_json::Map<String, Value> = url::form_urlencoded::parse(form)
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect();
    Value::Object(fields).to_string().into_bytes()
}

/// A token response as `oauth2` parses it: lenient where real servers
/// differ, strict in [`TokenAnswer::into_tokens`], which can say what is wrong.
#[derive(Debug, Deserialize, Serialize)]
struct TokenAnswer {
    access_token: AccessToken,
    // NOTE: Atlassian's docs leave `token_type` out of the response (it does
    // send "Bearer"); a missing one means Bearer rather than a failure.
    #[serde(default = "bearer", deserialize_with = "token_type")]
    token_type: BasicTokenType,
    /// Seconds, as a number or (seen in the wild) a numeric string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_in: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<RefreshToken>,
    #[serde(
        rename = "scope",
        default,
        deserialize_with = "oauth2::helpers::deserialize_space_delimited_vec",
        serialize_with = "oauth2::helpers::serialize_space_delimited_vec",
        skip_serializing_if = "Option::is_none"
    )]
    scopes: Option<Vec<Scope>>,
}

fn bearer() -> BasicTokenType {
    BasicTokenType::Bearer
}

/// `token_type`, case-insensitive (`Bearer` is `bearer`); `null` is Bearer.
fn token_type<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<BasicTokenType, D::Error> {
    Ok(match Option::<String>::deserialize(d)? {
        None => BasicTokenType::Bearer,
        Some(t) => match t.to_ascii_lowercase().as_str() {
            "bearer" => BasicTokenType::Bearer,
            "mac" => BasicTokenType::Mac,
            other => BasicTokenType::Extension(other.to_owned()),
        },
    })
}

impl TokenResponse for TokenAnswer {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }
    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }
    fn expires_in(&self) -> Option<Duration> {
        expires_in_secs(self.expires_in.as_ref())
            .ok()
            .map(Duration::from_secs)
    }
    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }
    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.scopes.as_ref()
    }
}

impl TokenAnswer {
    /// The tokens, or why this answer from `url` (HTTP 200) is not usable.
    fn into_tokens(self, url: String) -> Result<Tokens> {
        let malformed = |detail: &str| Error::UnexpectedResponse {
            url: url.clone(),
            status: 200,
            detail: detail.to_owned(),
        };
        if self.access_token.secret().trim().is_empty() {
            return Err(malformed(NO_ACCESS_TOKEN));
        }
        let expires_in = expires_in_secs(self.expires_in.as_ref()).map_err(malformed)?;
        Ok(Tokens {
            access_token: Secret::new(self.access_token.secret()),
            // NOTE: an empty or missing refresh_token means "keep the old one":
            // Atlassian sometimes omits it on refresh (community thread 54555).
            refresh_token: self
                .refresh_token
                .filter(|t| !t.secret().trim().is_empty())
                .map(|t| Secret::new(t.secret())),
            expires_in,
            scope: self.scopes.map(|s| {
                s.iter()
                    .map(|scope| scope.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            }),
        })
    }
}

const NO_ACCESS_TOKEN: &str = "a token response without an access_token";

/// `expires_in` in seconds; absent means Atlassian's one hour.
fn expires_in_secs(value: Option<&Value>) -> std::result::Result<u64, &'static str> {
    match value {
        None | Some(Value::Null) => Ok(DEFAULT_EXPIRES_IN),
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or("a token response whose expires_in is not a whole number"),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| "a token response whose expires_in is not a number"),
        Some(_) => Err("a token response whose expires_in is not a number"),
    }
}

/// Says what is wrong with an HTTP 200 answer `oauth2` could not read as
/// tokens, without repeating any value from it.
fn describe_answer(response: &Response) -> String {
    let value: Value = match serde_json::from_slice(&response.body) {
        Ok(value) => value,
        Err(e) => return response.describe_body(&e),
    };
    let Some(fields) = value.as_object() else {
        return "JSON of an unexpected shape (not an object)".to_owned();
    };
    match fields.get("access_token") {
        None | Some(Value::Null) => return NO_ACCESS_TOKEN.to_owned(),
        Some(Value::String(t)) if t.trim().is_empty() => return NO_ACCESS_TOKEN.to_owned(),
        Some(Value::String(_)) => {}
        Some(_) => return "JSON of an unexpected shape (access_token is not a string)".to_owned(),
    }
    for field in ["refresh_token", "token_type", "scope"] {
        if fields
            .get(field)
            .is_some_and(|v| !v.is_string() && !v.is_null())
        {
            return format!("JSON of an unexpected shape ({field} is not a string)");
        }
    }
    if let Err(detail) = expires_in_secs(fields.get("expires_in")) {
        return detail.to_owned();
    }
    match response
        .headers
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or("?"))
    {
        Some(ct) if !ct.to_ascii_lowercase().starts_with("application/json") => {
            format!("a token response labelled `{ct}` instead of application/json")
        }
        _ => "a token response jira-spoke cannot read".to_owned(),
    }
}

/// Turns a failed token response (any status but 200) into the error an
/// admin can act on; `code` and `description` are its OAuth error, if any.
fn rejected(response: &Response, code: &str, description: &str) -> Error {
    response.error(&TokenFailure { code, description })
}

/// The OAuth error of a failed token response (RFC 6749 §5.2), as `oauth2`
/// read it: what the token endpoint adds to the shared status mapping.
struct TokenFailure<'a> {
    code: &'a str,
    description: &'a str,
}

// NOTE: no `message`: `error_description` is kept as the server sent it
// (the printer makes it inert; `--json` keeps the text itself).
impl ErrorContext for TokenFailure<'_> {
    fn error(&self, failed: &Failed<'_>) -> Option<Error> {
        let url = failed.url();
        let code = self.code;
        // NOTE: the OAuth error code decides before the status: Atlassian
        // answers invalid_grant with 403 and a wrong client with 401 access_denied.
        match (failed.failure, code) {
            (_, "invalid_grant") => Some(Error::GrantRejected {
                url,
                description: self.description.to_owned(),
            }),
            (Failure::Unauthorized, _)
            | (_, "access_denied" | "invalid_client" | "unauthorized_client") => {
                Some(Error::ClientRejected {
                    url,
                    status: failed.status(),
                    code: Some(code.to_owned()).filter(|c| !c.is_empty()),
                })
            }
            (Failure::ServerError, _) => None,
            (Failure::Forbidden | Failure::NotFound | Failure::Rejected, c) if !c.is_empty() => {
                Some(Error::TokenRequestRejected {
                    url,
                    status: failed.status(),
                    code: c.to_owned(),
                    description: self.description.to_owned(),
                })
            }
            _ => Some(Error::UnexpectedResponse {
                url,
                status: failed.status(),
                detail: "an answer that is not an OAuth error".into(),
            }),
        }
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
            url: safe_url(&endpoints.refresh_url),
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
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        Ok(Pkce {
            verifier: Secret::new(verifier.secret()),
            challenge: challenge.as_str().to_owned(),
        })
    }
}

/// The authorize URL for the 3LO consent screen, with `state`, the PKCE S256
/// challenge of `pkce`'s verifier, and Atlassian's `audience` and
/// `prompt=consent` (without which no refresh token is offered again).
pub fn authorize_url(
    authorize: &Url,
    client_id: &str,
    scopes: &[String],
    redirect_uri: &Url,
    state: &str,
    pkce: &Pkce,
) -> Url {
    let client = BasicClient::new(ClientId::new(client_id.to_owned()))
        .set_auth_uri(AuthUrl::from_url(authorize.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()));
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(
        pkce.verifier.expose().to_owned(),
    ));
    let (url, _) = client
        .authorize_url(|| CsrfToken::new(state.to_owned()))
        .set_pkce_challenge(challenge)
        .add_scopes(scopes.iter().cloned().map(Scope::new))
        .add_extra_param("audience", AUDIENCE)
        .add_extra_param("prompt", "consent")
        .url();
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn response(status: u16, body: &str) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Response {
            url: "https://auth.example/oauth/token".into(),
            status,
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    fn parse(body: &str) -> Result<Tokens> {
        match serde_json::from_str::<TokenAnswer>(body) {
            Ok(answer) => answer.into_tokens("https://auth.example/oauth/token".into()),
            Err(_) => Err(Error::UnexpectedResponse {
                url: "https://auth.example/oauth/token".into(),
                status: 200,
                detail: describe_answer(&response(200, body)),
            }),
        }
    }

    #[test]
    fn token_responses_keep_missing_refresh_tokens_absent() {
        let t = parse(r#"{"access_token":"a","expires_in":3600,"scope":"x y"}"#).unwrap();
        assert_eq!(t.access_token.expose(), "a");
        assert!(t.refresh_token.is_none());
        assert_eq!(t.scope.as_deref(), Some("x y"));
        let t = parse(r#"{"access_token":"a","refresh_token":""}"#).unwrap();
        assert!(t.refresh_token.is_none());
        assert_eq!(t.expires_in, DEFAULT_EXPIRES_IN);
    }

    #[test]
    fn token_type_may_be_missing_or_in_any_case() {
        for body in [
            r#"{"access_token":"a"}"#,
            r#"{"access_token":"a","token_type":"Bearer"}"#,
            r#"{"access_token":"a","token_type":"BEARER","expires_in":"60"}"#,
            r#"{"access_token":"a","token_type":null}"#,
        ] {
            let answer: TokenAnswer = serde_json::from_str(body).expect(body);
            assert_eq!(answer.token_type, BasicTokenType::Bearer, "{body}");
            assert!(answer.into_tokens("u".into()).is_ok(), "{body}");
        }
    }

    #[test]
    fn malformed_token_responses_are_unexpected_answers_not_network_failures() {
        for (body, says) in [
            (r#"{"expires_in":3600}"#, "without an access_token"),
            (r#"{"access_token":"  "}"#, "without an access_token"),
            (
                r#"{"access_token":"a","expires_in":"soon"}"#,
                "not a number",
            ),
            (
                r#"{"access_token":"a","expires_in":-1}"#,
                "not a whole number",
            ),
            (r#"{"access_token":7}"#, "access_token is not a string"),
            (r#"[1]"#, "not an object"),
            ("<html>proxy</html>", "an HTML page"),
            (r#"{"access_token":"#, "not JSON"),
        ] {
            let err = parse(body).unwrap_err();
            assert!(
                matches!(err, Error::UnexpectedResponse { status: 200, .. }),
                "{body}: {err:?}"
            );
            assert_eq!(err.kind().exit_code(), 5, "{body}: {err}");
            let text = err.to_string();
            assert!(text.contains(says), "{body}: {text}");
            assert!(
                text.contains("auth.example/oauth/token answered HTTP 200"),
                "{text}"
            );
            assert!(!text.contains("could not reach"), "{text}");
        }
    }

    #[test]
    fn a_token_answer_labelled_as_text_says_so() {
        let mut r = response(200, r#"{"access_token":"a","expires_in":3600}"#);
        r.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        let detail = describe_answer(&r);
        assert!(
            detail.contains("`text/plain` instead of application/json"),
            "{detail}"
        );
        assert!(!detail.contains("\"a\""), "{detail}");
    }

    #[test]
    fn token_errors_are_classified() {
        let e = rejected(&response(401, ""), "access_denied", "Unauthorized");
        assert!(matches!(e, Error::ClientRejected { .. }), "{e:?}");
        let e = rejected(
            &response(403, ""),
            "invalid_grant",
            "Unknown or invalid refresh token.",
        );
        assert!(matches!(e, Error::GrantRejected { .. }), "{e:?}");
        assert_eq!(e.kind().exit_code(), 3);
        let e = rejected(&response(400, ""), "invalid_scope", "");
        assert!(matches!(e, Error::TokenRequestRejected { .. }), "{e:?}");
        let e = rejected(&response(502, "<html>bad gateway</html>"), "", "");
        assert_eq!(e.kind().exit_code(), 5);
        let e = rejected(&response(403, "<html>no</html>"), "", "");
        assert!(
            matches!(e, Error::UnexpectedResponse { status: 403, .. }),
            "{e:?}"
        );
    }

    #[test]
    fn json_bodies_carry_the_same_fields_as_the_form() {
        let json = form_to_json(b"grant_type=refresh_token&refresh_token=a%2Bb%20c&client_id=x");
        let value: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"grant_type": "refresh_token", "refresh_token": "a+b c", "client_id": "x"})
        );
    }

    #[test]
    fn pkce_verifiers_are_fresh_and_43_characters() {
        let p = Pkce::new().unwrap();
        assert_eq!(p.verifier.expose().len(), 43);
        assert_eq!(p.challenge.len(), 43);
        assert_ne!(p.challenge, p.verifier.expose());
        assert_ne!(Pkce::new().unwrap().challenge, p.challenge);
    }

    #[test]
    fn authorize_url_carries_every_atlassian_parameter() {
        // RFC 7636, Appendix B: this verifier's S256 challenge.
        let pkce = Pkce {
            verifier: Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
        };
        let url = authorize_url(
            &"https://auth.atlassian.com/authorize".parse().unwrap(),
            "cid",
            &["read:jira-work".into(), "offline_access".into()],
            &"http://localhost:8765/callback".parse().unwrap(),
            "st",
            &pkce,
        );
        assert!(
            url.as_str()
                .starts_with("https://auth.atlassian.com/authorize?")
        );
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["audience"], "api.atlassian.com");
        assert_eq!(q["client_id"], "cid");
        assert_eq!(q["scope"], "read:jira-work offline_access");
        assert_eq!(q["redirect_uri"], "http://localhost:8765/callback");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["prompt"], "consent");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["code_challenge"], pkce.challenge);
        assert_eq!(q["state"], "st");
    }
}
