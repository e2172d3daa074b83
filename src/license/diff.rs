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
            }
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

    #[test]
    fn british_spelling_is_not_a_change() {
        let c = compare("this licence is authorised", "this license is authorized");
        assert_eq!(c.changed_words, 0);
    }
}
