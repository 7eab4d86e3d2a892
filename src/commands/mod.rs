//! One module per subcommand, and [`run`], which dispatches to them.
//!
//! Command functions take resolved [`Settings`], a [`Printer`] and the pieces
//! they need (an [`Http`] client, a secret store); they return a report through
//! the printer or an [`Error`]. They never parse flags or read the environment.

mod check_app;
mod cloud_id;
mod completions;
mod connect;
mod export;
mod list;
mod man;
mod remove;
mod scopes;
mod servicenow;
pub mod setup;
mod switch;
mod token;
mod verify;

use crate::atlassian::Http;
use crate::cli::{Cli, Command, GlobalArgs};
use crate::error::Result;
use crate::output::Printer;
use crate::settings::Settings;

/// Runs the parsed command line.
pub async fn run(cli: Cli, printer: &Printer) -> Result<()> {
    let Cli { global, command } = cli;
    match command {
        Command::Completions(args) => completions::run(args.shell),
        Command::Scopes(args) => scopes::run(args.grant, printer),
        Command::CloudId(args) => {
            let http = Http::new(settings(&global)?.timeout)?;
            cloud_id::run(&args.site, &http, printer, spinners(&global)).await
        }
        Command::CheckApp(args) => {
            check_app::run(&args, &settings(&global)?, printer, spinners(&global)).await
        }
        Command::Export(args) => {
            let settings = settings(&global)?;
            export::run(&args, &settings, printer)
                .map_err(|e| e.for_stored_connection(&settings.connection))
        }
        Command::List => list::run(&settings(&global)?, printer),
        Command::Use(args) => switch::run(&settings(&global)?, &args.name, printer),
        Command::Man => man::run(),
        Command::Remove(args) => {
            let settings = settings(&global)?;
            let name = args.name.unwrap_or_else(|| settings.connection.clone());
            remove::run(&settings, &name, printer).map_err(|e| e.for_stored_connection(&name))
        }
        Command::Setup => setup::run(&settings(&global)?, printer, spinners(&global)).await,
        Command::Connect(args) => {
            connect::run(&args, &settings(&global)?, printer, spinners(&global)).await
        }
        Command::Verify(args) => verify::run(&settings(&global)?, args.all, printer).await,
        Command::Token => {
            let settings = settings(&global)?;
            token::run(&settings, printer)
                .await
                .map_err(|e| e.for_stored_connection(&settings.connection))
        }
        Command::Servicenow(command) => {
            servicenow::run(&command, &settings(&global)?, printer, spinners(&global)).await
        }
    }
}

fn settings(global: &GlobalArgs) -> Result<Settings> {
    Settings::resolve(global)
}

/// Spinners only for people: not with `--json` or `-q`.
fn spinners(global: &GlobalArgs) -> bool {
    !global.json && !global.quiet
}
