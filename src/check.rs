//! `check`: licence report and verdict for one repository, or for every repository under a directory.
//! Discovery (git2, blocking) and detection (CPU) run under `spawn_blocking`, a bounded number at a time;
//! one broken repository is reported and the rest go on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::Semaphore;

use crate::license::detect::Detector;
use crate::license::{Finding, LicenseReport, Observation};
use crate::policy::Policy;
use crate::safety::{SafetyConfig, SafetyReport};
use crate::verdict::{self, Condition, Verdict};

pub mod evaluation;
pub mod scan_cache;

pub use evaluation::{Evaluation, LicenceUnreadable, MirrorRefs, evaluate, mirror_refs};
pub use scan_cache::ScanCache;

/// What a verdict judges: `republication` (licence and history scan, as `propose` decides) or
/// `licence-only` (`check --licence-only`).
pub const SCOPE_REPUBLICATION: &str = "republication";
pub const SCOPE_LICENCE_ONLY: &str = "licence-only";

/// The history scan's part of a verdict, as `check --json` prints it: counts and masked one-line findings.
#[derive(Debug, Clone, Serialize)]
pub struct SafetySummary {
    pub clean: bool,
    pub findings: usize,
    /// Findings waived by the policy's allow-list or overrides.
    pub allowed: usize,
    pub incomplete: bool,
    pub unreadable: usize,
    pub commits_scanned: usize,
    pub blobs_scanned: usize,
    /// One line per finding (kind, rule, file, line, commit, masked excerpt): never the secret.
    pub summaries: Vec<String>,
    /// The scan result came from the scan cache (same tips, same rules and configuration).
    pub cached: bool,
}

impl SafetySummary {
    pub fn of(report: &SafetyReport, cached: bool) -> Self {
        SafetySummary {
            clean: report.is_clean(),
            findings: report.findings.len(),
            allowed: report.allowed.len(),
            incomplete: report.incomplete,
            unreadable: report.unreadable.len(),
            commits_scanned: report.commits_scanned,
            blobs_scanned: report.blobs_scanned,
            summaries: report.blocking_reasons(),
            cached,
        }
    }
}

/// What one file says on its own, as `check --json` prints it beside the repository's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct FileReading {
    pub file: String,
    /// `allowed`, `needs-review` or `forbidden`, had this file been the only evidence.
    pub verdict: String,
    /// The licences this file puts in effect (a text whose grant was removed puts none).
    pub licenses: Vec<String>,
    pub reasons: Vec<String>,
}

impl FileReading {
    fn of(file: &str, report: &LicenseReport, policy: &Policy) -> Self {
        let alone = report.alone(file);
        let verdict = verdict::judge_file(&alone, file, policy);
        FileReading {
            file: file.to_string(),
            verdict: verdict.name().to_string(),
            licenses: verdict::effective(&alone).licenses,
            reasons: verdict.reasons().to_vec(),
        }
    }
}

/// What `check` concluded about one repository: its verdict, or why it has none. One value, so the verdict's
/// name, reasons and conditions cannot drift apart.
#[derive(Debug, Clone, PartialEq)]
pub enum Judgement {
    /// The repository was read and judged.
    Judged(Verdict),
    /// The repository could not be read or scanned; the error says why (with its cause chain).
    Failed(String),
}

impl Judgement {
    /// `allowed`, `needs-review`, `forbidden`, or `error`: the `verdict` of `check --json`.
    pub fn name(&self) -> &'static str {
        match self {
            Judgement::Judged(verdict) => verdict.name(),
            Judgement::Failed(_) => "error",
        }
    }

    /// The verdict, unless the repository could not be judged.
    pub fn verdict(&self) -> Option<&Verdict> {
        match self {
            Judgement::Judged(verdict) => Some(verdict),
            Judgement::Failed(_) => None,
        }
    }

    /// Why the verdict is not *allowed* (none for an allowed verdict or an error).
    pub fn reasons(&self) -> &[String] {
        self.verdict().map_or(&[], Verdict::reasons)
    }

    /// What republication must do (none for a forbidden verdict or an error).
    pub fn conditions(&self) -> &[Condition] {
        self.verdict().map_or(&[], Verdict::conditions)
    }

    /// Why the repository could not be judged.
    pub fn error(&self) -> Option<&str> {
        match self {
            Judgement::Judged(_) => None,
            Judgement::Failed(error) => Some(error),
        }
    }

    pub fn is_allowed(&self) -> bool {
        self.verdict().is_some_and(Verdict::is_allowed)
    }
}

/// A judgement equals its name: `check.verdict == "allowed"`.
impl PartialEq<&str> for Judgement {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl PartialEq<str> for Judgement {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
}

impl PartialEq<String> for Judgement {
    fn eq(&self, other: &String) -> bool {
        self.name() == other
    }
}

impl std::fmt::Display for Judgement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The outcome for one repository. Serialised as `check --json` has always printed it (see [`RepoCheckJson`]).
#[derive(Debug, Clone)]
pub struct RepoCheck {
    /// The repository's path.
    pub repo: String,
    /// `owner/name` when known (from the origin URL), else the directory name.
    pub name: String,
    /// The verdict with its reasons and conditions, or the error that left the repository unjudged.
    pub verdict: Judgement,
    /// SPDX ids in effect.
    pub licenses: Vec<String>,
    pub expression: String,
    /// What the verdict weighed and let stand, said for a reader: weak evidence that names another licence
    /// the policy allows beside a licence text, a tool's default manifest licence beside a licence file.
    pub notes: Vec<String>,
    pub findings: Vec<Finding>,
    pub observations: Vec<Observation>,
    /// What each file read as licence evidence says on its own ([`verdict::judge_file`]): evidence for a
    /// person, never the decision. A file not listed gave no licence evidence.
    pub files: Vec<FileReading>,
    pub holders: Vec<String>,
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub license_list_version: String,
    /// [`SCOPE_REPUBLICATION`] or [`SCOPE_LICENCE_ONLY`]: what `verdict` judges.
    pub scope: String,
    /// The history scan, when the scope is republication.
    pub safety: Option<SafetySummary>,
    /// The licence report the verdict was drawn from (not printed).
    pub report: Option<LicenseReport>,
}

/// `check --json`'s object for one repository: the verdict spelt out as `verdict` (its name), `conditions`,
/// `reasons` and `error`, in the order and shape the JSON has always had.
#[derive(Serialize)]
struct RepoCheckJson<'a> {
    repo: &'a str,
    name: &'a str,
    verdict: &'static str,
    licenses: &'a [String],
    expression: &'a str,
    conditions: &'a [Condition],
    reasons: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    findings: &'a [Finding],
    observations: &'a [Observation],
    #[serde(skip_serializing_if = "<[FileReading]>::is_empty")]
    files: &'a [FileReading],
    holders: &'a [String],
    commit: Option<&'a str>,
    branch: Option<&'a str>,
    license_list_version: &'a str,
    scope: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    safety: Option<&'a SafetySummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

impl Serialize for RepoCheck {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RepoCheckJson {
            repo: &self.repo,
            name: &self.name,
            verdict: self.verdict.name(),
            licenses: &self.licenses,
            expression: &self.expression,
            conditions: self.verdict.conditions(),
            reasons: self.verdict.reasons(),
            notes: &self.notes,
            findings: &self.findings,
            observations: &self.observations,
            files: &self.files,
            holders: &self.holders,
            commit: self.commit.as_deref(),
            branch: self.branch.as_deref(),
            license_list_version: &self.license_list_version,
            scope: &self.scope,
            safety: self.safety.as_ref(),
            error: self.verdict.error(),
        }
        .serialize(serializer)
    }
}

impl RepoCheck {
    fn failed(path: &Path, name: String, error: &anyhow::Error) -> Self {
        RepoCheck {
            repo: path.display().to_string(),
            name,
            verdict: Judgement::Failed(format!("{error:#}")),
            licenses: Vec::new(),
            expression: String::new(),
            notes: Vec::new(),
            findings: Vec::new(),
            observations: Vec::new(),
            files: Vec::new(),
            holders: Vec::new(),
            commit: None,
            branch: None,
            license_list_version: crate::license::store::LICENSE_LIST_VERSION.to_string(),
            scope: SCOPE_LICENCE_ONLY.into(),
            safety: None,
            report: None,
        }
    }
}

/// How many licence reports of each repository (by the path it was read at) this process has judged: what
/// shows that `apply` evaluates a repository once, not once to check and again to publish.
static JUDGED: std::sync::Mutex<BTreeMap<PathBuf, usize>> = std::sync::Mutex::new(BTreeMap::new());

/// How many times this process has judged the licence report of the repository at `path`
/// ([`judge_report`]).
pub fn times_judged(path: &Path) -> usize {
    JUDGED
        .lock()
        .map(|judged| judged.get(path).copied().unwrap_or(0))
        .unwrap_or(0)
}

fn count_judgement(path: &Path) {
    if let Ok(mut judged) = JUDGED.lock() {
        *judged.entry(path.to_path_buf()).or_default() += 1;
    }
}

/// Judge a licence report: the pure part of `check`, shared with propose and republish.
pub fn judge_report(
    path: &Path,
    name: String,
    report: LicenseReport,
    policy: &Policy,
) -> RepoCheck {
    count_judgement(path);
    let decision = verdict::judge(&name, &report, policy);
    let effective = verdict::effective(&report);
    let notes = crate::license::claims::agreement(&crate::license::claims::all(&report), policy)
        .into_iter()
        .filter(|d| !d.blocking)
        .map(|d| d.text)
        .collect();
    RepoCheck {
        repo: path.display().to_string(),
        name,
        verdict: Judgement::Judged(decision),
        licenses: effective.licenses,
        expression: effective.expression,
        notes,
        findings: report.findings.clone(),
        observations: report.observations.clone(),
        files: report
            .files
            .iter()
            .map(|d| FileReading::of(&d.path, &report, policy))
            .collect(),
        holders: report.holders.clone(),
        commit: report.commit.clone(),
        branch: report.branch.clone(),
        license_list_version: report.license_list_version.clone(),
        scope: SCOPE_LICENCE_ONLY.into(),
        safety: None,
        report: Some(report),
    }
}

/// The licence report of the mirror at `path`: the evidence of every ref that would be pushed
/// ([`crate::license::refs::evidence`]), and, where that is nothing at all, whether its history ever held a
/// licence file ([`crate::license::history`]).
fn licence_report(
    path: &Path,
    detector: &Detector,
) -> anyhow::Result<crate::license::LicenseReport> {
    let mut report = crate::license::refs::evidence(path, detector)?;
    crate::license::history::amend(path, &mut report);
    Ok(report)
}

/// Check one repository's licence alone (blocking: call from `spawn_blocking`).
pub fn check_repo(path: &Path, detector: &Detector, policy: &Policy) -> RepoCheck {
    let name = repo_name(path);
    match licence_report(path, detector) {
        Ok(report) => judge_report(path, name, report, policy),
        Err(e) => RepoCheck::failed(path, name, &e),
    }
}

/// Apply the history scan to a licence check: the republication verdict, as `propose` and `check` both
/// compute it ([`crate::safety::gate_verdict`]). Updates `check` (its verdict, scope and safety summary)
/// and returns the verdict.
pub fn gate_check(
    check: &mut RepoCheck,
    report: &SafetyReport,
    cached: bool,
) -> anyhow::Result<Verdict> {
    use anyhow::Context;
    let verdict = crate::safety::gate_verdict(
        check
            .verdict
            .verdict()
            .cloned()
            .context("the licence check gave no verdict")?,
        report,
    );
    check.verdict = Judgement::Judged(verdict.clone());
    check.scope = SCOPE_REPUBLICATION.into();
    check.safety = Some(SafetySummary::of(report, cached));
    Ok(verdict)
}

/// Check one repository: the republication verdict when `safety` is given, else the licence alone.
pub fn check_repo_with(
    path: &Path,
    detector: &Detector,
    policy: &Policy,
    safety: Option<(&SafetyConfig, &ScanCache)>,
) -> RepoCheck {
    let Some((config, cache)) = safety else {
        return check_repo(path, detector, policy);
    };
    let name = repo_name(path);
    match evaluate(path, &name, detector, policy, config, Some(cache)) {
        Ok(evaluation) => evaluation.check,
        Err(e) => RepoCheck::failed(path, name, &e),
    }
}

/// `owner/name` from a GitHub origin URL; else from the layout of the path as given (a symbolic link is named
/// by where it is, not by what it points at): `<owner>+<name>` or `<owner>+<name>.git` itself, a folder
/// `<owner>+<name>/<anything>` (a mirror inside its repository's folder), or `<owner>/<name>.git`; else the
/// directory name without `.git`.
pub fn repo_name(path: &Path) -> String {
    let from_remote = git2::Repository::open(path).ok().and_then(|repo| {
        let remote = repo.find_remote("origin").ok()?;
        let url = remote.url().ok()?.to_string();
        owner_name_from_url(&url)
    });
    from_remote.unwrap_or_else(|| name_from_layout(path))
}

fn name_from_layout(path: &Path) -> String {
    // `.` or `..` say nothing: resolve those alone.
    let path = match path.file_name() {
        Some(_) => path.to_path_buf(),
        None => path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
    };
    let component = |p: &Path| p.file_name().map(|f| f.to_string_lossy().into_owned());
    let file = component(&path).unwrap_or_else(|| path.display().to_string());
    let stem = file.strip_suffix(".git").unwrap_or(&file).to_owned();
    let parent = path.parent().and_then(component);
    let plus = |text: &str| {
        let (owner, name) = text.split_once('+')?;
        let name = name.strip_suffix(".git").unwrap_or(name);
        (crate::monitor::config::valid_login(owner) && crate::approval::valid_repo_name(name))
            .then(|| format!("{owner}/{name}"))
    };
    if let Some(name) = plus(&file) {
        return name;
    }
    if let Some(name) = parent.as_deref().and_then(plus) {
        return name;
    }
    if file.ends_with(".git")
        && crate::approval::valid_repo_name(&stem)
        && let Some(owner) = parent
            .as_deref()
            .filter(|o| crate::monitor::config::valid_login(o))
    {
        return format!("{owner}/{stem}");
    }
    stem
}

/// `https://github.com/nhsuk/foo.git` or `git@github.com:nhsuk/foo` → `nhsuk/foo`.
pub fn owner_name_from_url(url: &str) -> Option<String> {
    let rest = url.trim_end_matches('/').trim_end_matches(".git");
    let tail = rest
        .rsplit_once("github.com")?
        .1
        .trim_start_matches([':', '/']);
    let mut parts = tail.split('/');
    let owner = parts.next().filter(|s| !s.is_empty())?;
    let name = parts.next().filter(|s| !s.is_empty())?;
    Some(format!("{owner}/{name}"))
}

/// The repositories to check: `root` itself when it is one, else every repository below it (bare mirrors
/// as made by `git clone --mirror` or ghorg, or working copies), at most `max_depth` folders down.
pub fn find_repositories(root: &Path, max_depth: usize) -> anyhow::Result<Vec<PathBuf>> {
    use anyhow::Context;
    let meta =
        std::fs::metadata(root).with_context(|| format!("cannot read {}", root.display()))?;
    anyhow::ensure!(
        meta.is_dir(),
        "{} is not a directory or git repository",
        root.display()
    );
    if is_repository(root) {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    if let Ok(real) = root.canonicalize() {
        seen.insert(real);
    }
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!("skipping {}: {e}", dir.display());
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            // A symbolic link to a directory counts (mirrors are often linked into place); each directory is
            // entered once, so a link cycle ends.
            let is_dir = kind.is_dir() || (kind.is_symlink() && path.is_dir());
            if !is_dir {
                continue;
            }
            if kind.is_symlink()
                && let Ok(real) = path.canonicalize()
                && !seen.insert(real)
            {
                continue;
            }
            if is_repository(&path) {
                out.push(path);
            } else if depth + 1 < max_depth {
                stack.push((path, depth + 1));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A bare repository (HEAD, objects/, refs/) or a working copy (.git).
fn is_repository(path: &Path) -> bool {
    path.join(".git").exists()
        || (path.join("HEAD").is_file()
            && path.join("objects").is_dir()
            && path.join("refs").is_dir())
}

/// Check many repositories' licences alone, `jobs` at a time; `progress` is told after each one.
pub async fn check_all(
    paths: Vec<PathBuf>,
    policy: Arc<Policy>,
    jobs: usize,
    progress: impl Fn(&RepoCheck) + Send + Sync + 'static,
) -> Vec<RepoCheck> {
    check_all_with(paths, policy, None, jobs, progress).await
}

/// Check many repositories, `jobs` at a time: the republication verdict when `safety` is given (its
/// configuration and the scan cache), else the licence alone; `progress` is told after each one.
pub async fn check_all_with(
    paths: Vec<PathBuf>,
    policy: Arc<Policy>,
    safety: Option<(Arc<SafetyConfig>, Arc<ScanCache>)>,
    jobs: usize,
    progress: impl Fn(&RepoCheck) + Send + Sync + 'static,
) -> Vec<RepoCheck> {
    let detector = Arc::new(Detector::embedded());
    let gate = Arc::new(Semaphore::new(jobs.max(1)));
    let progress = Arc::new(progress);
    let mut tasks = Vec::with_capacity(paths.len());
    for path in paths {
        let (detector, policy, gate, progress, safety) = (
            detector.clone(),
            policy.clone(),
            gate.clone(),
            progress.clone(),
            safety.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let _permit = gate
                .acquire_owned()
                .await
                .expect("semaphore is never closed");
            let p = path.clone();
            let result = tokio::task::spawn_blocking(move || {
                let safety = safety.as_ref().map(|(c, k)| (c.as_ref(), k.as_ref()));
                check_repo_with(&p, &detector, &policy, safety)
            })
            .await
            .unwrap_or_else(|e| {
                RepoCheck::failed(
                    &path,
                    repo_name(&path),
                    &anyhow::anyhow!("check panicked: {e}"),
                )
            });
            progress(&result);
            result
        }));
    }
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        if let Ok(r) = t.await {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_and_name_come_from_github_urls() {
        assert_eq!(
            owner_name_from_url("https://github.com/nhsuk/nhsuk-frontend.git").as_deref(),
            Some("nhsuk/nhsuk-frontend")
        );
        assert_eq!(
            owner_name_from_url("git@github.com:NHSDigital/foo").as_deref(),
            Some("NHSDigital/foo")
        );
        assert_eq!(owner_name_from_url("https://example.org/x/y"), None);
    }

    #[test]
    fn a_mirror_is_named_by_its_owner_and_name_layout_not_its_last_folder() {
        let cases = [
            ("/srv/mirrors/nhsuk+frontend/repo", "nhsuk/frontend"),
            ("/srv/mirrors/nhsuk+frontend.git", "nhsuk/frontend"),
            ("/srv/mirrors/nhsuk+frontend", "nhsuk/frontend"),
            ("/srv/NHSDigital/api.git", "NHSDigital/api"),
            ("/srv/.tmpAbC/plain.git", "plain"),
            ("/srv/x/plain", "plain"),
        ];
        for (path, expected) in cases {
            assert_eq!(name_from_layout(Path::new(path)), expected, "{path}");
        }
    }
}
