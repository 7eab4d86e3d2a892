//! [`Identity`]: which file a path holds, as last written, so what was read
//! of it can be kept until it changes. jira-spoke writes every file by
//! atomic rename ([`super::atomic`]), so a write is a new inode; size and
//! modification time catch an editor that writes in place.

use std::fs::Metadata;
use std::time::SystemTime;

/// Which file, as last written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Identity {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Identity {
    /// The identity of the file `meta` describes.
    pub(super) fn of(meta: &Metadata) -> Identity {
        Identity {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
        }
    }
}
