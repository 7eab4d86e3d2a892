//! `servicenow consent` against the fake instance: the "Get OAuth Token"
//! page visited, the wait that times out with its usual causes, the proof of
//! a client-credentials secret inside ServiceNow; and the README's full run,
//! compared with what the commands print.

use crate::servicenow::{CLIENT_SECRET, apply, assert_secret_hygiene, consent, one, run};
use crate::support::readme::{self, Hosts};
use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER};
use crate::support::{CheckedOutput, FakeAtlassian, FakeServiceNow, TestEnv, output_text};

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

    let (stdout, stderr) = consent(&env, &sn);
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

    let (stdout, stderr) = consent(&env, &sn);
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
    let (consent_out, consent_err) = consent(&env, &sn);
    let (code, verify, _) = run(&env, &sn, &["servicenow", "verify"]);
    assert_eq!(code, 0, "{verify}");
    let shown = format!(
        "{}\n\n$ jira-spoke servicenow apply\n{}\n\n$ jira-spoke servicenow apply\n{}\n\
         $ jira-spoke servicenow consent\n{consent_err}{consent_out}\n$ jira-spoke servicenow verify\n{verify}",
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
