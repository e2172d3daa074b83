//! Companion texts: words a licensor publishes with a licence, outside its terms (`licenses/companions/`).

use std::sync::LazyLock;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::Canonical;
use super::shape::{
    POINTER_WORDS, TITLE_WORDS, layout_word, proper_names, restricts, says_more_than_a_name, words,
};

/// Words a licensor publishes with a licence but outside its terms, which the SPDX copy of the licence lacks:
/// CPython's history of the software before its licences, the wording of Creative Commons' closing notice
/// that came after SPDX took its copy. A file carrying them verbatim is the licence as published; they are
/// the licence's own words, recognised as passages (see [`super::unaccounted`]'s `quoted`), never aligned as terms.
/// The texts and their sources are in `licenses/companions/` (its README lists them).
pub struct Companion {
    /// The licences (SPDX ids) it is published with.
    pub ids: &'static [&'static str],
    /// Or the licences it is published with, told by their elements (a Creative Commons deed's paragraph on
    /// NonCommercial goes with every licence that has NC, and with no other).
    pub goes_with: Option<fn(&str) -> bool>,
    /// What it is and where it is published.
    pub source: &'static str,
    text: &'static str,
}

pub const COMPANIONS: &[Companion] = &[
    Companion {
        ids: &["Python-2.0", "Python-2.0.1", "PSF-2.0"],
        source: "part A (history of the software) of CPython's LICENSE",
        goes_with: None,
        text: include_str!("../../../licenses/companions/Python-history.txt"),
    },
    Companion {
        ids: &[
            "CC-BY-4.0",
            "CC-BY-SA-4.0",
            "CC-BY-NC-4.0",
            "CC-BY-ND-4.0",
            "CC-BY-NC-SA-4.0",
            "CC-BY-NC-ND-4.0",
        ],
        source: "Creative Commons' notice after its 4.0 legal code, in its current wording",
        goes_with: None,
        text: include_str!("../../../licenses/companions/CC-4.0-notice.txt"),
    },
    Companion {
        ids: &["MIT", "OGL-UK-3.0"],
        source: "the licence statement the GOV.UK Design System and GDS repositories publish for MIT code with \
                 Crown copyright documentation under the OGL",
        goes_with: None,
        text: include_str!("../../../licenses/companions/GOVUK-statement.txt"),
    },
    Companion {
        ids: &["OGL-UK-3.0"],
        source: "the licence section Defra's repositories carry: the OGL grant, the attribution the OGL itself \
                 requires with the OGL's own default statement, and The National Archives' description of the OGL",
        goes_with: None,
        text: include_str!("../../../licenses/companions/Defra-OGL-statement.txt"),
    },
    Companion {
        ids: &[],
        goes_with: Some(is_gnu),
        source: "the notices the GNU licences' \"How to Apply These Terms\" tell a licensor to attach: the \
                 source-file notice and the short notice for a program's interactive start-up",
        text: include_str!("../../../licenses/companions/GNU-notices.txt"),
    },
    // Creative Commons' deed: the human-readable summary it publishes with each licence, one paragraph per
    // element, so that a deed's words stand beside only the licence that has that element ("You may not use
    // the material for commercial purposes" is a CC BY-NC deed's, never a CC BY file's).
    Companion {
        ids: &[],
        goes_with: Some(|id| cc_elements(id).is_some()),
        source: "Creative Commons' deed (human-readable summary): what every CC BY licence's deed says",
        text: include_str!("../../../licenses/companions/CC-deed.txt"),
    },
    Companion {
        ids: &[],
        goes_with: Some(|id| cc_elements(id).is_some_and(|e| !e.nc)),
        source: "Creative Commons' deed: Share, for a licence without NonCommercial",
        text: include_str!("../../../licenses/companions/CC-deed-commercial.txt"),
    },
    Companion {
        ids: &[],
        goes_with: Some(|id| cc_elements(id).is_some_and(|e| !e.nd)),
        source: "Creative Commons' deed: Adapt, for a licence without NoDerivatives",
        text: include_str!("../../../licenses/companions/CC-deed-adapt.txt"),
    },
    Companion {
        ids: &[],
        goes_with: Some(|id| cc_elements(id).is_some_and(|e| !e.nd && !e.nc)),
        source: "Creative Commons' deed: Adapt, for a licence without NoDerivatives or NonCommercial",
        text: include_str!("../../../licenses/companions/CC-deed-adapt-commercial.txt"),
    },
    Companion {
        ids: &[],
        goes_with: Some(|id| cc_elements(id).is_some_and(|e| e.nc)),
        source: "Creative Commons' deed: the NonCommercial element",
        text: include_str!("../../../licenses/companions/CC-deed-NC.txt"),
    },
    Companion {
        ids: &[],
        goes_with: Some(|id| cc_elements(id).is_some_and(|e| e.sa)),
        source: "Creative Commons' deed: the ShareAlike element",
        text: include_str!("../../../licenses/companions/CC-deed-SA.txt"),
    },
    Companion {
        ids: &[],
        goes_with: Some(|id| cc_elements(id).is_some_and(|e| e.nd)),
        source: "Creative Commons' deed: the NoDerivatives element",
        text: include_str!("../../../licenses/companions/CC-deed-ND.txt"),
    },
];

/// Whether `id` is a GNU licence (GPL, LGPL, AGPL, any version): [`GNU_NOTICES`] goes with it.
fn is_gnu(id: &str) -> bool {
    ["GPL-", "LGPL-", "AGPL-"].iter().any(|p| id.starts_with(p))
}

/// An id the GNU licences' notices ([`COMPANIONS`]) go with, to ask for them where no licence is named: a
/// notice file quoting the GNU start-up notice ("This program comes with ABSOLUTELY NO WARRANTY …") names
/// none, and what it quotes is still the GPL's own words, with every word written into them residue.
pub const GNU_NOTICES: &str = "GPL-3.0-or-later";

/// The elements of a Creative Commons BY licence, from its id (`CC-BY-NC-SA-4.0`, a port such as
/// `LicenseRef-CC-BY-NC-2.5-Scotland`); None for any other licence (CC0 has no deed of these elements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CcElements {
    pub nc: bool,
    pub sa: bool,
    pub nd: bool,
}

pub(super) fn cc_elements(id: &str) -> Option<CcElements> {
    let id = id.strip_prefix("LicenseRef-").unwrap_or(id);
    let rest = id.strip_prefix("CC-BY")?;
    let mut e = CcElements {
        nc: false,
        sa: false,
        nd: false,
    };
    for part in rest.split('-').filter(|p| !p.is_empty()) {
        match part {
            "NC" => e.nc = true,
            "SA" => e.sa = true,
            "ND" => e.nd = true,
            // The version and a port's jurisdiction follow the elements.
            _ if part.starts_with(|c: char| c.is_ascii_digit()) => break,
            _ => return None,
        }
    }
    Some(e)
}

/// The companion texts published with the licence `id` ([`COMPANIONS`]), each read once.
pub fn companions_of(id: &str) -> Vec<&'static Canonical> {
    static READ: LazyLock<Vec<Canonical>> = LazyLock::new(|| {
        COMPANIONS
            .iter()
            .map(|c| Canonical::from_lines(&c.text.lines().map(str::to_string).collect::<Vec<_>>()))
            .collect()
    });
    COMPANIONS
        .iter()
        .zip(READ.iter())
        .filter(|(c, _)| c.ids.contains(&id) || c.goes_with.is_some_and(|f| f(id)))
        .map(|(_, read)| read)
        .collect()
}

/// At most this many words of a sentence may be written into, or left out of, the published sentence it is
/// matched to (a slip, a scope such as "for this package", a lead-in such as "This code is open source
/// software"); a longer difference is not the published sentence any more.
const MAX_SENTENCE_EDIT: usize = 8;

/// The copulas: "is" and "are" join a subject to what the published words say of it, and state nothing of
/// their own (a negation, a restriction or an obligation needs a word that the judging below refuses).
fn copula(w: &str) -> bool {
    matches!(w, "is" | "are")
}

/// Whether a word written into a published sentence is harmless there: a word of titles and pointers, of the
/// licence's name, a name (capitalised), layout, or a copula; and never a word that negates, restricts,
/// permits, obliges or frames ("draft", "example"), whatever else it is. An allow-list: a word nobody wrote
/// down is not harmless.
fn harmless_insertion(w: &str, names: &[String], proper: &[String]) -> bool {
    let operative = restricts(w) || (says_more_than_a_name(w) && !copula(w));
    !operative
        && (TITLE_WORDS.contains(&w)
            || POINTER_WORDS.contains(&w)
            || names.iter().any(|n| n == w)
            || proper.iter().any(|n| n == w)
            || layout_word(w)
            || copula(w))
}

/// Whether `sentence` is a sentence a licensor publishes (one of `published`: a companion text, or a
/// licence's own standard notice) with differences that change nothing, judged word by word like a licence
/// text's differences: most of the published sentence's words are there in order; what is written into it
/// is a few harmless words ([`harmless_insertion`]); what is left out of it is no word that negates,
/// restricts, permits or obliges (leaving out "not" or "only" changes the terms). Read only on the lines
/// nothing else accounts for.
pub(super) fn a_published_sentence(
    sentence: &str,
    published: &[&Canonical],
    names: &[String],
) -> bool {
    // A link's target states no term (the words `words` gives a URL are layout).
    let found: Vec<String> = words(sentence)
        .into_iter()
        .filter(|w| !matches!(w.as_str(), "http" | "blackboxed" | "url"))
        .collect();
    if found.len() < 3 {
        return false;
    }
    let found_refs: Vec<&str> = found.iter().map(String::as_str).collect();
    let proper = proper_names(sentence);
    published.iter().flat_map(|c| &c.sentences).any(|s| {
        // Cheap test first: enough of the published sentence's words occur at all.
        let shared = s
            .iter()
            .filter(|w| found_refs.contains(&w.as_str()))
            .count();
        if shared * 5 < s.len() * 3 || s.len() < 3 {
            return false;
        }
        let old: Vec<&str> = s.iter().map(String::as_str).collect();
        let ops = capture_diff_slices(Algorithm::Myers, &old, &found_refs);
        let (mut equal, mut edited) = (0, 0);
        for op in ops {
            let (tag, o, n) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => equal += n.len(),
                _ => {
                    edited += n.len().max(o.len());
                    let added_ok = found_refs[n]
                        .iter()
                        .all(|w| harmless_insertion(w, names, &proper));
                    let removed_ok = old[o]
                        .iter()
                        .all(|w| !restricts(w) && (copula(w) || !says_more_than_a_name(w)));
                    if !added_ok || !removed_ok {
                        return false;
                    }
                }
            }
        }
        edited <= MAX_SENTENCE_EDIT && equal * 5 >= old.len() * 3 && equal * 2 >= found_refs.len()
    })
}
