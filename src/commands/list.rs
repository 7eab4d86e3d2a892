//! `jira-spoke list`: the stored connections, one line each (or JSON).

use crate::commands::Context;
use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::store::token_state::{TokenState, access_token_entry};
use crate::store::{Grant, StoreKind};

/// One connection as `list` shows it. No secrets: only where they are kept.
#[derive(Debug, Serialize)]
pub(super) struct ConnectionSummary {
    pub name: String,
    /// True for the connection commands use when none is named.
    pub default: bool,
    pub grant: Grant,
    pub site: Option<String>,
    pub cloud_id: Option<String>,
    pub connection_url: String,
    pub store: StoreKind,
    /// Unix time at which the stored access token expires, if one is stored.
    pub token_expires_at: Option<u64>,
    /// The ServiceNow instance the spoke's records were applied to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub servicenow_instance: Option<String>,
}

/// All stored connections.
#[derive(Debug, Serialize)]
pub(super) struct ListReport {
    pub config: String,
    /// The connection commands use when none is named (it may not exist yet).
    pub default: String,
    pub connections: Vec<ConnectionSummary>,
}

impl fmt::Display for ListReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.connections.is_empty() {
            return write!(
                f,
                "No connections in {}. Create one with `jira-spoke setup`.",
                self.config
            );
        }
        for c in &self.connections {
            let site = c.site.as_deref().unwrap_or(c.connection_url.as_str());
            let expiry = match c.token_expires_at {
                Some(at) => format!("  token expires {}", describe_expiry(at)),
                None => String::new(),
            };
            let servicenow = match &c.servicenow_instance {
                Some(instance) => format!("  servicenow {instance}"),
                None => String::new(),
            };
            writeln!(
                f,
                "{} {}  {}  {}  cloud-id {}  store {}{}{}",
                if c.default { '*' } else { ' ' },
                c.name,
                c.grant,
                site,
                c.cloud_id.as_deref().unwrap_or("-"),
                c.store,
                servicenow,
                expiry
            )?;
        }
        Ok(())
    }
}

fn describe_expiry(at: u64) -> String {
    let now = crate::time::now_unix();
    if at <= now {
        format!("{} ago", crate::time::human_duration(now - at))
    } else {
        format!("in {}", crate::time::human_duration(at - now))
    }
}

/// Prints the stored connections.
pub(super) fn run(ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings, printer, ..
    } = ctx;

    let config = settings.config.load()?;
    let connections = config
        .connections
        .iter()
        .map(|(name, c)| ConnectionSummary {
            name: name.clone(),
            default: name == config.default_name(),
            grant: c.grant,
            site: c
                .site_url
                .as_ref()
                .map(|u| u.as_str().trim_end_matches('/').to_owned()),
            cloud_id: c.cloud_id.as_ref().map(|id| id.to_string()),
            connection_url: c.connection_url.to_string(),
            store: c.store,
            token_expires_at: TokenState::new(&settings.config, name)
                .read(c, &access_token_entry(c, name))
                .map(|t| t.expires_at),
            servicenow_instance: c.servicenow_instance.clone(),
        })
        .collect();
    printer.out(&ListReport {
        config: settings.config.path().display().to_string(),
        default: config.default_name().to_owned(),
        connections,
    });
    Ok(())
}
