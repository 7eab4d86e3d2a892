//! What jira-spoke keeps on this machine: the config file of named connections
//! ([`config`]) and the secrets they refer to ([`secrets`], with the OS keyring
//! in [`keyring`] and the opt-in plaintext file in [`file`]).
//!
//! The config never holds a secret value, only a [`secrets::SecretRef`] to one.

mod atomic;
pub mod config;
pub mod connection;
pub mod file;
pub mod keyring;
pub mod secrets;
pub mod transaction;

pub use atomic::lock as atomic_lock;
pub use config::{Config, ConfigFile};
pub use connection::{Connection, Grant, SecretRefs};
pub use secrets::{MemoryStore, SecretRef, SecretStore, StoreKind, Stores};
