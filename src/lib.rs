//! jira-spoke: connect anything to Jira Cloud.
//!
//! Layers, from the outside in:
//! - [`cli`]: clap types (the `--help` text lives there);
//! - [`settings`]: flags + environment → checked values;
//! - [`commands`]: one module per subcommand, rendering through [`output`];
//! - `flows`: the steps commands share (connect, tokens, verify, export);
//! - [`atlassian`] and `servicenow`: the wire protocols (no terminal UI),
//!   both over [`http`], the one HTTP client;
//! - [`store`]: the config file and the secret stores (no HTTP).
//!
//! [`main_with_args`] is what `main` calls; tests can call it too.

// NOTE: this library is the binary's inside, public for the tests: its docs
// are for the people who work on it and may point at private items
// (`cargo doc --document-private-items`).
#![allow(rustdoc::private_intra_doc_links)]

pub mod atlassian;
pub mod cli;
pub mod commands;
pub(crate) mod core_dumps;
pub(crate) mod env;
pub mod error;
pub(crate) mod flows;
pub mod http;
pub(crate) mod open_files;
pub mod output;
pub mod secret;
pub(crate) mod servicenow;
pub mod settings;
pub mod store;
pub(crate) mod time;
pub mod ui;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::error::{Error, ErrorKind};
use crate::output::Printer;

/// Parses the command line, runs the command and returns the exit code.
pub fn main_with_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    core_dumps::forbid();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let printer = Printer::new(cli.global.json, cli.global.quiet, cli.global.color);
    init_logging(cli.global.verbose);
    let _terminal = ui::terminal_modes::save();
    open_files::raise_soft_limit();
    let runtime = open_files::room_to_start().and_then(|()| tokio::runtime::Runtime::new());
    let result = match runtime {
        Ok(runtime) => {
            exit_on_interrupt(&runtime, printer.clone());
            let result = runtime.block_on(commands::run(cli, &printer));
            // NOTE: never wait for work left behind, such as a `$BROWSER` still
            // running or a paste prompt nobody answered: the command is done.
            runtime.shutdown_background();
            result
        }
        Err(e) => Err(match open_files::exhausted(&e) {
            Some(exhausted) => exhausted.error("start the async runtime"),
            None => Error::Internal(format!("cannot start the async runtime: {e}")),
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A prompt may see the Ctrl-C before the handler does: whichever
        // comes first tells it, once.
        Err(Error::Interrupted) => {
            tell_interruption(&printer);
            ExitCode::from(ErrorKind::Interrupted.exit_code())
        }
        Err(err) => {
            printer.error(&err);
            ExitCode::from(err.kind().exit_code())
        }
    }
}

/// Ctrl-C ends the process with exit 130 wherever it is, even while a prompt
/// blocks the main thread. Stopping anywhere is safe: secrets are written
/// under new names and the config is switched over in one atomic rename.
/// The terminal gets its modes back first (a hidden prompt turns echo off).
/// A command that has kept something by then (`setup`'s connection, its
/// ServiceNow records) registered it with [`Printer::on_interrupt`]: that is
/// said, with the command that resumes.
fn exit_on_interrupt(runtime: &tokio::runtime::Runtime, printer: Printer) {
    // NOTE: the handler is registered here, before the command starts, not
    // by the task on its first poll: a Ctrl-C in between killed the process
    // by the signal, past the restoring of the terminal's modes.
    let _entered = runtime.enter();
    #[cfg(unix)]
    let mut interrupts =
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
            Ok(interrupts) => interrupts,
            Err(_) => return,
        };
    #[cfg(windows)]
    let mut interrupts = match tokio::signal::windows::ctrl_c() {
        Ok(interrupts) => interrupts,
        Err(_) => return,
    };
    runtime.spawn(async move {
        if interrupts.recv().await.is_some() {
            ui::terminal_modes::restore();
            // NOTE: the cursor's escape code only for a terminal; a log
            // file or pipe gets plain text.
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                let _ = console::Term::stderr().show_cursor();
            }
            // NOTE: when the main thread told it first, it is ending with
            // 130 already; exiting here could cut its output short.
            if tell_interruption(&printer) {
                std::process::exit(i32::from(ErrorKind::Interrupted.exit_code()));
            }
        }
    });
}

/// Says the run was interrupted — what was kept and the command that
/// resumes, once something is — unless it was said already; true when it
/// was said here. With `--json`, one JSON error object, as for every other
/// failure.
fn tell_interruption(printer: &Printer) -> bool {
    // NOTE: held while telling, so the other side waits for the whole of
    // it rather than ending the process halfway through.
    static TOLD: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut told = TOLD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if *told {
        return false;
    }
    *told = true;
    match printer.interruption() {
        err if printer.json() => printer.error(&err),
        Error::Interrupted => output::stderr_line("\ninterrupted"),
        // What was kept, and the command that resumes, as an error and its
        // hint, below the prompt the Ctrl-C left.
        err => {
            output::stderr_line("");
            printer.error(&err);
        }
    }
    true
}

/// `-v` logs requests, `-vv` details, always to stderr and only from this crate
/// (dependencies' debug logs may show headers). Records carry servers' words,
/// so they go through the same terminal filter as all output, without colour.
fn init_logging(verbose: u8) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;

    let level = match verbose {
        0 => return,
        1 => LevelFilter::INFO,
        _ => LevelFilter::DEBUG,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(output::log_writer)
        .with_ansi(false)
        .with_target(false)
        .without_time()
        .finish()
        .with(Targets::new().with_target("jira_spoke", level))
        .try_init();
}
