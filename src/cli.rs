//! The command-line surface: clap types only. Doc comments here *are* `--help`.
//!
//! Turning these into checked values is [`crate::settings`]'s job; running
//! them is [`crate::commands`]'s.

// NOTE: `<site>`, `<cloud-id>` in the doc comments are placeholders of the
// help text, not HTML.
#![allow(rustdoc::invalid_html_tags)]

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::atlassian::endpoints::TokenBody;
use crate::env;
use crate::store::{Grant, StoreKind};

pub const EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    unexpected failure (a bug, or an answer nobody planned for)
  2    usage: bad flags or malformed input (URL, site, Cloud ID)
  3    Atlassian rejected the credentials, the consent or a scope;
       ServiceNow rejected the admin or a role is missing
  4    not found, not configured or taken (unknown site, wrong Cloud ID, no such
       connection, no Jira spoke alias, a column the ServiceNow instance lacks,
       another active connection on the alias, a record another apply made first)
  5    Atlassian or ServiceNow unreachable: network, timeout, 5xx, or 429 after retries
  6    this machine: keyring unavailable, callback port in use, config not writable
  130  interrupted (Ctrl-C)

With --json, an error is also printed on stdout as
  {\"error\":{\"kind\":…,\"message\":…,\"hint\":…}}";

pub const EXAMPLES: &str = "\
Examples:
  jira-spoke setup                          guided set-up of a connection
  jira-spoke cloud-id acme                  Cloud ID of https://acme.atlassian.net
  jira-spoke list --json                    stored connections, for scripts
  jira-spoke completions bash > ~/.local/share/bash-completion/completions/jira-spoke";

/// `--version`: the release and the commit it was built from (see build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("JIRA_SPOKE_COMMIT"),
    ")"
);

/// The range every duration flag accepts, in seconds: out of it is a usage
/// error (exit 2) naming the range, never an overflow deeper in.
pub const DURATION_SECS: std::ops::RangeInclusive<u64> = 1..=3600;

/// Connect anything to Jira Cloud: find the Cloud ID, get OAuth 2.0 or
/// API-token credentials, keep them in the OS keyring, and check that the
/// connection works.
#[derive(Debug, Parser)]
#[command(
    name = "jira-spoke",
    version = VERSION,
    about,
    long_about = None,
    after_help = EXAMPLES,
    after_long_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"),
    propagate_version = true,
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command understands.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Name of the stored connection to use (several Jira sites = several connections).
    ///
    /// Without it: the connection chosen with `jira-spoke use`, else the one named `default`.
    #[arg(short = 'c', long, global = true, env = env::CONNECTION, value_name = "NAME")]
    pub connection: Option<String>,

    /// Print results (and errors) as JSON on stdout, for scripts.
    #[arg(long, global = true)]
    pub json: bool,

    /// Print only results and errors: no progress or status lines.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Explain what is happening on stderr (-v: requests, -vv: details), in place of progress
    /// spinners. Secrets are never logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// When to use colour. NO_COLOR (any value) turns it off in `auto`.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it).
    ///
    /// Plain http:// is accepted only for 127.0.0.1, ::1 and localhost (local test servers).
    #[arg(
        long,
        global = true,
        env = env::AUTH_URL,
        value_name = "URL",
        default_value = crate::atlassian::endpoints::DEFAULT_AUTH_URL,
        hide_default_value = false
    )]
    pub auth_url: String,

    /// Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`).
    #[arg(
        long,
        global = true,
        env = env::API_URL,
        value_name = "URL",
        default_value = crate::atlassian::endpoints::DEFAULT_API_URL
    )]
    pub api_url: String,

    /// Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory.
    #[arg(long, global = true, env = env::STORE, value_enum, value_name = "STORE")]
    pub store: Option<StoreKind>,

    /// Seconds any one request to Atlassian may take, from connecting to the last byte,
    /// 429/503 retries and their Retry-After waits included (1 to 3600).
    #[arg(long, global = true, env = env::TIMEOUT, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(DURATION_SECS))]
    pub timeout: u64,

    /// A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones.
    ///
    /// For a proxy that inspects TLS with your organisation's own CA: give that CA's
    /// certificate. Applies to every request to Atlassian and ServiceNow.
    #[arg(long, global = true, env = env::CA_FILE, value_name = "PATH")]
    pub ca_file: Option<std::path::PathBuf>,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Guided, interactive set-up of a connection: site, app registration, token, keyring, check.
    ///
    /// Walks you through: the site and its Cloud ID, how to authenticate, the
    /// exact app registration to make (callback URL, scopes), the credentials,
    /// the token, secure storage in the OS keyring, and a live check; for a
    /// ServiceNow Jira spoke, the records on the instance, its consent and its
    /// check too. Needs a terminal; `connect` does the same without prompts.
    Setup,
    /// Create or replace a connection without prompts (for CI and scripts).
    #[command(after_help = CONNECT_EXAMPLES)]
    Connect(Box<ConnectArgs>),
    /// Check a stored connection end to end and say exactly what to fix.
    ///
    /// Checks, in order: config, secret, token, site, identity, server, scopes,
    /// rate limit. Every check runs even after one fails. Exits non-zero when
    /// any check fails, with --json too.
    Verify(VerifyArgs),
    /// Print the Cloud ID of a Jira Cloud site.
    ///
    /// Looks it up at <site>/_edge/tenant_info (no credentials needed), or reads
    /// it offline from a pasted admin.atlassian.com/s/<cloud-id>/… URL.
    #[command(after_help = "\
Examples:
  jira-spoke cloud-id acme
  jira-spoke cloud-id acme.atlassian.net
  jira-spoke cloud-id https://acme.atlassian.net/jira/your-work
  jira-spoke cloud-id https://admin.atlassian.com/s/1324a887-45db-1bf4-1e99-ef0ff456d421/apps")]
    CloudId(CloudIdArgs),
    /// Print a valid access token for the connection (refreshing it if needed).
    ///
    /// Use it as `curl -H "Authorization: Bearer $(jira-spoke token)" …`. With
    /// --json: {"access_token":…,"expires_at":…,"scope":…,"source":…}. A connection
    /// whose consent happens in ServiceNow has no token here (exit 4).
    Token,
    /// List stored connections; `*` marks the default one.
    List,
    /// Make a stored connection the default (like `gh auth switch`).
    ///
    /// Commands act on the default connection unless --connection or
    /// JIRA_SPOKE_CONNECTION names another. Kept in config.toml.
    #[command(after_help = "\
Example:
  jira-spoke use prod && jira-spoke verify")]
    Use(UseArgs),
    /// Delete a stored connection and its secrets.
    Remove(RemoveArgs),
    /// Show the OAuth scopes the ServiceNow Jira spoke needs, grouped as the developer console groups them.
    Scopes(ScopesArgs),
    /// Check an OAuth app's client ID and secret without a browser.
    ///
    /// Useful for an app registered with another callback (ServiceNow's), which
    /// cannot run the browser flow here. Exit 0: accepted; exit 3: rejected.
    #[command(after_help = "\
Example:
  JIRA_SPOKE_CLIENT_SECRET=… jira-spoke check-app --client-id 2kVq…")]
    CheckApp(CheckAppArgs),
    /// Print what the ServiceNow Jira spoke's forms need for a stored connection.
    ///
    /// Grouped by form, in the order ServiceNow's "Set up the Jira spoke for
    /// Jira Cloud" fills them: Application Registry, OAuth Entity Scopes and
    /// Profile, Credential, Connection. Secrets are shown as placeholders;
    /// `--reveal --out FILE` writes them to a new 0600 file instead.
    #[command(after_help = "\
Examples:
  jira-spoke export --target servicenow --instance acme
  jira-spoke -c prod export --target servicenow --json
  jira-spoke export --target servicenow --instance acme --reveal --out spoke.txt")]
    Export(ExportArgs),
    /// Create, check and authorize the ServiceNow Jira spoke's records for a stored connection.
    ///
    /// `apply` writes what `export --target servicenow` would have you type:
    /// the Application Registry, its scopes and default profile, the
    /// credential, and the HTTP(s) connection under the spoke's alias
    /// sn_jira_spoke.Jira. `verify` reads them back and says what differs;
    /// `consent` runs "Get OAuth Token" for the authorization-code grant.
    #[command(subcommand, after_help = SERVICENOW_EXAMPLES)]
    Servicenow(ServicenowCommand),
    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  jira-spoke completions bash > ~/.local/share/bash-completion/completions/jira-spoke
  jira-spoke completions zsh  > \"${fpath[1]}/_jira-spoke\"
  jira-spoke completions fish > ~/.config/fish/completions/jira-spoke.fish")]
    Completions(CompletionsArgs),
    /// Print jira-spoke's manual page (roff) on stdout.
    #[command(after_help = "\
Examples:
  jira-spoke man | man -l -
  jira-spoke man > ~/.local/share/man/man1/jira-spoke.1")]
    Man,
}

const CONNECT_EXAMPLES: &str = "\
Secrets are never taken from the command line (argv is visible to every user
of the machine): give them in an environment variable, on stdin, or at the
hidden prompt that appears when a terminal is attached.

Examples:
  # service account (OAuth 2.0 client credentials), e.g. in CI
  JIRA_SPOKE_CLIENT_SECRET=… jira-spoke connect --grant client-credentials \\
      --client-id ID --site acme

  # acting as a user (OAuth 2.0 authorization code): opens a browser once
  jira-spoke connect --grant authorization-code --client-id ID --site acme \\
      --client-secret-stdin < secret.txt

  # API token with basic auth (legacy)
  JIRA_SPOKE_API_TOKEN=… jira-spoke connect --grant api-token \\
      --site acme --email admin@example.com";

/// `connect` arguments.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// How to authenticate.
    #[arg(long, value_enum, value_name = "GRANT")]
    pub grant: Grant,

    /// The Jira site: `acme`, `acme.atlassian.net`, `https://acme.atlassian.net`.
    #[arg(long, value_name = "SITE")]
    pub site: Option<String>,

    /// The site's Cloud ID, when known (`jira-spoke cloud-id` finds it).
    #[arg(long, value_name = "ID")]
    pub cloud_id: Option<String>,

    /// OAuth client ID: developer console → your app → Settings, or the service account's credential.
    #[arg(long, env = env::CLIENT_ID, value_name = "ID")]
    pub client_id: Option<String>,

    /// Read the OAuth client secret from the first line of stdin
    /// (otherwise from JIRA_SPOKE_CLIENT_SECRET, or a hidden prompt).
    #[arg(long)]
    pub client_secret_stdin: bool,

    /// Scopes to request, separated by spaces or commas (default: the ServiceNow Jira spoke set;
    /// `offline_access` is added for authorization code).
    #[arg(long, value_name = "SCOPES")]
    pub scopes: Option<String>,

    /// The callback URL registered in the developer console, exactly (authorization code).
    ///
    /// A loopback http:// URL is served here for the browser consent. ServiceNow's
    /// (https://<instance>.service-now.com/oauth_redirect.do) means the consent happens in
    /// ServiceNow: the client ID and secret are checked without a browser and the connection
    /// is stored without a token (`servicenow apply`, then `servicenow consent`).
    #[arg(long, value_name = "URL", default_value = crate::atlassian::callback::DEFAULT_REDIRECT_URI)]
    pub redirect_uri: String,

    /// Do not open a browser: print the consent URL; on a terminal you may paste the final URL back.
    #[arg(long)]
    pub no_browser: bool,

    /// Seconds to wait for the browser to come back with consent (1 to 3600).
    #[arg(long, value_name = "SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(DURATION_SECS))]
    pub callback_timeout: u64,

    /// Atlassian account e-mail (API token).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    /// Read the API token from the first line of stdin (otherwise from JIRA_SPOKE_API_TOKEN, or a hidden prompt).
    #[arg(long)]
    pub api_token_stdin: bool,
    /// Replace a connection whose ServiceNow records serve another Jira site without asking
    /// (needed without a terminal). The records stay and keep serving their site.
    #[arg(long)]
    pub replace_site: bool,

    /// Jira REST API version used for checks (the ServiceNow spoke uses 2).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u8).range(2..=3))]
    pub api_version: u8,

    #[command(flatten)]
    pub oauth_urls: OAuthUrlArgs,
}

/// The application registry's four OAuth URLs, each defaulting from `--auth-url`.
#[derive(Debug, Args)]
pub struct OAuthUrlArgs {
    /// Authorization URL (default: <auth-url>/authorize).
    #[arg(long, value_name = "URL")]
    pub authorize_url: Option<String>,
    /// Token URL (default: <auth-url>/oauth/token).
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    /// Refresh token URL (default: the token URL).
    #[arg(long, value_name = "URL")]
    pub refresh_url: Option<String>,
    /// Token revocation URL (default: the token URL).
    #[arg(long, value_name = "URL")]
    pub revocation_url: Option<String>,
    /// How token requests are encoded: `form` (application/x-www-form-urlencoded, as RFC 6749
    /// and every OAuth 2.0 server expect; Atlassian accepts it) or `json`, the form Atlassian's
    /// docs show.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = TokenBody::Form)]
    pub token_body: TokenBody,
}

#[derive(Debug, Args)]
pub struct CheckAppArgs {
    /// The OAuth client ID to check.
    #[arg(long, env = env::CLIENT_ID, value_name = "ID")]
    pub client_id: String,
    /// Read the client secret from stdin (otherwise JIRA_SPOKE_CLIENT_SECRET, or a hidden prompt).
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// Token URL (default: <auth-url>/oauth/token).
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    /// How token requests are encoded: `form` (RFC 6749) or `json` (as Atlassian's docs show).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = TokenBody::Form)]
    pub token_body: TokenBody,
}

/// Integrations `export` can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTarget {
    /// The ServiceNow Jira spoke (Integration Hub).
    Servicenow,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The integration whose forms to fill.
    #[arg(long, value_enum, value_name = "TARGET")]
    pub target: ExportTarget,
    /// The ServiceNow instance (`acme`, `acme.service-now.com` or its URL), for the OAuth redirect URL.
    #[arg(long, value_name = "NAME")]
    pub instance: Option<String>,
    /// Include the secrets, written only to the new file given by --out (mode 0600).
    #[arg(long, requires = "out")]
    pub reveal: bool,
    /// With --reveal: the file to create for the export with secrets (must not exist).
    #[arg(long, value_name = "FILE", requires = "reveal")]
    pub out: Option<std::path::PathBuf>,
}

const SERVICENOW_EXAMPLES: &str = "\
Signing in, first that applies wins (secrets never from argv):
  1. JIRA_SPOKE_SERVICENOW_TOKEN               an OAuth bearer token, as is
  2. JIRA_SPOKE_SERVICENOW_CLIENT_ID + _SECRET  client credentials of an inbound
                                               OAuth client (CI)
  3. --servicenow-user / JIRA_SPOKE_SERVICENOW_USER with its password
     (JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin or a prompt)
  4. the login `servicenow login` kept for the instance (a browser sign-in
     with SSO and MFA, or a user and password)
  5. at a terminal, the user and password are asked for
The account needs the admin role, or oauth_admin + connection_admin +
credential_admin. After an apply the connection remembers its instance, so
--instance may be left out.

Examples:
  jira-spoke servicenow login --instance acme --oauth-client-id ID  # browser, SSO, MFA
  jira-spoke servicenow apply --instance acme --dry-run   # the plan, nothing written
  jira-spoke servicenow apply --instance acme             # create or set back
  jira-spoke servicenow consent                           # Get OAuth Token, proved
  jira-spoke servicenow verify                            # read back and check";

/// `servicenow` subcommands.
#[derive(Debug, Subcommand)]
pub enum ServicenowCommand {
    /// Create or update the spoke's records on the instance, idempotently.
    ///
    /// Records are found by name (the alias by its ID, never created) and set
    /// back field by field; a second run changes nothing. Secrets are written
    /// in requests of their own and never printed or read back.
    #[command(after_help = "\
Examples:
  jira-spoke servicenow apply --instance acme --dry-run
  jira-spoke -c prod servicenow apply --instance https://acme.service-now.com --json")]
    Apply(ServicenowApplyArgs),
    /// Read the spoke's records back and check them; exits non-zero on any failure.
    ///
    /// Checks: the instance's schema, the alias, the registry (active, client
    /// ID, URLs), equal grant types, every scope in registry and profile, the
    /// credential, the connection and its attributes, and for authorization
    /// code a refresh token that has not expired.
    Verify(ServicenowArgs),
    /// Run the credential's "Get OAuth Token" and wait until ServiceNow holds a new token.
    ///
    /// Opens the instance's oauth_initiator.do for the credential in a browser
    /// ($BROWSER is honoured) that must be signed in to ServiceNow, then polls
    /// until ServiceNow stores a token newer than the start of this command:
    /// a refresh token for authorization code (after consent at Atlassian),
    /// an access token for client credentials (the proof that the client
    /// secret ServiceNow stored works).
    Consent(ServicenowConsentArgs),
    /// Sign in to an instance once and keep the login (checked first) in the keyring.
    ///
    /// With --oauth-client-id: a browser sign-in (SSO, MFA) through an inbound
    /// OAuth client of the instance, authorization code with PKCE on a
    /// loopback redirect; its refresh token is kept and later commands renew
    /// it silently. Without: a user and password, for instances that allow
    /// basic auth. `--store file` keeps it in the plaintext file store instead.
    #[command(after_help = "\
Examples:
  jira-spoke servicenow login --instance acme --oauth-client-id 9f2c…   # browser
  jira-spoke servicenow login --instance acme --servicenow-user admin   # password")]
    Login(ServicenowLoginArgs),
    /// Delete what `apply` made on the instance for this connection and its Jira site.
    ///
    /// Shows the plan, then deletes dependents first: the connection, the
    /// credential, the profile's scope links, the default profile, the scopes,
    /// the registry, and a child alias made for the site once nothing else
    /// uses it. Never the spoke's own alias, never a record that serves another
    /// Jira site or that jira-spoke did not make.
    #[command(after_help = "\
Examples:
  jira-spoke -c second servicenow remove --dry-run
  jira-spoke -c second servicenow remove --json")]
    Remove(ServicenowRemoveArgs),
    /// Forget the ServiceNow login kept for an instance (in every store).
    Logout(ServicenowLogoutArgs),
}

#[derive(Debug, Args)]
pub struct ServicenowLogoutArgs {
    /// The ServiceNow instance: `acme`, `acme.service-now.com` or its URL.
    /// Default: the instance the connection was applied to.
    #[arg(long, env = env::SERVICENOW_INSTANCE, value_name = "INSTANCE")]
    pub instance: Option<String>,
}

/// Where and as whom `servicenow` commands work.
#[derive(Debug, Args)]
pub struct ServicenowArgs {
    /// The ServiceNow instance: `acme`, `acme.service-now.com` or its URL.
    /// Default: the instance the connection was applied to; else asked at a
    /// terminal.
    #[arg(long, env = env::SERVICENOW_INSTANCE, value_name = "INSTANCE")]
    pub instance: Option<String>,
    /// The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD,
    /// --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`.
    #[arg(long, env = env::SERVICENOW_USER, value_name = "USER")]
    pub servicenow_user: Option<String>,
    /// Read the ServiceNow password from the first line of stdin.
    #[arg(long)]
    pub servicenow_password_stdin: bool,
    /// Put the connection under this existing alias or child alias (its ID, e.g. one made in
    /// Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias
    /// of it made for each other site.
    #[arg(long, value_name = "ID")]
    pub alias: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServicenowLoginArgs {
    #[command(flatten)]
    pub target: ServicenowArgs,
    /// Sign in through a browser with this inbound OAuth client of the
    /// instance (System OAuth → Application Registry). Its secret, if it has
    /// one: JIRA_SPOKE_SERVICENOW_CLIENT_SECRET or a hidden prompt.
    #[arg(long, value_name = "ID")]
    pub oauth_client_id: Option<String>,
    /// The loopback Redirect URL registered on that OAuth client.
    #[arg(long, value_name = "URL", default_value = SERVICENOW_REDIRECT_URI, requires = "oauth_client_id")]
    pub redirect_uri: String,
    /// Do not open a browser: print the sign-in URL and take the final address pasted back.
    #[arg(long, requires = "oauth_client_id")]
    pub no_browser: bool,
}

/// The default Redirect URL of `servicenow login --oauth-client-id`: a fixed
/// loopback port, apart from `connect`'s, so both can be registered.
pub const SERVICENOW_REDIRECT_URI: &str = "http://localhost:8766/callback";

#[derive(Debug, Args)]
pub struct ServicenowRemoveArgs {
    #[command(flatten)]
    pub target: ServicenowArgs,
    /// List what would be deleted and delete nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ServicenowApplyArgs {
    #[command(flatten)]
    pub target: ServicenowArgs,
    /// Print the plan (create / update field: old → new / unchanged) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the client secret (or API token) again on records that exist,
    /// e.g. after rotating it; secrets are never read back, so this is the only way to push a new one.
    #[arg(long)]
    pub write_secrets: bool,
}

#[derive(Debug, Args)]
pub struct ServicenowConsentArgs {
    #[command(flatten)]
    pub target: ServicenowArgs,
    /// Do not open a browser: print the URL to open.
    #[arg(long)]
    pub no_browser: bool,
    /// Seconds to wait for ServiceNow's token.
    #[arg(long, value_name = "SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub wait: u64,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Verify every stored connection (concurrently): one line for each that
    /// passed, every check and hint for each that failed (one line for one
    /// that failed just as an earlier one did), and a last line naming the
    /// ones that failed (`verify -c NAME` or `--json` shows every check of
    /// each).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct CloudIdArgs {
    /// The site: `acme`, `acme.atlassian.net`, `https://acme.atlassian.net/…`,
    /// an admin.atlassian.com/s/<cloud-id>/… URL, or a Cloud ID.
    #[arg(value_name = "SITE")]
    pub site: String,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Connection to remove (default: the one named by --connection).
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct UseArgs {
    /// The stored connection that becomes the default.
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ScopesArgs {
    /// Show the set for this grant: authorization-code adds `offline_access`.
    #[arg(long, value_enum, default_value_t = Grant::AuthorizationCode)]
    pub grant: Grant,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}
