//! The terminal's modes as they were when jira-spoke started, put back on
//! the way out. A hidden prompt turns echo off while it waits; Ctrl-C ends
//! the process from the interrupt task (see `exit_on_interrupt` in `lib.rs`)
//! before the prompt can turn it back on, and the shell would be left typing
//! blind. [`save`] is called once at start; [`restore`] by the interrupt
//! handler, and by the guard [`save`] returns on every other way out.

/// Restores the saved modes when dropped (normal return, error or panic).
#[must_use = "the modes are restored when the guard is dropped"]
pub(crate) struct Guard(());

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

#[cfg(unix)]
mod imp {
    use std::io::IsTerminal;
    use std::sync::OnceLock;

    use nix::libc;
    use nix::sys::termios::{SetArg, Termios, tcgetattr, tcsetattr};

    /// Which stream is the terminal, and its modes at start.
    static SAVED: OnceLock<(Stream, libc::termios)> = OnceLock::new();

    #[derive(Clone, Copy)]
    enum Stream {
        Stdin,
        Stderr,
    }

    impl Stream {
        fn get(self) -> nix::Result<Termios> {
            match self {
                Stream::Stdin => tcgetattr(std::io::stdin()),
                Stream::Stderr => tcgetattr(std::io::stderr()),
            }
        }

        fn set(self, modes: &Termios) -> nix::Result<()> {
            match self {
                Stream::Stdin => tcsetattr(std::io::stdin(), SetArg::TCSANOW, modes),
                Stream::Stderr => tcsetattr(std::io::stderr(), SetArg::TCSANOW, modes),
            }
        }
    }

    pub(super) fn save() {
        let stream = if std::io::stdin().is_terminal() {
            Stream::Stdin
        } else if std::io::stderr().is_terminal() {
            Stream::Stderr
        } else {
            return;
        };
        if let Ok(modes) = stream.get() {
            let _ = SAVED.set((stream, modes.into()));
        }
    }

    pub(super) fn restore() {
        let Some((stream, saved)) = SAVED.get() else {
            return;
        };
        let saved = Termios::from(*saved);
        let Ok(now) = stream.get() else {
            return;
        };
        // NOTE: only when something changed them: setting modes from a
        // background job (`jira-spoke token &`) would stop the process (SIGTTOU).
        if same(&now, &saved) {
            return;
        }
        let _ = stream.set(&saved);
    }

    fn same(a: &Termios, b: &Termios) -> bool {
        a.input_flags == b.input_flags
            && a.output_flags == b.output_flags
            && a.control_flags == b.control_flags
            && a.local_flags == b.local_flags
            && a.control_chars == b.control_chars
    }
}

#[cfg(not(unix))]
mod imp {
    // NOTE: Windows consoles have no termios; their modes are not handled here.
    pub fn save() {}
    pub fn restore() {}
}

/// Remembers the modes of the terminal on stdin (or else stderr), if any.
pub(crate) fn save() -> Guard {
    imp::save();
    Guard(())
}

/// Puts the saved modes back, if anything changed them since [`save`].
pub(crate) fn restore() {
    imp::restore();
}
