//! [`SetupReport`]: the wizard's final summary on stdout — what was saved
//! where (entry names, never values), and the commands to use next, including
//! the non-interactive `connect` line that reproduces this set-up in CI.

use std::fmt;

use serde::Serialize;

use super::spoke::SpokeReport;
use crate::error::{Error, ErrorKind, Result};
use crate::flows::Identity;
use crate::flows::connect::consent_in_servicenow;
use crate::flows::export::ExportReport;
use crate::flows::verify::VerifyReport;
use crate::settings::Settings;
use crate::store::Grant;
use crate::store::transaction::Replaced;

/// The summary of a finished set-up.
#[derive(Debug, Serialize)]
pub struct SetupReport {
    pub connection: String,
    pub grant: Grant,
    pub site: Option<String>,
    pub cloud_id: Option<String>,
    pub connection_url: String,
    pub identity: Option<Identity>,
    pub config: String,
    pub store: String,
    /// The store in words, for people.
    #[serde(skip)]
    pub store_words: &'static str,
    /// Store entries written (names only).
    pub secrets: Vec<String>,
    pub verified: bool,
    pub next: Vec<String>,
    /// `connect` for CI, secrets as environment variables.
    pub ci_command: String,
    /// `servicenow apply` for CI, when the wizard wrote the ServiceNow
    /// records: the same set-up is both halves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci_servicenow_command: Option<String>,
    /// What the ServiceNow Jira spoke's forms need, when set up for one
    /// and the admin prefers to type them.
    pub servicenow: Option<ExportReport>,
    /// What the wizard did on the ServiceNow instance, when asked to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spoke: Option<SpokeReport>,
    /// The kind of verify's first failed check, which decides the exit code.
    #[serde(skip)]
    pub failure: Option<ErrorKind>,
}

impl SetupReport {
    /// Builds the summary.
    pub fn new(
        name: &str,
        replaced: &Replaced,
        verified: &VerifyReport,
        settings: &Settings,
    ) -> Self {
        let c = &replaced.connection;
        let flag = if name == "default" {
            String::new()
        } else {
            format!(" -c {name}")
        };
        let site = c
            .site_url
            .as_ref()
            .map(|u| u.as_str().trim_end_matches('/').to_owned());
        let target = match (&site, &c.cloud_id) {
            (Some(site), _) => format!("--site {site}"),
            (None, Some(id)) => format!("--cloud-id {id}"),
            (None, None) => String::new(),
        };
        let client = c.client_id.as_deref().unwrap_or("CLIENT-ID");
        let ci_command = match c.grant {
            Grant::ClientCredentials => format!(
                "JIRA_SPOKE_CLIENT_SECRET=… jira-spoke{flag} connect --grant client-credentials --client-id {client} {target}"
            ),
            Grant::AuthorizationCode => format!(
                "JIRA_SPOKE_CLIENT_SECRET=… jira-spoke{flag} connect --grant authorization-code --client-id {client} {target} --redirect-uri {}",
                c.redirect_uri
                    .as_ref()
                    .map(|u| u.as_str())
                    .unwrap_or_default()
            ),
            Grant::ApiToken => format!(
                "JIRA_SPOKE_API_TOKEN=… jira-spoke{flag} connect --grant api-token {target} --email {}",
                c.email.as_deref().unwrap_or("EMAIL")
            ),
        };
        let mut next = vec![format!("jira-spoke{flag} verify")];
        if consent_in_servicenow::applies(c) {
            // No token here: ServiceNow's side is what comes next.
            let instance = consent_in_servicenow::instance_arg(c);
            for sub in ["apply", "consent", "verify"] {
                next.push(format!(
                    "jira-spoke{flag} servicenow {sub} --instance {instance}"
                ));
            }
        } else if c.grant != Grant::ApiToken {
            next.push(format!("jira-spoke{flag} token"));
        }
        SetupReport {
            connection: name.to_owned(),
            grant: c.grant,
            site,
            cloud_id: c.cloud_id.as_ref().map(ToString::to_string),
            connection_url: c.connection_url.to_string(),
            identity: verified.identity.clone(),
            config: settings.config.path().display().to_string(),
            store: c.store.to_string(),
            store_words: c.store.described(),
            secrets: c
                .secrets
                .iter()
                .map(|(what, r)| format!("{what}: {r}"))
                .collect(),
            verified: verified.ok,
            next,
            ci_command,
            ci_servicenow_command: None,
            servicenow: None,
            spoke: None,
            failure: verified.first_failure(),
        }
    }

    /// Records what the wizard did on the ServiceNow instance, and the
    /// `servicenow apply` line that does it without prompts.
    pub fn with_spoke(&mut self, spoke: SpokeReport) {
        let flag = if self.connection == "default" {
            String::new()
        } else {
            format!(" -c {}", self.connection)
        };
        self.ci_servicenow_command = Some(format!(
            "{}=… {}=… jira-spoke{flag} servicenow apply --instance {}",
            crate::env::SERVICENOW_USER,
            crate::env::SERVICENOW_PASSWORD,
            spoke.instance
        ));
        self.spoke = Some(spoke);
    }

    /// How `setup` ends: success, or the kind of the first failed check
    /// (its exit code), as `verify` would end.
    pub fn result(&self) -> Result<()> {
        let spoke = self.spoke.as_ref().and_then(|s| s.failure);
        match self.failure.or(spoke) {
            None => Ok(()),
            Some(kind) => Err(Error::ChecksFailed { kind }),
        }
    }
}

impl fmt::Display for SetupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.verified {
            "is ready"
        } else {
            "was saved, but verify found problems (see above)"
        };
        writeln!(f, "Connection `{}` {state}.", self.connection)?;
        if let Some(site) = &self.site {
            writeln!(f, "  Site            {site}")?;
        }
        if let Some(id) = &self.cloud_id {
            writeln!(f, "  Cloud ID        {id}")?;
        }
        writeln!(f, "  Connection URL  {}", self.connection_url)?;
        if let Some(who) = &self.identity {
            writeln!(f, "  Acting as       {who}")?;
        }
        writeln!(f, "  Config          {}", self.config)?;
        writeln!(f, "  Secrets in {}", self.store_words)?;
        for entry in &self.secrets {
            writeln!(f, "    {entry}")?;
        }
        if let Some(spoke) = &self.spoke {
            let state = if spoke.verified {
                "the Jira spoke's records are in place and verify passed"
            } else if spoke.applied {
                "verify found problems (see above)"
            } else {
                "the records could not all be written (see above)"
            };
            writeln!(f, "ServiceNow {}: {state}.", spoke.instance)?;
        }
        writeln!(f, "Next:")?;
        for command in &self.next {
            writeln!(f, "  {command}")?;
        }
        writeln!(f, "The same set-up without prompts (CI, scripts):")?;
        write!(f, "  {}", self.ci_command)?;
        if let Some(apply) = &self.ci_servicenow_command {
            write!(f, "\n  {apply}")?;
        }
        if let Some(export) = &self.servicenow {
            write!(f, "\n\n{export}")?;
        }
        Ok(())
    }
}
