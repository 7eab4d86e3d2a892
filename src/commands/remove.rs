//! `jira-spoke remove [NAME]`: deletes a connection and its secrets, and says
//! what it removed.
//!
//! Order: the secret store is probed first (an unreachable keyring fails the
//! command before anything changes), then the config entry is removed, then
//! the secrets. A secret that cannot be deleted after that is reported by name
//! so the admin can remove it by hand; it is never left unmentioned.
//!
//! It all happens under the connection's lock: a token refresh running at the
//! same time finishes first, so it cannot write the secrets back afterwards.

use crate::commands::Context;
use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::servicenow::records::Wanted;
use crate::store::SecretKind;
use crate::store::connection_lock_wait;
use crate::store::journal::RefreshJournal;
use crate::store::token_state::TokenState;

/// What `remove` did.
#[derive(Debug, Serialize)]
pub(super) struct RemoveReport {
    pub connection: String,
    pub config: String,
    pub store: String,
    /// Secret entries deleted (names of entries, never values).
    pub removed_secrets: Vec<String>,
    /// Entries referenced by the config that were already gone.
    pub missing_secrets: Vec<String>,
    /// When the removed connection was the default: the one that is now.
    pub new_default: Option<String>,
    /// The ServiceNow records applied for it, which stay on the instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub servicenow_left: Option<ServicenowLeft>,
}

/// What stays on a ServiceNow instance when a connection is removed here.
#[derive(Debug, Serialize)]
pub(super) struct ServicenowLeft {
    pub instance: String,
    /// The main records' names.
    pub records: Vec<String>,
}

impl fmt::Display for RemoveReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Removed connection `{}` from {}",
            self.connection, self.config
        )?;
        for entry in &self.removed_secrets {
            writeln!(f, "  deleted {entry} from the {} store", self.store)?;
        }
        for entry in &self.missing_secrets {
            writeln!(
                f,
                "  {entry} was already gone from the {} store",
                self.store
            )?;
        }
        if let Some(name) = &self.new_default {
            writeln!(f, "`{name}` is now the default connection")?;
        }
        if let Some(left) = &self.servicenow_left {
            writeln!(
                f,
                "Left on ServiceNow {} (jira-spoke removes nothing there by itself):",
                left.instance
            )?;
            for record in &left.records {
                writeln!(f, "  {record}")?;
            }
            writeln!(
                f,
                "`jira-spoke -c {} servicenow remove` takes them away while the connection is stored: \
                 connect it again to run it, or delete them in ServiceNow",
                self.connection
            )?;
        }
        Ok(())
    }
}

/// Removes connection `name`.
pub(super) fn run(name: &str, ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings,
        stores,
        printer,
        ..
    } = ctx;

    // Unknown names fail here, before a lock file is made for them.
    settings.config.load()?.connection(name)?;
    let _lock = settings.config.lock_connection(
        name,
        &format!("removing connection `{name}`"),
        connection_lock_wait(settings.timeout),
    )?;
    // Re-read under the lock: a refresh or a connect may have just finished.
    let config = settings.config.load()?;
    let connection = config.connection(name)?.clone();
    let store = stores.open(connection.store);
    if connection.secrets.iter().next().is_some() {
        store.probe()?;
    }
    let new_default = settings.config.update(|c| Ok(c.remove_connection(name)))?;
    RefreshJournal::new(&settings.config, name).end();
    let state = TokenState::new(&settings.config, name);
    // A connection written by hand without an access-token reference keeps
    // its renewed token at the entry its token state names.
    let unreferenced = state
        .entry()
        .filter(|entry| connection.secrets.iter().all(|(_, r)| r != entry));
    state.remove();
    let mut report = RemoveReport {
        connection: name.to_owned(),
        config: settings.config.path().display().to_string(),
        store: connection.store.to_string(),
        removed_secrets: Vec::new(),
        missing_secrets: Vec::new(),
        new_default,
        servicenow_left: connection.servicenow_instance.as_ref().map(|instance| {
            let wanted = Wanted::of(name, &connection);
            let mut records = Vec::new();
            if let Some(registry) = &wanted.registry {
                records.push(format!("Application Registry `{}`", registry.name));
            }
            records.push(format!("Credential `{}`", wanted.credential.name));
            records.push(format!("HTTP(s) Connection `{}`", wanted.connection.name));
            ServicenowLeft {
                instance: instance.clone(),
                records,
            }
        }),
    };
    let entries = connection
        .secrets
        .iter()
        .map(|(what, r)| (what, r.clone()))
        .chain(unreferenced.map(|r| (SecretKind::AccessToken, r)));
    for (what, r) in entries {
        let entry = format!("{what} ({r})");
        match store.delete(&r) {
            Ok(true) => report.removed_secrets.push(entry),
            Ok(false) => report.missing_secrets.push(entry),
            Err(e) => printer.warn(format!(
                "could not delete {entry}: {e}; delete it by hand from the {} store",
                connection.store
            )),
        }
    }
    // NOTE: the connection's own directory goes once nothing is left in it
    // (a file the admin put there keeps it).
    let _ = std::fs::remove_dir(settings.config.connection_dir(name));
    printer.out(&report);
    Ok(())
}
