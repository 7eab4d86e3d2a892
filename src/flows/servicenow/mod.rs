//! The ServiceNow side of a Jira spoke, for a stored connection: apply the
//! records, run "Get OAuth Token", verify them. `servicenow apply | consent |
//! verify` and the setup wizard both run these steps on a [`Target`]; the
//! wire lives in [`crate::servicenow`]. Each step returns a report; printing
//! and prompting stay with the callers (the consent URL excepted: it is the
//! way on, so it is shown as a notice).

pub(crate) mod apply;
pub(crate) mod consent;
pub(crate) mod login;
pub(crate) mod remove;
pub(crate) mod verify;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::secret::Secret;
use crate::servicenow::reconcile::Alias;
use crate::servicenow::records::{ALIAS_ID, Wanted};
use crate::servicenow::{Instance, SignIn, TableApi};
use crate::store::{ConfigFile, Connection, Grant, Stores};

/// How a flow reaches the Jira site of a connection under `alias`: by
/// default through the spoke's alias, else by naming the child alias.
pub(crate) fn how_flows_choose(alias: &Alias) -> String {
    if !alias.child {
        return format!(
            "flows reach this Jira site through {ALIAS_ID} by default: nothing to choose"
        );
    }
    format!(
        "flows reach this Jira site through the child alias {id}: in a flow, More actions → Configure \
         connections; in an action, Advanced Options; in a script, \
         sn_fd.FlowAPI.getRunner()…withConnectionAliasOverride('{ALIAS_ID}', '{id}')",
        id = alias.name
    )
}

/// One stored connection on one instance, signed in as its admin.
pub(crate) struct Target {
    pub name: String,
    pub connection: Connection,
    pub wanted: Wanted,
    pub api: TableApi,
}

impl Target {
    /// The target for connection `name` on `instance`, signed in as `sign_in` says.
    pub(crate) fn new(
        name: &str,
        connection: Connection,
        instance: Instance,
        sign_in: SignIn,
        http: Http,
        alias: Option<String>,
    ) -> Target {
        Target {
            wanted: Wanted::of(name, &connection).under(alias),
            name: name.to_owned(),
            connection,
            api: TableApi::new(http, instance, sign_in),
        }
    }

    /// The instance.
    pub(crate) fn instance(&self) -> &Instance {
        self.api.instance()
    }

    /// True when the connection remembers this target's instance.
    pub(crate) fn remembered(&self) -> bool {
        self.connection
            .servicenow_instance
            .as_deref()
            .and_then(|i| Instance::parse(i).ok())
            .is_some_and(|i| &i == self.instance())
    }

    /// `jira-spoke [-c NAME] servicenow <sub> [--instance X]`, to suggest
    /// next; `--instance` only when the connection does not remember it.
    pub(crate) fn suggest(&self, sub: &str) -> String {
        let connection = if self.name == "default" {
            String::new()
        } else {
            format!("-c {} ", self.name)
        };
        let instance = if self.remembered() {
            String::new()
        } else {
            format!(" --instance {}", self.instance().arg())
        };
        format!("jira-spoke {connection}servicenow {sub}{instance}")
    }

    /// Remembers the instance in the connection's config, once its records
    /// are there: later `servicenow` commands need no `--instance`.
    pub(crate) fn remember(&mut self, config: &ConfigFile) -> Result<()> {
        if self.remembered() {
            return Ok(());
        }
        let url = self.instance().url();
        config.update(|c| {
            if let Some(stored) = c.connections.get_mut(&self.name) {
                stored.servicenow_instance = Some(url.clone());
            }
            Ok(())
        })?;
        self.connection.servicenow_instance = Some(url);
        Ok(())
    }

    /// The connection's secret that goes to ServiceNow: the client secret, or
    /// the API token for basic auth. Read from its store before any write.
    pub(crate) fn secret(&self, stores: &Stores) -> Result<Secret> {
        let store = stores.open(self.connection.store);
        let secrets = crate::flows::export::servicenow::read_secrets(
            store.as_ref(),
            &self.name,
            &self.connection,
        )?;
        let (secret, what) = match self.connection.grant {
            Grant::ApiToken => (secrets.api_token, "API token"),
            Grant::ClientCredentials | Grant::AuthorizationCode => {
                (secrets.client_secret, "client secret")
            }
        };
        secret.ok_or_else(|| Error::SecretMissing {
            what: what.to_owned(),
            connection: self.name.clone(),
            store: self.connection.store.to_string(),
        })
    }
}
