//! Talking to ServiceNow: the second remote, next to [`crate::atlassian`].
//!
//! jira-spoke gets the Atlassian side of a Jira spoke right; this module
//! creates and checks the ServiceNow side through the Table API — the records
//! of ServiceNow's "Set up the Jira spoke for Jira Cloud":
//! - [`instance`]: the instance as the admin names it, and its URLs;
//! - [`client`]: the Table API (auth, lookups that re-check what the instance
//!   returns, paging, retries, error bodies → [`crate::error::Error`]);
//! - [`records`]: the records wanted for a stored connection;
//! - [`dictionary`]: whether the instance has the columns and choice values;
//! - [`plan`] and [`reconcile`]: wanted vs found, per record, and the writes;
//! - [`sign_in`]: basic auth or a token from the instance's OAuth server;
//! - [`tokens`]: the tokens "Get OAuth Token" leaves behind.
//!
//! Like [`crate::atlassian`], nothing here prompts or prints.

pub(crate) mod client;
pub(crate) mod dictionary;
pub(crate) mod instance;
pub(crate) mod plan;
pub(crate) mod reconcile;
pub(crate) mod records;
pub(crate) mod sign_in;
pub(crate) mod tokens;

pub(crate) use client::TableApi;
pub(crate) use instance::Instance;
pub(crate) use sign_in::SignIn;

/// The role that grants access to `table`, for hints: ServiceNow's docs put
/// the registry under oauth_admin, connections and aliases under
/// connection_admin and credentials under credential_admin; admin has all.
pub(crate) fn role_for(table: &str) -> &'static str {
    if table.starts_with("oauth_") {
        "oauth_admin"
    } else if table.ends_with("_credentials") {
        "credential_admin"
    } else if table.ends_with("_connection") || table == records::table::ALIAS {
        "connection_admin"
    } else {
        "admin"
    }
}
