//! `jira-spoke setup`: the interactive wizard. Its steps live in [`journey`]
//! behind the [`Prompter`] seam so the logic is tested with a scripted
//! prompter; this module checks for a terminal and wires the real one.

pub mod checklist;
pub mod journey;
mod report;

use std::io::IsTerminal;

use crate::atlassian::Http;
use crate::error::{Error, Result};
use crate::output::Printer;
use crate::settings::Settings;
use crate::store::Stores;
use crate::ui::prompt::{DialoguerPrompter, Prompter};

pub use journey::Wizard;
pub use report::SetupReport;

/// Runs the wizard on this terminal.
pub async fn run(settings: &Settings, printer: &Printer, spin: bool) -> Result<()> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::usage(
            "`jira-spoke setup` asks questions and needs a terminal",
            "use `jira-spoke connect --grant …` for non-interactive use (see `jira-spoke connect --help`)",
        ));
    }
    let http = Http::new(settings.timeout)?;
    let stores = Stores::system(settings.config.dir());
    let wizard = Wizard {
        settings,
        http: &http,
        printer,
        stores: &stores,
        headless: crate::ui::browser_unlikely(),
        spin,
    };
    let mut prompter = DialoguerPrompter::new().with_color(printer.color());
    prompter.note(
        "jira-spoke setup — connect Jira Cloud step by step. Ctrl-C leaves everything as it was.\n",
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
