//! The licence vocabulary's knowledge of the SPDX list: every licence's full name, as the SPDX licence list
//! vendored in `licenses/licenses.json` gives it ("Mozilla Public License 1.1", "Common Development and
//! Distribution License 1.0"), read as its SPDX id.
//!
//! Manifests ([`crate::license::manifest::license_from_name`]) and statements in prose
//! ([`crate::license::reference::references`]) both read names through this table, after the forms they know
//! better (abbreviations, GNU versions, the OGL and Creative Commons families), so a licence named in full is
//! the same licence wherever it is written. The table is the list's own data, not a hand list: a name the SPDX
//! list adds is known when the list is updated.
//!
//! A name found in prose is only a name: what the sentence does with it (grants it, names a bundled work's
//! terms, restricts) is read by the caller, and the policy classes the id like any other. Short names made of
//! one distinctive word and "License" ("Fair License", "JSON License") are matched as capitalised, since in
//! lower case they are ordinary words ("a fair license fee"); longer or versioned names match in any case.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

pub mod withholding;

/// The vendored SPDX licence list (the same file build.rs reads for the texts' ids and the list version).
const LIST: &str = include_str!("../../licenses/licenses.json");

/// Ids on the list that are not licences.
const NOT_LICENCES: &[&str] = &["NOASSERTION", "NONE"];

/// One licence of the list: its id and its full name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedName {
    pub id: String,
    pub name: String,
}

/// Every licence on the vendored list with its full name, in the list's order.
pub fn listed() -> &'static [ListedName] {
    static LISTED: LazyLock<Vec<ListedName>> = LazyLock::new(|| {
        let list: serde_json::Value =
            serde_json::from_str(LIST).expect("licenses/licenses.json is the vendored SPDX list");
        list["licenses"]
            .as_array()
            .expect("licenses/licenses.json has a licenses array")
            .iter()
            .filter_map(|l| {
                let id = l["id"].as_str()?;
                let name = l["name"].as_str()?;
                (!NOT_LICENCES.contains(&id)).then(|| ListedName {
                    id: id.to_owned(),
                    name: name.to_owned(),
                })
            })
            .collect()
    });
    &LISTED
}

/// A name as compared: lower case, whitespace collapsed, "licence" spelt "license", no leading "the", and the
/// version written bare ("Eclipse Public License, Version 1.0" and "3D Slicer License v1.0" as "… 1.0").
fn key(name: &str) -> String {
    static VERSION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r",?\s+(?:version\s+|v\.?\s*)(\d+(?:\.\d+)*)$").expect("version pattern")
    });
    let lower = name
        .to_lowercase()
        .replace("licence", "license")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let lower = VERSION.replace(&lower, " $1").into_owned();
    lower
        .strip_prefix("the ")
        .map(str::to_owned)
        .unwrap_or(lower)
}

/// The SPDX id of a licence written by its full SPDX name ("Mozilla Public License 1.1" → `MPL-1.1`), in any
/// case and spelling of "licence".
pub fn id_of_full_name(name: &str) -> Option<&'static str> {
    static BY_KEY: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        listed()
            .iter()
            .map(|l| (key(&l.name), l.id.as_str()))
            .collect()
    });
    BY_KEY.get(&key(name)).copied()
}

/// The full SPDX name of the licence `id` (`MPL-1.1` → "Mozilla Public License 1.1"), when it is on the list.
pub fn full_name_of(id: &str) -> Option<&'static str> {
    listed()
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name.as_str())
}

/// A full SPDX name found in prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFound {
    pub id: &'static str,
    /// Byte range of the name in the text.
    pub start: usize,
    pub end: usize,
}

/// Whether a name is distinctive enough to be read in any case: versioned and of three words or more, or of
/// four words or more. Shorter names are one word and "License", which in lower case is prose.
fn any_case(name: &str) -> bool {
    let words = name.split_whitespace().count();
    (words >= 3 && name.chars().any(|c| c.is_ascii_digit())) || words >= 4
}

/// The pattern of one name: its words in order, any whitespace between them, "License" in either spelling,
/// bounded by word boundaries where the name starts or ends with a letter or digit.
fn name_pattern(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            if lower == "license" || lower == "licence" {
                let first = if w.starts_with(char::is_uppercase) {
                    "L"
                } else {
                    "l"
                };
                format!("{first}icen[cs]e")
            } else {
                regex::escape(w)
            }
        })
        .collect();
    // A name that ends in its version may write it "…, Version 1.0" or "… v1.0" as well as "… 1.0".
    let version = name
        .split_whitespace()
        .last()
        .map(|w| w.trim_start_matches(['v', 'V']))
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        .filter(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let body = match version {
        // Its abbreviation may stand in parentheses before the version, as dependency lists write it:
        // "Common Development and Distribution License (CDDL) Version 1.1".
        Some(v) if words.len() > 1 => format!(
            r"{}(?:\s*\([A-Z][A-Za-z0-9-]{{1,11}}\))?,?\s+(?:[Vv]ersion\s+|[Vv]\.?\s*)?{}",
            words[..words.len() - 1].join(r"\s+"),
            regex::escape(v)
        ),
        _ => words.join(r"\s+"),
    };
    let open = if name.starts_with(|c: char| c.is_alphanumeric()) {
        r"\b"
    } else {
        ""
    };
    let close = if name.ends_with(|c: char| c.is_alphanumeric()) {
        r"\b"
    } else {
        ""
    };
    let flags = if any_case(name) { "(?i)" } else { "" };
    format!("(?:{open}(?:{flags}{body}){close})")
}

/// Every full SPDX name in `text`, leftmost first; where names overlap, the longest (the list has names that
/// begin others: "Mozilla Public License 2.0" and "Mozilla Public License 2.0 (no copyleft exception)").
pub fn full_names(text: &str) -> Vec<NameFound> {
    static NAMES: LazyLock<Regex> = LazyLock::new(|| {
        let mut by_length: Vec<&ListedName> = listed().iter().collect();
        by_length.sort_by_key(|l| std::cmp::Reverse(l.name.len()));
        let pattern = by_length
            .iter()
            .map(|l| name_pattern(&l.name))
            .collect::<Vec<_>>()
            .join("|");
        regex::RegexBuilder::new(&pattern)
            .size_limit(64 << 20)
            .dfa_size_limit(16 << 20)
            .build()
            .expect("the SPDX names make one pattern")
    });
    // The words matched are a listed name in another case, spacing or spelling of "licence": the name read
    // back through the table gives its id.
    static ABBREVIATION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*\([A-Za-z][A-Za-z0-9-]{1,11}\)").expect("abbreviation"));
    NAMES
        .find_iter(text)
        .filter_map(|m| {
            Some(NameFound {
                id: id_of_full_name(m.as_str())
                    .or_else(|| id_of_full_name(&ABBREVIATION.replace(m.as_str(), "")))?,
                start: m.start(),
                end: m.end(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_reads_as_its_own_id() {
        assert!(listed().len() > 600, "the vendored list is whole");
        for l in listed() {
            assert_eq!(id_of_full_name(&l.name), Some(l.id.as_str()), "{}", l.name);
        }
    }

    #[test]
    fn every_listed_name_is_found_in_a_sentence() {
        for l in listed() {
            let text = format!("Parts are licensed under the {}.\n", l.name);
            let found = full_names(&text);
            assert_eq!(
                found.first().map(|f| f.id),
                Some(l.id.as_str()),
                "{}: {found:?}",
                l.name
            );
        }
    }

    #[test]
    fn a_name_with_its_abbreviation_before_the_version_is_that_licence() {
        let found = full_names(
            "- Common Development and Distribution License (CDDL) Version 1.1 (https://x)",
        );
        assert_eq!(found.first().map(|f| f.id), Some("CDDL-1.1"));
        let found =
            full_names("### [Common Development and Distribution License (CDDL) 1.1](./x.html):");
        assert_eq!(found.first().map(|f| f.id), Some("CDDL-1.1"));
    }

    #[test]
    fn names_are_read_in_british_spelling_and_any_case_when_distinctive() {
        assert_eq!(
            id_of_full_name("Mozilla Public Licence 1.1"),
            Some("MPL-1.1")
        );
        assert_eq!(
            id_of_full_name("the common development and distribution license 1.0"),
            Some("CDDL-1.0")
        );
        let found = full_names(
            " - mozilla public licence 1.1\n - Common Development and Distribution License 1.0",
        );
        let ids: Vec<&str> = found.iter().map(|f| f.id).collect();
        assert_eq!(ids, ["MPL-1.1", "CDDL-1.0"]);
    }

    #[test]
    fn a_version_may_be_written_with_its_word() {
        assert_eq!(
            id_of_full_name("Eclipse Public License, Version 1.0"),
            Some("EPL-1.0")
        );
        assert_eq!(
            id_of_full_name("3D Slicer License 1.0"),
            Some("3D-Slicer-1.0")
        );
        let found =
            full_names("- Eclipse Public License, Version 1.0\n- Mozilla Public License v1.1\n");
        let ids: Vec<&str> = found.iter().map(|f| f.id).collect();
        assert_eq!(ids, ["EPL-1.0", "MPL-1.1"]);
    }

    #[test]
    fn the_longest_name_wins_where_names_begin_alike() {
        let found = full_names("Mozilla Public License 2.0 (no copyleft exception)");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "MPL-2.0-no-copyleft-exception");
    }

    #[test]
    fn short_names_in_lower_case_are_prose() {
        assert!(full_names("we pay a fair license fee for the json license server").is_empty());
        assert_eq!(full_names("under the Fair License")[0].id, "Fair");
        // A version that goes on is another version.
        assert!(full_names("Mozilla Public License 1.10").is_empty());
    }
}
