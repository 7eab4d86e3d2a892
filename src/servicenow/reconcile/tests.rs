//! The walk against tables kept in memory ([`Memory`]): what it plans, what
//! it writes and in which order, without HTTP. The instance's own ways (the
//! default profile made with a registry, a child alias's computed ID, a
//! twin made by another run) are modelled only as far as the walk meets
//! them; the Table API's are `tests/it/servicenow*.rs`'s, against the fake.

use std::collections::BTreeMap;
use std::sync::Mutex;

use url::Url;

use super::{Mode, Outcome, reconcile};
use crate::error::Result;
use crate::secret::Secret;
use crate::servicenow::Instance;
use crate::servicenow::client::{Query, Record, Tables};
use crate::servicenow::plan::Action;
use crate::servicenow::records::{ALIAS_ID, Wanted, table};
use crate::store::{Connection, Grant};

/// Rows by table, and every write in the order it was made.
struct Memory {
    instance: Instance,
    db: Mutex<Db>,
}

#[derive(Default)]
struct Db {
    rows: BTreeMap<&'static str, Vec<Record>>,
    /// `insert oauth_entity active=false`, `secret oauth_entity client_secret`, …
    writes: Vec<String>,
    /// Secrets as written, by table, sys_id and column.
    secrets: BTreeMap<(String, String, String), String>,
    created: u64,
    /// The next insert into this table is preceded by a twin another run
    /// made (same fields, created earlier).
    twin_next: Option<&'static str>,
}

/// The table a reference column of `table` points into, for dot-walks.
fn referenced(table: &str, column: &str) -> Option<&'static str> {
    match (table, column) {
        (_, "oauth_entity") => Some(table::REGISTRY),
        (_, "oauth_entity_profile") => Some(table::PROFILE),
        (table::PROFILE_SCOPE, "oauth_entity_scope") => Some(table::SCOPE),
        (_, "connection_alias") | (table::ALIAS, "parent") => Some(table::ALIAS),
        _ => None,
    }
}

/// A `&'static str` for a table name the walk uses.
fn known(table: &str) -> &'static str {
    [
        table::ALIAS,
        table::REGISTRY,
        table::PROFILE,
        table::SCOPE,
        table::PROFILE_SCOPE,
        table::OAUTH_CREDENTIAL,
        table::BASIC_CREDENTIAL,
        table::CONNECTION,
    ]
    .into_iter()
    .find(|t| *t == table)
    .unwrap_or_else(|| panic!("the walk used table {table}"))
}

impl Db {
    /// `column` of `row` in `table`, following references (`a.b.c`); empty
    /// through an empty reference, as the instance answers.
    fn value(&self, table: &str, row: &Record, column: &str) -> Option<String> {
        let Some((head, rest)) = column.split_once('.') else {
            return row.get(column).map(str::to_owned);
        };
        let target = referenced(table, head)?;
        let id = row.get(head).unwrap_or_default();
        let next = self.rows.get(target)?.iter().find(|r| r.sys_id() == id);
        Some(match next {
            Some(next) => self.value(target, next, rest).unwrap_or_default(),
            None => String::new(),
        })
    }

    fn insert(&mut self, table: &'static str, fields: &[(&str, String)]) -> Record {
        self.created += 1;
        let mut row: BTreeMap<String, String> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        row.insert("sys_id".into(), format!("{:032x}", self.created));
        row.insert("sys_created_on".into(), format!("{:08}", self.created));
        let row = Record(row);
        self.rows.entry(table).or_default().push(row.clone());
        self.after_insert(table, &row);
        row
    }

    /// What the instance does on an insert of its own accord.
    fn after_insert(&mut self, table: &'static str, row: &Record) {
        match table {
            table::REGISTRY if row.get("type") == Some("oauth_provider") => {
                let profile = [
                    (
                        "name",
                        format!("{} default_profile", row.get("name").unwrap()),
                    ),
                    ("oauth_entity", row.sys_id().to_owned()),
                    ("grant_type", row.get("default_grant_type").unwrap().into()),
                    ("default", "true".into()),
                ];
                self.insert(table::PROFILE, &profile);
            }
            table::ALIAS => {
                let id = format!("sn_jira_spoke.{}", row.get("name").unwrap());
                let rows = self.rows.get_mut(table).unwrap();
                let kept = rows
                    .iter_mut()
                    .find(|r| r.sys_id() == row.sys_id())
                    .unwrap();
                kept.0.insert("id".into(), id);
            }
            _ => {}
        }
    }

    fn row_mut(&mut self, table: &str, sys_id: &str) -> &mut Record {
        self.rows
            .get_mut(table)
            .and_then(|rows| rows.iter_mut().find(|r| r.sys_id() == sys_id))
            .unwrap_or_else(|| panic!("no {table} record {sys_id}"))
    }

    fn name_of(&self, table: &str, sys_id: &str) -> String {
        self.rows[table]
            .iter()
            .find(|r| r.sys_id() == sys_id)
            .and_then(|r| r.get("name"))
            .unwrap_or_default()
            .to_owned()
    }
}

/// `k=v` of the fields, in the order given.
fn shown(fields: &[(&str, String)]) -> String {
    let parts: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    parts.join(" ")
}

impl Tables for Memory {
    fn instance(&self) -> &Instance {
        &self.instance
    }

    async fn find(&self, table: &str, query: &Query, fields: &[&str]) -> Result<Vec<Record>> {
        let db = self.db.lock().unwrap();
        let mut wanted: Vec<&str> = vec!["sys_id"];
        wanted.extend(fields.iter().copied().chain(query.columns()));
        let mut found = Vec::new();
        for row in db.rows.get(table).into_iter().flatten() {
            let view: BTreeMap<String, String> = wanted
                .iter()
                .filter_map(|c| db.value(table, row, c).map(|v| ((*c).to_owned(), v)))
                .collect();
            let view = Record(view);
            if query.matches(&view) {
                found.push(view);
            }
        }
        Ok(found)
    }

    async fn insert_record(&self, table: &str, fields: &[(&str, String)]) -> Result<Record> {
        let table = known(table);
        let mut db = self.db.lock().unwrap();
        if db.twin_next.take() == Some(table) {
            db.insert(table, fields);
        }
        db.writes.push(format!("insert {table} {}", shown(fields)));
        Ok(db.insert(table, fields))
    }

    async fn update(&self, table: &str, sys_id: &str, fields: &[(&str, String)]) -> Result<()> {
        let mut db = self.db.lock().unwrap();
        let name = db.name_of(table, sys_id);
        db.writes
            .push(format!("update {table} `{name}` {}", shown(fields)));
        let row = db.row_mut(table, sys_id);
        for (k, v) in fields {
            row.0.insert((*k).to_owned(), v.clone());
        }
        Ok(())
    }

    async fn delete(&self, table: &str, sys_id: &str) -> Result<()> {
        let mut db = self.db.lock().unwrap();
        db.writes.push(format!("delete {table} {sys_id}"));
        db.rows
            .get_mut(table)
            .unwrap()
            .retain(|r| r.sys_id() != sys_id);
        Ok(())
    }

    async fn write_secret(
        &self,
        table: &str,
        sys_id: &str,
        column: &str,
        secret: &Secret,
    ) -> Result<()> {
        let mut db = self.db.lock().unwrap();
        let name = db.name_of(table, sys_id);
        db.writes.push(format!("secret {table} `{name}` {column}"));
        let key = (table.to_owned(), sys_id.to_owned(), column.to_owned());
        db.secrets.insert(key, secret.expose().to_owned());
        Ok(())
    }
}

impl Memory {
    /// An instance with the Jira spoke active: its alias, nothing else.
    fn with_spoke() -> Memory {
        let memory = Memory {
            instance: Instance::parse("https://acme.service-now.com").unwrap(),
            db: Mutex::default(),
        };
        let spoke = [
            ("id", ALIAS_ID.to_owned()),
            ("name", "Jira".to_owned()),
            ("multiple_connections", "false".to_owned()),
            ("parent", String::new()),
            ("type", "connection".to_owned()),
            ("connection_type", "http_connection".to_owned()),
        ];
        memory.db.lock().unwrap().insert(table::ALIAS, &spoke);
        memory
    }

    fn writes(&self) -> Vec<String> {
        std::mem::take(&mut self.db.lock().unwrap().writes)
    }

    fn rows(&self, table: &str) -> Vec<Record> {
        let db = self.db.lock().unwrap();
        db.rows.get(table).cloned().unwrap_or_default()
    }

    fn spoke_id(&self) -> String {
        let aliases = self.rows(table::ALIAS);
        let spoke = aliases.iter().find(|r| r.get("id") == Some(ALIAS_ID));
        spoke.unwrap().sys_id().to_owned()
    }
}

const CLOUD_ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

fn wanted(name: &str, grant: Grant, client_id: &str) -> Wanted {
    let url = format!("https://api.atlassian.com/ex/jira/{CLOUD_ID}/");
    let mut c = Connection::new(grant, Url::parse(&url).unwrap());
    c.client_id = Some(client_id.into());
    c.email = Some("admin@example.com".into());
    Wanted::of(name, &c)
}

const APPLY: Mode = Mode::Apply {
    write_secrets: false,
};

async fn walk(memory: &Memory, wanted: &Wanted, mode: Mode) -> Outcome {
    let secret = Secret::new("s3cret-value");
    let secret = (mode != Mode::DryRun).then_some(&secret);
    reconcile(memory, wanted, mode, secret).await.unwrap()
}

/// `table action` of each step, in the order reported.
fn steps(outcome: &Outcome) -> Vec<String> {
    outcome
        .steps
        .iter()
        .map(|s| format!("{} {:?}", s.table, s.action))
        .collect()
}

/// The writes that name `table`.
fn on(writes: &[String], table: &str) -> Vec<String> {
    writes
        .iter()
        .filter(|w| w.split(' ').nth(1) == Some(table))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_plan_on_a_fresh_instance_lists_every_record_in_walk_order_and_writes_nothing() {
    let memory = Memory::with_spoke();
    let wanted = wanted("prod", Grant::AuthorizationCode, "cid");
    let scopes = wanted.registry.as_ref().unwrap().scopes.len();
    let plan = walk(&memory, &wanted, Mode::DryRun).await;
    let mut expected = vec![
        "sys_alias Unchanged".to_owned(),
        "oauth_entity Create".to_owned(),
        "oauth_entity_profile Create".to_owned(),
    ];
    expected.extend(vec!["oauth_entity_scope Create".to_owned(); scopes]);
    expected.extend(vec!["oauth_entity_profile_scope Create".to_owned(); scopes]);
    expected.push("oauth_2_0_credentials Create".into());
    expected.push("http_connection Create".into());
    assert_eq!(steps(&plan), expected);
    assert!(plan.changes_anything());
    assert_eq!(
        memory.writes(),
        Vec::<String>::new(),
        "a plan writes nothing"
    );
}

#[tokio::test]
async fn an_apply_makes_the_records_once_and_a_second_apply_writes_nothing() {
    let memory = Memory::with_spoke();
    let wanted = wanted("prod", Grant::AuthorizationCode, "cid");
    let scopes = wanted.registry.as_ref().unwrap().scopes.len();
    let first = walk(&memory, &wanted, APPLY).await;
    assert!(first.changes_anything());
    for (table, count) in [
        (table::REGISTRY, 1),
        (table::PROFILE, 1),
        (table::SCOPE, scopes),
        (table::PROFILE_SCOPE, scopes),
        (table::OAUTH_CREDENTIAL, 1),
        (table::CONNECTION, 1),
    ] {
        assert_eq!(memory.rows(table).len(), count, "{table}");
    }
    let ids = &first.ids;
    let connection = &memory.rows(table::CONNECTION)[0];
    assert_eq!(
        connection.get("connection_alias"),
        Some(&*memory.spoke_id())
    );
    assert_eq!(connection.get("credential"), ids.credential.as_deref());
    let credential = &memory.rows(table::OAUTH_CREDENTIAL)[0];
    assert_eq!(
        credential.get("oauth_entity_profile"),
        ids.profile.as_deref()
    );
    assert_eq!(credential.get("active"), Some("true"));
    let profile = &memory.rows(table::PROFILE)[0];
    assert_eq!(profile.get("oauth_entity"), ids.registry.as_deref());
    for link in memory.rows(table::PROFILE_SCOPE) {
        assert_eq!(link.get("oauth_entity_profile"), ids.profile.as_deref());
    }
    memory.writes();

    let second = walk(&memory, &wanted, APPLY).await;
    assert!(!second.changes_anything(), "{:?}", steps(&second));
    assert!(
        second.steps.iter().all(|s| s.action == Action::Unchanged),
        "{:?}",
        steps(&second)
    );
    assert_eq!(memory.writes(), Vec::<String>::new());
}

#[tokio::test]
async fn a_new_registry_is_active_only_once_its_secret_is_in() {
    let memory = Memory::with_spoke();
    let wanted = wanted("prod", Grant::ClientCredentials, "cid");
    let outcome = walk(&memory, &wanted, APPLY).await;
    let writes = on(&memory.writes(), table::REGISTRY);
    let name = &wanted.registry.as_ref().unwrap().name;
    assert_eq!(writes.len(), 3, "{writes:#?}");
    assert!(writes[0].starts_with("insert oauth_entity "), "{writes:#?}");
    assert!(writes[0].contains(" active=false"), "{writes:#?}");
    assert_eq!(
        writes[1..],
        [
            format!("secret oauth_entity `{name}` client_secret"),
            format!("update oauth_entity `{name}` active=true"),
        ]
    );
    let db = memory.db.lock().unwrap();
    let registry = outcome.ids.registry.unwrap();
    let key = ("oauth_entity".into(), registry, "client_secret".into());
    assert_eq!(
        db.secrets.get(&key).map(String::as_str),
        Some("s3cret-value")
    );
}

#[tokio::test]
async fn a_new_client_id_takes_the_registry_out_of_use_until_its_secret_is_in() {
    let memory = Memory::with_spoke();
    walk(
        &memory,
        &wanted("prod", Grant::ClientCredentials, "cid"),
        APPLY,
    )
    .await;
    memory.writes();
    let changed = wanted("prod", Grant::ClientCredentials, "cid-2");
    let outcome = walk(&memory, &changed, APPLY).await;
    let name = &changed.registry.as_ref().unwrap().name;
    assert_eq!(
        memory.writes(),
        [
            format!("update oauth_entity `{name}` client_id=cid-2 active=false"),
            format!("secret oauth_entity `{name}` client_secret"),
            format!("update oauth_entity `{name}` active=true"),
        ]
    );
    let registry = outcome.steps.iter().find(|s| s.table == table::REGISTRY);
    assert_eq!(registry.unwrap().action, Action::Update);
}

#[tokio::test]
async fn a_twin_credential_made_meanwhile_is_carried_on_with_and_ours_deleted() {
    let memory = Memory::with_spoke();
    memory.db.lock().unwrap().twin_next = Some(table::BASIC_CREDENTIAL);
    let wanted = wanted("prod", Grant::ApiToken, "");
    let outcome = walk(&memory, &wanted, APPLY).await;
    let credentials = memory.rows(table::BASIC_CREDENTIAL);
    assert_eq!(
        credentials.len(),
        1,
        "the twin made meanwhile is kept alone"
    );
    let older = credentials[0].sys_id();
    assert_eq!(outcome.ids.credential.as_deref(), Some(older));
    let connection = &memory.rows(table::CONNECTION)[0];
    assert_eq!(connection.get("credential"), Some(older));
    let writes = on(&memory.writes(), table::BASIC_CREDENTIAL);
    assert!(writes[1].starts_with("delete "), "{writes:#?}");
    assert!(
        writes[2].starts_with("secret basic_auth_credentials "),
        "the secret goes into the record kept: {writes:#?}"
    );
}

#[tokio::test]
async fn a_second_site_goes_under_a_child_alias_when_the_spokes_is_taken() {
    let memory = Memory::with_spoke();
    let other = [
        ("name", "Another site's connection".to_owned()),
        ("connection_alias", memory.spoke_id()),
        (
            "connection_url",
            "https://api.atlassian.com/ex/jira/other".into(),
        ),
        ("active", "true".to_owned()),
    ];
    memory.db.lock().unwrap().insert(table::CONNECTION, &other);
    let wanted = wanted("second", Grant::ClientCredentials, "cid");
    let outcome = walk(&memory, &wanted, APPLY).await;
    assert!(outcome.alias.child, "{:?}", outcome.alias);
    let child_name = &wanted.site.alias_name;
    assert_eq!(outcome.alias.name, format!("sn_jira_spoke.{child_name}"));
    let aliases = memory.rows(table::ALIAS);
    let child = aliases
        .iter()
        .find(|r| r.get("name") == Some(child_name.as_str()))
        .unwrap();
    assert_eq!(child.get("parent"), Some(&*memory.spoke_id()));
    let ours = memory
        .rows(table::CONNECTION)
        .into_iter()
        .find(|r| r.get("name") == Some(wanted.connection.name.as_str()))
        .unwrap();
    assert_eq!(ours.get("connection_alias"), Some(child.sys_id()));
}

#[tokio::test]
async fn a_scope_row_named_after_its_scope_is_completed_not_made_again() {
    let memory = Memory::with_spoke();
    let wanted = wanted("prod", Grant::ClientCredentials, "cid");
    walk(&memory, &wanted, APPLY).await;
    let scope = wanted.registry.as_ref().unwrap().scopes[0].clone();
    {
        let mut db = memory.db.lock().unwrap();
        let rows = db.rows.get_mut(table::SCOPE).unwrap();
        let row = rows.iter_mut().find(|r| r.get("name") == Some(&*scope));
        row.unwrap()
            .0
            .insert("oauth_entity_scope".into(), String::new());
    }
    memory.writes();
    walk(&memory, &wanted, APPLY).await;
    assert_eq!(
        memory.writes(),
        [format!(
            "update oauth_entity_scope `{scope}` oauth_entity_scope={scope}"
        )]
    );
    let scopes = memory.rows(table::SCOPE);
    assert_eq!(scopes.len(), wanted.registry.as_ref().unwrap().scopes.len());
}
