//! [`Http`]: the one HTTP client, with one timeout, bounded reads, bounded
//! retries of 429/503, and errors that say what happened in words.
//!
//! Protocol modules ([`crate::atlassian::cloud_id`], [`crate::atlassian::oauth`], [`crate::atlassian::jira`],
//! [`crate::servicenow::client`]) build requests and read what succeeded;
//! this module moves bytes, turns transport failures into [`Error`]s, and is
//! the one home of what a failed status means ([`Failure::of`],
//! [`Response::error`]): 401, 403, 404, 429 with its `Retry-After`, 5xx and
//! the rest. A protocol module only names the parts it knows through an
//! [`ErrorContext`]: the credential, its error body's shape, the meaning a
//! status has in its protocol. Nothing here logs a header, a body or a query
//! string: URLs are logged through [`safe_url`], and a server's error message
//! only once it is one bounded line with the request's secret scrubbed.
//!
//! `--timeout` is the one limit on a request: connecting, sending, reading the
//! answer and every 429/503 retry with its `Retry-After` wait all fit inside
//! it. A wait that would not fit is not started; the 429 is reported at once.
//! Retries wait a little longer than asked, at random, so the requests one
//! 429 stopped together do not all come back in the same instant.
//!
//! One client and its pool serve the whole command, one connection per
//! origin where the server speaks HTTP/2 (ALPN, as api.atlassian.com does;
//! RFC 9113 §9.1): hyper multiplexes the requests on it, up to the streams
//! the server allows, and queues the rest. What a fan-out (`verify --all`)
//! can run out of is sockets, so sockets are what is bounded: a request to
//! an origin not yet known to speak HTTP/2 may open one, and takes one of
//! [`crate::open_files::sockets`] permits; once an origin has answered over
//! HTTP/2 its requests take none. The wait for a permit is not part of the
//! timeout, which measures the remote alone.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use url::Url;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// How long one request may take unless `--timeout` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest response body read; Atlassian's answers are a few KiB.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How many times a 429 or 503 is retried before giving up.
const MAX_RETRIES: u32 = 3;
/// Wait before a retry when the server sent no `Retry-After`.
const DEFAULT_RETRY_WAIT: Duration = Duration::from_secs(1);
/// Longest server error message carried into an [`Error`], in characters.
const MAX_MESSAGE_CHARS: usize = 300;
/// Least spread of the random extra wait before a retry; otherwise half the
/// wait asked for (see [`jittered`]).
const MIN_JITTER: Duration = Duration::from_millis(250);

/// An HTTP client for Atlassian endpoints.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    timeout: Duration,
    /// One permit per request that may open a socket of its own.
    sockets: Arc<Semaphore>,
    /// Origins that answered over HTTP/2.
    multiplexed: Arc<Multiplexed>,
}

/// Origins whose requests share one HTTP/2 connection, and news of the next.
#[derive(Debug, Default)]
struct Multiplexed {
    origins: Mutex<HashSet<String>>,
    learned: Notify,
}

impl Multiplexed {
    fn knows(&self, origin: &str) -> bool {
        self.lock().contains(origin)
    }

    fn learn(&self, origin: String) {
        if self.lock().insert(origin) {
            self.learned.notify_waiters();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.origins.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A fully read response.
#[derive(Debug)]
pub struct Response {
    /// The request URL, safe to print.
    pub url: String,
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body, at most [`MAX_BODY_BYTES`].
    pub body: Vec<u8>,
}

impl Http {
    /// A client whose every request, retries and waits included, gives up
    /// after `timeout`, and which trusts the certificate authorities in the
    /// PEM file `ca_file` besides the built-in ones.
    pub fn new(timeout: Duration, ca_file: Option<&Path>) -> Result<Http> {
        // NOTE: no separate connect timeout: a shorter one (it was 10 s) made
        // a host that never accepts fail sooner than `--timeout` said, and the
        // message named the wrong number. `send` enforces the whole budget.
        let sockets = crate::open_files::sockets();
        // NOTE: idle sockets kept per host are bounded like the busy ones,
        // so one host never holds more sockets than the permits allow.
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("jira-spoke/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .pool_max_idle_per_host(sockets);
        if let Some(path) = ca_file {
            for certificate in extra_roots(path)? {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let client = builder.build().map_err(|e| match ca_file {
            // Only the added roots can make a build fail at run time.
            Some(path) => Error::CaFile {
                path: path.to_owned(),
                reason: format!("a certificate in it is not usable: {}", error_chain(&e)),
            },
            None => Error::Internal(format!("cannot build the HTTP client: {e}")),
        })?;
        Ok(Http {
            client,
            timeout,
            sockets: Arc::new(Semaphore::new(sockets)),
            multiplexed: Arc::default(),
        })
    }

    /// How long one request may take; lock waits are derived from it.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends a request built by `build`, retrying 429 and 503 a bounded number
    /// of times as `Retry-After` asks, and reads the whole (bounded) body.
    ///
    /// All of it fits in the timeout: an attempt still running when it ends
    /// is a [`Error::Timeout`], and a 429 whose wait would end after it is
    /// [`Error::RateLimitedPastTimeout`] at once, without waiting in vain. A
    /// 503 that cannot be retried in time is returned as it is.
    pub async fn send(
        &self,
        url: &Url,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Response> {
        // NOTE: the socket is awaited before the deadline starts: a request
        // queued behind others has not been sent, so it cannot time out.
        let origin = url.origin().ascii_serialization();
        let _socket = self.socket_for(&origin).await?;
        let deadline = tokio::time::Instant::now() + self.timeout;
        let mut attempt = 0;
        loop {
            let (response, http2) =
                match tokio::time::timeout_at(deadline, self.send_once(url, build(&self.client)))
                    .await
                {
                    Ok(response) => response?,
                    Err(_) => return Err(self.timed_out(&safe_url(url))),
                };
            if http2 {
                self.multiplexed.learn(origin.clone());
            }
            let retryable = matches!(response.status, 429 | 503);
            if !retryable || attempt >= MAX_RETRIES {
                return Ok(response);
            }
            let wait = retry_after(&response.headers).unwrap_or(DEFAULT_RETRY_WAIT);
            let now = tokio::time::Instant::now();
            if now + wait >= deadline {
                tracing::info!(
                    "{} answered {} and asked to wait {} s; that is past --timeout, so no retry",
                    response.url,
                    response.status,
                    wait.as_secs_f32()
                );
                return match response.status {
                    429 => Err(response.rate_limited_past(self.timeout)),
                    _ => Ok(response),
                };
            }
            attempt += 1;
            let wait = retry_wait(wait, deadline - now);
            tracing::info!(
                "{} answered {}; retry {attempt}/{MAX_RETRIES} in {:.2} s",
                response.url,
                response.status,
                wait.as_secs_f32()
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// A permit to open a socket, or none once `origin` is known to speak
    /// HTTP/2 (also when that is learned while waiting for one).
    async fn socket_for(&self, origin: &str) -> Result<Option<OwnedSemaphorePermit>> {
        loop {
            let learned = self.multiplexed.learned.notified();
            tokio::pin!(learned);
            learned.as_mut().enable();
            if self.multiplexed.knows(origin) {
                return Ok(None);
            }
            tokio::select! {
                permit = self.sockets.clone().acquire_owned() => {
                    return permit
                        .map(Some)
                        .map_err(|_| Error::Internal("the HTTP client was closed".into()));
                }
                () = &mut learned => {}
            }
        }
    }

    /// One attempt; the answer, and whether it came over HTTP/2.
    async fn send_once(
        &self,
        url: &Url,
        request: reqwest::RequestBuilder,
    ) -> Result<(Response, bool)> {
        let shown = safe_url(url);
        let started = Instant::now();
        let mut response = request
            .send()
            .await
            .map_err(|e| self.transport_error(&shown, e))?;
        let status = response.status().as_u16();
        let http2 = response.version() == reqwest::Version::HTTP_2;
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(&shown, e))?
        {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(Error::UnexpectedResponse {
                    url: shown,
                    status,
                    detail: format!("a body larger than {} KiB", MAX_BODY_BYTES / 1024),
                });
            }
            body.extend_from_slice(&chunk);
        }
        tracing::info!(
            "{shown} → HTTP {status} in {} ms",
            started.elapsed().as_millis()
        );
        Ok((
            Response {
                url: shown,
                status,
                headers,
                body,
            },
            http2,
        ))
    }

    /// The timeout, named as `--timeout` gave it.
    fn timed_out(&self, url: &str) -> Error {
        Error::Timeout {
            url: url.to_owned(),
            secs: self.timeout.as_secs().max(1),
        }
    }

    fn transport_error(&self, url: &str, err: reqwest::Error) -> Error {
        if let Some(exhausted) = crate::open_files::exhausted_in(&err) {
            return exhausted.error(format!("connect to {url}"));
        }
        if err.is_timeout() {
            return self.timed_out(url);
        }
        if let Some(detail) = tls_detail(&err) {
            return Error::Tls {
                url: url.to_owned(),
                detail,
            };
        }
        Error::Network {
            url: url.to_owned(),
            source: Arc::new(err),
        }
    }
}

/// A rustls certificate verdict in words, the variant kept for searching.
fn certificate_in_words(verdict: &rustls::CertificateError) -> String {
    use rustls::CertificateError as C;
    let words = match verdict {
        C::UnknownIssuer => "its certificate is signed by an authority jira-spoke does not trust",
        C::Expired | C::ExpiredContext { .. } => "its certificate has expired",
        C::NotValidYet | C::NotValidYetContext { .. } => "its certificate is not valid yet",
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            "its certificate is for another host name"
        }
        C::Revoked => "its certificate has been revoked",
        other => return format!("invalid peer certificate: {other:?}"),
    };
    let name = format!("{verdict:?}");
    let name = name.split([' ', '{', '(']).next().unwrap_or_default();
    format!("{words} ({name})")
}

/// The most a `--ca-file` may hold.
const MAX_CA_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The certificates of a PEM file, for `--ca-file`: at least one, or why not.
fn extra_roots(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let unusable = |reason: String| Error::CaFile {
        path: path.to_owned(),
        reason,
    };
    // NOTE: Mozilla's whole bundle is 0.2 MiB; /dev/zero is not a CA file.
    let pem =
        crate::store::read_bounded(path, MAX_CA_FILE_BYTES).map_err(|refused| match refused {
            crate::store::Refused::Io(e) => unusable(format!("cannot read it: {e}")),
            crate::store::Refused::Not(reason) => unusable(reason),
        })?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| unusable(format!("it is not PEM: {}", error_chain(&e))))?;
    if certificates.is_empty() {
        return Err(unusable("it holds no PEM certificate".to_owned()));
    }
    Ok(certificates)
}

/// An error and its causes on one line.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    parts.extend(crate::error::causes_of(err));
    parts.join(": ")
}

/// What a failed answer's status means, whoever sent it: the one table from
/// HTTP status to kind of failure ([`Failure::of`]). Protocol modules match
/// on these, never on status numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// 3xx: a redirect, which [`Http`] never follows.
    Redirect,
    /// 401: the credential was not accepted.
    Unauthorized,
    /// 403: the credential was accepted, the request was not.
    Forbidden,
    /// 404 or 410: nothing is there.
    NotFound,
    /// 429, still, after the retries [`Http::send`] made.
    RateLimited,
    /// Any other 4xx: the server refused the request as it was.
    Rejected,
    /// 5xx: the server's side failed.
    ServerError,
    /// Anything else: 1xx, a status outside HTTP's classes, or a 2xx the
    /// protocol does not take as success.
    Other,
}

impl Failure {
    /// The kind of failure `status` is.
    pub fn of(status: u16) -> Failure {
        match status {
            300..=399 => Failure::Redirect,
            401 => Failure::Unauthorized,
            403 => Failure::Forbidden,
            404 | 410 => Failure::NotFound,
            429 => Failure::RateLimited,
            400..=499 => Failure::Rejected,
            500..=599 => Failure::ServerError,
            _ => Failure::Other,
        }
    }
}

/// What a protocol module knows about a request that failed, which the
/// status alone cannot say: the credential it carried, the shape of its
/// error bodies, and the meaning a status has in that protocol.
pub trait ErrorContext {
    /// The credential the request carried, as a 401 names it ("access token").
    fn credential(&self) -> &'static str {
        "credentials"
    }

    /// The server's own words in an error body of this protocol's shape;
    /// [`Response::error`] makes them one bounded line before anyone sees them.
    fn message(&self, _response: &Response) -> Option<String> {
        None
    }

    /// A secret the request carried, which the server's words may echo: it
    /// is scrubbed from [`Failed::message`].
    fn secret(&self) -> Option<&Secret> {
        None
    }

    /// The error for `failed` when its status means something of its own in
    /// this protocol; `None` leaves it to the shared mapping, [`Failed::generic`].
    /// Never asked about [`Failure::RateLimited`]: a 429 is the same everywhere.
    fn error(&self, failed: &Failed<'_>) -> Option<Error>;
}

/// The shared mapping alone: for requests whose protocol adds nothing.
pub struct Plain;

impl ErrorContext for Plain {
    fn error(&self, _failed: &Failed<'_>) -> Option<Error> {
        None
    }
}

/// A failed answer, as an [`ErrorContext`] sees it.
#[derive(Debug)]
pub struct Failed<'a> {
    pub response: &'a Response,
    pub failure: Failure,
    /// The server's message ([`ErrorContext::message`]) on one line, at most
    /// [`MAX_MESSAGE_CHARS`] characters, the request's secret shown as
    /// `<secret>`; empty when there is none.
    pub message: String,
    /// [`ErrorContext::credential`].
    pub credential: &'static str,
}

impl Failed<'_> {
    /// The request URL, safe to print.
    pub fn url(&self) -> String {
        self.response.url.clone()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.response.status
    }

    /// The message, if the server sent one.
    pub fn message(&self) -> Option<String> {
        Some(self.message.clone()).filter(|m| !m.is_empty())
    }

    /// The mapping every service shares: 401 and 403 are the credential's
    /// (exit 3), 429 carries `Retry-After` and the limit's reset (exit 5),
    /// 5xx is the server's failure (exit 5), and anything else is an answer
    /// nobody planned for, in the server's words when it gave some (exit 5).
    pub fn generic(&self) -> Error {
        let url = self.url();
        let status = self.status();
        match self.failure {
            Failure::Unauthorized => Error::JiraUnauthorized {
                url,
                what: self.credential,
                scope_mismatch: false,
            },
            Failure::Forbidden => Error::JiraForbidden {
                url,
                message: self.message(),
            },
            Failure::RateLimited => self.response.rate_limited(),
            Failure::ServerError => Error::ServerError { url, status },
            Failure::Redirect | Failure::NotFound | Failure::Rejected | Failure::Other => {
                Error::UnexpectedResponse {
                    url,
                    status,
                    detail: self
                        .message()
                        .unwrap_or_else(|| "an unexpected status".into()),
                }
            }
        }
    }
}

impl Response {
    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The kind of failure this answer's status is.
    pub fn failure(&self) -> Failure {
        Failure::of(self.status)
    }

    /// This answer if it succeeded (2xx), else the error `context` makes of it.
    pub fn into_result(self, context: &impl ErrorContext) -> Result<Response> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(self.error(context))
        }
    }

    /// The error this failed answer is: the status decides the kind
    /// ([`Failure::of`]), `context` names the parts its protocol knows, and
    /// [`Failed::generic`] maps the rest.
    pub fn error(&self, context: &impl ErrorContext) -> Error {
        let failure = self.failure();
        let message = context
            .message(self)
            .map(|m| one_line(&m, context.secret(), MAX_MESSAGE_CHARS))
            .unwrap_or_default();
        tracing::debug!(
            "{} answered HTTP {}: {}",
            self.url,
            self.status,
            if message.is_empty() {
                "no error message"
            } else {
                message.as_str()
            }
        );
        let failed = Failed {
            response: self,
            failure,
            message,
            credential: context.credential(),
        };
        if failure == Failure::RateLimited {
            return failed.generic();
        }
        context.error(&failed).unwrap_or_else(|| failed.generic())
    }

    /// Decodes a JSON body; an HTML page or malformed JSON becomes a plain sentence.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| Error::UnexpectedResponse {
            url: self.url.clone(),
            status: self.status,
            detail: self.describe_body(&e),
        })
    }

    /// The error for a 429 that outlived its retries, with when the limit resets.
    pub fn rate_limited(&self) -> Error {
        let header = |name: &str| {
            self.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Error::RateLimited {
            url: self.url.clone(),
            retry_after: self.retry_after_secs(),
            reset: header("x-ratelimit-reset"),
            reason: header("ratelimit-reason"),
        }
    }

    /// The error for a 429 whose `Retry-After` would end after the `timeout`
    /// the whole request was given.
    pub fn rate_limited_past(&self, timeout: Duration) -> Error {
        Error::RateLimitedPastTimeout {
            url: self.url.clone(),
            retry_after: self.retry_after_secs(),
            timeout: timeout.as_secs().max(1),
        }
    }

    /// The `Retry-After` the server asked for, in whole seconds.
    pub fn retry_after_secs(&self) -> Option<u64> {
        retry_after(&self.headers).map(|d| d.as_secs())
    }

    /// Says in words what a body that is not the expected JSON is; `err` is
    /// what the JSON decoder said, when it said something.
    pub fn describe_body(&self, err: &serde_json::Error) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let start = text.trim_start().to_ascii_lowercase();
        if start.starts_with("<!doctype html") || start.starts_with("<html") {
            "an HTML page where JSON was expected".to_owned()
        } else if text.trim().is_empty() {
            "an empty body where JSON was expected".to_owned()
        } else if err.is_data() {
            format!("JSON of an unexpected shape ({err})")
        } else {
            "a body that is not JSON".to_owned()
        }
    }
}

/// `text` on one line (runs of white space, newlines included, become one
/// space), with `secret` shown as `<secret>`, cut to `max` characters.
pub fn one_line(text: &str, secret: Option<&Secret>, max: usize) -> String {
    let scrubbed = match secret.filter(|s| !s.is_empty()) {
        Some(secret) => text.replace(secret.expose(), "<secret>"),
        None => text.to_owned(),
    };
    let line = scrubbed.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// A URL with no query string, fragment or credentials: safe for messages and logs
/// (an OAuth callback or authorize URL carries `code` and `state` in its query).
pub fn safe_url(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string().trim_end_matches('/').to_owned()
}

/// How long to wait before a retry the server asked to wait `wait` for,
/// with `left` until the deadline (more than `wait`): [`jittered`] at random,
/// leaving the retry at least half of what remains after the wait.
fn retry_wait(wait: Duration, left: Duration) -> Duration {
    let cap = wait + left.saturating_sub(wait) / 2;
    // 53 random bits make a uniform fraction in [0, 1); no randomness, no jitter.
    let unit = getrandom::u64().map_or(0.0, |r| (r >> 11) as f64 / (1u64 << 53) as f64);
    jittered(wait, cap, unit)
}

/// `wait` plus `unit` (in [0, 1)) of the spread — half the wait, at least
/// [`MIN_JITTER`] — never more than `cap` (nor less than `wait`).
fn jittered(wait: Duration, cap: Duration, unit: f64) -> Duration {
    let spread = (wait / 2).max(MIN_JITTER);
    (wait + spread.mul_f64(unit.clamp(0.0, 1.0))).min(cap.max(wait))
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110 §10.2.3); a date
/// already past is no wait.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .map(|d| Duration::from_secs(d.as_secs() + u64::from(d.subsec_nanos() > 0)))
            .unwrap_or(Duration::ZERO),
    )
}

/// What failed in TLS, when `err` is rustls's: the typed error found in the
/// chain of causes.
fn tls_detail(err: &reqwest::Error) -> Option<String> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        match rustls_error(e) {
            Some(rustls::Error::InvalidCertificate(verdict)) => {
                return Some(certificate_in_words(verdict));
            }
            Some(other) => return Some(other.to_string()),
            None => next = e.source(),
        }
    }
    None
}

/// `e` as rustls's error, also inside `io::Error`s (how TLS streams report
/// it, sometimes wrapped twice): an `io::Error`'s `source` skips what it
/// wraps, so each is opened by hand.
fn rustls_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    if let Some(found) = e.downcast_ref::<rustls::Error>() {
        return Some(found);
    }
    let inner = e.downcast_ref::<std::io::Error>()?.get_ref()?;
    rustls_error(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_verdicts_are_said_in_words_by_their_type() {
        use rustls::CertificateError as C;
        assert_eq!(
            certificate_in_words(&C::UnknownIssuer),
            "its certificate is signed by an authority jira-spoke does not trust (UnknownIssuer)"
        );
        let expired = C::ExpiredContext {
            time: rustls::pki_types::UnixTime::since_unix_epoch(Duration::from_secs(2)),
            not_after: rustls::pki_types::UnixTime::since_unix_epoch(Duration::from_secs(1)),
        };
        assert_eq!(
            certificate_in_words(&expired),
            "its certificate has expired (ExpiredContext)"
        );
        assert_eq!(
            certificate_in_words(&C::BadSignature),
            "invalid peer certificate: BadSignature"
        );
    }

    #[test]
    fn safe_url_drops_query_fragment_and_credentials() {
        let url = Url::parse("https://u:p@h.example/cb?code=SECRET&state=x#frag").unwrap();
        assert_eq!(safe_url(&url), "https://h.example/cb");
    }

    #[test]
    fn retry_waits_are_jittered_within_bounds() {
        let second = Duration::from_secs(1);
        let waits: Vec<Duration> = (0..64)
            .map(|_| retry_wait(second, Duration::from_secs(30)))
            .collect();
        for w in &waits {
            assert!(*w >= second, "shorter than Retry-After: {w:?}");
            assert!(*w <= second + second / 2, "more than half again: {w:?}");
        }
        let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
        assert!(distinct.len() > 32, "not spread: {distinct:?}");

        // No Retry-After of its own still spreads by at least MIN_JITTER.
        assert_eq!(jittered(Duration::ZERO, second, 0.0), Duration::ZERO);
        assert_eq!(jittered(Duration::ZERO, second, 0.5), MIN_JITTER / 2);
        // Near the deadline the retry keeps half of what is left.
        let tight = retry_wait(second, second + Duration::from_millis(100));
        assert!(tight <= second + Duration::from_millis(50), "{tight:?}");
        assert!(tight >= second);
    }

    fn failed(status: u16, headers: &[(&'static str, &str)], body: &str) -> Response {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().unwrap());
        }
        Response {
            url: "https://h.example/x".into(),
            status,
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    /// Reads `{"message": …}`, as a protocol module would.
    struct Said<'a>(Option<&'a Secret>);

    impl ErrorContext for Said<'_> {
        fn credential(&self) -> &'static str {
            "API token"
        }
        fn message(&self, response: &Response) -> Option<String> {
            let v: serde_json::Value = serde_json::from_slice(&response.body).ok()?;
            v["message"].as_str().map(str::to_owned)
        }
        fn secret(&self) -> Option<&Secret> {
            self.0
        }
        fn error(&self, _failed: &Failed<'_>) -> Option<Error> {
            None
        }
    }

    #[test]
    fn each_status_maps_to_one_kind_of_failure() {
        for (status, failure) in [
            (100, Failure::Other),
            (204, Failure::Other),
            (301, Failure::Redirect),
            (302, Failure::Redirect),
            (400, Failure::Rejected),
            (401, Failure::Unauthorized),
            (403, Failure::Forbidden),
            (404, Failure::NotFound),
            (409, Failure::Rejected),
            (410, Failure::NotFound),
            (429, Failure::RateLimited),
            (500, Failure::ServerError),
            (503, Failure::ServerError),
            (599, Failure::ServerError),
            (600, Failure::Other),
        ] {
            assert_eq!(Failure::of(status), failure, "{status}");
        }
    }

    #[test]
    fn the_shared_mapping_gives_each_status_its_error_and_exit_code() {
        for (status, exit, starts) in [
            (
                401,
                3,
                "Jira rejected the API token (HTTP 401 from https://h.example/x)",
            ),
            (
                403,
                3,
                "Jira refused access (HTTP 403 from https://h.example/x): no",
            ),
            (404, 5, "https://h.example/x answered HTTP 404 with no"),
            (302, 5, "https://h.example/x answered HTTP 302 with no"),
            (418, 5, "https://h.example/x answered HTTP 418 with no"),
            (
                502,
                5,
                "https://h.example/x answered HTTP 502: Atlassian's side failed",
            ),
        ] {
            let e = failed(status, &[], r#"{"message":"no"}"#).error(&Said(None));
            assert_eq!(e.kind().exit_code(), exit, "{status}: {e}");
            assert_eq!(e.to_string(), starts, "{status}");
        }
        let e = failed(418, &[], "<html>teapot</html>").error(&Plain);
        assert_eq!(
            e.to_string(),
            "https://h.example/x answered HTTP 418 with an unexpected status"
        );
        assert!(matches!(
            failed(401, &[], "").error(&Plain),
            Error::JiraUnauthorized {
                what: "credentials",
                ..
            }
        ));
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_an_http_date() {
        let of = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, value.parse().unwrap());
            retry_after(&headers)
        };
        assert_eq!(of(" 17 "), Some(Duration::from_secs(17)));
        let soon = std::time::SystemTime::now() + Duration::from_secs(30);
        let waited = of(&httpdate::fmt_http_date(soon)).unwrap();
        assert!(
            (Duration::from_secs(29)..=Duration::from_secs(31)).contains(&waited),
            "{waited:?}"
        );
        assert_eq!(of("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(of("in a while"), None);
    }

    #[test]
    fn a_429_carries_retry_after_whatever_the_protocol_says() {
        struct Claims;
        impl ErrorContext for Claims {
            fn error(&self, _failed: &Failed<'_>) -> Option<Error> {
                Some(Error::Internal("the protocol's own".into()))
            }
        }
        let r = failed(
            429,
            &[
                ("retry-after", "17"),
                ("x-ratelimit-reset", "2025-01-01T00:00:00Z"),
                ("ratelimit-reason", "jira-quota-based"),
            ],
            "",
        );
        let e = r.error(&Claims);
        assert!(
            matches!(
                &e,
                Error::RateLimited {
                    retry_after: Some(17),
                    reset: Some(_),
                    reason: Some(_),
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(e.kind().exit_code(), 5);
        assert!(e.to_string().contains("asked to wait 17 s"), "{e}");
        // Everything else is the protocol's to name.
        let e = failed(401, &[], "").error(&Claims);
        assert!(matches!(e, Error::Internal(_)), "{e:?}");
    }

    #[test]
    fn server_messages_are_one_bounded_line_without_the_secret() {
        let secret = Secret::new("tok-SECRET-1");
        let body = serde_json::json!({
            "message": format!("bad\n\r  token tok-SECRET-1 {}", "y".repeat(500))
        })
        .to_string();
        let r = failed(403, &[], &body);
        let Error::JiraForbidden {
            message: Some(message),
            ..
        } = r.error(&Said(Some(&secret)))
        else {
            panic!("not a JiraForbidden");
        };
        assert!(message.starts_with("bad token <secret> yyy"), "{message}");
        assert!(
            !message.contains('\n') && !message.contains('\r'),
            "{message}"
        );
        assert_eq!(message.chars().count(), MAX_MESSAGE_CHARS + 1, "{message}");
        assert!(message.ends_with('…'), "{message}");
        // A secret the cut would split is scrubbed before the cut.
        let body = serde_json::json!({ "message": format!("{}tok-SECRET-1", "z".repeat(295)) });
        let r = failed(400, &[], &body.to_string());
        let e = r.error(&Said(Some(&secret))).to_string();
        assert!(!e.contains("tok-S"), "{e}");
    }

    #[test]
    fn into_result_passes_success_through() {
        let ok = failed(201, &[], "{}").into_result(&Plain).unwrap();
        assert_eq!(ok.status, 201);
        assert!(failed(500, &[], "").into_result(&Plain).is_err());
    }

    #[test]
    fn html_bodies_are_described_not_dumped() {
        let r = Response {
            url: "https://h".into(),
            status: 200,
            headers: HeaderMap::new(),
            body: b"<!DOCTYPE html><html>login</html>".to_vec(),
        };
        let err = r.json::<serde_json::Value>().unwrap_err().to_string();
        assert!(
            err.contains("an HTML page where JSON was expected"),
            "{err}"
        );
        assert!(!err.contains("login"), "{err}");
    }
}
