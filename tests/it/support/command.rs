//! [`Cmd`]: a `std::process::Command` that runs to the end with its output
//! captured, text written to its stdin, and an optional time limit: what the
//! tests need from a command runner, without a crate (and its regex engine)
//! for it.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test, built by cargo for the integration tests and
/// benches.
pub(crate) fn bin_path() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_jira-spoke"))
}

/// A command to run once with [`Cmd::output`] (or `checked_output`).
///
/// The builder methods return `&mut Cmd`, so a chain such as
/// `env.cmd().arg("x").timeout(..).checked_output()` keeps the stdin and
/// time limit set on it.
///
/// NOTE: no `Deref` to `Command` on purpose: a `Command` method reached
/// through it would return `&mut Command`, and a `checked_output()` later in
/// the chain would silently run without the stdin and the time limit.
#[derive(Debug)]
pub(crate) struct Cmd {
    cmd: Command,
    stdin: Option<Vec<u8>>,
    /// Read as stdin instead of a pipe (a device, a FIFO).
    stdin_file: Option<std::fs::File>,
    timeout: Option<Duration>,
}

impl Cmd {
    /// Wraps `cmd`; nothing is written to its stdin and it has no time limit.
    pub(crate) fn from_std(cmd: Command) -> Cmd {
        Cmd {
            cmd,
            stdin: None,
            stdin_file: None,
            timeout: None,
        }
    }

    pub(crate) fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Cmd {
        self.cmd.arg(arg);
        self
    }

    pub(crate) fn args<I, S>(&mut self, args: I) -> &mut Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub(crate) fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Cmd {
        self.cmd.env(key, value);
        self
    }

    pub(crate) fn env_remove(&mut self, key: impl AsRef<OsStr>) -> &mut Cmd {
        self.cmd.env_remove(key);
        self
    }

    pub(crate) fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Cmd {
        self.cmd.current_dir(dir);
        self
    }

    /// Text for the command's stdin; without it the command reads an empty
    /// stdin (end of file at once), never the test's own.
    pub(crate) fn write_stdin(&mut self, input: impl Into<Vec<u8>>) -> &mut Cmd {
        self.stdin = Some(input.into());
        self
    }

    /// The file at `path` (`/dev/zero`, a FIFO) as the command's stdin.
    pub(crate) fn stdin_from(&mut self, path: impl AsRef<Path>) -> &mut Cmd {
        self.stdin_file = Some(std::fs::File::open(path).expect("the stdin file opens"));
        self
    }

    /// Kills the command once it has run this long. [`Cmd::output`] then
    /// returns what it printed, with the status of the killed process (no
    /// exit code): the test's assertions on the status fail.
    ///
    /// NOTE: only the command itself is killed; a process it started that
    /// still holds its stdout or stderr keeps `output` reading until it ends.
    pub(crate) fn timeout(&mut self, limit: Duration) -> &mut Cmd {
        self.timeout = Some(limit);
        self
    }

    pub(crate) fn get_program(&self) -> &OsStr {
        self.cmd.get_program()
    }

    pub(crate) fn get_args(&self) -> std::process::CommandArgs<'_> {
        self.cmd.get_args()
    }

    pub(crate) fn get_envs(&self) -> std::process::CommandEnvs<'_> {
        self.cmd.get_envs()
    }

    /// Runs the command to the end (or to its time limit) with stdin, stdout
    /// and stderr piped; an error only if it could not be started.
    pub(crate) fn output(&mut self) -> std::io::Result<Output> {
        let stdin = match self.stdin_file.take() {
            Some(file) => Stdio::from(file),
            None => Stdio::piped(),
        };
        let mut child = self
            .cmd
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        // Each pipe has its own thread: a command that fills stdout while
        // the test is still writing its stdin must not block either side.
        let stdin = child.stdin.take();
        let input = self.stdin.clone().unwrap_or_default();
        // A command that exits without reading its stdin breaks the pipe:
        // not the test's concern, so the write error is dropped.
        let writer = std::thread::spawn(move || {
            if let Some(mut stdin) = stdin {
                let _ = stdin.write_all(&input);
            }
        });
        let stdout = read_all(child.stdout.take().expect("stdout is piped"));
        let stderr = read_all(child.stderr.take().expect("stderr is piped"));
        let status = match self.timeout {
            Some(limit) => wait_or_kill(&mut child, limit)?,
            None => child.wait()?,
        };
        let _ = writer.join();
        Ok(Output {
            status,
            stdout: stdout.join().expect("the stdout reader"),
            stderr: stderr.join().expect("the stderr reader"),
        })
    }
}

/// Everything `pipe` yields up to its end, read on a thread of its own.
fn read_all(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // An error ends the read: what came before it is kept.
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// The child's status once it exits, or once it has been killed for running
/// past `limit`.
///
/// NOTE: polls (from every 1 ms up to every 10 ms, a cost the tests do not
/// notice) rather than waiting on a signal or a pidfd: portable, and no other
/// thread ever kills a pid that may already have been reaped and reused.
fn wait_or_kill(child: &mut Child, limit: Duration) -> std::io::Result<ExitStatus> {
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            // It may have exited since the check: then kill fails, harmlessly.
            let _ = child.kill();
            return child.wait();
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}

// NOTE: imports inside the functions: the verify bench includes this module
// with `cfg(test)` set but without the test harness, which drops `#[test]`
// functions and would leave imports at module level unused.
#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn a_command_past_its_time_limit_is_killed_and_its_output_kept() {
        use std::process::Command;
        use std::time::{Duration, Instant};

        let started = Instant::now();
        let out = super::Cmd::from_std(Command::new("sh"))
            .args(["-c", "echo before; exec sleep 30"])
            .timeout(Duration::from_millis(300))
            .output()
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(out.status.code(), None, "killed, not exited");
        assert_eq!(out.stdout, b"before\n");
    }

    #[test]
    fn stdin_gets_the_text_then_its_end() {
        use std::process::Command;
        use std::time::Duration;

        let out = super::Cmd::from_std(Command::new("cat"))
            .write_stdin("typed\n")
            .output()
            .unwrap();
        assert_eq!(out.stdout, b"typed\n");
        assert!(out.status.success());
        // Without text, stdin is empty (not the test's own), so cat ends.
        let out = super::Cmd::from_std(Command::new("cat"))
            .timeout(Duration::from_secs(10))
            .output()
            .unwrap();
        assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 0));
    }
}
