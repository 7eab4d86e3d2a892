//! [`Lanes`]: several HTTP clients, each with a connection pool of its own,
//! that a burst of requests is spread over.
//!
//! An HTTP/2 server caps the requests one connection carries at once
//! (SETTINGS_MAX_CONCURRENT_STREAMS, commonly 100 to 256), and the pool
//! never opens a second connection to an origin it already has one with:
//! `verify --all` over a thousand connections queued in waves behind that
//! cap. Each lane is one more connection per origin. A request takes the
//! first lane carrying fewer than [`PER_LANE`] requests (the least busy when
//! all are full), so a command's requests keep reusing one connection and
//! only a burst past [`PER_LANE`] spreads out.
//! Lanes past the first are built when first needed: commands that never
//! fan out pay for one client only.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use crate::error::Result;

/// Requests one lane is meant to carry at once: under the smallest stream
/// cap common among HTTP/2 servers.
const PER_LANE: usize = 100;
/// Most lanes, whatever the open-file limit allows.
const MAX_LANES: usize = 32;

/// Builds one lane's client around the layer that counts its connections.
type Build = Box<dyn Fn(Connections) -> Result<reqwest::Client> + Send + Sync>;

/// The clients, built on first use, how busy each is, and how many
/// connections each has made.
pub struct Lanes {
    build: Build,
    clients: Vec<OnceLock<reqwest::Client>>,
    busy: Vec<AtomicUsize>,
    connections: Vec<Arc<tokio::sync::watch::Sender<usize>>>,
}

impl std::fmt::Debug for Lanes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lanes")
            .field("lanes", &self.clients.len())
            .finish()
    }
}

/// A request's place on a lane, given back when dropped.
pub struct Lane<'a> {
    lanes: &'a Lanes,
    index: usize,
    client: &'a reqwest::Client,
}

impl Lane<'_> {
    /// Which lane: first contact with an origin is per lane.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The lane's client.
    pub fn client(&self) -> &reqwest::Client {
        self.client
    }

    /// How many connections the lane has made so far, and news of the next.
    pub fn connections(&self) -> tokio::sync::watch::Receiver<usize> {
        self.lanes.connections[self.index].subscribe()
    }
}

impl Drop for Lane<'_> {
    fn drop(&mut self) {
        self.lanes.busy[self.index].fetch_sub(1, Ordering::Relaxed);
    }
}

impl Lanes {
    /// Enough lanes for `in_flight` requests at [`PER_LANE`] each; the
    /// first client is built now, so a bad configuration fails at once.
    pub fn new(in_flight: usize, build: Build) -> Result<Lanes> {
        let count = Lanes::count_for(in_flight);
        let clients: Vec<OnceLock<reqwest::Client>> = (0..count).map(|_| OnceLock::new()).collect();
        let connections: Vec<_> = (0..count)
            .map(|_| Arc::new(tokio::sync::watch::Sender::new(0)))
            .collect();
        let _ = clients[0].set(build(Connections(connections[0].clone()))?);
        Ok(Lanes {
            build,
            busy: (0..count).map(|_| AtomicUsize::new(0)).collect(),
            clients,
            connections,
        })
    }

    /// How many lanes `in_flight` requests get.
    pub fn count_for(in_flight: usize) -> usize {
        in_flight.div_ceil(PER_LANE).clamp(1, MAX_LANES)
    }

    /// How many lanes there are.
    #[cfg(test)]
    pub fn count(&self) -> usize {
        self.clients.len()
    }

    /// The first lane with room, else the least busy one; its client built
    /// if new.
    pub fn take(&self) -> Result<Lane<'_>> {
        // NOTE: picked and counted in two steps: two requests racing may
        // pick the same lane, which costs nothing but balance.
        let busy = |i: usize| self.busy[i].load(Ordering::Relaxed);
        let index = (0..self.busy.len())
            .find(|&i| busy(i) < PER_LANE)
            .or_else(|| (0..self.busy.len()).min_by_key(|&i| busy(i)))
            .unwrap_or(0);
        let client = match self.clients[index].get() {
            Some(client) => client,
            None => {
                let built = (self.build)(Connections(self.connections[index].clone()))?;
                self.clients[index].get_or_init(|| built)
            }
        };
        self.busy[index].fetch_add(1, Ordering::Relaxed);
        Ok(Lane {
            lanes: self,
            index,
            client,
        })
    }
}

/// A connector layer that counts the connections a lane has made: a TLS
/// handshake done is when [`super::first_contact`] lets a burst go.
#[derive(Clone)]
pub struct Connections(Arc<tokio::sync::watch::Sender<usize>>);

impl<S> tower_layer::Layer<S> for Connections {
    type Service = Counted<S>;

    fn layer(&self, inner: S) -> Counted<S> {
        Counted {
            inner,
            made: self.0.clone(),
        }
    }
}

/// The connector, counting what it connects.
#[derive(Clone)]
pub struct Counted<S> {
    inner: S,
    made: Arc<tokio::sync::watch::Sender<usize>>,
}

impl<S, R> tower_service::Service<R> for Counted<S>
where
    S: tower_service::Service<R>,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let connecting = self.inner.call(request);
        let made = self.made.clone();
        Box::pin(async move {
            let connected = connecting.await;
            if connected.is_ok() {
                made.send_modify(|n| *n += 1);
            }
            connected
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lanes(in_flight: usize) -> Lanes {
        Lanes::new(in_flight, Box::new(|_| Ok(reqwest::Client::new()))).unwrap()
    }

    #[test]
    fn sequential_requests_stay_on_the_first_lane() {
        let lanes = lanes(1000);
        for _ in 0..5 {
            assert_eq!(lanes.take().unwrap().index(), 0);
        }
    }

    #[test]
    fn a_burst_fills_one_lane_before_the_next_then_spreads_evenly() {
        let lanes = lanes(1000);
        assert_eq!(lanes.count(), 10);
        let per_lane = |held: &[Lane]| {
            let mut count = vec![0; lanes.count()];
            for lane in held {
                count[lane.index()] += 1;
            }
            count
        };
        let mut held: Vec<Lane> = (0..250).map(|_| lanes.take().unwrap()).collect();
        assert_eq!(per_lane(&held), [100, 100, 50, 0, 0, 0, 0, 0, 0, 0]);
        held.extend((0..780).map(|_| lanes.take().unwrap()));
        assert_eq!(per_lane(&held), [103; 10]);
        // A lane that frees up is the first with room again.
        held.retain(|lane| lane.index() != 4);
        assert_eq!(lanes.take().unwrap().index(), 4);
    }

    #[test]
    fn lanes_follow_the_requests_in_flight_within_bounds() {
        assert_eq!(lanes(1).count(), 1);
        assert_eq!(lanes(100).count(), 1);
        assert_eq!(lanes(101).count(), 2);
        assert_eq!(lanes(100_000).count(), MAX_LANES);
    }
}
