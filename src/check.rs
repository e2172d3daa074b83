//! `check`: licence report and verdict for one repository, or for every repository under a directory.
//! Discovery (git2, blocking) and detection (CPU) run under `spawn_blocking`, a bounded number at a time;
//! one broken repository is reported and the rest go on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::Semaphore;

use crate::license::detect::Detector;
use crate::license::{Finding, LicenseReport, Observation};
use crate::policy::Policy;
use crate::verdict::{self, Condition, Verdict};

/// The outcome for one repository, as `check --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct RepoCheck {
    /// The repository's path.
    pub repo: String,
    /// `owner/name` when known (from the origin URL), else the directory name.
    pub name: String,
    /// `allowed`, `needs-review`, `forbidden`, or `error`.
    pub verdict: String,
    /// SPDX ids in effect.
    pub licenses: Vec<String>,
    pub expression: String,
    pub conditions: Vec<Condition>,
    pub reasons: Vec<String>,
    pub findings: Vec<Finding>,
    pub observations: Vec<Observation>,
    pub holders: Vec<String>,
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub license_list_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip)]
    pub report: Option<LicenseReport>,
    #[serde(skip)]
    pub decision: Option<Verdict>,
}

impl RepoCheck {
    fn failed(path: &Path, name: String, error: &anyhow::Error) -> Self {
        RepoCheck {
            repo: path.display().to_string(),
            name,
            verdict: "error".into(),
            licenses: Vec::new(),
            expression: String::new(),
            conditions: Vec::new(),
            reasons: Vec::new(),
            findings: Vec::new(),
            observations: Vec::new(),
            holders: Vec::new(),
            commit: None,
            branch: None,
            license_list_version: crate::license::store::LICENSE_LIST_VERSION.to_string(),
            error: Some(format!("{error:#}")),
            report: None,
            decision: None,
        }
    }
}

/// Judge a licence report: the pure part of `check`, shared with propose and republish.
pub fn judge_report(
    path: &Path,
    name: String,
    report: LicenseReport,
    policy: &Policy,
) -> RepoCheck {
    let decision = verdict::judge(&name, &report, policy);
    let effective = verdict::effective(&report);
    RepoCheck {
        repo: path.display().to_string(),
        name,
        verdict: decision.name().to_string(),
        licenses: effective.licenses,
        expression: effective.expression,
        conditions: decision.conditions().to_vec(),
        reasons: decision.reasons().to_vec(),
        findings: report.findings.clone(),
        observations: report.observations.clone(),
        holders: report.holders.clone(),
        commit: report.commit.clone(),
        branch: report.branch.clone(),
        license_list_version: report.license_list_version.clone(),
        error: None,
        report: Some(report),
        decision: Some(decision),
    }
}

/// Check one repository (blocking: call from `spawn_blocking`).
pub fn check_repo(path: &Path, detector: &Detector, policy: &Policy) -> RepoCheck {
    let name = repo_name(path);
    match crate::license::discovery::discover_path(path) {
        Ok(discovery) => judge_report(path, name, detector.detect(&discovery), policy),
        Err(e) => RepoCheck::failed(path, name, &e),
    }
}

/// `owner/name` from a GitHub origin URL, else the directory name without `.git`.
pub fn repo_name(path: &Path) -> String {
    let from_remote = git2::Repository::open(path).ok().and_then(|repo| {
        let remote = repo.find_remote("origin").ok()?;
        let url = remote.url().ok()?.to_string();
        owner_name_from_url(&url)
    });
    from_remote.unwrap_or_else(|| {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_else(|| path.display().to_string());
        file.strip_suffix(".git")
            .map(str::to_string)
            .unwrap_or(file)
    })
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
            if !kind.is_dir() {
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

/// Check many repositories, `jobs` at a time; `progress` is told after each one.
pub async fn check_all(
    paths: Vec<PathBuf>,
    policy: Arc<Policy>,
    jobs: usize,
    progress: impl Fn(&RepoCheck) + Send + Sync + 'static,
) -> Vec<RepoCheck> {
    let detector = Arc::new(Detector::embedded());
    let gate = Arc::new(Semaphore::new(jobs.max(1)));
    let progress = Arc::new(progress);
    let mut tasks = Vec::with_capacity(paths.len());
    for path in paths {
        let (detector, policy, gate, progress) = (
            detector.clone(),
            policy.clone(),
            gate.clone(),
            progress.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let _permit = gate
                .acquire_owned()
                .await
                .expect("semaphore is never closed");
            let p = path.clone();
            let result = tokio::task::spawn_blocking(move || check_repo(&p, &detector, &policy))
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
}
