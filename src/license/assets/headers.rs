//! The header notice of any text file, found by what the file holds rather than by its name.
//!
//! A file states its own terms where its author put them: the comment at its head, in whatever comment syntax
//! its language has (`/* */`, `//`, `#`, `--`, `;`, `%`, `'`, `REM`, `(* *)`, `{- -}`, a Python docstring), the
//! comments and documentation elements of a markup file (`<!-- -->`, `<xs:documentation>`), or the first
//! paragraph of a plain text file. [`header_blocks`] returns those blocks in order, each without its comment
//! markers; the notice reader ([`super::judge_text`]) weighs them as it weighs a script's banners.
//!
//! Only the head is read (the comments before the first line of code, within the prefix read): a comment
//! further down speaks of the code beside it, not of the file's terms.

use std::sync::LazyLock;

use regex::Regex;

/// Comments and documentation elements of a markup file (XML, XSD, WSDL, SVG, XAML, …).
static MARKUP_NOTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?s)<!--(.*?)(?:-->|\z)|<(?:[\w.-]+:)?(documentation|rights|copyright|licen[cs]e)\b[^>]*?>(.*?)</(?:[\w.-]+:)?(?:documentation|rights|copyright|licen[cs]e)\s*>",
    )
    .expect("markup notes pattern")
});

/// Lines that may stand above a header without ending it: a PHP opening tag, a strict-mode directive, a
/// stylesheet's character set, an encoding declaration.
static PREAMBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:<\?php\b.*|['"]use strict['"];?|@charset\b.*|\{-#.*#-\}|<%@.*%>)$"#)
        .expect("preamble pattern")
});

/// Line comment markers of the languages a repository holds, longest first.
const LINE_MARKERS: &[&str] = &[
    "///", "//!", "//", "#", "--", ";;", ";", "%%", "%", "'", "!", "REM ", "rem ", "::", "dnl ",
    "C ", "c ", "* ",
];

/// Block comment openers and their closers.
const BLOCK_MARKERS: &[(&str, &str)] = &[
    ("/*", "*/"),
    ("(*", "*)"),
    ("{-", "-}"),
    ("\"\"\"", "\"\"\""),
    ("'''", "'''"),
    ("<#", "#>"),
    ("%{", "%}"),
    ("--[[", "]]"),
    ("=begin", "=end"),
    ("=pod", "=cut"),
    ("=head", "=cut"),
];

/// The most lines a plain text file's leading paragraph is read to.
const PARAGRAPH_LINES: usize = 40;

/// The notice blocks at the head of a text file: its markup comments and documentation elements when it is a
/// markup file, else the comments before its first line of code, else its first paragraph when it reads as
/// prose. Each block is returned without its comment markers.
pub fn header_blocks(path: &str, text: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.trim_start();
    if first.starts_with('<') && !first.starts_with("<?php") && !first.starts_with("<#") {
        return markup_blocks(text);
    }
    let lines: Vec<&str> = text.lines().collect();
    // A document's `#` is a heading, not a comment: its opening paragraphs are its header.
    if is_document_name(path) {
        let start = lines.iter().position(|l| !l.trim().is_empty());
        return start
            .and_then(|i| prose_paragraph(&lines[i..]))
            .into_iter()
            .collect();
    }
    let (blocks, first_code) = leading_comments(&lines);
    if !blocks.is_empty() {
        return blocks;
    }
    // A file that opens with text, not a comment: its leading paragraph is its header when the file is prose
    // by name, or when that paragraph opens with a notice. Code that opens with a statement has no header.
    let Some(i) = first_code else {
        return Vec::new();
    };
    let opens_with_notice = OPENING_NOTICE.is_match(lines[i]);
    if !(opens_with_notice || is_prose_name(path)) {
        return Vec::new();
    }
    prose_paragraph(&lines[i..]).into_iter().collect()
}

/// A first line that states rights or terms.
static OPENING_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)copyright|©|\(c\)|licen[cs]|proprietary|confidential|\brights\b|reproduc|distribut|terms\s+(?:of|and)")
        .expect("opening notice pattern")
});

/// A name of a prose file: a text document, a document of a markup language for prose, or a name with no
/// extension.
fn is_prose_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    match name.rsplit_once('.') {
        Some(("", _)) | None => true,
        Some((_, ext)) => matches!(ext, "txt" | "text") || is_document_name(&name),
    }
}

/// A document of a markup language for prose: Markdown, reStructuredText, AsciiDoc, Org.
fn is_document_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".rst", ".adoc", ".asciidoc", ".org"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// A markup file's comments and documentation elements, in order.
fn markup_blocks(text: &str) -> Vec<String> {
    MARKUP_NOTES
        .captures_iter(text)
        .filter_map(|c| c.get(1).or(c.get(3)))
        .map(|m| m.as_str().trim().to_string())
        .filter(|b| !b.is_empty())
        .collect()
}

/// The comment blocks before the first line of code, and where that line is. A run of line comments is one
/// block, ended by a blank line or a change of marker; a block comment is one block.
fn leading_comments(lines: &[&str]) -> (Vec<String>, Option<usize>) {
    let mut blocks: Vec<String> = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let mut run_marker: Option<&str> = None;
    let mut i = 0;
    let end_run = |run: &mut Vec<String>, blocks: &mut Vec<String>| {
        if !run.is_empty() {
            blocks.push(run.join("\n"));
            run.clear();
        }
    };
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() || (i == 0 && line.starts_with("#!")) || PREAMBLE.is_match(line) {
            end_run(&mut run, &mut blocks);
            run_marker = None;
            i += 1;
            continue;
        }
        if let Some((open, close)) = BLOCK_MARKERS.iter().find(|(o, _)| line.starts_with(o)) {
            end_run(&mut run, &mut blocks);
            run_marker = None;
            let (block, next) = block_comment(lines, i, open, close);
            blocks.push(block);
            i = next;
            continue;
        }
        match LINE_MARKERS.iter().find(|m| is_line_comment(line, m)) {
            Some(marker) => {
                if run_marker.is_some_and(|m| m != *marker) {
                    end_run(&mut run, &mut blocks);
                }
                run_marker = Some(marker);
                run.push(line[marker.len()..].trim().to_string());
                i += 1;
            }
            None => {
                end_run(&mut run, &mut blocks);
                return (blocks, Some(i));
            }
        }
    }
    end_run(&mut run, &mut blocks);
    (blocks, None)
}

/// Whether `line` is a comment opened by `marker`. Markers that are also words or code (`C`, `'`, `!`, `*`,
/// `::`) count only when prose follows them; `#` is not a C preprocessor line.
fn is_line_comment(line: &str, marker: &str) -> bool {
    let Some(rest) = line.strip_prefix(marker) else {
        return false;
    };
    match marker {
        "#" => !PREPROCESSOR.is_match(line),
        "C " | "c " | "'" | "!" | "* " | "::" | "REM " | "rem " | "dnl " | ";" | "%" => {
            rest.is_empty() || rest.starts_with(' ') || marker.ends_with(' ')
        }
        _ => true,
    }
}

static PREPROCESSOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^#\s*(?:include|define|undef|if|ifdef|ifndef|else|elif|endif|pragma|import|region|endregion)\b")
        .expect("preprocessor pattern")
});

/// The block comment opened at line `start` by `open`, without its markers, and the line after it.
fn block_comment(lines: &[&str], start: usize, open: &str, close: &str) -> (String, usize) {
    let mut body: Vec<String> = Vec::new();
    let first = lines[start].trim().strip_prefix(open).unwrap_or("");
    if let Some(at) = first.find(close) {
        return (strip_decoration(&first[..at]), start + 1);
    }
    body.push(strip_decoration(first));
    let mut i = start + 1;
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some(at) = line.find(close) {
            body.push(strip_decoration(&line[..at]));
            return (body.join("\n").trim().to_string(), i + 1);
        }
        body.push(strip_decoration(line));
        i += 1;
    }
    (body.join("\n").trim().to_string(), i)
}

/// A block comment line without its leading decoration (` * `).
fn strip_decoration(line: &str) -> String {
    line.trim_start_matches(['*', ' ', '\t'])
        .trim_end()
        .to_string()
}

/// The first paragraph of a file that opens with prose (a letter, a digit or a copyright sign, not data or code
/// punctuation), up to a blank line or [`PARAGRAPH_LINES`] lines; a paragraph of one line (a title) and the
/// paragraph after it.
fn prose_paragraph(lines: &[&str]) -> Option<String> {
    let first = lines.first()?.trim();
    if !first.starts_with(|c: char| c.is_alphanumeric() || c == '©' || c == '(' || c == '#') {
        return None;
    }
    let paragraph = |from: &[&str]| -> Vec<String> {
        from.iter()
            .take(PARAGRAPH_LINES)
            .take_while(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_string())
            .collect()
    };
    let mut out = paragraph(lines);
    if out.len() == 1 {
        let rest = &lines[1..];
        let next = rest
            .iter()
            .position(|l| !l.trim().is_empty())
            .unwrap_or(rest.len());
        out.extend(paragraph(&rest[next..]));
    }
    Some(out.join("\n"))
}

/// Whether a file is read for its header notice: any file but the ones discovery reads as licence, notice or
/// README files, and names of binary or data formats (archives, office documents, lock files, CSV, maps).
/// What the name lets through is still read only if its first bytes are text.
pub fn reads_header(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if crate::license::discovery::root_file_kind(name).is_some()
        || super::is_licence_file_name(name)
        || !crate::license::discovery::may_carry_header(name)
    {
        return false;
    }
    // The root README is discovery's, read for its licence section.
    path.contains('/') || !name.to_ascii_lowercase().starts_with("readme")
}

/// Whether a prefix is text: no NUL byte.
pub(super) fn is_text(prefix: &[u8]) -> bool {
    !prefix.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_comments_of_each_syntax_are_read_without_their_markers() {
        let cases: &[(&str, &str)] = &[
            (
                "/*\n * Copyright 2017 Acme Ltd.\n */\npackage x;",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "#!/usr/bin/env python\n# Copyright 2017 Acme Ltd.\nimport os",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "-- Copyright 2017 Acme Ltd.\nselect 1;",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "; Copyright 2017 Acme Ltd.\n(defun x ())",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "% Copyright 2017 Acme Ltd.\nx = 1;",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "' Copyright 2017 Acme Ltd.\nDim x",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "REM Copyright 2017 Acme Ltd.\n@echo off",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "(* Copyright 2017 Acme Ltd. *)\nlet x = 1",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "{- Copyright 2017 Acme Ltd. -}\nmain = x",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "\"\"\"\nCopyright 2017 Acme Ltd.\n\"\"\"\nimport os",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "<?php\n/**\n * Copyright 2017 Acme Ltd.\n */\n$x = 1;",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "<?xml version=\"1.0\"?>\n<xs:schema>\n<!-- Copyright 2017 Acme Ltd. -->\n",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "<schema><annotation><documentation>Copyright 2017 Acme Ltd.</documentation></annotation>",
                "Copyright 2017 Acme Ltd.",
            ),
            (
                "Copyright 2017 Acme Ltd.\nAll rights reserved.\n\nThe data follows.",
                "Copyright 2017 Acme Ltd.\nAll rights reserved.",
            ),
        ];
        for (text, block) in cases {
            let blocks = header_blocks("notes.txt", text);
            assert_eq!(blocks.first().map(String::as_str), Some(*block), "{text}");
        }
    }

    #[test]
    fn a_comment_below_the_first_line_of_code_is_not_the_header() {
        assert!(header_blocks("a.py", "import os\n# Copyright 2017 Acme Ltd.\n").is_empty());
        assert!(header_blocks("a.c", "#include <x.h>\n/* Copyright 2017 Acme Ltd. */").is_empty());
        assert!(header_blocks("a.json", "{\"copyright\": \"Acme\"}").is_empty());
        // A prose file's title, then its first paragraph, is its header.
        assert_eq!(
            header_blocks("docs/terms.md", "Terms\n\nCopyright Acme Ltd.\n\nMore."),
            vec!["Terms\nCopyright Acme Ltd.".to_string()]
        );
    }
}
