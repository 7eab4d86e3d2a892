//! The wizard's scope steps. The picker: the spoke's scopes ticked, others
//! added, and none the spoke needs dropped without a word. A credential
//! that lacks a scope, found by the live check: the wizard says which and
//! where to add them, and offers to try again in place (every answer kept)
//! or to quit with the `connect` line that picks up from there.

use crate::atlassian::scopes;
use crate::error::Result;
use crate::flows::connect;
use crate::store::Grant;
use crate::ui::prompt::Prompter;

/// The spoke's scopes pre-selected; others may be added. For a Jira spoke
/// none can be dropped: the picker is asked again, naming them. Otherwise
/// dropping them is confirmed, naming them.
pub(super) fn pick(p: &mut dyn Prompter, grant: Grant, spoke: bool) -> Result<Vec<String>> {
    let defaults = scopes::default_scopes(false);
    let checked = vec![true; defaults.len()];
    let mut list = loop {
        let chosen = p.multi_select(
            "Scopes (space toggles, Enter accepts; the ServiceNow Jira spoke needs all of them)",
            &defaults,
            &checked,
        )?;
        let list: Vec<String> = chosen
            .iter()
            .filter_map(|&i| defaults.get(i).cloned())
            .collect();
        let dropped: Vec<&str> = defaults
            .iter()
            .filter(|s| !list.contains(s))
            .map(String::as_str)
            .collect();
        if dropped.is_empty() {
            break list;
        }
        let named = scopes::grouped(&dropped);
        if spoke {
            p.note(&format!(
                "✗ The ServiceNow Jira spoke needs {named}: its actions fail without them, so they stay ticked."
            ));
            continue;
        }
        if p.confirm(
            &format!("Leave out {named}? A ServiceNow Jira spoke could not use this connection."),
            false,
        )? {
            break list;
        }
    };
    let extra = p.input(
        "Other scopes to add (space-separated, Enter for none)",
        Some(""),
    )?;
    list.extend(
        extra
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
    );
    list.dedup();
    Ok(connect::parse_scopes(Some(&list.join(" ")), grant))
}

/// What the admin chose.
pub(super) enum ScopeFix {
    /// Check again: a new credential (client credentials, whose scopes
    /// cannot be edited) or the consent once more (authorization code).
    Retry,
    Quit,
}

/// Tells what to fix where and asks whether to try again; `resume` is the
/// command that does the same later, printed on the way out.
pub(super) fn offer_fix(
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
