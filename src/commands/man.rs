//! `jira-spoke man`: the manual page, generated from the clap definition so
//! it can never disagree with `--help`.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, Result};

/// Writes the roff manual page to stdout.
pub(super) fn run() -> Result<()> {
    let mut page = Vec::new();
    render(&mut page)
        .map_err(|e| Error::Internal(format!("cannot render the manual page: {e}")))?;
    // A closed pipe (`jira-spoke man | head`) is not an error worth reporting.
    let _ = std::io::stdout().lock().write_all(&page);
    Ok(())
}

/// The whole page: the top-level command, then a section per subcommand.
pub(super) fn render(out: &mut impl Write) -> std::io::Result<()> {
    // NOTE: the release alone, not the commit: the page is checked in under
    // docs/ for the release archives and must not change with every commit.
    let command = Cli::command().version(env!("CARGO_PKG_VERSION"));
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        writeln!(out, ".SH \"JIRA-SPOKE {}\"", sub.get_name().to_uppercase())?;
        let about = sub
            .get_long_about()
            .or_else(|| sub.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        writeln!(out, "{}", roff_text(&about))?;
        let usage = sub
            .clone()
            .bin_name(format!("jira-spoke {}", sub.get_name()))
            .render_usage()
            .to_string();
        writeln!(
            out,
            ".PP\n{}",
            roff_text(usage.trim_start_matches("Usage: "))
        )?;
        for arg in sub
            .get_arguments()
            .filter(|a| !a.is_hide_set() && !a.is_global_set())
        {
            let mut names = Vec::new();
            if let Some(short) = arg.get_short() {
                names.push(format!("-{short}"));
            }
            if let Some(long) = arg.get_long() {
                names.push(format!("--{long}"));
            }
            if names.is_empty() {
                names.push(arg.get_id().to_string().to_uppercase());
            }
            let help = arg
                .get_long_help()
                .or_else(|| arg.get_help())
                .map(|h| h.to_string())
                .unwrap_or_default();
            writeln!(
                out,
                ".TP\n\\fB{}\\fR\n{}",
                names.join(", "),
                roff_text(&help)
            )?;
        }
    }
    // `--help`'s closing text, as two sections of their own.
    for (title, text) in [
        ("EXAMPLES", crate::cli::EXAMPLES),
        ("EXIT CODES", crate::cli::EXIT_CODES),
    ] {
        let body = text.split_once('\n').map(|(_, rest)| rest).unwrap_or(text);
        writeln!(out, ".SH \"{title}\"\n.nf\n{}\n.fi", roff_text(body))?;
    }
    man.render_version_section(out)?;
    Ok(())
}

/// Plain text made safe for roff: backslashes escaped, and a line that
/// would start with `.` or `'` (a roff request) protected.
fn roff_text(text: &str) -> String {
    text.replace('\\', "\\e")
        .lines()
        .map(|line| {
            if line.starts_with('.') || line.starts_with('\'') {
                format!("\\&{line}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_a_title_and_a_section_per_command() {
        let mut page = Vec::new();
        render(&mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.starts_with(".ie") || page.contains(".TH jira-spoke 1"),
            "{}",
            &page[..200]
        );
        for section in [
            "JIRA-SPOKE CONNECT",
            "JIRA-SPOKE VERIFY",
            "JIRA-SPOKE USE",
            "JIRA-SPOKE MAN",
        ] {
            assert!(page.contains(section), "no {section} section");
        }
        assert!(
            page.contains("\\-\\-grant") || page.contains("--grant"),
            "connect's flags are documented"
        );
    }

    #[test]
    fn roff_requests_in_help_text_are_neutralised() {
        assert_eq!(roff_text(".SH x\nplain \\n"), "\\&.SH x\nplain \\en");
    }
}
