//! The sensitive-content gate: before a mirror is proposed or republished, read its whole history for what must
//! never be made public again — secrets, patient identifiers, and files such as `.env` or database dumps.
//!
//! An organisation may have closed a repository because of what is in it. This stage reads every blob reachable
//! from the refs to be published (heads and tags by default), each blob once however many commits and paths hold
//! it, with a bound on the bytes read per blob and on the time per repository. What it finds goes into a
//! [`SafetyReport`]; [`SafetyReport::blocking_reasons`] turns it into reasons for the verdict (NeedsReview). The
//! secret itself never leaves this module: every excerpt is masked.
//!
//! - `rules`: gitleaks' public rule set, vendored as data, compiled with `regex`;
//! - `nhs`: NHS numbers with a valid modulus-11 check digit, and when a file's count of them is a finding;
//! - `files`: file names that should not be public;
//! - `walk` (here): the history walk, git2 only;
//! - `config`: the `safety:` section of policy.yaml, and the allow-lists and overrides it holds.
//!
//! Which commit a finding names: history is walked oldest first (topological order, reversed), so a finding
//! names the first commit, in that order, whose tree holds the blob — the commit that introduced it. A blob's
//! content is scanned once, under the first path it is seen at.

pub mod config;
pub mod files;
pub mod nhs;
pub mod rules;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use git2::{FileMode, ObjectType, Odb, Oid, Repository, Sort};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use config::SafetyConfig;
pub use rules::{RuleSet, SkippedRule};

use crate::verdict::Verdict;

/// The refs scanned when none are named: what republication pushes.
pub const DEFAULT_REFS: &[&str] = &["refs/heads/*", "refs/tags/*"];

/// The rule id of the NHS number finding.
pub const NHS_NUMBER_RULE: &str = "nhs-number";

/// Bounds and thresholds of one scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanLimits {
    /// The most bytes read of one blob; the rest is not scanned, and the blob is listed as truncated.
    pub max_blob_bytes: usize,
    /// The most time spent on one repository; when hit, the report is incomplete (and that blocks).
    pub time_limit: Duration,
    /// Valid patient NHS numbers in a tabular file (csv, tsv, json, sql, xml, txt, …) that make a finding.
    pub nhs_threshold: usize,
    /// The same in any other text file (prose, code), where a few numbers are more likely examples.
    pub nhs_threshold_other: usize,
}

impl Default for ScanLimits {
    fn default() -> Self {
        ScanLimits {
            max_blob_bytes: 2 * 1024 * 1024,
            time_limit: Duration::from_secs(120),
            nhs_threshold: 3,
            nhs_threshold_other: 10,
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    Secret,
    PatientData,
    SensitiveFile,
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FindingKind::Secret => "secret",
            FindingKind::PatientData => "patient data",
            FindingKind::SensitiveFile => "sensitive file",
        })
    }
}

/// One thing that must not be published without a person's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyFinding {
    pub kind: FindingKind,
    /// The rule id: a gitleaks rule id, `nhs-number`, or one of [`files::ALL`].
    pub rule: String,
    pub description: String,
    pub path: String,
    /// The first commit (oldest first) whose tree holds the blob.
    pub commit: String,
    pub blob: String,
    /// 1-based; absent for file-name findings.
    pub line: Option<usize>,
    /// Masked: never the secret or the number itself.
    pub excerpt: String,
    /// How many blob versions of this path hold the same thing (1 when seen once).
    pub occurrences: usize,
    /// sha256 of `commit:path:rule:line` — what an override in policy.yaml pins.
    pub fingerprint: String,
    /// Set when an allow-list entry or override waived the finding: its reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_by: Option<String>,
    /// Where the same thing is, first place first, at most [`PLACES_KEPT`].
    #[serde(default)]
    pub places: Vec<Place>,
    /// How many places hold it in all.
    #[serde(default)]
    pub places_total: usize,
    /// Set when the repository's own authors marked it (`gitleaks:allow`, `.gitleaksignore`): how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marked: Option<String>,
}

/// How many places of one finding are listed.
pub const PLACES_KEPT: usize = 10;

/// One place a finding is at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub path: String,
    pub commit: String,
    pub blob: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// [`fingerprint`] of this place.
    pub fingerprint: String,
}

impl SafetyFinding {
    /// One line: kind, rule, file, line, commit, masked excerpt.
    pub fn summary(&self) -> String {
        let line = self.line.map(|l| format!(" line {l}")).unwrap_or_default();
        let commit = &self.commit[..self.commit.len().min(12)];
        format!(
            "{} ({}) in {}{line}, commit {commit}: {}",
            self.kind, self.rule, self.path, self.excerpt
        )
    }
}

/// A blob read only up to [`ScanLimits::max_blob_bytes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TruncatedBlob {
    pub path: String,
    pub commit: String,
    pub blob: String,
    pub size: u64,
    pub read: u64,
}

/// One of the largest blobs of a scan: where it was first seen and its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LargeBlob {
    pub path: String,
    pub commit: String,
    pub blob: String,
    pub size: u64,
}

/// How many of the largest blobs a scan keeps ([`SafetyReport::largest`]).
pub const LARGEST_KEPT: usize = 16;

/// The rules in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesSummary {
    pub source: String,
    pub loaded: usize,
    /// Rules that could not be compiled, with the reason.
    pub skipped: Vec<SkippedRule>,
}

/// The outcome of scanning one repository's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafetyReport {
    /// The refs scanned (full names).
    pub refs: Vec<String>,
    /// The scan stopped before the end of the history: what was not read is not vouched for.
    pub incomplete: bool,
    /// Why and how far, when incomplete.
    pub incomplete_reason: Option<String>,
    pub commits_total: usize,
    pub commits_scanned: usize,
    /// Distinct blobs read (each once).
    pub blobs_scanned: usize,
    /// Of those, binary blobs (a NUL byte in the first 8000): only their names are checked.
    pub blobs_binary: usize,
    pub bytes_scanned: u64,
    pub truncated: Vec<TruncatedBlob>,
    /// The [`LARGEST_KEPT`] largest distinct blobs read, largest first (ties by id): what republication's
    /// file-size limit is judged on without reading the object database again.
    #[serde(default)]
    pub largest: Vec<LargeBlob>,
    /// Objects that could not be read (missing or corrupt), or refs that do not point at a commit.
    pub unreadable: Vec<String>,
    /// Valid NHS test numbers (first digit 9) seen in total; informational.
    pub nhs_test_numbers: usize,
    pub findings: Vec<SafetyFinding>,
    /// Findings waived by the policy's allow-list or overrides, each with its reason.
    pub allowed: Vec<SafetyFinding>,
    pub rules: RulesSummary,
    pub max_blob_bytes: u64,
    pub time_limit_ms: u64,
    pub elapsed_ms: u64,
}

impl SafetyReport {
    /// Every blob of the scanned history over `limit` bytes, from [`Self::largest`]; `None` when the list
    /// cannot vouch for that: the scan is incomplete or read objects it could not, the list is not the full
    /// top (a report from before it was kept), or every blob it keeps is over the limit (there may be more).
    pub fn blobs_over(&self, limit: u64) -> Option<Vec<&LargeBlob>> {
        let full_top = self.largest.len() == self.blobs_scanned.min(LARGEST_KEPT);
        if self.incomplete || !self.unreadable.is_empty() || !full_top {
            return None;
        }
        let over: Vec<&LargeBlob> = self.largest.iter().filter(|b| b.size > limit).collect();
        if over.len() == LARGEST_KEPT && self.blobs_scanned > LARGEST_KEPT {
            return None;
        }
        Some(over)
    }

    /// Nothing blocks publication: no finding, a complete scan, every object read.
    pub fn is_clean(&self) -> bool {
        self.blocking_reasons().is_empty()
    }

    /// Why a person must look before publication, one line each, masked, naming file, commit and rule. An
    /// incomplete scan and unreadable objects are reasons too: what was not read is not vouched for.
    pub fn blocking_reasons(&self) -> Vec<String> {
        let mut reasons: Vec<String> = self.findings.iter().map(SafetyFinding::summary).collect();
        if self.incomplete {
            reasons.push(format!(
                "the history scan is incomplete: {}",
                self.incomplete_reason
                    .as_deref()
                    .unwrap_or("it stopped early")
            ));
        }
        if !self.unreadable.is_empty() {
            let more = if self.unreadable.len() > 1 {
                format!(" (and {} more)", self.unreadable.len() - 1)
            } else {
                String::new()
            };
            reasons.push(format!(
                "the history scan could not read everything: {}{more}",
                self.unreadable[0]
            ));
        }
        reasons
    }
}

/// The verdict with the gate applied: an Allowed verdict becomes NeedsReview with the report's blocking reasons
/// (each prefixed `sensitive content: `); a NeedsReview verdict gains them; Forbidden stays as it is. A clean
/// report changes nothing. Pure: the caller scans, this decides.
pub fn gate_verdict(verdict: Verdict, report: &SafetyReport) -> Verdict {
    let found: Vec<String> = report
        .blocking_reasons()
        .into_iter()
        .map(|r| format!("sensitive content: {r}"))
        .collect();
    if found.is_empty() {
        return verdict;
    }
    match verdict {
        Verdict::Allowed { conditions } => Verdict::NeedsReview {
            reasons: found,
            conditions,
        },
        Verdict::NeedsReview {
            mut reasons,
            conditions,
        } => {
            reasons.extend(found);
            Verdict::NeedsReview {
                reasons,
                conditions,
            }
        }
        forbidden @ Verdict::Forbidden { .. } => forbidden,
    }
}

/// Mask a secret: the first 4 characters of a secret of 16 or more, 2 of one of 8 or more, none of a shorter
/// one; a star for each other character, at most 16, then `…`.
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let keep = match chars.len() {
        16.. => 4,
        8..16 => 2,
        _ => 0,
    };
    let head: String = chars[..keep]
        .iter()
        .map(|c| if c.is_control() { ' ' } else { *c })
        .collect();
    let hidden = chars.len() - keep;
    let stars = "*".repeat(hidden.min(16));
    let more = if hidden > 16 { "…" } else { "" };
    format!("{head}{stars}{more}")
}

/// sha256 of `commit:path:rule:line` (line 0 for file-name findings), in hex.
pub fn fingerprint(commit: &str, path: &str, rule: &str, line: Option<usize>) -> String {
    let text = format!("{commit}:{path}:{rule}:{}", line.unwrap_or(0));
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Open the repository at `path` (bare or not), scan the refs of `config`, and apply its allow-list and the
/// overrides of `name` (`owner/name`).
pub fn scan_path(path: &Path, name: &str, config: &SafetyConfig) -> anyhow::Result<SafetyReport> {
    let repo = Repository::open_ext(
        path,
        git2::RepositoryOpenFlags::NO_SEARCH,
        std::iter::empty::<&std::ffi::OsStr>(),
    )
    .with_context(|| format!("cannot open {} as a git repository", path.display()))?;
    let mut report = scan_repository(&repo, &config.refs, &config.limits)
        .with_context(|| format!("cannot scan {name}"))?;
    config.apply(name, &mut report);
    Ok(report)
}

/// Scan every blob reachable from `refs` (ref globs such as `refs/heads/*`; empty = [`DEFAULT_REFS`]).
///
/// Fails only when the rules cannot be loaded, the refs cannot be listed, or refs were named and none matches;
/// a missing or corrupt object is recorded in [`SafetyReport::unreadable`] and the scan goes on.
pub fn scan_repository(
    repo: &Repository,
    refs: &[String],
    limits: &ScanLimits,
) -> anyhow::Result<SafetyReport> {
    scan(repo, Roots::Globs(refs), limits)
}

/// Scan every blob reachable from exactly these refs (name → commit or tag id), as republication pushes them:
/// the ids are taken as given, not read again from the repository, so what is scanned is what is pushed. A
/// name is never read as a glob (a branch may be called `[x]`). An id that is missing or not a commit is
/// recorded in [`SafetyReport::unreadable`] (which blocks).
pub fn scan_tips(
    repo: &Repository,
    tips: &std::collections::BTreeMap<String, String>,
    limits: &ScanLimits,
) -> anyhow::Result<SafetyReport> {
    scan(repo, Roots::Tips(tips), limits)
}

/// Where a history walk starts.
enum Roots<'a> {
    /// Ref globs (empty: [`DEFAULT_REFS`]).
    Globs(&'a [String]),
    /// Exact ref names with their ids.
    Tips(&'a std::collections::BTreeMap<String, String>),
}

fn scan(repo: &Repository, roots: Roots<'_>, limits: &ScanLimits) -> anyhow::Result<SafetyReport> {
    let label = repo.path().display().to_string();
    let rules =
        RuleSet::gitleaks().map_err(|e| anyhow::anyhow!("cannot load the secret rules: {e}"))?;
    let started = Instant::now();
    let deadline = started.checked_add(limits.time_limit);
    let odb = repo
        .odb()
        .with_context(|| format!("cannot open the object database of {label}"))?;
    let mut scanner = Scanner {
        repo,
        odb,
        rules,
        limits,
        deadline,
        seen_trees: HashSet::new(),
        seen_blobs: HashSet::new(),
        index: HashMap::new(),
        versions: HashSet::new(),
        report: SafetyReport {
            refs: Vec::new(),
            incomplete: false,
            incomplete_reason: None,
            commits_total: 0,
            commits_scanned: 0,
            blobs_scanned: 0,
            blobs_binary: 0,
            bytes_scanned: 0,
            truncated: Vec::new(),
            largest: Vec::new(),
            unreadable: Vec::new(),
            nhs_test_numbers: 0,
            findings: Vec::new(),
            allowed: Vec::new(),
            rules: RulesSummary {
                source: rules.source.clone(),
                loaded: rules.rules().len(),
                skipped: rules.skipped().to_vec(),
            },
            max_blob_bytes: limits.max_blob_bytes as u64,
            time_limit_ms: u64::try_from(limits.time_limit.as_millis()).unwrap_or(u64::MAX),
            elapsed_ms: 0,
        },
    };

    let commits = match roots {
        Roots::Globs(refs) => scanner.commits(refs, &label)?,
        Roots::Tips(tips) => scanner.commits_from_tips(tips, &label)?,
    };
    scanner.report.commits_total = commits.len();
    for commit in commits {
        if scanner.expired() || scanner.scan_commit(commit) == Flow::Stop {
            scanner.stop();
            break;
        }
        scanner.report.commits_scanned += 1;
    }
    let mut report = scanner.report;
    report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

/// What makes two findings the same: rule, path, and (for secrets) the secret's hash, held in memory only.
type DedupeKey = (String, String, [u8; 32]);

struct Scanner<'r> {
    repo: &'r Repository,
    odb: Odb<'r>,
    rules: &'static RuleSet,
    limits: &'r ScanLimits,
    deadline: Option<Instant>,
    seen_trees: HashSet<Oid>,
    seen_blobs: HashSet<Oid>,
    index: HashMap<DedupeKey, usize>,
    /// (finding, blob) pairs counted in `occurrences`.
    versions: HashSet<(usize, Oid)>,
    report: SafetyReport,
}

/// A finding before it is deduplicated.
struct Hit<'a> {
    kind: FindingKind,
    rule: &'a str,
    description: &'a str,
    path: &'a str,
    commit: Oid,
    blob: Oid,
    line: Option<usize>,
    excerpt: String,
    discriminator: [u8; 32],
}

impl Scanner<'_> {
    fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn stop(&mut self) {
        self.report.incomplete = true;
        self.report.incomplete_reason = Some(format!(
            "stopped at the time limit of {:.1}s after {} of {} commits ({} blobs, {} bytes read); the rest of the \
             history was not read",
            self.limits.time_limit.as_secs_f64(),
            self.report.commits_scanned,
            self.report.commits_total,
            self.report.blobs_scanned,
            self.report.bytes_scanned
        ));
    }

    /// The commits reachable from exact (name, id) pairs, oldest first.
    fn commits_from_tips(
        &mut self,
        tips: &std::collections::BTreeMap<String, String>,
        label: &str,
    ) -> anyhow::Result<Vec<Oid>> {
        let mut walk = self
            .repo
            .revwalk()
            .with_context(|| format!("cannot walk the history of {label}"))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
            .with_context(|| format!("cannot walk the history of {label}"))?;
        let mut pushed = false;
        for (name, id) in tips {
            self.report.refs.push(name.clone());
            let commit = Oid::from_str(id)
                .map_err(|e| e.message().to_owned())
                .and_then(|oid| {
                    self.repo
                        .find_object(oid, None)
                        .and_then(|o| o.peel(ObjectType::Commit))
                        .map(|c| c.id())
                        .map_err(|e| e.message().to_owned())
                });
            match commit {
                Ok(commit) => {
                    walk.push(commit)
                        .with_context(|| format!("cannot walk from {name} in {label}"))?;
                    pushed = true;
                }
                Err(e) => self.report.unreadable.push(format!(
                    "{name} ({id}) does not lead to a readable commit: {e}"
                )),
            }
        }
        Ok(self.walk_all(walk, pushed))
    }

    fn walk_all(&mut self, walk: git2::Revwalk<'_>, pushed: bool) -> Vec<Oid> {
        let mut commits = Vec::new();
        if pushed {
            for id in walk {
                match id {
                    Ok(id) => commits.push(id),
                    Err(e) => {
                        self.report
                            .unreadable
                            .push(format!("the history cannot be walked: {}", e.message()));
                        break;
                    }
                }
            }
        }
        commits
    }

    /// The commits reachable from the refs, oldest first.
    fn commits(&mut self, refs: &[String], label: &str) -> anyhow::Result<Vec<Oid>> {
        let named = !refs.is_empty();
        let patterns: Vec<String> = if named {
            refs.to_vec()
        } else {
            DEFAULT_REFS.iter().map(|s| s.to_string()).collect()
        };
        let mut walk = self
            .repo
            .revwalk()
            .with_context(|| format!("cannot walk the history of {label}"))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
            .with_context(|| format!("cannot walk the history of {label}"))?;
        let mut pushed = false;
        for pattern in &patterns {
            let references = self
                .repo
                .references_glob(pattern)
                .with_context(|| format!("cannot list the refs {pattern} of {label}"))?;
            for reference in references {
                let reference = match reference {
                    Ok(r) => r,
                    Err(e) => {
                        self.report.unreadable.push(format!(
                            "a ref matching {pattern} cannot be read: {}",
                            e.message()
                        ));
                        continue;
                    }
                };
                let name = reference.name().map(str::to_owned).unwrap_or_else(|_| {
                    String::from_utf8_lossy(reference.name_bytes()).into_owned()
                });
                if self.report.refs.contains(&name) {
                    continue;
                }
                self.report.refs.push(name.clone());
                match reference.peel(ObjectType::Commit) {
                    Ok(object) => {
                        walk.push(object.id())
                            .with_context(|| format!("cannot walk from {name} in {label}"))?;
                        pushed = true;
                    }
                    Err(e) => self.report.unreadable.push(format!(
                        "{name} does not lead to a readable commit: {}",
                        e.message()
                    )),
                }
            }
        }
        if named && self.report.refs.is_empty() {
            anyhow::bail!("no ref of {label} matches {}", patterns.join(", "));
        }
        Ok(self.walk_all(walk, pushed))
    }

    fn scan_commit(&mut self, id: Oid) -> Flow {
        let tree = match self.repo.find_commit(id) {
            Ok(commit) => commit.tree_id(),
            Err(e) => {
                self.report
                    .unreadable
                    .push(format!("commit {id}: {}", e.message()));
                return Flow::Continue;
            }
        };
        let mut stack = vec![(tree, String::new())];
        while let Some((tree_id, prefix)) = stack.pop() {
            if !self.seen_trees.insert(tree_id) {
                continue;
            }
            let tree = match self.repo.find_tree(tree_id) {
                Ok(t) => t,
                Err(e) => {
                    let at = if prefix.is_empty() { "/" } else { &prefix };
                    self.report.unreadable.push(format!(
                        "tree {tree_id} at {at} in commit {id}: {}",
                        e.message()
                    ));
                    continue;
                }
            };
            for entry in tree.iter() {
                let name = String::from_utf8_lossy(entry.name_bytes());
                let path = if prefix.is_empty() {
                    name.into_owned()
                } else {
                    format!("{prefix}/{name}")
                };
                match entry.kind() {
                    Some(ObjectType::Tree) => stack.push((entry.id(), path)),
                    Some(ObjectType::Blob)
                        if entry.filemode() != i32::from(FileMode::Link)
                            && self.visit_blob(&path, entry.id(), id) == Flow::Stop =>
                    {
                        return Flow::Stop;
                    }
                    // Symbolic links hold a path, submodules a commit of another repository.
                    _ => {}
                }
            }
        }
        Flow::Continue
    }

    fn visit_blob(&mut self, path: &str, blob: Oid, commit: Oid) -> Flow {
        let rules = self.rules;
        let file_rule = if files::needs_content(path) {
            None
        } else {
            files::classify(path, None)
        };
        if let Some(rule) = file_rule {
            self.record(Hit {
                kind: FindingKind::SensitiveFile,
                rule: rule.id,
                description: rule.description,
                path,
                commit,
                blob,
                line: None,
                excerpt: "(the file itself)".to_owned(),
                discriminator: [0; 32],
            });
        } else {
            for index in rules.path_rules(path) {
                let rule = &rules.rules()[index];
                self.record(Hit {
                    kind: FindingKind::SensitiveFile,
                    rule: &rule.id,
                    description: &rule.description,
                    path,
                    commit,
                    blob,
                    line: None,
                    excerpt: "(the file itself)".to_owned(),
                    discriminator: [0; 32],
                });
            }
        }

        if self.seen_blobs.contains(&blob) {
            return Flow::Continue;
        }
        if self.expired() {
            return Flow::Stop;
        }
        self.seen_blobs.insert(blob);
        let (bytes, size) = match self.read_blob(blob) {
            Ok(read) => read,
            Err(e) => {
                self.report.unreadable.push(format!(
                    "blob {blob} at {path} in commit {commit}: {}",
                    e.message()
                ));
                return Flow::Continue;
            }
        };
        self.report.blobs_scanned += 1;
        self.report.bytes_scanned += bytes.len() as u64;
        self.keep_if_large(path, blob, commit, size);
        if size > bytes.len() as u64 {
            self.report.truncated.push(TruncatedBlob {
                path: path.to_owned(),
                commit: commit.to_string(),
                blob: blob.to_string(),
                size,
                read: bytes.len() as u64,
            });
        }
        if bytes[..bytes.len().min(8000)].contains(&0) {
            self.report.blobs_binary += 1;
            return Flow::Continue;
        }

        if files::needs_content(path)
            && let Some(rule) = files::classify(path, Some(&bytes))
        {
            self.record(Hit {
                kind: FindingKind::SensitiveFile,
                rule: rule.id,
                description: rule.description,
                path,
                commit,
                blob,
                line: None,
                excerpt: "(the file itself)".to_owned(),
                discriminator: [0; 32],
            });
        }

        let commit_hex = commit.to_string();
        for found in rules.find(path, &commit_hex, &bytes) {
            let rule = &rules.rules()[found.rule];
            let secret = String::from_utf8_lossy(&bytes[found.start..found.end]);
            self.record(Hit {
                kind: FindingKind::Secret,
                rule: &rule.id,
                description: &rule.description,
                path,
                commit,
                blob,
                line: Some(found.line),
                excerpt: mask(&secret),
                discriminator: Sha256::digest(secret.as_bytes()).into(),
            });
        }

        let numbers = nhs::count(&bytes);
        self.report.nhs_test_numbers += numbers.test;
        let threshold = if nhs::looks_tabular(path, &bytes) {
            self.limits.nhs_threshold
        } else {
            self.limits.nhs_threshold_other
        };
        if numbers.patient > 0
            && numbers.patient >= threshold
            && let Some(first) = numbers.first
        {
            self.record(Hit {
                kind: FindingKind::PatientData,
                rule: NHS_NUMBER_RULE,
                description: "NHS numbers with a valid check digit",
                path,
                commit,
                blob,
                line: numbers.first_line,
                excerpt: format!(
                    "{} distinct valid NHS numbers (threshold {threshold}), the first {}",
                    numbers.patient,
                    nhs::masked(&first)
                ),
                discriminator: [0; 32],
            });
        }
        Flow::Continue
    }

    /// Up to `max_blob_bytes` of a blob, and its full size. Streams where the object database can (loose
    /// objects); a packed blob is inflated whole by libgit2, then cut.
    /// Keep `blob` among the [`LARGEST_KEPT`] largest seen so far.
    fn keep_if_large(&mut self, path: &str, blob: Oid, commit: Oid, size: u64) {
        let largest = &mut self.report.largest;
        let id = blob.to_string();
        let smaller = |b: &LargeBlob| {
            (b.size, std::cmp::Reverse(b.blob.as_str())) < (size, std::cmp::Reverse(id.as_str()))
        };
        if largest.len() == LARGEST_KEPT && !largest.last().is_some_and(smaller) {
            return;
        }
        let at = largest.iter().position(smaller).unwrap_or(largest.len());
        largest.insert(
            at,
            LargeBlob {
                path: path.to_owned(),
                commit: commit.to_string(),
                blob: id,
                size,
            },
        );
        largest.truncate(LARGEST_KEPT);
    }

    fn read_blob(&self, id: Oid) -> Result<(Vec<u8>, u64), git2::Error> {
        let max = self.limits.max_blob_bytes;
        let (size, kind) = self.odb.read_header(id)?;
        if kind != ObjectType::Blob {
            return Err(git2::Error::from_str(&format!("is a {kind}, not a blob")));
        }
        if size > max
            && let Ok((stream, _, _)) = self.odb.reader(id)
        {
            let mut bytes = Vec::with_capacity(max);
            stream
                .take(max as u64)
                .read_to_end(&mut bytes)
                .map_err(|e| git2::Error::from_str(&e.to_string()))?;
            return Ok((bytes, size as u64));
        }
        let object = self.odb.read(id)?;
        let data = object.data();
        Ok((data[..data.len().min(max)].to_vec(), data.len() as u64))
    }

    fn record(&mut self, hit: Hit<'_>) {
        let key = (hit.rule.to_owned(), hit.path.to_owned(), hit.discriminator);
        if let Some(&at) = self.index.get(&key) {
            if self.versions.insert((at, hit.blob)) {
                self.report.findings[at].occurrences += 1;
            }
            return;
        }
        let commit = hit.commit.to_string();
        let at = self.report.findings.len();
        self.index.insert(key, at);
        self.versions.insert((at, hit.blob));
        self.report.findings.push(SafetyFinding {
            kind: hit.kind,
            rule: hit.rule.to_owned(),
            description: hit.description.to_owned(),
            path: hit.path.to_owned(),
            fingerprint: fingerprint(&commit, hit.path, hit.rule, hit.line),
            commit,
            blob: hit.blob.to_string(),
            line: hit.line,
            excerpt: hit.excerpt,
            occurrences: 1,
            allowed_by: None,
            places: Vec::new(),
            places_total: 1,
            marked: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Condition;

    #[test]
    fn mask_keeps_a_short_head_and_hides_the_rest() {
        let cases = [
            (concat!("AK", "IA2E3MXQ7HZLR4VNPW"), "AKIA****************"),
            (
                concat!("gh", "p_R7kQ2mX9vL4pW8nB3tY6cJ1fH5sD0aZ2eUqT"),
                "ghp_****************…",
            ),
            ("hunter2pw", "hu*******"),
            ("short", "*****"),
            ("", ""),
        ];
        for (secret, expected) in cases {
            assert_eq!(mask(secret), expected, "{secret}");
            if secret.len() > 8 {
                assert!(!mask(secret).contains(&secret[4..]), "{secret}");
            }
        }
    }

    #[test]
    fn fingerprint_is_the_sha256_of_commit_path_rule_line() {
        assert_eq!(
            fingerprint("abc", "a/b", "r", Some(3)),
            hex::encode(Sha256::digest(b"abc:a/b:r:3"))
        );
        assert_eq!(
            fingerprint("abc", ".env", "dotenv-file", None),
            hex::encode(Sha256::digest(b"abc:.env:dotenv-file:0"))
        );
    }

    fn report() -> SafetyReport {
        SafetyReport {
            refs: vec!["refs/heads/main".into()],
            incomplete: false,
            incomplete_reason: None,
            commits_total: 1,
            commits_scanned: 1,
            blobs_scanned: 1,
            blobs_binary: 0,
            bytes_scanned: 10,
            truncated: vec![],
            largest: vec![],
            unreadable: vec![],
            nhs_test_numbers: 0,
            findings: vec![],
            allowed: vec![],
            rules: RulesSummary {
                source: "t".into(),
                loaded: 1,
                skipped: vec![],
            },
            max_blob_bytes: 1,
            time_limit_ms: 1,
            elapsed_ms: 0,
        }
    }

    fn blob(size: u64, n: usize) -> LargeBlob {
        LargeBlob {
            path: format!("f{n}"),
            commit: "c".into(),
            blob: format!("{n:040}"),
            size,
        }
    }

    #[test]
    fn the_largest_blobs_vouch_for_a_size_limit_only_when_they_are_the_whole_top() {
        let mut r = report();
        // One blob read, one kept: the list is the whole history.
        r.blobs_scanned = 1;
        r.largest = vec![blob(2000, 1)];
        assert_eq!(r.blobs_over(1000).unwrap().len(), 1);
        assert_eq!(r.blobs_over(5000).unwrap().len(), 0);
        // A report from before the list was kept (none kept, blobs read) cannot say.
        r.largest.clear();
        assert!(r.blobs_over(1000).is_none());
        // Every kept blob over the limit with more blobs read: there may be more over it.
        r.blobs_scanned = 100;
        r.largest = (0..LARGEST_KEPT)
            .map(|n| blob(2000 + n as u64, n))
            .collect();
        assert!(r.blobs_over(1000).is_none());
        assert_eq!(r.blobs_over(2005).unwrap().len(), LARGEST_KEPT - 6);
        // An incomplete or partly unreadable scan vouches for nothing.
        r.incomplete = true;
        assert!(r.blobs_over(2005).is_none());
        r.incomplete = false;
        r.unreadable.push("blob x: corrupt".into());
        assert!(r.blobs_over(2005).is_none());
    }

    #[test]
    fn a_scan_keeps_the_largest_blobs_largest_first() {
        let fx_dir = tempfile::tempdir().unwrap();
        let repo = Repository::init_bare(fx_dir.path()).unwrap();
        let mut tree = repo.treebuilder(None).unwrap();
        for n in 0..(LARGEST_KEPT + 9) {
            let id = repo.blob(&vec![b'x'; 100 + n * 7]).unwrap();
            tree.insert(format!("f{n}.txt"), id, 0o100644).unwrap();
        }
        let tree = repo.find_tree(tree.write().unwrap()).unwrap();
        let sig = git2::Signature::new("t", "t@example.invalid", &git2::Time::new(0, 0)).unwrap();
        repo.commit(Some("refs/heads/main"), &sig, &sig, "m", &tree, &[])
            .unwrap();
        let r = scan_repository(&repo, &[], &ScanLimits::default()).unwrap();
        let sizes: Vec<u64> = r.largest.iter().map(|b| b.size).collect();
        let want: Vec<u64> = (9..LARGEST_KEPT + 9)
            .rev()
            .map(|n| 100 + n as u64 * 7)
            .collect();
        assert_eq!(sizes, want);
        assert_eq!(r.largest[0].path, format!("f{}.txt", LARGEST_KEPT + 8));
        assert_eq!(r.blobs_over(100 + 20 * 7).unwrap().len(), 4);
    }

    #[test]
    fn gate_verdict_table() {
        let mut dirty = report();
        dirty.incomplete = true;
        dirty.incomplete_reason = Some("stopped".into());
        let clean = report();
        let keep = vec![Condition::KeepNotices];
        let blocked = "sensitive content: the history scan is incomplete: stopped".to_string();
        let cases = [
            (
                Verdict::Allowed {
                    conditions: keep.clone(),
                },
                &clean,
                Verdict::Allowed {
                    conditions: keep.clone(),
                },
            ),
            (
                Verdict::Allowed {
                    conditions: keep.clone(),
                },
                &dirty,
                Verdict::NeedsReview {
                    reasons: vec![blocked.clone()],
                    conditions: keep.clone(),
                },
            ),
            (
                Verdict::NeedsReview {
                    reasons: vec!["licence unclear".into()],
                    conditions: vec![],
                },
                &dirty,
                Verdict::NeedsReview {
                    reasons: vec!["licence unclear".into(), blocked.clone()],
                    conditions: vec![],
                },
            ),
            (
                Verdict::Forbidden {
                    reasons: vec!["no".into()],
                },
                &dirty,
                Verdict::Forbidden {
                    reasons: vec!["no".into()],
                },
            ),
        ];
        for (before, r, after) in cases {
            assert_eq!(gate_verdict(before.clone(), r), after, "{before:?}");
        }
    }

    #[test]
    fn blocking_reasons_name_findings_incompleteness_and_unreadable_objects() {
        let mut r = report();
        assert!(r.is_clean());
        r.findings.push(SafetyFinding {
            kind: FindingKind::Secret,
            rule: "aws-access-token".into(),
            description: "d".into(),
            path: "config/settings.py".into(),
            commit: "0123456789abcdef0123".into(),
            blob: "b".into(),
            line: Some(3),
            excerpt: "AKIA****************".into(),
            occurrences: 1,
            fingerprint: "f".into(),
            allowed_by: None,
            places: vec![],
            places_total: 1,
            marked: None,
        });
        r.incomplete = true;
        r.incomplete_reason = Some("stopped at the time limit".into());
        r.unreadable = vec!["blob x".into(), "blob y".into()];
        assert_eq!(
            r.blocking_reasons(),
            [
                "secret (aws-access-token) in config/settings.py line 3, commit 0123456789ab: AKIA****************",
                "the history scan is incomplete: stopped at the time limit",
                "the history scan could not read everything: blob x (and 1 more)",
            ]
        );
        assert!(!r.is_clean());
    }
}
