//! The OS keyring against a real Secret Service (gnome-keyring in a private
//! D-Bus session, started by `scripts/test`), checked with a second,
//! independent client: libsecret's `secret-tool`.
//!
//! These tests need that session. `scripts/test` sets
//! `JIRA_SPOKE_TEST_SECRET_SERVICE=1` once gnome-keyring is unlocked; without
//! it they fail, unless peers are skipped on purpose (`JIRA_SPOKE_SKIP_PEERS=1`).

use crate::support::CheckedOutput;

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{TestEnv, output_text};
use jira_spoke::secret::Secret;
use jira_spoke::store::keyring::KeyringStore;
use jira_spoke::store::{SecretRef, SecretStore};

/// True in `scripts/test`'s Secret Service session; else fails `test`, or
/// skips it (logged under its name) with `JIRA_SPOKE_SKIP_PEERS=1`.
fn secret_service_available(test: &str) -> bool {
    crate::support::peers::require(
        test,
        "a Secret Service session (run the tests with scripts/test)",
        std::env::var("JIRA_SPOKE_TEST_SECRET_SERVICE").as_deref() == Ok("1"),
        crate::support::peers::APT_INSTALL,
    )
}

/// A keyring service name no other test (or person) uses.
fn unique_service(test: &str) -> String {
    format!("jira-spoke-test-{test}-{}", std::process::id())
}

fn secret_tool_lookup(service: &str, account: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", account])
        .output()
        .expect("secret-tool is installed by .ci/run");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn secret_tool_store(service: &str, account: &str, value: &str) {
    let mut child = Command::new("secret-tool")
        .args([
            "store",
            "--label",
            "jira-spoke test",
            "service",
            service,
            "username",
            account,
        ])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(value.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn keyring_round_trip_is_visible_to_secret_tool() {
    if !secret_service_available("keyring_round_trip_is_visible_to_secret_tool") {
        return;
    }
    let service = unique_service("roundtrip");
    let store = KeyringStore::new();
    store.probe().expect("probe");
    let r = SecretRef::new(&service, "prod", "refresh_token");
    assert_eq!(store.get(&r).unwrap(), None);

    store.set(&r, &Secret::new("fake-rt-ROUND-TRIP")).unwrap();
    assert_eq!(
        store.get(&r).unwrap().unwrap().expose(),
        "fake-rt-ROUND-TRIP"
    );
    assert_eq!(
        secret_tool_lookup(&service, "prod:refresh_token").as_deref(),
        Some("fake-rt-ROUND-TRIP")
    );

    store.set(&r, &Secret::new("fake-rt-REPLACED")).unwrap();
    assert_eq!(store.get(&r).unwrap().unwrap().expose(), "fake-rt-REPLACED");

    assert!(store.delete(&r).unwrap());
    assert_eq!(store.get(&r).unwrap(), None);
    assert_eq!(secret_tool_lookup(&service, "prod:refresh_token"), None);
    assert!(!store.delete(&r).unwrap());
}

#[test]
fn a_value_stored_by_secret_tool_is_read_back() {
    if !secret_service_available("a_value_stored_by_secret_tool_is_read_back") {
        return;
    }
    let service = unique_service("foreign");
    secret_tool_store(&service, "ci:client_secret", "from-secret-tool");
    let store = KeyringStore::new();
    let r = SecretRef::new(&service, "ci", "client_secret");
    assert_eq!(store.get(&r).unwrap().unwrap().expose(), "from-secret-tool");
    store.delete(&r).unwrap();
}

#[test]
fn remove_deletes_the_connections_keyring_entries() {
    if !secret_service_available("remove_deletes_the_connections_keyring_entries") {
        return;
    }
    let service = unique_service("remove");
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.config_dir().join("config.toml"),
        format!(
            r#"
[connections.prod]
grant = "client-credentials"
connection_url = "https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421"
client_id = "spoke-client-id"
store = "keyring"
[connections.prod.secrets.client_secret]
service = "{service}"
account = "prod:client_secret"
[connections.prod.secrets.access_token]
service = "{service}"
account = "prod:access_token"
"#
        ),
    )
    .unwrap();
    secret_tool_store(&service, "prod:client_secret", "spoke-client-secret-XYZ123");
    secret_tool_store(&service, "prod:access_token", "fake-at-TOKEN");

    let out = env
        .cmd()
        .env("JIRA_SPOKE_STORE", "keyring")
        .args(["--json", "remove", "prod"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["removed_secrets"].as_array().unwrap().len(),
        2,
        "{stdout}"
    );
    assert_eq!(secret_tool_lookup(&service, "prod:client_secret"), None);
    assert_eq!(secret_tool_lookup(&service, "prod:access_token"), None);
    assert!(!env.config_text().contains("[connections.prod]"));
    crate::support::assert_no_secrets(
        &[("stdout", &stdout), ("stderr", &stderr)],
        &["spoke-client-secret-XYZ123", "fake-at-TOKEN"],
    );
}

#[test]
fn connect_token_and_remove_with_the_real_keyring() {
    if !secret_service_available("connect_token_and_remove_with_the_real_keyring") {
        return;
    }
    let fake = crate::support::FakeAtlassian::start();
    let env = TestEnv::new();
    let service = unique_service("connect");
    let secret = "spoke-client-secret-XYZ123";
    let out = env
        .connect(&fake)
        .name("kr")
        .secret(secret)
        .env("JIRA_SPOKE_STORE", "keyring")
        .env("JIRA_SPOKE_KEYRING_SERVICE", &service)
        .run();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("plaintext"),
        "no plaintext warning for the keyring: {stderr}"
    );
    assert!(
        !env.config_dir().join("secrets.json").exists(),
        "nothing in the file store"
    );

    let config = env.config_text();
    let account = config
        .lines()
        .find_map(|l| l.strip_prefix("account = \"kr:client_secret:"))
        .map(|rest| format!("kr:client_secret:{}", rest.trim_end_matches('"')))
        .expect("a client_secret reference");
    assert_eq!(
        secret_tool_lookup(&service, &account).as_deref(),
        Some(secret)
    );

    let out = env
        .cmd_with_fake(&fake)
        .args(["-c", "kr", "token"])
        .checked_output();
    let (token, token_err) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{token_err}");
    assert!(token.starts_with("fake-at-"));

    let out = env
        .cmd_with_fake(&fake)
        .args(["-c", "kr", "remove"])
        .checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    assert_eq!(secret_tool_lookup(&service, &account), None);
    crate::support::assert_no_secrets(
        &[
            ("stdout", &stdout),
            ("stderr", &stderr),
            ("config", &config),
        ],
        &[secret, token.trim()],
    );
}

#[test]
fn verify_all_renews_expired_tokens_into_the_real_keyring() {
    if !secret_service_available("verify_all_renews_expired_tokens_into_the_real_keyring") {
        return;
    }
    let fake = crate::support::FakeAtlassian::start();
    let env = TestEnv::new();
    let service = unique_service("fleet");
    let names = ["k1", "k2", "k3"];
    for name in names {
        let out = env
            .connect(&fake)
            .name(name)
            .secret("spoke-client-secret-XYZ123")
            .env("JIRA_SPOKE_STORE", "keyring")
            .env("JIRA_SPOKE_KEYRING_SERVICE", &service)
            .run();
        assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    }
    // Each connection's access token, as the keyring holds it.
    let stored = |name: &str| {
        let prefix = format!("account = \"{name}:access_token");
        let account = env
            .config_text()
            .lines()
            .find_map(|l| {
                l.strip_prefix("account = \"")
                    .filter(|_| l.starts_with(&prefix))
            })
            .map(|rest| rest.trim_end_matches('"').to_owned())
            .expect("an access_token reference");
        secret_tool_lookup(&service, &account).expect("stored")
    };
    let before: Vec<String> = names.iter().map(|name| stored(name)).collect();
    env.expire_tokens();
    let out = env
        .cmd_with_fake(&fake)
        .env("JIRA_SPOKE_KEYRING_SERVICE", &service)
        .args(["--json", "verify", "--all"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for c in report["connections"].as_array().unwrap() {
        assert_eq!(c["token"]["source"], "exchanged", "{c}");
    }
    // Each new access token is in the keyring, where `token` finds it
    // without asking Atlassian again.
    let issued = fake.issued_access_tokens();
    let token_requests = fake.requests_to("/oauth/token").len();
    for (name, old) in names.iter().zip(&before) {
        let new = stored(name);
        assert_ne!(&new, old, "{name}: the keyring still holds the old token");
        assert!(issued.contains(&new), "{name}: not a token the fake issued");
        let out = env
            .cmd_with_fake(&fake)
            .env("JIRA_SPOKE_KEYRING_SERVICE", &service)
            .args(["-c", name, "token"])
            .checked_output();
        assert_eq!(output_text(&out).0.trim(), new, "{name}");
        let out = env
            .cmd_with_fake(&fake)
            .args(["-c", name, "remove"])
            .checked_output();
        assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    }
    assert_eq!(fake.requests_to("/oauth/token").len(), token_requests);
}

#[test]
fn a_servicenow_browser_login_is_kept_in_the_real_keyring_and_used_with_nothing_given() {
    if !secret_service_available(
        "a_servicenow_browser_login_is_kept_in_the_real_keyring_and_used_with_nothing_given",
    ) {
        return;
    }
    use crate::support::servicenow_fake::SnClient;
    let fake = crate::support::FakeAtlassian::start();
    let sn = crate::support::FakeServiceNow::start();
    let port = crate::support::free_port();
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let client_id = "kr-client-0001";
    sn.configure(|s| {
        s.oauth_clients.push(SnClient {
            id: client_id.into(),
            secret: None,
            redirect_url: redirect.clone(),
            app_user: None,
        });
        s.basic_auth_restricted = true;
    });
    let env = TestEnv::new();
    let service = unique_service("snlogin");
    env.connect(&fake).name("default").run();
    let keyring = |cmd: &mut crate::support::Cmd| {
        cmd.env_remove("JIRA_SPOKE_STORE")
            .env("JIRA_SPOKE_KEYRING_SERVICE", &service)
            .env("BROWSER", env.curl_browser());
    };
    let mut login = env.cmd();
    keyring(&mut login);
    let out = login
        .args(["servicenow", "login", "--instance", &sn.url()])
        .args(["--oauth-client-id", client_id, "--redirect-uri", &redirect])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("kept the login in the OS keyring"),
        "{stdout}"
    );
    let host = sn.url().trim_start_matches("http://").to_owned();
    let kept = secret_tool_lookup(&service, &format!("servicenow@{host}:refresh_token"))
        .expect("the refresh token is in the keyring");
    assert!(kept.starts_with("sn-rt-"));
    assert!(
        !std::fs::read_to_string(env.config_dir().join("secrets.json"))
            .unwrap_or_default()
            .contains("servicenow@"),
        "nothing of the login in the file store"
    );

    let mut verify = env.cmd();
    keyring(&mut verify);
    let out = verify
        .args(["servicenow", "apply", "--dry-run", "--instance", &sn.url()])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.starts_with("Plan (dry run"), "{stdout}");

    let mut logout = env.cmd();
    keyring(&mut logout);
    let out = logout
        .args(["servicenow", "logout", "--instance", &sn.url()])
        .checked_output();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        secret_tool_lookup(&service, &format!("servicenow@{host}:refresh_token")),
        None
    );
}
