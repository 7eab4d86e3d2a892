//! `connect` and `token` end to end against the fake Atlassian: each grant,
//! each way it can fail, and that no secret leaks anywhere.

use crate::support::CheckedOutput;

use std::path::PathBuf;

use crate::support::{FakeAtlassian, Grant, TestEnv, assert_no_secrets, free_port, output_text};

const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const CLIENT_ID: &str = "spoke-client-id";
const SECRET: &str = "spoke-client-secret-XYZ123";
const API_TOKEN: &str = "api-token-SECRET-456";

fn token(env: &TestEnv, fake: &FakeAtlassian, name: &str) -> std::process::Output {
    env.cmd_with_fake(fake)
        .args(["-c", name, "token"])
        .checked_output()
}

fn secrets_file(env: &TestEnv) -> String {
    env.file_secrets().to_string()
}

/// GET the fake's Jira API with a bearer token, as a script using `token` would.
fn call_jira(fake: &FakeAtlassian, token: &str) -> u16 {
    let url = format!("{}/ex/jira/{ID}/rest/api/3/myself", fake.url());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        reqwest::Client::new()
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
}

#[test]
fn client_credentials_connect_then_token_then_a_jira_call_works() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env.connect(&fake).name("default").run();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("✓ Connected `default`"), "{stdout}");
    assert!(
        stdout.contains(&format!("Cloud ID        {ID}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("<bot@serviceaccount.atlassian.com> (service account)"),
        "service accounts act as apps: {stdout}"
    );
    let dir = env.config_dir();
    assert!(
        stderr.contains(&format!(
            "secrets will be kept in plaintext in {} and {}",
            dir.join("secrets.json").display(),
            dir.join("connections/default/secrets.json").display()
        )),
        "the file store warns, naming both files: {stderr}"
    );
    assert!(dir.join("connections/default/secrets.json").exists());

    let body = &fake.requests_to("/oauth/token")[0].body;
    let sent: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(sent["grant_type"], "client_credentials");
    assert_eq!(sent["audience"], "api.atlassian.com");
    assert_eq!(sent["client_id"], CLIENT_ID);

    let config = env.config_text();
    assert!(
        config.contains(&format!("connection_url = \"{}/ex/jira/{ID}\"", fake.url())),
        "{config}"
    );
    assert!(
        config.contains("grant = \"client-credentials\""),
        "{config}"
    );

    let out = token(&env, &fake, "default");
    let (access, stderr2) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr2}");
    let access = access.trim();
    assert!(access.starts_with("fake-at-"), "{access}");
    assert_eq!(call_jira(&fake, access), 200);
    assert_no_secrets(
        &[
            ("connect stdout", &stdout),
            ("connect stderr", &stderr),
            ("token stderr", &stderr2),
            ("config", &config),
        ],
        &[SECRET, access],
    );
    assert!(
        secrets_file(&env).contains(SECRET),
        "the secret is in the file store it was asked for"
    );
}

#[test]
fn token_json_adds_expiry_and_scope_and_reuses_a_fresh_token() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    assert_eq!(env.connect(&fake).name("ci").run().status.code(), Some(0));
    let out = env
        .cmd_with_fake(&fake)
        .args(["-c", "ci", "--json", "token"])
        .checked_output();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["access_token"]
            .as_str()
            .unwrap()
            .starts_with("fake-at-")
    );
    assert!(json["expires_at"].as_u64().unwrap() > 1_700_000_000);
    assert!(json["scope"].as_str().unwrap().contains("read:jira-work"));
    assert_eq!(json["source"], "cached");
    assert_eq!(
        fake.requests_to("/oauth/token").len(),
        1,
        "no second exchange for a fresh token"
    );
}

#[test]
fn client_credentials_are_exchanged_again_near_expiry() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    assert_eq!(env.connect(&fake).name("ci").run().status.code(), Some(0));
    let old = output_text(&token(&env, &fake, "ci")).0.trim().to_owned();
    assert_eq!(call_jira(&fake, &old), 200);
    // An hour on, without waiting one: both sides see the token expired.
    env.expire_tokens_with(&fake);
    assert_eq!(call_jira(&fake, &old), 401, "the fake's clock moved");
    let out = env
        .cmd_with_fake(&fake)
        .args(["-c", "ci", "--json", "token"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["source"], "exchanged");
    assert_eq!(fake.requests_to("/oauth/token").len(), 2);
    assert_eq!(
        call_jira(&fake, json["access_token"].as_str().unwrap()),
        200
    );
}

#[test]
fn a_wrong_secret_exits_3_stores_nothing_and_leaks_nothing() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let wrong = "wrong-secret-ABCDEF987";
    let out = env.connect(&fake).name("default").secret(wrong).run();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("rejected the client ID or secret"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: copy the Client ID and Secret again"),
        "{stderr}"
    );
    assert!(env.config_text().is_empty(), "nothing stored");
    assert!(!secrets_file(&env).contains(wrong));
    assert_no_secrets(&[("stdout", &stdout), ("stderr", &stderr)], &[wrong]);

    let out = env.connect(&fake).secret(wrong).arg("-vv").run();
    let (stdout, stderr) = output_text(&out);
    assert!(
        stderr.contains("/oauth/token"),
        "-vv logs requests: {stderr}"
    );
    assert_no_secrets(
        &[("-vv stdout", &stdout), ("-vv stderr", &stderr)],
        &[wrong],
    );
}

#[test]
fn a_failed_reconnect_leaves_the_working_connection_as_it_was() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    assert_eq!(env.connect(&fake).name("prod").run().status.code(), Some(0));
    let config_before = env.config_text();
    let secrets_before = secrets_file(&env);

    let out = env.connect(&fake).name("prod").secret("wrong-secret").run();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(env.config_text(), config_before);
    assert_eq!(secrets_file(&env), secrets_before);
    assert_eq!(token(&env, &fake, "prod").status.code(), Some(0));
}

#[test]
fn reconnecting_replaces_the_connection_and_deletes_the_old_secrets() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    assert_eq!(env.connect(&fake).name("prod").run().status.code(), Some(0));
    let first: serde_json::Value = serde_json::from_str(&secrets_file(&env)).unwrap();
    let out = env.connect(&fake).name("prod").run();
    let (stdout, _) = output_text(&out);
    assert!(stdout.contains("✓ Replaced `prod`"), "{stdout}");
    let second: serde_json::Value = serde_json::from_str(&secrets_file(&env)).unwrap();
    assert_eq!(second["secrets"].as_object().unwrap().len(), 2, "{second}");
    assert_ne!(first["secrets"], second["secrets"], "new entry names");
}

#[test]
fn a_wrong_cloud_id_is_reported_as_not_found() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env
        .connect(&fake)
        .cloud_id("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        .run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("organization ID is not a Cloud ID"),
        "{stderr}"
    );
    assert!(env.config_text().is_empty());
}

#[test]
fn the_secret_can_come_from_stdin_and_never_from_argv() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env
        .connect(&fake)
        .no_secret()
        .arg("--client-secret-stdin")
        .stdin(&format!("{SECRET}\n"))
        .run();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);

    let out = env
        .connect(&fake)
        .no_secret()
        .args(["--client-secret", "x"])
        .run();
    assert_eq!(
        out.status.code(),
        Some(2),
        "there is no flag that takes a secret"
    );
}

#[test]
fn api_token_connect_is_proven_with_basic_auth_on_the_site() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env
        .connect(&fake)
        .grant(Grant::ApiToken)
        .name("basic")
        .secret(API_TOKEN)
        .email("admin@example.com")
        .run();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("admin@example.com"), "{stdout}");
    let hit = &fake.requests_to("/rest/api/3/myself")[0];
    let auth = hit
        .headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .unwrap();
    assert!(auth.1.starts_with("Basic "), "{auth:?}");
    let config = env.config_text();
    assert!(
        config.contains(&format!("connection_url = \"{}/\"", fake.url())),
        "{config}"
    );
    assert_no_secrets(
        &[
            ("stdout", &stdout),
            ("stderr", &stderr),
            ("config", &config),
        ],
        &[API_TOKEN],
    );

    let out = env
        .connect(&fake)
        .grant(Grant::ApiToken)
        .name("basic2")
        .secret("not-the-token")
        .run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("Jira rejected the API token"), "{stderr}");
    assert!(!env.config_text().contains("basic2"));
}

// ---- authorization code (3LO) ----

/// A `$BROWSER` script that follows the authorize URL to the loopback callback,
/// after first trying a forged callback, which must be refused with a 400.
fn browser_script(env: &TestEnv, port: u16) -> PathBuf {
    let path = env.config_dir().parent().unwrap().join("browser.sh");
    let forged = format!("http://127.0.0.1:{port}/callback?code=forged&state=forged");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\n\
             status=$(curl -s -o /dev/null -w '%{{http_code}}' '{forged}')\n\
             echo \"forged callback: $status\" >> \"$(dirname \"$0\")/browser.log\"\n\
             curl -sfL \"$1\" >> \"$(dirname \"$0\")/browser.log\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[test]
fn authorization_code_completes_end_to_end_through_the_browser() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = free_port();
    let browser = browser_script(&env, port);
    let out = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .name("user")
        .port(port)
        .browser(&browser)
        .run();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(stdout.contains("✓ Connected `user`"), "{stdout}");
    assert!(stdout.contains("Mia Krystof"), "{stdout}");
    assert!(stderr.contains("Open this URL in a browser"), "{stderr}");

    let log = std::fs::read_to_string(browser.with_file_name("browser.log")).unwrap();
    assert!(log.contains("forged callback: 400"), "{log}");
    assert!(log.contains("You can close this tab"), "{log}");

    let authorize = &fake.requests_to("/authorize")[0];
    let query = authorize.query.clone().unwrap();
    for part in [
        "audience=api.atlassian.com",
        "response_type=code",
        "prompt=consent",
        "code_challenge_method=S256",
    ] {
        assert!(query.contains(part), "{part}: {query}");
    }
    assert!(query.contains("offline_access"), "{query}");
    let exchanges: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/oauth/token")
        .collect();
    assert_eq!(exchanges.len(), 1, "the forged code was never exchanged");
    assert!(!exchanges[0].body.contains("forged"));

    let config = env.config_text();
    assert!(
        config.contains("refresh_token"),
        "a refresh token reference is stored: {config}"
    );
    assert!(
        config.contains(&format!(
            "redirect_uri = \"http://127.0.0.1:{port}/callback\""
        )),
        "{config}"
    );
    let secrets = secrets_file(&env);
    let tokens: Vec<String> =
        serde_json::from_str::<serde_json::Value>(&secrets).unwrap()["secrets"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
    let mut all: Vec<&str> = tokens.iter().map(String::as_str).collect();
    all.push(SECRET);
    assert_no_secrets(
        &[
            ("stdout", &stdout),
            ("stderr", &stderr),
            ("config", &config),
        ],
        &all,
    );
}

#[test]
fn a_denied_consent_exits_3_and_stores_nothing() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.deny_consent = true);
    let env = TestEnv::new();
    let port = free_port();
    let browser = browser_script(&env, port);
    let out = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .name("user")
        .port(port)
        .browser(&browser)
        .run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("consent was denied"), "{stderr}");
    assert!(stderr.contains("Accept"), "{stderr}");
    assert!(env.config_text().is_empty());
    assert!(fake.requests_to("/oauth/token").is_empty());
}

#[test]
fn a_busy_callback_port_exits_6_before_any_browser_or_network_work() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let browser = browser_script(&env, port);
    let out = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .name("user")
        .port(port)
        .browser(&browser)
        .run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("--redirect-uri"), "{stderr}");
    assert!(fake.requests().is_empty(), "nothing sent to Atlassian");
    assert!(
        !browser.with_file_name("browser.log").exists(),
        "no browser opened"
    );
}

#[test]
fn rotated_refresh_tokens_survive_parallel_token_calls() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.refresh_leeway = std::time::Duration::ZERO);
    let env = TestEnv::new();
    let port = free_port();
    let browser = browser_script(&env, port);
    assert_eq!(
        env.connect(&fake)
            .grant(Grant::AuthorizationCode)
            .name("user")
            .port(port)
            .browser(&browser)
            .run()
            .status
            .code(),
        Some(0)
    );
    env.expire_tokens_with(&fake);

    let children: Vec<_> = (0..10)
        .map(|_| {
            let mut cmd = env.std_cmd_with_fake(&fake);
            cmd.args(["-c", "user", "token"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child
            .wait_with_output()
            .map(crate::support::check_secrets)
            .unwrap();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(stdout.trim().starts_with("fake-at-"), "{stdout}");
    }
    assert_eq!(
        fake.refresh_reuse_count(),
        0,
        "no refresh token was presented twice"
    );
    let refreshes = fake
        .requests_to("/oauth/token")
        .iter()
        .filter(|r| r.param("grant_type").as_deref() == Some("refresh_token"))
        .count();
    assert!(refreshes >= 1, "the expired token was refreshed");

    env.expire_tokens_with(&fake);
    let out = token(&env, &fake, "user");
    assert_eq!(
        out.status.code(),
        Some(0),
        "a later token still works: {}",
        output_text(&out).1
    );
}

#[test]
fn a_revoked_refresh_token_exits_3_and_leaves_the_connection_as_it_was() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.refresh_leeway = std::time::Duration::ZERO);
    let env = TestEnv::new();
    let port = free_port();
    let browser = browser_script(&env, port);
    assert_eq!(
        env.connect(&fake)
            .grant(Grant::AuthorizationCode)
            .name("user")
            .port(port)
            .browser(&browser)
            .run()
            .status
            .code(),
        Some(0)
    );
    env.expire_tokens_with(&fake);
    let config_before = env.config_text();
    let secrets_before = secrets_file(&env);
    fake.fail_next(
        "/oauth/token",
        1,
        403,
        &[("Content-Type", "application/json")],
        r#"{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}"#,
    );
    let out = token(&env, &fake, "user");
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("invalid_grant"), "{stderr}");
    assert!(
        stderr.contains("jira-spoke connect --grant authorization-code"),
        "{stderr}"
    );
    assert_eq!(env.config_text(), config_before);
    assert_eq!(secrets_file(&env), secrets_before);
}

#[test]
fn a_busy_token_endpoint_is_retried_as_asked_then_reported_with_exit_5() {
    let fake = FakeAtlassian::start();
    fake.fail_next("/oauth/token", 2, 503, &[("Retry-After", "0")], "");
    let env = TestEnv::new();
    let out = env.connect(&fake).name("default").run();
    assert_eq!(
        out.status.code(),
        Some(0),
        "two 503s, then success: {}",
        output_text(&out).1
    );

    fake.fail_next("/oauth/token", 100, 429, &[("Retry-After", "0")], "");
    let out = env.connect(&fake).name("other").run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("rate limiting"), "{stderr}");
    let attempts = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/oauth/token")
        .count();
    assert_eq!(
        attempts,
        3 + 4,
        "3 for the first connect, 1 + 3 retries for the second"
    );
}

#[test]
fn very_verbose_logs_show_requests_but_no_token_code_or_verifier() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = free_port();
    let browser = browser_script(&env, port);
    let out = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .name("user")
        .port(port)
        .browser(&browser)
        .arg("-vv")
        .run();
    let (connect_out, connect_log) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{connect_log}");
    env.expire_tokens_with(&fake);
    let out = env
        .cmd_with_fake(&fake)
        .args(["-vv", "-c", "user", "token"])
        .checked_output();
    let (token_out, token_log) = output_text(&out);
    assert!(
        token_log.contains("/oauth/token"),
        "-vv logs the refresh request: {token_log}"
    );
    assert!(
        connect_log.contains("/oauth/token/accessible-resources"),
        "{connect_log}"
    );

    let mut secrets: Vec<String> = vec![SECRET.to_owned()];
    for r in fake.requests() {
        for (k, v) in &r.headers {
            if k == "authorization" {
                secrets.push(v.trim_start_matches("Bearer ").to_owned());
            }
        }
        for field in ["code", "code_verifier", "refresh_token"] {
            if let Some(v) = r.param(field) {
                secrets.push(v);
            }
        }
    }
    let secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| s.len() >= 6)
        .collect();
    assert!(
        secrets.len() >= 5,
        "the test collected the secrets it must not find: {secrets:?}"
    );
    assert_no_secrets(
        &[
            ("connect stdout", &connect_out),
            ("connect -vv log", &connect_log),
            ("token -vv log", &token_log),
        ],
        &secrets,
    );
    assert!(token_out.trim().starts_with("fake-at-"));
}

/// `remove` leaves nothing of the connection in the config directory: its
/// own secrets file, token state and directory go with it; another
/// connection's stay.
#[test]
fn remove_leaves_no_directory_of_the_connection_behind() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect(&fake).name("default").run();
    env.connect(&fake).name("other").run();
    token(&env, &fake, "default");
    let dir = env.config_dir().join("connections");
    assert!(dir.join("default/secrets.json").exists());
    let out = env.cmd().args(["remove", "default"]).checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    assert!(
        !dir.join("default").exists(),
        "left: {:?}",
        std::fs::read_dir(dir.join("default"))
            .map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
    );
    assert!(dir.join("other/secrets.json").exists());
    assert_eq!(token(&env, &fake, "other").status.code(), Some(0));
}
