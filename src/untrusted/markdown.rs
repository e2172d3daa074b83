//! Untrusted text into Markdown (GitHub-flavoured). Every proposal body, comment, step summary, notice and
//! removal report puts what a repository said through one of these functions, and keepopen's own Markdown is
//! written around them. The invariant, proved by the property test in `tests/it/hostile/proposal_body.rs`:
//! whatever the text, the rendered document has the structure it has for plain text — no tag, link, image,
//! heading, list, table cell, emphasis or code span comes from the text; no `@` mention or `#123` reference is
//! live; no keepopen marker appears in it.
//!
//! How:
//! - [`text`] (inline text, also in table cells and list items): line breaks and runs of white space become one
//!   space; every character that is active in Markdown is escaped with a backslash (`\ ` * _ [ ] < > | ~ ! & $`,
//!   any ASCII punctuation that opens the text, and the `.` or `)` of a leading `1.`); GitHub's autolinks are
//!   broken (`\://`, `www\.`).
//! - [`code`] and [`code_cell`]: a code span whose fence is one backtick longer than the longest run of
//!   backticks inside (backslashes do not escape in a code span), padded with a space when the text starts or
//!   ends with a backtick or a space; in a table cell `|` is written `\|`, which GitHub's tables unescape.
//! - [`fenced`]: a fenced block whose fence is longer than any run of backticks inside.
//! - [`html`]: text inside keepopen's own HTML elements (`<summary>`), entity-escaped.
//! - Everywhere: a mention cannot ping. After each `@` keepopen writes U+200B ZERO WIDTH SPACE, so `@alice` reads
//!   the same on the page but is no mention (GitHub mentions need a letter or digit right after the `@`); the
//!   same after a `#` before a digit (`#12` would link an issue of the control repository). Copying the text
//!   copies that invisible character; that is the price. Any `<!--` in code gets the same character after its
//!   `<`, so no text keepopen quotes can carry something that reads as keepopen's [`Marker`].
//! - Control, bidi and invisible characters ([`super::is_hidden`]) are shown as `\u{202e}`.
//! - Length caps: [`text`] keeps [`TEXT_CAP`] characters, [`code`] [`CODE_CAP`], and says what it left out:
//!   `…(N more characters)`.

use super::{escaped, is_hidden};

/// The most characters of one untrusted inline text.
pub const TEXT_CAP: usize = 2_000;
/// The most characters of one untrusted code span (a file name, a licence id, an excerpt).
pub const CODE_CAP: usize = 300;

/// Breaks a mention or a reference without showing anything.
const ZERO_WIDTH_SPACE: char = '\u{200B}';

/// Escaped wherever they stand.
const ALWAYS_ESCAPED: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '!', '&', '$',
];

/// The text, split at [`TEXT_CAP`] characters.
fn split_cap(text: &str, max: usize) -> (&str, usize) {
    match text.char_indices().nth(max) {
        None => (text, 0),
        Some((end, _)) => (&text[..end], text[end..].chars().count()),
    }
}

fn more(left_out: usize) -> String {
    if left_out == 0 {
        String::new()
    } else {
        format!("…({left_out} more characters)")
    }
}

/// Untrusted text as inline Markdown, capped at [`TEXT_CAP`] characters.
pub fn text(text: &str) -> String {
    text_capped(text, TEXT_CAP)
}

/// Untrusted text as inline Markdown, capped at `max` characters.
pub fn text_capped(text: &str, max: usize) -> String {
    let (head, left_out) = split_cap(text, max);
    let chars: Vec<char> = head.chars().collect();
    let mut out = String::with_capacity(head.len() + 8);
    let mut space = false;
    // Still in the leading run of digits (`1.` or `1)` there would start an ordered list).
    let mut leading_digits = true;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
            leading_digits = false;
        }
        let first = out.is_empty();
        let next = chars.get(i + 1).copied();
        if is_hidden(c) {
            out.push('\\');
            out.push_str(&escaped(c));
        } else if c == '@' {
            out.push('@');
            out.push(ZERO_WIDTH_SPACE);
        } else if c == '#' {
            out.push_str("\\#");
            if next.is_some_and(|n| n.is_alphanumeric()) {
                out.push(ZERO_WIDTH_SPACE);
            }
        } else if ALWAYS_ESCAPED.contains(&c) || (first && c.is_ascii_punctuation()) {
            out.push('\\');
            out.push(c);
        } else if c == ':' && chars.get(i + 1..i + 3) == Some(&['/', '/']) {
            out.push_str("\\:");
        } else if c == '.'
            && i >= 3
            && chars[i - 3..i]
                .iter()
                .collect::<String>()
                .eq_ignore_ascii_case("www")
        {
            out.push_str("\\.");
        } else if leading_digits && matches!(c, '.' | ')') && i > 0 {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
        leading_digits = leading_digits && c.is_ascii_digit();
    }
    out.push_str(&more(left_out));
    out
}

/// The characters of a code span or block: hidden characters shown escaped, mentions and comment openers broken.
fn code_chars(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let text = text.replace("\r\n", "\n");
    for c in text.chars() {
        match c {
            '\n' | '\r' if keep_newlines => out.push('\n'),
            '\t' if keep_newlines => out.push('\t'),
            c if c.is_whitespace() => out.push(' '),
            c if is_hidden(c) => out.push_str(&escaped(c)),
            '@' => {
                out.push('@');
                out.push(ZERO_WIDTH_SPACE);
            }
            c => out.push(c),
        }
    }
    out.replace("<!--", "<\u{200B}!--")
}

fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

fn span(content: &str) -> String {
    if content.is_empty() {
        return "` `".into();
    }
    let fence = "`".repeat(longest_backtick_run(content) + 1);
    let pad = [content.chars().next(), content.chars().last()]
        .into_iter()
        .flatten()
        .any(|c| c == '`' || c == ' ');
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// Untrusted text as a code span (not in a table: see [`code_cell`]), capped at [`CODE_CAP`] characters.
pub fn code(text: &str) -> String {
    let (head, left_out) = split_cap(text, CODE_CAP);
    format!("{}{}", span(&code_chars(head, false)), more(left_out))
}

/// Untrusted text as a code span in a table cell: `|` is written `\|`, which the table takes back. A table
/// reads `\\|` as an escaped backslash and a live `|`, so a backslash right before a `|` is followed by a zero
/// width space first.
pub fn code_cell(text: &str) -> String {
    let (head, left_out) = split_cap(text, CODE_CAP);
    let mut content = String::new();
    for c in code_chars(head, false).chars() {
        if c == '|' {
            if content.ends_with('\\') {
                content.push(ZERO_WIDTH_SPACE);
            }
            content.push_str("\\|");
        } else {
            content.push(c);
        }
    }
    format!("{}{}", span(&content), more(left_out))
}

/// Untrusted text as a fenced code block (`info` is keepopen's own: `text`, `diff`), at most `max` characters,
/// ending in a newline.
pub fn fenced(text: &str, info: &str, max: usize) -> String {
    let (head, left_out) = split_cap(text, max);
    let content = code_chars(head, true);
    let content = content.trim_end();
    let fence = "`".repeat((longest_backtick_run(content) + 1).max(3));
    let tail = if left_out == 0 {
        String::new()
    } else {
        format!("{}\n", more(left_out))
    };
    format!("{fence}{info}\n{content}\n{fence}\n{tail}")
}

/// Untrusted text inside one of keepopen's HTML elements (`<summary>`, `<code>`), capped at [`CODE_CAP`].
pub fn html(text: &str) -> String {
    let (head, left_out) = split_cap(text, CODE_CAP);
    let mut out = String::with_capacity(head.len());
    for c in head.chars() {
        match c {
            c if c.is_whitespace() => out.push(' '),
            c if is_hidden(c) => out.push_str(&escaped(c)),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '@' => {
                out.push('@');
                out.push(ZERO_WIDTH_SPACE);
            }
            c => out.push(c),
        }
    }
    out.push_str(&more(left_out));
    out
}

/// A URL keepopen links to (an original's address, a pull request): an autolink when it is a plain `http(s)`
/// address of safe characters, else shown as code, never live.
pub fn url(url: &str) -> String {
    let plain = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 500
        && url
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~:/?#%=+,;".contains(&b));
    if plain { format!("<{url}>") } else { code(url) }
}

/// A [`url`] as the target of a link keepopen writes itself (`[#3](…)`); `None` when it is not plain.
pub fn link_target(url: &str) -> Option<&str> {
    let plain = (url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
        && url.len() <= 500
        && url
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~:/?#%=+,;".contains(&b));
    plain.then_some(url)
}

/// One of keepopen's hidden markers, `<!-- keepopen:<kind> <key> -->`, which says what a comment of keepopen's
/// is about. A marker is believed only at the start of a comment written by keepopen's own identity (the
/// control repository checks the author); no untrusted text rendered by this module can hold one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker(String);

impl Marker {
    /// `kind` and `key` are keepopen's: lower-case letters, digits and `-`.
    pub fn new(kind: &str, key: &str) -> Marker {
        let clean = |s: &str| {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
                .to_ascii_lowercase()
        };
        Marker(format!("<!-- keepopen:{} {} -->", clean(kind), clean(key)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `body` (a comment's) opens with this marker.
    pub fn opens(&self, body: &str) -> bool {
        body.trim_start().starts_with(&self.0)
    }
}

impl std::fmt::Display for Marker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_is_escaped_and_mentions_broken() {
        let cases = [
            ("NHS England", "NHS England"),
            ("Crown Copyright (NHS)", "Crown Copyright (NHS)"),
            ("@nhs/maintainers", "@\u{200B}nhs/maintainers"),
            ("<b>x</b>", "\\<b\\>x\\</b\\>"),
            ("a | b", "a \\| b"),
            ("# Heading", "\\# Heading"),
            ("see #12", "see \\#\u{200B}12"),
            ("1. item", "1\\. item"),
            ("- item", "\\- item"),
            ("line\nbreak\r\n  x", "line break x"),
            ("https://evil.example", "https\\://evil.example"),
            ("www.evil.example", "www\\.evil.example"),
            ("![i](x)", "\\!\\[i\\](x)"),
            ("\u{202e}rtl", "\\\\u{202e}rtl"),
            ("&amp;", "\\&amp;"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(text(input), expected, "{input:?}");
        }
        assert_eq!(text_capped("abcdef", 3), "abc…(3 more characters)");
    }

    #[test]
    fn code_spans_outlast_every_backtick_run_inside() {
        let cases = [
            ("LICENSE", "`LICENSE`"),
            ("a`b", "``a`b``"),
            ("`lead", "`` `lead ``"),
            ("trail``", "``` trail`` ```"),
            (" both ", "`  both  `"),
            ("a\nb", "`a b`"),
            ("@x", "`@\u{200B}x`"),
            (
                "<!-- keepopen:held 1 -->",
                "`<\u{200B}!-- keepopen:held 1 -->`",
            ),
            ("", "` `"),
        ];
        for (input, expected) in cases {
            assert_eq!(code(input), expected, "{input:?}");
        }
        assert_eq!(code_cell("a|b"), "`a\\|b`");
        assert_eq!(code_cell("a\\|b"), "`a\\\u{200B}\\|b`");
    }

    #[test]
    fn fenced_blocks_outlast_every_backtick_run_inside() {
        assert_eq!(fenced("x", "text", 10), "```text\nx\n```\n");
        assert_eq!(
            fenced("a\n````\nb", "text", 100),
            "`````text\na\n````\nb\n`````\n"
        );
        assert_eq!(
            fenced("abcdef", "text", 2),
            "```text\nab\n```\n…(4 more characters)\n"
        );
    }

    #[test]
    fn markers_are_recognised_only_at_the_start() {
        let m = Marker::new("held", "ab12");
        assert_eq!(m.as_str(), "<!-- keepopen:held ab12 -->");
        assert!(m.opens("<!-- keepopen:held ab12 -->\ntext"));
        assert!(!m.opens("quote: <!-- keepopen:held ab12 -->"));
        assert_eq!(
            Marker::new("held", "a b-->x").as_str(),
            "<!-- keepopen:held ab--x -->"
        );
    }

    #[test]
    fn urls_are_links_only_when_plain() {
        assert_eq!(url("https://github.com/o/r"), "<https://github.com/o/r>");
        assert_eq!(url("javascript:alert(1)"), "`javascript:alert(1)`");
        assert_eq!(url("https://x/<b>"), "`https://x/<b>`");
    }
}
