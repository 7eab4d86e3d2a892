//! `export --target servicenow` and `check-app`: golden outputs for each
//! grant (human and JSON), secrets only in the `--reveal --out` file, and the
//! browserless client check against right and wrong secrets.

use crate::support::CheckedOutput;

use crate::support::{FakeAtlassian, Grant, TestEnv, assert_no_secrets, output_text};

const SECRET: &str = "spoke-client-secret-XYZ123";
const API_TOKEN: &str = "api-token-SECRET-456";

fn export(env: &TestEnv, fake: &FakeAtlassian, json: bool) -> String {
    let mut cmd = env.cmd_with_fake(fake);
    if json {
        cmd.arg("--json");
    }
    let out = cmd
        .args(["export", "--target", "servicenow", "--instance", "acme"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_no_secrets(
        &[("stdout", &stdout), ("stderr", &stderr)],
        &[SECRET, API_TOKEN],
    );
    // The fake plays every host; put the real ones back for a readable golden file.
    let stdout = stdout
        .replace(
            &format!("{}/authorize", fake.url()),
            "https://auth.atlassian.com/authorize",
        )
        .replace(
            &format!("{}/oauth/token", fake.url()),
            "https://auth.atlassian.com/oauth/token",
        )
        .replace(
            &format!("{}/ex/jira", fake.url()),
            "https://api.atlassian.com/ex/jira",
        )
        .replace(&fake.url(), "https://acme.atlassian.net");
    if json {
        let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        serde_json::to_string_pretty(&value).unwrap()
    } else {
        stdout
    }
}

macro_rules! golden {
    ($name:expr, $text:expr) => {
        crate::support::golden::assert_golden(&format!("export/{}", $name), &$text)
    };
}

#[test]
fn export_for_client_credentials() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    golden!("client_credentials_human", export(&env, &fake, false));
    golden!("client_credentials_json", export(&env, &fake, true));
}

#[test]
fn export_for_authorization_code() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_3lo(&fake, "default");
    golden!("authorization_code_human", export(&env, &fake, false));
    golden!("authorization_code_json", export(&env, &fake, true));
}

#[test]
fn export_for_api_token() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect(&fake)
        .grant(Grant::ApiToken)
        .secret(API_TOKEN)
        .ok();
    golden!("api_token_human", export(&env, &fake, false));
    golden!("api_token_json", export(&env, &fake, true));
}

#[test]
fn reveal_writes_secrets_only_to_a_new_private_file() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "default");
    let file = env.root().join("spoke.txt");
    let out = env
        .cmd_with_fake(&fake)
        .args(["export", "--target", "servicenow", "--reveal", "--out"])
        .arg(&file)
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_no_secrets(&[("stdout", &stdout), ("stderr", &stderr)], &[SECRET]);
    assert!(
        stdout.contains(
            "kept in the plaintext file store (secrets.json): run with --reveal --out FILE"
        ),
        "{stdout}"
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains(&format!("Client Secret         {SECRET}")),
        "{written}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // Never over an existing file; never without --out.
    let again = env
        .cmd_with_fake(&fake)
        .args(["export", "--target", "servicenow", "--reveal", "--out"])
        .arg(&file)
        .checked_output();
    assert_eq!(again.status.code(), Some(2));
    assert!(output_text(&again).1.contains("exists already"));
    let bare = env
        .cmd_with_fake(&fake)
        .args(["export", "--target", "servicenow", "--reveal"])
        .checked_output();
    assert_eq!(bare.status.code(), Some(2));
    assert_no_secrets(
        &[
            ("bare", &output_text(&bare).0),
            ("bare err", &output_text(&bare).1),
        ],
        &[SECRET],
    );
}

#[test]
fn check_app_tells_a_right_secret_from_a_wrong_one_without_a_browser() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env
        .cmd_with_fake(&fake)
        .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
        .args(["--json", "check-app", "--client-id", "spoke-client-id"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["ok"], true);
    let sent = &fake.requests_to("/oauth/token")[0];
    assert_eq!(sent.param("grant_type").as_deref(), Some("refresh_token"));
    assert!(fake.issued_access_tokens().is_empty(), "no token issued");

    let out = env
        .cmd_with_fake(&fake)
        .env("JIRA_SPOKE_CLIENT_SECRET", "wrong-secret-777")
        .args(["check-app", "--client-id", "spoke-client-id"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("rejected the client ID or secret"),
        "{stderr}"
    );
    assert_no_secrets(
        &[("stdout", &stdout), ("stderr", &stderr)],
        &["wrong-secret-777", SECRET],
    );
}
