//! The licence evidence of every ref that republication pushes, not only the default branch's; and, before a
//! repository is said to have no licence anywhere, a search of every text file of those refs for licence names
//! and grant language.
//!
//! Republication pushes every branch and tag (`refs/heads/*`, `refs/tags/*`, see `publish::git::mirror_refs`),
//! so a proprietary LICENSE on a branch other than the default is published too. [`evidence`] reads the
//! default branch as before, then judges the tree of every other pushed ref, refs sharing a tree once.
//!
//! **Judging by difference.** A project's release tags differ on every tag, but its licence evidence seldom
//! does. Each tree is compared (a git tree-to-tree diff, which skips identical subtrees) with a tree whose
//! evidence is already known exactly: the one judged just before it (trees go newest first), the last one
//! read in full, and the default branch's. If no changed file can change what discovery reads — see
//! [`Comparer::change`]: not a licence-like, notice, manifest or README name, not in a licence-named folder or
//! beside a licence file deep in one, no file discovery read or reported, no `SPDX-License-Identifier` line
//! in the head of the old or new version, nothing but plain files, no entry added or removed where nested
//! licence folders are laid out — the tree carries that evidence; a manifest or root README whose licence
//! content is unchanged (a version bump) is carried with its new digest and lines. Otherwise the tree is read
//! in full by discovery and becomes known itself. A ref whose evidence is the default branch's is done; one
//! whose evidence differs carries its own report, which the verdict judges ([`crate::verdict::judge`]):
//! anything but *allowed* there makes the repository *needs review*, naming the ref. A ref whose tree holds no
//! licence-like text at all is under the repository's licence (an orphan `gh-pages` branch of built pages).
//! Bounds ([`RefLimits`]) are on work — trees read in full, changed files compared — and a ref they leave
//! unjudged is named, never dropped (the invariant of [`judge_refs`]).
//!
//! Third-party assets are not judged per ref: [`super::history::assets`] reads every pushed blob once.
//!
//! [`search_absence`] is the evidence that *forbidden, no licence anywhere* needs: every blob of every pushed
//! tree, once per blob id, read up to a bound, searched line by line for a licence's name
//! ([`super::reference::references`]) or a grant by reference ([`super::statement::grants_by_reference`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository, RepositoryOpenFlags};
use serde::{Deserialize, Serialize};

use super::detect::Detector;
use super::discovery::{self, HeaderCache, Limits};
use super::manifest;
use super::{Discovery, LicenseReport, Observation};

/// Bounds on the work of judging other refs and searching for absence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefLimits {
    /// The most tree entries walked by reading trees (besides the default branch's) in full: only trees whose
    /// difference from every tree they were compared with touches licence evidence are. A full read walks
    /// the tree's entries and reads only the blobs no tree read before held (see [`HeaderCache`]), so the
    /// bound is on that work, not on the number of trees.
    pub max_read_entries: usize,
    /// The most bytes of blobs read from the object database by those full reads (blobs read before are
    /// not read again).
    pub max_read_bytes: usize,
    /// The most changed files examined by comparing trees, over all refs.
    pub max_changes: usize,
    /// The most distinct blobs read by the absence search.
    pub max_search_blobs: usize,
    /// The bytes of each blob the absence search reads.
    pub max_search_bytes: usize,
    /// The most mentions kept by the absence search (one is enough to need a person).
    pub max_mentions: usize,
}

impl Default for RefLimits {
    fn default() -> Self {
        RefLimits {
            max_read_entries: 5_000_000,
            max_read_bytes: 512 * 1024 * 1024,
            max_changes: 2_000_000,
            max_search_blobs: 50_000,
            max_search_bytes: 256 * 1024,
            max_mentions: 20,
        }
    }
}

/// What the other pushed refs say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefsJudged {
    /// Refs that republication pushes (branches and tags), the default branch included.
    pub pushed: usize,
    /// Distinct root trees read in full besides the default branch's.
    pub trees_read: usize,
    /// Distinct root trees judged by their difference from a tree already judged.
    #[serde(default)]
    pub by_difference: usize,
    /// Refs whose licence evidence differs from the default branch's, each with its own report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub differing: Vec<RefEvidence>,
    /// Refs whose trees hold no licence-like text at all: under the repository's licence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub silent: Vec<String>,
    /// Refs not judged because a bound on work was reached, or whose tree could not be read (with why).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_read: Vec<String>,
}

/// One ref whose licence evidence differs from the default branch's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefEvidence {
    /// The ref (`refs/heads/old`), and how many more refs share its tree.
    pub reference: String,
    pub also: usize,
    pub commit: String,
    pub report: Box<LicenseReport>,
}

/// The search for any licence name or grant before a repository is said to have no licence anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceSearch {
    pub blobs_read: usize,
    /// Every blob of every pushed tree was read (within the bytes bound per blob).
    pub complete: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
    /// Source and script files read ([`super::claims::is_code_path`]), and how many of them carry a licence
    /// in their own header: how far headers cover the repository's own work.
    #[serde(default)]
    pub code_files: usize,
    #[serde(default)]
    pub header_files: usize,
    /// Lines found that speak for a part only ([`super::claims::MentionScope`]), kept or not: they never stop
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
    /// ([`super::claims::could_speak_for_repository`]: a notebook, an image, a jar below the root): such a
    /// file cannot make the repository licensed. Unread folders and trees are never counted here.
    #[serde(default)]
    pub unread_cannot_speak: usize,
    /// Files read that are the repository's program, and files that are its pages
    /// ([`super::claims::work_of`]): how far a page footer's licence could be the licence of its work.
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
        if file.is_some_and(|path| !super::claims::could_speak_for_repository(path)) {
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
    pub scope: Option<super::claims::MentionScope>,
}

/// The licence report of the repository at `path` as republication would publish it: the default branch's
/// evidence, the other pushed refs' ([`RefsJudged`]), and the absence search when nothing licence-like was
/// found on the default branch.
pub fn evidence(path: &Path, detector: &Detector) -> anyhow::Result<LicenseReport> {
    evidence_with(path, detector, &Limits::default(), &RefLimits::default())
}

pub fn evidence_with(
    path: &Path,
    detector: &Detector,
    limits: &Limits,
    ref_limits: &RefLimits,
) -> anyhow::Result<LicenseReport> {
    Ok(evidence_and_ledger(path, detector, limits, ref_limits)?.0)
}

/// [`evidence_with`], and how each pushed ref was judged: one [`LedgerEntry`] per ref.
pub fn evidence_and_ledger(
    path: &Path,
    detector: &Detector,
    limits: &Limits,
    ref_limits: &RefLimits,
) -> anyhow::Result<(LicenseReport, Vec<LedgerEntry>)> {
    let started = std::time::Instant::now();
    let label: std::path::PathBuf = path.components().collect();
    let opened = Repository::open_ext(
        path,
        RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&std::ffi::OsStr>(),
    );
    let mut default_cache = HeaderCache::default();
    // Files the default branch's header scan read; unknown (as if at its bound) when read by the fallback.
    let mut default_headers_scanned = usize::MAX;
    let mut discovery = match opened
        .as_ref()
        .ok()
        .and_then(|repo| read_default_alone(repo, &label, limits, &mut default_cache))
    {
        Some(read) => {
            default_headers_scanned = default_cache.last_headers_scanned;
            read?
        }
        None => discovery::discover_path(path)?,
    };
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "default branch read"
    );
    let repo = match opened {
        Ok(repo) => repo,
        Err(error) => {
            // Read without HEAD (discovery's fallback): the other refs cannot be listed the same way.
            let mut report = detector.detect(&discovery);
            report.refs = Some(RefsJudged {
                pushed: 0,
                trees_read: 0,
                by_difference: 0,
                differing: Vec::new(),
                silent: Vec::new(),
                not_read: vec![format!(
                    "the refs of {} could not be listed: {}",
                    label.display(),
                    error.message()
                )],
            });
            return Ok((report, Vec::new()));
        }
    };
    // History is pushed unchanged: every font, image and bundled file of every pushed commit is judged once.
    let history = super::history::assets(&repo, &super::history::AssetReach::default());
    discovery.assets.assets.extend(history.assets);
    discovery.assets.blobs_read += history.blobs_read;
    if discovery.assets.incomplete.is_none() {
        discovery.assets.incomplete = history.incomplete;
    }
    let mut report = detector.detect(&discovery);
    let tips = pushed_tips(&repo)?;
    let default_commit = discovery
        .commit
        .as_deref()
        .and_then(|c| Oid::from_str(c).ok());
    let mut headers = HeaderCache::default();
    let (judged, ledger) = judge_refs(
        &repo,
        &label,
        &tips,
        default_commit,
        (&discovery, default_headers_scanned),
        detector,
        limits,
        ref_limits,
        &mut headers,
    );
    report.refs = Some(judged);
    if report.observations.contains(&Observation::NoLicense) {
        report.absence = Some(search_absence(&repo, &tips, ref_limits));
    }
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "licence evidence of every pushed ref"
    );
    Ok((report, ledger))
}

/// The default branch's tip read by discovery as [`discovery::discover_path`] reads it, but from a handle
/// without refs, so that discovery's own asset scan reads that tree alone ([`super::history::assets`] reads
/// every pushed blob, tips included). `None` when HEAD does not name a branch that resolves to a commit: then
/// `discover_path`'s own fallbacks choose the branch.
fn read_default_alone(
    repo: &Repository,
    label: &Path,
    limits: &Limits,
    cache: &mut HeaderCache,
) -> Option<Result<Discovery, discovery::DiscoveryError>> {
    let head = repo.find_reference("HEAD").ok()?;
    let target = head.symbolic_target().ok().flatten()?.to_owned();
    let branch = target.strip_prefix("refs/heads/")?.to_owned();
    let commit = repo
        .find_reference(&target)
        .ok()?
        .resolve()
        .ok()?
        .target()?;
    repo.find_commit(commit).ok()?;
    let alone = repo.odb().and_then(Repository::from_odb).ok()?;
    Some(discovery::discover_commit(
        &alone, label, commit, &branch, limits, cache,
    ))
}

/// The refs republication pushes, peeled to commits: ref name → commit. A tag of a tree or a blob is kept
/// with the id it points at (it is pushed too) and read as such.
pub fn pushed_tips(repo: &Repository) -> anyhow::Result<BTreeMap<String, Oid>> {
    let mut tips = BTreeMap::new();
    for glob in ["refs/heads/*", "refs/tags/*"] {
        for reference in repo.references_glob(glob)? {
            let reference = reference?;
            let (Ok(name), Some(_)) = (reference.name(), reference.target()) else {
                continue;
            };
            let name = name.to_owned();
            match reference.peel(ObjectType::Any) {
                Ok(object) => {
                    let id = object
                        .peel_to_commit()
                        .map(|c| c.id())
                        .unwrap_or_else(|_| object.id());
                    tips.insert(name, id);
                }
                Err(_) => {
                    if let Some(id) = reference.target() {
                        tips.insert(name, id);
                    }
                }
            }
        }
    }
    Ok(tips)
}

/// How one pushed ref was judged (see [`ledger`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// Its tree is the default branch's.
    Default,
    /// Its tree was read in full by discovery.
    Read,
    /// Its tree's difference from `base`, a tree already judged, touches no licence evidence: it carries the
    /// evidence of `base`, with the versions of manifests and READMEs whose licence content is unchanged
    /// brought up to date.
    ByDifference { base: Oid },
    /// Not judged: named in [`RefsJudged::not_read`], so the verdict is *needs review*.
    NotRead,
}

/// One pushed ref, how it was judged, and the licence evidence it was judged to carry ([`fingerprint`]; empty
/// when not judged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub reference: String,
    pub tree: Option<Oid>,
    pub judgement: Judgement,
    pub evidence: String,
}

/// The evidence of discovery that decides a verdict, for comparing refs, as one digest: what was read and
/// where (each candidate's kind, path, line, digest, text), what was skipped and why, tool defaults, and the
/// layout of nested licence folders. Not the commit or branch read, nor the third-party assets (judged once
/// for the repository over every pushed blob, see [`super::history::assets`]).
pub fn fingerprint(d: &Discovery) -> String {
    Records::of(d).evidence().0
}

/// A candidate's record in the evidence, with and without its file's digest.
fn record(c: &super::Candidate) -> ([u8; 32], [u8; 32]) {
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
struct Known {
    tree: Oid,
    /// The discovery of the tree read in full that this one descends from.
    read: Rc<Discovery>,
    /// What differs from `read`, by path (lines of manifests mapped from `read`'s).
    patches: Rc<BTreeMap<String, Patch>>,
    reach: Rc<Reach>,
    records: Rc<Records>,
    /// [`Records::evidence`].
    evidence: (String, String),
    /// At least the number of files this tree has that discovery's header scan reads: the count of the read
    /// it descends from, plus one for every file that may carry a header changed since. While it stays below
    /// [`Limits::max_files_scanned_for_headers`] the scan reads every such file of the tree, so only the
    /// changed files' own headers can change what it finds; at the bound, a change may shift which files
    /// fall within it.
    headers_scanned: usize,
}

impl Known {
    fn read_in_full(repo: &Repository, tree: Oid, d: Discovery, headers_scanned: usize) -> Known {
        let records = Records::of(&d);
        Known {
            tree,
            headers_scanned,
            reach: Rc::new(Reach::of(repo, tree, &d)),
            evidence: records.evidence(),
            records: Rc::new(records),
            read: Rc::new(d),
            patches: Rc::new(BTreeMap::new()),
        }
    }

    /// The tree `tree`, whose difference from this one is `changes`; `None` when a change does not fit the
    /// candidates it should patch (then the tree is read in full).
    fn derive(&self, tree: Oid, changes: Vec<Patch>, scannable: usize) -> Option<Known> {
        let headers_scanned = self.headers_scanned.saturating_add(scannable);
        if changes.is_empty() {
            return Some(Known {
                tree,
                headers_scanned,
                read: self.read.clone(),
                patches: self.patches.clone(),
                reach: self.reach.clone(),
                records: self.records.clone(),
                evidence: self.evidence.clone(),
            });
        }
        let mut patches = BTreeMap::clone(&self.patches);
        let read: &Discovery = &self.read;
        fn at<'a>(
            read: &'a Discovery,
            path: &'a str,
        ) -> impl Iterator<Item = &'a super::Candidate> {
            read.candidates
                .iter()
                .chain(read.notices.iter())
                .filter(move |c| c.path == path)
        }
        for change in changes {
            let path = change.path().to_owned();
            let fits = match &change {
                Patch::Text { .. } => {
                    at(read, &path).next().is_some()
                        && at(read, &path).all(|c| c.first_line == 1 && whole_text(c.kind))
                }
                Patch::Readme { .. } => {
                    at(read, &path).all(|c| c.kind == super::SourceKind::Readme)
                }
                Patch::Manifest { .. } => {
                    at(read, &path).all(|c| c.kind == super::SourceKind::Manifest)
                }
            };
            if !fits {
                return None;
            }
            let change = match change {
                Patch::Manifest {
                    path,
                    sha256,
                    lines,
                } => {
                    // Lines as `read` has them → lines in this tree → lines in the new one.
                    let before = match patches.get(&path) {
                        Some(Patch::Manifest { lines, .. }) => Some(lines.clone()),
                        _ => None,
                    };
                    let mut mapped = HashMap::new();
                    for c in at(read, &path) {
                        let here = match &before {
                            Some(before) => *before.get(&c.first_line)?,
                            None => c.first_line,
                        };
                        mapped.insert(c.first_line, *lines.get(&here)?);
                    }
                    Patch::Manifest {
                        path,
                        sha256,
                        lines: mapped,
                    }
                }
                other => other,
            };
            patches.insert(path, change);
        }
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
        Some(Known {
            tree,
            headers_scanned,
            read: self.read.clone(),
            patches: Rc::new(patches),
            reach: self.reach.clone(),
            evidence: records.evidence(),
            records: Rc::new(records),
        })
    }

    /// The discovery of this tree, written out.
    fn discovery(&self) -> Discovery {
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
    fn files(&self) -> Vec<super::FileDigest> {
        let mut files: Vec<super::FileDigest> = self
            .read
            .candidates
            .iter()
            .map(|c| super::FileDigest {
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

/// Where discovery looked in a tree, beyond what it reads by name.
#[derive(Debug, Default)]
struct Reach {
    /// The paths it read or reported (candidates, notices, skipped files, tool defaults): a change at, below
    /// or above one is licence evidence, unless the file's new content is read as discovery reads it.
    paths: HashSet<String>,
    /// Where the symbolic links among them lead: a change there is licence evidence.
    links: HashSet<String>,
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
    fn touches(set: &HashSet<String>, path: &str) -> bool {
        set.contains(path)
            || set.iter().any(|r| {
                path.starts_with(r.as_str()) && path.as_bytes().get(r.len()) == Some(&b'/')
                    || r.starts_with(path) && r.as_bytes().get(path.len()) == Some(&b'/')
            })
    }
}

/// A changed file whose new content discovery would read as it read the old: what its candidates become.
#[derive(Debug, Clone)]
enum Patch {
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
    fn apply(&self, c: &mut super::Candidate) -> Option<()> {
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

/// What comparing a tree with a known one found.
enum Compared {
    /// No change can change the licence evidence beyond the patches: the known evidence holds, patched; with
    /// how many changed files may carry a header (see [`Known::headers_scanned`]).
    Same(Vec<Patch>, usize),
    /// A change that may: the first one met, said for the log.
    Relevant(String),
}

enum Change {
    Irrelevant,
    Patch(Patch),
    Relevant(String),
}

/// One file that differs between two trees: its path, and its blob id and mode on each side it exists on.
struct Delta {
    path: String,
    old: Option<(Oid, i32)>,
    new: Option<(Oid, i32)>,
}

const TREE_MODE: i32 = 0o040000;

thread_local! {
    /// Tree entries read by [`tree_changes`] on this thread (for the log).
    static ENTRIES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Visit every file that differs between the trees `old` and `new` (either may be absent), under `prefix`.
/// Subtrees with the same id on both sides are skipped without being read: the cost is that of the
/// difference. `visit` returns `true` to stop; so does this.
fn tree_changes(
    repo: &Repository,
    old: Option<Oid>,
    new: Option<Oid>,
    prefix: &str,
    visit: &mut dyn FnMut(Delta) -> Result<bool, git2::Error>,
) -> Result<bool, git2::Error> {
    let entries = |id: Option<Oid>| -> Result<BTreeMap<Vec<u8>, (Oid, i32)>, git2::Error> {
        let mut out = BTreeMap::new();
        if let Some(id) = id {
            for entry in repo.find_tree(id)?.iter() {
                out.insert(entry.name_bytes().to_vec(), (entry.id(), entry.filemode()));
            }
            ENTRIES.with(|c| c.set(c.get() + out.len()));
        }
        Ok(out)
    };
    let (before, after) = (entries(old)?, entries(new)?);
    let mut names: Vec<&Vec<u8>> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (a, b) = (before.get(name).copied(), after.get(name).copied());
        if a == b {
            continue;
        }
        let path = format!("{prefix}{}", String::from_utf8_lossy(name));
        let is_tree = |side: Option<(Oid, i32)>| side.is_some_and(|(_, mode)| mode == TREE_MODE);
        let tree_of =
            |side: Option<(Oid, i32)>| side.filter(|(_, m)| *m == TREE_MODE).map(|(id, _)| id);
        if (is_tree(a) || is_tree(b))
            && tree_changes(repo, tree_of(a), tree_of(b), &format!("{path}/"), visit)?
        {
            return Ok(true);
        }
        let file = |side: Option<(Oid, i32)>| side.filter(|(_, m)| *m != TREE_MODE);
        let (a, b) = (file(a), file(b));
        if (a.is_some() || b.is_some())
            && visit(Delta {
                path,
                old: a,
                new: b,
            })?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The work of comparing trees: what has been read, kept by blob id and tree id across refs.
struct Comparer<'r> {
    repo: &'r Repository,
    odb: git2::Odb<'r>,
    limits: &'r Limits,
    /// Whether a blob holds an `SPDX-License-Identifier:` line in the part discovery's header scan reads.
    headers: HashMap<Oid, bool>,
    /// Whether a folder (by tree id) holds an entry whose name is licence evidence.
    folders: HashMap<Oid, bool>,
    /// Whether a name is licence evidence ([`licence_relevant_name`], which is costly: folder names repeat).
    names: HashMap<String, bool>,
    /// Changed files examined so far, over all comparisons.
    changes: usize,
}

impl<'r> Comparer<'r> {
    fn relevant_name(&mut self, name: &str) -> bool {
        if let Some(known) = self.names.get(name) {
            return *known;
        }
        let relevant = licence_relevant_name(name);
        self.names.insert(name.to_owned(), relevant);
        relevant
    }

    /// Compare `tree` with `base` (both root trees). Every changed file is examined in turn; the first that
    /// may change what discovery reads ends the comparison.
    fn compare(&mut self, base: &Known, tree: Oid) -> Result<Compared, git2::Error> {
        if base.tree == tree {
            return Ok(Compared::Same(Vec::new(), 0));
        }
        let repo = self.repo;
        let old = repo.find_tree(base.tree)?;
        let new = repo.find_tree(tree)?;
        let mut patches = Vec::new();
        let mut relevant = None;
        let mut scannable = 0usize;
        let bound = self.limits.max_files_scanned_for_headers;
        tree_changes(repo, Some(base.tree), Some(tree), "", &mut |delta| {
            self.changes += 1;
            let name = delta.path.rsplit('/').next().unwrap_or(&delta.path);
            if discovery::may_carry_header(name) {
                scannable += 1;
                if base.headers_scanned.saturating_add(scannable) >= bound {
                    relevant = Some(format!(
                        "{}: the header scan may reach its bound ({bound} files) and read other files",
                        delta.path
                    ));
                    return Ok(true);
                }
            }
            Ok(match self.change(base, &old, &new, &delta)? {
                Change::Irrelevant => false,
                Change::Patch(patch) => {
                    patches.push(patch);
                    false
                }
                Change::Relevant(why) => {
                    relevant = Some(why);
                    true
                }
            })
        })?;
        Ok(match relevant {
            Some(why) => Compared::Relevant(why),
            None => Compared::Same(patches, scannable),
        })
    }

    /// Whether one changed file may change the licence evidence of the tree, or changes it only as a patch
    /// says. Conservative: anything but a plain file; a file a symbolic link that discovery followed leads
    /// to; anything in or around a folder discovery reported; anything in a licence-named folder; a file
    /// discovery read whose new content cannot be read the same way; a licence-like, notice, manifest or
    /// README name added or removed; a file beside a licence-named documentation page two folders down (discovery classes
    /// such a licence by whether its folder holds code); an entry added or removed where nested licence
    /// folders are laid out; and a file whose head holds an SPDX line on either side.
    fn change(
        &mut self,
        base: &Known,
        old_tree: &git2::Tree<'_>,
        new_tree: &git2::Tree<'_>,
        delta: &Delta,
    ) -> Result<Change, git2::Error> {
        let plain = |side: Option<(Oid, i32)>| {
            side.is_none_or(|(_, mode)| {
                mode == i32::from(git2::FileMode::Blob)
                    || mode == i32::from(git2::FileMode::BlobExecutable)
            })
        };
        let path = delta.path.as_str();
        let relevant = |why: &str| Ok(Change::Relevant(format!("{path}: {why}")));
        if !plain(delta.old) || !plain(delta.new) {
            return relevant("not a plain file (a link, a submodule or an unusual mode)");
        }
        if Reach::touches(&base.reach.links, path) {
            return relevant("a symbolic link that discovery followed leads here");
        }
        let read = base.reach.paths.contains(path);
        if !read && Reach::touches(&base.reach.paths, path) {
            return relevant("in or around a folder discovery reported");
        }
        let (folders, name) = match path.rsplit_once('/') {
            Some((folders, name)) => (Some(folders), name),
            None => (None, path),
        };
        if let Some(folders) = folders
            && folders.split('/').any(|f| self.relevant_name(f))
        {
            return relevant("in a licence-named folder");
        }
        let modified = match (delta.old, delta.new) {
            (Some((old, _)), Some((new, _))) => Some((old, new)),
            _ => None,
        };
        if content_read_file(path) {
            return match modified {
                Some((old, new)) => self.content_change(path, name, old, new),
                None => relevant("a manifest or README added or removed"),
            };
        }
        if read {
            let whole =
                |c: &super::Candidate| c.path == path && c.first_line == 1 && whole_text(c.kind);
            return match modified {
                Some((_, new))
                    if base
                        .read
                        .candidates
                        .iter()
                        .chain(&base.read.notices)
                        .any(whole) =>
                {
                    self.text_change(path, new)
                }
                _ => relevant("read or reported by discovery"),
            };
        }
        if self.relevant_name(name) || discovery::is_documentation_page(path) {
            return relevant("a licence-like name");
        }
        if let Some(folders) = folders
            && folders.contains('/')
        {
            for tree in [old_tree, new_tree] {
                if self.folder_holds_licence_name(tree, folders)? {
                    return relevant(
                        "beside a licence file that discovery classes by its neighbours",
                    );
                }
            }
        }
        if let Some(layout) = &base.read.layout
            && modified.is_none()
            && layout_changes(layout, path, old_tree, new_tree)
        {
            return relevant("changes what lies outside the nested licence folders");
        }
        for (id, _) in [delta.old, delta.new].into_iter().flatten() {
            if self.has_header(id)? {
                return relevant("an SPDX-License-Identifier line");
            }
        }
        Ok(Change::Irrelevant)
    }

    /// A file discovery read whole (a licence, notice or documentation page) changed in place: its new text,
    /// read as discovery reads it (the first `max_blob_bytes`, decoded), unless it is no longer text.
    fn text_change(&mut self, path: &str, new: Oid) -> Result<Change, git2::Error> {
        let object = self.odb.read(new)?;
        let data = object.data();
        let head = &data[..data.len().min(self.limits.max_blob_bytes)];
        if data.is_empty() || is_binary(head) {
            return Ok(Change::Relevant(format!("{path}: no longer text")));
        }
        let text = discovery::decode_text(head);
        if text.trim().is_empty() {
            return Ok(Change::Relevant(format!("{path}: no longer text")));
        }
        Ok(Change::Patch(Patch::Text {
            path: path.to_owned(),
            text,
            sha256: sha256_hex(data),
            truncated: data.len() > self.limits.max_blob_bytes,
        }))
    }

    /// A manifest or root README changed in place: a patch when what discovery takes from it is the same on
    /// both sides (a manifest's declarations and tool default, a README's licence sections and template mark)
    /// and neither side holds an SPDX line (a root manifest is also scanned for headers).
    fn content_change(
        &mut self,
        path: &str,
        name: &str,
        old: Oid,
        new: Oid,
    ) -> Result<Change, git2::Error> {
        for id in [old, new] {
            if self.has_header(id)? {
                return Ok(Change::Relevant(format!(
                    "{path}: an SPDX-License-Identifier line"
                )));
            }
        }
        let (old_bytes, new_bytes) = (self.odb.read(old)?, self.odb.read(new)?);
        let text = |data: &[u8]| -> Option<String> {
            if data.is_empty() || data.len() > self.limits.max_blob_bytes || is_binary(data) {
                return None;
            }
            let text = discovery::decode_text(data);
            (!text.trim().is_empty()).then_some(text)
        };
        let (Some(before), Some(after)) = (text(old_bytes.data()), text(new_bytes.data())) else {
            return Ok(Change::Relevant(format!(
                "{path}: not plain text on both sides"
            )));
        };
        let sha256 = sha256_hex(new_bytes.data());
        if !manifest::is_manifest(name) {
            let same = discovery::readme_sections(name, &before)
                == discovery::readme_sections(name, &after)
                && discovery::template_readme(&before) == discovery::template_readme(&after);
            return Ok(if same {
                Change::Patch(Patch::Readme {
                    path: path.to_owned(),
                    sha256,
                })
            } else {
                Change::Relevant(format!("{path}: its licence sections changed"))
            });
        }
        let (was, is) = (
            manifest::declared_license(name, &before),
            manifest::declared_license(name, &after),
        );
        let same = was.len() == is.len()
            && was.iter().zip(&is).all(|(a, b)| {
                a.raw == b.raw
                    && a.expression == b.expression
                    && a.note == b.note
                    && a.file == b.file
            })
            && manifest::generator_default(name, &before)
                == manifest::generator_default(name, &after);
        if !same {
            return Ok(Change::Relevant(format!(
                "{path}: its licence declarations changed"
            )));
        }
        let mut lines = HashMap::new();
        for (a, b) in was.iter().zip(&is) {
            if *lines.entry(a.line).or_insert(b.line) != b.line {
                return Ok(Change::Relevant(format!(
                    "{path}: its licence declarations moved apart"
                )));
            }
        }
        Ok(Change::Patch(Patch::Manifest {
            path: path.to_owned(),
            sha256,
            lines,
        }))
    }

    /// Whether the first bytes of a blob that discovery's header scan reads hold an SPDX line (read as
    /// Markdown and as code, so either reading counts).
    fn has_header(&mut self, id: Oid) -> Result<bool, git2::Error> {
        if let Some(known) = self.headers.get(&id) {
            return Ok(*known);
        }
        // Discovery's header scan reads no blob that is empty, bigger than `max_blob_bytes`, or unreadable
        // (a missing object): it finds no header there, and neither does this.
        let head = match self.odb.read_header(id) {
            Ok((size, _)) if size > 0 && size <= self.limits.max_blob_bytes => {
                read_head(&self.odb, id, self.limits.max_header_bytes).ok()
            }
            _ => None,
        };
        let Some(head) = head else {
            self.headers.insert(id, false);
            return Ok(false);
        };
        let found = !is_binary(&head) && {
            let text = discovery::decode_text(&head);
            !discovery::spdx_header_lines(&text, false).is_empty()
                || !discovery::spdx_header_lines(&text, true).is_empty()
        };
        self.headers.insert(id, found);
        Ok(found)
    }

    /// Whether the folder at `folder` in `tree` holds a licence-named documentation page, which discovery
    /// classes by whether the folder holds code.
    fn folder_holds_licence_name(
        &mut self,
        tree: &git2::Tree<'_>,
        folder: &str,
    ) -> Result<bool, git2::Error> {
        let Ok(entry) = tree.get_path(Path::new(folder)) else {
            return Ok(false);
        };
        if let Some(known) = self.folders.get(&entry.id()) {
            return Ok(*known);
        }
        let holds = match self.repo.find_tree(entry.id()) {
            Ok(sub) => {
                let names: Vec<String> = sub
                    .iter()
                    .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
                    .collect();
                // Discovery's one rule that looks at a file's neighbours: a licence-named documentation
                // page two folders down is the licence of the code beside it when its folder holds code.
                names.iter().any(|name| {
                    discovery::is_nested_license_name(name)
                        && discovery::is_documentation_page(&format!("{folder}/{name}"))
                })
            }
            Err(_) => true,
        };
        self.folders.insert(entry.id(), holds);
        Ok(holds)
    }
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(data))
}

/// The kinds of candidate discovery reads as a whole text (first line 1).
fn whole_text(kind: super::SourceKind) -> bool {
    use super::SourceKind::*;
    matches!(
        kind,
        LicenseFile
            | NoticeFile
            | ReuseLicense
            | NestedLicenseFile
            | DocumentationPage
            | VendoredLicenseFile
    )
}

/// Files whose content discovery reads and reduces: manifests (their licence declarations) and the root
/// README (its licence sections). A change that leaves those as they were is patched, not relevant.
fn content_read_file(path: &str) -> bool {
    match path.rsplit_once('/') {
        Some((_, name)) => manifest::is_manifest(name),
        None => {
            manifest::is_manifest(path)
                || matches!(
                    path.to_lowercase().as_str(),
                    "readme.md"
                        | "readme.markdown"
                        | "readme.rst"
                        | "readme"
                        | "readme.txt"
                        | "readme.org"
                        | "readme.adoc"
                )
        }
    }
}

/// Whether a file or folder name is one discovery reads or reports by name at some depth: a licence, notice,
/// copyright, attribution or REUSE name, a licence word or id, a manifest, a README.
fn licence_relevant_name(name: &str) -> bool {
    discovery::root_file_kind(name).is_some()
        || discovery::is_nested_license_name(name)
        || manifest::is_manifest(name)
        || name.to_lowercase().starts_with("readme")
}

/// Whether adding or removing `path` changes the entries a [`super::FolderLayout`] lists: an entry whose
/// existence differs between the trees, directly in the root or in a folder on the way to a nested licence
/// folder.
fn layout_changes(
    layout: &super::FolderLayout,
    path: &str,
    old: &git2::Tree<'_>,
    new: &git2::Tree<'_>,
) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    for i in 0..parts.len() {
        let folder = parts[..i].join("/");
        let on_the_way = i == 0
            || layout
                .folders
                .iter()
                .any(|f| *f == folder || f.starts_with(&format!("{folder}/")));
        if !on_the_way {
            return false;
        }
        let entry = parts[..=i].join("/");
        let exists = |tree: &git2::Tree<'_>| tree.get_path(Path::new(&entry)).is_ok();
        if exists(old) != exists(new) {
            return true;
        }
    }
    false
}

/// git's test for binary: a NUL in the first 8000 bytes, unless the text is UTF-16 with a byte-order mark.
fn is_binary(bytes: &[u8]) -> bool {
    !(bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]))
        && bytes[..bytes.len().min(8000)].contains(&0)
}

/// The first `max` bytes of a blob (streamed where the object database can).
pub(crate) fn read_head(odb: &git2::Odb<'_>, id: Oid, max: usize) -> Result<Vec<u8>, git2::Error> {
    if let Ok((mut stream, size, _)) = odb.reader(id)
        && size > max
    {
        let mut bytes = vec![0u8; max];
        let mut filled = 0;
        while filled < max {
            match stream.read(&mut bytes[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) => return Err(git2::Error::from_str(&e.to_string())),
            }
        }
        bytes.truncate(filled);
        return Ok(bytes);
    }
    let object = odb.read(id)?;
    Ok(object.data()[..object.data().len().min(max)].to_vec())
}

/// The refs of one root tree, and the commit read for them.
struct Group {
    tree: Oid,
    commit: Oid,
    names: Vec<String>,
    time: i64,
}

/// Judge every pushed ref. The invariant, stated where it is kept: **every ref in `tips` ends in exactly one
/// [`LedgerEntry`]** — at the default branch's tree; read in full; judged by its difference from a tree whose
/// evidence is known exactly (so it carries that evidence); or not judged, and then named in
/// [`RefsJudged::not_read`], which the verdict turns into *needs review*. A ref is never dropped because a
/// bound was reached: bounds only move refs to `not_read`. The property test `tests/it/refs.rs` checks the
/// ledger against reading every ref in full.
#[allow(clippy::too_many_arguments)]
fn judge_refs(
    repo: &Repository,
    label: &Path,
    tips: &BTreeMap<String, Oid>,
    default_commit: Option<Oid>,
    (default, default_headers_scanned): (&Discovery, usize),
    detector: &Detector,
    limits: &Limits,
    ref_limits: &RefLimits,
    headers: &mut HeaderCache,
) -> (RefsJudged, Vec<LedgerEntry>) {
    let started = std::time::Instant::now();
    let tree_of = |id: Oid| -> Result<(Oid, i64), String> {
        let object = repo
            .find_object(id, None)
            .map_err(|e| e.message().to_owned())?;
        let time = object
            .peel_to_commit()
            .map(|c| c.time().seconds())
            .unwrap_or(0);
        object
            .peel_to_tree()
            .map(|t| (t.id(), time))
            .map_err(|_| format!("{id} is not a commit or a tree"))
    };
    let default_tree = default_commit.and_then(|c| tree_of(c).ok()).map(|(t, _)| t);
    let mut ledger: Vec<LedgerEntry> = Vec::with_capacity(tips.len());
    let mut judged = RefsJudged {
        pushed: tips.len(),
        trees_read: 0,
        by_difference: 0,
        differing: Vec::new(),
        silent: Vec::new(),
        not_read: Vec::new(),
    };
    let own = fingerprint(default);
    // Refs by root tree: refs sharing a tree are judged once.
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<Oid, usize> = HashMap::new();
    for (name, id) in tips {
        match tree_of(*id) {
            Ok((tree, _)) if Some(tree) == default_tree => ledger.push(LedgerEntry {
                reference: name.clone(),
                tree: Some(tree),
                judgement: Judgement::Default,
                evidence: own.clone(),
            }),
            Ok((tree, time)) => match index.get(&tree) {
                Some(&i) => groups[i].names.push(name.clone()),
                None => {
                    index.insert(tree, groups.len());
                    groups.push(Group {
                        tree,
                        commit: *id,
                        names: vec![name.clone()],
                        time,
                    });
                }
            },
            Err(why) => {
                judged.not_read.push(format!("{name}: {why}"));
                ledger.push(LedgerEntry {
                    reference: name.clone(),
                    tree: None,
                    judgement: Judgement::NotRead,
                    evidence: String::new(),
                });
            }
        }
    }
    // Newest first: a release differs least from the one after it, and the default branch is usually newest.
    groups.sort_by(|a, b| b.time.cmp(&a.time).then(a.tree.cmp(&b.tree)));
    let Ok(odb) = repo.odb() else {
        for group in &groups {
            judged.not_read.push(format!(
                "{}: the object database cannot be opened",
                group.names[0]
            ));
            ledger.extend(group.names.iter().map(|n| LedgerEntry {
                reference: n.clone(),
                tree: Some(group.tree),
                judgement: Judgement::NotRead,
                evidence: String::new(),
            }));
        }
        return (judged, ledger);
    };
    // Trees read in full are read from a handle without refs, so that discovery reads that tree's own assets
    // and not every pushed tree's again (the repository's assets are judged once, over every pushed blob).
    let alone = repo.odb().and_then(Repository::from_odb).ok();
    let reader = alone.as_ref().unwrap_or(repo);
    let mut comparer = Comparer {
        repo,
        odb,
        limits,
        headers: HashMap::new(),
        folders: HashMap::new(),
        names: HashMap::new(),
        changes: 0,
    };
    let mut default_discovery = default.clone();
    default_discovery.assets = Default::default();
    let default_known = default_tree.map(|tree| {
        Rc::new(Known::read_in_full(
            repo,
            tree,
            default_discovery,
            default_headers_scanned,
        ))
    });
    let mut previous: Option<Rc<Known>> = default_known.clone();
    let mut last_read: Option<Rc<Known>> = None;
    // Every tree judged so far, by id: a ref is compared first with the nearest of its ancestors judged.
    let mut known_trees: HashMap<Oid, Rc<Known>> = HashMap::new();
    if let Some(known) = &default_known {
        known_trees.insert(known.tree, known.clone());
    }
    let mut bound_reached: Option<String> = None;
    let mut unjudged: Vec<(String, usize, String)> = Vec::new();
    // Reports by evidence without digests: release tags whose README or manifest changed only in version share one.
    let mut reports: HashMap<String, LicenseReport> = HashMap::new();
    let (mut comparing, mut reading, mut detecting) = (
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
    );
    for group in &groups {
        let clock = std::time::Instant::now();
        let mut found: Option<(Rc<Known>, Judgement)> = None;
        let mut why_not: Vec<String> = Vec::new();
        if comparer.changes < ref_limits.max_changes {
            let mut bases: Vec<Rc<Known>> = Vec::new();
            let ancestor = nearest_judged_ancestor(repo, group.commit, &known_trees);
            for base in [&ancestor, &previous, &last_read, &default_known]
                .into_iter()
                .flatten()
            {
                if !bases.iter().any(|b| b.tree == base.tree) {
                    bases.push(base.clone());
                }
            }
            for base in bases.into_iter().take(MAX_BASES) {
                match comparer.compare(&base, group.tree) {
                    Ok(Compared::Same(patches, scannable)) => {
                        if let Some(known) = base.derive(group.tree, patches, scannable) {
                            found =
                                Some((Rc::new(known), Judgement::ByDifference { base: base.tree }));
                            break;
                        }
                        why_not.push("a patch did not fit the candidates".into());
                    }
                    Ok(Compared::Relevant(why)) => why_not.push(why),
                    Err(e) => why_not.push(e.message().to_owned()),
                }
            }
        } else {
            why_not.push(format!(
                "more than {} changed files compared between trees",
                ref_limits.max_changes
            ));
        }
        comparing += clock.elapsed();
        let clock = std::time::Instant::now();
        if found.is_none() && bound_reached.is_none() {
            bound_reached = work_bound_reached(&headers.work, ref_limits);
        }
        if found.is_none() && bound_reached.is_none() {
            tracing::debug!(reference = %group.names[0], why = %why_not.join("; "), "reading a tree in full");
            match discovery::discover_commit_evidence(
                reader,
                label,
                group.commit,
                &group.names[0],
                limits,
                headers,
            ) {
                Ok(d) => {
                    judged.trees_read += 1;
                    let known = Rc::new(Known::read_in_full(
                        repo,
                        group.tree,
                        d,
                        headers.last_headers_scanned,
                    ));
                    last_read = Some(known.clone());
                    found = Some((known, Judgement::Read));
                }
                Err(e) => {
                    judged.not_read.push(format!("{}: {e}", group.names[0]));
                    ledger.extend(group.names.iter().map(|n| LedgerEntry {
                        reference: n.clone(),
                        tree: Some(group.tree),
                        judgement: Judgement::NotRead,
                        evidence: String::new(),
                    }));
                    continue;
                }
            }
        }
        reading += clock.elapsed();
        let clock = std::time::Instant::now();
        let Some((known, judgement)) = found else {
            unjudged.push((
                group.names[0].clone(),
                group.names.len(),
                why_not.join("; "),
            ));
            ledger.extend(group.names.iter().map(|n| LedgerEntry {
                reference: n.clone(),
                tree: Some(group.tree),
                judgement: Judgement::NotRead,
                evidence: String::new(),
            }));
            continue;
        };
        if matches!(judgement, Judgement::ByDifference { .. }) {
            judged.by_difference += 1;
        }
        let evidence = known.evidence.0.clone();
        ledger.extend(group.names.iter().map(|n| LedgerEntry {
            reference: n.clone(),
            tree: Some(group.tree),
            judgement: judgement.clone(),
            evidence: evidence.clone(),
        }));
        previous = Some(known.clone());
        known_trees.insert(group.tree, known.clone());
        if evidence == own {
            continue;
        }
        let report = reports
            .entry(known.evidence.1.clone())
            .or_insert_with(|| detector.detect(&known.discovery()));
        detecting += clock.elapsed();
        let silent = report.findings.is_empty()
            && report.claims.is_empty()
            && report
                .observations
                .iter()
                .all(|o| *o == Observation::NoLicense);
        if silent {
            judged.silent.extend(group.names.iter().cloned());
            continue;
        }
        let mut report = report.clone();
        // The one part of a report that depends on the files' digests (as `Detector::detect` lists them).
        report.files = known.files();
        report.commit = Some(group.commit.to_string());
        report.branch = Some(group.names[0].clone());
        judged.differing.push(RefEvidence {
            reference: group.names[0].clone(),
            also: group.names.len() - 1,
            commit: group.commit.to_string(),
            report: Box::new(report),
        });
    }
    if let Some((first, _, why)) = unjudged.first() {
        let refs: usize = unjudged.iter().map(|(_, n, _)| n).sum();
        judged.not_read.push(format!(
            "{first} and {} more: not judged ({why}); {}, and these differ in licence evidence from every tree they were compared with",
            refs - 1,
            bound_reached.as_deref().unwrap_or("the bound on comparing trees was reached")
        ));
    }
    tracing::debug!(
        refs = tips.len(),
        trees = groups.len(),
        read = judged.trees_read,
        by_difference = judged.by_difference,
        changes = comparer.changes,
        entries_walked = headers.work.entries,
        blobs_read = headers.work.blobs,
        bytes_read = headers.work.bytes,
        differing = judged.differing.len(),
        not_read = judged.not_read.len(),
        entries = ENTRIES.with(|c| c.get()),
        comparing_ms = comparing.as_millis() as u64,
        reading_ms = reading.as_millis() as u64,
        detecting_ms = detecting.as_millis() as u64,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "pushed refs judged"
    );
    (judged, ledger)
}

/// Whether the work of reading trees in full has reached a bound of [`RefLimits`], and which (said for the
/// refs left unjudged).
fn work_bound_reached(work: &discovery::ReadWork, limits: &RefLimits) -> Option<String> {
    if work.entries >= limits.max_read_entries {
        return Some(format!(
            "the trees read in full besides the default branch's walked {} tree entries, the bound ({})",
            work.entries, limits.max_read_entries
        ));
    }
    if work.bytes >= limits.max_read_bytes {
        return Some(format!(
            "the trees read in full besides the default branch's read {} bytes of files not read before, the bound ({})",
            work.bytes, limits.max_read_bytes
        ));
    }
    None
}

/// The most trees a tree is compared with before it is read in full: a full read costs a walk plus the
/// blobs never read before, about what two comparisons cost.
const MAX_BASES: usize = 2;

/// The tree of the nearest first-parent ancestor of `commit` (within 64 commits) already judged: usually
/// the tree a ref differs least from.
fn nearest_judged_ancestor(
    repo: &Repository,
    commit: Oid,
    known: &HashMap<Oid, Rc<Known>>,
) -> Option<Rc<Known>> {
    let mut at = repo.find_commit(commit).ok()?;
    for _ in 0..64 {
        at = at.parent(0).ok()?;
        if let Some(k) = known.get(&at.tree_id()) {
            return Some(k.clone());
        }
    }
    None
}

/// Search every blob of every pushed tree (once per blob id, the first `max_search_bytes` of each, text only)
/// for a line that names a licence or grants by reference.
pub fn search_absence(
    repo: &Repository,
    tips: &BTreeMap<String, Oid>,
    limits: &RefLimits,
) -> AbsenceSearch {
    let mut search = AbsenceSearch {
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
    };
    let Ok(odb) = repo.odb() else {
        search.complete = false;
        return search;
    };
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    for (name, tip) in tips {
        let Ok(tree) = repo.find_object(*tip, None).and_then(|o| o.peel_to_tree()) else {
            search.name_unread(format!("the tree of {name}"), None);
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
                    Some(ObjectType::Tree) => match repo.find_tree(entry.id()) {
                        Ok(sub) => stack.push((sub, format!("{path}/"))),
                        Err(_) => search.name_unread(format!("{path}/ in {name}"), None),
                    },
                    Some(ObjectType::Blob) if seen_blobs.insert(entry.id()) => {
                        if search.blobs_read >= limits.max_search_blobs {
                            search.complete = false;
                            search.bound_reached = true;
                            return search;
                        }
                        search.blobs_read += 1;
                        let Ok(object) = odb.read(entry.id()) else {
                            // Named, and the search goes on: one missing file does not hide the rest.
                            search.name_unread(format!("{path} in {name}"), Some(&path));
                            continue;
                        };
                        let data = object.data();
                        let head = &data[..data.len().min(limits.max_search_bytes)];
                        if head[..head.len().min(8000)].contains(&0) {
                            continue;
                        }
                        let decoded = discovery::decode_text(head);
                        let code = super::claims::is_code_path(&path);
                        search.code_files += usize::from(code);
                        match super::claims::work_of(&path) {
                            super::claims::Work::Program => search.program_files += 1,
                            super::claims::Work::Page => search.page_files += 1,
                            super::claims::Work::Other => {}
                        }
                        let mut header = false;
                        for (line, license, text) in mentions_in(&decoded) {
                            // A line that speaks for a part only is kept (to be shown) but never stops the
                            // search: only a line that may speak for the repository settles it.
                            let scope = super::claims::mention_scope(&path, &decoded, line);
                            header |= scope == Some(super::claims::MentionScope::FileHeader);
                            if scope.is_some() {
                                search.part_mentions += 1;
                                if search.part_mentions > limits.max_mentions {
                                    continue;
                                }
                            }
                            search.mentions.push(Mention {
                                reference: name.clone(),
                                file: path.clone(),
                                line,
                                license,
                                text,
                                scope,
                            });
                            let whole =
                                search.mentions.iter().filter(|m| m.scope.is_none()).count();
                            if whole >= limits.max_mentions {
                                return search;
                            }
                        }
                        search.header_files += usize::from(header && code);
                    }
                    _ => {}
                }
            }
        }
    }
    search
}

/// The lines of a text that name a licence or grant by reference: (1-based line, licence id, the line cut to
/// 200 characters). Only lines with a licence word are read closely.
pub fn mentions_in(text: &str) -> Vec<(usize, Option<String>, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        let worded = ["licen", "spdx", "copyleft", "public domain", "gnu "]
            .iter()
            .any(|w| lower.contains(w));
        if !worded {
            continue;
        }
        let named = super::reference::references(line)
            .into_iter()
            .next()
            .map(|r| r.id);
        if named.is_some() || super::statement::grants_by_reference(line) {
            let cut: String = line.trim().chars().take(200).collect();
            out.push((i + 1, named, cut));
        }
    }
    out
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
            found[0].1.as_deref().map(super::super::detect::family),
            Some("AGPL-3.0")
        );
        assert!(mentions_in("fn licence_check() {}\n").is_empty());
    }
}
