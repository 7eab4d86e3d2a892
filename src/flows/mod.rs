//! The steps commands share: connecting (get, prove, store a credential),
//! getting a valid access token, verifying a stored connection, what the
//! ServiceNow forms need, and the ServiceNow side itself (apply, consent,
//! verify). Commands call flows; commands never call each
//! other. Flows talk to [`crate::atlassian`] and [`crate::store`] and report
//! through plain values; prompting and printing stay with the commands.

pub(crate) mod connect;
pub(crate) mod export;
mod identity;
pub(crate) mod servicenow;
pub(crate) mod tokens;
pub(crate) mod verify;

pub(crate) use identity::Identity;
