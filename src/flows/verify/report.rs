//! [`VerifyReport`]: one line per check with ✓/✗ (○ for a check that did not
//! run here), its detail and a `hint:` under each failure; or the stable JSON
//! object scripts rely on.
//! [`AllReport`]: a fleet's reports, shortened to what needs attention.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use serde::Serialize;

use crate::atlassian::cloud_id::AccessibleResource;
use crate::error::ErrorKind;
use crate::flows::Identity;
use crate::output::{Lines, terminal_text};

/// The outcome of one check.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    /// The check did not run here (`ok` stays true: nothing failed); its
    /// detail says where it runs instead.
    pub skipped: bool,
    pub detail: String,
    pub hint: Option<String>,
    /// Decides the exit code when this is the first failure.
    #[serde(skip)]
    pub kind: Option<ErrorKind>,
    /// The check failed on a 429 that outlived its retries.
    #[serde(skip)]
    pub rate_limited: bool,
}

impl Check {
    /// A passed check.
    pub fn pass(name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            name,
            ok: true,
            skipped: false,
            detail: detail.into(),
            hint: None,
            kind: None,
            rate_limited: false,
        }
    }

    /// A check that did not run here; `detail` says what to run instead.
    pub fn skip(name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            skipped: true,
            ..Check::pass(name, detail)
        }
    }

    /// A failed check with a hint and the kind of failure.
    pub fn fail(
        name: &'static str,
        kind: ErrorKind,
        detail: impl Into<String>,
        hint: Option<String>,
    ) -> Check {
        Check {
            name,
            ok: false,
            skipped: false,
            detail: detail.into(),
            hint,
            kind: Some(kind),
            rate_limited: false,
        }
    }

    /// A failed check from an error: its message and hint.
    pub fn from_error(name: &'static str, err: &crate::error::Error) -> Check {
        use crate::error::Error::{RateLimited, RateLimitedPastTimeout};
        Check {
            rate_limited: matches!(err, RateLimited { .. } | RateLimitedPastTimeout { .. }),
            ..Check::fail(name, err.kind(), err.to_string(), err.hint())
        }
    }
}

/// The site as seen by the checks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteReport {
    pub url: Option<String>,
    pub cloud_id: Option<String>,
    pub connection_url: Option<String>,
    /// `baseUrl` from serverInfo.
    pub base_url: Option<String>,
    pub deployment_type: Option<String>,
    /// For 3LO: every site the grant covers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accessible: Vec<AccessibleResource>,
}

/// The token as seen by the checks (never its value).
#[derive(Debug, Clone, Default, Serialize)]
pub struct TokenReport {
    pub expires_at: Option<u64>,
    pub store: Option<String>,
    pub source: Option<crate::flows::tokens::TokenSource>,
}

/// Everything `verify` found for one connection.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub connection: String,
    pub ok: bool,
    pub checks: Vec<Check>,
    pub identity: Option<Identity>,
    pub site: SiteReport,
    pub token: TokenReport,
}

impl VerifyReport {
    /// The report of `checks`; `ok` when every one passed.
    pub fn new(connection: &str, checks: Vec<Check>) -> VerifyReport {
        VerifyReport {
            connection: connection.to_owned(),
            ok: checks.iter().all(|c| c.ok),
            checks,
            identity: None,
            site: SiteReport::default(),
            token: TokenReport::default(),
        }
    }

    /// The kind of the first failed check, which decides the exit code.
    pub fn first_failure(&self) -> Option<ErrorKind> {
        self.checks
            .iter()
            .find(|c| !c.ok)
            .map(|c| c.kind.unwrap_or(ErrorKind::Unexpected))
    }

    /// Renders the report: one line per check, its hint under a failure.
    /// Marks are plain; the printer colours them (see [`crate::output`]).
    fn render(&self, f: &mut impl fmt::Write) -> fmt::Result {
        writeln!(f, "Connection {}", quoted_name(self))?;
        for check in &self.checks {
            let mark = match (check.ok, check.skipped) {
                (true, true) => SKIPPED_MARK,
                (true, false) => "✓",
                (false, _) => "✗",
            };
            // NOTE: a check is one line; a newline in a server's text must
            // not be able to add a forged `✓` line under it.
            let detail = terminal_text(&check.detail, Lines::One);
            writeln!(f, "  {mark} {:<10} {detail}", check.name)?;
            if let Some(hint) = check.hint.as_ref().filter(|_| !check.ok) {
                writeln!(f, "    hint: {}", terminal_text(hint, Lines::One))?;
            }
        }
        let failed = self.checks.iter().filter(|c| !c.ok).count();
        let skipped: Vec<&str> = self
            .checks
            .iter()
            .filter(|c| c.ok && c.skipped)
            .map(|c| c.name)
            .collect();
        let ran = self.checks.len() - skipped.len();
        // NOTE: a check that did not run is never counted as passed: "All 8
        // checks passed" before anything exists in ServiceNow would lie.
        match (failed, skipped.is_empty()) {
            (0, true) => write!(f, "All {ran} checks passed."),
            (0, false) => write!(
                f,
                "{} passed, {} skipped: {}.",
                count_checks(ran),
                skipped.len(),
                skipped.join(", ")
            ),
            (_, true) => write!(f, "{failed} of {ran} checks failed."),
            (_, false) => write!(
                f,
                "{failed} of {} failed, {} skipped: {}.",
                count_checks(ran),
                skipped.len(),
                skipped.join(", ")
            ),
        }
    }

    /// Renders a report whose every check passed as one line, its name in a
    /// column `width` wide: who the connection acts as, and its token.
    fn render_passed(&self, width: usize, f: &mut impl fmt::Write) -> fmt::Result {
        let facts: Vec<_> = ["identity", "token"]
            .into_iter()
            .filter_map(|name| self.checks.iter().find(|c| c.name == name))
            .filter(|check| !check.skipped)
            .map(|check| terminal_text(&check.detail, Lines::One))
            .collect();
        let name = quoted_name(self);
        match facts.is_empty() {
            true => write!(f, "✓ {name}"),
            false => write!(f, "✓ {name:<width$}  {}", facts.join("; ")),
        }
    }

    /// Renders a failed report as one line pointing to `first`, shown whole
    /// above, which failed the same checks in the same words.
    fn render_same_as(
        &self,
        first: &VerifyReport,
        width: usize,
        f: &mut impl fmt::Write,
    ) -> fmt::Result {
        let failed: Vec<&str> = self
            .checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.name)
            .collect();
        let name = quoted_name(self);
        write!(
            f,
            "✗ {name:<width$}  the same failures as {}: {}",
            quoted_name(first),
            failed.join(", ")
        )
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f)
    }
}

/// `verify --all`.
#[derive(Debug, Serialize)]
pub(crate) struct AllReport {
    pub ok: bool,
    pub connections: Vec<VerifyReport>,
}

impl fmt::Display for AllReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.connections.is_empty() {
            return write!(
                f,
                "No connections to verify. Create one with `jira-spoke setup` or `jira-spoke connect --grant …`."
            );
        }
        // NOTE: a fleet is read for what needs attention: a connection whose
        // every check passed is one line (who it acts as, its token), a
        // failed one has every check and hint, as `verify` alone shows it,
        // unless an earlier one failed the same checks in the same words (a
        // proxy or an outage fails a whole fleet alike): then one line
        // points to that one.
        let same_as = self.same_failures();
        let width = self
            .connections
            .iter()
            .zip(&same_as)
            .filter(|(r, same)| r.ok || same.is_some())
            .map(|(r, _)| quoted_name(r).chars().count())
            .max()
            .unwrap_or(0)
            .min(MAX_NAME_COLUMN);
        let mut after_line = false;
        for (report, same) in self.connections.iter().zip(&same_as) {
            if report.ok || same.is_some() {
                match same {
                    Some(first) => report.render_same_as(&self.connections[*first], width, f)?,
                    None => report.render_passed(width, f)?,
                }
                writeln!(f)?;
                after_line = true;
                continue;
            }
            if after_line {
                writeln!(f)?;
                after_line = false;
            }
            report.render(f)?;
            writeln!(f)?;
            writeln!(f)?;
        }
        if after_line {
            writeln!(f)?;
        }
        // NOTE: a fleet's reports run to thousands of lines: the last line
        // says which connections need attention.
        let total = self.connections.len();
        let failed: Vec<&VerifyReport> = self.connections.iter().filter(|r| !r.ok).collect();
        let of_total = match total {
            1 => "1 connection".to_owned(),
            n => format!("{n} connections"),
        };
        if failed.is_empty() {
            return write!(f, "{of_total}: every check passed.");
        }
        let named = failed.len().min(MAX_NAMED_FAILURES);
        let names = failed[..named]
            .iter()
            .map(|report| quoted_name(report))
            .collect::<Vec<_>>()
            .join(", ");
        write!(f, "{} of {of_total} failed: {names}", failed.len())?;
        if failed.len() > named {
            write!(f, " and {} more", failed.len() - named)?;
        }
        write!(f, ".")
    }
}

impl AllReport {
    /// For each report, the index of the first earlier one that failed the
    /// same checks with the same details and hints, if any.
    fn same_failures(&self) -> Vec<Option<usize>> {
        type Failures<'a> = Vec<(&'a str, &'a str, Option<&'a str>)>;
        let mut first: HashMap<Failures<'_>, usize> = HashMap::new();
        self.connections
            .iter()
            .enumerate()
            .map(|(i, report)| {
                if report.ok {
                    return None;
                }
                let failures: Failures<'_> = report
                    .checks
                    .iter()
                    .filter(|c| !c.ok)
                    .map(|c| (c.name, c.detail.as_str(), c.hint.as_deref()))
                    .collect();
                match first.entry(failures) {
                    Entry::Occupied(earlier) => Some(*earlier.get()),
                    Entry::Vacant(new) => {
                        new.insert(i);
                        None
                    }
                }
            })
            .collect()
    }
}

/// Failed connections named in `verify --all`'s last line; `--json` has all.
const MAX_NAMED_FAILURES: usize = 20;
/// Widest name column of `verify --all`'s one-line reports; a longer name
/// pushes its own line's text along, not every line's.
const MAX_NAME_COLUMN: usize = 24;

/// The mark of a check that did not run here: neither passed nor failed.
pub(super) const SKIPPED_MARK: &str = "○";

/// "1 check", "4 checks".
fn count_checks(n: usize) -> String {
    match n {
        1 => "1 check".to_owned(),
        n => format!("{n} checks"),
    }
}

/// A connection's name as the reports show it: quoted, one line.
fn quoted_name(report: &VerifyReport) -> String {
    format!("`{}`", terminal_text(&report.connection, Lines::One))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet(failing: &[usize], size: usize) -> AllReport {
        let connections: Vec<VerifyReport> = (0..size)
            .map(|i| {
                let check = if failing.contains(&i) {
                    Check::fail("site", ErrorKind::Remote, "no answer", None)
                } else {
                    Check::pass("site", "answers")
                };
                VerifyReport::new(&format!("c{i:02}"), vec![check])
            })
            .collect();
        AllReport {
            ok: failing.is_empty(),
            connections,
        }
    }

    fn last_line(report: &AllReport) -> String {
        report.to_string().lines().last().unwrap().to_owned()
    }

    #[test]
    fn the_last_line_of_a_fleet_names_the_connections_that_failed() {
        assert_eq!(
            last_line(&fleet(&[], 3)),
            "3 connections: every check passed."
        );
        assert_eq!(
            last_line(&fleet(&[], 1)),
            "1 connection: every check passed."
        );
        assert_eq!(
            last_line(&fleet(&[1, 3], 5)),
            "2 of 5 connections failed: `c01`, `c03`."
        );
        let many: Vec<usize> = (0..30).collect();
        let line = last_line(&fleet(&many, 40));
        assert!(
            line.starts_with("30 of 40 connections failed: `c00`, `c01`,"),
            "{line}"
        );
        assert!(line.contains("`c19` and 10 more."), "{line}");
        assert!(!line.contains("`c20`"), "{line}");
    }

    #[test]
    fn a_fleet_shows_a_passed_connection_in_one_line_and_a_failed_one_whole() {
        let passed = |name: &str| {
            VerifyReport::new(
                name,
                vec![
                    Check::pass("config", "client-credentials connection to https://x"),
                    Check::pass("token", "stored token, valid for 23 h"),
                    Check::pass("identity", "acting as Mia <mia@example.com> (atlassian)"),
                ],
            )
        };
        let failed = VerifyReport::new(
            "broken",
            vec![
                Check::pass("config", "client-credentials connection to https://x"),
                Check::fail(
                    "site",
                    ErrorKind::NotFound,
                    "https://x answers 404",
                    Some("check the cloud ID".into()),
                ),
            ],
        );
        let report = AllReport {
            ok: false,
            connections: vec![passed("a"), failed, passed("longer-name")],
        };
        let text = report.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "✓ `a`            acting as Mia <mia@example.com> (atlassian); stored token, valid for 23 h",
                "",
                "Connection `broken`",
                "  ✓ config     client-credentials connection to https://x",
                "  ✗ site       https://x answers 404",
                "    hint: check the cloud ID",
                "1 of 2 checks failed.",
                "",
                "✓ `longer-name`  acting as Mia <mia@example.com> (atlassian); stored token, valid for 23 h",
                "",
                "1 of 3 connections failed: `broken`.",
            ],
            "{text}"
        );
    }

    #[test]
    fn a_failure_already_shown_in_the_same_words_is_one_line_pointing_to_it() {
        let failing = |name: &str, detail: &str| {
            VerifyReport::new(
                name,
                vec![
                    Check::pass("config", format!("connection {name}")),
                    Check::fail(
                        "site",
                        ErrorKind::Remote,
                        detail,
                        Some("check the proxy".into()),
                    ),
                ],
            )
        };
        let report = AllReport {
            ok: false,
            connections: vec![
                failing("a", "cannot reach api.atlassian.com"),
                failing("b", "cannot reach api.atlassian.com"),
                failing("c", "answers 404"),
                VerifyReport::new("d", vec![Check::pass("site", "answers")]),
            ],
        };
        let text = report.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "Connection `a`",
                "  ✓ config     connection a",
                "  ✗ site       cannot reach api.atlassian.com",
                "    hint: check the proxy",
                "1 of 2 checks failed.",
                "",
                "✗ `b`  the same failures as `a`: site",
                "",
                "Connection `c`",
                "  ✓ config     connection c",
                "  ✗ site       answers 404",
                "    hint: check the proxy",
                "1 of 2 checks failed.",
                "",
                "✓ `d`",
                "",
                "3 of 4 connections failed: `a`, `b`, `c`.",
            ],
            "{text}"
        );
    }

    #[test]
    fn a_skipped_check_is_marked_and_counted_apart_from_the_passed_ones() {
        let report = VerifyReport::new(
            "default",
            vec![
                Check::pass("config", "connection"),
                Check::skip("site", "not run here: run `x`"),
                Check::skip("scopes", "not run here: run `x`"),
            ],
        );
        assert!(report.ok, "a skipped check fails nothing");
        let text = report.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "Connection `default`",
                "  ✓ config     connection",
                "  ○ site       not run here: run `x`",
                "  ○ scopes     not run here: run `x`",
                "1 check passed, 2 skipped: site, scopes.",
            ],
            "{text}"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["checks"][1]["ok"], true);
        assert_eq!(json["checks"][1]["skipped"], true);
        assert_eq!(json["checks"][0]["skipped"], false);

        let mut failed = report.clone();
        failed.checks[0] = Check::fail("config", ErrorKind::NotFound, "none", None);
        let text = failed.to_string();
        assert!(
            text.ends_with("1 of 1 check failed, 2 skipped: site, scopes."),
            "{text}"
        );
    }

    #[test]
    fn a_connection_name_cannot_forge_lines() {
        let mut forged = fleet(&[0], 1);
        forged.connections[0].connection = "x\n  ✓ site       fine\u{1b}[2J".into();
        let text = forged.to_string();
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.starts_with("Connection `x\\n"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("  ✓")), "{text}");
    }
}
