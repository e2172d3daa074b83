//! EVERY LINE OF A NOTICE HAS THE SHAPE OF A NOTICE. A notice or terms file (NOTICE, COPYRIGHT, CREDITS,
//! TERMS, EULA, RIGHTS …) that matches no licence text is held to every line, as a licence file is held to
//! every word ([`crate::license::residue`]): a line is accounted for only when it has a harmless shape, and any
//! other line is residue that a person must read, quoted with its line.
//!
//! This module decides the shapes that are a notice's own, before the residue accounting reads what is left
//! (blank and markup lines, headings of licence words, holder lines, SPDX lines, links, a grant statement for
//! a licence named, passages of a named licence's standard notice: [`crate::license::residue`]'s shapes):
//!
//! - an **attribution**: every word is a word of the attribution vocabulary ([`ATTRIBUTION`]: "This product
//!   includes software developed by", "Portions of this code are based on", "copyright", "contributors"), a
//!   proper name (written with a capital), an identifier (a version, a package's coordinates, a file name), a
//!   URL or an e-mail address — so a heading of names, a list item of names and versions, and "This product
//!   includes software developed by The Northwind Foundation (https://northwind.org/)." are accounted for;
//! - a **scoped claim**: a line that names a licence for a work (read as [`super::NoticeLicence`] claims and
//!   weighed by the policy), with no word that negates, restricts, obliges or asks for permission.
//!
//! No word that negates, restricts, obliges, permits or speaks of an act on the work ([`speaks_of_terms`]) is
//! ever part of a name or an attribution, whatever its case, so "Do not fork or mirror this repository.",
//! "OFFICIAL-SENSITIVE: not for public release." and "Reproduction Prohibited" are residue, and so is any
//! sentence in words the vocabulary does not hold ("This code is provided for evaluation purposes only"):
//! the vocabulary is an allow-list, not a list of phrasings that withhold.
//!
//! Text is read as a person sees it: combining marks are taken off the letters they sit on ("Nót" reads
//! "not"), and a word hyphenated over a line break is read whole on the line where it starts.
//!
//! Limits: a line the shapes here leave is not residue by itself; the residue accounting may still account
//! for it (a holder line, a licence's standard notice), and its holder shape is the one licence files have.
//! A proper name is any capitalised word that speaks of no terms: "Reserved For Acme Staff" is caught by
//! "reserved" and "staff", a capitalised phrase in words outside [`speaks_of_terms`] is read as a name.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use super::super::diff::{GRANT_WORDS, NEGATIONS, RESTRICTIONS};
use super::super::reference;

/// The lower-case words an attribution may use besides names, identifiers and links: who made or holds a
/// work, that the product includes it, where it came from and where to read more. No word of permission,
/// obligation, restriction or of an act on the work (use, copy, share, fork) is here.
const ATTRIBUTION: &[&str] = &[
    // articles, pronouns, prepositions, conjunctions, the copula
    "this",
    "that",
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "to",
    "with",
    "as",
    "its",
    "it",
    "their",
    "his",
    "her",
    "our",
    "which",
    "who",
    "these",
    "those",
    "is",
    "are",
    "was",
    "were",
    "been",
    "has",
    "have",
    "had",
    "also",
    "et",
    "al",
    "etc",
    // what is attributed
    "product",
    "products",
    "software",
    "code",
    "source",
    "sources",
    "library",
    "libraries",
    "component",
    "components",
    "module",
    "modules",
    "package",
    "packages",
    "project",
    "projects",
    "repository",
    "repositories",
    "account",
    "accounts",
    "table",
    "all",
    "work",
    "works",
    "file",
    "files",
    "portions",
    "portion",
    "part",
    "parts",
    "application",
    "applications",
    "class",
    "classes",
    "function",
    "functions",
    "method",
    "methods",
    "script",
    "scripts",
    "snippet",
    "snippets",
    "plugin",
    "plugins",
    "extension",
    "extensions",
    "implementation",
    "framework",
    "tool",
    "tools",
    "font",
    "fonts",
    "icons",
    "icon",
    "images",
    "image",
    "data",
    "dataset",
    "content",
    "documentation",
    "version",
    "versions",
    // attributing
    "includes",
    "include",
    "including",
    "included",
    "contains",
    "contain",
    "containing",
    "bundles",
    "bundled",
    "incorporates",
    "incorporated",
    "uses",
    "developed",
    "development",
    "written",
    "created",
    "authored",
    "maintained",
    "originally",
    "original",
    "modified",
    "adapted",
    "derived",
    "based",
    "ported",
    "following",
    "listed",
    "below",
    "above",
    "list",
    "see",
    "further",
    "more",
    "information",
    "details",
    "here",
    "available",
    "obtained",
    "found",
    "via",
    "thanks",
    "thank",
    "acknowledgements",
    "acknowledgement",
    "acknowledgments",
    "acknowledgment",
    "credit",
    "credits",
    "attribution",
    "attributions",
    // who holds it
    "copyright",
    "copyrights",
    "notice",
    "notices",
    "holder",
    "holders",
    "owner",
    "owners",
    "author",
    "authors",
    "contributor",
    "contributors",
    "developer",
    "developers",
    "team",
    "foundation",
    "affiliates",
    "respective",
    "other",
    "others",
    "various",
    "third",
    "party",
    "parties",
    "thirdparty",
    "dependencies",
    "dependency",
    "open",
    "c",
    "registered",
    "trademark",
    "trademarks",
    "name",
    "names",
    "inc",
    "ltd",
    "llc",
    "corp",
    "co",
    "plc",
    "gmbh",
    // how a list of works is laid out and where it came from
    "grouped",
    "sorted",
    "ordered",
    "order",
    "alphabetical",
    "alphabetically",
    "type",
    "types",
    "kind",
    "category",
    "categories",
    "each",
    "own",
    "built",
    "pulls",
    "pulled",
    "site",
    "sites",
    "homepage",
    "website",
];

/// Words that speak of terms in any case: a negation, a restriction, a word of granting or of an act on the
/// work, a modal or conditional word, and the stems of withholding, secrecy and permission. A word holding
/// one is never a name and never an attribution.
fn speaks_of_terms(word: &str) -> bool {
    const MORE: &[&str] = &[
        "may",
        "must",
        "shall",
        "should",
        "can",
        "could",
        "will",
        "would",
        "do",
        "does",
        "dont",
        "except",
        "without",
        "unless",
        "if",
        "but",
        "however",
        "provided",
        "subject",
        "require",
        "requires",
        "required",
        "requirement",
        "prior",
        "agreement",
        "agreements",
        "contract",
        "signed",
        "purposes",
        "purpose",
        "evaluation",
        "trial",
        "use",
        "used",
        "using",
        "usage",
        "reuse",
        "employees",
        "employee",
        "staff",
        "members",
        "member",
        "within",
        "outside",
        "release",
        "released",
        "draft",
        "template",
        "example",
        "reserved",
        "rights",
        "right",
        "terms",
        "conditions",
        "licence",
        "license",
        "licensed",
        "licenced",
        "only",
        "sole",
        "solely",
        "exclusive",
        "exclusively",
        "private",
        "privately",
        "sensitive",
        "secret",
        "official",
        "classified",
        "restricted",
        "protected",
        "protect",
        "confidential",
        "proprietary",
        "embargoed",
        "embargo",
        "not",
        "no",
        "non",
        "secret",
        "secrets",
        "sale",
        "sales",
        "sell",
        "sells",
        "selling",
        "sold",
        "rent",
        "rental",
    ];
    const STEMS: &[&str] = &[
        "copy",
        "copie",
        "copyi",
        "distribut",
        "redistribut",
        "reproduc",
        "share",
        "sharing",
        "fork",
        "mirror",
        "publish",
        "publication",
        "disclos",
        "releas",
        "access",
        "modif",
        "reus",
        "forbid",
        "prohibit",
        "restrict",
        "permi",
        "consent",
        "approv",
        "authori",
        "agree",
        "licen",
        "confiden",
        "sensitiv",
        "classif",
        "privat",
        "internal",
        "evaluat",
        "employ",
        "personnel",
        "exclusiv",
        "commercial",
        "noncommercial",
        "proprietar",
        "protect",
        "embargo",
        "unauthori",
        "deriv",
        "transmit",
        "transfer",
        "sublicen",
        "exploit",
        "obtain",
        "allow",
    ];
    let w = word;
    if matches!(
        w,
        "copyright" | "copyrights" | "derived" | "obtained" | "modified" | "adapted"
    ) {
        // "copyright" names the holder's right the notice attributes; "derived from", "a modified version
        // of", "obtained at" say where a work came from, in the past tense of what was done to it.
        return false;
    }
    // The names of bodies and fields ("Government Digital Service", "Institute for Research"), and the
    // "written" of "written by": the words beside them ("use", "only", "purposes", "consent") still speak.
    let a_name_word = matches!(
        w,
        "government" | "governmental" | "research" | "educational" | "academic" | "written"
    );
    NEGATIONS.contains(&w)
        || (RESTRICTIONS.contains(&w) && !a_name_word)
        || GRANT_WORDS.contains(&w)
        || MORE.contains(&w)
        || STEMS.iter().any(|s| w.starts_with(s))
}

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<?(?:https?|ftp)://[^\s<>()\[\]]+>?|<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?|\bwww\.[\w.-]+(?:/\S*)?")
        .expect("url")
});

/// A Markdown link's target, `](…)`: an address, read as a link.
/// `](no url defined)` is the placeholder a licence plug-in writes for a dependency without an address.
static LINK_TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\((?:[^()\s]*|no url defined)\)").expect("link target"));

/// A letter with its combining marks taken off, as a reader reads the word ("Nót" is "Not"); NFKC first.
pub(crate) fn without_marks(text: &str) -> String {
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .nfc()
        .collect()
}

/// The lines of a notice as a person reads them: combining marks off, and a word hyphenated over a line break
/// (a letter, `-` or a soft hyphen at the line's end, a lower-case letter opening the next line) read whole on
/// the line where it starts. Line for line the same lines.
pub(crate) fn as_read(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .split('\n')
        .map(|l| without_marks(l.trim_end_matches('\r')))
        .collect();
    for i in 0..lines.len().saturating_sub(1) {
        let end = lines[i].trim_end();
        let hyphenated = end
            .strip_suffix('-')
            .or_else(|| end.strip_suffix('\u{ad}'))
            .filter(|head| head.chars().last().is_some_and(char::is_alphabetic));
        let Some(head) = hyphenated.map(str::to_string) else {
            continue;
        };
        let next = lines[i + 1].trim_start().to_string();
        if !next.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let cut = next.find(char::is_whitespace).unwrap_or(next.len());
        lines[i] = format!("{head}{}", &next[..cut]);
        lines[i + 1] = next[cut..].to_string();
    }
    lines
}

/// How one token of a line reads.
fn token_harmless(token: &str) -> bool {
    let bare = token.trim_matches(|c: char| !c.is_alphanumeric());
    // A possessive is its noun: "each project's site".
    let bare = bare
        .strip_suffix("'s")
        .or_else(|| bare.strip_suffix("\u{2019}s"))
        .unwrap_or(bare);
    if bare.is_empty() {
        return true;
    }
    let parts: Vec<&str> = bare
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    // An identifier: a version, coordinates, a file name, a package's name in lower case joined by hyphens
    // (`v3.3.7`, `org.slf4j:slf4j-api`, `jquery.min.js`, `2.3.1.RELEASE`, `jackson-databind`).
    if is_identifier(bare) {
        return true;
    }
    if parts.iter().any(|p| speaks_of_terms(&p.to_lowercase())) {
        return false;
    }
    parts.iter().all(|p| {
        ATTRIBUTION.contains(&p.to_lowercase().as_str())
            || p.chars().next().is_some_and(char::is_uppercase)
    })
}

/// Whether a token is an identifier (a version, coordinates, a file name, a package name in lower case
/// joined by hyphens) in which no part withholds. The words of coordinates and version labels that are
/// words of terms elsewhere (`org.example`, `2.3.1.RELEASE`, `spring-data-access`) are names here; a part
/// that negates, restricts, obliges or keeps private ([`withholds_in_a_name`]) never is, so
/// `not-for-redistribution` and `internal-use-only` stay words to read.
fn is_identifier(bare: &str) -> bool {
    let shaped = bare.chars().any(|c| c.is_ascii_digit())
        || bare.contains(['.', ':', '@', '/', '_', '+'])
        || (bare.contains('-')
            && bare
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
    shaped
        && !bare
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .any(|p| withholds_in_a_name(&p.to_lowercase()))
}

/// The words of [`speaks_of_terms`] that still speak inside an identifier: all of them but the few that
/// name things in coordinates and version labels (`example`, `release`, `access`, `share`, `copy`, …).
fn withholds_in_a_name(word: &str) -> bool {
    const NAMES_IN_COORDINATES: &[&str] = &[
        "example",
        "examples",
        "release",
        "releases",
        "template",
        "templates",
        "access",
        "share",
        "shared",
        "mirror",
        "mirrors",
        "copy",
        "fork",
        "publish",
        "publisher",
        "protect",
        "protection",
        "transfer",
        "allow",
        "obtain",
        "use",
        "can",
        "do",
        "will",
        "license",
        "licenses",
        "licence",
        "modify",
    ];
    speaks_of_terms(word) && !NAMES_IN_COORDINATES.contains(&word)
}

/// "their licences", "its licence", "the licence type", "licences": the licences of the works a notice
/// lists, not terms of the notice's own. Read as words of attribution; every word beside them is still read.
static THEIR_LICENCES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:their|its|respective|each)\s+(?:own\s+|respective\s+)?licen[cs]es?|licen[cs]e\s+(?:types?|names?|famil(?:y|ies)|categor(?:y|ies))|licen[cs]es)\b",
    )
    .expect("their licences")
});

/// A list item (`*`, `-`, `+`, `•`, `1.`) naming one component: an identifier or a link beside its name,
/// which may be in lower case ("Caffeine cache", "jquery"); no word in it speaks of terms, and it is short.
fn is_component_item(line: &str) -> bool {
    static ITEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:[*+\-\x{2022}]|\d{1,3}[.)])\s+(?P<rest>.+)$").expect("item")
    });
    let Some(rest) = ITEM.captures(line).and_then(|c| c.name("rest")) else {
        return false;
    };
    let rest = rest.as_str();
    let linked = URL.is_match(rest) || LINK_TARGET.is_match(rest);
    let rest = LINK_TARGET.replace_all(rest, "]");
    let rest = URL.replace_all(&rest, " ");
    let bare = |t: &&str| t.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let tokens: Vec<String> = rest.split_whitespace().map(|t| bare(&t)).collect();
    let identified = tokens.iter().any(|t| is_identifier(t));
    // At most two words of a name in lower case ("cache" of "Caffeine cache"): a sentence is not a name.
    let plain = tokens
        .iter()
        .filter(|t| {
            !t.is_empty()
                && !is_identifier(t)
                && !ATTRIBUTION.contains(&t.to_lowercase().as_str())
                && !t.chars().next().is_some_and(char::is_uppercase)
        })
        .count();
    (linked || identified)
        && tokens.len() <= 12
        && plain <= 2
        && tokens.iter().all(|t| {
            is_identifier(t)
                || !t
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|p| !p.is_empty())
                    .any(|p| speaks_of_terms(&p.to_lowercase()))
        })
}

/// "built using maven", "developed using Java": how a work was made, not what may be done with it.
static MADE_USING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(built|developed|made|written|created|generated|tested|packaged)\s+using\b")
        .expect("made using")
});

/// "can be obtained at", "may be found in": where a work is, not what may be done with it.
static WHERE_FOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:can|may)\s+(?:also\s+)?be\s+(?:obtained|found|downloaded|seen|viewed)\b")
        .expect("where found")
});

/// Whether a line (as read) is an attribution: names, identifiers, links and words of [`ATTRIBUTION`], and
/// nothing that speaks of terms.
pub(crate) fn is_attribution(line: &str) -> bool {
    if is_component_item(line) {
        return true;
    }
    let line = WHERE_FOUND.replace_all(line, " available ");
    let line = MADE_USING.replace_all(&line, "$1 with");
    let line = THEIR_LICENCES.replace_all(&line, " ");
    let line = LINK_TARGET.replace_all(&line, "]");
    let line = URL.replace_all(&line, " ");
    let line = line.replace("&copy;", " ").replace(['©', '®', '™'], " ");
    let tokens: Vec<&str> = line.split_whitespace().collect();
    tokens.iter().enumerate().all(|(i, token)| {
        token_harmless(token) || (i > 0 && a_name_after(tokens[i - 1]) && plain_name(token))
    })
}

/// "built with maven", "developed by northwind", "derived from gizmo": the word after a preposition or verb
/// of attribution is what is attributed, a name even in lower case.
fn a_name_after(token: &str) -> bool {
    let bare = token
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    matches!(
        bare.as_str(),
        "with" | "by" | "from" | "includes" | "bundles" | "contains" | "incorporates" | "via"
    ) && !token.ends_with([',', '.', ';', ':'])
}

/// One word of letters that speaks of no terms: a name written in lower case.
fn plain_name(token: &str) -> bool {
    let bare = token.trim_matches(|c: char| !c.is_alphanumeric());
    !bare.is_empty()
        && bare.chars().all(char::is_alphabetic)
        && !speaks_of_terms(&bare.to_lowercase())
}

/// Whether a line (as read) names a licence for a work and says nothing that negates, restricts, obliges or
/// asks for permission beside it: a scoped claim, weighed as the notice's claims are.
pub(crate) fn is_scoped_claim(line: &str) -> bool {
    const BESIDE_A_NAME: &[&str] = &[
        "may",
        "must",
        "shall",
        "should",
        "can",
        "could",
        "will",
        "would",
        "do",
        "does",
        "except",
        "without",
        "unless",
        "if",
        "but",
        "however",
        "provided",
        "subject",
        "require",
        "requires",
        "required",
        "prior",
        "written",
        "agreement",
        "signed",
        "purposes",
        "evaluation",
        "trial",
        "employees",
        "staff",
        "within",
        "only",
        "sole",
        "solely",
        "exclusively",
        "internal",
        "internally",
        "private",
        "confidential",
        "proprietary",
        "sensitive",
        "secret",
        "official",
        "restricted",
        "reserved",
        "consent",
        "approval",
        "permission",
        "permitted",
        "prohibited",
        "forbidden",
        "draft",
        "template",
        "example",
        "eula",
        "fee",
        "fees",
        "paid",
        "payment",
    ];
    let mentions = reference::mentions(line);
    let Some(first) = mentions.iter().map(|m| m.offset).min() else {
        return false;
    };
    // An identifier's parts (`example.Combiner`, `2.3.1.RELEASE`) are names; one that withholds is no
    // identifier ([`is_identifier`]).
    let withholds_nothing = !line
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !(t.contains(['.', ':', '/', '_']) && is_identifier(t)))
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .any(|w| NEGATIONS.contains(&w.as_str()) || BESIDE_A_NAME.contains(&w.as_str()));
    withholds_nothing && names_only_licences_it_knows(line, first, &mentions)
}

/// From the first licence named to the line's end, every word is a licence's name as read
/// ([`reference::mentions`]), a word of a grant by name ([`CLAIM_WORDS`]), a link, or an attribution's
/// word or name: a word written onto a licence's name ("the Unlicense, Acme variant", "the MIT Licence with
/// the Acme rider") makes the name one keepopen does not know, and the line is residue.
fn names_only_licences_it_knows(
    line: &str,
    first: usize,
    mentions: &[reference::Reference],
) -> bool {
    const CLAIM_WORDS: &[&str] = &[
        "licensed",
        "licenced",
        "license",
        "licence",
        "licenses",
        "licences",
        "under",
        "terms",
        "released",
        "distributed",
        "available",
        "made",
        "covered",
        "governed",
        "dual",
        "either",
        "version",
        "later",
        "any",
        "see",
        "your",
        "option",
        "both",
        "all",
        "published",
        "full",
        "text",
        "same",
        "respectively",
        "copy",
        "located",
        "spdx",
        "identifier",
    ];
    let mut rest = line[first..].to_string();
    let mut named: Vec<(usize, usize)> = mentions
        .iter()
        .filter(|m| m.offset >= first)
        .map(|m| (m.offset - first, m.end - first))
        .filter(|&(_, end)| end <= rest.len())
        .collect();
    named.sort_unstable();
    for (start, end) in named.into_iter().rev() {
        if rest.is_char_boundary(start) && rest.is_char_boundary(end) {
            rest.replace_range(start..end, " ");
        }
    }
    let rest = LINK_TARGET.replace_all(&rest, "]");
    let rest = URL.replace_all(&rest, " ");
    let rest = THEIR_LICENCES.replace_all(&rest, " ");
    rest.split_whitespace().all(|token| {
        let bare = token.trim_matches(|c: char| !c.is_alphanumeric());
        CLAIM_WORDS.contains(&bare.to_lowercase().as_str()) || token_harmless(token)
    })
}

/// The text with every line that has a notice's own harmless shape (an attribution, a scoped claim) left
/// blank, line for line: what the residue accounting must still account for.
pub(crate) fn unattributed(text: &str) -> String {
    let read = as_read(text);
    let seen: Vec<&str> = read.iter().map(String::as_str).collect();
    // A Markdown table's header row is structure; its rows are read as any other line.
    let mut harmless: Vec<bool> = seen
        .iter()
        .enumerate()
        .map(|(i, line)| harmless_sentence(line) || super::is_table_header(&seen, i))
        .collect();
    for (start, end) in wrapped_sentences(&seen) {
        if harmless[start..=end].iter().all(|h| *h) {
            continue;
        }
        // A sentence wrapped over lines is one sentence: it is judged whole, by the same shapes, so a claim
        // whose licence name falls on its last line accounts for the lines that lead to it. Every word of
        // every line is still read, so a withholding word anywhere in it keeps the whole sentence residue.
        let joined = seen[start..=end].join(" ");
        if harmless_sentence(&joined) {
            harmless[start..=end].iter_mut().for_each(|h| *h = true);
        }
    }
    text.split('\n')
        .zip(&harmless)
        .map(|(raw, harmless)| {
            if *harmless {
                String::new()
            } else {
                terms_words_in_lower_case(raw)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether every clause of `text` (its parts between semicolons) is an attribution or a scoped claim:
/// "The boundary data is available under the Open Government Licence v3.0; the grid files are under the
/// BSD 2-Clause License." is two claims, each judged by the same shapes as a line of its own.
fn harmless_sentence(text: &str) -> bool {
    let mut clauses = text.split(';').filter(|c| !c.trim().is_empty()).peekable();
    clauses.peek().is_some() && clauses.all(|c| is_attribution(c) || is_scoped_claim(c))
}

/// The runs of two to four consecutive non-blank lines of prose that make one sentence: each line but the
/// last does not end one (no `.`, `;`, `:`, `!` or `?` at its end) and is no list item or heading.
/// Returns (first, last) line indices.
fn wrapped_sentences(lines: &[&str]) -> Vec<(usize, usize)> {
    let opens_a_block = |l: &str| {
        let t = l.trim_start();
        t.starts_with(['#', '*', '-', '+', '|', '>']) || t.starts_with(|c: char| c.is_ascii_digit())
    };
    let ends_a_sentence = |l: &str| l.trim_end().ends_with(['.', ';', ':', '!', '?']);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut end = i;
        while end + 1 < lines.len()
            && end - i < 3
            && !lines[end].trim().is_empty()
            && !ends_a_sentence(lines[end])
            && !lines[end + 1].trim().is_empty()
            && !opens_a_block(lines[end + 1])
        {
            end += 1;
        }
        if end > i {
            out.push((i, end));
        }
        i = end + 1;
    }
    out
}

/// The line with every word that speaks of terms written in lower case: the residue accounting reads a
/// capitalised word as a name, and no word that speaks of terms is a name in any case ("THE CODE IS FOR
/// NHS STAFF ALONE", "Reserved For Acme Staff" are sentences, not names).
fn terms_words_in_lower_case(line: &str) -> String {
    static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\p{L}+").expect("word"));
    WORD.replace_all(line, |c: &regex::Captures<'_>| {
        let w = &c[0];
        let lower = w.to_lowercase();
        if w != lower && speaks_of_terms(&without_marks(&lower)) {
            lower
        } else {
            w.to_string()
        }
    })
    .into_owned()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_claim_wrapped_over_lines_is_one_sentence_and_a_withholding_word_keeps_it_residue() {
        let wrapped = "The boundary data in data/boundaries is derived from Ordnance Survey data and is available under the\nOpen Government Licence v3.0; the grid files are under the BSD 2-Clause License.\n";
        assert!(
            unattributed(wrapped).trim().is_empty(),
            "{}",
            unattributed(wrapped)
        );
        for withholding in [
            "The boundary data is available to Acme staff only under the\nOpen Government Licence v3.0.\n",
            "The boundary data is available under the Open Government Licence v3.0;\nnot for redistribution.\n",
            "The boundary data is available under the\nOpen Government Licence v3.0; internal use only.\n",
        ] {
            assert!(
                !unattributed(withholding).trim().is_empty(),
                "{withholding}"
            );
        }
    }
    use super::*;

    #[test]
    fn attributions_names_and_lists_are_a_notices_own_shape() {
        for line in [
            "This product includes software developed by",
            "The Northwind Foundation (https://www.northwind.org/).",
            "Portions of this software were developed at Northwind Labs.",
            "# Third-party notices",
            "  * Bootstrap v3.3.7 - https://getbootstrap.com",
            "- org.slf4j:slf4j-api:1.7.24",
            "Copyright 2016-2020 Northwind Ltd and contributors",
            "Crown copyright, Government Digital Service",
            "Thanks to Ada Lovelace <ada@example.org> for the icons.",
            "[Widget](https://example.org/widget) by Jane Doe",
            "Jackson is a trademark of FasterXML.",
            "List of third-party dependencies grouped by their license type",
            "* jackson-databind ([com.example.core:jackson-databind:2.11.0](http://example.org/jackson))",
            "* Caffeine cache ([com.example:caffeine:2.8.1](https://example.org/caffeine))",
            "* spring-boot-starter ([org.example.boot:spring-boot-starter:2.3.1.RELEASE](https://example.org))",
            "The project is built with maven, which pulls in the dependencies below. Their licences are listed",
            "here; see each project's site for the licences of their own dependencies.",
            "Gizmo contains a class which is a modified version of a class from Apache Accumulo:",
            "Gizmo is built using maven. We list its dependencies, and their licenses, below.",
            "* Northwind Common ([org.northwind:northwind-common:3.2.1](no url defined))",
            "Code in this repository created or modified by Northwind GitHub accounts is Crown Copyright.",
        ] {
            assert!(is_attribution(line), "{line}");
        }
    }

    #[test]
    fn no_word_that_withholds_is_a_name_or_an_attribution_in_any_case() {
        for line in [
            "Do not fork or mirror this repository.",
            "OFFICIAL-SENSITIVE: not for public release.",
            "Only employees of Acme may use this software.",
            "This code is provided for evaluation purposes only.",
            "Reuse of this code requires a signed agreement with Acme Digital Ltd.",
            "This work may be used for non-commercial purposes only.",
            "No part of this repository may be reproduced without the prior consent of the owner.",
            "Copying is permitted only within the UK public sector.",
            "Crown copyright. Reproduction prohibited.",
            "REPRODUCTION PROHIBITED",
            "Redistribution Forbidden",
            "For internal Acme use only.",
            "Internal Use Only",
            "Reserved For Acme Staff",
            "Software developed by Acme for its customers under contract",
            "Distribution outside Acme Ltd requires approval.",
            "Confidential",
            "* internal-use-only 1.0",
            "- do-not-redistribute (https://example.org/widget)",
            "* widget-core 1.0 (not for public release)",
            "* Please keep this code inside the department (v1.0)",
            "org.acme:widget-confidential:1.0",
            "Please keep this with yourselves inside the department.",
        ] {
            assert!(!is_attribution(line), "{line}");
        }
    }

    #[test]
    fn a_person_reads_through_combining_marks_and_hyphenation() {
        assert_eq!(
            as_read("No\u{301}t fo\u{301}r redistributio\u{301}n."),
            ["Not for redistribution."]
        );
        assert_eq!(
            as_read("Not for redis-\ntribution. Thanks."),
            ["Not for redistribution.", " Thanks."]
        );
        assert!(!is_attribution(
            &as_read("Sha\u{301}ring Fo\u{301}rbidden")[0]
        ));
    }

    #[test]
    fn a_claim_names_a_licence_and_withholds_nothing_beside_it() {
        assert!(is_scoped_claim(
            "Bootstrap is licensed under the MIT License."
        ));
        assert!(!is_scoped_claim(
            "Bootstrap is licensed under the MIT License for internal use only."
        ));
        assert!(!is_scoped_claim(
            "This work may be used for non-commercial purposes only."
        ));
        assert!(is_scoped_claim(
            "### [Apache Software License 2.0](./licenses/apache_software_license_2.0.txt):"
        ));
        let gaffer = "- example.Combiner is based on Accumulo's Combiner class which is licensed under the Apache 2 license,";
        assert!(is_scoped_claim(gaffer), "{:?}", reference::mentions(gaffer));
        // Words written onto a licence's name make it a licence keepopen does not know.
        for line in [
            "Parts are licensed under the MIT License, Acme variant.",
            "Parts are licensed under the MIT License with the Acme rider.",
            "Parts are licensed under the Apache License 2.0 as amended by Acme.",
        ] {
            assert!(!is_scoped_claim(line), "{line}");
        }
    }
}
