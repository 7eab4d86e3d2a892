//! `jira-spoke setup`: the interactive wizard. Its steps live in [`journey`]
//! behind the [`Prompter`] seam so the logic is tested with a scripted
//! prompter; this module checks for a terminal and wires the real one.

pub mod checklist;
pub mod journey;
mod kept;
mod report;
mod scopes;
mod spoke;

use crate::commands::Context;
use std::io::IsTerminal;

use crate::error::{Error, Result};
use crate::ui::prompt::{DialoguerPrompter, Prompter};

pub use journey::Wizard;
pub use report::SetupReport;

/// Runs the wizard on this terminal.
pub async fn run(ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings,
        http,
        stores,
        printer,
        spin,
    } = ctx;
    let spin = *spin;

    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::usage(
            "`jira-spoke setup` asks questions and needs a terminal",
            "use `jira-spoke connect --grant …` for non-interactive use (see `jira-spoke connect --help`)",
        ));
    }
    let wizard = Wizard {
        settings,
        http,
        printer,
        stores,
        headless: crate::ui::browser_unlikely(),
        spin,
        servicenow_env: crate::settings::ServiceNowEnv::from_env(),
        consent_wait: std::time::Duration::from_secs(300),
    };
    let mut prompter = DialoguerPrompter::new().with_color(printer.color());
    prompter.note(
        "jira-spoke setup — connect Jira Cloud step by step. Ctrl-C stops at any step and says what was kept.\n",
    );
    let Some(report) = journey::run(&wizard, &mut prompter).await? else {
        printer.status(format!(
            "Left connection `{}` as it was.",
            settings.connection
        ));
        return Ok(());
    };
    printer.out(&report);
    report.result()
}
