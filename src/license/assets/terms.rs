//! Classing an asset's own words: withholding terms, open grants, licences named, linked or offered as a choice.

use std::sync::LazyLock;

use regex::Regex;

use super::Terms;
use crate::license::reference;

/// Words that withhold: copying, distribution, use or modification refused, or limited to someone.
static WITHHOLDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:may|must|shall|can|will)\s*(?:not|n[o'’]t)\s+(?:be\s+)?(?:(?:\w+ly|otherwise|further|in\s+any\s+(?:way|form))\s+)?
            (?:cop(?:y|ied)|distribut|redistribut|reproduc|modif|alter|sold|sell|resold|resell|embed|sub-?licen|transfer|shar|lend|rent|publish|post|upload|convert|disassembl|decompil)
        | \bnot\s+(?:for|to\s+be)\s+(?:re-?)?(?:distribut|publi|circulat|shar|cop)
        | \b(?:do|does)\s*(?:not|n[o'’]t)\s+(?:copy|distribute|redistribute|reproduce|share|publish|sell)
        | \bno\s+(?:part|copy|copies|reproduction|redistribution)\b[^.]{0,60}?\b(?:may|shall|can|is\s+permitted|are\s+permitted|allowed)
        | \bconfidential | \bproprietary\s+(?:and|&)\s+confidential
        | \bproprietary\s+(?:software|information|font|typeface|material|rights|licen[cs]e|to)\b | \bis\s+proprietary\b
        | \brestricted\s+(?:use|distribution|licen[cs]e)
        | \brights[\s-]*managed | \b(?:RM|royalty[\s-]free)\s+licen[cs]e
        | \b(?:non[\s-]?)?exclusive(?:ly)?\s+(?:use|for|licen[cs]e)
        | \bfor\s+(?:the\s+)?(?:exclusive|sole|internal|personal|private|non-?commercial|editorial)\s+use
        | \b(?:internal|personal|editorial|evaluation|trial)\s+use\s+only
        | \b(?:is|are)\s+(?:strictly\s+)?(?:prohibited|forbidden)
        | \b(?:distribution|redistribution|copying|reproduction|use|modification|resale)\s+(?:of\s+(?:\w+\s+){1,3})?(?:is|are)\s+not\s+(?:permitted|allowed)
        | \bwithout\s+(?:the\s+)?(?:prior\s+)?(?:express\s+)?(?:written\s+)?(?:permission|consent|authori[sz]ation|licen[cs]e)
        | \blicen[cs]ed\s+(?:exclusively\s+|only\s+)?to\s+(?:the\s+)?(?-i:[A-Z])
        | \bunder\s+licen[cs]e\s+from
        | \bcommercial\s+licen[cs]e
        | \bpurchas(?:e|ed|ing)\s+(?:an?\s+|the\s+|your\s+own\s+)?(?:\w+\s+)?(?:licen[cs]e|copy|copies|seats?|subscription|rights)
        | \b(?:is|are|be|been)\s+purchased | \bpurchased\s+(?:from|by|under|through)
        | \b(?:trial|evaluation|demo)\s+(?:version|copy|font|licen[cs]e)
        | \bnon[\s-]?commercial\s+(?:use|purposes?)\s+only | \bfor\s+non[\s-]?commercial\s+purposes | \bno\s+derivatives?\s+(?:works?\s+)?(?:may|are|allowed|permitted) | \bNC[\s-]ND\b | \bBY[\s-]NC\b
        | \bmay\s+(?:only\s+)?be\s+(?:reproduced|copied|used|distributed|re-?used)\b[^.]{0,120}?\bfor\s+(?:(?:non-?commercial\s+)?research|private\s+study|internal\s+(?:circulation|purposes)|personal\s+use|educational\s+purposes)
        | \bpermission\s+(?:is\s+)?(?:required|needed)
        | \bmust\s+(?:be\s+)?(?:licen[cs]ed|purchased|obtained)
        | \bstock\s+(?:photo|image|footage)
        ",
    )
    .expect("withholding pattern")
});

/// Sentences of open licences that read like withholding to [`WITHHOLDING`] but are part of the licence's
/// standard text: removed before the withholding test, and only when the licence they belong to is named.
static OPEN_BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        you\s+may\s+not\s+use\s+this\s+file\s+except\s+in\s+compliance\s+with\s+the\s+licen[cs]e
        | (?:may\s+)?not\s+be\s+used\s+to\s+(?:endorse\s+or\s+)?promote\s+products\s+derived\s+from\s+this\s+software\s+without\s+specific\s+prior\s+written\s+permission
        | without\s+specific\s+prior\s+written\s+permission
        | must\s+not\s+be\s+distributed\s+under\s+any\s+other\s+licen[cs]e
        | licensed\s+to\s+the\s+apache\s+software\s+foundation\s+\(ASF\)\s+under\s+one\s+or\s+more\s+contributor\s+license\s+agreements
        | the\s+font\s+software\s+may\s+be\s+sold\s+as\s+part\s+of\s+a\s+larger\s+software\s+package\s+but\s+no\s+copy\s+of\s+one\s+or\s+more\s+of\s+the\s+font\s+software\s+typefaces\s+may\s+be\s+sold\s+by\s+itself
        | (?:shall|must)\s+not\s+be\s+used\s+in\s+advertising\s+or\s+otherwise\s+to\s+promote\s+the\s+sale[^.]*
        ",
    )
    .expect("boilerplate pattern")
});

/// Grant sentences and names of open licences the shared reference table does not know (font licences, the
/// canonical first sentences of common permissive texts), with the id each stands for.
static OPEN_GRANTS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    let r = |p: &str| Regex::new(p).expect("grant pattern");
    vec![
        (
            r(
                r"(?i)\bSIL\s+Open\s+Font\s+Licen[cs]e|\bOpen\s+Font\s+Licen[cs]e\b|\bOFL[\s-]?(?:v?1\.1)?\b|openfontlicense\.org|scripts\.sil\.org/OFL",
            ),
            "OFL-1.1",
        ),
        (
            r(
                r"(?i)\bUbuntu\s+Font\s+Licen[cs]e|ubuntu\.com/legal/terms-and-policies/font-licen[cs]e",
            ),
            "Ubuntu-font-1.0",
        ),
        (
            r(r"(?i)\bBitstream\s+Vera\b[^.]{0,40}\blicen[cs]e|dejavu-fonts\.org/wiki/Licen[cs]e"),
            "Bitstream-Vera",
        ),
        (
            r(
                r"(?i)permission\s+is\s+hereby\s+granted,?\s+free\s+of\s+charge,?\s+to\s+any\s+person",
            ),
            "MIT",
        ),
        (
            r(
                r"(?i)redistribution\s+and\s+use\s+(?:of\s+this\s+software\s+)?in\s+source\s+and\s+binary\s+forms,?\s+with\s+or\s+without\s+modification,?\s+are\s+permitted",
            ),
            "BSD-3-Clause",
        ),
        (
            r(
                r"(?i)permission\s+to\s+use,\s+copy,\s+modify,\s+and(?:/or)?\s+distribute\s+this\s+software\s+for\s+any\s+purpose",
            ),
            "ISC",
        ),
        (
            r(
                r"(?i)licensed\s+under\s+the\s+apache\s+licen[cs]e|apache\.org/licenses/LICENSE-2\.0",
            ),
            "Apache-2.0",
        ),
        (
            r(
                r"(?i)this\s+(?:program|library|file)\s+is\s+free\s+software;?\s+you\s+can\s+redistribute\s+it",
            ),
            "LicenseRef-GNU-family",
        ),
        (
            r(r"(?i)subject\s+to\s+the\s+terms\s+of\s+the\s+Mozilla\s+Public\s+License"),
            "MPL-2.0",
        ),
        (
            r(
                r"(?i)permission\s+is\s+granted\s+to\s+anyone\s+to\s+use\s+this\s+software\s+for\s+any\s+purpose",
            ),
            "Zlib",
        ),
        (
            r(r"(?i)jquery\.org/licen[cs]e|js\.foundation/licen[cs]e|openjsf\.org/licen[cs]e"),
            "MIT",
        ),
        (
            r(r"(?i)opensource\.org/licenses/(?:MIT|mit-license)"),
            "MIT",
        ),
        (
            r(r"(?i)\b(?:dedicated\s+to|released\s+into|placed\s+in)\s+the\s+public\s+domain\b"),
            "LicenseRef-public-domain",
        ),
    ]
});

/// A licence named by a word after "licensed", "released under", ":license:" or before "licensed" ("Licensed
/// MIT", "MIT Licensed", ":license: BSD"): the name is looked up in the SPDX list, exactly or loosely.
static LICENSED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:licen[cs]ed|released|distributed)\s+(?:freely\s+)?(?:under\s+)?(?:the\s+)?(?:terms\s+of\s+the\s+)?
            (?P<a>[A-Za-z][A-Za-z0-9.+\-]*(?:\s+v?\d[\d.]*)?)
        | \b(?P<b>MIT|BSD|ISC|Apache(?:\s+v?2(?:\.0)?)?|MPL(?:\s+v?2(?:\.0)?)?|WTFPL|Unlicense)[\s-]+licen[cs]ed\b
        | (?::licen[cs]e:|\blicen[cs]e\s*[:\x{2013}\x{2014}-]?)\s*(?P<c>[A-Za-z][A-Za-z0-9.+\-]*(?:\s+v?\d[\d.]*)?)
        ",
    )
    .expect("licensed-name pattern")
});

/// The open licence a word names, if it names one, read through the licence-name vocabulary every other claim
/// goes through ([`crate::license::manifest::license_from_name`]). A bare "BSD" (the vocabulary cannot tell 2-clause from
/// 3-clause) is read as BSD-3-Clause for an asset's terms: both are open, and the 3-clause conditions include
/// the 2-clause ones.
fn open_named(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches(['.', ',', ')', ':']);
    let mapped = crate::license::manifest::license_from_name(name)
        .expression
        .or_else(|| {
            let lower = name.to_ascii_lowercase();
            matches!(lower.as_str(), "bsd" | "bsd license" | "bsd licence")
                .then(|| "BSD-3-Clause".to_string())
        })?;
    all_open(&mapped).then_some(mapped)
}

/// Whether every licence of an SPDX expression is open (an AND needs each; so does an OR read here, which keeps
/// only the options that were read).
fn all_open(expression: &str) -> bool {
    match spdx::Expression::parse_mode(expression, spdx::ParseMode::LAX) {
        Ok(parsed) => {
            let ids: Vec<String> = parsed
                .requirements()
                .map(|r| r.req.license.to_string())
                .collect();
            !ids.is_empty() && ids.iter().all(|id| is_open_id(id))
        }
        Err(_) => is_open_id(expression),
    }
}

/// Licences named as a choice in a header's own words: "Dual MIT/BSD license", "MIT/GPL licensed",
/// "dual licensed under MIT or GPL-2.0". Each option goes through the vocabulary; the options that are read and
/// open make the choice (a recipient may take any one).
static CHOICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?P<a>[A-Za-z][A-Za-z0-9.+\-]*(?:\s*/\s*[A-Za-z][A-Za-z0-9.+\-]*)+)[\s-]+licen[cs](?:e[ds]?|ing)\b
        | \bdual[\s-]+licen[cs]ed\s+(?:under\s+)?(?:the\s+)?(?P<b>[A-Za-z][A-Za-z0-9.+\-]*(?:\s+v?\d[\d.]*)?\s+(?:or|and|/)\s+(?:the\s+)?[A-Za-z][A-Za-z0-9.+\-]*(?:\s+v?\d[\d.]*)?)
        ",
    )
    .expect("choice pattern")
});

static CHOICE_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*/\s*|\s+(?:or|and)\s+(?:the\s+)?").expect("split pattern")
});

/// The open licences a header offers as a choice: an `OR` expression of the options read.
pub(super) fn open_choice(text: &str) -> Option<String> {
    for caps in CHOICE.captures_iter(text) {
        let Some(m) = caps.name("a").or(caps.name("b")) else {
            continue;
        };
        // Every option must be read and open: "BSD/commercial licence" offers a choice, but one whose other
        // option is not a licence the vocabulary reads is for a person.
        let options: Option<Vec<String>> = CHOICE_SPLIT.split(m.as_str()).map(open_named).collect();
        if let Some(mut options) = options.filter(|o| !o.is_empty()) {
            options.dedup();
            return Some(options.join(" OR "));
        }
    }
    None
}

/// URLs of licences in a header, read through the vocabulary's URL table
/// ([`crate::license::manifest::license_from_url`]): a link to a known licence is a claim; a link to a project's own
/// licence page (`datatables.net/license`) is a pointer, not a licence, and reads as nothing.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:https?://)?(?:www\.)?[a-z0-9.\-]+\.[a-z]{2,}/[^\s"'<>)*|]*"#)
        .expect("url pattern")
});

fn open_url(text: &str) -> Option<String> {
    URL.find_iter(text).find_map(|m| {
        let url = m.as_str().trim_end_matches(['.', ',', ';']);
        let id = crate::license::manifest::license_from_url(url).expression?;
        all_open(&id).then_some(id)
    })
}

/// The words of a comment block as written, without its decoration: the `/*`, `*/`, leading `*`, `//`, `#`
/// and `<!--` `-->` of each line, so that a sentence wrapped over decorated lines reads as one.
pub fn comment_words(block: &str) -> String {
    block
        .lines()
        .map(|line| {
            let mut l = line.trim();
            for open in ["/**", "/*!", "/*", "<!--", "//!", "///", "//", "#"] {
                if let Some(rest) = l.strip_prefix(open) {
                    l = rest;
                    break;
                }
            }
            let l = l.trim_end();
            let l = l
                .strip_suffix("*/")
                .or_else(|| l.strip_suffix("-->"))
                .unwrap_or(l);
            l.trim_start().trim_start_matches('*').trim().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

static SPDX_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:SPDX-License-Identifier|@licen[cs]e)\s*:?\s*([A-Za-z0-9.+\-() ]+?)(?:\s*\*/|\s*$|\s*[|,;\n])")
        .expect("spdx tag pattern")
});

/// Whether a licence id is open enough for a bundled asset to travel with the repository: OSI-approved or
/// FSF free, or one of the open content and font licences the SPDX flags leave out. Non-commercial and
/// no-derivatives licences are not.
pub fn is_open_id(id: &str) -> bool {
    let upper = id.to_ascii_uppercase();
    if upper.contains("-NC") || upper.contains("-ND") {
        return false;
    }
    if upper.starts_with("OGL-UK-")
        || upper.starts_with("CC-BY-")
        || upper.starts_with("CC0")
        || upper.starts_with("OFL-")
        || matches!(
            id,
            "Bitstream-Vera"
                | "Ubuntu-font-1.0"
                | "LicenseRef-GNU-family"
                | "LicenseRef-public-domain"
        )
    {
        return true;
    }
    let bare = id.trim_end_matches('+');
    spdx::license_id(bare).is_some_and(|l| l.is_osi_approved() || l.is_fsf_free_libre())
}

/// The first open licence a text names, links, tags or quotes the grant of.
pub fn open_grant(text: &str) -> Option<String> {
    for caps in SPDX_TAG.captures_iter(text) {
        let expr = caps[1].trim();
        if let Ok(parsed) = spdx::Expression::parse_mode(expr, spdx::ParseMode::LAX) {
            let ids: Vec<String> = parsed
                .requirements()
                .map(|r| r.req.license.to_string())
                .collect();
            if !ids.is_empty() && ids.iter().all(|id| is_open_id(id)) {
                return Some(ids.join(" AND "));
            }
        }
    }
    for (re, id) in OPEN_GRANTS.iter() {
        if re.is_match(text) {
            return Some((*id).to_string());
        }
    }
    for caps in LICENSED_NAME.captures_iter(text) {
        if let Some(id) = caps
            .name("a")
            .or(caps.name("b"))
            .or(caps.name("c"))
            .and_then(|m| open_named(m.as_str()))
        {
            return Some(id);
        }
    }
    if let Some(choice) = open_choice(text) {
        return Some(choice);
    }
    if let Some(id) = open_url(text) {
        return Some(id);
    }
    reference::references(text)
        .into_iter()
        .map(|r| r.id)
        .find(|id| is_open_id(id))
}

/// The first withholding term of a text, open licences' own standard sentences aside.
pub fn withholding_term(text: &str) -> Option<String> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = OPEN_BOILERPLATE.replace_all(&flat, " ");
    WITHHOLDING
        .find_iter(&cleaned)
        // "non-exclusive licence" grants; "exclusive licence" withholds.
        .find(|m| {
            let after = cleaned[m.end()..].trim_start().to_ascii_lowercase();
            !m.as_str().to_ascii_lowercase().starts_with("non")
                // A licence's own "use that could be made without permission under this licence".
                && !(m.as_str().to_ascii_lowercase().contains("without")
                    && (after.starts_with("under ") || after.starts_with(',')))
        })
        .map(|m| excerpt_around(&cleaned, m.start(), m.end()))
}

/// The licence id of a notice that permits copies and distribution of a document as it is, and withholds only
/// its modification: no-derivatives terms (`policy::class`, class `no-derivatives`), which republication meets
/// by pushing history unchanged.
pub const VERBATIM_COPIES_ID: &str = "LicenseRef-verbatim-copies-only";

/// A grant to copy and to pass the copies on: "may be copied and furnished to others", "may be reproduced and
/// distributed", "permission to copy and distribute".
static VERBATIM_GRANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:may|can)\s+be\s+(?:freely\s+)?(?:copied|reproduced)\b[^.;]{0,120}?\b(?:distributed|redistributed|published|furnished\s+to\s+others)\b
        | \bpermission\s+(?:is\s+(?:hereby\s+)?granted\s+)?to\s+(?:use,?\s+)?(?:copy|reproduce)\b[^.;]{0,80}?\b(?:distribute|redistribute|publish)\b
        ",
    )
    .expect("verbatim grant pattern")
});

/// A withholding term that withholds modification alone ("may not be modified in any way", "must not be
/// altered").
static MODIFICATION_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:may|must|shall|can|will)\s*(?:not|n[o'’]t)\s+(?:be\s+)?(?:(?:\w+ly|otherwise|further|in\s+any\s+(?:way|form))\s+)?(?:modif|alter)")
        .expect("modification pattern")
});

/// Words that limit a grant to a purpose or to some people: "only", "for internal purposes", "for research".
static LIMITED_GRANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bonly\b|\bsolely\b|\bexclusive|\bfor\s+(?:the\s+)?(?:purposes?\s+of|internal|personal|private|non-?commercial|research|educational|evaluation|study)\b|\bwithin\s+(?:the\s+|your\s+)?(?:organi[sz]ation|company|department)|\bmembers\b")
        .expect("limited grant pattern")
});

/// The withholding terms of a text, open licences' own standard sentences aside (as [`withholding_term`]
/// finds the first).
fn withholding_matches(text: &str) -> (String, Vec<(usize, usize)>) {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = OPEN_BOILERPLATE.replace_all(&flat, " ").into_owned();
    let found = WITHHOLDING
        .find_iter(&cleaned)
        .filter(|m| {
            let after = cleaned[m.end()..].trim_start().to_ascii_lowercase();
            !m.as_str().to_ascii_lowercase().starts_with("non")
                && !(m.as_str().to_ascii_lowercase().contains("without")
                    && (after.starts_with("under ") || after.starts_with(',')))
        })
        .map(|m| (m.start(), m.end()))
        .collect();
    (cleaned, found)
}

/// Whether a text withholds anything but modification (none withheld counts as nothing beyond it).
pub fn withholds_beyond_modification(text: &str) -> bool {
    let (cleaned, found) = withholding_matches(text);
    found
        .iter()
        .any(|&(a, b)| !MODIFICATION_ONLY.is_match(&cleaned[a..b]))
}

/// No-derivatives terms: the text grants copying and distribution of the document as it is, without limit
/// of purpose or recipient, and its only withholding terms withhold modification. Returns the grant and the
/// withholding, quoted.
///
/// The invariant (where [`super::banners`] decides a notice's terms): a notice is read as no-derivatives
/// only when **every** withholding term it holds is one of modification; a single term that withholds
/// copying, distribution, sale or use, or limits them to a purpose or to someone, leaves it restrictive. A
/// grant sentence that carries a limiting word ("only", "for internal purposes", "members") is no grant here.
/// Misuse: a notice whose withholding is phrased so the pattern does not see it as withholding at all was
/// never restrictive to begin with; this only ever turns *restrictive* into *no-derivatives*, never
/// *unknown* into anything.
pub fn verbatim_copies(text: &str) -> Option<String> {
    let (cleaned, found) = withholding_matches(text);
    let (&(first_start, first_end), _) = found.split_first()?;
    if found
        .iter()
        .any(|&(a, b)| !MODIFICATION_ONLY.is_match(&cleaned[a..b]))
    {
        return None;
    }
    let grant = VERBATIM_GRANT.find(&cleaned)?;
    // The grant's whole sentence must be free of limits.
    let sentence_end = cleaned[grant.start()..]
        .find(". ")
        .map(|i| grant.start() + i)
        .unwrap_or(cleaned.len());
    let sentence_start = cleaned[..grant.start()]
        .rfind(". ")
        .map(|i| i + 2)
        .unwrap_or(0);
    if LIMITED_GRANT.is_match(&cleaned[sentence_start..sentence_end]) {
        return None;
    }
    Some(format!(
        "copies permitted (\"{}\") and modification withheld: {}",
        short(grant.as_str(), 100),
        excerpt_around(&cleaned, first_start, first_end)
    ))
}

/// Terms from what an asset says: withholding wins over any licence named beside it.
pub fn class_terms(text: &str) -> (Terms, String) {
    if let Some(term) = withholding_term(text) {
        return (Terms::Restrictive, term);
    }
    match open_grant(text) {
        Some(id) => (Terms::Open(id.clone()), format!("names {id}")),
        None => (Terms::Unknown, String::new()),
    }
}

fn excerpt_around(text: &str, start: usize, end: usize) -> String {
    let from = floor_boundary(text, start.saturating_sub(60));
    let to = ceil_boundary(text, (end + 60).min(text.len()));
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(text[from..to].trim());
    if to < text.len() {
        out.push('…');
    }
    out
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

pub(super) fn short(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.len() <= max {
        s
    } else {
        format!("{}…", &s[..floor_boundary(&s, max)])
    }
}

pub(super) fn push_unique(v: &mut Vec<String>, s: String) {
    let s = s.trim().to_string();
    if !s.is_empty() && !v.contains(&s) {
        v.push(s);
    }
}
