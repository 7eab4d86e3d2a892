//! `list` and `remove` over a hand-written config: what they show, what they
//! delete, and that a failure leaves everything as it was.

use crate::support::CheckedOutput;

use std::time::Duration;

use crate::support::{TestEnv, assert_no_secrets, output_text};

const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const SECRET: &str = "spoke-client-secret-XYZ123";

fn connection_toml(name: &str, store: &str, service: &str) -> String {
    format!(
        r#"
[connections.{name}]
grant = "client-credentials"
site_url = "https://acme.atlassian.net/"
cloud_id = "{ID}"
connection_url = "https://api.atlassian.com/ex/jira/{ID}"
client_id = "spoke-client-id"
store = "{store}"

[connections.{name}.secrets.client_secret]
service = "{service}"
account = "{name}:client_secret"

[connections.{name}.secrets.access_token]
service = "{service}"
account = "{name}:access_token"

[connections.{name}.token]
expires_at = 4102444800
scope = "read:jira-work"
"#
    )
}

fn write_file_store(env: &TestEnv, name: &str) {
    let secrets = serde_json::json!({
        "secrets": {
            format!("jira-spoke/{name}:client_secret"): SECRET,
            format!("jira-spoke/{name}:access_token"): "fake-at-ACCESS",
        }
    });
    std::fs::write(env.config_dir().join("secrets.json"), secrets.to_string()).unwrap();
}

fn write_config(env: &TestEnv, text: &str) {
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(env.config_dir().join("config.toml"), text).unwrap();
}

#[test]
fn list_with_no_config_points_to_setup() {
    let env = TestEnv::new();
    let out = env.cmd().arg("list").checked_output();
    let (stdout, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("No connections"), "{stdout}");
    assert!(stdout.contains("jira-spoke setup"), "{stdout}");
}

#[test]
fn list_shows_each_connection_without_secrets() {
    let env = TestEnv::new();
    write_config(
        &env,
        &(connection_toml("prod", "file", "jira-spoke")
            + &connection_toml("staging", "keyring", "jira-spoke")),
    );
    write_file_store(&env, "prod");
    let out = env.cmd().args(["list", "--json"]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let list = json["connections"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "prod");
    assert_eq!(list[0]["grant"], "client-credentials");
    assert_eq!(list[0]["cloud_id"], ID);
    assert_eq!(list[0]["store"], "file");
    assert_eq!(list[1]["store"], "keyring");
    assert_eq!(list[0]["token_expires_at"], 4102444800u64);

    let out = env.cmd().arg("list").checked_output();
    let (human, _) = output_text(&out);
    assert!(
        human.contains("prod  client-credentials  https://acme.atlassian.net"),
        "{human}"
    );
    assert_no_secrets(
        &[("stdout", &stdout), ("human", &human)],
        &[SECRET, "fake-at-ACCESS"],
    );
}

#[test]
fn remove_deletes_the_entry_and_its_file_secrets_and_names_them() {
    let env = TestEnv::new();
    write_config(
        &env,
        &(connection_toml("prod", "file", "jira-spoke")
            + &connection_toml("staging", "file", "jira-spoke")),
    );
    write_file_store(&env, "prod");
    let out = env.cmd().args(["remove", "prod"]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("Removed connection `prod`"), "{stdout}");
    assert!(
        stdout.contains("deleted client_secret (jira-spoke/prod:client_secret)"),
        "{stdout}"
    );
    let config = env.config_text();
    assert!(!config.contains("[connections.prod]"), "{config}");
    assert!(config.contains("[connections.staging]"), "{config}");
    let secrets = env.file_secrets().to_string();
    assert!(!secrets.contains(SECRET), "secret left behind");
    assert_no_secrets(&[("stdout", &stdout), ("stderr", &stderr)], &[SECRET]);
}

#[test]
fn removing_an_unknown_connection_exits_4_and_lists_the_known_ones() {
    let env = TestEnv::new();
    write_config(&env, &connection_toml("prod", "file", "jira-spoke"));
    let out = env.cmd().args(["-c", "nope", "remove"]).checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("no connection named `nope`"), "{stderr}");
    assert!(stderr.contains("configured connections: prod"), "{stderr}");
}

#[test]
fn a_config_that_does_not_parse_is_reported_and_never_overwritten() {
    let env = TestEnv::new();
    let broken = "[connections.prod\ngrant = \"client-credentials\"\n";
    write_config(&env, broken);
    for args in [&["list"][..], &["remove", "prod"][..]] {
        let out = env.cmd().args(args).checked_output();
        let (_, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(6), "{args:?}: {stderr}");
        assert!(stderr.contains("config file"), "{stderr}");
        assert!(stderr.contains("never overwrites"), "{stderr}");
        assert_eq!(env.config_text(), broken);
    }
}

#[test]
fn a_hand_edited_config_with_a_bad_cloud_id_is_reported() {
    let env = TestEnv::new();
    write_config(
        &env,
        &connection_toml("prod", "file", "jira-spoke").replace(ID, "not-a-cloud-id"),
    );
    let out = env.cmd().arg("list").checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("not-a-cloud-id"), "{stderr}");
}

#[cfg(target_os = "linux")]
/// No D-Bus session, hence no Secret Service: a command on a connection kept
/// in the keyring must fail fast with exit 6, change nothing, and say how to
/// reach the keyring or move the connection — not offer `--store file`,
/// which only chooses where a *new* connection goes.
#[test]
fn no_keyring_fails_fast_with_exit_6_and_changes_nothing() {
    let env = TestEnv::new();
    let config = connection_toml("prod", "keyring", "jira-spoke-test-none");
    write_config(&env, &config);
    let runtime_dir = tempfile::tempdir().unwrap();
    for args in [&["remove", "prod"][..], &["-c", "prod", "token"][..]] {
        let out = env
            .cmd()
            .env("JIRA_SPOKE_STORE", "keyring")
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/jira-spoke-test-bus",
            )
            .env("XDG_RUNTIME_DIR", runtime_dir.path())
            .env_remove("DISPLAY")
            .args(args)
            // A guard against hanging, not a performance measurement: the keyring
            // deadline inside jira-spoke is 3 s.
            .timeout(Duration::from_secs(5))
            .checked_output();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(
            out.status.code(),
            Some(6),
            "{args:?}\nstdout: {stdout}\nstderr: {stderr}"
        );
        assert!(
            stderr.contains("connection `prod` keeps its secrets in the OS keyring"),
            "{stderr}"
        );
        assert!(
            stderr.contains("not available: no Secret Service is running (no D-Bus session)"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("zbus") && !stderr.contains("/bus"),
            "the library's words: {stderr}"
        );
        let hint = stderr
            .lines()
            .find(|l| l.starts_with("hint:"))
            .unwrap_or_else(|| panic!("no hint: {stderr}"));
        assert!(hint.contains("unlock"), "{hint}");
        assert!(
            !hint.contains("or keep secrets in a plaintext file with `--store file`"),
            "--store file does not apply to a stored connection: {hint}"
        );
        assert!(
            hint.contains("connecting it again: `jira-spoke -c prod --store file connect"),
            "{hint}"
        );
        assert_eq!(
            stderr.lines().filter(|l| l.starts_with("error:")).count(),
            1
        );
        assert_eq!(env.config_text(), config, "config must be untouched");
    }
}
