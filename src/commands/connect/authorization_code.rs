//! `connect --grant authorization-code` (3LO): consent in a browser, the code
//! caught on a loopback callback (or pasted back by hand), exchanged for a
//! rotating refresh token and an access token.
//!
//! Order matters: the listener is bound before the browser opens, so a busy
//! port fails at once (exit 6) instead of after the admin has clicked Accept.

use std::io::IsTerminal;

use url::Url;

use crate::atlassian::callback::{Callback, CallbackListener, parse_pasted};
use crate::atlassian::cloud_id::{fetch_accessible_resources, pick_site};
use crate::atlassian::oauth::{self, Client, Pkce};
use crate::atlassian::{CloudId, Endpoints, Http};
use crate::error::{Error, Result};
use crate::output::Printer;
use crate::secret::{Secret, random_string};
use crate::ui::spinner::Spinner;

use super::{ConnectPlan, Proven, oauth_connection, prove_oauth};

/// Runs the browser flow, exchanges the code and proves the token.
pub async fn connect(
    plan: &ConnectPlan,
    http: &Http,
    client_secret: Secret,
    printer: &Printer,
    spin: bool,
) -> Result<Proven> {
    let client = Client {
        id: plan.client_id.clone().unwrap_or_default(),
        secret: client_secret,
    };
    let pkce = Pkce::new()?;
    let code = obtain_code(plan, &client.id, &pkce, printer, spin).await?;
    let tokens = {
        let _s = Spinner::start("Exchanging the authorization code", spin);
        oauth::exchange_code(
            http,
            &plan.oauth,
            &client,
            &code,
            &plan.redirect_uri,
            &pkce.verifier,
        )
        .await?
    };
    if tokens.refresh_token.is_none() {
        printer.warn(
            "Atlassian issued no refresh token, so this connection stops working in an hour; \
             include `offline_access` in --scopes",
        );
    }
    let (cloud_id, site, site_scopes) = {
        let _s = Spinner::start("Finding the site the consent covers", spin);
        site_of_grant(plan, http, &tokens.access_token).await?
    };
    let connection = oauth_connection(plan, cloud_id, site);
    prove_oauth(plan, http, connection, client, tokens, &site_scopes, spin).await
}

/// Binds the listener, sends the admin to the consent screen and waits for the code.
pub async fn obtain_code(
    plan: &ConnectPlan,
    client_id: &str,
    pkce: &Pkce,
    printer: &Printer,
    spin: bool,
) -> Result<Secret> {
    let listener = CallbackListener::bind(&plan.redirect_uri).await?;
    let state = random_string(24)?;
    let url = oauth::authorize_url(
        &plan.oauth.authorize_url,
        client_id,
        &plan.scopes,
        &plan.redirect_uri,
        &state,
        pkce,
    );
    // NOTE: printed even with -q: on a machine without a browser it is the only way on.
    eprintln!("Open this URL in a browser to give consent:\n\n  {url}\n");
    if !plan.no_browser {
        open_browser(&url, printer);
    }
    let paste = plan.no_browser && std::io::stdin().is_terminal();
    if paste {
        eprintln!("Or paste the address the browser shows after consent, then press Enter:");
    }
    let callback = {
        let _s = Spinner::start("Waiting for consent in the browser", spin && !paste);
        if paste {
            tokio::select! {
                result = listener.wait(&state, plan.callback_timeout) => result?,
                result = read_pasted(plan.redirect_uri.clone(), state.clone()) => result?,
            }
        } else {
            listener.wait(&state, plan.callback_timeout).await?
        }
    };
    match callback {
        Callback::Code(code) => Ok(code),
        Callback::Denied { code, description } => Err(Error::ConsentDenied { code, description }),
    }
}

fn open_browser(url: &Url, printer: &Printer) {
    let url = url.to_string();
    // NOTE: a $BROWSER command may run in the foreground; never block the listener on it.
    let printer = printer.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = webbrowser::open(&url) {
            printer.status(format!(
                "Could not open a browser ({e}); open the URL above by hand."
            ));
        }
    });
}

async fn read_pasted(redirect_uri: Url, state: String) -> Result<Callback> {
    let line = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(|e| {
        Error::usage(
            format!("cannot read the pasted URL: {e}"),
            "paste it and press Enter",
        )
    })?;
    parse_pasted(&line, &redirect_uri, &state)
}

/// The Cloud ID, site URL and granted scopes of the site the consent covers.
async fn site_of_grant(
    plan: &ConnectPlan,
    http: &Http,
    token: &Secret,
) -> Result<(CloudId, Option<url::Url>, Vec<String>)> {
    let endpoints = Endpoints {
        auth: plan.oauth.authorize_url.clone(),
        api: plan.api.clone(),
    };
    let resources =
        fetch_accessible_resources(http, &endpoints.accessible_resources(), token).await?;
    let picked = pick_site(&resources, plan.site.as_ref(), plan.cloud_id.as_ref())?;
    let cloud_id = CloudId::parse(&picked.id)?;
    let site = plan
        .site
        .clone()
        .or_else(|| url::Url::parse(&picked.url).ok());
    Ok((cloud_id, site, picked.scopes.clone()))
}
