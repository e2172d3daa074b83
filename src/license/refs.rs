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
//! [`Comparer::change`](compare::Comparer::change): not a licence-like, notice, manifest or README name, not in a licence-named folder or
//! beside a licence file deep in one, no file discovery read or reported, no `SPDX-License-Identifier` line
//! in the head of the old or new version, nothing but plain files, no entry added or removed where nested
//! licence folders are laid out — the tree carries that evidence; a manifest or root README whose licence
//! content is unchanged (a version bump) is carried with its new digest and lines. Which files discovery's
//! header scan reads is carried too ([`known::HeaderWindow`]): it is a function of the tree's file list (the
//! scan's order, [`discovery::header_scan_order`]) and of each file's size, so the difference says how it
//! moves — below the scan's bound a count carried as an upper bound, at it the last file read, which the
//! tree keeps while as many files the scan reads are added as removed before it
//! ([`Comparer::window_change`](compare::Comparer::window_change)). Otherwise the tree is read
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

use std::collections::BTreeMap;
use std::path::Path;

use git2::{ObjectType, Oid, Repository, RepositoryOpenFlags};
use serde::{Deserialize, Serialize};

mod absence;
mod compare;
mod judge;
mod known;

pub use absence::{AbsenceSearch, MAX_NAMED_UNREAD, Mention, mentions_in, search_absence};
pub(crate) use compare::read_head;
use judge::judge_refs;
pub use known::fingerprint;

use super::detect::Detector;
use super::discovery::{self, HeaderCache, Limits};
use super::{Discovery, LicenseReport, Observation};

/// How many files past its bound the header scan of a tree read here counts, when the files it read hold no
/// SPDX line ([`HeaderCache::slack`]): room for as many files removed before the end of its window in the
/// trees compared with it. Each costs the head of a blob, read once per blob.
const HEADER_WINDOW_SLACK: usize = 500;

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
    default_cache.slack = HEADER_WINDOW_SLACK;
    // Which files the default branch's header scan read; unknown when read by the fallback.
    let mut default_window = known::HeaderWindow::Unknown;
    let mut discovery = match opened
        .as_ref()
        .ok()
        .and_then(|repo| read_default_alone(repo, &label, limits, &mut default_cache))
    {
        Some(read) => {
            default_window =
                known::HeaderWindow::of_read(&default_cache, limits.max_files_scanned_for_headers);
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
    headers.slack = HEADER_WINDOW_SLACK;
    let (judged, ledger) = judge_refs(
        &repo,
        &label,
        &tips,
        default_commit,
        (&discovery, default_window),
        detector,
        limits,
        ref_limits,
        &mut headers,
    );
    report.observations.extend(licences_removed_on_refs(
        &repo,
        &tips,
        default_commit,
        &report.findings,
        &judged.silent,
    ));
    report.refs = Some(judged);
    // Words that withhold the work, wherever a person reads them: every prose text of every pushed ref.
    let licensors = super::holders::Licensors::of(&report.holders);
    let statements = super::statements::search(&repo, &tips, &Default::default(), &licensors);
    tracing::debug!(
        blobs = statements.blobs_read,
        found = statements.found.len(),
        incomplete = statements.incomplete.is_some(),
        "withholding statements searched"
    );
    report.observations.extend(statements.observations());
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

/// The refs among `silent` (no licence-like text in their trees) that removed the repository's licence: cut
/// from a commit of the default branch whose tree holds a file of a repository-wide finding, which the ref's
/// tip no longer holds. A ref cut before the licence was added never had it, and stays silent. At most
/// [`REMOVALS_CHECKED`] refs are looked at; past that, one observation says the rest were not.
pub fn licences_removed_on_refs(
    repo: &Repository,
    tips: &BTreeMap<String, Oid>,
    default_commit: Option<Oid>,
    findings: &[super::Finding],
    silent: &[String],
) -> Vec<Observation> {
    let Some(default_commit) = default_commit else {
        return Vec::new();
    };
    let mut files: Vec<&str> = findings
        .iter()
        .filter(|f| f.scope == super::Scope::Repository)
        .map(|f| f.file.as_str())
        .collect();
    files.sort_unstable();
    files.dedup();
    if files.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for name in silent.iter().take(REMOVALS_CHECKED) {
        let Some(tip) = tips.get(name) else { continue };
        let Ok(commit) = repo.find_commit(*tip) else {
            continue;
        };
        let Ok(base) = repo.merge_base(commit.id(), default_commit) else {
            continue;
        };
        let (Ok(base_tree), Ok(tip_tree)) =
            (repo.find_commit(base).and_then(|c| c.tree()), commit.tree())
        else {
            continue;
        };
        if let Some(file) = files.iter().find(|f| {
            base_tree.get_path(Path::new(f)).is_ok() && tip_tree.get_path(Path::new(f)).is_err()
        }) {
            out.push(Observation::LicenceRemovedOnRef {
                reference: name.clone(),
                file: file.to_string(),
                base: base.to_string(),
            });
        }
    }
    if silent.len() > REMOVALS_CHECKED {
        out.push(Observation::LicenceRemovedOnRef {
            reference: format!("{} more refs", silent.len() - REMOVALS_CHECKED),
            file: "(not checked)".into(),
            base: "(not checked)".into(),
        });
    }
    out
}

/// How many refs without licence text [`licences_removed_on_refs`] looks at.
const REMOVALS_CHECKED: usize = 500;
