//! One line typed or pasted at the terminal, read so that it can be given up
//! on: the paste prompt of the browser flow races the loopback callback, and
//! when the callback wins the command must end at once, not after Enter.
//!
//! A blocking `read_line` cannot be cancelled, and one left running would
//! also swallow the answer to the next prompt. So the line is read on its own
//! thread, which polls stdin and stops as soon as the reader is dropped; it
//! reads only once a whole line is waiting (the terminal's line mode), so it
//! never takes half of one.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Reads one line from stdin (with its newline; empty at end of input).
/// Dropping the future gives up on it.
pub(crate) async fn read() -> io::Result<String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let abandoned = Abandoned::default();
    let flag = Arc::clone(&abandoned.0);
    std::thread::Builder::new()
        .name("pasted-line".to_owned())
        .spawn(move || {
            let _ = tx.send(imp::read_line(&flag));
        })?;
    rx.await
        .unwrap_or_else(|_| Err(io::Error::other("the stdin reader stopped")))
}

/// Tells the reading thread to stop when dropped.
#[derive(Default)]
struct Abandoned(Arc<AtomicBool>);

impl Drop for Abandoned {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[cfg(unix)]
mod imp {
    use std::io;
    use std::os::fd::AsFd;
    use std::sync::atomic::{AtomicBool, Ordering};

    use nix::errno::Errno;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

    /// How often the thread checks whether it was given up on.
    const POLL_MS: u16 = 100;

    pub(super) fn read_line(abandoned: &AtomicBool) -> io::Result<String> {
        let stdin = io::stdin();
        let fd = stdin.as_fd();
        let mut line = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            if abandoned.load(Ordering::Relaxed) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(POLL_MS)) {
                Ok(0) | Err(Errno::EINTR) => continue,
                Ok(_) => {}
                Err(e) => return Err(e.into()),
            }
            if abandoned.load(Ordering::Relaxed) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            match nix::unistd::read(fd, &mut chunk) {
                Ok(0) => break,
                Ok(n) => line.extend_from_slice(&chunk[..n]),
                Err(Errno::EINTR | Errno::EAGAIN) => continue,
                Err(e) => return Err(e.into()),
            }
            if line.contains(&b'\n') {
                break;
            }
        }
        Ok(String::from_utf8_lossy(&line).into_owned())
    }
}

#[cfg(not(unix))]
mod imp {
    use std::io;
    use std::sync::atomic::AtomicBool;

    // NOTE: no poll on stdin here: the thread blocks until Enter, and is
    // simply left behind when given up on (the process does not wait for it).
    pub fn read_line(_abandoned: &AtomicBool) -> io::Result<String> {
        let mut line = String::new();
        io::stdin().read_line(&mut line)?;
        Ok(line)
    }
}
