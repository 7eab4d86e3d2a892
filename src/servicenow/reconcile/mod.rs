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

use std::collections::BTreeSet;

use std::time::Duration;

mod alias;

pub(crate) use alias::Alias;

use super::client::{Query, Record, Tables};
use super::dictionary::OPTIONAL_COLUMNS;
use super::plan::{self, Action, Change, Step};
use super::records::{
    self, Credential, HttpConnection, PROVIDER_TYPE, Registry, Wanted, columns, table,
};
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

    /// The Application Registry, with the Redirect URL the form would
    /// fill: the instance's `oauth_redirect.do` (not auto-filled over REST).
    async fn registry(
        &self,
        r: &Registry,
        secret: Option<&Secret>,
        found: Option<Record>,
    ) -> Result<Id> {
        let mut fields = vec![
            ("name", r.name.clone()),
            ("type", PROVIDER_TYPE.to_owned()),
            ("client_id", r.client_id.clone()),
            ("default_grant_type", r.grant.value.to_owned()),
        ];
        if let Some(url) = &r.auth_url {
            fields.push(("auth_url", url.clone()));
        }
        fields.push(("token_url", r.token_url.clone()));
        if let Some(url) = &r.refresh_token_url {
            fields.push(("refresh_token_url", url.clone()));
        }
        fields.push(("revoke_token_url", r.revoke_token_url.clone()));
        fields.push(("redirect_url", self.api.instance().redirect_url()));
        fields.push(("active", "true".to_owned()));
        let spec = Spec {
            record: REGISTRY,
            table: table::REGISTRY,
            key: r.name.clone(),
            fields,
            create_only: vec![],
            secret: Some(("client_secret", secret)),
            note: None,
        };
        self.ensure(spec, found).await
    }

    /// The registry's default profile: ServiceNow creates it with the
    /// registry, so it is found (created only if it is gone), and its grant
    /// type is set to the registry's.
    async fn profile(&self, r: &Registry, entity: &Id) -> Result<Id> {
        let mut found = None;
        let mut auto = false;
        if let Id::Known(entity_id) = entity {
            let fresh = self
                .log()
                .steps
                .iter()
                .any(|s| s.table == table::REGISTRY && s.action == Action::Create);
            // NOTE: the instance makes the default profile in a business rule on
            // insert; allow it a moment before concluding it is missing.
            let tries = if fresh { 4 } else { 1 };
            if let Some(p) = self.prefetched.as_ref().filter(|_| !fresh) {
                found = p
                    .of(&p.profiles, "oauth_entity", entity_id)
                    .into_iter()
                    .next();
            }
            for attempt in 0..tries {
                if found.is_some() || (attempt == 0 && !fresh && self.prefetched.is_some()) {
                    break;
                }
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                // NOTE: asked again each try, never answered from `reads`.
                found = self
                    .api
                    .find(
                        table::PROFILE,
                        &Query::eq("oauth_entity", entity_id).and("default", "true"),
                        PROFILE_FIELDS,
                    )
                    .await?
                    .into_iter()
                    .next();
                if found.is_some() {
                    auto = fresh;
                    break;
                }
            }
        }
        let planned_auto = entity.known().is_none();
        let note = if auto || planned_auto {
            Some("ServiceNow creates it with the registry".to_owned())
        } else if found.is_none() {
            Some("the registry had no default profile".to_owned())
        } else {
            None
        };
        if planned_auto {
            // A dry run of a new registry: the instance will make this one.
            let id = Id::Planned(PROFILE);
            let changes = plan::diff(&[("grant_type", r.grant.value.to_owned())], None);
            self.push(
                (PROFILE, table::PROFILE),
                r.profile_name.clone(),
                Action::Create,
                changes,
                &id,
                note,
            );
            return Ok(id);
        }
        let key = found
            .as_ref()
            .and_then(|f| f.get("name"))
            .filter(|n| !n.is_empty())
            .unwrap_or(&r.profile_name)
            .to_owned();
        let fields = vec![("grant_type", r.grant.value.to_owned())];
        if let Some(profile) = found
            .as_ref()
            .filter(|f| auto && plan::diff(&fields, Some(f)).is_empty())
        {
            // Made by the instance just now, as wanted: report it as created.
            let id = Id::Known(profile.sys_id().to_owned());
            let changes = plan::diff(&fields, None);
            self.push(
                (PROFILE, table::PROFILE),
                key,
                Action::Create,
                changes,
                &id,
                note,
            );
            return Ok(id);
        }
        let spec = Spec {
            record: PROFILE,
            table: table::PROFILE,
            key,
            fields,
            create_only: vec![
                ("name", r.profile_name.clone()),
                ("oauth_entity", entity.value()),
                ("default", "true".to_owned()),
            ],
            secret: None,
            note,
        };
        self.ensure(spec, found).await
    }

    /// One `oauth_entity_scope` row per scope, with both its name and the
    /// scope string sent to Atlassian. A row that already carries the scope
    /// (also inside a space-separated list) counts; a row named after the
    /// scope with an empty OAuth scope is completed. Returns, per scope, the
    /// row that carries it.
    async fn scopes(&self, r: &Registry, entity: &Id) -> Result<Vec<(String, Id)>> {
        let rows = match (entity, &self.prefetched) {
            (Id::Known(id), Some(p)) => p.of(&p.scopes, "oauth_entity", id),
            (Id::Known(id), None) => {
                self.api
                    .find(table::SCOPE, &Query::eq("oauth_entity", id), SCOPE_FIELDS)
                    .await?
            }
            (Id::Planned(_), _) => Vec::new(),
        };
        let mut items = Vec::new();
        for scope in &r.scopes {
            let carries = |row: &&Record| row.get("oauth_entity_scope") == Some(scope.as_str());
            let within = |row: &&Record| {
                row.get("oauth_entity_scope")
                    .is_some_and(|v| v.split_whitespace().any(|s| s == scope))
            };
            let named = |row: &&Record| row.get("name") == Some(scope.as_str());
            let (found, fields, note) = if let Some(row) = rows.iter().find(carries) {
                (Some(row), vec![], None)
            } else if let Some(row) = rows.iter().find(within) {
                let note = format!(
                    "carried by the row `{}`",
                    row.get("name").unwrap_or_default()
                );
                (Some(row), vec![], Some(note))
            } else if let Some(row) = rows.iter().find(named) {
                (Some(row), vec![("oauth_entity_scope", scope.clone())], None)
            } else {
                let fields = vec![
                    ("name", scope.clone()),
                    ("oauth_entity_scope", scope.clone()),
                ];
                (None, fields, None)
            };
            let spec = Spec {
                record: SCOPE,
                table: table::SCOPE,
                key: scope.clone(),
                fields,
                create_only: vec![("oauth_entity", entity.value())],
                secret: None,
                note,
            };
            items.push((spec, found.cloned()));
        }
        let ids = self.ensure_all(items).await?;
        Ok(r.scopes.iter().cloned().zip(ids).collect())
    }

    /// Links every scope row to the default profile.
    async fn profile_scopes(&self, profile: &Id, rows: &[(String, Id)]) -> Result<()> {
        let links = match (profile, &self.prefetched) {
            (Id::Known(id), Some(p)) => p.of(&p.links, "oauth_entity_profile", id),
            (Id::Known(id), None) => {
                self.api
                    .find(
                        table::PROFILE_SCOPE,
                        &Query::eq("oauth_entity_profile", id),
                        LINK_FIELDS,
                    )
                    .await?
            }
            (Id::Planned(_), _) => Vec::new(),
        };
        let linked: BTreeSet<&str> = links
            .iter()
            .filter_map(|l| l.get("oauth_entity_scope"))
            .collect();
        let mut done: BTreeSet<String> = BTreeSet::new();
        let mut items = Vec::new();
        for (scope, row) in rows {
            let row_value = row.value();
            // A row carrying several scopes is linked once.
            if row.known().is_some() && !done.insert(row_value.clone()) {
                continue;
            }
            let found = row
                .known()
                .filter(|id| linked.contains(id))
                .and_then(|id| {
                    links
                        .iter()
                        .find(|l| l.get("oauth_entity_scope") == Some(id))
                })
                .cloned();
            let spec = Spec {
                record: PROFILE_SCOPE,
                table: table::PROFILE_SCOPE,
                key: scope.clone(),
                fields: if found.is_some() {
                    vec![]
                } else {
                    vec![
                        ("oauth_entity_profile", profile.value()),
                        ("oauth_entity_scope", row_value),
                    ]
                },
                create_only: vec![],
                secret: None,
                note: None,
            };
            items.push((spec, found));
        }
        self.ensure_all(items).await.map(|_| ())
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

    /// [`Walk::ensure`] for many records of one kind (the scope rows and
    /// their links): the new ones, which carry no secret, are inserted
    /// together (the client keeps at most [`super::client::IN_FLIGHT`] in
    /// flight); the steps are recorded in
    /// order.
    async fn ensure_all(&self, items: Vec<(Spec<'_>, Option<Record>)>) -> Result<Vec<Id>> {
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
    async fn ensure(&self, spec: Spec<'_>, found: Option<Record>) -> Result<Id> {
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
    async fn create(
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
    async fn finish(api: &T, pending: Vec<Pending>) -> Result<()> {
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
}

impl<T: Tables> Walk<'_, T> {
    /// After a named record is created: the older record of the same name
    /// when another run (another admin, another machine) created its twin
    /// at the same time; the caller deletes the one just made and carries
    /// on with the older.
    async fn older_twin(
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
    async fn named_rows(
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
    fn pick(
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

impl<T: Tables> Walk<'_, T> {
    /// The default profiles, scope rows and profile links of the registry
    /// named as wanted (or as an earlier version named it), dot-walked by
    /// that name: nothing to wait for, so they go with the first lookups.
    async fn prefetch(&self, wanted: &Wanted) -> Result<Option<Prefetched>> {
        let Some(r) = &wanted.registry else {
            return Ok(None);
        };
        let names = [r.name.clone(), r.legacy_name.clone()];
        let by_registry = |path: &str| Query::default().and_in(path, &names);
        let with = |fields: &[&'static str], path: &'static str| {
            let mut all = fields.to_vec();
            all.push(path);
            all
        };
        const PROFILE_PATH: &str = "oauth_entity.name";
        const LINK_PATH: &str = "oauth_entity_profile.oauth_entity.name";
        let profile_query = by_registry(PROFILE_PATH).and("default", "true");
        let scope_query = by_registry(PROFILE_PATH);
        let link_query = by_registry(LINK_PATH);
        let profile_fields = with(PROFILE_FIELDS, PROFILE_PATH);
        let scope_fields = with(SCOPE_FIELDS, PROFILE_PATH);
        let link_fields = with(LINK_FIELDS, LINK_PATH);
        let (profiles, scopes, links) = tokio::join!(
            self.read(table::PROFILE, &profile_query, &profile_fields),
            self.read(table::SCOPE, &scope_query, &scope_fields),
            self.read(table::PROFILE_SCOPE, &link_query, &link_fields),
        );
        Ok(Some(Prefetched {
            profiles: profiles?,
            scopes: scopes?,
            links: links?,
        }))
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

fn optional(table: &str, column: &str) -> bool {
    OPTIONAL_COLUMNS.contains(&(table, column))
}

fn need(secret: Option<&Secret>) -> Result<&Secret> {
    secret
        .ok_or_else(|| Error::Internal("an apply was started without the secret it writes".into()))
}

#[cfg(test)]
mod tests;
