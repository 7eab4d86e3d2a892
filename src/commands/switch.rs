//! `jira-spoke use NAME`: makes a stored connection the default one.

use crate::commands::Context;
use std::fmt;

use serde::Serialize;

use crate::error::Result;

/// What `use` did.
#[derive(Debug, Serialize)]
pub(super) struct UseReport {
    /// The connection that is now the default.
    pub default: String,
    /// The default before, when it was another one.
    pub previous: Option<String>,
}

impl fmt::Display for UseReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.previous {
            Some(previous) => write!(
                f,
                "`{}` is now the default connection (was `{previous}`).",
                self.default
            ),
            None => write!(f, "`{}` is the default connection.", self.default),
        }?;
        write!(
            f,
            "\nCommands use it unless --connection or JIRA_SPOKE_CONNECTION names another."
        )
    }
}

/// Makes `name` the default connection; it must exist.
pub(super) fn run(name: &str, ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings, printer, ..
    } = ctx;

    let previous = settings.config.update(|config| {
        config.connection(name)?;
        let previous = config.default_name().to_owned();
        config.default = Some(name.to_owned());
        Ok(previous)
    })?;
    printer.out(&UseReport {
        default: name.to_owned(),
        previous: (previous != name).then_some(previous),
    });
    Ok(())
}
