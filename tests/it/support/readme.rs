//! README transcripts that are what the tests produced: a fenced `text`
//! block under a `<!-- transcript: NAME -->` line in README.md is compared
//! with the screen a pty test saw, its loopback fakes shown as the real
//! hosts they stand for and its random values masked.
//! `JIRA_SPOKE_BLESS=1` rewrites the block from the test; review the diff.

use std::path::PathBuf;

/// The real hosts the fakes stand for, in README transcripts.
pub(crate) struct Hosts<'a> {
    /// The fake Atlassian's base URL (auth server, gateway and site at once).
    pub atlassian: &'a str,
    /// The fake ServiceNow instance's base URL, if any.
    pub servicenow: Option<&'a str>,
    /// The loopback callback URL's `127.0.0.1:PORT`, if any.
    pub callback: Option<&'a str>,
    /// The test's config directory.
    pub config_dir: &'a str,
}

/// `screen` as the README shows it: the fakes as the hosts they stand for,
/// the config directory as the usual one, random values as `…`.
pub(crate) fn filtered(screen: &str, hosts: &Hosts<'_>) -> String {
    let mut text = screen.to_owned();
    let a = hosts.atlassian;
    for (path, real) in [
        ("/ex/jira", "https://api.atlassian.com/ex/jira"),
        ("/oauth/token", "https://auth.atlassian.com/oauth/token"),
        ("/authorize", "https://auth.atlassian.com/authorize"),
    ] {
        text = text.replace(&format!("{a}{path}"), real);
    }
    text = text.replace(a, "https://acme.atlassian.net");
    if let Some(sn) = hosts.servicenow {
        text = text.replace(sn, "https://acme.service-now.com");
    }
    if let Some(callback) = hosts.callback {
        text = text.replace(callback, "localhost:8765");
    }
    text = text.replace(hosts.config_dir, "~/.config/jira-spoke");
    text.lines().map(mask_random).collect::<Vec<_>>().join("\n")
}

/// A line with its random parts as `…`: a secret entry's suffix
/// (`client_secret:lpd9oq`), a sys_id, a consent link's state.
fn mask_random(line: &str) -> String {
    let mut line = line.to_owned();
    if line.trim_start().contains(": jira-spoke/")
        && let Some(at) = line.rfind(':')
    {
        line.replace_range(at + 1.., "…");
    }
    // NOTE: a token's time left is not masked: rounded to the nearest unit
    // ("1 h", "90 d"), it does not change with how long the run took.
    if let Some(at) = line.find("/start/") {
        let end = line[at..]
            .find(char::is_whitespace)
            .map_or(line.len(), |e| at + e);
        line.replace_range(at + "/start/".len()..end, "…");
    }
    mask_hex_runs(&line)
}

/// 32-hex-digit runs (ServiceNow sys_ids) as `…`.
fn mask_hex_runs(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        if run == 32 {
            out.push('…');
            i += run;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Asserts that the README's transcript `name` is `actual` (after
/// "$ command"), or rewrites it with `JIRA_SPOKE_BLESS=1`.
pub(crate) fn assert_transcript(name: &str, command: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let marker = format!("<!-- transcript: {name} -->\n```text\n");
    let start = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no `{}`", marker.trim_end()))
        + marker.len();
    let end = start + readme[start..].find("```\n").expect("the block's end");
    let actual = format!("$ {command}\n{}\n", actual.trim_end());
    if std::env::var_os("JIRA_SPOKE_BLESS").is_some() {
        let updated = format!("{}{actual}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    let expected = &readme[start..end];
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "README transcript `{name}` differs at its line {}:\n  README: {:?}\n  test:   {:?}\n\
             --- the test's ---\n{actual}--- end (JIRA_SPOKE_BLESS=1 rewrites README.md) ---",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

#[test]
fn random_values_are_masked_and_nothing_else() {
    assert_eq!(
        mask_random("    client_secret: jira-spoke/default:client_secret:lpd9oq"),
        "    client_secret: jira-spoke/default:client_secret:…"
    );
    assert_eq!(
        mask_random("x?sys_id=00000000000000000000005e0000004a&y=1324a887"),
        "x?sys_id=…&y=1324a887"
    );
    assert_eq!(
        mask_random("  ✓ token      stored token, valid for 1 h; refresh token"),
        "  ✓ token      stored token, valid for 1 h; refresh token"
    );
    assert_eq!(
        mask_random("  http://localhost:8765/start/3I44bnRn1wcIS0hNPr-FFTUJhuRDs-li"),
        "  http://localhost:8765/start/…"
    );
}
