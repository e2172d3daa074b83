//! Helpers for XML manifests: line numbers, text, and a pattern fallback for a file that does not parse.

use super::*;

pub(super) fn xml_line(document: &roxmltree::Document<'_>, node: roxmltree::Node<'_, '_>) -> usize {
    document.text_pos_at(node.range().start).row as usize
}

pub(super) fn xml_text(node: roxmltree::Node<'_, '_>) -> String {
    node.text().unwrap_or_default().trim().to_owned()
}

pub(super) fn xml_by_pattern(text: &str, element: &str, error: &roxmltree::Error) -> Found {
    let pattern =
        Regex::new(&format!(r"<{element}>\s*([^<]+?)\s*</{element}>")).expect("valid regex");
    let defect = format!("the file is not well-formed XML ({error}); read by pattern");
    if element == "name" {
        // Without a tree, a pom's <name> could be the project's: do not guess.
        return Vec::new();
    }
    pattern
        .captures_iter(text)
        .map(|captures| {
            let line = line_at(text, captures.get(0).expect("match").start());
            declared(
                &captures[1],
                line,
                license_from_name(&captures[1]).with_note(defect.clone()),
            )
        })
        .collect()
}
