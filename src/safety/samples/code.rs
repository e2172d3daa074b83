//! A value that is code, not data: in a program's source, an unquoted right-hand side is an expression that
//! *names* something (`const keys = neo4jResults.columns;`), never a literal secret — a secret written there
//! would be a reference to a variable of that name, and the program would not run. `generic-api-key` matches
//! any run of word characters after a credential word, so it reads such a property access as a key.
//!
//! [`is_code_expression`] decides by the token structure, not by names: the file is source of a language in
//! which a bare word is an identifier (by its extension: JavaScript, TypeScript, Python, Java, Kotlin, Scala,
//! Go, C#, Ruby, Swift, Rust, Dart, Groovy, C and C++); the value is not quoted (no quote or backtick on either
//! side); it is an identifier path of two or more identifiers joined by `.`; the line is code, not a comment
//! (it does not open with `//`, `#`, `*`, `/*`, `--`, and holds no `//` or ` #` before the value); and the
//! path's first identifier is bound elsewhere in the file: it appears there as a word of its own that is not
//! the start of the same path (a parameter, a declaration, an import), or it is `this`, `self` or `super`.
//!
//! A secret pasted unquoted into a source file's comment is on a comment line; one pasted into a string that
//! spans lines (a docstring, a template) is a literal whose first part is bound nowhere else in the file. A
//! quoted value, and any value in a configuration, shell or data file, is judged as it stands.

use std::ops::Range;

/// Endings of source files whose bare words are identifiers.
const SOURCE: &[&str] = &[
    ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".py", ".java", ".kt", ".kts", ".scala", ".go",
    ".cs", ".rb", ".swift", ".rs", ".dart", ".groovy", ".c", ".cc", ".cpp", ".h", ".hpp",
];

fn ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}

fn ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Whether the value at `value` of `text` (a file at `path`) is an expression of code (see the module's
/// documentation).
pub(crate) fn is_code_expression(path: &str, text: &[u8], value: Range<usize>) -> bool {
    let lower = path.to_ascii_lowercase();
    if !SOURCE.iter().any(|e| lower.ends_with(e)) {
        return false;
    }
    let quote = |b: Option<&u8>| matches!(b, Some(b'"' | b'\'' | b'`'));
    if quote(value.start.checked_sub(1).and_then(|i| text.get(i))) || quote(text.get(value.end)) {
        return false;
    }
    let v = &text[value.clone()];
    let parts: Vec<&[u8]> = v.split(|b| *b == b'.').collect();
    if parts.len() < 2
        || !parts
            .iter()
            .all(|p| !p.is_empty() && ident_start(p[0]) && p.iter().all(|b| ident_char(*b)))
    {
        return false;
    }
    let line_start = super::line_start(text, value.start);
    let before = &text[line_start..value.start];
    let trimmed = before.trim_ascii_start();
    let comment_opening = [b"//".as_slice(), b"#", b"*", b"/*", b"--"]
        .iter()
        .any(|c| trimmed.starts_with(c));
    let trailing_comment = contains(before, b"//") || contains(before, b" #");
    if comment_opening || trailing_comment {
        return false;
    }
    let root = parts[0];
    if matches!(root, b"this" | b"self" | b"super") {
        return true;
    }
    bound_elsewhere(text, root, v, value.start)
}

/// Whether `root` appears in `text` as a word of its own somewhere other than at `at`, and not as the start of
/// another copy of `path`.
fn bound_elsewhere(text: &[u8], root: &[u8], path: &[u8], at: usize) -> bool {
    let mut from = 0;
    while let Some(i) = find(&text[from..], root) {
        let start = from + i;
        let end = start + root.len();
        from = start + 1;
        if start == at {
            continue;
        }
        let before_ok = start == 0 || !(ident_char(text[start - 1]) || text[start - 1] == b'.');
        let after_ok = text.get(end).is_none_or(|b| !ident_char(*b));
        if before_ok && after_ok && !text[start..].starts_with(path) {
            return true;
        }
    }
    false
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
