//! The harmless shapes a line or sentence may have outside the licence text: blank, title, holder, SPDX
//! line, grant statement, pointer to the licence. The words as compared, and the vocabularies they are read
//! against.

use std::sync::LazyLock;

use regex::Regex;

use super::super::diff::{GRANT_WORDS, NEGATIONS, RESTRICTIONS, canonical_word};
use super::super::{reference, statement};

/// The verbs of a grant ("… is licensed under", "… is released under").
pub(super) const GRANT_VERBS: &[&str] = &[
    "licensed",
    "released",
    "made",
    "distributed",
    "provided",
    "published",
    "available",
];

/// Words every licence title may use besides the licence's own name.
pub(super) const TITLE_WORDS: &[&str] = &[
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
    // "Additional licensing information": a heading over what follows, which is judged on its own.
    "additional",
];

/// Words of a sentence that points to the licence ("To view this licence, visit <url>", "You can view the
/// license at:"): none negates, restricts or obliges beyond reading.
pub(super) const POINTER_WORDS: &[&str] = &[
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
    // What the pointer speaks of: "the licence for this package", "for the GOV.UK Frontend codebase".
    "package",
    "codebase",
    // "See LICENSE for more information", "for further details": where to read, nothing more.
    "for",
    "more",
    "further",
    "information",
];

/// Words of a canonical text's placeholder positions (SPDX's replaceable parts): a holder named there
/// replaces these.
pub(super) const PLACEHOLDER_WORDS: &[&str] = &[
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
pub(super) const MODAL_WORDS: &[&str] = &[
    "is", "are", "be", "may", "must", "shall", "should", "can", "will", "does", "do", "applies",
    "apply", "except", "without", "unless", "if", "but", "however", "draft", "template", "example",
];

pub(super) static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"https?://\S+|\b(?:[\w-]+\.)+(?:org|com|net|uk|eu|int|io|gov)\b(?:/\S*)?")
        .expect("url")
});
pub(super) static LINK_TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\([^()\s]*\)").expect("link target"));
pub(super) static LINK_DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,3}\[([^\[\]]+)\]:[ \t]*<?\S+>?[ \t]*$").expect("link definition")
});
pub(super) static TEMPLATE_VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\$\{[A-Za-z_]+\}|\{\{[^}]*\}\})\s*$").expect("template variable")
});
/// The words a grant statement uses besides titles, pointers, names and the licence's own name ("The code in
/// this repository is released under the MIT licence, and all documentation under the OGL").
const STATEMENT_WORDS: &[&str] = &[
    "released",
    "distributed",
    "made",
    "provided",
    "offered",
    "shared",
    "under",
    "all",
    "any",
    "both",
    "each",
    "every",
    "whole",
    "entire",
    "sample",
    "source",
    "codebase",
    "covers",
    "cover",
    "we",
    "i",
    "us",
    "their",
    "your",
    "they",
    "that",
    "these",
    "those",
    "has",
    "have",
    "been",
    "was",
    "were",
    "hereby",
    "use",
    "used",
    "using",
    "reuse",
    "re",
    "dual",
    "either",
    "stated",
    "otherwise",
    "crown",
    "copyright",
    "work",
    "works",
    "files",
    "library",
    "package",
    "packages",
    "module",
    "tool",
    "tools",
    "framework",
    "application",
    "app",
    "service",
    "website",
    "site",
    "data",
    "dataset",
    "datasets",
    "contents",
    "materials",
    "material",
    "information",
    "examples",
    "permissive",
    "same",
    // The OGL's own words of grant, as statements repeat them ("You may use and re-use … free of charge in
    // any format or medium").
    "associated",
    "free",
    "charge",
    "format",
    "medium",
    "flexibly",
    "freely",
    // The plural of the copula the pointers already allow ("The code and the data are released under …"),
    // and of a copy ("all content in this repository and any copies").
    "are",
    "copies",
    // "subject to Crown Copyright": what the licence is subject to is then read in the same vocabulary
    // ("subject to a signed agreement" leaves "signed" and "agreement" outside it).
    "subject",
    // What a README calls the repository ("This repo is licensed under …").
    "repo",
];
/// The words of a sentence written with a capital: the names in it ("GOV.UK Frontend", "NHS England", a
/// project's own name as the subject: "Stone Soup is released under …"). A sentence's first word is
/// capitalised anyway, so it counts as a name only when it is no word that negates, restricts, permits or
/// obliges.
pub(super) fn proper_names(sentence: &str) -> Vec<String> {
    sentence
        .split_whitespace()
        .enumerate()
        .filter(|(_, t)| {
            t.chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(char::is_uppercase)
        })
        .flat_map(|(i, t)| {
            let w = words(t);
            let plain = w.iter().all(|w| !says_more_than_a_name(w) && !restricts(w));
            if i == 0 && !plain { Vec::new() } else { w }
        })
        .collect()
}

/// A Markdown link to a place on the same page: `[label](#anchor)`.
static IN_PAGE_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\[\]]*)\]\(#[^()\s]*\)").expect("in-page link"));
/// The words of an in-page navigation link's label ("Back to top", "Table of contents").
const NAVIGATION_WORDS: &[&str] = &[
    "back", "top", "return", "up", "contents", "table", "index", "start", "page", "home", "menu",
    "go", "next", "previous", "section",
];
pub(super) static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[A-Za-z][^>]*>").expect("html tag"));
pub(super) static COPYRIGHT_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bcopyright\b|©|\(c\)|&copy;|spdx-filecopyrighttext").expect("copyright mark")
});
pub(super) static SPDX_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*spdx-license-identifier\s*:\s*[\w.+() -]+$").expect("spdx line")
});
pub(super) static ALL_RIGHTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*all\s+rights\s+reserved\W*$").expect("all rights reserved")
});

/// The words of one line as askalono compares them (its normalisation, so that the file and the canonical
/// text split alike): URLs blackboxed, HTML tags dropped, `/` `\\` `|` as spaces, other punctuation
/// deleted (so "non-exclusive" is one word, as in askalono's text), lower case, British spellings folded.
pub(super) fn words(line: &str) -> Vec<String> {
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
    // Markdown's `_emphasis_` and `__strong__` show the word without the underscores (`_Version 3, 29 June
    // 2007_`, `_END OF TERMS AND CONDITIONS_`): a word's leading and trailing underscores are marks, read as
    // a person sees them; one inside a word (`snake_case`) is a letter of it. The words stay the words, so an
    // emphasised restriction is still a restriction.
    kept.to_lowercase()
        .split_whitespace()
        .map(|w| w.trim_matches('_'))
        .filter(|w| !w.is_empty())
        .map(|w| canonical_word(w).to_string())
        .collect()
}

/// List numbering, single letters and roman numerals: layout, not terms.
pub(super) fn layout_word(w: &str) -> bool {
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
pub(super) fn restricts(w: &str) -> bool {
    (NEGATIONS.contains(&w) || RESTRICTIONS.contains(&w))
        && !matches!(
            w,
            "government" | "governmental" | "research" | "educational" | "academic"
        )
}

/// Words a holder's name does not hold: negation, obligation and permission, and the words that restrict
/// ("only", "internal") or speak of copying. A name ("Government Digital Service", "Met Office") has none.
pub(super) fn says_more_than_a_name(w: &str) -> bool {
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

/// Whether a copyright line holds names and nothing more. A name is written capitalised or with digits (a
/// person, a body, a year, a handle such as `jQuery`), and a notice joins names with a few words of its own
/// (`and`, `the … developers`, `its affiliates`, `all rights reserved`, the OGL's `© Crown copyright and database
/// right`). A clause in ordinary lower-case words
/// ("this package belongs to …, who reserve every right in it") is not part of a name, whatever its words are:
/// two or more lower-case words outside a notice's own make the line more than a holder. One is allowed,
/// because handles are written in lower case (`Copyright (c) 2012 mcollina`).
pub(super) fn holds_only_names(line: &str) -> bool {
    const NOTICE_WORDS: &[&str] = &[
        "copyright",
        "c",
        "and",
        "or",
        "of",
        "the",
        "by",
        "for",
        "to",
        "all",
        "rights",
        "reserved",
        "its",
        "their",
        "affiliates",
        "subsidiaries",
        "other",
        "others",
        "contributors",
        "contributor",
        "authors",
        "author",
        "developers",
        "developer",
        "team",
        "project",
        "respective",
        "individual",
        "original",
        "holders",
        "holder",
        "owners",
        "owner",
        "et",
        "al",
        "de",
        "la",
        "le",
        "du",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "y",
        "crown",
        "present",
        "inc",
        "ltd",
        "llc",
        "co",
        "corp",
        "plc",
        "gmbh",
        "this",
        "organisation",
        "organization",
        "members",
        "member",
        "data",
        "database",
        "right",
        "contains",
        // One holder acting for another: "The University of Edinburgh on behalf of The Software
        // Sustainability Institute", "for and on behalf of", "trading as". The relation joins two names and
        // says nothing of the work.
        "on",
        "behalf",
        "acting",
        "trading",
        "as",
    ];
    let bare = EMAIL.replace_all(line, " ");
    let bare = URL.replace_all(&bare, " ");
    let lower_case_words = bare
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        // Only English words are weighed: a name given in another language ("Recherche et développement pour
        // la défense Canada") is a name, and a clause in words keepopen cannot weigh still meets the words
        // it can (an English restriction, a negation) on the same line.
        .filter(|w| w.is_ascii())
        .filter(|w| !NOTICE_WORDS.contains(&w.to_lowercase().as_str()))
        .count();
    lower_case_words < 2
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?").expect("email"));

/// The words of the names of the licences a file matches or names: what its title may say.
pub(super) fn name_words(ids: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for id in ids {
        out.extend(words(id));
        let base = super::super::detect::family(id);
        // The short forms a title writes the id in: "GPLv2", "GPL2", "Apache2" for GPL-2.0, Apache-2.0.
        if let Some((name, version)) = base.split_once('-') {
            let major: String = version.chars().take_while(char::is_ascii_digit).collect();
            if !major.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) {
                let name = name.to_ascii_lowercase();
                out.push(format!("{name}v{major}"));
                out.push(format!("{name}{major}"));
            }
        }
        // The version as a title writes it after the name ("Open Government Licence v3", "v3.0", "3.0").
        if let Some(version) = base.rsplit('-').next().filter(|v| {
            v.starts_with(|c: char| c.is_ascii_digit())
                && v.chars().all(|c| c.is_ascii_digit() || c == '.')
        }) {
            let major: String = version.chars().take_while(char::is_ascii_digit).collect();
            let whole: String = version.chars().filter(char::is_ascii_digit).collect();
            out.extend([format!("v{major}"), format!("v{whole}"), whole]);
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
pub(super) enum Shape {
    /// Nothing but punctuation, markup and URLs.
    Blank,
    Title,
    Holder,
    Spdx,
    Statement,
    /// Words to align with the licence text.
    Words,
}

pub(super) fn shape(line: &str, w: &[String], names: &[String], after_holder: bool) -> Shape {
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
    // In-page navigation ("[↥ Back to Top](#my-service)"): links to a place on the same page, labelled in
    // the words of navigation, titles and pointers, and nothing else on the line.
    if IN_PAGE_LINK.is_match(line)
        && words(&IN_PAGE_LINK.replace_all(line, " ")).is_empty()
        && IN_PAGE_LINK.captures_iter(line).all(|c| {
            words(&c[1]).iter().all(|w| {
                (NAVIGATION_WORDS.contains(&w.as_str())
                    || TITLE_WORDS.contains(&w.as_str())
                    || POINTER_WORDS.contains(&w.as_str())
                    || names.contains(w))
                    && !says_more_than_a_name(w)
                    && !restricts(w)
            })
        })
    {
        return Shape::Blank;
    }
    if COPYRIGHT_MARK.is_match(line)
        && !w.iter().any(|w| says_more_than_a_name(w))
        && holds_only_names(line)
    {
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
/// A sentence a licensor publishes beside its licence (`published`: companion texts, a named licence's own
/// standard notice) counts too, with small harmless differences ([`super::companion::a_published_sentence`]).
pub(super) fn sentences_harmless(
    text: &str,
    names: &[String],
    named: &[String],
    published: &[&super::Canonical],
    sections: bool,
) -> bool {
    SENTENCE_END
        .split(text)
        .filter(|s| !words(s).is_empty())
        .all(|s| {
            if !sections {
                return sentence_shape(s, names, named, false) != Shape::Words
                    || super::companion::a_published_sentence(s, published, names);
            }
            sentence_shape(s, names, named, true) != Shape::Words
                || asks_for_credit(s, names)
                || rules_what_the_project_takes_in(s, names)
                || published_forms(s, names, named)
                    .iter()
                    .any(|f| super::companion::a_published_sentence(f, published, names))
        })
}

/// The forms in which a sentence may be a published one: as written; with the names of the licences it names
/// taken out (a deed's "the license" written "the full legal text of the Creative Commons Attribution 4.0
/// License"); and each without its parentheses that ask for credit.
fn published_forms(sentence: &str, names: &[String], named: &[String]) -> Vec<String> {
    let unnamed = without_licence_names(sentence, named);
    let mut forms = vec![sentence.to_string()];
    if unnamed != sentence {
        forms.push(unnamed);
    }
    let credited: Vec<String> = forms
        .iter()
        .filter_map(|f| without_credit_requests(f, names))
        .collect();
    forms.extend(credited);
    forms
}

/// A sentence that tells where to read the licence or whom to ask ("To view this licence, visit <url> or
/// write to the Information Policy Team, The National Archives, Kew"): a verb of reading or writing, and
/// otherwise only words of titles and pointers, URLs, and names (capitalised words, codes such as a
/// postcode) — none of which negates, restricts, obliges or permits.
pub(super) fn points_to_the_licence(sentence: &str, names: &[String]) -> bool {
    const VERBS: &[&str] = &[
        "view",
        "visit",
        "write",
        "contact",
        "email",
        "see",
        "obtain",
        "read",
        "available",
        "refer",
    ];
    // A link to a licence is itself a pointer ("[GOV.UK Frontend licence](https://…)"): it says "licence" and
    // names no other kind of terms (an agreement, a EULA, a contract, a policy); its words are then held to the
    // same vocabulary as any pointer's.
    let linked = URL.is_match(sentence) && {
        let w = words(sentence);
        w.iter().any(|w| w == "license" || w == "licenses")
            && !w.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "agreement" | "eula" | "contract" | "terms" | "conditions" | "policy"
                )
            })
    };
    // A link's target and a file's name ("[./LICENCE.txt](./LICENCE.txt)") say where to read: a path is a
    // name, read as one capitalised word.
    static FILE_NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:\.{0,2}/)?(?:[\w-]+/)*[\w-]+\.(?:txt|md|markdown|rst|html?|adoc)\b")
            .expect("file name")
    });
    let url_free = LINK_TARGET.replace_all(sentence, "] ");
    let url_free = URL.replace_all(&url_free, " ");
    let url_free = FILE_NAME.replace_all(&url_free, " File ");
    let raw: Vec<&str> = url_free
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let lower: Vec<String> = raw
        .iter()
        .map(|w| canonical_word(&w.to_lowercase()).to_string())
        .collect();
    (linked || lower.iter().any(|w| VERBS.contains(&w.as_str())))
        && !lower.is_empty()
        && raw.iter().zip(&lower).all(|(raw, w)| {
            let name = raw.chars().next().is_some_and(char::is_uppercase)
                || raw.chars().any(|c| c.is_ascii_digit());
            let vocabulary = TITLE_WORDS.contains(&w.as_str())
                || POINTER_WORDS.contains(&w.as_str())
                || VERBS.contains(&w.as_str())
                || names.contains(w)
                || matches!(w.as_str(), "or" | "and" | "the");
            // "is" and "are" only join the licence to where it is ("The licence … is available at").
            let copula = matches!(w.as_str(), "is" | "are");
            VERBS.contains(&w.as_str())
                || ((vocabulary || name) && (copula || !says_more_than_a_name(w)) && !restricts(w))
        })
}

/// A request to credit the holder ("If you use our grids please acknowledge OS.", "mentioning that your work is
/// derived from work that is Copyright (c) The University of Edinburgh and, where practical, linking to
/// <url>"): a verb of crediting, and otherwise only words that say whom, how and when to credit — names
/// (capitalised, codes), URLs, a copyright mark, titles and pointers, and a closed vocabulary of linking
/// words. What is used may be named by one word of its own right after a determiner ("our grids"). No word
/// negates or restricts, and no word outside these obliges or permits: a republication keeps every notice and
/// names the holders, so a request for credit is met by it and adds no term.
pub(super) fn asks_for_credit(text: &str, names: &[String]) -> bool {
    const CREDIT_VERBS: &[&str] = &[
        "acknowledge",
        "acknowledging",
        "acknowledgement",
        "attribute",
        "attributing",
        "credit",
        "crediting",
        "cite",
        "citing",
        "mention",
        "mentioning",
        "link",
        "linking",
        "naming",
    ];
    const CREDIT_WORDS: &[&str] = &[
        "if",
        "when",
        "where",
        "you",
        "your",
        "use",
        "using",
        "our",
        "the",
        "this",
        "these",
        "that",
        "please",
        "is",
        "are",
        "work",
        "works",
        "derived",
        "from",
        "source",
        "of",
        "and",
        "to",
        "a",
        "an",
        "it",
        "us",
        "we",
        "practical",
        "possible",
        "copyright",
        "c",
        "by",
        "in",
        "any",
        "as",
    ];
    const DETERMINERS: &[&str] = &["our", "the", "this", "these", "any"];
    let url_free = URL.replace_all(text, " ");
    let url_free = LINK_TARGET.replace_all(&url_free, "]");
    let raw: Vec<&str> = url_free
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let lower: Vec<String> = raw
        .iter()
        .map(|w| canonical_word(&w.to_lowercase()).to_string())
        .collect();
    if !lower.iter().any(|w| CREDIT_VERBS.contains(&w.as_str())) {
        return false;
    }
    let mut own_words = 0;
    lower.iter().enumerate().all(|(i, w)| {
        if restricts(w) {
            return false;
        }
        let name = raw[i].chars().next().is_some_and(char::is_uppercase)
            || raw[i].chars().any(|c| c.is_ascii_digit())
            || names.contains(w);
        let vocabulary = CREDIT_VERBS.contains(&w.as_str())
            || CREDIT_WORDS.contains(&w.as_str())
            || ((TITLE_WORDS.contains(&w.as_str()) || POINTER_WORDS.contains(&w.as_str()))
                && !says_more_than_a_name(w));
        if vocabulary || (name && !says_more_than_a_name(w)) {
            return true;
        }
        // What is used, named right after a determiner: "our grids".
        let after_determiner = i > 0 && DETERMINERS.contains(&lower[i - 1].as_str());
        own_words += 1;
        own_words == 1 && after_determiner && !says_more_than_a_name(w)
    })
}

/// `sentence` without its parentheses that ask for credit ([`asks_for_credit`]): "You must give appropriate
/// credit (mentioning that …), provide a link …" is read as the sentence a licensor publishes, the
/// parenthesis on its own. Other parentheses stay (they may be the published sentence's own: "(and not a
/// substitute for)").
pub(super) fn without_credit_requests(sentence: &str, names: &[String]) -> Option<String> {
    static PARENTHESIS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^\]])\(([^()]*(?:\([^()]*\)[^()]*)*)\)").expect("parenthesis")
    });
    let mut out = sentence.to_string();
    let mut changed = false;
    while let Some(c) = PARENTHESIS
        .captures_iter(&out)
        .find(|c| asks_for_credit(&c[1], names))
    {
        let inner = c.get(1).expect("group 1");
        let (start, end) = (inner.start() - 1, inner.end() + 1);
        out.replace_range(start..end, " ");
        changed = true;
    }
    changed.then_some(out)
}

/// A rule for what the project takes in, addressed to those who add to it ("Any new work added to this
/// repository must conform to the conditions of these licenses.", "In particular this means that this project
/// may not depend on GPL-licensed or AGPL-licensed libraries, as these would violate the terms of those
/// libraries' licenses."): its subject is the project or what is added to it, in a closed vocabulary; its
/// modal governs a verb of taking in (conform, comply, depend, include, incorporate, bundle, import) and
/// never a verb of using, copying or distributing; the rest speaks of components and licences only. It binds
/// the project's maintainers and contributors, not whoever receives a copy. "This project may not be used
/// commercially" (a verb of use), "Copies of this project must conform to internal policy" (a subject that
/// is a recipient's copy, a restriction) are not rules of this shape.
pub(super) fn rules_what_the_project_takes_in(sentence: &str, names: &[String]) -> bool {
    const LEAD: &[&str] = &["in", "particular", "this", "means", "that", "it", "so"];
    const SUBJECT: &[&str] = &[
        "any",
        "all",
        "new",
        "work",
        "code",
        "changes",
        "contributions",
        "contribution",
        "added",
        "contributed",
        "submitted",
        "to",
        "this",
        "the",
        "repository",
        "repo",
        "project",
        "our",
    ];
    const MODALS: &[&str] = &["must", "may", "should", "shall", "cannot"];
    const INTAKE: &[&str] = &[
        "conform",
        "comply",
        "depend",
        "include",
        "incorporate",
        "bundle",
        "import",
        "vendor",
    ];
    const OBJECT: &[&str] = &[
        "to",
        "with",
        "on",
        "upon",
        "the",
        "conditions",
        "terms",
        "of",
        "these",
        "those",
        "this",
        "its",
        "their",
        "libraries",
        "library",
        "dependencies",
        "dependency",
        "packages",
        "package",
        "components",
        "component",
        "modules",
        "code",
        "or",
        "and",
        "any",
        "licensed",
        "as",
        "they",
        "would",
        "violate",
        "conflict",
        "be",
        "incompatible",
    ];
    let w = words(sentence);
    let Some(modal) = w.iter().position(|w| MODALS.contains(&w.as_str())) else {
        return false;
    };
    let mut verb = modal + 1;
    if w.get(verb).is_some_and(|w| w == "not") {
        verb += 1;
    }
    let Some(v) = w.get(verb) else {
        return false;
    };
    let subject = &w[..modal];
    // The subject names the project or what is added to it, after an optional lead ("In particular this
    // means that").
    let own_subject = subject.iter().any(|w| {
        matches!(
            w.as_str(),
            "project"
                | "repository"
                | "repo"
                | "added"
                | "contributions"
                | "contributed"
                | "submitted"
        )
    }) && subject
        .iter()
        .all(|w| SUBJECT.contains(&w.as_str()) || LEAD.contains(&w.as_str()));
    // A licence's name qualifies what is taken in ("GPL-licensed libraries"): `words` joins "gpllicensed".
    const FAMILIES: &[&str] = &["gpl", "agpl", "lgpl", "mit", "apache", "bsd", "mpl", "eupl"];
    let licence_word = |w: &str| {
        let name = w.strip_suffix("licensed").unwrap_or(w);
        names.iter().any(|n| n == name)
            || FAMILIES.contains(&name)
            || matches!(w, "license" | "licenses")
    };
    own_subject
        && INTAKE.contains(&v.as_str())
        && w[verb + 1..]
            .iter()
            .all(|w| !restricts(w) && (OBJECT.contains(&w.as_str()) || licence_word(w)))
}

pub(super) static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[.;:!?](?:\s+|$)").expect("sentence end"));

/// `sections`: whether a subject may describe a part in words of its own ([`describes_a_part`]; not in a
/// committed package's licence, see [`super::unaccounted_in_a_package`]).
pub(super) fn sentence_shape(
    sentence: &str,
    names: &[String],
    named: &[String],
    sections: bool,
) -> Shape {
    // An opening hedge ("Unless otherwise specified,") defers to terms stated elsewhere, which are read where
    // they are: the sentence is what follows it, held to the same shapes.
    let sentence = statement::without_hedge(sentence);
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
    // A grant sentence states the grant and nothing else: besides the licence's name, its words are words of
    // granting, titles, pointers and names. A restriction written into it in words nobody listed ("… requires
    // a signed agreement with NHS England before reuse, available under the terms of the OGL") leaves words
    // outside that vocabulary, and the sentence is residue.
    let proper = proper_names(sentence);
    let statement_word = |w: &String| {
        !restricts(w)
            && (title_word(w)
                || POINTER_WORDS.contains(&w.as_str())
                || STATEMENT_WORDS.contains(&w.as_str())
                || proper.contains(w))
    };
    // The sentence that announces a split of the material between the licences the file names.
    if sections && super::scope::announces_a_split(&w, families(named)) {
        return Shape::Title;
    }
    if !statement::grants_by_reference(sentence) {
        return Shape::Words;
    }
    let refs = reference::references(sentence);
    if !refs.iter().any(|r| is_named(&r.id, named)) {
        return Shape::Words;
    }
    // A licence's name is its name, whatever words it holds ("Creative Commons Attribution Non-Commercial
    // 2.5"): the vocabulary is held to the rest of the sentence.
    let rest = if sections {
        words(&without_licence_names(sentence, named))
    } else {
        w
    };
    if rest.iter().all(statement_word)
        || (sections && describes_a_part(&rest, &refs, &statement_word))
        || (sections && super::scope::grants_a_stated_scope(&rest, &statement_word))
    {
        return Shape::Statement;
    }
    Shape::Words
}

/// How many licence families `named` holds.
fn families(named: &[String]) -> usize {
    let mut f: Vec<&str> = named
        .iter()
        .map(|n| super::super::detect::family(n))
        .collect();
    f.sort_unstable();
    f.dedup();
    f.len()
}

/// Whether licence `id` is one of `named` (by family: a version's `-only` or `-or-later` is the licence).
pub(super) fn is_named(id: &str, named: &[String]) -> bool {
    named
        .iter()
        .any(|n| super::super::detect::family(n) == super::super::detect::family(id))
}

/// The words before a grant's verb (its subject) may describe the material in words of their own ("advice
/// and guidance text is licensed under …") when the grant is already read as covering a part, not the
/// repository: every licence it names has the scope documentation ([`reference::references`] reads the
/// subject's kind of material). Then a describing word can only narrow a part that the verdict already weighs
/// as a part, beside the licence of the rest; it never makes the grant cover more. The words of their own are
/// few, plain (none negates, restricts, obliges, permits or grants) and stand before the verb; every word
/// from the verb on is held to the grant vocabulary.
fn describes_a_part(
    rest: &[String],
    refs: &[reference::Reference],
    statement_word: &dyn Fn(&String) -> bool,
) -> bool {
    const SUBJECT_OWN_WORDS: usize = 3;
    let Some(verb) = rest.iter().position(|w| GRANT_VERBS.contains(&w.as_str())) else {
        return false;
    };
    let own: Vec<&String> = rest[..verb].iter().filter(|w| !statement_word(w)).collect();
    !refs.is_empty()
        && refs
            .iter()
            .all(|r| r.scope == super::super::Scope::Documentation)
        && own.len() <= SUBJECT_OWN_WORDS
        && own
            .iter()
            .all(|w| !restricts(w) && !says_more_than_a_name(w) && !layout_word(w))
        && rest[verb..].iter().all(statement_word)
}

/// `sentence` with the names of the licences in `named` taken out, as [`reference::references`] reads them
/// ("the [full legal text of the Creative Commons Attribution Non-Commercial 2.5 License](…)" → "the [full
/// legal text of the  License](…)"). Only names are taken out; every other word stays to be judged.
pub(super) fn without_licence_names(sentence: &str, named: &[String]) -> String {
    // A port's generic name is the port's name ("Creative Commons Attribution Non-Commercial 2.5" for
    // `LicenseRef-CC-BY-NC-2.5-Scotland`).
    let names_it = |id: &str| {
        is_named(id, named)
            || named
                .iter()
                .any(|n| reference::generic_of_port(n) == Some(id))
    };
    let mut spans: Vec<(usize, usize)> = reference::mentions(sentence)
        .iter()
        .filter(|r| names_it(&r.id))
        .filter_map(|r| {
            // `matched` is the name as written with its spaces collapsed: walk it word by word from its offset.
            let mut at = r.offset;
            for w in r.matched.split_whitespace() {
                let rest = sentence.get(at..)?;
                let trimmed = rest.trim_start();
                at += rest.len() - trimmed.len();
                if !trimmed.starts_with(w) {
                    return None;
                }
                at += w.len();
            }
            // A licence's URL is taken out whole, with its scheme and its tail ("http://…/scotland/").
            let (mut start, mut end) = (r.offset, at);
            if r.matched.contains('/') {
                for scheme in ["https://", "http://"] {
                    if sentence[..start].ends_with(scheme) {
                        start -= scheme.len();
                        break;
                    }
                }
                end += sentence[end..]
                    .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"'))
                    .unwrap_or(sentence.len() - end);
            }
            Some((start, end))
        })
        .collect();
    spans.sort();
    let mut out = String::with_capacity(sentence.len());
    let mut from = 0;
    for (start, end) in spans {
        if start < from {
            continue;
        }
        out.push_str(&sentence[from..start]);
        out.push(' ');
        from = end;
    }
    out.push_str(&sentence[from..]);
    out
}
