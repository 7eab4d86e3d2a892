//! The loopback listener that receives the 3LO redirect, and the parser for
//! a redirect URL pasted by hand (headless machines).
//!
//! The listener is bound *before* the browser opens, on the exact host and
//! port of the registered callback URL (Atlassian matches it byte for byte, so
//! the port cannot be random). It answers every request; it ends on the first
//! one with the right path and `state` — a code, or a denial — and keeps
//! waiting after anything else (a favicon, a stale tab, a forged state).
//!
//! A browser's command line is readable by every user of the machine, so the
//! authorize URL (with `state` and the PKCE challenge) never goes there. The
//! browser opens a one-time local start page, `/start/<nonce>`, which the
//! listener answers once with a redirect to the authorize URL; only then does
//! `state` count as handed out. A second visit means someone else has the
//! link, and stops the sign-in.
//!
//! Connections are served concurrently under one deadline for the whole
//! wait, so idle sockets cannot stretch it.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use url::Url;

use crate::error::{Error, Result};
use crate::secret::{Secret, random_string};

/// Default callback the admin registers in the developer console.
pub const DEFAULT_REDIRECT_URI: &str = "http://localhost:8765/callback";
/// Longest request head read from the browser.
const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// How long one browser connection may take to send its request.
const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long writing one answer may take.
const RESPONSE_WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections served at once; more are closed unanswered.
const MAX_CONNECTIONS: usize = 128;
/// Longest wait the listener accepts, whatever it is asked for.
const MAX_WAIT: Duration = Duration::from_secs(24 * 60 * 60);
/// Where the one-time start pages live; the nonce follows.
const START_PREFIX: &str = "/start/";

/// What a callback said.
#[derive(Debug, PartialEq, Eq)]
pub enum Callback {
    /// Consent given: the authorization code.
    Code(Secret),
    /// Consent refused (`error=access_denied`) or another OAuth error.
    Denied {
        code: String,
        description: Option<String>,
    },
}

/// Why a callback request was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejection {
    /// Its `state` is missing or not ours.
    State,
    /// Malformed: a parameter missing, repeated or oversized.
    Malformed(&'static str),
}

/// Parses a callback query string and checks its `state`.
///
/// Every callback must carry our `state`, a denial too: without it any local
/// process or web page could end the sign-in with text of its choosing.
pub fn parse_callback(query: &str, expected_state: &str) -> Result<Callback, Rejection> {
    if query.len() > MAX_REQUEST_BYTES {
        return Err(Rejection::Malformed("the query is too long"));
    }
    let mut params: HashMap<String, String> = HashMap::new();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if params
            .insert(key.into_owned(), value.into_owned())
            .is_some()
        {
            return Err(Rejection::Malformed("a parameter is repeated"));
        }
    }
    if params.get("state").map(String::as_str) != Some(expected_state) {
        return Err(Rejection::State);
    }
    if let Some(code) = params.get("error") {
        return Ok(Callback::Denied {
            code: code.clone(),
            description: params.get("error_description").cloned(),
        });
    }
    match params.get("code") {
        Some(code) if !code.trim().is_empty() => Ok(Callback::Code(Secret::new(code.clone()))),
        _ => Err(Rejection::Malformed("the code is missing")),
    }
}

/// Parses the address-bar URL an admin pasted after consent.
pub fn parse_pasted(pasted: &str, redirect_uri: &Url, state: &str) -> Result<Callback> {
    let url = Url::parse(pasted.trim()).map_err(|_| {
        Error::usage(
            "the pasted text is not a URL",
            format!("paste the whole address the browser shows, starting with {redirect_uri}"),
        )
    })?;
    if url.path() != redirect_uri.path() {
        return Err(Error::usage(
            format!(
                "the pasted URL's path is {}, not {}",
                url.path(),
                redirect_uri.path()
            ),
            format!(
                "paste the address of the page the browser reached, starting with {redirect_uri}"
            ),
        ));
    }
    match parse_callback(url.query().unwrap_or(""), state) {
        Ok(callback) => Ok(callback),
        Err(Rejection::State) => Err(Error::StateMismatch),
        Err(Rejection::Malformed(why)) => Err(Error::usage(
            format!("the pasted URL is not a callback: {why}"),
            "paste the whole address, including everything after `?`",
        )),
    }
}

/// How the authorize URL, and so `state`, reaches the browser.
#[derive(Debug, Clone)]
pub enum Handout {
    /// Through the one-time start page ([`CallbackListener::start_url`]),
    /// which redirects to this authorize URL.
    StartPage(Url),
    /// Shown to the admin, who opens it in a browser anywhere (`--no-browser`):
    /// `state` is out from the start.
    Shown,
}

/// A bound loopback listener for one callback URL.
pub struct CallbackListener {
    listener: TcpListener,
    redirect_uri: Url,
    shared: Arc<Shared>,
}

/// What the connections being served share.
struct Shared {
    /// The callback's path.
    path: String,
    /// The start page's path, with its nonce.
    start_path: String,
    phase: Mutex<Phase>,
}

#[derive(Default)]
struct Phase {
    /// The `state` callbacks must carry.
    state: String,
    /// Where the start page redirects, until it has done so once.
    start: Option<Url>,
    /// The start page has redirected a browser.
    started: bool,
    /// `state` has been handed out: callbacks may be accepted.
    armed: bool,
    /// The wait has its outcome; everything else is turned away.
    done: bool,
}

/// How a wait ends.
type Outcome = Result<Callback>;

impl CallbackListener {
    /// Binds the host and port of `redirect_uri`, which must be `http://` on loopback.
    pub async fn bind(redirect_uri: &Url) -> Result<CallbackListener> {
        let port = redirect_uri.port_or_known_default().unwrap_or(80);
        let addr = match redirect_uri.host() {
            Some(url::Host::Ipv4(ip)) => SocketAddr::from((ip, port)),
            Some(url::Host::Ipv6(ip)) => SocketAddr::from((ip, port)),
            _ => SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        };
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| Error::CallbackPort {
                port,
                reason: match e.kind() {
                    std::io::ErrorKind::AddrInUse => {
                        "another program is already listening there".to_owned()
                    }
                    std::io::ErrorKind::PermissionDenied => {
                        "the system refused it (a reserved or privileged port)".to_owned()
                    }
                    _ => e.to_string(),
                },
            })?;
        Ok(CallbackListener {
            listener,
            redirect_uri: redirect_uri.clone(),
            shared: Arc::new(Shared {
                path: redirect_uri.path().to_owned(),
                start_path: format!("{START_PREFIX}{}", random_string(24)?),
                phase: Mutex::new(Phase::default()),
            }),
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The one-time local page that redirects to the authorize URL given to
    /// [`CallbackListener::wait`]: safe to put on a browser's command line.
    pub fn start_url(&self) -> Url {
        let mut url = self.redirect_uri.clone();
        url.set_query(None);
        url.set_fragment(None);
        // NOTE: the bound port, which differs from the redirect URI's only for port 0 (tests).
        let _ = url.set_port(Some(self.port()));
        url.set_path(&self.shared.start_path);
        url
    }

    /// True once the start page has sent a browser on to the authorize URL.
    pub fn started(&self) -> bool {
        self.shared.phase().started
    }

    /// Serves browser requests until one carries our `state`, or `timeout`
    /// passes. `state` counts only once `handout` has delivered it.
    pub async fn wait(&self, state: &str, handout: Handout, timeout: Duration) -> Result<Callback> {
        let deadline = tokio::time::Instant::now() + timeout.min(MAX_WAIT);
        {
            let mut phase = self.shared.phase();
            *phase = Phase {
                state: state.to_owned(),
                ..Phase::default()
            };
            match handout {
                Handout::StartPage(authorize_url) => phase.start = Some(authorize_url),
                Handout::Shown => phase.armed = true,
            }
        }
        let mut connections = JoinSet::new();
        let outcome = tokio::time::timeout_at(deadline, async {
            loop {
                tokio::select! {
                    accepted = self.listener.accept() => match accepted {
                        Ok((stream, _)) if connections.len() < MAX_CONNECTIONS => {
                            connections.spawn(serve(stream, Arc::clone(&self.shared)));
                        }
                        Ok(_) => {} // dropped: closed unanswered
                        // NOTE: e.g. out of file descriptors; pause instead of spinning.
                        Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                    },
                    Some(served) = connections.join_next() => {
                        if let Ok(Some(outcome)) = served {
                            return outcome;
                        }
                    }
                }
            }
        })
        .await;
        // NOTE: dropping the set aborts the connections still being served.
        drop(connections);
        outcome.unwrap_or_else(|_| {
            Err(Error::CallbackTimeout {
                redirect_uri: self.redirect_uri.to_string(),
                secs: timeout.as_secs(),
            })
        })
    }
}

impl Shared {
    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        // NOTE: a panic while holding the lock cannot leave the phase half-changed.
        self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The answer to one request, and the wait's outcome when it decides it.
    fn answer(&self, target: &str) -> (Reply, Option<Outcome>) {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut phase = self.phase();
        if phase.done {
            return (Reply::Page(400, PAGE_BAD_REQUEST), None);
        }
        if path == self.start_path {
            if let Some(authorize_url) = phase.start.take() {
                phase.started = true;
                phase.armed = true;
                return (Reply::Redirect(authorize_url), None);
            }
            if phase.started {
                phase.done = true;
                return (
                    Reply::Page(409, PAGE_LINK_REUSED),
                    Some(Err(Error::ConsentLinkReused)),
                );
            }
            return (Reply::Page(404, PAGE_NOT_FOUND), None);
        }
        if path != self.path {
            return (Reply::Page(404, PAGE_NOT_FOUND), None);
        }
        if !phase.armed {
            return (Reply::Page(400, PAGE_BAD_REQUEST), None);
        }
        match parse_callback(query, &phase.state) {
            Ok(callback) => {
                phase.done = true;
                let page = match callback {
                    Callback::Code(_) => PAGE_SUCCESS,
                    Callback::Denied { .. } => PAGE_DENIED,
                };
                (Reply::Page(200, page), Some(Ok(callback)))
            }
            Err(_) => (Reply::Page(400, PAGE_BAD_REQUEST), None),
        }
    }
}

/// Answers one connection; `Some` when it decided the wait.
async fn serve(mut stream: TcpStream, shared: Arc<Shared>) -> Option<Outcome> {
    let (reply, outcome) =
        match tokio::time::timeout(REQUEST_READ_TIMEOUT, read_target(&mut stream)).await {
            Ok(Some(target)) => shared.answer(&target),
            _ => (Reply::Page(400, PAGE_BAD_REQUEST), None),
        };
    // NOTE: the page is sent before the outcome is reported, so the browser
    // shows it even though the process ends right after.
    let _ = tokio::time::timeout(RESPONSE_WRITE_TIMEOUT, reply.send(&mut stream)).await;
    outcome
}

/// Reads the request head and returns the request target of a `GET`.
async fn read_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() + n > MAX_REQUEST_BYTES {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8(head).ok()?;
    let mut parts = head.lines().next()?.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) => Some(target.to_owned()),
        _ => None,
    }
}

/// An HTTP answer.
enum Reply {
    /// A page with a status code.
    Page(u16, &'static str),
    /// `302 Found` to a URL (the start page).
    Redirect(Url),
}

impl Reply {
    async fn send(self, stream: &mut TcpStream) {
        let (status, location, body) = match &self {
            Reply::Page(status, body) => (*status, String::new(), *body),
            Reply::Redirect(url) => (302, format!("Location: {url}\r\n"), PAGE_REDIRECT),
        };
        let reason = match status {
            200 => "OK",
            302 => "Found",
            404 => "Not Found",
            409 => "Conflict",
            _ => "Bad Request",
        };
        let response = format!(
            "HTTP/1.1 {status} {reason}\r\n{location}Content-Type: text/html; charset=utf-8\r\n\
             Content-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    }
}

const PAGE_SUCCESS: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>jira-spoke</title></head>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>jira-spoke is connected</h1>\
<p>Consent received. You can close this tab and return to the terminal.</p></body></html>";
const PAGE_DENIED: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>jira-spoke</title></head>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>Consent was not given</h1>\
<p>jira-spoke did not connect. You can close this tab; the terminal says what to do next.</p></body></html>";
const PAGE_BAD_REQUEST: &str = "<!doctype html><html><body><h1>Not a jira-spoke callback</h1>\
<p>This request does not belong to the sign-in jira-spoke is waiting for.</p></body></html>";
const PAGE_NOT_FOUND: &str = "<!doctype html><html><body><h1>Not found</h1></body></html>";
const PAGE_REDIRECT: &str =
    "<!doctype html><html><body><p>On to the consent screen…</p></body></html>";
const PAGE_LINK_REUSED: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>jira-spoke</title></head>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>This sign-in link was already used</h1>\
<p>jira-spoke stopped the sign-in. Return to the terminal.</p></body></html>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_with_our_state_is_accepted() {
        let cb = parse_callback("code=abc&state=s1", "s1").unwrap();
        assert_eq!(cb, Callback::Code(Secret::new("abc")));
    }

    #[test]
    fn a_denial_is_reported_only_with_our_state() {
        let q = "error=access_denied&error_description=User%20did%20not%20authorize%20the%20request&state=s1";
        match parse_callback(q, "s1").unwrap() {
            Callback::Denied { code, .. } => assert_eq!(code, "access_denied"),
            other => panic!("{q}: {other:?}"),
        }
        for forged in [
            "error=access_denied",
            "error=access_denied&error_description=Forged",
            "error=access_denied&error_description=Forged&state=",
            "error=access_denied&error_description=Forged&state=s2",
        ] {
            assert_eq!(
                parse_callback(forged, "s1"),
                Err(Rejection::State),
                "{forged}"
            );
        }
    }

    #[test]
    fn wrong_missing_or_repeated_parameters_are_rejected() {
        assert_eq!(
            parse_callback("code=abc&state=evil", "s1"),
            Err(Rejection::State)
        );
        assert_eq!(parse_callback("code=abc", "s1"), Err(Rejection::State));
        assert_eq!(
            parse_callback("error=access_denied&state=evil", "s1"),
            Err(Rejection::State)
        );
        assert!(matches!(
            parse_callback("state=s1", "s1"),
            Err(Rejection::Malformed(_))
        ));
        assert!(matches!(
            parse_callback("code=&state=s1", "s1"),
            Err(Rejection::Malformed(_))
        ));
        assert!(matches!(
            parse_callback("code=a&code=b&state=s1", "s1"),
            Err(Rejection::Malformed(_))
        ));
        let long = format!("code={}&state=s1", "x".repeat(MAX_REQUEST_BYTES));
        assert!(matches!(
            parse_callback(&long, "s1"),
            Err(Rejection::Malformed(_))
        ));
    }

    #[test]
    fn pasted_urls_are_checked_like_callbacks() {
        let redirect: Url = DEFAULT_REDIRECT_URI.parse().unwrap();
        let ok = parse_pasted(
            "http://localhost:8765/callback?code=c&state=s",
            &redirect,
            "s",
        )
        .unwrap();
        assert_eq!(ok, Callback::Code(Secret::new("c")));
        let err = parse_pasted(
            "http://localhost:8765/callback?code=c&state=x",
            &redirect,
            "s",
        )
        .unwrap_err();
        assert!(matches!(err, Error::StateMismatch), "{err:?}");
        assert_eq!(err.kind().exit_code(), 3);
        let err = parse_pasted("not a url", &redirect, "s").unwrap_err();
        assert_eq!(err.kind().exit_code(), 2);
        let err =
            parse_pasted("http://localhost:8765/other?code=c&state=s", &redirect, "s").unwrap_err();
        assert_eq!(err.kind().exit_code(), 2);
    }

    /// A bound listener on a free port.
    async fn listener() -> CallbackListener {
        let redirect: Url = "http://127.0.0.1:0/callback".parse().unwrap();
        CallbackListener::bind(&redirect).await.unwrap()
    }

    /// Sends `GET target` and returns the whole answer.
    async fn get(port: u16, target: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    const AUTHORIZE: &str = "https://auth.example/authorize?state=s1&code_challenge=c";

    #[tokio::test]
    async fn the_listener_ignores_strangers_and_returns_our_code() {
        let listener = listener().await;
        let port = listener.port();
        let client = tokio::spawn(async move {
            let favicon = get(port, "/favicon.ico").await;
            let forged = get(port, "/callback?code=evil&state=other").await;
            let denial = get(
                port,
                "/callback?error=access_denied&error_description=Forged",
            )
            .await;
            let ours = get(port, "/callback?code=good&state=s1").await;
            (favicon, forged, denial, ours)
        });
        let cb = listener
            .wait("s1", Handout::Shown, Duration::from_secs(10))
            .await
            .unwrap();
        assert_eq!(cb, Callback::Code(Secret::new("good")));
        let (favicon, forged, denial, ours) = client.await.unwrap();
        assert!(favicon.starts_with("HTTP/1.1 404"));
        assert!(forged.starts_with("HTTP/1.1 400"));
        assert!(denial.starts_with("HTTP/1.1 400"));
        assert!(ours.starts_with("HTTP/1.1 200") && ours.contains("You can close this tab"));
    }

    #[tokio::test]
    async fn the_start_page_redirects_once_and_arms_the_state() {
        let listener = listener().await;
        let port = listener.port();
        let start = listener.start_url();
        assert_eq!(start.port(), Some(port));
        assert!(start.path().starts_with(START_PREFIX) && start.path().len() > 30);
        assert!(!start.as_str().contains("state"));
        let start_path = start.path().to_owned();
        let client = tokio::spawn(async move {
            let early = get(port, "/callback?code=early&state=s1").await;
            let guessed = get(port, "/start/guessed").await;
            let first = get(port, &start_path).await;
            let ours = get(port, "/callback?code=good&state=s1").await;
            (early, guessed, first, ours)
        });
        let authorize: Url = AUTHORIZE.parse().unwrap();
        let cb = listener
            .wait("s1", Handout::StartPage(authorize), Duration::from_secs(10))
            .await
            .unwrap();
        assert_eq!(cb, Callback::Code(Secret::new("good")));
        assert!(listener.started());
        let (early, guessed, first, ours) = client.await.unwrap();
        assert!(
            early.starts_with("HTTP/1.1 400"),
            "before the start page: {early}"
        );
        assert!(guessed.starts_with("HTTP/1.1 404") && !guessed.contains("Location"));
        assert!(first.starts_with("HTTP/1.1 302"), "{first}");
        assert!(
            first.contains(&format!("Location: {AUTHORIZE}\r\n")),
            "{first}"
        );
        assert!(ours.starts_with("HTTP/1.1 200"));
    }

    #[tokio::test]
    async fn a_second_visit_to_the_start_page_stops_the_sign_in() {
        let listener = listener().await;
        let port = listener.port();
        let start_path = listener.start_url().path().to_owned();
        let client = tokio::spawn(async move {
            let first = get(port, &start_path).await;
            let second = get(port, &start_path).await;
            (first, second)
        });
        let err = listener
            .wait(
                "s1",
                Handout::StartPage(AUTHORIZE.parse().unwrap()),
                Duration::from_secs(10),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::ConsentLinkReused), "{err:?}");
        assert_eq!(err.kind().exit_code(), 3);
        let (first, second) = client.await.unwrap();
        assert!(first.starts_with("HTTP/1.1 302"));
        assert!(
            second.starts_with("HTTP/1.1 409") && !second.contains("Location"),
            "{second}"
        );
    }

    #[tokio::test]
    async fn idle_connections_neither_block_the_callback_nor_stretch_the_deadline() {
        let listener = listener().await;
        let port = listener.port();
        let idle = |n| async move {
            let mut sockets = Vec::new();
            for _ in 0..n {
                sockets.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
            }
            sockets
        };
        let first_idle = idle(40).await;
        let started = tokio::time::Instant::now();
        let client = tokio::spawn(async move { get(port, "/callback?code=good&state=s1").await });
        let cb = listener
            .wait("s1", Handout::Shown, Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(cb, Callback::Code(Secret::new("good")));
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(client.await.unwrap().starts_with("HTTP/1.1 200"));

        let second_idle = idle(40).await;
        let started = tokio::time::Instant::now();
        let err = listener
            .wait("s1", Handout::Shown, Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::CallbackTimeout { .. }), "{err:?}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        drop((first_idle, second_idle));
    }

    #[tokio::test]
    async fn a_busy_port_is_a_local_error_naming_the_port() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let redirect: Url = format!("http://127.0.0.1:{port}/callback").parse().unwrap();
        let err = CallbackListener::bind(&redirect).await.err().unwrap();
        assert_eq!(err.kind().exit_code(), 6);
        assert!(err.to_string().contains(&port.to_string()), "{err}");
        assert!(err.hint().unwrap().contains("--redirect-uri"));
    }

    #[tokio::test]
    async fn no_callback_times_out_with_a_callback_url_hint() {
        let err = listener()
            .await
            .wait("s", Handout::Shown, Duration::from_millis(50))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::CallbackTimeout { .. }));
        assert!(err.hint().unwrap().contains("callback URL"));
    }
}
