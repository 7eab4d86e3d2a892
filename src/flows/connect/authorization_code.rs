//! `connect --grant authorization-code` (3LO): consent in a browser, the code
//! caught on a loopback callback (or pasted back by hand), exchanged for a
//! rotating refresh token and an access token.
//!
//! Order matters: the listener is bound before the browser opens, so a busy
//! port fails at once (exit 6) instead of after the admin has clicked Accept.
//! The browser is given the listener's one-time start page, never the
//! authorize URL: a browser's command line is readable by every local user.

use std::convert::Infallible;
use std::io::IsTerminal;
use std::time::Duration;

use url::Url;

use crate::atlassian::callback::{Callback, CallbackListener, Handout, parse_pasted};
use crate::atlassian::cloud_id::{fetch_accessible_resources, pick_site};
use crate::atlassian::oauth::{self, Client, Pkce};
use crate::atlassian::{CloudId, Endpoints};
use crate::error::{Error, Result};
use crate::http::Http;
use crate::output::Printer;
use crate::secret::{Secret, random_string};
use crate::ui::pasted_line;
use crate::ui::spinner::Spinner;

use super::{ConnectPlan, Proven, oauth_connection, prove_oauth};

/// Runs the browser flow, exchanges the code and proves the token.
pub(crate) async fn connect(
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

/// How long a browser may take to reach the start page before the admin is
/// told about `--no-browser` (a headless machine opens nothing).
const NO_BROWSER_HINT_AFTER: Duration = Duration::from_secs(5);

/// Binds the listener, sends the admin to the consent screen and waits for the code.
pub(crate) async fn obtain_code(
    plan: &ConnectPlan,
    client_id: &str,
    pkce: &Pkce,
    printer: &Printer,
    spin: bool,
) -> Result<Secret> {
    let browser = BrowserSignIn {
        redirect_uri: &plan.redirect_uri,
        no_browser: plan.no_browser,
        timeout: plan.callback_timeout,
        purpose: "give consent",
    };
    browser
        .obtain_code(
            |state| {
                oauth::authorize_url(
                    &plan.oauth.authorize_url,
                    client_id,
                    &plan.scopes,
                    &plan.redirect_uri,
                    state,
                    pkce,
                )
            },
            printer,
            spin,
        )
        .await
}

/// A browser sign-in that ends on a loopback callback: Atlassian's consent
/// screen, or a ServiceNow instance's own sign-in (`servicenow login`).
pub(crate) struct BrowserSignIn<'a> {
    /// The loopback callback registered with the OAuth client.
    pub redirect_uri: &'a Url,
    /// Print the URL and take the final address pasted back; open nothing.
    pub no_browser: bool,
    /// How long to wait for the callback.
    pub timeout: Duration,
    /// What the admin does in the browser: "give consent".
    pub purpose: &'a str,
}

impl BrowserSignIn<'_> {
    /// Binds the listener, sends the admin to the URL `authorize` makes of
    /// the `state`, and waits for the code.
    pub(crate) async fn obtain_code(
        &self,
        authorize: impl FnOnce(&str) -> Url,
        printer: &Printer,
        spin: bool,
    ) -> Result<Secret> {
        let listener = CallbackListener::bind(self.redirect_uri).await?;
        let state = random_string(24)?;
        let authorize = authorize(&state);
        let (shown, handout) = if self.no_browser {
            // The admin opens it on any machine; this terminal is theirs alone.
            (authorize.clone(), Handout::Shown)
        } else {
            (listener.start_url(), Handout::StartPage(authorize))
        };
        // NOTE: printed even with -q: on a machine without a browser it is the only way on.
        printer.notice(format_args!(
            "Open this URL in a browser to {}:\n\n  {shown}\n",
            self.purpose
        ));
        if !self.no_browser {
            open_browser(&shown, printer);
        }
        let paste = self.no_browser && std::io::stdin().is_terminal();
        if paste {
            printer.notice(format_args!(
                "Or paste the address the browser shows after you {}, then press Enter:",
                self.purpose
            ));
        }
        let callback = {
            let waiting = format!("Waiting for you to {} in the browser", self.purpose);
            let spinner = Spinner::start(waiting, spin && !paste);
            // NOTE: whichever ends first wins; the paste reader is given up on
            // when the callback arrives, so the command ends without an Enter.
            tokio::select! {
                result = listener.wait(&state, handout, self.timeout) => result?,
                result = read_pasted(self.redirect_uri, &state, printer), if paste => result?,
                never = point_to_no_browser(&listener, &spinner, printer), if !self.no_browser => match never {},
            }
        };
        match callback {
            Callback::Code(code) => Ok(code),
            Callback::Denied { code, description } => {
                Err(Error::ConsentDenied { code, description })
            }
        }
    }
}

/// Tells the admin about `--no-browser` when no browser has reached the start
/// page after a while (a headless machine), then waits forever.
async fn point_to_no_browser(
    listener: &CallbackListener,
    spinner: &Spinner,
    printer: &Printer,
) -> Infallible {
    tokio::time::sleep(NO_BROWSER_HINT_AFTER).await;
    if !listener.started() {
        // NOTE: printed even with -q, like the URL: it is the way on.
        spinner.suspend(|| {
            printer.notice(
                "No browser has opened the consent page yet. On a machine without one, stop \
                 (Ctrl-C) and run again with `--no-browser`: it prints a URL to open anywhere \
                 and takes the final address pasted back.",
            )
        });
    }
    std::future::pending().await
}

fn open_browser(url: &Url, printer: &Printer) {
    let url = url.to_string();
    let printer = printer.clone();
    // NOTE: a $BROWSER command may run in the foreground; never block the
    // listener on it, nor the end of the process (a plain thread is not waited for).
    std::thread::spawn(move || {
        if let Err(e) = webbrowser::open(&url) {
            printer.status(format!(
                "Could not open a browser ({e}); open the URL above on this machine, \
                 or run again with `--no-browser`."
            ));
        }
    });
}

/// How many pasted lines are read before a paste mode gives up.
const MAX_PASTES: usize = 5;

/// Reads the address pasted back. A line that is not this login's callback
/// (a stale tab's address, a partial copy) is said and another is read: one
/// wrong paste does not throw the whole login away.
async fn read_pasted(redirect_uri: &Url, state: &str, printer: &Printer) -> Result<Callback> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let line = pasted_line::read().await.map_err(|e| {
            Error::usage(
                format!("cannot read the pasted URL: {e}"),
                "paste it and press Enter",
            )
        })?;
        match parse_pasted(&line, redirect_uri, state) {
            Ok(callback) => return Ok(callback),
            Err(e) if attempt < MAX_PASTES => printer.notice(format_args!(
                "✗ {e}\n  hint: {}\nPaste the address again, then press Enter:",
                e.hint().unwrap_or_default()
            )),
            Err(e) => return Err(e),
        }
    }
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
