//! `verify`: every check against the fake, each failure with its exit code,
//! the check's name, and a hint that names the fix.

use crate::support::CheckedOutput;

use crate::support::{FakeAtlassian, Grant, TestEnv, assert_no_secrets, output_text};

const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const SECRET: &str = "spoke-client-secret-XYZ123";

fn verify_json(
    env: &TestEnv,
    fake: &FakeAtlassian,
    name: &str,
) -> (Option<i32>, serde_json::Value, String) {
    let out = env
        .cmd_with_fake(fake)
        .args(["-c", name, "--json", "verify"])
        .timeout(std::time::Duration::from_secs(60))
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_no_secrets(
        &[("verify stdout", &stdout), ("verify stderr", &stderr)],
        &[SECRET],
    );
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (out.status.code(), json, stderr)
}

fn check<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {report}"))
}

#[test]
fn a_working_connection_passes_every_check_in_order() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["ok"], true);
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "config",
            "secret",
            "token",
            "site",
            "identity",
            "server",
            "scopes",
            "rate_limit"
        ]
    );
    assert_eq!(report["identity"]["account_type"], "app");
    assert_eq!(report["site"]["cloud_id"], ID);
    assert_eq!(report["site"]["deployment_type"], "Cloud");
    assert_eq!(report["token"]["store"], "file");
    assert_eq!(report["token"]["source"], "cached");

    let out = env.cmd_with_fake(&fake).arg("verify").checked_output();
    let (human, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(human.contains("✓ identity"), "{human}");
    assert!(human.contains("All 8 checks passed."), "{human}");
}

#[test]
fn a_withheld_scope_is_named_with_where_to_add_it() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    // The credential loses two scopes after connect (connect itself refuses
    // a grant without them); the next token shows it.
    fake.configure(|s| {
        s.granted_scopes
            .retain(|g| g != "read:jql:jira" && g != "write:sprint:jira-software")
    });
    env.expire_tokens();
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(3), "{report}");
    assert_eq!(report["ok"], false);
    let scopes = check(&report, "scopes");
    assert_eq!(scopes["ok"], false);
    let detail = scopes["detail"].as_str().unwrap();
    assert!(
        detail.contains("read:jql:jira") && detail.contains("write:sprint:jira-software"),
        "{detail}"
    );
    let hint = scopes["hint"].as_str().unwrap();
    assert!(
        hint.contains("granular: read:jql:jira, write:sprint:jira-software"),
        "{hint}"
    );
    assert!(hint.contains("create a new OAuth 2.0 credential"), "{hint}");
    assert_eq!(
        check(&report, "identity")["ok"],
        true,
        "other checks still ran"
    );
}

#[test]
fn a_scope_mismatch_401_is_translated() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    fake.configure(|s| s.granted_scopes.retain(|g| g != "read:jira-user"));
    env.expire_tokens(); // a new token is needed for the narrower grant to show

    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(3), "{report}");
    let identity = check(&report, "identity");
    assert!(
        identity["detail"]
            .as_str()
            .unwrap()
            .contains("scope does not match"),
        "{identity}"
    );
    assert!(
        check(&report, "scopes")["hint"]
            .as_str()
            .unwrap()
            .contains("read:jira-user"),
        "{report}"
    );
}

#[test]
fn a_wrong_cloud_id_fails_the_site_check_with_exit_4() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let other = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    std::fs::write(
        env.config_dir().join("config.toml"),
        env.config_text().replace(ID, other),
    )
    .unwrap();
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(4), "{report}");
    let site = check(&report, "site");
    assert_eq!(site["ok"], false);
    assert!(site["detail"].as_str().unwrap().contains(other), "{site}");
    assert!(
        site["hint"]
            .as_str()
            .unwrap()
            .contains("jira-spoke cloud-id"),
        "{site}"
    );
}

#[test]
fn a_hand_edited_cloud_id_that_disagrees_with_the_connection_url_fails_the_config_check() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let edited = env.config_text().replacen(
        &format!("cloud_id = \"{ID}\""),
        "cloud_id = \"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\"",
        1,
    );
    std::fs::write(env.config_dir().join("config.toml"), edited).unwrap();
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(4), "{report}");
    let config = check(&report, "config");
    assert!(
        config["detail"]
            .as_str()
            .unwrap()
            .contains("connection_url"),
        "{config}"
    );
}

#[test]
fn a_bad_secret_fails_the_token_check_with_exit_3() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    fake.configure(|s| s.client_secret = "rotated-by-the-admin".into());
    env.expire_tokens_with(&fake);
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(3), "{report}");
    let token = check(&report, "token");
    assert_eq!(token["ok"], false);
    assert!(
        token["hint"]
            .as_str()
            .unwrap()
            .contains("Client ID and Secret"),
        "{token}"
    );
    assert_eq!(check(&report, "secret")["ok"], true);
}

#[test]
fn a_missing_secret_is_named() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    std::fs::write(env.config_dir().join("secrets.json"), r#"{"secrets":{}}"#).unwrap();
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(4), "{report}");
    let secret = check(&report, "secret");
    assert!(
        secret["detail"].as_str().unwrap().contains("client_secret"),
        "{secret}"
    );
}

#[test]
fn a_429_then_success_passes_after_a_retry() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    fake.fail_next("/ex/jira", 1, 429, &[("Retry-After", "0")], "");
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(check(&report, "rate_limit")["ok"], true);
}

#[test]
fn a_429_forever_is_reported_with_exit_5() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    fake.fail_next(
        "/ex/jira",
        100,
        429,
        &[
            ("Retry-After", "0"),
            ("X-RateLimit-Reset", "2026-11-23T10:00Z"),
        ],
        "",
    );
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(5), "{report}");
    let limit = check(&report, "rate_limit");
    assert_eq!(limit["ok"], false);
    assert!(
        limit["detail"].as_str().unwrap().contains("rate limiting"),
        "{limit}"
    );
}

#[test]
fn a_server_that_is_down_is_remote_unavailable() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let url = fake.url();
    drop(fake);
    let out = env
        .cmd()
        .env("JIRA_SPOKE_AUTH_URL", &url)
        .env("JIRA_SPOKE_API_URL", &url)
        .args(["--json", "verify"])
        .checked_output();
    let (stdout, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        check(&report, "identity")["detail"]
            .as_str()
            .unwrap()
            .contains("could not reach")
    );
}

#[test]
fn a_revoked_refresh_token_fails_the_token_check() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(0), "{report}");
    let detail = check(&report, "token")["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        detail
            .contains("refresh token last renewed 0 d ago, 90 d before Atlassian drops it unused"),
        "{detail}"
    );
    env.expire_tokens_with(&fake);
    fake.fail_next(
        "/oauth/token",
        1,
        403,
        &[],
        r#"{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}"#,
    );
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(3), "{report}");
    let token = check(&report, "token");
    assert!(
        token["detail"].as_str().unwrap().contains("invalid_grant"),
        "{token}"
    );
    assert!(
        token["hint"]
            .as_str()
            .unwrap()
            .contains("--grant authorization-code"),
        "{token}"
    );
}

#[test]
fn verify_all_reports_every_connection_and_fails_if_one_does() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "good");
    env.connect_cc(&fake, "broken");
    let config = env.config_text();
    let (start, end) = (
        config.find("[connections.broken]").unwrap(),
        config.find("[connections.good]").unwrap(),
    );
    let mut edited = config.clone();
    edited.replace_range(
        start..end,
        &config[start..end].replace(ID, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
    );
    std::fs::write(env.config_dir().join("config.toml"), edited).unwrap();
    let out = env
        .cmd_with_fake(&fake)
        .args(["--json", "verify", "--all"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["ok"], false);
    let list = report["connections"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let by_name = |n: &str| list.iter().find(|c| c["connection"] == n).unwrap();
    assert_eq!(by_name("good")["ok"], true);
    assert_eq!(by_name("broken")["ok"], false);

    let out = env
        .cmd_with_fake(&fake)
        .args(["verify", "--all"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}\n{stderr}");
    // A connection that passed is one line; a failed one has every check.
    let good = stdout.lines().find(|l| l.starts_with("✓ `good`"));
    assert!(
        good.is_some_and(|l| l.contains("acting as") && l.contains("valid for")),
        "{stdout}"
    );
    assert!(!stdout.contains("Connection `good`"), "{stdout}");
    assert!(stdout.contains("Connection `broken`"), "{stdout}");
    assert!(stdout.contains("    hint: "), "{stdout}");
    assert_eq!(
        stdout.trim_end().lines().last(),
        Some("1 of 2 connections failed: `broken`."),
        "{stdout}"
    );
}

#[test]
fn verify_all_shows_a_failure_a_fleet_shares_once_and_points_to_it() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    for name in ["first", "second", "third"] {
        env.connect_cc(&fake, name);
    }
    // Jira is down for every connection alike.
    fake.fail_next("/ex/jira/", 100, 500, &[], "{}");
    let out = env
        .cmd_with_fake(&fake)
        .args(["verify", "--all"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stdout}\n{stderr}");
    assert_eq!(
        stdout.matches("    hint: ").count(),
        2,
        "one block's hints: {stdout}"
    );
    assert!(stdout.contains("Connection `first`"), "{stdout}");
    for name in ["second", "third"] {
        let pointer = stdout
            .lines()
            .find(|l| l.starts_with(&format!("✗ `{name}` ")));
        assert!(
            pointer.is_some_and(|l| l.ends_with("the same failures as `first`: identity, server")),
            "{name}: {stdout}"
        );
    }
    assert_eq!(
        stdout.trim_end().lines().last(),
        Some("3 of 3 connections failed: `first`, `second`, `third`."),
        "{stdout}"
    );
}

#[test]
fn verify_all_with_no_connections_exits_4_like_verify() {
    let env = TestEnv::new();
    let out = env.cmd().args(["verify", "--all"]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}\n{stderr}");
    assert!(stdout.contains("No connections to verify"), "{stdout}");
    assert!(stdout.contains("jira-spoke setup"), "{stdout}");

    let out = env
        .cmd()
        .args(["--json", "verify", "--all"])
        .checked_output();
    let (stdout, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["connections"], serde_json::json!([]));
}

#[test]
fn verifying_an_unknown_connection_exits_4() {
    let env = TestEnv::new();
    let out = env.cmd().args(["-c", "ghost", "verify"]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "no checks: {stdout}");
    assert!(
        stderr.contains("no connection named `ghost` is configured"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: no connection is configured yet"),
        "{stderr}"
    );
}

#[test]
fn verify_json_of_an_unknown_connection_is_the_documented_error_object() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["--json", "-c", "ghost", "verify"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stdout}{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(json.get("checks").is_none(), "{stdout}");
    assert_eq!(json["error"]["kind"], "not_found", "{stdout}");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no connection named `ghost`"),
        "{stdout}"
    );
}

#[test]
fn an_api_token_connection_is_verified_with_basic_auth_and_no_oauth_token() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect(&fake)
        .grant(Grant::ApiToken)
        .name("basic")
        .args(["--api-version", "2"])
        .ok();
    let (code, report, _) = verify_json(&env, &fake, "basic");
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["identity"]["email_address"], "admin@example.com");
    assert!(
        fake.requests_to("/oauth").is_empty(),
        "no OAuth token is involved"
    );
    let site_calls = fake.requests_to("/rest/api/2/");
    assert!(
        site_calls.len() >= 2,
        "myself and serverInfo on the site, API v2"
    );
    assert!(site_calls.iter().all(|r| {
        r.headers
            .iter()
            .any(|(k, v)| k == "authorization" && v.starts_with("Basic "))
    }));
}

#[test]
fn a_site_whose_base_url_differs_fails_the_server_check() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    fake.configure(|s| s.site_url = "https://other.atlassian.net".into());
    let (code, report, _) = verify_json(&env, &fake, "default");
    assert_eq!(code, Some(4), "{report}");
    let server = check(&report, "server");
    assert!(
        server["detail"]
            .as_str()
            .unwrap()
            .contains("https://other.atlassian.net"),
        "{server}"
    );
    assert!(
        server["hint"]
            .as_str()
            .unwrap()
            .contains("jira-spoke cloud-id"),
        "{server}"
    );
}

/// Runs `args` in a terminal against `fake`; returns its exit code and
/// everything it showed, in which no secret and no token may appear (`-v`
/// logs included).
#[cfg(unix)]
fn in_terminal(env: &TestEnv, fake: &FakeAtlassian, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = env.std_cmd_with_fake(fake);
    cmd.env("TERM", "xterm").args(args);
    let mut session = crate::support::pty::PtySession::spawn(cmd).expect("spawn in a pty");
    session.read_to_eof();
    let (code, screen) = (session.wait().code(), session.transcript());
    assert_no_secrets(
        &[("the terminal", &screen)],
        &[SECRET, "fake-at-", "fake-rt-"],
    );
    (code, screen)
}

#[cfg(unix)]
#[test]
fn verify_shows_a_spinner_with_its_progress_in_a_terminal_and_none_for_json_or_logs() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "first");
    env.connect_cc(&fake, "second");
    // Long enough for the spinner's first ticks.
    fake.configure(|s| s.latency = std::time::Duration::from_millis(400));

    let (code, screen) = in_terminal(&env, &fake, &["verify", "--all"]);
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains("Verifying 2 connections: 0 done"),
        "{screen}"
    );
    assert!(
        screen.contains("2 connections: every check passed."),
        "{screen}"
    );

    let (code, screen) = in_terminal(&env, &fake, &["-c", "second", "verify"]);
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("Verifying `second`"), "{screen}");
    assert!(screen.contains("All 8 checks passed."), "{screen}");

    let (code, screen) = in_terminal(&env, &fake, &["--json", "verify", "--all"]);
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains("Verifying"), "{screen}");
    assert!(screen.trim_start().starts_with('{'), "{screen}");

    // With -v the log lines are the progress: a spinner would run into them.
    let (code, screen) = in_terminal(&env, &fake, &["-v", "verify", "--all"]);
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains("Verifying"), "{screen}");
    assert!(screen.contains("/myself → HTTP 200"), "{screen}");
}
