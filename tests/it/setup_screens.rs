//! The wizard on a narrow terminal, as the terminal shows it: the bytes
//! `setup` writes to a 60-column pty go through a terminal's screen model
//! (vt100), so a prompt that wrapped and was answered must leave no row of
//! itself behind.

#![cfg(unix)]

use crate::setup_resume::SECRET;
use crate::support::pty::PtySession;
use crate::support::servicenow_fake::{SN_PASSWORD, SN_USER};
use crate::support::{FakeAtlassian, FakeServiceNow, TestEnv, assert_no_secrets};

const COLUMNS: u16 = 60;
/// Rows enough that nothing scrolls off: the whole run stays on the screen.
const ROWS: u16 = 600;

#[test]
fn at_60_columns_every_answered_prompt_shows_once_and_whole() {
    let fake = FakeAtlassian::start();
    let sn = FakeServiceNow::start();
    let env = TestEnv::new();
    let mut cmd = env.std_cmd_with_fake(&fake);
    cmd.env("TERM", "xterm")
        .env("BROWSER", env.curl_browser())
        .arg("setup");
    let mut pty = PtySession::spawn_sized(cmd, Some((ROWS, COLUMNS))).expect("spawn in a pty");
    crate::setup_resume::to_the_records_question(&mut pty, &fake, &sn);
    pty.send_line("y");
    pty.expect("ServiceNow admin user");
    pty.send_line(SN_USER);
    pty.expect("ServiceNow admin password");
    pty.send_line(SN_PASSWORD);
    pty.expect("is ready");
    pty.read_to_eof();
    let code = pty.wait().code();
    let bytes = pty.transcript();
    let rows = crate::support::screen::rows(&bytes, ROWS, COLUMNS);
    let screen = rows.join("\n");
    assert_eq!(code, Some(0), "{screen}");

    // No question is left half-cleared, no menu line stays behind.
    let stale: Vec<&String> = rows
        .iter()
        .filter(|r| r.starts_with("? ") || r.starts_with('❯'))
        .collect();
    assert!(stale.is_empty(), "stale rows {stale:?} on:\n{screen}");
    // Every question answered shows once, as answered.
    assert_eq!(
        rows.iter().filter(|r| r.starts_with("✔ ")).count(),
        11,
        "{screen}"
    );
    // A prompt wider than the terminal reads whole, in rows that fit.
    let flowing = screen.replace("\n  ", " ");
    for answered in [
        format!(
            "✔ Create the Jira spoke's records on {} now? (No: jira-spoke lists what to type in \
             ServiceNow's forms) · yes",
            sn.url()
        ),
        "✔ Are you configuring a ServiceNow Jira spoke with this connection? · yes".to_owned(),
        format!(
            "✔ ServiceNow instance (the name before .service-now.com) · {}",
            sn.url()
        ),
    ] {
        assert_eq!(
            flowing.matches(&answered).count(),
            1,
            "{answered}\n{screen}"
        );
    }
    assert_no_secrets(&[("screen", &bytes)], &[SECRET, SN_PASSWORD]);
}
