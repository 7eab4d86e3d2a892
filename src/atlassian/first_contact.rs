//! [`FirstContact`]: a burst of requests to an HTTPS origin that a lane
//! ([`super::lanes`]) has no connection to yet waits for the first one,
//! but for a few.
//!
//! A connection pool cannot know an origin speaks HTTP/2 before a TLS
//! handshake has negotiated it (ALPN), so every request sent before then
//! opens a connection of its own: `verify --all` over a thousand connections
//! made a thousand TLS handshakes with api.atlassian.com, each costing CPU on
//! both sides and counting against the site's abuse limits, only to send
//! every request over the first one. Here a few requests per lane and origin
//! go at once ([`EARLY`] on the first lane, so a single command's few
//! parallel requests never wait; one on each lane a burst spills onto), and
//! the rest wait until the lane has made a new connection (its TLS handshake
//! done), or one of them has been answered or has failed: by then an HTTP/2
//! origin's connection is in the lane's pool and they all share it, and an
//! HTTP/1.1 origin gets its connections as before. Plain `http://` (loopback
//! test servers) cannot negotiate HTTP/2 and never waits.
//!
//! NOTE: the lane's connection count does not say which origin a connection
//! is to: a burst to two new origins on one lane at once may be let go by the
//! other's handshake and make handshakes of its own, as without this module.
//! Waiting for the first answer instead would be exact, and cost every burst
//! a round trip. Nor does the count come after the connection has reached
//! the pool: a waiting request that runs in between makes its own (a few, at
//! times, of a burst of hundreds).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use url::Url;

/// Requests to a new origin that go on the first lane before it has answered.
const EARLY: usize = 4;

/// Per lane and origin: requests let go before the first answer, and
/// whether it came.
#[derive(Debug, Default)]
pub struct FirstContact {
    origins: Mutex<HashMap<(usize, String), Arc<Origin>>>,
}

#[derive(Debug)]
struct Origin {
    early: Mutex<usize>,
    answered: tokio::sync::watch::Sender<bool>,
    /// The lane's connection count when the first request left.
    connections_before: usize,
}

/// Held by an early request until its first attempt is over; dropping it
/// (answer, failure or cancellation) lets the waiting requests go.
#[derive(Debug)]
pub struct Early(Arc<Origin>);

impl Drop for Early {
    fn drop(&mut self) {
        self.0.answered.send_replace(true);
    }
}

impl FirstContact {
    /// Waits, if `url`'s origin has not answered on `lane` yet, enough
    /// requests are already on their way to it there, and the lane has made
    /// no connection since (`connections` counts them). `Some` for an early
    /// request, to be dropped once its first attempt is over.
    pub async fn wait(
        &self,
        lane: usize,
        mut connections: tokio::sync::watch::Receiver<usize>,
        url: &Url,
    ) -> Option<Early> {
        if url.scheme() != "https" {
            return None;
        }
        let origin = {
            let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
            origins
                .entry((lane, url.origin().ascii_serialization()))
                .or_insert_with(|| {
                    Arc::new(Origin {
                        early: Mutex::new(0),
                        answered: tokio::sync::watch::Sender::new(false),
                        connections_before: *connections.borrow(),
                    })
                })
                .clone()
        };
        let mut answered = origin.answered.subscribe();
        if *answered.borrow() {
            return None;
        }
        {
            let mut early = origin.early.lock().unwrap_or_else(|e| e.into_inner());
            if *early < if lane == 0 { EARLY } else { 1 } {
                *early += 1;
                return Some(Early(origin.clone()));
            }
        }
        // NOTE: the answer's sender lives in `origin`, held here, so that
        // wait ends only when an early request is over; the connections'
        // lives as long as the lane.
        let before = origin.connections_before;
        let by_connection = tokio::select! {
            _ = answered.wait_for(|answered| *answered) => false,
            made = connections.wait_for(|made| *made > before) => made.is_ok(),
        };
        if by_connection {
            // The connection reaches the pool right after the handshake, on
            // the task that made it: let that run first.
            tokio::task::yield_now().await;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    /// A lane's connection count, with no connection made.
    fn none_made() -> (
        tokio::sync::watch::Sender<usize>,
        tokio::sync::watch::Receiver<usize>,
    ) {
        tokio::sync::watch::channel(0)
    }

    #[tokio::test]
    async fn the_first_few_go_and_the_rest_wait_for_one_of_them_to_end() {
        let contact = Arc::new(FirstContact::default());
        let (_made, connections) = none_made();
        let api = url("https://api.example.com/ex/jira/x");
        let mut early = Vec::new();
        for _ in 0..EARLY {
            let first = contact.wait(0, connections.clone(), &api).await;
            early.push(first.expect("an early request"));
        }
        let waiting = {
            let contact = contact.clone();
            let api = api.clone();
            let connections = connections.clone();
            tokio::spawn(async move { contact.wait(0, connections, &api).await.is_none() })
        };
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "went before any answer");
        // Another origin is not held up by this one.
        assert!(
            contact
                .wait(
                    0,
                    connections.clone(),
                    &url("https://auth.example.com/oauth/token")
                )
                .await
                .is_some()
        );
        drop(early.pop());
        assert!(
            waiting.await.unwrap(),
            "the waiting request went, not early"
        );
        // Once answered, nobody waits and nobody is early.
        assert!(contact.wait(0, connections, &api).await.is_none());
    }

    #[tokio::test]
    async fn a_connection_made_on_the_lane_lets_the_burst_go_before_any_answer() {
        let contact = FirstContact::default();
        let (made, connections) = none_made();
        let api = url("https://api.example.com/ex/jira/x");
        let mut early = Vec::new();
        for _ in 0..EARLY {
            early.push(contact.wait(0, connections.clone(), &api).await);
        }
        let waiting = contact.wait(0, connections.clone(), &api);
        tokio::pin!(waiting);
        assert!(futures_util::poll!(waiting.as_mut()).is_pending());
        made.send_modify(|n| *n += 1);
        assert!(waiting.await.is_none(), "went, and not as an early one");
        assert!(early.iter().all(Option::is_some), "none answered yet");
    }

    #[tokio::test]
    async fn a_lane_past_the_first_lets_one_go_early() {
        let contact = FirstContact::default();
        let (_made, connections) = none_made();
        let api = url("https://api.example.com/ex/jira/x");
        let mut early = Vec::new();
        for lane in 1..8 {
            let first = contact.wait(lane, connections.clone(), &api).await;
            early.push(first.expect("early on its lane"));
        }
        let second = contact.wait(3, connections.clone(), &api);
        tokio::pin!(second);
        assert!(
            futures_util::poll!(second.as_mut()).is_pending(),
            "a second request on a lane waits for its first answer"
        );
        drop(early.swap_remove(2));
        assert!(second.await.is_none());
    }

    #[tokio::test]
    async fn plain_http_never_waits() {
        let contact = FirstContact::default();
        let (_made, connections) = none_made();
        for _ in 0..EARLY * 3 {
            let plain = url("http://127.0.0.1:1/x");
            assert!(contact.wait(0, connections.clone(), &plain).await.is_none());
        }
    }
}
