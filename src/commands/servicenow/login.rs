//! `jira-spoke servicenow login | logout`: keeps the ServiceNow admin's user
//! name and password in the secret store (the OS keyring by default), one
//! pair per instance, so `apply`, `verify` and `consent` need neither the
//! environment nor a prompt. `login` proves the pair before keeping it.

use std::fmt;

use serde::Serialize;

use crate::cli::{ServicenowArgs, ServicenowLogoutArgs};
use crate::commands::Context;
use crate::error::Result;
use crate::flows::servicenow::login_refs as refs;
use crate::secret::Secret;
use crate::servicenow::client::Query;
use crate::servicenow::records::{ALIAS_ID, table};
use crate::servicenow::{AdminCredentials, Instance, TableApi};
use crate::store::{SecretStore, StoreKind};

fn store(ctx: &Context<'_>) -> (Box<dyn SecretStore>, StoreKind) {
    let kind = super::login_store(&ctx.settings);
    (ctx.stores.open(kind), kind)
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
pub async fn login(args: &ServicenowArgs, ctx: &Context<'_>) -> Result<()> {
    let (settings, printer) = (&ctx.settings, ctx.printer);
    let instance = Instance::parse(&args.instance)?;
    let admin = super::prompted_credentials(args)?;
    let (store, kind) = store(ctx);
    store.probe()?;
    let api = TableApi::new(
        ctx.http.clone(),
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
pub fn logout(args: &ServicenowLogoutArgs, ctx: &Context<'_>) -> Result<()> {
    let (settings, printer) = (&ctx.settings, ctx.printer);
    let instance = Instance::parse(&args.instance)?;
    let (store, kind) = store(ctx);
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
