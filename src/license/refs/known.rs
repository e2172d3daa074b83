//! The digest of the licence evidence that decides a verdict ([`fingerprint`]), and the trees whose evidence
//! is known exactly: read in full, or derived from a known tree by patches ([`Known`], [`Patch`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;

use git2::{Oid, Repository};

use super::compare::whole_text;
use crate::license::Discovery;
use crate::license::discovery;

/// The evidence of discovery that decides a verdict, for comparing refs, as one digest: what was read and
/// where (each candidate's kind, path, line, digest, text), what was skipped and why, tool defaults, and the
/// layout of nested licence folders. Not the commit or branch read, nor the third-party assets (judged once
/// for the repository over every pushed blob, see [`crate::license::history::assets`]).
pub fn fingerprint(d: &Discovery) -> String {
    Records::of(d).evidence().0
}

/// A candidate's record in the evidence, with and without its file's digest.
fn record(c: &crate::license::Candidate) -> ([u8; 32], [u8; 32]) {
    use sha2::{Digest, Sha256};
    let mut with = Sha256::new();
    let mut without = Sha256::new();
    for (i, part) in [
        format!("{:?}", c.kind).as_str(),
        c.path.as_str(),
        &c.first_line.to_string(),
        c.sha256.as_str(),
        if c.truncated { "cut" } else { "whole" },
        c.text.as_str(),
    ]
    .into_iter()
    .enumerate()
    {
        with.update(part.as_bytes());
        with.update([0]);
        if i != 3 {
            without.update(part.as_bytes());
            without.update([0]);
        }
    }
    (with.finalize().into(), without.finalize().into())
}

/// A file's path and its [`record`]s, with its digest and without.
type FileRecord = (String, [u8; 32], [u8; 32]);

/// The records of a discovery, kept so that a patch recomputes only the records of the files it changes.
#[derive(Debug, Clone)]
struct Records {
    /// One for each candidate and notice.
    files: Vec<FileRecord>,
    /// Skipped files, tool defaults and the layout, which patches never change.
    rest: Vec<String>,
}

impl Records {
    fn of(d: &Discovery) -> Records {
        let files = d
            .candidates
            .iter()
            .chain(d.notices.iter())
            .map(|c| {
                let (with, without) = record(c);
                (c.path.clone(), with, without)
            })
            .collect();
        let rest = d
            .skipped
            .iter()
            .map(|s| format!("skip\0{}\0{}", s.path, s.reason))
            .chain(
                d.tool_defaults
                    .iter()
                    .map(|s| format!("default\0{}\0{}", s.path, s.reason)),
            )
            .chain(
                d.layout
                    .iter()
                    .map(|l| format!("layout\0{}\0{}", l.folders.join("\0"), l.outside.join("\0"))),
            )
            .collect();
        Records { files, rest }
    }

    /// The evidence digest, with the files' digests and without (a report depends on the digests only
    /// through [`LicenseReport::files`], so reports are shared by the second).
    fn evidence(&self) -> (String, String) {
        use sha2::{Digest, Sha256};
        let mut rest = self.rest.clone();
        rest.sort();
        rest.dedup();
        let digest = |pick: &dyn Fn(&FileRecord) -> [u8; 32]| {
            let mut records: Vec<[u8; 32]> = self.files.iter().map(pick).collect();
            records.sort();
            records.dedup();
            let mut h = Sha256::new();
            for r in &records {
                h.update(r);
            }
            for r in &rest {
                h.update(r.as_bytes());
                h.update([0]);
            }
            hex::encode(h.finalize())
        };
        (digest(&|r| r.1), digest(&|r| r.2))
    }
}

/// A tree whose licence evidence is known exactly: read in full, or carried over from a tree it differs from
/// only in ways that cannot change it, or only as patches say. The discovery is kept as read, with the
/// patches beside it: most refs never need it written out.
pub(super) struct Known {
    pub(super) tree: Oid,
    /// The discovery of the tree read in full that this one descends from.
    pub(super) read: Rc<Discovery>,
    /// What differs from `read`, by path (lines of manifests mapped from `read`'s).
    patches: Rc<BTreeMap<String, Patch>>,
    pub(super) reach: Rc<Reach>,
    records: Rc<Records>,
    /// [`Records::evidence`].
    pub(super) evidence: (String, String),
    /// Which files discovery's header scan reads in this tree ([`HeaderWindow`]).
    pub(super) window: HeaderWindow,
}

/// Which files discovery's header scan reads in a tree whose evidence is known, said so that it can be
/// carried to a tree that differs from it: the scan reads the files it may read
/// ([`discovery::header_scan_place`]) whose blob it can read as text, in its order
/// ([`discovery::header_scan_order`]), up to [`Limits::max_files_scanned_for_headers`](discovery::Limits).
/// Which files those are is a function of the tree's file list and of each file's size, so a difference
/// between two trees says exactly how it moves (see `Comparer::window_change`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum HeaderWindow {
    /// The scan read every file it may read, and there are at most this many (fewer than the bound): exact
    /// for a tree read in full; carried, it grows by every file added that the scan may read and shrinks
    /// only by those it surely read.
    Below(usize),
    /// The scan stopped at its bound. There are exactly `count` (at least the bound) files it would read up
    /// to and including `last` in its order, and it read the first of them up to the bound; when `clear`,
    /// none of them holds an SPDX line. Carried while the count stays the bound, or, when `clear`, at least
    /// the bound: files added or removed after `last` do not move it, and files changed in place do not.
    AtBound {
        last: Rc<str>,
        count: usize,
        clear: bool,
    },
    /// Not known (a tree read by discovery's fallback, or whose trees are not in git's order): a change to
    /// any file the scan may read may change what it reads.
    Unknown,
}

impl HeaderWindow {
    /// The window of a tree read in full through `cache` with the bound `bound` (see
    /// [`discovery::HeaderCache::last_header_cutoff`]).
    pub(super) fn of_read(cache: &discovery::HeaderCache, bound: usize) -> HeaderWindow {
        let scanned = cache.last_headers_scanned;
        match &cache.last_header_cutoff {
            _ if scanned < bound => HeaderWindow::Below(scanned),
            Some(last) if scanned == bound && cache.last_header_count >= bound => {
                HeaderWindow::AtBound {
                    last: last.as_str().into(),
                    count: cache.last_header_count,
                    // Files past the bound are counted only when the window holds no SPDX line.
                    clear: cache.last_headers_clear,
                }
            }
            _ => HeaderWindow::Unknown,
        }
    }
}

impl Known {
    pub(super) fn read_in_full(
        repo: &Repository,
        tree: Oid,
        d: Discovery,
        window: HeaderWindow,
    ) -> Known {
        let records = Records::of(&d);
        Known {
            tree,
            window,
            reach: Rc::new(Reach::of(repo, tree, &d)),
            evidence: records.evidence(),
            records: Rc::new(records),
            read: Rc::new(d),
            patches: Rc::new(BTreeMap::new()),
        }
    }

    /// The tree `tree`, whose difference from this one is `changes`; `None` when a change does not fit the
    /// candidates it should patch (then the tree is read in full).
    pub(super) fn derive(
        &self,
        tree: Oid,
        changes: Vec<Patch>,
        window: HeaderWindow,
    ) -> Option<Known> {
        if changes.is_empty() {
            return Some(Known {
                tree,
                window,
                read: self.read.clone(),
                patches: self.patches.clone(),
                reach: self.reach.clone(),
                records: self.records.clone(),
                evidence: self.evidence.clone(),
            });
        }
        let mut patches = BTreeMap::clone(&self.patches);
        for change in changes {
            if !fits(&self.read, &change) {
                return None;
            }
            let change = composed(&self.read, &patches, change)?;
            patches.insert(change.path().to_owned(), change);
        }
        let records = self.patched_records(&patches)?;
        Some(Known {
            tree,
            window,
            read: self.read.clone(),
            patches: Rc::new(patches),
            reach: self.reach.clone(),
            evidence: records.evidence(),
            records: Rc::new(records),
        })
    }

    /// The records of the tree read, with each candidate that `patches` touch recomputed as patched; `None`
    /// when a patch does not apply.
    fn patched_records(&self, patches: &BTreeMap<String, Patch>) -> Option<Records> {
        let mut records = Records::clone(&self.records);
        for (i, c) in self
            .read
            .candidates
            .iter()
            .chain(self.read.notices.iter())
            .enumerate()
        {
            if let Some(patch) = patches.get(&c.path) {
                let mut c = c.clone();
                patch.apply(&mut c)?;
                let (with, without) = record(&c);
                records.files[i] = (c.path, with, without);
            }
        }
        Some(records)
    }

    /// The discovery of this tree, written out.
    pub(super) fn discovery(&self) -> Discovery {
        let mut d = Discovery::clone(&self.read);
        if self.patches.is_empty() {
            return d;
        }
        for c in d.candidates.iter_mut().chain(d.notices.iter_mut()) {
            if let Some(patch) = self.patches.get(&c.path) {
                // `derive` checked every patch fits.
                let _ = patch.apply(c);
            }
        }
        d
    }

    /// The files of this tree's report, as [`Detector::detect`] lists them: each candidate's path and digest.
    pub(super) fn files(&self) -> Vec<crate::license::FileDigest> {
        let mut files: Vec<crate::license::FileDigest> = self
            .read
            .candidates
            .iter()
            .map(|c| crate::license::FileDigest {
                path: c.path.clone(),
                sha256: self
                    .patches
                    .get(&c.path)
                    .map_or(c.sha256.clone(), |p| p.sha256().to_owned()),
            })
            .collect();
        files.dedup();
        files
    }
}

/// The candidates and notices of `read` at `path`.
fn candidates_at<'a>(
    read: &'a Discovery,
    path: &'a str,
) -> impl Iterator<Item = &'a crate::license::Candidate> {
    read.candidates
        .iter()
        .chain(read.notices.iter())
        .filter(move |c| c.path == path)
}

/// Whether a patch fits what `read` holds at its path: a whole text patches whole-text candidates (and there
/// must be one), a README or manifest patch only candidates of that kind.
fn fits(read: &Discovery, change: &Patch) -> bool {
    let path = change.path();
    match change {
        Patch::Text { .. } => {
            candidates_at(read, path).next().is_some()
                && candidates_at(read, path).all(|c| c.first_line == 1 && whole_text(c.kind))
        }
        Patch::Readme { .. } => {
            candidates_at(read, path).all(|c| c.kind == crate::license::SourceKind::Readme)
        }
        Patch::Manifest { .. } => {
            candidates_at(read, path).all(|c| c.kind == crate::license::SourceKind::Manifest)
        }
    }
}

/// A patch composed with the one `patches` already holds for its path, so that it applies to `read`: a
/// manifest's lines as `read` has them are mapped to this tree's, then to the new one's (`None` when a line
/// has no place). Other patches replace what was there.
fn composed(read: &Discovery, patches: &BTreeMap<String, Patch>, change: Patch) -> Option<Patch> {
    let Patch::Manifest {
        path,
        sha256,
        lines,
    } = change
    else {
        return Some(change);
    };
    let before = match patches.get(&path) {
        Some(Patch::Manifest { lines, .. }) => Some(lines.clone()),
        _ => None,
    };
    let mut mapped = HashMap::new();
    for c in candidates_at(read, &path) {
        let here = match &before {
            Some(before) => *before.get(&c.first_line)?,
            None => c.first_line,
        };
        mapped.insert(c.first_line, *lines.get(&here)?);
    }
    Some(Patch::Manifest {
        path,
        sha256,
        lines: mapped,
    })
}

/// Where discovery looked in a tree, beyond what it reads by name.
#[derive(Debug, Default)]
pub(super) struct Reach {
    /// The paths it read or reported (candidates, notices, skipped files, tool defaults): a change at, below
    /// or above one is licence evidence, unless the file's new content is read as discovery reads it.
    pub(super) paths: HashSet<String>,
    /// Where the symbolic links among them lead: a change there is licence evidence.
    pub(super) links: HashSet<String>,
}

impl Reach {
    fn of(repo: &Repository, tree: Oid, d: &Discovery) -> Reach {
        let paths: HashSet<String> = d
            .candidates
            .iter()
            .chain(d.notices.iter())
            .map(|c| c.path.clone())
            .chain(
                d.skipped
                    .iter()
                    .chain(d.tool_defaults.iter())
                    .map(|s| s.path.clone()),
            )
            .collect();
        let mut links = HashSet::new();
        if let Ok(root) = repo.find_tree(tree) {
            for path in &paths {
                let mut at = path.clone();
                for _ in 0..8 {
                    let Ok(entry) = root.get_path(Path::new(&at)) else {
                        break;
                    };
                    if entry.filemode() != i32::from(git2::FileMode::Link) {
                        break;
                    }
                    let Ok(blob) = repo.find_blob(entry.id()) else {
                        break;
                    };
                    let target = String::from_utf8_lossy(blob.content()).into_owned();
                    let Some(resolved) = discovery::resolve_link_target(&at, &target) else {
                        break;
                    };
                    links.insert(resolved.clone());
                    at = resolved;
                }
            }
        }
        Reach { paths, links }
    }

    /// Whether `path` is at, below or above one of `set`.
    pub(super) fn touches(set: &HashSet<String>, path: &str) -> bool {
        set.contains(path)
            || set.iter().any(|r| {
                path.starts_with(r.as_str()) && path.as_bytes().get(r.len()) == Some(&b'/')
                    || r.starts_with(path) && r.as_bytes().get(path.len()) == Some(&b'/')
            })
    }
}

/// A changed file whose new content discovery would read as it read the old: what its candidates become.
#[derive(Debug, Clone)]
pub(super) enum Patch {
    /// A licence, notice or documentation page read whole: its new text, digest and whether it was cut.
    Text {
        path: String,
        text: String,
        sha256: String,
        truncated: bool,
    },
    /// A manifest whose declarations are unchanged: its new digest, and each declaration's old line → new.
    Manifest {
        path: String,
        sha256: String,
        lines: HashMap<usize, usize>,
    },
    /// A root README whose licence sections are unchanged: its new digest.
    Readme { path: String, sha256: String },
}

impl Patch {
    fn path(&self) -> &str {
        match self {
            Patch::Text { path, .. }
            | Patch::Manifest { path, .. }
            | Patch::Readme { path, .. } => path,
        }
    }

    fn sha256(&self) -> &str {
        match self {
            Patch::Text { sha256, .. }
            | Patch::Manifest { sha256, .. }
            | Patch::Readme { sha256, .. } => sha256,
        }
    }

    /// Apply to a candidate of the patched file (`None` when a manifest line has no mapping).
    fn apply(&self, c: &mut crate::license::Candidate) -> Option<()> {
        match self {
            Patch::Text {
                text,
                sha256,
                truncated,
                ..
            } => {
                c.text = text.clone();
                c.sha256 = sha256.clone();
                c.truncated = *truncated;
            }
            Patch::Manifest { sha256, lines, .. } => {
                c.sha256 = sha256.clone();
                c.first_line = *lines.get(&c.first_line)?;
            }
            Patch::Readme { sha256, .. } => c.sha256 = sha256.clone(),
        }
        Some(())
    }
}
