//! The tokens ServiceNow keeps for an OAuth 2.0 credential after "Get OAuth
//! Token": rows of `oauth_credential` reached through the credential's
//! `oauth_requestor_profile` — a refresh token for authorization code, an
//! access token for client credentials (which get no refresh token). Only a
//! row's type, expiry and update time are read; the `token` column never is.

use super::client::{Query, TableApi, Tables};
use super::records::{ACCESS_TOKEN_TYPE, REFRESH_TOKEN_TYPE, table};
use crate::error::Result;
use crate::store::Grant;

/// A stored token (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredToken {
    pub sys_id: String,
    /// Unix seconds; `None` when the instance records no expiry.
    pub expires: Option<u64>,
    /// `sys_updated_on` as the instance wrote it: a new consent changes it.
    pub updated: String,
}

impl StoredToken {
    /// True while it has not expired at `now`.
    pub(crate) fn valid(&self, now: u64) -> bool {
        self.expires.is_none_or(|e| e > now)
    }
}

/// The `oauth_credential.type` "Get OAuth Token" leaves for `grant`: what
/// proves that ServiceNow can sign in to Atlassian with what it stored.
pub(crate) fn proof_type(grant: Grant) -> &'static str {
    match grant {
        Grant::ClientCredentials => ACCESS_TOKEN_TYPE,
        Grant::AuthorizationCode | Grant::ApiToken => REFRESH_TOKEN_TYPE,
    }
}

/// The tokens of `kind` (`refresh_token`, `access_token`) stored for
/// `credential` used with `profile`.
pub(crate) async fn stored_tokens(
    api: &TableApi,
    credential: &str,
    profile: &str,
    kind: &str,
) -> Result<Vec<StoredToken>> {
    // NOTE: one round trip: the requestor profile is dot-walked.
    let rows = api
        .find(
            table::TOKEN,
            &Query::eq("type", kind)
                .and("oauth_requestor_profile.requestor_id", credential)
                .and("oauth_requestor_profile.oauth_entity_profile", profile),
            &["expires", "sys_updated_on"],
        )
        .await?;
    Ok(rows.iter().map(stored).collect())
}

/// The tokens of `kind` stored for any credential on the registries named
/// `names` (dot-walked: read together with the lookups that find the
/// credential and profile, and picked from with [`RegistryTokens::of`]).
pub(crate) async fn registry_tokens(
    api: &TableApi,
    names: &[String],
    kind: &str,
) -> Result<RegistryTokens> {
    const REQUESTOR: &str = "oauth_requestor_profile.requestor_id";
    const PROFILE: &str = "oauth_requestor_profile.oauth_entity_profile";
    let rows = api
        .find(
            table::TOKEN,
            &Query::eq("type", kind).and_in(
                "oauth_requestor_profile.oauth_entity_profile.oauth_entity.name",
                names,
            ),
            &["expires", "sys_updated_on", REQUESTOR, PROFILE],
        )
        .await?;
    Ok(RegistryTokens(
        rows.iter()
            .map(|r| {
                (
                    stored(r),
                    r.get(REQUESTOR).unwrap_or_default().to_owned(),
                    r.get(PROFILE).unwrap_or_default().to_owned(),
                )
            })
            .collect(),
    ))
}

/// What [`registry_tokens`] read: each token with its credential and profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct RegistryTokens(Vec<(StoredToken, String, String)>);

impl RegistryTokens {
    /// The tokens stored for `credential` used with `profile`.
    pub(crate) fn of(&self, credential: &str, profile: &str) -> Vec<StoredToken> {
        self.0
            .iter()
            .filter(|(_, c, p)| c == credential && p == profile)
            .map(|(t, _, _)| t.clone())
            .collect()
    }
}

fn stored(r: &super::client::Record) -> StoredToken {
    StoredToken {
        sys_id: r.sys_id().to_owned(),
        // NOTE: an expiry that cannot be read counts as expired, not as
        // none recorded.
        expires: r
            .get("expires")
            .filter(|e| !e.trim().is_empty())
            .map(|e| parse_glide_datetime(e).unwrap_or(0)),
        updated: r.get("sys_updated_on").unwrap_or_default().to_owned(),
    }
}

/// `2026-05-01 10:00:00` (the Table API's UTC date-time) → Unix seconds.
pub(crate) fn parse_glide_datetime(text: &str) -> Option<u64> {
    let (date, time) = text.trim().split_once(' ')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (h, min, s) = (t.next()??, t.next()??, t.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || min > 59 || s > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + min * 60 + s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glide_datetimes_are_utc_seconds() {
        assert_eq!(parse_glide_datetime("1970-01-01 00:00:00"), Some(0));
        assert_eq!(
            parse_glide_datetime("2000-03-01 00:00:01"),
            Some(951_868_801)
        );
        assert_eq!(
            parse_glide_datetime("2024-02-29 12:30:00"),
            Some(1_709_209_800)
        );
        assert_eq!(parse_glide_datetime(""), None);
        assert_eq!(parse_glide_datetime("2024-13-01 00:00:00"), None);
    }

    #[test]
    fn a_token_without_expiry_counts_as_valid() {
        let t = StoredToken {
            sys_id: "1".into(),
            expires: None,
            updated: String::new(),
        };
        assert!(t.valid(u64::MAX));
        let t = StoredToken {
            expires: Some(10),
            ..t
        };
        assert!(t.valid(9) && !t.valid(10));
    }
}
