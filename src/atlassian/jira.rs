//! Probe calls to Jira's REST API — `myself` and `serverInfo` — and what a
//! failure means in Jira's terms: [`crate::http`] maps the status; this module
//! adds Jira's error body, which credential was refused, and what a 404 says.
//!
//! Validation always uses `/myself`, never a search: an unauthenticated search
//! answers 200 with no results. A missing OAuth scope is a bare
//! `401 "Unauthorized; scope does not match"`, which is translated here.

use base64::Engine;
use serde::{Deserialize, Serialize};
use url::Url;

use super::endpoints::join;
use crate::error::{Error, Result};
use crate::http::{ErrorContext, Failed, Failure, Http, Response, safe_url};
use crate::secret::Secret;

/// How a request to Jira authenticates.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Auth<'a> {
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
pub(crate) struct ServerInfo {
    /// The site URL, e.g. `https://acme.atlassian.net`.
    pub base_url: String,
    /// Always `Cloud` for Jira Cloud; may be missing in old examples.
    #[serde(default)]
    pub deployment_type: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
}

/// `GET <base>/rest/api/<version>/myself`.
pub(crate) async fn fetch_myself(
    http: &Http,
    base: &Url,
    api_version: u8,
    auth: Auth<'_>,
) -> Result<Myself> {
    let response = get(http, base, api_version, "myself", auth).await?;
    response.json()
}

/// `GET <base>/rest/api/<version>/serverInfo`.
pub(crate) async fn fetch_server_info(
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
    response.into_result(&JiraCall { base, auth })
}

/// A request to Jira at `base`, for the errors of a failed one.
struct JiraCall<'a> {
    base: &'a Url,
    auth: Auth<'a>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct JiraError {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    error_messages: Vec<String>,
}

impl ErrorContext for JiraCall<'_> {
    fn credential(&self) -> &'static str {
        self.auth.what()
    }

    /// `message`, else the first of `errorMessages`.
    fn message(&self, response: &Response) -> Option<String> {
        let body: JiraError = serde_json::from_slice(&response.body).unwrap_or_default();
        body.message
            .or_else(|| body.error_messages.into_iter().next())
    }

    fn error(&self, failed: &Failed<'_>) -> Option<Error> {
        match failed.failure {
            Failure::Unauthorized => Some(Error::JiraUnauthorized {
                url: failed.url(),
                what: self.auth.what(),
                scope_mismatch: failed
                    .message
                    .to_ascii_lowercase()
                    .contains("scope does not match"),
            }),
            // NOTE: behind the gateway a 404 means no site has that Cloud ID;
            // at a site URL, that the site does not exist.
            Failure::NotFound => Some(match gateway_cloud_id(self.base) {
                Some(cloud_id) => Error::CloudIdNotFound {
                    cloud_id,
                    url: safe_url(self.base),
                },
                None => Error::UnknownSite {
                    site: safe_url(self.base),
                },
            }),
            _ => None,
        }
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

    fn status_error(response: &Response, base: &Url, auth: Auth<'_>) -> Error {
        response.error(&JiraCall { base, auth })
    }

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
    fn jira_words_ride_on_the_shared_mapping() {
        let site: Url = "https://acme.atlassian.net".parse().unwrap();
        let token = Secret::new("t");
        let basic = Auth::Basic {
            email: "a@b.c",
            token: &token,
        };
        let e = status_error(&response(401, "{}"), &site, basic);
        assert!(
            matches!(
                e,
                Error::JiraUnauthorized {
                    what: "API token",
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.hint().unwrap().contains("id.atlassian.com"), "{e}");
        let e = status_error(
            &response(403, r#"{"errorMessages":["You do not\nhave permission"]}"#),
            &site,
            basic,
        );
        assert!(
            e.to_string()
                .ends_with("(HTTP 403 from https://api.example/ex/jira/x/rest/api/3/myself): You do not have permission"),
            "{e}"
        );
        let e = status_error(&response(404, "{}"), &site, basic);
        assert!(matches!(e, Error::UnknownSite { .. }), "{e:?}");
        assert_eq!(e.kind().exit_code(), 4);
        let e = status_error(&response(400, r#"{"message":"Bad JQL"}"#), &site, basic);
        assert!(e.to_string().ends_with("HTTP 400 with Bad JQL"), "{e}");
        assert_eq!(e.kind().exit_code(), 5);
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
