//! Which alias a connection goes under, one per Jira site: the spoke's own
//! (`sn_jira_spoke.Jira`, looked up, never created, never edited) for the
//! first site, and a child alias of it for each other site, as ServiceNow's
//! "Supporting multiple connections" has it. A flow picks a child alias with
//! "Configure connections" (flow), Advanced Options (action), or
//! `withConnectionAliasOverride('sn_jira_spoke.Jira', '<child alias id>')`.
//!
//! Never ticked: "Support multiple active connections" (`multiple_connections`).
//! With several active connections on one alias the platform picks one by
//! order, and flows could not choose a site.

use serde::Serialize;

use super::{ALIAS, ALIAS_FIELDS, CONNECTION_FIELDS, Id, Mode, Walk};
use crate::error::{Error, Result};
use crate::servicenow::client::{Query, Record, Tables};
use crate::servicenow::plan::{self, Action};
use crate::servicenow::records::{ALIAS_ID, Wanted, table};

/// The alias a connection is (or goes) under.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Alias {
    /// Its sys_id, or the alias a dry run would create.
    #[serde(skip)]
    pub id: Id,
    /// Its ID, as flows name it (`sn_jira_spoke.Jira`, or the child's,
    /// which the platform computes); its name while it is only planned.
    pub name: String,
    /// A child alias of the spoke's.
    pub child: bool,
    /// It takes several active connections.
    pub multiple: bool,
    /// It is the spoke's alias or a child of it: its active connections
    /// were read with the walk's first lookups ([`Active`]).
    #[serde(skip)]
    pub under_spoke: bool,
}

/// The active connections on the spoke's alias and on its child aliases,
/// read with the walk's first lookups (dot-walked by the spoke's alias ID):
/// what decides whether the spoke's alias is taken and what conflicts with
/// ours, without waiting for the alias to be known.
pub(super) struct Active {
    on_spoke: Vec<Record>,
    on_children: Vec<Record>,
}

/// The connection jira-spoke made for this site, if there is one, and
/// whether records named as earlier versions named them are this site's.
pub(super) struct Ours {
    pub found: Option<Record>,
    pub adopt: bool,
}

/// What a child alias copies from its parent when created.
const COPIED_FROM_PARENT: &[&str] = &["type", "connection_type"];

impl<T: Tables> Walk<'_, T> {
    /// The spoke's alias, by its ID; never created. A plan notes it
    /// missing; `apply` stops on that before writing.
    pub(super) async fn find_spoke(&self) -> Result<Option<Record>> {
        let mut fields = ALIAS_FIELDS.to_vec();
        fields.extend(COPIED_FROM_PARENT);
        Ok(self
            .read(table::ALIAS, &Query::eq("id", ALIAS_ID), &fields)
            .await?
            .into_iter()
            .next())
    }

    /// Records the spoke's alias (found by [`Walk::find_spoke`]) as a step.
    pub(super) fn spoke_alias(&self, found: Option<&Record>) {
        match found {
            Some(r) => {
                let id = Id::Known(r.sys_id().to_owned());
                let note = (r.get("multiple_connections") == Some("true"))
                    .then(|| "supports multiple active connections".to_owned());
                self.push(
                    (ALIAS, table::ALIAS),
                    ALIAS_ID.to_owned(),
                    Action::Unchanged,
                    vec![],
                    &id,
                    note,
                );
            }
            None => {
                let id = Id::Planned("alias: activate the Jira spoke");
                self.push(
                    (ALIAS, table::ALIAS),
                    ALIAS_ID.to_owned(),
                    Action::Missing,
                    vec![],
                    &id,
                    Some(
                        "the Jira spoke is not active on the instance; jira-spoke never creates its alias"
                            .into(),
                    ),
                );
            }
        }
    }

    /// This site's connection: by its name, else by the name earlier
    /// versions gave it, adopted only when it serves the same site.
    pub(super) async fn ours(&self, wanted: &Wanted) -> Result<Ours> {
        let c = &wanted.connection;
        let names = [c.name.clone(), c.legacy_name.clone()];
        let rows = self
            .read(
                table::CONNECTION,
                &Query::default().and_in("name", &names),
                CONNECTION_FIELDS,
            )
            .await?;
        let exact_count = rows
            .iter()
            .filter(|r| r.get("name") == Some(c.name.as_str()))
            .count();
        if exact_count > 1 {
            self.duplicates
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(format!(
                    "{exact_count} {} records named `{}`",
                    table::CONNECTION,
                    c.name
                ));
        }
        if let Some(exact) = rows.iter().find(|r| r.get("name") == Some(c.name.as_str())) {
            return Ok(Ours {
                found: Some(exact.clone()),
                adopt: false,
            });
        }
        // NOTE: an earlier version's connection of the same local name may
        // serve another site (another admin's): it is left alone, and this
        // site gets records of its own.
        let legacy = rows
            .into_iter()
            .find(|r| r.get("name") == Some(c.legacy_name.as_str()))
            .filter(|r| {
                wanted
                    .site
                    .served_by(r.get("connection_url").unwrap_or_default())
            });
        Ok(Ours {
            adopt: legacy.is_some(),
            found: legacy,
        })
    }

    /// The alias the connection goes under: `--alias`, else the one it is
    /// under already, else the spoke's while no other site's connection is
    /// active there, else this site's child alias (found, or created).
    pub(super) async fn pick_alias(
        &self,
        wanted: &Wanted,
        spoke: Option<&Record>,
        ours: Option<&Record>,
    ) -> Result<Alias> {
        let Some(spoke) = spoke else {
            return Ok(Alias {
                id: Id::Planned("alias: activate the Jira spoke"),
                name: ALIAS_ID.to_owned(),
                child: false,
                multiple: false,
                under_spoke: true,
            });
        };
        let spoke_id = spoke.sys_id().to_owned();
        if let Some(given) = &wanted.alias {
            return self.given_alias(given, &spoke_id).await;
        }
        let current = ours
            .and_then(|r| r.get("connection_alias"))
            .filter(|a| !a.is_empty());
        if let Some(current) = current {
            if current == spoke_id {
                return Ok(spoke_alias_of(spoke));
            }
            let rows = self
                .read(table::ALIAS, &Query::eq("sys_id", current), ALIAS_FIELDS)
                .await?;
            if let Some(row) = rows.first() {
                return Ok(self.child_step(row, &spoke_id));
            }
        }
        let taken = self
            .active
            .as_ref()
            .and_then(|a| {
                a.on_spoke
                    .iter()
                    .find(|r| Some(r.sys_id()) != ours.map(Record::sys_id))
            })
            .cloned();
        match taken {
            Some(other) if spoke.get("multiple_connections") != Some("true") => {
                let other = other.get("name").unwrap_or_default().to_owned();
                self.child_alias(wanted, spoke, &other).await
            }
            _ => Ok(spoke_alias_of(spoke)),
        }
    }

    /// `--alias ID`: an alias or child alias that exists (e.g. made in
    /// Workflow Studio).
    async fn given_alias(&self, given: &str, spoke_id: &str) -> Result<Alias> {
        let row = self
            .read(table::ALIAS, &Query::eq("id", given), ALIAS_FIELDS)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::ServiceNowAliasMissing {
                instance: self.api.instance().url(),
                alias: given.to_owned(),
            })?;
        if row.sys_id() == spoke_id {
            return Ok(Alias {
                id: Id::Known(row.sys_id().to_owned()),
                name: ALIAS_ID.to_owned(),
                child: false,
                multiple: row.get("multiple_connections") == Some("true"),
                under_spoke: true,
            });
        }
        Ok(self.child_step(&row, spoke_id))
    }

    /// Records an existing child alias as a step.
    fn child_step(&self, row: &Record, spoke_id: &str) -> Alias {
        let id = Id::Known(row.sys_id().to_owned());
        let name = row.get("id").unwrap_or_default().to_owned();
        let note = (row.get("parent") != Some(spoke_id))
            .then(|| format!("not a child alias of {ALIAS_ID}"));
        self.push(
            (ALIAS, table::ALIAS),
            name.clone(),
            Action::Unchanged,
            vec![],
            &id,
            note,
        );
        Alias {
            id,
            name,
            child: true,
            multiple: row.get("multiple_connections") == Some("true"),
            under_spoke: row.get("parent") == Some(spoke_id),
        }
    }

    /// This site's child alias of the spoke's: found by its parent and
    /// name, or created (its ID read back: the platform computes it).
    /// `taken_by`: the connection already active on the spoke's alias.
    async fn child_alias(&self, wanted: &Wanted, spoke: &Record, taken_by: &str) -> Result<Alias> {
        let name = &wanted.site.alias_name;
        let found = self
            .read(
                table::ALIAS,
                &Query::eq("parent", spoke.sys_id()).and("name", name),
                ALIAS_FIELDS,
            )
            .await?
            .into_iter()
            .next();
        if let Some(row) = found {
            return Ok(self.child_step(&row, spoke.sys_id()));
        }
        let mut fields = vec![
            ("name", name.clone()),
            ("parent", spoke.sys_id().to_owned()),
        ];
        for column in COPIED_FROM_PARENT {
            fields.push((column, spoke.get(column).unwrap_or_default().to_owned()));
        }
        let changes = plan::diff(&fields, None);
        let note = Some(format!(
            "a child alias of {ALIAS_ID}: {ALIAS_ID} already has the active connection `{taken_by}`"
        ));
        let (id, alias_id) = match self.mode {
            Mode::DryRun => (Id::Planned("child alias"), name.clone()),
            Mode::Apply { .. } => {
                let sys_id = self.api.insert(table::ALIAS, &fields).await?;
                let computed = self
                    .read(table::ALIAS, &Query::eq("sys_id", &sys_id), &["id"])
                    .await?
                    .first()
                    .and_then(|r| r.get("id").map(str::to_owned))
                    .filter(|id| !id.is_empty())
                    .unwrap_or_else(|| name.clone());
                (Id::Known(sys_id), computed)
            }
        };
        self.push(
            (ALIAS, table::ALIAS),
            alias_id.clone(),
            Action::Create,
            changes,
            &id,
            note,
        );
        Ok(Alias {
            id,
            name: alias_id,
            child: true,
            multiple: false,
            under_spoke: true,
        })
    }

    /// The active connections on the spoke's alias and on its children,
    /// dot-walked by the spoke's alias ID: no need to wait for its sys_id.
    pub(super) async fn active_connections(&self) -> Result<Active> {
        const FIELDS: &[&str] = &["name", "connection_alias", "connection_url"];
        let spoke = Query::eq("connection_alias.id", ALIAS_ID).and("active", "true");
        let children = Query::eq("connection_alias.parent.id", ALIAS_ID).and("active", "true");
        let (on_spoke, on_children) = tokio::join!(
            self.read(table::CONNECTION, &spoke, FIELDS),
            self.read(table::CONNECTION, &children, FIELDS),
        );
        Ok(Active {
            on_spoke: on_spoke?,
            on_children: on_children?,
        })
    }

    /// Other active connections on the alias, when it takes only one: from
    /// [`Active`] for the spoke's alias and its children, else read.
    pub(super) async fn conflicts(
        &self,
        alias: &Alias,
        ours: Option<&Record>,
    ) -> Result<Vec<String>> {
        let Some(alias_id) = alias.id.known() else {
            return Ok(Vec::new());
        };
        let on_alias = |rows: &[Record]| -> Vec<Record> {
            rows.iter()
                .filter(|r| r.get("connection_alias") == Some(alias_id))
                .cloned()
                .collect()
        };
        let others = match &self.active {
            Some(active) if alias.under_spoke && !alias.child => on_alias(&active.on_spoke),
            Some(active) if alias.under_spoke => on_alias(&active.on_children),
            _ => {
                self.read(
                    table::CONNECTION,
                    &Query::eq("connection_alias", alias_id).and("active", "true"),
                    &["name"],
                )
                .await?
            }
        };
        Ok(others
            .iter()
            .filter(|r| Some(r.sys_id()) != ours.map(Record::sys_id))
            .map(|r| {
                format!(
                    "`{}` ({})",
                    r.get("name").unwrap_or_default(),
                    self.api.instance().form_link(table::CONNECTION, r.sys_id())
                )
            })
            .collect())
    }
}

fn spoke_alias_of(spoke: &Record) -> Alias {
    Alias {
        id: Id::Known(spoke.sys_id().to_owned()),
        name: ALIAS_ID.to_owned(),
        child: false,
        multiple: spoke.get("multiple_connections") == Some("true"),
        under_spoke: true,
    }
}
