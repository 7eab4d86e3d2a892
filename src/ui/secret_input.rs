//! Where a secret comes from: stdin when its `--*-stdin` flag is given, else
//! an environment variable, else a hidden prompt when a terminal is attached.
//! There is deliberately no flag that takes a secret value: argv is visible
//! to every user of the machine (`ps`) and lands in shell history.

use std::io::{BufRead, IsTerminal};

use crate::error::{Error, Result};
use crate::secret::Secret;

/// One secret to obtain, and the names the admin knows it by.
pub struct SecretInput<'a> {
    /// What it is, for messages: "client secret".
    pub what: &'a str,
    /// True when the `--*-stdin` flag was given.
    pub from_stdin: bool,
    /// The stdin flag's name, for hints.
    pub stdin_flag: &'a str,
    /// The environment variable that may hold it.
    pub env_var: &'a str,
}

impl SecretInput<'_> {
    /// Reads the secret from the first source that has it.
    pub fn read(&self) -> Result<Secret> {
        let secret = if self.from_stdin {
            self.read_stdin()?
        } else if let Some(value) = std::env::var(self.env_var)
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            Secret::new(value)
        } else if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            self.prompt()?
        } else {
            return Err(Error::usage(
                format!("no {} was given", self.what),
                format!(
                    "set {} or pass {} and pipe it in; it is never taken as a flag value",
                    self.env_var, self.stdin_flag
                ),
            ));
        };
        if secret.is_empty() {
            return Err(Error::usage(
                format!("the {} is empty", self.what),
                format!("give the {} in {} or on stdin", self.what, self.env_var),
            ));
        }
        Ok(secret)
    }

    fn read_stdin(&self) -> Result<Secret> {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            Error::usage(
                format!("cannot read the {} from stdin: {e}", self.what),
                "pipe it in, e.g. `< secret.txt`",
            )
        })?;
        Ok(Secret::new(line))
    }

    fn prompt(&self) -> Result<Secret> {
        self.ask(&capitalised(self.what), false).map(Secret::new)
    }

    /// A hidden prompt that takes an empty answer (a secret that may not
    /// exist, such as a public OAuth client's): `None` then.
    pub fn prompt_optional(&self, label: &str) -> Result<Option<Secret>> {
        let value = self.ask(label, true)?;
        Ok(Some(value)
            .filter(|v| !v.trim().is_empty())
            .map(Secret::new))
    }

    fn ask(&self, label: &str, empty: bool) -> Result<String> {
        dialoguer::Password::new()
            .with_prompt(label)
            .allow_empty_password(empty)
            .interact()
            .map_err(|e| match e {
                dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
                    Error::Interrupted
                }
                dialoguer::Error::IO(io) => Error::usage(
                    format!("cannot prompt for the {}: {io}", self.what),
                    format!("set {} instead", self.env_var),
                ),
            })
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
