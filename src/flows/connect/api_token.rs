//! `connect --grant api-token`: an Atlassian account's API token with basic
//! auth against the site itself (the Washingtondc ServiceNow procedure).
//! Atlassian asks integrations to prefer OAuth; this path exists for sites
//! and tools that still need it.

use crate::atlassian::jira::{self, Auth};
use crate::error::{Error, Result};
use crate::http::Http;
use crate::secret::Secret;
use crate::store::Connection;
use crate::ui::spinner::Spinner;

use super::{ConnectPlan, Proven};

/// Proves `email` + `token` on `<site>/rest/api/<v>/myself`.
pub(crate) async fn connect(
    plan: &ConnectPlan,
    http: &Http,
    token: Secret,
    spin: bool,
) -> Result<Proven> {
    let site = plan.site.clone().ok_or_else(|| {
        Error::usage(
            "--grant api-token needs --site (basic auth goes to the site itself)",
            "e.g. `--site acme` for https://acme.atlassian.net",
        )
    })?;
    let email = plan
        .email
        .clone()
        .filter(|e| e.contains('@'))
        .ok_or_else(|| {
            Error::usage(
                "--grant api-token needs --email, the Atlassian account the token belongs to",
                "e.g. `--email admin@example.com`",
            )
        })?;
    let identity = {
        let _s = Spinner::start("Checking the API token against Jira", spin);
        jira::fetch_myself(
            http,
            &site,
            plan.api_version,
            Auth::Basic {
                email: &email,
                token: &token,
            },
        )
        .await?
    };
    let connection = Connection {
        site_url: Some(site.clone()),
        cloud_id: plan.cloud_id.clone(),
        api_version: plan.api_version,
        email: Some(email),
        ..Connection::new(plan.grant, site)
    };
    Ok(Proven {
        connection,
        secrets: vec![(crate::store::SecretKind::ApiToken, token)],
        identity: Some(identity),
        not_granted: Vec::new(),
    })
}
