//! `jira-spoke servicenow apply | verify | consent`: the ServiceNow side of a
//! Jira spoke, for a stored connection. These modules only order calls to
//! [`crate::servicenow`] and render its results; the wire lives there.

mod apply;
mod consent;
mod login;
mod verify;

use crate::atlassian::Http;
use crate::cli::{ServicenowArgs, ServicenowCommand};
use crate::commands::Context;
use crate::env;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::servicenow::records::Wanted;
use crate::servicenow::{AdminCredentials, Instance, TableApi};
use crate::settings::Settings;
use crate::store::{Connection, Grant, Stores};
use crate::ui::secret_input::SecretInput;

/// Runs a `servicenow` subcommand.
pub async fn run(command: &ServicenowCommand, ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings,
        printer,
        spin,
        ..
    } = ctx;
    let spin = *spin;
    match command {
        ServicenowCommand::Apply(args) => apply::run(args, settings, printer, spin).await,
        ServicenowCommand::Verify(args) => verify::run(args, settings, printer, spin).await,
        ServicenowCommand::Consent(args) => consent::run(args, settings, printer, spin).await,
        ServicenowCommand::Login(args) => login::login(args, settings, printer).await,
        ServicenowCommand::Logout(args) => login::logout(args, settings, printer),
    }
}

/// What every `servicenow` command starts from.
struct Target {
    name: String,
    connection: Connection,
    wanted: Wanted,
    api: TableApi,
    /// `--instance` as typed, for the commands suggested next.
    instance_arg: String,
}

impl Target {
    /// The stored connection (exit 4 before anything else if there is none),
    /// the instance (exit 2 if malformed) and the admin's credentials.
    fn open(args: &ServicenowArgs, settings: &Settings) -> Result<Target> {
        let name = settings.connection.clone();
        let connection = settings.config.load()?.connection(&name)?.clone();
        let instance = Instance::parse(&args.instance)?;
        let admin = admin_credentials(args, settings, &instance)?;
        let http = Http::new(settings.timeout)?;
        Ok(Target {
            wanted: Wanted::of(&name, &connection),
            name,
            connection,
            api: TableApi::new(http, instance, admin),
            instance_arg: args.instance.clone(),
        })
    }

    fn instance(&self) -> &Instance {
        self.api.instance()
    }

    /// `jira-spoke [-c NAME] servicenow <sub> --instance X`, to suggest next.
    fn suggest(&self, sub: &str) -> String {
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
    fn secret(&self, settings: &Settings) -> Result<Secret> {
        let store = Stores::system(settings.config.dir()).open(self.connection.store);
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

/// The ServiceNow user and password: given (`--servicenow-user` or its
/// environment variable, the password from the environment, stdin or a
/// hidden prompt — never from argv), else the login `servicenow login` kept
/// for this instance.
fn admin_credentials(
    args: &ServicenowArgs,
    settings: &Settings,
    instance: &Instance,
) -> Result<AdminCredentials> {
    if given_user(args).is_some() {
        return prompted_credentials(args);
    }
    match login::stored(settings, instance) {
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
