//! A dependency pin is a version, not a key. A conda environment file lists its packages as `name=version=build`
//! under `dependencies:` (`- asttokens=2.0.5=pyhd3eb1b0_0`), and `generic-api-key` reads a package whose name
//! ends in a credential word (`asttokens`, `keyring`, `oauthlib`) as the name of a key and `2.0.5=pyhd3eb1b0_0`
//! as its value.
//!
//! [`is_conda_pin`] decides by the line's own structure: the line is a list item (or bare line) of exactly
//! `name=version=build` — a package name, a version that opens with a digit, a build string of word
//! characters — and the matched value is the `version=build` part of it; and the file declares the list
//! (a `dependencies:` line above it). A secret has no version in front of it, and a value with anything else on
//! its line (a quote, a second value, an assignment to a name with spaces) is judged as it stands.

use std::ops::Range;

/// Whether the value at `value` of `text` is the `version=build` of a conda pin (see the module's documentation).
pub(crate) fn is_conda_pin(text: &[u8], value: Range<usize>) -> bool {
    let line_start = super::line_start(text, value.start);
    let line_end = super::line_end(text, value.end);
    let line = &text[line_start..line_end];
    let item = line.trim_ascii();
    let item = item.strip_prefix(b"-").unwrap_or(item).trim_ascii();
    let parts: Vec<&[u8]> = item.split(|b| *b == b'=').collect();
    let [name, version, build] = parts.as_slice() else {
        return false;
    };
    let name_ok = !name.is_empty()
        && name[0].is_ascii_alphanumeric()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    let version_ok = version.first().is_some_and(u8::is_ascii_digit)
        && version
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'!' | b'*'));
    let build_ok = !build.is_empty()
        && build
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+'));
    if !(name_ok && version_ok && build_ok) {
        return false;
    }
    // The value is `version=build`, in place.
    let version_start =
        line_start + (item.as_ptr() as usize - line.as_ptr() as usize) + name.len() + 1;
    if value.start < version_start || value.end > line_start + line.len() {
        return false;
    }
    text[..line_start]
        .split(|b| *b == b'\n')
        .any(|l| l.trim_ascii() == b"dependencies:")
}
