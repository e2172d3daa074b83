//! What a scan reports: findings and their places, the blobs read in part and the largest, the rules in force;
//! and the two pure helpers every finding goes through (the mask, the fingerprint).

use git2::Oid;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{RuleSet, SkippedRule};

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
    /// The rule id: a gitleaks rule id, `nhs-number`, or one of [`files::ALL`](super::files::ALL).
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

/// A blob read only up to [`ScanLimits::max_blob_bytes`](super::ScanLimits::max_blob_bytes).
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

impl RulesSummary {
    /// What a report says of `rules`: where they came from, how many were compiled, which were not.
    pub(crate) fn of(rules: &RuleSet) -> RulesSummary {
        RulesSummary {
            source: rules.source.clone(),
            loaded: rules.rules().len(),
            skipped: rules.skipped().to_vec(),
        }
    }
}

impl SafetyReport {
    /// The report of a scan that has read nothing yet, under `rules` and the bounds it will read with: no refs,
    /// commits, blobs or findings, nothing cut or unreadable. The scan fills it in as it reads; a unit test
    /// names only the fields its case is about and takes the rest from here.
    pub(crate) fn nothing_read(
        rules: RulesSummary,
        max_blob_bytes: u64,
        time_limit_ms: u64,
    ) -> SafetyReport {
        SafetyReport {
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
            rules,
            max_blob_bytes,
            time_limit_ms,
            elapsed_ms: 0,
        }
    }

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

/// Keep `blob` among the [`LARGEST_KEPT`] largest seen so far.
pub(super) fn keep_if_large(
    largest: &mut Vec<LargeBlob>,
    path: &str,
    blob: Oid,
    commit: Oid,
    size: u64,
) {
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
