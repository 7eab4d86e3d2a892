//! [`TableApi`]: ServiceNow's Table API (`/api/now/table/<table>`) as
//! jira-spoke uses it — signed in as [`SignIn`] says, lookups that cannot be
//! fooled by the instance's leniency, paging, retries, and error bodies
//! turned into [`Error`]s with hints. No terminal UI.
//!
//! Pitfalls handled here, from ServiceNow's Table API reference:
//! - an invalid column in `sysparm_query` is ignored and the query then
//!   matches every row, so every returned row is re-checked against the
//!   query ([`Query::matches`]), and a queried column the rows lack is
//!   reported as missing from the instance;
//! - `^` (and `,` inside `IN` lists) cannot be escaped in an encoded query,
//!   so such values are refused rather than sent;
//! - reference fields come back as `{"link","value"}` objects: [`Record`]
//!   keeps the value;
//! - password2 columns are written only by [`TableApi::write_secret`]: a
//!   request of its own with `sysparm_input_display_value=true`, whose answer
//!   is limited to `sys_id` so the stored value is never read back.
//!
//! Transport (timeouts, bounded bodies, 429/503 retries with `Retry-After`)
//! is [`Http`]'s.

use std::collections::BTreeMap;

use serde_json::Value;
use url::Url;

use super::Instance;
use super::sign_in::SignIn;
use crate::error::{Error, Result};
use crate::http::Http;
use crate::http::{ErrorContext, Failed, Failure, Response};
use crate::secret::Secret;

/// The table of users' roles.
const USER_ROLES: &str = "sys_user_has_role";
/// Rows asked for per page.
const PAGE_SIZE: usize = 100;
/// A lookup that needs more pages than this has gone wrong (it matches far
/// more than the handful of records jira-spoke owns).
const MAX_PAGES: usize = 20;

/// One row, every value a string (references by sys_id). Columns the
/// instance did not return are absent, not empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Record(pub BTreeMap<String, String>);

impl Record {
    /// The value of `column`, if the instance returned it.
    pub(crate) fn get(&self, column: &str) -> Option<&str> {
        self.0.get(column).map(String::as_str)
    }

    /// The record's sys_id ("" if absent).
    pub(crate) fn sys_id(&self) -> &str {
        self.get("sys_id").unwrap_or_default()
    }

    /// A record from the instance's JSON. Control characters (a newline,
    /// an escape sequence) in any value become spaces: server text is one
    /// line wherever it is shown, and cannot forge lines of a report.
    fn from_json(value: &Value) -> Option<Record> {
        let object = value.as_object()?;
        let fields = object
            .iter()
            .map(|(k, v)| (k.clone(), inert(&plain_value(v))))
            .collect();
        Some(Record(fields))
    }
}

/// `text` with every control character replaced by a space.
fn inert(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// True for a sys_id as the platform makes them: 32 hex digits. Nothing
/// else is ever put in a request path or a reference.
pub(crate) fn is_sys_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A reference comes back as `{"link": …, "value": sys_id}` unless the
/// request excludes reference links; keep the value either way.
fn plain_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Object(o) => o.get("value").map(plain_value).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// An encoded query of ANDed conditions, re-checkable on the rows it returns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    conditions: Vec<(String, Vec<String>)>,
}

impl Query {
    /// `column=value`.
    pub(crate) fn eq(column: &str, value: &str) -> Query {
        Query::default().and(column, value)
    }

    /// And `column=value`.
    pub(crate) fn and(mut self, column: &str, value: &str) -> Query {
        self.conditions
            .push((column.to_owned(), vec![value.to_owned()]));
        self
    }

    /// And `columnINa,b,…`.
    pub(crate) fn and_in(mut self, column: &str, values: &[String]) -> Query {
        self.conditions.push((column.to_owned(), values.to_vec()));
        self
    }

    /// The columns the query names.
    pub(crate) fn columns(&self) -> impl Iterator<Item = &str> {
        self.conditions.iter().map(|(c, _)| c.as_str())
    }

    /// The `sysparm_query` text; values ServiceNow cannot take escaped are refused.
    pub(crate) fn encoded(&self) -> Result<String> {
        let mut parts = Vec::new();
        for (column, values) in &self.conditions {
            let bad = values.iter().find(|v| {
                v.contains('^') || v.contains('@') || (values.len() > 1 && v.contains(','))
            });
            if let Some(bad) = bad {
                return Err(Error::usage(
                    format!(
                        "`{bad}` cannot be looked up in ServiceNow: `^`, `@` and list commas cannot be escaped in a query"
                    ),
                    "rename the connection (`-c NAME`) so its record names hold none of these characters",
                ));
            }
            parts.push(match values.as_slice() {
                [one] => format!("{column}={one}"),
                many => format!("{column}IN{}", many.join(",")),
            });
        }
        Ok(parts.join("^"))
    }

    /// True when `record` really satisfies every condition.
    pub(crate) fn matches(&self, record: &Record) -> bool {
        self.conditions.iter().all(|(column, values)| {
            record
                .get(column)
                .is_some_and(|v| values.iter().any(|want| want == v))
        })
    }
}

/// What a failed request was doing, for messages.
#[derive(Debug, Clone, Copy)]
enum Action {
    Read,
    Create,
    Update,
    Delete,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// An instance's tables, as the reconcile walk reads and writes them:
/// [`TableApi`] over HTTP (whose methods say what each promises), or rows
/// kept in memory for the walk's unit tests.
pub(crate) trait Tables: Sync {
    /// The instance the tables are on (for links and the Redirect URL).
    fn instance(&self) -> &Instance;

    /// The rows of `table` matching `query`, with `fields`.
    async fn find(&self, table: &str, query: &Query, fields: &[&str]) -> Result<Vec<Record>>;

    /// Inserts a record; returns it as the instance kept it.
    async fn insert_record(&self, table: &str, fields: &[(&str, String)]) -> Result<Record>;

    /// Sets `fields` (none of them a secret) on record `sys_id`.
    async fn update(&self, table: &str, sys_id: &str, fields: &[(&str, String)]) -> Result<()>;

    /// Deletes record `sys_id`.
    async fn delete(&self, table: &str, sys_id: &str) -> Result<()>;

    /// Writes a password2 column, never to be read back.
    async fn write_secret(
        &self,
        table: &str,
        sys_id: &str,
        column: &str,
        secret: &Secret,
    ) -> Result<()>;

    /// [`Tables::insert_record`], returning the new record's sys_id.
    async fn insert(&self, table: &str, fields: &[(&str, String)]) -> Result<String> {
        self.insert_record(table, fields)
            .await
            .map(|r| r.sys_id().to_owned())
    }
}

/// Requests one client keeps in flight at once, whoever sends them:
/// ServiceNow limits concurrent API transactions per instance (a node queues
/// the rest), so modestly.
pub(crate) const IN_FLIGHT: usize = 8;

/// The Table API of one instance, signed in one way.
pub(crate) struct TableApi {
    http: Http,
    instance: Instance,
    sign_in: SignIn,
    /// [`IN_FLIGHT`] permits: every request holds one while it is out, so
    /// callers may send independent requests together without counting.
    in_flight: tokio::sync::Semaphore,
}

impl TableApi {
    /// A client for `instance`, signed in as `sign_in` says.
    pub(crate) fn new(http: Http, instance: Instance, sign_in: SignIn) -> TableApi {
        TableApi {
            http,
            instance,
            sign_in,
            in_flight: tokio::sync::Semaphore::new(IN_FLIGHT),
        }
    }

    /// The instance this client talks to.
    pub(crate) fn instance(&self) -> &Instance {
        &self.instance
    }

    /// How it signs in.
    pub(crate) fn sign_in(&self) -> &SignIn {
        &self.sign_in
    }

    /// The account as messages name it: "`admin`", or the token's origin.
    pub(crate) fn who(&self) -> String {
        match &self.sign_in {
            SignIn::Basic { user, .. } => format!("`{user}`"),
            SignIn::Bearer { via, .. } => format!("the account of {via}"),
        }
    }

    /// The signed-in account's roles, read from `sys_user_has_role` with the
    /// dot-walked `role.name` (a user may read their own). `None` when none
    /// could be read: row-level ACLs answer 200 with no rows, or a 403.
    pub(crate) async fn roles(&self) -> Result<Option<Vec<String>>> {
        let mut url = self.instance.table_url(USER_ROLES);
        url.query_pairs_mut()
            .append_pair("sysparm_query", "user=javascript:gs.getUserID()")
            .append_pair("sysparm_fields", "role.name")
            .append_pair("sysparm_limit", &(PAGE_SIZE * MAX_PAGES).to_string());
        let response = match self
            .request(Action::Read, USER_ROLES, &url, None, None)
            .await
        {
            Ok(response) => response,
            Err(Error::ServiceNowForbidden { .. } | Error::ServiceNowLacks { .. }) => {
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let roles: Vec<String> = result_rows(&response)?
            .iter()
            .filter_map(|r| r.get("role.name"))
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(Some(roles).filter(|r| !r.is_empty()))
    }

    /// `…/<table>/<sys_id>`, for a sys_id of the platform's shape only.
    fn record_url(&self, table: &str, sys_id: &str) -> Result<Url> {
        if !is_sys_id(sys_id) {
            return Err(Error::Internal(format!(
                "refused to address a {table} record by `{}`: not a sys_id",
                inert(sys_id)
            )));
        }
        Ok(self.instance.record_url(table, sys_id))
    }

    /// Sends one request and turns a failure status into an error. `secret`,
    /// when given, is scrubbed from any message the instance sends back.
    async fn request(
        &self,
        action: Action,
        table: &str,
        url: &Url,
        write: Option<(reqwest::Method, &Value)>,
        secret: Option<&Secret>,
    ) -> Result<Response> {
        // NOTE: the semaphore is never closed, so acquiring cannot fail.
        let _permit = self.in_flight.acquire().await.ok();
        let response = self
            .http
            .send(url, |client| {
                let request = match &write {
                    Some((method, Value::Null)) => client.request(method.clone(), url.clone()),
                    Some((method, body)) => client.request(method.clone(), url.clone()).json(body),
                    None => client.get(url.clone()),
                };
                // NOTE: no cookies are kept: each request signs in anew, so
                // the instance does not tie them to one session.
                self.sign_in
                    .authorize(request)
                    .header(reqwest::header::ACCEPT, "application/json")
            })
            .await?;
        response.into_result(&TableFailure {
            api: self,
            action,
            table,
            secret,
        })
    }
}

impl Tables for TableApi {
    fn instance(&self) -> &Instance {
        TableApi::instance(self)
    }

    /// Every row of `table` matching `query`, with `fields` (plus `sys_id`
    /// and the queried columns). Rows the instance returned although they do
    /// not match are dropped; a queried column the rows lack is an error
    /// naming it, since the instance then ignored that part of the query.
    async fn find(&self, table: &str, query: &Query, fields: &[&str]) -> Result<Vec<Record>> {
        let mut wanted: Vec<&str> = vec!["sys_id"];
        for column in fields.iter().copied().chain(query.columns()) {
            if !wanted.contains(&column) {
                wanted.push(column);
            }
        }
        let encoded = query.encoded()?;
        let mut rows = Vec::new();
        for page in 0..MAX_PAGES {
            let mut url = self.instance.table_url(table);
            url.query_pairs_mut()
                .append_pair("sysparm_query", &encoded)
                .append_pair("sysparm_fields", &wanted.join(","))
                .append_pair("sysparm_limit", &PAGE_SIZE.to_string())
                .append_pair("sysparm_offset", &(page * PAGE_SIZE).to_string());
            let response = self.request(Action::Read, table, &url, None, None).await?;
            let total = response
                .headers
                .get("x-total-count")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<usize>().ok());
            let batch = result_rows(&response)?;
            let count = batch.len();
            for row in batch {
                if let Some(column) = query.columns().find(|c| row.get(c).is_none()) {
                    return Err(Error::ServiceNowLacks {
                        instance: self.instance.url(),
                        missing: vec![format!(
                            "column {table}.{column} (the rows came back without it)"
                        )],
                    });
                }
                if query.matches(&row) {
                    rows.push(row);
                }
            }
            let seen = page * PAGE_SIZE + count;
            if count < PAGE_SIZE || total.is_some_and(|t| seen >= t) {
                return Ok(rows);
            }
        }
        Err(Error::ServiceNowRejected {
            url: crate::http::safe_url(&self.instance.table_url(table)),
            status: 200,
            message: format!(
                "a lookup in {table} matched more than {} rows",
                MAX_PAGES * PAGE_SIZE
            ),
        })
    }

    /// Inserts one record; returns it as the instance answered (the fields
    /// sent, as it kept them). The answer must carry the values sent, or the
    /// instance did not keep them.
    async fn insert_record(&self, table: &str, fields: &[(&str, String)]) -> Result<Record> {
        let mut url = self.instance.table_url(table);
        url.query_pairs_mut()
            .append_pair("sysparm_fields", &answer_fields(fields));
        let body = body_of(fields);
        let response = self
            .request(
                Action::Create,
                table,
                &url,
                Some((reqwest::Method::POST, &body)),
                None,
            )
            .await?;
        let record = written(&response, table, fields)?;
        if !is_sys_id(record.sys_id()) {
            return Err(Error::ServiceNowUnexpected {
                url: response.url.clone(),
                status: response.status,
                detail: "an insert answer without a sys_id of 32 hex digits".into(),
            });
        }
        Ok(record)
    }

    /// Sets `fields` on record `sys_id` (none of them a secret); the answer
    /// must carry the values sent.
    async fn update(&self, table: &str, sys_id: &str, fields: &[(&str, String)]) -> Result<()> {
        let mut url = self.record_url(table, sys_id)?;
        url.query_pairs_mut()
            .append_pair("sysparm_fields", &answer_fields(fields));
        let body = body_of(fields);
        let response = self
            .request(
                Action::Update,
                table,
                &url,
                Some((reqwest::Method::PATCH, &body)),
                None,
            )
            .await?;
        written(&response, table, fields).map(|_| ())
    }

    /// Deletes record `sys_id` of `table`.
    async fn delete(&self, table: &str, sys_id: &str) -> Result<()> {
        let url = self.record_url(table, sys_id)?;
        let delete = (reqwest::Method::DELETE, &Value::Null);
        self.request(Action::Delete, table, &url, Some(delete), None)
            .await
            .map(|_| ())
    }

    /// Writes a password2 column: alone in its request, as a display value
    /// (which ServiceNow encrypts), answered with the sys_id only.
    async fn write_secret(
        &self,
        table: &str,
        sys_id: &str,
        column: &str,
        secret: &Secret,
    ) -> Result<()> {
        let mut url = self.record_url(table, sys_id)?;
        url.query_pairs_mut()
            .append_pair("sysparm_input_display_value", "true")
            .append_pair("sysparm_fields", "sys_id");
        let mut body = serde_json::Map::new();
        body.insert(column.to_owned(), Value::String(secret.expose().to_owned()));
        let body = Value::Object(body);
        self.request(
            Action::Update,
            table,
            &url,
            Some((reqwest::Method::PATCH, &body)),
            Some(secret),
        )
        .await
        .map(|_| ())
    }
}

/// A Table API request, for the errors of a failed one: the shared status
/// mapping in ServiceNow's words, with the instance's own message.
struct TableFailure<'a> {
    api: &'a TableApi,
    action: Action,
    table: &'a str,
    secret: Option<&'a Secret>,
}

impl ErrorContext for TableFailure<'_> {
    fn credential(&self) -> &'static str {
        match self.api.sign_in {
            SignIn::Basic { .. } => "user name or password",
            SignIn::Bearer { .. } => "OAuth token",
        }
    }

    /// The instance's words, with every secret this request carried taken
    /// out: the one written, the password or token it signed in with, and
    /// the Basic credentials as they were encoded.
    fn message(&self, response: &Response) -> Option<String> {
        let mut text = error_message(response)?;
        let mut secrets: Vec<String> = vec![self.api.sign_in.secret().expose().to_owned()];
        if let Some(secret) = self.secret {
            secrets.push(secret.expose().to_owned());
        }
        if let SignIn::Basic { user, password, .. } = &self.api.sign_in {
            use base64::Engine;
            let pair = format!("{user}:{}", password.expose());
            secrets.push(base64::engine::general_purpose::STANDARD.encode(pair));
        }
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            text = text.replace(secret.as_str(), "<secret>");
        }
        Some(text)
    }

    /// The secret being written, else the sign-in's own (a password or a
    /// token an instance might echo in an error).
    fn secret(&self) -> Option<&Secret> {
        self.secret.or(Some(self.api.sign_in.secret()))
    }

    fn error(&self, failed: &Failed<'_>) -> Option<Error> {
        let instance = self.api.instance.url();
        let table = self.table;
        let message = failed.message.clone();
        Some(match failed.failure {
            Failure::Unauthorized => unauthorized(&self.api.sign_in, instance, failed.response),
            Failure::Forbidden => Error::ServiceNowForbidden {
                instance,
                user: self.api.who(),
                table: table.to_owned(),
                action: self.action.verb(),
                message,
            },
            // NOTE: the Table API answers a read of a table the instance
            // lacks, or the user may not see, with 404 ("No Record found").
            Failure::NotFound if matches!(self.action, Action::Read) => Error::ServiceNowLacks {
                instance,
                missing: vec![format!("table {table} (or read access to it)")],
            },
            // NOTE: registry names have a unique index and connection names
            // are unique: the second of two applies racing is refused so.
            Failure::Rejected
                if matches!(self.action, Action::Create)
                    && (message.contains("duplicate key")
                        || message.contains("already exists")) =>
            {
                Error::ServiceNowMadeMeanwhile {
                    url: failed.url(),
                    table: table.to_owned(),
                    message,
                }
            }
            Failure::Rejected if message.starts_with("Invalid table") => Error::ServiceNowLacks {
                instance,
                missing: vec![format!("table {table}")],
            },
            Failure::RateLimited => return None,
            Failure::Redirect => Error::ServiceNowRedirected {
                url: failed.url(),
                location: failed
                    .response
                    .headers
                    .get(reqwest::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| Url::parse(l).ok())
                    .map(|l| crate::http::safe_url(&l))
                    .unwrap_or_else(|| "another page".to_owned()),
            },
            Failure::ServerError => Error::ServiceNowServerError {
                url: failed.url(),
                status: failed.status(),
                message,
            },
            _ => Error::ServiceNowRejected {
                url: failed.url(),
                status: failed.status(),
                message: format!("could not {} {table}: {message}", self.action.verb()),
            },
        })
    }
}

/// A 401, read rather than guessed: `X-MFA_TOKEN` is ServiceNow's MFA
/// challenge; a bearer token refused is the token's; otherwise basic auth was
/// refused for one of the causes [`Error::ServiceNowUnauthorized`] names.
fn unauthorized(sign_in: &SignIn, instance: String, response: &Response) -> Error {
    match sign_in {
        SignIn::Bearer { via, .. } => Error::ServiceNowTokenRejected {
            instance,
            via: *via,
        },
        SignIn::Basic { user, .. } if response.headers.contains_key("x-mfa_token") => {
            Error::ServiceNowMfaRequired {
                instance,
                user: user.clone(),
            }
        }
        SignIn::Basic { user, .. } => Error::ServiceNowUnauthorized {
            instance,
            user: user.clone(),
        },
    }
}

/// Columns whose value the instance may keep otherwise, or not at all: the
/// advisory connection attributes. Never checked in a write's answer.
const NOT_CHECKED: &[&str] = &["extended_attributes"];

/// `sysparm_fields` for a write's answer: the sys_id and what was written.
fn answer_fields(fields: &[(&str, String)]) -> String {
    std::iter::once("sys_id")
        .chain(fields.iter().map(|(f, _)| *f))
        .collect::<Vec<_>>()
        .join(",")
}

/// The record a write answered with, once it carries every value sent (a
/// column the instance lacks may be absent when it is optional).
fn written(response: &Response, table: &str, fields: &[(&str, String)]) -> Result<Record> {
    let value: Value = json(response)?;
    let record = value
        .get("result")
        .and_then(Record::from_json)
        .ok_or_else(|| Error::ServiceNowUnexpected {
            url: response.url.clone(),
            status: response.status,
            detail: "a write answer without the record".into(),
        })?;
    let lost: Vec<String> = fields
        .iter()
        .filter(|(f, _)| !NOT_CHECKED.contains(f))
        .filter(|(f, new)| match record.get(f) {
            Some(kept) => !super::plan::same_value(kept, new),
            None => !super::dictionary::OPTIONAL_COLUMNS.contains(&(table, *f)),
        })
        .map(|(f, _)| format!("{table}.{f}"))
        .collect();
    if lost.is_empty() {
        Ok(record)
    } else {
        Err(Error::ServiceNowNotKept {
            url: response.url.clone(),
            fields: lost,
        })
    }
}

fn body_of(fields: &[(&str, String)]) -> Value {
    Value::Object(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())))
            .collect(),
    )
}

/// The rows of a list answer.
fn result_rows(response: &Response) -> Result<Vec<Record>> {
    let value: Value = json(response)?;
    let rows = value
        .get("result")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::ServiceNowUnexpected {
            url: response.url.clone(),
            status: response.status,
            detail: "JSON without a `result` list".into(),
        })?;
    rows.iter()
        .map(|row| {
            let malformed = |detail: &str| Error::ServiceNowUnexpected {
                url: response.url.clone(),
                status: response.status,
                detail: detail.to_owned(),
            };
            let record =
                Record::from_json(row).ok_or_else(|| malformed("a row that is not a record"))?;
            match record.get("sys_id") {
                Some(id) if !is_sys_id(id) => {
                    Err(malformed("a row whose sys_id is not 32 hex digits"))
                }
                _ => Ok(record),
            }
        })
        .collect()
}

/// Decodes a JSON answer; an HTML page (a sign-in page, a hibernating
/// developer instance) becomes a sentence, not a dump.
fn json(response: &Response) -> Result<Value> {
    response.json().map_err(|e| match e {
        Error::UnexpectedResponse {
            url,
            status,
            detail,
        } => Error::ServiceNowUnexpected {
            url,
            status,
            detail,
        },
        other => other,
    })
}

/// `message: detail` from ServiceNow's `{"error":{"message","detail"}}`;
/// `None` when the body has neither. [`Response::error`] makes it one
/// bounded line.
fn error_message(response: &Response) -> Option<String> {
    let value: Value = serde_json::from_slice(&response.body).unwrap_or_default();
    let error = value.get("error");
    let text = |key| {
        error
            .and_then(|e| e.get(key))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    match (text("message"), text("detail")) {
        (Some(m), Some(d)) if m != d => Some(format!("{m}: {d}")),
        (Some(m), _) => Some(m.to_owned()),
        (None, Some(d)) => Some(d.to_owned()),
        (None, None) => None,
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
    fn queries_encode_and_recheck() {
        let q = Query::eq("oauth_entity", "abc").and("default", "true");
        assert_eq!(q.encoded().unwrap(), "oauth_entity=abc^default=true");
        assert!(q.matches(&record(&[("oauth_entity", "abc"), ("default", "true")])));
        // What an ignored (invalid) column lets through is caught on the way back.
        assert!(!q.matches(&record(&[("oauth_entity", "xyz"), ("default", "true")])));
        assert!(!q.matches(&record(&[("default", "true")])));
        let q = Query::default().and_in("name", &["a".into(), "b".into()]);
        assert_eq!(q.encoded().unwrap(), "nameINa,b");
        assert!(q.matches(&record(&[("name", "b")])));
    }

    #[test]
    fn unescapable_values_are_refused() {
        for bad in ["a^b", "x@y"] {
            assert_eq!(
                Query::eq("name", bad)
                    .encoded()
                    .unwrap_err()
                    .kind()
                    .exit_code(),
                2
            );
        }
        let list = Query::default().and_in("name", &["a,b".into(), "c".into()]);
        assert!(list.encoded().is_err());
        assert!(Query::eq("name", "Jira (a,b)").encoded().is_ok());
    }

    #[test]
    fn references_keep_their_value() {
        let row = serde_json::json!({
            "sys_id": "1",
            "oauth_entity": {"link": "https://x/api/now/table/oauth_entity/9", "value": "9"},
            "active": true,
            "empty": null
        });
        let r = Record::from_json(&row).unwrap();
        assert_eq!(r.get("oauth_entity"), Some("9"));
        assert_eq!(r.get("active"), Some("true"));
        assert_eq!(r.get("empty"), Some(""));
    }

    fn failure(status: u16, body: &str, action: Action, secret: Option<&Secret>) -> Error {
        let api = TableApi::new(
            Http::new(std::time::Duration::from_secs(1), None).unwrap(),
            Instance::parse("https://acme.service-now.com").unwrap(),
            SignIn::password("admin", Secret::new("pw")),
        );
        let response = Response {
            url: "https://acme.service-now.com/api/now/table/oauth_entity".into(),
            status,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
        };
        response.error(&TableFailure {
            api: &api,
            action,
            table: "oauth_entity",
            secret,
        })
    }

    #[test]
    fn error_bodies_become_one_bounded_line_without_the_secret() {
        let secret = Secret::new("s3cr3t-VALUE");
        let body = r#"{"error":{"message":"Operation Failed","detail":"Only one\n default profile, not s3cr3t-VALUE"},"status":"failure"}"#;
        let e = failure(403, body, Action::Update, Some(&secret));
        assert!(
            matches!(&e, Error::ServiceNowForbidden { message, action: "update", .. }
                if message == "Operation Failed: Only one default profile, not <secret>"),
            "{e:?}"
        );
        assert_eq!(e.kind().exit_code(), 3);
        let long = format!(r#"{{"error":{{"message":"{}"}}}}"#, "x".repeat(1000));
        let e = failure(500, &long, Action::Read, None);
        assert!(
            matches!(&e, Error::ServiceNowServerError { message, .. } if message.chars().count() == 301),
            "{e:?}"
        );
    }

    #[test]
    fn statuses_read_in_servicenow_words() {
        let e = failure(401, "{}", Action::Read, None);
        assert!(
            e.to_string()
                .contains("refused basic auth for `admin` (HTTP 401): a wrong password, an account that signs in only through SSO, or the instance's Basic Auth Restriction"),
            "{e}"
        );
        assert_eq!(e.kind().exit_code(), 3);
        let e = failure(404, "{}", Action::Read, None);
        assert!(matches!(e, Error::ServiceNowLacks { .. }), "{e:?}");
        assert_eq!(e.kind().exit_code(), 4);
        let e = failure(404, "{}", Action::Update, None);
        assert!(
            matches!(e, Error::ServiceNowRejected { status: 404, .. }),
            "{e:?}"
        );
        let invalid = r#"{"error":{"message":"Invalid table oauth_entity"}}"#;
        let e = failure(400, invalid, Action::Create, None);
        assert!(matches!(e, Error::ServiceNowLacks { .. }), "{e:?}");
        let e = failure(400, r#"{"error":{"message":"Bad"}}"#, Action::Create, None);
        assert_eq!(
            e.to_string(),
            "https://acme.service-now.com/api/now/table/oauth_entity refused the request (HTTP 400): could not create oauth_entity: Bad"
        );
        assert_eq!(e.kind().exit_code(), 1);
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        let e = Response {
            url: "https://acme.service-now.com/api/now/table/x".into(),
            status: 429,
            headers,
            body: Vec::new(),
        }
        .error(&TableFailure {
            api: &TableApi::new(
                Http::new(std::time::Duration::from_secs(1), None).unwrap(),
                Instance::parse("https://acme.service-now.com").unwrap(),
                SignIn::password("admin", Secret::new("pw")),
            ),
            action: Action::Read,
            table: "x",
            secret: None,
        });
        assert!(
            matches!(
                e,
                Error::RateLimited {
                    retry_after: Some(7),
                    ..
                }
            ),
            "{e:?}"
        );
    }
}
