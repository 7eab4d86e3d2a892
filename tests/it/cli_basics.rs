//! The command contract: help that teaches, completions, scopes, global flags,
//! and commands that are not built yet saying so plainly.

use crate::support::CheckedOutput;

use crate::support::{TestEnv, output_text};

#[test]
fn help_lists_every_command_and_documents_exit_codes() {
    let env = TestEnv::new();
    let out = env.cmd().arg("--help").checked_output();
    let (stdout, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(0));
    for command in [
        "setup",
        "connect",
        "verify",
        "cloud-id",
        "token",
        "list",
        "remove",
        "scopes",
        "completions",
    ] {
        assert!(
            stdout.contains(&format!("\n  {command} ")),
            "{command} missing:\n{stdout}"
        );
    }
    for line in [
        "2    usage",
        "3    Atlassian rejected",
        "6    this machine",
        "130  interrupted",
    ] {
        assert!(stdout.contains(line), "{line} missing:\n{stdout}");
    }
    for env_var in [
        "JIRA_SPOKE_CONNECTION",
        "JIRA_SPOKE_AUTH_URL",
        "JIRA_SPOKE_API_URL",
        "JIRA_SPOKE_STORE",
    ] {
        assert!(stdout.contains(env_var), "{env_var} missing");
    }
}

/// The exit codes the code gives ([`ErrorKind::exit_code`]) and the ones
/// `--help` and the README document are the same set.
#[test]
fn every_exit_code_is_documented_in_help_and_readme_and_no_other() {
    use jira_spoke::error::ErrorKind;
    // A new kind does not compile until it is listed here.
    let listed = |kind: ErrorKind| match kind {
        ErrorKind::Unexpected
        | ErrorKind::Usage
        | ErrorKind::Auth
        | ErrorKind::NotFound
        | ErrorKind::Remote
        | ErrorKind::Local
        | ErrorKind::Interrupted => kind.exit_code(),
    };
    let mut codes: Vec<u8> = [
        ErrorKind::Unexpected,
        ErrorKind::Usage,
        ErrorKind::Auth,
        ErrorKind::NotFound,
        ErrorKind::Remote,
        ErrorKind::Local,
        ErrorKind::Interrupted,
    ]
    .map(listed)
    .to_vec();
    codes.push(0);
    codes.sort_unstable();

    let env = TestEnv::new();
    let help = output_text(&env.cmd().arg("--help").checked_output()).0;
    let help_section = help
        .split_once("Exit codes:")
        .expect("--help has an exit-code section")
        .1;
    let mut in_help: Vec<u8> = help_section
        .lines()
        .skip(1)
        .map_while(|l| l.strip_prefix("  "))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    in_help.sort_unstable();
    assert_eq!(in_help, codes, "--help:\n{help_section}");

    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme
        .split_once("## Exit codes")
        .expect("the README has an exit-code section")
        .1;
    let mut in_readme: Vec<u8> = table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            l.trim_start_matches('|')
                .split('|')
                .next()?
                .trim()
                .parse()
                .ok()
        })
        .collect();
    in_readme.sort_unstable();
    assert_eq!(in_readme, codes, "README");
}

#[test]
fn cloud_id_help_shows_every_accepted_form() {
    let env = TestEnv::new();
    let out = env.cmd().args(["cloud-id", "--help"]).checked_output();
    let (stdout, _) = output_text(&out);
    assert!(stdout.contains("admin.atlassian.com/s/"), "{stdout}");
    assert!(stdout.contains("jira-spoke cloud-id acme\n"), "{stdout}");
}

#[test]
fn completions_are_generated_for_each_shell() {
    let env = TestEnv::new();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef jira-spoke"),
        ("fish", "complete -c jira-spoke"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = env.cmd().args(["completions", shell]).checked_output();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(out.status.code(), Some(0), "{shell}: {stderr}");
        assert!(stdout.contains(marker), "{shell}");
        assert!(stdout.contains("cloud-id"), "{shell}");
    }
}

#[test]
fn scopes_groups_classic_and_granular_and_adds_offline_access_for_3lo() {
    let env = TestEnv::new();
    let out = env.cmd().arg("scopes").checked_output();
    let (stdout, _) = output_text(&out);
    let classic = stdout.find("Classic scopes").unwrap();
    let granular = stdout.find("Granular scopes").unwrap();
    let read_work = stdout.find("  read:jira-work").unwrap();
    let sprint = stdout.find("  delete:sprint:jira-software").unwrap();
    assert!(
        classic < read_work && read_work < granular && granular < sprint,
        "{stdout}"
    );
    assert!(stdout.contains("  offline_access"), "{stdout}");

    let out = env
        .cmd()
        .args(["--json", "scopes", "--grant", "client-credentials"])
        .checked_output();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["grant"], "client-credentials");
    let scopes = json["scopes"].as_array().unwrap();
    assert_eq!(scopes.len(), 13);
    assert!(!scopes.iter().any(|s| s["scope"] == "offline_access"));
    assert_eq!(scopes[0]["family"], "classic");
}

#[test]
fn setup_without_a_terminal_exits_2_at_once_pointing_to_connect() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .arg("setup")
        .timeout(std::time::Duration::from_secs(10))
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(stderr.contains("jira-spoke connect --grant"), "{stderr}");
}

#[test]
fn plain_http_endpoints_are_refused_unless_loopback() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["--auth-url", "http://auth.example.com", "list"])
        .checked_output();
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("plain http://"), "{stderr}");
    assert!(stderr.contains("hint: use https://"), "{stderr}");

    let out = env
        .cmd()
        .env("JIRA_SPOKE_API_URL", "http://10.0.0.8:8080")
        .arg("list")
        .checked_output();
    assert_eq!(out.status.code(), Some(2));

    let out = env
        .cmd()
        .args([
            "--auth-url",
            "http://127.0.0.1:9",
            "--api-url",
            "http://[::1]:9",
            "list",
        ])
        .checked_output();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out).1);
}

#[test]
fn an_invalid_connection_name_is_a_usage_error() {
    let env = TestEnv::new();
    let out = env.cmd().args(["-c", "a/b", "list"]).checked_output();
    assert_eq!(out.status.code(), Some(2));
    assert!(output_text(&out).1.contains("not a valid connection name"));
}

#[test]
fn color_always_paints_errors_and_no_color_is_the_default_here() {
    let env = TestEnv::new();
    let out = env.cmd().args(["cloud-id", "bad site"]).checked_output();
    assert!(
        !output_text(&out).1.contains('\u{1b}'),
        "NO_COLOR is set by TestEnv"
    );
    let out = env
        .cmd()
        .args(["--color", "always", "cloud-id", "bad site"])
        .checked_output();
    assert!(
        output_text(&out).1.contains("\u{1b}["),
        "--color always wins"
    );
}
