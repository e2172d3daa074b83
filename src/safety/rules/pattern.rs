//! Reading gitleaks' Go (RE2) patterns with the `regex` crate: the syntax differences at the edges, and which
//! capture groups of a pattern are fixed words of a name rather than a secret.

use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};

/// Rewrite the one RE2 habit the `regex` crate refuses: a `{` that does not open a repetition (`{\d+}` in
/// `\$(?:\d+|{\d+})`) is a literal in Go and an error in Rust, so it is escaped (with its `}`).
pub fn go_to_rust(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut literal_closers = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.get(i + 1) {
                    out.push(*next);
                }
                i += 2;
                continue;
            }
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '{' if !in_class && !opens_repetition(&chars[i + 1..]) => {
                out.push_str("\\{");
                literal_closers += 1;
                i += 1;
                continue;
            }
            '}' if !in_class && literal_closers > 0 => {
                out.push_str("\\}");
                literal_closers -= 1;
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether the text after a `{` is `n}`, `n,}` or `n,m}` (digits), as RE2 requires of a repetition.
fn opens_repetition(rest: &[char]) -> bool {
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    match rest.get(digits) {
        Some('}') => true,
        Some(',') => {
            let more = rest[digits + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            rest.get(digits + 1 + more) == Some(&'}')
        }
        _ => false,
    }
}

/// The capture groups of `pattern` (numbered as the regex crate numbers them) whose body is fixed words only:
/// letters, digits, `_`, `-` and `|` (`(login|token)` in gitleaks' `sonar-api-token`). When a rule names no
/// `secretGroup`, gitleaks takes the first non-empty capture as the secret, and for such a rule that is the word
/// `token`: the real token after it then becomes a second, different "secret" at the same place. Such a group is
/// part of the name, so the secret is the first non-empty capture among the others.
pub(super) fn word_groups(pattern: &str) -> Vec<usize> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut opened: Vec<Option<(usize, usize)>> = Vec::new();
    let mut groups = Vec::new();
    let mut number = 0usize;
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => {
                let named = chars.get(i + 1) == Some(&'?')
                    && matches!(chars.get(i + 2), Some('P' | '<'))
                    && chars.get(i + 3) != Some(&'=')
                    && chars.get(i + 3) != Some(&'!');
                if chars.get(i + 1) != Some(&'?') || named {
                    number += 1;
                    let body = if named {
                        chars[i..]
                            .iter()
                            .position(|c| *c == '>')
                            .map_or(i + 1, |p| i + p + 1)
                    } else {
                        i + 1
                    };
                    opened.push(Some((number, body)));
                } else {
                    opened.push(None);
                }
            }
            ')' if !in_class => {
                if let Some(Some((n, body))) = opened.pop() {
                    let text = &chars[body..i];
                    if !text.is_empty()
                        && text
                            .iter()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '|'))
                    {
                        groups.push(n);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    groups
}

/// Compile as Go's RE2 reads a pattern: `\w`, `\d`, `\s` and `\b` are ASCII-only there, which is also what
/// keeps the compiled automata small (a Unicode `[\w.-]{0,50}` is huge). A pattern that needs Unicode (`\p{L}`)
/// is compiled with it.
pub(super) fn compile_bytes(pattern: &str) -> Result<BytesRegex, String> {
    let pattern = go_to_rust(pattern);
    let build = |unicode: bool| {
        BytesRegexBuilder::new(&pattern)
            .unicode(unicode)
            .size_limit(64 * 1024 * 1024)
            .dfa_size_limit(16 * 1024 * 1024)
            .build()
    };
    build(false)
        .or_else(|_| build(true))
        .map_err(|e| e.to_string())
}
