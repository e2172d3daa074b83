//! A grant whose subject states its scope: what kind of the repository's own material it covers, and what
//! it leaves out ("The minimal code content in this repository that is specific to this site (and is not
//! part of the underlying documentation framework or its dependencies) is licensed under the MIT License";
//! "All written documentation content in this repository is licensed under …"), and the sentence that
//! announces such a split ("This repository uses different licenses for different types of content").
//!
//! A grant of a stated scope is a grant of that scope, so its subject may say which material it covers only
//! in words that keep it to the repository's own material of one kind (code, documentation, content), and
//! may leave out only what is not the licensor's to license: a framework, libraries, dependencies, vendored
//! or third-party work. Such a subject narrows nothing the verdict weighs: the repository's own work is what
//! any licence file grants, and third-party work in the tree is judged by its own evidence (vendored folders,
//! bundled files' headers, `license::assets`). A subject that describes or leaves out anything else ("the
//! frontend code", "not part of the data folder", "except the images") is not read here: its words stay
//! residue, for a person. The vocabularies are closed; a word outside them is never harmless.

use super::shape::{MODAL_WORDS, TITLE_WORDS, restricts};

/// Kinds of material a grant's subject may name.
const MATERIAL: &[&str] = &[
    "code",
    "codebase",
    "content",
    "contents",
    "documentation",
    "docs",
    "text",
    "software",
    "source",
    "material",
    "materials",
    "files",
    "guidance",
];

/// Words that keep the material to the repository's own ("specific to this site", "project-specific", "our
/// own", "minimal"): none widens or narrows what the repository's own work is.
const OWN: &[&str] = &[
    "minimal",
    "own",
    "original",
    "specific",
    "projectspecific",
    "sitespecific",
    "repositoryspecific",
    "bespoke",
    "custom",
];

/// The glue of a relative clause in a subject ("that is specific to …", "which is").
const GLUE: &[&str] = &["that", "which", "is", "are", "and"];

/// Words that open what the subject leaves out.
const EXCLUDING: &[&str] = &["not", "excluding", "except"];

/// What may be left out: work that is not the licensor's (a framework and its dependencies, libraries,
/// vendored or third-party code). One of these must head the words left out.
const NOT_THE_LICENSORS: &[&str] = &[
    "framework",
    "frameworks",
    "dependencies",
    "dependency",
    "libraries",
    "library",
    "vendored",
    "thirdparty",
    "third",
    "upstream",
];

/// The words around them ("part of the underlying … or its …").
const EXCLUSION_GLUE: &[&str] = &[
    "part",
    "parts",
    "of",
    "the",
    "a",
    "an",
    "any",
    "its",
    "their",
    "underlying",
    "or",
    "and",
    "party",
    "is",
    "are",
    "used",
    "by",
    "this",
    "site",
    "project",
];

/// Whether `subject` (the words of a grant sentence before its verb, licence names taken out) states a scope
/// of the repository's own material: each word is a word of the grant vocabulary (`statement_word`), of
/// material, of ownness, of a relative clause, or "written" before a kind of material ("written
/// documentation"); at most one exclusion, whose every word is of the exclusion vocabulary and which names
/// work that is not the licensor's. At least one kind of material is named.
pub(super) fn states_own_scope(
    subject: &[String],
    statement_word: &dyn Fn(&String) -> bool,
) -> bool {
    let at = subject.iter().position(|w| EXCLUDING.contains(&w.as_str()));
    let (own, left_out) = match at {
        Some(i) => (&subject[..i], Some(&subject[i + 1..])),
        None => (subject, None),
    };
    let own_ok = own.iter().enumerate().all(|(i, w)| {
        let word = w.as_str();
        (statement_word(w) && !restricts(word))
            || MATERIAL.contains(&word)
            || OWN.contains(&word)
            || GLUE.contains(&word)
            || (word == "written"
                && own
                    .get(i + 1)
                    .is_some_and(|n| MATERIAL.contains(&n.as_str())))
    });
    let left_out_ok = left_out.is_none_or(|words| {
        words
            .iter()
            .any(|w| NOT_THE_LICENSORS.contains(&w.as_str()))
            && words.iter().all(|w| {
                let word = w.as_str();
                NOT_THE_LICENSORS.contains(&word)
                    || EXCLUSION_GLUE.contains(&word)
                    || MATERIAL.contains(&word)
            })
    });
    own_ok && left_out_ok && own.iter().any(|w| MATERIAL.contains(&w.as_str()))
}

/// Whether `rest` (the words of a sentence that grants by reference, licence names taken out) is a grant of a
/// stated scope: its subject, the words before its verb (all of them when the verb went with the name), states a scope of the repository's own material
/// ([`states_own_scope`]), and every word from the verb on is of the grant vocabulary.
pub(super) fn grants_a_stated_scope(
    rest: &[String],
    statement_word: &dyn Fn(&String) -> bool,
) -> bool {
    // The licence's name may have been taken out with its verb ("licensed under the MIT License" is one
    // mention): then every word left is held to the subject's vocabularies.
    // The words of a title left after it ("License" of "the MIT License") close the sentence, not its subject.
    let verb = rest
        .iter()
        .position(|w| super::shape::GRANT_VERBS.contains(&w.as_str()))
        .unwrap_or_else(|| {
            rest.len()
                - rest
                    .iter()
                    .rev()
                    .take_while(|w| TITLE_WORDS.contains(&w.as_str()))
                    .count()
        });
    states_own_scope(&rest[..verb], statement_word) && rest[verb..].iter().all(statement_word)
}

/// Words of a sentence that announces that the repository's material is under several licences ("This
/// repository uses different licenses for different types of content:").
const SPLIT: &[&str] = &[
    "this",
    "the",
    "repository",
    "repo",
    "project",
    "site",
    "uses",
    "use",
    "has",
    "is",
    "are",
    "under",
    "different",
    "several",
    "separate",
    "various",
    "two",
    "licenses",
    "license",
    "licensing",
    "for",
    "of",
    "types",
    "type",
    "kinds",
    "kind",
    "parts",
    "and",
    "its",
    "as",
    "follows",
    "following",
];

/// Whether `words` only announce a split of the material between licences: words of the split vocabulary
/// and kinds of material, at least one word of difference ("different", "several"), none that negates,
/// restricts, permits or obliges. Only where the file names two licences or more (`families`).
pub(super) fn announces_a_split(words: &[String], families: usize) -> bool {
    const DIFFERENCE: &[&str] = &["different", "several", "separate", "various", "two"];
    families >= 2
        && words.iter().any(|w| DIFFERENCE.contains(&w.as_str()))
        && words.iter().all(|w| {
            let word = w.as_str();
            (SPLIT.contains(&word) || MATERIAL.contains(&word))
                && !restricts(word)
                && (!MODAL_WORDS.contains(&word) || matches!(word, "is" | "are"))
        })
}

/// Whether a heading's word labels a grant of a stated scope: a kind of material or of ownness (the heading
/// "Minimal project-specific code" over the grant of the code specific to the site).
pub(super) fn labels_a_scope(word: &str) -> bool {
    MATERIAL.contains(&word) || OWN.contains(&word) || word == "written"
}

#[cfg(test)]
mod tests {
    use super::super::shape::words;
    use super::*;

    fn own_scope(subject: &str) -> bool {
        // The grant vocabulary's words these subjects use.
        let plain = |w: &String| {
            [
                "all",
                "the",
                "in",
                "this",
                "repository",
                "to",
                "site",
                "its",
                "of",
            ]
            .contains(&w.as_str())
        };
        states_own_scope(&words(subject), &plain)
    }

    #[test]
    fn a_subject_of_own_material_leaving_out_only_third_party_work_states_a_scope() {
        assert!(own_scope(
            "The minimal code content in this repository that is specific to this site (and is not part of the underlying documentation framework or its dependencies) is"
        ));
        assert!(own_scope(
            "All written documentation content in this repository is"
        ));
    }

    #[test]
    fn a_subject_that_leaves_out_own_material_or_restricts_does_not() {
        for subject in [
            "The code in this repository that is not part of the data folder is",
            "The code (not the images) is",
            "The code that is not for commercial use is",
            "The minimal code content except for commercial use is",
            "The frontend code is",
            "All written permission content is",
            "The written code except the framework and the logos is",
        ] {
            assert!(!own_scope(subject), "{subject}");
        }
    }

    #[test]
    fn the_sentences_of_029_are_grant_statements() {
        let names =
            super::super::shape::name_words(&["MIT".to_string(), "CC-BY-SA-4.0".to_string()]);
        let named = ["MIT".to_string(), "CC-BY-SA-4.0".to_string()];
        let mit = "The minimal code content in this repository that is specific to this site (and is not part of the underlying documentation framework or its dependencies) is licensed under the MIT License:";
        assert_eq!(
            super::super::shape::sentence_shape(mit, &names, &named, true),
            super::super::shape::Shape::Statement
        );
    }

    #[test]
    fn a_split_is_announced_only_between_licences_and_without_terms() {
        let w = words("This repository uses different licenses for different types of content:");
        assert!(announces_a_split(&w, 2));
        assert!(!announces_a_split(&w, 1));
        for other in [
            "This repository uses different licenses for commercial types of content:",
            "This repository may not use different licenses:",
        ] {
            assert!(!announces_a_split(&words(other), 2), "{other}");
        }
    }
}
