//! Records the commit jira-spoke is built from, for `--version`.
//!
//! From git when building a checkout; from `.cargo_vcs_info.json` when building a published crate;
//! `unknown commit` otherwise. Never fails the build.

// A build script talks to cargo on stdout.
#![allow(clippy::disallowed_macros)]

use std::path::Path;
use std::process::Command;

fn main() {
    let commit = from_git()
        .or_else(from_cargo_vcs_info)
        .unwrap_or_else(|| "unknown commit".to_owned());
    println!("cargo:rustc-env=JIRA_SPOKE_COMMIT={commit}");
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8(out.stdout).ok()?.trim().to_owned())
}

fn from_git() -> Option<String> {
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    // Rerun when HEAD moves (a commit, a checkout). NOTE: uncommitted changes
    // are not tracked: watching the index would rebuild the crate on every
    // `git add`.
    if let Some(p) = git(&["rev-parse", "--git-path", "HEAD"]) {
        println!("cargo:rerun-if-changed={p}");
    }
    if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(p) = git(&["rev-parse", "--git-path", &head_ref])
    {
        println!("cargo:rerun-if-changed={p}");
    }
    Some(commit)
}

fn from_cargo_vcs_info() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".cargo_vcs_info.json");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).ok()?;
    // {"git":{"sha1":"<40 hex>"},"path_in_vcs":""}: no JSON parser in a build script.
    let start = text.find("\"sha1\"")? + "\"sha1\"".len();
    let rest = &text[start..];
    let rest = &rest[rest.find('"')? + 1..];
    let sha = &rest[..rest.find('"')?];
    Some(sha.chars().take(12).collect())
}
