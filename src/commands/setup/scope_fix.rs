//! A credential that lacks a scope the connection needs, found by the live
//! check: the wizard says which and where to add them, and offers to try
//! again in place (every answer kept) or to quit with the `connect` line
//! that picks up from there.

use crate::atlassian::scopes;
use crate::error::Result;
use crate::store::Grant;
use crate::ui::prompt::Prompter;

/// What the admin chose.
pub enum ScopeFix {
    /// Check again: a new credential (client credentials, whose scopes
    /// cannot be edited) or the consent once more (authorization code).
    Retry,
    Quit,
}

/// Tells what to fix where and asks whether to try again; `resume` is the
/// command that does the same later, printed on the way out.
pub fn offer(
    p: &mut dyn Prompter,
    grant: Grant,
    missing: &[String],
    resume: &str,
) -> Result<ScopeFix> {
    let list = scopes::grouped(&missing.iter().map(String::as_str).collect::<Vec<_>>());
    let (fix, again) = if grant == Grant::ClientCredentials {
        (
            format!(
                "A service account credential's scopes cannot be edited: in admin.atlassian.com → Directory → \
                 Service accounts → your account, create a new OAuth 2.0 credential with {list}."
            ),
            "Try again with the new credential (its client ID and secret)",
        )
    } else {
        (
            format!(
                "Fix the app's scopes in the developer console: developer.atlassian.com → your app → \
                 Permissions (Jira API, Jira Software API), add {list}."
            ),
            "Try again: give consent once more in the browser, with the scopes added",
        )
    };
    p.note(&format!("  {fix}"));
    let items = [
        again.to_owned(),
        format!("Quit: save nothing; later run `{resume}`"),
    ];
    if p.select("The credential lacks scopes. What now?", &items, 0)? == 0 {
        return Ok(ScopeFix::Retry);
    }
    p.note(&format!("To go on later: {resume}"));
    Ok(ScopeFix::Quit)
}
