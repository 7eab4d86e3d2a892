//! `jira-spoke servicenow login | logout`: signs in to an instance once and
//! keeps the login in the secret store (the OS keyring by default), one per
//! instance, so `apply`, `verify` and `consent` need neither the environment
//! nor a prompt. A browser login (`--oauth-client-id`) keeps the refresh
//! token of the instance's OAuth client; otherwise a user and password. The
//! login is proved before it is kept.

use std::fmt;

use serde::Serialize;
use url::Url;

use crate::atlassian::endpoints::is_loopback;
use crate::atlassian::oauth::Pkce;
use crate::cli::{ServicenowLoginArgs, ServicenowLogoutArgs};
use crate::commands::Context;
use crate::env;
use crate::error::{Error, Result};
use crate::flows::connect::authorization_code::BrowserSignIn;
use crate::flows::servicenow::login::{self as sign_in_order, Kept, login_stores};
use crate::servicenow::client::{Query, Tables};
use crate::servicenow::records::{ALIAS_ID, table};
use crate::servicenow::sign_in::{self, OAuthClient, Via};
use crate::servicenow::{Instance, SignIn, TableApi};
use crate::settings::ServiceNowEnv;
use crate::store::StoreKind;
use crate::ui::secret_input::SecretInput;
use crate::ui::spinner::Spinner;

/// How long the browser sign-in may take.
const BROWSER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// What `login` or `logout` did.
#[derive(Debug, Serialize)]
pub(super) struct LoginReport {
    pub instance: String,
    /// `password`, `oauth` (a browser login), or for a sign-in the
    /// environment gives, `token` or `client_credentials`.
    pub method: &'static str,
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_client_id: Option<String>,
    pub store: Option<String>,
    pub stored: bool,
    pub message: String,
}

impl fmt::Display for LoginReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// Runs `servicenow login`: signs in, proves it, then keeps it.
pub(super) async fn login(args: &ServicenowLoginArgs, ctx: &Context<'_>) -> Result<()> {
    let (settings, printer) = (&ctx.settings, ctx.printer);
    let connection = settings
        .config
        .load()
        .ok()
        .and_then(|c| c.connection(&settings.connection).ok().cloned());
    let instance = super::instance_of(args.target.instance.as_deref(), connection.as_ref())?;
    let env = ServiceNowEnv::from_env();
    let given_user = super::given_user(&args.target);
    if args.oauth_client_id.is_none() && given_user.is_none() {
        // NOTE: what the environment gives wins over any kept login: say so
        // rather than keep a login that would never be used.
        if let Some(sign_in) = sign_in_order::from_env(&env, &ctx.http, &instance).await? {
            prove(ctx, &instance, &sign_in).await?;
            let via = sign_in.via();
            printer.out(&LoginReport {
                instance: instance.url(),
                method: if via == Via::TokenEnv {
                    "token"
                } else {
                    "client_credentials"
                },
                user: None,
                oauth_client_id: env.client_id.clone().filter(|_| via != Via::TokenEnv),
                store: None,
                stored: false,
                message: format!(
                    "Signed in to {instance} with {via}. Commands use it before any kept login, so nothing \
                     was kept; unset it to use or keep a login."
                ),
            });
            return Ok(());
        }
    }
    let kind = settings.store.unwrap_or(StoreKind::Keyring);
    let store = ctx.stores.open(kind);
    // NOTE: the store is probed before anything is typed or a browser opens.
    store.probe()?;
    if kind == StoreKind::File {
        printer.warn(format_args!(
            "the file store keeps the login in plaintext in {} (mode 0600); the keyring is safer",
            settings.config.dir().display()
        ));
    }
    let (kept, sign_in) = match &args.oauth_client_id {
        Some(id) => browser_login(args, ctx, &instance, id, &env).await?,
        None => {
            let user = match given_user {
                Some(user) => user,
                None if super::at_terminal() => super::ask_user(&instance, None)?,
                None => return Err(sign_in_order::no_sign_in(&instance, "")),
            };
            crate::servicenow::sign_in::check_user(&user)?;
            let password = super::password(&args.target)?;
            let kept = Kept::Password {
                user: user.clone(),
                password: password.clone(),
            };
            (kept, SignIn::password(user, password))
        }
    };
    let spoke = prove(ctx, &instance, &sign_in).await?;
    sign_in_order::keep(settings, store.as_ref(), &instance, &kept)?;
    let (method, user, client_id) = match &kept {
        Kept::Password { user, .. } => ("password", Some(user.clone()), None),
        Kept::OAuth { client, .. } => ("oauth", None, Some(client.id.clone())),
    };
    let shadowed = if env.token.is_some() || env.client_secret.is_some() && env.client_id.is_some()
    {
        format!(
            "\nNote: {} or {} is set in this environment and is used before the kept login.",
            env::SERVICENOW_TOKEN,
            env::SERVICENOW_CLIENT_ID
        )
    } else {
        String::new()
    };
    printer.out(&LoginReport {
        instance: instance.url(),
        method,
        user,
        oauth_client_id: client_id,
        store: Some(kind.to_string()),
        stored: true,
        message: format!(
            "Signed in to {instance} ({}) and kept the login in {}{spoke}.\n\
             `jira-spoke servicenow apply|verify|consent --instance {}` now use it.{shadowed}",
            kept.describe(),
            kind.described(),
            instance.arg()
        ),
    });
    Ok(())
}

/// Any authenticated read proves a sign-in; the alias is what the spoke
/// needs, so a missing one is noted.
async fn prove(ctx: &Context<'_>, instance: &Instance, sign_in: &SignIn) -> Result<String> {
    let api = TableApi::new(ctx.http.clone(), instance.clone(), sign_in.clone());
    let alias = {
        let _s = Spinner::start(format!("Signing in to {instance}"), ctx.spin);
        api.find(table::ALIAS, &Query::eq("id", ALIAS_ID), &[])
            .await?
    };
    Ok(if alias.is_empty() {
        format!(
            " (note: it shows no {ALIAS_ID} alias: activate the Jira spoke, or the account may not read aliases)"
        )
    } else {
        String::new()
    })
}

/// The browser sign-in: authorization code with PKCE at the instance's
/// `oauth_auth.do`, caught on the loopback Redirect URL.
async fn browser_login(
    args: &ServicenowLoginArgs,
    ctx: &Context<'_>,
    instance: &Instance,
    client_id: &str,
    env: &ServiceNowEnv,
) -> Result<(Kept, SignIn)> {
    let redirect_uri = Url::parse(&args.redirect_uri).map_err(|e| {
        Error::usage(
            format!("--redirect-uri `{}` is not a URL: {e}", args.redirect_uri),
            format!(
                "give the loopback Redirect URL registered on the OAuth client, e.g. {}",
                crate::cli::SERVICENOW_REDIRECT_URI
            ),
        )
    })?;
    if redirect_uri.scheme() != "http" || !is_loopback(&redirect_uri) {
        return Err(Error::usage(
            format!("--redirect-uri {redirect_uri} is not a loopback http:// URL"),
            format!(
                "jira-spoke listens on this machine only: register e.g. {} on the OAuth client",
                crate::cli::SERVICENOW_REDIRECT_URI
            ),
        ));
    }
    let secret = match &env.client_secret {
        Some(secret) => Some(secret.clone()),
        None if super::at_terminal() => SecretInput {
            what: "ServiceNow OAuth client secret",
            from_stdin: false,
            stdin_flag: "",
            env_var: env::SERVICENOW_CLIENT_SECRET,
        }
        .prompt_optional("ServiceNow OAuth client secret (Enter if the client has none)")?,
        None => None,
    };
    let client = OAuthClient {
        id: client_id.trim().to_owned(),
        secret,
    };
    ctx.printer.notice(format_args!(
        "The OAuth client `{}` on {instance} must have this Redirect URL: {redirect_uri}",
        client.id
    ));
    let pkce = Pkce::new()?;
    let browser = BrowserSignIn {
        redirect_uri: &redirect_uri,
        no_browser: args.no_browser,
        timeout: BROWSER_TIMEOUT,
        purpose: &format!("sign in to {instance}"),
    };
    let code = browser
        .obtain_code(
            |state| sign_in::authorize_url(instance, &client.id, &redirect_uri, state, &pkce),
            ctx.printer,
            ctx.spin,
        )
        .await?;
    let tokens = {
        let _s = Spinner::start("Exchanging the sign-in code", ctx.spin);
        sign_in::exchange_code(
            &ctx.http,
            instance,
            &client,
            &code,
            &redirect_uri,
            &pkce.verifier,
        )
        .await?
    };
    let Some(refresh_token) = tokens.refresh_token else {
        return Err(Error::usage(
            format!(
                "{instance} issued no refresh token for OAuth client `{}`",
                client.id
            ),
            "set a Refresh Token Lifespan on the OAuth client (System OAuth → Application Registry), \
             then sign in again",
        ));
    };
    let sign_in = SignIn::Bearer {
        token: tokens.access_token,
        via: Via::Browser,
    };
    Ok((
        Kept::OAuth {
            client,
            refresh_token,
        },
        sign_in,
    ))
}

/// Runs `servicenow logout`: forgets the kept login of an instance in every
/// store it may be in.
pub(super) fn logout(args: &ServicenowLogoutArgs, ctx: &Context<'_>) -> Result<()> {
    let (settings, printer) = (&ctx.settings, ctx.printer);
    let connection = settings
        .config
        .load()
        .ok()
        .and_then(|c| c.connection(&settings.connection).ok().cloned());
    let instance = super::instance_of(args.instance.as_deref(), connection.as_ref())?;
    let mut removed_from = Vec::new();
    for kind in login_stores(settings) {
        let store = ctx.stores.open(kind);
        match sign_in_order::forget(settings, store.as_ref(), &instance) {
            Ok(true) => removed_from.push(kind.to_string()),
            Ok(false) => {}
            // NOTE: a keyring that is not there holds no login to forget.
            Err(_) if settings.store.is_none() => {}
            Err(e) => return Err(e),
        }
    }
    let message = if removed_from.is_empty() {
        format!("No login for {instance} was kept.")
    } else {
        format!(
            "Forgot the login for {instance} (from the {} store).",
            removed_from.join(" and ")
        )
    };
    printer.out(&LoginReport {
        instance: instance.url(),
        method: "none",
        user: None,
        oauth_client_id: None,
        store: (!removed_from.is_empty()).then(|| removed_from.join(",")),
        stored: false,
        message,
    });
    Ok(())
}
