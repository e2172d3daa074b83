//! Untrusted text onto a terminal: the only way `check`, `scan` and the other verbs print what a repository
//! said (holders, file names, licence ids, excerpts, reasons). Control characters (C0, C1, DEL, and with them
//! every escape sequence: `ESC]0;…` retitling the window, `ESC[2J` clearing it), the Unicode line separators
//! and the bidi and invisible format characters (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C, zero-width
//! characters…) are shown as `\u{1b}`, `\u{202e}`; nothing else changes.

use std::borrow::Cow;

use super::{escaped, is_hidden};

/// `text` as one line for a terminal: hidden characters, line breaks and tabs included, shown escaped.
pub fn line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_hidden(c) {
                    escaped(c)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// `text` for a terminal, keeping its line breaks (and tabs); every other hidden character shown escaped.
pub fn block(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_hidden(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_hidden(c) && c != '\n' && c != '\t' {
                    escaped(c)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A value for [`std::fmt::Display`] that prints through [`line`].
pub struct Shown<'a>(pub &'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&line(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_controls_are_shown_not_obeyed() {
        assert_eq!(line("plain café"), "plain café");
        assert_eq!(line("\u{1b}]0;pwned\u{7}"), "\\u{1b}]0;pwned\\u{7}");
        assert_eq!(line("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(line("a\u{202e}txt.exe"), "a\\u{202e}txt.exe");
        assert_eq!(line("a\nb"), "a\\u{a}b");
        assert_eq!(block("a\nb\u{9b}"), "a\nb\\u{9b}");
        assert_eq!(Shown("\u{2066}x").to_string(), "\\u{2066}x");
    }
}
