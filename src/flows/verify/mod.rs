//! Verifying a stored connection end to end: the checks, in order — config,
//! secret, token, then site, identity, server, scopes and rate limit — every
//! one run even after one fails, and the [`VerifyReport`] that says what to
//! change. Talking to Atlassian lives in [`crate::atlassian`] and
//! [`crate::flows::tokens`]; this module orders the calls (the independent
//! ones concurrently, so a cached token costs one round trip), and for a
//! fleet ([`verify_all`]) runs the one-connection verify over each.

mod checks;
mod fleet;
mod report;
mod servicenow_consent;

pub(crate) use checks::verify as verify_connection;
pub(crate) use fleet::verify_all;
pub(crate) use report::{AllReport, Check, VerifyReport};
