//! [`Printer`]: results to stdout (text or JSON), everything else to stderr.
//!
//! A command hands its result to [`Printer::out`] as a report that is both
//! `Display` (for people) and `Serialize` (for `--json`). Status lines,
//! warnings and errors go to stderr; with `--json` an error is also printed
//! on stdout as `{"error":{…}}` so a script has one stream to parse.

use std::fmt::Display;
use std::io::{IsTerminal, Write};

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
}

impl Printer {
    /// A printer for the given flags; colour resolved from `--color`, `NO_COLOR`,
    /// `FORCE_COLOR` and whether stderr is a terminal.
    pub fn new(json: bool, quiet: bool, color: ColorChoice) -> Self {
        Printer {
            json,
            quiet,
            color: resolve_color(color),
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
            report.to_string()
        };
        let _ = writeln!(stdout, "{}", text.trim_end_matches('\n'));
    }

    /// A status line on stderr (suppressed by `-q`).
    pub fn status(&self, message: impl Display) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// A warning on stderr; shown even with `-q`, since it is about safety.
    pub fn warn(&self, message: impl Display) {
        eprintln!(
            "{} {message}",
            self.paint(Style::new().yellow().bold(), "warning:")
        );
    }

    /// Renders an error: message, causes and hint on stderr; JSON on stdout too.
    pub fn error(&self, err: &Error) {
        if matches!(err, Error::ChecksFailed { .. }) {
            return; // the report on stdout already says what failed
        }
        let hint = err.hint();
        let causes = err.causes();
        eprintln!("{} {err}", self.paint(Style::new().red().bold(), "error:"));
        for cause in &causes {
            eprintln!("  Caused by: {cause}");
        }
        if let Some(hint) = &hint {
            eprintln!("{} {hint}", self.paint(Style::new().cyan().bold(), "hint:"));
        }
        if self.json {
            let body = ErrorJson {
                error: ErrorBody {
                    kind: err.kind(),
                    message: err.to_string(),
                    causes,
                    hint,
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

    /// A green check or a red cross.
    pub fn mark(&self, ok: bool) -> String {
        if ok {
            self.paint(Style::new().green(), "✓")
        } else {
            self.paint(Style::new().red(), "✗")
        }
    }
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
    exit_code: u8,
}

/// Pretty JSON on a terminal, one line when piped.
fn json_text<T: Serialize>(value: &T) -> String {
    let result = if std::io::stdout().is_terminal() {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    result.unwrap_or_else(|e| {
        format!("{{\"error\":{{\"kind\":\"unexpected\",\"message\":\"{e}\"}}}}")
    })
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
