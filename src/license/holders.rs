//! Copyright holders, "all rights reserved" statements and template placeholders in licence texts.
//! Pure functions over text.

use std::sync::LazyLock;

use regex::Regex;

static COPYRIGHT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s>*#|/+\-]*(?:\(c\)\s*|©\s*|&copy;\s*)*(?:copyright\b|©|\(c\)\s+\S|&copy;|crown\s+copyright\b)")
        .unwrap()
});
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \{\{[^}]*\}\} | \{%[^%]*%\} | \$\{[A-Za-z_]+\}
        | <\s*(?:year|yyyy|copyright\s+holders?|name\s+of\s+(?:author|copyright\s+owner)|owner|organi[sz]ation|author|holder|fullname|full\s+name)\s*>
        | \[\s*(?:year|yyyy|fullname|full\s+name|name\s+of\s+copyright\s+owner|copyright\s+holders?|owner|author|name)\s*\]
        | \{\s*(?:YEAR|AUTHOR|NAME|OWNER|PROJECT\s+NAME|ORGANI[SZ]ATION|COPYRIGHT\s+HOLDER)\s*\}",
    )
    .unwrap()
});
static RIGHTS_RESERVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)all\s+rights\s+reserved|strictly\s+prohibited|(?:must|shall)\s+(?:first\s+)?be\s+obtained\s+in\s+writing|without\s+(?:the\s+)?(?:prior\s+)?(?:express\s+)?(?:written\s+)?permission",
    )
    .unwrap()
});
static YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(?:19|20)\d\d\b\s*(?:[-–—,]\s*(?:(?:19|20)\d\d\b|present)?\s*)*)").unwrap()
});
static LEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:[\s>*#|/+\-]|copyright\b|\(c\)|©|&copy;|:)*").unwrap());
static TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\s.,;|+\-]*(?:all\s+rights\s+reserved\.?)?[\s.,;|+\-]*$").unwrap()
});
static MD_LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap());

/// Where an "apply this licence" appendix starts: placeholders and sample copyright lines below it are part of
/// the canonical licence text, not the licensor's statement.
pub fn appendix_start(lines: &[&str]) -> Option<usize> {
    lines.iter().position(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("appendix: how to apply") || l.contains("how to apply these terms")
    })
}

/// Whether the line is a copyright statement.
pub fn is_copyright_line(line: &str) -> bool {
    COPYRIGHT_LINE.is_match(line)
}

/// The copyright holders named in the text, as written, without years or "All rights reserved".
/// Lines holding template placeholders, and lines below a licence's own appendix, are not holders.
pub fn holders(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let stop = appendix_start(&lines).unwrap_or(lines.len());
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines[..stop].iter().enumerate() {
        if !is_copyright_line(line)
            || PLACEHOLDER.is_match(line)
            || clause_letter(&lines[..i], line)
        {
            continue;
        }
        let line = MD_LINK.replace_all(line, "$1");
        let rest = LEAD.replace(&line, "");
        let rest = &rest[..name_end(&rest)];
        let rest = YEARS.replace_all(rest, " ");
        let rest = TAIL.replace(&rest, "");
        let holder = rest
            .trim()
            .trim_start_matches(['-', ',', ':'])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let lower = holder.to_lowercase();
        // "Copyright notice", "copyright holders" in a licence body are not statements.
        if holder.len() < 2
            || is_placeholder_holder(&holder)
            || lower.starts_with("notice")
            || lower.starts_with("holder")
            || lower.starts_with("owner")
            || lower.starts_with("and ")
            || lower.starts_with("of ")
            || lower.starts_with("law")
            || lower.starts_with("statement")
            || lower.starts_with("the above")
            || lower.starts_with("and/or")
            || holder.len() > 160
        {
            continue;
        }
        // A holder is a name, written capitalised or with digits; a line that begins with the word
        // "copyright" and goes on in lower case with no year and no mark is a licence's own sentence wrapped
        // there ("copyright license to reproduce, prepare Derivative Works of,").
        let marked =
            line.contains('©') || line.to_lowercase().contains("(c)") || YEARS.is_match(&line);
        if !marked && holder.starts_with(char::is_lowercase) {
            continue;
        }
        let holder = if lower.starts_with("crown") || lower == "crown" {
            holder
        } else if line.to_lowercase().contains("crown copyright") && !lower.contains("crown") {
            format!("Crown copyright ({holder})")
        } else {
            holder
        };
        if !out.contains(&holder) {
            out.push(holder);
        }
    }
    out
}

/// What follows the holder's name on a copyright line ([`name_end`]): the words a notice may not hide in
/// the name. Empty when the name runs to the end of the line.
pub fn after_the_name(line: &str) -> String {
    let line = MD_LINK.replace_all(line, "$1");
    let rest = LEAD.replace(&line, "");
    rest[name_end(&rest)..].to_string()
}

/// THE HOLDER IS A NAME. Where the holder's name ends in `rest`, the words of a copyright line after its
/// mark (a byte offset; `rest.len()` when the name runs to the end). Whatever follows is not part of the
/// name: it is the line's residue, judged like any other words of the file (`residue`'s holder shape reads
/// the whole line), so "Copyright 2020 Vendor Print Ltd. Not for redistribution." names "Vendor Print Ltd"
/// and never a holder called "Vendor Print Ltd. Not for redistribution".
///
/// The name stops before the first word that
/// - is a negation, in any case ("Not", "no", "never": [`crate::license::diff::NEGATIONS`]);
/// - is written in lower case and says more than a name does: permission, obligation, restriction, copying
///   ("only", "internal", "may", "use", "redistribution": `residue`'s vocabulary of a holder line), or the
///   run of lower-case words that leads to it ("for internal use"); a capitalised word is a name's ("Will
///   Smith", "Grant Thornton", "May & Co");
/// - opens a new sentence: it is capitalised, and the word before it ends with "." or "?" and is not an
///   abbreviation. Initials and short abbreviations ("J.", "Co.", "St.", "J.R.R."), a dotted word and
///   "Mrs." do not end a sentence; a legal suffix ("Ltd.", "Inc.", "plc.") ends the company's name, so a
///   capitalised word after it starts something else unless it is itself a legal suffix ("Acme Co. Ltd.").
///   "!" and ";" never end the name ("Yahoo! Inc.", "Acme Ltd.; Widget plc").
///
/// Limits: a withholding phrase written wholly in capitalised words that are not negations ("Internal Use
/// Only" is caught by its words, "Reserved For Acme Staff" is not cut) stays in the name; the whole line is
/// still held to `residue`'s holder shape and a file that grants nothing to the licensor check, which do not
/// rely on this cut.
pub fn name_end(rest: &str) -> usize {
    const LEGAL_SUFFIXES: &[&str] = &[
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "plc",
        "llc",
        "llp",
        "gmbh",
        "corp",
        "corporation",
        "ag",
        "sa",
        "bv",
        "pty",
    ];
    let bare = |w: &str| -> String {
        w.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    };
    let ends_sentence = |w: &str| {
        if !(w.ends_with('.') || w.ends_with('?')) {
            return false;
        }
        let body = w.trim_end_matches(['.', '?']);
        let letters = body.chars().filter(|c| c.is_alphabetic()).count();
        let abbreviation =
            letters <= 2 || body.contains('.') || matches!(bare(body).as_str(), "mrs" | "bros");
        !abbreviation || LEGAL_SUFFIXES.contains(&bare(body).as_str())
    };
    let mut previous: Option<&str> = None;
    // Where the run of lower-case words before the current word starts ("for" in "Acme Ltd, for internal
    // use"): a clause that reaches a word saying more than a name began there.
    let mut lower_run: Option<usize> = None;
    for word in rest.split_whitespace() {
        // `word` is a slice of `rest`: its offset is the distance between their starts.
        let start = word.as_ptr() as usize - rest.as_ptr() as usize;
        let w = bare(word);
        let lower_written = word
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_lowercase);
        let capitalised = word
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase);
        if crate::license::diff::NEGATIONS.contains(&w.as_str())
            || (lower_written && super::residue::says_more_than_a_name(&w))
        {
            return lower_run.unwrap_or(start);
        }
        lower_run = if lower_written {
            lower_run.or(Some(start))
        } else {
            None
        };
        if previous.is_some_and(ends_sentence)
            && capitalised
            && !LEGAL_SUFFIXES.contains(&w.as_str())
        {
            return start;
        }
        previous = Some(word);
    }
    rest.len()
}

/// Whether `line` opens with the clause letter "(c)" of a lettered list that `above` has begun with a line
/// opening "(b)" ("(c) You must retain, in the Source form …" in the Apache licence): a clause, not a mark.
fn clause_letter(above: &[&str], line: &str) -> bool {
    let opens = |l: &str, letter: &str| l.trim_start().to_lowercase().starts_with(letter);
    opens(line, "(c)") && above.iter().any(|l| opens(l, "(b)"))
}

/// A template placeholder left in a licensor position: on a copyright line, or template syntax anywhere
/// above the licence's own appendix. Returns (1-based line, placeholder text).
pub fn placeholders(text: &str, whole_text_is_statement: bool) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let stop = appendix_start(&lines).unwrap_or(lines.len());
    let mut out = Vec::new();
    for (i, line) in lines[..stop].iter().enumerate() {
        for m in PLACEHOLDER.find_iter(line) {
            let s = m.as_str();
            let template_syntax = s.starts_with("{{") || s.starts_with("{%");
            if template_syntax || is_copyright_line(line) || whole_text_is_statement {
                out.push((i + 1, s.to_string()));
            }
        }
    }
    out
}

/// The first statement that withholds permission ("All rights reserved", "strictly prohibited", "permission
/// must be obtained in writing"). Returns (1-based line, the line).
pub fn rights_reserved(text: &str) -> Option<(usize, String)> {
    text.lines()
        .enumerate()
        .find(|(_, l)| RIGHTS_RESERVED.is_match(l))
        .map(|(i, l)| (i + 1, l.trim().trim_matches(['|', ' ']).to_string()))
}

/// Whether a statement reserves all rights ("All rights reserved"), and nothing else of [`withholds`].
pub fn reserves_all_rights(statement: &str) -> bool {
    static ALL_RIGHTS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)all\s+rights\s+reserved").expect("all rights"));
    ALL_RIGHTS.is_match(statement)
}

/// Whether a statement withholds permission (rather than only naming the copyright owner).
pub fn withholds(statement: &str) -> bool {
    RIGHTS_RESERVED.is_match(statement)
}

/// R packages say "MIT + file LICENSE" and ship a LICENSE of two fields, `YEAR:` and `COPYRIGHT HOLDER:`.
/// Returns the holder when the text is such a stub.
pub fn r_license_stub(text: &str) -> Option<String> {
    let mut holder = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (key, value) = line.split_once(':')?;
        match key.trim().to_ascii_uppercase().as_str() {
            "YEAR" => {}
            "COPYRIGHT HOLDER" | "ORGANIZATION" | "ORGANISATION" => {
                holder = Some(value.trim().to_string())
            }
            _ => return None,
        }
    }
    holder.filter(|h| !h.is_empty())
}

/// The first copyright line. Returns (1-based line, the line).
pub fn first_copyright_line(text: &str) -> Option<(usize, String)> {
    text.lines()
        .enumerate()
        .find(|(_, l)| is_copyright_line(l))
        .map(|(i, l)| (i + 1, l.trim().to_string()))
}

/// Words that say nothing of who a holder is: the copyright words and marks, "All rights reserved", legal
/// suffixes, "The", and the collective tails ("and contributors", "et al.", "and its affiliates"). Years (words
/// of digits only) go too.
pub(crate) const HOLDER_NOISE: &[&str] = &[
    "copyright",
    "copr",
    "c",
    "the",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "llc",
    "llp",
    "plc",
    "gmbh",
    "co",
    "corp",
    "corporation",
    "and",
    "its",
    "their",
    "affiliates",
    "contributors",
    "other",
    "others",
    "all",
    "rights",
    "reserved",
    "by",
    "of",
    "authors",
    "et",
    "al",
];

/// E-mail addresses and web addresses beside a holder's name say how to reach it, not who it is.
static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<[^<>]*@[^<>]*>|\S+@\S+|<?\b(?:https?://|www\.)\S+>?|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|gov\.uk|org\.uk|co\.uk|ac\.uk)\b\S*")
        .expect("contact pattern")
});

/// Where one party of a holder ends and the next begins: a parenthesis ("Crown Copyright (Government Digital
/// Service)"), "and", a comma, a semicolon or a slash. An ampersand is read apart ([`AMPERSAND`]).
static PARTY_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[()\[\]]|\s+and\s+|\s*[,;/]\s*").expect("party split pattern")
});

/// An ampersand between words: inside one organisation's name ("HM Revenue & Customs") or between two
/// parties ("Alice & Bob"), told apart by [`ampersand_pieces`].
static AMPERSAND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*&\s*").expect("ampersand pattern"));

/// The parties a piece joined by ampersands names. AN AMPERSAND SPLITS ONLY LIKE FROM LIKE: it joins parties
/// when every side is a name of the same length, in words that name ([`holder_words`]) — "Alice & Bob"
/// (one and one), "Margaret Calvert & Henrik Kubel" (two and two), "Acme Ltd & Widget plc" (one and one,
/// the suffixes aside); otherwise the sides are one name's parts and the piece is one party: "HM Revenue &
/// Customs" (two words and one), "Department for Education & Skills". Misuse: a firm named like two people
/// ("Marks & Spencer") is read as two parties, as every ampersand was before, so the firm is matched only
/// by a holder naming both; the split never lets one side alone stand for an unsplit name.
fn ampersand_pieces(piece: &str) -> Vec<String> {
    let sides: Vec<&str> = AMPERSAND.split(piece).collect();
    if sides.len() < 2 {
        return vec![piece.to_string()];
    }
    let lengths: Vec<usize> = sides
        .iter()
        .map(|s| holder_words(&CROWN.replace_all(s, " ")).len())
        .collect();
    if lengths[0] > 0 && lengths.iter().all(|&n| n == lengths[0]) {
        sides.iter().map(|s| s.to_string()).collect()
    } else {
        vec![piece.to_string()]
    }
}

/// The Crown's ownership written as a qualifier: "Crown copyright", "Crown-owned copyright", "© Crown".
static CROWN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bcrown(?:[\s-]+owned)?\b").expect("crown pattern"));

/// The words of a holder's name, in order, normalised: lower case, addresses and [`HOLDER_NOISE`] gone.
/// The one word normaliser every holder comparison goes through (the asset gate's licensors here, the
/// component recogniser's holder signals in `components`).
pub fn holder_words(holder: &str) -> Vec<String> {
    CONTACT
        .replace_all(holder, " ")
        .to_lowercase()
        .replace("'s", " ")
        .replace("’s", " ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !HOLDER_NOISE.contains(w))
        .map(str::to_string)
        .collect()
}

/// The parties a holder names, each by its normalised identity ([`holder_words`] joined): "Crown Copyright
/// (Government Digital Service)" names the Crown and the Government Digital Service; "Acme Ltd and Widget
/// plc" names Acme and Widget; "HM Revenue & Customs" names one party, "Alice & Bob" two
/// ([`ampersand_pieces`]); "Epimorphics Limited", "(c) Copyright 2014, Epimorphics Ltd." and
/// "EPIMORPHICS LTD" all name `epimorphics`. "Crown Copyright", "Crown copyright", "Crown-owned copyright" and
/// "© Crown" all name the party `crown`. A template placeholder names nobody.
pub fn parties(holder: &str) -> Vec<String> {
    if is_placeholder_holder(holder) {
        return Vec::new();
    }
    let plain = CONTACT.replace_all(holder, " ");
    let mut out: Vec<String> = Vec::new();
    let mut push = |p: String| {
        if !p.is_empty() && !out.contains(&p) {
            out.push(p);
        }
    };
    for piece in PARTY_SPLIT.split(&plain).flat_map(ampersand_pieces) {
        // The Crown is a party of its own wherever it is written; what else the piece names is another.
        let crowned = CROWN.is_match(&piece);
        if crowned {
            push("crown".to_string());
        }
        let rest = CROWN.replace_all(&piece, " ");
        push(holder_words(&rest).join(" "));
    }
    out
}

/// A holder that is a template's placeholder, not a name: template syntax (`<year>`, `[fullname]`,
/// `{{ author }}`, `${OWNER}`), or a phrase written all in capitals that holds a role word where a name
/// belongs ("YEAR THE PACKAGE'S COPYRIGHT HOLDER", "FIRST AUTHOR", "YOUR NAME"). Decided by the shape of the
/// words, not by one template's phrase: a real name in capitals ("IBM", "ACME LTD") has no role word.
pub fn is_placeholder_holder(holder: &str) -> bool {
    if PLACEHOLDER.is_match(holder) {
        return true;
    }
    let letters: String = holder.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() || letters.chars().any(char::is_lowercase) {
        return false;
    }
    const ROLES: &[&str] = &[
        "YEAR",
        "YYYY",
        "HOLDER",
        "HOLDERS",
        "OWNER",
        "OWNERS",
        "AUTHOR",
        "FULLNAME",
        "NAME",
        "ORGANIZATION",
        "ORGANISATION",
        "COMPANY",
        "PACKAGE",
        "PROJECT",
        "EMAIL",
    ];
    holder
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| ROLES.contains(&w))
}

/// THE REPOSITORY'S LICENSORS: the holders who license the repository's own content.
///
/// Gathered (in `detect`) from the holders of the licence files, notices and statements that cover the
/// repository root, and from the holders named in any header that itself grants one of the repository's
/// licences (the Apache header on a project's sources, with its holder). A holder is a licensor when every
/// party it names ([`parties`]) is the party of some licensor: identity by normalised words, never by
/// substring or prefix — "Epimorphics Evil Ltd" is not "Epimorphics Limited", and a notice that joins a
/// licensor with a third party is not the licensor's.
///
/// The asset gate's invariant ([`crate::license::assets::observations`]): a file whose header states no terms
/// is covered by the repository's licence only when every holder it names is a licensor. Restrictive terms
/// are never covered, whoever states them.
///
/// Parties only CLAIMED for the repository (a root manifest's organisation or authors, read when the licence
/// text names no holder: [`Licensors::claim`]) are weaker: they cover a header that is only their copyright
/// line, never one that also withholds ("All rights reserved"), which only a holder the grant itself names
/// may carry as the conventional tail of its notice ([`Licensors::covers_header`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Licensors {
    parties: std::collections::BTreeSet<String>,
    claimed: std::collections::BTreeSet<String>,
}

impl Licensors {
    /// The licensors named by `holders` (as written).
    pub fn of<S: AsRef<str>>(holders: &[S]) -> Self {
        let mut l = Licensors::default();
        for h in holders {
            l.add(h.as_ref());
        }
        l
    }

    /// Add the parties a holder names.
    pub fn add(&mut self, holder: &str) {
        self.parties.extend(parties(holder));
    }

    /// Add the parties a claim names for the repository without the grant naming them (a root manifest's
    /// organisation or authors).
    pub fn claim(&mut self, holder: &str) {
        self.claimed.extend(parties(holder));
    }

    pub fn is_empty(&self) -> bool {
        self.parties.is_empty() && self.claimed.is_empty()
    }

    /// Whether `holder` is a licensor: it names at least one party, and every party it names is one named by
    /// the grant (claimed parties aside).
    pub fn covers(&self, holder: &str) -> bool {
        let named = parties(holder);
        !named.is_empty() && named.iter().all(|p| self.parties.contains(p))
    }

    /// Whether a header naming `holder` is the licensors' own: every party it names is a licensor, or, when
    /// the header does not withhold (`withholding` false: no "All rights reserved"), a claimed party.
    pub fn covers_header(&self, holder: &str, withholding: bool) -> bool {
        let named = parties(holder);
        !named.is_empty()
            && named
                .iter()
                .all(|p| self.parties.contains(p) || (!withholding && self.claimed.contains(p)))
    }
}

/// The holders a licence or notice file names on its notice lines, including a name written before the
/// mark ("Dstl (c) Crown Copyright 2019", "Crown owned Copyright 2021"), which [`holders`] (a line that opens
/// with the mark) does not read. Lines below a licence's own appendix, long lines (a licence's sentences) and
/// placeholders name nobody.
pub fn notice_line_holders(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let stop = appendix_start(&lines).unwrap_or(lines.len());
    let mut out = holders(&lines[..stop].join("\n"));
    for line in &lines[..stop] {
        let line = line.trim();
        if line.len() > 120 || PLACEHOLDER.is_match(line) {
            continue;
        }
        // Lines that open with the mark are [`holders`]'s; here the mark stands after a name.
        let Some(m) = MARK_MID_LINE.find(line).filter(|m| m.start() > 0) else {
            continue;
        };
        let before = line[..m.start()].trim_matches(|c: char| !c.is_alphanumeric());
        let words = before.split_whitespace().count();
        let mut found: Vec<String> = holders(&format!("Copyright {}", &line[m.end()..]));
        if (1..=6).contains(&words)
            && before.starts_with(|c: char| c.is_uppercase())
            && !before.to_lowercase().contains("licen")
            && !is_placeholder_holder(before)
        {
            found.push(before.to_string());
        }
        for h in found {
            if !out.contains(&h) {
                out.push(h);
            }
        }
    }
    out
}

/// Whether `line` holds a copyright mark anywhere ("(c)", "©", or the word "copyright" before a year), not
/// only at its start: a notice inside a comment (`/*! Copyright (c) 2011 by … */`) is a holder's notice.
pub fn has_copyright_mark(line: &str) -> bool {
    MARK_MID_LINE.is_match(line)
}

/// A copyright mark inside a line: "(c)", "©", or the word "copyright" before a year.
static MARK_MID_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\(c\)|©|&copy;)(?:\s*copyright\b)?|\bcopyright\b(?:\s*(?:\(c\)|©|&copy;))?\s*(?:(?:19|20)\d\d)")
        .expect("mid-line mark pattern")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_are_named_without_years_or_reservation() {
        let cases: &[(&str, &[&str])] = &[
            ("Copyright (c) 2021 NHS Digital", &["NHS Digital"]),
            (
                "© Crown copyright 2019-2020 Met Office. All rights reserved.",
                &["Crown copyright Met Office"],
            ),
            (
                "(c) Crown copyright 2019-2020 Met Office. All rights reserved.",
                &["Crown copyright Met Office"],
            ),
            (
                "Copyright (c) 2023 Crown Copyright NHS England.",
                &["Crown Copyright NHS England"],
            ),
            (
                "Copyright 2016 [The University of Edinburgh](http://www.ed.ac.uk) on behalf of X",
                &["The University of Edinburgh on behalf of X"],
            ),
            ("Copyright (c) <year> <copyright holders>", &[]),
            ("Crown copyright 2018, 2019, 2020", &["Crown copyright"]),
            (
                "The documentation is © Crown copyright and available under the OGL.",
                &[],
            ),
            (
                "The above copyright notice and this permission notice shall be included",
                &[],
            ),
            ("THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(
                holders(text),
                want.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_holder_stops_where_the_name_ends() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Copyright 2020 Vendor Print Ltd. Not for redistribution.",
                &["Vendor Print Ltd"],
            ),
            (
                "Copyright (c) 2020 Acme Ltd. For internal NHS use only.",
                &["Acme Ltd"],
            ),
            (
                "Copyright 2020 Acme. None of the above applies; all rights reserved.",
                &["Acme"],
            ),
            (
                "Copyright 2020 Acme Ltd, for internal use only",
                &["Acme Ltd"],
            ),
            ("Copyright 2020 Acme Ltd, may not be copied", &["Acme Ltd"]),
            (
                "Copyright 2020 Acme Ltd. All rights reserved.",
                &["Acme Ltd"],
            ),
            ("Copyright (c) 2015 Yahoo! Inc.", &["Yahoo! Inc"]),
            (
                "Copyright (c) 2019 J. R. R. Tolkien Estate",
                &["J. R. R. Tolkien Estate"],
            ),
            ("Copyright 2019 Acme Co. Ltd.", &["Acme Co. Ltd"]),
            (
                "Copyright 2019 Grant Thornton and Will Smith",
                &["Grant Thornton and Will Smith"],
            ),
            (
                "Copyright 2020 Acme Ltd.; Widget plc",
                &["Acme Ltd.; Widget plc"],
            ),
            (
                "Copyright 2021 Office for National Statistics",
                &["Office for National Statistics"],
            ),
            (
                "Copyright (c) 2020-2023 Acme Ltd and contributors",
                &["Acme Ltd and contributors"],
            ),
        ];
        for (line, want) in cases {
            assert_eq!(holders(line), *want, "{line}");
        }
    }

    #[test]
    fn the_apache_licence_own_lines_name_no_holder() {
        // The licence as its standard file wraps it, with the holder a repository sets above it: the wrapped
        // "copyright license to reproduce" line and the clause "(c) You must retain" are the licence's words.
        let text = "Copyright 2016 Crown Copyright\n\n\
            \x20  2. Grant of Copyright License. Subject to the terms and conditions of\n\
            \x20     this License, each Contributor hereby grants to You a perpetual,\n\
            \x20     worldwide, non-exclusive, no-charge, royalty-free, irrevocable\n\
            \x20     copyright license to reproduce, prepare Derivative Works of,\n\
            \x20     publicly display, publicly perform, sublicense, and distribute the\n\n\
            \x20     (a) You must give any other recipients of the Work or\n\
            \x20         Derivative Works a copy of this License; and\n\n\
            \x20     (b) You must cause any modified files to carry prominent notices\n\
            \x20         stating that You changed the files; and\n\n\
            \x20     (c) You must retain, in the Source form of any Derivative Works\n\
            \x20         that You distribute, all copyright, patent, trademark, and\n";
        assert_eq!(holders(text), vec!["Crown Copyright".to_string()]);
        // A clause letter is a mark when no lettered list comes before it.
        assert_eq!(
            holders("(c) Ordnance Survey 2012"),
            vec!["Ordnance Survey".to_string()]
        );
    }

    #[test]
    fn apache_appendix_sample_line_is_neither_holder_nor_placeholder() {
        let text = "Apache License\nCopyright 2020 HMRC\n\nAPPENDIX: How to apply the Apache License to your work.\n   Copyright [yyyy] [name of copyright owner]\n";
        assert_eq!(holders(text), vec!["HMRC".to_string()]);
        assert!(placeholders(text, false).is_empty());
    }

    #[test]
    fn placeholders_in_licensor_positions_are_found() {
        let text =
            "MIT License\n\nCopyright (c) {{ cookiecutter.year }} {{ cookiecutter.author_name }}\n";
        let found = placeholders(text, false);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, 3);
        assert_eq!(
            placeholders("Copyright (c) <year> <copyright holders>", false).len(),
            2
        );
        // A program-name variable above a GPL notice names no licensor.
        assert!(
            placeholders(
                "${GITHUB_REPOSITORY_NAME}\nCopyright (C) University of Oxford\n",
                false
            )
            .is_empty()
        );
    }

    #[test]
    fn an_ampersand_inside_one_name_does_not_split_it_and_between_like_names_does() {
        assert_eq!(parties("HM Revenue & Customs"), vec!["hm revenue customs"]);
        assert_eq!(
            parties("Department for Education & Skills"),
            vec!["department for education skills"]
        );
        assert_eq!(parties("Alice & Bob"), vec!["alice", "bob"]);
        assert_eq!(
            parties("Margaret Calvert & Henrik Kubel"),
            vec!["margaret calvert", "henrik kubel"]
        );
        assert_eq!(parties("Acme Ltd & Widget plc"), vec!["acme", "widget"]);
        // One side of an organisation's name never stands for it; both people still do together.
        let hmrc = Licensors::of(&["Copyright 2020 HM Revenue & Customs"]);
        assert!(hmrc.covers("HM REVENUE & CUSTOMS"));
        assert!(!hmrc.covers("Customs"));
        assert!(!hmrc.covers("HM Revenue"));
        let pair = Licensors::of(&["Alice & Bob"]);
        assert!(pair.covers("Alice") && pair.covers("Bob & Alice"));
        assert!(!pair.covers("Alice & Carol"));
    }

    #[test]
    fn rights_reserved_statements_are_found() {
        assert_eq!(
            rights_reserved("x\n© Crown copyright. All rights reserved.")
                .unwrap()
                .0,
            2
        );
        assert!(rights_reserved("the use of it is strictly prohibited").is_some());
        assert!(rights_reserved("Permission is hereby granted, free of charge").is_none());
    }
}
