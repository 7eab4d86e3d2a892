//! [`ConnectReport`]: what `connect` stored, where, and what to run next.

use std::fmt;

use serde::Serialize;

use crate::atlassian::jira::Myself;
use crate::flows::Identity;
use crate::settings::Settings;
use crate::store::transaction::Replaced;

/// The result of a successful connect. Names of secret entries, never values.
#[derive(Debug, Serialize)]
pub struct ConnectReport {
    pub connection: String,
    pub grant: String,
    pub site: Option<String>,
    pub cloud_id: Option<String>,
    pub connection_url: String,
    pub identity: Identity,
    pub store: String,
    pub secrets: Vec<String>,
    pub config: String,
    pub replaced_existing: bool,
    pub token_expires_at: Option<u64>,
    pub scope: Option<String>,
    /// Requested scopes Atlassian did not grant (the connection works without them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes_not_granted: Vec<String>,
}

impl ConnectReport {
    /// Builds the report from what was stored.
    pub fn new(name: &str, replaced: &Replaced, me: &Myself, settings: &Settings) -> Self {
        let c = &replaced.connection;
        ConnectReport {
            connection: name.to_owned(),
            grant: c.grant.to_string(),
            site: c
                .site_url
                .as_ref()
                .map(|u| u.as_str().trim_end_matches('/').to_owned()),
            cloud_id: c.cloud_id.as_ref().map(ToString::to_string),
            connection_url: c.connection_url.to_string(),
            identity: Identity::from(me),
            store: c.store.to_string(),
            secrets: c
                .secrets
                .iter()
                .map(|(what, r)| format!("{what}: {r}"))
                .collect(),
            config: settings.config.path().display().to_string(),
            replaced_existing: replaced.replaced_existing,
            token_expires_at: c.token.as_ref().map(|t| t.expires_at),
            scope: c
                .token
                .as_ref()
                .map(|t| t.scope.clone())
                .filter(|s| !s.is_empty()),
            scopes_not_granted: Vec::new(),
        }
    }
}

impl fmt::Display for ConnectReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.replaced_existing {
            "Replaced"
        } else {
            "Connected"
        };
        let site = self.site.as_deref().unwrap_or(&self.connection_url);
        writeln!(f, "✓ {verb} `{}`: {site} ({})", self.connection, self.grant)?;
        if let Some(id) = &self.cloud_id {
            writeln!(f, "  Cloud ID        {id}")?;
        }
        writeln!(f, "  Connection URL  {}", self.connection_url)?;
        writeln!(f, "  Acting as       {}", self.identity)?;
        writeln!(
            f,
            "  Secrets         {} store: {}",
            self.store,
            self.secrets.join(", ")
        )?;
        writeln!(f, "  Config          {}", self.config)?;
        let flag = if self.connection == "default" {
            String::new()
        } else {
            format!(" -c {}", self.connection)
        };
        write!(
            f,
            "Next: `jira-spoke{flag} verify`, `jira-spoke{flag} token`"
        )
    }
}
