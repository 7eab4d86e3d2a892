//! [`ConnectReport`]: what `connect` stored, where, and what to run next.

use std::fmt;

use serde::Serialize;

use crate::atlassian::jira::Myself;
use crate::flows::Identity;
use crate::flows::connect::consent_in_servicenow;
use crate::settings::Settings;
use crate::store::transaction::Replaced;

/// The result of a successful connect. Names of secret entries, never values.
#[derive(Debug, Serialize)]
pub(crate) struct ConnectReport {
    pub connection: String,
    pub grant: String,
    pub site: Option<String>,
    pub cloud_id: Option<String>,
    pub connection_url: String,
    /// Who the token acts as; null when no token was issued (consent in ServiceNow).
    pub identity: Option<Identity>,
    pub store: String,
    /// The store in words, for people.
    #[serde(skip)]
    pub store_words: &'static str,
    pub secrets: Vec<String>,
    pub config: String,
    pub replaced_existing: bool,
    pub token_expires_at: Option<u64>,
    pub scope: Option<String>,
    /// Requested scopes Atlassian did not grant (the connection works without them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes_not_granted: Vec<String>,
    /// `servicenow` when the consent happens in ServiceNow: the app's
    /// callback is ServiceNow's, so no token is kept here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<&'static str>,
    /// The callback URL registered with the app (authorization code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// The commands to run next.
    pub next: Vec<String>,
}

impl ConnectReport {
    /// Builds the report from what was stored.
    pub(crate) fn new(
        name: &str,
        replaced: &Replaced,
        me: Option<&Myself>,
        settings: &Settings,
    ) -> Self {
        let c = &replaced.connection;
        let flag = if name == "default" {
            String::new()
        } else {
            format!(" -c {name}")
        };
        let elsewhere = consent_in_servicenow::applies(c);
        let next = if elsewhere {
            let instance = consent_in_servicenow::instance_arg(c);
            ["apply", "consent", "verify"]
                .iter()
                .map(|sub| format!("jira-spoke{flag} servicenow {sub} --instance {instance}"))
                .collect()
        } else {
            vec![
                format!("jira-spoke{flag} verify"),
                format!("jira-spoke{flag} token"),
            ]
        };
        ConnectReport {
            connection: name.to_owned(),
            grant: c.grant.to_string(),
            site: c
                .site_url
                .as_ref()
                .map(|u| u.as_str().trim_end_matches('/').to_owned()),
            cloud_id: c.cloud_id.as_ref().map(ToString::to_string),
            connection_url: c.connection_url.to_string(),
            identity: me.map(Identity::from),
            store: c.store.to_string(),
            store_words: c.store.described(),
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
            consent: elsewhere.then_some("servicenow"),
            redirect_uri: c.redirect_uri.as_ref().map(ToString::to_string),
            next,
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
        let how = match self.consent {
            Some(_) => format!("{}; consent happens in ServiceNow", self.grant),
            None => self.grant.clone(),
        };
        writeln!(f, "✓ {verb} `{}`: {site} ({how})", self.connection)?;
        if let Some(id) = &self.cloud_id {
            writeln!(f, "  Cloud ID        {id}")?;
        }
        writeln!(f, "  Connection URL  {}", self.connection_url)?;
        if let Some(who) = &self.identity {
            writeln!(f, "  Acting as       {who}")?;
        }
        if self.consent.is_some() {
            writeln!(
                f,
                "  Client          accepted by Atlassian's token endpoint (checked without a browser; no token issued)"
            )?;
            if let Some(uri) = &self.redirect_uri {
                writeln!(f, "  Callback URL    {uri}")?;
            }
        }
        writeln!(
            f,
            "  Secrets         in {}: {}",
            self.store_words,
            self.secrets.join(", ")
        )?;
        writeln!(f, "  Config          {}", self.config)?;
        if self.consent.is_none() {
            let quoted: Vec<String> = self.next.iter().map(|c| format!("`{c}`")).collect();
            return write!(f, "Next: {}", quoted.join(", "));
        }
        writeln!(
            f,
            "Consent happens in ServiceNow: the app sends it to the callback URL above, so jira-spoke keeps \
             no token for this connection. Create the spoke's records, then give consent there (\"Get OAuth Token\"):"
        )?;
        write!(f, "Next:")?;
        for line in &self.next {
            write!(f, "\n  {line}")?;
        }
        Ok(())
    }
}
