//! The open-file limit (`ulimit -n`, RLIMIT_NOFILE): how much network work
//! fits under it, and recognising EMFILE/ENFILE wherever an I/O error comes
//! from, so the message names the limit instead of blaming permissions or the
//! network.
//!
//! Every socket, lock file and read file is one descriptor. macOS starts
//! shells at 256 and Linux at 1024. The soft limit is raised towards the hard
//! one at start ([`raise_soft_limit`], with the `rlimit` crate), and work is
//! sized under whatever limit there then is: the sockets [`crate::http::Http`]
//! may open at once ([`sockets`]; requests multiplexed on one HTTP/2
//! connection need none more), and how many connections `verify --all`
//! works on at once ([`fleet_width`]; each may hold its lock file).

use std::io;

/// The soft limit [`raise_soft_limit`] asks for: enough for the largest
/// [`sockets`] and [`fleet_width`], with room for everything else.
const WANTED_LIMIT: u64 = 4096;
/// Sockets (and connections of a fleet) at once when the platform has no
/// limit to read (Windows).
const UNKNOWN_LIMIT_SHARE: usize = 64;
/// Most sockets at once, however high the limit: past this the remote's
/// rate limits, not descriptors, are what a fleet meets first.
const MAX_SOCKETS: usize = 128;
/// Most connections `verify --all` works on at once: four HTTP/2 stream caps
/// (128 each, commonly) of requests, two requests per connection.
const MAX_FLEET_WIDTH: usize = 512;
/// Most store and file work at once ([`file_work`]): beyond this the disk,
/// not descriptors, is what it waits for.
const MAX_FILE_WORK: usize = 64;

/// The soft limit on open files, when the platform has one.
pub(crate) fn soft_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        match rlimit::Resource::NOFILE.get() {
            Ok((soft, _)) if soft != rlimit::INFINITY => Some(soft),
            _ => None,
        }
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Raises the soft limit on open files towards the hard limit, as Go
/// programs do: the soft default (256 on macOS, 1024 on Linux) is a
/// historical accident, the hard one what the admin allows. `ulimit -n N`
/// sets both, so a limit set on purpose is kept. Failing changes nothing.
pub(crate) fn raise_soft_limit() {
    let before = soft_limit();
    if let Ok(now) = rlimit::increase_nofile_limit(WANTED_LIMIT)
        && before.is_some_and(|before| before < now)
    {
        tracing::debug!("raised the open-file limit to {now}");
    }
}

/// Sockets that may be open at once under `limit`: one eighth of it, which
/// with a lock file per connection being renewed (see [`fleet_width_for`])
/// and the files read stays under half the limit.
pub(crate) fn sockets_for(limit: Option<u64>) -> usize {
    share(limit, 8, MAX_SOCKETS)
}

/// [`sockets_for`] this process's limit.
pub(crate) fn sockets() -> usize {
    sockets_for(soft_limit())
}

/// Connections `verify --all` works on at once under `limit`: half of it,
/// as each may hold its lock file while its token is renewed (the sockets,
/// one eighth, and the files of [`file_work`], three sixteenths, are
/// bounded apart).
pub(crate) fn fleet_width_for(limit: Option<u64>) -> usize {
    share(limit, 2, MAX_FLEET_WIDTH)
}

/// [`fleet_width_for`] this process's limit.
pub(crate) fn fleet_width() -> usize {
    fleet_width_for(soft_limit())
}

/// Store and file work (a read, a write and its sync, a file's own lock)
/// at once: each opens up to three files for a moment.
pub(crate) async fn file_work() -> tokio::sync::SemaphorePermit<'static> {
    static TURNS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let turns =
        TURNS.get_or_init(|| tokio::sync::Semaphore::new(share(soft_limit(), 16, MAX_FILE_WORK)));
    // NOTE: the semaphore is never closed.
    turns.acquire().await.expect("never closed")
}

/// One `part`-th of `limit`, at least 1 and at most `most`.
fn share(limit: Option<u64>, part: u64, most: usize) -> usize {
    match limit {
        None => UNKNOWN_LIMIT_SHARE,
        Some(n) => usize::try_from(n / part).unwrap_or(most).clamp(1, most),
    }
}

/// Descriptors the async runtime takes when it starts (its poller, its
/// waker, the signal pipe), and one more.
const RUNTIME_FILES: usize = 6;

/// Checks that the runtime can start: under a tiny limit tokio's signal
/// setup panics on EMFILE instead of returning it. Opens and closes a few
/// descriptors; the error is the real EMFILE (any other failure to open
/// `/dev/null` proves nothing and is let pass).
pub(crate) fn room_to_start() -> io::Result<()> {
    #[cfg(unix)]
    {
        let mut held = Vec::with_capacity(RUNTIME_FILES);
        for _ in 0..RUNTIME_FILES {
            match std::fs::File::open("/dev/null") {
                Ok(file) => held.push(file),
                Err(e) if exhausted(&e).is_some() => return Err(e),
                Err(_) => break,
            }
        }
    }
    Ok(())
}

/// Whether `err` is "too many open files": this process's limit (EMFILE) or
/// the system's (ENFILE).
pub(crate) fn exhausted(err: &io::Error) -> Option<Exhausted> {
    #[cfg(unix)]
    {
        match err.raw_os_error() {
            Some(libc::EMFILE) => Some(Exhausted::Process),
            Some(libc::ENFILE) => Some(Exhausted::System),
            _ => None,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        None
    }
}

/// [`exhausted`] anywhere in an error's chain of causes (a failed connect
/// wraps the socket's error a few levels down).
pub(crate) fn exhausted_in(err: &(dyn std::error::Error + 'static)) -> Option<Exhausted> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<io::Error>().and_then(exhausted) {
            return Some(found);
        }
        next = e.source();
    }
    None
}

/// Whose table of open files is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exhausted {
    /// This process reached its limit (EMFILE).
    Process,
    /// The whole system's table is full (ENFILE).
    System,
}

impl Exhausted {
    /// The error for `action` (e.g. "read /x/config.toml") that failed so.
    pub(crate) fn error(self, action: impl Into<String>) -> crate::error::Error {
        crate::error::Error::TooManyOpenFiles {
            action: action.into(),
            limit: match self {
                Exhausted::Process => soft_limit(),
                Exhausted::System => None,
            },
            system: self == Exhausted::System,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sockets_and_fleet_width_stay_well_under_the_limit() {
        assert_eq!(sockets_for(Some(256)), 32, "macOS's default");
        assert_eq!(fleet_width_for(Some(256)), 128);
        assert_eq!(sockets_for(Some(3)), 1, "never none");
        assert_eq!(fleet_width_for(Some(3)), 1, "never none");
        assert_eq!(sockets_for(Some(1024)), 128, "Linux's default");
        assert_eq!(sockets_for(Some(1 << 20)), MAX_SOCKETS);
        assert_eq!(fleet_width_for(Some(1 << 20)), MAX_FLEET_WIDTH);
        assert_eq!(sockets_for(Some(WANTED_LIMIT)), MAX_SOCKETS);
        assert_eq!(fleet_width_for(Some(WANTED_LIMIT)), MAX_FLEET_WIDTH);
        assert_eq!(sockets_for(None), UNKNOWN_LIMIT_SHARE);
    }

    #[cfg(unix)]
    #[test]
    fn emfile_is_found_under_wrappers_and_names_the_limit() {
        #[derive(Debug)]
        struct Wrapper(io::Error);
        impl std::fmt::Display for Wrapper {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("tcp connect error")
            }
        }
        impl std::error::Error for Wrapper {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let wrapped = Wrapper(io::Error::from_raw_os_error(libc::EMFILE));
        assert_eq!(exhausted_in(&wrapped), Some(Exhausted::Process));
        let other = Wrapper(io::Error::from_raw_os_error(libc::ECONNREFUSED));
        assert_eq!(exhausted_in(&other), None);
        let system = io::Error::from_raw_os_error(libc::ENFILE);
        assert_eq!(exhausted(&system), Some(Exhausted::System));

        let err = Exhausted::Process.error("connect to https://api.atlassian.com");
        let text = err.to_string();
        assert!(text.contains("too many open files"), "{text}");
        if let Some(limit) = soft_limit() {
            assert!(text.contains(&format!("(limit {limit})")), "{text}");
        }
        assert_eq!(err.kind().exit_code(), 6);
        assert!(err.hint().unwrap().contains("ulimit -n"), "{err:?}");
    }
}
