//! `jira-spoke export --target servicenow`: what each ServiceNow form needs
//! for a stored connection. Secrets are placeholders on stdout; with
//! `--reveal --out FILE` the full export, secrets included, goes only to a
//! new 0600 file.

use crate::commands::Context;
use std::io::Write;

use crate::cli::{ExportArgs, ExportTarget};
use crate::error::{Error, Result};
use crate::flows::export::{ExportReport, servicenow};

/// Runs `export`.
pub(super) fn run(args: &ExportArgs, ctx: &Context<'_>) -> Result<()> {
    let Context {
        settings,
        stores,
        printer,
        ..
    } = ctx;

    let ExportTarget::Servicenow = args.target;
    let config = settings.config.load()?;
    let name = &settings.connection;
    let connection = config.connection(name)?;
    let instance = args.instance.as_deref();
    if let Some(input) = instance {
        crate::servicenow::Instance::parse(input)?;
    }
    let shown = servicenow::export(name, connection, instance, None);
    if let Some(path) = &args.out {
        let store = stores.open(connection.store);
        let secrets = servicenow::read_secrets(store.as_ref(), name, connection)?;
        let full = servicenow::export(name, connection, instance, Some(&secrets));
        write_new_private(path, &render(&full, printer.json()))?;
        printer.status(format!(
            "Wrote the export with its secrets to {} (mode 0600).",
            path.display()
        ));
    }
    printer.out(&shown);
    Ok(())
}

fn render(report: &ExportReport, json: bool) -> String {
    if json {
        serde_json::to_string_pretty(report).unwrap_or_default()
    } else {
        report.to_string()
    }
}

/// Creates `path`, which must not exist yet, readable by this user only.
fn write_new_private(path: &std::path::Path, text: &str) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let err = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::AlreadyExists => Error::usage(
            format!("{} exists already", path.display()),
            "name a new file with --out; jira-spoke never overwrites a file with secrets",
        ),
        _ => Error::FileAccess {
            action: "write",
            path: path.to_owned(),
            source: std::sync::Arc::new(source),
        },
    };
    let mut file = options.open(path).map_err(err)?;
    file.write_all(text.as_bytes()).map_err(err)?;
    file.write_all(b"\n").map_err(err)
}
