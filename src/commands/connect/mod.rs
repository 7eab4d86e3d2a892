//! `jira-spoke connect`: the steps of [`crate::flows::connect`], driven by
//! flags and the environment instead of prompts.

mod report;

use crate::cli::ConnectArgs;
use crate::commands::Context;
use crate::env;
use crate::error::{Error, Result};
use crate::flows::connect::{
    ConnectPlan, api_token, authorization_code, client_credentials, consent_in_servicenow,
    open_store, servicenow_records_elsewhere, store_proven, warn_not_granted,
};
use crate::secret::Secret;
use crate::store::Grant;
use crate::ui::prompt::{DialoguerPrompter, Prompter};
use crate::ui::secret_input::SecretInput;

pub(super) use report::ConnectReport;

/// Runs `jira-spoke connect`.
pub(super) async fn run(args: &ConnectArgs, ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings,
        http,
        stores,
        printer,
        spin,
    } = ctx;
    let spin = *spin;

    let plan = ConnectPlan::resolve(args, settings)?;
    let secret = read_secret(args)?;
    let store = open_store(settings, stores, printer)?;
    let proven = match plan.grant {
        Grant::ClientCredentials => client_credentials::connect(&plan, http, secret, spin).await?,
        Grant::AuthorizationCode if plan.consent_in_servicenow() => {
            consent_in_servicenow::connect(&plan, http, secret, spin).await?
        }
        Grant::AuthorizationCode => {
            authorization_code::connect(&plan, http, secret, printer, spin).await?
        }
        Grant::ApiToken => api_token::connect(&plan, http, secret, spin).await?,
    };
    let identity = proven.identity.clone();
    let not_granted = proven.not_granted.clone();
    warn_not_granted(printer, plan.grant, &not_granted);
    if let Some(elsewhere) = servicenow_records_elsewhere(settings, &plan.name, &proven.connection)
        && !args.replace_site
    {
        confirm_replace(&elsewhere)?;
    }
    let replaced = store_proven(settings, stores, store.as_ref(), &plan.name, proven)?;
    for leftover in &replaced.leftovers {
        printer.warn(format!("could not delete {leftover}"));
    }
    let mut report = ConnectReport::new(&plan.name, &replaced, identity.as_ref(), settings);
    report.scopes_not_granted = not_granted;
    printer.out(&report);
    Ok(())
}

/// At a terminal, asks before replacing a connection whose ServiceNow
/// records serve another site; without one, `--replace-site` is needed.
fn confirm_replace(elsewhere: &str) -> Result<()> {
    use std::io::IsTerminal;
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::usage(
            elsewhere.to_owned(),
            "pass --replace-site to replace it anyway, or connect another name (-c NAME) for the second site",
        ));
    }
    let mut prompter = DialoguerPrompter::new();
    prompter.note(&format!("{elsewhere}."));
    if prompter.confirm("Replace the connection anyway?", false)? {
        Ok(())
    } else {
        Err(Error::usage(
            "the connection was left as it was",
            "connect another name (-c NAME) for the second site; each site gets records of its own",
        ))
    }
}

fn read_secret(args: &ConnectArgs) -> Result<Secret> {
    if args.client_secret_stdin && args.api_token_stdin {
        return Err(Error::usage(
            "--client-secret-stdin and --api-token-stdin cannot both read stdin",
            "give one of them in its environment variable instead",
        ));
    }
    let input = match args.grant {
        Grant::ApiToken => SecretInput {
            what: "API token",
            from_stdin: args.api_token_stdin,
            stdin_flag: "--api-token-stdin",
            env_var: env::API_TOKEN,
        },
        Grant::ClientCredentials | Grant::AuthorizationCode => SecretInput {
            what: "client secret",
            from_stdin: args.client_secret_stdin,
            stdin_flag: "--client-secret-stdin",
            env_var: env::CLIENT_SECRET,
        },
    };
    input.read()
}
