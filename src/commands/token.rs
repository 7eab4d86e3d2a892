//! `jira-spoke token`: a valid access token alone on stdout, for
//! `curl -H "Authorization: Bearer $(jira-spoke token)"`. Printing it is the
//! command's purpose; it is the one place a secret reaches stdout.

use crate::commands::Context;
use std::fmt;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::flows::connect::consent_in_servicenow;
use crate::flows::tokens::{TokenSource, access_token};

/// `token`'s output.
#[derive(Serialize)]
pub(super) struct TokenReport {
    pub access_token: String,
    pub expires_at: u64,
    pub scope: String,
    pub source: TokenSource,
}

impl fmt::Display for TokenReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.access_token)
    }
}

/// Prints a valid access token for the selected connection.
pub(super) async fn run(ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings,
        http,
        stores,
        printer,
        ..
    } = ctx;

    let name = &settings.connection;
    let token = match access_token(http, &settings.config, stores, name).await {
        Ok(token) => token,
        // NOTE: exit 4 (not configured), not 3: nothing was rejected; the token
        // lives in ServiceNow by design, and a script must not take the proven
        // client ID and secret for wrong ones. Looked at only on failure, so a
        // working `token` reads the config once.
        Err(err) => {
            let connection = settings.config.load_connection(name)?;
            if consent_in_servicenow::applies(&connection) {
                return Err(Error::TokenInServiceNow {
                    connection: name.clone(),
                    instance: consent_in_servicenow::instance_arg(&connection),
                });
            }
            return Err(err);
        }
    };
    printer.out(&TokenReport {
        access_token: token.token.expose().to_owned(),
        expires_at: token.expires_at,
        scope: token.scope,
        source: token.source,
    });
    Ok(())
}
