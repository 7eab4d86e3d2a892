//! `connect --grant client-credentials`: a service account's OAuth 2.0
//! credential (admin.atlassian.com → Directory → Service accounts). No browser
//! and no refresh token: a new access token is exchanged when one expires.

use crate::atlassian::oauth::{self, Client};
use crate::error::Result;
use crate::http::{Http, safe_url};
use crate::secret::Secret;
use crate::ui::spinner::Spinner;

use super::{ConnectPlan, Proven, oauth_connection, prove_oauth, resolve_cloud_id};

/// Resolves the Cloud ID, exchanges the credentials, and proves the token on `/myself`.
pub(crate) async fn connect(
    plan: &ConnectPlan,
    http: &Http,
    client_secret: Secret,
    spin: bool,
) -> Result<Proven> {
    let cloud_id = {
        let _s = Spinner::start("Looking up the Cloud ID", spin && plan.cloud_id.is_none());
        resolve_cloud_id(http, plan).await?
    };
    let client = Client {
        id: plan.client_id.clone().unwrap_or_default(),
        secret: client_secret,
    };
    let tokens = {
        let _s = Spinner::start(
            format!(
                "Exchanging client credentials at {}",
                safe_url(&plan.oauth.token_url)
            ),
            spin,
        );
        oauth::exchange_client_credentials(http, &plan.oauth, &client, &plan.scopes).await?
    };
    let connection = oauth_connection(plan, cloud_id, plan.site.clone());
    prove_oauth(plan, http, connection, client, tokens, &[], spin).await
}
