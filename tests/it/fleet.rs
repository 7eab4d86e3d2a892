//! Fleets: `verify --all` and `token` with hundreds of stored connections.
//! Requests stay under the open-file limit, the config and the secret file
//! are read once per command, EMFILE is named with the limit, and a request
//! waiting for its turn never times out — only a remote that does not answer.
//!
//! The fleets are written straight into the config and the file store
//! ([`crate::support::fleet`]); how fast this goes is the benchmark's
//! business (`cargo bench --bench verify`), not the tests'.

use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::support::fleet::{write_fleet, write_fleet_3lo};
use crate::support::{CheckedOutput, FakeAtlassian, TestEnv, output_text};

/// The binary with `env`'s environment, run by `sh` under `ulimit -n limit`
/// (soft and hard limit both).
fn limited(env: &TestEnv, fake: &FakeAtlassian, limit: u32, args: &[&str]) -> Command {
    under_ulimit(env, fake, &format!("-n {limit}"), args)
}

/// The binary run by `sh` after `ulimit <how>`.
fn under_ulimit(env: &TestEnv, fake: &FakeAtlassian, how: &str, args: &[&str]) -> Command {
    let base = env.std_cmd_with_fake(fake);
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit {how} && exec \"$0\" \"$@\""))
        .arg(base.get_program())
        .args(args);
    env.env_of_fake(fake, &mut cmd);
    cmd
}

fn report(stdout: &str, stderr: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| {
        let start: String = stdout.chars().take(2000).collect();
        panic!("{e}: {start}\n{stderr}")
    })
}

/// Runs `verify --all` with `args` before it (`--json` is added), which
/// must pass; its connections' reports, and its stderr.
fn verify_all(env: &TestEnv, fake: &FakeAtlassian, args: &[&str]) -> (Vec<Value>, String) {
    let out = env
        .cmd_with_fake(fake)
        .args(args)
        .args(["--json", "verify", "--all"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let connections = report(&stdout, &stderr)["connections"]
        .as_array()
        .unwrap()
        .clone();
    (connections, stderr)
}

/// Each connection's `token.source`.
fn sources(connections: &[Value]) -> Vec<&str> {
    connections
        .iter()
        .map(|c| c["token"]["source"].as_str().unwrap())
        .collect()
}

/// How many `-vv` lines say `path` was read.
fn reads_of(stderr: &str, path: &std::path::Path) -> usize {
    logged(stderr, "read", path)
}

/// How many `-vv` lines say `path` was written.
fn writes_of(stderr: &str, path: &std::path::Path) -> usize {
    logged(stderr, "wrote", path)
}

/// How many `-vv` lines say `path` was `done` ("read", "wrote").
fn logged(stderr: &str, done: &str, path: &std::path::Path) -> usize {
    let line = format!("{done} {} (", path.display());
    stderr.lines().filter(|l| l.contains(&line)).count()
}

#[test]
fn verify_all_of_300_connections_passes_under_ulimit_64_with_requests_bounded() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let names = write_fleet(&env, &fake, 300);
    // Answers that take a while, so requests overlap as they would for real.
    fake.configure(|s| s.latency = Duration::from_millis(20));
    let out = limited(&env, &fake, 64, &["--json", "verify", "--all"]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report = report(&stdout, &stderr);
    assert_eq!(report["ok"], true);
    let list = report["connections"].as_array().unwrap();
    let order: Vec<&str> = list
        .iter()
        .map(|c| c["connection"].as_str().unwrap())
        .collect();
    assert_eq!(order, names, "every connection, in the config's order");
    for c in list {
        assert_eq!(c["ok"], true, "{c}");
    }
    assert_eq!(
        fake.requests_to("/ex/jira/").len(),
        600,
        "myself + serverInfo each"
    );
    // One eighth of the limit: 8 sockets in flight, never 600.
    let most = fake.max_concurrent_requests();
    assert!((2..=8).contains(&most), "{most} requests at once");
}

#[test]
fn a_low_soft_limit_is_raised_towards_the_hard_one() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 100);
    fake.configure(|s| s.latency = Duration::from_millis(50));
    // macOS and Linux start shells with a soft limit far below the hard one.
    let out = under_ulimit(
        &env,
        &fake,
        "-Sn 64 && ulimit -Hn 4096",
        &["verify", "--all"],
    )
    .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let most = fake.max_concurrent_requests();
    assert!(
        most > 8,
        "{most} requests at once: the soft limit of 64 was kept"
    );
    assert!(
        most <= 4096 / 8,
        "{most} requests at once: over the hard limit's share"
    );
}

#[test]
fn verify_all_reads_the_config_and_the_secret_file_once() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 300);
    let out = env
        .cmd_with_fake(&fake)
        .args(["-vv", "--json", "verify", "--all"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        report(&stdout, &stderr)["connections"]
            .as_array()
            .unwrap()
            .len(),
        300
    );
    let dir = env.config_dir();
    // Once for the connections; once more, its top keys only, for the
    // default connection every command resolves.
    assert_eq!(reads_of(&stderr, &dir.join("config.toml")), 2, "{stderr}");
    assert_eq!(reads_of(&stderr, &dir.join("secrets.json")), 1);
}

#[test]
fn token_reads_one_connection_of_a_fleet_whatever_the_others_hold() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 300);
    let out = env
        .cmd_with_fake(&fake)
        .args(["-vv", "-c", "c0150", "token"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "fake-at-fleet-150\n");
    let dir = env.config_dir();
    assert_eq!(reads_of(&stderr, &dir.join("config.toml")), 1, "{stderr}");
    assert_eq!(reads_of(&stderr, &dir.join("secrets.json")), 1);
    assert!(
        fake.requests().is_empty(),
        "a cached token needs no request"
    );

    // A hand edit that breaks another connection does not stop this one;
    // reading them all says where the mistake is.
    let config = env.config_text().replace(
        "[connections.c0007]\n",
        "[connections.c0007]\nnonsense = 1\n",
    );
    std::fs::write(env.config_dir().join("config.toml"), &config).unwrap();
    let out = env
        .cmd_with_fake(&fake)
        .args(["-c", "c0150", "token"])
        .checked_output();
    assert_eq!(output_text(&out).0, "fake-at-fleet-150\n");
    let out = env
        .cmd_with_fake(&fake)
        .args(["-c", "c0007", "token"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    let line = config.lines().position(|l| l == "nonsense = 1").unwrap() + 1;
    assert!(stderr.contains(&format!("line {line}")), "{stderr}");
    assert!(stderr.contains("nonsense"), "{stderr}");
}

#[test]
fn too_few_file_descriptors_are_named_with_the_limit_never_a_panic() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 1);
    let mut named = Vec::new();
    for limit in 5..=12 {
        let out = limited(&env, &fake, limit, &["-c", "c0000", "verify"]).checked_output();
        let (stdout, stderr) = output_text(&out);
        let text = format!("{stdout}{stderr}");
        assert!(!text.contains("panicked"), "limit {limit}: {text}");
        if !text.contains("too many open files") {
            assert_eq!(out.status.code(), Some(0), "limit {limit}: {text}");
            continue;
        }
        named.push(limit);
        assert_eq!(out.status.code(), Some(6), "limit {limit}: {text}");
        assert!(
            text.contains(&format!("too many open files (limit {limit})")),
            "limit {limit}: {text}"
        );
        assert!(
            text.contains("hint: raise this shell's limit (`ulimit -n"),
            "{text}"
        );
        assert!(
            !text.contains("permissions"),
            "not blamed on permissions: {text}"
        );
    }
    assert!(named.contains(&5), "far too few is named: {named:?}");
    assert!(
        !named.contains(&12),
        "a dozen suffice for one connection: {named:?}"
    );
}

#[test]
fn a_request_waiting_its_turn_never_times_out_only_a_silent_remote_does() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 48);
    let silent = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    let config = env.config_text();
    let (start, end) = (
        config.find("[connections.c0007]").unwrap(),
        config.find("[connections.c0008]").unwrap(),
    );
    let mut edited = config.clone();
    edited.replace_range(
        start..end,
        &config[start..end].replace("1324a887-45db-1bf4-1e99-ef0ff456d421", silent),
    );
    std::fs::write(env.config_dir().join("config.toml"), edited).unwrap();
    fake.hang(&format!("/ex/jira/{silent}"));
    // 8 requests in flight under ulimit -n 64, 98 requests of 200 ms each:
    // the last start seconds after the first, far past --timeout 1.
    fake.configure(|s| s.latency = Duration::from_millis(200));
    let out = limited(
        &env,
        &fake,
        64,
        &["--timeout", "1", "--json", "verify", "--all"],
    )
    .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    let report = report(&stdout, &stderr);
    for c in report["connections"].as_array().unwrap() {
        if c["connection"] == "c0007" {
            let identity = &c["checks"][4];
            assert_eq!(identity["name"], "identity");
            assert!(
                identity["detail"]
                    .as_str()
                    .unwrap()
                    .ends_with("did not answer within 1 s"),
                "{identity}"
            );
        } else {
            assert_eq!(c["ok"], true, "queued, not timed out: {c}");
        }
    }
}

#[test]
fn verify_all_over_https_shares_one_http2_connection_instead_of_a_handshake_each() {
    let fake = FakeAtlassian::start_tls();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 100);
    // Handshakes and answers that take a while, as over a real network: the
    // whole burst is under way before the first connection is up.
    fake.configure(|s| s.latency = Duration::from_millis(50));
    fake.set_handshake_latency(Duration::from_millis(50));
    let out = env
        .cmd_with_fake(&fake)
        .args(["--json", "verify", "--all"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let report = report(&stdout, &stderr);
    assert_eq!(report["ok"], true);
    let requests = fake.requests_to("/ex/jira/");
    assert_eq!(requests.len(), 200, "myself + serverInfo each");
    assert!(requests.iter().all(|r| r.version == "HTTP/2.0"));
    // The first few requests go before the first connection is up, each
    // making one of its own; all others wait for it and share it, or one
    // more past 100 requests at once (a server's stream cap): 5 or 6. A few
    // let go before the new connection reached the pool make their own (seen:
    // up to 15 in one run of 50). Without the wait: 101.
    let connections = fake.connections();
    assert!(
        (2..=40).contains(&connections),
        "{connections} connections for 200 requests"
    );
    // They did share it: far more than 4 were answered at once.
    let most = fake.max_concurrent_requests();
    assert!(most > 50, "{most} requests at once");
}

#[test]
fn verify_all_renews_a_fleet_of_expired_tokens_writing_the_config_a_few_times() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 300);
    env.expire_tokens();
    let (connections, stderr) = verify_all(&env, &fake, &["-vv"]);
    assert_eq!(sources(&connections), ["exchanged"; 300]);
    assert_eq!(fake.requests_to("/oauth/token").len(), 300, "one each");
    // Stored in batches, not a rewrite of config.toml and secrets.json for
    // each of the 300 (how many batches depends on how the answers arrive).
    let dir = env.config_dir();
    let (config, secrets) = (dir.join("config.toml"), dir.join("secrets.json"));
    for path in [&config, &secrets] {
        let (reads, writes) = (reads_of(&stderr, path), writes_of(&stderr, path));
        assert!((1..=20).contains(&writes), "{writes} writes of {path:?}");
        assert!(reads <= 2 * writes + 3, "{reads} reads of {path:?}");
    }
    assert!(!env.config_text().contains("expires_at = 1\n"));

    // Every new token was stored (the fake takes any bearer, so the next
    // run alone would not tell), and the next run renews nothing.
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&secrets).unwrap()).unwrap();
    let issued = fake.issued_access_tokens();
    let stored: Vec<&str> = file["secrets"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(key, _)| key.contains(":access_token:"))
        .map(|(_, value)| value.as_str().unwrap())
        .collect();
    assert_eq!(stored.len(), 300);
    assert!(
        stored.iter().all(|token| issued.iter().any(|i| i == token)),
        "an access token the fake did not issue is still stored"
    );
    let (connections, _) = verify_all(&env, &fake, &[]);
    assert_eq!(sources(&connections), ["cached"; 300]);
    assert_eq!(fake.requests_to("/oauth/token").len(), 300);
}

#[test]
fn verify_all_refreshes_rotating_refresh_tokens_together_and_stores_each_rotation() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    for name in ["a", "b", "c", "d"] {
        env.connect_3lo(&fake, name);
    }
    env.connect_cc(&fake, "e");
    for round in 1..=2 {
        // Past the tokens' life and the reuse interval: a refresh token not
        // stored after its rotation would now revoke its family.
        env.expire_tokens_with(&fake);
        fake.advance(std::time::Duration::from_secs(601));
        let (connections, _) = verify_all(&env, &fake, &[]);
        assert_eq!(
            sources(&connections),
            [
                "refreshed",
                "refreshed",
                "refreshed",
                "refreshed",
                "exchanged"
            ],
            "round {round}"
        );
        assert_eq!(fake.rotations(), 4 * round, "round {round}");
        assert_eq!(fake.refresh_reuse_count(), 0, "round {round}");
        let journals: Vec<_> = std::fs::read_dir(env.config_dir().join("locks"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().ends_with(".refresh"))
            .collect();
        assert!(journals.is_empty(), "round {round}: {journals:?}");
    }
}

#[test]
fn verify_all_refreshes_a_fleet_of_100_with_the_journal_and_the_config_written_a_few_times() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet_3lo(&env, &fake, 100);
    let dir = env.config_dir();
    for round in 1..=2 {
        env.expire_tokens_with(&fake);
        fake.advance(std::time::Duration::from_secs(601));
        let (connections, stderr) = verify_all(&env, &fake, &["-vv"]);
        assert_eq!(sources(&connections), ["refreshed"; 100], "round {round}");
        assert_eq!(fake.rotations(), 100 * round);
        assert_eq!(fake.refresh_reuse_count(), 0);
        let writes = writes_of(&stderr, &dir.join("config.toml"));
        assert!((1..=10).contains(&writes), "round {round}: {writes} writes");
        // Every refresh was noted before it was sent, and the note ended.
        let journals = dir.join("locks");
        let noted = stderr
            .lines()
            .filter(|l| l.contains(&format!("wrote {}", journals.display())))
            .count();
        assert_eq!(noted, 100, "round {round}");
        let left = std::fs::read_dir(&journals)
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                !name.to_string_lossy().ends_with(".lock")
            })
            .count();
        assert_eq!(left, 0, "round {round}: journals or temp files left");
    }
}

#[test]
fn connections_another_process_is_renewing_are_waited_for_while_the_others_go_on() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 40);
    env.expire_tokens();
    let locks = env.config_dir().join("locks");
    std::fs::create_dir_all(&locks).unwrap();
    // More held than the runtime has workers: waiting for them must not
    // hold up the others.
    let busy = std::thread::available_parallelism().map_or(2, |n| n.get()) + 1;
    let held: Vec<std::fs::File> = (0..busy)
        .map(|i| {
            let file = std::fs::File::create(locks.join(format!("c{:04}.lock", 7 + i))).unwrap();
            file.lock().unwrap();
            file
        })
        .collect();
    let child = env
        .std_cmd_with_fake(&fake)
        .args(["--json", "verify", "--all"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let others = 40 - busy;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while fake.requests_to("/ex/jira/").len() < 2 * others {
        assert!(
            std::time::Instant::now() < deadline,
            "the others did not go on: {} token requests, {} checks",
            fake.requests_to("/oauth/token").len(),
            fake.requests_to("/ex/jira/").len()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(fake.requests_to("/oauth/token").len(), others);
    drop(held);
    let out = crate::support::check_secrets(child.wait_with_output().unwrap());
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for c in report(&stdout, &stderr)["connections"].as_array().unwrap() {
        assert_eq!(c["ok"], true, "{c}");
    }
    assert_eq!(fake.requests_to("/oauth/token").len(), 40);
}
