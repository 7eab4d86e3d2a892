//! Asks the instance, before writing, whether it has every table, column and
//! choice value jira-spoke writes (`sys_dictionary`, `sys_choice`). Several
//! of them are known only from third-party sources (the Refresh Token URL
//! column, `extended_attributes`, the `oauth_provider` type value), so they
//! are checked rather than assumed, and a gap is reported by name.

use super::client::{Query, TableApi, Tables};
use super::records::{
    ACCESS_TOKEN_TYPE, AUTHORIZATION_CODE, CLIENT_CREDENTIALS, PROVIDER_TYPE, REFRESH_TOKEN_TYPE,
    columns, table,
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

/// The columns jira-spoke reads or writes, per table chain: what it reads
/// ([`records::columns`](mod@super::records::columns)), and the secret columns it writes.
fn columns(grant: Grant) -> Vec<(Chain, Vec<&'static str>)> {
    let with = |read: &[&'static str], written: &[&'static str]| {
        read.iter().chain(written).copied().collect::<Vec<_>>()
    };
    let mut list = vec![
        (ALIAS, columns::ALIAS.to_vec()),
        (CONNECTION, columns::CONNECTION.to_vec()),
    ];
    if grant == Grant::ApiToken {
        list.push((
            BASIC_CREDENTIAL,
            with(columns::BASIC_CREDENTIAL, &["password"]),
        ));
        return list;
    }
    list.extend([
        (REGISTRY, with(columns::REGISTRY, &["client_secret"])),
        (SCOPE, columns::SCOPE.to_vec()),
        (PROFILE, columns::PROFILE.to_vec()),
        (PROFILE_SCOPE, columns::LINK.to_vec()),
        (OAUTH_CREDENTIAL, columns::OAUTH_CREDENTIAL.to_vec()),
        // "Get OAuth Token" leaves a token row for either grant: the proof.
        (REQUESTOR_PROFILE, columns::REQUESTOR_PROFILE.to_vec()),
        (TOKEN, columns::TOKEN.to_vec()),
    ]);
    list
}

/// Columns jira-spoke can do without: a registry on an instance that lacks
/// them is written without them (noted), and never counts as drift.
pub(crate) const OPTIONAL_COLUMNS: &[(&str, &str)] = &[
    (table::REGISTRY, "refresh_token_url"),
    (table::REGISTRY, "revoke_token_url"),
    (table::CONNECTION, "extended_attributes"),
];

/// The columns that hold secrets: written only when the dictionary says
/// they are `password2` (encrypted), never as plain text.
const SECRET_COLUMNS: &[(&str, &str)] = &[
    (table::REGISTRY, "client_secret"),
    (table::BASIC_CREDENTIAL, "password"),
];

/// The internal types `extended_attributes` is written as text in.
const TEXT_TYPES: &[&str] = &["string", "json", "translated_text", "multi_two_lines"];

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
    let token_type = if grant == Grant::AuthorizationCode {
        REFRESH_TOKEN_TYPE
    } else {
        ACCESS_TOKEN_TYPE
    };
    list.push((TOKEN, "type", token_type));
    list
}

/// What the instance said about its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Schema {
    /// Everything needed is there.
    Complete {
        /// Optional columns the instance lacks (`column oauth_entity.revoke_token_url`).
        skipped: Vec<String>,
        /// `extended_attributes` takes text, so the spoke's attributes can be written.
        attributes: bool,
    },
    /// These are missing, by name (`column oauth_entity.refresh_token_url`).
    Missing(Vec<String>),
    /// The account may not read the dictionary; nothing was checked.
    Unreadable(String),
}

/// Checks the instance's dictionary and choice lists for what `grant` needs.
pub(crate) async fn check(api: &TableApi, grant: Grant) -> Result<Schema> {
    let columns = columns(grant);
    let choices = choices(grant);
    let tables = unique(columns.iter().flat_map(|(chain, _)| chain.iter().copied()));
    let elements = unique(columns.iter().flat_map(|(_, cols)| cols.iter().copied()));
    let query = Query::default()
        .and_in("name", &tables)
        .and_in("element", &elements);
    let choice_tables = unique(
        choices
            .iter()
            .flat_map(|(chain, _, _)| chain.iter().copied()),
    );
    let choice_columns = unique(choices.iter().map(|(_, column, _)| *column));
    let choice_query = Query::default()
        .and_in("name", &choice_tables)
        .and_in("element", &choice_columns);
    // NOTE: the two reads do not depend on each other: sent together.
    let (dictionary, choice_rows) = tokio::join!(
        api.find("sys_dictionary", &query, &["internal_type"]),
        async {
            if choices.is_empty() {
                Ok(Vec::new())
            } else {
                api.find("sys_choice", &choice_query, &["value", "inactive"])
                    .await
            }
        }
    );
    let rows = match dictionary {
        Ok(rows) => rows,
        Err(Error::ServiceNowForbidden { .. }) => {
            return Ok(Schema::Unreadable(format!(
                "{} may not read sys_dictionary, so the instance's columns were not checked",
                api.who()
            )));
        }
        Err(e) => return Err(e),
    };
    // NOTE: row-level ACLs answer 200 with no rows rather than 403: an
    // instance has every one of these tables, so no rows at all means the
    // account cannot read them, never that the instance lacks them all.
    if rows.is_empty() {
        return Ok(Schema::Unreadable(format!(
            "{} read no rows of sys_dictionary (an ACL filters them), so the instance's columns were not checked",
            api.who()
        )));
    }
    let has = |chain: Chain, column: &str| {
        rows.iter().any(|r| {
            r.get("element") == Some(column) && chain.contains(&r.get("name").unwrap_or_default())
        })
    };
    let type_of = |chain: Chain, column: &str| {
        rows.iter()
            .find(|r| {
                r.get("element") == Some(column)
                    && chain.contains(&r.get("name").unwrap_or_default())
            })
            .and_then(|r| r.get("internal_type"))
            .map(str::to_owned)
    };
    let optional = |table: &str, column: &str| OPTIONAL_COLUMNS.contains(&(table, column));
    let mut missing = Vec::new();
    let mut skipped = Vec::new();
    for (chain, cols) in &columns {
        let absent: Vec<&str> = cols.iter().copied().filter(|c| !has(chain, c)).collect();
        if absent.len() == cols.len() {
            missing.push(format!("table {}", chain[0]));
            continue;
        }
        for c in absent {
            let name = format!("column {}.{c}", chain[0]);
            if optional(chain[0], c) {
                skipped.push(name);
            } else {
                missing.push(name);
            }
        }
        for c in cols
            .iter()
            .filter(|c| SECRET_COLUMNS.contains(&(chain[0], **c)))
        {
            match type_of(chain, c) {
                Some(t) if t != "password2" => missing.push(format!(
                    "column {}.{c} as an encrypted password2 column (it is `{t}`, so a secret would be stored as plain text)",
                    chain[0]
                )),
                _ => {}
            }
        }
    }
    let attributes = type_of(CONNECTION, "extended_attributes")
        .is_some_and(|t| TEXT_TYPES.contains(&t.as_str()));
    let finish = |missing: Vec<String>| {
        if missing.is_empty() {
            Schema::Complete {
                skipped: skipped.clone(),
                attributes,
            }
        } else {
            Schema::Missing(missing)
        }
    };
    if choices.is_empty() {
        return Ok(finish(missing));
    }
    let rows = match choice_rows {
        Ok(rows) => rows,
        Err(Error::ServiceNowForbidden { .. }) => {
            return Ok(Schema::Unreadable(format!(
                "{} may not read sys_choice, so the instance's choice values were not checked",
                api.who()
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
        assert!(cc.contains(&"oauth_credential.type".to_owned()));
        assert!(choices(Grant::ClientCredentials).contains(&(TOKEN, "type", "access_token")));
        let basic = cols(Grant::ApiToken);
        assert!(basic.contains(&"basic_auth_credentials.password".to_owned()));
        assert!(!basic.iter().any(|c| c.starts_with("oauth_entity")));
        assert!(choices(Grant::ApiToken).is_empty());
        assert!(choices(Grant::ClientCredentials).contains(&(REGISTRY, "type", "oauth_provider")));
    }
}
