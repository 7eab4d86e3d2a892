//! A crash must not leave the secrets this process holds (client secrets,
//! tokens, ServiceNow passwords) in a core file, and another process of the
//! same user must not read them out of its memory: at start the core-file
//! limit is set to 0 and, on Linux, the process is marked non-dumpable
//! (`PR_SET_DUMPABLE`), which also refuses `ptrace` and
//! `/proc/<pid>/{mem,environ}` to everyone but root.

/// Best effort: a platform that refuses either is no reason not to run.
pub(crate) fn forbid() {
    #[cfg(unix)]
    if let Ok((_, hard)) = rlimit::Resource::CORE.get() {
        let _ = rlimit::Resource::CORE.set(0, hard);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: prctl with PR_SET_DUMPABLE takes one integer argument and
    // touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}
