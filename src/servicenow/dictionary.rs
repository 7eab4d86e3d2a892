//! Asks the instance, before writing, whether it has every table, column and
//! choice value jira-spoke writes (`sys_dictionary`, `sys_choice`). Several
//! of them are known only from third-party sources (the Refresh Token URL
//! column, `extended_attributes`, the `oauth_provider` type value), so they
//! are checked rather than assumed, and a gap is reported by name.

use super::client::{Query, TableApi};
use super::records::{
    AUTHORIZATION_CODE, CLIENT_CREDENTIALS, PROVIDER_TYPE, REFRESH_TOKEN_TYPE, table,
};
use crate::error::{Error, Result};
use crate::store::Grant;

/// A table and the tables it extends, where its columns may be defined.
type Chain = &'static [&'static str];

const REGISTRY: Chain = &[table::REGISTRY];
const SCOPE: Chain = &[table::SCOPE];
const PROFILE: Chain = &[table::PROFILE];
const PROFILE_SCOPE: Chain = &[table::PROFILE_SCOPE];
const OAUTH_CREDENTIAL: Chain = &[table::OAUTH_CREDENTIAL, "discovery_credentials"];
const BASIC_CREDENTIAL: Chain = &[table::BASIC_CREDENTIAL, "discovery_credentials"];
const CONNECTION: Chain = &[table::CONNECTION, "sys_connection"];
const ALIAS: Chain = &[table::ALIAS];
const REQUESTOR_PROFILE: Chain = &[table::REQUESTOR_PROFILE];
const TOKEN: Chain = &[table::TOKEN];

/// The columns jira-spoke reads or writes, per table chain.
fn columns(grant: Grant) -> Vec<(Chain, &'static [&'static str])> {
    let mut list: Vec<(Chain, &'static [&'static str])> = vec![
        (ALIAS, &["id", "name", "multiple_connections"]),
        (
            CONNECTION,
            &[
                "name",
                "connection_alias",
                "credential",
                "connection_url",
                "active",
                "extended_attributes",
            ],
        ),
    ];
    if grant == Grant::ApiToken {
        list.push((
            BASIC_CREDENTIAL,
            &["name", "user_name", "password", "active"],
        ));
        return list;
    }
    list.extend([
        (
            REGISTRY,
            &[
                "name",
                "type",
                "client_id",
                "client_secret",
                "default_grant_type",
                "auth_url",
                "token_url",
                "refresh_token_url",
                "revoke_token_url",
                "active",
                "redirect_url",
            ][..],
        ),
        (SCOPE, &["name", "oauth_entity_scope", "oauth_entity"][..]),
        (
            PROFILE,
            &["name", "oauth_entity", "grant_type", "default"][..],
        ),
        (
            PROFILE_SCOPE,
            &["oauth_entity_profile", "oauth_entity_scope"][..],
        ),
        (
            OAUTH_CREDENTIAL,
            &["name", "oauth_entity_profile", "active"][..],
        ),
    ]);
    if grant == Grant::AuthorizationCode {
        list.push((REQUESTOR_PROFILE, &["requestor_id", "oauth_entity_profile"]));
        list.push((TOKEN, &["type", "expires", "oauth_requestor_profile"]));
    }
    list
}

/// The stored choice values jira-spoke writes or looks for.
fn choices(grant: Grant) -> Vec<(Chain, &'static str, &'static str)> {
    let value = match grant {
        Grant::ApiToken => return Vec::new(),
        Grant::AuthorizationCode => AUTHORIZATION_CODE.value,
        Grant::ClientCredentials => CLIENT_CREDENTIALS.value,
    };
    let mut list = vec![
        (REGISTRY, "type", PROVIDER_TYPE),
        (REGISTRY, "default_grant_type", value),
        (PROFILE, "grant_type", value),
    ];
    if grant == Grant::AuthorizationCode {
        list.push((TOKEN, "type", REFRESH_TOKEN_TYPE));
    }
    list
}

/// What the instance said about its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schema {
    /// Everything is there.
    Complete,
    /// These are missing, by name (`column oauth_entity.refresh_token_url`).
    Missing(Vec<String>),
    /// The account may not read the dictionary; nothing was checked.
    Unreadable(String),
}

impl Schema {
    /// An error for what is missing; `Complete` and `Unreadable` pass.
    pub fn require(self, instance: &str) -> Result<Schema> {
        match self {
            Schema::Missing(missing) => Err(Error::ServiceNowLacks {
                instance: instance.to_owned(),
                missing,
            }),
            other => Ok(other),
        }
    }
}

/// Checks the instance's dictionary and choice lists for what `grant` needs.
pub async fn check(api: &TableApi, grant: Grant) -> Result<Schema> {
    let columns = columns(grant);
    let choices = choices(grant);
    let tables = unique(columns.iter().flat_map(|(chain, _)| chain.iter().copied()));
    let elements = unique(columns.iter().flat_map(|(_, cols)| cols.iter().copied()));
    let query = Query::default()
        .and_in("name", &tables)
        .and_in("element", &elements);
    let rows = match api.find("sys_dictionary", &query, &["internal_type"]).await {
        Ok(rows) => rows,
        Err(Error::ServiceNowForbidden { .. }) => {
            return Ok(Schema::Unreadable(format!(
                "`{}` may not read sys_dictionary, so the instance's columns were not checked",
                api.user()
            )));
        }
        Err(e) => return Err(e),
    };
    let has = |chain: Chain, column: &str| {
        rows.iter().any(|r| {
            r.get("element") == Some(column) && chain.contains(&r.get("name").unwrap_or_default())
        })
    };
    let mut missing = Vec::new();
    for (chain, cols) in &columns {
        let absent: Vec<&str> = cols.iter().copied().filter(|c| !has(chain, c)).collect();
        if absent.len() == cols.len() {
            missing.push(format!("table {}", chain[0]));
        } else {
            missing.extend(absent.iter().map(|c| format!("column {}.{c}", chain[0])));
        }
    }
    if choices.is_empty() {
        return Ok(finish(missing));
    }
    let choice_tables = unique(
        choices
            .iter()
            .flat_map(|(chain, _, _)| chain.iter().copied()),
    );
    let choice_columns = unique(choices.iter().map(|(_, column, _)| *column));
    let query = Query::default()
        .and_in("name", &choice_tables)
        .and_in("element", &choice_columns);
    let rows = match api.find("sys_choice", &query, &["value", "inactive"]).await {
        Ok(rows) => rows,
        Err(Error::ServiceNowForbidden { .. }) => {
            return Ok(Schema::Unreadable(format!(
                "`{}` may not read sys_choice, so the instance's choice values were not checked",
                api.user()
            )));
        }
        Err(e) => return Err(e),
    };
    for (chain, column, value) in choices {
        let of_column: Vec<_> = rows
            .iter()
            .filter(|r| {
                r.get("element") == Some(column)
                    && chain.contains(&r.get("name").unwrap_or_default())
            })
            .collect();
        // NOTE: a column with no choice rows at all is not a choice list here;
        // only a list that lacks the value is a gap.
        let active = |r: &&&super::client::Record| r.get("inactive") != Some("true");
        if !of_column.is_empty()
            && !of_column
                .iter()
                .filter(active)
                .any(|r| r.get("value") == Some(value))
        {
            missing.push(format!("choice {}.{column} = {value}", chain[0]));
        }
    }
    Ok(finish(missing))
}

fn finish(missing: Vec<String>) -> Schema {
    if missing.is_empty() {
        Schema::Complete
    } else {
        Schema::Missing(missing)
    }
}

fn unique<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    for item in items {
        if !list.iter().any(|i| i == item) {
            list.push(item.to_owned());
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_grant_checks_what_it_writes() {
        let cols = |g| {
            columns(g)
                .iter()
                .flat_map(|(c, cols)| cols.iter().map(move |x| format!("{}.{x}", c[0])))
                .collect::<Vec<_>>()
        };
        let three_lo = cols(Grant::AuthorizationCode);
        assert!(three_lo.contains(&"oauth_entity.refresh_token_url".to_owned()));
        assert!(three_lo.contains(&"http_connection.extended_attributes".to_owned()));
        assert!(three_lo.contains(&"oauth_credential.expires".to_owned()));
        let cc = cols(Grant::ClientCredentials);
        assert!(!cc.iter().any(|c| c.starts_with("oauth_credential.")));
        let basic = cols(Grant::ApiToken);
        assert!(basic.contains(&"basic_auth_credentials.password".to_owned()));
        assert!(!basic.iter().any(|c| c.starts_with("oauth_entity")));
        assert!(choices(Grant::ApiToken).is_empty());
        assert!(choices(Grant::ClientCredentials).contains(&(REGISTRY, "type", "oauth_provider")));
    }
}
