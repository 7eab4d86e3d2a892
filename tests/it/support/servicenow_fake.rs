//! An in-process fake of a ServiceNow instance's Table API, strict where
//! ServiceNow is (as documented in its Table API reference and by the tools
//! that ran against real instances), for the `servicenow` tests. One HTTP
//! server on 127.0.0.1:0, its own thread and runtime.
//!
//! | route | behaviour |
//! | --- | --- |
//! | `GET /api/now/table/<table>` | Basic auth (401 otherwise) and a role per table (403); `sysparm_query` with `=`, `!=`, `IN`, `^` — a condition on an unknown column is **ignored**, so the query then matches every row; `sysparm_fields` (unknown names ignored), `sysparm_limit`/`sysparm_offset` with `X-Total-Count`; references as `{"link","value"}` unless `sysparm_exclude_reference_link=true`; a password2 column only ever as `****` (and counted: tests expect none asked for) |
//! | `POST /api/now/table/<table>` | JSON only (400 otherwise); unknown columns dropped; booleans, choice values and references checked (400); a password2 column only with `sysparm_input_display_value=true` (400), which also makes every other column a display value (a reference by name); `oauth_entity`: unique `name` (400 duplicate key), `redirect_url` generated, the default profile created for an `oauth_provider`; a second default profile of a registry refused (403, as the "Validate OAuth entity profile" rule does); a second active connection on an alias without multiple connections refused (403); 201 |
//! | `PATCH /api/now/table/<table>/<sys_id>` | the same checks; 404 for an unknown record; 200 |
//! | `DELETE /api/now/table/<table>/<sys_id>` | 204 |
//! | `GET /oauth_initiator.do` | "Get OAuth Token": for an `oauth_2_0_credentials` requestor on its own profile of an authorization-code registry with a secret, stores an `oauth_requestor_profile` and a `refresh_token` row in `oauth_credential` (200 page "the refresh token is available"); 400 page when `consent_works` is off (a callback mismatch at Atlassian) |
//!
//! `sys_dictionary` and `sys_choice` are generated from the fake's schema, so
//! [`FakeServiceNow::remove_column`] makes an instance that lacks a column.
//! Every request is recorded; `fail_next` queues canned answers for a path prefix.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

pub(crate) use super::serve::RecordedRequest;
use super::serve::{Response, Server, respond, set_header};
pub(crate) use super::servicenow_oauth::SnClient;
use super::servicenow_oauth::{self as oauth, Issued};

/// The admin the fake accepts, and its password (a test secret).
pub(crate) const SN_USER: &str = "admin";
pub(crate) const SN_PASSWORD: &str = "sn-admin-PW-789";
/// sys_id of the spoke's alias in the fake.
pub(crate) const ALIAS_SYS_ID: &str = "a11a5000000000000000000000000001";

/// A row: every value a string.
pub(crate) type Row = BTreeMap<String, String>;

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Text,
    Bool,
    /// A reference to a row of this table (or a table extending it).
    Ref(&'static str),
    Choice(Vec<&'static str>),
    Password2,
    DateTime,
}

struct Table {
    name: &'static str,
    parent: Option<&'static str>,
    columns: Vec<(&'static str, Kind)>,
}

const GRANTS: &[&str] = &[
    "authorization_code",
    "client_credentials",
    "password",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
];

fn schema() -> Vec<Table> {
    use Kind::*;
    let t = |name, parent, columns| Table {
        name,
        parent,
        columns,
    };
    vec![
        t(
            "sys_alias",
            None,
            vec![
                ("id", Text),
                ("name", Text),
                ("type", Choice(vec!["connection", "credential"])),
                ("connection_type", Text),
                ("multiple_connections", Bool),
                ("parent", Ref("sys_alias")),
                ("configuration_template", Text),
                ("retry_policy", Text),
            ],
        ),
        t(
            "oauth_entity",
            None,
            vec![
                ("name", Text),
                ("type", Choice(vec!["oauth_provider", "client"])),
                ("client_id", Text),
                ("client_secret", Password2),
                ("default_grant_type", Choice(GRANTS.to_vec())),
                ("auth_url", Text),
                ("token_url", Text),
                ("refresh_token_url", Text),
                ("revoke_token_url", Text),
                ("redirect_url", Text),
                ("active", Bool),
                ("comments", Text),
            ],
        ),
        t(
            "oauth_entity_scope",
            None,
            vec![
                ("name", Text),
                ("oauth_entity_scope", Text),
                ("oauth_entity", Ref("oauth_entity")),
            ],
        ),
        t(
            "oauth_entity_profile",
            None,
            vec![
                ("name", Text),
                ("oauth_entity", Ref("oauth_entity")),
                ("grant_type", Choice(GRANTS.to_vec())),
                ("default", Bool),
            ],
        ),
        t(
            "oauth_entity_profile_scope",
            None,
            vec![
                ("oauth_entity_profile", Ref("oauth_entity_profile")),
                ("oauth_entity_scope", Ref("oauth_entity_scope")),
            ],
        ),
        t(
            "discovery_credentials",
            None,
            vec![("name", Text), ("active", Bool), ("order", Text)],
        ),
        t(
            "oauth_2_0_credentials",
            Some("discovery_credentials"),
            vec![("oauth_entity_profile", Ref("oauth_entity_profile"))],
        ),
        t(
            "basic_auth_credentials",
            Some("discovery_credentials"),
            vec![("user_name", Text), ("password", Password2)],
        ),
        t(
            "sys_connection",
            None,
            vec![
                ("name", Text),
                ("active", Bool),
                ("connection_alias", Ref("sys_alias")),
                ("credential", Ref("discovery_credentials")),
                ("connection_url", Text),
            ],
        ),
        t(
            "http_connection",
            Some("sys_connection"),
            vec![("extended_attributes", Text)],
        ),
        t(
            "oauth_requestor_profile",
            None,
            vec![
                ("requestor_id", Text),
                ("requestor_context", Text),
                ("oauth_entity_profile", Ref("oauth_entity_profile")),
            ],
        ),
        t(
            "oauth_credential",
            None,
            vec![
                ("type", Choice(vec!["refresh_token", "access_token"])),
                ("expires", DateTime),
                ("oauth_requestor_profile", Ref("oauth_requestor_profile")),
                ("peer", Ref("oauth_entity")),
                ("token", Password2),
            ],
        ),
        t(
            "sys_dictionary",
            None,
            vec![("name", Text), ("element", Text), ("internal_type", Text)],
        ),
        t(
            "sys_choice",
            None,
            vec![
                ("name", Text),
                ("element", Text),
                ("value", Text),
                ("inactive", Bool),
            ],
        ),
    ]
}

/// The role a table needs (admin has every role).
fn role_for(table: &str) -> &'static str {
    match table {
        t if t.starts_with("oauth_") => "oauth_admin",
        t if t.ends_with("_credentials") => "credential_admin",
        "sys_alias" | "sys_connection" | "http_connection" => "connection_admin",
        _ => "admin",
    }
}

/// What the fake believes; tests change it with `configure`.
pub(crate) struct SnState {
    pub user: String,
    pub password: String,
    pub roles: Vec<String>,
    /// Whether "Get OAuth Token" ends with a refresh token.
    pub consent_works: bool,
    /// Lifetime of the refresh tokens consent stores (negative: already expired).
    pub refresh_token_lifetime_secs: i64,
    /// "Basic Auth Restriction" enforced: basic auth is refused (401).
    pub basic_auth_restricted: bool,
    /// The user has MFA: basic auth is answered 401 with `X-MFA_TOKEN`.
    pub mfa: bool,
    /// Inbound OAuth clients (System OAuth → Application Registry).
    pub oauth_clients: Vec<SnClient>,
    /// `glide.oauth.inbound.client.credential.grant_type.enabled`.
    pub client_credentials_enabled: bool,
    /// Tokens and codes the instance's OAuth server issued.
    pub issued: Issued,
    /// Tables whose rows ACLs filter: reads answer 200 with no rows.
    pub row_filtered: Vec<String>,
    /// Reads need the table's role as writes do (else anyone signed in may read).
    pub reads_need_roles: bool,
    /// `http_connection.extended_attributes` does not keep what is written.
    pub attributes_not_kept: bool,
    /// The client secret Atlassian accepts, for "Get OAuth Token" of client
    /// credentials (`None`: any secret stored as a display value).
    pub atlassian_client_secret: Option<String>,
    /// How long every request is held before it is answered.
    pub latency: std::time::Duration,
    /// After "Get OAuth Token", this many reads of `oauth_credential` answer 500.
    pub token_reads_fail_after_consent: usize,
    /// The `expires` text "Get OAuth Token" writes instead of a date-time.
    pub token_expires_text: Option<String>,
    /// Tables whose next insert another run beats: a twin of the same
    /// fields, made a moment earlier, appears with it (once per table).
    pub twin_on_insert: Vec<String>,
}

struct Canned {
    /// Only requests of this method, when set.
    method: Option<String>,
    prefix: String,
    remaining: usize,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Default)]
struct Db {
    rows: BTreeMap<String, Vec<Row>>,
    /// Password2 values as written (the fake's "decryption").
    secrets: BTreeMap<(String, String, String), String>,
    /// Removed columns, per table.
    removed: Vec<(String, String)>,
    counter: u64,
    log: Vec<RecordedRequest>,
    canned: Vec<Canned>,
    secret_reads: usize,
}

struct Shared {
    state: Mutex<SnState>,
    db: Mutex<Db>,
    base: String,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A running fake instance; stops when dropped.
pub(crate) struct FakeServiceNow {
    shared: Arc<Shared>,
    server: Server,
}

impl FakeServiceNow {
    /// Starts an instance with the Jira spoke active: its alias, and the
    /// dictionary and choice lists of the tables above.
    pub(crate) fn start() -> FakeServiceNow {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            state: Mutex::new(SnState {
                user: SN_USER.into(),
                password: SN_PASSWORD.into(),
                roles: vec!["admin".into()],
                consent_works: true,
                refresh_token_lifetime_secs: 90 * 86400,
                basic_auth_restricted: false,
                mfa: false,
                oauth_clients: Vec::new(),
                client_credentials_enabled: false,
                issued: Issued::default(),
                row_filtered: Vec::new(),
                reads_need_roles: true,
                attributes_not_kept: false,
                atlassian_client_secret: None,
                latency: std::time::Duration::ZERO,
                token_reads_fail_after_consent: 0,
                token_expires_text: None,
                twin_on_insert: Vec::new(),
            }),
            db: Mutex::new(Db::default()),
            base: format!("http://{addr}"),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        {
            let mut db = shared.db.lock().unwrap();
            let mut alias = Row::new();
            alias.insert("id".into(), "sn_jira_spoke.Jira".into());
            alias.insert("name".into(), "Jira".into());
            alias.insert("type".into(), "connection".into());
            alias.insert("connection_type".into(), "http_connection".into());
            alias.insert("multiple_connections".into(), "false".into());
            alias.insert("parent".into(), String::new());
            alias.insert("configuration_template".into(), "jira_template".into());
            alias.insert("retry_policy".into(), String::new());
            insert_row(&mut db, "sys_alias", alias, Some(ALIAS_SYS_ID));
            rebuild_dictionary(&mut db);
        }
        let server = Server::start(listener, None, {
            let shared = shared.clone();
            move |request| handle(shared.clone(), request)
        });
        FakeServiceNow { shared, server }
    }

    /// `http://127.0.0.1:PORT`: the instance URL.
    pub(crate) fn url(&self) -> String {
        self.server.url()
    }

    /// Changes the fake's behaviour.
    pub(crate) fn configure(&self, change: impl FnOnce(&mut SnState)) {
        change(&mut self.shared.state.lock().unwrap());
    }

    /// The rows of `table` (not of tables extending it).
    pub(crate) fn rows(&self, table: &str) -> Vec<Row> {
        let db = self.shared.db.lock().unwrap();
        db.rows.get(table).cloned().unwrap_or_default()
    }

    /// Rows of `table` whose `column` is `value`.
    pub(crate) fn rows_where(&self, table: &str, column: &str, value: &str) -> Vec<Row> {
        self.rows(table)
            .into_iter()
            .filter(|r| r.get(column).map(String::as_str) == Some(value))
            .collect()
    }

    /// Row count per table, for "nothing was written" comparisons.
    pub(crate) fn snapshot(&self) -> BTreeMap<String, Vec<Row>> {
        self.shared.db.lock().unwrap().rows.clone()
    }

    /// Sets a column of a row directly (drift made behind jira-spoke's back).
    pub(crate) fn set(&self, table: &str, sys_id: &str, column: &str, value: &str) {
        let mut db = self.shared.db.lock().unwrap();
        let row = db
            .rows
            .get_mut(table)
            .and_then(|rows| rows.iter_mut().find(|r| r["sys_id"] == sys_id))
            .expect("row exists");
        row.insert(column.into(), value.into());
    }

    /// Inserts a row directly (a record made by hand in the UI); returns its sys_id.
    pub(crate) fn insert(&self, table: &str, fields: &[(&str, &str)]) -> String {
        let mut db = self.shared.db.lock().unwrap();
        let row = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        insert_row(&mut db, table, row, None)
    }

    /// Deletes rows of `table` whose `column` is `value`; returns how many.
    pub(crate) fn delete_where(&self, table: &str, column: &str, value: &str) -> usize {
        let mut db = self.shared.db.lock().unwrap();
        let rows = db.rows.entry(table.into()).or_default();
        let before = rows.len();
        rows.retain(|r| r.get(column).map(String::as_str) != Some(value));
        before - rows.len()
    }

    /// The password2 value last written to a column (what ServiceNow decrypts).
    pub(crate) fn secret_of(&self, table: &str, sys_id: &str, column: &str) -> Option<String> {
        let db = self.shared.db.lock().unwrap();
        db.secrets
            .get(&(table.into(), sys_id.into(), column.into()))
            .cloned()
    }

    /// How often a response carried a password2 column (masked or not).
    pub(crate) fn secret_reads(&self) -> usize {
        self.shared.db.lock().unwrap().secret_reads
    }

    /// Makes the instance lack a column: gone from the dictionary, ignored in
    /// queries and bodies, absent from rows.
    pub(crate) fn remove_column(&self, table: &str, column: &str) {
        let mut db = self.shared.db.lock().unwrap();
        db.removed.push((table.into(), column.into()));
        rebuild_dictionary(&mut db);
    }

    /// An access token the instance's OAuth server issued for the admin (as
    /// one from another tool would be).
    pub(crate) fn issue_token(&self) -> String {
        let mut state = self.shared.state.lock().unwrap();
        let user = state.user.clone();
        state.issued.issue_access(&user)
    }

    /// Makes the dictionary say `table.column` has another internal type.
    pub(crate) fn set_column_type(&self, table: &str, column: &str, internal_type: &str) {
        let mut db = self.shared.db.lock().unwrap();
        let row = db
            .rows
            .get_mut("sys_dictionary")
            .and_then(|rows| {
                rows.iter_mut()
                    .find(|r| r["name"] == table && r["element"] == column)
            })
            .expect("the column is in the dictionary");
        row.insert("internal_type".into(), internal_type.into());
    }

    /// The most requests that were in flight at once.
    pub(crate) fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }

    /// Forgets the request log and the in-flight high-water mark.
    pub(crate) fn reset_counts(&self) {
        self.shared.db.lock().unwrap().log.clear();
        self.shared.max_in_flight.store(0, Ordering::SeqCst);
    }

    /// Every request so far.
    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.db.lock().unwrap().log.clone()
    }

    /// Requests that write records (POST, PATCH, PUT, DELETE on the Table
    /// API; a token request at `oauth_token.do` writes none).
    pub(crate) fn writes(&self) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.method != "GET" && r.path.starts_with("/api/"))
            .collect()
    }

    /// The next `times` requests whose path starts with `prefix` get this answer.
    pub(crate) fn fail_next(
        &self,
        prefix: &str,
        times: usize,
        status: u16,
        headers: &[(&str, &str)],
        body: &str,
    ) {
        self.fail_next_on(None, prefix, times, status, headers, body);
    }

    /// [`FakeServiceNow::fail_next`] for requests of one method only (`POST`).
    pub(crate) fn fail_next_on(
        &self,
        method: Option<&str>,
        prefix: &str,
        times: usize,
        status: u16,
        headers: &[(&str, &str)],
        body: &str,
    ) {
        self.shared.db.lock().unwrap().canned.push(Canned {
            method: method.map(str::to_owned),
            prefix: prefix.into(),
            remaining: times,
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
        });
    }
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Unix seconds → `YYYY-MM-DD HH:MM:SS` (UTC), as the Table API writes date-times.
pub(crate) fn glide_datetime(unix: i64) -> String {
    let days = unix.div_euclid(86400);
    let secs = unix.rem_euclid(86400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn insert_row(db: &mut Db, table: &str, mut row: Row, id: Option<&str>) -> String {
    db.counter += 1;
    let sys_id = id
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{:032x}", 0x5e_0000_0000u64 + db.counter));
    let now = glide_datetime(now_unix());
    row.insert("sys_id".into(), sys_id.clone());
    row.insert("sys_class_name".into(), table.into());
    row.insert("sys_created_on".into(), now.clone());
    row.insert("sys_updated_on".into(), now);
    row.insert("sys_mod_count".into(), "0".into());
    db.rows.entry(table.into()).or_default().push(row);
    sys_id
}

/// sys_dictionary and sys_choice from the schema, minus removed columns.
fn rebuild_dictionary(db: &mut Db) {
    db.rows.remove("sys_dictionary");
    db.rows.remove("sys_choice");
    for table in schema() {
        if table.name.starts_with("sys_dictionary") || table.name == "sys_choice" {
            continue;
        }
        let mut collection = Row::new();
        collection.insert("name".into(), table.name.into());
        collection.insert("element".into(), String::new());
        collection.insert("internal_type".into(), "collection".into());
        insert_row(db, "sys_dictionary", collection, None);
        for (column, kind) in &table.columns {
            if db
                .removed
                .iter()
                .any(|(t, c)| t == table.name && c == column)
            {
                continue;
            }
            let internal = match kind {
                Kind::Text => "string",
                Kind::Bool => "boolean",
                Kind::Ref(_) => "reference",
                Kind::Choice(_) => "string",
                Kind::Password2 => "password2",
                Kind::DateTime => "glide_date_time",
            };
            let mut row = Row::new();
            row.insert("name".into(), table.name.into());
            row.insert("element".into(), (*column).into());
            row.insert("internal_type".into(), internal.into());
            insert_row(db, "sys_dictionary", row, None);
            if let Kind::Choice(values) = kind {
                for value in values {
                    let mut row = Row::new();
                    row.insert("name".into(), table.name.into());
                    row.insert("element".into(), (*column).into());
                    row.insert("value".into(), (*value).into());
                    row.insert("inactive".into(), "false".into());
                    insert_row(db, "sys_choice", row, None);
                }
            }
        }
    }
}

/// The columns of `table` (its own and its parents'), minus removed ones.
fn columns_of(db: &Db, table: &str) -> Option<Vec<(&'static str, Kind)>> {
    let all = schema();
    let mut name = Some(table.to_owned());
    let mut found = false;
    let mut columns = Vec::new();
    while let Some(n) = name.take() {
        if let Some(t) = all.iter().find(|t| t.name == n) {
            found = true;
            for (c, k) in &t.columns {
                let removed = db.removed.iter().any(|(rt, rc)| rt == t.name && rc == c);
                if !removed {
                    columns.push((*c, k.clone()));
                }
            }
            name = t.parent.map(str::to_owned);
        }
    }
    found.then_some(columns)
}

/// `table` and the tables that extend it.
fn family(table: &str) -> Vec<&'static str> {
    schema()
        .iter()
        .filter(|t| t.name == table || t.parent == Some(table))
        .map(|t| t.name)
        .collect()
}

fn find_ref<'a>(db: &'a Db, target: &str, sys_id: &str) -> Option<(&'static str, &'a Row)> {
    family(target).into_iter().find_map(|t| {
        db.rows
            .get(t)
            .and_then(|rows| rows.iter().find(|r| r["sys_id"] == sys_id))
            .map(|r| (t, r))
    })
}

/// Every request: counted in flight, held back by the injected latency (as
/// a real instance's 150–800 ms per Table API call), then answered.
async fn handle(shared: Arc<Shared>, recorded: RecordedRequest) -> Response {
    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let latency = shared.state.lock().unwrap().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut response = answer(&shared, recorded);
    // NOTE: as a real instance does: a client that kept this cookie would
    // have its requests tied to one session, and run one at a time.
    set_header(
        &mut response,
        "set-cookie",
        "JSESSIONID=5E55101D0000000000000000000000AA; Path=/; HttpOnly; Secure",
    );
    shared.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

fn answer(shared: &Arc<Shared>, recorded: RecordedRequest) -> Response {
    let shared = shared.clone();
    let canned = {
        let mut db = shared.db.lock().unwrap();
        db.log.push(recorded.clone());
        db.canned
            .iter_mut()
            .find(|c| {
                c.remaining > 0
                    && recorded.path.starts_with(c.prefix.as_str())
                    && c.method.as_deref().is_none_or(|m| m == recorded.method)
            })
            .map(|c| {
                c.remaining -= 1;
                (c.status, c.headers.clone(), c.body.clone())
            })
    };
    if let Some((status, headers, body)) = canned {
        let mut response = respond(status, None, body);
        for (k, v) in headers {
            set_header(&mut response, &k, &v);
        }
        return response;
    }
    if recorded.path == "/oauth_initiator.do" && recorded.method == "GET" {
        return initiator(&shared, &recorded);
    }
    if recorded.path == "/oauth_token.do" {
        return oauth::token(&mut shared.state.lock().unwrap(), &recorded);
    }
    if recorded.path == "/oauth_auth.do" && recorded.method == "GET" {
        return oauth::authorize(&mut shared.state.lock().unwrap(), &recorded);
    }
    let Some(rest) = recorded.path.strip_prefix("/api/now/table/") else {
        return error(404, "Requested URI does not represent any resource", "");
    };
    let (table, sys_id) = match rest.split_once('/') {
        Some((t, id)) => (t.to_owned(), Some(id.to_owned())),
        None => (rest.to_owned(), None),
    };
    let state = shared.state.lock().unwrap();
    if let Err(refused) = oauth::authenticate(&state, &recorded) {
        return *refused;
    }
    let filtered = state.row_filtered.contains(&table);
    let attributes_not_kept = state.attributes_not_kept;
    if table == "sys_user_has_role" {
        // NOTE: every user may read their own roles.
        let roles = if filtered {
            Vec::new()
        } else {
            state.roles.clone()
        };
        return user_roles(&roles, &recorded);
    }
    // NOTE: rows that ACLs filter are answered 200 with none, before any
    // table-level check.
    if filtered && recorded.method == "GET" && sys_id.is_none() {
        let mut response = json_response(200, json!({ "result": [] }));
        set_header(&mut response, "x-total-count", "0");
        return response;
    }
    // NOTE: "Admin role is required to create an alias"; the connection and
    // credential admins may read them.
    let role = match (table.as_str(), recorded.method.as_str()) {
        ("sys_alias", "POST") => "admin",
        _ => role_for(&table),
    };
    let checked = recorded.method != "GET" || state.reads_need_roles;
    if checked
        && !state
            .roles
            .iter()
            .any(|r| r == "admin" || (r == role && role != "admin"))
    {
        return error(
            403,
            "User Not Authorized",
            &format!("Insufficient rights for table {table}"),
        );
    }
    drop(state);
    let params: BTreeMap<String, String> = recorded
        .query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let mut db = shared.db.lock().unwrap();
    let Some(columns) = columns_of(&db, &table) else {
        return error(400, &format!("Invalid table {table}"), "");
    };
    match (recorded.method.as_str(), sys_id) {
        ("GET", None) => list(&shared, &mut db, &table, &columns, &params),
        ("GET", Some(id)) => match db
            .rows
            .get(&table)
            .and_then(|rows| rows.iter().find(|r| r["sys_id"] == id))
            .cloned()
        {
            Some(row) => {
                let out = render(&shared, &mut db, &row, &columns, &params);
                json_response(200, json!({ "result": out }))
            }
            None => error(
                404,
                "No Record found",
                "Record doesn't exist or ACL restricts the record retrieval",
            ),
        },
        ("POST", None) => {
            let twin = {
                let mut state = shared.state.lock().unwrap();
                let before = state.twin_on_insert.len();
                state.twin_on_insert.retain(|t| *t != table);
                state.twin_on_insert.len() != before
            };
            let post = |db: &mut Db| {
                write(
                    &shared,
                    db,
                    &table,
                    &columns,
                    None,
                    &recorded,
                    &params,
                    attributes_not_kept,
                )
            };
            if twin {
                // Another run's, a moment earlier.
                post(&mut db);
                if let Some(row) = db.rows.get_mut(&table).and_then(|rows| rows.last_mut()) {
                    row.insert("sys_created_on".into(), "2000-01-01 00:00:00".into());
                }
            }
            post(&mut db)
        }
        ("PATCH" | "PUT", Some(id)) => write(
            &shared,
            &mut db,
            &table,
            &columns,
            Some(id),
            &recorded,
            &params,
            attributes_not_kept,
        ),
        ("DELETE", Some(id)) => {
            let rows = db.rows.entry(table.clone()).or_default();
            let before = rows.len();
            rows.retain(|r| r["sys_id"] != id);
            if rows.len() == before {
                return error(404, "No Record found", "");
            }
            respond(204, None, "")
        }
        _ => error(405, "Method not Supported", ""),
    }
}

fn error(status: u16, message: &str, detail: &str) -> Response {
    json_response(
        status,
        json!({"error": {"message": message, "detail": detail}, "status": "failure"}),
    )
}

fn json_response(status: u16, body: Value) -> Response {
    respond(status, Some("application/json"), body.to_string())
}

/// A parsed condition: column, operator, values.
fn conditions(query: &str) -> Vec<(String, &'static str, Vec<String>)> {
    query
        .split('^')
        .filter(|t| !t.is_empty())
        .filter_map(|term| {
            let split = term
                .find(|c: char| {
                    !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                })
                .unwrap_or(term.len());
            let (column, rest) = term.split_at(split);
            let (op, value) = if let Some(v) = rest.strip_prefix("!=") {
                ("!=", v)
            } else if let Some(v) = rest.strip_prefix('=') {
                ("=", v)
            } else if let Some(v) = rest.strip_prefix("IN") {
                ("IN", v)
            } else {
                return None;
            };
            let values = match op {
                "IN" => value.split(',').map(str::to_owned).collect(),
                _ => vec![value.to_owned()],
            };
            Some((column.to_owned(), op, values))
        })
        .collect()
}

fn list(
    shared: &Shared,
    db: &mut Db,
    table: &str,
    columns: &[(&'static str, Kind)],
    params: &BTreeMap<String, String>,
) -> Response {
    let known = |c: &str| {
        c == "sys_id"
            || c.starts_with("sys_")
            || columns.iter().any(|(name, _)| *name == c)
            || dotted(db, columns, c).is_some()
    };
    // NOTE: as on a real instance, a condition on an unknown column is ignored.
    let conds: Vec<_> = conditions(params.get("sysparm_query").map_or("", String::as_str))
        .into_iter()
        .filter(|(c, _, _)| known(c))
        .collect();
    let rows: Vec<Row> = db
        .rows
        .get(table)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|row| {
            conds.iter().all(|(c, op, values)| {
                let walked = walk_value(db, columns, row, c);
                let v = walked.as_deref().unwrap_or("");
                match *op {
                    "!=" => !values.iter().any(|x| x == v),
                    _ => values.iter().any(|x| x == v),
                }
            })
        })
        .collect();
    let total = rows.len();
    let limit = params
        .get("sysparm_limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(10_000usize);
    let offset = params
        .get("sysparm_offset")
        .and_then(|o| o.parse().ok())
        .unwrap_or(0usize);
    let page: Vec<Value> = rows
        .iter()
        .skip(offset)
        .take(limit)
        .map(|row| render(shared, db, row, columns, params))
        .collect();
    let mut response = json_response(200, json!({ "result": page }));
    response
        .headers_mut()
        .insert("x-total-count", total.to_string().parse().unwrap());
    response
}

/// The table a dot-walked path (`oauth_entity.name`) ends in, when every
/// step but the last is a reference: `None` for a path the table lacks.
fn dotted(db: &Db, columns: &[(&'static str, Kind)], path: &str) -> Option<()> {
    let (head, rest) = path.split_once('.')?;
    let Some((_, Kind::Ref(target))) = columns.iter().find(|(c, _)| *c == head) else {
        return None;
    };
    let next = columns_of(db, target)?;
    if rest.contains('.') {
        dotted(db, &next, rest)
    } else {
        (rest == "sys_id" || next.iter().any(|(c, _)| *c == rest)).then_some(())
    }
}

/// The value at `path` of `row`: a column, or a dot-walk through references.
fn walk_value(db: &Db, columns: &[(&'static str, Kind)], row: &Row, path: &str) -> Option<String> {
    let Some((head, rest)) = path.split_once('.') else {
        return row.get(path).cloned();
    };
    let Some((_, Kind::Ref(target))) = columns.iter().find(|(c, _)| *c == head) else {
        return None;
    };
    let (table, referenced) = find_ref(db, target, row.get(head)?)?;
    let next = columns_of(db, table)?;
    walk_value(db, &next, referenced, rest)
}

/// A row as the Table API returns it: `sysparm_fields` only, references as
/// link/value, password2 masked.
fn render(
    shared: &Shared,
    db: &mut Db,
    row: &Row,
    columns: &[(&'static str, Kind)],
    params: &BTreeMap<String, String>,
) -> Value {
    let wanted: Option<Vec<String>> = params
        .get("sysparm_fields")
        .map(|f| f.split(',').map(|s| s.trim().to_owned()).collect());
    let exclude_links = params
        .get("sysparm_exclude_reference_link")
        .is_some_and(|v| v == "true");
    let mut out = Map::new();
    // Dot-walked fields (`oauth_entity.name`): the referenced record's value.
    for field in wanted.iter().flatten().filter(|f| f.contains('.')) {
        if let Some(value) = walk_value(db, columns, row, field) {
            out.insert(field.clone(), Value::String(value));
        }
    }
    for (key, value) in row {
        if let Some(w) = &wanted
            && !w.contains(key)
        {
            continue;
        }
        let kind = columns.iter().find(|(c, _)| c == key).map(|(_, k)| k);
        if !key.starts_with("sys_") && kind.is_none() {
            continue; // a removed column
        }
        let rendered = match kind {
            Some(Kind::Password2) => {
                db.secret_reads += 1;
                Value::String(if value.is_empty() {
                    String::new()
                } else {
                    "****".into()
                })
            }
            Some(Kind::Ref(target)) if !value.is_empty() && !exclude_links => json!({
                "link": format!("{}/api/now/table/{target}/{value}", shared.base),
                "value": value,
            }),
            _ => Value::String(value.clone()),
        };
        out.insert(key.clone(), rendered);
    }
    Value::Object(out)
}

#[allow(clippy::too_many_arguments)]
fn write(
    shared: &Shared,
    db: &mut Db,
    table: &str,
    columns: &[(&'static str, Kind)],
    sys_id: Option<String>,
    req: &RecordedRequest,
    params: &BTreeMap<String, String>,
    attributes_not_kept: bool,
) -> Response {
    let json_body = req
        .headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("application/json"));
    if !json_body {
        return error(400, "Content-Type must be application/json", "");
    }
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(&req.body) else {
        return error(
            400,
            "Exception while reading request",
            "the body is not a JSON object",
        );
    };
    let display = params
        .get("sysparm_input_display_value")
        .is_some_and(|v| v == "true");
    let mut fields = Row::new();
    let mut secrets = Vec::new();
    for (key, value) in body {
        let Some((_, kind)) = columns.iter().find(|(c, _)| *c == key) else {
            continue; // unknown columns are dropped
        };
        let value = match value {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        };
        match kind {
            // NOTE: as real instances do (a third-party tool's report): a
            // password2 value written without the display-value flag is
            // accepted and stored as if it were already encrypted, so it
            // decrypts to something else and fails only when used.
            Kind::Password2 if !display => {
                secrets.push((key.clone(), format!("garbled:{value}")));
                continue;
            }
            Kind::Password2 => {
                secrets.push((key.clone(), value));
                continue;
            }
            Kind::Bool => {
                let b = match value.as_str() {
                    "true" | "1" => "true",
                    "false" | "0" | "" => "false",
                    _ => return error(400, &format!("Invalid boolean for {key}"), &value),
                };
                fields.insert(key, b.into());
            }
            Kind::Choice(values) => {
                if !value.is_empty() && !values.contains(&value.as_str()) {
                    return error(400, &format!("Invalid choice value for {key}"), &value);
                }
                fields.insert(key, value);
            }
            Kind::Ref(target) => {
                let resolved = if value.is_empty() {
                    Some(String::new())
                } else if display {
                    // A display value: the referenced record's name.
                    family(target).into_iter().find_map(|t| {
                        db.rows.get(t).and_then(|rows| {
                            rows.iter()
                                .find(|r| r.get("name") == Some(&value))
                                .map(|r| r["sys_id"].clone())
                        })
                    })
                } else {
                    find_ref(db, target, &value).map(|_| value.clone())
                };
                match resolved {
                    Some(id) => fields.insert(key, id),
                    None => {
                        return error(
                            400,
                            &format!("Invalid reference for {key}"),
                            &format!("no {target} record `{value}`"),
                        );
                    }
                };
            }
            Kind::Text if key == "extended_attributes" && attributes_not_kept => {}
            Kind::Text | Kind::DateTime => {
                fields.insert(key, value);
            }
        }
    }
    let existing = match &sys_id {
        Some(id) => match db
            .rows
            .get(table)
            .and_then(|rows| rows.iter().find(|r| &r["sys_id"] == id))
        {
            Some(row) => Some(row.clone()),
            None => {
                return error(
                    404,
                    "No Record found",
                    "Record doesn't exist or ACL restricts the record retrieval",
                );
            }
        },
        None => None,
    };
    let mut merged = existing.clone().unwrap_or_default();
    for (k, v) in &fields {
        merged.insert(k.clone(), v.clone());
    }
    if let Some(response) = business_rules(db, table, &merged, existing.as_ref()) {
        return response;
    }
    let id = match sys_id {
        None => {
            let mut row = Row::new();
            for (c, _) in columns {
                row.insert((*c).into(), String::new());
            }
            for (k, v) in fields {
                row.insert(k, v);
            }
            let id = insert_row(db, table, row, None);
            after_insert(shared, db, table, &id);
            id
        }
        Some(id) => {
            let now = glide_datetime(now_unix());
            let row = db
                .rows
                .get_mut(table)
                .and_then(|rows| rows.iter_mut().find(|r| r["sys_id"] == id))
                .unwrap();
            for (k, v) in fields {
                row.insert(k, v);
            }
            row.insert("sys_updated_on".into(), now);
            id
        }
    };
    for (column, value) in secrets {
        db.secrets
            .insert((table.into(), id.clone(), column.clone()), value);
        let row = db
            .rows
            .get_mut(table)
            .and_then(|rows| rows.iter_mut().find(|r| r["sys_id"] == id))
            .unwrap();
        row.insert(column, "enc:stored".into());
    }
    let row = db.rows[table]
        .iter()
        .find(|r| r["sys_id"] == id)
        .cloned()
        .unwrap();
    let out = render(shared, db, &row, columns, params);
    let status = if req.method == "POST" { 201 } else { 200 };
    json_response(status, json!({ "result": out }))
}

/// The instance's own rules, as documented for these tables.
fn business_rules(db: &Db, table: &str, row: &Row, existing: Option<&Row>) -> Option<Response> {
    let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
    match table {
        "oauth_entity" => {
            let taken = db.rows.get(table).into_iter().flatten().any(|r| {
                r.get("name").map(String::as_str) == Some(get("name"))
                    && Some(&r["sys_id"]) != existing.map(|e| &e["sys_id"])
            });
            taken.then(|| {
                error(
                    400,
                    "Operation Failed",
                    "duplicate key value violates unique constraint \"oauth_entity_name_key\"",
                )
            })
        }
        "oauth_entity_profile" if get("default") == "true" => {
            let second = db.rows.get(table).into_iter().flatten().any(|r| {
                r.get("oauth_entity").map(String::as_str) == Some(get("oauth_entity"))
                    && r.get("default").map(String::as_str) == Some("true")
                    && Some(&r["sys_id"]) != existing.map(|e| &e["sys_id"])
            });
            second.then(|| {
                error(
                    403,
                    "Operation Failed",
                    "Only one default OAuth entity profile is allowed per OAuth provider",
                )
            })
        }
        "sys_alias" if existing.is_some_and(|e| e.get("parent") != row.get("parent")) => {
            Some(error(
                403,
                "Operation Failed",
                "The parent of an alias cannot be changed",
            ))
        }
        "http_connection"
            if db.rows.values().flatten().any(|r| {
                r.get("sys_class_name")
                    .is_some_and(|c| c == "http_connection" || c == "sys_connection")
                    && r.get("name").map(String::as_str) == Some(get("name"))
                    && Some(&r["sys_id"]) != existing.map(|e| &e["sys_id"])
            }) =>
        {
            Some(error(
                400,
                "Operation Failed",
                "A connection with this name already exists",
            ))
        }
        "http_connection"
            if get("active") == "true"
                && !get("credential").is_empty()
                && db.rows.get(table).into_iter().flatten().any(|r| {
                    r.get("credential").map(String::as_str) == Some(get("credential"))
                        && r.get("active").map(String::as_str) == Some("true")
                        && Some(&r["sys_id"]) != existing.map(|e| &e["sys_id"])
                }) =>
        {
            Some(error(
                403,
                "Operation Failed",
                "A credential can be used by one active connection only",
            ))
        }
        "http_connection" if get("active") == "true" && !get("connection_alias").is_empty() => {
            let alias = get("connection_alias");
            let multiple = db.rows.get("sys_alias").into_iter().flatten().any(|a| {
                a["sys_id"] == alias
                    && a.get("multiple_connections").map(String::as_str) == Some("true")
            });
            let other = db.rows.get(table).into_iter().flatten().any(|r| {
                r.get("connection_alias").map(String::as_str) == Some(alias)
                    && r.get("active").map(String::as_str) == Some("true")
                    && Some(&r["sys_id"]) != existing.map(|e| &e["sys_id"])
            });
            (other && !multiple).then(|| {
                error(
                    403,
                    "Operation Failed",
                    "This alias already has an active connection",
                )
            })
        }
        _ => None,
    }
}

/// What the instance does after an insert.
fn after_insert(shared: &Shared, db: &mut Db, table: &str, id: &str) {
    if table == "sys_alias" {
        child_alias(db, id);
        return;
    }
    if table != "oauth_entity" {
        return;
    }
    let row = db.rows[table]
        .iter()
        .find(|r| r["sys_id"] == id)
        .cloned()
        .unwrap();
    // NOTE: the form fills `redirect_url` when it is left empty; the Table
    // API does not, so it stays as written.
    let _ = shared;
    if row.get("type").map(String::as_str) == Some("oauth_provider") {
        let mut profile = Row::new();
        profile.insert("name".into(), format!("{} default_profile", row["name"]));
        profile.insert("oauth_entity".into(), id.into());
        profile.insert(
            "grant_type".into(),
            row.get("default_grant_type").cloned().unwrap_or_default(),
        );
        profile.insert("default".into(), "true".into());
        insert_row(db, "oauth_entity_profile", profile, None);
    }
}

/// A child alias, as the business rule and the platform make it: the
/// parent's type, connection type, multiple-connections flag and template
/// copied over, and its `id` computed from its name in the spoke's scope.
fn child_alias(db: &mut Db, id: &str) {
    let rows = db.rows.get_mut("sys_alias").unwrap();
    let row = rows.iter().find(|r| r["sys_id"] == id).cloned().unwrap();
    let parent = row
        .get("parent")
        .and_then(|p| rows.iter().find(|r| &r["sys_id"] == p))
        .cloned();
    let row = rows.iter_mut().find(|r| r["sys_id"] == id).unwrap();
    if let Some(parent) = parent {
        for column in [
            "type",
            "connection_type",
            "multiple_connections",
            "configuration_template",
        ] {
            row.insert(
                column.into(),
                parent.get(column).cloned().unwrap_or_default(),
            );
        }
    }
    let name: String = row["name"]
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    row.insert("id".into(), format!("sn_jira_spoke.{name}"));
}

fn page(status: u16, text: &str) -> Response {
    respond(
        status,
        Some("text/html"),
        format!("<!DOCTYPE html><html><body>{text}</body></html>"),
    )
}

/// "Get OAuth Token": consent at Atlassian and the code exchange, in one step.
fn initiator(shared: &Shared, req: &RecordedRequest) -> Response {
    let params: BTreeMap<String, String> = req
        .query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let p = |k: &str| params.get(k).cloned().unwrap_or_default();
    if p("oauth_requestor_context") != "oauth_2_0_credentials" || p("response_type") != "code" {
        return page(400, "Invalid OAuth requestor context");
    }
    let (consent_works, lifetime, failing_reads, expires_text) = {
        let s = shared.state.lock().unwrap();
        (
            s.consent_works,
            s.refresh_token_lifetime_secs,
            s.token_reads_fail_after_consent,
            s.token_expires_text.clone(),
        )
    };
    let mut db = shared.db.lock().unwrap();
    let credential = p("oauth_requestor");
    let profile = p("oauth_provider_profile");
    let on_profile = db
        .rows
        .get("oauth_2_0_credentials")
        .into_iter()
        .flatten()
        .any(|c| c["sys_id"] == credential && c.get("oauth_entity_profile") == Some(&profile));
    let entity = db
        .rows
        .get("oauth_entity_profile")
        .into_iter()
        .flatten()
        .find(|r| r["sys_id"] == profile)
        .and_then(|r| r.get("oauth_entity").cloned())
        .unwrap_or_default();
    let grant = db
        .rows
        .get("oauth_entity")
        .into_iter()
        .flatten()
        .find(|r| r["sys_id"] == entity)
        .and_then(|r| r.get("default_grant_type").cloned())
        .unwrap_or_default();
    let stored = db
        .secrets
        .get(&(
            "oauth_entity".into(),
            entity.clone(),
            "client_secret".into(),
        ))
        .cloned();
    let oauth_grant = grant == "authorization_code" || grant == "client_credentials";
    if !on_profile || !oauth_grant || stored.is_none() {
        return page(
            400,
            "OAuth flow failed: the requestor or its provider is not configured",
        );
    }
    let expected = shared.state.lock().unwrap().atlassian_client_secret.clone();
    let secret_works = stored
        .as_deref()
        .is_some_and(|s| !s.starts_with("garbled:") && expected.as_deref().is_none_or(|e| e == s));
    if !secret_works {
        return page(
            401,
            "OAuth flow failed. Atlassian answered: {\"error\":\"invalid_client\"}",
        );
    }
    if grant == "authorization_code" && !consent_works {
        return page(
            400,
            "Atlassian: Something went wrong. The callback URL does not match the app's.",
        );
    }
    let existing = db
        .rows
        .get("oauth_requestor_profile")
        .into_iter()
        .flatten()
        .find(|r| {
            r.get("requestor_id") == Some(&credential)
                && r.get("oauth_entity_profile") == Some(&profile)
        })
        .map(|r| r["sys_id"].clone());
    let requestor = existing.unwrap_or_else(|| {
        let mut row = Row::new();
        row.insert("requestor_id".into(), credential.clone());
        row.insert("requestor_context".into(), "oauth_2_0_credentials".into());
        row.insert("oauth_entity_profile".into(), profile.clone());
        insert_row(&mut db, "oauth_requestor_profile", row, None)
    });
    // Client credentials get an access token (Atlassian's live an hour) and
    // no refresh token; authorization code keeps the refresh token.
    let (kind, lifetime) = if grant == "client_credentials" {
        ("access_token", 3600)
    } else {
        ("refresh_token", lifetime)
    };
    db.rows
        .entry("oauth_credential".into())
        .or_default()
        .retain(|r| {
            !(r.get("oauth_requestor_profile") == Some(&requestor)
                && r.get("type").map(String::as_str) == Some(kind))
        });
    let mut token = Row::new();
    token.insert("type".into(), kind.into());
    let expires = expires_text.unwrap_or_else(|| glide_datetime(now_unix() + lifetime));
    token.insert("expires".into(), expires);
    token.insert("oauth_requestor_profile".into(), requestor);
    token.insert("peer".into(), entity);
    token.insert("token".into(), "enc:stored".into());
    insert_row(&mut db, "oauth_credential", token, None);
    if failing_reads > 0 {
        db.canned.push(Canned {
            method: Some("GET".into()),
            prefix: "/api/now/table/oauth_credential".into(),
            remaining: failing_reads,
            status: 500,
            headers: Vec::new(),
            body: r#"{"error":{"message":"Transaction cancelled: maximum execution time exceeded","detail":null},"status":"failure"}"#.into(),
        });
    }
    page(
        200,
        &format!("OAuth token flow completed. The {kind} is available."),
    )
}

/// `sys_user_has_role` of the signed-in user (`user=javascript:gs.getUserID()`),
/// with the dot-walked `role.name`; no rows when ACLs filter them.
fn user_roles(roles: &[String], req: &RecordedRequest) -> Response {
    let params: BTreeMap<String, String> = req
        .query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let query = params.get("sysparm_query").cloned().unwrap_or_default();
    if req.method != "GET" || query != "user=javascript:gs.getUserID()" {
        return error(400, "Unsupported query on sys_user_has_role", &query);
    }
    let rows: Vec<Value> = roles
        .iter()
        .enumerate()
        .map(|(i, role)| json!({"sys_id": format!("{:032x}", 0x7e_0000 + i), "role.name": role}))
        .collect();
    let mut response = json_response(200, json!({ "result": rows }));
    set_header(&mut response, "x-total-count", &rows.len().to_string());
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn datetimes_match_the_civil_calendar() {
        assert_eq!(super::glide_datetime(0), "1970-01-01 00:00:00");
        assert_eq!(super::glide_datetime(1_709_209_800), "2024-02-29 12:30:00");
    }
}
