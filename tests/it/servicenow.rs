//! `servicenow apply | verify` against the fake ServiceNow instance
//! (`support/servicenow_fake.rs`): the exact records for each grant, a second
//! run that changes nothing, drift and partial runs repaired, the plan of a
//! dry run, and no secret in any output. What stops an apply is
//! `servicenow_refusals.rs`'s, consent `servicenow_consent.rs`'s; the
//! helpers here are theirs too.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::servicenow_fake::{ALIAS_SYS_ID, Row};
use crate::support::{CheckedOutput, FakeAtlassian, FakeServiceNow, Grant, TestEnv, output_text};

pub(crate) const CLIENT_SECRET: &str = "spoke-client-secret-XYZ123";
pub(crate) const API_TOKEN: &str = "api-token-SECRET-456";
pub(crate) const CLOUD_ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

/// Runs `jira-spoke <args>` signed in to `sn`; returns (exit code, stdout, stderr).
pub(crate) fn run(env: &TestEnv, sn: &FakeServiceNow, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd_servicenow(sn).args(args).checked_output();
    let (stdout, stderr) = output_text(&out);
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

pub(crate) fn apply(env: &TestEnv, sn: &FakeServiceNow) -> String {
    let (code, stdout, stderr) = run(env, sn, &["servicenow", "apply"]);
    assert_eq!(code, 0, "apply failed:\n{stdout}\n{stderr}");
    stdout
}

/// Runs "Get OAuth Token" with a browser that only visits the page, which
/// must succeed; returns its stdout and stderr.
pub(crate) fn consent(env: &TestEnv, sn: &FakeServiceNow) -> (String, String) {
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
    (stdout, stderr)
}

pub(crate) fn one(rows: Vec<Row>) -> Row {
    assert_eq!(rows.len(), 1, "{rows:#?}");
    rows.into_iter().next().unwrap()
}

/// Every write of a password2 column is a request of its own with the
/// display-value flag; no response ever carried one back.
pub(crate) fn assert_secret_hygiene(sn: &FakeServiceNow) {
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
