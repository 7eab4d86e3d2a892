//! The plan: per record, what jira-spoke found and what it does about it —
//! create, update (field: old → new) or leave unchanged. [`diff`] compares
//! wanted fields with a found record; [`super::reconcile`] walks the records.

use serde::Serialize;

use super::client::Record;

/// What happens to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Action {
    /// It does not exist: created.
    Create,
    /// It exists with fields that differ: they are set back.
    Update,
    /// It exists as wanted.
    Unchanged,
    /// It is missing and jira-spoke does not create it (the spoke's alias).
    Missing,
}

/// One field set by a create or an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Change {
    pub field: String,
    /// The value found; `None` when the record is new or the column was absent.
    pub old: Option<String>,
    /// The value written; for a secret, a placeholder (never the value).
    pub new: String,
    /// A write-only secret: never read, never shown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

/// One record of the plan.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Step {
    /// The record as ServiceNow's UI names it: "Application Registry".
    pub record: &'static str,
    pub table: &'static str,
    /// What identifies it: a name, a scope.
    pub key: String,
    pub action: Action,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Known once it exists (not for a create in a dry run).
    pub sys_id: Option<String>,
    /// Its form on the instance, when it has a sys_id.
    pub link: Option<String>,
    /// Something the admin should know about this record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Placeholder shown for a secret in plans and reports.
pub(crate) const SECRET_SHOWN: &str = "(write-only secret from the keyring, never shown)";

/// The wanted fields that differ on `found` (all of them when `found` is
/// `None`), as changes. Booleans compare by meaning (`true`/`1`).
pub(crate) fn diff(wanted: &[(&'static str, String)], found: Option<&Record>) -> Vec<Change> {
    wanted
        .iter()
        .filter_map(|(field, new)| {
            let old = found.and_then(|r| r.get(field)).map(str::to_owned);
            let same = old.as_deref().is_some_and(|old| same_value(old, new));
            (!same).then(|| Change {
                field: (*field).to_owned(),
                old: if found.is_some() { old } else { None },
                new: new.clone(),
                secret: false,
            })
        })
        .collect()
}

/// True when a value read back is the value written: booleans by meaning
/// (`true`/`1`), URLs without a trailing slash.
pub(crate) fn same_value(old: &str, new: &str) -> bool {
    let truth = |v: &str| match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    };
    match (new, truth(old)) {
        ("true" | "false", Some(b)) => b == (new == "true"),
        _ => old.trim_end_matches('/') == new.trim_end_matches('/'),
    }
}

/// The change that writes a secret column.
pub(crate) fn secret_change(column: &str) -> Change {
    Change {
        field: column.to_owned(),
        old: None,
        new: SECRET_SHOWN.to_owned(),
        secret: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(pairs: &[(&str, &str)]) -> Record {
        Record(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn only_differing_fields_are_changes() {
        let wanted = vec![
            ("name", "R".to_owned()),
            ("active", "true".to_owned()),
            ("token_url", "https://a/t".to_owned()),
            ("refresh_token_url", "https://a/t".to_owned()),
        ];
        let found = record(&[
            ("name", "R"),
            ("active", "1"),
            ("token_url", "https://a/t/"),
            ("refresh_token_url", ""),
        ]);
        let changes = diff(&wanted, Some(&found));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "refresh_token_url");
        assert_eq!(changes[0].old.as_deref(), Some(""));
        assert_eq!(diff(&wanted, None).len(), 4);
        assert!(diff(&wanted, None).iter().all(|c| c.old.is_none()));
    }

    #[test]
    fn false_is_drift_from_true() {
        let wanted = vec![("active", "true".to_owned())];
        let changes = diff(&wanted, Some(&record(&[("active", "false")])));
        assert_eq!(changes[0].old.as_deref(), Some("false"));
    }
}
