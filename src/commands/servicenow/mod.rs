//! `jira-spoke servicenow apply | verify | consent | remove | login | logout`: the
//! ServiceNow side of a Jira spoke, for a stored connection. These commands
//! find the target (the stored connection, the instance, the way to sign in)
//! and run the steps of [`crate::flows::servicenow`], which the setup wizard
//! shares.

mod login;

use std::io::IsTerminal;
use std::time::Duration;

use crate::cli::{
    ServicenowApplyArgs, ServicenowArgs, ServicenowCommand, ServicenowConsentArgs,
    ServicenowRemoveArgs,
};
use crate::commands::Context;
use crate::env;
use crate::error::{Error, Result};
use crate::flows::servicenow::login::{self as sign_in_order, KeptError};
use crate::flows::servicenow::{Target, apply, consent, remove, verify};
use crate::servicenow::{Instance, SignIn};
use crate::settings::ServiceNowEnv;
use crate::store::Connection;
use crate::ui::prompt::{DialoguerPrompter, Prompter};
use crate::ui::secret_input::SecretInput;

/// Runs a `servicenow` subcommand.
pub(super) async fn run(command: &ServicenowCommand, ctx: &Context<'_>) -> Result<()> {
    match command {
        ServicenowCommand::Apply(args) => run_apply(args, ctx).await,
        ServicenowCommand::Verify(args) => run_verify(args, ctx).await,
        ServicenowCommand::Consent(args) => run_consent(args, ctx).await,
        ServicenowCommand::Remove(args) => run_remove(args, ctx).await,
        ServicenowCommand::Login(args) => login::login(args, ctx).await,
        ServicenowCommand::Logout(args) => login::logout(args, ctx),
    }
}

async fn run_apply(args: &ServicenowApplyArgs, ctx: &Context<'_>) -> Result<()> {
    let mut target = open(&args.target, ctx).await?;
    let options = apply::Options {
        dry_run: args.dry_run,
        write_secrets: args.write_secrets,
    };
    let mut report = apply::apply(
        &mut target,
        &ctx.stores,
        &ctx.settings.config,
        options,
        ctx.spin,
    )
    .await?;
    // The plan names no store; the secret comes from this connection's.
    let store = target.connection.store.described();
    for change in report
        .steps
        .iter_mut()
        .flat_map(|s| s.changes.iter_mut())
        .filter(|c| c.secret)
    {
        change.new = format!("(write-only secret from {store}, never shown)");
    }
    for warning in &report.warnings {
        ctx.printer.warn(warning);
    }
    ctx.printer.out(&report);
    Ok(())
}

async fn run_consent(args: &ServicenowConsentArgs, ctx: &Context<'_>) -> Result<()> {
    let target = open(&args.target, ctx).await?;
    let options = consent::Options {
        no_browser: args.no_browser,
        wait: Duration::from_secs(args.wait),
    };
    let report = consent::consent(&target, options, ctx.printer, ctx.spin).await?;
    ctx.printer.out(&report);
    Ok(())
}

async fn run_remove(args: &ServicenowRemoveArgs, ctx: &Context<'_>) -> Result<()> {
    let target = open(&args.target, ctx).await?;
    let report = remove::remove(&target, args.dry_run, ctx.spin).await?;
    ctx.printer.out(&report);
    Ok(())
}

async fn run_verify(args: &ServicenowArgs, ctx: &Context<'_>) -> Result<()> {
    let target = open(args, ctx).await?;
    let report = verify::verify(&target, ctx.spin).await;
    ctx.printer.out(&report);
    report
        .first_failure()
        .map_or(Ok(()), |kind| Err(Error::ChecksFailed { kind }))
}

/// The stored connection (exit 4 before anything else if there is none),
/// the instance (exit 2 if malformed or not known) and the sign-in.
async fn open(args: &ServicenowArgs, ctx: &Context<'_>) -> Result<Target> {
    let name = &ctx.settings.connection;
    let connection = ctx.settings.config.load()?.connection(name)?.clone();
    let instance = instance_of(args.instance.as_deref(), Some(&connection))?;
    let sign_in = sign_in(args, ctx, &instance).await?;
    Ok(Target::new(
        name,
        connection,
        instance,
        sign_in,
        ctx.http.clone(),
        args.alias.clone(),
    ))
}

/// `--instance` (or its environment variable), else the instance the
/// connection was applied to, else (at a terminal) the one the admin types.
fn instance_of(given: Option<&str>, connection: Option<&Connection>) -> Result<Instance> {
    match (given.map(str::trim).filter(|i| !i.is_empty()), connection) {
        (Some(given), _) => Instance::parse(given),
        (
            None,
            Some(Connection {
                servicenow_instance: Some(kept),
                ..
            }),
        ) => Instance::parse(kept),
        (None, _) if at_terminal() => ask_instance(&mut DialoguerPrompter::new(), None),
        (None, _) => Err(Error::usage(
            "no ServiceNow instance was given",
            format!(
                "pass --instance acme (or set {}); after a `servicenow apply` the connection remembers it",
                env::SERVICENOW_INSTANCE
            ),
        )),
    }
}

/// Signs in the first way that applies (see
/// [`crate::flows::servicenow::login`] for the order); at a terminal, asks
/// for a user and password when nothing else was given.
async fn sign_in(args: &ServicenowArgs, ctx: &Context<'_>, instance: &Instance) -> Result<SignIn> {
    let env = ServiceNowEnv::from_env();
    if let Some(sign_in) = sign_in_order::from_env(&env, &ctx.http, instance).await? {
        return Ok(sign_in);
    }
    if let Some(user) = given_user(args) {
        return basic(args, user);
    }
    let why = match sign_in_order::from_kept(&ctx.settings, &ctx.stores, &ctx.http, instance).await
    {
        Ok(Some(sign_in)) => return Ok(sign_in),
        Ok(None) => String::new(),
        Err(KeptError::Failed(e)) => return Err(e),
        Err(KeptError::Unreadable(why)) => format!(" (no kept login could be read: {why})"),
    };
    if !at_terminal() || args.servicenow_password_stdin {
        return Err(sign_in_order::no_sign_in(instance, &why));
    }
    let user = ask_user(instance, None)?;
    basic(args, user)
}

fn at_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks for the ServiceNow instance until one reads (`default` offered):
/// here when none was given at a terminal, and in `setup`.
pub(in crate::commands) fn ask_instance(
    p: &mut dyn Prompter,
    default: Option<&str>,
) -> Result<Instance> {
    loop {
        let input = p.input(
            "ServiceNow instance (the name before .service-now.com)",
            default,
        )?;
        match Instance::parse(&input) {
            Ok(instance) => return Ok(instance),
            Err(e) => p.note(&format!("✗ {e}\n  hint: {}", e.hint().unwrap_or_default())),
        }
    }
}

/// Asks for the ServiceNow user at the terminal.
fn ask_user(instance: &Instance, default: Option<&str>) -> Result<String> {
    let mut prompter = DialoguerPrompter::new();
    loop {
        let user = prompter.input(&format!("ServiceNow user on {instance}"), default)?;
        let user = user.trim();
        if !user.is_empty() {
            return Ok(user.to_owned());
        }
    }
}

fn given_user(args: &ServicenowArgs) -> Option<String> {
    args.servicenow_user
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
}

/// Basic auth as `user` with its password from stdin, the environment or a
/// prompt; a user name basic auth cannot carry is refused first.
fn basic(args: &ServicenowArgs, user: String) -> Result<SignIn> {
    crate::servicenow::sign_in::check_user(&user)?;
    Ok(SignIn::password(user, password(args)?))
}

/// The password of a user signing in with basic auth: stdin, the
/// environment or a hidden prompt, never argv.
fn password(args: &ServicenowArgs) -> Result<crate::secret::Secret> {
    SecretInput {
        what: "ServiceNow password",
        from_stdin: args.servicenow_password_stdin,
        stdin_flag: "--servicenow-password-stdin",
        env_var: env::SERVICENOW_PASSWORD,
    }
    .read_password()
}
