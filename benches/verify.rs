//! What `verify` and `token` cost against the fake with an injected
//! per-request latency: round trips of one verify, and how `verify --all`
//! and `token` scale with the number of stored connections.
//!
//! Run: `cargo bench --bench verify` (optionally `-- <latency-ms>`, default
//! 100). The fleets are written straight into the config and the file store
//! (client credentials, cached tokens); the real binary is timed, median of
//! [`RUNS`] runs, its CPU time and peak RSS read from `wait4`. The verify
//! tables are made twice: over plain HTTP/1.1, and over HTTPS with HTTP/2 as
//! api.atlassian.com serves it, where each TLS handshake is held back by the
//! latency as well. Exits non-zero if a target is missed:
//! - cached-token verify ≤ 1.3 × the latency (one round trip; over HTTPS,
//!   the handshake's too);
//! - `verify --all` ≤ 1.5 × one verify over 20 and over 200 connections,
//!   ≤ 3 × over 1,000;
//! - CPU per connection at 1,000 within 2 × of that at 20;
//! - all 1,000 pass under `ulimit -n 256`;
//! - `token` (cached) with 1,000 connections stored ≤ 1.5 × with one.

// A benchmark prints its tables.
#![allow(clippy::disallowed_macros)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::fleet::write_fleet;
use support::{FakeAtlassian, TestEnv};

/// Runs per measurement; the median is reported.
const RUNS: usize = 5;
/// Runs of `token`, which takes milliseconds.
const TOKEN_RUNS: usize = 31;
/// Fleet sizes of the scaling table.
const FLEETS: [usize; 4] = [1, 20, 200, 1000];

/// One run of the binary: how long, how much CPU, how much memory.
#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    cpu: Duration,
    /// Peak resident set, KiB.
    rss_kib: u64,
}

/// First argument of the bench re-run as [`measure`]'s helper.
const MEASURE: &str = "--measure-child";

/// How the fake is reached.
#[derive(Clone, Copy, PartialEq)]
enum Transport {
    /// Plain HTTP/1.1 on loopback: a connection per request in flight.
    Http1,
    /// TLS with HTTP/2 by ALPN, as api.atlassian.com serves, each handshake
    /// held back by the latency too (connection set-up costs round trips).
    Https2,
}

impl Transport {
    fn title(self) -> &'static str {
        match self {
            Transport::Http1 => "plain HTTP/1.1",
            Transport::Https2 => "HTTPS, HTTP/2 by ALPN, handshake also delayed by the latency",
        }
    }

    fn short(self) -> &'static str {
        match self {
            Transport::Http1 => "HTTP/1.1",
            Transport::Https2 => "HTTPS/2",
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(MEASURE) {
        return measure(&args[2..]);
    }
    let latency_ms: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100);
    let latency = Duration::from_millis(latency_ms);
    println!(
        "injected latency per request: {latency_ms} ms; median of {RUNS} runs; open-file limit {}",
        soft_nofile()
    );
    let mut targets = Vec::new();
    for transport in [Transport::Http1, Transport::Https2] {
        targets.extend(fleet_tables(transport, latency));
    }
    targets.extend(token_table());
    println!();
    for (target, met) in &targets {
        println!("target {target}: {}", if *met { "met" } else { "MISSED" });
    }
    if targets.iter().any(|(_, met)| !met) {
        std::process::exit(1);
    }
}

/// One verify's round trips and the scaling of `verify --all`, against a
/// fake reached over `transport`; the targets they meet.
fn fleet_tables(transport: Transport, latency: Duration) -> Vec<(String, bool)> {
    let fake = match transport {
        Transport::Http1 => FakeAtlassian::start(),
        Transport::Https2 => FakeAtlassian::start_tls(),
    };
    let fleets: Vec<(usize, TestEnv)> = FLEETS
        .iter()
        .map(|&n| {
            let env = TestEnv::new();
            write_fleet(&env, &fake, n);
            (n, env)
        })
        .collect();
    let env = |n: usize| &fleets.iter().find(|(size, _)| *size == n).unwrap().1;

    // Round trips of one verify.
    let baseline = median(RUNS, || {
        run(env(20), &fake, None, &["-c", "c0000", "verify"])
    })
    .wall;
    fake.configure(|s| s.latency = latency);
    if transport == Transport::Https2 {
        fake.set_handshake_latency(latency);
    }
    let one = median(RUNS, || {
        run(env(20), &fake, None, &["-c", "c0000", "verify"])
    });
    let expired = median(RUNS, || {
        expire(env(20), "c0001");
        run(env(20), &fake, None, &["-c", "c0001", "verify"])
    });
    let trips = |d: Duration| d.saturating_sub(baseline).as_secs_f64() / latency.as_secs_f64();
    println!();
    println!(
        "== {}: the same verify without latency takes {} ms",
        transport.title(),
        baseline.as_millis()
    );
    println!();
    println!(
        "{:<32} {:>10} {:>12} {:>12}",
        "case", "wall (ms)", "× latency", "round trips"
    );
    for (case, d) in [
        ("verify, cached token", one.wall),
        ("verify, expired token", expired.wall),
    ] {
        let ratio = d.as_secs_f64() / latency.as_secs_f64();
        println!(
            "{case:<32} {:>10} {ratio:>12.2} {:>12.0}",
            d.as_millis(),
            trips(d)
        );
    }

    // Scaling of verify --all.
    println!();
    println!(
        "{:<26} {:>10} {:>12} {:>9} {:>12} {:>10}",
        "verify --all", "wall (ms)", "× one verify", "CPU (s)", "CPU/conn (ms)", "RSS (MiB)"
    );
    let mut scaled = Vec::new();
    for &n in &FLEETS {
        let r = median(RUNS, || run(env(n), &fake, None, &["verify", "--all"]));
        let per = r.cpu.as_secs_f64() * 1000.0 / n as f64;
        println!(
            "{:<26} {:>10} {:>12.2} {:>9.3} {:>12.3} {:>10.1}",
            format!("{n} connections"),
            r.wall.as_millis(),
            r.wall.as_secs_f64() / one.wall.as_secs_f64(),
            r.cpu.as_secs_f64(),
            per,
            r.rss_kib as f64 / 1024.0
        );
        scaled.push((n, r, per));
    }
    let limited = try_run(env(1000), &fake, Some(256), &["verify", "--all"]);
    if let Some(r) = limited {
        println!(
            "{:<26} {:>10} {:>12.2} {:>9.3} {:>12.3} {:>10.1}",
            "1000, ulimit -n 256",
            r.wall.as_millis(),
            r.wall.as_secs_f64() / one.wall.as_secs_f64(),
            r.cpu.as_secs_f64(),
            r.cpu.as_secs_f64(),
            r.rss_kib as f64 / 1024.0
        );
    }
    println!(
        "connections the fake accepted over the whole table: {}",
        fake.connections()
    );

    let wall_of = |n: usize| scaled.iter().find(|(m, _, _)| *m == n).unwrap().1.wall;
    let per_conn = |n: usize| scaled.iter().find(|(m, _, _)| *m == n).unwrap().2;
    let one_verify = one.wall.as_secs_f64();
    [
        (
            "cached verify ≤ 1.3 × latency",
            // Over TLS a verify also waits for its handshake.
            one.wall.as_secs_f64()
                <= 1.3
                    * latency.as_secs_f64()
                    * if transport == Transport::Https2 {
                        2.0
                    } else {
                        1.0
                    },
        ),
        (
            "--all over 20 ≤ 1.5 × one verify",
            wall_of(20).as_secs_f64() <= 1.5 * one_verify,
        ),
        (
            "--all over 200 ≤ 1.5 × one verify",
            wall_of(200).as_secs_f64() <= 1.5 * one_verify,
        ),
        (
            "--all over 1000 ≤ 3 × one verify",
            wall_of(1000).as_secs_f64() <= 3.0 * one_verify,
        ),
        (
            "CPU/connection at 1000 ≤ 2 × at 20",
            per_conn(1000) <= 2.0 * per_conn(20),
        ),
        ("all 1000 pass under ulimit -n 256", limited.is_some()),
    ]
    .into_iter()
    .map(|(target, met)| (format!("{target} ({})", transport.short()), met))
    .collect()
}

/// `token` with a cached token: no request, only the stores are read.
fn token_table() -> Vec<(String, bool)> {
    let fake = FakeAtlassian::start();
    let one_env = TestEnv::new();
    write_fleet(&one_env, &fake, 1);
    let many_env = TestEnv::new();
    write_fleet(&many_env, &fake, 1000);
    let token_one = median(TOKEN_RUNS, || {
        run(&one_env, &fake, None, &["-c", "c0000", "token"])
    });
    let token_many = median(TOKEN_RUNS, || {
        run(&many_env, &fake, None, &["-c", "c0500", "token"])
    });
    println!();
    println!(
        "{:<32} {:>10} {:>9} {:>10}",
        "token (cached)", "wall (ms)", "CPU (ms)", "RSS (MiB)"
    );
    for (case, r) in [
        ("1 connection stored", token_one),
        ("1000 connections stored", token_many),
    ] {
        println!(
            "{case:<32} {:>10.1} {:>9.1} {:>10.1}",
            r.wall.as_secs_f64() * 1000.0,
            r.cpu.as_secs_f64() * 1000.0,
            r.rss_kib as f64 / 1024.0
        );
    }
    vec![(
        "token with 1000 stored ≤ 1.5 × with 1".to_owned(),
        token_many.wall.as_secs_f64() <= 1.5 * token_one.wall.as_secs_f64(),
    )]
}

/// [`try_run`], which must succeed.
fn run(env: &TestEnv, fake: &FakeAtlassian, nofile: Option<u32>, args: &[&str]) -> Run {
    try_run(env, fake, nofile, args).unwrap_or_else(|| panic!("{args:?} failed"))
}

/// Runs the binary in `env` against `fake` (under `ulimit -n` when given);
/// `None`, with its output shown, unless it exits 0. Output goes to files,
/// not pipes: a thousand reports would fill a pipe.
fn try_run(env: &TestEnv, fake: &FakeAtlassian, nofile: Option<u32>, args: &[&str]) -> Option<Run> {
    let base = env.std_cmd_with_fake(fake);
    let result = env.root().join("bench-run");
    let out = env.root().join("bench-stdout");
    let err = env.root().join("bench-stderr");
    // NOTE: through a helper (this bench, run afresh): a child forked from
    // the bench itself would report the bench's resident set as its peak.
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.arg(MEASURE)
        .arg(&result)
        .arg(nofile.map_or("-".to_owned(), |n| n.to_string()))
        .arg(base.get_program())
        .args(args);
    env.env_of_fake(fake, &mut cmd);
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap());
    let helper = cmd.status().unwrap();
    assert!(helper.success(), "the measuring helper failed: {helper}");
    let numbers: Vec<u64> = std::fs::read_to_string(&result)
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let [wall_ns, cpu_us, rss_kib, code] = numbers[..] else {
        panic!("the helper wrote {numbers:?}");
    };
    if code != 0 {
        eprintln!(
            "{args:?} exited {code}:\n{}\n{}",
            std::fs::read_to_string(&err).unwrap_or_default(),
            std::fs::read_to_string(&out)
                .unwrap_or_default()
                .chars()
                .take(3000)
                .collect::<String>()
        );
        return None;
    }
    Some(Run {
        wall: Duration::from_nanos(wall_ns),
        cpu: Duration::from_micros(cpu_us),
        rss_kib,
    })
}

/// The helper: `RESULT NOFILE PROGRAM ARGS…` runs PROGRAM (under
/// `ulimit -n NOFILE` unless `-`) with this process's environment and
/// output, and writes its wall time (ns), CPU time (µs), peak RSS (KiB) and
/// exit code (or 255 if killed) to RESULT.
fn measure(args: &[String]) {
    let [result, nofile, program, rest @ ..] = args else {
        panic!("{MEASURE} RESULT NOFILE PROGRAM ARGS…");
    };
    if let Ok(n) = nofile.parse::<libc::rlim_t>() {
        let limit = libc::rlimit {
            rlim_cur: n,
            rlim_max: n,
        };
        // SAFETY: setrlimit only reads the struct it is given.
        assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
    }
    let started = Instant::now();
    // NOTE: reaped by `wait4`, which also gives its resource usage.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(program).args(rest).spawn().unwrap();
    let (code, usage) = wait4(child.id());
    let wall = started.elapsed();
    let time = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    let line = format!(
        "{} {} {} {}",
        wall.as_nanos(),
        time(usage.ru_utime) + time(usage.ru_stime),
        usage.ru_maxrss,
        code.unwrap_or(255)
    );
    std::fs::write(result, line).unwrap();
}

/// Waits for `pid`: its exit code (`None` if killed) and resource usage.
fn wait4(pid: u32) -> (Option<i32>, libc::rusage) {
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it and the status.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = libc::pid_t::try_from(pid).unwrap();
    // SAFETY: pid is our child, not yet waited for.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage)
}

fn soft_nofile() -> String {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return "unknown".into();
    }
    limit.rlim_cur.to_string()
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

/// The run of median wall time among `runs`, with the median CPU time and
/// the largest peak RSS of them all.
fn median(runs: usize, mut once: impl FnMut() -> Run) -> Run {
    let mut all: Vec<Run> = (0..runs).map(|_| once()).collect();
    let rss_kib = all.iter().map(|r| r.rss_kib).max().unwrap_or(0);
    all.sort_by_key(|r| r.cpu);
    let cpu = all[runs / 2].cpu;
    all.sort_by_key(|r| r.wall);
    Run {
        wall: all[runs / 2].wall,
        cpu,
        rss_kib,
    }
}
