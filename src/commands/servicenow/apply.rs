//! `jira-spoke servicenow apply`: checks the instance's schema, then walks the
//! spoke's records (creating and setting back, or only planning with
//! `--dry-run`) and reports per record, with links and the next step.

use std::fmt;

use serde::Serialize;

use super::Target;
use crate::cli::ServicenowApplyArgs;
use crate::error::Result;
use crate::output::Printer;
use crate::servicenow::dictionary::{self, Schema};
use crate::servicenow::plan::{Action, Step};
use crate::servicenow::reconcile::{Mode, Outcome, reconcile};
use crate::servicenow::records::table;
use crate::settings::Settings;
use crate::store::Grant;
use crate::ui::spinner::Spinner;

/// What `apply` did (or, in a dry run, would do).
#[derive(Debug, Serialize)]
pub struct ApplyReport {
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
    pub next: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct RecordLink {
    pub record: &'static str,
    pub link: String,
}

/// Runs `servicenow apply`.
pub async fn run(
    args: &ServicenowApplyArgs,
    settings: &Settings,
    printer: &Printer,
    spin: bool,
) -> Result<()> {
    let target = Target::open(&args.target, settings)?;
    let instance = target.instance().url();
    let schema = {
        let _s = Spinner::start(format!("Checking {instance}"), spin);
        dictionary::check(&target.api, target.connection.grant).await?
    };
    if let Schema::Unreadable(why) = schema.clone().require(&instance)? {
        printer.warn(why);
    }
    let (mode, secret) = if args.dry_run {
        (Mode::DryRun, None)
    } else {
        let write_secrets = args.write_secrets;
        (
            Mode::Apply { write_secrets },
            Some(target.secret(settings)?),
        )
    };
    let outcome = {
        let what = if args.dry_run { "Planning" } else { "Applying" };
        let _s = Spinner::start(
            format!("{what} the Jira spoke's records on {instance}"),
            spin,
        );
        reconcile(&target.api, &target.wanted, mode, secret.as_ref()).await?
    };
    let report = report(&target, args.dry_run, outcome);
    printer.out(&report);
    Ok(())
}

fn report(target: &Target, dry_run: bool, outcome: Outcome) -> ApplyReport {
    let Outcome {
        steps,
        ids,
        redirect_url,
        conflicts,
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
    } else if target.connection.grant == Grant::AuthorizationCode {
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
        let count = |a| self.steps.iter().filter(|s| s.action == a).count();
        let (created, updated, same) = (
            count(Action::Create),
            count(Action::Update),
            count(Action::Unchanged),
        );
        if self.dry_run && self.changed {
            writeln!(
                f,
                "Would create {created} and update {updated} records; {same} unchanged. Nothing was written."
            )?;
        } else if self.changed {
            writeln!(
                f,
                "Created {created} and updated {updated} records; {same} unchanged."
            )?;
        } else {
            writeln!(f, "Nothing to change: all {same} records are as wanted.")?;
        }
        if !self.records.is_empty() {
            writeln!(f, "Records:")?;
            let width = self
                .records
                .iter()
                .map(|r| r.record.len())
                .max()
                .unwrap_or(0);
            for r in &self.records {
                writeln!(f, "  {:<width$}  {}", r.record, r.link)?;
            }
        }
        if let Some(redirect) = &self.redirect_url {
            writeln!(
                f,
                "The Atlassian app's callback URL must be {redirect} (developer console → your app → Authorization)."
            )?;
        }
        writeln!(f, "Next:")?;
        for line in &self.next {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}
