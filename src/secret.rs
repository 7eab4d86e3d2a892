//! [`Secret`]: a string that cannot be printed by accident.
//!
//! It has no `Display`, and its `Debug` prints `<redacted>`, so a secret that
//! ends up in an error, a log line or a `{:?}` dump shows nothing. The value
//! is reached only through [`Secret::expose`], which makes every use visible.

use std::fmt;

/// A client secret, API token, access token or refresh token.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value. Surrounding whitespace (a pasted newline) is trimmed.
    pub fn new(value: impl Into<String>) -> Self {
        let value: String = value.into();
        Secret(value.trim().to_owned())
    }

    /// Wraps a value exactly as given: a password's surrounding spaces are
    /// part of it.
    pub fn verbatim(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True for an empty value, which is never a valid credential.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `bytes` random bytes from the OS, base64url-encoded without padding: for
/// OAuth `state`, PKCE verifiers and entry-name suffixes.
pub fn random_string(bytes: usize) -> crate::error::Result<String> {
    use base64::Engine;
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)
        .map_err(|e| crate::error::Error::Internal(format!("the OS random source failed: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("  hunter2\n");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(s.expose(), "hunter2");
    }
}
