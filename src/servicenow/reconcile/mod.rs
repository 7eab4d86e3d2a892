//! The walk over the spoke's records, in dependency order: alias → registry
//! → default profile → scopes → profile scopes → credential → connection.
//! Each record is found by a stable key (re-checked field by field, see
//! [`super::client`]), compared with what is wanted, and — unless this is a
//! dry run — created or set back. The same walk is the plan (`--dry-run`),
//! the apply, and what `servicenow verify` judges, so the three never disagree.
//!
//! What needs nothing of each other goes together (the client bounds how
//! many requests are in flight): the opening lookups, dot-walked by name so
//! none waits for another's sys_id; then, once the registry exists, its
//! secret and activation beside its profile and scope rows; then the
//! credential and connection beside the scope links. Steps are reported in
//! the walk's order whatever order they finished in. The opening reads are
//! kept in [`Reads`], so an apply answers them from its own plan.
//!
//! Secrets: a record with a secret is inserted inactive, then its secret is
//! written, then it is activated. A run cut short leaves it inactive, so the
//! next run writes the secret again before activating it; an earlier partial
//! run is completed, never duplicated. Secrets are otherwise written only when
//! the client ID or user name changes, or when asked (`--write-secrets`):
//! they cannot be compared, since they are never read back.

mod alias;
mod ensure;
mod registry;

pub(crate) use alias::Alias;

use super::client::{Query, Record, Tables};
use super::plan::{Action, Change, Step};
use super::records::{self, Credential, HttpConnection, Wanted, columns, table};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Whether the walk writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Read only: the plan.
    DryRun,
    /// Create and update; `write_secrets` rewrites secrets of existing records.
    Apply { write_secrets: bool },
}

/// A record's sys_id, or the record a dry run would create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Id {
    Known(String),
    Planned(&'static str),
}

impl Id {
    /// The value a reference field gets: the sys_id, or `(new …)` in a plan.
    pub(crate) fn value(&self) -> String {
        match self {
            Id::Known(id) => id.clone(),
            Id::Planned(record) => format!("(new {record})"),
        }
    }

    /// The sys_id, when the record exists.
    pub(crate) fn known(&self) -> Option<&str> {
        match self {
            Id::Known(id) => Some(id),
            Id::Planned(_) => None,
        }
    }
}

/// The sys_ids the walk ended with (those that exist).
#[derive(Debug, Clone, Default)]
pub(crate) struct Ids {
    pub registry: Option<String>,
    pub profile: Option<String>,
    pub credential: Option<String>,
    pub connection: Option<String>,
}

/// What the walk found and did.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub steps: Vec<Step>,
    pub ids: Ids,
    /// The registry's Redirect URL as the instance generated it.
    pub redirect_url: Option<String>,
    /// Other active connections on the alias, which the instance would
    /// refuse next to ours: `name (link)`.
    pub conflicts: Vec<String>,
    /// What the admin should know but need not fix (attributes not kept).
    pub warnings: Vec<String>,
    /// The alias the connection is (or goes) under.
    pub alias: Alias,
    /// Records of this connection's found more than once: `2 oauth_entity
    /// records named …`.
    pub duplicates: Vec<String>,
}

impl Outcome {
    /// True when some record is created or updated.
    pub(crate) fn changes_anything(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s.action, Action::Create | Action::Update))
    }
}

const ALIAS_FIELDS: &[&str] = columns::ALIAS;
const REGISTRY_FIELDS: &[&str] = columns::REGISTRY;
const PROFILE_FIELDS: &[&str] = columns::PROFILE;
const SCOPE_FIELDS: &[&str] = columns::SCOPE;
const LINK_FIELDS: &[&str] = columns::LINK;
const CONNECTION_FIELDS: &[&str] = columns::CONNECTION;

/// Tables where another run can make a twin of a record jira-spoke just
/// created (same name): the credentials. Registry names have a unique index
/// (`oauth_entity_name_key`) and connection names are unique across
/// `sys_connection`, so the instance itself refuses the second of two.
const TWIN_TABLES: &[&str] = &[table::OAUTH_CREDENTIAL, table::BASIC_CREDENTIAL];

/// Fields whose change means the secret that goes with them changed too.
const IDENTITY_FIELDS: &[&str] = &["client_id", "user_name"];

/// Record names as the UI shows them.
const ALIAS: &str = "Connection & Credential Alias";
const REGISTRY: &str = "Application Registry";
const PROFILE: &str = "OAuth Entity Profile";
const SCOPE: &str = "OAuth Entity Scope";
const PROFILE_SCOPE: &str = "OAuth Entity Profile Scope";
const CREDENTIAL: &str = "Credential";
const CONNECTION: &str = "HTTP(s) Connection";

/// One record to make match.
struct Spec<'s> {
    record: &'static str,
    table: &'static str,
    key: String,
    /// Compared, and set when they differ.
    fields: Vec<(&'static str, String)>,
    /// Set only when the record is created.
    create_only: Vec<(&'static str, String)>,
    /// The password2 column and its value (an apply has it; a plan does not).
    secret: Option<(&'static str, Option<&'s Secret>)>,
    note: Option<String>,
}

/// The reads of a walk, answered again to the next walk of the same run:
/// the plan's reads serve the apply that follows it, and a plan made before
/// the schema was known is made again without a request. Only the reads
/// that open a walk are kept and answered; once a walk writes it reads the
/// instance itself.
#[derive(Default)]
pub(crate) struct Reads(std::sync::Mutex<std::collections::HashMap<String, Vec<Record>>>);

struct Walk<'a, T> {
    api: &'a T,
    /// Answers the opening reads; `None` once the walk writes.
    reads: Option<&'a Reads>,
    mode: Mode,
    /// What the walk recorded so far; its parts that do not wait for each
    /// other (the scope rows and links, the credential and connection) run
    /// together and record here.
    log: std::sync::Mutex<Log>,
    /// Records of one name found more than once (two runs at once).
    duplicates: std::sync::Mutex<Vec<String>>,
    /// Told of each record as it is done.
    progress: &'a (dyn Fn(Progress) + Sync),
    /// How many scope rows (and links) are wanted.
    scopes: usize,
    /// The profile, scope rows and links of a registry that exists, read
    /// with the first lookups (dot-walked by the registry's name).
    prefetched: Option<Prefetched>,
    /// The active connections under the spoke's alias and its children.
    active: Option<alias::Active>,
}

/// A record inserted inactive: its secret goes in, then it is activated
/// (unless it is to stay inactive). The caller sends this beside the next
/// records, which need only the record's sys_id.
struct Pending {
    table: &'static str,
    id: String,
    column: &'static str,
    secret: Secret,
    activate: bool,
}

/// What a walk records as it goes.
#[derive(Default)]
struct Log {
    steps: Vec<Step>,
    warnings: Vec<String>,
    /// Records created inactive, whose secret is still to be written
    /// before they are activated.
    pending: Vec<Pending>,
    /// Records as the instance answered their insert.
    inserted: Vec<Record>,
}

/// What hangs off a registry, read in one round trip with the lookups that
/// open the walk.
struct Prefetched {
    profiles: Vec<Record>,
    scopes: Vec<Record>,
    links: Vec<Record>,
}

impl Prefetched {
    /// The rows whose reference `column` is `id`.
    fn of(&self, rows: &[Record], column: &str, id: &str) -> Vec<Record> {
        rows.iter()
            .filter(|r| r.get(column) == Some(id))
            .cloned()
            .collect()
    }
}

/// Walks `wanted` on the instance. `secret` is the client secret (OAuth) or
/// the API token (basic auth); an apply needs it, a dry run does not.
pub(crate) async fn reconcile(
    api: &impl Tables,
    wanted: &Wanted,
    mode: Mode,
    secret: Option<&Secret>,
) -> Result<Outcome> {
    reconcile_with(api, wanted, mode, secret, &Reads::default(), &|_| {}).await
}

/// How far a walk has come: a record done, and how many of its kind (the
/// scope rows) were done so far and are wanted, for a progress line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Progress {
    pub record: &'static str,
    pub done: usize,
    pub of: usize,
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.of > 1 {
            write!(f, "{} {}/{}", self.record, self.done, self.of)
        } else {
            f.write_str(self.record)
        }
    }
}

/// [`reconcile`], answering its opening reads from `reads` (and keeping
/// them there), and telling `progress` of each record as it is done.
pub(crate) async fn reconcile_with(
    api: &impl Tables,
    wanted: &Wanted,
    mode: Mode,
    secret: Option<&Secret>,
    reads: &Reads,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Outcome> {
    let scopes = wanted.registry.as_ref().map_or(1, |r| r.scopes.len());
    let mut walk = Walk {
        api,
        reads: Some(reads),
        mode,
        log: Default::default(),
        duplicates: Default::default(),
        progress,
        scopes,
        prefetched: None,
        active: None,
    };
    // Reads first, sent together: nothing is written if the alias is
    // missing or taken.
    let c = &wanted.credential;
    let credential_columns = credential_columns(c, wanted.registry.is_some());
    let (spoke, ours, registry_rows, credential_rows, prefetched, active) = tokio::join!(
        walk.find_spoke(),
        walk.ours(wanted),
        async {
            match &wanted.registry {
                Some(r) => {
                    walk.named_rows(table::REGISTRY, &r.name, &r.legacy_name, REGISTRY_FIELDS)
                        .await
                }
                None => Ok(Vec::new()),
            }
        },
        walk.named_rows(c.table, &c.name, &c.legacy_name, &credential_columns),
        walk.prefetch(wanted),
        walk.active_connections(),
    );
    let (spoke, ours) = (spoke?, ours?);
    walk.prefetched = prefetched?;
    walk.active = Some(active?);
    walk.spoke_alias(spoke.as_ref());
    let registry_found = match &wanted.registry {
        Some(r) => walk.pick(
            table::REGISTRY,
            registry_rows?,
            &r.name,
            &r.legacy_name,
            ours.adopt,
        ),
        None => None,
    };
    let credential_found = walk.pick(
        c.table,
        credential_rows?,
        &c.name,
        &c.legacy_name,
        ours.adopt,
    );
    let alias = walk
        .pick_alias(wanted, spoke.as_ref(), ours.found.as_ref())
        .await?;
    let conflicts = if alias.multiple {
        Vec::new()
    } else {
        walk.conflicts(&alias, ours.found.as_ref()).await?
    };
    if let (Mode::Apply { .. }, false) = (mode, conflicts.is_empty()) {
        return Err(Error::ServiceNowConflict {
            instance: api.instance().url(),
            alias: alias.name.clone(),
            others: conflicts,
        });
    }

    // NOTE: from here on the walk writes (an apply): what it reads must be
    // the instance's answer of now.
    walk.reads = None;
    let mut ids = Ids::default();
    let mut redirect_url = None;
    // NOTE: what needs only the registry's sys_id goes beside its secret
    // and activation: the default profile's read and the scope rows; then
    // the credential and its connection beside the scope links, the
    // credential first (its chain is the longer).
    let (w, alias_id, found) = (&walk, &alias.id, ours.found);
    let chain = |profile: Option<Id>| async move {
        let credential = w
            .credential(
                &wanted.credential,
                profile.as_ref(),
                secret,
                credential_found,
            )
            .await?;
        Walk::finish(api, w.take_pending()).await?;
        let connection = w
            .connection(
                &wanted.connection,
                wanted.write_attributes,
                alias_id,
                &credential,
                found,
            )
            .await?;
        Ok::<_, Error>((credential, connection))
    };
    let (linked, chain) = match &wanted.registry {
        Some(registry) => {
            let entity = walk.registry(registry, secret, registry_found).await?;
            redirect_url = Some(api.instance().redirect_url());
            let (finished, profile, rows) = tokio::join!(
                Walk::finish(api, walk.take_pending()),
                walk.profile(registry, &entity),
                walk.scopes(registry, &entity)
            );
            finished?;
            let (profile, rows) = (profile?, rows?);
            ids.registry = entity.known().map(str::to_owned);
            ids.profile = profile.known().map(str::to_owned);
            let (chain, linked) = tokio::join!(
                chain(Some(profile.clone())),
                walk.profile_scopes(&profile, &rows)
            );
            (linked, chain)
        }
        None => (Ok(()), chain(None).await),
    };
    linked?;
    let (credential, connection) = chain?;
    ids.credential = credential.known().map(str::to_owned);
    ids.connection = connection.known().map(str::to_owned);
    let Log {
        mut steps,
        warnings,
        ..
    } = walk.log.into_inner().unwrap_or_else(|p| p.into_inner());
    // NOTE: parts that ran together recorded their steps as they finished;
    // the report lists them in the walk's order (stable within a kind).
    steps.sort_by_key(|s| walk_order(s.table));
    Ok(Outcome {
        steps,
        ids,
        redirect_url,
        conflicts,
        duplicates: walk
            .duplicates
            .into_inner()
            .unwrap_or_else(|p| p.into_inner()),
        warnings,
        alias,
    })
}

impl<T: Tables> Walk<'_, T> {
    /// What the walk recorded so far (never held across an await).
    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The records [`Walk::create`] left for [`Walk::finish`].
    fn take_pending(&self) -> Vec<Pending> {
        std::mem::take(&mut self.log().pending)
    }

    /// [`Tables::find`], answered from [`Reads`] while the walk has not
    /// written.
    async fn read(&self, table: &str, query: &Query, fields: &[&str]) -> Result<Vec<Record>> {
        let Some(reads) = self.reads else {
            return self.api.find(table, query, fields).await;
        };
        let key = format!("{table}?{}&{}", query.encoded()?, fields.join(","));
        let kept = reads
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned();
        if let Some(rows) = kept {
            return Ok(rows);
        }
        let rows = self.api.find(table, query, fields).await?;
        reads
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, rows.clone());
        Ok(rows)
    }

    fn link(&self, table: &str, id: &Id) -> Option<String> {
        id.known()
            .map(|id| self.api.instance().form_link(table, id))
    }

    /// Records a step; `what` is the record's UI name and its table.
    fn push(
        &self,
        (spec_record, table): (&'static str, &'static str),
        key: String,
        action: Action,
        changes: Vec<Change>,
        id: &Id,
        note: Option<String>,
    ) {
        let link = self.link(table, id);
        let of = if matches!(table, table::SCOPE | table::PROFILE_SCOPE) {
            self.scopes
        } else {
            1
        };
        let mut log = self.log();
        let done = log.steps.iter().filter(|s| s.table == table).count() + 1;
        (self.progress)(Progress {
            record: spec_record,
            done,
            of,
        });
        log.steps.push(Step {
            record: spec_record,
            table,
            key,
            action,
            changes,
            sys_id: id.known().map(str::to_owned),
            link,
            note,
        });
    }

    async fn credential(
        &self,
        c: &Credential,
        profile: Option<&Id>,
        secret: Option<&Secret>,
        found: Option<Record>,
    ) -> Result<Id> {
        let mut fields = vec![("name", c.name.clone())];
        if let Some(profile) = profile {
            fields.push(("oauth_entity_profile", profile.value()));
        }
        if let Some(user) = &c.user_name {
            fields.push(("user_name", user.clone()));
        }
        fields.push(("active", "true".to_owned()));
        let spec = Spec {
            record: CREDENTIAL,
            table: c.table,
            key: c.name.clone(),
            fields,
            create_only: vec![],
            secret: (c.table == table::BASIC_CREDENTIAL).then_some((c.secret_column, secret)),
            note: None,
        };
        self.ensure(spec, found).await
    }

    /// The HTTP(s) connection. Its attributes (`api_version` 2, `server_type`
    /// cloud) are the spoke's defaults for Jira Cloud: written when the
    /// connection is created (and the instance takes them as text), never
    /// compared, and a value that does not read back is a warning.
    async fn connection(
        &self,
        c: &HttpConnection,
        write_attributes: bool,
        alias: &Id,
        credential: &Id,
        found: Option<Record>,
    ) -> Result<Id> {
        let fields = vec![
            ("name", c.name.clone()),
            ("connection_alias", alias.value()),
            ("credential", credential.value()),
            ("connection_url", c.url.clone()),
            ("active", "true".to_owned()),
        ];
        let create_only = match records::attributes_update("") {
            Some(value) if write_attributes => vec![("extended_attributes", value)],
            _ => vec![],
        };
        let current = found
            .as_ref()
            .map(|f| f.get("extended_attributes").unwrap_or_default().to_owned());
        let spec = Spec {
            record: CONNECTION,
            table: table::CONNECTION,
            key: c.name.clone(),
            fields,
            create_only,
            secret: None,
            note: None,
        };
        let id = self.ensure(spec, found).await?;
        let kept = match (&id, current) {
            (_, Some(current)) => records::attributes_update(&current).is_none(),
            (Id::Known(id), None) => {
                let answer = self
                    .log()
                    .inserted
                    .iter()
                    .find(|r| r.sys_id() == id)
                    .cloned();
                match answer {
                    Some(answer) => attributes_kept(&answer),
                    None => self.attributes_kept(id).await?,
                }
            }
            (Id::Planned(_), None) => true,
        };
        if !kept {
            self.log().warnings.push(format!(
                "the connection's attributes ({}) are not set as text on the instance; the spoke's defaults \
                 for Jira Cloud (API version 2, cloud) apply, so nothing needs doing",
                records::ATTRIBUTES
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Ok(id)
    }

    /// Whether a connection just created kept the attributes it was given.
    async fn attributes_kept(&self, sys_id: &str) -> Result<bool> {
        let rows = self
            .read(
                table::CONNECTION,
                &Query::eq("sys_id", sys_id),
                &["extended_attributes"],
            )
            .await?;
        Ok(rows.first().is_some_and(attributes_kept))
    }
}

/// The columns a credential is read with.
fn credential_columns(c: &Credential, on_profile: bool) -> Vec<&'static str> {
    let mut columns = vec!["name", "active"];
    if on_profile {
        columns.push("oauth_entity_profile");
    }
    if c.user_name.is_some() {
        columns.push("user_name");
    }
    columns
}

/// Whether a connection as read (or as its insert was answered) holds the
/// attributes it was given.
fn attributes_kept(connection: &Record) -> bool {
    records::attributes_update(connection.get("extended_attributes").unwrap_or_default()).is_none()
}

/// Where a record of `table` comes in the walk (and in its report).
fn walk_order(table: &str) -> u8 {
    match table {
        table::ALIAS => 0,
        table::REGISTRY => 1,
        table::PROFILE => 2,
        table::SCOPE => 3,
        table::PROFILE_SCOPE => 4,
        table::CONNECTION => 6,
        _ => 5,
    }
}

#[cfg(test)]
mod tests;
