//! The open-file limit (`ulimit -n`, RLIMIT_NOFILE): how much network work
//! fits under it, and recognising EMFILE/ENFILE wherever an I/O error comes
//! from, so the message names the limit instead of blaming permissions or the
//! network.
//!
//! Every socket, lock file and read file is one descriptor. macOS starts
//! shells at 256 and Linux at 1024; a `verify --all` over hundreds of
//! connections that opened sockets for all of them at once ran out. The soft
//! limit is raised towards the hard one at start ([`raise_soft_limit`]), and
//! requests in flight are sized under whatever limit there then is.

use std::io;

/// Requests in flight at most, however high the limit: beyond this the
/// remote's rate limits, not descriptors, are what a fleet meets first.
const MAX_IN_FLIGHT: usize = 4096;
/// The soft limit [`raise_soft_limit`] asks for: room for [`MAX_IN_FLIGHT`].
const WANTED_LIMIT: u64 = MAX_IN_FLIGHT as u64 * SHARE;
/// macOS refuses a soft limit above OPEN_MAX even when the hard one is
/// unlimited.
#[cfg(target_os = "macos")]
const MACOS_OPEN_MAX: u64 = 10240;
/// In flight when the limit cannot be read (Windows has no such limit).
const UNKNOWN_LIMIT_IN_FLIGHT: usize = 64;
/// Share of the limit network work may use: one eighth for requests in
/// flight, which with the idle sockets kept for reuse, a lock file per
/// connection being renewed and its temp files stays under half the limit.
/// The rest is for the runtime, stdio, the keyring's bus and the files read.
const SHARE: u64 = 8;

/// The soft limit on open files, when the platform has one.
pub fn soft_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return None;
        }
        if limit.rlim_cur == libc::RLIM_INFINITY {
            return None;
        }
        Some(wide(limit.rlim_cur))
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
pub fn raise_soft_limit() {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return;
        }
        let hard = if limit.rlim_max == libc::RLIM_INFINITY {
            u64::MAX
        } else {
            wide(limit.rlim_max)
        };
        let wanted = WANTED_LIMIT.min(hard);
        #[cfg(target_os = "macos")]
        let wanted = wanted.min(MACOS_OPEN_MAX);
        let soft = wide(limit.rlim_cur);
        if limit.rlim_cur == libc::RLIM_INFINITY || soft >= wanted {
            return;
        }
        limit.rlim_cur = libc::rlim_t::try_from(wanted).unwrap_or(limit.rlim_cur);
        // SAFETY: setrlimit only reads the struct it is given.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } == 0 {
            tracing::debug!("raised the open-file limit from {soft} to {wanted}");
        }
    }
}

/// A limit as `u64` (`rlim_t` is signed on some BSDs).
#[cfg(unix)]
#[allow(clippy::useless_conversion)]
fn wide(value: libc::rlim_t) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

/// How many requests (and so sockets) may be in flight under `limit`.
pub fn in_flight_for(limit: Option<u64>) -> usize {
    match limit {
        None => UNKNOWN_LIMIT_IN_FLIGHT,
        Some(n) => usize::try_from(n / SHARE)
            .unwrap_or(MAX_IN_FLIGHT)
            .clamp(1, MAX_IN_FLIGHT),
    }
}

/// Requests in flight under this process's limit.
pub fn in_flight() -> usize {
    in_flight_for(soft_limit())
}

/// Descriptors the async runtime takes when it starts (its poller, its
/// waker, the signal pipe), and one more.
const RUNTIME_FILES: usize = 6;

/// Checks that the runtime can start: under a tiny limit tokio's signal
/// setup panics on EMFILE instead of returning it. Opens and closes a few
/// descriptors; the error is the real EMFILE (any other failure to open
/// `/dev/null` proves nothing and is let pass).
pub fn room_to_start() -> io::Result<()> {
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
pub fn exhausted(err: &io::Error) -> Option<Exhausted> {
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
pub fn exhausted_in(err: &(dyn std::error::Error + 'static)) -> Option<Exhausted> {
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
pub enum Exhausted {
    /// This process reached its limit (EMFILE).
    Process,
    /// The whole system's table is full (ENFILE).
    System,
}

impl Exhausted {
    /// The error for `action` (e.g. "read /x/config.toml") that failed so.
    pub fn error(self, action: impl Into<String>) -> crate::error::Error {
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
    fn in_flight_stays_well_under_the_limit() {
        assert_eq!(in_flight_for(Some(256)), 32, "macOS's default");
        assert_eq!(in_flight_for(Some(64)), 8);
        assert_eq!(in_flight_for(Some(3)), 1, "never none");
        assert_eq!(in_flight_for(Some(1024)), 128, "Linux's default");
        assert_eq!(in_flight_for(Some(1 << 20)), MAX_IN_FLIGHT);
        assert_eq!(in_flight_for(Some(WANTED_LIMIT)), MAX_IN_FLIGHT);
        assert_eq!(in_flight_for(None), UNKNOWN_LIMIT_IN_FLIGHT);
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
