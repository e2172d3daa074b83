//! The grammar of a sentence that withholds the work: the one place its vocabulary lives, read by the search of
//! every prose text of every pushed ref ([`crate::license::statements`]).
//!
//! # The invariant
//!
//! A sentence withholds only when it speaks of **the work itself**. It is one of:
//!
//! - an **operator** governing an **act** whose subject or object is a **reference to the work**. The operators
//!   are normative negations ("must not", "may not", "shall not", "cannot", "is not to", an imperative "do not"
//!   or "never" at the head of a sentence or after "you"), prohibitions ("[act] of [work] is prohibited /
//!   forbidden / not permitted", "it is prohibited to [act] [work]"), restrictions ("only [party] may [act]
//!   [work]", "[work] may be [acted] only by/for [party or purpose]") and conditions of consent ("[act] of
//!   [work] requires the consent of …", "permission is required to [act] [work]", "[work] may not be [acted]
//!   without permission"). The acts are those of copying (copy, share, fork, mirror, clone, publish, release,
//!   reproduce, redistribute, distribute, disclose, circulate, transmit, sell, sublicense, reuse, make public);
//!   an act of use withholds only with a restriction to a party or a purpose ("outside Acme", "for commercial
//!   purposes", "without permission"): "must not be used in production" is handling advice. The operator must
//!   govern the act by the clause's structure: the act is the operator's own verb (or a list of verbs joined by
//!   "or", "and", commas), and the work is the act's passive subject (before the operator) or its object
//!   (directly after the act). "This work does not introduce support for publishing courses" governs no act.
//! - a reference to the work is a deictic or possessive noun phrase: "this", "these", "the present" or "our"
//!   with a noun of [`WORK_NOUNS`] ("this repository", "these materials", "our code"), possibly inside a
//!   part-of phrase ("any part of this repository", "the code in this repository", "copies of this software"),
//!   or a capitalised defined term ("the Software", "the Work", "the Information"). Anything else — your
//!   password, the cache, them, personal data, cookies, the service, an unqualified "the data" — is not the
//!   work, and a sentence about it withholds nothing (nor does a noun phrase of the work whose words name a
//!   thing that is never the work: "this API key file").
//! - a **verbless fragment** with no subject ("Not for redistribution.", "For internal Acme use only.",
//!   "Internal use only.", "Redistribution prohibited."): it speaks of the file it is written in. The same
//!   fragment after a reference to the work ("this code is for internal use only") withholds; after any other
//!   subject ("the API is for internal use only") it does not.
//! - the work **called confidential or proprietary**, lent, the property of someone, or kept in confidence
//!   ("this repository is confidential", "this document contains proprietary and confidential information").
//! - a **protective marking** standing alone on its line ("OFFICIAL-SENSITIVE", "COMMERCIAL IN CONFIDENCE":
//!   [`is_marking`]).
//!
//! A sentence that speaks of a licence's own terms ("except in compliance with the License", an endorsement or
//! trade mark clause, a warranty) is the licence reading's, not this one.
//!
//! # Limits
//!
//! Fail closed where the work is named: any noun phrase of the work's shape is the work, even when a human
//! would read it as a copy of someone else's ("our copy of the vendor's code"). What is not caught: a
//! withholding whose only reference to the work is a pronoun or an unqualified noun ("it must not be shared",
//! "the code must not be shared" — unless the sentence is a fragment), a restriction in a language other than
//! English. Every relaxation here has a test that the dangerous side still withholds (`tests` below, the
//! generated work × operator × act properties, and `tests/it/statements.rs`).

use std::sync::LazyLock;

use regex::Regex;

/// Acts of copying the work, as verbs in any form: any operator governing one withholds.
const COPY_VERBS: &str = r"(?:re-?)?distribut(?:e|es|ed|ing)|cop(?:y|ies|ying|ied)|reproduc(?:e|es|ed|ing)|(?:re-?)?publish(?:es|ed|ing)?|shar(?:e|ed|es|ing)|re-?us(?:e|ed|es|ing)|sell(?:s|ing)?|sold|resell(?:s|ing)?|resold|disclos(?:e|es|ed|ing)|fork(?:s|ed|ing)?|mirror(?:s|ed|ing)?|clon(?:e|ed|es|ing)|circulat(?:e|es|ed|ing)|transmit(?:s|ted|ting)?|(?:re-?)?releas(?:e|es|ed|ing)|pass(?:ed)?\s+on|(?:made|make|making)\s+(?:public|publicly\s+available|available)|upload(?:s|ed|ing)?|post(?:s|ed|ing)?\s+online|lend|lent|rent(?:s|ed)?";

/// Acts of using the work: they withhold only with a restriction to a party or a purpose.
const USE_VERBS: &str = r"us(?:e|ed|es|ing)|access(?:ed|es|ing)?|run(?:s|ning)?|install(?:s|ed|ing)?|deploy(?:s|ed|ing)?|exploit(?:s|ed|ing)?";

/// The same acts as nouns ("redistribution of this code").
const COPY_NOUNS: &str = r"(?:re-?)?distribution|copying|copies|reproduction|(?:re-?)?publication|(?:re-?)?publishing|sharing|re-?use|sale|resale|selling|disclosure|forking|mirroring|cloning|circulation|transmission|(?:re-?)?release";
const USE_NOUNS: &str = r"use|usage|access|exploitation|deployment";

/// The nouns that name the work after a determiner of it ("this repository", "these materials").
pub const WORK_NOUNS: &str = r"repository|repositories|repo|repos|code|codebase|code\s+base|source(?:\s+code)?|software|project|projects|work|works|materials?|files?|documents?|documentation|contents?|data|dataset|datasets|data\s+set|library|libraries|package|packages|programs?|programmes?|products?|notebooks?";

/// The capitalised defined terms a licence-like text uses for the work ("the Software", "the Work").
const DEFINED_TERMS: &str = r"Software|Work|Works|Information|Materials?|Code|Source\s+Code|Data|Dataset|Content|Contents|Documentation|Documents?|Product|Program|Programme|Project|Repository|Package|Library|Files?|Deliverables?";

/// A reference to the work: a deictic or possessive noun phrase, inside an optional part-of phrase.
fn work_np() -> String {
    format!(
        r"(?:(?:(?:any|all|every|no|each|the|a|your|their)\s+)?(?:[\w-]+\s+){{0,2}}?(?:of|in|from|within|contained\s+in)\s+)?(?:(?:this|these|the\s+present|our)\s+(?:[\w-]+\s+){{0,2}}?(?:{WORK_NOUNS})|(?-i:[Tt]he\s+(?:[A-Z][\w-]*\s+)?(?:{DEFINED_TERMS})))\b"
    )
}

/// A list of verbs joined by commas, "or", "and", "nor" ("copied, modified or distributed").
fn verb_list() -> String {
    r"(?:[\w-]+(?:\s+(?:on|out|up|publicly|available|public)\b)?)(?:(?:\s*,\s*(?:or\s+|and\s+|and/or\s+)?|\s+(?:or|and|nor|and/or)\s+)(?:[\w-]+(?:\s+(?:on|out|up|publicly|available|public)\b)?)){0,5}".to_owned()
}

/// Negating modals: a rule, never a description ("will not", "does not" describe).
const NEG_MODAL: &str = r"(?:must|may|shall|should)\s*(?:not|n[o'’]t)|(?:must|may|shall|should)\s+never|cannot|can\s+not|can[’']t|mustn[’']t|shan[’']t|shouldn[’']t|(?:is|are)\s+(?:not|never)\s+to";

/// Positive modals that withhold only with "only" and a party or purpose ("may be used for research only").
const ONLY_MODAL: &str = r"(?:may|can|must|shall|is\s+to|are\s+to)(?:\s+only)?";

/// An imperative negation at a sentence's head (after "please", "you", "users", "note:"), or "not to" after a
/// verb of agreement.
const NEG_IMPERATIVE: &str = r"(?:^\W*(?:(?:note|important|warning|notice|please\s+note)\W+)?(?:please\s+)?(?:(?:you|users?|readers?|recipients?|contributors?|staff|anyone|everyone|visitors?)\s+)?(?:do\s*(?:not|n[o'’]t)|don[’']t|never|please\s+do\s+not))|(?:agree|undertake|promise|required|asked)\s+not\s+to|(?:it\s+is\s+|are\s+|is\s+)?(?:strictly\s+|expressly\s+)?(?:prohibited|forbidden|not\s+(?:permitted|allowed|authori[sz]ed))\s+to|no\s+(?:one|person|party|organi[sz]ation|user)\s+(?:may|shall|can)";

/// A prohibition after an act named as a noun ("redistribution … is prohibited").
const PROHIBITED: &str = r"(?:(?:is|are|be|being)\s+)?(?:strictly\s+|expressly\s+|absolutely\s+)?(?:prohibited|forbidden|not\s+(?:permitted|allowed|authori[sz]ed)|disallowed|banned|restricted\s+to)";

/// A condition of consent.
const CONSENT: &str =
    r"(?:permission|consent|agreement|authori[sz]ation|approval|licen[cs]e|contract)";

static PATTERNS: LazyLock<Patterns> = LazyLock::new(Patterns::new);

struct Patterns {
    work: Regex,
    /// [work] … [neg modal | only modal] (be) [acts]: the work is the act's subject.
    subject_act: Regex,
    /// [operator] [acts] [work]: the work is the act's object.
    object_act: Regex,
    /// [act nouns] of [work] … prohibited / requires consent.
    noun_act: Regex,
    /// A fragment: an act noun with no object, prohibited ("Redistribution prohibited.").
    bare_noun_act: Regex,
    /// consent required to [act] [work].
    consent_first: Regex,
    /// "only [party] may [act] [work]".
    only_party: Regex,
    /// The verbless fragments.
    fragment: Regex,
    /// [work] (is|are) (…) [fragment]: the fragment with the work as its subject.
    work_fragment: Regex,
    /// The work confidential, proprietary, lent, someone's property.
    kept: Regex,
    copy_verb: Regex,
    use_verb: Regex,
    copy_noun: Regex,
    use_noun: Regex,
    restriction: Regex,
    not_the_work: Regex,
    licence_terms: Regex,
    marking: Regex,
}

impl Patterns {
    fn new() -> Patterns {
        let work = work_np();
        let verbs = verb_list();
        fn re(pattern: impl AsRef<str>) -> Regex {
            Regex::new(pattern.as_ref()).unwrap_or_else(|e| panic!("{e}"))
        }
        // The words between the work and its operator: the same clause (no relative or subordinate word).
        let gap = r"(?P<gap>(?:\s+[\w'’()/-]+,?){0,8}?)";
        Patterns {
            work: re(format!(r"(?i)\b{work}")),
            subject_act: re(format!(
                r"(?i)\b(?P<work>{work}){gap}\s+(?P<op>{NEG_MODAL}|{ONLY_MODAL}|(?:is|are)\s+(?:only\s+)?(?:permitted|allowed|licen[cs]ed|authori[sz]ed)\s+(?:to\s+be\s+)?(?:only\s+)?)\s+(?:(?:only|ever|be|further|publicly|otherwise|in\s+any\s+way|either|wholly|partly|be\s+\w+ly)\s+){{0,3}}(?P<acts>{verbs})(?P<rest>[^.;!?]*)"
            )),
            object_act: re(format!(
                r"(?i)(?P<op>(?:\b{NEG_MODAL}|{NEG_IMPERATIVE}|\b(?:may|can|must|shall)\s+only))\s+(?:(?:only|ever|further|publicly|otherwise|in\s+any\s+way|either|attempt\s+to|try\s+to|seek\s+to|be\s+used\s+to|help\s+(?:anyone\s+)?)\s*){{0,2}}(?P<acts>{verbs})\s+(?P<gap>(?:[\w'’-]+\s+){{0,3}}?)(?P<work>{work})(?P<rest>[^.;!?]*)"
            )),
            noun_act: re(format!(
                r"(?i)\b(?P<acts>(?:{COPY_NOUNS}|{USE_NOUNS})(?:(?:\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and|and/or)\s+)[\w-]+){{0,5}})\s+(?:of|from)\s+(?:(?:[\w-]+\s+){{0,3}}?(?:of|in|from)\s+)?(?P<work>{work})(?P<rest>[^.;!?]*?)(?P<op>\b{PROHIBITED}|\b(?:requires?|is\s+subject\s+to|needs?|only\s+with|must\s+be\s+agreed)\b[^.;!?]{{0,40}}?\b{CONSENT}\b|\b(?:is|are)\s+(?:only\s+)?(?:permitted|allowed)\b[^.;!?]*\bonly\b)"
            )),
            bare_noun_act: re(format!(
                r"(?i)^\W*(?:(?:any|all|further|unauthori[sz]ed|public|onward|commercial|external|wider)\s+){{0,2}}(?P<acts>(?:{COPY_NOUNS}|{USE_NOUNS})(?:(?:\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and|and/or)\s+)[\w-]+){{0,5}})\s+(?:(?:is|are)\s+)?(?P<op>(?:strictly\s+|expressly\s+)?(?:prohibited|forbidden|not\s+(?:permitted|allowed|authori[sz]ed)|(?:only\s+)?(?:permitted|allowed)\b[^.;!?]*\bonly\b[^.;!?]*|(?:only\s+)?(?:permitted|allowed)\s+only\b[^.;!?]*|requires?\b[^.;!?]{{0,40}}?\b{CONSENT}\b[^.;!?]*))\W*$"
            )),
            consent_first: re(format!(
                r"(?i)\b(?:{CONSENT}\b[^.;!?]{{0,60}}?\b(?:is|are)\s+(?:first\s+)?(?:required|needed)|(?:must|has\s+to|have\s+to)\s+(?:first\s+)?be\s+(?:first\s+)?(?:obtained|sought|given|granted|agreed)|(?:need|needs|require|requires|must\s+(?:have|obtain|seek|get|ask\s+for)|have\s+to\s+(?:have|obtain|seek|get|ask\s+for))\s+(?:[\w-]+\s+){{0,3}}?{CONSENT})\b[^.;!?]{{0,60}}?\b(?:before|to|for|prior\s+to)\s+(?:any\s+)?(?:\w+\s+){{0,1}}?(?P<acts>{verbs}|(?:{COPY_NOUNS}|{USE_NOUNS}))\s+(?:(?:[\w'’-]+\s+){{0,2}}?)(?P<work>{work})"
            )),
            only_party: re(format!(
                r"(?i)\bonly\s+(?:[\w'’&-]+\s+){{1,6}}?(?:may|can|shall|are\s+(?:permitted|allowed|authori[sz]ed|licen[cs]ed|entitled)\s+to|have\s+(?:permission|the\s+right|access)\s+to)\s+(?:\w+ly\s+)?(?P<acts>{verbs})\s+(?:(?:[\w'’-]+\s+){{0,2}}?)(?P<work>{work})"
            )),
            fragment: re(r"(?ix)^\W*(?:strictly\s+|please\s+note\W+)?(?:
                    not\s+(?:to\s+be\s+)?for\s+(?:any\s+)?(?:(?:public|external|general|onward|further|wider|commercial|third[\s-]party|open)\s+){0,2}(?:re-?distribution|distribution|re-?publication|publication|re-?use|reuse|circulation|release|sharing|sale|resale|copying|reproduction|disclosure|dissemination)\b
                  | not\s+(?:to\s+be\s+)?for\s+(?:(?:public|external|general|commercial|third[\s-]party)\s+)+(?:use|access|view|viewing|consumption)\b
                  | (?:for\s+)?(?:the\s+)?(?:[\w&'’-]+\s+){0,3}?(?:use|eyes|circulation|distribution|reference)\s+only\b
                  | for\s+(?:the\s+)?(?:[\w&'’-]+\s+){0,3}?(?:purposes?|use)\s+only\b
                  | (?:do\s+not|don[’']t|never|please\s+do\s+not)\s+(?:(?:re-?distribute|distribute|copy|share|publish|reproduce|forward|circulate|disclose|reuse|re-use|fork|mirror|sell)(?:\s*,\s*|\s+(?:or|and|nor)\s+)?)+\W*$
                  | (?:no|not\s+for)\s+(?:re-?distribution|reproduction|copying|re-?use|sharing)\W*$
                )"),
            work_fragment: re(format!(
                r"(?i)\b{work}(?:\s+[\w'’(),-]+){{0,6}}?\s+(?:is|are|remains?|stays?)\s+(?:(?:strictly|solely|only|exclusively|provided|made\s+available|supplied|intended|licen[cs]ed|released|published|shared|given|here|strictly)\s+)*(?P<fragment>not\s+(?:to\s+be\s+)?for\b[^.;!?]*|for\b[^.;!?]*\bonly\b[^.;!?]*|(?:[\w-]+\s+)?use\s+only\b[^.;!?]*)"
            )),
            kept: re(format!(
                r"(?ix)\b{work}(?:\s+[\w'’(),-]+){{0,8}}?\s+(?:
                    (?:is|are|remains?|stays?)\s+(?:strictly\s+|highly\s+|commercially\s+|entirely\s+)?(?:confidential|proprietary|classified|secret|private\s+(?:and|&)\s+confidential|official[\s-]+sensitive|commercial(?:ly)?\s+in\s+confidence|not\s+(?:open[\s-]?source|public|for\s+(?:the\s+)?public))\b
                  | (?:contains?|includes?|holds?)\s+(?:[\w-]+\s+){{0,2}}?(?:proprietary|confidential|commercially\s+sensitive|classified)\b
                  | (?:is|are)\s+(?:only\s+)?(?:made\s+)?(?:available|provided|supplied|licen[cs]ed|intended|given|released)\b[^.;:!?]{{0,60}}?\b(?:only|alone|solely|exclusively)\b
                  | (?:is|are)\s+(?:lent|loaned|on\s+loan)\b
                  | (?:must|shall)\s+be\s+(?:returned|destroyed|deleted)\b
                  | (?:remains?|stays?|is|are)\s+(?:the\s+)?(?:sole\s+|exclusive\s+)?property\s+of\b
                  | (?:is|are)\s+(?:provided|shared|given|supplied|disclosed)\s+(?:to\s+you\s+)?in\s+(?:strict\s+)?confidence\b
                  | (?:requires?|is\s+subject\s+to|needs?)\s+(?:[\w-]+\s+){{0,3}}?(?:permission|consent|agreement|authori[sz]ation|contract|(?:commercial|paid|separate|signed|written|proprietary)\s+licen[cs]e)\b)"
            )),
            copy_verb: re(format!(r"(?i)^(?:{COPY_VERBS})$")),
            use_verb: re(format!(r"(?i)^(?:{USE_VERBS})$")),
            copy_noun: re(format!(r"(?i)\b(?:{COPY_NOUNS})\b")),
            use_noun: re(format!(r"(?i)\b(?:{USE_NOUNS})\b")),
            restriction: re(format!(
                r"(?ix)\b(?:internal(?:ly)?|in-?house|employees?|staff|members?\s+of|personnel|contractors?|authori[sz]ed|approved|licen[cs]ees?|licen[cs]ed\s+users?|customers?|clients?|subscribers?|partners?
                |department|organi[sz]ations?|company|companies|government|public\s+sector|civil\s+serv\w*|crown|agency|council|authority
                |personal|non-?commercial|commercial|evaluation|trial|research|education(?:al)?|academic|profit
                |within|inside|outside|other\s+than|anyone\s+(?:else|other|outside)|third\s+part(?:y|ies)|by\s+anyone|except\s+(?:by|with|within|under|for)
                |without\s+(?:[\w-]+\s+){{0,4}}?{CONSENT})\b"
            )),
            not_the_work: re(
                r"(?ix)\b(?:secrets?|passwords?|passphrases?|credentials?|tokens?|api[\s_-]?keys?|keys?|ssh|certificates?|env(?:ironment)?\s+(?:files?|variables?)|cookies?|sessions?|cache|caches
                |personal\s+(?:data|information|details)|pii|patients?|identifiable|sensitive\s+(?:data|information)|real\s+data|live\s+data|production\s+data|user\s+ids?|usernames?|login|account|accounts
                |screenshots?|access\s+codes?|private\s+information|private\s+data|security\s+information|analytics|usage\s+data|tracking)\b",
            ),
            licence_terms: re(
                r"(?ix)\bexcept\s+in\s+compliance | \bendorse\b | \bpromote\s+products\b | \btrade\s*marks?\b | \bwarrant
                | \b(?:the|this|that|such|any\s+other|a\s+copy\s+of\s+the)\s+licen[cs]e\b(?:\s+document)?",
            ),
            marking: re(
                r"(?x)^\W*(?i:(?:(?:security\s+)?classification|protective\s+marking|marking)\s*:?\s*)?(?:
                    (?i:official[\s_-]*sensitive(?:[\s_-]*(?:commercial|personal|locsen))?)
                  | (?i:commercial(?:ly)?\s+in\s+confidence|private\s+(?:and|&)\s+confidential|strictly\s+(?:private\s+(?:and|&)\s+)?confidential|(?:proprietary\s+(?:and|&)\s+)?confidential(?:\s+(?:and|&)\s+proprietary)?|in\s+confidence)
                  | SECRET | TOP\s+SECRET | RESTRICTED | PROTECT )\W*$",
            ),
        }
    }
}

/// Whether one line alone is a protective marking ("OFFICIAL-SENSITIVE", "COMMERCIAL IN CONFIDENCE",
/// "Classification: CONFIDENTIAL"): it marks the file it heads. `line` is the line's text without markup.
pub fn is_marking(line: &str) -> bool {
    let line = line.trim();
    // A marking in quotation marks is a mention of it (an option in a list of classifications, a string in
    // data), not a marking of the file.
    // A quotation mark at either end is enough: a sentence split out of a line of examples ("Sensitivity:
    // OFFICIAL-SENSITIVE\"") keeps only its closing one.
    const QUOTES: [char; 7] = ['"', '\'', '“', '”', '‘', '’', '`'];
    let quoted =
        line.starts_with(QUOTES) || line.trim_end_matches([',', ';', '.']).ends_with(QUOTES);
    !quoted && PATTERNS.marking.is_match(line)
}

/// Whether one sentence withholds the work (see the module's invariant). `sentence` is prose as read: markup
/// taken off, one sentence.
pub fn withholds(sentence: &str) -> bool {
    withholding_kind(sentence).is_some()
}

/// Which rule of the invariant a sentence meets, when it meets one: for tests and diagnostics.
pub fn withholding_kind(sentence: &str) -> Option<&'static str> {
    let p = &*PATTERNS;
    let s = sentence.trim();
    if s.is_empty() || p.licence_terms.is_match(s) {
        return None;
    }
    if is_marking(s) {
        return Some("protective marking");
    }
    if let Some(m) = p.fragment.find(s)
        && fragment_withholds(s)
        && fragment_stands_alone(&s[m.end()..])
    {
        return Some("verbless fragment");
    }
    for c in p.work_fragment.captures_iter(s) {
        if heads_clause(s, c.get(0).map_or(0, |m| m.start()))
            && is_work(&c[0])
            && fragment_withholds(&c["fragment"])
        {
            return Some("the work restricted");
        }
    }
    for c in p.kept.captures_iter(s) {
        // "is available … only" withholds only to a party or purpose ("to NHS staff alone"), not to a
        // handling ("intended for developers to use locally only").
        let handling_only = has_only(&c[0]) && !p.restriction.is_match(&c[0]);
        if heads_clause(s, c.get(0).map_or(0, |m| m.start()))
            && is_work(&c[0])
            && !p.not_the_work.is_match(&c[0])
            && !handling_only
        {
            return Some("the work kept");
        }
    }
    for c in p.subject_act.captures_iter(s) {
        if !is_work(&c["work"])
            || SUBORDINATE.is_match(&c["gap"])
            || !heads_clause(s, c.get(0).map_or(0, |m| m.start()))
        {
            continue;
        }
        let op = c["op"].to_ascii_lowercase();
        // A positive modal ("can", "may") permits: "these packages can be used outside Rails" withholds
        // nothing. Read as a word, so "can" alone (no word after it in the operator) is one too.
        let negated = !op.starts_with("may")
            && op != "can"
            && !op.starts_with("can ")
            && !op.starts_with("must")
            && !op.starts_with("shall")
            && !op.contains("permitted")
            && !op.contains("allowed")
            && !op.contains("licen")
            && !op.contains("authori")
            || op.contains("not")
            || op.contains("never")
            || op.contains("n't")
            || op.contains("n’t")
            || c["work"].to_ascii_lowercase().starts_with("no ");
        let rest = &c["rest"];
        let only = op.contains("only") || has_only(rest);
        let (copy, usage) = acts_in(&c["acts"]);
        let restricted = p.restriction.is_match(rest);
        if negated && (copy || (usage && restricted)) {
            return Some("the work's act negated");
        }
        if !negated && only && (copy || usage) && restricted {
            return Some("the work's act restricted");
        }
    }
    for c in p.object_act.captures_iter(s) {
        if !is_work(&c["work"]) || p.not_the_work.is_match(&c["gap"]) {
            continue;
        }
        let op = c["op"].to_ascii_lowercase();
        let only = op.contains("only");
        let (copy, usage) = acts_in(&c["acts"]);
        let restricted = p.restriction.is_match(&c["rest"]);
        if (copy && !only) || ((usage || only) && restricted) {
            return Some("an act on the work withheld");
        }
    }
    for c in p.noun_act.captures_iter(s) {
        if is_work(&c["work"]) {
            let op = c["op"].to_ascii_lowercase();
            let only = op.contains("only");
            if !only || p.restriction.is_match(&op) || p.restriction.is_match(&c["rest"]) {
                return Some("an act on the work prohibited");
            }
        }
    }
    if let Some(c) = p.bare_noun_act.captures(s) {
        let op = c["op"].to_ascii_lowercase();
        let (copy, _) = noun_acts_in(&c["acts"]);
        if (copy || !op.contains("only")) && (!op.contains("only") || p.restriction.is_match(&op)) {
            return Some("an act prohibited");
        }
    }
    for c in p.consent_first.captures_iter(s) {
        if is_work(&c["work"]) {
            return Some("consent required");
        }
    }
    for c in p.only_party.captures_iter(s) {
        if is_work(&c["work"]) {
            return Some("restricted to a party");
        }
    }
    None
}

/// Whether a fragment ("not for redistribution", "for internal use only") withholds: a copying act, or a use
/// restricted to a party or purpose ("for internal Acme use only", "for evaluation purposes only"), never a
/// use restricted to a handling ("not for production use", "for illustration purposes only").
fn fragment_withholds(fragment: &str) -> bool {
    let p = &*PATTERNS;
    let lower = fragment.to_ascii_lowercase();
    let copy = p.copy_noun.is_match(&lower)
        || lower
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| p.copy_verb.is_match(w))
        || lower.contains("eyes only");
    if copy && !lower.contains("use only") && !lower.contains("purposes only") {
        return true;
    }
    // A use restricted: to a party or purpose named, or to a proper name ("for Acme use only").
    // In capitals every word looks like a name.
    let shouting = !fragment.chars().any(char::is_lowercase);
    let named = !shouting
        && fragment.split_whitespace().skip(1).any(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && !matches!(w, "Only" | "Use" | "ONLY" | "USE")
        });
    p.restriction.is_match(fragment) || named
}

/// Whether a verbless fragment is the sentence, not the label of something the sentence goes on to describe:
/// "For internal use only." and "Not for redistribution without permission." stand alone, and so does a
/// fragment followed by another withholding ("For internal use only, do not share."); "For internal use only –
/// issue template for release tasks" labels a template.
fn fragment_stands_alone(rest: &str) -> bool {
    static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:not|never|no|without|prohibited|forbidden|only|outside|except)\b")
            .expect("negation")
    });
    rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty() || NEGATION.is_match(rest)
}

/// Whether a phrase of the work's shape names the work: not when its words name a thing that is never it.
fn is_work(phrase: &str) -> bool {
    let p = &*PATTERNS;
    let Some(m) = p.work.find(phrase) else {
        return false;
    };
    !p.not_the_work.is_match(m.as_str())
}

/// Whether the noun phrase at `start` heads its clause, so that it is the subject of the clause's verb: the
/// sentence's start, or after a clause mark (",", ";", ":", a bracket, a dash) or a conjunction ("that",
/// "and", "but"). In "the data about how you use this site must not be shared", "this site" heads nothing.
fn heads_clause(sentence: &str, start: usize) -> bool {
    let before = sentence[..start].trim_end();
    if before.is_empty() || before.ends_with([',', ';', ':', '(', '—', '–', '-', '.', '!']) {
        return true;
    }
    let last = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        last.as_str(),
        "that"
            | "and"
            | "but"
            | "so"
            | "therefore"
            | "however"
            | "also"
            | "thus"
            | "hence"
            | "note"
            | "important"
            | "please"
            | "whereas"
            | "notwithstanding"
    ) || before.chars().all(|c| !c.is_alphabetic())
}

/// A word that opens another clause: the words after it have their own subject.
static SUBORDINATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:that|which|who|whom|whose|where|when|if|because|so|but|while|until|unless|once|although|though|as|uses?|has|have|contains?|includes?)\b")
        .expect("subordinate")
});

fn has_only(text: &str) -> bool {
    static ONLY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:only|solely|exclusively|alone)\b").expect("only"));
    ONLY.is_match(text)
}

/// Whether a list of verbs holds an act of copying, and one of use.
fn acts_in(list: &str) -> (bool, bool) {
    let p = &*PATTERNS;
    let lower = list.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let mut copy = false;
    let mut usage = false;
    for (i, w) in words.iter().enumerate() {
        let two = words.get(i + 1).map(|n| format!("{w} {n}"));
        copy |= p.copy_verb.is_match(w) || two.as_deref().is_some_and(|t| p.copy_verb.is_match(t));
        usage |= p.use_verb.is_match(w);
    }
    (copy, usage)
}

fn noun_acts_in(list: &str) -> (bool, bool) {
    let p = &*PATTERNS;
    (p.copy_noun.is_match(list), p.use_noun.is_match(list))
}

#[cfg(test)]
mod tests;
