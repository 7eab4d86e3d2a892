//! `jira-spoke servicenow login | logout`: keeps the ServiceNow admin's user
//! name and password in the secret store (the OS keyring by default), one
//! pair per instance, so `apply`, `verify` and `consent` need neither the
//! environment nor a prompt. `login` proves the pair before keeping it.

use std::fmt;

use serde::Serialize;

use crate::atlassian::Http;
use crate::cli::{ServicenowArgs, ServicenowLogoutArgs};
use crate::error::Result;
use crate::output::Printer;
use crate::secret::Secret;
use crate::servicenow::client::Query;
use crate::servicenow::records::{ALIAS_ID, table};
use crate::servicenow::{AdminCredentials, Instance, TableApi};
use crate::settings::Settings;
use crate::store::{SecretRef, SecretStore, StoreKind, Stores};

/// The store entries of an instance's login: (user, password).
fn refs(settings: &Settings, instance: &Instance) -> (SecretRef, SecretRef) {
    let account = |what: &str| SecretRef {
        service: settings.keyring_service.clone(),
        account: format!("servicenow@{}:{what}", instance.host()),
    };
    (account("user"), account("password"))
}

fn store(settings: &Settings) -> (Box<dyn SecretStore>, StoreKind) {
    let kind = settings.store.unwrap_or(StoreKind::Keyring);
    (Stores::system(settings.config.dir()).open(kind), kind)
}

/// The login kept for `instance`, if any. `Err` carries why the store could
/// not be read, for the hint of a "no user" error.
pub(super) fn stored(
    settings: &Settings,
    instance: &Instance,
) -> std::result::Result<Option<AdminCredentials>, String> {
    let (store, _) = store(settings);
    let (user, password) = refs(settings, instance);
    let read = |r: &SecretRef| store.get(r).map_err(|e| e.to_string());
    match (read(&user)?, read(&password)?) {
        (Some(user), Some(password)) => Ok(Some(AdminCredentials {
            user: user.expose().to_owned(),
            password,
        })),
        _ => Ok(None),
    }
}

/// What `login` or `logout` did.
#[derive(Debug, Serialize)]
pub struct LoginReport {
    pub instance: String,
    pub user: Option<String>,
    pub store: String,
    pub stored: bool,
    pub message: String,
}

impl fmt::Display for LoginReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// Runs `servicenow login`: proves the admin's credentials, then keeps them.
pub async fn login(args: &ServicenowArgs, settings: &Settings, printer: &Printer) -> Result<()> {
    let instance = Instance::parse(&args.instance)?;
    let admin = super::prompted_credentials(args)?;
    let (store, kind) = store(settings);
    store.probe()?;
    let api = TableApi::new(
        Http::new(settings.timeout)?,
        instance.clone(),
        AdminCredentials {
            user: admin.user.clone(),
            password: admin.password.clone(),
        },
    );
    // Any authenticated read proves the pair; the alias is what the spoke needs.
    let alias = api
        .find(table::ALIAS, &Query::eq("id", ALIAS_ID), &[])
        .await?;
    let (user_ref, password_ref) = refs(settings, &instance);
    store.set(&user_ref, &Secret::new(admin.user.clone()))?;
    store.set(&password_ref, &admin.password)?;
    let spoke = if alias.is_empty() {
        format!(" (note: it has no {ALIAS_ID} alias yet: activate the Jira spoke)")
    } else {
        String::new()
    };
    printer.out(&LoginReport {
        instance: instance.url(),
        user: Some(admin.user.clone()),
        store: kind.to_string(),
        stored: true,
        message: format!(
            "Signed in to {instance} as `{}` and kept the login in the {kind} store{spoke}.\n\
             `jira-spoke servicenow apply|verify|consent --instance {}` now use it.",
            admin.user, args.instance
        ),
    });
    Ok(())
}

/// Runs `servicenow logout`: forgets the kept login of an instance.
pub fn logout(args: &ServicenowLogoutArgs, settings: &Settings, printer: &Printer) -> Result<()> {
    let instance = Instance::parse(&args.instance)?;
    let (store, kind) = store(settings);
    let (user, password) = refs(settings, &instance);
    let removed = store.delete(&user)? | store.delete(&password)?;
    let message = if removed {
        format!("Forgot the login for {instance} (from the {kind} store).")
    } else {
        format!("No login for {instance} was kept in the {kind} store.")
    };
    printer.out(&LoginReport {
        instance: instance.url(),
        user: None,
        store: kind.to_string(),
        stored: false,
        message,
    });
    Ok(())
}
