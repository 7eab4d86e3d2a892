//! Talking to Atlassian: endpoints, sites and Cloud IDs, HTTP, scopes.
//!
//! This module knows the wire and nothing of the terminal: it never prompts
//! or prints. Commands in [`crate::commands`] call it and render its results.

pub mod callback;
pub(crate) mod cloud_id;
pub mod endpoints;
pub mod http;
pub(crate) mod jira;
pub mod oauth;
pub(crate) mod scopes;
pub(crate) mod site;

pub use endpoints::{Endpoints, OAuthEndpoints};
pub use http::Http;
pub use site::{CloudId, SiteInput};
