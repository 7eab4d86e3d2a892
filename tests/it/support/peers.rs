//! Whether a real peer (a program nobody on this project wrote) is here to
//! test against, and what happens when it is not.
//!
//! "Run every test" means every test: a missing peer fails its test with the
//! command that installs it. Skipping is an explicit choice,
//! `JIRA_SPOKE_SKIP_PEERS=1`; each skipped test is then appended to the file
//! named by `JIRA_SPOKE_SKIPPED_LOG` (set by `scripts/test`, which prints the
//! list after the run, where libtest cannot swallow it, and counts those
//! tests as skipped rather than passed in its closing line).

use std::io::Write;
use std::path::{Path, PathBuf};

/// The project's npm peers (oidc-provider, playwright-core, Prism).
pub(crate) const NPM_INSTALL: &str = "npm ci --prefix tests/peers";
/// The Debian packages behind the keyring, TLS and browser tests.
pub(crate) const APT_INSTALL: &str =
    "sudo apt-get install gnome-keyring dbus-x11 libsecret-tools openssl chromium";

/// Where the npm peers are installed.
pub(crate) fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers")
}

/// True when `present`; otherwise fails the test naming `what` and `install`,
/// or, with `JIRA_SPOKE_SKIP_PEERS=1`, records the skip and returns false.
pub(crate) fn require(test: &str, what: &str, present: bool, install: &str) -> bool {
    if present {
        return true;
    }
    if std::env::var("JIRA_SPOKE_SKIP_PEERS").as_deref() != Ok("1") {
        panic!(
            "{test} needs {what}, which is missing. Install it with `{install}` \
             (or run `.ci/run`, which installs every peer); \
             JIRA_SPOKE_SKIP_PEERS=1 skips such tests and lists them"
        );
    }
    if let Some(log) = std::env::var_os("JIRA_SPOKE_SKIPPED_LOG") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("the skipped-tests log opens");
        // One write per line: with O_APPEND it lands whole, whatever other
        // tests skipping at the same moment write (`writeln!` on a file makes
        // a write per piece, and the lines came out interleaved).
        let line = format!("{test}: {what} is missing (install: {install})\n");
        file.write_all(line.as_bytes()).unwrap();
    }
    eprintln!("skipped {test}: {what} is missing");
    false
}

/// The npm peers, installed by [`NPM_INSTALL`].
pub(crate) fn npm(test: &str) -> bool {
    require(
        test,
        "the npm peers in tests/peers/node_modules",
        peers_dir().join("node_modules/.package-lock.json").exists(),
        NPM_INSTALL,
    )
}

/// A program on PATH (or at an absolute path).
pub(crate) fn program(test: &str, program: &str) -> bool {
    let found = if Path::new(program).is_absolute() {
        Path::new(program).exists()
    } else {
        std::env::var_os("PATH")
            .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
            .unwrap_or(false)
    };
    require(test, program, found, APT_INSTALL)
}
