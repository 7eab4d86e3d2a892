//! What a terminal shows once the bytes a program wrote have acted: a
//! screen model (vt100) of `rows` × `columns`, for pty tests that assert on
//! the screen (a cleared line is gone, a redrawn prompt shows once) rather
//! than on the byte stream.

use std::num::NonZeroU16;

/// The screen's rows, trailing blanks trimmed and empty rows at the end
/// dropped; a row the terminal wrapped onto is a row of its own.
pub(crate) fn rows(bytes: &str, rows: u16, columns: u16) -> Vec<String> {
    let parser = parse(bytes, rows, columns);
    let mut shown: Vec<String> = parser
        .screen()
        .rows(0, columns)
        .map(|r| r.trim_end().to_owned())
        .collect();
    while shown.last().is_some_and(String::is_empty) {
        shown.pop();
    }
    shown
}

/// The screen as lines of text: rows the terminal wrapped are joined back
/// into the line that was written.
pub(crate) fn text(bytes: &str, rows: u16, columns: u16) -> String {
    let parser = parse(bytes, rows, columns);
    let lines: Vec<String> = parser
        .screen()
        .contents()
        .lines()
        .map(|l| l.trim_end().to_owned())
        .collect();
    lines.join("\n").trim_end().to_owned()
}

fn parse(bytes: &str, rows: u16, columns: u16) -> vt100::Parser {
    let size = |n| NonZeroU16::new(n).expect("a screen has a size");
    let mut parser = vt100::Parser::new(size(rows), size(columns), 0);
    parser.process(bytes.as_bytes());
    parser
}
