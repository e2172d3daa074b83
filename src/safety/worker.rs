//! The readers: each worker takes blobs off the walk's queue, reads each over its whole length one window at a
//! time, and runs the rules on every window.

use std::collections::HashSet;
use std::io::Read;
use std::sync::{Mutex, mpsc};
use std::time::Instant;

use git2::{ObjectType, Odb, Oid, Repository};
use sha2::{Digest, Sha256};

use super::report::keep_if_large;
use super::{
    FindingKind, LargeBlob, NHS_NUMBER_RULE, RuleSet, ScanLimits, context, files, mask, nhs,
};

/// How much of one window is read again at the start of the next, so that a match across the edge is whole in
/// one of them: longer than any secret the rules describe on one line, and than most private key blocks.
const WINDOW_OVERLAP: usize = 64 * 1024;

/// One blob to read, at the first place it was seen.
pub(super) struct Job {
    pub(super) seq: usize,
    pub(super) blob: Oid,
    pub(super) path: String,
    pub(super) commit: Oid,
    /// Run the secret rules and NHS numbers (false: only the file rule that needs this path's content).
    pub(super) scan: bool,
    /// The path's file rule needs the content.
    pub(super) file_rule: bool,
}

/// A finding's raw material before grouping.
#[derive(Debug, Clone)]
pub(super) struct RawHit {
    pub(super) kind: FindingKind,
    pub(super) rule: String,
    pub(super) description: String,
    pub(super) line: Option<usize>,
    pub(super) excerpt: String,
    /// sha256 of the secret: the same value anywhere is one finding.
    pub(super) secret: Option<[u8; 32]>,
    pub(super) marked: bool,
    /// What the content says about a test's local use of the value (see [`context`]); each place's path
    /// decides the rest.
    pub(super) local: context::LocalUse,
    /// The value is a private key (it needs a positive sign of a test's own key).
    pub(super) private_key: bool,
    /// Why the value's place is local by its block of settings ([`context::local_block`]), when it is.
    pub(super) local_block: Option<String>,
    /// The file holding a private key holds a public key or certificate too: a pair written together.
    pub(super) key_pair: bool,
}

impl RawHit {
    /// A file sensitive by its name or kind (`files::classify`): the finding is the file itself.
    pub(super) fn sensitive_file(rule: files::FileRule) -> RawHit {
        RawHit {
            kind: FindingKind::SensitiveFile,
            rule: rule.id.to_owned(),
            description: rule.description.to_owned(),
            line: None,
            excerpt: "(the file itself)".to_owned(),
            secret: None,
            marked: false,
            local: context::LocalUse::No,
            private_key: false,
            local_block: None,
            key_pair: false,
        }
    }
}

/// What a worker made of one job.
#[derive(Debug, Default)]
pub(super) struct BlobOutcome {
    pub(super) seq: usize,
    pub(super) blob: Option<Oid>,
    pub(super) path: String,
    pub(super) commit: Option<Oid>,
    /// The first read of this blob (not a second read for another path's file rule): it counts in the totals.
    pub(super) counted: bool,
    pub(super) scanned: bool,
    pub(super) size: u64,
    pub(super) read: u64,
    pub(super) binary: bool,
    /// The time limit stopped the read before the end.
    pub(super) cut: bool,
    pub(super) unreadable: Option<String>,
    pub(super) nhs_test: usize,
    pub(super) hits: Vec<RawHit>,
}

/// What a worker counted of the blobs it read.
#[derive(Debug, Default)]
pub(super) struct Totals {
    pub(super) blobs: usize,
    pub(super) binary: usize,
    pub(super) bytes: u64,
    pub(super) nhs_test: usize,
    pub(super) largest: Vec<LargeBlob>,
}

impl Totals {
    /// Fold a counted, readable outcome into the totals; returns the outcome when it has something to report
    /// (a hit, an error, a cut read).
    fn fold(&mut self, mut outcome: BlobOutcome) -> Option<BlobOutcome> {
        if outcome.counted
            && outcome.scanned
            && outcome.unreadable.is_none()
            && let (Some(blob), Some(commit)) = (outcome.blob, outcome.commit)
        {
            self.blobs += 1;
            self.bytes += outcome.read.min(outcome.size);
            self.binary += usize::from(outcome.binary);
            self.nhs_test += outcome.nhs_test;
            keep_if_large(&mut self.largest, &outcome.path, blob, commit, outcome.size);
            outcome.counted = false;
        }
        (!outcome.hits.is_empty() || outcome.unreadable.is_some() || outcome.cut).then_some(outcome)
    }
}

/// Record that the blob of `job` could not be read, and why.
fn fail(job: &Job, outcome: &mut BlobOutcome, e: &dyn std::fmt::Display) {
    outcome.unreadable = Some(format!(
        "blob {} at {} in commit {}: {e}",
        job.blob, job.path, job.commit
    ));
}

pub(super) struct Worker<'a> {
    pub(super) rules: &'static RuleSet,
    pub(super) limits: &'a ScanLimits,
    pub(super) deadline: Option<Instant>,
    /// Held while a blob bigger than one window is read: at most one such blob is in memory at a time, so the
    /// peak stays that of one large blob, as with one thread.
    pub(super) big_lane: &'a Mutex<()>,
}

impl Worker<'_> {
    fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Serve jobs until the queue closes. Only outcomes with something to report (a hit, an error, a cut read)
    /// are kept; the others are folded into the totals at once, so memory does not grow with the history.
    pub(super) fn run(
        &self,
        repo: &Repository,
        receiver: &Mutex<mpsc::Receiver<Job>>,
    ) -> (Vec<BlobOutcome>, Totals) {
        let mut out = Vec::new();
        let mut totals = Totals::default();
        let odb = repo.odb().ok();
        loop {
            let job = {
                let Ok(guard) = receiver.lock() else { break };
                match guard.recv() {
                    Ok(job) => job,
                    Err(_) => break,
                }
            };
            let mut outcome = self.serve(odb.as_ref(), &job);
            super::keys::drop_throwaway_keys(repo, &mut outcome);
            out.extend(totals.fold(outcome));
        }
        (out, totals)
    }

    /// Read and scan the blob of one job; a panic in the reading is an unreadable blob, not a lost thread.
    fn serve(&self, odb: Option<&Odb<'_>>, job: &Job) -> BlobOutcome {
        let mut outcome = BlobOutcome {
            seq: job.seq,
            blob: Some(job.blob),
            path: job.path.clone(),
            commit: Some(job.commit),
            counted: job.scan,
            ..BlobOutcome::default()
        };
        if self.expired() {
            outcome.cut = true;
            return outcome;
        }
        let Some(odb) = odb else {
            outcome.unreadable = Some("the object database cannot be opened".into());
            return outcome;
        };
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut o = BlobOutcome {
                seq: outcome.seq,
                blob: outcome.blob,
                path: outcome.path.clone(),
                commit: outcome.commit,
                counted: outcome.counted,
                ..BlobOutcome::default()
            };
            self.read(odb, job, &mut o);
            o
        }));
        match read {
            Ok(o) => o,
            Err(_) => {
                outcome.unreadable = Some(format!(
                    "blob {} at {} in commit {}: reading it failed (internal error)",
                    job.blob, job.path, job.commit
                ));
                outcome
            }
        }
    }

    /// Read the blob of `job` window by window over its whole length and scan each window.
    fn read(&self, odb: &Odb<'_>, job: &Job, outcome: &mut BlobOutcome) {
        let (size, kind) = match odb.read_header(job.blob) {
            Ok(h) => h,
            Err(e) => return fail(job, outcome, &e.message()),
        };
        if kind != ObjectType::Blob {
            return fail(job, outcome, &format!("is a {kind}, not a blob"));
        }
        outcome.size = size as u64;
        let window = self.limits.max_blob_bytes.max(1);
        if size <= window {
            return self.read_whole(odb, job, outcome);
        }
        let _lane = self.big_lane.lock();
        // A loose object streams; a packed one is inflated whole by libgit2 and read from memory.
        let object;
        let mut source: Box<dyn Read> = match odb.reader(job.blob) {
            Ok((stream, _, _)) => Box::new(stream),
            _ => {
                object = match odb.read(job.blob) {
                    Ok(o) => o,
                    Err(e) => return fail(job, outcome, &e.message()),
                };
                Box::new(object.data())
            }
        };
        self.read_windows(job, &mut *source, window, size, outcome);
    }

    /// A blob of one window: scanned where libgit2 inflated it, not copied.
    fn read_whole(&self, odb: &Odb<'_>, job: &Job, outcome: &mut BlobOutcome) {
        let object = match odb.read(job.blob) {
            Ok(o) => o,
            Err(e) => return fail(job, outcome, &e.message()),
        };
        let text = object.data();
        outcome.read = text.len() as u64;
        if !self.first_window(job, text, outcome) {
            return;
        }
        let mut tally = nhs::NhsTally::default();
        self.scan_window(
            job,
            text,
            (0, 0),
            true,
            &mut HashSet::new(),
            &mut tally,
            outcome,
        );
        self.count_nhs(job, tally, text, outcome);
    }

    /// A blob bigger than one window, read from `source` one `window` at a time; each window starts with the
    /// last [`WINDOW_OVERLAP`] bytes of the one before, and a match is counted once.
    fn read_windows(
        &self,
        job: &Job,
        source: &mut dyn Read,
        window: usize,
        size: usize,
        outcome: &mut BlobOutcome,
    ) {
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
            if let Err(e) = (&mut *source).take(want as u64).read_to_end(&mut buf) {
                return fail(job, outcome, &e);
            }
            let fresh = buf.len() - before;
            if first && !self.first_window(job, &buf, outcome) {
                outcome.read = buf.len() as u64;
                return;
            }
            if fresh > 0 || first {
                let at = (start, lines_before);
                self.scan_window(job, &buf, at, false, &mut seen, &mut tally, outcome);
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
        self.count_nhs(job, tally, &buf, outcome);
    }

    /// What the first window decides: the blob is read (it counts as scanned); a binary blob, or a read only for
    /// a file rule, ends with the file rule. Whether to go on with the secret rules.
    fn first_window(&self, job: &Job, head: &[u8], outcome: &mut BlobOutcome) -> bool {
        outcome.scanned = true;
        if head[..head.len().min(8000)].contains(&0) {
            outcome.binary = true;
        }
        if job.file_rule {
            self.file_rule(job, head, outcome);
        }
        job.scan && !outcome.binary
    }

    /// The NHS number finding of a whole blob, from its tally; `last` is its last window (whether it looks
    /// tabular).
    fn count_nhs(&self, job: &Job, tally: nhs::NhsTally, last: &[u8], outcome: &mut BlobOutcome) {
        let numbers = tally.finish();
        outcome.nhs_test = numbers.test;
        let threshold = if nhs::looks_tabular(&job.path, last) {
            self.limits.nhs_threshold
        } else {
            self.limits.nhs_threshold_other
        };
        if numbers.patient > 0
            && numbers.patient >= threshold
            && numbers.is_evidence()
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
                local_block: None,
                key_pair: false,
            });
        }
    }

    fn file_rule(&self, job: &Job, head: &[u8], outcome: &mut BlobOutcome) {
        if let Some(rule) = files::classify(&job.path, Some(head)) {
            outcome.hits.push(RawHit::sensitive_file(rule));
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
                local_block: (whole
                    && context::rule_names_no_service(&rule.id)
                    && !rule.id.contains("private-key"))
                .then(|| context::local_block::local_place(&job.path, text, found.start, found.end))
                .flatten(),
                key_pair: rule.id.contains("private-key") && context::holds_public_half(text),
            });
        }
        tally.add(text, start, lines_before);
    }
}
