//! Every `JIRA_SPOKE_*` environment variable, named once.
//!
//! clap reads most of them through `#[arg(env = …)]`; the rest are read in
//! [`crate::settings`], and the secrets by [`crate::ui::secret_input`] (their
//! names from here), which reads them only when no flag says otherwise.
//! The terminal's own variables are read where what they decide is:
//! `NO_COLOR` and `FORCE_COLOR` (named here too) in [`crate::output`],
//! `BROWSER`, `DISPLAY`, `WAYLAND_DISPLAY`, `SSH_CONNECTION` and
//! `WSL_DISTRO_NAME` in [`crate::ui::browser_unlikely`]. Nothing else reads
//! the environment.

/// Name of the connection to act on (`--connection`).
pub(crate) const CONNECTION: &str = "JIRA_SPOKE_CONNECTION";
/// Directory that holds `config.toml` (and the plaintext `file` store, when chosen).
pub(crate) const CONFIG_DIR: &str = "JIRA_SPOKE_CONFIG_DIR";
/// Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token`).
pub(crate) const AUTH_URL: &str = "JIRA_SPOKE_AUTH_URL";
/// Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`).
pub(crate) const API_URL: &str = "JIRA_SPOKE_API_URL";
/// Where secrets are kept: `keyring` (default) or `file`.
pub(crate) const STORE: &str = "JIRA_SPOKE_STORE";
/// Keyring service name under which secrets are stored (default `jira-spoke`).
pub(crate) const KEYRING_SERVICE: &str = "JIRA_SPOKE_KEYRING_SERVICE";
/// Seconds to wait for any single HTTP request.
pub(crate) const TIMEOUT: &str = "JIRA_SPOKE_TIMEOUT";
/// A PEM file of certificate authorities to trust besides the built-in ones (`--ca-file`).
pub(crate) const CA_FILE: &str = "JIRA_SPOKE_CA_FILE";
/// OAuth client ID, for `connect` (not secret; a flag works too).
pub(crate) const CLIENT_ID: &str = "JIRA_SPOKE_CLIENT_ID";
/// OAuth client secret, for `connect` (never taken from argv).
pub(crate) const CLIENT_SECRET: &str = "JIRA_SPOKE_CLIENT_SECRET";
/// Atlassian API token for basic auth, for `connect --grant api-token`.
pub(crate) const API_TOKEN: &str = "JIRA_SPOKE_API_TOKEN";
/// Standard: any non-empty value turns colour off.
pub(crate) const NO_COLOR: &str = "NO_COLOR";
/// Standard: any non-empty value turns colour on when `NO_COLOR` is unset.
pub(crate) const FORCE_COLOR: &str = "FORCE_COLOR";
/// The ServiceNow instance for `servicenow …` (`--instance`).
pub(crate) const SERVICENOW_INSTANCE: &str = "JIRA_SPOKE_SERVICENOW_INSTANCE";
/// The ServiceNow user `servicenow …` signs in as (`--servicenow-user`).
pub(crate) const SERVICENOW_USER: &str = "JIRA_SPOKE_SERVICENOW_USER";
/// That user's password (never taken from argv).
pub(crate) const SERVICENOW_PASSWORD: &str = "JIRA_SPOKE_SERVICENOW_PASSWORD";
/// An OAuth bearer token for the ServiceNow instance, used as is (first in
/// the sign-in order; never taken from argv).
pub(crate) const SERVICENOW_TOKEN: &str = "JIRA_SPOKE_SERVICENOW_TOKEN";
/// The client ID of an inbound OAuth client on the instance: with
/// [`SERVICENOW_CLIENT_SECRET`], client credentials at `oauth_token.do` (CI);
/// for `servicenow login --oauth-client-id`, the secret of that client.
pub(crate) const SERVICENOW_CLIENT_ID: &str = "JIRA_SPOKE_SERVICENOW_CLIENT_ID";
/// That OAuth client's secret (never taken from argv).
pub(crate) const SERVICENOW_CLIENT_SECRET: &str = "JIRA_SPOKE_SERVICENOW_CLIENT_SECRET";
