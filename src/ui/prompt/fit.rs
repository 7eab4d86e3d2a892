//! Prompts that fit the terminal. dialoguer clears and redraws the lines it
//! counts, and it counts newlines, not the rows a long line wraps onto: a
//! prompt or menu item wider than the terminal leaves its first rows behind
//! once answered. So long text is wrapped here, at spaces, into lines that
//! fit, before dialoguer sees it.

use console::measure_text_width;

/// Columns kept free at the right edge: a line that ends exactly at the
/// edge leaves some terminals' cursor on the next row.
const MARGIN: usize = 1;

/// Columns of dialoguer's prefixes: `? `, `✔ `, `❯ `.
pub(super) const PREFIX: usize = 2;

/// The narrowest line worth wrapping to; below it the terminal wraps.
const NARROWEST: usize = 20;

/// A prompt split to fit: the lines shown above dialoguer's own line, and
/// that line, which leaves `reserve` columns for what dialoguer adds.
#[derive(Debug, PartialEq)]
pub(super) struct Fitted {
    pub lead: Vec<String>,
    pub last: String,
}

impl Fitted {
    /// The whole prompt, its lines joined under the prefix: for the answered line.
    pub(super) fn joined(&self) -> String {
        let mut lines = self.lead.clone();
        lines.push(self.last.clone());
        lines.join(&format!("\n{}", " ".repeat(PREFIX)))
    }
}

/// `None` when `prompt` and `reserve` columns fit on one line of a
/// terminal `columns` wide; else the prompt split at spaces.
pub(super) fn split(prompt: &str, columns: usize, reserve: usize) -> Option<Fitted> {
    let room = columns.saturating_sub(PREFIX + MARGIN).max(NARROWEST);
    if measure_text_width(prompt) + reserve <= room {
        return None;
    }
    let mut lines = wrap(prompt, room);
    let last = lines.pop().unwrap_or_default();
    // The last line also carries what dialoguer adds (a default, `›`, the
    // answer being typed).
    let mut tail = wrap(&last, room.saturating_sub(reserve).max(NARROWEST));
    let last = tail.pop().unwrap_or_default();
    lines.extend(tail);
    Some(Fitted { lead: lines, last })
}

/// A menu item wrapped to fit after a `width`-column prefix, its further
/// lines indented under its first.
pub(super) fn item(text: &str, columns: usize, prefix: usize) -> String {
    let room = columns.saturating_sub(prefix + MARGIN).max(NARROWEST);
    wrap(text, room).join(&format!("\n{}", " ".repeat(prefix)))
}

/// `text` in lines of at most `width` columns, broken at spaces; a word
/// longer than that gets a line of its own.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && measure_text_width(&line) + 1 + measure_text_width(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prompt_that_fits_is_left_alone() {
        assert_eq!(split("Client ID", 60, 20), None);
    }

    #[test]
    fn a_long_prompt_is_split_at_spaces_with_room_on_its_last_line() {
        let prompt = "Create the Jira spoke's records on http://127.0.0.1:37303 now? \
                      (No: jira-spoke lists what to type in ServiceNow's forms)";
        let fitted = split(prompt, 60, 12).unwrap();
        for line in &fitted.lead {
            assert!(measure_text_width(line) <= 57, "{line:?}");
        }
        assert!(measure_text_width(&fitted.last) + 12 <= 57, "{fitted:?}");
        assert_eq!(fitted.joined().replace("\n  ", " "), prompt);
    }

    #[test]
    fn an_item_wraps_under_its_prefix() {
        let text = "OAuth 2.0 Client Credentials — a service account; best for CI and integrations, no browser";
        let wrapped = item(text, 60, 2);
        assert!(wrapped.contains("\n  "), "{wrapped}");
        assert!(wrapped.lines().all(|l| measure_text_width(l) <= 59));
        assert_eq!(wrapped.replace("\n  ", " "), text);
    }
}
