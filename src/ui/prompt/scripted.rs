//! [`ScriptedPrompter`]: the wizard driven by a list of answers, for tests
//! (the crate's own, and the integration tests through the `test-support`
//! feature). Not part of the shipped binary.

use std::collections::VecDeque;

use super::Prompter;
use crate::error::{Error, Result};
use crate::secret::Secret;

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
            Answer::Secret(s) => Ok(Secret::verbatim(s)),
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
