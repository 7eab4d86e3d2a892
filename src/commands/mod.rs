//! One module per subcommand, and [`run`], which dispatches to them.
//!
//! Command functions take resolved [`Settings`](crate::settings::Settings), a
//! [`Printer`] and the pieces they need (an [`Http`](crate::http::Http)
//! client, a secret store); they return a report through the printer or an
//! [`Error`](crate::error::Error). They never parse flags or read the environment.

mod check_app;
mod cloud_id;
mod completions;
mod connect;
mod context;
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

use crate::cli::{Cli, Command};
use crate::error::Result;
use crate::output::Printer;

pub use context::Context;

/// Runs the parsed command line. Commands that need no connection (help
/// texts, completions, the manual) run without resolving any settings.
pub async fn run(cli: Cli, printer: &Printer) -> Result<()> {
    let Cli { global, command } = cli;
    let command = match command {
        Command::Completions(args) => return completions::run(args.shell),
        Command::Scopes(args) => return scopes::run(args.grant, printer),
        Command::Man => return man::run(),
        command => command,
    };
    let ctx = Context::new(&global, printer)?;
    let named = ctx.settings.connection.clone();
    match command {
        Command::CloudId(args) => cloud_id::run(&args.site, &ctx).await,
        Command::CheckApp(args) => check_app::run(&args, &ctx).await,
        Command::Export(args) => {
            export::run(&args, &ctx).map_err(|e| e.for_stored_connection(&named))
        }
        Command::List => list::run(&ctx),
        Command::Use(args) => switch::run(&args.name, &ctx),
        Command::Remove(args) => {
            let name = args.name.unwrap_or(named);
            remove::run(&name, &ctx).map_err(|e| e.for_stored_connection(&name))
        }
        Command::Setup => setup::run(&ctx).await,
        Command::Connect(args) => connect::run(&args, &ctx).await,
        Command::Verify(args) => verify::run(args.all, &ctx).await,
        Command::Token => token::run(&ctx)
            .await
            .map_err(|e| e.for_stored_connection(&named)),
        Command::Servicenow(command) => servicenow::run(&command, &ctx).await,
        Command::Completions(_) | Command::Scopes(_) | Command::Man => {
            unreachable!("handled before the context is built")
        }
    }
}
