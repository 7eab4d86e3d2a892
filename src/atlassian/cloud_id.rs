//! Cloud ID discovery: `GET <site>/_edge/tenant_info`, which needs no credentials.
//!
//! See <https://support.atlassian.com/jira/kb/retrieve-my-atlassian-sites-cloud-id>.
//! The answer is `{"cloudId":"…"}`; unknown fields are ignored. A site that does
//! not exist answers 404 (or, at some hosts, a redirect to a landing page).

use serde::Deserialize;
use url::Url;

use super::endpoints::join;
use super::site::{CloudId, SiteInput};
use crate::error::{Error, Result};
use crate::http::{ErrorContext, Failed, Failure, Http, safe_url};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TenantInfo {
    cloud_id: Option<String>,
}

/// Resolves a parsed site input to its Cloud ID: offline for a bare ID or an
/// admin URL, with one unauthenticated request for a site.
pub(crate) async fn resolve(http: &Http, input: &SiteInput) -> Result<CloudId> {
    match input {
        SiteInput::CloudId(id) => Ok(id.clone()),
        SiteInput::Site(site) => fetch_tenant_info(http, site).await,
    }
}

/// Asks a site for its Cloud ID.
pub(crate) async fn fetch_tenant_info(http: &Http, site: &Url) -> Result<CloudId> {
    let url = join(site, "_edge/tenant_info");
    let shown_site = safe_url(site);
    let response = http
        .send(&url, |c| c.get(url.clone()))
        .await?
        .into_result(&SiteLookup { site: &shown_site })?;
    let info: TenantInfo = response.json().map_err(|e| not_jira(&shown_site, e))?;
    let id = info.cloud_id.ok_or_else(|| Error::NotJiraSite {
        site: shown_site.clone(),
        detail: "its tenant_info has no cloudId".into(),
    })?;
    CloudId::parse(&id).map_err(|_| Error::NotJiraSite {
        site: shown_site,
        detail: format!("its tenant_info gave `{id}`, which is not a Cloud ID"),
    })
}

/// `tenant_info` of a site, for the errors of a failed lookup.
struct SiteLookup<'a> {
    /// The site, safe to print.
    site: &'a str,
}

impl ErrorContext for SiteLookup<'_> {
    fn error(&self, failed: &Failed<'_>) -> Option<Error> {
        let site = self.site.to_owned();
        match failed.failure {
            // NOTE: tenant_info needs no credentials, so only a site that
            // does not exist answers 404 or sends to a landing page.
            Failure::Redirect | Failure::NotFound => Some(Error::UnknownSite { site }),
            Failure::RateLimited | Failure::ServerError => None,
            // NOTE: and any other refusal is a host that is not Jira Cloud.
            _ => Some(Error::NotJiraSite {
                site,
                detail: format!("HTTP {} from {}", failed.status(), failed.response.url),
            }),
        }
    }
}

fn not_jira(site: &str, err: Error) -> Error {
    match err {
        Error::UnexpectedResponse { detail, .. } => Error::NotJiraSite {
            site: site.to_owned(),
            detail,
        },
        other => other,
    }
}

/// One site a 3LO grant covers (`GET /oauth/token/accessible-resources`).
/// The same `id` may appear twice, once for Jira and once for Confluence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct AccessibleResource {
    /// The Cloud ID.
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// The site URL, e.g. `https://acme.atlassian.net`.
    #[serde(default)]
    pub url: String,
    /// Scopes granted for this site.
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// Lists the sites a 3LO access token covers.
pub(crate) async fn fetch_accessible_resources(
    http: &Http,
    url: &Url,
    token: &crate::secret::Secret,
) -> Result<Vec<AccessibleResource>> {
    let header = format!("Bearer {}", token.expose());
    let response = http
        .send(url, |c| {
            c.get(url.clone())
                .header(reqwest::header::AUTHORIZATION, &header)
        })
        .await?;
    response.into_result(&GrantLookup)?.json()
}

/// `accessible-resources` of an access token, for the errors of a failed lookup.
struct GrantLookup;

impl ErrorContext for GrantLookup {
    fn credential(&self) -> &'static str {
        "access token"
    }

    fn error(&self, failed: &Failed<'_>) -> Option<Error> {
        match failed.failure {
            // NOTE: a 403 here is the token too: the endpoint has nothing
            // else a token could lack permission for.
            Failure::Forbidden => Some(Error::JiraUnauthorized {
                url: failed.url(),
                what: self.credential(),
                scope_mismatch: false,
            }),
            _ => None,
        }
    }
}

/// Chooses the Jira site of a grant: the one with `cloud_id`, else the one at
/// `site`, else the only one. Entries for other products are ignored.
pub(crate) fn pick_site<'a>(
    resources: &'a [AccessibleResource],
    site: Option<&Url>,
    cloud_id: Option<&CloudId>,
) -> Result<&'a AccessibleResource> {
    let jira: Vec<&AccessibleResource> = resources
        .iter()
        .filter(|r| r.scopes.is_empty() || r.scopes.iter().any(|s| s.contains("jira")))
        .collect();
    let listed = || {
        if jira.is_empty() {
            "no Jira site".to_owned()
        } else {
            jira.iter()
                .map(|r| format!("{} ({})", r.url, r.id))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let found = if let Some(id) = cloud_id {
        jira.iter().find(|r| r.id.eq_ignore_ascii_case(id.as_str()))
    } else if let Some(site) = site {
        jira.iter().find(|r| same_site(&r.url, site))
    } else if jira.len() == 1 {
        jira.first()
    } else if jira.is_empty() {
        None
    } else {
        return Err(Error::usage(
            format!("the grant covers several Jira sites: {}", listed()),
            "choose one with `--site` or `--cloud-id`",
        ));
    };
    found.copied().ok_or_else(|| Error::SiteNotInGrant {
        site: cloud_id
            .map(|id| id.to_string())
            .or_else(|| site.map(safe_url))
            .unwrap_or_else(|| "any site".into()),
        available: listed(),
    })
}

fn same_site(listed: &str, site: &Url) -> bool {
    Url::parse(listed).is_ok_and(|u| {
        u.host_str() == site.host_str() && u.port_or_known_default() == site.port_or_known_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(id: &str, url: &str, scopes: &[&str]) -> AccessibleResource {
        AccessibleResource {
            id: id.into(),
            name: "n".into(),
            url: url.into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        }
    }

    const A: &str = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
    const B: &str = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";

    #[test]
    fn picks_by_cloud_id_then_site_then_the_only_one() {
        let list = vec![
            resource(A, "https://a.atlassian.net", &["read:jira-work"]),
            resource(
                A,
                "https://a.atlassian.net",
                &["read:confluence-content.all"],
            ),
            resource(B, "https://b.atlassian.net", &["read:jira-user"]),
        ];
        let b = CloudId::parse(B).unwrap();
        assert_eq!(pick_site(&list, None, Some(&b)).unwrap().id, B);
        let site: Url = "https://a.atlassian.net".parse().unwrap();
        assert_eq!(pick_site(&list, Some(&site), None).unwrap().id, A);
        let err = pick_site(&list, None, None).unwrap_err();
        assert_eq!(err.kind().exit_code(), 2);
        assert!(err.to_string().contains("b.atlassian.net"), "{err}");
        assert_eq!(pick_site(&list[..1], None, None).unwrap().id, A);
    }

    #[test]
    fn a_site_outside_the_grant_names_the_sites_it_covers() {
        let list = vec![resource(A, "https://a.atlassian.net", &["read:jira-work"])];
        let site: Url = "https://other.atlassian.net".parse().unwrap();
        let err = pick_site(&list, Some(&site), None).unwrap_err();
        assert_eq!(err.kind().exit_code(), 4);
        assert!(err.to_string().contains("https://a.atlassian.net"), "{err}");
        assert!(pick_site(&[], None, None).is_err());
    }
}
