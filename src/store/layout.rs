//! Finding one connection's tables in `config.toml` without parsing the
//! others: `token` or `verify` of one connection in a config of a thousand
//! must cost about what it costs in a config of one, and a full parse of a
//! thousand connections costs ten times a whole `token` run.
//!
//! [`Layout::scan`] walks the text once as TOML's lexer would — the four kinds
//! of strings, comments, arrays and inline tables spanning lines — and notes
//! where each table header starts. Only a file of the shape jira-spoke writes
//! is split: top-level keys, then `[connections.<name>]` and
//! `[connections.<name>.<…>]` tables. Anything else (a `[connections]` table,
//! dotted `connections.…` keys at the top, an array of tables, another table,
//! a key or value the scanner does not know) gives `None`, and the caller
//! parses the whole file as before.

use std::ops::Range;

/// Deepest nesting of arrays and inline tables the scanner follows.
const MAX_DEPTH: usize = 32;

/// Where the top-level keys and each connection's tables are.
#[derive(Debug)]
pub struct Layout<'a> {
    text: &'a str,
    /// The top-level keys, before the first table.
    prelude: Range<usize>,
    /// Each table: the connection it belongs to and its text, header
    /// included; `None` for an empty `[connections]` (what an empty map
    /// is written as).
    tables: Vec<(Option<String>, Range<usize>)>,
}

impl<'a> Layout<'a> {
    /// Scans `text`; `None` when it is not of the shape described above.
    pub fn scan(text: &'a str) -> Option<Layout<'a>> {
        let b = text.as_bytes();
        let mut starts: Vec<(Option<String>, usize)> = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let line = i;
            i = skip_blank(b, i);
            match b.get(i) {
                None => break,
                Some(b'\n') => i += 1,
                Some(b'\r') if b.get(i + 1) == Some(&b'\n') => i += 2,
                Some(b'#') => i = end_of_line(b, i)?,
                Some(b'[') => {
                    if b.get(i + 1) == Some(&b'[') {
                        return None;
                    }
                    let ([first, name], after) = key_path(b, i + 1)?;
                    if b.get(after) != Some(&b']') || first != b"connections" {
                        return None;
                    }
                    i = end_of_line(b, after + 1)?;
                    let name = match name {
                        [] => None,
                        name => Some(std::str::from_utf8(name).ok()?.to_owned()),
                    };
                    starts.push((name, line));
                }
                Some(_) => {
                    let ([first, _], after) = key_path(b, i)?;
                    // Connections defined by keys, not tables, are rare
                    // enough to be left to the full parse.
                    let top = starts.is_empty() && first == b"connections";
                    if top || starts.last().is_some_and(|(name, _)| name.is_none()) {
                        return None;
                    }
                    if b.get(after) != Some(&b'=') {
                        return None;
                    }
                    let end = value(b, skip_blank(b, after + 1), 0)?;
                    i = end_of_line(b, end)?;
                }
            }
        }
        let prelude = 0..starts.first().map_or(b.len(), |(_, start)| *start);
        let ends = starts.iter().skip(1).map(|(_, s)| *s).chain([b.len()]);
        let tables = starts
            .iter()
            .zip(ends)
            .map(|((name, start), end)| (name.clone(), *start..end))
            .collect();
        Some(Layout {
            text,
            prelude,
            tables,
        })
    }

    /// The top-level keys alone, as TOML.
    pub fn prelude(&self) -> &'a str {
        &self.text[self.prelude.clone()]
    }

    /// The top-level keys and connection `name`'s tables, as TOML.
    pub fn extract(&self, name: &str) -> String {
        let mut out = String::from(self.prelude());
        for (_, range) in self
            .tables
            .iter()
            .filter(|(n, _)| n.as_deref() == Some(name))
        {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&self.text[range.clone()]);
        }
        out
    }

    /// Every connection named, sorted as the full parse sorts them.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.tables.iter().filter_map(|(n, _)| n.clone()).collect();
        names.sort();
        names.dedup();
        names
    }
}

/// Past spaces and tabs.
fn skip_blank(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// Past blanks, newlines and comments (inside arrays and inline tables).
fn skip_space(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        i = skip_blank(b, i);
        match b.get(i) {
            Some(b'\n') => i += 1,
            Some(b'\r') if b.get(i + 1) == Some(&b'\n') => i += 2,
            Some(b'#') => i = end_of_line(b, i)?,
            _ => return Some(i),
        }
    }
}

/// After a header or a key's value: blanks, an optional comment, then the
/// end of the line (or of the file). Returns where the next line starts.
fn end_of_line(b: &[u8], i: usize) -> Option<usize> {
    let mut i = skip_blank(b, i);
    if b.get(i) == Some(&b'#') {
        while let Some(&c) = b.get(i) {
            if c == b'\n' {
                break;
            }
            i += 1;
        }
    }
    match b.get(i) {
        None => Some(i),
        Some(b'\n') => Some(i + 1),
        Some(b'\r') if b.get(i + 1) == Some(&b'\n') => Some(i + 2),
        Some(_) => None,
    }
}

/// The first two parts of a dotted key (`a."b.c".'d'`), as written (a
/// quoted part without its quotes), and where the key ends, past trailing
/// blanks. Nothing is allocated: most lines are `key = value`.
fn key_path(b: &[u8], mut i: usize) -> Option<([&[u8]; 2], usize)> {
    let mut parts: [&[u8]; 2] = [&[], &[]];
    let mut n = 0;
    loop {
        i = skip_blank(b, i);
        let (part, after) = key_part(b, i)?;
        if n < 2 {
            parts[n] = part;
        }
        n += 1;
        i = skip_blank(b, after);
        if b.get(i) == Some(&b'.') {
            i += 1;
        } else {
            // A one-part key leaves the second part empty; an empty quoted
            // part is refused, so nothing else looks like that.
            return Some((parts, i));
        }
    }
}

/// One part of a key: bare, or a quoted string without escapes (an escaped
/// or empty quoted key is rare enough to be left to the full parse).
fn key_part(b: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let quote = *b.get(i)?;
    if quote == b'"' || quote == b'\'' {
        let len = b[i + 1..]
            .iter()
            .position(|&c| c == quote || c == b'\\' || c == b'\n')?;
        if b[i + 1 + len] != quote || len == 0 {
            return None;
        }
        return Some((&b[i + 1..i + 1 + len], i + len + 2));
    }
    let len = b[i..]
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-'))
        .unwrap_or(b.len() - i);
    (len > 0).then(|| (&b[i..i + len], i + len))
}

/// Past one value starting at `i`.
fn value(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    if depth > MAX_DEPTH {
        return None;
    }
    match *b.get(i)? {
        b'"' if b[i..].starts_with(b"\"\"\"") => multi_line(b, i + 3, b'"'),
        b'\'' if b[i..].starts_with(b"'''") => multi_line(b, i + 3, b'\''),
        b'"' => {
            let mut j = i + 1;
            loop {
                match *b.get(j)? {
                    b'\\' => j += 2,
                    b'"' => return Some(j + 1),
                    b'\n' => return None,
                    _ => j += 1,
                }
            }
        }
        b'\'' => {
            let len = b[i + 1..].iter().position(|&c| c == b'\'' || c == b'\n')?;
            (b[i + 1 + len] == b'\'').then_some(i + len + 2)
        }
        b'[' => {
            let mut j = skip_space(b, i + 1)?;
            loop {
                if b.get(j) == Some(&b']') {
                    return Some(j + 1);
                }
                j = skip_space(b, value(b, j, depth + 1)?)?;
                match b.get(j) {
                    Some(b',') => j = skip_space(b, j + 1)?,
                    Some(b']') => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        b'{' => {
            let mut j = skip_space(b, i + 1)?;
            loop {
                if b.get(j) == Some(&b'}') {
                    return Some(j + 1);
                }
                let (_, after) = key_path(b, j)?;
                if b.get(after) != Some(&b'=') {
                    return None;
                }
                j = skip_space(b, value(b, skip_blank(b, after + 1), depth + 1)?)?;
                match b.get(j) {
                    Some(b',') => j = skip_space(b, j + 1)?,
                    Some(b'}') => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        // Numbers, booleans, dates: up to a delimiter. A date with a space
        // before its time leaves text the line end refuses: full parse.
        _ => {
            let len = b[i..]
                .iter()
                .position(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}' | b'#'))
                .unwrap_or(b.len() - i);
            (len > 0).then_some(i + len)
        }
    }
}

/// Past a multi-line string whose body starts at `i`; a closing delimiter may
/// be followed by up to two more quotes, which belong to the string.
fn multi_line(b: &[u8], mut i: usize, quote: u8) -> Option<usize> {
    loop {
        match *b.get(i)? {
            b'\\' if quote == b'"' => i += 2,
            c if c == quote && b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) => {
                let mut end = i + 3;
                while end < i + 5 && b.get(end) == Some(&quote) {
                    end += 1;
                }
                return Some(end);
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_shape_jira_spoke_writes() {
        let text = "version = 1\ndefault = \"b\"\n\n[connections.a]\ngrant = \"api-token\"\nscopes = [\n    \"x\", # note\n    'y',\n]\n\n[connections.\"b.c\"]\nk = \"\"\"\n[connections.z]\n\"\"\"\"\n\n[connections.a.token]\nexpires_at = 1\n";
        let layout = Layout::scan(text).expect("regular");
        assert_eq!(layout.prelude(), "version = 1\ndefault = \"b\"\n\n");
        assert_eq!(layout.names(), ["a", "b.c"]);
        let a = layout.extract("a");
        assert!(a.starts_with("version = 1\n"));
        assert!(a.contains("[connections.a]\n") && a.contains("[connections.a.token]\n"));
        assert!(!a.contains("b.c"), "{a}");
        assert!(
            layout.extract("b.c").contains("[connections.z]"),
            "inside a string"
        );
        assert_eq!(layout.extract("none"), layout.prelude());
    }

    #[test]
    fn anything_else_is_left_to_the_full_parse() {
        let empty = Layout::scan("version = 1\n\n[connections]\n").expect("no connections");
        assert!(empty.names().is_empty());
        assert_eq!(empty.extract("a"), "version = 1\n\n");
        for text in [
            "[connections]\na.grant = \"api-token\"\n",
            "connections.a.grant = \"api-token\"\n",
            "[[connections.a]]\n",
            "[other]\n",
            "[connections.a]\nk = \"unterminated\n",
            "[connections.a]\nk = 1979-05-27 07:32:00Z\n",
            "[connections.\"esc\\\"aped\"]\n",
            "[connections.a] trailing\n",
            "[connections.a]\nk = [1, 2\n",
        ] {
            assert!(Layout::scan(text).is_none(), "{text:?}");
        }
        let deep = format!("k = {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(Layout::scan(&deep).is_none(), "bounded recursion");
    }
}
