//! Turns clap's raw [`GlobalArgs`] into checked [`Settings`]: endpoint URLs
//! parsed and held to the loopback rule, the connection name validated, the
//! config directory and keyring service chosen. Commands receive these plain
//! values and never read clap types or the environment themselves.

use std::path::PathBuf;
use std::time::Duration;

use crate::atlassian::Endpoints;
use crate::cli::GlobalArgs;
use crate::env;
use crate::error::{Error, Result};
use crate::store::config::FALLBACK_CONNECTION;
use crate::store::connection::{normalize_name, validate_name};
use crate::store::{ConfigFile, StoreKind};

/// Keyring service name under which secrets are stored by default.
pub const DEFAULT_KEYRING_SERVICE: &str = "jira-spoke";

/// Resolved settings shared by every command.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The connection to act on.
    pub connection: String,
    /// Atlassian endpoints.
    pub endpoints: Endpoints,
    /// The config file.
    pub config: ConfigFile,
    /// The store chosen on the command line or in the environment, if any.
    pub store: Option<StoreKind>,
    /// Keyring service name for new secrets.
    pub keyring_service: String,
    /// `--timeout`: the whole time one HTTP request may take, connecting,
    /// retries and `Retry-After` waits included.
    pub timeout: Duration,
    /// `--ca-file`: certificate authorities to trust besides the built-in ones.
    pub ca_file: Option<PathBuf>,
}

impl Settings {
    /// Validates the global arguments.
    pub fn resolve(args: &GlobalArgs) -> Result<Settings> {
        let config = ConfigFile::new(config_dir()?);
        let connection = match &args.connection {
            Some(name) => normalize_name(name),
            // NOTE: a config that cannot be read falls back to the plain
            // default here; the command that then reads it reports why.
            None => config
                .default_name()
                .unwrap_or_else(|_| FALLBACK_CONNECTION.to_owned()),
        };
        validate_name(&connection)?;
        let endpoints = Endpoints::from_overrides(Some(&args.auth_url), Some(&args.api_url))?;
        Ok(Settings {
            connection,
            endpoints,
            config,
            store: args.store,
            keyring_service: std::env::var(env::KEYRING_SERVICE)
                .ok()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_KEYRING_SERVICE.to_owned()),
            timeout: Duration::from_secs(args.timeout),
            ca_file: args.ca_file.clone(),
        })
    }
}

/// The ServiceNow instance and sign-in the environment names
/// (`JIRA_SPOKE_SERVICENOW_*`). The wizard asks for what is missing; the
/// `servicenow` commands read the instance and user through clap, the
/// token and OAuth client from here.
#[derive(Debug, Clone, Default)]
pub struct ServiceNowEnv {
    pub instance: Option<String>,
    pub user: Option<String>,
    pub password: Option<crate::secret::Secret>,
    /// `JIRA_SPOKE_SERVICENOW_TOKEN`: a bearer token, first in the sign-in order.
    pub token: Option<crate::secret::Secret>,
    /// `JIRA_SPOKE_SERVICENOW_CLIENT_ID`.
    pub client_id: Option<String>,
    /// `JIRA_SPOKE_SERVICENOW_CLIENT_SECRET`.
    pub client_secret: Option<crate::secret::Secret>,
}

impl ServiceNowEnv {
    /// Reads the variables; empty ones count as unset.
    pub fn from_env() -> ServiceNowEnv {
        let var = |name| {
            std::env::var(name)
                .ok()
                .filter(|v: &String| !v.trim().is_empty())
        };
        ServiceNowEnv {
            instance: var(env::SERVICENOW_INSTANCE),
            user: var(env::SERVICENOW_USER).map(|u| u.trim().to_owned()),
            password: var(env::SERVICENOW_PASSWORD).map(crate::secret::Secret::verbatim),
            token: var(env::SERVICENOW_TOKEN).map(|t| crate::secret::Secret::new(t.trim())),
            client_id: var(env::SERVICENOW_CLIENT_ID).map(|c| c.trim().to_owned()),
            client_secret: var(env::SERVICENOW_CLIENT_SECRET).map(crate::secret::Secret::new),
        }
    }
}

/// `JIRA_SPOKE_CONFIG_DIR`, else the platform's config directory for jira-spoke
/// (`~/.config/jira-spoke` on Linux).
fn config_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(env::CONFIG_DIR).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "jira-spoke")
        .map(|d| d.config_dir().to_owned())
        .ok_or(Error::NoConfigDir)
}
