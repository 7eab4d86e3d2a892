//! Taking a connection's records off the instance (`servicenow remove`):
//! what `apply` made for this connection and this Jira site, found by the
//! same walk, deleted dependents first — connection, credential, profile
//! links, default profile, scopes, registry, and the child alias made for
//! the site once nothing else uses it. Never the spoke's own alias, never a
//! record that serves another site or that jira-spoke did not make: the walk
//! finds records by the names apply gives them, which carry the site.

use std::fmt;

use serde::Serialize;

use super::Target;
use crate::error::Result;
use crate::servicenow::client::{Query, Tables};
use crate::servicenow::plan::{Action, Step};
use crate::servicenow::reconcile::{Mode, reconcile};
use crate::servicenow::records::table;
use crate::ui::spinner::Spinner;

/// One record taken away (or, in a dry run, to be).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Removed {
    pub record: &'static str,
    pub table: &'static str,
    pub key: String,
    pub sys_id: String,
}

/// What `servicenow remove` did.
#[derive(Debug, Serialize)]
pub(crate) struct RemoveReport {
    pub instance: String,
    pub connection: String,
    pub dry_run: bool,
    pub removed: Vec<Removed>,
    /// Records left on purpose, and why.
    pub kept: Vec<String>,
}

/// The order records go in: what references a record goes before it.
const ORDER: &[&str] = &[
    table::CONNECTION,
    table::OAUTH_CREDENTIAL,
    table::BASIC_CREDENTIAL,
    table::PROFILE_SCOPE,
    table::PROFILE,
    table::SCOPE,
    table::REGISTRY,
    table::ALIAS,
];

/// Finds the connection's records and deletes them (a dry run only lists).
pub(crate) async fn remove(target: &Target, dry_run: bool, spin: bool) -> Result<RemoveReport> {
    let instance = target.instance().url();
    let _s = Spinner::start(
        format!("Finding the connection's records on {instance}"),
        spin,
    );
    let outcome = reconcile(&target.api, &target.wanted, Mode::DryRun, None).await?;
    let mut kept = vec![format!(
        "the Jira spoke's own alias {}: jira-spoke never changes it",
        crate::servicenow::records::ALIAS_ID
    )];
    let ours =
        |s: &&Step| s.sys_id.is_some() && matches!(s.action, Action::Unchanged | Action::Update);
    let mut found: Vec<&Step> = outcome
        .steps
        .iter()
        .filter(ours)
        .filter(|s| s.table != table::ALIAS)
        .collect();
    let child = outcome
        .alias
        .child
        .then(|| {
            outcome
                .steps
                .iter()
                .filter(ours)
                .find(|s| s.table == table::ALIAS && s.key == outcome.alias.name)
        })
        .flatten();
    if let Some(child) = child {
        // NOTE: only the child alias made for this site, and only when no
        // other connection is under it.
        let made_here = child.key.ends_with(&target.wanted.site.alias_name);
        let others = target
            .api
            .find(
                table::CONNECTION,
                &Query::eq(
                    "connection_alias",
                    child.sys_id.as_deref().unwrap_or_default(),
                ),
                &["name"],
            )
            .await?
            .into_iter()
            .any(|r| Some(r.sys_id()) != outcome.ids.connection.as_deref());
        if made_here && !others {
            found.push(child);
        } else {
            kept.push(format!(
                "the alias {}: {}",
                child.key,
                if others {
                    "other connections use it"
                } else {
                    "jira-spoke did not make it for this site"
                }
            ));
        }
    }
    found.sort_by_key(|s| ORDER.iter().position(|t| *t == s.table));
    let mut removed = Vec::new();
    for step in found {
        let sys_id = step.sys_id.clone().unwrap_or_default();
        if !dry_run {
            target.api.delete(step.table, &sys_id).await?;
        }
        removed.push(Removed {
            record: step.record,
            table: step.table,
            key: step.key.clone(),
            sys_id,
        });
    }
    Ok(RemoveReport {
        instance,
        connection: target.name.clone(),
        dry_run,
        removed,
        kept,
    })
}

impl fmt::Display for RemoveReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let heading = if self.dry_run {
            "Plan (dry run: nothing is deleted)"
        } else {
            "Removed"
        };
        writeln!(
            f,
            "{heading} — ServiceNow {} for connection `{}`",
            self.instance, self.connection
        )?;
        if self.removed.is_empty() {
            writeln!(f, "  no record of this connection's is on the instance")?;
        }
        let verb = if self.dry_run { "delete" } else { "deleted" };
        let width = self
            .removed
            .iter()
            .map(|r| r.record.len())
            .max()
            .unwrap_or(0);
        for r in &self.removed {
            writeln!(f, "  - {verb:<7} {:<width$}  {}", r.record, r.key)?;
        }
        for k in &self.kept {
            writeln!(f, "  = kept    {k}")?;
        }
        Ok(())
    }
}
