//! Cross-process locks that name their holder and are waited for with a
//! deadline: one stopped or hung jira-spoke must not hang every other one
//! forever, and the one that gives up says who is in the way.
//!
//! A lock is an exclusive `flock` on a 0600 file (whatever the umask), opened
//! without following symlinks. The holder writes its process ID, what it is
//! doing and since when into the file; the kernel drops the lock when the
//! holder dies, so a killed holder never blocks anyone.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::atomic::{create_private_dir, io_error};
use crate::error::{Error, Result};
use crate::time::now_unix;

/// How often a waiter tries again.
const POLL: Duration = Duration::from_millis(20);

/// What a holder writes into its lock file.
#[derive(Serialize, Deserialize)]
struct Holder {
    pid: u32,
    since: u64,
    doing: String,
}

/// An exclusive lock, held until dropped.
pub struct Lock {
    file: File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Closing the file releases the lock; clear the holder note first.
        let _ = self.file.set_len(0);
    }
}

/// Takes the exclusive lock on `path` (created if missing), waiting at most
/// `wait`. `doing` says what this process does while it holds the lock
/// ("renewing the access token of `prod`"); waiters that give up show it.
pub(super) fn lock(path: &Path, doing: &str, wait: Duration) -> Result<Lock> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let file = open(path)?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(source)) => return Err(io_error("lock", path, source)),
        }
        if started.elapsed() >= wait {
            return Err(timed_out(path, &file, started.elapsed()));
        }
        std::thread::sleep(POLL);
    }
    let mut lock = Lock { file };
    // Best effort: a lock without a note still excludes (a full disk, say).
    let note = serde_json::to_string(&Holder {
        pid: std::process::id(),
        since: now_unix(),
        doing: doing.to_owned(),
    })
    .unwrap_or_default();
    let _ = lock.file.set_len(0).and_then(|()| {
        lock.file.seek(SeekFrom::Start(0))?;
        lock.file.write_all(note.as_bytes())
    });
    Ok(lock)
}

fn open(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options
        .open(path)
        .map_err(|source| io_error("open the lock file", path, source))?;
    #[cfg(unix)]
    {
        // The umask may have taken bits from a new file, and an old one may
        // have been created wider: make it 0600 either way.
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = file
            .metadata()
            .map_err(|source| io_error("inspect", path, source))?;
        if meta.mode() & 0o777 != 0o600 && meta.uid() == super::atomic::effective_uid() {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|source| io_error("make private", path, source))?;
        }
    }
    Ok(file)
}

fn timed_out(path: &Path, mut file: &File, waited: Duration) -> Error {
    let mut note = String::new();
    let holder = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| file.read_to_string(&mut note))
        .ok()
        .and_then(|_| serde_json::from_str::<Holder>(&note).ok());
    let (holder, pid) = match holder {
        Some(h) => (
            format!(
                "another jira-spoke (process {}) has been {} for {} s",
                h.pid,
                h.doing,
                now_unix().saturating_sub(h.since)
            ),
            Some(h.pid),
        ),
        None => (
            "another process holds a lock jira-spoke needs".to_owned(),
            None,
        ),
    };
    Error::LockTimeout {
        path: PathBuf::from(path),
        holder,
        pid,
        waited_secs: waited.as_secs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn lock_files_are_0600_even_when_they_existed_wider() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("locks/fresh.lock");
        let old = dir.path().join("old.lock");
        std::fs::write(&old, "").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o666)).unwrap();
        for path in [&fresh, &old] {
            drop(lock(path, "testing", Duration::from_secs(1)).unwrap());
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", path.display());
        }
    }

    #[test]
    fn a_held_lock_times_out_naming_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prod.lock");
        let held = lock(&path, "renewing the access token of `prod`", Duration::ZERO).unwrap();
        let started = Instant::now();
        let err = match lock(&path, "waiting", Duration::from_millis(200)) {
            Err(err) => err,
            Ok(_) => panic!("took a lock that is held"),
        };
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(err.kind().exit_code(), 6);
        let text = err.to_string();
        let pid = std::process::id();
        assert!(text.contains(&format!("process {pid}")), "{text}");
        assert!(
            text.contains("renewing the access token of `prod`"),
            "{text}"
        );
        assert!(err.hint().unwrap().contains(&format!("kill {pid}")));
        drop(held);
        assert!(lock(&path, "again", Duration::from_secs(1)).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_lock_path_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        let path = dir.path().join(".config.lock");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        assert!(lock(&path, "testing", Duration::ZERO).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    }
}
