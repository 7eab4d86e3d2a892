//! Where a secret comes from: stdin when its `--*-stdin` flag is given, else
//! an environment variable, else a hidden prompt when a terminal is attached.
//! There is deliberately no flag that takes a secret value: argv is visible
//! to every user of the machine (`ps`) and lands in shell history.

use std::io::{BufRead, IsTerminal, Read};

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The longest secret taken from any source: Atlassian's API tokens are
/// under 200 characters, and a longer value would only become an oversized
/// request header.
pub(crate) const MAX_SECRET_BYTES: usize = 4096;

/// One secret to obtain, and the names the admin knows it by.
pub(crate) struct SecretInput<'a> {
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
    /// Reads the secret from the first source that has it; surrounding
    /// whitespace (a pasted newline) is trimmed.
    pub(crate) fn read(&self) -> Result<Secret> {
        self.read_as(Secret::new)
    }

    /// [`SecretInput::read`] for a password: used exactly as given, spaces
    /// included; only the line end of stdin is removed.
    pub(crate) fn read_password(&self) -> Result<Secret> {
        self.read_as(Secret::verbatim)
    }

    fn read_as(&self, wrap: fn(String) -> Secret) -> Result<Secret> {
        let value = if self.from_stdin {
            self.read_stdin()?
        } else if let Some(value) = std::env::var(self.env_var)
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            value
        } else if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            self.ask(&capitalised(self.what), false)?
        } else {
            return Err(Error::usage(
                format!("no {} was given", self.what),
                format!(
                    "set {} or pass {} and pipe it in; it is never taken as a flag value",
                    self.env_var, self.stdin_flag
                ),
            ));
        };
        if value.len() > MAX_SECRET_BYTES {
            return Err(self.too_long());
        }
        let secret = wrap(value);
        if secret.expose().trim().is_empty() {
            return Err(Error::usage(
                format!("the {} is empty", self.what),
                format!("give the {} in {} or on stdin", self.what, self.env_var),
            ));
        }
        Ok(secret)
    }

    fn too_long(&self) -> Error {
        Error::usage(
            format!(
                "the {} given is longer than {MAX_SECRET_BYTES} bytes",
                self.what
            ),
            format!(
                "give the {} alone: {} reads its first line only",
                self.what, self.stdin_flag
            ),
        )
    }

    /// The first line of stdin without its line end, read no further than
    /// [`MAX_SECRET_BYTES`] (so `/dev/zero` ends in an error, not for ever).
    fn read_stdin(&self) -> Result<String> {
        let mut line = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_SECRET_BYTES as u64 + 2)
            .read_until(b'\n', &mut line)
            .map_err(|e| {
                Error::usage(
                    format!("cannot read the {} from stdin: {e}", self.what),
                    "pipe it in, e.g. `< secret.txt`",
                )
            })?;
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        }
        if line.len() > MAX_SECRET_BYTES {
            return Err(self.too_long());
        }
        String::from_utf8(line).map_err(|_| {
            Error::usage(
                format!("the {} on stdin is not UTF-8 text", self.what),
                "pipe in the secret as text, e.g. `< secret.txt`",
            )
        })
    }

    /// A hidden prompt that takes an empty answer (a secret that may not
    /// exist, such as a public OAuth client's): `None` then.
    pub(crate) fn prompt_optional(&self, label: &str) -> Result<Option<Secret>> {
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
