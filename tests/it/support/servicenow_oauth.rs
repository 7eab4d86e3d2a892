//! Signing in to the fake ServiceNow instance, as real instances allow it
//! since the Australia release: basic auth (refused under "Basic Auth
//! Restriction" or answered with an MFA challenge when a test turns those
//! on) and the instance's own OAuth server.
//!
//! | route | behaviour |
//! | --- | --- |
//! | `POST /oauth_token.do` | form body only; `client_credentials` for a registered client with an OAuth application user, only while `client_credentials_enabled` (the system property; else 400 `unsupported_grant_type`), `access_denied` without an application user; `password`; `refresh_token` (a new access token, the refresh token kept); `authorization_code` with the PKCE verifier and the same `redirect_uri`; a wrong client or secret is 401 `invalid_client`; tokens are random and recorded |
//! | `GET /oauth_auth.do` | the browser sign-in of a signed-in admin: `response_type=code`, a known `client_id`, a `redirect_uri` equal to the client's Redirect URL (400 page otherwise), `state`, and a PKCE S256 challenge (required); redirects (302) to the redirect URI with `code` and `state` |
//!
//! Table API requests carry `Authorization: Basic …` or `Bearer …`; a bearer
//! token must be one this server issued and has not been told to forget.

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::json;

use super::serve::{RecordedRequest, Response, respond, set_header};
use super::servicenow_fake::SnState;

/// An inbound OAuth client registered on the fake instance.
#[derive(Debug, Clone)]
pub(crate) struct SnClient {
    pub id: String,
    /// `None`: a public client (PKCE only).
    pub secret: Option<String>,
    /// Its Redirect URL, for the browser sign-in.
    pub redirect_url: String,
    /// The OAuth application user its client-credentials tokens act as.
    pub app_user: Option<String>,
}

/// Tokens the fake issued: value → the user they act as.
#[derive(Debug, Default)]
pub(crate) struct Issued {
    pub access: BTreeMap<String, String>,
    pub refresh: BTreeMap<String, (String, String)>,
    /// Codes of the browser sign-in: code → (client, redirect URI, challenge).
    pub codes: BTreeMap<String, (String, String, String)>,
    counter: u64,
}

impl Issued {
    /// A new access token acting as `user`.
    pub(crate) fn issue_access(&mut self, user: &str) -> String {
        let token = self.token("sn-at");
        self.access.insert(token.clone(), user.to_owned());
        token
    }

    fn token(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let noise: u64 = rand_u64();
        format!("{prefix}-{}-{noise:016x}", self.counter)
    }
}

fn rand_u64() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    u64::from_le_bytes(bytes)
}

fn oauth_error(status: u16, code: &str, description: &str) -> Response {
    respond(
        status,
        Some("application/json"),
        json!({"error": code, "error_description": description}).to_string(),
    )
}

fn table_error(status: u16, message: &str, detail: &str) -> Response {
    respond(
        status,
        Some("application/json"),
        json!({"error": {"message": message, "detail": detail}, "status": "failure"}).to_string(),
    )
}

/// Who a Table API request acts as, or the 401 a real instance answers.
pub(crate) fn authenticate(
    state: &SnState,
    req: &RecordedRequest,
) -> Result<String, Box<Response>> {
    let auth = req.header("authorization").unwrap_or_default();
    if let Some(token) = auth.strip_prefix("Bearer ") {
        return state.issued.access.get(token).cloned().ok_or_else(|| {
            Box::new(table_error(
                401,
                "User Not Authenticated",
                "Invalid or expired OAuth token",
            ))
        });
    }
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", state.user, state.password))
    );
    if auth != expected {
        return Err(Box::new(table_error(
            401,
            "User Not Authenticated",
            "Required to provide Auth information",
        )));
    }
    if state.mfa {
        let mut response = table_error(
            401,
            "User Not Authenticated",
            "Multi-factor authentication is required",
        );
        set_header(&mut response, "X-MFA_TOKEN", "required");
        return Err(Box::new(response));
    }
    if state.basic_auth_restricted {
        return Err(Box::new(table_error(
            401,
            "User Not Authenticated",
            "Basic authentication is restricted for interactive users",
        )));
    }
    Ok(state.user.clone())
}

/// `POST /oauth_token.do`.
pub(crate) fn token(state: &mut SnState, req: &RecordedRequest) -> Response {
    if req.method != "POST" || req.content_type() != Some("application/x-www-form-urlencoded") {
        return oauth_error(400, "invalid_request", "a form POST is required");
    }
    let form = req.params().unwrap_or_default();
    let p = |k: &str| form.get(k).cloned().unwrap_or_default();
    let client = state
        .oauth_clients
        .iter()
        .find(|c| c.id == p("client_id"))
        .cloned();
    let Some(client) = client else {
        return oauth_error(401, "invalid_client", "Client authentication failed");
    };
    let secret_ok = match &client.secret {
        Some(secret) => form.get("client_secret") == Some(secret),
        None => !form.contains_key("client_secret"),
    };
    if !secret_ok {
        return oauth_error(401, "invalid_client", "Client authentication failed");
    }
    let user = match p("grant_type").as_str() {
        "client_credentials" => {
            if !state.client_credentials_enabled {
                return oauth_error(
                    400,
                    "unsupported_grant_type",
                    "The grant type is not enabled on this instance",
                );
            }
            match &client.app_user {
                Some(user) => user.clone(),
                None => return oauth_error(401, "access_denied", "No OAuth application user"),
            }
        }
        "password" => {
            if p("username") != state.user || p("password") != state.password {
                return oauth_error(401, "access_denied", "Invalid user credentials");
            }
            state.user.clone()
        }
        "refresh_token" => match state.issued.refresh.get(&p("refresh_token")) {
            Some((owner, user)) if *owner == client.id => {
                let user = user.clone();
                let access = state.issued.token("sn-at");
                state.issued.access.insert(access.clone(), user);
                return tokens(&access, Some(&p("refresh_token")));
            }
            _ => return oauth_error(401, "invalid_grant", "Invalid refresh token"),
        },
        "authorization_code" => {
            let Some((owner, redirect, challenge)) = state.issued.codes.remove(&p("code")) else {
                return oauth_error(400, "invalid_grant", "Invalid authorization code");
            };
            let verified = pkce_challenge(&p("code_verifier")) == challenge;
            if owner != client.id || redirect != p("redirect_uri") || !verified {
                return oauth_error(400, "invalid_grant", "The code does not match the request");
            }
            state.user.clone()
        }
        _ => return oauth_error(400, "unsupported_grant_type", "Unknown grant type"),
    };
    let access = state.issued.token("sn-at");
    state.issued.access.insert(access.clone(), user.clone());
    let refresh = (p("grant_type") != "client_credentials").then(|| {
        let refresh = state.issued.token("sn-rt");
        state
            .issued
            .refresh
            .insert(refresh.clone(), (client.id.clone(), user));
        refresh
    });
    tokens(&access, refresh.as_deref())
}

fn tokens(access: &str, refresh: Option<&str>) -> Response {
    let mut body = json!({
        "access_token": access,
        "scope": "useraccount",
        "token_type": "Bearer",
        "expires_in": 1799,
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    respond(200, Some("application/json"), body.to_string())
}

/// `base64url(sha256(verifier))`, without padding.
fn pkce_challenge(verifier: &str) -> String {
    let verifier = oauth2::PkceCodeVerifier::new(verifier.to_owned());
    oauth2::PkceCodeChallenge::from_code_verifier_sha256(&verifier)
        .as_str()
        .to_owned()
}

/// `GET /oauth_auth.do`: an admin already signed in (SSO and MFA done in
/// the browser) approves at once.
pub(crate) fn authorize(state: &mut SnState, req: &RecordedRequest) -> Response {
    let params: BTreeMap<String, String> = req
        .query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let p = |k: &str| params.get(k).cloned().unwrap_or_default();
    let page = |text: &str| {
        respond(
            400,
            Some("text/html"),
            format!("<!DOCTYPE html><html><body>{text}</body></html>"),
        )
    };
    let Some(client) = state.oauth_clients.iter().find(|c| c.id == p("client_id")) else {
        return page("Invalid client_id");
    };
    if p("response_type") != "code" || p("redirect_uri") != client.redirect_url {
        return page("The redirect URL does not match the OAuth client's Redirect URL");
    }
    if p("code_challenge").is_empty() || p("code_challenge_method") != "S256" {
        return page("PKCE is required");
    }
    let code = state.issued.token("sn-code");
    state.issued.codes.insert(
        code.clone(),
        (client.id.clone(), p("redirect_uri"), p("code_challenge")),
    );
    let mut location = url::Url::parse(&p("redirect_uri")).unwrap();
    location
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &p("state"));
    let mut response = respond(302, None, "");
    set_header(&mut response, "location", location.as_str());
    response
}
