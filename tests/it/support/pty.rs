//! A program run in a pseudo-terminal of its own, as in a terminal window:
//! dialoguer prompts only on a terminal, and Ctrl-C and the terminal's modes
//! are a terminal's to handle. The test types into the pty's master side; a
//! thread keeps every byte the program writes to the terminal.
//!
//! ```ignore
//! let mut pty = PtySession::spawn(cmd).expect("spawn in a pty");
//! pty.expect("Client ID");
//! pty.send_line("spoke-client-id");
//! let rest = pty.read_to_eof();
//! assert_eq!(pty.wait().code(), Some(0), "{}", pty.transcript());
//! ```

#![cfg(unix)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use nix::sys::termios::{LocalFlags, SetArg, tcgetattr, tcsetattr};

/// How long [`PtySession::expect`] and [`PtySession::read_to_eof`] wait.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(30);

/// How long the program must have written nothing before the test types.
///
/// NOTE: a prompt appears a moment before the program reads: a password
/// prompt (console's `read_secure`) then discards what was typed ahead
/// (TCSAFLUSH), and a Ctrl-C typed at once can beat jira-spoke's interrupt
/// handler (installed by a runtime task) or its switch to echo off. A person
/// never types within microseconds of a prompt; this pause stands for that
/// (pexpect waits 50 ms before each send; rexpect looked for output every
/// 100 ms).
pub(crate) const SETTLE: Duration = Duration::from_millis(100);

/// A running program whose stdin, stdout and stderr are one pseudo-terminal,
/// its controlling terminal. Dropping it kills the program if it still runs.
pub(crate) struct PtySession {
    child: Child,
    /// The master side: what the test types is written here, and it reports
    /// the terminal's modes.
    master: File,
    output: Arc<Output>,
    /// How far [`PtySession::expect`] has read: the end of the last needle.
    pos: usize,
}

/// What the reader thread has read from the master so far.
struct Output {
    screen: Mutex<Screen>,
    grew: Condvar,
}

struct Screen {
    bytes: Vec<u8>,
    /// When the last bytes came (or the session started).
    grew_at: Instant,
    /// The program (and everything else holding the terminal) has closed it.
    eof: bool,
}

impl Output {
    fn lock(&self) -> MutexGuard<'_, Screen> {
        // A test that panicked while holding the lock leaves whole bytes.
        self.screen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl PtySession {
    /// Starts `cmd` in a new session with a new pty as its controlling
    /// terminal, with echo off (as rexpect did: what the test types does not
    /// appear on the screen; a test that wants a shell's echo runs
    /// `stty echo` first).
    pub(crate) fn spawn(cmd: Command) -> std::io::Result<PtySession> {
        Self::spawn_sized(cmd, None)
    }

    /// [`PtySession::spawn`] in a terminal of `(rows, columns)`; `None`
    /// leaves the size unset (0×0: programs then assume 24×80).
    pub(crate) fn spawn_sized(
        mut cmd: Command,
        size: Option<(u16, u16)>,
    ) -> std::io::Result<PtySession> {
        let size = size.map(|(rows, columns)| nix::pty::Winsize {
            ws_row: rows,
            ws_col: columns,
            ws_xpixel: 0,
            ws_ypixel: 0,
        });
        let pty = nix::pty::openpty(size.as_ref(), None)?;
        // NOTE: openpty cannot set close-on-exec itself; a process another
        // test spawns in the instant before these calls inherits the fds.
        // The worst case is a later end of file here, once that process ends.
        close_on_exec(&pty.master)?;
        close_on_exec(&pty.slave)?;
        let mut modes = tcgetattr(&pty.slave)?;
        modes.local_flags.remove(LocalFlags::ECHO);
        tcsetattr(&pty.slave, SetArg::TCSANOW, &modes)?;
        cmd.stdin(Stdio::from(pty.slave.try_clone()?))
            .stdout(Stdio::from(pty.slave.try_clone()?))
            .stderr(Stdio::from(pty.slave));
        // SAFETY: runs in the forked child before exec, after stdin, stdout
        // and stderr are the slave; setsid and ioctl are async-signal-safe
        // and nothing here allocates.
        unsafe {
            cmd.pre_exec(|| {
                // A session of its own, so that the pty can become its
                // controlling terminal: Ctrl-C on it signals the program.
                if libc::setsid() == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                if libc::ioctl(0, libc::TIOCSCTTY as _, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn()?;
        // The slave fds `cmd` holds are closed, so that the master reports
        // the end once the program's are.
        drop(cmd);
        let master = File::from(pty.master);
        let output = Arc::new(Output {
            screen: Mutex::new(Screen {
                bytes: Vec::new(),
                grew_at: Instant::now(),
                eof: false,
            }),
            grew: Condvar::new(),
        });
        let reader = master.try_clone()?;
        let shared = Arc::clone(&output);
        std::thread::spawn(move || read_master(reader, &shared));
        Ok(PtySession {
            child,
            master,
            output,
            pos: 0,
        })
    }

    /// Waits (up to [`TIMEOUT`]) for `needle` after what earlier calls read,
    /// and returns the text before it. Panics, showing the screen so far,
    /// when it does not come.
    pub(crate) fn expect(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        let mut screen = self.output.lock();
        loop {
            if let Some(at) = find(&screen.bytes[self.pos..], needle.as_bytes()) {
                let before = lossy(&screen.bytes[self.pos..self.pos + at]);
                self.pos += at + needle.len();
                return before;
            }
            let now = Instant::now();
            if screen.eof || now >= deadline {
                let why = if screen.eof {
                    "the program closed the terminal"
                } else {
                    "timed out"
                };
                let shown = lossy(&screen.bytes);
                drop(screen);
                panic!("waiting for {needle:?}: {why}\nscreen so far:\n{shown}");
            }
            screen = self.wait_for_more(screen, deadline - now);
        }
    }

    /// Waits (up to [`TIMEOUT`]) until the terminal is closed and returns
    /// what came after the last [`PtySession::expect`].
    pub(crate) fn read_to_eof(&mut self) -> String {
        let deadline = Instant::now() + TIMEOUT;
        let mut screen = self.output.lock();
        while !screen.eof {
            let now = Instant::now();
            if now >= deadline {
                let shown = lossy(&screen.bytes);
                drop(screen);
                panic!("the terminal is still open after {TIMEOUT:?}\nscreen so far:\n{shown}");
            }
            screen = self.wait_for_more(screen, deadline - now);
        }
        let rest = lossy(&screen.bytes[self.pos..]);
        self.pos = screen.bytes.len();
        rest
    }

    fn wait_for_more<'a>(
        &self,
        screen: MutexGuard<'a, Screen>,
        limit: Duration,
    ) -> MutexGuard<'a, Screen> {
        self.output
            .grew
            .wait_timeout(screen, limit)
            .unwrap_or_else(PoisonError::into_inner)
            .0
    }

    /// Everything read up to the end of the last needle (or to the end, after
    /// [`PtySession::read_to_eof`]).
    pub(crate) fn transcript(&self) -> String {
        lossy(&self.output.lock().bytes[..self.pos])
    }

    /// Everything the program has written so far, read or not.
    pub(crate) fn screen(&self) -> String {
        lossy(&self.output.lock().bytes)
    }

    /// Types `keys` (which may be escape sequences such as "\x1b[B") once
    /// the program has written nothing for [`SETTLE`].
    pub(crate) fn send(&mut self, keys: &str) {
        self.settle();
        self.master
            .write_all(keys.as_bytes())
            .expect("write to the pty");
    }

    /// Types `text` and a line feed, the bytes rexpect's `send_line` wrote.
    pub(crate) fn send_line(&mut self, text: &str) {
        self.send(&format!("{text}\n"));
    }

    /// Types Ctrl and the letter `key` (`'c'`: Ctrl-C, which the terminal
    /// turns into SIGINT while its ISIG mode is on).
    pub(crate) fn send_control(&mut self, key: char) {
        assert!(key.is_ascii_alphabetic(), "Ctrl-{key}");
        let code = key.to_ascii_lowercase() as u8 - b'a' + 1;
        self.send(&char::from(code).to_string());
    }

    /// Waits until the program has written nothing for [`SETTLE`] (or has
    /// closed the terminal); [`TIMEOUT`] at most, then it types anyway.
    fn settle(&self) {
        let deadline = Instant::now() + TIMEOUT;
        let mut screen = self.output.lock();
        loop {
            let now = Instant::now();
            let quiet = now.saturating_duration_since(screen.grew_at);
            if screen.eof || quiet >= SETTLE || now >= deadline {
                return;
            }
            screen = self.wait_for_more(screen, SETTLE - quiet);
        }
    }

    /// Waits for the program to end.
    pub(crate) fn wait(&mut self) -> ExitStatus {
        self.child.wait().expect("wait for the program")
    }

    /// The program's status if it has ended, without waiting.
    pub(crate) fn try_status(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("poll the program")
    }

    /// The master side, to read the terminal's modes with `tcgetattr`.
    pub(crate) fn master(&self) -> BorrowedFd<'_> {
        self.master.as_fd()
    }
}

impl Drop for PtySession {
    /// A test that failed midway leaves no program waiting at a prompt.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The reader thread: appends what the master yields until the terminal is
/// closed.
fn read_master(mut master: File, output: &Output) {
    let mut chunk = [0u8; 4096];
    loop {
        let read = match master.read(&mut chunk) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // NOTE: Linux answers EIO, not 0, once every slave fd is closed:
            // that is the end of file here.
            Err(_) => 0,
            Ok(read) => read,
        };
        let mut screen = output.lock();
        screen.bytes.extend_from_slice(&chunk[..read]);
        screen.grew_at = Instant::now();
        screen.eof = read == 0;
        drop(screen);
        output.grew.notify_all();
        if read == 0 {
            return;
        }
    }
}

fn close_on_exec(fd: &OwnedFd) -> std::io::Result<()> {
    // SAFETY: `fd` is open for the duration of the call.
    if unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) } == -1 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Where `needle` starts in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
