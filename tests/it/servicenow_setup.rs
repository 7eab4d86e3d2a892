//! An authorization-code app registered with ServiceNow's callback: `connect`
//! proves its client ID and secret without a browser and stores it without a
//! token ("consent happens in ServiceNow"); `verify` says so instead of
//! failing, and `token` refuses plainly. Then the same connection through
//! `servicenow apply | consent | verify` against the fake instance.

use serde_json::Value;

use crate::support::{CheckedOutput, FakeAtlassian, FakeServiceNow, TestEnv, output_text};

const SECRET: &str = "spoke-client-secret-XYZ123";
const CLOUD_ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const HOSTED_CALLBACK: &str = "https://acme.service-now.com/oauth_redirect.do";

/// `connect --grant authorization-code` with `redirect_uri`; (exit code, stdout, stderr).
fn connect(
    env: &TestEnv,
    fake: &FakeAtlassian,
    redirect_uri: &str,
    extra: &[&str],
) -> (i32, String, String) {
    let marker = env.root().join("browser-was-opened");
    let browser = env.root().join("marking-browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\ntouch '{}'\n", marker.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = env
        .cmd_with_fake(fake)
        .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
        .env("BROWSER", &browser)
        .args(extra)
        .args(["connect", "--grant", "authorization-code"])
        .args(["--client-id", "spoke-client-id", "--site", &fake.url()])
        .args(["--redirect-uri", redirect_uri])
        .checked_output();
    assert!(!marker.exists(), "no browser is opened for this connection");
    let (stdout, stderr) = output_text(&out);
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

fn run(env: &TestEnv, fake: &FakeAtlassian, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd_with_fake(fake).args(args).checked_output();
    let (stdout, stderr) = output_text(&out);
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {report}"))
}

#[test]
fn servicenows_callback_stores_the_client_without_a_token() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let (code, stdout, stderr) = connect(&env, &fake, HOSTED_CALLBACK, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "✓ Connected `default`: {} (authorization-code; consent happens in ServiceNow)",
            fake.url()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("Cloud ID        {CLOUD_ID}")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("Callback URL    {HOSTED_CALLBACK}")),
        "{stdout}"
    );
    assert!(
        !stdout.contains("Acting as"),
        "no token, no identity: {stdout}"
    );
    assert!(
        stdout.trim_end().ends_with(
            "Next:\n  jira-spoke servicenow apply --instance acme\n  \
             jira-spoke servicenow consent --instance acme\n  \
             jira-spoke servicenow verify --instance acme"
        ),
        "{stdout}"
    );

    let config = env.config_text();
    assert!(
        config.contains(&format!("redirect_uri = \"{HOSTED_CALLBACK}\"")),
        "{config}"
    );
    assert!(config.contains("client_secret"), "{config}");
    for absent in ["access_token", "refresh_token", "expires_at"] {
        assert!(!config.contains(absent), "{absent} stored:\n{config}");
    }
    let secrets = std::fs::read_to_string(env.config_dir().join("secrets.json")).unwrap();
    assert!(secrets.contains(SECRET));

    // The one token request is the check-app probe; no consent, no Jira call.
    let tokens = fake.requests_to("/oauth/token");
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert_eq!(
        tokens[0].param("grant_type").as_deref(),
        Some("refresh_token")
    );
    for path in [
        "/authorize",
        "/oauth/token/accessible-resources",
        "/ex/jira",
    ] {
        assert!(fake.requests_to(path).is_empty(), "{path} was called");
    }
    assert!(fake.issued_access_tokens().is_empty());
}

#[test]
fn the_json_report_says_consent_happens_in_servicenow_and_keeps_its_fields() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let (code, stdout, stderr) = connect(&env, &fake, HOSTED_CALLBACK, &["--json", "-c", "snow"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["consent"], "servicenow");
    assert_eq!(report["connection"], "snow");
    assert_eq!(report["grant"], "authorization-code");
    assert_eq!(report["cloud_id"], CLOUD_ID);
    assert_eq!(report["redirect_uri"], HOSTED_CALLBACK);
    assert_eq!(
        report["connection_url"],
        format!("{}/ex/jira/{CLOUD_ID}", fake.url())
    );
    assert!(report["identity"].is_null());
    assert!(report["token_expires_at"].is_null());
    assert_eq!(report["replaced_existing"], false);
    for field in ["site", "store", "secrets", "config"] {
        assert!(!report[field].is_null(), "{field} missing: {report}");
    }
    assert_eq!(
        report["next"][0],
        "jira-spoke -c snow servicenow apply --instance acme"
    );
    assert_eq!(report["secrets"].as_array().unwrap().len(), 1);

    // A connection with a token says nothing of ServiceNow.
    env.connect_cc(&fake, "svc");
    let (_, stdout, _) = run(&env, &fake, &["--json", "-c", "svc", "verify"]);
    assert!(!stdout.contains("ServiceNow"), "{stdout}");
}

#[test]
fn a_wrong_secret_exits_3_and_stores_nothing() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.client_secret = "rotated-by-the-admin".into());
    let env = TestEnv::new();
    let (code, _, stderr) = connect(&env, &fake, HOSTED_CALLBACK, &[]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("rejected the client ID or secret"),
        "{stderr}"
    );
    assert!(env.config_text().is_empty(), "nothing stored");
    let secrets =
        std::fs::read_to_string(env.config_dir().join("secrets.json")).unwrap_or_default();
    assert!(!secrets.contains(SECRET), "no secret kept");
}

#[test]
fn a_plain_http_or_an_https_loopback_callback_is_refused() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    for (uri, says) in [
        (
            "http://acme.service-now.com/oauth_redirect.do",
            "plain http://",
        ),
        (
            "https://localhost:8765/callback",
            "not a loopback http:// URL",
        ),
    ] {
        let (code, _, stderr) = connect(&env, &fake, uri, &[]);
        assert_eq!(code, 2, "{uri}: {stderr}");
        assert!(stderr.contains(says), "{uri}: {stderr}");
    }
    assert!(fake.requests().is_empty());
    assert!(env.config_text().is_empty());
}

#[test]
fn verify_points_to_servicenow_for_the_token_checks_and_passes() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    assert_eq!(connect(&env, &fake, HOSTED_CALLBACK, &[]).0, 0);
    let before = fake.requests().len();

    let (code, stdout, stderr) = run(&env, &fake, &["verify"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "✓ token      none on this machine by design (consent happens in ServiceNow); "
        ) && stdout.contains("accepts the client ID and secret"),
        "{stdout}"
    );
    for name in ["site", "identity", "server", "scopes"] {
        assert!(
            stdout.contains(&format!(
                "○ {name:<10} not run here (consent happens in ServiceNow): run `jira-spoke servicenow verify --instance acme`"
            )),
            "{name}: {stdout}"
        );
    }
    assert!(!stdout.contains("All 8 checks passed."), "{stdout}");
    assert!(
        stdout.contains("4 checks passed, 4 skipped: site, identity, server, scopes."),
        "{stdout}"
    );
    let calls: Vec<String> = fake.requests()[before..]
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(calls, ["/oauth/token"], "only the client check");

    let (code, stdout, _) = run(&env, &fake, &["--json", "verify"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(check(&report, "token")["ok"], true);
    assert_eq!(check(&report, "token")["skipped"], false);
    for name in ["site", "identity", "server", "scopes"] {
        assert_eq!(check(&report, name)["ok"], true, "{name}");
        assert_eq!(check(&report, name)["skipped"], true, "{name}");
    }
    assert_eq!(report["site"]["cloud_id"], CLOUD_ID);

    // A secret rotated at Atlassian fails the client check (exit 3).
    fake.configure(|s| s.client_secret = "rotated-by-the-admin".into());
    let (code, stdout, _) = run(&env, &fake, &["verify"]);
    assert_eq!(code, 3, "{stdout}");
    assert!(
        stdout.contains("✗ token      Atlassian rejected the client ID or secret"),
        "{stdout}"
    );
}

#[test]
fn verify_names_rate_limiting_of_the_client_check() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let (code, stdout, stderr) = connect(&env, &fake, HOSTED_CALLBACK, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    fake.fail_next("/oauth/token", 100, 429, &[("Retry-After", "0")], "");
    let (code, stdout, stderr) = run(&env, &fake, &["--json", "verify"]);
    assert_eq!(code, 5, "{stdout}{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(check(&report, "token")["ok"], false, "{report}");
    let limit = check(&report, "rate_limit");
    assert_eq!(limit["ok"], false, "{report}");
    assert_eq!(
        limit["detail"], "Atlassian is rate limiting (token check)",
        "{report}"
    );
}

#[test]
fn token_refuses_plainly_and_names_servicenow_consent() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    assert_eq!(connect(&env, &fake, HOSTED_CALLBACK, &["-c", "prod"]).0, 0);
    let before = fake.requests().len();
    let (code, stdout, stderr) = run(&env, &fake, &["-c", "prod", "token"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(
            "connection `prod` has no token on this machine: its consent happens in ServiceNow"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("jira-spoke -c prod servicenow consent --instance acme"),
        "{stderr}"
    );
    assert_eq!(fake.requests().len(), before, "nothing was asked");

    let (code, stdout, _) = run(&env, &fake, &["-c", "prod", "--json", "token"]);
    assert_eq!(code, 4);
    let error: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(error["error"]["kind"], "not_found");
}

#[test]
fn the_stored_connection_goes_through_apply_consent_and_both_verifies() {
    // The README's token-less transcript comes from here:
    // `cargo test --test it the_stored_connection_goes -- --nocapture`.
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let callback = format!("{}/oauth_redirect.do", sn.url());
    let (code, stdout, _) = connect(&env, &fake, &callback, &[]);
    assert_eq!(code, 0);
    println!(
        "$ jira-spoke connect --grant authorization-code --redirect-uri {callback} …\n{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "jira-spoke servicenow apply --instance {}",
            sn.url()
        )),
        "{stdout}"
    );
    let sn_run = |args: &[&str]| {
        let out = env
            .cmd_servicenow(&sn)
            .env("BROWSER", env.curl_browser())
            .args(args)
            .checked_output();
        let (stdout, stderr) = output_text(&out);
        (out.status.code().unwrap_or(-1), stdout, stderr)
    };
    let (code, stdout, stderr) = sn_run(&["servicenow", "apply"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("callback URL must be {callback}")),
        "{stdout}"
    );
    let (code, stdout, stderr) = sn_run(&["servicenow", "consent", "--wait", "30"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, stdout, _) = sn_run(&["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("All 10 checks passed."), "{stdout}");
    let (code, stdout, _) = run(&env, &fake, &["verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "run `jira-spoke servicenow verify --instance {}`",
            sn.url()
        )),
        "{stdout}"
    );
    println!("$ jira-spoke verify\n{stdout}");
    let (code, _, stderr) = run(&env, &fake, &["token"]);
    assert_eq!(code, 4);
    println!("$ jira-spoke token\n{stderr}");
}

#[test]
fn apply_warns_when_the_instance_is_not_the_one_whose_callback_the_app_has() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    assert_eq!(connect(&env, &fake, HOSTED_CALLBACK, &[]).0, 0);
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "apply"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "connection `default` was made for the callback {HOSTED_CALLBACK}, not {}/oauth_redirect.do",
            sn.url()
        )),
        "{stderr}"
    );
    // verify judges the Redirect URL against the connection's callback.
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "verify"])
        .checked_output();
    let (stdout, _) = output_text(&out);
    assert_ne!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "✗ registry   `Jira Authorization Code OAuth (default) for 1324a887`: the Atlassian app's callback (stored with connection `default`) is {HOSTED_CALLBACK}, but this instance receives codes at {}/oauth_redirect.do",
            sn.url()
        )),
        "{stdout}"
    );

    // The instance whose callback it is: no warning.
    let env = TestEnv::new();
    assert_eq!(
        connect(&env, &fake, &format!("{}/oauth_redirect.do", sn.url()), &[]).0,
        0
    );
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "apply", "--dry-run"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert!(!stderr.contains("was made for the callback"), "{stderr}");
}
