//! Golden files: the exact output a test expects, kept in `tests/it/golden/`
//! where a reviewer reads it. `JIRA_SPOKE_BLESS=1` rewrites them from what the
//! tests produce; review the diff before committing it.

use std::path::PathBuf;

/// Asserts that `actual`, with the fakes' loopback ports masked, is the
/// golden file `name` (`golden/<name>.txt`), trailing blank space aside.
pub(crate) fn assert_golden(name: &str, actual: &str) {
    let actual = mask_loopback_ports(actual);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/golden")
        .join(format!("{name}.txt"));
    if std::env::var_os("JIRA_SPOKE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("{}\n", actual.trim_end())).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {}: {e} (JIRA_SPOKE_BLESS=1 writes it)",
            path.display()
        )
    });
    let (expected, actual) = (expected.trim_end(), actual.trim_end());
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "output differs from {} at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             --- actual output ---\n{actual}\n--- end (JIRA_SPOKE_BLESS=1 rewrites the file) ---",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

/// `127.0.0.1:<port>` as `[LOCALHOST]`: the fakes bind a new port each run.
fn mask_loopback_ports(text: &str) -> String {
    const HOST: &str = "127.0.0.1:";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(HOST) {
        out.push_str(&rest[..at]);
        let after = &rest[at + HOST.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(if digits == 0 { HOST } else { "[LOCALHOST]" });
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[test]
fn ports_are_masked_and_nothing_else() {
    assert_eq!(
        mask_loopback_ports("a http://127.0.0.1:8080/x 127.0.0.1: 127.0.0.10:1"),
        "a http://[LOCALHOST]/x 127.0.0.1: 127.0.0.10:1"
    );
}
