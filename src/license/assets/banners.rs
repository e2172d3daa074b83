//! Bundled text (scripts, stylesheets, saved web pages, a bundle's extracted banners): the notices in its
//! header comments, judged one block at a time.

use std::sync::LazyLock;

use regex::Regex;

use super::terms::{comment_words, open_grant, push_unique, short, withholding_term};
use super::{AssetKind, Terms, ThirdPartyAsset};
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
/// Words that make a comment block a notice (a statement of rights or terms) rather than commentary on code.
static NOTICE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)copyright|©|&copy;|\(c\)\s|licen[cs]|\brights\b|proprietary|confidential|trade\s?mark|terms\s+(?:of|and)\s+(?:use|conditions)|distribut|reproduc|permission|prohibited|exclusive|purchas|saved\s+from\s+url")
        .expect("notice words pattern")
});

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
/// Only comment blocks that read as notices (copyright, licence, rights or terms words) are weighed. Each is judged alone: a block naming a holder is covered by a grant in the same block, or
/// by a grant anywhere in the prefix when it is the only block naming a holder. A withholding term in any
/// block makes the file restrictive. A saved copy of a web page names the site it came from as a holder.
pub fn judge_text(path: &str, prefix: &[u8]) -> Option<ThirdPartyAsset> {
    let text = String::from_utf8_lossy(prefix);
    // A bundler's development build carries each module as a string (`eval("/* @preserve\n * Leaflet …")`):
    // its comments' lines are joined by escaped newlines, read as the newlines they stand for.
    let text = if text.contains("\\n") {
        std::borrow::Cow::Owned(text.replace("\\n", "\n"))
    } else {
        text
    };
    // Most files carry no notice at all: one scan says so.
    if !NOTICE_WORDS.is_match(&text) {
        return None;
    }
    // Only notices are weighed: a comment about code ("flagged for internal use") states no terms.
    let blocks: Vec<String> = comment_blocks(&text)
        .into_iter()
        .filter(|b| NOTICE_WORDS.is_match(b))
        .collect();
    let saved_from = SAVED_FROM.captures(&text).and_then(|c| {
        c.get(1)
            .or(c.get(2))
            .or(c.get(3))
            .map(|m| m.as_str().to_string())
    });
    // Each block is read in its own words, without the comment's decoration.
    let words: Vec<String> = blocks.iter().map(|b| comment_words(b)).collect();
    let any_grant = words.iter().find_map(|b| open_grant(b));
    let holder_blocks = blocks
        .iter()
        .filter(|b| !notice_holders(b).is_empty())
        .count();
    let mut uncovered: Vec<String> = Vec::new();
    let mut restrictive: Option<String> = None;
    let mut first_notice: Option<String> = None;
    // Blocks whose terms were read: the licence each names or that a recognised component carries.
    let mut read: Vec<(String, String)> = Vec::new();
    let mut components: Vec<String> = Vec::new();
    for (block, clean) in blocks.iter().zip(&words) {
        if restrictive.is_none()
            && let Some(term) = withholding_term(clean).or_else(|| withholding_term(block))
        {
            restrictive = Some(term);
        }
        let named = notice_holders(block);
        if named.is_empty() {
            continue;
        }
        let own = open_grant(clean);
        let covered = own.is_some() || (holder_blocks == 1 && any_grant.is_some());
        if let Some(id) = own.or_else(|| any_grant.clone().filter(|_| covered)) {
            read.push((id.clone(), format!("its header names {id}")));
        }
        // Third in order of preference: a well-known open component, recognised by two signals.
        let recognised = if covered {
            None
        } else {
            crate::license::components::recognise_text(path, clean, &named)
        };
        if let Some(r) = &recognised {
            if !components.contains(&r.component) {
                components.push(r.component.clone());
            }
            let quote = block
                .lines()
                .find(|l| NOTICE_ANYWHERE.is_match(l))
                .unwrap_or(block);
            let quote = comment_words(quote);
            read.push((r.license.clone(), r.describe(&quote)));
        }
        if !covered && recognised.is_none() {
            if first_notice.is_none() {
                first_notice = block
                    .lines()
                    .find(|l| NOTICE_ANYWHERE.is_match(l))
                    .map(|l| short(l.trim_start_matches(['/', '*', '!', ' ', '<', '-']), 160));
            }
            for h in named {
                push_unique(&mut uncovered, short(&h, 120));
            }
        }
    }
    if let Some(url) = &saved_from {
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split('/')
            .next()
            .unwrap_or(url);
        if any_grant.is_none() {
            push_unique(&mut uncovered, format!("the site {host}"));
        }
    }
    let (terms, evidence) = if let Some(term) = restrictive {
        (Terms::Restrictive, term)
    } else if uncovered.is_empty() && read.iter().any(|(_, why)| why.starts_with("recognised")) {
        // Open by recognition: said, so that what was recognised and why is on record.
        let mut ids: Vec<String> = read.iter().map(|(id, _)| id.clone()).collect();
        ids.sort();
        ids.dedup();
        let why: Vec<String> = read.into_iter().map(|(_, why)| why).collect();
        (Terms::Open(ids.join(" AND ")), why.join("; "))
    } else if !uncovered.is_empty() {
        let what = match (&saved_from, &first_notice) {
            (Some(url), _) => format!("a saved copy of {}", short(url, 120)),
            (None, Some(line)) => format!("\"{line}\""),
            (None, None) => "a copyright notice".into(),
        };
        (
            Terms::Unknown,
            format!("{what}, and no licence in its header"),
        )
    } else {
        return None;
    };
    // A withholding notice that speaks of a font, in a file that declares fonts: the font's terms.
    // A font embedded in the file itself (`url(data:…)`) is pushed with it: its terms are the file's.
    let component =
        (matches!(terms, Terms::Open(_)) && !components.is_empty()).then(|| components.join(", "));
    let about_fonts = terms == Terms::Restrictive
        && FONT_FACE.is_match(&text)
        && !EMBEDDED_FONT.is_match(&text)
        && blocks
            .iter()
            .filter(|b| withholding_term(b).is_some())
            .all(|b| FONT_WORDS.is_match(b));
    Some(ThirdPartyAsset {
        about_fonts,
        component,
        path: path.to_string(),
        kind: AssetKind::Text,
        holders: uncovered,
        terms,
        evidence,
    })
}

static FONT_FACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)@font-face\b").expect("font-face pattern"));
static EMBEDDED_FONT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)url\(\s*['"]?\s*data:"#).expect("embedded font pattern"));
static FONT_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:fonts?|typefaces?)\b").expect("font words pattern"));
