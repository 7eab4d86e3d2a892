//! The HTTP server under both fakes: hyper on a loopback listener, on a
//! thread and current-thread runtime of its own, until dropped. A fake gives
//! it one async handler; this module reads each request whole into a
//! [`RecordedRequest`] and sends back the handler's [`Response`].
//!
//! Plain HTTP/1.1 by default. [`Tls`] serves TLS instead, with HTTP/2 or
//! HTTP/1.1 as the client's ALPN asks, under a certificate for `localhost`
//! and 127.0.0.1 signed by the test CA in `tests/fixtures/tls/`: the shape
//! of api.atlassian.com, where one connection carries every request, at
//! most [`MAX_CONCURRENT_STREAMS`] at once.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::Value;

/// Streams one HTTP/2 connection carries at once, as real servers cap them
/// (nginx's `http2_max_concurrent_streams` is 128; hyper's own default, 200,
/// let a benchmark against the fake look faster than against the real one).
pub(crate) const MAX_CONCURRENT_STREAMS: u32 = 128;

/// What a handler answers.
pub(crate) type Response = http::Response<String>;

/// One recorded request.
#[derive(Debug, Clone)]
pub(crate) struct RecordedRequest {
    /// `HTTP/1.1`, `HTTP/2.0`.
    pub version: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// When it arrived (for a bench's trace of which requests went together).
    pub received: std::time::Instant,
}

impl RecordedRequest {
    /// The value of a header (`name` lower-case), if sent.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The media type of the body, without parameters (`application/json`).
    pub(crate) fn content_type(&self) -> Option<&str> {
        self.header("content-type")
            .map(|v| v.split(';').next().unwrap_or("").trim())
    }

    /// The fields of a form or JSON body, by its `Content-Type`; `None` for
    /// any other body, or one that does not parse.
    pub(crate) fn params(&self) -> Option<HashMap<String, String>> {
        match self.content_type()? {
            "application/json" => {
                let map = serde_json::from_str::<HashMap<String, Value>>(&self.body).ok()?;
                Some(
                    map.into_iter()
                        .map(|(k, v)| {
                            let v = v
                                .as_str()
                                .map(str::to_owned)
                                .unwrap_or_else(|| v.to_string());
                            (k, v)
                        })
                        .collect(),
                )
            }
            "application/x-www-form-urlencoded" => Some(query_map(Some(&self.body))),
            _ => None,
        }
    }

    /// One field of a form or JSON body.
    pub(crate) fn param(&self, name: &str) -> Option<String> {
        self.params()?.remove(name)
    }

    /// The query string's pairs, decoded.
    pub(crate) fn query_map(&self) -> HashMap<String, String> {
        query_map(self.query.as_deref())
    }
}

fn query_map(query: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// An answer: `status`, a `Content-Type` when given, and `body`.
pub(crate) fn respond(
    status: u16,
    content_type: Option<&str>,
    body: impl Into<String>,
) -> Response {
    let mut response = http::Response::new(body.into());
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
    if let Some(content_type) = content_type {
        set_header(&mut response, "content-type", content_type);
    }
    response
}

/// Sets (replaces) one header of an answer.
pub(crate) fn set_header(response: &mut Response, name: &str, value: &str) {
    response.headers_mut().insert(
        http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
        value.parse().unwrap(),
    );
}

/// The TLS side of a server: the test CA's leaf certificate and key.
#[derive(Clone)]
pub(crate) struct Tls(Arc<rustls::ServerConfig>);

impl Tls {
    /// The vendored `localhost` certificate, offering h2 then HTTP/1.1.
    pub(crate) fn localhost() -> Tls {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(fixture("localhost.pem"))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
        let key = PrivateKeyDer::from_pem_file(fixture("localhost.key")).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Tls(Arc::new(config))
    }

    /// The CA certificate a client must trust to talk to a TLS fake.
    pub(crate) fn ca_file() -> PathBuf {
        fixture("ca.pem")
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

/// A running server; dropping it stops it (requests still open are cut).
pub(crate) struct Server {
    addr: SocketAddr,
    tls: bool,
    /// Connections accepted so far (TLS handshakes begun, over TLS).
    connections: Arc<AtomicUsize>,
    /// How long a TLS handshake is held back, in µs.
    handshake_latency: Arc<AtomicU64>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Serves `listener` (bound, non-blocking) with `handler`, over TLS when
    /// `tls` is given.
    pub(crate) fn start<H, F>(
        listener: std::net::TcpListener,
        tls: Option<Tls>,
        handler: H,
    ) -> Server
    where
        H: Fn(RecordedRequest) -> F + Send + Sync + 'static,
        F: Future<Output = Response> + Send + 'static,
    {
        let addr = listener.local_addr().unwrap();
        deepen_backlog(&listener);
        let secure = tls.is_some();
        let handler = Arc::new(handler);
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        let handshake_latency = Arc::new(AtomicU64::new(0));
        let delay = handshake_latency.clone();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let acceptor = tls.map(|Tls(config)| tokio_rustls::TlsAcceptor::from(config));
                loop {
                    let stream = tokio::select! {
                        _ = &mut rx => return,
                        accepted = listener.accept() => match accepted {
                            Ok((stream, _)) => stream,
                            // Out of descriptors, say: the client sees the
                            // refusal; keep serving the others.
                            Err(_) => continue,
                        },
                    };
                    counted.fetch_add(1, Ordering::Relaxed);
                    let _ = stream.set_nodelay(true);
                    let delay = Duration::from_micros(delay.load(Ordering::Relaxed));
                    let acceptor = acceptor.clone().map(|acceptor| (acceptor, delay));
                    tokio::spawn(serve_connection(stream, acceptor, handler.clone()));
                }
            });
        });
        Server {
            addr,
            tls: secure,
            connections,
            handshake_latency,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// Holds every TLS handshake back by `latency` (a remote server's
    /// connection set-up costs round trips before the first request).
    pub(crate) fn set_handshake_latency(&self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.handshake_latency.store(micros, Ordering::Relaxed);
    }

    /// How many connections it has accepted.
    pub(crate) fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }

    /// Whether it serves TLS.
    pub(crate) fn is_tls(&self) -> bool {
        self.tls
    }

    /// The address it listens on.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` (the name its
    /// certificate carries) over TLS.
    pub(crate) fn url(&self) -> String {
        match self.tls {
            true => format!("https://localhost:{}", self.addr.port()),
            false => format!("http://{}", self.addr),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Listens again on `listener` with room for 4096 connections not yet
/// accepted, as a server facing a fleet has: std listens with 128, and a
/// burst of new connections past that has its SYNs dropped and retried a
/// second later. Linux takes the new length.
fn deepen_backlog(listener: &std::net::TcpListener) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: listen on a socket this listener owns, already listening.
        unsafe { libc::listen(listener.as_raw_fd(), 4096) };
    }
    #[cfg(not(unix))]
    let _ = listener;
}

async fn serve_connection<H, F>(
    stream: tokio::net::TcpStream,
    acceptor: Option<(tokio_rustls::TlsAcceptor, Duration)>,
    handler: Arc<H>,
) where
    H: Fn(RecordedRequest) -> F + Send + Sync + 'static,
    F: Future<Output = Response> + Send + 'static,
{
    let service = hyper::service::service_fn(move |request| {
        let handler = handler.clone();
        async move {
            let recorded = record(request).await;
            let response = handler(recorded)
                .await
                .map(|body| Full::new(Bytes::from(body)));
            Ok::<_, Infallible>(response)
        }
    });
    match acceptor {
        None => {
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        }
        Some((acceptor, delay)) => {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let Ok(stream) = acceptor.accept(stream).await else {
                return;
            };
            let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            builder
                .http2()
                .max_concurrent_streams(MAX_CONCURRENT_STREAMS);
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        }
    }
}

async fn record(request: http::Request<hyper::body::Incoming>) -> RecordedRequest {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .unwrap_or_default();
    RecordedRequest {
        version: format!("{:?}", parts.version),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    v.to_str().unwrap_or("").to_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
        received: std::time::Instant::now(),
    }
}
