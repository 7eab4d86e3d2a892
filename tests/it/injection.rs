//! Terminal injection: a hostile Atlassian (or a web page that sends the
//! browser to the loopback callback) answers with escape sequences — window
//! title (OSC 0), clipboard (OSC 52), CR + erase-line, clear screen, BEL and
//! the one-byte C1 CSI — in every field jira-spoke shows. None of them may
//! reach the terminal as a control, in human output, hints or `-vv` logs;
//! JSON keeps the text, escaped; our own colour still works.

use crate::support::CheckedOutput;

use crate::support::{FakeAtlassian, Grant, TestEnv, output_text};

const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

/// Every trick at once.
const HOSTILE: &str =
    "Mia\u{1b}]0;pwned\u{7}\u{1b}]52;c;cm0gLXJmIH4=\u{7}\r\u{1b}[2K\u{9b}31mforged\u{1b}[2J";
/// How it is shown instead.
const SHOWN: &str = "Mia\\u{1b}]0;pwned\\u{7}\\u{1b}]52;c;cm0gLXJmIH4=\\u{7}\\r\\u{1b}[2K\\u{9b}31mforged\\u{1b}[2J";

/// No ESC, BEL, CR or C1 CSI (UTF-8 C2 9B) byte in `bytes`.
fn assert_inert(label: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for (byte, name) in [(0x1b, "ESC"), (0x07, "BEL"), (0x0d, "CR")] {
        assert!(!bytes.contains(&byte), "{name} reached {label}: {text:?}");
    }
    assert!(
        !bytes.windows(2).any(|w| w == [0xc2, 0x9b]),
        "C1 CSI reached {label}: {text:?}"
    );
}

fn assert_output_inert(out: &std::process::Output) {
    assert_inert("stdout", &out.stdout);
    assert_inert("stderr", &out.stderr);
}

fn json(out: &std::process::Output) -> serde_json::Value {
    let (stdout, stderr) = output_text(out);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"))
}

#[test]
fn a_token_endpoints_error_description_is_shown_inert_and_kept_in_json() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let body = serde_json::json!({"error": "invalid_request", "error_description": HOSTILE});
    fake.fail_next("/oauth/token", 2, 400, &[], &body.to_string());

    let out = env.connect(&fake).run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_output_inert(&out);
    assert!(stderr.contains(SHOWN), "shown, escaped: {stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );

    let out = env.connect(&fake).arg("--json").run();
    assert_output_inert(&out);
    let message = json(&out)["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.ends_with(HOSTILE), "the text itself: {message:?}");
}

#[test]
fn a_hostile_display_name_and_base_url_are_inert_in_connect_and_verify() {
    let fake = FakeAtlassian::start();
    let base_url = format!("https://acme.atlassian.net/{HOSTILE}");
    fake.configure(|s| {
        s.display_name = Some(HOSTILE.into());
        s.server_base_url = Some(base_url.clone());
    });
    let env = TestEnv::new();
    let out = env.connect(&fake).run();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_output_inert(&out);
    assert!(
        stdout.contains(&format!("Acting as       {SHOWN}")),
        "{stdout}"
    );

    let out = env.cmd_with_fake(&fake).arg("verify").checked_output();
    let (stdout, _) = output_text(&out);
    assert_output_inert(&out);
    assert!(stdout.contains(&format!("acting as {SHOWN}")), "{stdout}");

    let out = env
        .cmd_with_fake(&fake)
        .args(["--json", "verify"])
        .checked_output();
    assert_output_inert(&out);
    let report = json(&out);
    assert_eq!(report["identity"]["display_name"], HOSTILE);
    assert_eq!(report["site"]["base_url"], base_url.as_str());
}

#[test]
fn our_colour_survives_while_the_servers_escapes_do_not() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.display_name = Some(HOSTILE.into()));
    let env = TestEnv::new();
    assert_eq!(env.connect(&fake).run().status.code(), Some(0));
    let out = env
        .cmd_with_fake(&fake)
        .args(["--color", "always", "verify"])
        .checked_output();
    let (stdout, _) = output_text(&out);
    assert!(
        stdout.contains("  \u{1b}[32m✓\u{1b}[0m identity"),
        "our green mark: {stdout:?}"
    );
    let ours_removed = stdout
        .replace("\u{1b}[32m", "")
        .replace("\u{1b}[31m", "")
        .replace("\u{1b}[0m", "");
    assert_inert("stdout without our colour", ours_removed.as_bytes());
    assert!(stdout.contains(SHOWN), "{stdout:?}");
}

#[test]
fn a_hostile_consent_denial_on_the_callback_is_inert() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| {
        s.deny_consent = true;
        s.consent_error_description = Some(HOSTILE.into());
    });
    let env = TestEnv::new();
    let out = env.connect(&fake).grant(Grant::AuthorizationCode).run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("consent was denied"), "{stderr}");
    assert!(stderr.contains(SHOWN), "{stderr}");
    assert_output_inert(&out);
}

#[test]
fn hostile_site_names_urls_and_cloud_ids_are_inert() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| {
        s.accessible_resources = Some(vec![serde_json::json!({
            "id": format!("{ID}{HOSTILE}"),
            "name": HOSTILE,
            "url": format!("https://evil.example/{HOSTILE}"),
            "scopes": ["read:jira-work"],
        })]);
    });
    let env = TestEnv::new();
    let out = env.connect(&fake).grant(Grant::AuthorizationCode).run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("it covers: https://evil.example/"),
        "{stderr}"
    );
    assert_output_inert(&out);

    // tenant_info's cloudId.
    let body = serde_json::json!({ "cloudId": HOSTILE }).to_string();
    fake.fail_next("/_edge/tenant_info", 2, 200, &[], &body);
    let out = env
        .cmd_with_fake(&fake)
        .args(["cloud-id", &fake.url()])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains(SHOWN), "{stderr}");
    assert_output_inert(&out);
    let out = env
        .cmd_with_fake(&fake)
        .args(["--json", "cloud-id", &fake.url()])
        .checked_output();
    assert_output_inert(&out);
    let message = json(&out)["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains(HOSTILE), "{message:?}");
}

#[test]
fn jira_error_messages_are_inert_in_errors_and_in_vv_logs() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let body = serde_json::json!({ "message": HOSTILE }).to_string();
    fake.fail_next("/ex/jira/", 1, 403, &[], &body);
    let out = env.connect(&fake).arg("-vv").run();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let log = stderr
        .lines()
        .find(|l| l.contains("answered HTTP 403: Mia"))
        .unwrap_or_else(|| panic!("no -vv log line with Jira's message: {stderr}"));
    assert!(log.contains("31mforged"), "{log}");
    assert!(
        stderr.contains("Jira refused access (HTTP 403 from"),
        "{stderr}"
    );
    assert_output_inert(&out);
    assert!(env.config_text().is_empty());
}
