//! How many sequential round trips to Atlassian `verify` costs, measured
//! against the fake with an injected per-request latency.
//!
//! Run: `cargo bench --bench verify` (optionally `-- <latency-ms>`, default 100).
//! Prints wall time and round trips for: verify with a cached token, verify
//! with an expired token, and `verify --all` over 20 connections; exits
//! non-zero if a target is missed:
//! - cached-token verify ≤ 1.3 × the latency (one round trip);
//! - `verify --all` over 20 connections ≤ 1.5 × a single verify.

// A benchmark prints its table.
#![allow(clippy::disallowed_macros)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use support::{FakeAtlassian, TestEnv};

const CONNECTIONS: usize = 20;
/// Runs per measurement; the median is reported.
const RUNS: usize = 5;

fn main() {
    let latency_ms: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100);
    let latency = Duration::from_millis(latency_ms);
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    for i in 0..CONNECTIONS {
        connect(&env, &fake, &format!("c{i:02}"));
    }
    let baseline = median(|| time(&env, &fake, &["-c", "c00", "verify"]));
    fake.configure(|s| s.latency = latency);

    let cached = median(|| time(&env, &fake, &["-c", "c00", "verify"]));
    let expired = median(|| {
        expire(&env, "c01");
        time(&env, &fake, &["-c", "c01", "verify"])
    });
    let all = median(|| time(&env, &fake, &["verify", "--all"]));

    // Round trips: the wall time beyond the no-latency baseline, in latencies.
    let trips = |d: Duration| d.saturating_sub(baseline).as_secs_f64() / latency.as_secs_f64();
    println!(
        "injected latency per request: {latency_ms} ms; median of {RUNS} runs; \
         the same verify without latency takes {} ms",
        baseline.as_millis()
    );
    println!(
        "{:<32} {:>10} {:>14} {:>12}",
        "case", "wall (ms)", "× latency", "round trips"
    );
    for (case, d) in [
        ("verify, cached token", cached),
        ("verify, expired token", expired),
        ("verify --all, 20 connections", all),
    ] {
        let ratio = d.as_secs_f64() / latency.as_secs_f64();
        println!(
            "{case:<32} {:>10} {ratio:>14.2} {:>12.0}",
            d.as_millis(),
            trips(d)
        );
    }
    let cached_ok = cached.as_secs_f64() <= 1.3 * latency.as_secs_f64();
    let all_ok = all.as_secs_f64() <= 1.5 * cached.as_secs_f64();
    println!(
        "target cached ≤ 1.3 × latency: {}",
        if cached_ok { "met" } else { "MISSED" }
    );
    println!(
        "target --all ≤ 1.5 × one verify: {}",
        if all_ok { "met" } else { "MISSED" }
    );
    if !(cached_ok && all_ok) {
        std::process::exit(1);
    }
}

fn connect(env: &TestEnv, fake: &FakeAtlassian, name: &str) {
    let out = env
        .cmd_with_fake(fake)
        .env("JIRA_SPOKE_CLIENT_SECRET", "spoke-client-secret-XYZ123")
        .args(["-c", name, "connect", "--grant", "client-credentials"])
        .args(["--client-id", "spoke-client-id", "--site", &fake.url()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Marks a connection's stored token as expired (the next use exchanges a new one).
fn expire(env: &TestEnv, name: &str) {
    let text = env.config_text();
    let header = format!("[connections.{name}.token]");
    let start = text.find(&header).expect("token section");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let first = text[..start].lines().count();
    for line in lines.iter_mut().skip(first) {
        if line.starts_with("expires_at = ") {
            *line = "expires_at = 1".into();
            break;
        }
    }
    std::fs::write(env.config_dir().join("config.toml"), lines.join("\n")).unwrap();
}

fn time(env: &TestEnv, fake: &FakeAtlassian, args: &[&str]) -> Duration {
    let started = Instant::now();
    let out = env.cmd_with_fake(fake).args(args).output().unwrap();
    let elapsed = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    elapsed
}

fn median(mut run: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    times.sort();
    times[RUNS / 2]
}
