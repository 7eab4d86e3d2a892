//! An in-process fake of Atlassian Cloud for the integration tests: one HTTP
//! server on 127.0.0.1:0 (its own thread and runtime) playing the auth
//! server, the API gateway and a Jira site at once.
//!
//! | route | behaviour |
//! | --- | --- |
//! | `GET /_edge/tenant_info` | `{"cloudId":…}`, no auth; 404 when `site_unknown` |
//! | `GET /authorize` | checks client, redirect URI (mismatch: 400 page "Callback URL mismatch"), 302 to the callback with `code`+`state`, or `error=access_denied` when `deny_consent` |
//! | `POST /oauth/token` | form or JSON, by `Content-Type` (anything else: 400 `invalid_request`); `client_credentials`, `authorization_code` (single-use code, same redirect URI), `refresh_token` (rotation, reuse interval, family revocation); 401 `access_denied` for a bad secret |
//! | `GET /oauth/token/accessible-resources` | the grant's sites (Bearer) |
//! | `GET /ex/jira/<cloud-id>/rest/api/<2\|3>/{myself,serverInfo}` | Bearer; 404 unknown Cloud ID, 401 unknown/expired token, 401 "scope does not match" without `read:jira-user` |
//! | `GET /rest/api/<2\|3>/{myself,serverInfo}` | the site host: Basic `email:api-token`, 401 otherwise |
//!
//! Every request is recorded; `fail_next` queues canned answers (429, 5xx,
//! HTML) for a path prefix, `hang` makes a prefix never answer, and `latency`
//! delays every answer.
//!
//! Refresh tokens behave as Atlassian's: a refresh disables the token sent,
//! but within the reuse interval (`refresh_leeway`, 10 minutes) the same token
//! still gets the same answer; after it, reuse revokes the whole family.
//! `refresh_answer_delay` holds a refresh's answer back *after* rotating (a
//! client killed meanwhile has lost the new token).
//!
//! The fake keeps its own clock: [`FakeAtlassian::advance`] moves it forward,
//! so a test lets access tokens expire, or the reuse interval pass, without
//! waiting. (jira-spoke decides freshness from `expires_at` in config.toml,
//! which `TestEnv::expire_tokens` rewrites; the fake decides from this clock.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

pub(crate) use super::serve::RecordedRequest;
use super::serve::{Response, Server, Tls, respond, set_header};

/// What the fake believes and how it behaves; tests change it with `configure`.
pub(crate) struct FakeState {
    pub cloud_id: String,
    pub site_url: String,
    pub site_name: String,
    pub client_id: String,
    pub client_secret: String,
    /// The registered callback; `None` accepts any.
    pub redirect_uri: Option<String>,
    pub granted_scopes: Vec<String>,
    pub token_lifetime_secs: u64,
    /// The reuse interval: how long a rotated-away refresh token still works.
    pub refresh_leeway: Duration,
    /// How long a refresh answer is held back after the token was rotated.
    pub refresh_answer_delay: Duration,
    pub omit_refresh_token_on_refresh: bool,
    pub deny_consent: bool,
    pub api_users: Vec<(String, String)>,
    pub site_unknown: bool,
    pub latency: Duration,
    /// `None`: one entry built from the fields above.
    pub accessible_resources: Option<Vec<Value>>,
    /// Accept bearer tokens another authorization server issued (peer tests).
    pub accept_any_bearer: bool,
    /// Forward `/ex/jira/<cloud-id>/…` to this Jira API mock (Prism) instead
    /// of answering, after checking the Cloud ID.
    pub jira_backend: Option<String>,
    /// Hostile answers: `displayName` of `/myself`, `baseUrl` of `serverInfo`,
    /// and the `error_description` of a denied consent, instead of the usual.
    pub display_name: Option<String>,
    pub server_base_url: Option<String>,
    pub consent_error_description: Option<String>,
}

struct Code {
    redirect_uri: String,
    scopes: Vec<String>,
    offline: bool,
}

struct AccessToken {
    expires: Instant,
    scopes: Vec<String>,
    app: bool,
}

struct RefreshToken {
    family: u64,
    scopes: Vec<String>,
    /// When it was first used, and the pair that use returned.
    used: Option<(Instant, Value)>,
}

struct Canned {
    prefix: String,
    remaining: usize,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Default)]
struct Internal {
    log: Vec<RecordedRequest>,
    canned: Vec<Canned>,
    hang: Vec<String>,
    codes: HashMap<String, Code>,
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    revoked_families: Vec<u64>,
    next_family: u64,
    reuse: usize,
    rotations: usize,
    counter: u64,
    /// `sl-violations` headers the Jira backend returned, with the request path.
    violations: Vec<(String, String)>,
    /// Requests being answered now, and the most there ever were at once.
    active: usize,
    max_active: usize,
}

/// Counts a request as being answered until dropped (answered or abandoned).
struct Active(Arc<Shared>);

impl Active {
    fn enter(shared: &Arc<Shared>) -> Active {
        let mut internal = shared.internal.lock().unwrap();
        internal.active += 1;
        internal.max_active = internal.max_active.max(internal.active);
        Active(shared.clone())
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        self.0.internal.lock().unwrap().active -= 1;
    }
}

struct Shared {
    state: Mutex<FakeState>,
    internal: Mutex<Internal>,
    /// How far [`FakeAtlassian::advance`] has moved the fake's clock.
    clock_offset: Mutex<Duration>,
}

impl Shared {
    /// The fake's time: the real clock plus every [`FakeAtlassian::advance`].
    /// Every time the fake compares (token expiry, the reuse interval) is on it.
    fn now(&self) -> Instant {
        Instant::now() + *self.clock_offset.lock().unwrap()
    }
}

/// A running fake; stops when dropped.
pub(crate) struct FakeAtlassian {
    shared: Arc<Shared>,
    server: Server,
}

impl FakeAtlassian {
    /// Starts the fake on a free loopback port, speaking plain HTTP/1.1.
    pub(crate) fn start() -> FakeAtlassian {
        FakeAtlassian::start_with(None)
    }

    /// Starts the fake over TLS (HTTP/2 or HTTP/1.1, by ALPN) as
    /// `https://localhost:PORT`: a client must trust [`Tls::ca_file`].
    pub(crate) fn start_tls() -> FakeAtlassian {
        FakeAtlassian::start_with(Some(Tls::localhost()))
    }

    fn start_with(tls: Option<Tls>) -> FakeAtlassian {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let url = match tls {
            Some(_) => format!("https://localhost:{port}"),
            None => format!("http://127.0.0.1:{port}"),
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(FakeState {
                cloud_id: "1324a887-45db-1bf4-1e99-ef0ff456d421".into(),
                site_url: url,
                site_name: "acme".into(),
                client_id: "spoke-client-id".into(),
                client_secret: "spoke-client-secret-XYZ123".into(),
                redirect_uri: None,
                granted_scopes: SPOKE_SCOPES.iter().map(|s| s.to_string()).collect(),
                token_lifetime_secs: 3600,
                refresh_leeway: Duration::from_secs(600),
                refresh_answer_delay: Duration::ZERO,
                omit_refresh_token_on_refresh: false,
                deny_consent: false,
                api_users: vec![("admin@example.com".into(), "api-token-SECRET-456".into())],
                site_unknown: false,
                latency: Duration::ZERO,
                accessible_resources: None,
                accept_any_bearer: false,
                jira_backend: None,
                display_name: None,
                server_base_url: None,
                consent_error_description: None,
            }),
            internal: Mutex::new(Internal::default()),
            clock_offset: Mutex::new(Duration::ZERO),
        });
        let server = Server::start(listener, tls, {
            let shared = shared.clone();
            move |request| handle(shared.clone(), request)
        });
        FakeAtlassian { shared, server }
    }

    /// `http://127.0.0.1:PORT` (`https://localhost:PORT` over TLS).
    pub(crate) fn url(&self) -> String {
        self.server.url()
    }

    /// The CA a client must trust to talk to it: [`Tls::ca_file`] when it
    /// speaks TLS.
    pub(crate) fn ca_file(&self) -> Option<std::path::PathBuf> {
        self.server.is_tls().then(Tls::ca_file)
    }

    /// Holds every TLS handshake back by `latency`.
    pub(crate) fn set_handshake_latency(&self, latency: Duration) {
        self.server.set_handshake_latency(latency);
    }

    /// How many connections clients have opened to it.
    pub(crate) fn connections(&self) -> usize {
        self.server.connections()
    }

    /// Changes the fake's behaviour.
    pub(crate) fn configure(&self, change: impl FnOnce(&mut FakeState)) {
        change(&mut self.shared.state.lock().unwrap());
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
        self.shared.internal.lock().unwrap().canned.push(Canned {
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

    /// Requests whose path starts with `prefix` are never answered.
    pub(crate) fn hang(&self, prefix: &str) {
        self.shared
            .internal
            .lock()
            .unwrap()
            .hang
            .push(prefix.into());
    }

    /// Every request so far.
    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.internal.lock().unwrap().log.clone()
    }

    /// Requests whose path starts with `prefix`.
    pub(crate) fn requests_to(&self, prefix: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.starts_with(prefix))
            .collect()
    }

    /// How often an already-used refresh token was presented again.
    pub(crate) fn refresh_reuse_count(&self) -> usize {
        self.shared.internal.lock().unwrap().reuse
    }

    /// How many refreshes rotated a refresh token (reuses not counted).
    pub(crate) fn rotations(&self) -> usize {
        self.shared.internal.lock().unwrap().rotations
    }

    /// Moves the fake's clock forward `by`: access tokens issued more than
    /// their lifetime ago are refused, refresh tokens used longer ago than
    /// the reuse interval revoke their family. No test sleeps for either.
    pub(crate) fn advance(&self, by: Duration) {
        *self.shared.clock_offset.lock().unwrap() += by;
    }

    /// How long the access tokens it issues now live.
    pub(crate) fn token_lifetime(&self) -> Duration {
        Duration::from_secs(self.shared.state.lock().unwrap().token_lifetime_secs)
    }

    /// [`FakeAtlassian::advance`], by its older name (it moved only the
    /// refresh-token uses).
    pub(crate) fn age_refresh_uses(&self, by: Duration) {
        self.advance(by);
    }

    /// `(path, sl-violations)` for every proxied request Prism flagged.
    pub(crate) fn backend_violations(&self) -> Vec<(String, String)> {
        self.shared.internal.lock().unwrap().violations.clone()
    }

    /// The most requests that were being answered at the same time.
    pub(crate) fn max_concurrent_requests(&self) -> usize {
        self.shared.internal.lock().unwrap().max_active
    }

    /// `n` refresh tokens, each of a consent of its own with the spoke's
    /// scopes, as if `n` users had gone through the browser flow: a fleet of
    /// authorization-code connections is written with them.
    pub(crate) fn consented_refresh_tokens(&self, n: usize) -> Vec<String> {
        let scopes: Vec<String> = SPOKE_SCOPES.iter().map(|s| s.to_string()).collect();
        (0..n)
            .map(|_| {
                let pair = issue_pair(&self.shared, scopes.clone(), true, None);
                pair["refresh_token"].as_str().unwrap().to_owned()
            })
            .collect()
    }

    /// Access tokens issued so far.
    pub(crate) fn issued_access_tokens(&self) -> Vec<String> {
        self.shared
            .internal
            .lock()
            .unwrap()
            .access
            .keys()
            .cloned()
            .collect()
    }
}

/// What the Australia release's authorization-code list adds, granted to a
/// user's consent when asked for.
pub(crate) const CONSENT_EXTRA_SCOPES: &[&str] =
    &["manage:jira-data-provider", "read:me", "read:account"];

/// The ServiceNow Jira spoke's scopes (classic + granular), granted by default.
pub(crate) const SPOKE_SCOPES: &[&str] = &[
    "read:jira-work",
    "read:jira-user",
    "write:jira-work",
    "manage:jira-project",
    "manage:jira-configuration",
    "manage:jira-webhook",
    "delete:sprint:jira-software",
    "read:issue-details:jira",
    "read:jql:jira",
    "read:sprint:jira-software",
    "write:sprint:jira-software",
    "read:board-scope:jira-software",
    "read:project:jira",
];

async fn handle(shared: Arc<Shared>, recorded: RecordedRequest) -> Response {
    let _active = Active::enter(&shared);
    let latency = shared.state.lock().unwrap().latency;
    let (canned, hang) = {
        let mut internal = shared.internal.lock().unwrap();
        internal.log.push(recorded.clone());
        let hang = internal
            .hang
            .iter()
            .any(|p| recorded.path.starts_with(p.as_str()));
        let canned = internal
            .canned
            .iter_mut()
            .find(|c| c.remaining > 0 && recorded.path.starts_with(c.prefix.as_str()))
            .map(|c| {
                c.remaining -= 1;
                (c.status, c.headers.clone(), c.body.clone())
            });
        (canned, hang)
    };
    if hang {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if let Some((status, headers, body)) = canned {
        let mut response = respond(status, None, body);
        for (k, v) in headers {
            set_header(&mut response, &k, &v);
        }
        return response;
    }
    let backend = shared.state.lock().unwrap().jira_backend.clone();
    let response = match backend {
        Some(backend) if recorded.path.starts_with("/ex/jira/") => {
            proxy(&shared, &backend, &recorded).await
        }
        _ => route(&shared, &recorded),
    };
    let is_refresh = recorded.path == "/oauth/token"
        && (recorded.body.contains("\"grant_type\":\"refresh_token\"")
            || recorded.body.contains("grant_type=refresh_token"));
    let delay = shared.state.lock().unwrap().refresh_answer_delay;
    if is_refresh && !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    response
}

/// Forwards a gateway request to the Jira API mock, keeping its answer and its
/// `sl-violations` verdict.
async fn proxy(shared: &Shared, backend: &str, req: &RecordedRequest) -> Response {
    let rest = &req.path["/ex/jira/".len()..];
    let (cloud_id, api_path) = rest.split_once('/').unwrap_or((rest, ""));
    if cloud_id != shared.state.lock().unwrap().cloud_id {
        return json_response(
            404,
            json!({"errorMessages": ["Site temporarily unavailable"], "errors": {}}),
        );
    }
    let mut url = format!("{backend}/{api_path}");
    if let Some(q) = &req.query {
        url = format!("{url}?{q}");
    }
    let mut forward = reqwest::Client::new().get(url);
    for name in ["authorization", "accept"] {
        if let Some(v) = req.header(name) {
            forward = forward.header(name, v);
        }
    }
    let Ok(answer) = forward.send().await else {
        return json_response(
            502,
            json!({"message": "the Jira API mock is not answering"}),
        );
    };
    if let Some(v) = answer.headers().get("sl-violations") {
        let v = v.to_str().unwrap_or("").to_owned();
        shared
            .internal
            .lock()
            .unwrap()
            .violations
            .push((req.path.clone(), v));
    }
    let status = answer.status().as_u16();
    let body = answer.text().await.unwrap_or_default();
    respond(status, Some("application/json"), body)
}

fn route(shared: &Shared, req: &RecordedRequest) -> Response {
    let path = req.path.as_str();
    match (req.method.as_str(), path) {
        ("GET", "/_edge/tenant_info") => tenant_info(shared),
        ("GET", "/authorize") => authorize(shared, req),
        ("POST", "/oauth/token") => token(shared, req),
        ("GET", "/oauth/token/accessible-resources") => accessible_resources(shared, req),
        ("GET", p) if p.starts_with("/ex/jira/") => gateway(shared, p, req),
        ("GET", p) if p.starts_with("/rest/api/") => site_api(shared, p, req),
        _ => json_response(404, json!({"errorMessages": ["Not found"], "errors": {}})),
    }
}

fn json_response(status: u16, body: Value) -> Response {
    respond(status, Some("application/json"), body.to_string())
}

fn tenant_info(shared: &Shared) -> Response {
    let state = shared.state.lock().unwrap();
    if state.site_unknown {
        return json_response(404, json!({"message": "no such site"}));
    }
    json_response(200, json!({"cloudId": state.cloud_id}))
}

fn authorize(shared: &Shared, req: &RecordedRequest) -> Response {
    let q = req.query_map();
    let state = shared.state.lock().unwrap();
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let redirect = get("redirect_uri");
    let registered_ok = state.redirect_uri.as_ref().is_none_or(|r| *r == redirect);
    if get("client_id") != state.client_id
        || get("response_type") != "code"
        || redirect.is_empty()
        || !registered_ok
    {
        let page = format!(
            "<html><body>unauthorized_client: Callback URL mismatch. {redirect} is not in the list of allowed callback URLs</body></html>"
        );
        return respond(400, Some("text/html"), page);
    }
    let location = if state.deny_consent {
        let mut url = url::Url::parse(&redirect).unwrap();
        url.query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair(
                "error_description",
                state
                    .consent_error_description
                    .as_deref()
                    .unwrap_or("User did not authorize the request"),
            )
            .append_pair("state", &get("state"));
        url.to_string()
    } else {
        let requested: Vec<String> = get("scope").split(' ').map(str::to_owned).collect();
        let code = new_id(shared, "fake-code-");
        shared.internal.lock().unwrap().codes.insert(
            code.clone(),
            Code {
                redirect_uri: redirect.clone(),
                offline: requested.iter().any(|s| s == "offline_access"),
                // NOTE: the app also has what the Australia release's
                // default list adds for a user's consent (its User identity
                // API among them); a service account's credential does not.
                scopes: requested
                    .into_iter()
                    .filter(|s| {
                        state.granted_scopes.contains(s)
                            || (!state.granted_scopes.is_empty()
                                && CONSENT_EXTRA_SCOPES.contains(&s.as_str()))
                    })
                    .collect(),
            },
        );
        let mut url = url::Url::parse(&redirect).unwrap();
        url.query_pairs_mut()
            .append_pair("code", &code)
            .append_pair("state", &get("state"));
        url.to_string()
    };
    let mut response = respond(302, None, "");
    set_header(&mut response, "location", &location);
    response
}

fn new_id(shared: &Shared, prefix: &str) -> String {
    let mut internal = shared.internal.lock().unwrap();
    internal.counter += 1;
    format!(
        "{prefix}{}-{:x}",
        internal.counter,
        Instant::now().elapsed().as_nanos() ^ 0x5eed
    )
}

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    json_response(
        status,
        json!({"error": error, "error_description": description}),
    )
}

fn token(shared: &Shared, req: &RecordedRequest) -> Response {
    // Strict, as a real authorization server is: the body must say what it is.
    let Some(params) = req.params() else {
        return oauth_error(
            400,
            "invalid_request",
            "the body must be application/x-www-form-urlencoded or application/json",
        );
    };
    let get = |k: &str| params.get(k).cloned().unwrap_or_default();
    {
        let state = shared.state.lock().unwrap();
        if get("client_id") != state.client_id || get("client_secret") != state.client_secret {
            return oauth_error(401, "access_denied", "Unauthorized");
        }
    }
    match get("grant_type").as_str() {
        "client_credentials" => {
            let scopes = shared.state.lock().unwrap().granted_scopes.clone();
            let (token, lifetime) = issue_access(shared, scopes.clone(), true);
            json_response(
                200,
                json!({"access_token": token, "expires_in": lifetime, "token_type": "Bearer", "scope": scopes.join(" ")}),
            )
        }
        "authorization_code" => {
            let code = shared.internal.lock().unwrap().codes.remove(&get("code"));
            match code {
                Some(code) if code.redirect_uri == get("redirect_uri") => {
                    json_response(200, issue_pair(shared, code.scopes, code.offline, None))
                }
                _ => oauth_error(403, "invalid_grant", "Invalid authorization code"),
            }
        }
        "refresh_token" => refresh(shared, &get("refresh_token")),
        _ => oauth_error(400, "unsupported_grant_type", "Grant type is not supported"),
    }
}

fn issue_access(shared: &Shared, scopes: Vec<String>, app: bool) -> (String, u64) {
    let lifetime = shared.state.lock().unwrap().token_lifetime_secs;
    let token = new_id(shared, "fake-at-");
    shared.internal.lock().unwrap().access.insert(
        token.clone(),
        AccessToken {
            expires: shared.now() + Duration::from_secs(lifetime),
            scopes,
            app,
        },
    );
    (token, lifetime)
}

/// A 3LO token response; a refresh token in `family` (new family if `None`) when offline.
fn issue_pair(shared: &Shared, scopes: Vec<String>, offline: bool, family: Option<u64>) -> Value {
    let (access, lifetime) = issue_access(shared, scopes.clone(), false);
    let mut body = json!({"access_token": access, "expires_in": lifetime, "token_type": "Bearer", "scope": scopes.join(" ")});
    if offline {
        let refresh = new_id(shared, "fake-rt-");
        let mut internal = shared.internal.lock().unwrap();
        let family = family.unwrap_or_else(|| {
            internal.next_family += 1;
            internal.next_family
        });
        internal.refresh.insert(
            refresh.clone(),
            RefreshToken {
                family,
                scopes,
                used: None,
            },
        );
        body["refresh_token"] = json!(refresh);
    }
    body
}

fn refresh(shared: &Shared, presented: &str) -> Response {
    let (leeway, omit) = {
        let state = shared.state.lock().unwrap();
        (state.refresh_leeway, state.omit_refresh_token_on_refresh)
    };
    let invalid = || oauth_error(403, "invalid_grant", "Unknown or invalid refresh token.");
    let (family, scopes, used) = {
        let internal = shared.internal.lock().unwrap();
        match internal.refresh.get(presented) {
            Some(rt) if !internal.revoked_families.contains(&rt.family) => {
                (rt.family, rt.scopes.clone(), rt.used.clone())
            }
            _ => return invalid(),
        }
    };
    if let Some((at, pair)) = used {
        let mut internal = shared.internal.lock().unwrap();
        internal.reuse += 1;
        if shared.now().saturating_duration_since(at) <= leeway && !leeway.is_zero() {
            return json_response(200, pair);
        }
        internal.revoked_families.push(family);
        return invalid();
    }
    let mut pair = issue_pair(shared, scopes, true, Some(family));
    if omit {
        pair.as_object_mut().unwrap().remove("refresh_token");
    }
    let mut internal = shared.internal.lock().unwrap();
    internal.rotations += 1;
    if let Some(rt) = internal.refresh.get_mut(presented) {
        rt.used = Some((shared.now(), pair.clone()));
    }
    drop(internal);
    json_response(200, pair)
}

/// The bearer token's record, if valid.
fn bearer(shared: &Shared, req: &RecordedRequest) -> Option<(Vec<String>, bool)> {
    let value = req.header("authorization")?;
    let token = value.strip_prefix("Bearer ")?;
    let internal = shared.internal.lock().unwrap();
    let Some(record) = internal.access.get(token) else {
        let state = shared.state.lock().unwrap();
        return state
            .accept_any_bearer
            .then(|| (state.granted_scopes.clone(), false));
    };
    (record.expires > shared.now()).then(|| (record.scopes.clone(), record.app))
}

fn accessible_resources(shared: &Shared, req: &RecordedRequest) -> Response {
    let Some((scopes, _)) = bearer(shared, req) else {
        return json_response(401, json!({"code": 401, "message": "Unauthorized"}));
    };
    let state = shared.state.lock().unwrap();
    let list = state.accessible_resources.clone().unwrap_or_else(|| {
        vec![
            json!({"id": state.cloud_id, "name": state.site_name, "url": state.site_url,
                    "scopes": scopes, "avatarUrl": "https://example.invalid/avatar.png"}),
        ]
    });
    json_response(200, Value::Array(list))
}

fn gateway(shared: &Shared, path: &str, req: &RecordedRequest) -> Response {
    let rest = &path["/ex/jira/".len()..];
    let (cloud_id, api_path) = rest.split_once('/').unwrap_or((rest, ""));
    if cloud_id != shared.state.lock().unwrap().cloud_id {
        return json_response(
            404,
            json!({"errorMessages": ["Site temporarily unavailable"], "errors": {}}),
        );
    }
    let Some((scopes, app)) = bearer(shared, req) else {
        return json_response(401, json!({"code": 401, "message": "Unauthorized"}));
    };
    let resource = jira_resource(api_path);
    if resource == Some("myself") && !scopes.iter().any(|s| s == "read:jira-user") {
        return json_response(
            401,
            json!({"code": 401, "message": "Unauthorized; scope does not match"}),
        );
    }
    let identity = if app {
        (
            "app",
            "jira-spoke service account",
            "bot@serviceaccount.atlassian.com".to_owned(),
        )
    } else {
        ("atlassian", "Mia Krystof", "mia@example.com".to_owned())
    };
    jira_answer(shared, resource, identity)
}

fn site_api(shared: &Shared, path: &str, req: &RecordedRequest) -> Response {
    let user = req
        .header("authorization")
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|pair| {
            let (email, token) = pair.split_once(':')?;
            let users = &shared.state.lock().unwrap().api_users;
            users
                .iter()
                .any(|(e, t)| e == email && t == token)
                .then(|| email.to_owned())
        });
    let Some(email) = user else {
        let mut response = json_response(
            401,
            json!({"errorMessages": ["Client must be authenticated to access this resource."], "errors": {}}),
        );
        set_header(&mut response, "www-authenticate", "Basic realm=\"Jira\"");
        return response;
    };
    jira_answer(
        shared,
        jira_resource(&path[1..]),
        ("atlassian", "Mia Krystof", email),
    )
}

/// `rest/api/3/myself` → `myself`.
fn jira_resource(api_path: &str) -> Option<&str> {
    let rest = api_path.strip_prefix("rest/api/")?;
    let (version, resource) = rest.split_once('/')?;
    matches!(version, "2" | "3").then_some(resource)
}

fn jira_answer(
    shared: &Shared,
    resource: Option<&str>,
    identity: (&str, &str, String),
) -> Response {
    let state = shared.state.lock().unwrap();
    let display_name = state.display_name.as_deref().unwrap_or(identity.1);
    let base_url = state.server_base_url.as_ref().unwrap_or(&state.site_url);
    match resource {
        Some("myself") => json_response(
            200,
            json!({"accountId": "5b10a2844c20165700ede21g", "accountType": identity.0,
                   "emailAddress": identity.2, "displayName": display_name, "active": true,
                   "timeZone": "Australia/Sydney"}),
        ),
        Some("serverInfo") => json_response(
            200,
            json!({"baseUrl": base_url, "deploymentType": "Cloud", "version": "1001.0.0-SNAPSHOT",
                   "versionNumbers": [1001, 0, 0], "serverTitle": "Jira"}),
        ),
        _ => json_response(404, json!({"errorMessages": ["Not found"], "errors": {}})),
    }
}
