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

use std::io::{self, Read};
use std::ops::Range;

/// Deepest nesting of arrays and inline tables the scanner follows.
const MAX_DEPTH: usize = 32;

/// The bytes of a bare key: `A-Z a-z 0-9 _ -`.
static BARE_KEY: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        c += 1;
    }
    table
};

/// Where the top-level keys and each connection's tables are.
#[derive(Debug)]
pub struct Layout<'a> {
    text: &'a str,
    /// The top-level keys, before the first table.
    prelude: Range<usize>,
    /// Each table: the connection it belongs to and its text, header
    /// included; `None` for an empty `[connections]` (what an empty map
    /// is written as).
    tables: Vec<(Option<&'a str>, Range<usize>)>,
}

impl<'a> Layout<'a> {
    /// Scans `text`; `None` when it is not of the shape described above.
    pub fn scan(text: &'a str) -> Option<Layout<'a>> {
        let b = text.as_bytes();
        let starts = match quick(b) {
            Some(starts) => starts,
            None => {
                let mut starts = Starts::new();
                lex(b, &mut starts)?;
                starts
            }
        };
        let prelude = 0..starts.first().map_or(b.len(), |(_, start)| *start);
        let ends = starts.iter().skip(1).map(|(_, s)| *s).chain([b.len()]);
        let tables = starts
            .iter()
            .zip(ends)
            .map(|((name, start), end)| (*name, *start..end))
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
        self.extract_each(|n| n == name)
    }

    /// The top-level keys and the tables of the connections in `names`
    /// (sorted, as [`Layout::names`] gives them), in the file's order.
    pub fn extract_all(&self, names: &[String]) -> String {
        self.extract_each(|n| names.binary_search_by(|m| m.as_str().cmp(n)).is_ok())
    }

    fn extract_each(&self, wanted: impl Fn(&str) -> bool) -> String {
        let mut out = String::from(self.prelude());
        for (_, range) in self.tables.iter().filter(|(n, _)| n.is_some_and(&wanted)) {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&self.text[range.clone()]);
        }
        out
    }

    /// Every connection named, sorted as the full parse sorts them.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tables
            .iter()
            .filter_map(|(n, _)| n.map(str::to_owned))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// Connection `name`'s part of a config — its top-level keys and `name`'s
/// tables, as [`Layout::extract`] gives it — read from `file` a piece at a
/// time: a config of a thousand connections is never held whole, so reading
/// one costs a buffer, not a megabyte of fresh memory. `Ok(None)` when the
/// text is not of the shape [`quick`] splits, is not UTF-8, or has no such
/// connection: the caller then reads it whole, and the full parse says why.
/// Also returns how many bytes were read (up to where it gave up).
pub fn connection_part(mut file: impl Read, name: &str) -> io::Result<(Option<String>, usize)> {
    let mut split = Splitter::new(name.as_bytes());
    let mut pending: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    let mut buf = vec![0; CHUNK];
    let mut total = 0;
    loop {
        let n = match file.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n;
        pending.extend_from_slice(&buf[..n]);
        // Whole lines only: a header, a string or a UTF-8 sequence never
        // spans a line end.
        let whole = if n == 0 {
            pending.len()
        } else {
            match memchr::memrchr(b'\n', &pending) {
                Some(at) => at + 1,
                None => continue,
            }
        };
        if split.lines(&pending[..whole]).is_none() {
            return Ok((None, total));
        }
        pending.drain(..whole);
        if n == 0 {
            return Ok((split.finish(), total));
        }
    }
}

/// Bytes read at a time by [`connection_part`].
const CHUNK: usize = 64 * 1024;

/// Where [`Splitter`] is: which table the lines it is given belong to.
enum Section {
    /// Before the first table: top-level keys.
    Prelude,
    /// `[connections]`, which must hold nothing.
    Connections,
    /// A connection's table; `true` when it is the one wanted.
    Table(bool),
}

/// [`quick`]'s split, fed whole lines in order, keeping only the top-level
/// keys and the wanted connection's tables.
struct Splitter<'n> {
    name: &'n [u8],
    section: Section,
    prelude: Vec<u8>,
    part: Vec<u8>,
    found: bool,
}

impl<'n> Splitter<'n> {
    fn new(name: &'n [u8]) -> Self {
        Splitter {
            name,
            section: Section::Prelude,
            prelude: Vec::new(),
            part: Vec::new(),
            found: false,
        }
    }

    /// Takes the next whole lines; `None` when they leave [`quick`]'s shape.
    fn lines(&mut self, b: &[u8]) -> Option<()> {
        // NOTE: not checked for UTF-8 here: only the lines kept are, in
        // `finish`. A header or a line end is never part of a multi-byte
        // sequence, so the split is the same, and bad bytes in another
        // connection's tables are that connection's problem, as a syntax
        // error there is.
        if memchr::memmem::find(b, b"\"\"\"").is_some() || memchr::memmem::find(b, b"'''").is_some()
        {
            return None;
        }
        let mut from = 0;
        for at in memchr::memchr_iter(b'[', b) {
            let line = memchr::memrchr(b'\n', &b[..at]).map_or(0, |n| n + 1);
            if line < from || !b[line..at].iter().all(|&c| c == b' ' || c == b'\t') {
                continue;
            }
            let (name, next) = plain_header(b, at).or_else(|| header(b, at))?;
            self.keep(&b[from..line])?;
            // `[connections]`'s own line is not kept; a connection's
            // table keeps its header, as `extract` does.
            from = line;
            self.section = match name {
                None => {
                    from = next;
                    Section::Connections
                }
                Some(name) => Section::Table(name.as_bytes() == self.name),
            };
            if matches!(self.section, Section::Table(true)) {
                self.found = true;
                if !self.part.is_empty() && !self.part.ends_with(b"\n") {
                    self.part.push(b'\n');
                }
            }
        }
        self.keep(&b[from..])
    }

    /// Lines of the current section.
    fn keep(&mut self, b: &[u8]) -> Option<()> {
        match self.section {
            Section::Prelude => self.prelude.extend_from_slice(b),
            Section::Connections => {
                if !blank_or_comments(b) {
                    return None;
                }
            }
            Section::Table(true) => self.part.extend_from_slice(b),
            Section::Table(false) => {}
        }
        Some(())
    }

    /// The top-level keys and the connection's tables, once every line is in.
    fn finish(self) -> Option<String> {
        if !self.found {
            return None;
        }
        lex(&self.prelude, &mut Starts::new())?;
        let mut out = self.prelude;
        if !out.is_empty() && !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        out.extend_from_slice(&self.part);
        String::from_utf8(out).ok()
    }
}

/// A table header's connection (`None` for `[connections]`) and where it
/// starts, for every header in order.
type Starts<'a> = Vec<(Option<&'a str>, usize)>;

/// The headers of a file without multi-line strings, found without lexing
/// every line: there, a line whose first character is `[` is a table header
/// or an element of a nested array spanning lines. No TOML value reads as a
/// `[connections.<name>]` header; other readings give `None`, and
/// `["connections"]` reads as `[connections]`, whose body must then be blank
/// — which the rest of its array is not. So in a valid file the split found
/// here is the one [`lex`] finds; only in an invalid one may a connection be
/// split off where the full parse finds an error (see
/// [`super::ConfigFile::load_connection`]).
fn quick(b: &[u8]) -> Option<Starts<'_>> {
    if memchr::memmem::find(b, b"\"\"\"").is_some() || memchr::memmem::find(b, b"'''").is_some() {
        return None;
    }
    let mut starts = Starts::new();
    for at in memchr::memchr_iter(b'[', b) {
        let line = memchr::memrchr(b'\n', &b[..at]).map_or(0, |n| n + 1);
        if b[line..at].iter().all(|&c| c == b' ' || c == b'\t') {
            let (name, _) = header(b, at)?;
            starts.push((name, line));
        }
    }
    // The top-level keys are lexed in full: no `connections` among them,
    // and an array left open there means a nested array was taken for a
    // header.
    let first = starts.first().map_or(b.len(), |(_, start)| *start);
    lex(&b[..first], &mut Starts::new())?;
    // `[connections]` holds no keys: connections defined by keys are left to
    // the full parse.
    let ends = starts.iter().skip(1).map(|(_, s)| *s).chain([b.len()]);
    for ((name, start), end) in starts.iter().zip(ends) {
        let body = memchr::memchr(b'\n', &b[*start..end]).map_or(end, |n| start + n + 1);
        if name.is_none() && !blank_or_comments(&b[body..end]) {
            return None;
        }
    }
    Some(starts)
}

/// Lexes `b` line by line as TOML, noting each table header in `starts`.
fn lex<'a>(b: &'a [u8], starts: &mut Starts<'a>) -> Option<()> {
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
                let (name, next) = header(b, i)?;
                starts.push((name, line));
                i = next;
            }
            Some(_) => {
                let ([first, _], after) = key_path(b, i)?;
                // Connections defined by keys, not tables, are rare enough
                // to be left to the full parse.
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
    Some(())
}

/// The table header at `i` (its `[`): `[connections]` (`None`) or
/// `[connections.<name>…]`; and where the next line starts. Anything else,
/// an array of tables included, is `None`.
fn header(b: &[u8], i: usize) -> Option<(Option<&str>, usize)> {
    if b.get(i + 1) == Some(&b'[') {
        return None;
    }
    let ([first, name], after) = key_path(b, i + 1)?;
    if b.get(after) != Some(&b']') || first != b"connections" {
        return None;
    }
    let next = end_of_line(b, after + 1)?;
    let name = match name {
        [] => None,
        name => Some(std::str::from_utf8(name).ok()?),
    };
    Some((name, next))
}

/// [`header`] of the headers jira-spoke writes, `[connections.<name>…]` in
/// bare keys without blanks, read in one pass: a config of a thousand
/// connections has five thousand of them. `None` for anything else, which
/// [`header`] then reads.
fn plain_header(b: &[u8], i: usize) -> Option<(Option<&str>, usize)> {
    const PREFIX: &[u8] = b"[connections.";
    // A bare part's end; a quoted one is left to `header`.
    let bare = |from: usize| match b.get(from)? {
        b'"' | b'\'' => None,
        _ => key_part(b, from).map(|(_, end)| end),
    };
    if !b.get(i..)?.starts_with(PREFIX) {
        return None;
    }
    let start = i + PREFIX.len();
    let name_end = bare(start)?;
    let mut j = name_end;
    while b.get(j) == Some(&b'.') {
        j = bare(j + 1)?;
    }
    if b.get(j) != Some(&b']') {
        return None;
    }
    let name = std::str::from_utf8(&b[start..name_end]).ok()?;
    Some((Some(name), end_of_line(b, j + 1)?))
}

/// Only blank lines and comments.
fn blank_or_comments(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        i = skip_blank(b, i);
        match b.get(i) {
            None => return true,
            Some(b'\n' | b'\r') => i += 1,
            Some(b'#') => i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n + 1),
            Some(_) => return false,
        }
    }
    true
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
        i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |k| i + k);
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
        .position(|&c| !BARE_KEY[usize::from(c)])
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
                j += memchr::memchr3(b'"', b'\\', b'\n', b.get(j..)?)?;
                match b[j] {
                    b'\\' => j += 2,
                    b'"' => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        b'\'' => {
            let len = memchr::memchr2(b'\'', b'\n', &b[i + 1..])?;
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
        i += memchr::memchr2(quote, b'\\', b.get(i..)?)?;
        match b[i] {
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
            "[connections.\"esc\\\"aped\"]\n",
            "[connections.a] trailing\n",
            "k = [1, 2\n[connections.a]\n",
            "k = 1979-05-27 07:32:00Z\n[connections.a]\n",
        ] {
            assert!(Layout::scan(text).is_none(), "{text:?}");
            let careful = text.replace("[connections", "k2 = '''x'''\n[connections");
            assert!(Layout::scan(&careful).is_none(), "{careful:?}");
        }
        let deep = format!("k = {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(Layout::scan(&deep).is_none(), "bounded recursion");
        // A connection's own broken tables may be split off (the quick scan
        // does not lex them), but then do not parse: the whole file is read.
        for body in ["k = \"unterminated\n", "k = [1, 2\n"] {
            let text = format!("[connections.a]\n{body}[connections.b]\ngrant = 1\n");
            if let Some(layout) = Layout::scan(&text) {
                assert!(toml::from_str::<toml::Table>(&layout.extract("a")).is_err());
                assert_eq!(layout.extract("b"), "[connections.b]\ngrant = 1\n");
            }
        }
    }

    #[test]
    fn a_nested_array_line_is_never_taken_for_a_connection() {
        // Without multi-line strings the quick scan takes lines starting
        // with `[` for headers; these are array elements.
        let prelude = "k = [\n[\"connections\"]\n]\n[connections.a]\ngrant = 1\n";
        let layout = Layout::scan(prelude).expect("lexed after all");
        assert_eq!(layout.prelude(), "k = [\n[\"connections\"]\n]\n");
        assert_eq!(layout.names(), ["a"]);
        let inside = "[connections.a]\nk = [\n[\"connections\"]\n]\n[connections.b]\ngrant = 1\n";
        let layout = Layout::scan(inside).expect("lexed after all");
        assert_eq!(layout.extract("b"), "[connections.b]\ngrant = 1\n");
        assert_eq!(
            layout.extract("a"),
            "[connections.a]\nk = [\n[\"connections\"]\n]\n"
        );
        let number = "[connections.a]\nk = [\n[1.5]\n]\n";
        let layout = Layout::scan(number).expect("lexed after all");
        assert_eq!(layout.extract("a"), number);
        let quick = "version = 1\n[connections.a]\nk = [\n  \"x\",\n]\n  [connections.b]\n";
        let layout = Layout::scan(quick).unwrap();
        assert_eq!(layout.names(), ["a", "b"]);
    }

    #[test]
    fn the_one_pass_header_reading_agrees_with_the_general_one() {
        let lines = [
            "[connections.a]\n",
            "[connections.c0500.secrets.client_secret]\n",
            "[connections.a-b_9.token] # note\r\n",
            "[connections.a]",
            "[connections.\"b.c\"]\n",
            "[connections. a]\n",
            "[connections.a ]\n",
            "[connections.a.\"x\"]\n",
            "[connections.a]]\n",
            "[connections.a] k = 1\n",
            "[connections.]\n",
            "[connections.a.]\n",
            "[connections]\n",
            "[[connections.a]]\n",
            "[connectionsx.a]\n",
            "[connections.é]\n",
        ];
        let mut plain = 0;
        for line in lines {
            let b = line.as_bytes();
            if let Some(read) = plain_header(b, 0) {
                plain += 1;
                assert_eq!(Some(read), header(b, 0), "{line:?}");
            }
        }
        assert_eq!(plain, 4, "the shapes jira-spoke writes take the one pass");
    }

    #[test]
    fn bytes_that_are_not_utf8_only_matter_in_the_connection_read() {
        let mut text = b"version = 1\n[connections.a]\nk = \"".to_vec();
        text.extend_from_slice(&[0xff, 0xfe]);
        text.extend_from_slice(b"\"\n[connections.b]\ngrant = 1\n");
        let read = |name: &str| connection_part(&text[..], name).unwrap().0;
        assert_eq!(
            read("b").as_deref(),
            Some("version = 1\n[connections.b]\ngrant = 1\n")
        );
        assert_eq!(
            read("a"),
            None,
            "its own bad bytes: read whole, which says why"
        );
    }

    /// Hands out `step` bytes a read.
    struct Trickle<'a> {
        text: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.text.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    fn in_pieces(text: &str, name: &str, step: usize) -> Option<String> {
        let reader = Trickle {
            text: text.as_bytes(),
            step,
        };
        let (part, len) = connection_part(reader, name).unwrap();
        if part.is_some() {
            assert_eq!(len, text.len(), "every byte is read");
        }
        part
    }

    #[test]
    fn read_in_pieces_a_connection_is_what_the_whole_scan_extracts() {
        let regular = "version = 1\ndefault = \"b\"\n\n[connections.a]\ngrant = \"api-token\"\nscopes = [\n    \"x\", # note\n    'y',\n]\n\n[connections.\"b.c\"]\nk = 'v'\n\n[connections.a.token]\nexpires_at = 1\n";
        let texts = [
            regular,
            &regular.replace('\n', "\r\n"),
            regular.trim_end(),
            "[connections.a]\ngrant = 1",
            "version = 1\n\n[connections]\n# none yet\n\n[connections.a]\ngrant = 1\n",
            "version = 1\n[connections.a]\nk = [\n  \"x\",\n]\n  [connections.b]\n",
            "k = [\n[\"connections\"]\n]\n[connections.a]\ngrant = 1\n",
            "[connections.a]\nk = [\n[\"connections\"]\n]\n[connections.b]\ngrant = 1\n",
            "[connections.a]\nk = [\n[1.5]\n]\n",
            "[connections.a]\nk = \"\"\"\n[connections.b]\n\"\"\"\n",
            "[connections]\na.grant = \"api-token\"\n",
            "[connections.a]\n[other]\n",
            "k = [1, 2\n[connections.a]\n",
            "k = 1979-05-27 07:32:00Z\n[connections.a]\n",
            "[connections.a]\nk = \"é\"\n[connections.b]\nk = \"ü\"\n",
        ];
        let mut found = 0;
        for text in texts {
            for name in ["a", "b", "b.c", "none"] {
                let whole = in_pieces(text, name, usize::MAX);
                for step in [1, 2, 3, 7, 64] {
                    assert_eq!(in_pieces(text, name, step), whole, "{text:?} {name} {step}");
                }
                let Some(part) = whole else { continue };
                found += 1;
                let layout = Layout::scan(text).expect("split in pieces, so whole too");
                assert!(layout.names().iter().any(|n| n == name), "{text:?} {name}");
                assert_eq!(part, layout.extract(name), "{text:?} {name}");
            }
        }
        assert!(found >= 12, "the usual shapes are read in pieces ({found})");
        assert_eq!(
            in_pieces(regular, "b.c", 5).unwrap(),
            "version = 1\ndefault = \"b\"\n\n[connections.\"b.c\"]\nk = 'v'\n\n"
        );
    }
}
