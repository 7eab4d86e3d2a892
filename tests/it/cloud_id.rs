//! `jira-spoke cloud-id`: every accepted input form, and each failure's exit code and hint.

use crate::support::CheckedOutput;

use crate::support::{FakeAtlassian, TestEnv, output_text};

const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

#[test]
fn cloud_id_of_a_site_prints_only_the_id_from_tenant_info() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env.cmd().args(["cloud-id", &fake.url()]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, format!("{ID}\n"));
    let hits = fake.requests_to("/_edge/tenant_info");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].method, "GET");
    assert!(
        !hits[0].headers.iter().any(|(k, _)| k == "authorization"),
        "tenant_info needs no credentials"
    );
}

#[test]
fn cloud_id_follows_the_fakes_configured_id_and_a_path_in_the_site_url() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.cloud_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee".into());
    let env = TestEnv::new();
    let site = format!("{}/jira/software/projects/ABC/boards/1?x=1", fake.url());
    let out = env.cmd().args(["cloud-id", &site]).checked_output();
    assert_eq!(
        output_text(&out).0,
        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n"
    );
}

#[test]
fn cloud_id_json_names_the_site_and_the_id() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["--json", "cloud-id", &fake.url()])
        .checked_output();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["cloud_id"], ID);
    assert_eq!(json["site"], fake.url());
}

#[test]
fn admin_url_and_bare_id_work_offline() {
    let env = TestEnv::new();
    for input in [
        format!("https://admin.atlassian.com/s/{ID}/apps"),
        ID.to_uppercase(),
    ] {
        // Endpoints point nowhere: any network use would fail.
        let out = env
            .cmd()
            .env("HTTPS_PROXY", "http://127.0.0.1:9")
            .args(["--json", "cloud-id", &input])
            .checked_output();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(0), "{input}: {stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["cloud_id"], ID, "{input}");
        assert!(json["site"].is_null(), "{input}");
    }
}

#[test]
fn malformed_input_exits_2_with_a_hint() {
    let env = TestEnv::new();
    for input in [
        "acme corp",
        "https://user:pw@acme.atlassian.net",
        "ftp://acme.atlassian.net",
        "http://acme.atlassian.net",
        "https://admin.atlassian.com/o/4a1b-org/overview",
        "https://admin.atlassian.com/s/not-a-cloud-id/apps",
        "",
    ] {
        let out = env.cmd().args(["cloud-id", input]).checked_output();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(2), "{input:?}: {stderr}");
        assert!(stdout.is_empty(), "{input:?}: {stdout}");
        assert!(stderr.starts_with("error: "), "{input:?}: {stderr}");
        assert!(stderr.contains("\nhint: "), "{input:?}: {stderr}");
    }
}

#[test]
fn an_unknown_site_exits_4_with_a_hint() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.site_unknown = true);
    let env = TestEnv::new();
    let out = env.cmd().args(["cloud-id", &fake.url()]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("no Jira Cloud site answers at"), "{stderr}");
    assert!(stderr.contains("hint: check the spelling"), "{stderr}");
}

#[test]
fn an_unknown_site_with_json_prints_the_error_object_on_stdout() {
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.site_unknown = true);
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["--json", "cloud-id", &fake.url()])
        .checked_output();
    assert_eq!(out.status.code(), Some(4));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["kind"], "not_found");
    assert!(json["error"]["hint"].as_str().unwrap().contains("spelling"));
}

#[test]
fn a_refused_connection_exits_5() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["cloud-id", &format!("http://127.0.0.1:{port}")])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("could not reach"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
}

#[test]
fn a_server_error_is_reported_as_remote_unavailable() {
    let fake = FakeAtlassian::start();
    fake.fail_next("/_edge/tenant_info", 10, 500, &[], "boom");
    let env = TestEnv::new();
    let out = env.cmd().args(["cloud-id", &fake.url()]).checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("HTTP 500"), "{stderr}");
}

#[test]
fn a_429_with_retry_after_is_retried_until_it_succeeds() {
    let fake = FakeAtlassian::start();
    fake.fail_next("/_edge/tenant_info", 1, 429, &[("Retry-After", "0")], "");
    let env = TestEnv::new();
    let out = env.cmd().args(["cloud-id", &fake.url()]).checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, format!("{ID}\n"));
    assert_eq!(fake.requests_to("/_edge/tenant_info").len(), 2);
}

#[test]
fn an_html_page_is_not_a_jira_site() {
    let fake = FakeAtlassian::start();
    fake.fail_next(
        "/_edge/tenant_info",
        1,
        200,
        &[("Content-Type", "text/html")],
        "<!DOCTYPE html><html><body>Sign in to your proxy</body></html>",
    );
    let env = TestEnv::new();
    let out = env.cmd().args(["cloud-id", &fake.url()]).checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("an HTML page where JSON was expected"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("Sign in"),
        "body must not be dumped: {stderr}"
    );
}

#[test]
fn a_server_that_never_answers_times_out_with_exit_5() {
    let fake = FakeAtlassian::start();
    fake.hang("/_edge/tenant_info");
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["--timeout", "1", "cloud-id", &fake.url()])
        .timeout(std::time::Duration::from_secs(20))
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("did not answer within 1 s"), "{stderr}");
    assert!(stderr.contains("--timeout"), "{stderr}");
}
