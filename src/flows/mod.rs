//! The steps commands share: connecting (get, prove, store a credential),
//! getting a valid access token, verifying a stored connection, what the
//! ServiceNow forms need, and the ServiceNow side itself (apply, consent,
//! verify). Commands call flows; commands never call each
//! other. Flows talk to [`crate::atlassian`] and [`crate::store`] and report
//! through plain values; prompting and printing stay with the commands.

pub mod connect;
pub mod export;
mod identity;
pub mod servicenow;
pub mod tokens;
pub mod verify;

pub use identity::Identity;
