//! What ships beside the commands: the default connection (`use`), the
//! manual page, and a `--version` that names the commit.

use crate::support::{CheckedOutput, FakeAtlassian, TestEnv, output_text};

fn json(env: &TestEnv, fake: &FakeAtlassian, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = env
        .cmd_with_fake(fake)
        .arg("--json")
        .args(args)
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stdout}\n{stderr}"));
    (out.status.code(), value)
}

#[test]
fn use_makes_a_connection_the_default_and_flags_still_win() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "alpha");
    env.connect_cc(&fake, "beta");

    // Before `use`, the default is the connection called `default`: none here.
    let (code, report) = json(&env, &fake, &["verify"]);
    assert_eq!(code, Some(4), "{report}");
    assert!(
        report["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("`default`")),
        "{report}"
    );

    let out = env
        .cmd_with_fake(&fake)
        .args(["use", "beta"])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("`beta` is now the default connection (was `default`)"),
        "{stdout}"
    );
    assert!(
        env.config_text().contains("default = \"beta\""),
        "{}",
        env.config_text()
    );

    let (_, list) = json(&env, &fake, &["list"]);
    assert_eq!(list["default"], "beta");
    let marked: Vec<_> = list["connections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["default"] == true)
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(marked, ["beta"]);
    let out = env.cmd_with_fake(&fake).arg("list").checked_output();
    let (human, _) = output_text(&out);
    assert!(human.lines().any(|l| l.starts_with("* beta")), "{human}");
    assert!(human.lines().any(|l| l.starts_with("  alpha")), "{human}");

    let (code, report) = json(&env, &fake, &["verify"]);
    assert_eq!(
        (code, &report["connection"]),
        (Some(0), &"beta".into()),
        "{report}"
    );
    let (_, report) = json(&env, &fake, &["-c", "alpha", "verify"]);
    assert_eq!(
        report["connection"], "alpha",
        "--connection wins over `use`"
    );
    let out = env
        .cmd_with_fake(&fake)
        .env("JIRA_SPOKE_CONNECTION", "alpha")
        .args(["--json", "verify"])
        .checked_output();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["connection"], "alpha",
        "JIRA_SPOKE_CONNECTION wins over `use`"
    );
}

#[test]
fn use_of_an_unknown_connection_exits_4_and_changes_nothing() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "alpha");
    let before = env.config_text();
    let out = env
        .cmd_with_fake(&fake)
        .args(["use", "nope"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("nope") && stderr.contains("alpha"),
        "{stderr}"
    );
    assert_eq!(env.config_text(), before);
}

#[test]
fn removing_the_default_says_which_connection_takes_its_place() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    env.connect_cc(&fake, "alpha");
    env.connect_cc(&fake, "beta");
    let out = env
        .cmd_with_fake(&fake)
        .args(["use", "beta"])
        .checked_output();
    assert_eq!(out.status.code(), Some(0));

    let out = env
        .cmd_with_fake(&fake)
        .args(["remove", "alpha"])
        .checked_output();
    let (stdout, _) = output_text(&out);
    assert!(
        !stdout.contains("now the default"),
        "alpha was not the default: {stdout}"
    );

    let (code, report) = json(&env, &fake, &["remove"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["connection"], "beta", "remove acts on the default");
    assert_eq!(report["new_default"], serde_json::Value::Null, "none left");

    env.connect_cc(&fake, "gamma");
    env.connect_cc(&fake, "delta");
    let out = env
        .cmd_with_fake(&fake)
        .args(["use", "gamma"])
        .checked_output();
    assert_eq!(out.status.code(), Some(0));
    let out = env
        .cmd_with_fake(&fake)
        .args(["remove", "gamma"])
        .checked_output();
    let (stdout, _) = output_text(&out);
    assert!(
        stdout.contains("`delta` is now the default connection"),
        "{stdout}"
    );
    let (_, list) = json(&env, &fake, &["list"]);
    assert_eq!(list["default"], "delta");
}

#[test]
fn man_prints_a_roff_page_with_every_command() {
    let env = TestEnv::new();
    let out = env.cmd().arg("man").checked_output();
    let (page, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(0));
    let head: Vec<&str> = page.lines().take(10).collect();
    assert!(
        head.iter().any(|l| l.starts_with(".TH jira-spoke 1")),
        "{head:#?}"
    );
    for section in [
        "JIRA-SPOKE SETUP",
        "JIRA-SPOKE CONNECT",
        "JIRA-SPOKE USE",
        "EXIT CODES",
    ] {
        assert!(
            page.contains(section) || page.contains(&section.to_lowercase()),
            "{section}"
        );
    }
}

#[test]
fn version_names_the_release_and_the_commit() {
    let env = TestEnv::new();
    let out = env.cmd().arg("--version").checked_output();
    let (stdout, _) = output_text(&out);
    let line = stdout.trim();
    let rest = line
        .strip_prefix(concat!("jira-spoke ", env!("CARGO_PKG_VERSION"), " ("))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        rest == "unknown commit"
            || (rest.len() == 12 && rest.chars().all(|c| c.is_ascii_hexdigit())),
        "{line}"
    );
}

#[test]
fn the_checked_in_man_page_and_completions_are_up_to_date() {
    let env = TestEnv::new();
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let cases: [(&[&str], &str); 6] = [
        (&["man"], "man/jira-spoke.1"),
        (&["completions", "bash"], "completions/jira-spoke.bash"),
        (&["completions", "zsh"], "completions/_jira-spoke"),
        (&["completions", "fish"], "completions/jira-spoke.fish"),
        (
            &["completions", "powershell"],
            "completions/_jira-spoke.ps1",
        ),
        (&["completions", "elvish"], "completions/jira-spoke.elv"),
    ];
    for (args, file) in cases {
        let out = env.cmd().args(args).checked_output();
        assert_eq!(out.status.code(), Some(0));
        let checked_in = std::fs::read(docs.join(file)).unwrap_or_default();
        assert!(
            out.stdout == checked_in,
            "docs/{file} is out of date with `jira-spoke {}`: run scripts/gen-docs and commit",
            args.join(" ")
        );
    }
}
