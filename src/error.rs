//! The crate's one error type, its exit codes and its hints.
//!
//! Every failure a user can meet is a variant of [`Error`] that names the cause
//! in plain words and carries what the hint needs. [`Error::kind`] maps it to an
//! [`ErrorKind`] (and so to an exit code) and [`Error::hint`] says what to do;
//! both are single tables here, so the mapping can be read in one place.
//! Rendering (human or JSON) lives in [`crate::output`].
//!
//! Messages never contain a secret: URLs are shown without query strings or
//! credentials (see [`crate::http::safe_url`]) and secrets are
//! [`crate::secret::Secret`]s, which cannot be formatted.

use std::path::PathBuf;
use std::sync::Arc;

use crate::servicenow::sign_in::Via;
use serde::Serialize;

/// What kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A bug or an answer nobody planned for (exit 1).
    Unexpected,
    /// Bad flags or malformed input: URL, site, Cloud ID (exit 2).
    Usage,
    /// Atlassian rejected the credentials, the consent or a scope (exit 3).
    Auth,
    /// Unknown site, wrong Cloud ID, no such stored connection (exit 4).
    NotFound,
    /// Network failure, timeout, 5xx, or 429 after retries (exit 5).
    Remote,
    /// This machine: keyring, callback port, config file (exit 6).
    Local,
    /// Ctrl-C (exit 130).
    Interrupted,
}

impl ErrorKind {
    /// The process exit code for this kind; documented in `--help` and the README.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Unexpected => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Auth => 3,
            ErrorKind::NotFound => 4,
            ErrorKind::Remote => 5,
            ErrorKind::Local => 6,
            ErrorKind::Interrupted => 130,
        }
    }
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure jira-spoke reports.
/// `Clone`: one failure may be reported by each connection that met it (a
/// secret store shared by a fleet); library errors are kept behind `Arc`.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    // ---- usage (2) ----
    #[error("`{input}` is not a Jira Cloud site: {reason}")]
    InvalidSite { input: String, reason: String },

    #[error(
        "`{input}` is an organization URL; its ID `{org_id}` is an organization ID, not a Cloud ID"
    )]
    OrganizationUrl { input: String, org_id: String },

    #[error("`{input}` is not a Cloud ID (expected 8-4-4-4-12 hexadecimal digits)")]
    InvalidCloudId { input: String },

    #[error("{what} `{input}` is not a valid URL: {reason}")]
    InvalidUrl {
        what: String,
        input: String,
        reason: String,
    },

    #[error("{what} `{url}` uses plain http:// on a host that is not this machine")]
    InsecureUrl { what: String, url: String },

    #[error("cannot use {} as --ca-file: {reason}", path.display())]
    CaFile { path: PathBuf, reason: String },

    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    // ---- auth (3) ----
    #[error("Atlassian rejected the client ID or secret (HTTP {status} from {url}{})", code.as_deref().map(|c| format!(": {c}")).unwrap_or_default())]
    ClientRejected {
        url: String,
        status: u16,
        code: Option<String>,
    },

    #[error("Atlassian refused the grant (invalid_grant from {url}): {}", if description.is_empty() { "consent expired or was revoked" } else { description.as_str() })]
    GrantRejected { url: String, description: String },

    #[error(
        "the refresh of connection `{connection}` was interrupted and its token lost: Atlassian no longer accepts the refresh token it replaced"
    )]
    RefreshInterrupted { connection: String },
    /// `invalid_grant` to a client credentials exchange: there is no consent
    /// in that grant, so the credential itself is what was refused.
    #[error("the token endpoint refused the service account's client credentials (invalid_grant from {url}){}", if description.is_empty() { String::new() } else { format!(": {description}") })]
    ClientCredentialsRejected { url: String, description: String },

    #[error("the token endpoint {url} refused the request (HTTP {status}, {code}){}", if description.is_empty() { String::new() } else { format!(": {description}") })]
    TokenRequestRejected {
        url: String,
        status: u16,
        code: String,
        description: String,
    },

    #[error("consent was denied in the browser ({code}{})", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    ConsentDenied {
        code: String,
        description: Option<String>,
    },

    #[error("the pasted URL does not belong to this sign-in (its state does not match)")]
    StateMismatch,

    #[error("the sign-in link was opened twice, so the sign-in was stopped")]
    ConsentLinkReused,

    #[error("Jira rejected the {what} (HTTP 401 from {url}){}", if *scope_mismatch { ": scope does not match" } else { "" })]
    JiraUnauthorized {
        url: String,
        what: &'static str,
        scope_mismatch: bool,
    },

    #[error("Jira refused access (HTTP 403 from {url}){}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    JiraForbidden {
        url: String,
        message: Option<String>,
    },

    /// Found in the token response or `accessible-resources`, before any Jira call.
    #[error(
        "Atlassian granted fewer scopes than this connection needs: missing {}",
        crate::atlassian::scopes::grouped(&missing.iter().map(String::as_str).collect::<Vec<_>>())
    )]
    ScopesNotGranted {
        grant: crate::store::Grant,
        missing: Vec<String>,
    },

    // ---- not found (4) ----
    #[error("no Jira site with Cloud ID {cloud_id} is reachable through {url} (HTTP 404)")]
    CloudIdNotFound { cloud_id: String, url: String },

    #[error("Atlassian's grant covers no site matching {site}; it covers: {available}")]
    SiteNotInGrant { site: String, available: String },

    #[error("no Jira Cloud site answers at {site}")]
    UnknownSite { site: String },

    #[error("{site} did not answer like a Jira Cloud site: {detail}")]
    NotJiraSite { site: String, detail: String },

    #[error("no connection named `{name}` is configured")]
    ConnectionNotFound { name: String, known: Vec<String> },

    #[error("the {what} of connection `{connection}` is missing from the {store} store")]
    SecretMissing {
        what: String,
        connection: String,
        store: String,
    },

    /// An authorization-code connection whose consent happens in ServiceNow:
    /// ServiceNow holds its refresh token; none is kept here, by design.
    #[error(
        "connection `{connection}` has no token on this machine: its consent happens in ServiceNow, which keeps the token"
    )]
    TokenInServiceNow {
        connection: String,
        /// `--instance` for the suggested commands.
        instance: String,
    },

    // ---- remote (5) ----
    #[error("{url} did not answer within {secs} s")]
    Timeout { url: String, secs: u64 },

    #[error("could not reach {url}")]
    Network {
        url: String,
        #[source]
        source: Arc<reqwest::Error>,
    },

    #[error("TLS handshake with {url} failed: {detail}")]
    Tls { url: String, detail: String },

    #[error("{url} answered HTTP {status}: Atlassian's side failed")]
    ServerError { url: String, status: u16 },

    #[error(
        "{url} is rate limiting requests (HTTP 429{}){}{}",
        reason.as_deref().map(|r| format!(", {r}")).unwrap_or_default(),
        retry_after.map(|s| format!("; it asked to wait {s} s")).unwrap_or_default(),
        reset.as_deref().map(|r| format!("; the limit resets at {r}")).unwrap_or_default()
    )]
    RateLimited {
        url: String,
        retry_after: Option<u64>,
        /// `X-RateLimit-Reset`, ISO 8601.
        reset: Option<String>,
        /// `RateLimit-Reason`, e.g. `jira-quota-based`.
        reason: Option<String>,
    },

    #[error(
        "{url} is rate limiting requests (HTTP 429){}; jira-spoke gave up, as waiting would exceed --timeout {timeout} s",
        retry_after.map(|s| format!(" and asked to wait {s} s")).unwrap_or_default()
    )]
    RateLimitedPastTimeout {
        url: String,
        retry_after: Option<u64>,
        /// The `--timeout` the whole request had, in seconds.
        timeout: u64,
    },

    #[error("{url} answered HTTP {status} with {detail}")]
    UnexpectedResponse {
        url: String,
        status: u16,
        detail: String,
    },

    #[error("no callback reached {redirect_uri} within {secs} s")]
    CallbackTimeout { redirect_uri: String, secs: u64 },

    // ---- local (6) ----
    #[error("cannot listen for the OAuth callback on port {port}: {reason}")]
    CallbackPort { port: u16, reason: String },

    #[error("the OS keyring is not available: {reason}")]
    KeyringUnavailable { reason: String },

    /// [`Error::KeyringUnavailable`] for a connection already stored there,
    /// where `--store file` would not help (see [`Error::for_stored_connection`]).
    #[error(
        "connection `{connection}` keeps its secrets in the OS keyring, which is not available: {reason}"
    )]
    StoredKeyringUnavailable { connection: String, reason: String },

    #[error("the secret is too long for the OS keyring: {reason}")]
    SecretTooLong { reason: String },

    #[error("the config file {} cannot be read: {reason}", path.display())]
    ConfigParse { path: PathBuf, reason: String },

    #[error("cannot {action} {}", path.display())]
    FileAccess {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },

    #[error("cannot {action} {}: {reason}", path.display())]
    NoSpace {
        action: &'static str,
        path: PathBuf,
        reason: String,
    },

    #[error("refusing to keep jira-spoke's config and secrets in {}: {reason}", path.display())]
    SharedDirectory { path: PathBuf, reason: String },

    #[error("refusing to use {} for secrets: {reason}", path.display())]
    UnsafeSecretFile { path: PathBuf, reason: String },

    #[error("refusing to read {}: {reason}", path.display())]
    UnsafeStoredFile { path: PathBuf, reason: String },

    #[error("the secret file {} cannot be read whole: {reason}", path.display())]
    SecretFileUnreadable { path: PathBuf, reason: String },

    #[error("{holder}; gave up waiting for {} after {waited_secs} s", path.display())]
    LockTimeout {
        path: PathBuf,
        /// Who holds the lock, in words.
        holder: String,
        /// The holder's process ID, when it wrote one.
        pid: Option<u32>,
        waited_secs: u64,
    },

    #[error("cannot find a configuration directory for this user")]
    NoConfigDir,

    /// EMFILE (this process's `ulimit -n`) or ENFILE (the system's table).
    #[error("cannot {action}: too many open files{}", if *system { " on this system".to_owned() } else { limit.map(|n| format!(" (limit {n})")).unwrap_or_default() })]
    TooManyOpenFiles {
        action: String,
        /// The soft limit of this process, when known.
        limit: Option<u64>,
        system: bool,
    },

    // ---- servicenow (exit codes as for Atlassian) ----
    /// Basic auth refused without an MFA challenge: a 401 does not say which
    /// of the causes it was, so the message names them all.
    #[error(
        "ServiceNow at {instance} refused basic auth for `{user}` (HTTP 401): a wrong password, an account that signs in only through SSO, or the instance's Basic Auth Restriction for interactive accounts"
    )]
    ServiceNowUnauthorized { instance: String, user: String },

    /// A 401 with `X-MFA_TOKEN`: the account has multi-factor authentication.
    #[error(
        "ServiceNow at {instance} asks `{user}` for a multi-factor code (HTTP 401 with X-MFA_TOKEN): basic auth alone cannot sign in"
    )]
    ServiceNowMfaRequired { instance: String, user: String },

    #[error("ServiceNow at {instance} refused the OAuth token from {via} (HTTP 401)")]
    ServiceNowTokenRejected { instance: String, via: Via },

    #[error("ServiceNow's token endpoint {url} refused {via} (HTTP {status}): {code}{}", if description.is_empty() { String::new() } else { format!(" ({description})") })]
    ServiceNowSignInRefused {
        url: String,
        status: u16,
        via: Via,
        code: String,
        description: String,
    },

    /// `user` is how the account is named: "`admin`", or the token's origin.
    #[error("ServiceNow at {instance} does not let {user} {action} {table} (HTTP 403){}", if message.is_empty() { String::new() } else { format!(": {message}") })]
    ServiceNowForbidden {
        instance: String,
        user: String,
        table: String,
        action: &'static str,
        message: String,
    },

    #[error("ServiceNow at {instance} has no connection alias with ID {alias}")]
    ServiceNowAliasMissing { instance: String, alias: String },

    #[error("ServiceNow at {instance} has no {what}")]
    ServiceNowRecordMissing { instance: String, what: String },

    #[error("ServiceNow at {instance} lacks what the Jira spoke set-up needs: {}", missing.join("; "))]
    ServiceNowLacks {
        instance: String,
        missing: Vec<String>,
    },

    #[error("the alias {alias} on {instance} already has another active connection: {}", others.join(", "))]
    ServiceNowConflict {
        instance: String,
        alias: String,
        others: Vec<String>,
    },

    #[error("{url} answered HTTP {status}: the ServiceNow instance failed{}", if message.is_empty() { String::new() } else { format!(" ({message})") })]
    ServiceNowServerError {
        url: String,
        status: u16,
        message: String,
    },

    #[error("{url} answered HTTP {status} with {detail}")]
    ServiceNowUnexpected {
        url: String,
        status: u16,
        detail: String,
    },

    #[error("{url} refused the request (HTTP {status}): {message}")]
    ServiceNowRejected {
        url: String,
        status: u16,
        message: String,
    },

    #[error("{url} refused to create {table}: {message} (another apply made it a moment ago)")]
    ServiceNowMadeMeanwhile {
        url: String,
        table: String,
        message: String,
    },

    #[error("no refresh token reached ServiceNow at {instance} within {secs} s")]
    ServiceNowConsentTimeout { instance: String, secs: u64 },

    /// A write was answered without the values sent.
    #[error("{url} did not keep what was written: {}", fields.join(", "))]
    ServiceNowNotKept { url: String, fields: Vec<String> },

    /// A 3xx: the Table API never redirects; a sign-in page or SSO does.
    #[error(
        "{url} redirected to {location}: a sign-in page or SSO answered instead of the Table API"
    )]
    ServiceNowRedirected { url: String, location: String },

    /// The account lacks a role a table apply would write needs.
    #[error("{who} on {instance} lacks what `servicenow apply` needs to write: {}", missing.join(", "))]
    ServiceNowRoleMissing {
        instance: String,
        who: String,
        /// `oauth_admin (oauth_entity, oauth_entity_scope)`.
        missing: Vec<String>,
    },

    /// A read came back empty where the record must exist, and the account
    /// lacks the role to see it: row-level ACLs filtered it.
    #[error(
        "{who} on {instance} cannot read {table} (no rows came back, and it lacks {role}): jira-spoke cannot tell whether {what} exists"
    )]
    ServiceNowUnreadable {
        instance: String,
        who: String,
        table: String,
        role: String,
        what: String,
    },

    /// "Get OAuth Token" left a token that had expired already.
    #[error("ServiceNow at {instance} stored a token for `{credential}` that has already expired")]
    ServiceNowTokenExpired {
        instance: String,
        credential: String,
    },

    /// "Get OAuth Token" for client credentials left no access token.
    #[error("ServiceNow at {instance} fetched no access token for `{credential}` within {secs} s")]
    ServiceNowTokenNotFetched {
        instance: String,
        credential: String,
        secs: u64,
        token_url: String,
        scopes: Vec<String>,
    },

    // ---- unexpected (1) / interrupted (130) ----
    #[error("interrupted")]
    Interrupted,

    /// Ctrl-C after `setup` stored something: what is kept, and the one
    /// command that goes on from there.
    #[error("interrupted: {kept}")]
    InterruptedKept { kept: String, resume: String },

    /// `verify` found problems and has already reported them.
    #[error("some checks failed")]
    ChecksFailed { kind: ErrorKind },

    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// The kind, and so the exit code, of this error.
    pub fn kind(&self) -> ErrorKind {
        use Error::*;
        match self {
            InvalidSite { .. }
            | OrganizationUrl { .. }
            | InvalidCloudId { .. }
            | InvalidUrl { .. }
            | InsecureUrl { .. }
            | CaFile { .. }
            | Usage { .. } => ErrorKind::Usage,
            ClientRejected { .. }
            | GrantRejected { .. }
            | RefreshInterrupted { .. }
            | ClientCredentialsRejected { .. }
            | TokenRequestRejected { .. }
            | ConsentDenied { .. }
            | StateMismatch
            | ConsentLinkReused
            | JiraUnauthorized { .. }
            | JiraForbidden { .. }
            | ScopesNotGranted { .. } => ErrorKind::Auth,
            UnknownSite { .. }
            | NotJiraSite { .. }
            | ConnectionNotFound { .. }
            | SecretMissing { .. }
            | TokenInServiceNow { .. }
            | CloudIdNotFound { .. }
            | SiteNotInGrant { .. } => ErrorKind::NotFound,
            Timeout { .. }
            | Network { .. }
            | Tls { .. }
            | ServerError { .. }
            | RateLimited { .. }
            | RateLimitedPastTimeout { .. }
            | UnexpectedResponse { .. }
            | CallbackTimeout { .. } => ErrorKind::Remote,
            KeyringUnavailable { .. }
            | StoredKeyringUnavailable { .. }
            | SecretTooLong { .. }
            | ConfigParse { .. }
            | FileAccess { .. }
            | NoSpace { .. }
            | SharedDirectory { .. }
            | UnsafeSecretFile { .. }
            | UnsafeStoredFile { .. }
            | SecretFileUnreadable { .. }
            | LockTimeout { .. }
            | CallbackPort { .. }
            | NoConfigDir
            | TooManyOpenFiles { .. } => ErrorKind::Local,
            ServiceNowUnauthorized { .. }
            | ServiceNowMfaRequired { .. }
            | ServiceNowTokenRejected { .. }
            | ServiceNowSignInRefused { .. }
            | ServiceNowTokenNotFetched { .. }
            | ServiceNowTokenExpired { .. }
            | ServiceNowRoleMissing { .. }
            | ServiceNowUnreadable { .. }
            | ServiceNowForbidden { .. } => ErrorKind::Auth,
            ServiceNowAliasMissing { .. }
            | ServiceNowRecordMissing { .. }
            | ServiceNowLacks { .. } => ErrorKind::NotFound,
            // NOTE: the instance's state, not a mistake on the command line.
            ServiceNowConflict { .. } => ErrorKind::NotFound,
            ServiceNowServerError { .. }
            | ServiceNowRedirected { .. }
            | ServiceNowNotKept { .. }
            | ServiceNowUnexpected { .. }
            | ServiceNowConsentTimeout { .. } => ErrorKind::Remote,
            ServiceNowRejected { .. } => ErrorKind::Unexpected,
            ServiceNowMadeMeanwhile { .. } => ErrorKind::NotFound,
            Internal(_) => ErrorKind::Unexpected,
            Interrupted | InterruptedKept { .. } => ErrorKind::Interrupted,
            ChecksFailed { kind } => *kind,
        }
    }

    /// What the admin can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        use Error::*;
        let hint = match self {
            InvalidSite { .. } => {
                "give the site as `acme`, `acme.atlassian.net` or `https://acme.atlassian.net`, \
                 or paste an admin URL such as `https://admin.atlassian.com/s/CLOUD-ID/apps`"
                    .to_owned()
            }
            OrganizationUrl { .. } => {
                "in admin.atlassian.com open the Jira product's \"Manage product access\" page: \
                 its URL has the form https://admin.atlassian.com/s/CLOUD-ID/apps; \
                 or run `jira-spoke cloud-id SITE`"
                    .to_owned()
            }
            InvalidCloudId { .. } => "a Cloud ID looks like 1324a887-45db-1bf4-1e99-ef0ff456d421 \
                 (an organization ID is not one); run `jira-spoke cloud-id SITE` to look it up"
                .to_owned(),
            InvalidUrl { .. } => "give a full URL such as https://auth.atlassian.com".to_owned(),
            InsecureUrl { .. } => {
                "use https://; plain http:// is accepted only for 127.0.0.1, ::1 and localhost \
                 (local test servers)"
                    .to_owned()
            }
            CaFile { .. } => "give a PEM file holding the certificate authorities to trust \
                 (`-----BEGIN CERTIFICATE-----` blocks), or unset JIRA_SPOKE_CA_FILE"
                .to_owned(),
            Usage { hint, .. } => return hint.clone(),
            ClientRejected { .. } => "copy the Client ID and Secret again: for an authorization code (3LO) app from \
                 developer.atlassian.com → your app → Settings; for a service account, create a new OAuth 2.0 \
                 credential in admin.atlassian.com → Directory → Service accounts (its secret is shown only once)"
                .to_owned(),
            GrantRejected { .. } => "the consent behind this connection is gone (revoked, expired after 90 days unused, \
                 a password change, or a refresh token used twice); give consent again with \
                 `jira-spoke connect --grant authorization-code …`"
                .to_owned(),
            RefreshInterrupted { connection } => format!(
                "a jira-spoke was stopped after Atlassian had replaced the refresh token and before the new one \
                 was stored; run `jira-spoke connect -c {connection} --grant authorization-code …` again \
                 (or `jira-spoke setup`) to give consent anew"
            ),
            ClientCredentialsRejected { .. } => "the service account's OAuth 2.0 credential was revoked or \
                 rotated, or this client may not use the client credentials grant: create a new OAuth 2.0 credential \
                 (admin.atlassian.com → Directory → Service accounts → the account → Create credentials) and run \
                 `jira-spoke connect --grant client-credentials` with its client ID and secret"
                .to_owned(),
            TokenRequestRejected { code, .. } if code == "invalid_scope" => "request only scopes the app has: \
                 developer console → your app → Permissions (see `jira-spoke scopes`)"
                .to_owned(),
            TokenRequestRejected { .. } => "check the token URL and the grant type the app is registered for".to_owned(),
            ConsentDenied { .. } => "run the command again and choose Accept on Atlassian's consent screen; \
                 if Accept is missing, the app's owner must enable sharing (developer console → Distribution)"
                .to_owned(),
            StateMismatch => "paste the address of the page the browser reached after *this* sign-in; \
                 start again if in doubt"
                .to_owned(),
            ConsentLinkReused => "run the command again and let one browser open the link; if nothing here \
                 opened it twice, another user or program on this machine may have tried to take over the \
                 sign-in, so use `--no-browser` on a shared machine"
                .to_owned(),
            JiraUnauthorized {
                scope_mismatch: true,
                ..
            } => "the token lacks a scope this call needs: add it to the app (developer console → Permissions) \
                 or the service account's credential, then connect again (`jira-spoke scopes` lists them)"
                .to_owned(),
            JiraUnauthorized { what, .. } if *what == "API token" => "check the e-mail and API token \
                 (id.atlassian.com → Security → API tokens); a token with scopes works only through \
                 api.atlassian.com, not the site URL"
                .to_owned(),
            JiraUnauthorized { .. } => "the access token was not accepted: connect again; OAuth tokens work only \
                 through api.atlassian.com/ex/jira/CLOUD-ID, never the site URL"
                .to_owned(),
            JiraForbidden { .. } => "the account lacks a Jira permission: give the user or service account \
                 access to the Jira product and the projects it needs"
                .to_owned(),
            ScopesNotGranted { grant, missing } => crate::atlassian::scopes::where_to_add(
                *grant == crate::store::Grant::ClientCredentials,
                &missing.iter().map(String::as_str).collect::<Vec<_>>(),
            ),
            CloudIdNotFound { .. } => "an organization ID is not a Cloud ID; run `jira-spoke cloud-id SITE` \
                 to look up the right one"
                .to_owned(),
            SiteNotInGrant { .. } => "choose that site on the consent screen, or pass `--cloud-id` with one of \
                 the sites listed"
                .to_owned(),
            CallbackTimeout { redirect_uri, .. } => format!(
                "the browser never came back: check that the callback URL registered in the developer console \
                 is exactly {redirect_uri}, or use `--no-browser` and paste the final URL"
            ),
            CallbackPort { port, .. } => format!(
                "stop the program holding port {port}, or register another callback URL in the developer \
                 console and pass it with `--redirect-uri http://localhost:PORT/callback`"
            ),
            UnknownSite { .. } => {
                "check the spelling: the site is the name before .atlassian.net in your Jira URL; \
                 or paste the Cloud ID from https://admin.atlassian.com/s/CLOUD-ID/apps"
                    .to_owned()
            }
            NotJiraSite { .. } => {
                "give the address you open Jira at (https://SITE.atlassian.net); \
                 Jira Data Center and Server sites have no Cloud ID"
                    .to_owned()
            }
            ConnectionNotFound { known, .. } if known.is_empty() => {
                "no connection is configured yet: run `jira-spoke setup` (interactive) \
                 or `jira-spoke connect --grant …`"
                    .to_owned()
            }
            ConnectionNotFound { known, .. } => format!(
                "configured connections: {}; choose one with `--connection NAME`",
                known.join(", ")
            ),
            SecretMissing { connection, .. } => format!(
                "the secret was removed outside jira-spoke; run `jira-spoke connect -c {connection} …` again"
            ),
            TokenInServiceNow {
                connection,
                instance,
            } => {
                let flag = if connection == "default" {
                    String::new()
                } else {
                    format!(" -c {connection}")
                };
                format!(
                    "`jira-spoke{flag} servicenow consent --instance {instance}` gives the consent in ServiceNow \
                     and `jira-spoke{flag} servicenow verify --instance {instance}` checks its token; for a token \
                     on this machine, register jira-spoke's callback with the app and connect again with \
                     `--redirect-uri http://localhost:8765/callback`"
                )
            }
            Timeout { .. } => "check your network or proxy (HTTPS_PROXY); \
                 raise the limit with `--timeout SECS` if the link is slow"
                .to_owned(),
            Network { .. } => {
                "check the host name, your network and proxy settings (HTTPS_PROXY)".to_owned()
            }
            Tls { .. } => {
                "a proxy or firewall may be intercepting TLS: jira-spoke trusts the public web's \
                 certificate authorities, and those of --ca-file (JIRA_SPOKE_CA_FILE); give it \
                 your proxy's CA certificate if that is what signs"
                    .to_owned()
            }
            ServerError { .. } => {
                "Atlassian may be having an incident (https://status.atlassian.com); \
                 try again in a few minutes"
                    .to_owned()
            }
            RateLimited { .. } => {
                "wait and try again; other integrations on the same site share the limit".to_owned()
            }
            RateLimitedPastTimeout { .. } => "wait and try again, or give the wait room with a larger \
                 `--timeout SECS` (it bounds each request, retries and waits included); other integrations \
                 on the same site share the limit"
                .to_owned(),
            UnexpectedResponse { .. } => {
                "a proxy or captive portal may have answered instead of Atlassian; \
                 check the URL and your network"
                    .to_owned()
            }
            KeyringUnavailable { .. } => {
                "start or unlock your OS keyring (on Linux: gnome-keyring or KWallet in a \
                 desktop or `dbus-run-session` session), or keep secrets in a plaintext file with \
                 `--store file` (or JIRA_SPOKE_STORE=file)"
                    .to_owned()
            }
            StoredKeyringUnavailable { connection, .. } => format!(
                "start or unlock your OS keyring and run this again (on Linux: gnome-keyring or KWallet in a \
                 desktop session, or `dbus-run-session` with `gnome-keyring-daemon --unlock` over SSH); \
                 or move the connection to the plaintext file store by connecting it again: \
                 `jira-spoke -c {connection} --store file connect --grant …`"
            ),
            SecretTooLong { .. } => "use `--store file`, which has no size limit".to_owned(),
            ConfigParse { .. } => "fix the file by hand, or move it away to start afresh; \
                 jira-spoke never overwrites a config it cannot read"
                .to_owned(),
            FileAccess { .. } => "check the directory's permissions, or choose another one with \
                 JIRA_SPOKE_CONFIG_DIR"
                .to_owned(),
            NoSpace { path, .. } => format!(
                "free some space on the disk holding {} (or raise the limit), then run the command again; \
                 what was stored before is unchanged",
                path.parent().unwrap_or(path).display()
            ),
            SharedDirectory { path, .. } => format!(
                "make it private (`chmod 700 {}`; jira-spoke no longer changes its mode for you), \
                 or point JIRA_SPOKE_CONFIG_DIR at a directory only you can write",
                path.display()
            ),
            UnsafeSecretFile { .. } => "replace it with a regular file of your own, or move it away and \
                 connect again; jira-spoke never follows a symbolic link to read or write secrets"
                .to_owned(),
            UnsafeStoredFile { .. } => "replace it with a regular file of your own that only you may write \
                 (`chmod 600`); jira-spoke follows a symbolic link only to such a file"
                .to_owned(),
            SecretFileUnreadable { .. } => "fix the file by hand, or move it away and connect again; \
                 jira-spoke never rewrites a secret file it cannot read whole, so no other \
                 connection's secrets are lost"
                .to_owned(),
            LockTimeout { pid: Some(pid), .. } => format!(
                "if process {pid} is stopped or hung, end it (`kill {pid}`) and run the command again; \
                 otherwise wait for it to finish"
            ),
            LockTimeout { path, .. } => format!(
                "end the process that holds it (`fuser {}` names it) and run the command again",
                path.display()
            ),
            NoConfigDir => {
                "set JIRA_SPOKE_CONFIG_DIR to a directory jira-spoke may write".to_owned()
            }
            TooManyOpenFiles { system: true, .. } => "the system's table of open files is full: close \
                 programs that hold many files, or raise the system limit (fs.file-max on Linux)"
                .to_owned(),
            TooManyOpenFiles { limit, .. } => format!(
                "raise this shell's limit (`ulimit -n {}`) and run the command again; jira-spoke keeps \
                 its requests in flight under the limit, but needs a few dozen descriptors to start",
                limit.map_or(1024, |n| (n * 4).max(1024))
            ),
            ServiceNowUnauthorized { instance, .. } => format!(
                "check the password; for an SSO-only account or an instance that restricts basic auth, sign in \
                 through OAuth instead: `jira-spoke servicenow login --instance {instance} --oauth-client-id ID` \
                 (a browser, with SSO and MFA), or for CI JIRA_SPOKE_SERVICENOW_CLIENT_ID and _CLIENT_SECRET \
                 (README: Signing in to ServiceNow)"
            ),
            ServiceNowMfaRequired { instance, .. } => format!(
                "sign in through the browser, where MFA works: `jira-spoke servicenow login --instance {instance} \
                 --oauth-client-id ID` (an inbound OAuth client on the instance; README: Signing in to ServiceNow), \
                 or use a web-service-only account"
            ),
            ServiceNowTokenRejected { via, instance } => match via {
                Via::TokenEnv => "the token has expired or was not issued by this instance: get a new one \
                     (ServiceNow access tokens live 30 minutes by default)"
                    .to_owned(),
                Via::ClientCredentialsEnv => "the token was issued but not accepted: check the inbound OAuth \
                     client's OAuth application user and that REST API access policies allow OAuth"
                    .to_owned(),
                _ => format!(
                    "sign in again: `jira-spoke servicenow login --instance {instance} --oauth-client-id ID`"
                ),
            },
            ServiceNowSignInRefused { code, via, .. } => match (code.as_str(), via) {
                ("unsupported_grant_type", _) => "the instance does not allow this grant: for client \
                     credentials set the system property glide.oauth.inbound.client.credential.grant_type.enabled \
                     to true (README: Signing in to ServiceNow)"
                    .to_owned(),
                ("access_denied", Via::ClientCredentialsEnv) => "give the inbound OAuth client an OAuth \
                     application user (the account its tokens act as, with the admin role or oauth_admin + \
                     connection_admin + credential_admin) and make sure the client is active"
                    .to_owned(),
                ("invalid_grant", Via::KeptOAuth) => "the kept login has expired or was revoked: run \
                     `jira-spoke servicenow login --instance … --oauth-client-id ID` again"
                    .to_owned(),
                ("invalid_grant", _) => "the sign-in code expired or was already used: run the login again"
                    .to_owned(),
                _ => "copy the client ID and secret again from the instance (System OAuth → Application \
                     Registry → your inbound OAuth client); the client must be active"
                    .to_owned(),
            },
            ServiceNowForbidden { table, .. } => format!(
                "sign in as a user with the admin role, or with oauth_admin + connection_admin + credential_admin \
                 ({table} needs {}); the instance's message above may name a business rule instead",
                crate::servicenow::role_for(table)
            ),
            ServiceNowAliasMissing { .. } => "activate the Jira spoke on the instance (Integration Hub; its alias \
                 ships with it as sn_jira_spoke.Jira); jira-spoke uses that alias and never creates one"
                .to_owned(),
            ServiceNowRecordMissing { .. } => {
                "create the records first with `jira-spoke servicenow apply --instance …`".to_owned()
            }
            ServiceNowLacks { .. } => "check that the Jira spoke and the OAuth 2.0 plugin are active and that the \
                 account may read these tables (System Definition > Dictionary shows what the instance has)"
                .to_owned(),
            ServiceNowConflict { .. } => "an alias serves one Jira site: leave out --alias, and jira-spoke gives \
                 this site a child alias of sn_jira_spoke.Jira, or deactivate the other connection; jira-spoke \
                 never changes a connection it did not create, nor ticks \"Support multiple active connections\" \
                 (flows could not choose a site then)"
                .to_owned(),
            ServiceNowServerError { .. } => "try again in a few minutes; a developer instance may be hibernating \
                 (wake it at developer.servicenow.com)"
                .to_owned(),
            ServiceNowUnexpected { .. } => "a sign-in page, a proxy or a hibernating developer instance answered \
                 instead of the Table API; open the instance URL in a browser to see which"
                .to_owned(),
            ServiceNowMadeMeanwhile { .. } => "another apply (on another machine, or another admin's) created the \
                 record first: run `jira-spoke servicenow apply` again; it finds that record and completes it"
                .to_owned(),
            ServiceNowRejected { .. } => "the instance refused the change; a business rule or data policy may \
                 forbid it, as its message says"
                .to_owned(),
            ServiceNowConsentTimeout { instance, .. } => format!(
                "the usual causes: the Atlassian app's callback URL is not exactly {instance}/oauth_redirect.do \
                 (developer console → your app → Authorization), consent was not given (choose Accept), \
                 or the browser is not signed in to ServiceNow; then run `jira-spoke servicenow consent` again"
            ),
            ServiceNowTokenExpired { .. } => "check the token lifespans on the Application Registry (System \
                 OAuth) and the instance's clock, then run `jira-spoke servicenow consent` again"
                .to_owned(),
            ServiceNowNotKept { .. } => "a business rule or data policy on the instance changed or dropped \
                 the values; run `jira-spoke servicenow verify` to see what the records hold"
                .to_owned(),
            ServiceNowRedirected { .. } => "check the instance URL; an instance behind SSO answers the API \
                 only to OAuth: `jira-spoke servicenow login --instance … --oauth-client-id ID`"
                .to_owned(),
            ServiceNowRoleMissing { .. } | ServiceNowUnreadable { .. } => "grant the account the roles \
                 (User Administration → Users → Roles), or sign in as a user with the admin role; nothing \
                 was written"
                .to_owned(),
            ServiceNowTokenNotFetched {
                token_url, scopes, ..
            } => format!(
                "the page the browser shows names the cause; the usual one is `invalid_client`: the client \
                 secret ServiceNow stored is not the app's (run `jira-spoke servicenow apply --write-secrets`, \
                 or paste it in the Application Registry form). ServiceNow asks {token_url} for the scopes {}; \
                 the service account's credential at Atlassian must allow them. Then run consent again",
                scopes.join(" ")
            ),
            InterruptedKept { resume, .. } => format!("resume with `{resume}`"),
            Interrupted | Internal(_) | ChecksFailed { .. } => return None,
        };
        Some(hint)
    }

    /// A usage error with a hint.
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// The scopes a grant lacks, for `--json`'s `missing_scopes`.
    pub fn missing_scopes(&self) -> &[String] {
        match self {
            Error::ScopesNotGranted { missing, .. } => missing,
            _ => &[],
        }
    }

    /// For commands that use a connection already stored: an unavailable
    /// keyring is that connection's keyring, and `--store file` (which only
    /// chooses where a *new* connection goes) is no way out.
    pub fn for_stored_connection(self, connection: &str) -> Self {
        match self {
            Error::KeyringUnavailable { reason } => Error::StoredKeyringUnavailable {
                connection: connection.to_owned(),
                reason,
            },
            other => other,
        }
    }

    /// The chain of lower-level causes, outermost first, for `Caused by:` lines.
    pub fn causes(&self) -> Vec<String> {
        causes_of(self)
    }
}

/// `err`'s lower-level causes, outermost first (not `err` itself).
pub fn causes_of(err: &dyn std::error::Error) -> Vec<String> {
    let mut causes = Vec::new();
    let mut next = err.source();
    while let Some(cause) = next {
        causes.push(cause.to_string());
        next = cause.source();
    }
    causes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyring_unavailable_names_both_ways_out() {
        let err = Error::KeyringUnavailable {
            reason: "no D-Bus session".into(),
        };
        assert_eq!(err.kind(), ErrorKind::Local);
        let hint = err.hint().unwrap();
        assert!(hint.contains("unlock"), "{hint}");
        assert!(hint.contains("--store file"), "{hint}");
    }

    #[test]
    fn a_stored_connections_keyring_hint_does_not_offer_store_file_as_a_fix() {
        let err = Error::KeyringUnavailable {
            reason: "no D-Bus session".into(),
        }
        .for_stored_connection("prod");
        assert_eq!(err.kind().exit_code(), 6);
        assert!(err.to_string().contains("connection `prod`"), "{err}");
        let hint = err.hint().unwrap();
        assert!(hint.contains("unlock"), "{hint}");
        assert!(
            hint.contains("jira-spoke -c prod --store file connect"),
            "{hint}"
        );
        assert!(
            !hint.contains("or keep secrets in a plaintext file with"),
            "{hint}"
        );
    }

    #[test]
    fn missing_scopes_name_the_console_groups_and_where_to_add_them() {
        let err = Error::ScopesNotGranted {
            grant: crate::store::Grant::AuthorizationCode,
            missing: vec!["read:jira-user".into(), "read:jql:jira".into()],
        };
        assert_eq!(err.kind().exit_code(), 3);
        assert!(
            err.to_string()
                .ends_with("missing classic: read:jira-user; granular: read:jql:jira"),
            "{err}"
        );
        assert!(err.hint().unwrap().contains("developer.atlassian.com"));
        assert_eq!(err.missing_scopes(), ["read:jira-user", "read:jql:jira"]);
    }

    #[test]
    fn connection_not_found_lists_known_names() {
        let err = Error::ConnectionNotFound {
            name: "prod".into(),
            known: vec!["default".into(), "staging".into()],
        };
        assert_eq!(err.kind().exit_code(), 4);
        assert!(err.hint().unwrap().contains("default, staging"));
    }
}
