//! The OAuth scopes the ServiceNow Jira spoke needs, as the product's source of truth.
//!
//! From ServiceNow "Set up the Jira spoke for Jira Cloud" (Washingtondc and
//! Australia releases), checked against Atlassian's scope pages:
//! <https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/>
//! and <https://developer.atlassian.com/cloud/jira/software/scopes-for-oauth-2-3LO-and-forge-apps/>.

use serde::Serialize;

/// Classic Jira platform scopes (developer console → Permissions → Jira API → Classic scopes).
pub(crate) const CLASSIC: &[&str] = &[
    "manage:jira-configuration",
    "manage:jira-project",
    "manage:jira-webhook",
    "read:jira-work",
    "read:jira-user",
    "write:jira-work",
];

/// Granular scopes: Jira platform (`…:jira`) and Jira Software (`…:jira-software`).
pub(crate) const GRANULAR: &[&str] = &[
    "delete:sprint:jira-software",
    "read:issue-details:jira",
    "read:jql:jira",
    "read:sprint:jira-software",
    "write:sprint:jira-software",
    "read:board-scope:jira-software",
    "read:project:jira",
];

/// Added to the classic scopes by the Australia release's authorization-code
/// default list (the connection form's).
pub(crate) const AUTHORIZATION_CODE_CLASSIC: &[&str] = &["manage:jira-data-provider"];

/// The developer console's "User identity API", in the Australia release's
/// authorization-code default list.
pub(crate) const USER_IDENTITY: &[&str] = &["read:me", "read:account"];

/// Asked for in the authorize URL of the Authorization Code grant only: without it
/// Atlassian issues no refresh token and the connection dies after an hour.
pub(crate) const OFFLINE_ACCESS: &str = "offline_access";

/// Which console section a scope is ticked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ScopeFamily {
    /// "Classic scopes" of the Jira API.
    Classic,
    /// "Granular scopes" of the Jira or Jira Software API.
    Granular,
    /// The "User identity API" (`read:me`, `read:account`).
    UserIdentity,
    /// Not a console checkbox: `offline_access`.
    Special,
}

/// Classifies a scope string the way the developer console groups it.
pub(crate) fn family(scope: &str) -> ScopeFamily {
    if scope == OFFLINE_ACCESS {
        ScopeFamily::Special
    } else if USER_IDENTITY.contains(&scope) {
        ScopeFamily::UserIdentity
    } else if scope.matches(':').count() >= 2 {
        ScopeFamily::Granular
    } else {
        ScopeFamily::Classic
    }
}

/// The spoke's default scopes, classic first. For authorization code, the
/// Australia release's list (17): the 13 Jira scopes, `manage:jira-data-provider`,
/// the User identity API and `offline_access`; for client credentials (and
/// as what every connection needs) the 13 Jira scopes of its Option 2.
pub(crate) fn default_scopes(authorization_code: bool) -> Vec<String> {
    let extra_classic: &[&str] = if authorization_code {
        AUTHORIZATION_CODE_CLASSIC
    } else {
        &[]
    };
    let mut scopes: Vec<String> = CLASSIC
        .iter()
        .chain(extra_classic)
        .chain(GRANULAR)
        .map(|s| s.to_string())
        .collect();
    if authorization_code {
        scopes.extend(USER_IDENTITY.iter().map(|s| s.to_string()));
        scopes.push(OFFLINE_ACCESS.to_owned());
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_match_the_console_grouping() {
        assert!(CLASSIC.iter().all(|s| family(s) == ScopeFamily::Classic));
        assert!(GRANULAR.iter().all(|s| family(s) == ScopeFamily::Granular));
        assert_eq!(family("offline_access"), ScopeFamily::Special);
    }

    #[test]
    fn authorization_code_has_the_australia_list() {
        assert_eq!(default_scopes(false).len(), 13);
        let three_lo = default_scopes(true);
        assert_eq!(three_lo.len(), 17);
        assert_eq!(three_lo.last().unwrap(), "offline_access");
        for extra in ["manage:jira-data-provider", "read:me", "read:account"] {
            assert!(three_lo.iter().any(|s| s == extra), "{extra}");
            assert!(!default_scopes(false).iter().any(|s| s == extra), "{extra}");
        }
        assert_eq!(family("read:me"), ScopeFamily::UserIdentity);
        assert_eq!(family("manage:jira-data-provider"), ScopeFamily::Classic);
    }
}

/// Scopes of `needed` that are not in `have`, in `needed`'s order.
pub(crate) fn missing<'a>(needed: &'a [String], have: &[String]) -> Vec<&'a str> {
    needed
        .iter()
        .filter(|s| s.as_str() != OFFLINE_ACCESS && !have.contains(s))
        .map(String::as_str)
        .collect()
}

/// `classic: a, b; granular: c` — how the developer console groups them.
pub(crate) fn grouped(scopes: &[&str]) -> String {
    let pick = |family| {
        scopes
            .iter()
            .copied()
            .filter(|s| self::family(s) == family)
            .collect::<Vec<_>>()
            .join(", ")
    };
    [
        ("classic", ScopeFamily::Classic),
        ("granular", ScopeFamily::Granular),
        ("User identity API", ScopeFamily::UserIdentity),
    ]
    .into_iter()
    .map(|(name, family)| (name, pick(family)))
    .filter(|(_, members)| !members.is_empty())
    .map(|(name, members)| format!("{name}: {members}"))
    .collect::<Vec<_>>()
    .join("; ")
}

/// Where the admin adds `missing` scopes: a service account's credential is
/// fixed once created, an OAuth app's permissions are edited in the console.
pub(crate) fn where_to_add(service_account: bool, missing: &[&str]) -> String {
    let list = grouped(missing);
    if service_account {
        format!(
            "a service account credential's scopes cannot be edited: create a new OAuth 2.0 credential \
             (admin.atlassian.com → Directory → Service accounts → Create credentials) with {list}, \
             then run `jira-spoke connect --grant client-credentials` with its client ID and secret"
        )
    } else {
        format!(
            "add {list} in developer.atlassian.com → your app → Permissions (Jira API, Jira Software API), \
             then run `jira-spoke connect --grant authorization-code` again to consent to them"
        )
    }
}

/// The scopes a grant must carry for a connection that asked for `requested`:
/// the spoke's scopes among them, or all of the spoke's when none were named
/// (a service account's credential without `--scopes`).
// NOTE: not always all of the spoke's: an admin who asks for fewer on purpose
// (a CI pipeline that only reads) has a working connection, not a broken one.
pub(crate) fn required(requested: &[String]) -> Vec<String> {
    let spoke = default_scopes(false);
    let asked: Vec<String> = requested
        .iter()
        .filter(|s| s.as_str() != OFFLINE_ACCESS)
        .cloned()
        .collect();
    if asked.is_empty() {
        return spoke;
    }
    spoke.into_iter().filter(|s| asked.contains(s)).collect()
}

#[cfg(test)]
mod comparison_tests {
    use super::*;

    #[test]
    fn missing_scopes_are_named_in_console_groups() {
        let needed = default_scopes(false);
        let have: Vec<String> = default_scopes(false)
            .into_iter()
            .filter(|s| s != "read:jira-user" && s != "read:jql:jira")
            .collect();
        let gone = missing(&needed, &have);
        assert_eq!(gone, vec!["read:jira-user", "read:jql:jira"]);
        assert_eq!(
            grouped(&gone),
            "classic: read:jira-user; granular: read:jql:jira"
        );
    }

    #[test]
    fn required_scopes_are_the_spokes_among_those_asked_for() {
        assert_eq!(required(&[]).len(), 13);
        let asked: Vec<String> = ["read:jira-work", "read:me", "offline_access"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(required(&asked), vec!["read:jira-work"]);
        assert_eq!(required(&default_scopes(true)).len(), 13);
    }
}
