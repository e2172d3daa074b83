//! A private key's BEGIN line is not a key: the key is the body under it. gitleaks' `private-key` rule matches
//! from a `-----BEGIN … PRIVATE KEY-----` line to the next `KEY-----` at least 64 characters on, so a BEGIN line
//! whose body was cleansed away (a credentials file with the value cut to its first line, a YAML value of the
//! words `this is a fake key`, `hunter2`, a template variable, an ellipsis) matches on to whatever key marker comes
//! next in the file — and that marker may be the BEGIN line of a real key further down.
//!
//! [`bodiless_header`] tells the first kind from a key by what follows the BEGIN line, up to the next `-----`:
//!
//! - a key has a body: one of its first three lines holds a run of 16 or more base64 characters (a PEM line is
//!   64), or what is there (or its first line), stripped of layout (white space, quotes, `\n` escapes), is
//!   base64 that decodes to a DER `SEQUENCE` (every PKCS#1, PKCS#8 and SEC 1 key opens so), however short;
//! - an encrypted PEM (`Proc-Type: 4,ENCRYPTED`, `DEK-Info:`) is a key, body or not: its headers are written
//!   only by the tool that encrypted one;
//! - anything else (nothing, words, `hunter2`, `{{ key }}`, `...`, the lines of other settings) is no body.
//!
//! A bodiless BEGIN line is no finding, and the rule's search **resumes right after that line** (see
//! `RuleSet::find`), so a real key whose BEGIN line the first match swallowed is still matched, from its own
//! BEGIN line. A key this reader cannot see as one (a body in an encoding other than base64 text) fails closed:
//! it is not dropped unless what follows the BEGIN line holds no base64 run at all.

use base64::Engine;

/// How many lines after the BEGIN line are looked at for a body.
const BODY_LINES: usize = 3;
/// A run of this many base64 characters is a body line.
const BODY_RUN: usize = 16;

/// When `matched`, a rule's whole match, opens with a private key's BEGIN line that no key body follows: the
/// length of that BEGIN line's marker, where the search resumes. `None` for a key, and for any match that does
/// not open with such a line.
pub(crate) fn bodiless_header(matched: &[u8]) -> Option<usize> {
    const BEGIN: &[u8] = b"-----BEGIN";
    if matched.len() < BEGIN.len() || !matched[..BEGIN.len()].eq_ignore_ascii_case(BEGIN) {
        return None;
    }
    let label_end = BEGIN.len() + find(&matched[BEGIN.len()..], b"-----")?;
    let label = matched[BEGIN.len()..label_end].to_ascii_uppercase();
    find(&label, b"PRIVATE KEY")?;
    let header_end = label_end + 5;
    let rest = &matched[header_end..];
    let region = &rest[..find(rest, b"-----").unwrap_or(rest.len())];
    if find(region, b"Proc-Type:").is_some() || find(region, b"DEK-Info:").is_some() {
        return None;
    }
    let lines = content_lines(region);
    let has_run = lines
        .iter()
        .take(BODY_LINES)
        .any(|l| longest_base64_run(l) >= BODY_RUN);
    if has_run || decodes_to_der(region) || lines.first().is_some_and(|l| decodes_to_der(l)) {
        return None;
    }
    Some(header_end)
}

/// The non-blank lines of `region`, split at newlines and at `\n`/`\r` escapes (a key written as a string).
fn content_lines(region: &[u8]) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    let mut i = 0;
    while i < region.len() {
        let b = region[i];
        let escape = b == b'\\' && matches!(region.get(i + 1), Some(b'n' | b'r'));
        if b == b'\n' || b == b'\r' || escape {
            if line.iter().any(|c: &u8| !c.is_ascii_whitespace()) {
                lines.push(std::mem::take(&mut line));
            }
            line.clear();
            i += if escape { 2 } else { 1 };
            continue;
        }
        line.push(b);
        i += 1;
    }
    if line.iter().any(|c| !c.is_ascii_whitespace()) {
        lines.push(line);
    }
    lines
}

fn longest_base64_run(line: &[u8]) -> usize {
    line.split(|b| !(b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/'))
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0)
}

/// Whether `region` without its layout (white space, quotes, backslash escapes) is base64 of a DER `SEQUENCE`.
fn decodes_to_der(region: &[u8]) -> bool {
    let mut stripped = Vec::new();
    let mut i = 0;
    while i < region.len() {
        let b = region[i];
        if b == b'\\' && matches!(region.get(i + 1), Some(b'n' | b'r')) {
            i += 2;
            continue;
        }
        if !(b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'\\')) {
            stripped.push(b);
        }
        i += 1;
    }
    let end = stripped
        .iter()
        .rposition(|b| *b != b'=')
        .map_or(0, |i| i + 1);
    let stripped = &stripped[..end];
    if stripped.len() < 2
        || !stripped
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/'))
    {
        return false;
    }
    // A body cut short decodes in part: the first bytes are what tell a key.
    let whole = stripped.len() / 4 * 4;
    let head = if whole == 0 {
        stripped
    } else {
        &stripped[..whole]
    };
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(head)
        .ok()
        .is_some_and(|bytes| bytes.first() == Some(&0x30))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
