//! `jira-spoke completions <shell>`: a completion script on stdout.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::Result;

/// Writes the completion script for `shell` to stdout.
pub(super) fn run(shell: Shell) -> Result<()> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "jira-spoke", &mut std::io::stdout());
    Ok(())
}
