//! Third-party notices: a NOTICE, NOTICES, COPYRIGHT, CREDITS or ATTRIBUTIONS file that attributes works the
//! repository bundles and names their licences ("This product includes Bootstrap, licensed under the MIT
//! License"; "the boundary data is available under the Open Government Licence v3.0").
//!
//! Such a file grants nothing for the repository; it is a set of claims, each scoped to the work it names.
//! The verdict weighs them against the policy ([`crate::verdict`]): beside the repository's own grant, a
//! notice whose every licence the policy allows asks only that the notices be kept (and each licence's own
//! conditions); a licence the policy does not allow, a sentence that withholds rights, or a claim about the
//! project itself that the licence files do not bear out, still needs a person. Pure over text.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::detect::family;
use super::reference::{self, Reference};
use super::{Candidate, LicenseReport, Observation, holders, statement};
use crate::policy::{Action, Policy};
use crate::verdict::{Effective, action_of};

mod lines;
mod withholding;

pub(crate) use lines::unattributed;

/// One licence a notice names, where, and for what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeLicence {
    /// SPDX id (or `LicenseRef-…`).
    pub id: String,
    /// 1-based line in the notice file.
    pub line: usize,
    /// The sentence (line) that names it.
    pub text: String,
    /// The sentence speaks of the project itself ("this project is licensed under…", an Apache-style notice
    /// of its own holder), not of a bundled work: it must agree with the repository's licence.
    pub own: bool,
}

/// What a notice file that names licences (and matched no licence text) says: a [`Observation::ThirdPartyNotice`]
/// of every licence it names, and a [`Observation::CarveOut`] for each line that withholds rights.
/// `offset` is the candidate's first line less one; `references` the licences named in its text.
pub fn read(candidate: &Candidate, references: &[Reference], offset: usize) -> Vec<Observation> {
    let lines: Vec<&str> = candidate.text.lines().collect();
    // A notice whose every sentence withholds (rights reserved, use prohibited or made subject to a licence it
    // does not name, permission to be asked) states no terms to recognise: it says rights are withheld, and
    // is weighed as that, never as an unrecognised licence (see `withholding`).
    if let Some((line, text)) = withholding::withholding_notice(&lines) {
        return vec![Observation::AllRightsReserved {
            file: candidate.path.clone(),
            line: line + offset,
            text,
        }];
    }
    let line_at = |n: usize| lines.get(n.saturating_sub(1)).copied().unwrap_or_default();
    let licences = references
        .iter()
        .map(|r| {
            let sentence = line_at(r.line).trim();
            let context: Vec<&str> = lines
                .iter()
                .skip(r.line.saturating_sub(4))
                .take(r.line.min(4))
                .copied()
                .collect();
            NoticeLicence {
                id: r.id.clone(),
                line: r.line + offset,
                text: sentence.to_string(),
                own: OWN.is_match(sentence) || statement::is_own_notice(&context),
            }
        })
        .collect();
    let mut out = vec![Observation::ThirdPartyNotice {
        file: candidate.path.clone(),
        licences,
    }];
    // Every line that speaks of licensing must name a licence keepopen reads: a notice whose terms for a
    // bundled work are in words it cannot name ("a commercial desktop licence from the foundry") is not a
    // notice of open terms.
    for (i, text) in unaccounted(&lines) {
        out.push(Observation::Unrecognised {
            file: candidate.path.clone(),
            best: Some(format!("line {}: {text}", i + 1 + offset)),
            score: 0.0,
        });
    }
    for (i, line) in lines.iter().enumerate() {
        if withholds(&lines, i) {
            out.push(Observation::CarveOut {
                file: candidate.path.clone(),
                line: i + 1 + offset,
                text: line.trim().to_string(),
            });
        }
    }
    out
}

/// A sentence that licenses the project itself ("This project is licensed under…"), not a work it bundles.
static OWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:this|our)\s+(?:project|repository|repo|code(?:base)?|source\s+code)\s+(?:is|are)\s+(?:also\s+)?(?:released|licen[cs]ed|available|distributed|published|made\s+available)\b")
        .expect("valid regex")
});

/// Words that speak of the terms of one work: a line holding one should name a licence keepopen can read.
/// Plural "licences" is talk about licences in general ("the libraries fall under several licences").
static TERMS_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\blicen[cs](?:e|ed|ing)?\b|\beula\b|\bproprietary\b|\bpermission\b|\bterms\s+(?:of|and)\b|\brestrict")
        .expect("valid regex")
});

/// Words that speak of licences in general, not of one work's terms: a kind of licence ("grouped by their
/// license type"), and a pointer to where the terms are ("See the file LICENCE.txt for licensing information",
/// "The full texts … are included in the `licences` folder"): what it points at is read on its own.
static GENERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\blicen[cs]e\s+(?:types?|kinds?|categor(?:y|ies))\b|\b(?:see|refer\s+to|read|found\s+in|included\s+in|contained\s+in)\b.{0,60}?(?:\]\([^)]*\)|`[^`]+`|\b(?:LICEN[CS]E|COPYING)[\w.-]*).*?(?:\.\s|\.?$)")
        .expect("valid regex")
});

/// "the License" / "this Licence" with a capital: the defined term of a licence the paragraph names (the
/// Apache notice's "you may not use this file except in compliance with the License").
static DEFINED_TERM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\b[Tt]he|\b[Tt]his|\(the\s+")\s*Licen[cs]e\b"#).expect("valid regex")
});

/// How many lines above a defined term "the License" the licence it stands for may be named.
const DEFINED_TERM_REACH: usize = 12;

/// The lines (0-based index, trimmed text) of a notice that speak of the terms of a work but name no
/// licence keepopen reads: not headings, not copyright lines, not inside a code fence; "the License" counts
/// as named where its paragraph names the licence.
fn unaccounted(lines: &[&str]) -> Vec<(usize, String)> {
    let named: BTreeSet<usize> = reference::references(&lines.join("\n"))
        .iter()
        .map(|r| r.line)
        .collect();
    // Paragraphs: runs of non-blank lines, as (first, last) 1-based; each names a licence or not.
    let mut paragraph_names = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let first = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let names = (first..i).any(|j| named.contains(&(j + 1)));
        for flag in &mut paragraph_names[first..i] {
            *flag = names;
        }
    }
    // A licence's standard notice runs over blank lines (the Apache notice's "You may obtain a copy…",
    // "Unless required…"): its defined term is bound to a licence named a few lines above, too.
    for (j, flag) in paragraph_names.iter_mut().enumerate() {
        *flag |= (j.saturating_sub(DEFINED_TERM_REACH)..=j).any(|k| named.contains(&(k + 1)));
    }
    let rows_for_paths = unread_licences_for_paths(lines);
    let mut fence = false;
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        // A Markdown table's header row names its columns ("| Group | Artifact | Licence |"): structure, not a
        // claim. The rows under it are claims, each held to what it says like any other line.
        if is_table_header(lines, i) {
            continue;
        }
        if rows_for_paths.contains(&i) {
            out.push((i, trimmed.to_string()));
            continue;
        }
        let heading = trimmed.starts_with('#')
            || lines.get(i + 1).is_some_and(|next| {
                let next = next.trim();
                next.len() >= 3
                    && (next.chars().all(|c| c == '=') || next.chars().all(|c| c == '-'))
            });
        if fence || heading || holders::is_copyright_line(line) || named.contains(&(i + 1)) {
            continue;
        }
        let rest = if paragraph_names[i] {
            DEFINED_TERM.replace_all(line, "").into_owned()
        } else {
            line.to_string()
        };
        let rest = GENERAL.replace_all(&rest, "");
        if TERMS_WORDS.is_match(&rest) {
            out.push((i, trimmed.to_string()));
        }
    }
    out
}

/// The cells of a Markdown table row.
fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

/// The rows (0-based) of Markdown tables with a licence column whose licence cell names no licence keepopen
/// reads while the row speaks for a path (a cell with a `/`, or naming a folder): such a row claims unknown terms
/// for a part of the tree. A row of a dependency's coordinates (`org.slf4j | slf4j-api | 1.7.24 | AL 2.0`)
/// speaks for a work that is not in the tree and is held only to the line reading.
fn unread_licences_for_paths(lines: &[&str]) -> BTreeSet<usize> {
    static PATH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"/|(?i)\b(?:folder|directory)\b").expect("path cell"));
    let mut out = BTreeSet::new();
    for i in 0..lines.len() {
        if !is_table_header(lines, i) {
            continue;
        }
        let licence_columns: Vec<usize> = cells(lines[i])
            .iter()
            .enumerate()
            .filter(|(_, c)| TERMS_WORDS.is_match(c))
            .map(|(k, _)| k)
            .collect();
        for (j, row) in lines.iter().enumerate().skip(i + 2) {
            if !row.contains('|') {
                break;
            }
            let row_cells = cells(row);
            let unread = licence_columns.iter().any(|&k| {
                row_cells
                    .get(k)
                    .is_some_and(|c| !c.is_empty() && reference::references(c).is_empty())
            });
            let for_a_path = row_cells
                .iter()
                .enumerate()
                .any(|(k, c)| !licence_columns.contains(&k) && PATH.is_match(c));
            if unread && for_a_path {
                out.insert(j);
            }
        }
    }
    out
}

/// Whether line `i` is a Markdown table's header row: cells between `|`, the next line a delimiter row
/// (`|---|:---:|`) with as many cells, and each cell a column's label of a few plain words (a label that
/// negates, restricts or permits is read like any other line).
fn is_table_header(lines: &[&str], i: usize) -> bool {
    static DELIMITER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$").expect("delimiter row")
    });
    static LABEL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z .&()-]{0,40}$").expect("column label"));
    const NOT_A_LABEL: &[&str] = &[
        "not",
        "no",
        "only",
        "must",
        "may",
        "can",
        "shall",
        "except",
        "without",
        "reserved",
        "prohibited",
        "internal",
        "permission",
        "permitted",
        "restricted",
        "confidential",
    ];
    let (Some(line), Some(next)) = (lines.get(i), lines.get(i + 1)) else {
        return false;
    };
    if !line.contains('|') || !DELIMITER.is_match(next) {
        return false;
    }
    let header = cells(line);
    header.len() >= 2
        && header.len() == cells(next).len()
        && header.iter().all(|c| {
            LABEL.is_match(c)
                && c.split_whitespace().count() <= 4
                && c.split_whitespace()
                    .all(|w| !NOT_A_LABEL.contains(&w.to_lowercase().as_str()))
        })
}

/// What a notice's claims ask of a person, if anything: none when the repository has its own grant, every
/// licence the notice names is one the policy allows, and what it says of the project itself agrees with the
/// licences in effect. `eff` is the licences in effect for the repository.
pub fn weigh(
    file: &str,
    licences: &[NoticeLicence],
    report: &LicenseReport,
    eff: &Effective,
    policy: &Policy,
) -> Vec<String> {
    let in_effect = |id: &str| eff.licenses.iter().any(|e| family(e) == family(id));
    let own_grant = report
        .findings
        .iter()
        .any(|f| !f.scope.is_partial() && in_effect(&f.license));
    if !own_grant {
        let ids: Vec<&str> = licences.iter().map(|l| l.id.as_str()).collect();
        return vec![format!(
            "{file}: a notice naming the licences of other works ({}), and no licence of the repository's own",
            ids.join(", ")
        )];
    }
    let mut out = Vec::new();
    for l in licences {
        let (file, line, id, text) = (file, l.line, &l.id, &l.text);
        if action_of(id, policy) != Action::Allow {
            out.push(format!(
                "{file}:{line}: the notice names {id} for a work it attributes, and the policy does not allow it: \"{text}\""
            ));
        } else if l.own && !in_effect(id) {
            out.push(format!(
                "{file}:{line}: the notice says the project is under {id}, which its licence files do not: \"{text}\""
            ));
        }
    }
    out
}

/// Whether line `i` of a notice withholds rights: a carve-out ("may not be redistributed") or a statement
/// that permission is withheld — except "All rights reserved" said of a holder, on a copyright line or on
/// the line just below one, which BSD-style notices carry beside their grant.
fn withholds(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    if statement::is_carve_out(line) {
        return true;
    }
    if !holders::withholds(line) {
        return false;
    }
    let only_reserved = line
        .trim()
        .trim_end_matches('.')
        .eq_ignore_ascii_case("all rights reserved");
    let of_holder = holders::is_copyright_line(line)
        || (only_reserved && i > 0 && holders::is_copyright_line(lines[i - 1]));
    !of_holder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_speak_of_terms_must_name_a_licence() {
        let lines = [
            "## Licensing of bundled works",
            "Contains Bootstrap licensed under the MIT License.",
            "Copyright (c) 2011 Example Ltd, licensed to us",
            "The Frutiger font is used under a commercial licence from the foundry.",
            "The logo is used with permission.",
            "Thanks to everyone who helped.",
        ];
        let found: Vec<usize> = unaccounted(&lines).into_iter().map(|(i, _)| i).collect();
        assert_eq!(found, [3, 4]);
        let pointers = [
            "List of third-party dependencies grouped by their license type",
            "See the file [LICENCE.txt](./LICENCE.txt) for licensing information for this project.",
            "The font is used under the foundry's licence, see [terms](terms.md).",
        ];
        let found: Vec<usize> = unaccounted(&pointers).into_iter().map(|(i, _)| i).collect();
        assert_eq!(
            found,
            [2],
            "a pointer accounts for itself only, not for terms beside it"
        );
        let mut apache = vec![
            "Licensed under the Apache License, Version 2.0 (the \"License\");",
            "you may not use this file except in compliance with the License.",
            "",
            "See the License for the specific language governing permissions and",
        ];
        apache.extend([""; DEFINED_TERM_REACH]);
        apache.extend([
            "The fonts are used in compliance with the License.",
            "This project uses libraries under several licences.",
        ]);
        let found: Vec<usize> = unaccounted(&apache).into_iter().map(|(i, _)| i).collect();
        assert_eq!(
            found,
            [4 + DEFINED_TERM_REACH],
            "'the License' is named only near the licence it stands for"
        );
    }

    #[test]
    fn a_table_header_is_structure_and_its_rows_are_claims() {
        let lines = [
            "The table below includes licences for all Maven dependencies.",
            "",
            "| Group | Artifact | Version | Licence | Licence |",
            "|-------|----------|---------|---------|---------|",
            "| org.slf4j | slf4j-api | 1.7.24 | MIT | |",
            "| com.example | engine | 2.0 | Acme Engine Licence | |",
            "| com.example | fonts | 2.0 | AL 2.0 | |",
            "| vendor/fonts | fonts | 2.0 | Foundry Type 2 | |",
            "",
            "| Licence | Not for redistribution |",
            "|---------|------------------------|",
        ];
        let found: Vec<usize> = unaccounted(&lines).into_iter().map(|(i, _)| i).collect();
        assert_eq!(
            found,
            [5, 7, 9],
            "the header is structure; a row naming an unknown licence, one whose unread licence cell speaks for \
             a path, and a header that restricts are not"
        );
    }

    #[test]
    fn all_rights_reserved_of_a_holder_is_not_withholding_but_a_prohibition_is() {
        let lines = [
            "Copyright (c) 2005, Example Survey",
            "All rights reserved.",
            "Copyright 2011 Example Ltd. All rights reserved.",
            "The fonts may not be redistributed.",
            "All rights reserved.",
            "Use without prior written permission is not allowed.",
        ];
        let withheld: Vec<usize> = (0..lines.len()).filter(|&i| withholds(&lines, i)).collect();
        assert_eq!(withheld, [3, 4, 5]);
    }
}
