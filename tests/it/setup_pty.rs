//! The real `jira-spoke setup` binary driven through a pseudo-terminal
//! (dialoguer refuses to prompt on a pipe): the client-credentials journey,
//! a wrong-secret retry, the 3LO journey with `$BROWSER` set to a script,
//! a ServiceNow Jira spoke from nothing to both verifies green, Ctrl-C (and
//! the terminal modes it leaves), and `connect`'s paste mode. The 3LO and
//! ServiceNow runs' screens are the README's transcripts
//! ([`crate::support::readme`]).

#![cfg(unix)]

use std::path::Path;

use crate::support::pty::PtySession;
use crate::support::readme::{self, Hosts};
use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER};
use crate::support::{CheckedOutput, FakeAtlassian, FakeServiceNow, TestEnv, assert_no_secrets};

const SECRET: &str = "spoke-client-secret-XYZ123";

/// The terminal the README's transcripts come from: 100 columns, and rows
/// enough that nothing scrolls off.
const README_COLUMNS: u16 = 100;
const README_ROWS: u16 = 1000;

/// A pty session (it keeps everything it read).
struct Pty {
    session: PtySession,
}

impl Pty {
    fn spawn(env: &TestEnv, fake: &FakeAtlassian, extra_env: &[(&str, &Path)]) -> Pty {
        let mut cmd = env.std_cmd_with_fake(fake);
        cmd.env("TERM", "xterm").arg("setup");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        Pty::run(cmd)
    }

    fn run(cmd: std::process::Command) -> Pty {
        Pty {
            session: PtySession::spawn(cmd).expect("spawn in a pty"),
        }
    }

    /// [`Pty::spawn`] in a terminal of the README's size.
    fn spawn_for_readme(env: &TestEnv, fake: &FakeAtlassian, extra_env: &[(&str, &Path)]) -> Pty {
        let mut cmd = env.std_cmd_with_fake(fake);
        cmd.env("TERM", "xterm").arg("setup");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        Pty {
            session: PtySession::spawn_sized(cmd, Some((README_ROWS, README_COLUMNS)))
                .expect("spawn in a pty"),
        }
    }

    /// Runs `cmd` in a pty whose echo is on, as in a shell (a [`PtySession`]
    /// turns it off).
    fn run_echoing(cmd: std::process::Command) -> Pty {
        let mut sh = std::process::Command::new("sh");
        sh.arg("-c")
            .arg("stty echo && exec \"$0\" \"$@\"")
            .arg(cmd.get_program())
            .args(cmd.get_args());
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => sh.env(k, v),
                None => sh.env_remove(k),
            };
        }
        Pty::run(sh)
    }

    /// Whether the terminal echoes typed characters (read from the pty master,
    /// which reports the terminal's modes).
    fn echo_is_on(&self) -> bool {
        let modes = nix::sys::termios::tcgetattr(self.session.master()).unwrap();
        modes
            .local_flags
            .contains(nix::sys::termios::LocalFlags::ECHO)
    }

    fn expect(&mut self, needle: &str) {
        self.session.expect(needle);
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys);
    }

    fn line(&mut self, text: &str) {
        self.session.send_line(text);
    }

    /// Reads to the end and returns the exit code.
    fn finish(mut self) -> (i32, String) {
        self.finish_keeping_pty()
    }

    /// [`Pty::finish`], keeping the pty open to inspect it afterwards.
    fn finish_keeping_pty(&mut self) -> (i32, String) {
        self.session.read_to_eof();
        let status = self.session.wait();
        let code = match status.code() {
            Some(code) => code,
            None => panic!("not exited: {status:?}"),
        };
        (code, self.session.transcript())
    }
}

fn cc_until_secret(pty: &mut Pty, fake: &FakeAtlassian) {
    pty.expect("Jira site");
    pty.line(&fake.url());
    pty.expect("Cloud ID 1324a887-45db-1bf4-1e99-ef0ff456d421");
    pty.expect("How should jira-spoke authenticate?");
    pty.send("\r");
    pty.expect("ServiceNow Jira spoke");
    pty.line("n");
    pty.expect("Scopes");
    pty.send("\r");
    pty.expect("Other scopes to add (space-separated, Enter for none)");
    let shown = pty.session.expect("›");
    assert!(
        !shown.contains("()"),
        "an empty default is shown: {shown:?}"
    );
    pty.send("\r");
    pty.expect("Create credentials");
    pty.expect("Client ID");
    pty.line("spoke-client-id");
    pty.expect("Client secret");
}

#[test]
fn the_client_credentials_journey_completes_in_a_terminal() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let mut pty = Pty::spawn(&env, &fake, &[]);
    cc_until_secret(&mut pty, &fake);
    pty.line(SECRET);
    pty.expect("is ready");
    pty.expect("jira-spoke connect --grant client-credentials");
    let (code, screen) = pty.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("All 8 checks passed."), "{screen}");
    // Words a newcomer knows: the grant's other name, the account's kind,
    // the store, and placeholders that read as placeholders.
    for said in [
        "OAuth 2.0 Authorization Code (3LO)",
        "jira-spoke service account <bot@serviceaccount.atlassian.com> (service account)",
        "2 secrets readable from the plaintext file store (secrets.json)",
        "Secrets in the plaintext file store (secrets.json)",
        "https://admin.atlassian.com/s/CLOUD-ID/apps",
    ] {
        assert!(screen.contains(said), "{said}: {screen}");
    }
    assert!(
        !screen.contains("(app)") && !screen.contains("<Cloud-ID>"),
        "{screen}"
    );
    assert!(env.config_text().contains("grant = \"client-credentials\""));
    assert_no_secrets(
        &[("screen", &screen), ("config", &env.config_text())],
        &[SECRET],
    );
}

#[test]
fn a_yes_no_waits_for_enter_so_a_habitual_enter_does_not_answer_the_next_prompt() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let mut pty = Pty::spawn(&env, &fake, &[]);
    pty.expect("Jira site");
    pty.line(&fake.url());
    pty.expect("How should jira-spoke authenticate?");
    pty.send("\r");
    pty.expect("ServiceNow Jira spoke");
    let scopes_before = pty.session.screen().matches("Scopes").count();
    pty.send("n");
    // NOTE: a lone `n` (or `y`) must not answer: were it taken at once,
    // the Enter typed after it would answer the scope picker, unseen.
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert_eq!(
        pty.session.screen().matches("Scopes").count(),
        scopes_before,
        "the yes/no was answered without Enter:\n{}",
        pty.session.screen()
    );
    pty.send("\r");
    pty.expect("Scopes");
    pty.session.send_control('c');
    let (code, screen) = pty.finish();
    assert_eq!(code, 130, "{screen}");
    assert_no_secrets(&[("screen", &screen)], &[SECRET]);
}

#[test]
fn a_wrong_secret_is_asked_again_in_a_terminal() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let mut pty = Pty::spawn(&env, &fake, &[]);
    cc_until_secret(&mut pty, &fake);
    pty.line("wrong-secret-123456");
    pty.expect("rejected the client ID or secret");
    pty.expect("Enter the credentials again?");
    pty.line("y");
    pty.expect("Client ID");
    pty.line("spoke-client-id");
    pty.expect("Client secret");
    pty.line(SECRET);
    pty.expect("is ready");
    let (code, screen) = pty.finish();
    assert_eq!(code, 0, "{screen}");
    assert_no_secrets(&[("screen", &screen)], &[SECRET, "wrong-secret-123456"]);
}

#[test]
fn ctrl_c_exits_130_and_leaves_the_config_alone() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let mut pty = Pty::spawn(&env, &fake, &[]);
    pty.expect("Jira site");
    pty.session.send_control('c');
    let (code, screen) = pty.finish();
    assert_eq!(code, 130, "{screen}");
    assert!(env.config_text().is_empty());
}

#[test]
fn ctrl_c_at_the_secret_prompt_of_setup_leaves_echo_on() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let mut cmd = env.std_cmd_with_fake(&fake);
    cmd.env("TERM", "xterm").arg("setup");
    let mut pty = Pty::run_echoing(cmd);
    cc_until_secret(&mut pty, &fake);
    pty.send("half-typed");
    pty.session.send_control('c');
    let (code, screen) = pty.finish_keeping_pty();
    assert_eq!(code, 130, "{screen}");
    assert!(pty.echo_is_on(), "echo is off after Ctrl-C: {screen}");
    assert!(env.config_text().is_empty());
}

#[test]
fn ctrl_c_at_the_secret_prompt_of_connect_leaves_echo_on() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let mut cmd = env.std_cmd_with_fake(&fake);
    cmd.env("TERM", "xterm")
        .args(["connect", "--grant", "client-credentials"])
        .args(["--client-id", "spoke-client-id", "--site", &fake.url()]);
    let mut pty = Pty::run_echoing(cmd);
    pty.expect("Client secret");
    pty.session.send_control('c');
    let (code, screen) = pty.finish_keeping_pty();
    assert_eq!(code, 130, "{screen}");
    assert!(pty.echo_is_on(), "echo is off after Ctrl-C: {screen}");
    assert!(fake.requests().is_empty());
}

#[test]
fn the_authorization_code_journey_completes_through_the_browser() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = crate::support::free_port();
    let browser = env.curl_browser();
    let mut pty = Pty::spawn_for_readme(&env, &fake, &[("BROWSER", &browser)]);
    pty.expect("Jira site");
    pty.line(&fake.url());
    pty.expect("How should jira-spoke authenticate?");
    pty.send("\x1b[B");
    pty.send("\r");
    pty.expect("ServiceNow Jira spoke");
    pty.line("n");
    pty.expect("Callback URL to register");
    pty.line(&format!("http://127.0.0.1:{port}/callback"));
    pty.expect("Scopes");
    pty.send("\r");
    pty.expect("Other scopes to add");
    pty.send("\r");
    pty.expect("Enable sharing");
    pty.expect("Client ID");
    pty.line("spoke-client-id");
    pty.expect("Client secret");
    pty.line(SECRET);
    pty.expect("Open this URL in a browser");
    pty.expect("is ready");
    let (code, screen) = pty.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Mia Krystof"), "{screen}");
    assert!(
        screen.contains(&format!(
            "Callback URL, exactly:\r\n       http://127.0.0.1:{port}/callback"
        )),
        "{screen}"
    );
    assert!(env.config_text().contains("refresh_token"));
    assert_no_secrets(&[("screen", &screen)], &[SECRET]);
    // The README's "What `setup` looks like" is this screen.
    let callback = format!("127.0.0.1:{port}");
    let config_dir = env.config_dir().display().to_string();
    let hosts = Hosts {
        atlassian: &fake.url(),
        servicenow: None,
        callback: Some(&callback),
        config_dir: &config_dir,
    };
    let shown = crate::support::screen::text(&screen, README_ROWS, README_COLUMNS);
    readme::assert_transcript(
        "setup-3lo",
        "jira-spoke setup",
        &readme::filtered(&shown, &hosts),
    );
}

#[test]
fn a_servicenow_spoke_goes_from_nothing_to_both_verifies_green() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    // "Get OAuth Token" in a browser signed in to ServiceNow: the script
    // follows the instance's initiator page, where the fake gives consent.
    let browser = env.curl_browser();
    let mut pty = Pty::spawn_for_readme(&env, &fake, &[("BROWSER", &browser)]);
    pty.expect("Jira site");
    pty.line(&fake.url());
    pty.expect("How should jira-spoke authenticate?");
    pty.send("\x1b[B");
    pty.send("\r");
    pty.expect("ServiceNow Jira spoke");
    pty.line("y");
    pty.expect("ServiceNow instance");
    pty.line(&sn.url());
    pty.expect("keeps no token");
    pty.expect("Scopes");
    pty.send("\r");
    pty.expect("Other scopes to add");
    pty.send("\r");
    pty.expect("Enable sharing");
    pty.expect("Client ID");
    pty.line("spoke-client-id");
    pty.expect("Client secret");
    pty.line(SECRET);
    pty.expect("records on");
    pty.line("y");
    pty.expect("ServiceNow admin user");
    pty.line(SN_USER);
    pty.expect("ServiceNow admin password");
    pty.line(SN_PASSWORD);
    pty.expect("Created 32 and updated 0 records; 1 unchanged.");
    pty.expect("oauth_initiator.do");
    pty.expect("ServiceNow holds a refresh token");
    pty.expect("○ site");
    pty.expect("4 checks passed, 4 skipped: site, identity, server, scopes.");
    pty.expect("All 10 checks passed.");
    pty.expect("is ready");
    let (code, screen) = pty.finish();
    assert_eq!(code, 0, "{screen}");
    let callback = format!("{}/oauth_redirect.do", sn.url());
    assert!(
        screen.contains(&format!("Callback URL, exactly:\r\n       {callback}")),
        "{screen}"
    );
    assert!(
        screen.contains(&format!(
            "ServiceNow {}: the Jira spoke's records are in place and verify passed.",
            sn.url()
        )),
        "{screen}"
    );
    let config = env.config_text();
    assert!(
        config.contains(&format!("redirect_uri = \"{callback}\"")),
        "{config}"
    );
    assert!(
        !config.contains("refresh_token"),
        "the token is ServiceNow's: {config}"
    );
    assert_eq!(sn.rows("oauth_credential").len(), 1, "ServiceNow holds it");
    assert!(fake.requests_to("/authorize").is_empty());
    assert_no_secrets(
        &[("screen", &screen), ("config", &config)],
        &[SECRET, SN_PASSWORD],
    );
    // The README's "The same from `setup`" is this screen.
    let config_dir = env.config_dir().display().to_string();
    let hosts = Hosts {
        atlassian: &fake.url(),
        servicenow: Some(&sn.url()),
        callback: None,
        config_dir: &config_dir,
    };
    let shown = crate::support::screen::text(&screen, README_ROWS, README_COLUMNS);
    readme::assert_transcript(
        "setup-servicenow",
        "jira-spoke setup",
        &readme::filtered(&shown, &hosts),
    );
}

#[test]
fn another_jira_site_gets_a_connection_and_a_child_alias_of_its_own() {
    // The first site, set up with the commands.
    let first = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    env.connect_cc(&first, "default");
    for args in [
        &["servicenow", "apply"][..],
        &["servicenow", "consent", "--wait", "30"][..],
    ] {
        let out = env
            .cmd_servicenow(&sn)
            .env("BROWSER", env.curl_browser())
            .args(args)
            .checked_output();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
    let first_rows = sn.rows("http_connection");

    // The second, through setup's "Add another Jira site".
    let second = FakeAtlassian::start();
    second.configure(|s| s.cloud_id = "2bb3c4d5-0000-4000-8000-000000000002".into());
    let browser = env.curl_browser();
    let instance = std::path::PathBuf::from(sn.url());
    let user = std::path::PathBuf::from(SN_USER);
    let password = std::path::PathBuf::from(SN_PASSWORD);
    let mut pty = Pty::spawn(
        &env,
        &second,
        &[
            ("BROWSER", &browser),
            ("JIRA_SPOKE_SERVICENOW_INSTANCE", &instance),
            ("JIRA_SPOKE_SERVICENOW_USER", &user),
            ("JIRA_SPOKE_SERVICENOW_PASSWORD", &password),
        ],
    );
    pty.expect("A connection named `default` exists");
    pty.expect("Add another Jira site");
    pty.send("\x1b[B\x1b[B\r");
    pty.expect("Name for the new connection");
    pty.send("\r");
    pty.expect("Jira site");
    pty.line(&second.url());
    pty.expect("How should jira-spoke authenticate?");
    pty.send("\r");
    pty.expect("ServiceNow Jira spoke");
    pty.line("y");
    pty.expect("Scopes");
    pty.send("\r");
    pty.expect("Other scopes to add");
    pty.send("\r");
    pty.expect("Client ID");
    pty.line("spoke-client-id");
    pty.expect("Client secret");
    pty.line(SECRET);
    pty.expect("records on");
    pty.line("y");
    pty.expect("ServiceNow instance");
    pty.send("\r");
    pty.expect("Created 31 and updated 0 records; 1 unchanged.");
    pty.expect("This Jira site has a child alias");
    pty.expect("ServiceNow holds an access token");
    pty.expect("All 10 checks passed.");
    let (code, screen) = pty.finish();
    assert_eq!(code, 0, "{screen}");
    let plain = plain(&screen);
    assert!(
        plain.contains(
            "withConnectionAliasOverride('sn_jira_spoke.Jira', 'sn_jira_spoke.Jira_2bb3c4d5')"
        ),
        "{plain}"
    );
    let config = env.config_text();
    assert!(config.contains("[connections.site2]") && config.contains("[connections.default]"));
    let connections = sn.rows("http_connection");
    assert_eq!(connections.len(), 2);
    assert!(
        connections.contains(&first_rows[0]),
        "the first site's connection is untouched"
    );
    assert_eq!(
        sn.rows("sys_alias").len(),
        2,
        "the spoke's alias and one child"
    );
    assert_no_secrets(
        &[("screen", &screen), ("config", &config)],
        &[SECRET, SN_PASSWORD],
    );
}

/// The screen without escape codes and carriage returns.
fn plain(screen: &str) -> String {
    let mut clean = String::new();
    let mut chars = screen.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                while let Some(&n) = chars.peek() {
                    chars.next();
                    if n.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        if c != '\r' {
            clean.push(c);
        }
    }
    clean
}

/// The authorize URL that a command printed, up to the end of its line.
fn printed_url(screen: &str) -> String {
    let start = screen.find("http://127.0.0.1").expect("a printed URL");
    screen[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn connect_without_a_browser_takes_the_pasted_redirect_url() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = crate::support::free_port();
    let mut cmd = env.std_cmd_with_fake(&fake);
    cmd.env("TERM", "xterm")
        .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
        .args([
            "connect",
            "--grant",
            "authorization-code",
            "--client-id",
            "spoke-client-id",
            "--no-browser",
        ])
        .args([
            "--site",
            &fake.url(),
            "--redirect-uri",
            &format!("http://127.0.0.1:{port}/callback"),
        ]);
    let mut pty = Pty::run(cmd);
    pty.expect("Open this URL in a browser to give consent:");
    pty.expect("code_challenge_method=S256");
    pty.expect("paste the address the browser shows");
    let authorize = printed_url(&pty.session.transcript());
    // The "browser" is elsewhere: it follows the URL to a page that cannot load
    // (the callback is on another machine), and the admin copies its address.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let landed = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let answer = client.get(&authorize).send().await.unwrap();
        answer.headers()["location"].to_str().unwrap().to_owned()
    });
    assert!(
        landed.contains("code=") && landed.contains("state="),
        "{landed}"
    );
    // A stale tab's address first: said, and another paste is read.
    pty.line(&format!(
        "http://127.0.0.1:{port}/callback?code=old-code&state=an-earlier-attempt"
    ));
    pty.expect("Paste the address again");
    pty.line(&landed);
    pty.expect("Connected `default`");
    let (code, screen) = pty.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(env.config_text().contains("refresh_token"));
}

#[test]
fn paste_mode_ends_as_soon_as_the_callback_arrives() {
    let fake = FakeAtlassian::start();
    let env = TestEnv::new();
    let port = crate::support::free_port();
    let mut cmd = env.std_cmd_with_fake(&fake);
    cmd.env("TERM", "xterm")
        .env("JIRA_SPOKE_CLIENT_SECRET", SECRET)
        .args(["connect", "--grant", "authorization-code"])
        .args(["--client-id", "spoke-client-id", "--no-browser"])
        .args([
            "--site",
            &fake.url(),
            "--redirect-uri",
            &format!("http://127.0.0.1:{port}/callback"),
        ]);
    let mut pty = Pty::run(cmd);
    // The URL is read once the line after it has arrived, so it is whole.
    pty.expect("paste the address the browser shows");
    let authorize = printed_url(&pty.session.transcript());
    // A browser on this machine after all: it follows the URL to the loopback
    // callback while the paste prompt is still waiting for a line.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let page = runtime.block_on(async {
        let answer = reqwest::get(&authorize).await.unwrap();
        assert_eq!(answer.url().path(), "/callback");
        answer.text().await.unwrap()
    });
    assert!(page.contains("You can close this tab"), "{page}");
    let arrived = std::time::Instant::now();
    let exited = loop {
        if let Some(status) = pty.session.try_status() {
            break Some(status);
        }
        if arrived.elapsed() > std::time::Duration::from_secs(2) {
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let screen = match exited {
        Some(status) if status.code() == Some(0) => {
            pty.session.read_to_eof();
            pty.session.transcript()
        }
        other => panic!(
            "not done 2 s after the callback ({other:?}):\n{}",
            pty.session.screen()
        ),
    };
    assert!(screen.contains("Connected `default`"), "{screen}");
    assert!(env.config_text().contains("refresh_token"));
}
