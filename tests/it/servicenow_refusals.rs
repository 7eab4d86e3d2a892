//! What stops `servicenow apply` before it writes, and how it signs in: a
//! wrong password, missing roles, what the instance lacks, the alias missing
//! or taken, rate limits and paging, the run's HTTP client and timeout, the
//! admin's credentials never in argv, a login kept and forgotten.

use serde_json::Value;

use crate::servicenow::{apply, consent, run};
use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER};
use crate::support::{CheckedOutput, FakeAtlassian, FakeServiceNow, TestEnv, output_text};

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
