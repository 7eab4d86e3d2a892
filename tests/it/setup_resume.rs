//! `setup` stopped part-way, in a terminal: Ctrl-C once the connection is
//! stored says what was kept, where, and the one command that goes on — and
//! that command, run as printed, finishes the job against the fakes. A
//! credential that lacks a scope is fixed in place, or left with the
//! `connect` line that picks up from there; a refused ServiceNow password is
//! asked again with the user pre-filled.

#![cfg(unix)]

use crate::support::pty::PtySession;
use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER};
use crate::support::{
    CheckedOutput, FakeAtlassian, FakeServiceNow, TestEnv, assert_no_secrets, output_text,
};

pub(crate) const SECRET: &str = "spoke-client-secret-XYZ123";

fn spawn(env: &TestEnv, fake: &FakeAtlassian, extra: &[(&str, &str)], args: &[&str]) -> PtySession {
    let mut cmd = env.std_cmd_with_fake(fake);
    cmd.env("TERM", "xterm").args(args).arg("setup");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    PtySession::spawn(cmd).expect("spawn in a pty")
}

/// Walks the authorization-code set-up of a Jira spoke on `sn` up to the
/// question whether to create its records now. The words it waits for are
/// short enough to stay on one line at 60 columns.
pub(crate) fn to_the_records_question(
    pty: &mut PtySession,
    fake: &FakeAtlassian,
    sn: &FakeServiceNow,
) {
    pty.expect("Jira site");
    pty.send_line(&fake.url());
    pty.expect("authenticate?");
    pty.send("\x1b[B\r");
    pty.expect("ServiceNow Jira");
    pty.send_line("y");
    pty.expect("ServiceNow instance");
    pty.send_line(&sn.url());
    scopes_and_credentials(pty);
    pty.expect("records on");
}

/// The default scopes taken, then the client ID and secret typed.
fn scopes_and_credentials(pty: &mut PtySession) {
    pty.expect("Scopes");
    pty.send("\r");
    pty.expect("Other scopes to add");
    pty.send("\r");
    pty.expect("Client ID");
    pty.send_line("spoke-client-id");
    pty.expect("Client secret");
    pty.send_line(SECRET);
}

/// Ctrl-C, then the end: the exit code and the screen.
fn interrupt(pty: &mut PtySession) -> (i32, String) {
    pty.send_control('c');
    pty.read_to_eof();
    let code = pty.wait().code().expect("exited");
    (code, pty.transcript())
}

/// The command of the `hint: resume with `…`` line, as words.
fn resume_command(screen: &str) -> Vec<String> {
    let start = screen
        .find("hint: resume with `")
        .unwrap_or_else(|| panic!("no resume command:\n{screen}"))
        + "hint: resume with `".len();
    let end = start + screen[start..].find('`').unwrap();
    let words: Vec<String> = screen[start..end]
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert_eq!(words[0], "jira-spoke", "{screen}");
    words
}

/// Runs the printed command as printed, signed in to ServiceNow as a shell
/// would be (the environment's user and password), with a `$BROWSER` that
/// gives consent.
fn run_printed(
    env: &TestEnv,
    fake: &FakeAtlassian,
    words: &[String],
) -> (Option<i32>, String, String) {
    let out = env
        .cmd_with_fake(fake)
        .env("JIRA_SPOKE_SERVICENOW_USER", SN_USER)
        .env("JIRA_SPOKE_SERVICENOW_PASSWORD", SN_PASSWORD)
        .env("BROWSER", env.curl_browser())
        .args(&words[1..])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    (out.status.code(), stdout, stderr)
}

#[test]
fn ctrl_c_after_the_jira_half_names_the_kept_connection_and_the_apply_that_resumes() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let mut pty = spawn(&env, &fake, &[], &["-c", "prod"]);
    to_the_records_question(&mut pty, &fake, &sn);
    let (code, screen) = interrupt(&mut pty);
    assert_eq!(code, 130, "{screen}");
    assert!(
        screen.contains("interrupted: connection `prod` is saved in ")
            && screen.contains("its secrets in the plaintext file store (secrets.json)")
            && screen.contains("nothing is written to ServiceNow yet"),
        "{screen}"
    );
    let words = resume_command(&screen);
    assert_eq!(
        words.join(" "),
        format!(
            "jira-spoke -c prod servicenow apply --instance {}",
            sn.url()
        )
    );
    assert!(sn.writes().is_empty(), "nothing was written yet");
    assert!(env.config_text().contains("[connections.prod]"));

    let (code, stdout, stderr) = run_printed(&env, &fake, &words);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("Created 32"), "{stdout}");
    assert_no_secrets(&[("screen", &screen)], &[SECRET, SN_PASSWORD]);
}

#[test]
fn ctrl_c_before_the_instance_is_known_resumes_with_an_apply_that_asks_for_it() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let mut pty = spawn(&env, &fake, &[], &["-c", "prod"]);
    // Client credentials: the instance is asked only when the records are made.
    pty.expect("Jira site");
    pty.send_line(&fake.url());
    pty.expect("How should jira-spoke authenticate?");
    pty.send("\r");
    pty.expect("ServiceNow Jira spoke");
    pty.send_line("y");
    scopes_and_credentials(&mut pty);
    pty.expect("records on your ServiceNow instance");
    let (code, screen) = interrupt(&mut pty);
    assert_eq!(code, 130, "{screen}");
    let words = resume_command(&screen);
    assert_eq!(words.join(" "), "jira-spoke -c prod servicenow apply");

    // Run as printed, at a terminal: the instance is asked for.
    let mut cmd = env.std_cmd_with_fake(&fake);
    cmd.env("TERM", "xterm")
        .env("JIRA_SPOKE_SERVICENOW_USER", SN_USER)
        .env("JIRA_SPOKE_SERVICENOW_PASSWORD", SN_PASSWORD)
        .args(&words[1..]);
    let mut pty = PtySession::spawn(cmd).expect("spawn in a pty");
    pty.expect("ServiceNow instance");
    pty.send_line("not an instance!");
    pty.expect("hint:");
    pty.send_line(&sn.url());
    pty.read_to_eof();
    let code = pty.wait().code();
    let applied = pty.transcript();
    assert_eq!(code, Some(0), "{applied}");
    assert!(applied.contains("Created"), "{applied}");
    assert!(!sn.writes().is_empty(), "the records were made");
    assert_no_secrets(
        &[("screen", &screen), ("applied", &applied)],
        &[SECRET, SN_PASSWORD],
    );
}

#[test]
fn ctrl_c_during_the_servicenow_apply_says_apply_completes_the_partial_run() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let mut pty = spawn(&env, &fake, &[], &[]);
    to_the_records_question(&mut pty, &fake, &sn);
    pty.send_line("y");
    pty.expect("ServiceNow admin user");
    pty.send_line(SN_USER);
    pty.expect("ServiceNow admin password");
    // Slow answers, so that the Ctrl-C lands among the writes.
    sn.configure(|s| s.latency = std::time::Duration::from_millis(300));
    pty.send_line(SN_PASSWORD);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while sn.writes().is_empty() {
        assert!(std::time::Instant::now() < deadline, "apply never wrote");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (code, screen) = interrupt(&mut pty);
    assert_eq!(code, 130, "{screen}");
    assert!(
        screen.contains("may be half-written, and `servicenow apply` completes a partial run"),
        "{screen}"
    );
    let words = resume_command(&screen);
    assert_eq!(
        words.join(" "),
        format!("jira-spoke servicenow apply --instance {}", sn.url())
    );

    sn.configure(|s| s.latency = std::time::Duration::ZERO);
    let (code, stdout, stderr) = run_printed(&env, &fake, &words);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let (code, stdout, stderr) = run_printed(
        &env,
        &fake,
        &["jira-spoke", "servicenow", "consent", "--wait", "30"].map(String::from),
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_no_secrets(&[("screen", &screen)], &[SECRET, SN_PASSWORD]);
}

#[test]
fn ctrl_c_during_the_consent_wait_says_the_records_exist_and_consent_resumes() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    // A browser that opens nothing: the consent never comes.
    let mut pty = spawn(&env, &fake, &[("BROWSER", "true")], &[]);
    to_the_records_question(&mut pty, &fake, &sn);
    pty.send_line("y");
    pty.expect("ServiceNow admin user");
    pty.send_line(SN_USER);
    pty.expect("ServiceNow admin password");
    pty.send_line(SN_PASSWORD);
    pty.expect("Created 32");
    pty.expect("oauth_initiator.do");
    let (code, screen) = interrupt(&mut pty);
    assert_eq!(code, 130, "{screen}");
    assert!(
        screen.contains("all the Jira spoke's records are on")
            && screen.contains("only \"Get OAuth Token\" was left"),
        "{screen}"
    );
    let words = resume_command(&screen);
    // The instance is remembered once the records are there.
    assert_eq!(words.join(" "), "jira-spoke servicenow consent");

    let (code, stdout, stderr) = run_printed(&env, &fake, &words);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("ServiceNow holds a refresh token"),
        "{stdout}{stderr}"
    );
    let (code, stdout, stderr) = run_printed(
        &env,
        &fake,
        &["jira-spoke", "servicenow", "verify"].map(String::from),
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_no_secrets(&[("screen", &screen)], &[SECRET, SN_PASSWORD]);
}

#[test]
fn ctrl_c_after_the_jira_half_with_json_is_one_json_error_naming_the_resume() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    // stdout to a file, as a script reads it; the prompts stay on the terminal.
    let stdout = env.root().join("stdout.json");
    let mut cmd = env.std_cmd_with_fake(&fake);
    cmd.env("TERM", "xterm").env("OUT", &stdout);
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg("exec \"$0\" --json setup >\"$OUT\"")
        .arg(cmd.get_program());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => sh.env(k, v),
            None => sh.env_remove(k),
        };
    }
    let mut pty = PtySession::spawn(sh).expect("spawn in a pty");
    to_the_records_question(&mut pty, &fake, &sn);
    let (code, screen) = interrupt(&mut pty);
    assert_eq!(code, 130, "{screen}");
    let text = std::fs::read_to_string(&stdout).unwrap();
    let json: serde_json::Value = serde_json::from_str(text.trim()).expect("one JSON object");
    assert_eq!(json["error"]["kind"], "interrupted", "{text}");
    assert_eq!(json["error"]["exit_code"], 130, "{text}");
    assert_eq!(
        json["error"]["hint"],
        format!(
            "resume with `jira-spoke servicenow apply --instance {}`",
            sn.url()
        ),
        "{text}"
    );
    assert_no_secrets(
        &[("screen", &screen), ("stdout", &text)],
        &[SECRET, SN_PASSWORD],
    );
}

/// A service account credential without `read:jql:jira` (and the fake's
/// scopes as they were, to give back once the admin "fixed" it).
fn lacking_a_scope(fake: &FakeAtlassian) -> Vec<String> {
    let mut all = Vec::new();
    fake.configure(|s| {
        all = s.granted_scopes.clone();
        s.granted_scopes.retain(|x| x != "read:jql:jira");
    });
    all
}

/// The client-credentials set-up up to the scope check's question.
fn to_the_scope_question(pty: &mut PtySession, fake: &FakeAtlassian) {
    pty.expect("Jira site");
    pty.send_line(&fake.url());
    pty.expect("How should jira-spoke authenticate?");
    pty.send("\r");
    pty.expect("ServiceNow Jira spoke");
    pty.send_line("n");
    scopes_and_credentials(pty);
    pty.expect("Atlassian granted fewer scopes than this connection needs: missing granular: read:jql:jira");
    pty.expect("create a new OAuth 2.0 credential with granular: read:jql:jira");
    pty.expect("The credential lacks scopes. What now?");
}

#[test]
fn a_credential_lacking_a_scope_is_tried_again_in_place_with_every_answer_kept() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let all = lacking_a_scope(&fake);
    let mut pty = spawn(&env, &fake, &[], &[]);
    to_the_scope_question(&mut pty, &fake);
    // The admin makes a credential that has it, and tries again.
    fake.configure(|s| s.granted_scopes = all);
    pty.send("\r");
    pty.expect("Client ID");
    // The last client ID is offered: Enter takes it.
    pty.send("\r");
    pty.expect("Client secret");
    pty.send_line(SECRET);
    pty.expect("is ready");
    pty.read_to_eof();
    let code = pty.wait().code();
    let screen = pty.transcript();
    assert_eq!(code, Some(0), "{screen}");
    assert_eq!(
        screen.matches("Which Jira site?").count(),
        1,
        "the site was not asked again: {screen}"
    );
    assert!(screen.contains("All 8 checks passed."), "{screen}");
    assert_no_secrets(&[("screen", &screen)], &[SECRET]);
}

#[test]
fn quitting_at_a_missing_scope_prints_the_connect_line_that_picks_up_from_there() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let all = lacking_a_scope(&fake);
    let mut pty = spawn(&env, &fake, &[], &[]);
    to_the_scope_question(&mut pty, &fake);
    pty.send("\x1b[B\r");
    pty.read_to_eof();
    let code = pty.wait().code();
    let screen = pty.transcript();
    assert_eq!(code, Some(3), "{screen}");
    assert!(env.config_text().is_empty(), "nothing was saved");
    let start = screen.find("To go on later: ").expect("the line") + "To go on later: ".len();
    let line = screen[start..].lines().next().unwrap().trim();
    assert_eq!(
        line,
        format!(
            "jira-spoke connect --grant client-credentials --client-id spoke-client-id --site {}",
            fake.url()
        )
    );

    fake.configure(|s| s.granted_scopes = all);
    let words: Vec<&str> = line.split_whitespace().collect();
    let out = env
        .cmd_with_fake(&fake)
        .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
        .args(&words[1..])
        .checked_output();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert_no_secrets(&[("screen", &screen)], &[SECRET]);
}

/// A ServiceNow password refused: asked again with the user pre-filled, so
/// Enter keeps it and the password goes where it belongs (never into the
/// visible user field, nor into an error line).
#[test]
fn a_refused_servicenow_password_is_asked_again_with_the_user_pre_filled() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let browser = env.curl_browser();
    let browser = browser.to_str().unwrap();
    let mut pty = spawn(&env, &fake, &[("BROWSER", browser)], &[]);
    to_the_records_question(&mut pty, &fake, &sn);
    pty.send_line("y");
    pty.expect("ServiceNow admin user");
    pty.send_line(SN_USER);
    pty.expect("ServiceNow admin password");
    pty.send_line("not-the-password");
    pty.expect("Enter the ServiceNow user and password again?");
    pty.send_line("y");
    // The user refused a moment ago is the default: Enter keeps it.
    pty.expect(&format!("ServiceNow admin user ({SN_USER})"));
    pty.send("\r");
    pty.expect("ServiceNow admin password");
    pty.send_line(SN_PASSWORD);
    pty.expect("Created");
    pty.read_to_eof();
    let code = pty.wait().code();
    let screen = pty.transcript();
    assert_eq!(code, Some(0), "{screen}");
    assert_no_secrets(
        &[("screen", &screen)],
        &[SECRET, SN_PASSWORD, "not-the-password"],
    );
}
