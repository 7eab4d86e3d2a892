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
    Cost {
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

fn main() {
    let latency_ms: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100);
    let latency = Duration::from_millis(latency_ms);
    let names = ["first apply", "second apply", "verify", "consent"];
    let mut runs: Vec<Vec<Cost>> = names.iter().map(|_| Vec::new()).collect();
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
    // Targets at 250 ms per request, as round trips (consent: the requests
    // before the page is visited plus one poll).
    let targets = [8.0, 2.0, 2.0, f64::NAN];
    println!("servicenow commands, {latency_ms} ms per request, median of {RUNS} runs");
    println!(
        "{:<14} {:>9} {:>12} {:>9} {:>10} {:>8}",
        "command", "wall", "round trips", "requests", "in flight", "target"
    );
    for ((name, costs), target) in names.iter().zip(runs).zip(targets) {
        let c = median(costs);
        let trips = c.wall.as_secs_f64() / latency.as_secs_f64();
        let mark = if target.is_nan() {
            "-".to_owned()
        } else if trips <= target {
            format!("≤ {target} ✓")
        } else {
            format!("≤ {target} ✗")
        };
        println!(
            "{name:<14} {:>8.2}s {trips:>12.1} {:>9} {:>10} {mark:>8}",
            c.wall.as_secs_f64(),
            c.requests,
            c.in_flight
        );
    }
}
