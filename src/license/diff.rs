//! How a licence text differs from its canonical text, and whether the difference changes what the licence
//! permits. askalono scores "Permission is *not* hereby granted" 0.978 against MIT: a high score is not enough.
//! Pure functions over askalono's normalised text.

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::OperativeChange;

/// The outcome of comparing a found licence text with the canonical one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    /// Words that differ (added + removed), after normalisation.
    pub changed_words: usize,
    pub operative: Vec<OperativeChange>,
    /// The found text ends before the canonical text does.
    pub ends_early: bool,
}

impl Comparison {
    /// A difference beyond layout, spelling, copyright lines and placeholders.
    pub fn modified(&self) -> bool {
        self.changed_words > 2
    }
}

pub(crate) const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "nor",
    "neither",
    "cannot",
    "prohibited",
    "forbidden",
    "refused",
    "withheld",
];
pub(crate) const GRANT_WORDS: &[&str] = &[
    "granted",
    "grant",
    "grants",
    "permitted",
    "permission",
    "permit",
    "charge",
    "use",
    "copy",
    "modify",
    "distribute",
    "redistribute",
    "redistribution",
    "sell",
    "sublicense",
    "publish",
    "merge",
    "deal",
    "reproduce",
    "adapt",
    "exploit",
    "share",
];
pub(crate) const RESTRICTIONS: &[&str] = &[
    "commercial",
    "noncommercial",
    "commercially",
    "military",
    "government",
    "governmental",
    "evil",
    "solely",
    "only",
    "exclusively",
    "academic",
    "research",
    "educational",
    "personal",
    "internal",
    "prohibited",
    "restricted",
    "restriction",
    "restrictions",
    "except",
    "excluding",
    "unless",
    "approval",
    "consent",
    "fee",
    "fees",
    "royalty",
    "profit",
    "nonprofit",
    "written",
    "revocable",
    "terminate",
    "indemnify",
];
const CONDITION_PHRASES: &[&[&str]] = &[
    &["shall", "be", "included"],
    &["above", "copyright", "notice"],
    &["must", "retain"],
    &["reproduce", "the", "above"],
    &["subject", "to", "the", "following", "conditions"],
    &["provided", "that"],
    &["acknowledge", "the", "source"],
    &["attribution", "statement"],
    &["same", "license"],
];
const GRANT_PHRASES: &[&[&str]] = &[
    &["hereby", "granted"],
    &["grants", "you"],
    &["are", "permitted", "provided"],
    &["permission", "to", "use"],
    &["free", "of", "charge"],
    &["is", "free", "software"],
    &["you", "are", "free", "to"],
];

/// British and American spellings are one word here.
pub(crate) fn canonical_word(w: &str) -> &str {
    match w {
        "licence" => "license",
        "licences" => "licenses",
        "licenced" => "licensed",
        "licencing" => "licensing",
        "licensor" | "licenser" => "licensor",
        "authorised" => "authorized",
        "organisation" => "organization",
        "organisations" => "organizations",
        "recognised" => "recognized",
        "utilise" => "utilize",
        "favour" => "favor",
        other => other,
    }
}

fn words(normalised: &str) -> Vec<&str> {
    normalised.split_whitespace().map(canonical_word).collect()
}

fn contains_phrase(hay: &[&str], phrase: &[&str]) -> bool {
    hay.windows(phrase.len()).any(|w| w == phrase)
}

/// Longest run of words an excerpt shows whole; a longer one shows its ends and how many words lie between.
const EXCERPT_WORDS: usize = 40;

fn shortened(run: &[&str]) -> String {
    if run.len() <= EXCERPT_WORDS {
        return run.join(" ");
    }
    let head = &run[..EXCERPT_WORDS / 2];
    let tail = &run[run.len() - EXCERPT_WORDS / 4..];
    format!(
        "{} … ({} words) … {}",
        head.join(" "),
        run.len() - head.len() - tail.len(),
        tail.join(" ")
    )
}

fn excerpt(
    old: &[&str],
    new: &[&str],
    tag: DiffTag,
    o: std::ops::Range<usize>,
    n: std::ops::Range<usize>,
) -> String {
    let ctx = 6;
    let before = &new[n.start.saturating_sub(ctx)..n.start];
    let after = &new[n.end..(n.end + ctx).min(new.len())];
    let mut s = before.join(" ");
    if matches!(tag, DiffTag::Delete | DiffTag::Replace) {
        s.push_str(&format!(" [-{}-]", shortened(&old[o])));
    }
    if matches!(tag, DiffTag::Insert | DiffTag::Replace) {
        s.push_str(&format!(" {{+{}+}}", shortened(&new[n])));
    }
    s.push(' ');
    s.push_str(&after.join(" "));
    s.trim().to_string()
}

/// Compare the normalised found text (`found`) with the normalised canonical text (`canonical`), both as
/// produced by askalono's preprocessing (lower case, no punctuation, copyright lines removed).
pub fn compare(found: &str, canonical: &str) -> Comparison {
    compare_with_grant(found, canonical, &[])
}

/// Words that mark a canonical sentence as one that grants rights or lists them. Matched on the words of the
/// licence's own canonical text, never on the found text, so a found text cannot avoid them by rephrasing.
const GRANT_MARKERS: &[&str] = &[
    "permission",
    "permitted",
    "granted",
    "grant",
    "grants",
    "hereby",
];
/// Two-word markers of the same: "free of charge" (MIT), "free to" (OGL's "You are free to: copy, …").
const GRANT_MARKER_PAIRS: &[(&str, &str)] = &[("free", "of"), ("free", "to")];

/// Words a licensor substitutes for a canonical party placeholder ("Neither the name of the copyright holder
/// nor …" → "Neither the name of Acme Ltd nor …"): a replacement whose removed words are all of these, and
/// which removes a party noun, names the party and leaves the grant as it was.
const PARTY_WORDS: &[&str] = &[
    "the",
    "copyright",
    "holder",
    "holders",
    "owner",
    "owners",
    "author",
    "authors",
    "organization",
    "of",
    "its",
];
const PARTY_NOUNS: &[&str] = &[
    "holder",
    "holders",
    "owner",
    "owners",
    "author",
    "authors",
    "organization",
];

/// A sentence's own words as compared: lower case, punctuation gone (as askalono's aggressive preprocessing
/// does), British spellings folded.
fn plain_words(sentence: &str) -> Vec<String> {
    sentence
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .map(|w| canonical_word(&w).to_string())
        .collect()
}

/// Whether a token ending in `.` ends a sentence, rather than labelling a list item at the head of its line
/// ("1.", "a.", "(b).", "iv.") or abbreviating ("e.g.", "Inc.").
fn ends_sentence(token: &str, first_on_line: bool) -> bool {
    let core = token.trim_end_matches(['"', '\'', ')', ']', '”', '’']);
    let Some(body) = core.strip_suffix(['.', '!', '?']) else {
        return false;
    };
    let body = body.trim_start_matches(['(', '[']);
    let letters: String = body.chars().filter(|c| c.is_alphanumeric()).collect();
    let roman = !letters.is_empty() && letters.chars().all(|c| "ivxlcdmIVXLCDM".contains(c));
    let abbreviation = body.contains('.')
        || matches!(
            letters.to_lowercase().as_str(),
            "inc" | "ltd" | "co" | "corp" | "no" | "vs" | "etc" | "st"
        );
    let label = first_on_line
        && (letters.chars().count() <= 2
            || letters.chars().all(|c| c.is_ascii_digit())
            || roman && letters.len() <= 4);
    !(label || abbreviation || letters.is_empty())
}

/// The sentences of a canonical licence text (its lines as askalono normalised them, punctuation kept). A
/// paragraph break ends a sentence too, unless the paragraph ends mid-sentence (`:`, `;`, `,`, "and", "or"),
/// as a list of granted rights does ("You are free to:" then the rights; CC's "A. …; and" then "B. …").
fn sentences(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            let tail = current.trim_end();
            let open = tail.ends_with([':', ';', ',', '—', '–', '-'])
                || tail.ends_with(" and")
                || tail.ends_with(" or");
            if !open && !current.trim().is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        for (k, token) in trimmed.split_whitespace().enumerate() {
            current.push_str(token);
            current.push(' ');
            if ends_sentence(token, k == 0) {
                out.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

fn is_grant_sentence(words: &[String]) -> bool {
    words.iter().any(|w| GRANT_MARKERS.contains(&w.as_str()))
        || words
            .windows(2)
            .any(|p| GRANT_MARKER_PAIRS.contains(&(p[0].as_str(), p[1].as_str())))
}

/// For each word of a canonical text's processed form (`processed`, as askalono compares it), whether it
/// belongs to one of the licence's grant sentences: the sentences of its own canonical text (`lines`) that
/// grant rights or list them (those holding "permission", "granted", "hereby", "grants", "free of charge",
/// "free to" …). Found per licence from its text, with no per-licence phrase list; a processed word that the
/// sentence split cannot place (a title, a copyright line askalono dropped) is outside the grant.
pub fn grant_mask(lines: &[String], processed: &str) -> Vec<bool> {
    let mut plain: Vec<String> = Vec::new();
    let mut flags: Vec<bool> = Vec::new();
    for sentence in sentences(lines) {
        let words = plain_words(&sentence);
        let grant = is_grant_sentence(&words);
        flags.extend(std::iter::repeat_n(grant, words.len()));
        plain.extend(words);
    }
    let target = words(processed);
    let plain: Vec<&str> = plain.iter().map(String::as_str).collect();
    let mut mask = vec![false; target.len()];
    for op in capture_diff_slices(Algorithm::Myers, &plain, &target) {
        if let similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            mask[new_index..new_index + len].copy_from_slice(&flags[old_index..old_index + len]);
        }
    }
    mask
}

/// A change to a grant sentence that leaves the grant as it was: a party placeholder replaced by a name, or
/// a connective of the list of rights changed or dropped ("and/or" written "and", "modify, and distribute"
/// written "modify, distribute").
fn harmless_grant_edit(removed: &[&str], added: &[&str]) -> bool {
    let party = !added.is_empty()
        && removed.iter().all(|w| PARTY_WORDS.contains(w))
        && removed.iter().any(|w| PARTY_NOUNS.contains(w));
    let connectives = |ws: &[&str]| ws.iter().all(|w| matches!(*w, "and" | "or" | "andor"));
    let and_or = !removed.is_empty() && connectives(removed) && connectives(added);
    // List numbering: "1", "b", "iv".
    let label = |w: &&str| {
        w.chars().count() <= 1
            || w.chars().all(|c| c.is_ascii_digit())
            || w.len() <= 4 && w.chars().all(|c| "ivx".contains(c))
    };
    let numbering = !removed.is_empty() && removed.iter().all(label) && added.iter().all(label);
    // A copyright statement quoted inside a grant ("notice of copyright, i.e., Copyright (c) 1995-2001 …"):
    // askalono drops a line that starts with it, so re-wrapping alone can make it vanish.
    let copyright_statement = added.is_empty()
        && removed.len() >= 3
        && removed[0] == "copyright"
        && (removed[1] == "c" || removed[1].starts_with(|c: char| c.is_ascii_digit()));
    party || and_or || numbering || copyright_statement
}

/// As [`compare`], with the canonical text's grant sentences marked (`grant`, one flag per canonical word, as
/// [`grant_mask`] gives; empty for none).
///
/// Invariant: every word of the canonical grant sentences is in the found text, or the change is operative
/// (`changed-grant`, the diff shown) — whatever words were dropped or put in their place. Words inserted are
/// the residue check's to account for.
/// "…copy, modify, merge, publish, sublicense…" (distribute gone), "Permission to use this software" (ISC
/// with its list cut), "free of charge" → "for a charge" are all caught without knowing those phrasings. Only
/// [`harmless_grant_edit`]'s shapes are let through.
pub fn compare_with_grant(found: &str, canonical: &str, grant: &[bool]) -> Comparison {
    let old = words(canonical);
    let new = words(found);
    let ops = capture_diff_slices(Algorithm::Myers, &old, &new);
    let mut cmp = Comparison::default();
    let last_new_index = new.len();
    for op in &ops {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        cmp.changed_words += o.len() + n.len();
        let removed = &old[o.clone()];
        let added = &new[n.clone()];
        if !removed.is_empty() && n.start == last_new_index {
            cmp.ends_early = true;
        }
        // Words around the change, in the found text, to judge what an added word refers to.
        let window = &new[n.start.saturating_sub(8)..(n.end + 8).min(new.len())];
        let added_negation = added.iter().any(|w| NEGATIONS.contains(w));
        let removed_negation = removed.iter().any(|w| NEGATIONS.contains(w));
        if added_negation && !removed_negation && window.iter().any(|w| GRANT_WORDS.contains(w)) {
            cmp.operative.push(OperativeChange {
                kind: "negated-grant".into(),
                summary: format!("adds \"{}\" next to the grant", added.join(" ")),
                diff: excerpt(&old, &new, tag, o.clone(), n.clone()),
            });
            continue;
        }
        let restriction: Vec<&str> = added
            .iter()
            .copied()
            .filter(|w| RESTRICTIONS.contains(w) && !removed.contains(w))
            .collect();
        if !restriction.is_empty() {
            cmp.operative.push(OperativeChange {
                kind: "added-restriction".into(),
                summary: format!("adds words that restrict use: {}", restriction.join(", ")),
                diff: excerpt(&old, &new, tag, o.clone(), n.clone()),
            });
            continue;
        }
        if removed.len() >= 2 {
            if let Some(p) = GRANT_PHRASES.iter().find(|p| contains_phrase(removed, p)) {
                cmp.operative.push(OperativeChange {
                    kind: "dropped-grant".into(),
                    summary: format!("the grant (\"{}\") is missing", p.join(" ")),
                    diff: excerpt(&old, &new, tag, o.clone(), n.clone()),
                });
                continue;
            }
            if let Some(p) = CONDITION_PHRASES
                .iter()
                .find(|p| contains_phrase(removed, p))
            {
                cmp.operative.push(OperativeChange {
                    kind: "dropped-condition".into(),
                    summary: format!("a condition (\"{}\") is missing", p.join(" ")),
                    diff: excerpt(&old, &new, tag, o.clone(), n.clone()),
                });
                continue;
            }
        }
        // Words inserted into a grant are the residue check's (`license::residue`), which accounts for every
        // word the canonical text lacks; here, the canonical grant's own words.
        let in_grant = |i: usize| grant.get(i).copied().unwrap_or(false);
        if o.clone().any(in_grant) && !harmless_grant_edit(removed, added) {
            let dropped: Vec<&str> = o.clone().filter(|&i| in_grant(i)).map(|i| old[i]).collect();
            let summary = format!(
                "the grant is changed: \"{}\" is missing",
                shortened(&dropped)
            );
            cmp.operative.push(OperativeChange {
                kind: "changed-grant".into(),
                summary,
                diff: excerpt(&old, &new, tag, o.clone(), n.clone()),
            });
        }
    }
    cmp
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIT: &str = "permission is hereby granted free of charge to any person obtaining a copy of this software to deal in the software without restriction subject to the following conditions the above copyright notice and this permission notice shall be included in all copies the software is provided as is";

    #[test]
    fn identical_text_is_unmodified() {
        let c = compare(MIT, MIT);
        assert_eq!(c.changed_words, 0);
        assert!(!c.modified());
        assert!(c.operative.is_empty());
    }

    #[test]
    fn a_negated_grant_is_operative() {
        let c = compare(
            &MIT.replace("is hereby granted", "is not hereby granted"),
            MIT,
        );
        assert_eq!(c.operative.len(), 1);
        assert_eq!(c.operative[0].kind, "negated-grant");
        assert!(
            c.operative[0].diff.contains("{+not+}"),
            "{}",
            c.operative[0].diff
        );
    }

    #[test]
    fn an_added_non_commercial_clause_is_operative() {
        let c = compare(
            &MIT.replace("without restriction", "for non commercial purposes only"),
            MIT,
        );
        assert_eq!(c.operative[0].kind, "added-restriction");
        assert!(c.operative[0].summary.contains("commercial"));
    }

    #[test]
    fn a_dropped_condition_is_operative() {
        let c = compare(&MIT.replace("the above copyright notice and this permission notice shall be included in all copies", ""), MIT);
        assert_eq!(c.operative[0].kind, "dropped-condition");
    }

    #[test]
    fn a_dropped_grant_is_operative() {
        let c = compare(
            &MIT.replace(
                "permission is hereby granted free of charge to any person",
                "",
            ),
            MIT,
        );
        assert_eq!(c.operative[0].kind, "dropped-grant");
    }

    #[test]
    fn a_long_run_of_dropped_words_is_shown_by_its_ends_and_its_length() {
        let long: Vec<String> = (0..500).map(|i| format!("w{i}")).collect();
        let canonical = format!("{MIT} {}", long.join(" "));
        let cmp = compare(MIT, &canonical);
        assert!(cmp.ends_early);
        let shown = shortened(&long.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(shown.starts_with("w0 w1 "), "{shown}");
        assert!(shown.contains("(470 words)"), "{shown}");
        assert!(shown.ends_with("w499"), "{shown}");
        assert!(shown.split_whitespace().count() < 40, "{shown}");
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn the_grant_mask_marks_grant_sentences_and_not_the_disclaimer() {
        let text = "MIT License\n\nPermission is hereby granted, free of charge, to deal in the Software, including\nthe rights to use, copy, distribute and sell.\n\nTHE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY.\n";
        let processed = "permission is hereby granted free of charge to deal in the software including the rights to use copy distribute and sell the software is provided as is without warranty";
        let mask = grant_mask(&lines(text), processed);
        let marked: Vec<&str> = processed
            .split(' ')
            .zip(&mask)
            .filter(|(_, m)| **m)
            .map(|(w, _)| w)
            .collect();
        assert!(
            marked.contains(&"distribute") && marked.contains(&"free"),
            "{marked:?}"
        );
        assert!(
            !marked.contains(&"warranty") && !marked.contains(&"provided"),
            "{marked:?}"
        );
    }

    #[test]
    fn a_list_of_rights_after_a_colon_or_and_stays_in_the_grant_sentence() {
        let text = "You are free to:\n\ncopy the Work;\n\nA. share it; and\n\nB. adapt it.\n\nYou must attribute.\n";
        let processed =
            "you are free to copy the work a share it and b adapt it you must attribute";
        let mask = grant_mask(&lines(text), processed);
        let words: Vec<&str> = processed.split(' ').collect();
        let at = |w: &str| mask[words.iter().position(|x| *x == w).unwrap()];
        assert!(at("copy") && at("share") && at("adapt"));
        assert!(!at("attribute"));
    }

    #[test]
    fn a_dropped_word_in_the_grant_is_operative_and_a_connective_or_party_is_not() {
        let canonical = "permission to use copy modify and or distribute is hereby granted neither the name of the copyright holder nor";
        let text = "Permission to use, copy, modify, and/or distribute is hereby granted.\n\nNeither the name of the copyright holder nor\n";
        let grant = grant_mask(&lines(text), canonical);
        let dropped = compare_with_grant(&canonical.replace("modify ", ""), canonical, &grant);
        assert_eq!(dropped.operative[0].kind, "changed-grant");
        assert!(dropped.operative[0].diff.contains("[-modify-]"));
        let connective = compare_with_grant(&canonical.replace("and or", "and"), canonical, &grant);
        assert!(
            connective.operative.is_empty(),
            "{:?}",
            connective.operative
        );
        let party = compare_with_grant(
            &canonical.replace("the copyright holder", "acme ltd"),
            canonical,
            &grant,
        );
        assert!(party.operative.is_empty(), "{:?}", party.operative);
    }

    #[test]
    fn british_spelling_is_not_a_change() {
        let c = compare("this licence is authorised", "this license is authorized");
        assert_eq!(c.changed_words, 0);
    }
}
