//! `servicenow apply | verify | consent` against the fake ServiceNow instance
//! (`support/servicenow_fake.rs`): the exact records for each grant, a second
//! run that changes nothing, drift and partial runs repaired, the plan of a
//! dry run, what the instance lacks named, admin credentials and roles,
//! consent through the "Get OAuth Token" page, and no secret in any output.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::readme::{self, Hosts};
use crate::support::servicenow_fake::{ALIAS_SYS_ID, Row, SN_PASSWORD, SN_USER};
use crate::support::{CheckedOutput, FakeAtlassian, FakeServiceNow, Grant, TestEnv, output_text};

const CLIENT_SECRET: &str = "spoke-client-secret-XYZ123";
const API_TOKEN: &str = "api-token-SECRET-456";
const CLOUD_ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

/// Runs `jira-spoke <args>` signed in to `sn`; returns (exit code, stdout, stderr).
fn run(env: &TestEnv, sn: &FakeServiceNow, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd_servicenow(sn).args(args).checked_output();
    let (stdout, stderr) = output_text(&out);
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

fn apply(env: &TestEnv, sn: &FakeServiceNow) -> String {
    let (code, stdout, stderr) = run(env, sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "apply failed:\n{stdout}\n{stderr}");
    stdout
}

/// Runs "Get OAuth Token" with a browser that only visits the page.
fn consent(env: &TestEnv, sn: &FakeServiceNow) -> String {
    let out = env
        .cmd_servicenow(sn)
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "30"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "consent failed:\n{stdout}\n{stderr}"
    );
    stdout
}

fn one(rows: Vec<Row>) -> Row {
    assert_eq!(rows.len(), 1, "{rows:#?}");
    rows.into_iter().next().unwrap()
}

/// Every write of a password2 column is a request of its own with the
/// display-value flag; no response ever carried one back.
fn assert_secret_hygiene(sn: &FakeServiceNow) {
    for w in sn.writes() {
        let body: Value = serde_json::from_str(&w.body).unwrap_or(Value::Null);
        let keys: Vec<&String> = body
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        let secret = keys
            .iter()
            .any(|k| *k == "client_secret" || *k == "password");
        let flagged = w
            .query
            .as_deref()
            .is_some_and(|q| q.contains("sysparm_input_display_value=true"));
        if secret {
            assert!(
                flagged,
                "secret written without the display-value flag: {}",
                w.path
            );
            assert_eq!(keys.len(), 1, "secret written together with {keys:?}");
        } else {
            assert!(
                !flagged,
                "display-value flag on a request without a secret: {}",
                w.path
            );
        }
    }
    // A record with a secret is activated only once its secret is in.
    let writes = sn.writes();
    for (i, w) in writes.iter().enumerate() {
        let with_secret =
            w.path.contains("/oauth_entity/") || w.path.contains("/basic_auth_credentials/");
        if with_secret && w.method == "PATCH" && w.body.contains(r#""active":"true""#) {
            assert!(
                writes[..i].iter().any(|earlier| earlier.path == w.path
                    && earlier
                        .query
                        .as_deref()
                        .is_some_and(|q| q.contains("sysparm_input_display_value=true"))),
                "{} activated before its secret was written",
                w.path
            );
        }
        if w.method == "POST"
            && (w.path.ends_with("/oauth_entity") || w.path.ends_with("/basic_auth_credentials"))
        {
            assert!(
                !w.body.contains(r#""active":"true""#),
                "{} inserted active",
                w.path
            );
        }
    }
    assert_eq!(sn.secret_reads(), 0, "a password2 column was read back");
    for r in sn.requests() {
        let q = r.query.unwrap_or_default();
        assert!(
            !q.contains("token%2C") && !q.ends_with("%2Ctoken") && !q.contains("fields=token"),
            "the token column was asked for: {q}"
        );
    }
}

#[test]
fn apply_client_credentials_creates_exactly_the_records_and_a_second_run_changes_nothing() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");

    let first = apply(&env, &sn);
    let registry = one(sn.rows("oauth_entity"));
    let expect = [
        (
            "name",
            "Jira Client Credentials OAuth (default) for 1324a887",
        ),
        ("type", "oauth_provider"),
        ("client_id", "spoke-client-id"),
        ("default_grant_type", "client_credentials"),
        ("active", "true"),
    ];
    for (k, v) in expect {
        assert_eq!(registry[k], v, "oauth_entity.{k}");
    }
    let token_url = format!("{}/oauth/token", fake.url());
    assert_eq!(registry["token_url"], token_url);
    assert_eq!(registry["revoke_token_url"], token_url);
    assert_eq!(
        registry["auth_url"], "",
        "client credentials set no authorization URL"
    );
    let rid = registry["sys_id"].clone();
    assert_eq!(
        sn.secret_of("oauth_entity", &rid, "client_secret")
            .as_deref(),
        Some(CLIENT_SECRET)
    );

    let scopes = sn.rows_where("oauth_entity_scope", "oauth_entity", &rid);
    assert_eq!(scopes.len(), 13);
    assert!(scopes.iter().all(|s| s["name"] == s["oauth_entity_scope"]));
    assert!(
        !scopes
            .iter()
            .any(|s| s["oauth_entity_scope"] == "offline_access")
    );

    let profile = one(sn.rows("oauth_entity_profile"));
    assert_eq!(profile["default"], "true");
    assert_eq!(profile["grant_type"], "client_credentials");
    let links = sn.rows("oauth_entity_profile_scope");
    assert_eq!(links.len(), 13);
    let linked: BTreeSet<&str> = links
        .iter()
        .filter(|l| l["oauth_entity_profile"] == profile["sys_id"])
        .map(|l| l["oauth_entity_scope"].as_str())
        .collect();
    let rows: BTreeSet<&str> = scopes.iter().map(|s| s["sys_id"].as_str()).collect();
    assert_eq!(
        linked, rows,
        "every scope row is linked to the default profile"
    );

    let credential = one(sn.rows("oauth_2_0_credentials"));
    assert_eq!(
        credential["name"],
        "Jira Client Credentials cred (default) for 1324a887"
    );
    assert_eq!(credential["oauth_entity_profile"], profile["sys_id"]);
    assert_eq!(credential["active"], "true");

    let connection = one(sn.rows("http_connection"));
    assert_eq!(connection["connection_alias"], ALIAS_SYS_ID);
    assert_eq!(connection["credential"], credential["sys_id"]);
    assert_eq!(
        connection["connection_url"],
        format!("{}/ex/jira/{CLOUD_ID}", fake.url())
    );
    assert_eq!(connection["active"], "true");
    assert_eq!(
        connection["extended_attributes"],
        r#"{"api_version":"2","server_type":"cloud"}"#
    );
    assert_eq!(sn.rows("sys_alias").len(), 1, "the alias is never created");
    assert!(sn.rows("basic_auth_credentials").is_empty());
    assert_secret_hygiene(&sn);

    assert!(
        first.contains("Created 30 and updated 0 records; 1 unchanged."),
        "{first}"
    );
    assert!(
        first.contains(&format!("{}/oauth_entity.do?sys_id={rid}", sn.url())),
        "{first}"
    );
    assert!(
        first.contains("client_secret: (write-only secret"),
        "{first}"
    );
    assert!(
        first
            .trim_end()
            .ends_with("Next:\n  jira-spoke servicenow consent\n  jira-spoke servicenow verify"),
        "the instance is remembered, so the next commands need no --instance:\n{first}"
    );
    assert_eq!(
        env.config_text()
            .matches(&format!("servicenow_instance = \"{}\"", sn.url()))
            .count(),
        1,
        "{}",
        env.config_text()
    );

    let writes = sn.writes().len();
    let second = apply(&env, &sn);
    assert_eq!(sn.writes().len(), writes, "a second apply wrote:\n{second}");
    assert!(
        second.contains("Nothing to change: all 31 records are as wanted."),
        "{second}"
    );
    assert_eq!(sn.rows("oauth_entity").len(), 1);
    assert_eq!(sn.rows("oauth_entity_profile").len(), 1);
}

#[test]
fn apply_authorization_code_adds_offline_access_every_url_and_points_to_consent() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");

    let out = apply(&env, &sn);
    let registry = one(sn.rows("oauth_entity"));
    assert_eq!(registry["default_grant_type"], "authorization_code");
    assert_eq!(registry["auth_url"], format!("{}/authorize", fake.url()));
    assert_eq!(
        registry["refresh_token_url"],
        format!("{}/oauth/token", fake.url())
    );
    // The form fills the Redirect URL; over REST the instance does not, so
    // apply writes it (the fake leaves it as written).
    assert_eq!(
        registry["redirect_url"],
        format!("{}/oauth_redirect.do", sn.url())
    );
    let scopes = sn.rows_where("oauth_entity_scope", "oauth_entity", &registry["sys_id"]);
    assert_eq!(scopes.len(), 17, "the Australia list");
    for scope in [
        "offline_access",
        "read:me",
        "read:account",
        "manage:jira-data-provider",
    ] {
        assert!(
            scopes.iter().any(|s| s["oauth_entity_scope"] == scope),
            "{scope}"
        );
    }
    assert_eq!(sn.rows("oauth_entity_profile_scope").len(), 17);
    assert_eq!(
        one(sn.rows("oauth_entity_profile"))["grant_type"],
        "authorization_code"
    );
    assert_secret_hygiene(&sn);
    assert!(
        out.contains(&format!(
            "callback URL must be {}/oauth_redirect.do",
            sn.url()
        )),
        "{out}"
    );
    assert!(out.contains("  jira-spoke servicenow consent\n"), "{out}");

    let writes = sn.writes().len();
    let again = apply(&env, &sn);
    assert_eq!(sn.writes().len(), writes, "{again}");
}

#[test]
fn apply_api_token_writes_basic_auth_on_the_site_url() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect(&fake).grant(Grant::ApiToken).ok();

    apply(&env, &sn);
    assert!(sn.rows("oauth_entity").is_empty());
    assert!(sn.rows("oauth_2_0_credentials").is_empty());
    let credential = one(sn.rows("basic_auth_credentials"));
    assert_eq!(credential["user_name"], "admin@example.com");
    assert_eq!(credential["active"], "true");
    assert_eq!(
        sn.secret_of("basic_auth_credentials", &credential["sys_id"], "password")
            .as_deref(),
        Some(API_TOKEN)
    );
    let connection = one(sn.rows("http_connection"));
    assert_eq!(connection["connection_url"], fake.url());
    assert_eq!(connection["credential"], credential["sys_id"]);
    assert_eq!(
        connection["extended_attributes"],
        r#"{"api_version":"2","server_type":"cloud"}"#
    );
    assert_secret_hygiene(&sn);

    let (code, stdout, stderr) = run(&env, &sn, &["-vv", "servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("signs in as admin@example.com"), "{stdout}");
    assert!(
        stderr.contains("/api/now/table/basic_auth_credentials → HTTP 200"),
        "{stderr}"
    );
    let writes = sn.writes().len();
    apply(&env, &sn);
    assert_eq!(sn.writes().len(), writes);
}

#[test]
fn verify_names_a_deleted_profile_scope_link_and_apply_repairs_it() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    apply(&env, &sn);
    consent(&env, &sn);
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");

    let jql = one(sn.rows_where("oauth_entity_scope", "oauth_entity_scope", "read:jql:jira"));
    assert_eq!(
        sn.delete_where(
            "oauth_entity_profile_scope",
            "oauth_entity_scope",
            &jql["sys_id"]
        ),
        1
    );

    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 4, "{stdout}");
    assert!(
        stdout.contains("✗ scopes     missing from the default profile: read:jql:jira"),
        "{stdout}"
    );
    assert!(
        stdout.contains("hint: run `jira-spoke servicenow apply` to"),
        "{stdout}"
    );
    assert!(stdout.contains("1 of 10 checks failed."), "{stdout}");

    let (_, json, _) = run(&env, &sn, &["--json", "servicenow", "verify"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["ok"], false);
    let scopes = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "scopes")
        .unwrap();
    assert_eq!(scopes["ok"], false);
    assert!(scopes["detail"].as_str().unwrap().contains("read:jql:jira"));
    assert!(scopes["hint"].is_string());

    let out = apply(&env, &sn);
    assert!(out.contains("Created 1 and updated 0 records"), "{out}");
    assert!(
        out.contains("+ created   OAuth Entity Profile Scope"),
        "{out}"
    );
    assert_eq!(sn.rows("oauth_entity_profile_scope").len(), 13);
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("All 10 checks passed."), "{stdout}");
}

#[test]
fn verify_is_painted_once_by_the_printer_and_never_with_no_color() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    apply(&env, &sn);
    let jql = one(sn.rows_where("oauth_entity_scope", "oauth_entity_scope", "read:jql:jira"));
    sn.delete_where(
        "oauth_entity_profile_scope",
        "oauth_entity_scope",
        &jql["sys_id"],
    );

    // TestEnv sets NO_COLOR=1.
    let (code, stdout, stderr) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 4, "{stdout}");
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(!text.contains('\u{1b}'), "{name}: {text:?}");
        assert!(!text.contains("\\u{1b}"), "{name}: {text:?}");
    }
    assert!(stdout.contains("  ✓ instance"), "{stdout}");
    assert!(stdout.contains("  ✗ scopes"), "{stdout}");

    let (code, stdout, _) = run(&env, &sn, &["--color", "always", "servicenow", "verify"]);
    assert_eq!(code, 4, "{stdout}");
    assert!(
        stdout.contains("  \u{1b}[32m✓\u{1b}[0m instance"),
        "our green mark: {stdout:?}"
    );
    assert!(
        stdout.contains("  \u{1b}[31m✗\u{1b}[0m scopes"),
        "our red mark: {stdout:?}"
    );
    assert!(
        !stdout.contains("\\u{1b}"),
        "a mark painted twice shows its escapes: {stdout:?}"
    );
}

#[test]
fn a_row_carrying_several_scopes_counts_and_is_linked_once() {
    // ServiceNow's Australia procedure puts the classic scopes, space-separated,
    // into one "Classic scopes" row; such a row carries each of them.
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    apply(&env, &sn);
    consent(&env, &sn);
    let rid = one(sn.rows("oauth_entity"))["sys_id"].clone();
    let classic = [
        "manage:jira-configuration",
        "manage:jira-project",
        "manage:jira-webhook",
        "read:jira-work",
        "read:jira-user",
        "write:jira-work",
    ];
    for scope in classic {
        let row = one(sn.rows_where("oauth_entity_scope", "oauth_entity_scope", scope));
        sn.delete_where(
            "oauth_entity_profile_scope",
            "oauth_entity_scope",
            &row["sys_id"],
        );
        sn.delete_where("oauth_entity_scope", "sys_id", &row["sys_id"]);
    }
    let joined = classic.join(" ");
    sn.insert(
        "oauth_entity_scope",
        &[
            ("name", "Classic scopes"),
            ("oauth_entity_scope", &joined),
            ("oauth_entity", &rid),
        ],
    );

    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 4, "{stdout}");
    assert!(
        stdout.contains(&format!("missing from the default profile: {}", classic[0])),
        "{stdout}"
    );
    assert!(!stdout.contains("missing from the registry"), "{stdout}");

    let out = apply(&env, &sn);
    assert!(out.contains("Created 1 and updated 0 records"), "{out}");
    assert!(
        out.contains("(carried by the row `Classic scopes`)"),
        "{out}"
    );
    assert_eq!(
        sn.rows("oauth_entity_scope").len(),
        8,
        "no row per classic scope is added"
    );
    let (code, stdout, _) = run(&env, &sn, &["-vv", "servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");

    let before = sn.snapshot();
    let (code, stdout, stderr) = run(&env, &sn, &["servicenow", "apply", "--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(sn.writes().is_empty(), "{:?}", sn.writes());
    assert_eq!(sn.snapshot(), before);
    assert!(
        stdout.starts_with("Plan (dry run: nothing is written)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+ create    Application Registry"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+ create    OAuth Entity Profile")
            && stdout.contains("ServiceNow creates it with the registry"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Would create 30 and update 0 records; 1 unchanged. Nothing was written."),
        "{stdout}"
    );
    // The store this connection uses, not "the keyring".
    assert!(
        stdout.contains(
            "(write-only secret from the plaintext file store (secrets.json), never shown)"
        ) && !stdout.contains("from the keyring"),
        "{stdout}"
    );

    // Drift shows as field: old → new, and is still not written.
    apply(&env, &sn);
    let connection = one(sn.rows("http_connection"));
    sn.set("http_connection", &connection["sys_id"], "active", "false");
    sn.set(
        "http_connection",
        &connection["sys_id"],
        "extended_attributes",
        "",
    );
    let writes = sn.writes().len();
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "apply", "--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(sn.writes().len(), writes);
    assert!(
        stdout.contains("~ update    HTTP(s) Connection"),
        "{stdout}"
    );
    assert!(stdout.contains("      active: false → true"), "{stdout}");
    assert!(
        !stdout.contains("extended_attributes:"),
        "attributes are advisory, never a change:\n{stdout}"
    );
    assert!(
        stdout.contains("= unchanged Application Registry"),
        "{stdout}"
    );

    let (_, json, _) = run(&env, &sn, &["--json", "servicenow", "apply", "--dry-run"]);
    let plan: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["changed"], true);
    let step = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["table"] == "http_connection")
        .unwrap();
    assert_eq!(step["action"], "update");
    assert_eq!(step["changes"][0]["field"], "active");
    assert_eq!(step["changes"][0]["old"], "false");
    assert_eq!(step["changes"][0]["new"], "true");
}

#[test]
fn drifted_fields_are_set_back_and_verify_names_them() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    apply(&env, &sn);
    let registry = one(sn.rows("oauth_entity"));
    let profile = one(sn.rows("oauth_entity_profile"));
    let connection = one(sn.rows("http_connection"));
    let rid = registry["sys_id"].as_str();
    sn.set("oauth_entity", rid, "refresh_token_url", "");
    sn.set("oauth_entity", rid, "active", "false");
    sn.set(
        "oauth_entity_profile",
        &profile["sys_id"],
        "grant_type",
        "client_credentials",
    );
    sn.set(
        "http_connection",
        &connection["sys_id"],
        "connection_url",
        &format!(
            "{}/ex/jira/00000000-0000-0000-0000-000000000000",
            fake.url()
        ),
    );
    let offline = one(sn.rows_where("oauth_entity_scope", "name", "offline_access"));
    sn.set(
        "oauth_entity_scope",
        &offline["sys_id"],
        "oauth_entity_scope",
        "",
    );

    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_ne!(code, 0);
    for expected in [
        "refresh_token_url is empty (expected",
        "active is false (expected true)",
        "the default profile `Jira Authorization Code OAuth (default) for 1324a887 default_profile`'s grant_type is client_credentials (expected authorization_code)",
        "missing from the registry: offline_access",
        &format!(
            "connection_url has Cloud ID 00000000-0000-0000-0000-000000000000, expected {CLOUD_ID}"
        ),
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }

    let before = sn.writes().len();
    let out = apply(&env, &sn);
    assert!(out.contains("refresh_token_url: (empty) → "), "{out}");
    assert!(
        out.contains("grant_type: client_credentials → authorization_code"),
        "{out}"
    );
    assert!(
        out.contains("oauth_entity_scope: (empty) → offline_access"),
        "{out}"
    );
    // Reactivating the registry writes its secret again first.
    let secret_writes: Vec<_> = sn.writes()[before..]
        .iter()
        .filter(|w| w.body.contains("client_secret"))
        .cloned()
        .collect();
    assert_eq!(secret_writes.len(), 1);
    assert_secret_hygiene(&sn);
    let registry = one(sn.rows("oauth_entity"));
    assert_eq!(registry["active"], "true");
    assert_eq!(
        sn.rows("oauth_entity_scope").len(),
        17,
        "completed, not duplicated"
    );

    let writes = sn.writes().len();
    let again = apply(&env, &sn);
    assert!(again.contains("Nothing to change"), "{again}");
    assert_eq!(sn.writes().len(), writes);
}

#[test]
fn a_partial_earlier_run_is_completed_never_duplicated() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");

    // The secret write fails after the registry insert: it stays inactive.
    sn.fail_next(
        "/api/now/table/oauth_entity/",
        1,
        500,
        &[],
        r#"{"error":{"message":"Transaction cancelled"},"status":"failure"}"#,
    );
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains("the ServiceNow instance failed"),
        "{stderr}"
    );
    let registry = one(sn.rows("oauth_entity"));
    assert_eq!(registry["active"], "false");
    assert_eq!(
        sn.secret_of("oauth_entity", &registry["sys_id"], "client_secret"),
        None
    );

    // The credential insert fails later on (its lookup, in the plan, does not).
    sn.fail_next_on(
        Some("POST"),
        "/api/now/table/oauth_2_0_credentials",
        4,
        503,
        &[("retry-after", "0")],
        "",
    );
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 5, "{stderr}");
    let registry = one(sn.rows("oauth_entity"));
    assert_eq!(registry["active"], "true");
    assert_eq!(
        sn.secret_of("oauth_entity", &registry["sys_id"], "client_secret")
            .as_deref(),
        Some(CLIENT_SECRET)
    );
    assert!(sn.rows("oauth_2_0_credentials").is_empty());

    let out = apply(&env, &sn);
    assert!(out.contains("Created 2 and updated 0 records"), "{out}");
    assert_eq!(sn.rows("oauth_entity").len(), 1);
    assert_eq!(sn.rows("oauth_entity_profile").len(), 1);
    assert_eq!(sn.rows("oauth_entity_scope").len(), 13);
    assert_eq!(sn.rows("oauth_entity_profile_scope").len(), 13);
    assert_eq!(sn.rows("oauth_2_0_credentials").len(), 1);
    assert_eq!(sn.rows("http_connection").len(), 1);
    assert_secret_hygiene(&sn);
}

#[test]
fn a_wrong_admin_password_exits_3_and_writes_nothing() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let before = sn.snapshot();
    let out = env
        .cmd_servicenow(&sn)
        .env("JIRA_SPOKE_SERVICENOW_PASSWORD", "not-the-secret")
        .args(["servicenow", "apply"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "refused basic auth for `{SN_USER}` (HTTP 401): a wrong password, an account that signs in \
             only through SSO, or the instance's Basic Auth Restriction for interactive accounts"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: check the password; for an SSO-only account")
            && stderr.contains("--oauth-client-id ID")
            && stderr.contains("JIRA_SPOKE_SERVICENOW_CLIENT_ID"),
        "{stderr}"
    );
    assert!(sn.writes().is_empty());
    assert_eq!(sn.snapshot(), before);

    let (code, stdout, _) = {
        let out = env
            .cmd_servicenow(&sn)
            .env("JIRA_SPOKE_SERVICENOW_PASSWORD", "not-the-secret")
            .args(["--json", "servicenow", "verify"])
            .checked_output();
        let (o, e) = output_text(&out);
        (out.status.code(), o, e)
    };
    assert_eq!(code, Some(3), "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["checks"][0]["name"], "instance");
    assert_eq!(report["checks"][0]["ok"], false);
}

#[test]
fn missing_roles_are_named_and_the_three_admin_roles_suffice() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");

    sn.configure(|s| s.roles = vec!["oauth_admin".into()]);
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("does not let `admin` read sys_alias (HTTP 403)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "oauth_admin + connection_admin + credential_admin (sys_alias needs connection_admin)"
        ),
        "{stderr}"
    );
    assert!(sn.writes().is_empty());

    sn.configure(|s| {
        s.roles = vec![
            "oauth_admin".into(),
            "connection_admin".into(),
            "credential_admin".into(),
        ]
    });
    let (code, stdout, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: `admin` may not read sys_dictionary"),
        "{stderr}"
    );
    assert!(stdout.contains("Created 30"), "{stdout}");
}

#[test]
fn what_the_instance_lacks_is_named_before_anything_is_written() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");

    sn.remove_column("oauth_entity", "auth_url");
    sn.remove_column("oauth_entity_profile", "grant_type");
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("lacks what the Jira spoke set-up needs: column oauth_entity.auth_url; column oauth_entity_profile.grant_type"),
        "{stderr}"
    );
    assert!(sn.writes().is_empty());

    // A secret column that is not an encrypted password2 one is refused
    // before anything is written: the secret would be kept as plain text.
    let sn = FakeServiceNow::start();
    sn.set_column_type("oauth_entity", "client_secret", "string");
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains(
            "column oauth_entity.client_secret as an encrypted password2 column (it is `string`"
        ),
        "{stderr}"
    );
    assert!(sn.writes().is_empty());

    // The Refresh and Revoke Token URLs are optional: skipped with a note,
    // and a second apply finds nothing to change.
    let sn = FakeServiceNow::start();
    sn.remove_column("oauth_entity", "refresh_token_url");
    sn.remove_column("oauth_entity", "revoke_token_url");
    let (code, stdout, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: the instance has no column oauth_entity.refresh_token_url: the records are written without it"),
        "{stderr}"
    );
    assert!(stdout.contains("Created 38"), "{stdout}");
    let writes = sn.writes().len();
    let again = apply(&env, &sn);
    assert!(again.contains("Nothing to change"), "{again}");
    assert_eq!(sn.writes().len(), writes);

    // Without dictionary access, a lookup on a missing column is still caught:
    // the instance ignores the condition and returns rows without the column.
    let sn = FakeServiceNow::start();
    sn.configure(|s| {
        s.roles = vec![
            "oauth_admin".into(),
            "connection_admin".into(),
            "credential_admin".into(),
        ]
    });
    sn.remove_column("sys_alias", "id");
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("column sys_alias.id (the rows came back without it)"),
        "{stderr}"
    );
    assert!(sn.writes().is_empty());
}

#[test]
fn attributes_the_instance_does_not_keep_are_one_warning_never_a_change() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    sn.configure(|s| s.attributes_not_kept = true);
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr
            .matches("warning: the connection's attributes")
            .count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("nothing needs doing"), "{stderr}");
    let writes = sn.writes().len();
    let (code, again, _) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 0);
    assert!(again.contains("Nothing to change"), "{again}");
    assert_eq!(sn.writes().len(), writes, "a second apply wrote");
    // Consent is not stopped by them, and verify does not fail on them.
    consent(&env, &sn);
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("✓ attributes not set as text on the instance: the spoke's defaults"),
        "{stdout}"
    );
}

#[test]
fn a_missing_alias_or_another_active_connection_stops_before_writing() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    env.connect_cc(&fake, "second");

    let sn = FakeServiceNow::start();
    assert_eq!(sn.delete_where("sys_alias", "id", "sn_jira_spoke.Jira"), 1);
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("has no connection alias with ID sn_jira_spoke.Jira"),
        "{stderr}"
    );
    assert!(stderr.contains("activate the Jira spoke"), "{stderr}");
    assert!(sn.writes().is_empty());

    // An alias named with --alias that has another active connection: the
    // instance's state stops the apply (exit 4) before anything is written.
    let sn = FakeServiceNow::start();
    apply(&env, &sn);
    let writes = sn.writes().len();
    let (code, _, stderr) = run(
        &env,
        &sn,
        &[
            "-c",
            "second",
            "servicenow",
            "apply",
            "--alias",
            "sn_jira_spoke.Jira",
        ],
    );
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains(
            "already has another active connection: `Jira cloud OAuth Connection (default) for 1324a887`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("child alias"), "{stderr}");
    assert_eq!(sn.writes().len(), writes);
    let (code, _, stderr) = run(
        &env,
        &sn,
        &[
            "-c",
            "second",
            "servicenow",
            "apply",
            "--alias",
            "no.such_alias",
        ],
    );
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("has no connection alias with ID no.such_alias"),
        "{stderr}"
    );
    assert_eq!(sn.writes().len(), writes);
}

#[test]
fn rate_limits_pages_and_unknown_connections_fail_plainly() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    sn.fail_next(
        "/api/now/table/sys_alias",
        2,
        429,
        &[("retry-after", "0")],
        r#"{"error":{"message":"Rate limit exceeded","detail":"Rate limit of 100 requests per hour for Table API exceeded"},"status":"failure"}"#,
    );
    apply(&env, &sn);
    let alias_reads = sn.requests_to_alias();
    assert_eq!(
        alias_reads, 3,
        "two 429s, then the answer, which the plan and the apply share"
    );

    sn.fail_next(
        "/api/now/table/sys_alias",
        9,
        429,
        &[("retry-after", "0")],
        "{}",
    );
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 5, "{stdout}");
    assert!(
        stdout.contains("is rate limiting requests (HTTP 429"),
        "{stdout}"
    );

    // A hibernating developer instance answers with a page, not JSON.
    sn.fail_next(
        "/api/now/table/sys_dictionary",
        1,
        200,
        &[("content-type", "text/html")],
        "<!DOCTYPE html><html><body>Your instance is hibernating</body></html>",
    );
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains("an HTML page where JSON was expected"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hibernating developer instance"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("Your instance"),
        "the page is described, not dumped"
    );

    let (code, _, stderr) = run(&env, &sn, &["-c", "nope", "servicenow", "verify"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("no connection named `nope`"), "{stderr}");
}

#[test]
fn servicenow_commands_use_the_runs_one_http_client_and_its_timeout() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    for command in ["apply", "verify"] {
        sn.fail_next(
            "/api/now/table/sys_alias",
            1,
            429,
            &[("retry-after", "120")],
            "{}",
        );
        let started = std::time::Instant::now();
        let (code, stdout, stderr) = run(&env, &sn, &["--timeout", "3", "servicenow", command]);
        assert_eq!(code, 5, "{command}: {stdout}{stderr}");
        assert!(
            format!("{stdout}{stderr}").contains("waiting would exceed --timeout 3 s"),
            "{command}: {stdout}{stderr}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "{command} waited out the Retry-After"
        );
    }
}

trait AliasReads {
    fn requests_to_alias(&self) -> usize;
}

impl AliasReads for FakeServiceNow {
    fn requests_to_alias(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path == "/api/now/table/sys_alias")
            .count()
    }
}

#[test]
fn consent_succeeds_when_the_initiator_page_is_visited() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    apply(&env, &sn);
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 3, "consent not given yet:\n{stdout}");
    assert!(
        stdout
            .contains("✗ token      no refresh token for `Jira Authorization Code cred (default) for 1324a887`"),
        "{stdout}"
    );

    let out = env
        .cmd_servicenow(&sn)
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "30"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let credential = one(sn.rows("oauth_2_0_credentials"));
    let profile = one(sn.rows("oauth_entity_profile"));
    assert!(
        stderr.contains(&format!(
            "{}/oauth_initiator.do?oauth_requestor_context=oauth_2_0_credentials&oauth_requestor={}&oauth_provider_profile={}&response_type=code",
            sn.url(),
            credential["sys_id"],
            profile["sys_id"]
        )),
        "{stderr}"
    );
    assert!(
        stdout.contains("✓ ServiceNow holds a refresh token for `Jira Authorization Code cred (default) for 1324a887`, valid for 90 d."),
        "{stdout}"
    );
    assert_eq!(sn.rows("oauth_credential").len(), 1);

    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("✓ token      ServiceNow holds a refresh token, valid for 90 d more"),
        "{stdout}"
    );
    assert_secret_hygiene(&sn);
}

#[test]
fn consent_times_out_with_the_usual_causes() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    apply(&env, &sn);
    sn.configure(|s| s.consent_works = false);
    let out = env
        .cmd_servicenow(&sn)
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "1"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("no refresh token reached ServiceNow"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "callback URL is not exactly {}/oauth_redirect.do",
            sn.url()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("consent was not given") && stderr.contains("not signed in to ServiceNow"),
        "{stderr}"
    );
    assert!(sn.rows("oauth_credential").is_empty());

    // An expired refresh token fails verify.
    sn.configure(|s| {
        s.consent_works = true;
        s.refresh_token_lifetime_secs = -60;
    });
    let out = env
        .cmd_servicenow(&sn)
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "1"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "an expired token is not a consent: {stderr}"
    );
    assert!(
        stderr.contains("stored a token for `Jira Authorization Code cred (default) for 1324a887` that has already expired"),
        "said at once, not waited past: {stderr}"
    );
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 3);
    assert!(
        stdout.contains(
            "the refresh token ServiceNow holds for `Jira Authorization Code cred (default) for 1324a887` has expired"
        ),
        "{stdout}"
    );
}

#[test]
fn client_credentials_consent_leaves_an_access_token_newer_than_its_start() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    sn.configure(|s| s.atlassian_client_secret = Some(CLIENT_SECRET.into()));
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    apply(&env, &sn);
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 3, "the stored secret is not proven yet:\n{stdout}");
    assert!(
        stdout.contains("✗ token      ServiceNow holds no token for `Jira Client Credentials cred (default) for 1324a887`: the client secret it stored is not proven"),
        "{stdout}"
    );
    assert!(
        stdout.contains("hint: run `jira-spoke servicenow consent`"),
        "{stdout}"
    );

    let out = env
        .cmd_servicenow(&sn)
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "30"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let credential = one(sn.rows("oauth_2_0_credentials"));
    assert!(
        stderr.contains(&format!("oauth_requestor={}", credential["sys_id"])),
        "{stderr}"
    );
    assert!(
        stdout.contains("✓ ServiceNow holds an access token for `Jira Client Credentials cred (default) for 1324a887`, valid for")
            && stdout.contains(": the client secret it stored works."),
        "{stdout}"
    );
    let token = one(sn.rows("oauth_credential"));
    assert_eq!(token["type"], "access_token");

    // A token left by an earlier consent does not count: the next consent
    // waits for a new one, and times out when the page is never visited.
    let out = env
        .cmd_servicenow(&sn)
        .env("BROWSER", "true")
        .args(["servicenow", "consent", "--wait", "2"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(
            "fetched no access token for `Jira Client Credentials cred (default) for 1324a887` within 2 s"
        ),
        "{stderr}"
    );

    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(
            "✓ token      ServiceNow holds an access token it fetched with the stored client secret"
        ),
        "{stdout}"
    );
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "consent", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("client credentials"), "{stdout}");
    assert_secret_hygiene(&sn);
}

#[test]
fn client_credentials_consent_catches_a_secret_stored_the_wrong_way() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    sn.configure(|s| s.atlassian_client_secret = Some(CLIENT_SECRET.into()));
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    apply(&env, &sn);
    // Another tool wrote the secret without the display-value flag: a real
    // instance keeps it silently, and only "Get OAuth Token" shows it fails.
    let registry = one(sn.rows("oauth_entity"));
    let agent = reqwest_free_patch(
        &sn,
        &format!("/api/now/table/oauth_entity/{}", registry["sys_id"]),
        &format!(r#"{{"client_secret":"{CLIENT_SECRET}"}}"#),
    );
    assert_eq!(agent, 200, "stored silently");
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 3, "{stdout}");

    let out = env
        .cmd_servicenow(&sn)
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "2"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(
            "fetched no access token for `Jira Client Credentials cred (default) for 1324a887`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("`invalid_client`: the client secret ServiceNow stored is not the app's")
            && stderr.contains("--write-secrets")
            && stderr.contains(&format!(
                "ServiceNow asks {}/oauth/token for the scopes manage:jira-configuration",
                fake.url()
            )),
        "{stderr}"
    );
    assert!(sn.rows("oauth_credential").is_empty());

    // Written again the right way, the secret is proven.
    let (code, _, stderr) = run(&env, &sn, &["servicenow", "apply", "--write-secrets"]);
    assert_eq!(code, 0, "{stderr}");
    consent(&env, &sn);
    let (code, stdout, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
}

/// A PATCH as another tool would send it (basic auth, no display-value
/// flag); returns the status.
fn reqwest_free_patch(sn: &FakeServiceNow, path: &str, body: &str) -> u16 {
    use std::io::{Read, Write};
    let url = url::Url::parse(&sn.url()).unwrap();
    let mut stream =
        std::net::TcpStream::connect((url.host_str().unwrap(), url.port().unwrap())).unwrap();
    let auth = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{SN_USER}:{SN_PASSWORD}"),
    );
    write!(
        stream,
        "PATCH {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Basic {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        url.host_str().unwrap(),
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn admin_credentials_come_from_env_stdin_or_a_prompt_never_argv() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");

    let out = env
        .cmd()
        .args(["servicenow", "apply", "--dry-run", "--instance", &sn.url()])
        .checked_output();
    assert_eq!(out.status.code(), Some(2));
    let stderr = output_text(&out).1;
    assert!(
        stderr.contains("no way to sign in to ServiceNow at")
            && stderr.contains("servicenow login --instance")
            && stderr.contains("JIRA_SPOKE_SERVICENOW_TOKEN"),
        "{stderr}"
    );

    let out = env
        .cmd()
        .args(["servicenow", "apply", "--dry-run", "--instance", &sn.url()])
        .args(["--servicenow-user", SN_USER, "--servicenow-password-stdin"])
        .write_stdin(format!("{SN_PASSWORD}\n"))
        .checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);

    let out = env
        .cmd()
        .args([
            "servicenow",
            "apply",
            "--instance",
            "http://snow.example.com",
        ])
        .args(["--servicenow-user", SN_USER])
        .checked_output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        output_text(&out).1.contains("plain http://"),
        "{}",
        output_text(&out).1
    );

    let out = env
        .cmd()
        .args([
            "servicenow",
            "verify",
            "--instance",
            &sn.url(),
            "--servicenow-password",
            "x",
        ])
        .checked_output();
    assert_eq!(out.status.code(), Some(2), "there is no password flag");
}

#[test]
fn readme_transcript() {
    // The README's "A full run" transcript, compared on every run
    // (`JIRA_SPOKE_BLESS=1` rewrites it).
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    let (_, plan, _) = run(&env, &sn, &["servicenow", "apply", "--dry-run"]);
    let applied = apply(&env, &sn);
    let again = apply(&env, &sn);
    let out = env
        .cmd_servicenow(&sn)
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "30"])
        .checked_output();
    let (consent, consent_err) = output_text(&out);
    let (code, verify, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{verify}");
    let shown = format!(
        "{}\n\n$ jira-spoke servicenow apply\n{}\n\n$ jira-spoke servicenow apply\n{}\n\
         $ jira-spoke servicenow consent\n{consent_err}{consent}\n$ jira-spoke servicenow verify\n{verify}",
        plan_elided(&plan),
        scope_rows_elided(&applied),
        again
    );
    let config_dir = env.config_dir().display().to_string();
    let hosts = Hosts {
        atlassian: &fake.url(),
        servicenow: Some(&sn.url()),
        callback: None,
        config_dir: &config_dir,
    };
    readme::assert_transcript(
        "servicenow-full-run",
        "jira-spoke servicenow apply --dry-run",
        &readme::filtered(&shown, &hosts),
    );
}

/// A plan as the README shows it: its first records, then its totals on.
fn plan_elided(plan: &str) -> String {
    let lines: Vec<&str> = plan.lines().collect();
    let totals = lines
        .iter()
        .position(|l| l.starts_with("Would create"))
        .expect("the plan's totals");
    let records: Vec<&str> = lines[..totals]
        .iter()
        .copied()
        .filter(|l| !l.starts_with("      "))
        .take(3)
        .collect();
    format!(
        "{}\n  …\n{}",
        records.join("\n"),
        lines[totals..].join("\n")
    )
}

/// A report with its scope rows and their links told as a count after
/// the first of each.
fn scope_rows_elided(report: &str) -> String {
    let is = |line: &str, record: &str| {
        line.get(14..)
            .is_some_and(|rest| rest.starts_with(&format!("{record:<31}")))
    };
    let scopes = report
        .lines()
        .filter(|l| is(l, "OAuth Entity Scope"))
        .count();
    let links = report
        .lines()
        .filter(|l| is(l, "OAuth Entity Profile Scope"))
        .count();
    let mut out = Vec::new();
    let mut last_record_kept = true;
    for line in report.lines() {
        let scope = is(line, "OAuth Entity Scope");
        let link = is(line, "OAuth Entity Profile Scope");
        if line.starts_with("      ") {
            if last_record_kept {
                out.push(line.to_owned());
            }
            continue;
        }
        last_record_kept = true;
        let first_of_kind = |kind: &str| !out.iter().any(|l: &String| is(l, kind));
        if scope && first_of_kind("OAuth Entity Scope") {
            out.push(line.to_owned());
            out.push(format!(
                "  …{:42}({} more OAuth Entity Scope rows, {} more OAuth Entity Profile Scope rows)",
                "",
                scopes - 1,
                links - 1
            ));
        } else if link && first_of_kind("OAuth Entity Profile Scope") {
            out.push(line.to_owned());
        } else if scope || link {
            last_record_kept = false;
        } else {
            out.push(line.to_owned());
        }
    }
    out.join("\n")
}

#[test]
fn login_keeps_the_admin_for_an_instance_and_logout_forgets_it() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");

    let out = env
        .cmd_servicenow(&sn)
        .env("JIRA_SPOKE_SERVICENOW_PASSWORD", "not-the-secret")
        .args(["servicenow", "login"])
        .checked_output();
    assert_eq!(out.status.code(), Some(3), "a wrong password is not kept");
    assert!(
        !env.config_dir().join("secrets.json").exists()
            || !std::fs::read_to_string(env.config_dir().join("secrets.json"))
                .unwrap()
                .contains("servicenow@")
    );

    let (code, stdout, stderr) = run(&env, &sn, &["servicenow", "login"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Signed in to")
            && stdout
                .contains("(user `admin` with its password) and kept the login in the plaintext file store (secrets.json)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("warning: the file store keeps the login in plaintext"),
        "as connect warns for its secrets: {stderr}"
    );

    // No user, no password in the environment: the kept login is used.
    let bare = |args: &[&str]| {
        let out = env
            .cmd()
            .args(args)
            .args(["--instance", &sn.url()])
            .checked_output();
        let (o, e) = output_text(&out);
        (out.status.code(), o, e)
    };
    let (code, stdout, stderr) = bare(&["servicenow", "apply"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Created 30"), "{stdout}");

    let (code, stdout, _) = bare(&["servicenow", "logout"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("Forgot the login"), "{stdout}");
    let (code, _, stderr) = bare(&["servicenow", "verify"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("no way to sign in to ServiceNow"),
        "{stderr}"
    );
    assert!(stderr.contains("jira-spoke servicenow login"), "{stderr}");
}
