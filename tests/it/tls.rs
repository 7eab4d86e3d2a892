//! HTTPS as Atlassian serves it: a TLS fake that speaks HTTP/2, the
//! `--ca-file` (`JIRA_SPOKE_CA_FILE`) that lets jira-spoke trust a CA outside
//! the built-in roots (a TLS-inspecting proxy's), and what the admin is told
//! when a certificate is not trusted or the file is no good.

use std::process::Output;

use crate::support::serve::Tls;
use crate::support::{CheckedOutput, FakeAtlassian, TestEnv, output_text};

/// A connection made through a TLS fake (whose environment names its CA in
/// JIRA_SPOKE_CA_FILE), then `verify` run with `args` and that variable unset.
fn verify_without_the_variable(args: &[&std::ffi::OsStr]) -> (FakeAtlassian, Output) {
    let fake = FakeAtlassian::start_tls();
    let env = TestEnv::new();
    env.connect(&fake).ok();
    let out = env
        .cmd_with_fake(&fake)
        .env_remove("JIRA_SPOKE_CA_FILE")
        .args(args)
        .arg("verify")
        .checked_output();
    (fake, out)
}

#[test]
fn with_the_ca_file_connect_and_verify_work_over_tls_and_http2() {
    let ca_file = Tls::ca_file();
    let (fake, out) = verify_without_the_variable(&["--ca-file".as_ref(), ca_file.as_ref()]);
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let requests = fake.requests();
    assert!(requests.len() >= 3, "{requests:?}");
    for request in &requests {
        assert_eq!(
            request.version, "HTTP/2.0",
            "{} {}",
            request.method, request.path
        );
    }
}

#[test]
fn an_untrusted_certificate_names_tls_and_the_ca_file_and_stores_nothing() {
    let fake = FakeAtlassian::start_tls();
    let env = TestEnv::new();
    let mut connect = env.connect(&fake).command();
    connect.env_remove("JIRA_SPOKE_CA_FILE");
    let out = connect.checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stdout}\n{stderr}");
    let error = stderr.lines().find(|l| l.starts_with("error:")).unwrap();
    assert!(
        error.contains("TLS handshake with https://localhost:")
            && error.contains("signed by an authority jira-spoke does not trust"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--ca-file (JIRA_SPOKE_CA_FILE)"),
        "{stderr}"
    );
    assert_eq!(env.config_text(), "");
    assert!(fake.requests().is_empty(), "no request got through");
}

#[test]
fn a_ca_file_that_is_missing_or_holds_no_certificate_is_refused_before_any_request() {
    let fake = FakeAtlassian::start_tls();
    let env = TestEnv::new();
    let not_pem = env.root().join("not-a-cert.pem");
    std::fs::write(&not_pem, "this is not a certificate\n").unwrap();
    let key_only = env.root().join("key-only.pem");
    std::fs::write(
        &key_only,
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let cases = [
        (env.root().join("absent.pem"), "cannot read it"),
        (not_pem, "it holds no PEM certificate"),
        (key_only, "it holds no PEM certificate"),
    ];
    for (path, reason) in cases {
        let out = env
            .cmd_with_fake(&fake)
            .env("JIRA_SPOKE_CA_FILE", &path)
            .arg("verify")
            .checked_output();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
        let error = stderr.lines().find(|l| l.starts_with("error:")).unwrap();
        let expected = format!("cannot use {} as --ca-file: {reason}", path.display());
        assert!(error.contains(&expected), "{stderr}");
        assert!(stderr.contains("BEGIN CERTIFICATE"), "hint: {stderr}");
    }
    assert!(fake.requests().is_empty());
}

#[test]
fn verify_without_the_ca_file_fails_the_site_check_instead_of_saying_it_answers() {
    let (_fake, out) = verify_without_the_variable(&["--json".as_ref()]);
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stdout}\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let site = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "site")
        .unwrap();
    assert_eq!(site["ok"], false, "{site}");
    let detail = site["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("TLS handshake with https://localhost:"),
        "{detail}"
    );
    assert!(
        site["hint"].as_str().unwrap().contains("--ca-file"),
        "{site}"
    );
}
