//! Signing in to ServiceNow as real instances allow it now: OAuth client
//! credentials for CI, a bearer token, a browser login kept and renewed
//! silently, and 401s read for what they are (MFA, Basic Auth Restriction).
//! Roles are checked before anything is written, and reads that ACLs filter
//! are "cannot read", never "the instance lacks".

use serde_json::Value;

use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER, SnClient};
use crate::support::{
    CheckedOutput, FakeAtlassian, FakeServiceNow, TestEnv, free_port, output_text,
};

const SN_CLIENT_ID: &str = "9f2c0e5ab1d94d3f8e6a7b0c1d2e3f40";
const SN_CLIENT_SECRET: &str = "sn-client-SECRET-321";

/// Runs `jira-spoke <args>` with `--instance` and the given environment
/// only: no ServiceNow user or password.
fn run_with(
    env: &TestEnv,
    sn: &FakeServiceNow,
    vars: &[(&str, &str)],
    args: &[&str],
) -> (i32, String, String) {
    let mut cmd = env.cmd();
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd
        .args(args)
        .args(["--instance", &sn.url()])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

/// An inbound OAuth client on the fake, acting as an admin when it uses
/// client credentials.
fn register_client(sn: &FakeServiceNow, redirect_url: &str) {
    let redirect_url = redirect_url.to_owned();
    sn.configure(|s| {
        s.oauth_clients.push(SnClient {
            id: SN_CLIENT_ID.into(),
            secret: Some(SN_CLIENT_SECRET.into()),
            redirect_url,
            app_user: Some("jira_spoke_ci".into()),
        });
        // Interactive accounts may not use basic auth on this instance.
        s.basic_auth_restricted = true;
    });
}

#[test]
fn ci_applies_and_verifies_with_oauth_client_credentials_only() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    register_client(&sn, "http://localhost:8766/callback");
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let ci = [
        ("JIRA_SPOKE_SERVICENOW_CLIENT_ID", SN_CLIENT_ID),
        ("JIRA_SPOKE_SERVICENOW_CLIENT_SECRET", SN_CLIENT_SECRET),
    ];

    // Without the system property the instance refuses the grant: named.
    let (code, _, stderr) = run_with(&env, &sn, &ci, &["servicenow", "apply"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("refused OAuth client credentials")
            && stderr.contains("unsupported_grant_type")
            && stderr.contains("glide.oauth.inbound.client.credential.grant_type.enabled"),
        "{stderr}"
    );
    assert!(sn.writes().is_empty());

    sn.configure(|s| s.client_credentials_enabled = true);
    let (code, stdout, stderr) = run_with(&env, &sn, &ci, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Created 30"), "{stdout}");
    let token = sn
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth_token.do")
        .expect("a token request");
    assert_eq!(
        token.param("grant_type").as_deref(),
        Some("client_credentials")
    );
    assert_eq!(
        token.content_type(),
        Some("application/x-www-form-urlencoded")
    );
    let tables: Vec<_> = sn
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/now/table/"))
        .collect();
    assert!(
        tables.iter().all(|r| r
            .header("authorization")
            .is_some_and(|a| a.starts_with("Bearer "))),
        "every Table API request carries the bearer token"
    );
    assert!(
        tables.iter().all(|r| r.header("cookie").is_none()),
        "no session cookie"
    );

    // verify needs no --instance now: the connection remembers it.
    let mut cmd = env.cmd();
    for (k, v) in ci {
        cmd.env(k, v);
    }
    let out = cmd
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "30"])
        .checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    let mut cmd = env.cmd();
    for (k, v) in ci {
        cmd.env(k, v);
    }
    let out = cmd.args(["servicenow", "verify"]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("signed in to") && stdout.contains("with OAuth client credentials"),
        "{stdout}"
    );

    // Without an OAuth application user the instance denies the grant.
    sn.configure(|s| s.oauth_clients[0].app_user = None);
    let (code, _, stderr) = run_with(&env, &sn, &ci, &["servicenow", "verify"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("access_denied") && stderr.contains("OAuth application user"),
        "{stderr}"
    );

    // A wrong secret is the client's.
    let wrong = [
        ("JIRA_SPOKE_SERVICENOW_CLIENT_ID", SN_CLIENT_ID),
        ("JIRA_SPOKE_SERVICENOW_CLIENT_SECRET", "not-the-secret"),
    ];
    let (code, _, stderr) = run_with(&env, &sn, &wrong, &["servicenow", "verify"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("invalid_client"), "{stderr}");
}

#[test]
fn a_bearer_token_from_the_environment_is_used_as_is() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    register_client(&sn, "http://localhost:8766/callback");
    sn.configure(|s| s.client_credentials_enabled = true);
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let token = sn.issue_token();
    let vars = [("JIRA_SPOKE_SERVICENOW_TOKEN", token.as_str())];
    let (code, _, stderr) = run_with(&env, &sn, &vars, &["servicenow", "apply"]);
    assert_eq!(code, 0, "{stderr}");
    let out = env
        .cmd()
        .env("JIRA_SPOKE_SERVICENOW_TOKEN", &token)
        .env("BROWSER", env.curl_browser())
        .args(["servicenow", "consent", "--wait", "30"])
        .checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    let (code, stdout, _) = run_with(&env, &sn, &vars, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("with the token in JIRA_SPOKE_SERVICENOW_TOKEN"),
        "{stdout}"
    );
    assert!(
        !sn.requests().iter().any(|r| r.path == "/oauth_token.do"),
        "the token is used as is"
    );
    assert_no_token_in(&env, &token);

    let vars = [("JIRA_SPOKE_SERVICENOW_TOKEN", "sn-at-made-up")];
    let (code, _, stderr) = run_with(&env, &sn, &vars, &["servicenow", "apply"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains(
            "refused the OAuth token from the token in JIRA_SPOKE_SERVICENOW_TOKEN (HTTP 401)"
        ) && stderr.contains("has expired or was not issued by this instance"),
        "{stderr}"
    );
}

fn assert_no_token_in(env: &TestEnv, token: &str) {
    let config = env.config_text();
    assert!(!config.contains(token), "a token in config.toml");
    let secrets =
        std::fs::read_to_string(env.config_dir().join("secrets.json")).unwrap_or_default();
    assert!(!secrets.contains(token), "a given token was kept");
}

#[test]
fn a_browser_login_is_kept_and_renewed_silently_then_every_command_needs_nothing() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let port = free_port();
    let redirect = format!("http://127.0.0.1:{port}/callback");
    register_client(&sn, &redirect);
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");

    // SSO and MFA happen in the browser; basic auth is refused here.
    let out = env
        .cmd()
        .env("BROWSER", env.curl_browser())
        .env("JIRA_SPOKE_SERVICENOW_CLIENT_SECRET", SN_CLIENT_SECRET)
        .args([
            "--store",
            "file",
            "servicenow",
            "login",
            "--instance",
            &sn.url(),
        ])
        .args([
            "--oauth-client-id",
            SN_CLIENT_ID,
            "--redirect-uri",
            &redirect,
        ])
        .timeout(std::time::Duration::from_secs(60))
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "The OAuth client `{SN_CLIENT_ID}` on {} must have this Redirect URL: {redirect}",
            sn.url()
        )),
        "{stderr}"
    );
    assert!(
        stdout.contains(&format!(
            "(a browser sign-in through OAuth client `{SN_CLIENT_ID}`) and kept the login in the plaintext file store (secrets.json)"
        )),
        "{stdout}"
    );
    let authorize = sn
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth_auth.do")
        .expect("the browser reached the instance");
    assert!(
        authorize
            .query
            .unwrap()
            .contains("code_challenge_method=S256")
    );
    let secrets = std::fs::read_to_string(env.config_dir().join("secrets.json")).unwrap();
    assert!(secrets.contains("servicenow@"), "kept in the file store");

    // Nothing given afterwards: no --store, no user, no --instance once
    // applied. The kept refresh token is renewed silently each time.
    let bare = |args: &[&str]| {
        let out = env
            .cmd()
            .env_remove("JIRA_SPOKE_STORE")
            .env("BROWSER", env.curl_browser())
            .args(args)
            .checked_output();
        let (o, e) = output_text(&out);
        (out.status.code().unwrap_or(-1), o, e)
    };
    let (code, stdout, stderr) = bare(&["servicenow", "apply", "--instance", &sn.url()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Created 38"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with("Next:\n  jira-spoke servicenow consent\n  jira-spoke servicenow verify"),
        "{stdout}"
    );
    let (code, _, stderr) = bare(&["servicenow", "consent", "--wait", "30"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = bare(&["servicenow", "verify"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("with the browser login kept by `jira-spoke servicenow login`"),
        "{stdout}"
    );
    let refreshes = sn
        .requests()
        .into_iter()
        .filter(|r| {
            r.path == "/oauth_token.do" && r.param("grant_type").as_deref() == Some("refresh_token")
        })
        .count();
    assert_eq!(refreshes, 3, "one renewal per command");
    assert!(!env.config_text().contains("sn-"), "{}", env.config_text());

    // `list` shows the instance the connection remembers.
    let (_, list, _) = bare(&["--json", "list"]);
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(
        list["connections"][0]["servicenow_instance"].as_str(),
        Some(sn.url().as_str()),
        "{list}"
    );

    // A revoked login says so and how to sign in again.
    sn.configure(|s| s.issued.refresh.clear());
    let (code, _, stderr) = bare(&["servicenow", "verify"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("invalid_grant")
            && stderr.contains("the kept login has expired or was revoked"),
        "{stderr}"
    );
    let (code, stdout, _) = bare(&["servicenow", "logout"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Forgot the login"), "{stdout}");
}

#[test]
fn a_401_is_read_for_mfa_and_for_basic_auth_restriction() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    sn.configure(|s| s.mfa = true);
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "apply"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "asks `{SN_USER}` for a multi-factor code (HTTP 401 with X-MFA_TOKEN)"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("--oauth-client-id ID"), "{stderr}");
    assert!(sn.writes().is_empty());

    let sn = FakeServiceNow::start();
    sn.configure(|s| s.basic_auth_restricted = true);
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "login"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("Basic Auth Restriction")
            && stderr.contains("sign in through OAuth instead"),
        "{stderr}"
    );
    assert!(
        !std::fs::read_to_string(env.config_dir().join("secrets.json"))
            .unwrap_or_default()
            .contains("servicenow@"),
        "a refused login is not kept"
    );
    let _ = SN_PASSWORD;
}

#[test]
fn a_missing_role_stops_apply_before_it_writes_and_filtered_reads_are_not_absences() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    sn.configure(|s| s.roles = vec!["oauth_admin".into(), "credential_admin".into()]);
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    // Row-level ACLs: the dictionary and aliases answer 200 with no rows
    // (the tables themselves may be read).
    sn.configure(|s| {
        s.row_filtered = vec!["sys_dictionary".into(), "sys_alias".into()];
        s.reads_need_roles = false;
    });
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "apply"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "never a false exit 4:\n{stderr}"
    );
    assert!(
        stderr.contains("cannot read sys_alias (no rows came back, and it lacks connection_admin)"),
        "{stderr}"
    );
    assert!(sn.writes().is_empty());

    // The alias readable, the role for connections still missing: named
    // before anything is written.
    sn.configure(|s| s.row_filtered = vec!["sys_dictionary".into()]);
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "apply"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("`admin` on")
            && stderr.contains("lacks what `servicenow apply` needs to write: the role connection_admin (for http_connection)"),
        "{stderr}"
    );
    assert!(sn.writes().is_empty(), "nothing was written");

    // An admin whose dictionary reads ACLs filter: not "the instance lacks
    // every table", only a note that the columns were not checked.
    sn.configure(|s| s.roles = vec!["admin".into()]);
    let out = env
        .cmd_servicenow(&sn)
        .args(["servicenow", "apply"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: `admin` read no rows of sys_dictionary (an ACL filters them)"),
        "{stderr}"
    );
}

/// `servicenow login` at a terminal with no keyring: the store is probed
/// before the user or password is asked, so nothing is typed in vain.
#[cfg(target_os = "linux")]
#[test]
fn login_without_a_keyring_says_so_before_asking_for_the_password() {
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let runtime_dir = tempfile::tempdir().unwrap();
    let mut cmd = env.std_cmd();
    cmd.env("TERM", "xterm")
        .env("JIRA_SPOKE_STORE", "keyring")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/jira-spoke-test-bus",
        )
        .env("XDG_RUNTIME_DIR", runtime_dir.path())
        .args(["servicenow", "login", "--instance", &sn.url()]);
    let mut pty = crate::support::pty::PtySession::spawn(cmd).expect("spawn in a pty");
    pty.read_to_eof();
    let code = pty.wait().code();
    let screen = pty.transcript();
    assert_eq!(code, Some(6), "{screen}");
    assert!(
        screen.contains("no Secret Service is running (no D-Bus session)"),
        "{screen}"
    );
    assert!(
        !screen.contains("ServiceNow user") && !screen.to_lowercase().contains("password ›"),
        "asked before the keyring was probed: {screen}"
    );
    assert!(sn.requests().is_empty(), "nothing was tried");
}
