//! Jira's own API description as the judge: Atlassian's published OpenAPI
//! spec for the Jira Cloud platform REST API v3 (vendored in
//! `tests/fixtures/jira-openapi/`, with its license and source), served by Stoplight Prism behind the
//! fake's `/ex/jira/<cloud-id>` gateway. Every Jira request jira-spoke makes
//! must be valid against the spec (Prism reports violations in the
//! `sl-violations` header), and jira-spoke must parse the spec's example
//! responses. Prism is given only the paths jira-spoke calls
//! ([`USED_PATHS`]); a call to any other fails the test.

#![cfg(unix)]

use crate::support::CheckedOutput;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{FakeAtlassian, TestEnv, output_text};

const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jira-openapi/jira-platform.v3.json")
}

fn prism_bin() -> PathBuf {
    crate::support::peers::peers_dir().join("node_modules/.bin/prism")
}

/// Atlassian stores response examples as JSON-encoded strings; Prism would
/// serve them double-encoded. Decodes every string `example` that holds JSON
/// in place, and returns how many it decoded.
fn decode_examples(node: &mut serde_json::Value) -> usize {
    use serde_json::Value;
    match node {
        Value::Object(fields) => fields
            .iter_mut()
            .map(|(key, value)| {
                if key == "example"
                    && let Value::String(text) = value
                    && text.starts_with(['{', '['])
                    && let Ok(decoded) = serde_json::from_str::<Value>(text)
                {
                    *value = decoded;
                    return 1;
                }
                decode_examples(value)
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(decode_examples).sum(),
        _ => 0,
    }
}

/// The Jira API paths jira-spoke calls. Prism is given only these (and the
/// schemas they use): loading all ~400 of the spec's paths took it 15-20 s.
/// A request to any other path gets Prism's 404 and fails the test below,
/// which names this list.
const USED_PATHS: &[&str] = &["/rest/api/3/myself", "/rest/api/3/serverInfo"];

/// Keeps only [`USED_PATHS`] and the components they reach by `$ref`
/// (security schemes are named, not referenced: all are kept).
fn keep_used_paths(spec: &mut serde_json::Value) {
    use serde_json::Value;
    fn refs(node: &Value, out: &mut Vec<String>) {
        match node {
            Value::Object(fields) => {
                for (key, value) in fields {
                    match (key.as_str(), value) {
                        ("$ref", Value::String(r)) => out.push(r.clone()),
                        _ => refs(value, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let paths = spec["paths"].as_object_mut().expect("the spec has paths");
    paths.retain(|path, _| USED_PATHS.contains(&path.as_str()));
    assert_eq!(
        paths.len(),
        USED_PATHS.len(),
        "a used path is not in the spec"
    );
    let mut reached = std::collections::BTreeSet::new();
    let mut todo = Vec::new();
    refs(&spec["paths"], &mut todo);
    while let Some(r) = todo.pop() {
        let pointer = r.strip_prefix('#').expect("local $refs only").to_owned();
        if reached.insert(pointer.clone()) {
            refs(
                spec.pointer(&pointer).expect("every $ref resolves"),
                &mut todo,
            );
        }
    }
    let components = spec["components"].as_object_mut().expect("components");
    for (kind, entries) in components.iter_mut() {
        if kind != "securitySchemes"
            && let Some(entries) = entries.as_object_mut()
        {
            entries.retain(|name, _| reached.contains(&format!("/components/{kind}/{name}")));
        }
    }
}

/// Prism serving the decoded spec on a port it chose.
struct Prism {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Prism {
    fn start() -> Prism {
        let dir = tempfile::tempdir().unwrap();
        let decoded = dir.path().join("jira.decoded.json");
        let mut spec: serde_json::Value =
            serde_json::from_slice(&std::fs::read(spec_path()).expect("the vendored spec"))
                .expect("the spec is JSON");
        keep_used_paths(&mut spec);
        assert!(
            decode_examples(&mut spec) > 0,
            "the string examples of the used paths were decoded"
        );
        std::fs::write(&decoded, serde_json::to_vec(&spec).unwrap()).unwrap();
        let mut child = Command::new(prism_bin())
            .args(["mock", "-h", "127.0.0.1", "-p", "0"])
            .arg(&decoded)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("prism");
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(180);
        let url = loop {
            if let Some((_, url)) = line.split_once("Prism is listening on ") {
                break url.trim().to_owned();
            }
            line.clear();
            assert!(
                reader.read_line(&mut line).unwrap() > 0,
                "Prism exited before listening"
            );
            assert!(
                std::time::Instant::now() < deadline,
                "Prism did not start within 180 s"
            );
        };
        std::thread::spawn(move || for _ in reader.lines() {});
        Prism {
            child,
            url,
            _dir: dir,
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fails, naming them, if jira-spoke called Jira paths Prism was not given.
fn assert_only_used_paths(fake: &FakeAtlassian) {
    let prefix = format!("/ex/jira/{ID}");
    let unlisted: Vec<String> = fake
        .requests_to(&prefix)
        .into_iter()
        .map(|r| r.path[prefix.len()..].to_owned())
        .filter(|p| !USED_PATHS.contains(&p.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "jira-spoke called {unlisted:?}, which Prism does not serve: add them to USED_PATHS"
    );
}

#[test]
fn every_jira_request_is_valid_against_atlassians_spec_and_its_examples_parse() {
    if !crate::support::peers::npm("every_jira_request_is_valid_against_atlassians_spec") {
        return;
    }
    let prism = Prism::start();
    let fake = FakeAtlassian::start();
    fake.configure(|s| s.jira_backend = Some(prism.url.clone()));
    let env = TestEnv::new();
    let out = env.connect(&fake).cloud_id(ID).run();
    let (stdout, stderr) = output_text(&out);
    assert_only_used_paths(&fake);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Mia Krystof <mia@example.com> (Atlassian account)"),
        "the spec's example user: {stdout}"
    );

    let out = env
        .cmd_with_fake(&fake)
        .args(["--json", "verify"])
        .checked_output();
    let (stdout, _) = output_text(&out);
    assert_only_used_paths(&fake);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["identity"]["display_name"], "Mia Krystof",
        "{report}"
    );
    assert_eq!(
        report["site"]["base_url"], "https://your-domain.atlassian.net",
        "{report}"
    );

    let proxied = fake.requests_to("/ex/jira/");
    assert!(
        proxied
            .iter()
            .any(|r| r.path.ends_with("/rest/api/3/myself"))
    );
    assert!(
        proxied
            .iter()
            .any(|r| r.path.ends_with("/rest/api/3/serverInfo"))
    );
    // Violations of *our requests* fail the test; Atlassian's own serverInfo
    // example breaks its schema (`defaultLocale`), which is not ours to fix.
    let all = fake.backend_violations();
    assert!(
        all.iter()
            .any(|(p, v)| p.ends_with("/serverInfo") && v.contains("defaultLocale")),
        "Prism's verdicts reach the test (the spec's own serverInfo example is flagged): {all:#?}"
    );
    let ours: Vec<(String, String)> = all
        .into_iter()
        .filter(|(_, v)| v.contains("\"request\""))
        .collect();
    assert!(ours.is_empty(), "requests the spec rejects: {ours:#?}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}
