//! Signing in to ServiceNow: the order of the ways in, and the logins
//! `servicenow login` keeps. The order, first that applies wins:
//! 1. `JIRA_SPOKE_SERVICENOW_TOKEN`: a bearer token, used as is;
//! 2. `JIRA_SPOKE_SERVICENOW_CLIENT_ID` + `_CLIENT_SECRET`: client
//!    credentials at the instance's `oauth_token.do` (CI);
//! 3. a user given for this run (`--servicenow-user` or
//!    `JIRA_SPOKE_SERVICENOW_USER`) with its password (explicit input wins
//!    over what is kept);
//! 4. the login kept for the instance: a browser login (refreshed silently)
//!    or a user and password, in whichever store it was kept;
//! 5. at a terminal, the user and password asked for (the callers').
//!
//! The wire is [`crate::servicenow::sign_in`]'s; prompting is the callers'.

use crate::error::{Error, Result};
use crate::http::Http;
use crate::secret::Secret;
use crate::servicenow::Instance;
use crate::servicenow::sign_in::{self, OAuthClient, SignIn, Via};
use crate::settings::{ServiceNowEnv, Settings};
use crate::store::{SecretRef, SecretStore, StoreKind, Stores};

/// A login kept for one instance.
pub(crate) enum Kept {
    /// A user and password (basic auth).
    Password { user: String, password: Secret },
    /// A browser sign-in's refresh token, and the OAuth client it came from.
    OAuth {
        client: OAuthClient,
        refresh_token: Secret,
    },
}

impl Kept {
    /// How the login is described: "`admin` (password)".
    pub(crate) fn describe(&self) -> String {
        match self {
            Kept::Password { user, .. } => format!("user `{user}` with its password"),
            Kept::OAuth { client, .. } => {
                format!("a browser sign-in through OAuth client `{}`", client.id)
            }
        }
    }
}

/// The store entries of an instance's kept login.
struct Refs {
    user: SecretRef,
    password: SecretRef,
    client_id: SecretRef,
    client_secret: SecretRef,
    refresh_token: SecretRef,
}

impl Refs {
    fn of(settings: &Settings, instance: &Instance) -> Refs {
        let account = |what: &str| SecretRef {
            service: settings.keyring_service.clone(),
            account: format!("servicenow@{}:{what}", instance.host()),
        };
        Refs {
            user: account("user"),
            password: account("password"),
            client_id: account("client_id"),
            client_secret: account("client_secret"),
            refresh_token: account("refresh_token"),
        }
    }

    fn all(&self) -> [&SecretRef; 5] {
        [
            &self.user,
            &self.password,
            &self.client_id,
            &self.client_secret,
            &self.refresh_token,
        ]
    }
}

/// The login kept for `instance` in `store`, if any. `Err` carries why the
/// store could not be read, for a hint.
pub(crate) fn read_kept(
    settings: &Settings,
    store: &dyn SecretStore,
    instance: &Instance,
) -> std::result::Result<Option<Kept>, String> {
    let refs = Refs::of(settings, instance);
    let read = |r: &SecretRef| store.get(r).map_err(|e| e.to_string());
    if let (Some(id), Some(refresh_token)) = (read(&refs.client_id)?, read(&refs.refresh_token)?) {
        return Ok(Some(Kept::OAuth {
            client: OAuthClient {
                id: id.expose().to_owned(),
                secret: read(&refs.client_secret)?,
            },
            refresh_token,
        }));
    }
    match (read(&refs.user)?, read(&refs.password)?) {
        (Some(user), Some(password)) => Ok(Some(Kept::Password {
            user: user.expose().to_owned(),
            password,
        })),
        _ => Ok(None),
    }
}

/// Keeps `login` for `instance` in `store`, in place of any login kept there.
pub(crate) fn keep(
    settings: &Settings,
    store: &dyn SecretStore,
    instance: &Instance,
    login: &Kept,
) -> Result<()> {
    let refs = Refs::of(settings, instance);
    let mut keep: Vec<(&SecretRef, Secret)> = Vec::new();
    match login {
        Kept::Password { user, password } => {
            keep.push((&refs.user, Secret::new(user.clone())));
            keep.push((&refs.password, password.clone()));
        }
        Kept::OAuth {
            client,
            refresh_token,
        } => {
            keep.push((&refs.client_id, Secret::new(client.id.clone())));
            if let Some(secret) = &client.secret {
                keep.push((&refs.client_secret, secret.clone()));
            }
            keep.push((&refs.refresh_token, refresh_token.clone()));
        }
    }
    for (r, value) in &keep {
        store.set(r, value)?;
    }
    // NOTE: the other kind's entries go after the new ones are in, so a
    // failure leaves a login either way.
    for r in refs.all() {
        if !keep.iter().any(|(k, _)| *k == r) {
            store.delete(r)?;
        }
    }
    Ok(())
}

/// Forgets the login kept for `instance` in `store`; true if there was one.
pub(crate) fn forget(
    settings: &Settings,
    store: &dyn SecretStore,
    instance: &Instance,
) -> Result<bool> {
    let refs = Refs::of(settings, instance);
    let mut removed = false;
    for r in refs.all() {
        removed |= store.delete(r)?;
    }
    Ok(removed)
}

/// The stores a kept login is looked for in: the one chosen (`--store`),
/// else the keyring, then the file store.
pub(crate) fn login_stores(settings: &Settings) -> Vec<StoreKind> {
    match settings.store {
        Some(kind) => vec![kind],
        None => vec![StoreKind::Keyring, StoreKind::File],
    }
}

/// The login kept for `instance` and the store that holds it. Stores that
/// cannot be read are passed over; why is returned when none had a login.
pub(crate) fn find_kept(
    settings: &Settings,
    stores: &Stores,
    instance: &Instance,
) -> std::result::Result<Option<(Kept, StoreKind)>, String> {
    let mut why = Vec::new();
    for kind in login_stores(settings) {
        let store = stores.open(kind);
        match read_kept(settings, store.as_ref(), instance) {
            Ok(Some(kept)) => return Ok(Some((kept, kind))),
            Ok(None) => {}
            Err(e) => why.push(format!("the {kind} store: {e}")),
        }
    }
    if why.is_empty() {
        Ok(None)
    } else {
        Err(why.join("; "))
    }
}

/// Steps 1 and 2 of the order: a sign-in the environment gives, if any.
pub(crate) async fn from_env(
    env: &ServiceNowEnv,
    http: &Http,
    instance: &Instance,
) -> Result<Option<SignIn>> {
    if let Some(token) = &env.token {
        return Ok(Some(SignIn::Bearer {
            token: token.clone(),
            via: Via::TokenEnv,
        }));
    }
    match (&env.client_id, &env.client_secret) {
        (Some(id), Some(secret)) => {
            let client = OAuthClient {
                id: id.clone(),
                secret: Some(secret.clone()),
            };
            let tokens =
                sign_in::client_credentials(http, instance, &client, Via::ClientCredentialsEnv)
                    .await?;
            Ok(Some(SignIn::Bearer {
                token: tokens.access_token,
                via: Via::ClientCredentialsEnv,
            }))
        }
        // NOTE: the secret alone is also `servicenow login`'s for a
        // browser sign-in; only an ID without a secret is a mistake here.
        (Some(_), None) => Err(Error::usage(
            format!(
                "{} is set without {}",
                crate::env::SERVICENOW_CLIENT_ID,
                crate::env::SERVICENOW_CLIENT_SECRET
            ),
            format!(
                "set {} too (client credentials of an inbound OAuth client), or unset {}",
                crate::env::SERVICENOW_CLIENT_SECRET,
                crate::env::SERVICENOW_CLIENT_ID
            ),
        )),
        _ => Ok(None),
    }
}

/// Step 4: the kept login as a sign-in. A browser login is refreshed at the
/// instance's token endpoint; a new refresh token it returns is kept.
pub(crate) async fn from_kept(
    settings: &Settings,
    stores: &Stores,
    http: &Http,
    instance: &Instance,
) -> std::result::Result<Option<SignIn>, KeptError> {
    let (kept, kind) = match find_kept(settings, stores, instance) {
        Ok(Some(found)) => found,
        Ok(None) => return Ok(None),
        Err(why) => return Err(KeptError::Unreadable(why)),
    };
    match kept {
        Kept::Password { user, password } => Ok(Some(SignIn::Basic {
            user,
            password,
            via: Via::KeptPassword,
        })),
        Kept::OAuth {
            client,
            refresh_token,
        } => {
            let tokens = sign_in::refresh(http, instance, &client, &refresh_token)
                .await
                .map_err(KeptError::Failed)?;
            if let Some(rotated) = tokens
                .refresh_token
                .filter(|t| t.expose() != refresh_token.expose())
            {
                let store = stores.open(kind);
                let refs = Refs::of(settings, instance);
                store
                    .set(&refs.refresh_token, &rotated)
                    .map_err(KeptError::Failed)?;
            }
            Ok(Some(SignIn::Bearer {
                token: tokens.access_token,
                via: Via::KeptOAuth,
            }))
        }
    }
}

/// Why a kept login gave no sign-in.
pub(crate) enum KeptError {
    /// No store could be read; the callers go on to ask, naming why.
    Unreadable(String),
    /// The login was there and failed (an expired browser login).
    Failed(Error),
}

/// The error for "no way to sign in was given", naming every way.
pub(crate) fn no_sign_in(instance: &Instance, why: &str) -> Error {
    Error::usage(
        format!("no way to sign in to ServiceNow at {instance} was given{why}"),
        format!(
            "keep a login with `jira-spoke servicenow login --instance {}` (add --oauth-client-id ID for a \
             browser sign-in with SSO or MFA), or set {} (and {}), or for CI {} and {}, or {}",
            instance.arg(),
            crate::env::SERVICENOW_USER,
            crate::env::SERVICENOW_PASSWORD,
            crate::env::SERVICENOW_CLIENT_ID,
            crate::env::SERVICENOW_CLIENT_SECRET,
            crate::env::SERVICENOW_TOKEN,
        ),
    )
}
