//! `jira-spoke scopes`: the scopes the ServiceNow Jira spoke needs, grouped as
//! the Atlassian developer console groups them, ready to tick.

use std::fmt;

use serde::Serialize;

use crate::atlassian::scopes::{self, ScopeFamily};
use crate::error::Result;
use crate::output::Printer;
use crate::store::Grant;

/// One scope and its console group.
#[derive(Debug, Serialize)]
pub(super) struct ScopeEntry {
    pub scope: String,
    pub family: ScopeFamily,
}

/// The scope list for one grant.
#[derive(Debug, Serialize)]
pub(super) struct ScopesReport {
    pub grant: Grant,
    pub scopes: Vec<ScopeEntry>,
}

impl fmt::Display for ScopesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups = [
            (
                ScopeFamily::Classic,
                "Classic scopes (Permissions → Jira API → Classic scopes):",
            ),
            (
                ScopeFamily::Granular,
                "Granular scopes (Permissions → Jira API and Jira Software API → Granular scopes):",
            ),
            (
                ScopeFamily::UserIdentity,
                "User identity API (Permissions → User identity API):",
            ),
            (
                ScopeFamily::Special,
                "Requested in the authorize URL only (no console checkbox):",
            ),
        ];
        let mut first = true;
        for (family, title) in groups {
            let members: Vec<&str> = self
                .scopes
                .iter()
                .filter(|s| s.family == family)
                .map(|s| s.scope.as_str())
                .collect();
            if members.is_empty() {
                continue;
            }
            if !first {
                writeln!(f)?;
            }
            first = false;
            writeln!(f, "{title}")?;
            for scope in members {
                writeln!(f, "  {scope}")?;
            }
        }
        Ok(())
    }
}

/// Prints the default scopes for `grant`.
pub(super) fn run(grant: Grant, printer: &Printer) -> Result<()> {
    let offline = grant == Grant::AuthorizationCode;
    let report = ScopesReport {
        grant,
        scopes: scopes::default_scopes(offline)
            .into_iter()
            .map(|scope| ScopeEntry {
                family: scopes::family(&scope),
                scope,
            })
            .collect(),
    };
    printer.out(&report);
    Ok(())
}
