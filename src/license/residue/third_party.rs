//! A third-party record in a licence file: a section that says whose some of the files are and under which
//! licence ("### Third-party software", a name, its home, "Copyright (c) Software Carpentry.", "License: MIT
//! license", "Files: `Makefile`. Modified from originals from [shell-novice](…) lesson").
//!
//! The record is accounted for only as a whole: under a heading that says the section is about other
//! people's work, it must hold a holder line and a line granting a licence the file names (so that licence is
//! among the file's findings and the policy weighs it, non-commercial or copyleft alike). Its other lines may
//! then be the record's fields: the component's name (capitalised words only), and where its files came from
//! (paths, links, names, and the words of derivation). None of these words negates, restricts, obliges or
//! permits; a record that lacks its holder or its licence leaves every line of it to be read as residue.

use super::shape::{Shape, is_named, restricts, says_more_than_a_name, sentence_shape, words};

/// Words a heading over a third-party record uses, one of them saying whose the work is.
const HEADING_WORDS: &[&str] = &[
    "third",
    "party",
    "parties",
    "thirdparty",
    "software",
    "code",
    "components",
    "component",
    "libraries",
    "library",
    "dependencies",
    "vendored",
    "bundled",
    "included",
    "acknowledgements",
    "acknowledgments",
    "credits",
    "notices",
    "licenses",
    "license",
    "and",
    "other",
];
/// The heading words that say the work is someone else's.
const OTHERS: &[&str] = &[
    "third",
    "thirdparty",
    "vendored",
    "bundled",
    "acknowledgements",
    "acknowledgments",
    "credits",
];
/// The words of a field saying where a record's files came from, besides paths, links and names.
const PROVENANCE_WORDS: &[&str] = &[
    "files",
    "file",
    "source",
    "sources",
    "upstream",
    "modified",
    "adapted",
    "derived",
    "taken",
    "copied",
    "based",
    "translated",
    "ported",
    "forked",
    "from",
    "on",
    "of",
    "the",
    "a",
    "an",
    "and",
    "in",
    "originals",
    "original",
    "version",
    "commit",
    "repository",
    "project",
];

fn heading_level(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let level = t.chars().take_while(|&c| c == '#').count();
    (1..=6)
        .contains(&level)
        .then_some(level)
        .filter(|_| t[level..].starts_with([' ', '\t']))
}

/// Marks the lines of each third-party record as accounted for (see the module's comment).
pub(super) fn label_records(
    lines: &[&str],
    line_words: &[Vec<String>],
    shapes: &mut [Shape],
    names: &[String],
    named: &[String],
) {
    for h in 0..lines.len() {
        let Some(level) = heading_level(lines[h]) else {
            continue;
        };
        let heading = &line_words[h];
        if heading.is_empty()
            || !heading.iter().all(|w| HEADING_WORDS.contains(&w.as_str()))
            || !heading.iter().any(|w| OTHERS.contains(&w.as_str()))
        {
            continue;
        }
        let end = (h + 1..lines.len())
            .find(|&i| heading_level(lines[i]).is_some_and(|l| l <= level))
            .unwrap_or(lines.len());
        let body = h + 1..end;
        let holder = body.clone().any(|i| shapes[i] == Shape::Holder);
        let licensed = body.clone().any(|i| {
            super::statement::grants_by_reference(lines[i])
                && sentence_shape(lines[i], names, named, true) != Shape::Words
                && super::super::reference::references(lines[i])
                    .iter()
                    .any(|r| is_named(&r.id, named))
        });
        if !holder || !licensed {
            continue;
        }
        shapes[h] = Shape::Title;
        // The record's name is its holder's, or its home's: the words of its holder lines and links.
        let known: Vec<String> = body
            .clone()
            .filter(|&i| shapes[i] == Shape::Holder || super::shape::URL.is_match(lines[i]))
            .flat_map(|i| words(&super::shape::URL.replace_all(lines[i], " ")))
            .collect();
        for i in body {
            if shapes[i] == Shape::Words && (a_name(lines[i], &known) || a_provenance(lines[i])) {
                shapes[i] = Shape::Title;
            }
        }
    }
}

/// A line that is a name and nothing else: every word capitalised or with a digit, none saying more than a
/// name, and each a word of the record's holder lines or links (`known`): "**Software Carpentry**" over
/// "Copyright (c) Software Carpentry.", never "**Paid Licence Required**".
fn a_name(line: &str, known: &[String]) -> bool {
    if !words(line).iter().all(|w| known.contains(w)) {
        return false;
    }
    let raw: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    !raw.is_empty()
        && raw.iter().all(|w| {
            let lower = w.to_lowercase();
            (w.starts_with(char::is_uppercase) || w.chars().any(|c| c.is_ascii_digit()))
                && !says_more_than_a_name(&lower)
                && !restricts(&lower)
        })
}

/// A field saying where the files came from: "Files: `css/smp.css`. Modified from `css/swc.css` from
/// [shell-novice](…) lesson (commit [bb5275c](…))." Paths in code spans and links are names; the other words
/// are words of derivation, ids (a word with a digit, as a commit id), and at most one word of the line's own
/// ("lesson"), none of which negates, restricts, obliges or permits.
fn a_provenance(line: &str) -> bool {
    static CODE_SPAN: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"`[^`]*`").expect("code span"));
    static LINK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\[([^\[\]]*)\]\([^()\s]*\)").expect("markdown link")
    });
    // A link's label names what it links to ("[shell-novice](…)"); it still says nothing more than a name.
    if LINK.captures_iter(line).any(|c| {
        words(&c[1])
            .iter()
            .any(|w| restricts(w) || says_more_than_a_name(w))
    }) {
        return false;
    }
    let bare = CODE_SPAN.replace_all(line, " ");
    let bare = LINK.replace_all(&bare, " Link ");
    let bare = super::shape::URL.replace_all(&bare, " ");
    let raw: Vec<&str> = bare
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let lower: Vec<String> = raw.iter().map(|w| w.to_lowercase()).collect();
    if !lower
        .iter()
        .any(|w| matches!(w.as_str(), "files" | "file" | "source" | "upstream"))
    {
        return false;
    }
    let mut own = 0;
    raw.iter().zip(&lower).all(|(raw, w)| {
        if restricts(w) || says_more_than_a_name(w) {
            return false;
        }
        // A commit id or a version; capitalised words are not names here (names are in links and code spans).
        let id = raw.chars().any(|c| c.is_ascii_digit());
        if id || w == "link" || PROVENANCE_WORDS.contains(&w.as_str()) {
            return true;
        }
        own += 1;
        own <= 1
    }) && !words(line).is_empty()
}
