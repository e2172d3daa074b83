//! The one evaluation of a repository at the tips it holds: its licence report and verdict, the history scan and
//! the verdict gated by it, the refs it was read at and the matched licence texts. Made once per repository and
//! decision ([`evaluate`]) and handed on: `check` prints it, `propose` records it, `apply` compares it with the
//! approved record and passes it to `republish`, which publishes exactly the refs it was read at and never
//! reads the licences again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{RepoCheck, ScanCache, gate_check, judge_report, licence_report};
use crate::license::detect::Detector;
use crate::policy::Policy;
use crate::safety::{SafetyConfig, SafetyReport};
use crate::verdict::Verdict;

/// A repository read for a decision.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// `owner/name`.
    pub name: String,
    /// The repository read (a bare mirror, or a working copy for `check`).
    pub path: PathBuf,
    /// What `check` prints: the licence report, and the republication verdict (scope `republication`).
    pub check: RepoCheck,
    /// The licence verdict alone, before the history scan was weighed: what the plan's licence gate decides
    /// from ([`crate::publish::plan`]); the history has its own gate there, on exactly the refs pushed.
    pub licence: Verdict,
    /// The republication verdict: [`Evaluation::licence`] gated by the history scan
    /// ([`crate::safety::gate_verdict`]). The one `propose` records and `apply` compares with the approved
    /// record.
    pub verdict: Verdict,
    /// The history scan, with the policy's allow-list and overrides applied.
    pub safety: SafetyReport,
    /// The tips the history scan read (ref name → id).
    pub scanned: BTreeMap<String, String>,
    /// The `safety:` settings the history was scanned under.
    pub safety_config: SafetyConfig,
    /// The heads and tags the repository held when it was read: what a publication pushes.
    pub refs: MirrorRefs,
    /// The matched lines of each licence file found by text, by file (for the pull request's body).
    pub texts: BTreeMap<String, String>,
}

/// The licences of a repository could not be read: no verdict, so no publication. Its text is the whole cause
/// chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the licences of {repo}: {error}")]
pub struct LicenceUnreadable {
    pub repo: String,
    pub error: String,
}

/// Evaluate the repository at `path` as `name` (blocking: call from `spawn_blocking`): licences read (by
/// `detector`, whose cache of analysed texts is worth sharing between repositories) and judged, history scanned (through `cache` when given), the verdict gated, the refs and matched texts read.
/// A failure to read the licences is a [`LicenceUnreadable`].
pub fn evaluate(
    path: &Path,
    name: &str,
    detector: &Detector,
    policy: &Policy,
    safety: &SafetyConfig,
    cache: Option<&ScanCache>,
) -> anyhow::Result<Evaluation> {
    let report = licence_report(path, detector).map_err(|e| LicenceUnreadable {
        repo: name.to_owned(),
        error: format!("{e:#}"),
    })?;
    let mut check = judge_report(path, name.to_owned(), report, policy);
    let licence = check
        .verdict
        .verdict()
        .cloned()
        .context("the licence check gave no verdict")?;
    let in_memory;
    let cache = match cache {
        Some(cache) => cache,
        None => {
            in_memory = ScanCache::in_memory();
            &in_memory
        }
    };
    let (safety_report, cached, scanned) = cache.scan_reading(path, name, safety)?;
    let verdict = gate_check(&mut check, &safety_report, cached)?;
    let refs = mirror_refs(path)?;
    let texts = matched_texts(path, &check);
    Ok(Evaluation {
        name: name.to_owned(),
        path: path.to_path_buf(),
        check,
        licence,
        verdict,
        safety: safety_report,
        scanned,
        safety_config: safety.clone(),
        refs,
        texts,
    })
}

/// The refs of a mirror that are republished (`refs/heads/*`, `refs/tags/*`) and its HEAD branch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorRefs {
    pub refs: BTreeMap<String, String>,
    /// The branch HEAD points at, e.g. `main`.
    pub head_branch: Option<String>,
}

/// Read the heads and tags of a repository (a bare mirror, or a working copy). `refs/pull/*`,
/// `refs/keepopen/*` and anything else is left out.
pub fn mirror_refs(mirror: &Path) -> anyhow::Result<MirrorRefs> {
    let repo = git2::Repository::open_ext(
        mirror,
        git2::RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&std::ffi::OsStr>(),
    )
    .with_context(|| format!("cannot open the mirror {}", mirror.display()))?;
    let mut refs = BTreeMap::new();
    for reference in repo.references()? {
        let reference = reference?;
        let Ok(name) = reference.name() else { continue };
        if !(name.starts_with("refs/heads/") || name.starts_with("refs/tags/")) {
            continue;
        }
        if let Some(target) = reference.target() {
            refs.insert(name.to_owned(), target.to_string());
        }
    }
    let head_branch = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_owned))
        .and_then(|t| t.strip_prefix("refs/heads/").map(str::to_owned));
    Ok(MirrorRefs { refs, head_branch })
}

/// The matched lines of each licence file found by text, read at the checked commit. Unreadable files are
/// left out (the table still names them).
fn matched_texts(mirror: &Path, check: &RepoCheck) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(commit) = check.commit.as_deref() else {
        return out;
    };
    let Ok(repo) = git2::Repository::open_bare(mirror) else {
        return out;
    };
    let tree = git2::Oid::from_str(commit)
        .and_then(|id| repo.find_commit(id))
        .and_then(|c| c.tree());
    let Ok(tree) = tree else { return out };
    for f in &check.findings {
        if out.contains_key(&f.file) {
            continue;
        }
        let blob = tree
            .get_path(Path::new(&f.file))
            .and_then(|e| repo.find_blob(e.id()));
        if let Ok(blob) = blob
            && !blob.is_binary()
        {
            let text = String::from_utf8_lossy(blob.content());
            let (first, last) = f.lines;
            let lines: Vec<&str> = text
                .lines()
                .skip(first.saturating_sub(1))
                .take(last.saturating_sub(first) + 1)
                .collect();
            out.insert(f.file.clone(), lines.join("\n"));
        }
    }
    out
}
