//! `connect` against a grant with fewer scopes than it needs: each missing
//! scope is named, classic or granular, with where to add it, before any
//! Jira call; nothing is stored; `--json` lists them in `missing_scopes`.
//! A connection that asked for fewer than the spoke's: both verifies judge
//! the same requested list.

use crate::support::servicenow_fake::{FakeServiceNow, SN_PASSWORD};
use crate::support::{CheckedOutput, FakeAtlassian, Grant, TestEnv, output_text};

/// No connection in config.toml and no secret in the file store.
fn assert_nothing_stored(env: &TestEnv) {
    assert!(env.config_text().is_empty(), "{}", env.config_text());
    let secrets = env.file_secrets();
    assert!(
        secrets["secrets"].as_object().is_none_or(|m| m.is_empty()),
        "a secret was stored: {:?}",
        secrets["secrets"]
            .as_object()
            .map(|m| m.keys().collect::<Vec<_>>())
    );
}

#[test]
fn a_3lo_app_without_two_classic_scopes_names_both_before_any_jira_call() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| {
        s.granted_scopes
            .retain(|g| g != "read:jira-user" && g != "read:jira-work")
    });
    let env = TestEnv::new();
    let out = env.connect(&fake).grant(Grant::AuthorizationCode).run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("missing classic: read:jira-work, read:jira-user"),
        "{stderr}"
    );
    assert!(!stderr.contains("scope does not match"), "{stderr}");
    let hint = stderr.lines().find(|l| l.starts_with("hint:")).unwrap();
    assert!(
        hint.contains("developer.atlassian.com → your app → Permissions"),
        "{hint}"
    );
    assert!(hint.contains("read:jira-work, read:jira-user"), "{hint}");
    assert!(
        fake.requests_to("/ex/jira/").is_empty(),
        "no Jira call was made"
    );
    assert_nothing_stored(&env);

    let out = env
        .connect(&fake)
        .grant(Grant::AuthorizationCode)
        .arg("--json")
        .run();
    let (stdout, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(3));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["error"]["missing_scopes"],
        serde_json::json!(["read:jira-work", "read:jira-user"]),
        "{json}"
    );
    assert_eq!(json["error"]["kind"], "auth");
    assert_nothing_stored(&env);
}

#[test]
fn a_service_account_without_spoke_scopes_exits_3_and_stores_nothing() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| {
        s.granted_scopes
            .retain(|g| g != "read:jql:jira" && g != "write:sprint:jira-software")
    });
    let env = TestEnv::new();
    let out = env.connect(&fake).run();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("missing granular: read:jql:jira, write:sprint:jira-software"),
        "{stderr}"
    );
    assert!(
        stderr.contains("create a new OAuth 2.0 credential"),
        "a service account's scopes are fixed: {stderr}"
    );
    assert!(fake.requests_to("/ex/jira/").is_empty());
    assert_nothing_stored(&env);
}

#[test]
fn the_sites_scopes_from_accessible_resources_are_checked_when_the_token_names_none() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| {
        s.accept_any_bearer = true;
        s.granted_scopes.retain(|g| g != "read:jira-user");
    });
    // A code exchange whose answer carries no `scope`.
    fake.fail_next(
        "/oauth/token",
        1,
        200,
        &[("content-type", "application/json")],
        r#"{"access_token":"opaque-access","refresh_token":"fake-rt-opaque","expires_in":3600}"#,
    );
    let env = TestEnv::new();
    let out = env.connect(&fake).grant(Grant::AuthorizationCode).run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("missing classic: read:jira-user"),
        "{stderr}"
    );
    assert_eq!(
        fake.requests_to("/oauth/token/accessible-resources").len(),
        1
    );
    assert!(fake.requests_to("/ex/jira/").is_empty());
    assert_nothing_stored(&env);
}

#[test]
fn a_requested_scope_the_spoke_does_not_need_is_named_and_the_connection_kept() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env
        .connect(&fake)
        .args([
            "--json",
            "--scopes",
            "read:jira-work read:jira-user read:me",
        ])
        .run();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let warning = stderr
        .lines()
        .find(|l| l.starts_with("warning: Atlassian did not grant"))
        .unwrap_or_else(|| panic!("no warning: {stderr}"));
    assert!(
        warning.contains("did not grant User identity API: read:me"),
        "{warning}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["scopes_not_granted"], serde_json::json!(["read:me"]));
    assert!(env.config_text().contains("[connections.default]"));
}

#[test]
fn a_spoke_scope_left_out_of_the_request_is_named_and_both_verifies_judge_the_same_list() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    // A credential made with exactly the scopes asked for: all the spoke's
    // but one.
    let mut requested = Vec::new();
    fake.configure(|s| {
        s.granted_scopes
            .retain(|g| g != "manage:jira-configuration");
        requested = s.granted_scopes.clone();
    });
    let env = TestEnv::new();
    let out = env
        .connect(&fake)
        .args(["--scopes", &requested.join(" ")])
        .run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    let out = env.cmd_with_fake(&fake).arg("verify").checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "not the credential's fault: {stdout}{stderr}"
    );
    assert!(
        stdout.contains(
            "✓ scopes     all 12 requested scopes are granted; not requested, though the Jira spoke \
             needs them: classic: manage:jira-configuration"
        ),
        "{stdout}"
    );

    for args in [
        &["servicenow", "apply"][..],
        &["servicenow", "consent", "--wait", "30"][..],
        &["servicenow", "verify"][..],
    ] {
        let out = env
            .cmd_servicenow(&sn)
            .env("BROWSER", env.curl_browser())
            .args(args)
            .checked_output();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stdout}{stderr}");
        if args[1] == "verify" {
            assert!(
                stdout.contains("all 12 scopes are in the registry"),
                "the same 12: {stdout}"
            );
        }
        assert!(!stdout.contains(SN_PASSWORD));
    }
}
