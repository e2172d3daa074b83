//! A notice that only withholds: every sentence of it reserves rights, prohibits, asks for permission, makes
//! use subject to a licence it does not name, or names a holder or an address ("(c) Crown copyright … Met
//! Office. All rights reserved. Use, duplication or disclosure of this code is subject to the restrictions as
//! set forth in the licence. If no licence has been raised with this copy of the code, the use … is strictly
//! prohibited. Permission to do so must first be obtained in writing from …").
//!
//! Such a notice is not an unrecognised licence: it states no terms to recognise, it says rights are
//! withheld. It is read as one statement of rights reserved ([`super::super::Observation::AllRightsReserved`]),
//! so the verdict's rules for withheld rights decide: with no licence anywhere it is *forbidden*; beside a
//! licence it withholds what that licence grants, and a person must look. It can never make a repository
//! *allowed*: reading a notice as withholding only replaces one reason that blocks with another.
//!
//! The reading is an allow-list of sentence kinds. A sentence of any other kind (one that names a licence,
//! grants, or speaks of terms in other words) leaves the notice to the general notice reading, which quotes
//! each line that speaks of terms. Pure over text.

use std::sync::LazyLock;

use regex::Regex;

use super::super::{claims, holders, reference};

/// What one sentence of a notice is, when it is of a kind a withholding notice may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A copyright line naming a holder, nothing about terms.
    Holder,
    /// Rights reserved, use prohibited, permission to be obtained.
    Withholds,
    /// Use made subject to a licence or agreement that the sentence does not name ("the licence under which
    /// it was supplied"): its terms are not stated here.
    SubjectToUnnamedTerms,
    /// Names only: an address, a body, a heading in capitals.
    Names,
}

/// Box and comment decoration at a line's margins: `| … |`, `* …`, `# …`, `! …`, `// …`.
const DECORATION: &[char] = &['|', '+', '*', '#', '!', '/', '\\', ';', '>', '='];

/// A word that grants or permits, unless negated just before it: a notice holding one is not only withholding.
static GRANTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\bhereby\b | \bgrant(?:s|ed|ing)?\b | \bfree(?:ly)?\b | \bpermit(?:s|ted)?\b | \ballow(?:s|ed)?\b
        | \blicen[cs]ed\s+(?:under|to|as)\b | \bopen[\s-]source\b | \bpublic\s+domain\b
        | \b(?:you|anyone|everyone|users?)\s+(?:may|can|are\s+welcome)\b",
    )
    .expect("grant words")
});

/// A negation that turns the grant word after it into a withholding ("is not permitted", "no licence is
/// granted").
static NEGATED_GRANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:not|no|never|nor|without)\s+(?:\w+\s+){0,2}?(?:permit(?:s|ted)?|allow(?:s|ed)?|grant(?:s|ed)?|free(?:ly)?)\b")
        .expect("negated grant")
});

/// "subject to the restrictions as set forth in the licence", "subject to the terms of the agreement".
static SUBJECT_TO_TERMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bsubject\s+to\b.*\b(?:licen[cs]es?|agreements?|contracts?)\b")
        .expect("subject to")
});

/// The noun of a licence or agreement with the word before it: that word must not be a name.
static TERMS_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\S+)\s+(?:licen[cs]es?|agreements?|contracts?)\b").expect("terms noun")
});

/// Words that speak of terms: a sentence naming a holder must hold none.
static TERMS_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\blicen[cs]|\bpermi|\bterms\b|\bcondition|\brestrict|\bagreement|\bcontract")
        .expect("terms words")
});

/// Lower-case words a list of names may join its names with ("Met Office, FitzRoy Road, Exeter").
const NAME_JOINERS: &[&str] = &["and", "of", "the", "at", "for", "on", "in", "&", "-"];

/// When every sentence of the notice `lines` is of a kind a withholding notice holds and at least one
/// withholds: the (1-based line, sentence) of the first that withholds, to be quoted.
pub(super) fn withholding_notice(lines: &[&str]) -> Option<(usize, String)> {
    let mut quoted: Option<(usize, String)> = None;
    for (line, sentence) in sentences(lines) {
        match kind(&sentence)? {
            Kind::Withholds => {
                // Quoted: the first sentence that says more than a holder's "All rights reserved".
                if quoted
                    .as_ref()
                    .is_none_or(|(_, q)| bare(q) && !bare(&sentence))
                {
                    quoted = Some((line, sentence));
                }
            }
            Kind::Holder | Kind::SubjectToUnnamedTerms | Kind::Names => {}
        }
    }
    quoted
}

/// A holder's reservation and nothing more: a copyright line, or "All rights reserved." alone.
fn bare(sentence: &str) -> bool {
    holders::is_copyright_line(sentence)
        || sentence
            .trim_end_matches('.')
            .eq_ignore_ascii_case("all rights reserved")
}

/// The kind of one sentence, or `None` when it is of no kind a withholding notice holds.
fn kind(sentence: &str) -> Option<Kind> {
    if !reference::references(sentence).is_empty() {
        return None;
    }
    let ungranted = NEGATED_GRANT.replace_all(sentence, " ");
    if GRANTS.is_match(&ungranted) {
        return None;
    }
    if holders::withholds(sentence) || claims::withholds(sentence) {
        return Some(Kind::Withholds);
    }
    if holders::is_copyright_line(sentence) && !TERMS_WORDS.is_match(sentence) {
        return Some(Kind::Holder);
    }
    if SUBJECT_TO_TERMS.is_match(sentence) && names_no_terms(sentence) {
        return Some(Kind::SubjectToUnnamedTerms);
    }
    names_only(sentence).then_some(Kind::Names)
}

/// Every licence or agreement the sentence speaks of is unnamed: the word before it is an article or a
/// determiner in lower case ("the licence", "a licence", "this agreement"), never a name ("the Acme Licence").
fn names_no_terms(sentence: &str) -> bool {
    TERMS_NOUN.captures_iter(sentence).all(|c| {
        let before = c[1]
            .trim_matches(|ch: char| !ch.is_alphanumeric())
            .to_lowercase();
        matches!(
            before.as_str(),
            "the"
                | "a"
                | "an"
                | "this"
                | "that"
                | "its"
                | "your"
                | "any"
                | "such"
                | "no"
                | "of"
                | "in"
        )
    })
}

/// A sentence of names only: every word written with a capital or a digit (a body, a street, a postcode),
/// an e-mail address or a link, or a word that joins names; nothing that speaks of terms.
fn names_only(sentence: &str) -> bool {
    let words: Vec<&str> = sentence
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ':' | ';' | '"' | '\'')))
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && !TERMS_WORDS.is_match(sentence)
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || w.contains('@')
                || w.contains("://")
                || NAME_JOINERS.contains(w)
        })
}

/// The notice's sentences with the line each starts on (1-based): decoration at the margins taken off, rules
/// dropped, lines of a paragraph joined, split after `.`, `;`, `:`, `!` or `?`.
fn sentences(lines: &[&str]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw
            .trim()
            .trim_matches(|c: char| DECORATION.contains(&c) || c.is_whitespace());
        let rule = line
            .chars()
            .all(|c| matches!(c, '-' | '_' | '=' | '~' | '.'));
        if line.is_empty() || rule {
            flush(&mut current, start, &mut out);
            continue;
        }
        let mut rest = line;
        while !rest.is_empty() {
            if current.is_empty() {
                start = i + 1;
            } else {
                current.push(' ');
            }
            match sentence_end(rest) {
                Some(end) => {
                    current.push_str(rest[..end].trim());
                    flush(&mut current, start, &mut out);
                    rest = rest[end..].trim_start();
                }
                None => {
                    current.push_str(rest.trim());
                    rest = "";
                }
            }
        }
    }
    flush(&mut current, start, &mut out);
    out
}

/// Where the first sentence of `text` ends (just after its closing mark), when one ends in it.
fn sentence_end(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | ';' | ':' | '!' | '?') {
            match chars.peek() {
                None => return Some(i + c.len_utf8()),
                Some((_, next)) if next.is_whitespace() => return Some(i + c.len_utf8()),
                _ => {}
            }
        }
    }
    None
}

fn flush(current: &mut String, start: usize, out: &mut Vec<(usize, String)>) {
    let sentence = current.trim();
    if !sentence.is_empty() {
        out.push((start, sentence.to_string()));
    }
    current.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    const MET_OFFICE: &str =
        "+------------------------------------------------------------------------------+
| (c) Crown copyright 2019-2020 Met Office. All rights reserved.               |
|                                                                              |
| Use, duplication or disclosure of this code is subject to the restrictions   |
| as set forth in the licence. If no licence has been raised with this copy    |
| of the code, the use, duplication or disclosure of it is strictly            |
| prohibited. Permission to do so must first be obtained in writing from the   |
| Fab Project Manager at the following address:                                |
|                                                                              |
| Met Office, FitzRoy Road, Exeter, Devon, EX1 3PB, United Kingdom             |
+------------------------------------------------------------------------------+";

    fn read(text: &str) -> Option<(usize, String)> {
        withholding_notice(&text.lines().collect::<Vec<_>>())
    }

    #[test]
    fn a_boxed_notice_that_reserves_prohibits_and_asks_for_permission_withholds() {
        let (line, text) = read(MET_OFFICE).expect("a withholding notice");
        assert_eq!(line, 5, "{text}");
        assert!(text.contains("strictly prohibited"), "{text}");
    }

    #[test]
    fn a_notice_that_names_or_grants_a_licence_is_not_only_withholding() {
        for added in [
            "| Use of this code is subject to the Acme Commercial Licence.  |",
            "| Permission is hereby granted to copy this code.  |",
            "| You may redistribute it under the MIT License.  |",
            "| Users can share this code with anyone.  |",
            "| The fonts are the property of a foundry and used under its terms.  |",
        ] {
            let text = MET_OFFICE.replace(
                "|                                                                              |\n| Met",
                &format!("{added}\n| Met"),
            );
            assert!(read(&text).is_none(), "{added}");
        }
    }

    #[test]
    fn a_notice_of_holders_alone_or_of_terms_in_other_words_is_not_a_withholding_notice() {
        assert!(read("Copyright (c) 2020 Example Ltd\nCopyright (c) 2021 Other Body").is_none());
        assert!(
            read("Copyright 2020 Example Ltd. All rights reserved.\nThe data is used under a commercial arrangement with the supplier.").is_none()
        );
        let negated = "Copyright 2020 Example Ltd.\nRedistribution is not permitted.";
        assert_eq!(
            read(negated).map(|(l, _)| l),
            Some(2),
            "a negated grant word withholds"
        );
    }
}
