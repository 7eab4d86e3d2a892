//! The part of `config.toml` one command needs: its top-level keys and the
//! tables of one connection, cut out of the file as TOML text.
//!
//! `token` among a thousand connections would otherwise build all of them to
//! read one: the `toml` crate's parser checks the whole file's syntax in a
//! fraction of the time its document tree takes to build. The file is split
//! at the table headers that parser reports ([`toml_parser`], the `toml`
//! crate's own), so a `[` in a string or an array is never taken for one.

use std::borrow::Cow;

use toml_parser::decoder::Encoding;
use toml_parser::parser::{EventReceiver, RecursionGuard, ValidateWhitespace, parse_document};
use toml_parser::{ErrorSink, ParseError, Raw, Source, Span};

/// How deep arrays and inline tables may nest, as the `toml` crate allows.
const DEPTH: u32 = 80;

/// The top-level keys of TOML document `text` (those before its first table
/// header) and, when `connection` is given, every table of that connection
/// (`[connections.NAME]`, `[connections.NAME.oauth]`, …) and a
/// `[connections]` table's own keys, in the order written: a document of its
/// own that reads as the whole file reads for them.
///
/// `None` when the file has a syntax error anywhere, or an array of tables
/// under `connections`: the whole file is then parsed, and says where.
/// What only the whole tree can show — a table written twice in another
/// connection, say — does not stop this one.
pub(super) fn excerpt(text: &str, connection: Option<&str>) -> Option<String> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut headers = Headers {
        source,
        open: None,
        found: Vec::new(),
    };
    let mut errors: Option<ParseError> = None;
    {
        let mut whitespace = ValidateWhitespace::new(&mut headers, source);
        let mut guard = RecursionGuard::new(&mut whitespace, DEPTH);
        parse_document(&tokens, &mut guard, &mut errors);
    }
    if errors.is_some() {
        return None;
    }
    let mut cut = String::new();
    let root_end = headers.found.first().map_or(text.len(), |h| h.start);
    cut.push_str(&text[..root_end]);
    let ends = headers
        .found
        .iter()
        .skip(1)
        .map(|h| h.start)
        .chain([text.len()]);
    for (header, end) in headers.found.iter().zip(ends) {
        let wanted = match header.keys.as_slice() {
            [first, ..] if first != "connections" => false,
            _ if header.array => return None,
            [_] => true,
            [_, name, ..] => connection == Some(name.as_str()),
            [] => false,
        };
        if wanted {
            cut.push('\n');
            cut.push_str(&text[header.start..end]);
        }
    }
    Some(cut)
}

/// The table headers of a document, as its parser reports them.
struct Headers<'s> {
    source: Source<'s>,
    /// The header being read.
    open: Option<Header>,
    found: Vec<Header>,
}

/// `[a.b]` or `[[a.b]]`: where it starts and its keys, decoded.
struct Header {
    start: usize,
    keys: Vec<String>,
    array: bool,
}

impl<'s> Headers<'s> {
    fn open(&mut self, span: Span, array: bool) {
        self.open = Some(Header {
            start: span.start(),
            keys: Vec::new(),
            array,
        });
    }

    fn close(&mut self) {
        self.found.extend(self.open.take());
    }

    /// The text of `span`, as the parser's events give it.
    fn raw(&self, span: Span, encoding: Option<Encoding>) -> Raw<'s> {
        let text = &self.source.input()[span.start()..span.end()];
        Raw::new_unchecked(text, encoding, span)
    }
}

impl EventReceiver for Headers<'_> {
    fn std_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.open(span, false);
    }

    fn std_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.close();
    }

    fn array_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        self.open(span, true);
    }

    fn array_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.close();
    }

    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        let raw = self.raw(span, encoding);
        match self.open.as_mut() {
            Some(header) => {
                let mut key = Cow::Borrowed("");
                raw.decode_key(&mut key, error);
                header.keys.push(key.into_owned());
            }
            // Checked, not kept: only the headers' keys are looked at.
            None => raw.decode_key(&mut (), error),
        }
    }

    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        let _kind = self.raw(span, encoding).decode_scalar(&mut (), error);
    }

    fn comment(&mut self, span: Span, error: &mut dyn ErrorSink) {
        self.raw(span, None).decode_comment(error);
    }

    fn newline(&mut self, span: Span, error: &mut dyn ErrorSink) {
        self.raw(span, None).decode_newline(error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "version = 1\ndefault = \"b\"\n\n\
        [connections.a]\ngrant = \"api-token\"\nnote = \"\"\"\n[connections.b]\n\"\"\"\n\n\
        [connections.a.oauth]\ntoken_url = \"https://a\"\n\n\
        [connections.\"b\"]\ngrant = \"client-credentials\"\nlist = [\n  [1],\n]\n\n\
        [connections.b.secrets.client_secret]\nservice = \"jira-spoke\"\n\n\
        [connections.c]\ngrant = \"api-token\"\n";

    #[test]
    fn cuts_the_top_level_keys_and_one_connections_tables() {
        let cut = excerpt(FILE, Some("b")).unwrap();
        assert_eq!(
            cut,
            "version = 1\ndefault = \"b\"\n\n\n\
             [connections.\"b\"]\ngrant = \"client-credentials\"\nlist = [\n  [1],\n]\n\n\n\
             [connections.b.secrets.client_secret]\nservice = \"jira-spoke\"\n\n"
        );
        let a = excerpt(FILE, Some("a")).unwrap();
        assert!(a.contains("[connections.a.oauth]"), "{a}");
        assert!(
            a.contains("note = \"\"\"\n[connections.b]\n\"\"\""),
            "a header inside a string is the string's: {a}"
        );
        assert!(!a.contains("client-credentials"), "{a}");
        assert_eq!(
            excerpt(FILE, None).unwrap(),
            "version = 1\ndefault = \"b\"\n\n"
        );
    }

    #[test]
    fn a_connections_table_of_its_own_is_kept() {
        let file = "version = 1\n[connections]\nb.grant = \"api-token\"\n[other]\nx = 1\n";
        assert_eq!(
            excerpt(file, Some("b")).unwrap(),
            "version = 1\n\n[connections]\nb.grant = \"api-token\"\n"
        );
    }

    #[test]
    fn a_syntax_error_anywhere_or_an_array_of_connections_is_left_to_the_whole_parse() {
        let broken = format!("{FILE}\n[connections.z]\ngrant = \n");
        assert_eq!(excerpt(&broken, Some("b")), None);
        let bad_whitespace = format!("{FILE}\n[connections.z]\ngrant =\u{0b}1\n");
        assert_eq!(excerpt(&bad_whitespace, Some("b")), None);
        let arrays = format!("{FILE}\n[[connections.z]]\ngrant = 1\n");
        assert_eq!(excerpt(&arrays, Some("b")), None);
    }
}
