//! What `verify` and `token` cost against the fake with an injected
//! per-request latency: round trips of one verify, and how `verify --all`
//! and `token` scale with the number of stored connections.
//!
//! Run: `cargo bench --bench verify` (optionally `-- <latency-ms>`, default
//! 100). The fake serves TLS with HTTP/2 by ALPN, as api.atlassian.com does,
//! at most 128 streams per connection as real servers allow (nginx's
//! default), each TLS handshake held back by the latency as well. The fleets
//! are written straight into the config, the file store and the token state
//! (client credentials, cached tokens); the real binary is timed, median of
//! [`RUNS`] runs, its CPU time and peak RSS read from `wait4`.
//!
//! The floor a fleet is judged against ([`floor`]): the same requests from
//! a bare reqwest client over one HTTP/2 connection, set up before the clock
//! starts — what h2load measures against a real server. Exits non-zero if a
//! target is missed:
//! - `verify --all` over 1,000 connections ≤ 1.5 × the floor, with the
//!   default open-file limit and under `ulimit -n 256`, and with every token
//!   expired (the daily-CI case: each connection's token request as well);
//!   all of them pass;
//! - CPU per connection at 1,000 within 2 × of that at 20 (linear in N);
//! - `token` (cached) with 1,000 connections stored ≤ 4 × with one;
//! - a renewal of the whole fleet leaves `config.toml` byte for byte.
//!
//! The tables also show one verify's round trips, and authorization code
//! ("3LO", rotating refresh tokens) with every token expired, without a
//! target.
//!
//! For a profiler: `cargo bench --bench verify -- --serve 1000` writes a
//! fleet, serves the fake and prints the environment to run the binary in.

// A benchmark prints its tables.
#![allow(clippy::disallowed_macros)]

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::fleet::{FLEET_CLOUD_ID, write_fleet, write_fleet_3lo};
use support::{FakeAtlassian, TestEnv};

/// The fleet the targets are judged on.
const FLEET: usize = 1000;
/// The open-file limit macOS starts shells with.
const LOW_NOFILE: u32 = 256;

/// Runs per measurement; the median is reported.
const RUNS: usize = 5;
/// Runs of `token`, which takes milliseconds.
const TOKEN_RUNS: usize = 31;
/// Fleet sizes of the scaling table.
const FLEETS: [usize; 4] = [1, 20, 200, FLEET];

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

/// First argument that serves a fleet for profiling instead of timing.
const SERVE: &str = "--serve";

/// `--serve N [LATENCY-MS] [tls] [3lo]`: writes a fleet of N connections
/// (client credentials, or authorization code with `3lo`), starts
/// the fake with the latency, prints the environment that points the binary
/// at both, and serves until standard input closes. For a profiler run by
/// hand, e.g. `perf record -g -- target/release/jira-spoke verify --all`.
fn serve(args: &[String]) {
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let latency = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let has = |word: &str| args.iter().skip(1).any(|a| a == word);
    let fake = if has("tls") {
        FakeAtlassian::start_tls()
    } else {
        FakeAtlassian::start()
    };
    let env = TestEnv::new();
    if has("3lo") {
        write_fleet_3lo(&env, &fake, n);
    } else {
        write_fleet(&env, &fake, n);
    }
    fake.configure(|s| s.latency = Duration::from_millis(latency));
    if fake.ca_file().is_some() {
        fake.set_handshake_latency(Duration::from_millis(latency));
    }
    for (key, value) in env.std_cmd_with_fake(&fake).get_envs() {
        match value {
            Some(value) => println!("export {}='{}'", key.display(), value.display()),
            None => println!("unset {}", key.display()),
        }
    }
    eprintln!("serving {n} connections with {latency} ms; close standard input to stop");
    std::io::copy(&mut std::io::stdin(), &mut std::io::sink()).unwrap();
}

/// First argument that runs [`floor`].
const FLOOR: &str = "--floor";

/// `--floor N [expired]`: the requests `verify --all` sends over a fleet of
/// N (`myself` and `serverInfo` of each; with `expired`, each connection's
/// client-credentials token request first), all at once, from one bare
/// reqwest client over one HTTP/2 connection, made before the clock starts.
/// Prints the seconds the requests took. What one connection with the
/// server's stream cap allows: the floor `verify --all` is read against.
fn floor(args: &[String]) {
    const USAGE: &str = "--floor N [expired]";
    let n: usize = args.first().and_then(|a| a.parse().ok()).expect(USAGE);
    let expired = args.get(1).is_some_and(|a| a == "expired");
    let api = std::env::var("JIRA_SPOKE_API_URL").expect("JIRA_SPOKE_API_URL");
    let auth = std::env::var("JIRA_SPOKE_AUTH_URL").expect("JIRA_SPOKE_AUTH_URL");
    let ca = std::env::var("JIRA_SPOKE_CA_FILE").expect("JIRA_SPOKE_CA_FILE");
    let pem = std::fs::read(ca).unwrap();
    let mut builder = reqwest::Client::builder();
    for certificate in reqwest::Certificate::from_pem_bundle(&pem).unwrap() {
        builder = builder.add_root_certificate(certificate);
    }
    let client = builder.build().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        // The connection, up before the clock starts.
        let first = client.get(format!("{api}/")).send().await.unwrap();
        assert_eq!(first.version(), reqwest::Version::HTTP_2);
        let started = Instant::now();
        let mut connections = tokio::task::JoinSet::new();
        for i in 0..n {
            let (client, api, auth) = (client.clone(), api.clone(), auth.clone());
            connections.spawn(async move {
                let token = if expired {
                    let answer = client
                        .post(format!("{auth}/oauth/token"))
                        .form(&[
                            ("grant_type", "client_credentials"),
                            ("client_id", "spoke-client-id"),
                            ("client_secret", "spoke-client-secret-XYZ123"),
                        ])
                        .send()
                        .await
                        .unwrap();
                    assert!(answer.status().is_success(), "{}", answer.status());
                    let body: serde_json::Value = answer.json().await.unwrap();
                    body["access_token"].as_str().unwrap().to_owned()
                } else {
                    format!("fake-at-fleet-{i}")
                };
                let get = |what: &str| {
                    client
                        .get(format!("{api}/ex/jira/{FLEET_CLOUD_ID}/rest/api/3/{what}"))
                        .bearer_auth(&token)
                        .send()
                };
                let (myself, server) = tokio::join!(get("myself"), get("serverInfo"));
                for answer in [myself, server] {
                    let answer = answer.unwrap();
                    assert!(answer.status().is_success(), "{}", answer.status());
                    answer.bytes().await.unwrap();
                }
            });
        }
        while let Some(done) = connections.join_next().await {
            done.unwrap();
        }
        println!("{}", started.elapsed().as_secs_f64());
    });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(MEASURE) {
        return measure(&args[2..]);
    }
    if args.get(1).map(String::as_str) == Some(SERVE) {
        return serve(&args[2..]);
    }
    if args.get(1).map(String::as_str) == Some(FLOOR) {
        return floor(&args[2..]);
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
    let mut targets = fleet_tables(latency);
    targets.extend(token_table());
    println!();
    for (target, verdict) in &targets {
        println!("target {target}: {verdict}");
    }
    if targets.iter().any(|(_, verdict)| !verdict.met) {
        std::process::exit(1);
    }
}

/// One verify's round trips and the scaling of `verify --all` against the
/// fake over HTTPS/2; the targets they meet.
fn fleet_tables(latency: Duration) -> Vec<(String, Verdict)> {
    let fake = FakeAtlassian::start_tls();
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
    fake.set_handshake_latency(latency);
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
        "== HTTPS, HTTP/2 by ALPN, {} streams per connection, handshake also delayed by the latency; \
         the same verify without latency takes {} ms",
        support::serve::MAX_CONCURRENT_STREAMS,
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

    // Scaling of verify --all, against the floors.
    println!();
    println!(
        "{:<34} {:>10} {:>10} {:>9} {:>12} {:>10}",
        "verify --all", "wall (ms)", "× floor", "CPU (s)", "CPU/conn (ms)", "RSS (MiB)"
    );
    let (verify, floor) = alternating(
        RUNS,
        || run(env(FLEET), &fake, None, &["verify", "--all"]),
        || run_floor(env(FLEET), &fake, FLEET, false),
    );
    let floor_cached = floor.wall;
    let (limited, floor) = alternating(
        RUNS,
        || try_run(env(FLEET), &fake, Some(LOW_NOFILE), &["verify", "--all"]).unwrap_or(FAILED),
        || run_floor(env(FLEET), &fake, FLEET, false),
    );
    let floor_cached = floor_cached.min(floor.wall);
    let config = std::fs::read(env(FLEET).config_dir().join("config.toml")).unwrap();
    let (renewed, floor) = alternating(
        RUNS,
        || {
            env(FLEET).expire_tokens();
            run(env(FLEET), &fake, None, &["verify", "--all"])
        },
        || run_floor(env(FLEET), &fake, FLEET, true),
    );
    let floor_expired = floor.wall;
    let renewed_limited = median(RUNS, || {
        env(FLEET).expire_tokens();
        try_run(env(FLEET), &fake, Some(LOW_NOFILE), &["verify", "--all"]).unwrap_or(FAILED)
    });
    let untouched = std::fs::read(env(FLEET).config_dir().join("config.toml")).unwrap() == config;
    let mut scaled = Vec::new();
    for &n in &FLEETS {
        let r = if n == FLEET {
            verify
        } else {
            median(RUNS, || run(env(n), &fake, None, &["verify", "--all"]))
        };
        row(&format!("{n} connections"), r, floor_cached, n);
        scaled.push((n, r));
    }
    row(
        &format!("{FLEET}, ulimit -n {LOW_NOFILE}"),
        limited,
        floor_cached,
        FLEET,
    );
    row(
        &format!("{FLEET}, tokens expired ¹"),
        renewed,
        floor_expired,
        FLEET,
    );
    row(
        &format!("{FLEET}, tokens expired, ulimit -n {LOW_NOFILE} ¹"),
        renewed_limited,
        floor_expired,
        FLEET,
    );
    // Authorization code: each refresh token rotated, noted in its journal
    // first, and stored before its access token is used. No floor.
    let three_lo = TestEnv::new();
    write_fleet_3lo(&three_lo, &fake, FLEET);
    let r = median(RUNS, || {
        three_lo.expire_tokens();
        run(&three_lo, &fake, None, &["verify", "--all"])
    });
    row(
        &format!("{FLEET}, 3LO, tokens expired ¹"),
        r,
        floor_expired,
        FLEET,
    );
    println!(
        "floor: the same requests over one HTTP/2 connection: {} ms; ¹ with each token request first: {} ms",
        floor_cached.as_millis(),
        floor_expired.as_millis()
    );
    println!(
        "connections the fake accepted over the whole table: {}",
        fake.connections()
    );

    let run_of = |n: usize| scaled.iter().find(|(m, _)| *m == n).unwrap().1;
    let per_conn = |n: usize| run_of(n).cpu.as_secs_f64() / n as f64;
    let within = |r: Run, floor: Duration| {
        Verdict::of(r.wall != FAILED.wall && r.wall.as_secs_f64() <= 1.5 * floor.as_secs_f64())
    };
    vec![
        (
            format!("--all over {FLEET} ≤ 1.5 × the floor"),
            within(verify, floor_cached),
        ),
        (
            format!("--all over {FLEET} under ulimit -n {LOW_NOFILE} ≤ 1.5 × the floor"),
            within(limited, floor_cached),
        ),
        (
            format!("--all over {FLEET}, tokens expired, ≤ 1.5 × the floor"),
            within(renewed, floor_expired),
        ),
        (
            format!(
                "--all over {FLEET}, tokens expired, under ulimit -n {LOW_NOFILE} ≤ 1.5 × the floor"
            ),
            within(renewed_limited, floor_expired),
        ),
        (
            format!("CPU/connection at {FLEET} ≤ 2 × at 20"),
            Verdict::of(per_conn(FLEET) <= 2.0 * per_conn(20)),
        ),
        (
            "renewals leave config.toml byte for byte".to_owned(),
            Verdict::of(untouched),
        ),
    ]
}

/// What a run that failed counts as: never within a target.
const FAILED: Run = Run {
    wall: Duration::MAX,
    cpu: Duration::ZERO,
    rss_kib: 0,
};

/// Whether a target is met.
struct Verdict {
    met: bool,
}

impl Verdict {
    fn of(met: bool) -> Verdict {
        Verdict { met }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.met { "met" } else { "MISSED" })
    }
}

/// `token` with a cached token: no request, only the stores are read.
fn token_table() -> Vec<(String, Verdict)> {
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
        "token with 1000 stored ≤ 4 × with 1".to_owned(),
        Verdict::of(token_many.wall.as_secs_f64() <= 4.0 * token_one.wall.as_secs_f64()),
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
    let program = env.std_cmd_with_fake(fake).get_program().to_owned();
    try_exec(env, fake, nofile, &program, args)
}

/// [`floor`] over a fleet of `n`, in a process of its own; its time is
/// that of the requests alone, from the first sent.
fn run_floor(env: &TestEnv, fake: &FakeAtlassian, n: usize, expired: bool) -> Run {
    let program = std::env::current_exe().unwrap().into_os_string();
    let n = n.to_string();
    let mut args = vec![FLOOR, &n];
    if expired {
        args.push("expired");
    }
    let mut r = try_exec(env, fake, None, &program, &args)
        .unwrap_or_else(|| panic!("the floor failed over {n}"));
    let printed = std::fs::read_to_string(env.root().join("bench-stdout")).unwrap();
    r.wall = Duration::from_secs_f64(printed.trim().parse().unwrap());
    r
}

/// [`try_run`] of any `program`, with the fake's environment.
fn try_exec(
    env: &TestEnv,
    fake: &FakeAtlassian,
    nofile: Option<u32>,
    program: &std::ffi::OsStr,
    args: &[&str],
) -> Option<Run> {
    let result = env.root().join("bench-run");
    let out = env.root().join("bench-stdout");
    let err = env.root().join("bench-stderr");
    // NOTE: through a helper (this bench, run afresh): a child forked from
    // the bench itself would report the bench's resident set as its peak.
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.arg(MEASURE)
        .arg(&result)
        .arg(nofile.map_or("-".to_owned(), |n| n.to_string()))
        .arg(program)
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
    let path = env
        .config_dir()
        .join("connections")
        .join(name)
        .join("token.json");
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    state["expires_at"] = 1.into();
    std::fs::write(path, state.to_string()).unwrap();
}

/// A row of the `verify --all` table: run `r` over `n` connections, read
/// against `floor`.
fn row(case: &str, r: Run, floor: Duration, n: usize) {
    if r.wall == FAILED.wall {
        println!("{case:<34} {:>10}", "FAILED");
        return;
    }
    println!(
        "{case:<34} {:>10} {:>10.2} {:>9.3} {:>12.3} {:>10.1}",
        r.wall.as_millis(),
        r.wall.as_secs_f64() / floor.as_secs_f64(),
        r.cpu.as_secs_f64(),
        r.cpu.as_secs_f64() * 1000.0 / n as f64,
        r.rss_kib as f64 / 1024.0
    );
}

/// [`median`] of `a` and of `b`, their runs taken in turn.
fn alternating(runs: usize, mut a: impl FnMut() -> Run, mut b: impl FnMut() -> Run) -> (Run, Run) {
    let pairs: Vec<(Run, Run)> = (0..runs).map(|_| (a(), b())).collect();
    let mut of_a = pairs.iter().map(|(r, _)| *r);
    let mut of_b = pairs.iter().map(|(_, r)| *r);
    (
        median(runs, || of_a.next().unwrap()),
        median(runs, || of_b.next().unwrap()),
    )
}

/// The run of median wall time among `runs`, with the median CPU time and
/// the largest peak RSS of them all; [`FAILED`] if any of them failed.
fn median(runs: usize, mut once: impl FnMut() -> Run) -> Run {
    let mut all: Vec<Run> = (0..runs).map(|_| once()).collect();
    if all.iter().any(|r| r.wall == FAILED.wall) {
        return FAILED;
    }
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
