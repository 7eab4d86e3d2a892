//! A broken or hostile ServiceNow, and two admins at once: server text that
//! tries to forge report lines, sys_ids that are not sys_ids, malformed
//! rows, writes the instance did not keep, secrets echoed back, redirects to
//! a sign-in page, and two applies started together.

use crate::servicenow::consent;
use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER};
use crate::support::{CheckedOutput, FakeAtlassian, FakeServiceNow, TestEnv, output_text};

const CLIENT_SECRET: &str = "spoke-client-secret-XYZ123";

fn run(env: &TestEnv, sn: &FakeServiceNow, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd_servicenow(sn).args(args).checked_output();
    let (stdout, stderr) = output_text(&out);
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

fn applied(fake: &FakeAtlassian, sn: &FakeServiceNow) -> TestEnv {
    let env = TestEnv::new();
    env.connect_cc(fake, "default");
    let (code, _, stderr) = run(&env, sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stderr}");
    env
}

#[test]
fn a_newline_in_server_text_never_forges_a_report_line() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = applied(&fake, &sn);
    let profile = sn.rows("oauth_entity_profile")[0]["sys_id"].clone();
    sn.set(
        "oauth_entity_profile",
        &profile,
        "name",
        "x\n  ✓ token      forged\x1b[2K",
    );
    let (_, stdout, _) = run(&env, &sn, &["servicenow", "apply", "--dry-run"]);
    assert!(
        !stdout
            .lines()
            .any(|l| l.trim_start().starts_with("✓ token")),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    assert!(
        stdout.contains("x   ✓ token      forged"),
        "one line: {stdout}"
    );
}

#[test]
fn sys_ids_that_are_not_sys_ids_and_malformed_rows_are_errors_not_absences() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    // A crafted answer: the registry "found" with a path in its sys_id.
    sn.fail_next_on(
        Some("GET"),
        "/api/now/table/oauth_entity",
        1,
        200,
        &[("content-type", "application/json")],
        r#"{"result":[{"sys_id":"../sys_user/6816f79cc0a8016401c5a33be04be441","name":"Jira Client Credentials OAuth (default) for 1324a887"}]}"#,
    );
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains("a row whose sys_id is not 32 hex digits"),
        "{stderr}"
    );
    assert!(sn.writes().is_empty(), "nothing sent anywhere");

    // Rows that are not records: an error, never "not found, so create".
    sn.fail_next_on(
        Some("GET"),
        "/api/now/table/oauth_entity",
        1,
        200,
        &[("content-type", "application/json")],
        r#"{"result":[1,"two"]}"#,
    );
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("a row that is not a record"), "{stderr}");
    assert!(sn.writes().is_empty());
}

#[test]
fn a_write_the_instance_did_not_keep_stops_the_apply() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    // A business rule rewrites the client ID on insert.
    sn.fail_next_on(
        Some("POST"),
        "/api/now/table/oauth_entity",
        1,
        201,
        &[("content-type", "application/json")],
        r#"{"result":{"sys_id":"0123456789abcdef0123456789abcdef","client_id":"someone-else","name":"Jira Client Credentials OAuth (default) for 1324a887"}}"#,
    );
    let (code, stdout, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_ne!(code, 0, "{stdout}");
    assert!(
        stderr
            .contains("did not keep what was written: oauth_entity.type, oauth_entity.client_id,"),
        "{stderr}"
    );
    assert!(!stdout.contains("Applied"), "{stdout}");
}

#[test]
fn secrets_the_instance_echoes_are_redacted() {
    use base64::Engine;
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{SN_USER}:{SN_PASSWORD}"));
    let body = format!(
        r#"{{"error":{{"message":"Bad request","detail":"got password {SN_PASSWORD}, header Basic {basic}, secret {CLIENT_SECRET}"}}}}"#
    );
    sn.fail_next_on(
        Some("PATCH"),
        "/api/now/table/oauth_entity/",
        1,
        400,
        &[],
        &body,
    );
    // checked_output fails the test if any of them reaches the output.
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("got password <secret>"), "{stderr}");
    assert!(stderr.contains("header Basic <secret>"), "{stderr}");
}

#[test]
fn a_redirect_is_named_as_a_sign_in_page() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    sn.fail_next(
        "/api/now/table/",
        1,
        302,
        &[("location", "https://sso.example.com/login?session=abc")],
        "",
    );
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 5, "{stderr}");
    let (code, _, stderr) = {
        sn.fail_next(
            "/api/now/table/",
            1,
            302,
            &[("location", "https://sso.example.com/login?session=abc")],
            "",
        );
        run(&env, &sn, &["servicenow", "apply"])
    };
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains("redirected to https://sso.example.com/login: a sign-in page or SSO"),
        "{stderr}"
    );
    assert!(!stderr.contains("session=abc"), "{stderr}");
}

#[test]
fn two_applies_at_once_leave_one_set_of_records() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let spawn = || {
        let mut cmd = env.std_cmd_with_fake(&fake);
        cmd.env("JIRA_SPOKE_SERVICENOW_INSTANCE", sn.url())
            .env("JIRA_SPOKE_SERVICENOW_USER", SN_USER)
            .env("JIRA_SPOKE_SERVICENOW_PASSWORD", SN_PASSWORD)
            .args(["servicenow", "apply"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd.spawn().unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = crate::support::check_secrets(child.wait_with_output().unwrap());
        assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    }
    for table in [
        "oauth_entity",
        "oauth_entity_profile",
        "oauth_2_0_credentials",
        "http_connection",
    ] {
        assert_eq!(sn.rows(table).len(), 1, "{table}");
    }
    assert_eq!(sn.rows("oauth_entity_scope").len(), 13);
    assert_eq!(sn.rows("oauth_entity_profile_scope").len(), 13);

    // Twins made behind jira-spoke's back (another machine) are named by verify.
    let registry = sn.rows("oauth_entity")[0].clone();
    sn.insert(
        "oauth_entity",
        &[
            ("name", registry["name"].as_str()),
            ("type", "oauth_provider"),
        ],
    );
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_ne!(code, 0);
    assert!(
        stdout.contains("✗ duplicates 2 oauth_entity records named `Jira Client Credentials OAuth (default) for 1324a887`"),
        "{stdout}"
    );
}

#[test]
fn a_user_basic_auth_cannot_carry_and_an_impossible_instance_are_refused_before_any_request() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "verify", "--servicenow-user", "admin:guess"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("contains `:`, which basic auth cannot carry"),
        "{stderr}"
    );
    let long = "a".repeat(300);
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "verify", "--instance", &long])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "not 'could not reach': {stderr}"
    );
    assert!(sn.requests().is_empty());
}

#[cfg(unix)]
#[test]
fn an_interrupt_with_json_prints_a_json_error_and_no_escape_codes() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = applied(&fake, &sn);
    let mut cmd = env.std_cmd_with_fake(&fake);
    cmd.env("JIRA_SPOKE_SERVICENOW_INSTANCE", sn.url())
        .env("JIRA_SPOKE_SERVICENOW_USER", SN_USER)
        .env("JIRA_SPOKE_SERVICENOW_PASSWORD", SN_PASSWORD)
        .env("BROWSER", "true")
        .args(["--json", "servicenow", "consent", "--wait", "60"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    // Once it is waiting for the token (its first poll), interrupt it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while sn
        .requests()
        .iter()
        .filter(|r| r.path == "/api/now/table/oauth_credential")
        .count()
        < 2
    {
        assert!(std::time::Instant::now() < deadline, "consent never polled");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = crate::support::check_secrets(child.wait_with_output().unwrap());
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(stdout.trim()).expect("a JSON error");
    assert_eq!(json["error"]["kind"], "interrupted", "{stdout}");
    assert!(
        !stderr.contains('\u{1b}'),
        "no escape codes to a pipe: {stderr:?}"
    );
}

/// A 500 while consent polls is one failed poll, not the end of the wait; a
/// token whose expiry the instance wrote as no date counts as expired, never
/// as a token that never expires.
#[test]
fn consent_outlasts_a_failed_poll_and_an_unreadable_expiry_is_expired() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = applied(&fake, &sn);
    sn.configure(|s| s.token_reads_fail_after_consent = 2);
    let (stdout, _) = consent(&env, &sn);
    assert!(
        stdout.contains("✓ ServiceNow holds an access token"),
        "{stdout}"
    );
    let failed_polls = sn
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/now/table/oauth_credential"))
        .count();
    assert!(
        failed_polls >= 4,
        "before, two failed, one found: {failed_polls}"
    );

    sn.configure(|s| {
        s.token_reads_fail_after_consent = 0;
        s.token_expires_text = Some("in about an hour".into());
    });
    let out = env
        .cmd_servicenow(&sn)
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "30"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("that has already expired"), "{stderr}");
    // An access token proves the secret even once expired; the unreadable
    // expiry is read as a past one, not as "never expires".
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("(expired since;"), "{stdout}");
}

/// Every input is bounded and says which: a password piped from /dev/zero,
/// a megabyte password, a CA file that is a device. A password is used as
/// given, spaces included; only stdin's line end is removed.
#[test]
fn inputs_are_bounded_and_a_password_keeps_its_spaces() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = applied(&fake, &sn);
    let before = sn.requests().len();

    let out = env
        .cmd_servicenow(&sn)
        .env_remove("JIRA_SPOKE_SERVICENOW_PASSWORD")
        .args(["servicenow", "verify", "--servicenow-password-stdin"])
        .stdin_from("/dev/zero")
        .timeout(std::time::Duration::from_secs(20))
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the ServiceNow password given is longer than 4096 bytes"),
        "{stderr}"
    );

    // The environment holds at most 128 KiB a variable; stdin any length.
    let out = env
        .cmd_servicenow(&sn)
        .env("JIRA_SPOKE_SERVICENOW_PASSWORD", "p".repeat(100_000))
        .args(["servicenow", "verify"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("longer than 4096 bytes"), "{stderr}");
    let out = env
        .cmd_servicenow(&sn)
        .env_remove("JIRA_SPOKE_SERVICENOW_PASSWORD")
        .args(["servicenow", "verify", "--servicenow-password-stdin"])
        .write_stdin(format!("{}\n", "p".repeat(1 << 20)))
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("longer than 4096 bytes"), "{stderr}");

    for ca_file in ["/dev/zero", "/dev/null"] {
        let out = env
            .cmd_servicenow(&sn)
            .args(["servicenow", "verify", "--ca-file", ca_file])
            .timeout(std::time::Duration::from_secs(20))
            .checked_output();
        let (_, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{ca_file}: {stderr}");
        assert!(stderr.contains(ca_file), "{stderr}");
    }
    assert_eq!(sn.requests().len(), before, "nothing was sent");

    let spaced = "  sp@ced pw  ";
    sn.configure(|s| s.password = spaced.into());
    let signed_in =
        |out: &std::process::Output| output_text(out).0.contains("✓ instance   signed in to");
    let out = env
        .cmd_servicenow(&sn)
        .env("JIRA_SPOKE_SERVICENOW_PASSWORD", spaced)
        .args(["servicenow", "verify"])
        .checked_output();
    assert!(signed_in(&out), "{}", output_text(&out).0);
    let out = env
        .cmd_servicenow(&sn)
        .env_remove("JIRA_SPOKE_SERVICENOW_PASSWORD")
        .args(["servicenow", "verify", "--servicenow-password-stdin"])
        .write_stdin(format!("{spaced}\r\n"))
        .checked_output();
    assert!(signed_in(&out), "{}", output_text(&out).0);
    let out = env
        .cmd_servicenow(&sn)
        .env("JIRA_SPOKE_SERVICENOW_PASSWORD", spaced.trim())
        .args(["servicenow", "verify"])
        .checked_output();
    assert_eq!(
        out.status.code(),
        Some(3),
        "the trimmed one is another password"
    );
    assert!(!signed_in(&out));
}

/// `Retry-After` may be an HTTP date (RFC 9110): it is waited for like a
/// number of seconds, and one past the run's `--timeout` gives up at once.
#[test]
fn retry_after_as_an_http_date_is_honoured() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = applied(&fake, &sn);
    let in_secs = |secs: u64| {
        httpdate::fmt_http_date(std::time::SystemTime::now() + std::time::Duration::from_secs(secs))
    };
    sn.fail_next(
        "/api/now/table/sys_alias",
        1,
        429,
        &[("retry-after", &in_secs(2))],
        "{}",
    );
    let started = std::time::Instant::now();
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "the date was waited for: {:?}",
        started.elapsed()
    );

    sn.fail_next(
        "/api/now/table/sys_alias",
        1,
        429,
        &[("retry-after", &in_secs(3600))],
        "{}",
    );
    let started = std::time::Instant::now();
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains("and asked to wait 3") && stderr.contains("--timeout"),
        "{stderr}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

/// Another machine's apply creating the same record a moment earlier: the
/// record just made is deleted, and the older one gets the secret and is
/// activated, so one set of records is left and it works.
#[test]
fn a_twin_made_by_another_run_meanwhile_is_carried_on_with() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    sn.configure(|s| {
        // (Registry and connection names are unique: the instance refuses
        // a twin of those; credentials it takes.)
        s.twin_on_insert = vec!["oauth_2_0_credentials".into()];
    });
    let env = applied(&fake, &sn);
    let rows = sn.rows("oauth_2_0_credentials");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(
        rows[0]["sys_created_on"], "2000-01-01 00:00:00",
        "the older one is kept"
    );
    assert_eq!(rows[0]["active"], "true");
    let connection = &sn.rows("http_connection")[0];
    assert_eq!(
        connection["credential"],
        sn.rows("oauth_2_0_credentials")[0]["sys_id"]
    );
    let writes = sn.writes().len();
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(
        sn.writes().len(),
        writes,
        "a second apply changes nothing: {stdout}"
    );
    assert!(
        stdout.contains("Nothing to change") || !stdout.contains("created"),
        "{stdout}"
    );
    let (_, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert!(!stdout.contains("✗ duplicates"), "{stdout}");
    assert!(stdout.contains("✓ registry"), "{stdout}");
}

/// The same for a record with a secret (the API token's basic-auth
/// credential): the older twin gets the secret and is activated.
#[test]
fn a_twin_of_a_record_with_a_secret_gets_the_secret() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    sn.configure(|s| s.twin_on_insert = vec!["basic_auth_credentials".into()]);
    let env = TestEnv::new();
    env.connect(&fake)
        .grant(crate::support::connect::Grant::ApiToken)
        .ok();
    let (code, stdout, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let rows = sn.rows("basic_auth_credentials");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let kept = &rows[0];
    assert_eq!(kept["sys_created_on"], "2000-01-01 00:00:00");
    assert_eq!(kept["active"], "true");
    assert_eq!(
        sn.secret_of("basic_auth_credentials", &kept["sys_id"], "password")
            .as_deref(),
        Some("api-token-SECRET-456")
    );
    assert_eq!(sn.rows("http_connection")[0]["credential"], kept["sys_id"]);
}

/// Registry and connection names are unique on the instance: when another
/// machine's apply creates one first, ours is refused. That is said as
/// what it is (exit 4), and the next apply finds the record and completes it.
#[test]
fn a_record_another_apply_made_first_is_named_and_the_next_apply_completes_it() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    sn.configure(|s| s.twin_on_insert = vec!["oauth_entity".into()]);
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("refused to create oauth_entity")
            && stderr.contains("another apply made it a moment ago")
            && stderr.contains("run `jira-spoke servicenow apply` again"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(sn.rows("oauth_entity").len(), 1);
    assert_eq!(sn.rows("oauth_entity")[0]["active"], "true");
    assert_eq!(sn.rows("oauth_entity_scope").len(), 13);
}
