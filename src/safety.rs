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
//! - `walk`: the history walk (one thread), git2 only, and the grouping of what was found into findings;
//! - `worker`: the readers, which read each blob window by window and run the rules;
//! - `report`: what a scan reports; `gate`: what of it blocks publication, and the verdict with that applied;
//! - `config`: the `safety:` section of policy.yaml, and the allow-lists and overrides it holds.
//!
//! Which commit a finding names: history is walked oldest first (topological order, reversed), so a finding
//! names the first commit, in that order, whose tree holds the blob — the commit that introduced it. A blob's
//! content is scanned once, under the first path it is seen at.

pub mod config;
mod context;
pub mod files;
mod gate;
mod keys;
mod keystores;
pub mod nhs;
mod packs;
mod public_ids;
mod report;
pub mod rules;
pub(crate) mod samples;
mod thumbnails;
mod walk;
mod worker;

use std::path::Path;
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::Context;
use git2::{Oid, Repository};

pub use config::SafetyConfig;
pub use gate::gate_verdict;
pub use packs::{PACK_WINDOWS, PackWindows, limit_pack_windows, pack_windows};
pub use report::{
    FindingKind, LARGEST_KEPT, LargeBlob, PLACES_KEPT, Place, RulesSummary, SafetyFinding,
    SafetyReport, TruncatedBlob, fingerprint, mask,
};
pub use rules::{RuleSet, SkippedRule};

use report::keep_if_large;
use walk::Walker;
use worker::{BlobOutcome, Job, Worker};

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
    let _reading = ReadingMode::enter();
    let readers = open_readers(repo, &label)?;
    let mut report = SafetyReport::nothing_read(
        RulesSummary::of(rules),
        limits.max_blob_bytes as u64,
        u64::try_from(limits.time_limit.as_millis()).unwrap_or(u64::MAX),
    );
    let mut walker = Walker::new(repo, rules, deadline, &mut report);
    let commits = match roots {
        Roots::Globs(refs) => walker.commits(refs, &label)?,
        Roots::Tips(tips) => walker.commits_from_tips(tips, &label)?,
    };
    walker.report.commits_total = commits.len();
    let reading = Reading {
        rules,
        limits,
        deadline,
    };
    let (outcomes, stopped) = reading.walk_and_read(&mut walker, commits, readers);
    walker.finish(outcomes, stopped, limits);
    report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

/// One repository handle for each reader thread: a libgit2 handle is not shared between threads. They are
/// opened before the walk starts, so a failure is an error of the scan and no job is left unserved.
fn open_readers(repo: &Repository, label: &str) -> anyhow::Result<Vec<Repository>> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, MAX_WORKERS);
    (0..workers)
        .map(|_| {
            Repository::open_ext(
                repo.path(),
                git2::RepositoryOpenFlags::NO_SEARCH,
                std::iter::empty::<&std::ffi::OsStr>(),
            )
            .with_context(|| format!("cannot open {label} for reading"))
        })
        .collect()
}

/// What every reader thread shares.
struct Reading<'a> {
    rules: &'static RuleSet,
    limits: &'a ScanLimits,
    deadline: Option<Instant>,
}

impl Reading<'_> {
    /// Walk `commits` on this thread while the readers read the blobs it queues; returns what the readers
    /// kept, and whether the walk stopped early (time limit, or the readers gone).
    fn walk_and_read(
        &self,
        walker: &mut Walker<'_>,
        commits: Vec<Oid>,
        readers: Vec<Repository>,
    ) -> (Vec<BlobOutcome>, bool) {
        let big_lane = Mutex::new(());
        let (sender, receiver) = mpsc::sync_channel::<Job>(JOB_QUEUE);
        let receiver = Mutex::new(receiver);
        std::thread::scope(|scope| {
            let running: Vec<_> = readers
                .into_iter()
                .map(|handle| {
                    let worker = Worker {
                        rules: self.rules,
                        limits: self.limits,
                        deadline: self.deadline,
                        big_lane: &big_lane,
                    };
                    let receiver = &receiver;
                    scope.spawn(move || worker.run(&handle, receiver))
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
                        walker.report.add_totals(totals);
                    }
                    Err(_) => walker
                        .report
                        .unreadable
                        .push("a reading thread failed: not every blob was read".into()),
                }
            }
            (outcomes, stopped)
        })
    }
}

impl SafetyReport {
    /// Add what one reader counted of the blobs it read.
    fn add_totals(&mut self, totals: worker::Totals) {
        self.blobs_scanned += totals.blobs;
        self.blobs_binary += totals.binary;
        self.bytes_scanned += totals.bytes;
        self.nhs_test_numbers += totals.nhs_test;
        for b in totals.largest {
            let (Ok(blob), Ok(commit)) = (Oid::from_str(&b.blob), Oid::from_str(&b.commit)) else {
                continue;
            };
            keep_if_large(&mut self.largest, &b.path, blob, commit, b.size);
        }
    }
}

/// How many scans are running in this process (see [`ReadingMode`]).
static SCANS_RUNNING: Mutex<usize> = Mutex::new(0);

/// libgit2's process-wide reading settings while a scan runs, back to libgit2's defaults when the last scan
/// ends. A scan reads every tree and blob exactly once (the walk keeps its own sets of what it has seen), so:
///
/// - the object cache is off: it would keep up to 256 MiB of trees and commits that are never asked for again
///   (it was half of a scan's own memory on a long history);
/// - an object's content is not hashed again to check its id (a fifth of a scan's CPU): git itself does not on
///   reading either. What is scanned is what a push would send — the bytes in the object database — and a
///   receiving server hashes them itself, so an object whose bytes do not match its id cannot be published as
///   that id. Damage to the stored bytes is still caught by zlib's own check on inflating.
///
/// Other threads of the process read without the cache while a scan runs: slower, never different.
struct ReadingMode;

impl ReadingMode {
    fn enter() -> ReadingMode {
        let mut running = SCANS_RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        if *running == 0 {
            git2::opts::enable_caching(false);
            git2::opts::strict_hash_verification(false);
        }
        *running += 1;
        ReadingMode
    }
}

impl Drop for ReadingMode {
    fn drop(&mut self) {
        let mut running = SCANS_RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        *running -= 1;
        if *running == 0 {
            git2::opts::enable_caching(true);
            git2::opts::strict_hash_verification(true);
        }
    }
}

/// At most this many threads read blobs (the machine's cores, if fewer).
const MAX_WORKERS: usize = 4;
/// Blobs queued ahead of the workers: bounds the memory the queue holds.
const JOB_QUEUE: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

#[cfg(test)]
mod tests;
