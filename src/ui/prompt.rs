//! The [`Prompter`] seam between the setup wizard's logic and the terminal.
//!
//! [`DialoguerPrompter`] asks on stderr with dialoguer; [`ScriptedPrompter`]
//! answers from a script in tests, records every question, and panics when a
//! question comes that the script did not expect. Nothing here does HTTP.

use std::collections::VecDeque;

use dialoguer::theme::ColorfulTheme;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Asks the admin questions.
pub trait Prompter {
    /// Free text, with an optional default.
    fn input(&mut self, prompt: &str, default: Option<&str>) -> Result<String>;
    /// Hidden text.
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
            input = input.default(default.to_owned());
        }
        input.interact_text().map_err(map_err)
    }

    fn secret(&mut self, prompt: &str) -> Result<Secret> {
        dialoguer::Password::with_theme(&self.theme)
            .with_prompt(prompt)
            .interact()
            .map(Secret::new)
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
        dialoguer::Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
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

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Answer {
    Input(String),
    Secret(String),
    Select(usize),
    MultiSelect(Vec<usize>),
    Confirm(bool),
    /// The admin pressed Ctrl-C at this question.
    Interrupt,
    /// The admin pressed Enter on an input, accepting its default.
    Default,
}

/// Answers from a script; records the questions (tests only, but public so
/// integration tests can drive the wizard through the library).
#[derive(Debug, Default)]
pub struct ScriptedPrompter {
    answers: VecDeque<Answer>,
    /// Every prompt asked, in order.
    pub asked: Vec<String>,
    /// Every note shown.
    pub notes: Vec<String>,
    /// Every free-text question with the default it offered.
    pub defaults: Vec<(String, Option<String>)>,
}

impl ScriptedPrompter {
    /// A prompter that will give `answers` in order.
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> Self {
        ScriptedPrompter {
            answers: answers.into_iter().collect(),
            ..Default::default()
        }
    }

    /// True when every scripted answer was used.
    pub fn is_done(&self) -> bool {
        self.answers.is_empty()
    }

    fn next(&mut self, prompt: &str) -> Answer {
        self.asked.push(prompt.to_owned());
        self.answers.pop_front().unwrap_or_else(|| {
            panic!(
                "unexpected question (script exhausted): {prompt}\nasked so far: {:#?}",
                self.asked
            )
        })
    }
}

fn wrong(prompt: &str, answer: &Answer) -> ! {
    panic!("the script answered {answer:?} to a different kind of question: {prompt}")
}

impl Prompter for ScriptedPrompter {
    fn input(&mut self, prompt: &str, default: Option<&str>) -> Result<String> {
        self.defaults
            .push((prompt.to_owned(), default.map(str::to_owned)));
        match self.next(prompt) {
            Answer::Input(s) => Ok(s),
            Answer::Default => match default {
                Some(d) => Ok(d.to_owned()),
                None => panic!("the script pressed Enter, but {prompt} offers no default"),
            },
            Answer::Interrupt => Err(Error::Interrupted),
            other => wrong(prompt, &other),
        }
    }

    fn secret(&mut self, prompt: &str) -> Result<Secret> {
        match self.next(prompt) {
            Answer::Secret(s) => Ok(Secret::new(s)),
            Answer::Interrupt => Err(Error::Interrupted),
            other => wrong(prompt, &other),
        }
    }

    fn select(&mut self, prompt: &str, items: &[String], _default: usize) -> Result<usize> {
        match self.next(prompt) {
            Answer::Select(i) if i < items.len() => Ok(i),
            Answer::Interrupt => Err(Error::Interrupted),
            other => wrong(prompt, &other),
        }
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        _items: &[String],
        _checked: &[bool],
    ) -> Result<Vec<usize>> {
        match self.next(prompt) {
            Answer::MultiSelect(v) => Ok(v),
            Answer::Interrupt => Err(Error::Interrupted),
            other => wrong(prompt, &other),
        }
    }

    fn confirm(&mut self, prompt: &str, _default: bool) -> Result<bool> {
        match self.next(prompt) {
            Answer::Confirm(b) => Ok(b),
            Answer::Interrupt => Err(Error::Interrupted),
            other => wrong(prompt, &other),
        }
    }

    fn note(&mut self, text: &str) {
        self.notes.push(text.to_owned());
    }
}
