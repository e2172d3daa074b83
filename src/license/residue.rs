//! Every word of a licence-like file is accounted for, or the file needs a person.
//!
//! A licence file grants what its licence text grants, and nothing in it may say otherwise. So the file is
//! aligned word by word against the canonical text of each licence matched in it (in file order): the words
//! the alignment pairs with the canonical text are the licence's own. Every other word is *residue* unless it
//! has one of a short list of harmless shapes:
//!
//! - a line that is blank or only punctuation and markup (separators, list marks, HTML tags);
//! - a title: a line whose words are all words of the name of a licence the file matches or names (or of a
//!   few words every title uses: "licence", "version", "terms and conditions", a version number);
//! - a holder line: a copyright mark (`Copyright`, `©`, `(c)`) and a name — no word that speaks of
//!   permission, negation or restriction — or "All rights reserved" under one;
//! - an `SPDX-License-Identifier:` line, and URLs (a link states no term on its own);
//! - a recognised grant statement for a licence named in the file ("This project is licensed under the MIT
//!   licence"), with no negation or restriction in it;
//! - inside the licence text: list numbering and single letters, a holder named where the canonical text has
//!   its placeholder ("the name of the copyright holder" → "the name of NHS England"), a passage of the
//!   licence's own words repeated or moved, and the licence's own appendix (how to apply it).
//!
//! This is an allow-list of shapes, not a list of restrictions: "Except that redistribution of this Software
//! is prohibited." after an MIT text is residue because nothing accounts for it, and so is any sentence
//! nobody has written down. Residue makes the file *needs review*, quoting it with its line.
//! Pure functions over text.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use regex::Regex;
use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

use super::statement;

/// Words that are not accounted for, where they start, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unaccounted {
    /// 1-based line in the text.
    pub line: usize,
    /// The line(s) holding the words, trimmed and shortened.
    pub text: String,
}

/// The most unaccounted runs reported for one file: one is enough to need a person.
const MAX_REPORTED: usize = 6;
/// A quote of a run longer than this many characters is shortened.
const QUOTE_CHARS: usize = 160;
/// A repeated or moved passage of the licence's own words is harmless from this many words on; a shorter
/// run ("not", "you may not") takes its meaning from where it is put.
const OWN_WORDS_MIN: usize = 8;
/// A holder named in the licence's placeholder position has at most this many words.
const HOLDER_MAX_WORDS: usize = 14;
/// A paragraph longer than this many lines is read as a sentence only this far (it is no statement).
const MAX_PARAGRAPH_LINES: usize = 40;
/// Bound on the word alignment: past it, similar returns a coarser diff, which can only report more.
const ALIGN_DEADLINE: Duration = Duration::from_secs(2);

mod companion;
mod scope;
mod shape;
#[cfg(test)]
mod tests;
mod third_party;

pub use companion::{COMPANIONS, Companion, companions_of};
use shape::*;

/// Whether a word (lower case) says more than a holder's name does: negation, obligation, permission,
/// restriction or copying ([`shape::says_more_than_a_name`]); the one vocabulary the holder line shape and
/// the cut of a holder's name ([`super::holders::name_end`]) share.
pub(crate) fn says_more_than_a_name(w: &str) -> bool {
    shape::says_more_than_a_name(w)
}

/// Whether line `at` (1-based) of a README licence section or documentation page, where a licence is named,
/// grants it: the sentence there grants by reference ("licensed under the MIT licence", "Licence: OGL v3"),
/// read alone or joined with the line before or after (a sentence may wrap); or the line is a licence name
/// on its own under a top licence heading (`## License` then `MIT`, [`statement::bare_licence_name`]), in
/// the document's own words (or under the README's one closing licence section, `closing`). A name anywhere
/// else (under a `### License` that may speak for a component, in
/// a code span, in a list) names a licence without granting it. The other lines of the section are held
/// to [`unaccounted`].
pub fn grants_at(section: &str, at: usize, closing: bool) -> bool {
    static SETEXT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^ {0,3}(?:=+|-+)[ \t]*$").expect("setext underline"));
    let lines: Vec<&str> = section.lines().collect();
    let Some(i) = at.checked_sub(1).filter(|&i| i < lines.len()) else {
        return false;
    };
    let joined = |a: usize, b: usize| {
        lines[a..=b]
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if statement::grants_by_reference(lines[i])
        || (i > 0 && statement::grants_by_reference(&joined(i - 1, i)))
        || (i + 1 < lines.len() && statement::grants_by_reference(&joined(i, i + 1)))
    {
        return true;
    }
    let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return false;
    };
    let heading_end = if lines.get(first + 1).is_some_and(|l| SETEXT.is_match(l)) {
        first + 2
    } else {
        first + 1
    };
    // Under the README's own top licence heading, a line in the document's own words that names the
    // licence ("MIT", "MIT License - see LICENSE for details", a link to the licence) states it: the
    // heading says what the name is, and every other word of the section is held to `unaccounted`. A code
    // span sets the name apart (a value, not a statement).
    i >= heading_end
        && !lines[i].contains('`')
        && super::text::structure(section).get(i) == Some(&super::text::Block::Own)
        && statement::bare_licence_name(
            &format!("{}\nMIT\n", lines[..heading_end].join("\n")),
            closing,
        )
        .is_some()
}

/// A heading that names what the grant under it covers ("## Advice and guidance text" over "Except where
/// otherwise noted, advice and guidance text is licensed under …") is the grant's label: every word of it is a
/// word of the first sentence of the paragraph under it (or a title word), that sentence is a grant statement
/// for a licence the file names ([`shape::sentence_shape`]), and no word of the heading negates, restricts,
/// obliges or permits. A heading over anything else is read like any other line.
fn label_grant_headings(
    lines: &[&str],
    line_words: &[Vec<String>],
    shapes: &mut [Shape],
    names: &[String],
    named: &[String],
) {
    static ATX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^ {0,3}#{1,6}[ \t]").expect("atx heading"));
    static SETEXT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^ {0,3}(?:=+|-+)[ \t]*$").expect("setext underline"));
    for i in 0..lines.len() {
        let setext = lines.get(i + 1).is_some_and(|l| SETEXT.is_match(l));
        if shapes[i] != Shape::Words || !(ATX.is_match(lines[i]) || setext) {
            continue;
        }
        let from = i + if setext { 2 } else { 1 };
        let Some(start) = (from..lines.len()).find(|&j| !line_words[j].is_empty()) else {
            continue;
        };
        let end = (start..lines.len())
            .find(|&j| line_words[j].is_empty())
            .unwrap_or(lines.len())
            .min(start + MAX_PARAGRAPH_LINES);
        let paragraph = lines[start..end].join(" ");
        let Some(first) = SENTENCE_END
            .split(&paragraph)
            .find(|s| !words(s).is_empty())
        else {
            continue;
        };
        let sentence_words = words(first);
        // A word that restricts may label only a sentence that holds it and is a grant statement all the same
        // ("Written content" over "All written documentation content … is licensed under …"); a list number
        // and a kind of material or of ownness label a grant of a stated scope (`scope`).
        let labels = line_words[i].iter().all(|w| {
            !says_more_than_a_name(w)
                && (!restricts(w) || sentence_words.contains(w))
                && (sentence_words.contains(w)
                    || TITLE_WORDS.contains(&w.as_str())
                    || layout_word(w)
                    || scope::labels_a_scope(w))
        });
        if labels && sentence_shape(first, names, named, true) == Shape::Statement {
            shapes[i] = Shape::Title;
        }
    }
}

fn shortened(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= QUOTE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(QUOTE_CHARS).collect();
    format!("{cut}…")
}

/// A canonical licence text as the accounting uses it, computed once per licence.
#[derive(Debug, Clone, Default)]
pub struct Canonical {
    /// Its words, as compared.
    pub words: Vec<String>,
    /// The words of its first line: its title.
    pub title: Vec<String>,
    /// Whether it has an appendix on how to apply it.
    pub has_appendix: bool,
    /// Hashes of every run of [`OWN_WORDS_MIN`] consecutive words: its passages, to know a quote of them.
    passages: std::collections::HashSet<u64>,
    /// Its sentences' words, to know one of them written with small differences
    /// ([`companion::a_published_sentence`]).
    sentences: Vec<Vec<String>>,
}

fn passage_hash(words: &[&str]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    words.hash(&mut h);
    h.finish()
}

impl Canonical {
    /// From the canonical text's lines (askalono's line-by-line normalisation of the SPDX text).
    pub fn from_lines(lines: &[String]) -> Self {
        let all: Vec<String> = lines.iter().flat_map(|l| words(l)).collect();
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let passages = refs.windows(OWN_WORDS_MIN).map(passage_hash).collect();
        let sentences = lines
            .split(|l| l.trim().is_empty())
            .flat_map(|paragraph| {
                let joined = paragraph.join(" ");
                SENTENCE_END
                    .split(&joined)
                    .map(words)
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect();
        Canonical {
            passages,
            sentences,
            words: all,
            title: lines
                .iter()
                .map(|l| words(l))
                .find(|w| !w.is_empty())
                .unwrap_or_default(),
            has_appendix: lines
                .iter()
                .any(|l| l.to_lowercase().contains("how to apply")),
        }
    }
}

/// The words of `text` that nothing accounts for.
///
/// `texts` are the canonical texts of the licences matched in the text, in the order they appear in it: the
/// text is aligned against them. `quoted` are the canonical texts of licences the file names without
/// quoting them whole: passages of their words (a licence's standard notice) are accounted for, but nothing
/// is aligned against them. `named` is every licence the file matches or names (its title and grant
/// statements may name them). `appendix` is the 1-based line where the licence's own appendix (how to apply
/// it) starts, when a licence matched has one.
pub fn unaccounted(
    text: &str,
    texts: &[&Canonical],
    quoted: &[&Canonical],
    named: &[String],
    appendix: Option<usize>,
) -> Vec<Unaccounted> {
    account(text, texts, quoted, named, appendix, true, true)
}

/// [`unaccounted`] for a committed package's licence file (`node_modules/<pkg>/LICENSE`), without the readings
/// of a licence file in sections (a subject describing a part, a heading over its grant, a deed's words, a
/// request for credit, a third-party record, a rule for what the project takes in). Whether the package's
/// manifest agrees with its licence is weighed only where the file has residue (`license::packages`), so a
/// package's licence is held to the shapes it was held to before those readings: a manifest that disagrees
/// keeps its file's residue in front of a person.
pub fn unaccounted_in_a_package(
    text: &str,
    texts: &[&Canonical],
    quoted: &[&Canonical],
    named: &[String],
    appendix: Option<usize>,
) -> Vec<Unaccounted> {
    account(text, texts, quoted, named, appendix, true, false)
}

/// Whether a word, as the residue accounting reads words ([`sentence_words`]), is plain: it negates,
/// restricts, obliges, permits or grants nothing, and is no layout. What a subject read as a name may hold.
pub fn is_plain_word(w: &str) -> bool {
    !restricts(w) && !says_more_than_a_name(w) && !layout_word(w)
}

/// Whether a word, as the residue accounting reads words ([`sentence_words`]), states no term: it negates,
/// restricts, obliges, permits or grants nothing (layout — numbers, single letters — states none either).
/// What a rendered licence page's site chrome may hold ([`super::rendered`]).
pub fn states_no_term(w: &str) -> bool {
    !restricts(w) && !says_more_than_a_name(w)
}

/// The words of a line as the residue accounting reads them (askalono's normalisation: lower case,
/// punctuation gone, URLs blackboxed).
pub fn sentence_words(line: &str) -> Vec<String> {
    words(line)
}

/// The words of a README licence section or documentation page that grants by reference (it quotes no
/// licence text whole) that nothing accounts for: every line must have a harmless shape (a grant statement
/// for a licence named, a title, a holder, an SPDX line, a pointer to the licence, a link or badge, a
/// passage of a named licence's standard notice). A section is a part of its document, not a text that may
/// have been cut: its last line need not end a sentence ("Licensed under [MIT](LICENSE)"); a file read
/// only in part is reported as such by the reader.
pub fn unaccounted_beside_a_reference(
    text: &str,
    quoted: &[&Canonical],
    named: &[String],
) -> Vec<Unaccounted> {
    account(text, &[], quoted, named, None, false, true)
}

fn account(
    text: &str,
    texts: &[&Canonical],
    quoted: &[&Canonical],
    named: &[String],
    appendix: Option<usize>,
    whole_text: bool,
    sections: bool,
) -> Vec<Unaccounted> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let mut names = name_words(named);
    // A licence's own first line is its title.
    for canonical in texts {
        names.extend(canonical.title.iter().cloned());
    }
    let line_words: Vec<Vec<String>> = lines.iter().map(|l| words(l)).collect();
    let mut shapes: Vec<Shape> = Vec::with_capacity(lines.len());
    let mut after_holder = false;
    for (line, w) in lines.iter().zip(&line_words) {
        let s = shape(line, w, &names, after_holder);
        if s != Shape::Blank {
            after_holder = s == Shape::Holder;
        }
        shapes.push(s);
    }
    if sections {
        label_grant_headings(&lines, &line_words, &mut shapes, &names, named);
        third_party::label_records(&lines, &line_words, &mut shapes, &names, named);
    }
    // The file's words to align, each with its line (0-based).
    let mut found: Vec<String> = Vec::new();
    let mut found_line: Vec<usize> = Vec::new();
    for i in 0..lines.len() {
        if shapes[i] == Shape::Words {
            for w in line_words[i].iter().cloned() {
                found.push(w);
                found_line.push(i);
            }
        }
    }
    let old: Vec<&str> = texts
        .iter()
        .flat_map(|c| c.words.iter().map(String::as_str))
        .collect();
    let new: Vec<&str> = found.iter().map(String::as_str).collect();
    // A passage of the licences' own words, by its first OWN_WORDS_MIN words.
    let own = |passage: &[&str]| {
        let h = passage_hash(passage);
        texts.iter().chain(quoted).any(|c| c.passages.contains(&h))
    };
    let ops = capture_diff_slices_deadline(
        Algorithm::Myers,
        &old,
        &new,
        Some(Instant::now() + ALIGN_DEADLINE),
    );
    let mut out: Vec<Unaccounted> = Vec::new();
    let mut paragraph_harmless: std::collections::HashMap<usize, bool> =
        std::collections::HashMap::new();
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        if !matches!(tag, DiffTag::Insert | DiffTag::Replace) || n.is_empty() {
            continue;
        }
        let removed = &old[o];
        // Words of the run covered by a passage of the licence's own words (repeated, moved, its own
        // standard notice quoted) are accounted for; the rest is judged below.
        let mut covered = vec![false; n.len()];
        for k in 0..n.len() {
            let at = n.start + k;
            if at + OWN_WORDS_MIN <= new.len() && own(&new[at..at + OWN_WORDS_MIN]) {
                for c in covered.iter_mut().skip(k).take(OWN_WORDS_MIN) {
                    *c = true;
                }
            }
        }
        let left: Vec<(usize, &str)> = n
            .clone()
            .zip(&covered)
            .filter(|(_, c)| !**c)
            .map(|(at, _)| (at, new[at]))
            .collect();
        let added: Vec<&str> = left.iter().map(|(_, w)| *w).collect();
        if added
            .iter()
            .all(|w| layout_word(w) || names.iter().any(|n| n == w))
        {
            // List marks, numbers, and words of the licence's own name ("GNU Affero General Public").
            continue;
        }
        // The same letters, only numbers differ: a clause numbered otherwise ("4(a)" for "(a)").
        let letters = |ws: &[&str]| -> String {
            ws.concat()
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .collect()
        };
        if tag == DiffTag::Replace && letters(&added) == letters(removed) {
            continue;
        }
        // One word for one, in another inflection ("content" for "contents", "grant" for "granted").
        if let ([a], [r]) = (added.as_slice(), removed) {
            let (short, long) = if a.len() < r.len() { (a, r) } else { (r, a) };
            if long.starts_with(short) && long.len() - short.len() <= 2 && short.len() >= 3 {
                continue;
            }
        }
        // Judged on the whole run written in, not only the words no passage covers: a run of many words whose
        // passages a companion text accounts for, with a clause written between them, is no name.
        let run = &new[n.clone()];
        let name_like =
            run.len() <= HOLDER_MAX_WORDS && !run.iter().any(|w| says_more_than_a_name(w));
        // The substitution sits inside a line of licence text, between its own words (a name in "Neither the
        // name of … nor"), not on a line of its own (a framing line set where the canonical text's
        // copyright line was).
        // The run must stay inside that line (or a name wrapped onto the next one, between words of the text
        // on both): a run that starts inside a line and goes on over other lines holds more than a name.
        let joined_before = n.start > 0 && found_line[n.start - 1] == found_line[n.start];
        let joined_after = n.end < new.len() && found_line[n.end] == found_line[n.end - 1];
        let (run_first, run_last) = (found_line[n.start], found_line[n.end - 1]);
        let inside_a_line = (run_first == run_last && (joined_before || joined_after))
            || (joined_before && joined_after && run_last - run_first <= 1);
        // A holder named where the canonical text has its placeholder. On a copyright line the name is
        // accounted for only as far as it is a name: what follows it ("Acme Ltd. Copying requires a written
        // agreement with the vendor.") must have the holder line's shape, or it is residue like any other
        // words (the same accounting a licence file that grants nothing gets, `detect::grantless_files`).
        let name_only = (found_line[n.start]..=found_line[n.end - 1]).all(|l| {
            !super::holders::is_copyright_line(lines[l]) || {
                let tail = super::holders::after_the_name(lines[l]);
                words(&tail).is_empty()
                    || (!words(&tail).iter().any(|w| says_more_than_a_name(w))
                        && holds_only_names(&tail))
            }
        });
        if tag == DiffTag::Replace
            && name_like
            && name_only
            && inside_a_line
            && removed.iter().all(|w| PLACEHOLDER_WORDS.contains(w))
        {
            continue;
        }
        let (first_at, last_at) = (left[0].0, left[left.len() - 1].0);
        let first = found_line[first_at];
        let last = found_line[last_at];
        // The licence's own appendix (how to apply it) filled in: a name for its placeholder.
        if tag == DiffTag::Replace
            && name_like
            && name_only
            && appendix.is_some_and(|a| first + 1 >= a)
        {
            continue;
        }
        // Lines whose sentences each have a harmless shape, read alone or with the rest of their paragraph
        // (a sentence may wrap: "All written documentation … is licensed under the / Creative Commons …").
        // A paragraph is read once (a hostile file may be one paragraph of many thousand lines), and no more
        // lines are read than the report can hold.
        let mut harmless_line = |at: usize| {
            if sentences_harmless(lines[at], &names, named, quoted, sections) {
                return true;
            }
            let mut start = at;
            while start > 0 && !line_words[start - 1].is_empty() {
                start -= 1;
            }
            *paragraph_harmless.entry(start).or_insert_with(|| {
                let mut end = at + 1;
                while end < lines.len()
                    && !line_words[end].is_empty()
                    && end - start < MAX_PARAGRAPH_LINES
                {
                    end += 1;
                }
                sentences_harmless(
                    &lines[start..end].join(" "),
                    &names,
                    named,
                    quoted,
                    sections,
                )
            })
        };
        let _ = (first, last);
        let mut candidates: Vec<usize> = left.iter().map(|(at, _)| found_line[*at]).collect();
        candidates.dedup();
        let mut unaccounted_lines: Vec<usize> = Vec::new();
        for l in candidates {
            if !harmless_line(l) {
                unaccounted_lines.push(l);
                if unaccounted_lines.len() > MAX_REPORTED * 8 {
                    break;
                }
            }
        }
        // Each run of consecutive lines left is reported where it starts, quoted.
        let mut k = 0;
        while k < unaccounted_lines.len() && out.len() < MAX_REPORTED {
            let start = unaccounted_lines[k];
            let mut end = start;
            while k + 1 < unaccounted_lines.len() && unaccounted_lines[k + 1] == end + 1 {
                k += 1;
                end += 1;
            }
            k += 1;
            if out.iter().any(|u| u.line == start + 1) {
                continue;
            }
            let quoted: Vec<&str> = lines[start..=end].iter().map(|l| l.trim()).collect();
            out.push(Unaccounted {
                line: start + 1,
                text: shortened(&quoted.join(" ")),
            });
        }
        if out.len() >= MAX_REPORTED {
            break;
        }
    }
    // A text that stops mid-sentence was cut: what followed is unknown. The last line of words (not a
    // holder or SPDX line, nor a heading) must end as a sentence ends, or with a link.
    let last_text = (0..lines.len())
        .rev()
        .find(|&i| !line_words[i].is_empty() && !matches!(shapes[i], Shape::Holder | Shape::Spdx));
    if let Some(last) = last_text.filter(|_| whole_text) {
        let heading = shapes[last] == Shape::Title
            && lines[last]
                .trim_start()
                .starts_with(|c: char| c.is_uppercase() || c == '#' || c.is_ascii_digit());
        let end = lines[last]
            .trim_end()
            .trim_end_matches(['*', '_', '`', '>', ')', ']', '"', '\'', '’', '”', '|']);
        let ends_in_a_word = end
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == ',');
        let url_last = URL
            .find_iter(lines[last])
            .last()
            .is_some_and(|m| lines[last][m.end()..].trim().is_empty());
        if ends_in_a_word
            && !url_last
            && !heading
            && out.len() < MAX_REPORTED
            && !out.iter().any(|u| u.line == last + 1)
        {
            out.push(Unaccounted {
                line: last + 1,
                text: format!(
                    "{} (the text stops here, mid-sentence)",
                    shortened(lines[last].trim())
                ),
            });
        }
    }
    out
}
