//! jira-spoke against peers nobody on this project wrote: panva's certified
//! `oidc-provider` as the OAuth server, and Debian's Chromium driven by
//! playwright-core as the browser. The Jira API side stays the fake (it
//! accepts the provider's tokens); the provider itself confirms, by
//! introspection, that the tokens jira-spoke hands out are live.
//!
//! Needs `npm ci --prefix tests/peers` (and Chromium for the browser test);
//! `.ci/run` installs both. A missing peer fails the test (see
//! [`crate::support::peers`]).

#![cfg(unix)]

use crate::support::CheckedOutput;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{FakeAtlassian, Grant, TestEnv, assert_no_secrets, output_text};

const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const SECRET_3LO: &str = "3lo-secret-ABC123xyz";
const SECRET_SVC: &str = "svc-secret-DEF456xyz";

use crate::support::peers::{self, peers_dir};

/// oidc-provider on a loopback port it chose itself.
struct Oidc {
    child: Child,
    url: String,
}

impl Oidc {
    fn start() -> Oidc {
        let mut child = Command::new("node")
            .arg(peers_dir().join("oidc.mjs"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port: u16 = line
            .strip_prefix("ready ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("oidc-provider did not start: {line:?}"));
        Oidc {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Asks the provider whether `token` is an active token it issued.
    fn introspect(&self, token: &str) -> serde_json::Value {
        let url = format!("{}/token/introspection", self.url);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            reqwest::Client::new()
                .post(url)
                .basic_auth("introspector", Some("introspector-secret"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("token={token}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        })
    }
}

impl Drop for Oidc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An executable `$BROWSER` that runs a node driver script on the URL.
fn browser(env: &TestEnv, script: &str, extra: &str) -> PathBuf {
    let path = env.root().join(format!("{script}.sh"));
    let driver = peers_dir().join(script);
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\n{extra} exec node '{}' \"$1\" >> '{}.log' 2>&1\n",
            driver.display(),
            path.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// `connect` through the fake's site with oidc-provider as the OAuth server.
fn connect_3lo(
    env: &TestEnv,
    fake: &FakeAtlassian,
    oidc: &Oidc,
    browser: &Path,
) -> std::process::Output {
    env.connect(fake)
        .grant(Grant::AuthorizationCode)
        .client_id("jira-spoke-3lo")
        .secret(SECRET_3LO)
        .browser(browser)
        .callback_timeout("60")
        .args(["--authorize-url", &format!("{}/auth", oidc.url)])
        .args(["--token-url", &format!("{}/token", oidc.url)])
        .args(["--scopes", "read:jira-work read:jira-user"])
        .timeout(Duration::from_secs(120))
        .run()
}

fn token(env: &TestEnv, fake: &FakeAtlassian) -> String {
    let out = env.cmd_with_fake(fake).arg("token").checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
    output_text(&out).0.trim().to_owned()
}

fn fake_accepting_foreign_tokens() -> FakeAtlassian {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.accept_any_bearer = true);
    fake
}

#[test]
fn authorization_code_pkce_and_rotating_refresh_against_oidc_provider() {
    if !peers::npm("authorization_code_pkce_and_rotating_refresh_against_oidc_provider") {
        return;
    }
    let oidc = Oidc::start();
    let fake = fake_accepting_foreign_tokens();
    let env = TestEnv::new();
    let out = connect_3lo(&env, &fake, &oidc, &browser(&env, "consent.mjs", ""));
    let (stdout, stderr) = output_text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {stderr}"
    );

    let first = token(&env, &fake);
    assert_eq!(
        oidc.introspect(&first)["active"],
        true,
        "the provider knows the token"
    );

    env.expire_tokens();
    let refreshed = token(&env, &fake);
    assert_ne!(refreshed, first, "a new token after refresh");
    assert_eq!(oidc.introspect(&refreshed)["active"], true);
    env.expire_tokens();
    let again = token(&env, &fake);
    assert_eq!(
        oidc.introspect(&again)["active"],
        true,
        "the rotated refresh token worked too"
    );
    assert_no_secrets(
        &[
            ("stdout", &stdout),
            ("stderr", &stderr),
            ("config", &env.config_text()),
        ],
        &[SECRET_3LO, &first],
    );
}

#[test]
fn a_denied_consent_at_oidc_provider_exits_3() {
    if !peers::npm("a_denied_consent_at_oidc_provider_exits_3") {
        return;
    }
    let oidc = Oidc::start();
    let fake = fake_accepting_foreign_tokens();
    let env = TestEnv::new();
    let out = connect_3lo(
        &env,
        &fake,
        &oidc,
        &browser(&env, "consent.mjs", "CONSENT=deny"),
    );
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("consent was denied in the browser (access_denied"),
        "{stderr}"
    );
    assert!(env.config_text().is_empty());
}

#[test]
fn client_credentials_against_oidc_provider() {
    if !peers::npm("client_credentials_against_oidc_provider") {
        return;
    }
    let oidc = Oidc::start();
    let fake = fake_accepting_foreign_tokens();
    let env = TestEnv::new();
    env.connect(&fake)
        .client_id("jira-spoke-svc")
        .secret(SECRET_SVC)
        .cloud_id(ID)
        .args(["--token-url", &format!("{}/token", oidc.url)])
        .ok();
    let access = token(&env, &fake);
    let info = oidc.introspect(&access);
    assert_eq!(info["active"], true, "{info}");
    assert_eq!(info["client_id"], "jira-spoke-svc");

    let out = env
        .connect(&fake)
        .name("wrong")
        .client_id("jira-spoke-svc")
        .secret("not-the-secret")
        .cloud_id(ID)
        .args(["--token-url", &format!("{}/token", oidc.url)])
        .run();
    let (_, stderr) = output_text(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "a real server's invalid_client is a rejected secret: {stderr}"
    );
    assert!(
        stderr.contains("rejected the client ID or secret"),
        "{stderr}"
    );
}

#[test]
fn a_real_chromium_logs_in_consents_and_lands_on_the_callback() {
    if !peers::npm("a_real_chromium_logs_in_consents_and_lands_on_the_callback")
        || !peers::program(
            "a_real_chromium_logs_in_consents_and_lands_on_the_callback",
            "chromium",
        )
    {
        return;
    }
    let oidc = Oidc::start();
    let fake = fake_accepting_foreign_tokens();
    let env = TestEnv::new();
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chromium-callback.png");
    let _ = std::fs::remove_file(&shot);
    let driver = browser(
        &env,
        "chromium.mjs",
        &format!("SCREENSHOT='{}'", shot.display()),
    );
    let out = connect_3lo(&env, &fake, &oidc, &driver);
    let (stdout, stderr) = output_text(&out);
    // The browser finishes (heading, screenshot) just after jira-spoke has its code.
    let log_path = driver.with_extension("sh.log");
    let mut log = String::new();
    for _ in 0..300 {
        log = std::fs::read_to_string(&log_path).unwrap_or_default();
        if log.contains("jira-spoke") && shot.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {stderr}\nbrowser: {log}"
    );
    assert!(
        log.contains("jira-spoke is connected"),
        "the browser showed the success page: {log}"
    );
    assert!(shot.exists(), "a screenshot of the success page");
}
