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

use super::diff::{GRANT_WORDS, NEGATIONS, RESTRICTIONS, canonical_word};
use super::{reference, statement};

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

/// Words every licence title may use besides the licence's own name.
const TITLE_WORDS: &[&str] = &[
    "license",
    "licenses",
    "licensing",
    "licensed",
    "the",
    "version",
    "v",
    "terms",
    "and",
    "conditions",
    "of",
    "text",
    "full",
    "notice",
    "copying",
    "legal",
    "software",
    "open",
    "source",
    "spdx",
    "identifier",
    "http",
    "blackboxed",
    "url",
    "see",
    "for",
    "details",
    "end",
];

/// Words of a sentence that points to the licence ("To view this licence, visit <url>", "You can view the
/// license at:"): none negates, restricts or obliges beyond reading.
const POINTER_WORDS: &[&str] = &[
    "to",
    "view",
    "visit",
    "read",
    "find",
    "found",
    "at",
    "in",
    "a",
    "an",
    "copy",
    "can",
    "you",
    "may",
    "obtain",
    "available",
    "online",
    "here",
    "file",
    "this",
    "please",
    "which",
    "is",
    "on",
    "website",
    "be",
    "it",
    "its",
    "our",
    "as",
    "published",
    "by",
    "from",
    "or",
    "with",
    "included",
    "below",
    "above",
    "following",
    "applies",
    "covered",
    "repository",
    "project",
    "code",
    "content",
    "documentation",
    // "See LICENSE for more information", "for further details": where to read, nothing more.
    "for",
    "more",
    "further",
    "information",
];

/// Words of a canonical text's placeholder positions (SPDX's replaceable parts): a holder named there
/// replaces these.
const PLACEHOLDER_WORDS: &[&str] = &[
    "copyright",
    "holder",
    "holders",
    "owner",
    "owners",
    "organization",
    "author",
    "authors",
    "year",
    "name",
    "names",
    "licensor",
    "the",
    "of",
    "its",
    "c",
    "yyyy",
    "contributors",
    "and",
    "or",
    "university",
    "regents",
    "california",
];

/// Words that make a line more than a name: permission, negation, restriction, obligation.
const MODAL_WORDS: &[&str] = &[
    "is", "are", "be", "may", "must", "shall", "should", "can", "will", "does", "do", "applies",
    "apply", "except", "without", "unless", "if", "but", "however", "draft", "template", "example",
];

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"https?://\S+|\b(?:[\w-]+\.)+(?:org|com|net|uk|eu|int|io|gov)\b(?:/\S*)?")
        .expect("url")
});
static LINK_TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\([^()\s]*\)").expect("link target"));
static LINK_DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,3}\[([^\[\]]+)\]:[ \t]*<?\S+>?[ \t]*$").expect("link definition")
});
static TEMPLATE_VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\$\{[A-Za-z_]+\}|\{\{[^}]*\}\})\s*$").expect("template variable")
});
static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[A-Za-z][^>]*>").expect("html tag"));
static COPYRIGHT_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bcopyright\b|©|\(c\)|&copy;|spdx-filecopyrighttext").expect("copyright mark")
});
static SPDX_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*spdx-license-identifier\s*:\s*[\w.+() -]+$").expect("spdx line")
});
static ALL_RIGHTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*all\s+rights\s+reserved\W*$").expect("all rights reserved")
});

/// The words of one line as askalono compares them (its normalisation, so that the file and the canonical
/// text split alike): URLs blackboxed, HTML tags dropped, `/` `\\` `|` as spaces, other punctuation
/// deleted (so "non-exclusive" is one word, as in askalono's text), lower case, British spellings folded.
fn words(line: &str) -> Vec<String> {
    // A Markdown link's target (`[LICENSE](LICENSE)`, `(https://…)`) states no term: it is read as a link.
    let line = LINK_TARGET.replace_all(line, "] http://blackboxed/url ");
    let line = URL.replace_all(&line, " http://blackboxed/url ");
    let line = HTML_TAG.replace_all(&line, " ");
    let kept: String = line
        .chars()
        .filter_map(|c| match c {
            '/' | '\\' | '|' | '\u{2044}' => Some(' '),
            c if c.is_alphanumeric() || c == '_' || c.is_whitespace() => Some(c),
            _ => None,
        })
        .collect();
    kept.to_lowercase()
        .split_whitespace()
        .map(|w| canonical_word(w).to_string())
        .collect()
}

/// List numbering, single letters and roman numerals: layout, not terms.
fn layout_word(w: &str) -> bool {
    (w.len() <= 4 && w.chars().all(|c| c.is_ascii_digit()))
        || w.chars().count() == 1
        || matches!(
            w,
            "ii" | "iii"
                | "iv"
                | "vi"
                | "vii"
                | "viii"
                | "ix"
                | "xi"
                | "xii"
                | "http"
                | "blackboxed"
                | "url"
                // The month of a licence's date line ("Version 2, June 1991"); "may" is left out, a modal verb.
                | "january"
                | "february"
                | "march"
                | "april"
                | "june"
                | "july"
                | "august"
                | "september"
                | "october"
                | "november"
                | "december"
        )
}

/// Words that negate or restrict, in a grant statement ("licensed under MIT for non-commercial use only").
/// "Government" and the fields of research are names here (the Open Government Licence), not restrictions.
fn restricts(w: &str) -> bool {
    (NEGATIONS.contains(&w) || RESTRICTIONS.contains(&w))
        && !matches!(
            w,
            "government" | "governmental" | "research" | "educational" | "academic"
        )
}

/// Words a holder's name does not hold: negation, obligation and permission, and the words that restrict
/// ("only", "internal") or speak of copying. A name ("Government Digital Service", "Met Office") has none.
fn says_more_than_a_name(w: &str) -> bool {
    NEGATIONS.contains(&w)
        || MODAL_WORDS.contains(&w)
        || GRANT_WORDS.contains(&w)
        || matches!(
            w,
            "only"
                | "solely"
                | "exclusively"
                | "excluding"
                | "prohibited"
                | "restricted"
                | "internal"
                | "internally"
                | "used"
                | "copied"
                | "sold"
                | "confidential"
                | "proprietary"
                | "permitted"
                | "allowed"
                | "reuse"
        )
}

/// The words of the names of the licences a file matches or names: what its title may say.
fn name_words(ids: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for id in ids {
        out.extend(words(id));
        let base = super::detect::family(id);
        // The short forms a title writes the id in: "GPLv2", "GPL2", "Apache2" for GPL-2.0, Apache-2.0.
        if let Some((name, version)) = base.split_once('-') {
            let major: String = version.chars().take_while(char::is_ascii_digit).collect();
            if !major.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) {
                let name = name.to_ascii_lowercase();
                out.push(format!("{name}v{major}"));
                out.push(format!("{name}{major}"));
            }
        }
        if let Some(l) = spdx::license_id(id).or_else(|| spdx::license_id(base)) {
            out.extend(words(l.full_name));
        }
        if id.contains("GPL") {
            out.extend(
                [
                    "gnu", "general", "public", "lesser", "affero", "library", "gpl",
                ]
                .map(String::from),
            );
        }
        if id.starts_with("OGL") {
            out.extend(["ogl", "uk", "crown", "public", "sector", "information"].map(String::from));
        }
        if id.starts_with("CC") {
            out.extend(
                ["creative", "commons", "cc", "attribution", "international"].map(String::from),
            );
        }
    }
    out
}

/// How a line of the file is accounted for before alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Nothing but punctuation, markup and URLs.
    Blank,
    Title,
    Holder,
    Spdx,
    Statement,
    /// Words to align with the licence text.
    Words,
}

fn shape(line: &str, w: &[String], names: &[String], after_holder: bool) -> Shape {
    if w.iter()
        .all(|w| matches!(w.as_str(), "http" | "blackboxed" | "url"))
        || TEMPLATE_VARIABLE.is_match(line)
    {
        return Shape::Blank;
    }
    if SPDX_LINE.is_match(line.trim()) {
        return Shape::Spdx;
    }
    // A Markdown link reference definition (`[contributors]: https://…`) is not shown on the page; its
    // label names a link and says nothing more.
    if let Some(c) = LINK_DEFINITION.captures(line)
        && !words(&c[1])
            .iter()
            .any(|w| says_more_than_a_name(w) || restricts(w))
    {
        return Shape::Blank;
    }
    if COPYRIGHT_MARK.is_match(line) && !w.iter().any(|w| says_more_than_a_name(w)) {
        return Shape::Holder;
    }
    if after_holder && ALL_RIGHTS.is_match(line) {
        return Shape::Holder;
    }
    let title_word =
        |w: &String| TITLE_WORDS.contains(&w.as_str()) || names.contains(w) || layout_word(w);
    if w.iter().all(title_word) {
        return Shape::Title;
    }
    Shape::Words
}

/// Whether every sentence of `text` has a harmless shape of its own (a title, a pointer to the licence, a
/// recognised grant statement). Read only for lines whose words the alignment left unaccounted for.
fn sentences_harmless(text: &str, names: &[String], named: &[String]) -> bool {
    SENTENCE_END
        .split(text)
        .filter(|s| !words(s).is_empty())
        .all(|s| sentence_shape(s, names, named) != Shape::Words)
}

/// A sentence that tells where to read the licence or whom to ask ("To view this licence, visit <url> or
/// write to the Information Policy Team, The National Archives, Kew"): a verb of reading or writing, and
/// otherwise only words of titles and pointers, URLs, and names (capitalised words, codes such as a
/// postcode) — none of which negates, restricts, obliges or permits.
fn points_to_the_licence(sentence: &str, names: &[String]) -> bool {
    const VERBS: &[&str] = &[
        "view", "visit", "write", "contact", "email", "see", "obtain", "read",
    ];
    let url_free = URL.replace_all(sentence, " ");
    let raw: Vec<&str> = url_free
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let lower: Vec<String> = raw
        .iter()
        .map(|w| canonical_word(&w.to_lowercase()).to_string())
        .collect();
    lower.iter().any(|w| VERBS.contains(&w.as_str()))
        && raw.iter().zip(&lower).all(|(raw, w)| {
            let name = raw.chars().next().is_some_and(char::is_uppercase)
                || raw.chars().any(|c| c.is_ascii_digit());
            let vocabulary = TITLE_WORDS.contains(&w.as_str())
                || POINTER_WORDS.contains(&w.as_str())
                || VERBS.contains(&w.as_str())
                || names.contains(w)
                || matches!(w.as_str(), "or" | "and" | "the");
            VERBS.contains(&w.as_str())
                || ((vocabulary || name) && !says_more_than_a_name(w) && !restricts(w))
        })
}

static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[.;:!?](?:\s+|$)").expect("sentence end"));

fn sentence_shape(sentence: &str, names: &[String], named: &[String]) -> Shape {
    let w = words(sentence);
    let title_word =
        |w: &String| TITLE_WORDS.contains(&w.as_str()) || names.contains(w) || layout_word(w);
    if w.iter().all(title_word) {
        return Shape::Title;
    }
    if w.iter()
        .all(|w| title_word(w) || POINTER_WORDS.contains(&w.as_str()))
    {
        return Shape::Title;
    }
    if points_to_the_licence(sentence, names) {
        return Shape::Title;
    }
    // The choice a dual grant gives ("you may choose either", "at your option"): it only picks between the
    // grants beside it.
    const CHOICE_WORDS: &[&str] = &[
        "you",
        "may",
        "choose",
        "either",
        "one",
        "of",
        "them",
        "these",
        "at",
        "your",
        "option",
        "the",
        "license",
        "licenses",
        "whichever",
        "prefer",
        "or",
        "both",
    ];
    if !w.is_empty() && w.iter().all(|w| CHOICE_WORDS.contains(&w.as_str())) {
        return Shape::Title;
    }
    if !w.iter().any(|w| restricts(w)) && statement::grants_by_reference(sentence) {
        let refs = reference::references(sentence);
        if refs.iter().any(|r| {
            named
                .iter()
                .any(|n| super::detect::family(n) == super::detect::family(&r.id))
        }) {
            return Shape::Statement;
        }
    }
    Shape::Words
}

/// Whether line `at` (1-based) of a README licence section or documentation page, where a licence is named,
/// grants it: the sentence there grants by reference ("licensed under the MIT licence", "Licence: OGL v3"),
/// read alone or joined with the line before or after (a sentence may wrap); or the line is a licence name
/// on its own under a top licence heading (`## License` then `MIT`, [`statement::bare_licence_name`]), in
/// the document's own words. A name anywhere else (under a `### License` that may speak for a component, in
/// a code span, in a list) names a licence without granting it. The other lines of the section are held
/// to [`unaccounted`].
pub fn grants_at(section: &str, at: usize) -> bool {
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
        && statement::bare_licence_name(&format!("{}\nMIT\n", lines[..heading_end].join("\n")))
            .is_some()
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
        Canonical {
            passages,
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

/// Words a licensor publishes with a licence but outside its terms, which the SPDX copy of the licence lacks:
/// CPython's history of the software before its licences, the wording of Creative Commons' closing notice
/// that came after SPDX took its copy. A file carrying them verbatim is the licence as published; they are
/// the licence's own words, recognised as passages (see [`unaccounted`]'s `quoted`), never aligned as terms.
/// The texts and their sources are in `licenses/companions/` (its README lists them).
pub struct Companion {
    /// The licences (SPDX ids) it is published with.
    pub ids: &'static [&'static str],
    /// What it is and where it is published.
    pub source: &'static str,
    text: &'static str,
}

pub const COMPANIONS: &[Companion] = &[
    Companion {
        ids: &["Python-2.0", "Python-2.0.1", "PSF-2.0"],
        source: "part A (history of the software) of CPython's LICENSE",
        text: include_str!("../../licenses/companions/Python-history.txt"),
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
        text: include_str!("../../licenses/companions/CC-4.0-notice.txt"),
    },
    Companion {
        ids: &["MIT", "OGL-UK-3.0"],
        source: "the licence statement the GOV.UK Design System and GDS repositories publish for MIT code with \
                 Crown copyright documentation under the OGL",
        text: include_str!("../../licenses/companions/GOVUK-statement.txt"),
    },
];

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
        .filter(|(c, _)| c.ids.contains(&id))
        .map(|(_, read)| read)
        .collect()
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
    account(text, texts, quoted, named, appendix, true)
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
    account(text, &[], quoted, named, None, false)
}

fn account(
    text: &str,
    texts: &[&Canonical],
    quoted: &[&Canonical],
    named: &[String],
    appendix: Option<usize>,
    whole_text: bool,
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
        let name_like =
            added.len() <= HOLDER_MAX_WORDS && !added.iter().any(|w| says_more_than_a_name(w));
        // The substitution sits inside a line of licence text, between its own words (a name in "Neither the
        // name of … nor"), not on a line of its own (a framing line set where the canonical text's
        // copyright line was).
        let inside_a_line = (n.start > 0 && found_line[n.start - 1] == found_line[n.start])
            || (n.end < new.len() && found_line[n.end] == found_line[n.end - 1]);
        // A holder named where the canonical text has its placeholder.
        if tag == DiffTag::Replace
            && name_like
            && inside_a_line
            && removed.iter().all(|w| PLACEHOLDER_WORDS.contains(w))
        {
            continue;
        }
        let (first_at, last_at) = (left[0].0, left[left.len() - 1].0);
        let first = found_line[first_at];
        let last = found_line[last_at];
        // The licence's own appendix (how to apply it) filled in: a name for its placeholder.
        if tag == DiffTag::Replace && name_like && appendix.is_some_and(|a| first + 1 >= a) {
            continue;
        }
        // Lines whose sentences each have a harmless shape, read alone or with the rest of their paragraph
        // (a sentence may wrap: "All written documentation … is licensed under the / Creative Commons …").
        // A paragraph is read once (a hostile file may be one paragraph of many thousand lines), and no more
        // lines are read than the report can hold.
        let mut harmless_line = |at: usize| {
            if sentences_harmless(lines[at], &names, named) {
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
                sentences_harmless(&lines[start..end].join(" "), &names, named)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> Canonical {
        Canonical::from_lines(&text.lines().map(str::to_string).collect::<Vec<_>>())
    }

    const MIT: &str = "MIT License\n\nCopyright (c) <year> <copyright holders>\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software, to deal in the Software without restriction.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\".";

    fn residue_of(found: &str) -> Vec<Unaccounted> {
        let c = canonical(MIT);
        unaccounted(found, &[&c], &[], &["MIT".to_string()], None)
    }

    #[test]
    fn the_canonical_text_with_a_holder_title_and_links_leaves_nothing() {
        let found = "# The MIT License (MIT)\n\nSPDX-License-Identifier: MIT\n\nCopyright (c) 2021 Crown Copyright (NHS England). All rights reserved.\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this\nsoftware, to deal in the Software without restriction.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\".\n\n---\n\nhttps://opensource.org/licenses/MIT\n";
        assert_eq!(residue_of(found), []);
    }

    #[test]
    fn a_sentence_nobody_wrote_down_is_residue_with_its_line() {
        for (extra, at_end) in [
            (
                "Except that redistribution of this Software is prohibited.",
                true,
            ),
            ("For internal NHS use only.", true),
            ("Draft only — does not apply", false),
            ("The owls are not what they seem.", true),
        ] {
            let found = if at_end {
                format!("{MIT}\n\n{extra}\n")
            } else {
                format!("{extra}\n\n{MIT}")
            };
            let got = residue_of(&found);
            assert_eq!(got.len(), 1, "{extra}: {got:?}");
            assert_eq!(got[0].text, extra);
            let want = found.lines().position(|l| l == extra).unwrap() + 1;
            assert_eq!(got[0].line, want, "{extra}");
        }
    }

    #[test]
    fn words_inserted_inside_the_licence_text_are_residue() {
        let found = MIT.replace(
            "to deal in the Software",
            "to deal (for research only) in the Software",
        );
        let got = residue_of(&found);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].line, 6);
    }

    #[test]
    fn a_holder_in_the_placeholder_position_and_list_numbers_are_not_residue() {
        let c = canonical(
            "1. Neither the name of the copyright holder nor the names of its contributors may be used.",
        );
        let found =
            "(a) Neither the name of NHS England nor the names of its contributors may be used.";
        assert_eq!(
            unaccounted(found, &[&c], &[], &["BSD-3-Clause".into()], None),
            []
        );
        // A restriction in that position is not a name.
        let found = "(a) Neither the name of the NHS, which is not a licensor, nor the names of its contributors may be used.";
        assert_eq!(
            unaccounted(found, &[&c], &[], &["BSD-3-Clause".into()], None).len(),
            1
        );
    }

    #[test]
    fn a_holder_line_that_says_more_than_a_name_is_residue() {
        let found = format!("Copyright 2021 NHS Example. Not for redistribution.\n\n{MIT}");
        let got = residue_of(&found);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].line, 1);
    }

    #[test]
    fn a_grant_statement_for_a_licence_named_is_accounted_for_and_one_with_a_restriction_is_not() {
        let found = format!("This project is licensed under the MIT licence.\n\n{MIT}");
        assert_eq!(residue_of(&found), []);
        let found = format!(
            "This project is licensed under the MIT licence for non-commercial use.\n\n{MIT}"
        );
        assert_eq!(residue_of(&found).len(), 1);
    }

    #[test]
    fn a_text_that_stops_mid_sentence_is_residue_at_its_last_line() {
        let cut = &MIT[..MIT.find("without restriction").unwrap()];
        let got = residue_of(cut);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].line, 6);
        assert!(
            got[0].text.ends_with("(the text stops here, mid-sentence)"),
            "{got:?}"
        );
        // A heading or a link as the last line is no cut.
        assert_eq!(
            residue_of(&format!("{MIT}\n\nEND OF TERMS AND CONDITIONS\n")),
            []
        );
        assert_eq!(
            residue_of(&format!("{MIT}\n\nhttps://opensource.org/licenses/MIT\n")),
            []
        );
    }

    #[test]
    fn a_hostile_paragraph_of_thousands_of_lines_is_reported_briefly() {
        let padding = "Reuse is subject to terms kept by the owner\n".repeat(5000);
        let started = Instant::now();
        let got = residue_of(&format!("{MIT}\n\n{padding}"));
        assert!(
            !got.is_empty() && got.len() <= MAX_REPORTED,
            "{}",
            got.len()
        );
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_framing_line_where_the_copyright_line_stands_is_no_holder() {
        let c = canonical("Copyright (c) <year> <owner>\n\nRedistribution and use are permitted.");
        let found = "Proposed licence for discussion\n\nRedistribution and use are permitted.";
        assert_eq!(
            unaccounted(found, &[&c], &[], &["BSD-2-Clause".into()], None).len(),
            1
        );
    }

    #[test]
    fn a_name_grants_on_a_grant_sentence_or_under_the_top_licence_heading_only() {
        let top = "## License\n\nMIT License - see LICENSE for details\n";
        assert!(grants_at(top, 3));
        let wrapped = "Licence\n=======\n\nThis project is released\nunder the MIT licence.\n";
        assert!(grants_at(wrapped, 5));
        for named in [
            "### License\n\nMIT\n",
            "## License\n\n`MIT`\n",
            "## License\n\n```\nMIT\n```\n",
            "## Dependencies\n\nMIT\n",
        ] {
            let at = named.lines().position(|l| l.contains("MIT")).unwrap() + 1;
            assert!(!grants_at(named, at), "{named:?}");
        }
    }

    #[test]
    fn a_link_definition_is_not_residue_unless_its_label_says_more_than_a_name() {
        let found = "This project is licensed under the MIT licence.\n\n[contributors]: https://example.org/graphs\n";
        assert_eq!(
            unaccounted_beside_a_reference(found, &[], &["MIT".into()]),
            []
        );
        let found = "This project is licensed under the MIT licence.\n\n[not for redistribution]: https://example.org\n";
        assert_eq!(
            unaccounted_beside_a_reference(found, &[], &["MIT".into()]).len(),
            1
        );
    }

    #[test]
    fn without_a_licence_text_every_word_but_the_harmless_shapes_is_residue() {
        let found = "Licence\n=======\n\nThis project is licensed under the MIT Licence.\n\nContributors are thanked in the changelog.\n";
        let got = unaccounted(found, &[], &[], &["MIT".into()], None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].line, 6);
    }
}
