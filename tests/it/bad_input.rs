//! Bad input, table-driven: every case must end in one `error:` line naming
//! the cause, a `hint:` line, the documented exit code, no panic, and no
//! change to what was stored.

use crate::support::CheckedOutput;

use crate::support::{FakeAtlassian, TestEnv, output_text};

const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const SECRET: &str = "spoke-client-secret-XYZ123";

/// One bad input.
struct Case {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    stdin: Option<&'static str>,
    /// Text written to config.toml before the run.
    config: Option<String>,
    /// A canned answer for the token endpoint: (status, body).
    token_answer: Option<(u16, String)>,
    /// A canned answer for tenant_info.
    tenant_answer: Option<(u16, String)>,
    code: i32,
    /// Must appear in stderr.
    says: &'static str,
}

fn case(name: &'static str, args: &[&str], code: i32, says: &'static str) -> Case {
    Case {
        name,
        args: args.iter().map(|s| s.to_string()).collect(),
        env: Vec::new(),
        stdin: None,
        config: None,
        token_answer: None,
        tenant_answer: None,
        code,
        says,
    }
}

impl Case {
    fn env(mut self, key: &'static str, value: &str) -> Self {
        self.env.push((key, value.to_owned()));
        self
    }
    fn stdin(mut self, text: &'static str) -> Self {
        self.stdin = Some(text);
        self
    }
    fn config(mut self, text: &str) -> Self {
        self.config = Some(text.to_owned());
        self
    }
    fn token_answer(mut self, status: u16, body: &str) -> Self {
        self.token_answer = Some((status, body.to_owned()));
        self
    }
    fn tenant_answer(mut self, status: u16, body: String) -> Self {
        self.tenant_answer = Some((status, body));
        self
    }
}

const CC: &[&str] = &[
    "connect",
    "--grant",
    "client-credentials",
    "--client-id",
    "spoke-client-id",
];

fn cc(extra: &[&str]) -> Vec<&'static str> {
    let mut args: Vec<&'static str> = CC.to_vec();
    for e in extra {
        args.push(Box::leak(e.to_string().into_boxed_str()));
    }
    args
}

fn valid_config() -> String {
    format!(
        "[connections.prod]\ngrant = \"client-credentials\"\ncloud_id = \"{ID}\"\n\
         connection_url = \"https://api.atlassian.com/ex/jira/{ID}\"\nclient_id = \"x\"\nstore = \"file\"\n"
    )
}

fn cases() -> Vec<Case> {
    let big = format!("{{\"cloudId\":\"{}\"}}", "x".repeat(10 * 1024 * 1024));
    vec![
        // -- sites and Cloud IDs
        case("site with a space", &["cloud-id", "acme corp"], 2, "not a Jira Cloud site"),
        case("empty site", &["cloud-id", ""], 2, "it is empty"),
        case("ftp site", &["cloud-id", "ftp://acme.atlassian.net"], 2, "only https://"),
        case("credentials in the site URL", &["cloud-id", "https://u:p@acme.atlassian.net"], 2, "user name or password"),
        case("plain http site", &["cloud-id", "http://acme.atlassian.net"], 2, "plain http://"),
        case("underscore in the site name", &["cloud-id", "ac_me.atlassian.net"], 2, "letters, digits and dashes"),
        case("nested site name", &["cloud-id", "a.b.atlassian.net"], 2, "letters, digits and dashes"),
        case("organization URL", &["cloud-id", "https://admin.atlassian.com/o/0a1b/overview"], 2, "organization ID"),
        case("admin URL without a Cloud ID", &["cloud-id", "https://admin.atlassian.com/s/nope/apps"], 2, "not a Cloud ID"),
        case("site with a space, as --site", &cc(&["--site", "exa mple.atlassian.net"]), 2, "not a Jira Cloud site")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET),
        case("site URL with a space", &["cloud-id", "https://exa mple.atlassian.net"], 2, "not a Jira Cloud site"),
        case("site label over 63 characters", &["cloud-id", &format!("{}.atlassian.net", "a".repeat(64))], 2, "at most 63 characters"),
        case("custom domain label over 63 characters", &cc(&["--site", &format!("jira.{}.com", "b".repeat(64))]), 2, "at most 63 characters")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET),
        case("host name over 253 characters", &["cloud-id", &format!("{}example.com", "abcdefghi.".repeat(25))], 2, "longer than 253"),
        case("empty host label", &["cloud-id", "jira..example.com"], 2, "empty label"),
        case("trailing dot", &["cloud-id", "acme.atlassian.net."], 2, "empty label"),
        case("underscore in a custom domain", &["cloud-id", "jira_x.example.com"], 2, "letters, digits and dashes"),
        case("host label ending in a dash", &["cloud-id", "https://jira-.example.com"], 2, "start or end with a dash"),
        case("Cloud ID with a space", &cc(&["--cloud-id", "1324a887-45db-1bf4-1e99 ef0ff456d421"]), 2, "not a Cloud ID"),
        case("Cloud ID one digit too long", &cc(&["--cloud-id", "1324a887-45db-1bf4-1e99-ef0ff456d4211"]), 2, "not a Cloud ID"),
        case("short Cloud ID", &cc(&["--cloud-id", "1324a887-45db-1bf4-1e99"]), 2, "not a Cloud ID"),
        case("Cloud ID with a non-hex digit", &cc(&["--cloud-id", "g324a887-45db-1bf4-1e99-ef0ff456d421"]), 2, "not a Cloud ID"),
        case("site and Cloud ID disagree", &cc(&["--site", ID, "--cloud-id", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"]), 2, "different Cloud IDs"),
        // -- endpoints
        case("http auth URL", &["--auth-url", "http://auth.example.com", "list"], 2, "plain http://"),
        case("private-range API URL", &["--api-url", "http://10.0.0.1:8080", "list"], 2, "plain http://"),
        case("auth URL without a scheme", &["--auth-url", "auth.atlassian.com", "list"], 2, "not a valid URL"),
        case("http token URL", &cc(&["--cloud-id", ID, "--token-url", "http://evil.example/token"]), 2, "plain http://")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET),
        case("https callback", &cc(&["--cloud-id", ID, "--redirect-uri", "https://localhost:8765/callback"]), 2, "loopback http://")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET),
        case("remote callback", &cc(&["--cloud-id", ID, "--redirect-uri", "http://example.com/cb"]), 2, "plain http://")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET),
        case("auth URL from the environment", &["list"], 2, "plain http://").env("JIRA_SPOKE_AUTH_URL", "http://x.example"),
        // -- flags and secrets
        case("no client ID", &["connect", "--grant", "client-credentials", "--cloud-id", ID], 2, "--client-id is required"),
        case("no secret and no terminal", &cc(&["--cloud-id", ID]), 2, "no client secret was given"),
        case("empty secret on stdin", &cc(&["--cloud-id", ID, "--client-secret-stdin"]), 2, "is empty").stdin("\n"),
        case("two stdin secrets", &cc(&["--cloud-id", ID, "--client-secret-stdin", "--api-token-stdin"]), 2, "cannot both read stdin"),
        case("API token without e-mail", &["connect", "--grant", "api-token", "--site", "http://127.0.0.1:9"], 2, "needs --email")
            .env("JIRA_SPOKE_API_TOKEN", "t0ken-abcdef"),
        case("API token without site", &["connect", "--grant", "api-token", "--email", "a@b.c"], 2, "needs --site")
            .env("JIRA_SPOKE_API_TOKEN", "t0ken-abcdef"),
        case("neither site nor Cloud ID", &cc(&[]), 2, "needs the Jira site").env("JIRA_SPOKE_CLIENT_SECRET", SECRET),
        case("connection name with a slash", &["-c", "a/b", "list"], 2, "not a valid connection name"),
        case("connection name with a colon", &["-c", "a:b", "token"], 2, "not a valid connection name"),
        // -- stored state
        case("truncated config", &["list"], 6, "cannot be read").config("[connections.prod]\ngrant = \"client-cre"),
        case("unknown key in config", &["list"], 6, "unknown field").config(&(valid_config() + "colour = \"blue\"\n")),
        case("wrong type in config", &["list"], 6, "cannot be read").config(&valid_config().replace("store = \"file\"", "store = \"file\"\napi_version = \"three\"")),
        case("unknown grant in config", &["list"], 6, "cannot be read").config(&valid_config().replace("client-credentials", "password")),
        case("config from the future", &["list"], 6, "newer jira-spoke").config(&format!("version = 99\n{}", valid_config())),
        case("bad Cloud ID in config", &["list"], 6, "not a Cloud ID").config(&valid_config().replace(&format!("cloud_id = \"{ID}\""), "cloud_id = \"42\"")),
        case("unknown connection", &["-c", "ghost", "token"], 4, "no connection named `ghost`").config(&valid_config()),
        case("API-token connection asked for a token", &["-c", "basic", "token"], 2, "has no OAuth access token").config(
            "[connections.basic]\ngrant = \"api-token\"\nconnection_url = \"https://acme.atlassian.net\"\nemail = \"a@b.c\"\nstore = \"file\"\n",
        ),
        // -- hostile answers
        case("token response without access_token", &cc(&["--cloud-id", ID]), 5, "without an access_token")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
            .token_answer(200, r#"{"expires_in":3600,"token_type":"Bearer"}"#),
        case("token response with a numeric token", &cc(&["--cloud-id", ID]), 5, "unexpected shape")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
            .token_answer(200, r#"{"access_token":12345,"expires_in":3600}"#),
        case("token response with expires_in as words", &cc(&["--cloud-id", ID]), 5, "expires_in is not a number")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
            .token_answer(200, r#"{"access_token":"a","expires_in":"soon"}"#),
        case("HTML from the token endpoint", &cc(&["--cloud-id", ID]), 5, "an HTML page where JSON was expected")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
            .token_answer(200, "<!DOCTYPE html><html>captive portal</html>"),
        case("token endpoint error page", &cc(&["--cloud-id", ID]), 5, "HTTP 500")
            .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
            .token_answer(500, "<html>internal error</html>"),
        case("10 MB tenant_info", &["cloud-id", "FAKE"], 5, "larger than 1024 KiB").tenant_answer(200, big),
    ]
}

#[test]
fn every_bad_input_gets_one_error_line_a_hint_and_its_exit_code() {
    let cases = cases();
    assert!(cases.len() >= 30, "the table has {} cases", cases.len());
    let fake = FakeAtlassian::start();
    let mut failures = Vec::new();
    for case in cases {
        let env = TestEnv::new();
        if let Some(text) = &case.config {
            std::fs::create_dir_all(env.config_dir()).unwrap();
            std::fs::write(env.config_dir().join("config.toml"), text).unwrap();
        }
        if let Some((status, body)) = &case.token_answer {
            fake.fail_next("/oauth/token", 1, *status, &[], body);
        }
        if let Some((status, body)) = &case.tenant_answer {
            fake.fail_next("/_edge/tenant_info", 1, *status, &[], body);
        }
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| a.replace("FAKE", &fake.url()))
            .collect();
        let mut cmd = env.cmd_with_fake(&fake);
        cmd.args(&args).timeout(std::time::Duration::from_secs(30));
        for (k, v) in &case.env {
            cmd.env(k, v);
        }
        cmd.write_stdin(case.stdin.unwrap_or(""));
        let out = cmd.checked_output();
        let (stdout, stderr) = output_text(&out);
        let errors = stderr.lines().filter(|l| l.starts_with("error:")).count();
        let problems = [
            (
                out.status.code() != Some(case.code),
                format!("exit {:?}, expected {}", out.status.code(), case.code),
            ),
            (errors != 1, format!("{errors} error lines")),
            (
                !stderr.contains("\nhint: ") && !stderr.contains("hint:"),
                "no hint".to_owned(),
            ),
            (
                !stderr.contains(case.says),
                format!("does not say {:?}", case.says),
            ),
            (
                stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE"),
                "panicked".to_owned(),
            ),
            (
                stderr.len() > 2000,
                "error output longer than 2000 bytes".to_owned(),
            ),
            (!stdout.is_empty(), "wrote to stdout".to_owned()),
            (
                case.config
                    .as_deref()
                    .is_some_and(|c| env.config_text() != c),
                "changed the config".to_owned(),
            ),
        ];
        for (bad, what) in problems {
            if bad {
                failures.push(format!(
                    "{}: {what}\n  stderr: {}",
                    case.name,
                    stderr.trim_end().replace('\n', "\n          ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_unicode_connection_name_is_accepted_end_to_end() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect(&fake).name("東京-prod").cloud_id(ID).ok();
    let out = env
        .cmd_with_fake(&fake)
        .args(["-c", "東京-prod", "verify"])
        .checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).0);
}

/// A name typed decomposed (`u` + combining diaeresis, as macOS and some
/// keyboards give it) is the same connection as the composed one.
#[test]
fn a_decomposed_unicode_name_is_the_same_connection_as_the_composed_one() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect(&fake).name("Zu\u{308}rich").cloud_id(ID).ok();
    assert!(
        env.config_text().contains("Zürich"),
        "{}",
        env.config_text()
    );
    let out = env
        .cmd_with_fake(&fake)
        .args(["-c", "Zürich", "verify"])
        .checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).0);
    let out = env
        .cmd_with_fake(&fake)
        .args(["-c", "Zu\u{308}rich", "token"])
        .checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
}
