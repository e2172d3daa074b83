//! Weak, unversioned family claims: a manifest that names a licence family without saying which member
//! (PyPI's Trove classifier `License :: OSI Approved :: BSD License`, `license = {text = "BSD License"}`,
//! "GPL", "Apache Software License"). Alone such a claim grants nothing keepopen can name; beside a full
//! licence text of the same family it is agreement — the text says which member — not an unknown licence.
//! Beside a text of another family, or alone, it stays what it was: unrecognised, for a person.

use super::detect::family;
use super::{Candidate, Finding, Method, Observation, SourceKind};

/// A licence family an unversioned name can stand for: its name, and the SPDX ids that belong to it.
struct Family {
    name: &'static str,
    /// Names of the family with "licence"/"license", "the", "(…)" and punctuation removed, lower case.
    names: &'static [&'static str],
    /// Whether an SPDX id belongs to the family.
    member: fn(&str) -> bool,
}

const FAMILIES: &[Family] = &[
    Family {
        name: "BSD",
        names: &[
            "bsd",
            "bsd style",
            "new bsd",
            "modified bsd",
            "simplified bsd",
            "revised bsd",
        ],
        member: |id| id.starts_with("BSD-") || id == "0BSD",
    },
    Family {
        name: "GNU GPL",
        names: &["gpl", "gnu gpl", "gnu general public"],
        member: |id| id.starts_with("GPL-"),
    },
    Family {
        name: "GNU LGPL",
        names: &[
            "lgpl",
            "gnu lgpl",
            "gnu lesser general public",
            "gnu library general public",
            "gnu library or lesser general public",
        ],
        member: |id| id.starts_with("LGPL-"),
    },
    Family {
        name: "GNU AGPL",
        names: &["agpl", "gnu agpl", "gnu affero general public"],
        member: |id| id.starts_with("AGPL-"),
    },
    Family {
        name: "Apache",
        names: &["apache", "apache software", "asl"],
        member: |id| id.starts_with("Apache-"),
    },
    Family {
        name: "Mozilla Public License",
        names: &["mpl", "mozilla public"],
        member: |id| id.starts_with("MPL-"),
    },
    Family {
        name: "Eclipse Public License",
        names: &["epl", "eclipse public"],
        member: |id| id.starts_with("EPL-"),
    },
    Family {
        name: "Open Government Licence",
        names: &["ogl", "open government", "uk open government"],
        member: |id| id.starts_with("OGL-UK-"),
    },
];

/// Whether a name stands for a licence family without a version (`BSD License`, a Python classifier).
pub fn names_a_family(raw: &str) -> bool {
    family_named(raw).is_some()
}

/// The family an unversioned licence name stands for, if it names one and nothing more: `BSD License`,
/// `License :: OSI Approved :: BSD License`, `GNU General Public License (GPL)`.
fn family_named(raw: &str) -> Option<&'static Family> {
    let mut tail = raw.trim();
    if let Some(rest) = tail.strip_prefix("License ::") {
        tail = rest.trim();
        tail = tail.strip_prefix("OSI Approved ::").unwrap_or(tail).trim();
    }
    // "(GPL)", "(LGPL)": the abbreviation beside the long name says nothing more.
    let without_parens: String = {
        let mut depth = 0usize;
        tail.chars()
            .filter(|&c| {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    _ => return depth == 0,
                }
                false
            })
            .collect()
    };
    let words: Vec<String> = without_parens
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            !w.is_empty() && !["the", "license", "licence", "licensed", "style"].contains(w)
        })
        .map(str::to_owned)
        .collect();
    let key = words.join(" ");
    FAMILIES
        .iter()
        .find(|f| f.names.iter().any(|n| n.replace(" style", "") == key))
}

/// Whether a manifest's licence field names no licence at all: it is empty, it asks a question (RStudio's
/// package skeleton writes `License: What license is it under?`), or it is a template placeholder
/// (`<license>`, `{{ license }}`, `[LICENSE]`) — the field was never filled in. Such a field is not a claim:
/// it neither grants nor withholds. A name keepopen does not know ("Acme Community Licence 2") is still a
/// name, and stays unrecognised, for a person.
pub fn names_no_licence(raw: &str) -> bool {
    let t = raw.trim();
    if !super::reference::references(t).is_empty() || family_named(t).is_some() {
        return false;
    }
    // A word that is an SPDX identifier names a licence, however it is framed ("MIT?").
    if t.split(|c: char| c.is_whitespace() || "?,;()[]{}<>\"'".contains(c))
        .any(|w| spdx::license_id(w).is_some())
    {
        return false;
    }
    let bracketed = |open: &str, close: &str| t.starts_with(open) && t.ends_with(close);
    t.is_empty()
        || t.ends_with('?')
        || bracketed("<", ">")
        || bracketed("{{", "}}")
        || bracketed("[", "]")
        || bracketed("${", "}")
        || !super::holders::placeholders(t, true).is_empty()
}

/// Where a manifest's licence was unrecognised only because it names a family without its member, and a
/// full licence text for the repository is of that family: the two agree. The unrecognised observation goes,
/// and the text's finding notes the manifest's word. Where a manifest's licence field names no licence at
/// all ([`names_no_licence`]), it is not a claim, and its observation goes too: what the repository holds
/// is judged without it. Nothing else changes.
pub fn reconcile(
    candidates: &[Candidate],
    findings: &mut [Finding],
    observations: &mut Vec<Observation>,
) {
    let mut agreed: Vec<(usize, String)> = Vec::new();
    observations.retain(|o| {
        let unfilled = matches!(o, Observation::Unrecognised { file, best: Some(raw), .. }
        if names_no_licence(raw) && candidates.iter().any(|c| {
            c.kind == SourceKind::Manifest && &c.path == file && &c.text == raw
        }));
        !unfilled
    });
    observations.retain(|o| {
        let Observation::Unrecognised {
            file,
            best: Some(raw),
            ..
        } = o
        else {
            return true;
        };
        let from_manifest = candidates
            .iter()
            .any(|c| c.kind == SourceKind::Manifest && &c.path == file && &c.text == raw);
        let Some(fam) = family_named(raw).filter(|_| from_manifest) else {
            return true;
        };
        let text = findings.iter().position(|f| {
            f.method == Method::Text && !f.scope.is_partial() && (fam.member)(family(&f.license))
        });
        match text {
            Some(at) => {
                agreed.push((
                    at,
                    format!(
                        "{file} declares \"{raw}\", the {} family without its member: it agrees with this text",
                        fam.name
                    ),
                ));
                false
            }
            None => true,
        }
    });
    for (at, note) in agreed {
        findings[at].notes.push(note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unversioned_family_names_and_classifiers() {
        let named = |raw: &str| family_named(raw).map(|f| f.name);
        assert_eq!(named("License :: OSI Approved :: BSD License"), Some("BSD"));
        assert_eq!(named("BSD License"), Some("BSD"));
        assert_eq!(named("BSD-style"), Some("BSD"));
        assert_eq!(
            named("License :: OSI Approved :: GNU General Public License (GPL)"),
            Some("GNU GPL")
        );
        assert_eq!(
            named("License :: OSI Approved :: Apache Software License"),
            Some("Apache")
        );
        // A name that says more than the family, or another thing, is not a bare family claim.
        assert_eq!(named("BSD License except for the fonts"), None);
        assert_eq!(named("What license is it under?"), None);
        assert_eq!(named("Other/Proprietary License"), None);
        assert_eq!(named("Crown Copyright"), None);
    }

    #[test]
    fn a_licence_field_never_filled_in_names_no_licence_and_a_name_does() {
        for unfilled in [
            "What license is it under?",
            "",
            "  ",
            "<license>",
            "{{ cookiecutter.license }}",
            "[LICENSE]",
        ] {
            assert!(names_no_licence(unfilled), "{unfilled:?}");
        }
        for named in [
            "Acme Community Licence 2",
            "MIT?",
            "BSD License",
            "Other/Proprietary License",
            "Crown Copyright",
        ] {
            assert!(!names_no_licence(named), "{named:?}");
        }
    }
}
