//! The wizard's steps, each a small function over a [`Prompter`]: existing
//! connection → store → site → grant → checklist and scopes → credentials →
//! token → store → verify. The flows themselves are `connect`'s
//! ([`crate::flows::connect`]); nothing here talks HTTP directly. For a
//! ServiceNow Jira spoke, [`super::spoke`] then applies the records, runs
//! the consent and verifies the ServiceNow side too.

use url::Url;

use super::checklist::{self, GRANT_CHOICES};
use super::kept;
use super::report::SetupReport;
use super::scopes::{self, ScopeFix};
use super::spoke;
use crate::atlassian::callback::DEFAULT_REDIRECT_URI;
use crate::atlassian::oauth::{self, Client};
use crate::atlassian::{CloudId, SiteInput, cloud_id};
use crate::error::{Error, ErrorKind, Result};
use crate::flows::connect::{
    self, ConnectPlan, Proven, api_token, authorization_code, client_credentials,
    consent_in_servicenow,
};
use crate::flows::export::servicenow;
use crate::http::Http;
use crate::output::Printer;
use crate::secret::Secret;
use crate::servicenow::Instance;
use crate::settings::{ServiceNowEnv, Settings};
use crate::store::{Connection, Grant, SecretStore, StoreKind, Stores};
use crate::ui::prompt::Prompter;
use crate::ui::spinner::Spinner;

/// What the journey needs from outside.
pub struct Wizard<'a> {
    pub settings: &'a Settings,
    pub http: &'a Http,
    pub printer: &'a Printer,
    /// Opens secret stores (tests inject their own).
    pub stores: &'a Stores,
    /// No browser can open here (SSH, no display): print the URL, paste mode.
    pub headless: bool,
    /// Show spinners.
    pub spin: bool,
    /// The ServiceNow instance and admin the environment names, if any.
    pub servicenow_env: ServiceNowEnv,
    /// How long to wait for ServiceNow's consent (`servicenow consent --wait`).
    pub consent_wait: std::time::Duration,
}

/// Everything the admin told the wizard about the connection.
struct Answers {
    grant: Grant,
    site: Option<Url>,
    cloud_id: Option<CloudId>,
    scopes: Vec<String>,
    redirect_uri: Url,
    client_id: Option<String>,
    email: Option<String>,
    /// This connection feeds a ServiceNow Jira spoke: `Some`, with the
    /// instance when known (3LO asks first: its callback is the instance's).
    servicenow: Option<Option<Instance>>,
    /// The client ID (or e-mail) of the last try, offered again on a retry.
    previous_client_id: Option<String>,
    previous_email: Option<String>,
}

impl Answers {
    /// Asks for the credentials again, offering the last client ID and e-mail.
    fn retry_credentials(&mut self) {
        self.previous_client_id = self.client_id.take().or(self.previous_client_id.take());
        self.previous_email = self.email.take().or(self.previous_email.take());
    }
}

/// Walks the admin from nothing to a verified connection; `None` when the
/// admin chose to leave an existing connection as it is.
pub async fn run(w: &Wizard<'_>, p: &mut dyn Prompter) -> Result<Option<SetupReport>> {
    let mut name = w.settings.connection.clone();
    let existing = match existing_connection(w, p)? {
        Existing::Cancel => return Ok(None),
        Existing::Repair(c) => Some(*c),
        Existing::Another(other) => {
            name = other;
            None
        }
        Existing::None => None,
    };
    let name = &name;
    let store = choose_store(w, p)?;
    let mut answers = match &existing {
        Some(c) => answers_from(c),
        None => ask_connection(w, p).await?,
    };
    // The secret to try again with, when only the consent is given again.
    let mut again: Option<Secret> = None;
    let proven = loop {
        let secret = match again.take() {
            Some(secret) => secret,
            None => ask_credentials(p, &mut answers)?,
        };
        let plan = plan(w, &answers, name);
        match prove(w, &plan, secret.clone()).await {
            Ok(proven) => break proven,
            Err(e @ Error::ScopesNotGranted { .. }) => {
                p.note(&format!("✗ {e}"));
                let resume = connect_line(name, &answers);
                match scopes::offer_fix(p, answers.grant, e.missing_scopes(), &resume)? {
                    ScopeFix::Quit => return Err(e),
                    ScopeFix::Retry if answers.grant == Grant::ClientCredentials => {
                        answers.retry_credentials();
                    }
                    ScopeFix::Retry => again = Some(secret),
                }
            }
            Err(e) if is_bad_credential(&e) => {
                p.note(&format!("✗ {e}\n  hint: {}", e.hint().unwrap_or_default()));
                if !p.confirm("Enter the credentials again?", true)? {
                    return Err(e);
                }
                answers.retry_credentials();
            }
            // The last step failed on the way, not on the answers: keep them all.
            Err(e) if e.kind() == ErrorKind::Remote => {
                p.note(&format!(
                    "✗ {e}\n  hint: {}\n  Your answers are kept; only the secret is asked again.",
                    e.hint().unwrap_or_default()
                ));
                let items = [
                    "Try again".to_owned(),
                    "Cancel: save nothing and leave everything as it was".to_owned(),
                ];
                // NOTE: Cancel ends with the failure itself (its exit code, 5),
                // not as an interruption: the admin chose to stop after it.
                if p.select("Atlassian could not be reached. What now?", &items, 0)? != 0 {
                    return Err(e);
                }
                answers.retry_credentials();
            }
            Err(e) => return Err(e),
        }
    };
    connect::warn_not_granted(w.printer, answers.grant, &proven.not_granted);
    if let Some(elsewhere) =
        connect::servicenow_records_elsewhere(w.settings, name, &proven.connection)
    {
        p.note(&format!("{elsewhere}."));
        if !p.confirm("Replace the connection anyway?", false)? {
            return Ok(None);
        }
    }
    let replaced = connect::store_proven(w.settings, w.stores, store.as_ref(), name, proven)?;
    w.printer.on_interrupt(Some(kept::jira_half(
        w.settings,
        name,
        &replaced.connection,
        answers.servicenow.as_ref().map(Option::as_ref),
    )));
    for leftover in &replaced.leftovers {
        w.printer.warn(format!("could not delete {leftover}"));
    }
    let applied = match answers.servicenow.clone() {
        Some(instance) => spoke::apply_now(w, p, name, &replaced.connection, instance).await?,
        None => None,
    };
    let verified = {
        let _s = Spinner::start("Verifying the connection", w.spin);
        crate::flows::verify::verify_connection(w.http, w.settings, w.stores, name).await
    };
    p.note(&verified.to_string());
    let mut report = SetupReport::new(name, &replaced, &verified, w.settings);
    match applied {
        Some(applied) => {
            let spoke = spoke::finish(w, p, applied).await;
            // What remains on the ServiceNow side, instead of every step.
            report.next.retain(|c| !c.contains(" servicenow "));
            report.next.extend(spoke.next.iter().cloned());
            report.with_spoke(spoke);
        }
        None if answers.servicenow.is_some() => {
            let instance = answers.servicenow.flatten().map(|i| i.url());
            report.servicenow = Some(servicenow::export(
                name,
                &replaced.connection,
                instance.as_deref(),
                None,
            ));
        }
        None => {}
    }
    Ok(Some(report))
}

/// What to do about a connection of the same name.
enum Existing {
    None,
    Repair(Box<Connection>),
    /// A new connection of this name, beside the existing one.
    Another(String),
    Cancel,
}

/// Offers repair or replacement of a connection of the same name.
fn existing_connection(w: &Wizard<'_>, p: &mut dyn Prompter) -> Result<Existing> {
    let config = w.settings.config.load()?;
    let Some(current) = config.connections.get(&w.settings.connection) else {
        return Ok(Existing::None);
    };
    let items = [
        "Repair it: keep its settings, enter the secret again and get a fresh token".to_owned(),
        "Replace it: set it up from the start".to_owned(),
        "Add another Jira site: a new connection beside this one".to_owned(),
        "Cancel: leave it as it is".to_owned(),
    ];
    let question = format!(
        "A connection named `{}` exists ({}, {}). What now?",
        w.settings.connection, current.grant, current.connection_url
    );
    match p.select(&question, &items, 0)? {
        0 => Ok(Existing::Repair(Box::new(current.clone()))),
        1 => Ok(Existing::None),
        2 => Ok(Existing::Another(ask_new_name(p, &config)?)),
        _ => Ok(Existing::Cancel),
    }
}

/// The name of a connection for another Jira site: valid, and not taken.
fn ask_new_name(p: &mut dyn Prompter, config: &crate::store::Config) -> Result<String> {
    let suggested = (2..)
        .map(|n| format!("site{n}"))
        .find(|n| !config.connections.contains_key(n))
        .unwrap_or_default();
    loop {
        let name = p.input(
            "Name for the new connection (use it with -c NAME)",
            Some(&suggested),
        )?;
        let name = crate::store::connection::normalize_name(&name);
        match crate::store::connection::validate_name(&name) {
            Err(e) => p.note(&format!("✗ {e}")),
            Ok(()) if config.connections.contains_key(&name) => {
                p.note(&format!("✗ a connection named `{name}` exists already"));
            }
            Ok(()) => return Ok(name),
        }
    }
}

/// The keyring, probed before anything is typed; the plaintext file only with consent.
fn choose_store(w: &Wizard<'_>, p: &mut dyn Prompter) -> Result<Box<dyn SecretStore>> {
    let kind = w.settings.store.unwrap_or(StoreKind::Keyring);
    let store = w.stores.open(kind);
    match store.probe() {
        Ok(()) => return Ok(store),
        Err(e @ Error::KeyringUnavailable { .. }) if w.settings.store.is_none() => {
            p.note(&format!(
                "✗ {e}\n  jira-spoke keeps secrets in the OS keyring. Without one, it can keep them in a \
                 plaintext file readable only by you ({}).",
                w.settings.config.dir().join(crate::store::file::FILE_NAME).display()
            ));
            if !p.confirm("Keep the secrets in that plaintext file instead?", false)? {
                return Err(e);
            }
        }
        Err(e) => return Err(e),
    }
    let file = w.stores.open(StoreKind::File);
    file.probe()?;
    Ok(file)
}

/// Asks whether this connection feeds a ServiceNow Jira spoke, and (for
/// 3LO, whose callback URL is the instance's) the instance.
fn ask_servicenow(
    w: &Wizard<'_>,
    p: &mut dyn Prompter,
    grant: Grant,
) -> Result<Option<Option<Instance>>> {
    if !p.confirm(
        "Are you configuring a ServiceNow Jira spoke with this connection?",
        false,
    )? {
        return Ok(None);
    }
    if grant != Grant::AuthorizationCode {
        return Ok(Some(None));
    }
    let instance = spoke::ask_instance(w, p)?;
    p.note(&format!(
        "The app's callback URL is ServiceNow's, {}: Atlassian sends the consent there, so it happens in \
         ServiceNow (\"Get OAuth Token\"). jira-spoke checks the client ID and secret without a browser \
         and keeps no token.",
        instance.redirect_url()
    ));
    Ok(Some(Some(instance)))
}

fn answers_from(c: &Connection) -> Answers {
    // A connection whose consent happens in ServiceNow is repaired as one:
    // its records are offered again.
    let servicenow = consent_in_servicenow::applies(c).then(|| {
        c.redirect_uri
            .as_ref()
            .and_then(consent_in_servicenow::instance_of)
    });
    Answers {
        grant: c.grant,
        site: c.site_url.clone(),
        cloud_id: c.cloud_id.clone(),
        scopes: c.scopes.clone(),
        redirect_uri: c
            .redirect_uri
            .clone()
            .unwrap_or_else(|| DEFAULT_REDIRECT_URI.parse().expect("constant URL")),
        client_id: c.client_id.clone(),
        email: c.email.clone(),
        servicenow,
        previous_client_id: None,
        previous_email: None,
    }
}

async fn ask_connection(w: &Wizard<'_>, p: &mut dyn Prompter) -> Result<Answers> {
    let (site, cloud_id) = ask_site(w, p, false).await?;
    let grant = ask_grant(p)?;
    let servicenow = ask_servicenow(w, p, grant)?;
    let site = match (grant, site) {
        (Grant::ApiToken, None) => {
            p.note("Basic auth goes to the site itself, so jira-spoke needs its address too.");
            ask_site(w, p, true).await?.0
        }
        (_, site) => site,
    };
    let mut answers = Answers {
        grant,
        site,
        cloud_id: Some(cloud_id),
        scopes: Vec::new(),
        redirect_uri: DEFAULT_REDIRECT_URI.parse().expect("constant URL"),
        client_id: None,
        email: None,
        servicenow,
        previous_client_id: None,
        previous_email: None,
    };
    match grant {
        Grant::AuthorizationCode => {
            answers.redirect_uri = match answers.servicenow.clone().flatten() {
                Some(instance) => Url::parse(&instance.redirect_url())
                    .map_err(|e| Error::Internal(format!("the instance's callback URL: {e}")))?,
                None => ask_redirect_uri(p)?,
            };
            answers.scopes = scopes::pick(p, grant, answers.servicenow.is_some())?;
            p.note(&checklist::authorization_code(
                &answers.redirect_uri,
                &answers.scopes,
            ));
        }
        Grant::ClientCredentials => {
            answers.scopes = scopes::pick(p, grant, answers.servicenow.is_some())?;
            p.note(&checklist::client_credentials(&answers.scopes));
        }
        Grant::ApiToken => p.note(checklist::api_token()),
    }
    Ok(answers)
}

/// Asks until the site resolves to a Cloud ID (or a Cloud ID is pasted).
async fn ask_site(
    w: &Wizard<'_>,
    p: &mut dyn Prompter,
    need_url: bool,
) -> Result<(Option<Url>, CloudId)> {
    p.note(
        "Which Jira site? Type `acme`, `acme.atlassian.net` or paste its URL.\n\
         Or paste the Cloud ID page from Atlassian Administration: admin.atlassian.com → your organization → \
         Jira → Manage product access; its URL is https://admin.atlassian.com/s/CLOUD-ID/apps, \
         where CLOUD-ID is a UUID such as 1324a887-45db-1bf4-1e99-ef0ff456d421.",
    );
    loop {
        let input = p.input("Jira site", None)?;
        let parsed = match SiteInput::parse(&input) {
            Ok(SiteInput::CloudId(_)) if need_url => {
                p.note("✗ That is a Cloud ID; basic auth needs the site's address, e.g. acme.atlassian.net.");
                continue;
            }
            Ok(parsed) => parsed,
            Err(e) => {
                p.note(&format!("✗ {e}\n  hint: {}", e.hint().unwrap_or_default()));
                continue;
            }
        };
        let resolved = {
            let _s = Spinner::start("Looking up the Cloud ID", w.spin);
            cloud_id::resolve(w.http, &parsed).await
        };
        match resolved {
            Ok(id) => {
                p.note(&format!("✓ Cloud ID {id}"));
                let site = match parsed {
                    SiteInput::Site(url) => Some(url),
                    SiteInput::CloudId(_) => None,
                };
                return Ok((site, id));
            }
            Err(e) => p.note(&format!("✗ {e}\n  hint: {}", e.hint().unwrap_or_default())),
        }
    }
}

fn ask_grant(p: &mut dyn Prompter) -> Result<Grant> {
    let items: Vec<String> = GRANT_CHOICES
        .iter()
        .map(|(_, text)| text.to_string())
        .collect();
    let choice = p.select("How should jira-spoke authenticate?", &items, 0)?;
    Ok(GRANT_CHOICES[choice].0)
}

fn ask_redirect_uri(p: &mut dyn Prompter) -> Result<Url> {
    p.note(
        "Atlassian sends the browser back to one exact callback URL, so its port is fixed. \
         Keep the default unless that port is taken on this machine.",
    );
    loop {
        let input = p.input("Callback URL to register", Some(DEFAULT_REDIRECT_URI))?;
        match connect::parse_redirect_uri(&input) {
            Ok(url) if consent_in_servicenow::is_elsewhere(&url) => p.note(
                "✗ jira-spoke receives the consent on this machine, at a loopback http:// URL such as \
                 http://localhost:8765/callback. For ServiceNow's callback, start again and answer Yes to \
                 the ServiceNow question.",
            ),
            Ok(url) => return Ok(url),
            Err(e) => p.note(&format!("✗ {e}\n  hint: {}", e.hint().unwrap_or_default())),
        }
    }
}

fn ask_credentials(p: &mut dyn Prompter, a: &mut Answers) -> Result<Secret> {
    if a.grant == Grant::ApiToken {
        if a.email.is_none() {
            a.email = Some(ask_nonempty(
                p,
                "Atlassian account e-mail",
                a.previous_email.as_deref(),
            )?);
        }
        return ask_secret(p, "API token");
    }
    if a.client_id.is_none() {
        a.client_id = Some(ask_nonempty(
            p,
            "Client ID",
            a.previous_client_id.as_deref(),
        )?);
    }
    ask_secret(p, "Client secret")
}

pub(super) fn ask_nonempty(
    p: &mut dyn Prompter,
    prompt: &str,
    default: Option<&str>,
) -> Result<String> {
    loop {
        let value = p.input(prompt, default)?.trim().to_owned();
        if !value.is_empty() {
            return Ok(value);
        }
        p.note("✗ This cannot be empty.");
    }
}

/// A secret of Atlassian's (surrounding whitespace trimmed), asked until
/// one is given.
pub(super) fn ask_secret(p: &mut dyn Prompter, prompt: &str) -> Result<Secret> {
    ask_hidden(p, prompt, |typed| Secret::new(typed.expose()))
}

/// A password, used exactly as typed, spaces included.
pub(super) fn ask_password(p: &mut dyn Prompter, prompt: &str) -> Result<Secret> {
    ask_hidden(p, prompt, |typed| typed)
}

fn ask_hidden(p: &mut dyn Prompter, prompt: &str, wrap: fn(Secret) -> Secret) -> Result<Secret> {
    loop {
        let secret = wrap(p.secret(prompt)?);
        if !secret.expose().trim().is_empty() {
            return Ok(secret);
        }
        p.note("✗ This cannot be empty.");
    }
}

fn plan(w: &Wizard<'_>, a: &Answers, name: &str) -> ConnectPlan {
    ConnectPlan {
        name: name.to_owned(),
        grant: a.grant,
        site: a.site.clone(),
        cloud_id: a.cloud_id.clone(),
        client_id: a.client_id.clone(),
        email: a.email.clone(),
        scopes: a.scopes.clone(),
        redirect_uri: a.redirect_uri.clone(),
        oauth: w.settings.endpoints.oauth(),
        api: w.settings.endpoints.api.clone(),
        api_version: 3,
        no_browser: w.headless,
        callback_timeout: std::time::Duration::from_secs(300),
    }
}

async fn prove(w: &Wizard<'_>, plan: &ConnectPlan, secret: Secret) -> Result<Proven> {
    match plan.grant {
        Grant::ClientCredentials => client_credentials::connect(plan, w.http, secret, w.spin).await,
        Grant::AuthorizationCode if plan.consent_in_servicenow() => {
            consent_in_servicenow::connect(plan, w.http, secret, w.spin).await
        }
        Grant::AuthorizationCode => {
            // The cheapest proof of pasted credentials, before the browser opens.
            let client = Client {
                id: plan.client_id.clone().unwrap_or_default(),
                secret: secret.clone(),
            };
            {
                let _s = Spinner::start("Checking the client ID and secret", w.spin);
                oauth::check_client(w.http, &plan.oauth, &client).await?;
            }
            authorization_code::connect(plan, w.http, secret, w.printer, w.spin).await
        }
        Grant::ApiToken => api_token::connect(plan, w.http, secret, w.spin).await,
    }
}

/// The `connect` line that sets up the same connection, asking only for
/// the secret.
fn connect_line(name: &str, a: &Answers) -> String {
    let mut words = vec!["jira-spoke".to_owned()];
    if name != "default" {
        words.extend(["-c".to_owned(), name.to_owned()]);
    }
    words.extend([
        "connect".to_owned(),
        "--grant".to_owned(),
        a.grant.to_string(),
    ]);
    if let Some(id) = &a.client_id {
        words.extend(["--client-id".to_owned(), id.clone()]);
    }
    match (&a.site, &a.cloud_id) {
        (Some(site), _) => words.extend([
            "--site".to_owned(),
            site.as_str().trim_end_matches('/').to_owned(),
        ]),
        (None, Some(id)) => words.extend(["--cloud-id".to_owned(), id.to_string()]),
        (None, None) => {}
    }
    if a.grant == Grant::AuthorizationCode {
        words.extend(["--redirect-uri".to_owned(), a.redirect_uri.to_string()]);
    }
    words.join(" ")
}

fn is_bad_credential(e: &Error) -> bool {
    matches!(
        e,
        Error::ClientRejected { .. }
            | Error::JiraUnauthorized {
                scope_mismatch: false,
                ..
            }
    )
}
