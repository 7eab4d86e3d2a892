//! [`Context`]: what every command that touches a connection gets, built once
//! per run by [`super::run`]: the resolved settings, the one HTTP client (and
//! its connection pool), the secret stores, the printer, and whether to show
//! spinners.

use crate::cli::GlobalArgs;
use crate::error::Result;
use crate::http::Http;
use crate::output::Printer;
use crate::settings::Settings;
use crate::store::Stores;

/// The resolved environment of one command.
pub struct Context<'a> {
    pub settings: Settings,
    pub http: Http,
    pub stores: Stores,
    pub printer: &'a Printer,
    /// Spinners only for people: not with `--json` or `-q`, and not with
    /// `-v`, whose log lines on the same stderr are the progress then (a
    /// spinner redrawn between them runs into them).
    pub spin: bool,
}

impl<'a> Context<'a> {
    /// Resolves the global flags and builds the shared clients.
    pub fn new(global: &GlobalArgs, printer: &'a Printer) -> Result<Context<'a>> {
        let settings = Settings::resolve(global)?;
        let http = Http::new(settings.timeout, settings.ca_file.as_deref())?;
        let stores = Stores::system(settings.config.dir());
        Ok(Context {
            settings,
            http,
            stores,
            printer,
            spin: !global.json && !global.quiet && global.verbose == 0,
        })
    }
}
