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
mod context;
pub mod files;
pub mod nhs;
pub mod rules;
pub(crate) mod samples;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::sync::{Mutex, mpsc};
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
    /// The fingerprints of the places past the first [`PLACES_KEPT`] (an override of any place waives the
    /// finding: it is the same value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub place_fingerprints: Vec<String>,
    /// Set when the repository's own authors marked every place of it (`gitleaks:allow` on the line, or its
    /// fingerprint in `.gitleaksignore`): how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marked: Option<String>,
    /// Set when every place of it is a test credential used only locally (a test path, a file naming local
    /// endpoints only, a value the test minted: see `safety/context.rs`): why. Listed, not blocking, unless
    /// `safety.local-test-credentials: block`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_test: Option<String>,
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
    /// One line: kind, rule, file, line, commit, masked excerpt; how many other places hold it; whether the
    /// authors marked it.
    pub fn summary(&self) -> String {
        let line = self.line.map(|l| format!(" line {l}")).unwrap_or_default();
        let commit = &self.commit[..self.commit.len().min(12)];
        let others = self.places_total.saturating_sub(1);
        let places = match others {
            0 => String::new(),
            1 => " and 1 other place".to_owned(),
            n => format!(" and {n} other places"),
        };
        let marked = self
            .marked
            .as_deref()
            .map(|m| format!(" [marked by the authors: {m}]"))
            .unwrap_or_default();
        format!(
            "{} ({}) in {}{line}, commit {commit}{places}: {}{marked}",
            self.kind, self.rule, self.path, self.excerpt
        )
    }

    /// Every place's fingerprint: the listed places', then the rest.
    pub fn all_fingerprints(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.fingerprint.as_str())
            .chain(self.places.iter().map(|p| p.fingerprint.as_str()))
            .chain(self.place_fingerprints.iter().map(String::as_str))
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
    // Each worker reads through a repository handle of its own: a libgit2 handle is not shared between
    // threads. They are opened here, so a failure is an error of the scan and no job is left unserved.
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, MAX_WORKERS);
    let handles = (0..workers)
        .map(|_| {
            Repository::open_ext(
                repo.path(),
                git2::RepositoryOpenFlags::NO_SEARCH,
                std::iter::empty::<&std::ffi::OsStr>(),
            )
            .with_context(|| format!("cannot open {label} for reading"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut report = SafetyReport {
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
    };
    let mut walker = Walker {
        repo,
        rules,
        deadline,
        report: &mut report,
        seen_trees: HashSet::new(),
        seen_blobs: HashSet::new(),
        seen_places: HashSet::new(),
        paths: HashMap::new(),
        path_names: Vec::new(),
        commit_ids: Vec::new(),
        extra_visits: Vec::new(),
        path_events: Vec::new(),
        ignore: HashSet::new(),
        seq: 0,
    };
    let commits = match roots {
        Roots::Globs(refs) => walker.commits(refs, &label)?,
        Roots::Tips(tips) => walker.commits_from_tips(tips, &label)?,
    };
    walker.report.commits_total = commits.len();

    let big_lane = Mutex::new(());
    let (sender, receiver) = mpsc::sync_channel::<Job>(JOB_QUEUE);
    let receiver = Mutex::new(receiver);
    let (outcomes, stopped): (Vec<BlobOutcome>, bool) = std::thread::scope(|scope| {
        let running: Vec<_> = handles
            .into_iter()
            .map(|handle| {
                let receiver = &receiver;
                let big_lane = &big_lane;
                scope.spawn(move || {
                    let worker = Worker {
                        rules,
                        limits,
                        deadline,
                        big_lane,
                    };
                    worker.run(&handle, receiver)
                })
            })
            .collect();
        let mut stopped = false;
        for commit in commits {
            if walker.expired() || walker.scan_commit(commit, &sender) == Flow::Stop {
                stopped = true;
                break;
            }
            walker.report.commits_scanned += 1;
        }
        drop(sender);
        let mut outcomes: Vec<BlobOutcome> = Vec::new();
        for r in running {
            match r.join() {
                Ok((done, totals)) => {
                    outcomes.extend(done);
                    let report = &mut *walker.report;
                    report.blobs_scanned += totals.blobs;
                    report.blobs_binary += totals.binary;
                    report.bytes_scanned += totals.bytes;
                    report.nhs_test_numbers += totals.nhs_test;
                    for b in totals.largest {
                        let (Ok(blob), Ok(commit)) =
                            (Oid::from_str(&b.blob), Oid::from_str(&b.commit))
                        else {
                            continue;
                        };
                        keep_if_large(&mut report.largest, &b.path, blob, commit, b.size);
                    }
                }
                Err(_) => {
                    walker
                        .report
                        .unreadable
                        .push("a reading thread failed: not every blob was read".into());
                }
            }
        }
        (outcomes, stopped)
    });
    walker.finish(outcomes, stopped, limits);
    report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

/// At most this many threads read blobs (the machine's cores, if fewer).
const MAX_WORKERS: usize = 4;
/// Blobs queued ahead of the workers: bounds the memory the queue holds.
const JOB_QUEUE: usize = 1024;
/// How much of one window is read again at the start of the next, so that a match across the edge is whole in
/// one of them: longer than any secret the rules describe on one line, and than most private key blocks.
const WINDOW_OVERLAP: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

/// One blob to read, at the first place it was seen.
struct Job {
    seq: usize,
    blob: Oid,
    path: String,
    commit: Oid,
    /// Run the secret rules and NHS numbers (false: only the file rule that needs this path's content).
    scan: bool,
    /// The path's file rule needs the content.
    file_rule: bool,
}

/// A finding's raw material before grouping.
#[derive(Debug, Clone)]
struct RawHit {
    kind: FindingKind,
    rule: String,
    description: String,
    line: Option<usize>,
    excerpt: String,
    /// sha256 of the secret: the same value anywhere is one finding.
    secret: Option<[u8; 32]>,
    marked: bool,
    /// What the content says about a test's local use of the value (see [`context`]); each place's path
    /// decides the rest.
    local: context::LocalUse,
    /// The value is a private key (it needs a positive sign of a test's own key).
    private_key: bool,
}

/// What a worker made of one job.
#[derive(Debug, Default)]
struct BlobOutcome {
    seq: usize,
    blob: Option<Oid>,
    path: String,
    commit: Option<Oid>,
    /// The first read of this blob (not a second read for another path's file rule): it counts in the totals.
    counted: bool,
    scanned: bool,
    size: u64,
    read: u64,
    binary: bool,
    /// The time limit stopped the read before the end.
    cut: bool,
    unreadable: Option<String>,
    nhs_test: usize,
    hits: Vec<RawHit>,
}

/// What a worker counted of the blobs it read.
#[derive(Debug, Default)]
struct Totals {
    blobs: usize,
    binary: usize,
    bytes: u64,
    nhs_test: usize,
    largest: Vec<LargeBlob>,
}

/// A place a finding is at, with what orders it.
#[derive(Debug, Clone)]
struct RawPlace {
    seq: usize,
    path: String,
    commit: Oid,
    blob: Oid,
    line: Option<usize>,
    rule: String,
    marked: bool,
    /// A test credential, local only, at this place (see [`context`]).
    local_test: bool,
}

impl RawPlace {
    /// The place of a finding on a file's name (no line; never marked by the authors).
    fn of_path(seq: usize, rule: &str, path: &str, commit: Oid, blob: Oid) -> RawPlace {
        RawPlace {
            seq,
            path: path.to_owned(),
            commit,
            blob,
            line: None,
            rule: rule.to_owned(),
            marked: false,
            local_test: false,
        }
    }
}

struct Worker<'a> {
    rules: &'static RuleSet,
    limits: &'a ScanLimits,
    deadline: Option<Instant>,
    /// Held while a blob bigger than one window is read: at most one such blob is in memory at a time, so the
    /// peak stays that of one large blob, as with one thread.
    big_lane: &'a Mutex<()>,
}

impl Worker<'_> {
    fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Serve jobs until the queue closes. Only outcomes with something to report (a hit, an error, a cut read)
    /// are kept; the others are folded into the totals at once, so memory does not grow with the history.
    fn run(
        &self,
        repo: &Repository,
        receiver: &Mutex<mpsc::Receiver<Job>>,
    ) -> (Vec<BlobOutcome>, Totals) {
        let mut out = Vec::new();
        let mut totals = Totals::default();
        let mut keep = |mut outcome: BlobOutcome, out: &mut Vec<BlobOutcome>| {
            if outcome.counted
                && outcome.scanned
                && outcome.unreadable.is_none()
                && let (Some(blob), Some(commit)) = (outcome.blob, outcome.commit)
            {
                totals.blobs += 1;
                totals.bytes += outcome.read.min(outcome.size);
                totals.binary += usize::from(outcome.binary);
                totals.nhs_test += outcome.nhs_test;
                keep_if_large(
                    &mut totals.largest,
                    &outcome.path,
                    blob,
                    commit,
                    outcome.size,
                );
                outcome.counted = false;
            }
            if !outcome.hits.is_empty() || outcome.unreadable.is_some() || outcome.cut {
                out.push(outcome);
            }
        };
        let odb = repo.odb().ok();
        loop {
            let job = {
                let Ok(guard) = receiver.lock() else { break };
                match guard.recv() {
                    Ok(job) => job,
                    Err(_) => break,
                }
            };
            let mut outcome = BlobOutcome {
                seq: job.seq,
                blob: Some(job.blob),
                path: job.path.clone(),
                commit: Some(job.commit),
                ..BlobOutcome::default()
            };
            outcome.counted = job.scan;
            if self.expired() {
                outcome.cut = true;
                keep(outcome, &mut out);
                continue;
            }
            match &odb {
                Some(odb) => {
                    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let mut o = BlobOutcome {
                            seq: outcome.seq,
                            blob: outcome.blob,
                            path: outcome.path.clone(),
                            commit: outcome.commit,
                            counted: outcome.counted,
                            ..BlobOutcome::default()
                        };
                        self.read(odb, &job, &mut o);
                        o
                    }));
                    match read {
                        Ok(o) => outcome = o,
                        Err(_) => {
                            outcome.unreadable = Some(format!(
                                "blob {} at {} in commit {}: reading it failed (internal error)",
                                job.blob, job.path, job.commit
                            ))
                        }
                    }
                }
                None => outcome.unreadable = Some("the object database cannot be opened".into()),
            }
            keep(outcome, &mut out);
        }
        (out, totals)
    }

    /// Read the blob of `job` window by window over its whole length and scan each window.
    fn read(&self, odb: &Odb<'_>, job: &Job, outcome: &mut BlobOutcome) {
        let fail = |outcome: &mut BlobOutcome, e: &dyn std::fmt::Display| {
            outcome.unreadable = Some(format!(
                "blob {} at {} in commit {}: {e}",
                job.blob, job.path, job.commit
            ));
        };
        let (size, kind) = match odb.read_header(job.blob) {
            Ok(h) => h,
            Err(e) => return fail(outcome, &e.message()),
        };
        if kind != ObjectType::Blob {
            return fail(outcome, &format!("is a {kind}, not a blob"));
        }
        outcome.size = size as u64;
        let window = self.limits.max_blob_bytes.max(1);
        let _lane = (size > window).then(|| self.big_lane.lock());
        // A loose object streams; a packed one is inflated whole by libgit2 and read from memory.
        let object;
        let mut source: Box<dyn Read> = match odb.reader(job.blob) {
            Ok((stream, _, _)) if size > window => Box::new(stream),
            _ => {
                object = match odb.read(job.blob) {
                    Ok(o) => o,
                    Err(e) => return fail(outcome, &e.message()),
                };
                Box::new(object.data())
            }
        };
        let overlap = WINDOW_OVERLAP.min(window / 2);
        let mut buf: Vec<u8> = Vec::with_capacity(window.min(size));
        let mut start = 0usize; // offset in the blob of buf[0]
        let mut lines_before = 0usize;
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut tally = nhs::NhsTally::default();
        let mut first = true;
        loop {
            let want = window - buf.len();
            let before = buf.len();
            if let Err(e) = (&mut source).take(want as u64).read_to_end(&mut buf) {
                return fail(outcome, &e);
            }
            let fresh = buf.len() - before;
            if first {
                outcome.scanned = true;
                if buf[..buf.len().min(8000)].contains(&0) {
                    outcome.binary = true;
                    if job.file_rule {
                        self.file_rule(job, &buf, outcome);
                    }
                    outcome.read = buf.len() as u64;
                    return;
                }
                if job.file_rule {
                    self.file_rule(job, &buf, outcome);
                }
                if !job.scan {
                    outcome.read = buf.len() as u64;
                    return;
                }
            }
            if fresh > 0 || first {
                self.scan_window(
                    job,
                    &buf,
                    (start, lines_before),
                    size <= window,
                    &mut seen,
                    &mut tally,
                    outcome,
                );
            }
            first = false;
            outcome.read = (start + buf.len()) as u64;
            if fresh < want || outcome.read >= outcome.size {
                break;
            }
            if self.expired() {
                outcome.cut = true;
                break;
            }
            // Keep the last `overlap` bytes for the next window.
            let keep_from = buf.len() - overlap.min(buf.len());
            lines_before += buf[..keep_from].iter().filter(|b| **b == b'\n').count();
            start += keep_from;
            buf.drain(..keep_from);
        }
        let numbers = tally.finish();
        outcome.nhs_test = numbers.test;
        let threshold = if nhs::looks_tabular(&job.path, &buf) {
            self.limits.nhs_threshold
        } else {
            self.limits.nhs_threshold_other
        };
        if numbers.patient > 0
            && numbers.patient >= threshold
            && let Some(first) = numbers.first
        {
            outcome.hits.push(RawHit {
                kind: FindingKind::PatientData,
                rule: NHS_NUMBER_RULE.to_owned(),
                description: "NHS numbers with a valid check digit".to_owned(),
                line: numbers.first_line,
                excerpt: format!(
                    "{} distinct valid NHS numbers (threshold {threshold}), the first {}",
                    numbers.patient,
                    nhs::masked(&first)
                ),
                secret: None,
                marked: false,
                local: context::LocalUse::No,
                private_key: false,
            });
        }
    }

    fn file_rule(&self, job: &Job, head: &[u8], outcome: &mut BlobOutcome) {
        if let Some(rule) = files::classify(&job.path, Some(head)) {
            outcome.hits.push(RawHit {
                kind: FindingKind::SensitiveFile,
                rule: rule.id.to_owned(),
                description: rule.description.to_owned(),
                line: None,
                excerpt: "(the file itself)".to_owned(),
                secret: None,
                marked: false,
                local: context::LocalUse::No,
                private_key: false,
            });
        }
    }

    /// Scan one window of a blob: `(start, lines_before)` is where it begins in the blob; `whole`: the window
    /// is the whole blob (what the file names can then be judged).
    #[allow(clippy::too_many_arguments)]
    fn scan_window(
        &self,
        job: &Job,
        text: &[u8],
        (start, lines_before): (usize, usize),
        whole: bool,
        seen: &mut HashSet<(usize, usize)>,
        tally: &mut nhs::NhsTally,
        outcome: &mut BlobOutcome,
    ) {
        let commit_hex = job.commit.to_string();
        // What the file names, read once and only when something matched.
        let mut ends: Option<Option<context::Endpoints>> = None;
        for found in self.rules.find(&job.path, &commit_hex, text) {
            if !seen.insert((found.rule, start + found.start)) {
                continue;
            }
            let rule = &self.rules.rules()[found.rule];
            let secret = String::from_utf8_lossy(&text[found.start..found.end]);
            let mut excerpt = mask(&secret);
            if let Some(note) = &found.note {
                excerpt.push_str(&format!(" ({note})"));
            }
            outcome.hits.push(RawHit {
                kind: FindingKind::Secret,
                rule: rule.id.clone(),
                description: rule.description.clone(),
                line: Some(lines_before + found.line),
                excerpt,
                secret: Some(Sha256::digest(secret.as_bytes()).into()),
                marked: found.marked,
                local: if context::rule_names_no_service(&rule.id) {
                    context::local_use(
                        &text[found.start..found.end],
                        *ends.get_or_insert_with(|| whole.then(|| context::endpoints(text))),
                    )
                } else {
                    context::LocalUse::No
                },
                private_key: rule.id.contains("private-key"),
            });
        }
        tally.add(text, start, lines_before);
    }
}

/// The history walk (one thread): lists each blob's first place for the workers, checks file names on every
/// path, and remembers every other place a blob is at.
struct Walker<'r> {
    repo: &'r Repository,
    rules: &'static RuleSet,
    deadline: Option<Instant>,
    report: &'r mut SafetyReport,
    seen_trees: HashSet<Oid>,
    seen_blobs: HashSet<Oid>,
    /// (blob, path id) pairs visited.
    seen_places: HashSet<(Oid, u32)>,
    paths: HashMap<String, u32>,
    path_names: Vec<String>,
    commit_ids: Vec<Oid>,
    /// Later places of a blob already queued: (blob, path id, commit index, seq).
    extra_visits: Vec<(Oid, u32, u32, usize)>,
    /// Findings decided on the path alone: (seq, hit, path, commit, blob).
    path_events: Vec<(usize, RawHit, String, Oid, Oid)>,
    /// `.gitleaksignore` entries seen at the root of any scanned commit.
    ignore: HashSet<String>,
    seq: usize,
}

/// What makes two findings one: the secret's hash (in memory only), or for the other kinds rule and path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum GroupKey {
    Secret([u8; 32]),
    Other(String, String),
}

impl Walker<'_> {
    fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn path_id(&mut self, path: &str) -> u32 {
        if let Some(&id) = self.paths.get(path) {
            return id;
        }
        let id = u32::try_from(self.path_names.len()).unwrap_or(u32::MAX);
        self.paths.insert(path.to_owned(), id);
        self.path_names.push(path.to_owned());
        id
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

    fn scan_commit(&mut self, id: Oid, sender: &mpsc::SyncSender<Job>) -> Flow {
        let tree = match self.repo.find_commit(id) {
            Ok(commit) => commit.tree_id(),
            Err(e) => {
                self.report
                    .unreadable
                    .push(format!("commit {id}: {}", e.message()));
                return Flow::Continue;
            }
        };
        let commit_index = u32::try_from(self.commit_ids.len()).unwrap_or(u32::MAX);
        self.commit_ids.push(id);
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
            // Sub-folders go on the stack last-first, so that they are walked in name order.
            let mut folders = Vec::new();
            for entry in tree.iter() {
                let name = String::from_utf8_lossy(entry.name_bytes());
                let path = if prefix.is_empty() {
                    name.into_owned()
                } else {
                    format!("{prefix}/{name}")
                };
                match entry.kind() {
                    Some(ObjectType::Tree) => folders.push((entry.id(), path)),
                    // Symbolic links hold a path, submodules a commit of another repository.
                    Some(ObjectType::Blob)
                        if entry.filemode() != i32::from(FileMode::Link)
                            && self.visit_blob(&path, entry.id(), id, commit_index, sender)
                                == Flow::Stop =>
                    {
                        return Flow::Stop;
                    }
                    _ => {}
                }
            }
            stack.extend(folders.into_iter().rev());
        }
        Flow::Continue
    }

    fn visit_blob(
        &mut self,
        path: &str,
        blob: Oid,
        commit: Oid,
        commit_index: u32,
        sender: &mpsc::SyncSender<Job>,
    ) -> Flow {
        let path_id = self.path_id(path);
        if !self.seen_places.insert((blob, path_id)) {
            return Flow::Continue;
        }
        self.seq += 1;
        let seq = self.seq;
        if path == ".gitleaksignore" {
            self.read_gitleaksignore(blob);
        }
        // Vendored packages (the global path allow-list: node_modules, bower_components, site-packages…) ship
        // what their publishers already made public, test keys included: no secret or file rule applies.
        let vendored = self.rules.path_is_allowed(path);
        let content_rule = !vendored && files::needs_content(path);
        if !vendored {
            let by_name = if content_rule {
                None
            } else {
                files::classify(path, None)
            };
            let mut hits: Vec<RawHit> = by_name
                .map(|rule| RawHit {
                    kind: FindingKind::SensitiveFile,
                    rule: rule.id.to_owned(),
                    description: rule.description.to_owned(),
                    line: None,
                    excerpt: "(the file itself)".to_owned(),
                    secret: None,
                    marked: false,
                    local: context::LocalUse::No,
                    private_key: false,
                })
                .into_iter()
                .collect();
            if by_name.is_none() {
                for index in self.rules.path_rules(path) {
                    let rule = &self.rules.rules()[index];
                    hits.push(RawHit {
                        kind: FindingKind::SensitiveFile,
                        rule: rule.id.clone(),
                        description: rule.description.clone(),
                        line: None,
                        excerpt: "(the file itself)".to_owned(),
                        secret: None,
                        marked: false,
                        local: context::LocalUse::No,
                        private_key: false,
                    });
                }
            }
            for hit in hits {
                self.path_events
                    .push((seq, hit, path.to_owned(), commit, blob));
            }
        }
        let first = self.seen_blobs.insert(blob);
        if !first {
            self.extra_visits.push((blob, path_id, commit_index, seq));
        }
        if first || content_rule {
            let job = Job {
                seq,
                blob,
                path: path.to_owned(),
                commit,
                scan: first,
                file_rule: content_rule,
            };
            if sender.send(job).is_err() {
                return Flow::Stop;
            }
        }
        if self.expired() {
            return Flow::Stop;
        }
        Flow::Continue
    }

    /// Add the fingerprints a `.gitleaksignore` lists (`commit:path:rule:line`, or `path:rule:line`).
    fn read_gitleaksignore(&mut self, blob: Oid) {
        if let Ok(b) = self.repo.find_blob(blob) {
            let text = String::from_utf8_lossy(b.content());
            for line in text.lines() {
                let line = line.trim();
                if !line.is_empty() && !line.starts_with('#') {
                    self.ignore.insert(line.to_owned());
                }
            }
        }
    }

    /// Group what the walk and the workers found into findings, in the order of the walk.
    fn finish(mut self, mut outcomes: Vec<BlobOutcome>, stopped: bool, limits: &ScanLimits) {
        outcomes.sort_by_key(|o| o.seq);
        let mut blob_places: HashMap<Oid, Vec<(u32, u32, usize)>> = HashMap::new();
        let with_hits: HashSet<Oid> = outcomes
            .iter()
            .filter(|o| !o.hits.is_empty())
            .filter_map(|o| o.blob)
            .collect();
        for (blob, path, commit, seq) in std::mem::take(&mut self.extra_visits) {
            if with_hits.contains(&blob) {
                blob_places
                    .entry(blob)
                    .or_default()
                    .push((path, commit, seq));
            }
        }
        let mut groups: Vec<(RawHit, Vec<RawPlace>)> = Vec::new();
        let mut index: HashMap<GroupKey, usize> = HashMap::new();
        let mut add = |hit: RawHit, first_path: &str, place: RawPlace| {
            let key = match hit.secret {
                Some(hash) => GroupKey::Secret(hash),
                None => GroupKey::Other(hit.rule.clone(), first_path.to_owned()),
            };
            match index.get(&key) {
                Some(&at) => groups[at].1.push(place),
                None => {
                    index.insert(key, groups.len());
                    groups.push((hit, vec![place]));
                }
            }
        };
        // Merge the two streams by seq: path findings before content findings of the same place.
        let mut events = std::mem::take(&mut self.path_events).into_iter().peekable();
        let mut bytes_cut = false;
        for outcome in &outcomes {
            while let Some((seq, ..)) = events.peek()
                && *seq <= outcome.seq
            {
                let (seq, hit, path, commit, blob) = events.next().expect("peeked");
                let place = RawPlace::of_path(seq, &hit.rule, &path, commit, blob);
                add(hit, &path, place);
            }
            let (Some(blob), Some(commit)) = (outcome.blob, outcome.commit) else {
                continue;
            };
            if let Some(e) = &outcome.unreadable {
                self.report.unreadable.push(e.clone());
                continue;
            }
            if outcome.cut {
                bytes_cut = true;
                if outcome.scanned {
                    self.report.truncated.push(TruncatedBlob {
                        path: outcome.path.clone(),
                        commit: commit.to_string(),
                        blob: blob.to_string(),
                        size: outcome.size,
                        read: outcome.read,
                    });
                }
            }
            if !outcome.scanned {
                continue;
            }
            if outcome.counted {
                self.report.blobs_scanned += 1;
                self.report.bytes_scanned += outcome.read.min(outcome.size);
                if outcome.binary {
                    self.report.blobs_binary += 1;
                }
                self.report.nhs_test_numbers += outcome.nhs_test;
                keep_if_large(
                    &mut self.report.largest,
                    &outcome.path,
                    blob,
                    commit,
                    outcome.size,
                );
            }
            let others = blob_places.get(&blob).cloned().unwrap_or_default();
            for hit in &outcome.hits {
                let local_test = |path: &str| {
                    context::is_local_test_place(
                        path,
                        hit.local,
                        hit.private_key,
                        self.paths.contains_key(&format!("{path}.pub")),
                    )
                };
                let mut places = vec![RawPlace {
                    seq: outcome.seq,
                    path: outcome.path.clone(),
                    commit,
                    blob,
                    line: hit.line,
                    rule: hit.rule.clone(),
                    marked: hit.marked,
                    local_test: local_test(&outcome.path),
                }];
                // The same blob elsewhere holds the same thing (file rules are judged per path).
                if hit.kind != FindingKind::SensitiveFile {
                    for &(path, commit_index, seq) in &others {
                        let path = &self.path_names[path as usize];
                        places.push(RawPlace {
                            seq,
                            path: path.clone(),
                            commit: self.commit_ids[commit_index as usize],
                            blob,
                            line: hit.line,
                            rule: hit.rule.clone(),
                            marked: hit.marked,
                            local_test: local_test(path),
                        });
                    }
                }
                for place in places {
                    add(hit.clone(), &outcome.path, place);
                }
            }
        }
        for (seq, hit, path, commit, blob) in events {
            let place = RawPlace::of_path(seq, &hit.rule, &path, commit, blob);
            add(hit, &path, place);
        }
        for (hit, places) in groups {
            self.report.findings.push(self.finding(hit, places));
        }
        if stopped || bytes_cut {
            self.report.incomplete = true;
            self.report.incomplete_reason = Some(format!(
                "stopped at the time limit of {:.1}s after {} of {} commits ({} blobs, {} bytes read){}; the \
                 rest of the history was not read",
                limits.time_limit.as_secs_f64(),
                self.report.commits_scanned,
                self.report.commits_total,
                self.report.blobs_scanned,
                self.report.bytes_scanned,
                if self.report.truncated.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", {} blob(s) read in part, the first {}",
                        self.report.truncated.len(),
                        self.report.truncated[0].path
                    )
                }
            ));
        }
    }

    /// One finding from its hit and every place it is at: the first place names it; the authors' markers count
    /// only when every place is marked.
    fn finding(&self, hit: RawHit, mut places: Vec<RawPlace>) -> SafetyFinding {
        places.sort_by_key(|p| p.seq);
        let mut distinct = HashSet::new();
        places.retain(|p| distinct.insert((p.path.clone(), p.blob)));
        let fingerprints: Vec<String> = places
            .iter()
            .map(|p| fingerprint(&p.commit.to_string(), &p.path, &p.rule, p.line))
            .collect();
        let mut inline = 0usize;
        let mut ignored = 0usize;
        for p in &places {
            let commit = p.commit.to_string();
            let line = p.line.unwrap_or(0);
            let listed = self
                .ignore
                .contains(&format!("{commit}:{}:{}:{line}", p.path, p.rule))
                || self
                    .ignore
                    .contains(&format!("{}:{}:{line}", p.path, p.rule));
            if listed {
                ignored += 1;
            } else if p.marked {
                inline += 1;
            }
        }
        let marked = (inline + ignored == places.len()).then(|| match (inline > 0, ignored > 0) {
            (true, false) => "gitleaks:allow on its line".to_owned(),
            (false, true) => "listed in .gitleaksignore".to_owned(),
            _ => "gitleaks:allow on its line, or listed in .gitleaksignore".to_owned(),
        });
        // A test credential, local only, when every place is one: the same value anywhere else is a finding.
        let local_test = places.iter().all(|p| p.local_test).then(|| {
            if hit.private_key {
                "a test's own key: under a test path, with its public half or local endpoints only beside it"
            } else {
                "under a test path, in a file that names no endpoint but local ones, minted by the test"
            }
            .to_owned()
        });
        let first = &places[0];
        SafetyFinding {
            kind: hit.kind,
            rule: hit.rule.clone(),
            description: hit.description,
            path: first.path.clone(),
            commit: first.commit.to_string(),
            blob: first.blob.to_string(),
            line: first.line,
            excerpt: hit.excerpt,
            occurrences: places.len(),
            fingerprint: fingerprints[0].clone(),
            allowed_by: None,
            places_total: places.len(),
            places: places
                .iter()
                .zip(&fingerprints)
                .take(PLACES_KEPT)
                .map(|(p, fp)| Place {
                    path: p.path.clone(),
                    commit: p.commit.to_string(),
                    blob: p.blob.to_string(),
                    line: p.line,
                    fingerprint: fp.clone(),
                })
                .collect(),
            place_fingerprints: if fingerprints.len() > PLACES_KEPT {
                fingerprints[PLACES_KEPT..].to_vec()
            } else {
                Vec::new()
            },
            marked,
            local_test,
        }
    }
}

/// Keep `blob` among the [`LARGEST_KEPT`] largest seen so far.
fn keep_if_large(largest: &mut Vec<LargeBlob>, path: &str, blob: Oid, commit: Oid, size: u64) {
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
            place_fingerprints: vec![],
            marked: None,
            local_test: None,
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
