//! What jira-spoke keeps on this machine: the config file of named connections
//! ([`config`]) and the secrets they refer to ([`secrets`], with the OS keyring
//! in [`keyring`] and the opt-in plaintext file in [`file`](mod@file)).
//!
//! The config never holds a secret value, only a [`secrets::SecretRef`] to one,
//! and no runtime state: what is known of each access token lives beside it
//! ([`token_state`]), the refresh journal beside the connection's lock
//! ([`journal`]).
//! Files are written atomically and privately ([`atomic`]), under locks that
//! name their holder and give up after a deadline ([`lock`]).

mod atomic;
pub mod config;
pub mod connection;
mod excerpt;
pub mod file;
mod identity;
pub(crate) mod journal;
pub mod keyring;
mod lock;
#[cfg(any(test, feature = "test-support"))]
mod memory;
pub mod secrets;
pub mod token_state;
pub(crate) mod transaction;

pub use atomic::{Refused, read_bounded};
pub use config::{Config, ConfigFile, connection_lock_wait};
pub use connection::{Connection, Grant, SecretKind, SecretRefs};
pub use lock::Lock;
#[cfg(any(test, feature = "test-support"))]
pub use memory::MemoryStore;
pub use secrets::{SecretRef, SecretStore, StoreKind, Stores};
