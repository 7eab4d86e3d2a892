//! The [`Prompter`] seam between the setup wizard's logic and the terminal.
//!
//! [`DialoguerPrompter`] asks on stderr with dialoguer; `ScriptedPrompter`
//! answers from a script in tests, records every question, and panics when a
//! question comes that the script did not expect. Nothing here does HTTP.

use dialoguer::theme::ColorfulTheme;

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

/// Prompts on the terminal (stderr) with dialoguer.
pub struct DialoguerPrompter {
    theme: ColorfulTheme,
    /// Colour the ✓/✗ marks of notes.
    color: bool,
}

impl DialoguerPrompter {
    /// A prompter with the default theme.
    pub fn new() -> Self {
        DialoguerPrompter {
            theme: ColorfulTheme::default(),
            color: false,
        }
    }

    /// The same, colouring the marks of notes when `color`.
    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
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

impl Prompter for DialoguerPrompter {
    fn input(&mut self, prompt: &str, default: Option<&str>) -> Result<String> {
        let mut input = dialoguer::Input::<String>::with_theme(&self.theme).with_prompt(prompt);
        if let Some(default) = default {
            // NOTE: an empty default ("Enter for none") is not shown: dialoguer
            // would show it as an odd "()".
            input = input
                .default(default.to_owned())
                .show_default(!default.is_empty());
        }
        input.interact_text().map_err(map_err)
    }

    fn secret(&mut self, prompt: &str) -> Result<Secret> {
        dialoguer::Password::with_theme(&self.theme)
            .with_prompt(prompt)
            .interact()
            .map(Secret::verbatim)
            .map_err(map_err)
    }

    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        dialoguer::Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact()
            .map_err(map_err)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>> {
        dialoguer::MultiSelect::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .defaults(checked)
            .interact()
            .map_err(map_err)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool> {
        // NOTE: dialoguer takes `y` without Enter by default, so a habitual
        // `y⏎` would answer the next prompt, unseen, with the Enter.
        dialoguer::Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .wait_for_newline(true)
            .interact()
            .map_err(map_err)
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

#[cfg(any(test, feature = "test-support"))]
mod scripted;
#[cfg(any(test, feature = "test-support"))]
pub use scripted::{Answer, ScriptedPrompter};
