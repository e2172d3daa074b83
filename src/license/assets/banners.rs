//! Bundled text (scripts, stylesheets, saved web pages, a bundle's extracted banners, and the header of any
//! other text file): the notices in its comments, judged one block at a time.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::headers::{header_blocks, is_text};
use super::terms::{
    VERBATIM_COPIES_ID, comment_words, open_grant, push_unique, short, verbatim_copies,
    withholding_term, withholds_beyond_modification,
};
use super::{AssetKind, HeaderGrant, Terms, ThirdPartyAsset};
use crate::license::holders;

static SAVED_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)saved\s+from\s+url=\(\d+\)\s*(\S+?)\s*-->|mirrored\s+from\s+(\S+)\s+by\s+HTTrack|<meta\s+[^>]*name=[\x22']?original-source[\x22']?[^>]*content=[\x22']([^\x22']+)")
        .expect("saved page pattern")
});
static META_RIGHTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta\s+[^>]*(?:name|property)\s*=\s*["']?(?:copyright|rights|dcterms\.rights|dc\.rights|dcterms\.license|license)["']?[^>]*>"#)
        .expect("meta pattern")
});
static META_CONTENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)content\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("content pattern")
});
/// Words that may make a comment block a notice (a statement of rights or terms): the file is read further
/// only when one occurs.
static NOTICE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)copyright|©|&copy;|\(c\)\s|licen[cs]|\brights\b|proprietary|confidential|trade\s?mark|terms\s+(?:of|and)\s+(?:use|conditions)|distribut|reproduc|permission|prohibited|exclusive|purchas|saved\s+from\s+url")
        .expect("notice words pattern")
});

/// Words that state rights or terms: a copyright mark, a licence, rights, terms of use, distribution,
/// reproduction, permission. A withholding adjective alone ("confidential", "proprietary", "exclusive") is
/// not one: "which shouldn't be used to store highly confidential information" is advice about code.
static TERMS_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)copyright|©|&copy;|\(c\)\s|licen[cs]|\brights\b|trade\s?mark|terms\s+(?:of|and)\s+(?:use|conditions)|distribut|reproduc|permission|prohibited|purchas|saved\s+from\s+url|\buse\s+only\b")
        .expect("terms words pattern")
});

/// A block that speaks of its own file or work ("this file", "this code is proprietary").
static SELF_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:this|these|the\s+following)\s+(?:file|code|source|software|program|library|module|script|document|material|work|content|page|component|package|project|repository|class|header)s?\b")
        .expect("self reference pattern")
});

/// The withholding adjectives that are notices only where the block is one.
static WITHHOLDING_ADJECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:confidential|proprietary|exclusive(?:ly)?)\b").expect("adjective pattern")
});

/// The most words a block may have and still read as a label ("ACME CONFIDENTIAL") rather than prose.
const LABEL_WORDS: usize = 10;

/// Whether a comment block is a notice — one with a copyright line or a holder, a statement of terms or a
/// licence, an operative withholding ("must not be shared"), or a withholding word said of the file itself or
/// as a label — rather than commentary on code that merely contains a withholding adjective. Only a notice's
/// withholding words count.
fn is_notice(block: &str) -> bool {
    if !NOTICE_WORDS.is_match(block) {
        return false;
    }
    if TERMS_WORDS.is_match(block) || !notice_holders(block).is_empty() {
        return true;
    }
    let words = comment_words(block);
    if SELF_REFERENCE.is_match(&words) || words.split_whitespace().count() <= LABEL_WORDS {
        return true;
    }
    // A withholding that remains without the adjectives ("not for circulation", "for internal use").
    withholding_term(&WITHHOLDING_ADJECTIVE.replace_all(&words, " ")).is_some()
}

static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)/\*.*?(?:\*/|\z)|<!--.*?(?:-->|\z)|(?m:^[ \t]*//[^\n]*(?:\n[ \t]*//[^\n]*)*)")
        .expect("comment pattern")
});

/// A copyright sign or word anywhere in a line, and what follows it (a banner puts it mid-line:
/// `/*! lib v1 | (c) Holder | url */`).
static NOTICE_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    // The word or sign must be followed by a year or a name ("copyright message" in prose, a grammar's
    // "(c) = flow-out" in code, are not notices).
    Regex::new(r"(?:(?i:\bcopyright\b)(?:\s*(?:\((?i:c)\)|©|&copy;))?\s*((?:\d{4}|\p{Lu}).*)|(?:©|&copy;|\((?i:c)\))\s*((?:\d{4}|\p{Lu}).*))")
        .expect("notice pattern")
});
/// Where a holder's name ends in a banner: a comment's end, a separator, a licence clause.
static HOLDER_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\*/|-->|\||\s{3,}|[,;]\s*(?:licen[cs]|released|see|available)|\blicen[cs]ed\b|\bhttps?://").expect("holder end pattern")
});

/// The holders a notice block names, wherever the copyright sign sits in its lines.
pub fn notice_holders(block: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in block.lines() {
        let Some(c) = NOTICE_ANYWHERE.captures(line) else {
            continue;
        };
        let Some(rest) = c.get(1).or(c.get(2)).map(|m| m.as_str()) else {
            continue;
        };
        let rest = match HOLDER_END.find(rest) {
            Some(m) => &rest[..m.start()],
            None => rest,
        };
        let rest = rest.trim_end_matches([' ', '(', '<', '[', ',', ';', ':', '-']);
        for h in holders::holders(&format!("Copyright {rest}")) {
            let h = h.strip_prefix("by ").unwrap_or(&h).to_string();
            push_unique(&mut out, h);
        }
    }
    out
}

/// The comment blocks of a text prefix (`/* */`, runs of `//` lines, `<!-- -->`), in order, with the
/// rights-bearing `<meta>` tags of a page as blocks of their own.
pub fn comment_blocks(text: &str) -> Vec<String> {
    let mut out: Vec<String> = COMMENT
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect();
    for m in META_RIGHTS.find_iter(text) {
        if let Some(c) = META_CONTENT.captures(m.as_str()) {
            let value = c.get(1).or(c.get(2)).map(|v| v.as_str()).unwrap_or("");
            out.push(format!("Copyright {value}"));
        }
    }
    out
}

/// Class a bundled text file by its header comments; `None` when they say nothing of holders or terms.
///
/// Only comment blocks that read as notices (copyright, licence, rights or terms words) are weighed. Each is
/// judged alone: a block naming a holder is covered by a grant in the same block, or by a grant anywhere in
/// the prefix when it is the only block naming a holder. A withholding term in any block makes the file
/// restrictive. A saved copy of a web page names the site it came from as a holder.
///
/// A file of a web kind (script, stylesheet, page, a bundle's banners, SVG) is read for every comment of its
/// prefix; any other text file for its header ([`header_blocks`]): the comments above its first line of code
/// in any comment syntax, a markup file's comments and documentation elements, a plain file's first paragraph.
pub fn judge_text(path: &str, prefix: &[u8]) -> Option<ThirdPartyAsset> {
    read_text(path, prefix).0
}

/// [`judge_text`], and the grants its notices make: each holder named by a block that an open licence covers,
/// with that licence (`Copyright 2020 HM Revenue & Customs` above `Licensed under the Apache License`). The
/// repository's licensors are gathered from these ([`crate::license::holders::Licensors`]).
pub fn read_text(path: &str, prefix: &[u8]) -> (Option<ThirdPartyAsset>, Vec<HeaderGrant>) {
    let web = super::kind_of(path).is_some();
    if !web && !is_text(prefix) {
        return (None, Vec::new());
    }
    let text = unescaped_newlines(String::from_utf8_lossy(prefix));
    // Most files carry no notice at all: one scan says so.
    if !NOTICE_WORDS.is_match(&text) {
        return (None, Vec::new());
    }
    // Only notices are weighed: a comment about code ("flagged for internal use") states no terms.
    let blocks: Vec<String> = if web {
        comment_blocks(&text)
    } else {
        header_blocks(path, &text)
    }
    .into_iter()
    .filter(|b| is_notice(b))
    .collect();
    let saved_from = saved_from(&text);
    let reading = NoticeReading::of(path, &blocks, saved_from.as_deref());
    let grants = reading.granted.clone();
    let Some((terms, evidence)) = reading.terms(saved_from.as_deref()) else {
        return (None, grants);
    };
    let component = (matches!(terms, Terms::Open(_)) && !reading.components.is_empty())
        .then(|| reading.components.join(", "));
    let about_fonts = terms == Terms::Restrictive && speaks_of_fonts(&text, &blocks);
    let asset = Some(ThirdPartyAsset {
        about_fonts,
        component,
        path: path.to_string(),
        kind: AssetKind::Text,
        holders: reading.uncovered,
        terms,
        evidence,
    });
    (asset, grants)
}

/// A bundler's development build carries each module as a string (`eval("/* @preserve\n * Leaflet …")`):
/// its comments' lines are joined by escaped newlines, read as the newlines they stand for.
fn unescaped_newlines(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.contains("\\n") {
        Cow::Owned(text.replace("\\n", "\n"))
    } else {
        text
    }
}

/// The address a saved copy of a web page says it was saved from.
fn saved_from(text: &str) -> Option<String> {
    SAVED_FROM.captures(text).and_then(|c| {
        c.get(1)
            .or(c.get(2))
            .or(c.get(3))
            .map(|m| m.as_str().to_string())
    })
}

/// The host of an address (`https://example.com/page` → `example.com`).
fn host_of(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or(url)
}

/// What the notice blocks of one file say, block by block.
#[derive(Default)]
struct NoticeReading {
    /// A grant of an open licence in any block.
    any_grant: Option<String>,
    /// Holders named by a block that no grant covers and no component recognition explains.
    uncovered: Vec<String>,
    /// The first withholding term met.
    restrictive: Option<String>,
    /// The first uncovered notice line, for the evidence.
    first_notice: Option<String>,
    /// Blocks whose terms were read: the licence each names or that a recognised component carries, and why.
    read: Vec<(String, String)>,
    /// The well-known components recognised.
    components: Vec<String>,
    /// Holders named by a block that an open licence covers, with that licence.
    granted: Vec<HeaderGrant>,
}

impl NoticeReading {
    /// Read each notice block of a file; a saved page's site, with no grant anywhere, is a holder too.
    fn of(path: &str, blocks: &[String], saved_from: Option<&str>) -> Self {
        // Each block is read in its own words, without the comment's decoration.
        let words: Vec<String> = blocks.iter().map(|b| comment_words(b)).collect();
        let mut reading = NoticeReading {
            any_grant: words.iter().find_map(|b| open_grant(b)),
            ..NoticeReading::default()
        };
        let holder_blocks = blocks
            .iter()
            .filter(|b| !notice_holders(b).is_empty())
            .count();
        for (block, clean) in blocks.iter().zip(&words) {
            reading.read_block(path, block, clean, holder_blocks == 1);
        }
        if let Some(url) = saved_from
            && reading.any_grant.is_none()
        {
            push_unique(&mut reading.uncovered, format!("the site {}", host_of(url)));
        }
        reading
    }

    /// Weigh one notice block (`clean`: its words without decoration). `sole`: it is the only block that
    /// names a holder, so a grant anywhere covers it.
    fn read_block(&mut self, path: &str, block: &str, clean: &str, sole: bool) {
        // No-derivatives terms (copies permitted, modification alone withheld) are not restrictive: history is
        // pushed unchanged. Any other withholding term, in the words or the raw block, is.
        let verbatim = verbatim_copies(clean).filter(|_| !withholds_beyond_modification(block));
        if let Some(why) = &verbatim {
            self.read
                .push((VERBATIM_COPIES_ID.to_string(), why.clone()));
            let name = "a notice permitting verbatim copies (no derivatives)".to_string();
            if !self.components.contains(&name) {
                self.components.push(name);
            }
        } else if self.restrictive.is_none() {
            self.restrictive = withholding_term(clean).or_else(|| withholding_term(block));
        }
        let named = notice_holders(block);
        if named.is_empty() {
            return;
        }
        let own = if verbatim.is_some() {
            Some(VERBATIM_COPIES_ID.to_string())
        } else {
            open_grant(clean)
        };
        let covered = own.is_some() || (sole && self.any_grant.is_some());
        if let Some(id) = own.filter(|_| verbatim.is_none()).or_else(|| {
            self.any_grant
                .clone()
                .filter(|_| covered && verbatim.is_none())
        }) {
            self.read
                .push((id.clone(), format!("its header names {id}")));
            if covered {
                for holder in &named {
                    let grant = HeaderGrant {
                        holder: holder.clone(),
                        license: id.clone(),
                    };
                    if !self.granted.contains(&grant) {
                        self.granted.push(grant);
                    }
                }
            }
        }
        if covered {
            return;
        }
        // Third in order of preference: a well-known open component, recognised by two signals.
        match crate::license::components::recognise_text(path, clean, &named) {
            Some(recognition) => self.recognised(&recognition, block),
            None => self.uncovered_notice(block, named),
        }
    }

    /// A block whose holder and file make a well-known open component: its licence is read, with the
    /// notice line quoted.
    fn recognised(&mut self, r: &crate::license::components::Recognition, block: &str) {
        if !self.components.contains(&r.component) {
            self.components.push(r.component.clone());
        }
        let quote = notice_line(block).unwrap_or(block);
        self.read
            .push((r.license.clone(), r.describe(&comment_words(quote))));
    }

    /// A block naming holders whose terms nothing states.
    fn uncovered_notice(&mut self, block: &str, named: Vec<String>) {
        if self.first_notice.is_none() {
            self.first_notice = notice_line(block)
                .map(|l| short(l.trim_start_matches(['/', '*', '!', ' ', '<', '-']), 160));
        }
        for h in named {
            push_unique(&mut self.uncovered, short(&h, 120));
        }
    }

    /// The file's terms and the words that decided them; `None` when the notices state nothing to weigh.
    fn terms(&self, saved_from: Option<&str>) -> Option<(Terms, String)> {
        if let Some(term) = &self.restrictive {
            return Some((Terms::Restrictive, term.clone()));
        }
        if self.uncovered.is_empty() {
            // Open by recognition: said, so that what was recognised and why is on record.
            if !self
                .read
                .iter()
                .any(|(id, why)| why.starts_with("recognised") || id == VERBATIM_COPIES_ID)
            {
                return None;
            }
            let mut ids: Vec<String> = self.read.iter().map(|(id, _)| id.clone()).collect();
            ids.sort();
            ids.dedup();
            let why: Vec<&str> = self.read.iter().map(|(_, why)| why.as_str()).collect();
            return Some((Terms::Open(ids.join(" AND ")), why.join("; ")));
        }
        let what = match (saved_from, &self.first_notice) {
            (Some(url), _) => format!("a saved copy of {}", short(url, 120)),
            (None, Some(line)) => format!("\"{line}\""),
            (None, None) => "a copyright notice".into(),
        };
        Some((
            Terms::Unknown,
            format!("{what}, and no licence in its header"),
        ))
    }
}

/// The first line of a block with a copyright sign or word followed by a year or a name.
fn notice_line(block: &str) -> Option<&str> {
    block.lines().find(|l| NOTICE_ANYWHERE.is_match(l))
}

/// A withholding notice that speaks of a font, in a file that declares fonts, states the font's terms. A
/// font embedded in the file itself (`url(data:…)`) is pushed with it: its terms are the file's.
fn speaks_of_fonts(text: &str, blocks: &[String]) -> bool {
    FONT_FACE.is_match(text)
        && !EMBEDDED_FONT.is_match(text)
        && blocks
            .iter()
            .filter(|b| withholding_term(b).is_some())
            .all(|b| FONT_WORDS.is_match(b))
}

static FONT_FACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)@font-face\b").expect("font-face pattern"));
static EMBEDDED_FONT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)url\(\s*['"]?\s*data:"#).expect("embedded font pattern"));
static FONT_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:fonts?|typefaces?)\b").expect("font words pattern"));
