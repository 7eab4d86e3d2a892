//! A spinner on stderr while jira-spoke waits on the network. It appears only
//! when stderr is a terminal and none of `--json`, `-q` and `-v` was given,
//! and it leaves no trace in piped output.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A running spinner; cleared when finished or dropped.
pub(crate) struct Spinner {
    bar: Option<ProgressBar>,
}

impl Spinner {
    /// Starts a spinner with `message`, if the terminal and flags allow it.
    pub(crate) fn start(message: impl Into<String>, enabled: bool) -> Spinner {
        if !enabled || !std::io::stderr().is_terminal() {
            return Spinner { bar: None };
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.into());
        bar.enable_steady_tick(Duration::from_millis(100));
        Spinner { bar: Some(bar) }
    }

    /// Replaces its message, e.g. with how far the work has come.
    pub(crate) fn set_message(&self, message: impl Into<String>) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.into());
        }
    }

    /// Runs `f` (which prints) with the spinner out of the way.
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
