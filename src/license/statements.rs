//! The search for withholding statements in prose: every prose text of every pushed ref, read once per blob.
//!
//! A repository under an open licence can still say, in words keepopen reads for no other reason, that it is
//! not to be shared: a README paragraph ("This repository is confidential and must not be shared outside
//! Acme"), a documentation page, a CONTRIBUTING guide, the footer of an HTML page, a notebook's markdown, the
//! comment heading a source file or a data file ("# Contains OS data. Not for redistribution."). A careful
//! reviewer reads those words and would not republish; so the verdict must ask for a person, naming the file
//! and the line.
//!
//! # The invariant
//!
//! Every blob of every pushed tree (branches and tags, each blob once), read up to
//! [`StatementLimits::max_bytes`], is decoded as a person's editor would show it (UTF-8, UTF-16 or UTF-32 with
//! or without a byte-order mark, a stray NUL dropped: [`decode_any`]), and its prose is read whole:
//!
//! - a prose document (Markdown, reStructuredText, AsciiDoc, plain text, a file with no extension): every line;
//! - a web page: its displayed text (tags, scripts and styles taken off);
//! - a notebook: its markdown cells;
//! - any other text (source, scripts, configuration, data): the comments heading it, as the asset scan reads
//!   them ([`crate::license::assets::header_blocks`]).
//!
//! Each sentence is judged by the one withholding grammar ([`crate::license::vocabulary::withholding`]); a
//! page or prose document that names no licence and says "All rights reserved" withholds too. Each finding is
//! an [`crate::license::Observation::Withholding`], which makes the verdict *needs review*. A search cut by
//! its bound says so, and that too asks for a person.
//!
//! # Limits
//!
//! Only the first [`StatementLimits::max_bytes`] of a blob are read (a statement after them is not seen, and
//! nothing says so: the licence files' own reading reports truncation); the comments of a source file below
//! its first line of code are not read; the grammar reads English only. Blobs that decode to no text (images,
//! archives, fonts) are the asset scan's.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use git2::{ObjectType, Oid, Repository};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::license::discovery::{decode_utf16, decode_utf32};
use crate::license::vocabulary::withholding;

/// How far the search reads.
#[derive(Debug, Clone, Copy)]
pub struct StatementLimits {
    /// The most distinct blobs read.
    pub max_blobs: usize,
    /// The bytes of each blob read.
    pub max_bytes: usize,
    /// The most statements kept (one is enough to need a person).
    pub max_found: usize,
}

impl Default for StatementLimits {
    fn default() -> Self {
        StatementLimits {
            max_blobs: 50_000,
            max_bytes: 256 * 1024,
            max_found: 10,
        }
    }
}

/// A sentence that withholds the work, where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The ref the file was first seen in.
    pub reference: String,
    pub file: String,
    /// 1-based; the line the sentence starts on.
    pub line: usize,
    /// The sentence, cut to 200 characters.
    pub text: String,
}

/// What the search found, and whether it read everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementSearch {
    pub found: Vec<Statement>,
    pub blobs_read: usize,
    /// Why the search did not read every blob, when it did not.
    pub incomplete: Option<String>,
}

impl StatementSearch {
    /// The verdict's input: one [`crate::license::Observation::Withholding`] per statement found, and one (at
    /// line 0) saying the search stopped at its bound.
    pub fn observations(&self) -> Vec<crate::license::Observation> {
        let mut out: Vec<crate::license::Observation> = self
            .found
            .iter()
            .map(|s| crate::license::Observation::Withholding {
                reference: s.reference.clone(),
                file: s.file.clone(),
                line: s.line,
                text: s.text.clone(),
            })
            .collect();
        if let Some(why) = &self.incomplete {
            out.push(crate::license::Observation::Withholding {
                reference: String::new(),
                file: String::new(),
                line: 0,
                text: format!("{why}: a statement withholding the work may be unread"),
            });
        }
        out
    }
}

/// Search every blob of every tip in `tips` (ref name → commit or tree) for a withholding statement.
///
/// `licensors` are the repository's own licensors: a page's "© Holder. All rights reserved." footer whose
/// holder is one of them (a javadoc or appledoc footer of the project's own name) is the convention of the
/// notice the licence already covers, not a reservation of the work ([`statements_in_for`]).
pub fn search(
    repo: &Repository,
    tips: &BTreeMap<String, Oid>,
    limits: &StatementLimits,
    licensors: &crate::license::holders::Licensors,
) -> StatementSearch {
    let mut out = StatementSearch::default();
    let Ok(odb) = repo.odb() else {
        out.incomplete = Some("the object database cannot be opened".into());
        return out;
    };
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    // The default branch first, so that a statement is named in the ref most readers see.
    let mut order: Vec<(&String, &Oid)> = tips.iter().collect();
    let head = repo
        .head()
        .ok()
        .and_then(|h| h.name().ok().map(str::to_owned));
    order.sort_by_key(|(name, _)| Some(name.as_str()) != head.as_deref());
    'refs: for (name, tip) in order {
        let Ok(tree) = repo.find_object(*tip, None).and_then(|o| o.peel_to_tree()) else {
            continue;
        };
        let mut stack = vec![(tree, String::new())];
        while let Some((tree, prefix)) = stack.pop() {
            if !seen_trees.insert(tree.id()) {
                continue;
            }
            for entry in tree.iter() {
                let path = format!("{prefix}{}", String::from_utf8_lossy(entry.name_bytes()));
                match entry.kind() {
                    Some(ObjectType::Tree) => {
                        if let Ok(sub) = repo.find_tree(entry.id()) {
                            stack.push((sub, format!("{path}/")));
                        }
                    }
                    Some(ObjectType::Blob)
                        if entry.filemode() != i32::from(git2::FileMode::Link)
                            && !skipped_by_name(&path)
                            && seen_blobs.insert(entry.id()) =>
                    {
                        if out.blobs_read >= limits.max_blobs {
                            out.incomplete = Some(format!(
                                "the search for withholding statements stopped at its bound ({} files read)",
                                out.blobs_read
                            ));
                            break 'refs;
                        }
                        out.blobs_read += 1;
                        let Ok(object) = odb.read(entry.id()) else {
                            continue;
                        };
                        let data = object.data();
                        let head = &data[..data.len().min(limits.max_bytes)];
                        for (line, text) in statements_in_for(&path, head, licensors) {
                            out.found.push(Statement {
                                reference: name.clone(),
                                file: path.clone(),
                                line,
                                text,
                            });
                            if out.found.len() >= limits.max_found {
                                break 'refs;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// Files whose bytes are never prose by their name: images, fonts, archives, media, compiled objects (the
/// asset scan reads their metadata).
fn skipped_by_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let Some((_, ext)) = lower.rsplit_once('.') else {
        return false;
    };
    matches!(
        ext,
        "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "ico"
            | "bmp"
            | "tif"
            | "tiff"
            | "webp"
            | "heic"
            | "avif"
            | "ttf"
            | "otf"
            | "woff"
            | "woff2"
            | "eot"
            | "zip"
            | "gz"
            | "tgz"
            | "bz2"
            | "xz"
            | "7z"
            | "jar"
            | "war"
            | "whl"
            | "pdf"
            | "mp3"
            | "mp4"
            | "mov"
            | "wav"
            | "ogg"
            | "class"
            | "pyc"
            | "so"
            | "dll"
            | "exe"
            | "bin"
            | "parquet"
            | "xlsx"
            | "docx"
            | "pptx"
            | "xls"
            | "doc"
            | "ppt"
            | "lock"
            | "map"
    ) || lower.ends_with(".min.js")
        || lower.ends_with(".min.css")
}

/// How a file's prose is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Every line.
    Prose,
    /// The displayed text of a web page.
    Page,
    /// The markdown cells of a notebook.
    Notebook,
    /// The comments heading it.
    Head,
}

fn reading_of(path: &str) -> Reading {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    match name.rsplit_once('.') {
        Some((_, ext)) => match ext {
            "md" | "markdown" | "mdown" | "rst" | "adoc" | "asciidoc" | "org" | "txt" | "text" => {
                Reading::Prose
            }
            "html" | "htm" | "xhtml" | "shtml" | "erb" | "njk" | "hbs" | "mustache" => {
                Reading::Page
            }
            "ipynb" => Reading::Notebook,
            _ if name.starts_with('.') && !name[1..].contains('.') => Reading::Head,
            _ => Reading::Head,
        },
        None if name.starts_with('.') => Reading::Head,
        None => {
            // Build files with no extension are code; other names with none are documents (README, TERMS).
            let code = [
                "makefile",
                "dockerfile",
                "gemfile",
                "rakefile",
                "procfile",
                "vagrantfile",
                "jenkinsfile",
                "brewfile",
                "podfile",
                "justfile",
                "caddyfile",
            ];
            if code.contains(&name.as_str()) {
                Reading::Head
            } else {
                Reading::Prose
            }
        }
    }
}

/// Whether a file is another reading's, never this search's: a file inside other people's code (a folder of
/// [`crate::license::discovery::is_vendored_folder`] anywhere in its path: `node_modules/`, `vendor/`,
/// `third_party/`, …), whose words speak for that code, not for the work (the asset scan judges the terms of
/// bundled files); a bundler's extracted banners, which the asset scan judges
/// ([`crate::license::discovery::is_bundle_banners`]). A licence file naming a licence is skipped too, once
/// read ([`licence_file_read_elsewhere`]).
///
/// Fail closed: only what another reading reads is skipped. A documentation licence page, a README (its
/// licence section included) and a NOTICE below the root are read here too.
pub fn read_elsewhere(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let Some((name, folders)) = parts.split_last() else {
        return false;
    };
    folders
        .iter()
        .any(|f| crate::license::discovery::is_vendored_folder(f))
        || crate::license::discovery::is_bundle_banners(name)
}

/// Whether a licence or notice file is the licence reading's: named so (a licence file at any depth, a
/// licence or notice file at the root) and naming a licence, so that the licence reading matches it and
/// accounts for every word beside the match. A file so named that names no licence ("Copyright Acme. For
/// internal use only.") is read here.
fn licence_file_read_elsewhere(path: &str, text: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let named = crate::license::discovery::is_nested_license_name(name)
        || (!path.contains('/') && crate::license::discovery::root_file_kind(name).is_some());
    named && names_a_licence(text)
}

/// The withholding sentences of one file (its first bytes): (1-based line, sentence cut to 200 characters).
/// Nothing for a file another reading reads ([`read_elsewhere`]).
pub fn statements_in(path: &str, bytes: &[u8]) -> Vec<(usize, String)> {
    statements_in_for(path, bytes, &crate::license::holders::Licensors::default())
}

/// [`statements_in`] for a repository whose licensors are `licensors`. A reservation of all rights that is
/// found only as such (no sentence of it withholds by the grammar) is the licensors' own conventional notice
/// when the copyright line it closes — the same line, or the line before — names holders who are all
/// licensors of the repository: "© 2015 Northwind Ltd. All rights reserved." in the generated API pages of
/// Northwind's own MIT project. Any other holder, no holder at all, or a sentence the grammar finds keeps the
/// finding (fail closed).
pub fn statements_in_for(
    path: &str,
    bytes: &[u8],
    licensors: &crate::license::holders::Licensors,
) -> Vec<(usize, String)> {
    if read_elsewhere(path) {
        return Vec::new();
    }
    let Some(text) = decode_any(bytes) else {
        return Vec::new();
    };
    if licence_file_read_elsewhere(path, &text) {
        return Vec::new();
    }
    let reading = reading_of(path);
    let lines: Vec<(usize, String)> = match reading {
        Reading::Prose => text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_owned()))
            .collect(),
        Reading::Page => page_lines(&text),
        Reading::Notebook => notebook_lines(&text),
        Reading::Head => head_lines(path, &text),
    };
    if lines.is_empty() {
        return Vec::new();
    }
    let sentences = sentences(&lines);
    // "All rights reserved" on a page or in a document that names no licence: the holder keeps every right.
    // In a comment heading a file, "Copyright … All rights reserved." is a holder's notice, judged with the
    // licence's holders by the asset scan; a reservation with no holder named is this search's.
    let reserves = !names_a_licence(&text)
        && !GRANTS.is_match(&text)
        && (reading != Reading::Head
            || !lines.iter().any(|(_, l)| {
                crate::license::holders::is_copyright_line(l)
                    || crate::license::holders::has_copyright_mark(l)
            }));
    // A code block of a prose document quotes something else (a program's output, a sample file): its
    // "All rights reserved" is the quoted thing's (the grammar still reads its sentences: fail closed).
    let quoted = if reading == Reading::Prose {
        fenced_lines(&text)
    } else {
        HashSet::new()
    };
    let mut out: Vec<(usize, String)> = Vec::new();
    // A protective marking is a line alone: it marks the file it is in.
    for (line, raw) in &lines {
        if *line > 0 && withholding::is_marking(&plain(raw)) {
            out.push((*line, raw.trim().chars().take(200).collect()));
        }
    }
    let text_of = |n: usize| {
        lines
            .iter()
            .find(|(l, _)| *l == n)
            .map(|(_, t)| t.as_str())
            .unwrap_or("")
    };
    let licensors_own = |line: usize| {
        if licensors.is_empty() {
            return false;
        }
        let around = format!("{}\n{}", text_of(line.saturating_sub(1)), text_of(line));
        let named: Vec<String> = around
            .lines()
            .flat_map(crate::license::holders::notice_line_holders)
            .collect();
        !named.is_empty() && named.iter().all(|h| licensors.covers_header(h, true))
    };
    for (line, sentence) in sentences {
        let found = withholding::withholds(&sentence)
            || (reserves
                && !quoted.contains(&line)
                && crate::license::holders::reserves_all_rights(&sentence)
                && !licensors_own(line));
        if found && !out.iter().any(|(l, _)| *l == line) {
            out.push((line, sentence.chars().take(200).collect()));
        }
    }
    out
}

/// A licence text's own grant ("Permission is hereby granted", "Redistribution and use in source and binary
/// forms … are permitted"): a copyright line's "All rights reserved" before it is the licence's, not a
/// reservation of the work.
static GRANTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)permission\s+is\s+hereby\s+granted|redistribution\s+and\s+use\s+in\s+source|is\s+free\s+software|licen[cs]ed\s+under|released\s+under|available\s+under")
        .expect("grants")
});

/// The 1-based lines inside Markdown code fences (``` or ~~~), the fences included.
fn fenced_lines(text: &str) -> HashSet<usize> {
    let mut out = HashSet::new();
    let mut open: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| t.starts_with(f));
        match (open, fence) {
            (None, Some(f)) => {
                open = Some(f);
                out.insert(i + 1);
            }
            (Some(o), Some(f)) if o == f => {
                open = None;
                out.insert(i + 1);
            }
            (Some(_), _) => {
                out.insert(i + 1);
            }
            _ => {}
        }
    }
    out
}

/// Whether a text names a licence or grants by reference anywhere.
fn names_a_licence(text: &str) -> bool {
    text.lines().any(|l| {
        let lower = l.to_ascii_lowercase();
        (lower.contains("licen") || lower.contains("public domain"))
            && (!crate::license::reference::references(l).is_empty()
                || crate::license::statement::grants_by_reference(l))
    })
}

/// A blob's bytes as text, the way an editor shows them: UTF-8 (or Windows-1252), UTF-16 or UTF-32 with or
/// without a byte-order mark, stray NUL bytes dropped. `None` when the bytes are not text (many control
/// bytes: an image, an archive, a compiled file).
pub fn decode_any(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE, 0, 0]) {
        return printable(decode_utf32(rest, u32::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(&[0, 0, 0xFE, 0xFF]) {
        return printable(decode_utf32(rest, u32::from_be_bytes));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return printable(crate::license::discovery::decode_text(bytes));
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if !sample.contains(&0) {
        let text = crate::license::discovery::decode_text(bytes);
        return printable(text);
    }
    let zero_at = |modulus: usize, rest: usize| {
        let (mut zero, mut all) = (0usize, 0usize);
        for (i, b) in sample.iter().enumerate() {
            if i % modulus == rest {
                all += 1;
                zero += usize::from(*b == 0);
            }
        }
        if all == 0 {
            0.0
        } else {
            zero as f64 / all as f64
        }
    };
    if sample.len() >= 8 {
        if zero_at(4, 1) > 0.9 && zero_at(4, 2) > 0.9 && zero_at(4, 3) > 0.9 {
            return printable(decode_utf32(bytes, u32::from_le_bytes));
        }
        if zero_at(4, 0) > 0.9 && zero_at(4, 1) > 0.9 && zero_at(4, 2) > 0.9 {
            return printable(decode_utf32(bytes, u32::from_be_bytes));
        }
        if zero_at(2, 1) > 0.6 && zero_at(2, 0) < 0.1 {
            return printable(decode_utf16(bytes, u16::from_le_bytes));
        }
        if zero_at(2, 0) > 0.6 && zero_at(2, 1) < 0.1 {
            return printable(decode_utf16(bytes, u16::from_be_bytes));
        }
    }
    // A few stray NULs in text: what the editor shows is the text around them.
    let nuls = sample.iter().filter(|b| **b == 0).count();
    if nuls * 10 > sample.len() {
        return None;
    }
    let without: Vec<u8> = bytes.iter().copied().filter(|b| *b != 0).collect();
    printable(crate::license::discovery::decode_text(&without))
}

/// The text when it reads as text: at most 2% control characters or replacement characters.
fn printable(text: String) -> Option<String> {
    let (mut bad, mut all) = (0usize, 0usize);
    for c in text.chars().take(8192) {
        all += 1;
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c'))
            || c == char::REPLACEMENT_CHARACTER
        {
            bad += 1;
        }
    }
    (bad * 50 <= all).then_some(text)
}

/// The displayed text of a web page, line by line: scripts, styles and comments taken off, tags taken off.
/// Block elements end a sentence; a line keeps its number.
fn page_lines(text: &str) -> Vec<(usize, String)> {
    static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|\{#.*?#\}")
            .expect("hidden parts")
    });
    static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?is)</?(?:p|div|br|li|ul|ol|h[1-6]|footer|header|section|article|td|th|tr|table|nav|aside|main|blockquote|pre|dt|dd|title|body|html|head)\b[^>]*>|\{%.*?%\}|\{\{.*?\}\}")
            .expect("block tags")
    });
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("tags"));
    // Keep the line count: every removed part leaves its newlines.
    let keep_lines = |m: &regex::Captures<'_>, with: &str| -> String {
        let newlines = m[0].matches('\n').count();
        format!("{with}{}", "\n".repeat(newlines))
    };
    let shown = HIDDEN.replace_all(text, |m: &regex::Captures<'_>| keep_lines(m, " "));
    let shown = BLOCK.replace_all(&shown, |m: &regex::Captures<'_>| {
        keep_lines(m, " \u{2029} ")
    });
    let shown = TAG.replace_all(&shown, |m: &regex::Captures<'_>| keep_lines(m, ""));
    shown
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.to_owned()))
        // A line holding only a block mark is kept: it ends the sentence before it.
        .filter(|(_, l)| !l.trim().is_empty() || l.contains('\u{2029}'))
        .collect()
}

/// The markdown cells of a notebook, each line with the line of the notebook's file it is written on (found
/// by its JSON form; the cell's first line when not found).
fn notebook_lines(text: &str) -> Vec<(usize, String)> {
    let Ok(notebook) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(cells) = notebook["cells"].as_array() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for cell in cells {
        if cell["cell_type"].as_str() != Some("markdown") {
            continue;
        }
        let source: String = match &cell["source"] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(parts) => parts.iter().filter_map(|p| p.as_str()).collect(),
            _ => continue,
        };
        for line in source.lines() {
            let json = serde_json::to_string(line).unwrap_or_default();
            let key: String = json.trim_matches('"').chars().take(40).collect();
            let at = text
                .find(&key)
                .map_or(1, |offset| text[..offset].matches('\n').count() + 1);
            out.push((at, line.to_owned()));
        }
        // A cell ends a paragraph.
        out.push((0, String::new()));
    }
    out
}

/// The comments heading a file, each block's lines numbered from where the block's first line is written.
fn head_lines(path: &str, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0usize;
    for block in crate::license::assets::header_blocks(path, text) {
        let first = block.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let start = text[from..]
            .find(first.trim())
            .map_or(1, |offset| text[..from + offset].matches('\n').count() + 1);
        if let Some(offset) = text[from..].find(first.trim()) {
            from += offset;
        }
        for (k, line) in block.lines().enumerate() {
            out.push((start + k, line.to_owned()));
        }
        out.push((0, String::new()));
    }
    out
}

/// Markup a sentence is read without: links kept as their words, emphasis, code marks, inline tags,
/// entities.
fn plain(line: &str) -> String {
    static LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").expect("links"));
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("tags"));
    use unicode_normalization::UnicodeNormalization;
    // Accents read through: "nót" is "not" to a reader of the grammar's words.
    let seen: String = crate::license::text::as_seen(line)
        .text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    let linked = LINK.replace_all(&seen, "$1");
    let untagged = TAG.replace_all(&linked, "");
    untagged
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&copy;", "©")
        .replace("&#169;", "©")
        .chars()
        .filter(|c| !matches!(c, '*' | '`' | '~'))
        .map(|c| if c == '_' { ' ' } else { c })
        .collect()
}

/// The sentences of numbered lines, each with the line it starts on: a blank line, a heading, a list item,
/// a table cell or a block element ends one; a word broken by a hyphen at a line's end is joined.
fn sentences(lines: &[(usize, String)]) -> Vec<(usize, String)> {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]+|[-+*][ \t]+|\d{1,3}[.)][ \t]+|=+\s*$|-+\s*$)?",
        )
        .expect("markers")
    });
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0usize;
    let flush = |current: &mut String, start: usize, out: &mut Vec<(usize, String)>| {
        let s = current.trim();
        if s.chars().any(char::is_alphabetic) {
            out.push((start, s.to_owned()));
        }
        current.clear();
    };
    for (number, raw) in lines {
        let marker = MARKER.find(raw).map_or(0, |m| m.end());
        let starts_new = marker > 0 && raw[..marker].trim().chars().any(|c| c != '>');
        if raw.trim().is_empty() || starts_new {
            flush(&mut current, start, &mut out);
        }
        // A block element's mark is taken before the markup is read through (which folds it to a space).
        let line = raw[marker..]
            .split('\u{2029}')
            .map(plain)
            .collect::<Vec<_>>()
            .join("\u{2029}");
        let pieces: Vec<&str> = line.split(['|', '\u{2029}']).collect();
        for (k, piece) in pieces.into_iter().enumerate() {
            // A block element or a table cell's mark ends the sentence before it, even with nothing after
            // it on the line.
            if k > 0 {
                flush(&mut current, start, &mut out);
            }
            let mut rest = piece.trim();
            if rest.is_empty() {
                continue;
            }
            while !rest.is_empty() {
                if current.is_empty() {
                    start = *number;
                } else if current.ends_with('-')
                    && current
                        .chars()
                        .rev()
                        .nth(1)
                        .is_some_and(char::is_alphabetic)
                    && rest.starts_with(|c: char| c.is_lowercase())
                {
                    current.pop();
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
                        current.push_str(rest);
                        rest = "";
                    }
                }
            }
        }
        // A heading is a sentence of its own.
        if starts_new && raw.trim_start().starts_with('#') {
            flush(&mut current, start, &mut out);
        }
    }
    flush(&mut current, start, &mut out);
    out
}

/// Where the first sentence of `text` ends (just after its mark), when one ends in it.
fn sentence_end(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | ';' | '!' | '?') || (c == ':' && chars.peek().is_some()) {
            match chars.peek() {
                None => return Some(i + c.len_utf8()),
                Some((_, next)) if next.is_whitespace() => return Some(i + c.len_utf8()),
                _ => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
