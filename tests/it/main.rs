//! The integration tests, in one binary (one link of axum, reqwest and tokio
//! instead of one per file). Each module is a suite; `support` is what they share.

mod support;

mod bad_input;
mod cli_basics;
mod cloud_id;
mod connect;
mod connections;
mod export;
mod hostile;
mod jira_contract;
mod keyring;
mod oauth;
mod peers;
mod properties;
mod setup_journey;
mod setup_pty;
mod verify;
