//! The copyable "register the app" checklists the wizard prints, per grant,
//! following ServiceNow's "Set up the Jira spoke for Jira Cloud" procedures.

use url::Url;

use crate::atlassian::scopes::{self, ScopeFamily};
use crate::store::Grant;

/// One sentence per grant, to help the admin choose.
pub const GRANT_CHOICES: [(Grant, &str); 3] = [
    (
        Grant::ClientCredentials,
        "OAuth 2.0 Client Credentials — a service account; best for CI and integrations, no browser",
    ),
    (
        Grant::AuthorizationCode,
        "OAuth 2.0 Authorization Code (3LO) — acts as you; needs a browser once, then refresh tokens keep it alive",
    ),
    (
        Grant::ApiToken,
        "API token with basic auth — legacy; Atlassian asks integrations to prefer OAuth",
    ),
];

fn scope_lines(list: &[String]) -> String {
    let group = |family| {
        list.iter()
            .filter(|s| scopes::family(s) == family)
            .map(|s| format!("       {s}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "     Classic scopes:\n{}\n     Granular scopes:\n{}",
        group(ScopeFamily::Classic),
        group(ScopeFamily::Granular)
    )
}

/// The developer-console checklist for an OAuth 2.0 (3LO) integration.
pub fn authorization_code(redirect_uri: &Url, list: &[String]) -> String {
    format!(
        "Register an OAuth 2.0 integration (once):\n\
         \x20 1. Open https://developer.atlassian.com/console/myapps/ → Create → OAuth 2.0 integration.\n\
         \x20 2. Authorization → OAuth 2.0 (3LO) → Callback URL, exactly:\n\
         \x20      {redirect_uri}\n\
         \x20 3. Permissions → add Jira API (and Jira Software API) → Configure, and tick:\n{}\n\
         \x20 4. Settings → copy the Client ID and the Secret.\n\
         \x20 5. If an account other than the app's creator will consent: Distribution → Enable sharing.",
        scope_lines(list)
    )
}

/// The admin.atlassian.com checklist for a service account's OAuth 2.0 credential.
pub fn client_credentials(list: &[String]) -> String {
    format!(
        "Create a service account credential (once):\n\
         \x20 1. Open https://admin.atlassian.com → Directory → Service accounts → your account\n\
         \x20    (or Create service account), and give it access to Jira.\n\
         \x20 2. Create credentials → OAuth 2.0, and tick:\n{}\n\
         \x20 3. Copy the Client ID and the Secret: the secret is shown only once.",
        scope_lines(list)
    )
}

/// Where an API token comes from.
pub fn api_token() -> &'static str {
    "Create an API token (once):\n\
     \x20 1. Open https://id.atlassian.com/manage-profile/security/api-tokens → Create API token.\n\
     \x20 2. Copy it: it is shown only once. Use the e-mail of the same Atlassian account."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_3lo_checklist_carries_the_exact_callback_and_grouped_scopes() {
        let uri: Url = "http://localhost:8765/callback".parse().unwrap();
        let text = authorization_code(&uri, &scopes::default_scopes(true));
        assert!(
            text.contains("      http://localhost:8765/callback\n"),
            "{text}"
        );
        let classic = text.find("Classic scopes").unwrap();
        let granular = text.find("Granular scopes").unwrap();
        assert!(classic < text.find("read:jira-work").unwrap());
        assert!(granular < text.find("read:sprint:jira-software").unwrap());
        assert!(!text.contains("offline_access"), "not a console checkbox");
        assert!(text.contains("Enable sharing"));
    }
}
