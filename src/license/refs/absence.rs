//! The search for any licence name or grant by reference before a repository is said to have no licence
//! anywhere: every blob of every pushed tree, once per blob id, read up to a bound.

use std::collections::{BTreeMap, HashSet};
use std::ops::ControlFlow;

use git2::{ObjectType, Odb, Oid, Repository};
use serde::{Deserialize, Serialize};

use super::RefLimits;
use crate::license::discovery;

/// The search for any licence name or grant before a repository is said to have no licence anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceSearch {
    pub blobs_read: usize,
    /// Every blob of every pushed tree was read (within the bytes bound per blob).
    pub complete: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
    /// Source and script files read ([`crate::license::claims::is_code_path`]), and how many of them carry a licence
    /// in their own header: how far headers cover the repository's own work.
    #[serde(default)]
    pub code_files: usize,
    #[serde(default)]
    pub header_files: usize,
    /// Lines found that speak for a part only ([`crate::license::claims::MentionScope`]), kept or not: they never stop
    /// the search.
    #[serde(default)]
    pub part_mentions: usize,
    /// Files of the pushed trees that could not be read (their blob or folder is not in the object store,
    /// e.g. dropped by a size limit of the store), at most [`MAX_NAMED_UNREAD`] of them named, with how many
    /// in all: the search goes on past each, and the repository's absence of a licence is not shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
    #[serde(default)]
    pub unread_count: usize,
    /// How many of the unread files could not, by their paths, hold a claim for the repository as a whole
    /// ([`crate::license::claims::could_speak_for_repository`]: a notebook, an image, a jar below the root): such a
    /// file cannot make the repository licensed. Unread folders and trees are never counted here.
    #[serde(default)]
    pub unread_cannot_speak: usize,
    /// Files read that are the repository's program, and files that are its pages
    /// ([`crate::license::claims::work_of`]): how far a page footer's licence could be the licence of its work.
    #[serde(default)]
    pub program_files: usize,
    #[serde(default)]
    pub page_files: usize,
    /// The search stopped at its bound on blobs read ([`RefLimits::max_search_blobs`]).
    #[serde(default)]
    pub bound_reached: bool,
}

/// The most unreadable files an [`AbsenceSearch`] names.
pub const MAX_NAMED_UNREAD: usize = 10;

impl AbsenceSearch {
    /// Why the search is not complete, said for the verdict (`None` when it is).
    pub fn incomplete_reason(&self) -> Option<String> {
        if self.complete {
            return None;
        }
        let mut why = Vec::new();
        if self.bound_reached {
            why.push(format!(
                "stopped at its bound ({} files read)",
                self.blobs_read
            ));
        }
        if self.unread_count > 0 {
            let more = self.unread_count.saturating_sub(self.unread.len());
            why.push(format!(
                "could not read {} file(s) that are not in the mirror's object store ({}{})",
                self.unread_count,
                self.unread.join(", "),
                if more > 0 {
                    format!(", and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        if why.is_empty() {
            why.push(format!("is incomplete ({} files read)", self.blobs_read));
        }
        Some(why.join(", and "))
    }

    /// A file or folder the search could not read; `file` is the path of a file, None for a folder or tree.
    fn name_unread(&mut self, what: String, file: Option<&str>) {
        self.complete = false;
        self.unread_count += 1;
        if file.is_some_and(|path| !crate::license::claims::could_speak_for_repository(path)) {
            self.unread_cannot_speak += 1;
        }
        if self.unread.len() < MAX_NAMED_UNREAD {
            self.unread.push(what);
        }
    }
}

/// A line that names a licence or grants by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The ref the file was first seen in.
    pub reference: String,
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// The licence named (SPDX id), if one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// The line, cut to 200 characters.
    pub text: String,
    /// The part the line is known to speak for only, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<crate::license::claims::MentionScope>,
}

/// Search every blob of every pushed tree (once per blob id, the first `max_search_bytes` of each, text only)
/// for a line that names a licence or grants by reference. The search stops at its bound on blobs read (then
/// it is not complete), or once it holds as many lines that may speak for the repository as it keeps.
pub fn search_absence(
    repo: &Repository,
    tips: &BTreeMap<String, Oid>,
    limits: &RefLimits,
) -> AbsenceSearch {
    let mut search = AbsenceSearch::starting();
    let Ok(odb) = repo.odb() else {
        search.complete = false;
        return search;
    };
    let mut seen = Seen::default();
    for (name, tip) in tips {
        let Ok(tree) = repo.find_object(*tip, None).and_then(|o| o.peel_to_tree()) else {
            search.name_unread(format!("the tree of {name}"), None);
            continue;
        };
        let at = Tip {
            repo,
            odb: &odb,
            name,
        };
        if search.search_tree(&at, tree, &mut seen, limits).is_break() {
            break;
        }
    }
    search
}

/// The trees and blobs searched so far: each is read once whichever ref it is in.
#[derive(Default)]
struct Seen {
    trees: HashSet<Oid>,
    blobs: HashSet<Oid>,
}

/// The ref being searched, and where its objects are read from.
struct Tip<'a> {
    repo: &'a Repository,
    odb: &'a Odb<'a>,
    name: &'a str,
}

impl AbsenceSearch {
    /// A search not yet begun: complete until something is left unread.
    fn starting() -> AbsenceSearch {
        AbsenceSearch {
            blobs_read: 0,
            complete: true,
            mentions: Vec::new(),
            code_files: 0,
            header_files: 0,
            part_mentions: 0,
            unread: Vec::new(),
            unread_count: 0,
            unread_cannot_speak: 0,
            program_files: 0,
            page_files: 0,
            bound_reached: false,
        }
    }

    /// Search every tree and blob under `tree` not seen before; a folder that cannot be read is named and
    /// passed. `Break` when the search is to stop.
    fn search_tree(
        &mut self,
        at: &Tip<'_>,
        tree: git2::Tree<'_>,
        seen: &mut Seen,
        limits: &RefLimits,
    ) -> ControlFlow<()> {
        let mut stack = vec![(tree, String::new())];
        while let Some((tree, prefix)) = stack.pop() {
            if !seen.trees.insert(tree.id()) {
                continue;
            }
            for entry in tree.iter() {
                let path = format!("{prefix}{}", String::from_utf8_lossy(entry.name_bytes()));
                match entry.kind() {
                    Some(ObjectType::Tree) => match at.repo.find_tree(entry.id()) {
                        Ok(sub) => stack.push((sub, format!("{path}/"))),
                        Err(_) => self.name_unread(format!("{path}/ in {}", at.name), None),
                    },
                    Some(ObjectType::Blob) if seen.blobs.insert(entry.id()) => {
                        self.search_blob(at, entry.id(), &path, limits)?
                    }
                    _ => {}
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// Read one blob at `path` (within the bounds) and count what it is; a text is searched for mentions. A
    /// blob missing from the store is named, and the search goes on. `Break` when the search is to stop.
    fn search_blob(
        &mut self,
        at: &Tip<'_>,
        id: Oid,
        path: &str,
        limits: &RefLimits,
    ) -> ControlFlow<()> {
        if self.blobs_read >= limits.max_search_blobs {
            self.complete = false;
            self.bound_reached = true;
            return ControlFlow::Break(());
        }
        self.blobs_read += 1;
        let Ok(object) = at.odb.read(id) else {
            // Named, and the search goes on: one missing file does not hide the rest.
            self.name_unread(format!("{path} in {}", at.name), Some(path));
            return ControlFlow::Continue(());
        };
        let data = object.data();
        let head = &data[..data.len().min(limits.max_search_bytes)];
        if head[..head.len().min(8000)].contains(&0) {
            return ControlFlow::Continue(());
        }
        let decoded = discovery::decode_text(head);
        let code = crate::license::claims::is_code_path(path);
        self.code_files += usize::from(code);
        match crate::license::claims::work_of(path) {
            crate::license::claims::Work::Program => self.program_files += 1,
            crate::license::claims::Work::Page => self.page_files += 1,
            crate::license::claims::Work::Other => {}
        }
        let header = self.record_mentions(at.name, path, &decoded, limits)?;
        self.header_files += usize::from(header && code);
        ControlFlow::Continue(())
    }

    /// Keep the mentions in a file's text: every one that may speak for the repository, and those that speak
    /// for a part only up to the bound (they never stop the search). `Continue(whether the file carries a
    /// licence in its own header)`, or `Break` once the search holds as many lines for the repository as it
    /// keeps.
    fn record_mentions(
        &mut self,
        reference: &str,
        path: &str,
        decoded: &str,
        limits: &RefLimits,
    ) -> ControlFlow<(), bool> {
        let mut header = false;
        for (line, license, text) in mentions_in(decoded) {
            let scope = crate::license::claims::mention_scope(path, decoded, line);
            header |= scope == Some(crate::license::claims::MentionScope::FileHeader);
            if scope.is_some() {
                self.part_mentions += 1;
                if self.part_mentions > limits.max_mentions {
                    continue;
                }
            }
            self.mentions.push(Mention {
                reference: reference.to_owned(),
                file: path.to_owned(),
                line,
                license,
                text,
                scope,
            });
            let whole = self.mentions.iter().filter(|m| m.scope.is_none()).count();
            if whole >= limits.max_mentions {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(header)
    }
}

/// The lines of a text that name a licence or grant by reference: (1-based line, licence id, the line cut to
/// 200 characters). Only lines with a licence word are read closely.
///
/// A person reads a wrapped sentence whole: a licence name or grant that a comment block or a paragraph wraps
/// onto the next line ("subject to the terms of the Mozilla Public" / "# License, v. 2.0") is a mention too,
/// found on the two lines joined (the next line's comment markers dropped) and reported at the line where it
/// starts. Reading one line at a time, the search said "no licence named in any file" of a repository whose
/// copied module carried an MPL-2.0 header wrapped that way.
pub fn mentions_in(text: &str) -> Vec<(usize, Option<String>, String)> {
    let lines: Vec<&str> = text.lines().collect();
    // Most lines hold no licence word; a wrapped mention holds one on one of its two lines ("public" /
    // "domain" apart, each is read with its neighbour anyway).
    let worded: Vec<bool> = lines.iter().map(|l| licence_worded(l)).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !worded[i] && !worded.get(i + 1).copied().unwrap_or(false) {
            continue;
        }
        let alone = worded[i].then(|| mention(line, usize::MAX)).flatten();
        if let Some(Some(id)) = alone {
            let cut: String = line.trim().chars().take(200).collect();
            out.push((i + 1, Some(id), cut));
            continue;
        }
        let head = line.trim_end();
        let wrapped = lines.get(i + 1).and_then(|next| {
            let rest = without_comment_marker(next);
            let joined = format!("{head} {rest}");
            // Only what starts on this line is this line's: the next line alone is read in its turn.
            match mention(&joined, head.len()) {
                Some(Some(id)) => Some((Some(id), joined)),
                Some(None) if mention(rest, usize::MAX).is_none() => Some((None, joined)),
                _ => None,
            }
        });
        let found = match (alone, wrapped) {
            (_, Some((Some(id), joined))) => Some((Some(id), joined)),
            (Some(named), _) => Some((named, line.to_string())),
            (None, wrapped) => wrapped,
        };
        if let Some((named, text)) = found {
            let cut: String = text.trim().chars().take(200).collect();
            out.push((i + 1, named, cut));
        }
    }
    out
}

/// Whether `text` names a licence (starting before byte `starts_before`) or grants by reference:
/// `Some(the licence id, if one is named)`.
fn mention(text: &str, starts_before: usize) -> Option<Option<String>> {
    if !licence_worded(text) {
        return None;
    }
    let named = crate::license::reference::references(text)
        .into_iter()
        .find(|r| r.offset < starts_before)
        .map(|r| r.id);
    (named.is_some() || crate::license::statement::grants_by_reference(text)).then_some(named)
}

/// Whether a text holds a word that every licence mention holds one of.
fn licence_worded(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["licen", "spdx", "copyleft", "public domain", "gnu "]
        .iter()
        .any(|w| lower.contains(w))
}

/// A line without its leading comment markers and indentation (`#`, `//`, `*`, `--`, `;`, `%`, `REM`):
/// the words a wrapped comment continues with.
fn without_comment_marker(line: &str) -> &str {
    let t = line.trim_start_matches(|c: char| c.is_whitespace() || "#/*;%-!".contains(c));
    let t = t
        .strip_prefix("REM ")
        .or_else(|| t.strip_prefix("rem "))
        .or_else(|| t.strip_prefix("@REM "))
        .unwrap_or(t);
    t.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_naming_a_licence_or_granting_are_mentions_and_code_is_not() {
        let text = "# Legal\n\nThe software is licensed under the GNU Affero General Public License v3.0.\nlet licence_key = read();\n";
        let found = mentions_in(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert_eq!(
            found[0].1.as_deref().map(crate::license::detect::family),
            Some("AGPL-3.0")
        );
        assert!(mentions_in("fn licence_check() {}\n").is_empty());
    }

    /// moj-analytical-services/splink_synthetic_data: a copied module's MPL-2.0 header wraps the licence's
    /// name across two comment lines, and the search read one line at a time.
    #[test]
    fn a_licence_name_wrapped_across_comment_lines_is_a_mention_at_the_line_it_starts() {
        for (text, first) in [
            (
                "#  This Source Code Form is subject to the terms of the Mozilla Public\n#  License, v. 2.0. If a copy was not distributed with this\n#  file, you can obtain one online.\nimport random\n",
                1,
            ),
            (
                "// Released under the GNU General\n// Public License, version 3.\n",
                1,
            ),
            (
                "Some words first.\nThe project is released under the Apache\nLicense, Version 2.0.\n",
                2,
            ),
        ] {
            let found = mentions_in(text);
            assert!(
                found
                    .iter()
                    .any(|(line, id, _)| *line == first && id.is_some()),
                "{text:?}: {found:?}"
            );
        }
        // Words that name nothing, wrapped or not, are still nothing.
        assert!(mentions_in("# The licence key is read\n# from the environment.\n").is_empty());
    }
}
