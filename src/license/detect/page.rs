//! Where a text sits: a Markdown page, a fenced code block, the canonical text in the store.

use askalono::{Store, TextData};

use super::*;

/// Whether a README is Markdown (by its name: `README.md`, `README.markdown`).
pub(super) fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// The canonical text of a licence id, also when the id is an alias of another entry of the store (the GNU
/// `-or-later` ids share their `-only` text).
pub(super) fn canonical_text<'s>(store: &'s Store, id: &str) -> Option<&'s TextData> {
    store.get_original(id).or_else(|| {
        store
            .licenses()
            .find(|name| store.aliases(name).is_ok_and(|a| a.iter().any(|x| x == id)))
            .and_then(|name| store.get_original(name))
    })
}

/// Whether a text has the shape of a Markdown or reStructuredText page rather than a licence: YAML front
/// matter, or at least two headings.
pub(super) fn reads_as_page(text: &str) -> bool {
    let front_matter = text.trim_start().starts_with("---\n")
        && text
            .lines()
            .skip(1)
            .take(30)
            .any(|l| l.trim_start().starts_with("title:"));
    let headings = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("## ") || t.starts_with("### ") || t.starts_with("# ")
        })
        .count();
    front_matter || headings >= 2
}

/// Whether 1-based `line` of a Markdown text sits inside a fenced code block (```` ``` ```` or `~~~`).
pub(super) fn in_code_fence(text: &str, line: usize) -> bool {
    let mut inside = false;
    for (i, l) in text.lines().enumerate() {
        if i + 1 == line {
            return inside;
        }
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            inside = !inside;
        }
    }
    false
}

/// The first line of the first licence text matched in a text (1-based), if any was, counting texts whose
/// grant was removed too.
pub(super) fn first_text_line(analysis: &TextAnalysis) -> Option<usize> {
    analysis.matches.iter().map(|m| m.lines.0).min()
}
