//! Talking to Atlassian: endpoints, sites and Cloud IDs, OAuth, Jira, scopes
//! (over [`crate::http`], the HTTP client ServiceNow uses too).
//!
//! This module knows the wire and nothing of the terminal: it never prompts
//! or prints. Commands in [`crate::commands`] call it and render its results.

pub mod callback;
pub(crate) mod cloud_id;
pub mod endpoints;
pub(crate) mod jira;
pub mod oauth;
pub(crate) mod scopes;
pub(crate) mod site;

pub use endpoints::{Endpoints, OAuthEndpoints};
pub use site::{CloudId, SiteInput};
