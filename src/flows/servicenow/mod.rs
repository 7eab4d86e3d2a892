//! The ServiceNow side of a Jira spoke, for a stored connection: apply the
//! records, run "Get OAuth Token", verify them. `servicenow apply | consent |
//! verify` and the setup wizard both run these steps on a [`Target`]; the
//! wire lives in [`crate::servicenow`]. Each step returns a report; printing
//! and prompting stay with the callers (the consent URL excepted: it is the
//! way on, so it is shown as a notice).

pub mod apply;
pub mod consent;
pub mod verify;

use crate::atlassian::Http;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::servicenow::records::Wanted;
use crate::servicenow::{AdminCredentials, Instance, TableApi};
use crate::settings::Settings;
use crate::store::{Connection, Grant, SecretRef, SecretStore, Stores};

/// One stored connection on one instance, signed in as its admin.
pub struct Target {
    pub name: String,
    pub connection: Connection,
    pub wanted: Wanted,
    pub api: TableApi,
    /// `--instance` as the admin would type it, for the commands suggested next.
    pub instance_arg: String,
}

impl Target {
    /// The target for connection `name` on `instance`, as `admin`.
    pub fn new(
        name: &str,
        connection: Connection,
        instance: Instance,
        admin: AdminCredentials,
        http: Http,
        instance_arg: String,
    ) -> Target {
        Target {
            wanted: Wanted::of(name, &connection),
            name: name.to_owned(),
            connection,
            api: TableApi::new(http, instance, admin),
            instance_arg,
        }
    }

    /// The instance.
    pub fn instance(&self) -> &Instance {
        self.api.instance()
    }

    /// `jira-spoke [-c NAME] servicenow <sub> --instance X`, to suggest next.
    pub fn suggest(&self, sub: &str) -> String {
        let connection = if self.name == "default" {
            String::new()
        } else {
            format!("-c {} ", self.name)
        };
        let instance = if self.instance_arg.contains(char::is_whitespace) {
            format!("'{}'", self.instance_arg)
        } else {
            self.instance_arg.clone()
        };
        format!("jira-spoke {connection}servicenow {sub} --instance {instance}")
    }

    /// The connection's secret that goes to ServiceNow: the client secret, or
    /// the API token for basic auth. Read from its store before any write.
    pub fn secret(&self, stores: &Stores) -> Result<Secret> {
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

/// The store entries of an instance's kept login: (user, password).
pub fn login_refs(settings: &Settings, instance: &Instance) -> (SecretRef, SecretRef) {
    let account = |what: &str| SecretRef {
        service: settings.keyring_service.clone(),
        account: format!("servicenow@{}:{what}", instance.host()),
    };
    (account("user"), account("password"))
}

/// The login `servicenow login` kept for `instance` in `store`, if any.
/// `Err` carries why the store could not be read, for a hint.
pub fn kept_login(
    settings: &Settings,
    store: &dyn SecretStore,
    instance: &Instance,
) -> std::result::Result<Option<AdminCredentials>, String> {
    let (user, password) = login_refs(settings, instance);
    let read = |r: &SecretRef| store.get(r).map_err(|e| e.to_string());
    match (read(&user)?, read(&password)?) {
        (Some(user), Some(password)) => Ok(Some(AdminCredentials {
            user: user.expose().to_owned(),
            password,
        })),
        _ => Ok(None),
    }
}
