//! What the `servicenow` commands cost against the fake instance with an
//! injected latency per request, as a real instance answers a Table API call
//! in roughly 150–800 ms: round trips = wall time ÷ latency, and the most
//! requests in flight at once.
//!
//! Run: `cargo bench --bench servicenow` (optionally `-- <latency-ms>`,
//! default 100). One client-credentials connection, the real binary, the
//! median of [`RUNS`] runs on fresh instances. The table shows each command
//! beside its target (from the ServiceNow-speed issue); a target not met is
//! marked, and the bench still exits 0: it is the measure, not a gate.

// A benchmark prints its tables.
#![allow(clippy::disallowed_macros)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use support::servicenow_fake::{SN_PASSWORD, SN_USER};
use support::{FakeAtlassian, FakeServiceNow, TestEnv};

/// Runs per measurement; the median is reported.
const RUNS: usize = 3;

/// One command's cost.
struct Cost {
    wall: Duration,
    requests: usize,
    in_flight: usize,
    /// consent: from "Get OAuth Token" storing the token to jira-spoke
    /// holding the answer that shows it (the next poll, and its latency).
    noticed: Option<Duration>,
}

/// With `JIRA_SPOKE_BENCH_TRACE=1`, each command's requests are printed
/// with when they arrived, in round trips since the command started: the
/// chain of requests that waited for one another.
fn trace(sn: &FakeServiceNow, args: &[&str], started: Instant, latency: Duration) {
    if std::env::var_os("JIRA_SPOKE_BENCH_TRACE").is_none() {
        return;
    }
    println!("-- {}", args.join(" "));
    for r in sn.requests() {
        let at =
            r.received.saturating_duration_since(started).as_secs_f64() / latency.as_secs_f64();
        let query = r.query.as_deref().unwrap_or_default();
        let query: String = query.chars().take(110).collect();
        println!("{at:6.2}  {:<6} {} {query}", r.method, r.path);
    }
}

fn run(env: &TestEnv, sn: &FakeServiceNow, args: &[&str], latency: Duration) -> Cost {
    sn.reset_counts();
    let started = Instant::now();
    let out = env
        .cmd()
        .env("JIRA_SPOKE_SERVICENOW_INSTANCE", sn.url())
        .env("JIRA_SPOKE_SERVICENOW_USER", SN_USER)
        .env("JIRA_SPOKE_SERVICENOW_PASSWORD", SN_PASSWORD)
        .env("BROWSER", env.curl_browser())
        .args(args)
        .output()
        .expect("the binary runs");
    let wall = started.elapsed();
    trace(sn, args, started, latency);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = sn.requests();
    let stored = log.iter().find(|r| r.path == "/oauth_initiator.do");
    let noticed = stored.and_then(|stored| {
        log.iter()
            .find(|r| r.path == "/api/now/table/oauth_credential" && r.received > stored.received)
            .map(|poll| poll.received - stored.received + latency)
    });
    Cost {
        noticed,
        wall,
        requests: sn
            .requests()
            .iter()
            .filter(|r| r.path != "/oauth_initiator.do")
            .count(),
        in_flight: sn.max_in_flight(),
    }
}

fn median(mut costs: Vec<Cost>) -> Cost {
    costs.sort_by_key(|c| c.wall);
    costs.swap_remove(costs.len() / 2)
}

/// Each command's cost on fresh instances with `latency` per request, the
/// median of [`RUNS`] runs.
fn measure(latency: Duration) -> Vec<Cost> {
    let mut runs: Vec<Vec<Cost>> = (0..4).map(|_| Vec::new()).collect();
    for _ in 0..RUNS {
        let fake = FakeAtlassian::start();
        let sn = FakeServiceNow::start();
        let env = TestEnv::new();
        env.connect_cc(&fake, "default");
        sn.configure(|s| s.latency = latency);
        runs[0].push(run(&env, &sn, &["servicenow", "apply"], latency));
        runs[1].push(run(&env, &sn, &["servicenow", "apply"], latency));
        // verify before consent would fail its token check; consent first.
        runs[3].push(run(
            &env,
            &sn,
            &["servicenow", "consent", "--wait", "60"],
            latency,
        ));
        runs[2].push(run(&env, &sn, &["servicenow", "verify"], latency));
    }
    runs.into_iter().map(median).collect()
}

fn main() {
    let latency_ms: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100);
    let latency = Duration::from_millis(latency_ms);
    let names = ["first apply", "second apply", "verify", "consent"];
    // NOTE: what a command costs with no latency at all (starting the
    // process, reading the config, the fake's own work) is not a round
    // trip: it is measured and taken off.
    let local = measure(Duration::from_millis(1));
    let costs = measure(latency);
    // Targets at 250 ms per request, as round trips (consent: the requests
    // before the page is visited plus one poll).
    let targets = [8.0, 2.0, 2.0, f64::NAN];
    println!("servicenow commands, {latency_ms} ms per request, median of {RUNS} runs");
    println!("round trips = (wall - wall at 1 ms per request) / {latency_ms} ms");
    println!(
        "{:<14} {:>9} {:>9} {:>12} {:>9} {:>10}  target",
        "command", "wall", "local", "round trips", "requests", "in flight"
    );
    for (((name, c), l), target) in names.iter().zip(costs).zip(local).zip(targets) {
        let trips = c.wall.saturating_sub(l.wall).as_secs_f64() / latency.as_secs_f64();
        // NOTE: judged as shown, to a tenth of a round trip.
        let shown = (trips * 10.0).round() / 10.0;
        let mark = if let Some(noticed) = c.noticed {
            let ok = if noticed <= Duration::from_secs(1) {
                "✓"
            } else {
                "✗"
            };
            format!(
                "token noticed {:.2} s after it was stored (≤ 1 s {ok})",
                noticed.as_secs_f64()
            )
        } else if target.is_nan() {
            "-".to_owned()
        } else if shown <= target {
            format!("≤ {target} ✓")
        } else {
            format!("≤ {target} ✗")
        };
        println!(
            "{name:<14} {:>8.2}s {:>8.2}s {trips:>12.1} {:>9} {:>10}  {mark}",
            c.wall.as_secs_f64(),
            l.wall.as_secs_f64(),
            c.requests,
            c.in_flight
        );
    }
}
