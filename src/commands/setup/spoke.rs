//! The wizard's ServiceNow steps, once the connection is stored: offer to
//! create the Jira spoke's records on the instance now (its admin from
//! `JIRA_SPOKE_SERVICENOW_*`, the login `servicenow login` kept, or asked),
//! run "Get OAuth Token" for authorization code, and — after the Atlassian
//! verify — the ServiceNow verify. The steps are
//! [`crate::flows::servicenow`]'s, as `servicenow apply | consent | verify`
//! run them. An admin who declines gets the export to type instead.

use serde::Serialize;

use super::journey::{Wizard, ask_nonempty, ask_password};
use super::kept;
use crate::env;
use crate::error::{Error, ErrorKind, Result};
use crate::flows::servicenow::login::{self, KeptError};
use crate::flows::servicenow::{Target, apply, consent, verify};
use crate::servicenow::{Instance, SignIn};
use crate::store::{Connection, Grant};
use crate::ui::prompt::Prompter;

/// What the wizard did on the instance.
#[derive(Debug, Serialize)]
pub struct SpokeReport {
    pub instance: String,
    /// The records are on the instance as wanted.
    pub applied: bool,
    /// For authorization code: ServiceNow holds a new refresh token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<bool>,
    /// `servicenow verify` passed.
    pub verified: bool,
    /// The `servicenow` commands to run next: verify again later, or what
    /// did not get done.
    pub next: Vec<String>,
    /// The kind of the first ServiceNow failure, which decides the exit code.
    #[serde(skip)]
    pub failure: Option<ErrorKind>,
}

/// What [`apply_now`] leaves for [`finish`].
pub(super) struct Applied {
    target: Target,
    report: SpokeReport,
}

/// Asks for the instance (the environment's as the default) until it parses.
pub(super) fn ask_instance(w: &Wizard<'_>, p: &mut dyn Prompter) -> Result<Instance> {
    crate::commands::servicenow::ask_instance(p, w.servicenow_env.instance.as_deref())
}

/// Offers to create the records now; `None` when the admin prefers to type
/// them (the export follows). Failures on the instance are told and end in
/// the report, never in an error: the Atlassian connection is stored by now.
pub(super) async fn apply_now(
    w: &Wizard<'_>,
    p: &mut dyn Prompter,
    name: &str,
    connection: &Connection,
    instance: Option<Instance>,
) -> Result<Option<Applied>> {
    let question = format!(
        "Create the Jira spoke's records on {} now? (No: jira-spoke lists what to type in ServiceNow's forms)",
        instance
            .as_ref()
            .map_or_else(|| "your ServiceNow instance".to_owned(), Instance::url)
    );
    if !p.confirm(&question, true)? {
        return Ok(None);
    }
    let instance = match instance {
        Some(i) => i,
        None => ask_instance(w, p)?,
    };
    w.printer.on_interrupt(Some(kept::jira_half(
        w.settings,
        name,
        connection,
        Some(Some(&instance)),
    )));
    let mut ask = false;
    let mut last_user: Option<String> = None;
    let (target, applied) = loop {
        let sign_in = sign_in(w, p, &instance, ask, last_user.as_deref()).await?;
        last_user = sign_in.user().map(str::to_owned);
        let mut target = Target::new(
            name,
            connection.clone(),
            instance.clone(),
            sign_in,
            w.http.clone(),
            None,
        );
        // NOTE: the secret was just typed (a repair may have a new one), so
        // it is written again on records that exist, as `--write-secrets` does.
        let options = apply::Options {
            dry_run: false,
            write_secrets: true,
        };
        w.printer
            .on_interrupt(Some(kept::applying(w.settings, &target)));
        match apply::apply(&mut target, w.stores, &w.settings.config, options, w.spin).await {
            Ok(report) => {
                for warning in &report.warnings {
                    w.printer.warn(warning);
                }
                p.note(&report.summary());
                break (target, Ok(()));
            }
            Err(
                e @ (Error::ServiceNowUnauthorized { .. } | Error::ServiceNowMfaRequired { .. }),
            ) => {
                p.note(&told(&e));
                if p.confirm("Enter the ServiceNow user and password again?", true)? {
                    ask = true;
                    continue;
                }
                break (target, Err(e));
            }
            Err(e) => {
                p.note(&format!(
                    "{}\n  The records are not all on the instance: run `{}` once this is fixed.",
                    told(&e),
                    target.suggest("apply")
                ));
                break (target, Err(e));
            }
        }
    };
    let mut report = SpokeReport {
        instance: instance.url(),
        applied: applied.is_ok(),
        consent: None,
        verified: false,
        next: Vec::new(),
        failure: applied.as_ref().err().map(Error::kind),
    };
    let oauth = connection.grant != Grant::ApiToken;
    if applied.is_err() {
        report.next.push(target.suggest("apply"));
    }
    if applied.is_ok() && oauth {
        p.note(if connection.grant == Grant::AuthorizationCode {
            "Next, ServiceNow's \"Get OAuth Token\": the consent that leaves the refresh token in ServiceNow."
        } else {
            "Next, ServiceNow's \"Get OAuth Token\": ServiceNow fetches a token with the client secret it \
             stored, the one proof that it works."
        });
        let options = consent::Options {
            no_browser: w.headless,
            wait: w.consent_wait,
        };
        w.printer
            .on_interrupt(Some(kept::consenting(w.settings, &target)));
        match consent::consent(&target, options, w.printer, w.spin).await {
            Ok(done) => {
                p.note(&done.message);
                report.consent = Some(true);
            }
            Err(e) => {
                p.note(&told(&e));
                report.consent = Some(false);
                report.failure = Some(e.kind());
            }
        }
    }
    if oauth && report.consent != Some(true) {
        report.next.push(target.suggest("consent"));
    }
    if applied.is_ok() {
        w.printer
            .on_interrupt(Some(kept::verifying(w.settings, &target)));
    }
    report.next.push(target.suggest("verify"));
    Ok(Some(Applied { target, report }))
}

/// The ServiceNow verify, after the Atlassian one; shown as it is.
pub(super) async fn finish(w: &Wizard<'_>, p: &mut dyn Prompter, applied: Applied) -> SpokeReport {
    let Applied { target, mut report } = applied;
    if !report.applied {
        return report;
    }
    // The prompter paints the marks of its notes, as the printer does.
    let verified = verify::verify(&target, w.spin).await;
    p.note(&verified.to_string());
    report.verified = verified.ok;
    report.failure = report.failure.or(verified.first_failure());
    report
}

/// An error as the wizard tells it: the line and its hint.
fn told(e: &Error) -> String {
    format!("✗ {e}\n  hint: {}", e.hint().unwrap_or_default())
}

/// How to sign in to the instance: what the environment gives, the login
/// kept by `servicenow login`, unless `ask`; else a user (`last_user`
/// offered again after a refusal) and password asked for, used for this run
/// only.
async fn sign_in(
    w: &Wizard<'_>,
    p: &mut dyn Prompter,
    instance: &Instance,
    ask: bool,
    last_user: Option<&str>,
) -> Result<SignIn> {
    let env = &w.servicenow_env;
    if !ask {
        if let Some(sign_in) = login::from_env(env, w.http, instance).await? {
            p.note(&format!("Signing in to {instance} with {}.", sign_in.via()));
            return Ok(sign_in);
        }
        if let (Some(user), Some(password)) = (&env.user, &env.password) {
            p.note(&format!(
                "Signing in to {instance} as `{user}` (from {} and {}).",
                env::SERVICENOW_USER,
                env::SERVICENOW_PASSWORD
            ));
            return Ok(SignIn::password(user.clone(), password.clone()));
        }
        match login::from_kept(w.settings, w.stores, w.http, instance).await {
            Ok(Some(sign_in)) => {
                p.note(&format!("Signing in to {instance} with {}.", sign_in.via()));
                return Ok(sign_in);
            }
            Err(KeptError::Failed(e)) => p.note(&told(&e)),
            Ok(None) | Err(KeptError::Unreadable(_)) => {}
        }
    }
    p.note(&format!(
        "jira-spoke signs in to {instance} as an admin (the admin role, or oauth_admin + connection_admin + \
         credential_admin). The password is used for this run only and kept nowhere. An instance that \
         refuses passwords (SSO, MFA, Basic Auth Restriction): stop here and run \
         `jira-spoke servicenow login --instance {} --oauth-client-id ID` first.",
        instance.arg()
    ));
    let user = ask_nonempty(
        p,
        "ServiceNow admin user",
        last_user.or(env.user.as_deref()),
    )?;
    let password = ask_password(p, "ServiceNow admin password")?;
    Ok(SignIn::password(user, password))
}
