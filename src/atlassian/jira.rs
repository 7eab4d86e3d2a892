//! Probe calls to Jira's REST API — `myself` and `serverInfo` — with the HTTP
//! status turned into a typed error.
//!
//! Validation always uses `/myself`, never a search: an unauthenticated search
//! answers 200 with no results. A missing OAuth scope is a bare
//! `401 "Unauthorized; scope does not match"`, which is translated here.

use base64::Engine;
use serde::{Deserialize, Serialize};
use url::Url;

use super::endpoints::join;
use super::http::{Http, Response};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// How a request to Jira authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// An OAuth access token, through the API gateway.
    Bearer(&'a Secret),
    /// An Atlassian account's e-mail and API token, against the site.
    Basic { email: &'a str, token: &'a Secret },
}

impl Auth<'_> {
    fn header(&self) -> String {
        match self {
            Auth::Bearer(token) => format!("Bearer {}", token.expose()),
            Auth::Basic { email, token } => {
                let pair = format!("{email}:{}", token.expose());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            }
        }
    }

    fn what(&self) -> &'static str {
        match self {
            Auth::Bearer(_) => "access token",
            Auth::Basic { .. } => "API token",
        }
    }
}

/// Who the credential acts as (`GET /rest/api/<v>/myself`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Myself {
    /// Opaque account ID (not a UUID: `5b10a2844c20165700ede21g` is valid).
    #[serde(default)]
    pub account_id: String,
    /// `atlassian` (a person), `app` (a service account or app), `customer`.
    #[serde(default)]
    pub account_type: Option<String>,
    /// The name shown in Jira.
    #[serde(default)]
    pub display_name: Option<String>,
    /// May be absent or null under the user's privacy settings.
    #[serde(default)]
    pub email_address: Option<String>,
}

/// What the site says of itself (`GET /rest/api/<v>/serverInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerInfo {
    /// The site URL, e.g. `https://acme.atlassian.net`.
    pub base_url: String,
    /// Always `Cloud` for Jira Cloud; may be missing in old examples.
    #[serde(default)]
    pub deployment_type: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
}

/// `GET <base>/rest/api/<version>/myself`.
pub async fn fetch_myself(
    http: &Http,
    base: &Url,
    api_version: u8,
    auth: Auth<'_>,
) -> Result<Myself> {
    let response = get(http, base, api_version, "myself", auth).await?;
    response.json()
}

/// `GET <base>/rest/api/<version>/serverInfo`.
pub async fn fetch_server_info(
    http: &Http,
    base: &Url,
    api_version: u8,
    auth: Auth<'_>,
) -> Result<ServerInfo> {
    let response = get(http, base, api_version, "serverInfo", auth).await?;
    response.json()
}

async fn get(
    http: &Http,
    base: &Url,
    api_version: u8,
    resource: &str,
    auth: Auth<'_>,
) -> Result<Response> {
    let url = join(base, &format!("rest/api/{api_version}/{resource}"));
    let header = auth.header();
    let response = http
        .send(&url, |c| {
            c.get(url.clone())
                .header(reqwest::header::AUTHORIZATION, &header)
                .header(reqwest::header::ACCEPT, "application/json")
        })
        .await?;
    if response.is_success() {
        Ok(response)
    } else {
        Err(status_error(&response, base, auth))
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct JiraError {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    error_messages: Vec<String>,
}

fn status_error(response: &Response, base: &Url, auth: Auth<'_>) -> Error {
    let body: JiraError = serde_json::from_slice(&response.body).unwrap_or_default();
    let message = body
        .message
        .or_else(|| body.error_messages.into_iter().next());
    let url = response.url.clone();
    tracing::debug!(
        "{url} answered HTTP {}: {}",
        response.status,
        message.as_deref().unwrap_or("no error message")
    );
    match response.status {
        401 => Error::JiraUnauthorized {
            url,
            what: auth.what(),
            scope_mismatch: message
                .as_deref()
                .is_some_and(|m| m.to_ascii_lowercase().contains("scope does not match")),
        },
        403 => Error::JiraForbidden { url, message },
        404 => match gateway_cloud_id(base) {
            Some(cloud_id) => Error::CloudIdNotFound {
                cloud_id,
                url: super::http::safe_url(base),
            },
            None => Error::UnknownSite {
                site: super::http::safe_url(base),
            },
        },
        429 => response.rate_limited(),
        500..=599 => Error::ServerError {
            url,
            status: response.status,
        },
        status => Error::UnexpectedResponse {
            url,
            status,
            detail: message.unwrap_or_else(|| "an unexpected status".into()),
        },
    }
}

/// The Cloud ID in a gateway URL `…/ex/jira/<cloud-id>`, if it is one.
fn gateway_cloud_id(base: &Url) -> Option<String> {
    let segments: Vec<&str> = base.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [.., "ex", "jira", id] => Some((*id).to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn response(status: u16, body: &str) -> Response {
        Response {
            url: "https://api.example/ex/jira/x/rest/api/3/myself".into(),
            status,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn scope_mismatch_is_recognised_in_a_bare_401() {
        let base: Url = "https://api.atlassian.com/ex/jira/abc".parse().unwrap();
        let token = Secret::new("t");
        let e = status_error(
            &response(
                401,
                r#"{"code":401,"message":"Unauthorized; scope does not match"}"#,
            ),
            &base,
            Auth::Bearer(&token),
        );
        assert!(
            matches!(
                e,
                Error::JiraUnauthorized {
                    scope_mismatch: true,
                    ..
                }
            ),
            "{e:?}"
        );
        let e = status_error(
            &response(401, r#"{"code":401,"message":"Unauthorized"}"#),
            &base,
            Auth::Bearer(&token),
        );
        assert!(
            matches!(
                e,
                Error::JiraUnauthorized {
                    scope_mismatch: false,
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn a_404_behind_the_gateway_means_a_wrong_cloud_id() {
        let base: Url = "https://api.atlassian.com/ex/jira/abc".parse().unwrap();
        let token = Secret::new("t");
        let e = status_error(&response(404, "{}"), &base, Auth::Bearer(&token));
        assert!(
            matches!(e, Error::CloudIdNotFound { ref cloud_id, .. } if cloud_id == "abc"),
            "{e:?}"
        );
        assert!(e.hint().unwrap().contains("organization ID"));
    }

    #[test]
    fn basic_auth_header_is_standard_base64() {
        let token = Secret::new("tok");
        let h = Auth::Basic {
            email: "a@b.c",
            token: &token,
        }
        .header();
        assert_eq!(h, "Basic YUBiLmM6dG9r");
    }

    #[test]
    fn myself_parses_the_spec_example_and_tolerates_null_email() {
        let m: Myself = serde_json::from_str(
            r#"{"accountId":"5b10a2844c20165700ede21g","accountType":"atlassian","emailAddress":null,"displayName":"Mia Krystof","active":true}"#,
        )
        .unwrap();
        assert_eq!(m.display_name.as_deref(), Some("Mia Krystof"));
        assert_eq!(m.email_address, None);
    }
}
