//! `SPDX-License-Identifier:` header lines.

use super::*;

/// `SPDX-License-Identifier:` lines written as a header (alone on the line after a comment marker), with their
/// 1-based line. In Markdown, fenced code blocks are examples, not headers, and are passed over.
pub fn spdx_header_lines(text: &str, markdown: bool) -> Vec<(usize, String)> {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"^\s*(?:(?://+|#+|/\*+|\*+|<!--|--|;+|%+|\{-|\(\*|'|"|\.\.|!|REM\b|rem\b|dnl\b)\s*)?SPDX-License-Identifier:\s*(.*?)\s*(?:\*/|-->|-\}|\*\)|"|)\s*$"#,
        )
        .expect("valid regex")
    });
    let mut found = Vec::new();
    let mut fence: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        if markdown {
            let trimmed = line.trim_start();
            if let Some(open) = &fence {
                if trimmed.starts_with(open.as_str()) {
                    fence = None;
                }
                continue;
            }
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fence = Some(trimmed[..3].to_owned());
                continue;
            }
        }
        if !line.contains("SPDX-License-Identifier:") {
            continue;
        }
        if let Some(captures) = HEADER.captures(line) {
            let expression = captures[1].split_whitespace().collect::<Vec<_>>().join(" ");
            if !expression.is_empty() {
                found.push((index + 1, expression));
            }
        }
    }
    found
}
