//! The [`Prompter`] seam between the setup wizard's logic and the terminal.
//!
//! [`DialoguerPrompter`] asks on stderr with dialoguer; `ScriptedPrompter`
//! answers from a script in tests, records every question, and panics when a
//! question comes that the script did not expect. Nothing here does HTTP.

use dialoguer::theme::{ColorfulTheme, Theme};

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Asks the admin questions.
pub trait Prompter {
    /// Free text, with an optional default.
    fn input(&mut self, prompt: &str, default: Option<&str>) -> Result<String>;
    /// Hidden text, exactly as typed (callers trim what may be trimmed).
    fn secret(&mut self, prompt: &str) -> Result<Secret>;
    /// One of `items`; returns its index.
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize>;
    /// Several of `items`, `checked` pre-selected; returns the chosen indexes.
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool>;
    /// Explanatory text shown between questions.
    fn note(&mut self, text: &str);
}

/// Prompts on the terminal (stderr) with dialoguer, wrapped to its width
/// ([`fit`]).
pub struct DialoguerPrompter {
    theme: ColorfulTheme,
    /// The same theme without the `?` prefix: for the last line of a prompt
    /// split over several, whose first line carries it.
    continued: ColorfulTheme,
    /// Colour the ✓/✗ marks of notes.
    color: bool,
}

/// Columns of a text prompt's ` › ` and the first typed characters; what
/// is typed past the edge wraps, and those rows are cleared too.
const TYPING_ROOM: usize = 6;

/// Columns of dialoguer's ` (y/n) › yes`.
const YES_NO: usize = 13;

/// Columns of a multi-select item's prefixes: `❯ ✔ `.
const CHECKED_PREFIX: usize = 4;

impl DialoguerPrompter {
    /// A prompter with the default theme.
    pub fn new() -> Self {
        DialoguerPrompter {
            theme: ColorfulTheme::default(),
            continued: ColorfulTheme {
                prompt_prefix: console::style(" ".to_owned()),
                ..ColorfulTheme::default()
            },
            color: false,
        }
    }

    /// The same, colouring the marks of notes when `color`.
    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    /// Asks with `run` (given the theme, the prompt line and whether
    /// dialoguer reports the answer). A prompt too wide for the terminal
    /// (with `reserve` columns for what dialoguer adds) is shown in lines
    /// that fit, dialoguer drawing only the last; once it has its answer,
    /// the lines above are cleared and the answer reported here, over as
    /// many lines as it takes. `typed_rows` says how many rows past the
    /// first the answer's line took (typed text wraps too, and dialoguer
    /// clears only the row the cursor is on).
    fn ask<T>(
        &self,
        prompt: &str,
        reserve: usize,
        run: impl FnOnce(&ColorfulTheme, &str, bool) -> dialoguer::Result<T>,
        report: impl FnOnce(&ColorfulTheme, &mut String, &str, &T) -> std::fmt::Result,
        typed_rows: impl FnOnce(&ColorfulTheme, &str, &T, usize) -> usize,
    ) -> Result<T> {
        let term = console::Term::stderr();
        let columns = usize::from(term.size().1);
        let fitted = fit::split(prompt, columns, reserve);
        let fitted = fitted.unwrap_or_else(|| fit::Fitted {
            lead: Vec::new(),
            last: prompt.to_owned(),
        });
        let theme = if fitted.lead.is_empty() {
            &self.theme
        } else {
            &self.continued
        };
        for (i, line) in fitted.lead.iter().enumerate() {
            let prefix = if i == 0 {
                self.theme.prompt_prefix.to_string()
            } else {
                " ".to_owned()
            };
            let _ = term.write_line(&format!(
                "{prefix} {}",
                self.theme.prompt_style.apply_to(line)
            ));
        }
        let value = run(theme, &fitted.last, false).map_err(map_err)?;
        let stale = fitted.lead.len() + typed_rows(theme, &fitted.last, &value, columns);
        if stale > 0 {
            let _ = term.clear_last_lines(stale);
        }
        // dialoguer's answered line, drawn here over as many lines as it takes.
        let mut answered = String::new();
        let _ = report(&self.theme, &mut answered, &fitted.joined(), &value);
        let _ = term.write_line(&answered);
        Ok(value)
    }
}

impl Default for DialoguerPrompter {
    fn default() -> Self {
        Self::new()
    }
}

/// dialoguer reports Ctrl-C as an interrupted read.
fn map_err(e: dialoguer::Error) -> Error {
    match e {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            Error::Interrupted
        }
        dialoguer::Error::IO(io) => Error::usage(
            format!("cannot prompt on this terminal: {io}"),
            "use `jira-spoke connect --grant …` for non-interactive use",
        ),
    }
}

/// Menu items wrapped to the terminal after a `prefix`-column marker.
fn fit_items(items: &[String], prefix: usize) -> Vec<String> {
    let columns = usize::from(console::Term::stderr().size().1);
    items
        .iter()
        .map(|i| fit::item(i, columns, prefix))
        .collect()
}

impl Prompter for DialoguerPrompter {
    fn input(&mut self, prompt: &str, default: Option<&str>) -> Result<String> {
        // NOTE: an empty default ("Enter for none") is not shown: dialoguer
        // would show it as an odd "()".
        let shown = default.filter(|d| !d.is_empty());
        let reserve = shown.map_or(0, |d| console::measure_text_width(d) + 3) + TYPING_ROOM;
        self.ask(
            prompt,
            reserve,
            |theme, line, report| {
                let mut input = dialoguer::Input::<String>::with_theme(theme)
                    .with_prompt(line)
                    .report(report);
                if let Some(default) = default {
                    input = input
                        .default(default.to_owned())
                        .show_default(shown.is_some());
                }
                input.interact_text()
            },
            |theme, f, full, answer| theme.format_input_prompt_selection(f, full, answer),
            |theme, line, answer, columns| {
                // Enter on a default typed nothing.
                if Some(answer.as_str()) == default {
                    return 0;
                }
                let mut drawn = String::new();
                let _ = theme.format_input_prompt(&mut drawn, line, shown);
                let used =
                    console::measure_text_width(&drawn) + console::measure_text_width(answer);
                used.saturating_sub(1) / columns.max(1)
            },
        )
    }

    fn secret(&mut self, prompt: &str) -> Result<Secret> {
        self.ask(
            prompt,
            fit::PREFIX,
            |theme, line, report| {
                dialoguer::Password::with_theme(theme)
                    .with_prompt(line)
                    .report(report)
                    .interact()
            },
            |theme, f, full, _| theme.format_password_prompt_selection(f, full),
            |_, _, _, _| 0,
        )
        .map(Secret::verbatim)
    }

    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        let fitted = fit_items(items, fit::PREFIX);
        self.ask(
            prompt,
            fit::PREFIX,
            |theme, line, report| {
                dialoguer::Select::with_theme(theme)
                    .with_prompt(line)
                    .items(&fitted)
                    .default(default)
                    .report(report)
                    .interact()
            },
            |theme, f, full, &chosen| theme.format_select_prompt_selection(f, full, &items[chosen]),
            |_, _, _, _| 0,
        )
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>> {
        let fitted = fit_items(items, CHECKED_PREFIX);
        self.ask(
            prompt,
            fit::PREFIX,
            |theme, line, report| {
                dialoguer::MultiSelect::with_theme(theme)
                    .with_prompt(line)
                    .items(&fitted)
                    .defaults(checked)
                    .report(report)
                    .interact()
            },
            |theme, f, full, chosen: &Vec<usize>| {
                let picked: Vec<&str> = chosen.iter().map(|&i| items[i].as_str()).collect();
                theme.format_multi_select_prompt_selection(f, full, &picked)
            },
            |_, _, _, _| 0,
        )
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool> {
        // NOTE: dialoguer takes `y` without Enter by default, so a habitual
        // `y⏎` would answer the next prompt, unseen, with the Enter.
        self.ask(
            prompt,
            YES_NO,
            |theme, line, report| {
                dialoguer::Confirm::with_theme(theme)
                    .with_prompt(line)
                    .default(default)
                    .wait_for_newline(true)
                    .report(report)
                    .interact()
            },
            |theme, f, full, &yes| theme.format_confirm_prompt_selection(f, full, Some(yes)),
            |_, _, _, _| 0,
        )
    }

    /// Notes carry servers' words (errors, names), so they go through the
    /// same terminal filter as everything the printer shows.
    fn note(&mut self, text: &str) {
        let safe = crate::output::terminal_text(text, crate::output::Lines::Many);
        if self.color {
            crate::output::stderr_line(&crate::output::paint_marks(&safe));
        } else {
            crate::output::stderr_line(&safe);
        }
    }
}

mod fit;
#[cfg(any(test, feature = "test-support"))]
mod scripted;
#[cfg(any(test, feature = "test-support"))]
pub use scripted::{Answer, ScriptedPrompter};
