//! Applying: checks the instance's schema, then walks the spoke's records
//! (creating and setting back, or only planning in a dry run) and reports
//! per record, with links and the next step.

use std::fmt;

use serde::Serialize;

use super::{Target, how_flows_choose};
use crate::error::{Error, Result};
use crate::flows::connect::consent_in_servicenow;
use crate::servicenow::dictionary::{self, Schema};
use crate::servicenow::plan::{Action, Step};
use crate::servicenow::reconcile::Alias;
use crate::servicenow::reconcile::{Mode, Outcome, Progress, Reads, reconcile_with};
use crate::servicenow::records::{ALIAS_ID, table};
use crate::servicenow::{TableApi, role_for};
use crate::store::{ConfigFile, Grant, Stores};
use crate::ui::spinner::Spinner;

/// How long an apply waits for another one on the same instance.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(300);

/// What `apply` did (or, in a dry run, would do).
#[derive(Debug, Serialize)]
pub(crate) struct ApplyReport {
    pub instance: String,
    pub connection: String,
    pub grant: String,
    pub dry_run: bool,
    /// True when a record was (or would be) created or updated.
    pub changed: bool,
    pub steps: Vec<Step>,
    /// Other active connections on the alias (a dry run lists them; an apply stops on them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// The main records' forms on the instance.
    pub records: Vec<RecordLink>,
    /// The registry's Redirect URL: the callback to register with the Atlassian app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// The alias the connection is (or goes) under, and how flows choose it.
    pub alias: Alias,
    pub flows: String,
    pub next: Vec<String>,
    /// Said before the report, e.g. that the schema could not be read.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RecordLink {
    pub record: &'static str,
    pub link: String,
}

/// How an apply runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Plan only: read, write nothing.
    pub dry_run: bool,
    /// Write the secret again on records that exist.
    pub write_secrets: bool,
}

/// Checks the instance's schema (stopping, before any write, on what it
/// lacks), then creates or sets back the spoke's records — or plans them.
/// After a real apply the connection remembers the instance (in `config`).
pub(crate) async fn apply(
    target: &mut Target,
    stores: &Stores,
    config: &ConfigFile,
    options: Options,
    spin: bool,
) -> Result<ApplyReport> {
    let instance = target.instance().url();
    // NOTE: one apply per instance at a time on this machine: two at once
    // would each create what the other is about to.
    let _lock = if options.dry_run {
        None
    } else {
        let host: String = target
            .instance()
            .host()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        Some(config.lock_connection(
            &format!("servicenow-{host}"),
            &format!("applying the Jira spoke's records on {instance}"),
            LOCK_WAIT,
        )?)
    };
    let reads = Reads::default();
    let (schema, roles) = {
        let _s = Spinner::start(format!("Checking {instance}"), spin);
        // NOTE: independent reads, sent together: the schema, the roles and
        // the plan's reads (kept in `reads`; the plan is made again below,
        // without a request, once the schema says what to write).
        let (schema, roles, first) = tokio::join!(
            dictionary::check(&target.api, target.connection.grant),
            target.api.roles(),
            reconcile_with(
                &target.api,
                &target.wanted,
                Mode::DryRun,
                None,
                &reads,
                &|_| {}
            )
        );
        let schema = schema?;
        if !matches!(schema, Schema::Missing(_)) {
            first?;
        }
        (schema, roles?)
    };
    let mut warnings = Vec::new();
    match schema {
        Schema::Unreadable(why) => warnings.push(why),
        Schema::Complete {
            skipped,
            attributes,
        } => {
            for column in skipped {
                warnings.push(format!(
                    "the instance has no {column}: the records are written without it"
                ));
            }
            target.wanted.write_attributes = attributes;
        }
        Schema::Missing(missing) => {
            return Err(Error::ServiceNowLacks { instance, missing });
        }
    }
    let (mode, secret) = if options.dry_run {
        (Mode::DryRun, None)
    } else {
        let write_secrets = options.write_secrets;
        (Mode::Apply { write_secrets }, Some(target.secret(stores)?))
    };
    let outcome = {
        let _s = Spinner::start(
            format!("Planning the Jira spoke's records on {instance}"),
            spin,
        );
        let plan = reconcile_with(
            &target.api,
            &target.wanted,
            Mode::DryRun,
            None,
            &reads,
            &|_| {},
        )
        .await?;
        if let Mode::Apply { .. } = mode {
            writable(&target.api, &plan, roles.as_deref())?;
        }
        let progress = |p: Progress| {
            _s.set_message(format!(
                "Applying the Jira spoke's records on {instance}: {p}"
            ))
        };
        // NOTE: a secret is written again only when asked; the plan of an
        // apply that changes nothing is its outcome.
        let writes = match mode {
            Mode::Apply { .. } if plan.changes_anything() => {
                require_roles(&target.api, &plan, roles.as_deref())?;
                true
            }
            Mode::Apply { write_secrets } => write_secrets,
            Mode::DryRun => false,
        };
        if writes {
            reconcile_with(
                &target.api,
                &target.wanted,
                mode,
                secret.as_ref(),
                &reads,
                &progress,
            )
            .await?
        } else {
            plan
        }
    };
    if !options.dry_run {
        target.remember(config)?;
    }
    warnings.extend(outcome.warnings.iter().cloned());
    warnings.extend(outcome.duplicates.iter().map(|d| {
        format!("{d}: another apply ran at the same time; `servicenow verify` names them")
    }));
    let mut report = report(target, options.dry_run, outcome);
    // A connection whose consent happens in ServiceNow was made with the
    // app's callback: another instance's cannot receive that consent.
    if let (Some(stored), Some(wanted)) = (
        target
            .connection
            .redirect_uri
            .as_ref()
            .filter(|_| consent_in_servicenow::applies(&target.connection)),
        &report.redirect_url,
    ) && stored.as_str() != wanted.as_str()
    {
        warnings.push(format!(
            "connection `{}` was made for the callback {stored}, not {wanted}: change the app's callback URL \
             (developer console → your app → Authorization) and connect again with `--redirect-uri {wanted}`, \
             or consent in ServiceNow will fail",
            target.name
        ));
    }
    report.warnings = warnings;
    Ok(report)
}

/// Stops, before anything is written, when the account lacks a role a
/// table the plan writes needs (admin has them all). Roles that could not
/// be read are left to the instance's own answer.
fn require_roles(api: &TableApi, plan: &Outcome, roles: Option<&[String]>) -> Result<()> {
    let Some(roles) = roles else {
        return Ok(());
    };
    if roles.iter().any(|r| r == "admin") {
        return Ok(());
    }
    let mut missing: Vec<(&str, Vec<&str>)> = Vec::new();
    for step in plan
        .steps
        .iter()
        .filter(|s| matches!(s.action, Action::Create | Action::Update))
    {
        // NOTE: creating an alias (a child alias) needs admin itself.
        let role = if step.table == table::ALIAS && step.action == Action::Create {
            "admin"
        } else {
            role_for(step.table)
        };
        if roles.iter().any(|r| r == role) {
            continue;
        }
        match missing.iter_mut().find(|(r, _)| *r == role) {
            Some((_, tables)) if !tables.contains(&step.table) => tables.push(step.table),
            Some(_) => {}
            None => missing.push((role, vec![step.table])),
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::ServiceNowRoleMissing {
        instance: api.instance().url(),
        who: api.who(),
        missing: missing
            .iter()
            .map(|(role, tables)| format!("the role {role} (for {})", tables.join(", ")))
            .collect(),
    })
}

/// What stops an apply before it writes, read from its plan: the spoke's
/// alias missing (or, to an account that may not read aliases, filtered out
/// of its reads), or another active connection on it.
fn writable(api: &TableApi, plan: &Outcome, roles: Option<&[String]>) -> Result<()> {
    let instance = api.instance().url();
    if plan.steps.iter().any(|s| s.action == Action::Missing) {
        let role = role_for(table::ALIAS);
        let may_read = roles.is_none_or(|r| r.iter().any(|r| r == "admin" || r == role));
        return Err(if may_read {
            Error::ServiceNowAliasMissing {
                instance,
                alias: ALIAS_ID.to_owned(),
            }
        } else {
            Error::ServiceNowUnreadable {
                instance,
                who: api.who(),
                table: table::ALIAS.to_owned(),
                role: role.to_owned(),
                what: format!("the alias {ALIAS_ID}"),
            }
        });
    }
    if !plan.conflicts.is_empty() {
        return Err(Error::ServiceNowConflict {
            instance,
            alias: plan.alias.name.clone(),
            others: plan.conflicts.clone(),
        });
    }
    Ok(())
}

fn report(target: &Target, dry_run: bool, outcome: Outcome) -> ApplyReport {
    let Outcome {
        steps,
        ids,
        redirect_url,
        conflicts,
        alias,
        ..
    } = outcome;
    let changed = steps
        .iter()
        .any(|s| matches!(s.action, Action::Create | Action::Update));
    let instance = target.instance();
    let records = [
        ("Application Registry", table::REGISTRY, &ids.registry),
        ("OAuth Entity Profile", table::PROFILE, &ids.profile),
        (
            "Credential",
            target.wanted.credential.table,
            &ids.credential,
        ),
        ("HTTP(s) Connection", table::CONNECTION, &ids.connection),
    ]
    .into_iter()
    .filter_map(|(record, table, id)| {
        id.as_ref().map(|id| RecordLink {
            record,
            link: instance.form_link(table, id),
        })
    })
    .collect();
    let mut next = Vec::new();
    if dry_run {
        if changed {
            next.push(target.suggest("apply"));
        }
    } else if target.connection.grant != Grant::ApiToken {
        // NOTE: client credentials too: "Get OAuth Token" is the only proof
        // that the client secret ServiceNow stored works.
        next.push(target.suggest("consent"));
    }
    if !dry_run || !changed {
        next.push(target.suggest("verify"));
    }
    let three_lo = target.connection.grant == Grant::AuthorizationCode;
    ApplyReport {
        instance: instance.url(),
        connection: target.name.clone(),
        grant: target.connection.grant.to_string(),
        dry_run,
        changed,
        steps,
        conflicts,
        records,
        redirect_url: if three_lo {
            Some(redirect_url.unwrap_or_else(|| instance.redirect_url()))
        } else {
            None
        },
        next,
        warnings: Vec::new(),
        flows: how_flows_choose(&alias),
        alias,
    }
}

impl ApplyReport {
    /// How many records were (or would be) created, updated, left unchanged.
    fn counts(&self) -> (usize, usize, usize) {
        let count = |a| self.steps.iter().filter(|s| s.action == a).count();
        (
            count(Action::Create),
            count(Action::Update),
            count(Action::Unchanged),
        )
    }

    /// One line: what the run did.
    pub(crate) fn outcome_line(&self) -> String {
        let (created, updated, same) = self.counts();
        if self.dry_run && self.changed {
            format!(
                "Would create {created} and update {updated} records; {same} unchanged. Nothing was written."
            )
        } else if self.changed {
            format!("Created {created} and updated {updated} records; {same} unchanged.")
        } else {
            format!("Nothing to change: all {same} records are as wanted.")
        }
    }

    /// The report without the record-by-record list, for the set-up wizard:
    /// the heading, what changed, the links and the callback URL.
    pub(crate) fn summary(&self) -> String {
        let mut text = format!(
            "Applied — ServiceNow {} for connection `{}` ({})\n{}",
            self.instance,
            self.connection,
            self.grant,
            self.outcome_line()
        );
        self.write_links(&mut text);
        text
    }

    fn write_links(&self, text: &mut String) {
        if !self.records.is_empty() {
            text.push_str("\nRecords:");
            let width = self
                .records
                .iter()
                .map(|r| r.record.len())
                .max()
                .unwrap_or(0);
            for r in &self.records {
                text.push_str(&format!("\n  {:<width$}  {}", r.record, r.link));
            }
        }
        if let Some(redirect) = &self.redirect_url {
            text.push_str(&format!(
                "\nThe Atlassian app's callback URL must be {redirect} (developer console → your app → Authorization)."
            ));
        }
        if self.alias.child {
            text.push_str(&format!(
                "\nThis Jira site has a child alias: {}.",
                self.flows
            ));
        }
    }
}

/// Records whose created fields are worth listing (not the many scope rows).
fn lists_fields(step: &Step) -> bool {
    !matches!(
        step.table,
        table::SCOPE | table::PROFILE_SCOPE | table::ALIAS
    )
}

fn shown(value: Option<&str>) -> String {
    match value {
        None => "(absent)".to_owned(),
        Some("") => "(empty)".to_owned(),
        Some(v) => v.to_owned(),
    }
}

impl fmt::Display for ApplyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let heading = if self.dry_run {
            "Plan (dry run: nothing is written)"
        } else {
            "Applied"
        };
        writeln!(
            f,
            "{heading} — ServiceNow {} for connection `{}` ({})",
            self.instance, self.connection, self.grant
        )?;
        let width = self.steps.iter().map(|s| s.record.len()).max().unwrap_or(0);
        let mut i = 0;
        while i < self.steps.len() {
            let step = &self.steps[i];
            // NOTE: a run of unchanged records of one kind (the scope rows) is
            // one line for people; --json lists every record.
            let run = self.steps[i..]
                .iter()
                .take_while(|s| {
                    s.action == Action::Unchanged && s.record == step.record && s.note.is_none()
                })
                .count();
            if run > 1 {
                writeln!(
                    f,
                    "  = {:<9} {:<width$}  {run} records",
                    "unchanged", step.record
                )?;
                i += run;
                continue;
            }
            i += 1;
            let (mark, verb) = match (step.action, self.dry_run) {
                (Action::Create, true) => ('+', "create"),
                (Action::Create, false) => ('+', "created"),
                (Action::Update, true) => ('~', "update"),
                (Action::Update, false) => ('~', "updated"),
                (Action::Unchanged, _) => ('=', "unchanged"),
                (Action::Missing, _) => ('!', "missing"),
            };
            write!(
                f,
                "  {mark} {:<9} {:<width$}  {}",
                verb, step.record, step.key
            )?;
            if let Some(note) = &step.note {
                write!(f, "  ({note})")?;
            }
            writeln!(f)?;
            let list = step.action == Action::Update || lists_fields(step);
            for change in step.changes.iter().filter(|_| list) {
                match (step.action, &change.old) {
                    (Action::Update, old) if !change.secret => writeln!(
                        f,
                        "      {}: {} → {}",
                        change.field,
                        shown(old.as_deref()),
                        change.new
                    )?,
                    _ => writeln!(f, "      {}: {}", change.field, change.new)?,
                }
            }
        }
        for conflict in &self.conflicts {
            writeln!(f, "  ! conflict: {conflict} is also active on the alias")?;
        }
        write!(f, "{}", self.outcome_line())?;
        let mut links = String::new();
        self.write_links(&mut links);
        writeln!(f, "{links}")?;
        writeln!(f, "Next:")?;
        for line in &self.next {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}
