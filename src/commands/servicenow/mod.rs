//! `jira-spoke servicenow apply | verify | consent | login | logout`: the
//! ServiceNow side of a Jira spoke, for a stored connection. These commands
//! find the target (the stored connection, the instance, its admin) and run
//! the steps of [`crate::flows::servicenow`], which the setup wizard shares.

mod login;

use std::time::Duration;

use crate::cli::{ServicenowApplyArgs, ServicenowArgs, ServicenowCommand, ServicenowConsentArgs};
use crate::commands::Context;
use crate::env;
use crate::error::{Error, Result};
use crate::flows::servicenow::{Target, apply, consent, kept_login, verify};
use crate::servicenow::{AdminCredentials, Instance};
use crate::settings::Settings;
use crate::store::{StoreKind, Stores};
use crate::ui::secret_input::SecretInput;

/// Runs a `servicenow` subcommand.
pub async fn run(command: &ServicenowCommand, ctx: &Context<'_>) -> Result<()> {
    match command {
        ServicenowCommand::Apply(args) => run_apply(args, ctx).await,
        ServicenowCommand::Verify(args) => run_verify(args, ctx).await,
        ServicenowCommand::Consent(args) => run_consent(args, ctx).await,
        ServicenowCommand::Login(args) => login::login(args, ctx).await,
        ServicenowCommand::Logout(args) => login::logout(args, ctx),
    }
}

async fn run_apply(args: &ServicenowApplyArgs, ctx: &Context<'_>) -> Result<()> {
    let target = open(&args.target, ctx)?;
    let options = apply::Options {
        dry_run: args.dry_run,
        write_secrets: args.write_secrets,
    };
    let report = apply::apply(&target, &ctx.stores, options, ctx.spin).await?;
    for warning in &report.warnings {
        ctx.printer.warn(warning);
    }
    ctx.printer.out(&report);
    Ok(())
}

async fn run_consent(args: &ServicenowConsentArgs, ctx: &Context<'_>) -> Result<()> {
    let target = open(&args.target, ctx)?;
    let options = consent::Options {
        no_browser: args.no_browser,
        wait: Duration::from_secs(args.wait),
    };
    let report = consent::consent(&target, options, ctx.printer, ctx.spin).await?;
    ctx.printer.out(&report);
    Ok(())
}

async fn run_verify(args: &ServicenowArgs, ctx: &Context<'_>) -> Result<()> {
    let target = open(args, ctx)?;
    let report = verify::verify(&target, ctx.printer.color(), ctx.spin).await;
    ctx.printer.out(&report);
    report
        .first_failure()
        .map_or(Ok(()), |kind| Err(Error::ChecksFailed { kind }))
}

/// The stored connection (exit 4 before anything else if there is none),
/// the instance (exit 2 if malformed) and the admin's credentials.
fn open(args: &ServicenowArgs, ctx: &Context<'_>) -> Result<Target> {
    let name = &ctx.settings.connection;
    let connection = ctx.settings.config.load()?.connection(name)?.clone();
    let instance = Instance::parse(&args.instance)?;
    let admin = admin_credentials(args, &ctx.settings, &ctx.stores, &instance)?;
    Ok(Target::new(
        name,
        connection,
        instance,
        admin,
        ctx.http.clone(),
        args.instance.clone(),
    ))
}

/// Where `servicenow login` keeps logins: the chosen store, the keyring by default.
fn login_store(settings: &Settings) -> StoreKind {
    settings.store.unwrap_or(StoreKind::Keyring)
}

/// The ServiceNow user and password: given (`--servicenow-user` or its
/// environment variable, the password from the environment, stdin or a
/// hidden prompt — never from argv), else the login `servicenow login` kept
/// for this instance.
fn admin_credentials(
    args: &ServicenowArgs,
    settings: &Settings,
    stores: &Stores,
    instance: &Instance,
) -> Result<AdminCredentials> {
    if given_user(args).is_some() {
        return prompted_credentials(args);
    }
    let store = stores.open(login_store(settings));
    match kept_login(settings, store.as_ref(), instance) {
        Ok(Some(admin)) => Ok(admin),
        Ok(None) => Err(no_user(String::new())),
        Err(why) => Err(no_user(format!(
            " (the kept login could not be read: {why})"
        ))),
    }
}

fn given_user(args: &ServicenowArgs) -> Option<&str> {
    args.servicenow_user
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
}

fn no_user(why: String) -> Error {
    Error::usage(
        "no ServiceNow user was given",
        format!(
            "set {} (and {}), pass --servicenow-user USER to be asked for its password, \
             or keep a login with `jira-spoke servicenow login --instance …`{why}",
            env::SERVICENOW_USER,
            env::SERVICENOW_PASSWORD
        ),
    )
}

/// The user given on the command line or in the environment, and its password.
fn prompted_credentials(args: &ServicenowArgs) -> Result<AdminCredentials> {
    let user = given_user(args)
        .ok_or_else(|| no_user(String::new()))?
        .to_owned();
    let password = SecretInput {
        what: "ServiceNow password",
        from_stdin: args.servicenow_password_stdin,
        stdin_flag: "--servicenow-password-stdin",
        env_var: env::SERVICENOW_PASSWORD,
    }
    .read()?;
    Ok(AdminCredentials { user, password })
}
