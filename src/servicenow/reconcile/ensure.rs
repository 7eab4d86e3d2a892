//! Making one record match what is wanted ([`Walk::ensure`]): found and
//! set back field by field, or created — inactive until its secret is in
//! ([`Walk::finish`]), and checked for a twin another run made meanwhile.

use super::{IDENTITY_FIELDS, Id, Mode, Pending, Spec, TWIN_TABLES, Walk};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::servicenow::client::{Query, Record, Tables};
use crate::servicenow::dictionary::OPTIONAL_COLUMNS;
use crate::servicenow::plan::{self, Action, Change};

impl<T: Tables> Walk<'_, T> {
    /// [`Walk::ensure`] for many records of one kind (the scope rows and
    /// their links): the new ones, which carry no secret, are inserted
    /// together (the client keeps at most [`crate::servicenow::client::IN_FLIGHT`] in
    /// flight); the steps are recorded in
    /// order.
    pub(super) async fn ensure_all(
        &self,
        items: Vec<(Spec<'_>, Option<Record>)>,
    ) -> Result<Vec<Id>> {
        let writes = self.mode != Mode::DryRun;
        let concurrent = move |spec: &Spec<'_>, found: &Option<Record>| {
            found.is_none() && spec.secret.is_none() && writes
        };
        let api = self.api;
        let inserts: Vec<_> = items
            .iter()
            .filter(|(spec, found)| concurrent(spec, found))
            .map(|(spec, _)| {
                let mut all = spec.fields.clone();
                all.extend(spec.create_only.iter().cloned());
                let table = spec.table;
                async move { api.insert(table, &all).await }
            })
            .collect();
        let mut inserted = futures_util::future::join_all(inserts).await.into_iter();
        let mut ids = Vec::with_capacity(items.len());
        for (spec, found) in items {
            if !concurrent(&spec, &found) {
                ids.push(self.ensure(spec, found).await?);
                continue;
            }
            let sys_id = inserted
                .next()
                .ok_or_else(|| Error::Internal("an insert went missing".into()))??;
            let id = Id::Known(sys_id);
            let mut all = spec.fields.clone();
            all.extend(spec.create_only.iter().cloned());
            let changes = plan::diff(&all, None);
            let Spec {
                record,
                table,
                key,
                note,
                ..
            } = spec;
            self.push((record, table), key, Action::Create, changes, &id, note);
            ids.push(id);
        }
        Ok(ids)
    }

    /// Makes one record match `spec`, records the step, returns its id.
    pub(super) async fn ensure(&self, spec: Spec<'_>, found: Option<Record>) -> Result<Id> {
        let Spec {
            record,
            table,
            key,
            fields,
            create_only,
            secret,
            note,
        } = spec;
        let apply = match self.mode {
            Mode::Apply { write_secrets } => Some(write_secrets),
            Mode::DryRun => None,
        };
        match found {
            None => {
                let mut all = fields.clone();
                all.extend(create_only.iter().cloned());
                let mut changes = plan::diff(&all, None);
                if let Some((column, _)) = secret {
                    changes.push(plan::secret_change(column));
                }
                let id = match apply {
                    None => Id::Planned(record),
                    Some(_) => Id::Known(self.create(table, &all, secret).await?),
                };
                self.push((record, table), key, Action::Create, changes, &id, note);
                Ok(id)
            }
            Some(found) => {
                let id = Id::Known(found.sys_id().to_owned());
                // NOTE: an optional column the instance lacks comes back
                // absent, not empty: it is skipped, never drift.
                let mut changes: Vec<Change> = plan::diff(&fields, Some(&found))
                    .into_iter()
                    .filter(|c| !(c.old.is_none() && optional(table, &c.field)))
                    .collect();
                let staged = changes.iter().any(|c| {
                    IDENTITY_FIELDS.contains(&c.field.as_str())
                        || (c.field == "active" && c.new == "true")
                });
                let write_secret = secret.is_some() && (staged || apply == Some(true));
                if write_secret {
                    changes.push(plan::secret_change(secret.map(|s| s.0).unwrap_or_default()));
                }
                if changes.is_empty() {
                    self.push((record, table), key, Action::Unchanged, changes, &id, note);
                    return Ok(id);
                }
                if apply.is_some() {
                    let sys_id = found.sys_id().to_owned();
                    let plain: Vec<(&str, String)> = fields
                        .iter()
                        .filter(|(f, _)| changes.iter().any(|c| !c.secret && c.field == *f))
                        .cloned()
                        .collect();
                    match secret.filter(|_| write_secret) {
                        Some((column, value)) if staged => {
                            // NOTE: inactive until the secret is in, so a run cut
                            // short here is finished by the next one.
                            let mut first: Vec<(&str, String)> =
                                plain.into_iter().filter(|(f, _)| *f != "active").collect();
                            if found.get("active") == Some("true") {
                                first.push(("active", "false".to_owned()));
                            }
                            if !first.is_empty() {
                                self.api.update(table, &sys_id, &first).await?;
                            }
                            self.api
                                .write_secret(table, &sys_id, column, need(value)?)
                                .await?;
                            self.api
                                .update(table, &sys_id, &[("active", "true".to_owned())])
                                .await?;
                        }
                        Some((column, value)) => {
                            if !plain.is_empty() {
                                self.api.update(table, &sys_id, &plain).await?;
                            }
                            self.api
                                .write_secret(table, &sys_id, column, need(value)?)
                                .await?;
                        }
                        None => self.api.update(table, &sys_id, &plain).await?,
                    }
                }
                self.push((record, table), key, Action::Update, changes, &id, note);
                Ok(id)
            }
        }
    }

    /// Inserts a record. One with a secret goes in inactive and is left
    /// for [`Walk::finish`] (secret, then active), which the caller sends
    /// beside what needs only the new sys_id. A credential is checked for a
    /// twin another run made meanwhile: the record just made is then
    /// deleted and the older one carried on with.
    pub(super) async fn create(
        &self,
        table: &'static str,
        fields: &[(&'static str, String)],
        secret: Option<(&'static str, Option<&Secret>)>,
    ) -> Result<String> {
        let inactive: Vec<(&str, String)> = fields
            .iter()
            .map(|(f, v)| match (*f, &secret) {
                ("active", Some(_)) => (*f, "false".to_owned()),
                _ => (*f, v.clone()),
            })
            .collect();
        let value = match secret {
            Some((_, value)) => Some(need(value)?),
            None => None,
        };
        let answer = self.api.insert_record(table, &inactive).await?;
        let mut id = answer.sys_id().to_owned();
        self.log().inserted.push(answer);
        if let Some(older) = self.older_twin(table, fields, &id).await? {
            self.api.delete(table, &id).await?;
            id = older;
        }
        if let (Some((column, _)), Some(value)) = (secret, value) {
            self.log().pending.push(Pending {
                table,
                id: id.clone(),
                column,
                secret: value.clone(),
                activate: fields.iter().any(|(f, v)| *f == "active" && v == "true"),
            });
        }
        Ok(id)
    }

    /// Writes the secrets [`Walk::create`] left, each record activated
    /// once its secret is in.
    pub(super) async fn finish(api: &T, pending: Vec<Pending>) -> Result<()> {
        for p in pending {
            api.write_secret(p.table, &p.id, p.column, &p.secret)
                .await?;
            if p.activate {
                api.update(p.table, &p.id, &[("active", "true".to_owned())])
                    .await?;
            }
        }
        Ok(())
    }

    /// After a named record is created: the older record of the same name
    /// when another run (another admin, another machine) created its twin
    /// at the same time; the caller deletes the one just made and carries
    /// on with the older.
    pub(super) async fn older_twin(
        &self,
        table: &str,
        fields: &[(&'static str, String)],
        id: &str,
    ) -> Result<Option<String>> {
        let Some((_, name)) = fields.iter().find(|(f, _)| *f == "name") else {
            return Ok(None);
        };
        if !TWIN_TABLES.contains(&table) {
            return Ok(None);
        }
        let twins = self
            .api
            .find(table, &Query::eq("name", name), &["sys_created_on"])
            .await?;
        let older = twins.iter().filter(|r| r.sys_id() != id).min_by_key(|r| {
            (
                r.get("sys_created_on").unwrap_or_default().to_owned(),
                r.sys_id().to_owned(),
            )
        });
        Ok(older.map(|r| r.sys_id().to_owned()))
    }

    /// The records named `name` or, as an earlier version named them,
    /// `legacy` (which the walk adopts and renames).
    pub(super) async fn named_rows(
        &self,
        table: &str,
        name: &str,
        legacy: &str,
        fields: &[&str],
    ) -> Result<Vec<Record>> {
        let names = [name.to_owned(), legacy.to_owned()];
        self.read(table, &Query::default().and_in("name", &names), fields)
            .await
    }

    /// Of the rows [`Walk::named_rows`] found: the one named `name`, else
    /// (when `adopt`) the one named `legacy`. Names found more than once are
    /// noted.
    pub(super) fn pick(
        &self,
        table: &str,
        rows: Vec<Record>,
        name: &str,
        legacy: &str,
        adopt: bool,
    ) -> Option<Record> {
        let count = rows.iter().filter(|r| r.get("name") == Some(name)).count();
        if count > 1 {
            self.duplicates
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(format!("{count} {table} records named `{name}`"));
        }
        let exact = rows.iter().find(|r| r.get("name") == Some(name)).cloned();
        exact.or_else(|| {
            rows.into_iter()
                .find(|r| adopt && r.get("name") == Some(legacy))
        })
    }
}

pub(super) fn optional(table: &str, column: &str) -> bool {
    OPTIONAL_COLUMNS.contains(&(table, column))
}

pub(super) fn need(secret: Option<&Secret>) -> Result<&Secret> {
    secret
        .ok_or_else(|| Error::Internal("an apply was started without the secret it writes".into()))
}
