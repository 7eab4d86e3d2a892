//! `jira-spoke check-app`: proves an OAuth app's client ID and secret without
//! a browser (see [`crate::atlassian::oauth::check_client`] for why that works).

use crate::commands::Context;
use std::fmt;

use serde::Serialize;

use crate::atlassian::oauth::{self, Client};
use crate::cli::CheckAppArgs;
use crate::env;
use crate::error::Result;
use crate::http::safe_url;
use crate::ui::secret_input::SecretInput;
use crate::ui::spinner::Spinner;

/// The outcome of a successful check.
#[derive(Debug, Serialize)]
pub(super) struct CheckAppReport {
    pub client_id: String,
    pub ok: bool,
    pub token_url: String,
}

impl fmt::Display for CheckAppReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "✓ {} accepted the client ID {} and its secret (no browser, no token issued)",
            self.token_url, self.client_id
        )
    }
}

/// Runs `check-app`.
pub(super) async fn run(args: &CheckAppArgs, ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings,
        http,
        printer,
        spin,
        ..
    } = ctx;
    let spin = *spin;

    let secret = SecretInput {
        what: "client secret",
        from_stdin: args.client_secret_stdin,
        stdin_flag: "--client-secret-stdin",
        env_var: env::CLIENT_SECRET,
    }
    .read()?;
    let mut endpoints = settings.endpoints.oauth();
    if let Some(url) = &args.token_url {
        endpoints.token_url = crate::atlassian::endpoints::parse_endpoint_url("--token-url", url)?;
        endpoints.refresh_url = endpoints.token_url.clone();
    }
    endpoints.token_body = args.token_body;
    let client = Client {
        id: args.client_id.trim().to_owned(),
        secret,
    };
    {
        let _s = Spinner::start("Checking the client ID and secret", spin);
        oauth::check_client(http, &endpoints, &client).await?;
    }
    printer.out(&CheckAppReport {
        client_id: client.id,
        ok: true,
        token_url: safe_url(&endpoints.token_url),
    });
    Ok(())
}
