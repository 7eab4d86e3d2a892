//! Fleets: `verify --all` and `token` with hundreds of stored connections.
//! Sockets stay under the open-file limit, the config and the secret file
//! are read once per command, renewals never write the config, two fleets
//! renewing at once renew each token once, EMFILE is named with the limit,
//! and a request waiting for its turn never times out — only a remote that
//! does not answer.
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
    passed(&out)
}

/// The connections' reports of a `verify --all --json` that passed, and
/// its stderr.
fn passed(out: &std::process::Output) -> (Vec<Value>, String) {
    let (stdout, stderr) = output_text(out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let connections = report(&stdout, &stderr)["connections"]
        .as_array()
        .unwrap()
        .clone();
    (connections, stderr)
}

/// Refresh journals, and temp files, left in the connections' directories.
fn journals_left(env: &TestEnv) -> Vec<std::path::PathBuf> {
    let Ok(connections) = std::fs::read_dir(env.config_dir().join("connections")) else {
        return Vec::new();
    };
    connections
        .flat_map(|c| std::fs::read_dir(c.unwrap().path()).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name == "refresh" || name.ends_with(".tmp")
        })
        .collect()
}

/// `token --json` of connection `name`, which must pass.
fn token(env: &TestEnv, fake: &FakeAtlassian, name: &str) -> Value {
    let out = env
        .cmd_with_fake(fake)
        .args(["--json", "-c", name, "token"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    report(&stdout, &stderr)
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
    // Once for the default connection every command resolves (its name
    // alone), once for the connections, however many read theirs (each
    // renewal re-reads its own under its lock: the file did not change).
    assert_eq!(reads_of(&stderr, &dir.join("config.toml")), 2, "{stderr}");
    assert_eq!(reads_of(&stderr, &dir.join("secrets.json")), 1);
    let own = dir.join("connections/c0042/secrets.json");
    assert_eq!(reads_of(&stderr, &own), 1);
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
    // The access token is in the connection's own file: the shared one,
    // with every connection's client secret, is not read.
    assert_eq!(reads_of(&stderr, &dir.join("secrets.json")), 0);
    let own = dir.join("connections/c0150/secrets.json");
    assert_eq!(reads_of(&stderr, &own), 1);
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
fn verify_all_over_https_bounds_sockets_not_the_requests_multiplexed_on_them() {
    let fake = FakeAtlassian::start_tls();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 100);
    // Handshakes and answers that take a while, as over a real network: the
    // burst is under way before the first connection is up.
    fake.configure(|s| s.latency = Duration::from_millis(50));
    fake.set_handshake_latency(Duration::from_millis(50));
    let out = limited(&env, &fake, 64, &["--json", "verify", "--all"]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let report = report(&stdout, &stderr);
    assert_eq!(report["ok"], true);
    let requests = fake.requests_to("/ex/jira/");
    assert_eq!(requests.len(), 200, "myself + serverInfo each");
    assert!(requests.iter().all(|r| r.version == "HTTP/2.0"));
    // Under ulimit -n 64, 8 sockets: the first requests, before the origin
    // is known to speak HTTP/2, may each open one; the rest share the one
    // connection the pool keeps.
    let connections = fake.connections();
    assert!(
        (1..=8).contains(&connections),
        "{connections} connections for 200 requests"
    );
    // The requests on it are not bounded by the sockets.
    let most = fake.max_concurrent_requests();
    assert!(most > 8, "{most} requests at once");
}

#[test]
fn renewing_a_fleet_of_expired_tokens_leaves_the_config_byte_for_byte_and_stores_each_token() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet(&env, &fake, 300);
    env.expire_tokens();
    let config = std::fs::read(env.config_dir().join("config.toml")).unwrap();
    let (connections, _) = verify_all(&env, &fake, &[]);
    assert_eq!(sources(&connections), ["exchanged"; 300]);
    assert_eq!(fake.requests_to("/oauth/token").len(), 300, "one each");
    assert_eq!(
        std::fs::read(env.config_dir().join("config.toml")).unwrap(),
        config,
        "a renewal never writes config.toml"
    );

    // Every new token was stored (the fake takes any bearer, so the next
    // run alone would not tell), and the next run renews nothing.
    let file = env.file_secrets();
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
fn a_renewal_by_token_leaves_the_config_byte_for_byte() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "a");
    env.connect_cc(&fake, "b");
    let path = env.config_dir().join("config.toml");
    let config = std::fs::read(&path).unwrap();
    let written = std::fs::metadata(&path).unwrap().modified().unwrap();
    env.expire_tokens_with(&fake);
    for name in ["a", "b"] {
        let json = token(&env, &fake, name);
        assert_ne!(json["source"], "cached", "{name}: {json}");
    }
    assert_eq!(fake.rotations(), 1);
    assert_eq!(std::fs::read(&path).unwrap(), config);
    // Not even rewritten as it was.
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        written
    );
}

#[test]
fn two_verify_all_at_once_renew_each_token_once() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet_3lo(&env, &fake, 60);
    env.expire_tokens_with(&fake);
    fake.advance(Duration::from_secs(601));
    fake.configure(|s| s.latency = Duration::from_millis(20));
    let spawn = || {
        env.std_cmd_with_fake(&fake)
            .args(["--json", "verify", "--all"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let token_requests = || {
        fake.requests_to("/oauth/token")
            .iter()
            .filter(|r| r.path == "/oauth/token")
            .count()
    };
    let before = token_requests();
    let (first, second) = (spawn(), spawn());
    let mut renewed = 0;
    for child in [first, second] {
        let out = crate::support::check_secrets(child.wait_with_output().unwrap());
        let (connections, _) = passed(&out);
        renewed += sources(&connections)
            .iter()
            .filter(|s| **s == "refreshed")
            .count();
    }
    // Each connection renewed by one of them; the other waited for its lock
    // and found the new token.
    assert_eq!(renewed, 60);
    assert_eq!(fake.rotations(), 60);
    assert_eq!(token_requests() - before, 60);
    assert_eq!(fake.refresh_reuse_count(), 0);
}

#[test]
fn token_state_in_a_config_of_an_earlier_version_is_used_and_moved_once() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "a");
    env.connect_cc(&fake, "b");
    // As an earlier version wrote it: the expiry in config.toml.
    let mut config = env.config_text();
    for state in env.token_state_files() {
        let name = state
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
        config.push_str(&format!(
            "\n[connections.{name}.token]\nexpires_at = {}\nobtained_at = {}\nscope = {}\n",
            saved["expires_at"], saved["obtained_at"], saved["scope"]
        ));
        std::fs::remove_file(state).unwrap();
    }
    std::fs::write(env.config_dir().join("config.toml"), &config).unwrap();
    let token = |name: &str| token(&env, &fake, name);
    let exchanged = fake.requests_to("/oauth/token").len();
    assert_eq!(token("a")["source"], "cached", "the old expiry is used");
    let moved = env.config_text();
    assert!(!moved.contains(".token]"), "{moved}");
    assert_eq!(env.token_state_files().len(), 2, "both moved at once");
    assert_eq!(token("b")["source"], "cached");
    assert_eq!(fake.requests_to("/oauth/token").len(), exchanged);
    assert_eq!(env.config_text(), moved, "moved once");

    // And `list` reads it from its new home.
    let out = env.cmd().args(["--json", "list"]).checked_output();
    let list: Value = serde_json::from_str(&output_text(&out).0).unwrap();
    assert!(list["connections"][0]["token_expires_at"].as_u64().unwrap() > 1_700_000_000);
}

#[test]
fn verify_all_refreshes_rotating_refresh_tokens_and_stores_each_rotation_before_use() {
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
        let journals = journals_left(&env);
        assert!(journals.is_empty(), "round {round}: {journals:?}");
    }
}

#[test]
fn verify_all_notes_each_refresh_before_it_is_sent_and_never_writes_the_config() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    write_fleet_3lo(&env, &fake, 100);
    let dir = env.config_dir();
    let config = std::fs::read(dir.join("config.toml")).unwrap();
    for round in 1..=2 {
        env.expire_tokens_with(&fake);
        fake.advance(std::time::Duration::from_secs(601));
        let (connections, stderr) = verify_all(&env, &fake, &["-vv"]);
        assert_eq!(sources(&connections), ["refreshed"; 100], "round {round}");
        assert_eq!(fake.rotations(), 100 * round);
        assert_eq!(fake.refresh_reuse_count(), 0);
        assert_eq!(writes_of(&stderr, &dir.join("config.toml")), 0);
        assert_eq!(std::fs::read(dir.join("config.toml")).unwrap(), config);
        // Every refresh was noted before it was sent, and the note ended.
        let noted = (0..100)
            .filter(|i| {
                let journal = dir.join(format!("connections/c{i:04}/refresh"));
                writes_of(&stderr, &journal) == 1
            })
            .count();
        assert_eq!(noted, 100, "round {round}");
        let left = journals_left(&env);
        assert!(left.is_empty(), "round {round}: {left:?}");
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
