//! The integration tests, in one binary (one link of hyper, reqwest and tokio
//! instead of one per file). Each module is a suite; `support` is what they share.

// Tests may print diagnostics; the rule is for the binary.
#![allow(clippy::disallowed_macros)]

mod support;

mod bad_input;
mod callback;
mod cli_basics;
mod cloud_id;
mod connect;
mod connections;
mod export;
mod fleet;
mod hostile;
mod injection;
mod jira_contract;
mod keyring;
mod oauth;
mod peers;
mod properties;
mod scopes;
mod servicenow;
mod servicenow_consent;
mod servicenow_hostile;
mod servicenow_refusals;
mod servicenow_setup;
mod servicenow_sign_in;
mod servicenow_sites;
mod setup_journey;
mod setup_journey_servicenow;
mod setup_pty;
mod setup_resume;
mod setup_scopes;
mod setup_screens;
mod shipping;
mod store_safety;
mod tls;
mod verify;
