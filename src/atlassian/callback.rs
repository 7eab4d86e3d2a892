//! The loopback listener that receives the 3LO redirect, and the parser for
//! a redirect URL pasted by hand (headless machines).
//!
//! The listener is bound *before* the browser opens, on the exact host and
//! port of the registered callback URL (Atlassian matches it byte for byte, so
//! the port cannot be random). It answers every request; it ends on the first
//! one with the right path and `state` — a code, or a denial — and keeps
//! waiting after anything else (a favicon, a stale tab, a forged state).

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Default callback the admin registers in the developer console.
pub const DEFAULT_REDIRECT_URI: &str = "http://localhost:8765/callback";
/// Longest request head read from the browser.
const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// How long one browser connection may take to send its request.
const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(10);

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
/// A denial is accepted without `state` (Atlassian's consent service has been
/// seen to omit it), but never with a *different* state.
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
    let state = params.get("state").map(String::as_str);
    if state.is_some_and(|s| s != expected_state) {
        return Err(Rejection::State);
    }
    if let Some(code) = params.get("error") {
        return Ok(Callback::Denied {
            code: code.clone(),
            description: params.get("error_description").cloned(),
        });
    }
    if state.is_none() {
        return Err(Rejection::State);
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

/// A bound loopback listener for one callback URL.
pub struct CallbackListener {
    listener: TcpListener,
    path: String,
    redirect_uri: Url,
}

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
            path: redirect_uri.path().to_owned(),
            redirect_uri: redirect_uri.clone(),
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves browser requests until one carries our `state`, or `timeout` passes.
    pub async fn wait(&self, state: &str, timeout: Duration) -> Result<Callback> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let accepted = tokio::time::timeout_at(deadline, self.listener.accept()).await;
            let Ok(accepted) = accepted else {
                return Err(Error::CallbackTimeout {
                    redirect_uri: self.redirect_uri.to_string(),
                    secs: timeout.as_secs(),
                });
            };
            let Ok((stream, _)) = accepted else { continue };
            if let Some(callback) = self.serve(stream, state).await {
                return Ok(callback);
            }
        }
    }

    /// Answers one connection; `Some` when it was the callback we wait for.
    async fn serve(&self, mut stream: TcpStream, state: &str) -> Option<Callback> {
        let target =
            match tokio::time::timeout(REQUEST_READ_TIMEOUT, read_target(&mut stream)).await {
                Ok(Some(target)) => target,
                _ => {
                    respond(&mut stream, 400, PAGE_BAD_REQUEST).await;
                    return None;
                }
            };
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        if path != self.path {
            respond(&mut stream, 404, PAGE_NOT_FOUND).await;
            return None;
        }
        match parse_callback(query, state) {
            Ok(Callback::Code(code)) => {
                respond(&mut stream, 200, PAGE_SUCCESS).await;
                Some(Callback::Code(code))
            }
            Ok(denied) => {
                respond(&mut stream, 200, PAGE_DENIED).await;
                Some(denied)
            }
            Err(_) => {
                respond(&mut stream, 400, PAGE_BAD_REQUEST).await;
                None
            }
        }
    }
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

async fn respond(stream: &mut TcpStream, status: u16, body: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_with_our_state_is_accepted() {
        let cb = parse_callback("code=abc&state=s1", "s1").unwrap();
        assert_eq!(cb, Callback::Code(Secret::new("abc")));
    }

    #[test]
    fn a_denial_is_reported_with_or_without_state() {
        for q in [
            "error=access_denied&error_description=User%20did%20not%20authorize%20the%20request&state=s1",
            "error=access_denied",
        ] {
            match parse_callback(q, "s1").unwrap() {
                Callback::Denied { code, .. } => assert_eq!(code, "access_denied"),
                other => panic!("{q}: {other:?}"),
            }
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

    #[tokio::test]
    async fn the_listener_ignores_strangers_and_returns_our_code() {
        let redirect: Url = "http://127.0.0.1:0/callback".parse().unwrap();
        let listener = CallbackListener::bind(&redirect).await.unwrap();
        let port = listener.port();
        let client = tokio::spawn(async move {
            let get = |target: &'static str| async move {
                let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
                s.write_all(format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
                    .await
                    .unwrap();
                let mut out = String::new();
                s.read_to_string(&mut out).await.unwrap();
                out
            };
            let favicon = get("/favicon.ico").await;
            let forged = get("/callback?code=evil&state=other").await;
            let ours = get("/callback?code=good&state=s1").await;
            (favicon, forged, ours)
        });
        let cb = listener.wait("s1", Duration::from_secs(10)).await.unwrap();
        assert_eq!(cb, Callback::Code(Secret::new("good")));
        let (favicon, forged, ours) = client.await.unwrap();
        assert!(favicon.starts_with("HTTP/1.1 404"));
        assert!(forged.starts_with("HTTP/1.1 400"));
        assert!(ours.starts_with("HTTP/1.1 200") && ours.contains("You can close this tab"));
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
        let redirect: Url = "http://127.0.0.1:0/callback".parse().unwrap();
        let listener = CallbackListener::bind(&redirect).await.unwrap();
        let err = listener
            .wait("s", Duration::from_millis(50))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::CallbackTimeout { .. }));
        assert!(err.hint().unwrap().contains("callback URL"));
    }
}
