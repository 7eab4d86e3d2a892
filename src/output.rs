//! [`Printer`]: results to stdout (text or JSON), everything else to stderr.
//!
//! A command hands its result to [`Printer::out`] as a report that is both
//! `Display` (for people) and `Serialize` (for `--json`). Status lines,
//! warnings and errors go to stderr; with `--json` an error is also printed
//! on stdout as `{"error":{…}}` so a script has one stream to parse.
//!
//! This is the one module that writes to stdout and stderr: `clippy.toml`
//! disallows `println!`/`eprintln!` everywhere else.
//!
//! This module is also the one place where text becomes terminal output.
//! Much of what jira-spoke shows comes from servers or from the browser
//! callback (error descriptions, display names, site URLs, Cloud IDs), and a
//! hostile one could send escape sequences that retitle the terminal, clear
//! it, overwrite lines or write the clipboard (OSC 52). So every sink —
//! [`Printer`], the setup wizard's notes and the `-v` log writer — passes its
//! text through [`terminal_text`], which shows control characters as visible
//! escapes (`\u{1b}`), and only then adds our own colour ([`paint_marks`]
//! and the `error:`/`hint:`/`warning:` prefixes). Reports therefore never
//! contain escape sequences of their own: no byte from a server can reach the
//! terminal as a control, whatever field it arrives in, and a new field cannot
//! be forgotten. JSON keeps the original text, escaped by the JSON encoder
//! ([`json_text`] also escapes C1 controls, which JSON allows raw).

#![allow(clippy::disallowed_macros)]

use std::borrow::Cow;
use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};

use console::Style;
use serde::Serialize;

use crate::cli::ColorChoice;
use crate::error::Error;

/// How output is rendered for this run.
#[derive(Debug, Clone)]
pub struct Printer {
    json: bool,
    quiet: bool,
    color: bool,
    /// What a Ctrl-C would leave behind now; shared by every clone, so the
    /// interrupt handler reads what the command registered last.
    kept: Arc<Mutex<Option<Kept>>>,
}

/// What a command has kept so far, and the one command that goes on from
/// there: said on Ctrl-C instead of a bare "interrupted".
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    /// What is kept and where, in a sentence: "connection `default` is saved …".
    pub what: String,
    /// The command that resumes, runnable as printed.
    pub resume: String,
}

impl Printer {
    /// A printer for the given flags; colour resolved from `--color`, `NO_COLOR`,
    /// `FORCE_COLOR` and whether stderr is a terminal.
    pub fn new(json: bool, quiet: bool, color: ColorChoice) -> Self {
        Printer {
            json,
            quiet,
            color: resolve_color(color),
            kept: Arc::default(),
        }
    }

    /// Registers what a Ctrl-C from now on leaves behind (`None`: nothing).
    pub fn on_interrupt(&self, kept: Option<Kept>) {
        *self.kept.lock().unwrap_or_else(PoisonError::into_inner) = kept;
    }

    /// The error a Ctrl-C ends with now: what is kept and how to resume,
    /// once something is.
    pub fn interruption(&self) -> Error {
        match &*self.kept.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(kept) => Error::InterruptedKept {
                kept: kept.what.clone(),
                resume: kept.resume.clone(),
            },
            None => Error::Interrupted,
        }
    }

    /// True when results are JSON.
    pub fn json(&self) -> bool {
        self.json
    }

    /// True when colour is on.
    pub fn color(&self) -> bool {
        self.color
    }

    /// Prints a command's result on stdout.
    pub fn out<R: Serialize + Display>(&self, report: &R) {
        let mut stdout = std::io::stdout().lock();
        let text = if self.json {
            json_text(report)
        } else {
            self.human(&report.to_string(), Lines::Many)
        };
        let _ = writeln!(stdout, "{}", text.trim_end_matches('\n'));
    }

    /// A status line on stderr (suppressed by `-q`).
    pub fn status(&self, message: impl Display) {
        if !self.quiet {
            eprintln!("{}", self.human(&message.to_string(), Lines::Many));
        }
    }

    /// A line on stderr that `-q` does not silence: what the admin must act
    /// on for the command to go on (a URL to open, a way out of a wait).
    pub fn notice(&self, message: impl Display) {
        eprintln!("{}", self.human(&message.to_string(), Lines::Many));
    }

    /// A warning on stderr; shown even with `-q`, since it is about safety.
    pub fn warn(&self, message: impl Display) {
        eprintln!(
            "{} {}",
            self.paint(Style::new().yellow().bold(), "warning:"),
            terminal_text(&message.to_string(), Lines::One)
        );
    }

    /// Renders an error: message, causes and hint on stderr; JSON on stdout too.
    pub fn error(&self, err: &Error) {
        if matches!(err, Error::ChecksFailed { .. }) {
            return; // the report on stdout already says what failed
        }
        let hint = err.hint();
        let causes = err.causes();
        let message = err.to_string();
        // NOTE: one line each: a newline inside a server's error_description
        // must not be able to forge a `hint:` line of ours.
        eprintln!(
            "{} {}",
            self.paint(Style::new().red().bold(), "error:"),
            terminal_text(&message, Lines::One)
        );
        for cause in &causes {
            eprintln!("  Caused by: {}", terminal_text(cause, Lines::One));
        }
        if let Some(hint) = &hint {
            eprintln!(
                "{} {}",
                self.paint(Style::new().cyan().bold(), "hint:"),
                terminal_text(hint, Lines::One)
            );
        }
        if self.json {
            let body = ErrorJson {
                error: ErrorBody {
                    kind: err.kind(),
                    message,
                    causes,
                    hint,
                    missing_scopes: err.missing_scopes().to_vec(),
                    exit_code: err.kind().exit_code(),
                },
            };
            println!("{}", json_text(&body));
        }
    }

    /// `text` in `style` when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        style.force_styling(self.color).apply_to(text).to_string()
    }

    /// `text` made safe for the terminal, then given our colour.
    pub fn human(&self, text: &str, lines: Lines) -> String {
        let safe = terminal_text(text, lines);
        if self.color {
            paint_marks(&safe)
        } else {
            safe.into_owned()
        }
    }
}

/// Whether a text may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A report or a note: newlines are kept.
    Many,
    /// An error, a hint, a warning, a log record: a newline is shown as `\n`.
    One,
}

/// Shows every character that could steer a terminal as a visible escape:
/// C0 controls (ESC, BEL, CR, backspace…), DEL, C1 controls (U+0080–U+009F,
/// which include the one-byte CSI U+009B) and the bidirectional overrides
/// that reorder what is displayed. Tabs are kept, and newlines with
/// [`Lines::Many`]. Printable text, any script, is untouched.
pub fn terminal_text(text: &str, lines: Lines) -> Cow<'_, str> {
    let unsafe_char = |c: char| match c {
        '\t' => false,
        '\n' => lines == Lines::One,
        // LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    };
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            c if !unsafe_char(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    Cow::Owned(out)
}

/// Colours the ✓ (green), ✗ (red) or ○ (dim: skipped) that starts a line,
/// after its indent.
/// Applied only to text that went through [`terminal_text`], so the escape
/// sequences it adds are the only ones in the output.
pub fn paint_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start_matches(' ');
        let indent = &line[..line.len() - body.len()];
        let first = body.chars().next();
        let style = match first {
            Some('✓') => Some(Style::new().green()),
            Some('✗') => Some(Style::new().red()),
            Some('○') => Some(Style::new().dim()),
            _ => None,
        };
        match (style, first) {
            (Some(style), Some(first)) => {
                let (mark, rest) = body.split_at(first.len_utf8());
                out.push_str(indent);
                out.push_str(&style.force_styling(true).apply_to(mark).to_string());
                out.push_str(rest);
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[derive(Serialize)]
struct ErrorJson {
    error: ErrorBody,
}

#[derive(Serialize)]
struct ErrorBody {
    kind: crate::error::ErrorKind,
    message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    causes: Vec<String>,
    hint: Option<String>,
    /// Scopes the grant lacks, when that is the error.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    missing_scopes: Vec<String>,
    exit_code: u8,
}

/// Writes one line of text, already made safe by [`terminal_text`], to
/// stderr: for the terminal prompter's notes, which have no [`Printer`].
pub fn stderr_line(safe_text: &str) {
    eprintln!("{safe_text}");
}

/// Pretty JSON on a terminal, one line when piped.
fn json_text<T: Serialize>(value: &T) -> String {
    let result = if std::io::stdout().is_terminal() {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    let text = result.unwrap_or_else(|e| {
        format!("{{\"error\":{{\"kind\":\"unexpected\",\"message\":\"{e}\"}}}}")
    });
    escape_json_controls(&text)
}

/// serde_json escapes U+0000–U+001F but writes DEL and the C1 controls raw,
/// and a terminal may act on U+009B (CSI). Outside strings JSON is ASCII, so
/// every such character here is inside a string, where `\u00XX` means the same.
fn escape_json_controls(json: &str) -> String {
    if !json.chars().any(char::is_control) {
        return json.to_owned();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c.is_control() && c != '\n' {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn resolve_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
            if set(crate::env::NO_COLOR) {
                false
            } else if set(crate::env::FORCE_COLOR) {
                true
            } else {
                std::io::stderr().is_terminal()
            }
        }
    }
}

/// The `-v` log sink: stderr, each record passed through [`terminal_text`]
/// (one line per record; its closing newline is kept).
pub struct LogWriter(std::io::Stderr);

/// Makes a [`LogWriter`]; `tracing_subscriber`'s `with_writer` takes this.
pub fn log_writer() -> LogWriter {
    LogWriter(std::io::stderr())
}

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let (body, end) = match text.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (text.as_ref(), ""),
        };
        let safe = terminal_text(body, Lines::One);
        self.0.write_all(format!("{safe}{end}").as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "Mia\u{1b}]0;pwned\u{7}\u{1b}]52;c;cm0gLXJm\u{7}\r\u{1b}[2K\u{9b}31mX\u{7f}\u{202e}";

    #[test]
    fn controls_become_visible_escapes_and_text_is_kept() {
        let safe = terminal_text(HOSTILE, Lines::Many);
        assert!(!safe.chars().any(|c| c.is_control()), "{safe:?}");
        assert_eq!(
            safe,
            "Mia\\u{1b}]0;pwned\\u{7}\\u{1b}]52;c;cm0gLXJm\\u{7}\\r\\u{1b}[2K\\u{9b}31mX\\u{7f}\\u{202e}"
        );
        assert!(matches!(
            terminal_text("Jürgen Ω 東京\tok\n", Lines::Many),
            Cow::Borrowed("Jürgen Ω 東京\tok\n")
        ));
        assert_eq!(terminal_text("a\nb", Lines::One), "a\\nb");
    }

    #[test]
    fn our_marks_are_painted_after_the_text_is_made_safe() {
        let printer = Printer::new(false, false, ColorChoice::Always);
        let text = format!("Connection `x`\n  ✓ identity acting as {HOSTILE}\n  ✗ scopes  missing");
        let shown = printer.human(&text, Lines::Many);
        assert!(
            shown.contains("  \u{1b}[32m✓\u{1b}[0m identity"),
            "{shown:?}"
        );
        assert!(shown.contains("  \u{1b}[31m✗\u{1b}[0m scopes"), "{shown:?}");
        let ours_removed = shown
            .replace("\u{1b}[32m", "")
            .replace("\u{1b}[31m", "")
            .replace("\u{1b}[0m", "");
        assert!(
            !ours_removed.chars().any(|c| c.is_control() && c != '\n'),
            "{ours_removed:?}"
        );
        let plain = Printer::new(false, false, ColorChoice::Never).human(&text, Lines::Many);
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
    }

    #[test]
    fn json_escapes_c1_controls_that_serde_json_leaves_raw() {
        let json = json_text(&serde_json::json!({ "name": HOSTILE }));
        assert!(!json.chars().any(|c| c.is_control()), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], HOSTILE, "the text itself is kept");
    }
}
