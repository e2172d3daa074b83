//! The decision record: one YAML file per candidate, `republications/<owner>/<repo>.yaml` in the control
//! repository, holding what a maintainer decides from (source, verdict, licences, holders, notice preview, what
//! the safety scan found) and, once `apply` has run, where it was published.
//!
//! `propose` writes it in a pull request; a merge to the base branch is the maintainers' decision; `apply` reads
//! it back, checks it against what the pull request approved, publishes, and writes the publication into it.
//! Unknown keys are refused and parse errors name the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::check::RepoCheck;
use crate::safety::{FindingKind, SafetyReport};
use crate::state::RepoRecord;
use crate::verdict::Verdict;

/// The record format's version.
pub const RECORD_VERSION: u32 = 1;

/// Where a repository's record lives under the records directory: `<owner>/<repo>.yaml`, each part made safe.
pub fn relative_path(full_name: &str) -> PathBuf {
    let (owner, name) = full_name.split_once('/').unwrap_or(("_", full_name));
    PathBuf::from(crate::archive::sanitize_name(owner))
        .join(format!("{}.yaml", crate::archive::sanitize_name(name)))
}

/// The same, as a `/`-separated path under `records` (for the contents API).
pub fn repo_path(records: &str, full_name: &str) -> String {
    let relative = relative_path(full_name);
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("{}/{}", records.trim_end_matches('/'), parts.join("/"))
}

/// The removed repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Source {
    pub full_name: String,
    pub url: String,
    /// GitHub's numeric id, stable across renames.
    pub id: u64,
    pub default_branch: Option<String>,
}

/// The archived mirror and what it held when last fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Mirror {
    /// Relative to the archive directory.
    pub path: String,
    /// The last-seen tip of the default branch.
    pub head: Option<String>,
    /// The last-seen heads and tags.
    pub tips: BTreeMap<String, String>,
}

/// Which verdict a record holds: written `allowed`, `needs-review` or `forbidden`, as records always have
/// been ([`Verdict::name`]); any other word is refused when the record is read, naming the file and line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictKind {
    Allowed,
    NeedsReview,
    Forbidden,
}

impl VerdictKind {
    /// The kind of `verdict`.
    pub fn of(verdict: &Verdict) -> VerdictKind {
        match verdict {
            Verdict::Allowed { .. } => VerdictKind::Allowed,
            Verdict::NeedsReview { .. } => VerdictKind::NeedsReview,
            Verdict::Forbidden { .. } => VerdictKind::Forbidden,
        }
    }

    /// Its word in records, pull requests and summaries: [`Verdict::name`] of a verdict of this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Allowed => "allowed",
            VerdictKind::NeedsReview => "needs-review",
            VerdictKind::Forbidden => "forbidden",
        }
    }
}

impl std::fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The verdict after the safety gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VerdictRecord {
    pub kind: VerdictKind,
    #[serde(default)]
    pub reasons: Vec<String>,
    /// Each condition in words.
    #[serde(default)]
    pub conditions: Vec<String>,
}

/// One licence found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LicenseLine {
    pub id: String,
    pub file: String,
    /// `first-last`, 1-based.
    pub lines: String,
    pub score: f32,
    pub method: String,
    #[serde(default)]
    pub modified: bool,
}

/// One safety finding, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MaskedFinding {
    pub kind: FindingKind,
    pub rule: String,
    pub path: String,
    pub commit: String,
    pub line: Option<usize>,
    /// Masked: never the secret itself.
    pub excerpt: String,
    pub fingerprint: String,
    /// How many places (path and version) hold the same thing; the one above is the first.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub places: usize,
    /// Set when the repository's authors marked it (`gitleaks:allow`, `.gitleaksignore`): how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marked: Option<String>,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

impl MaskedFinding {
    fn of(f: &crate::safety::SafetyFinding) -> MaskedFinding {
        MaskedFinding {
            kind: f.kind,
            rule: f.rule.clone(),
            path: f.path.clone(),
            commit: f.commit.clone(),
            line: f.line,
            excerpt: f.excerpt.clone(),
            fingerprint: f.fingerprint.clone(),
            places: f.places_total.max(1),
            marked: f.marked.clone(),
        }
    }
}

/// What the history scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SafetySummary {
    pub secrets: usize,
    pub patient_data: usize,
    pub sensitive_files: usize,
    /// Findings waived by the policy, not listed.
    pub waived: usize,
    pub incomplete: bool,
    pub unreadable: usize,
    pub findings: Vec<MaskedFinding>,
    /// Findings the repository's authors marked, which the policy let through (shown, not blocking).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marked: Vec<MaskedFinding>,
    /// Test credentials used only locally, which the policy let through (shown, not blocking).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_test: Vec<MaskedFinding>,
}

impl SafetySummary {
    pub fn from_report(report: &SafetyReport) -> SafetySummary {
        let count = |kind| report.findings.iter().filter(|f| f.kind == kind).count();
        SafetySummary {
            secrets: count(FindingKind::Secret),
            patient_data: count(FindingKind::PatientData),
            sensitive_files: count(FindingKind::SensitiveFile),
            waived: report.allowed.len(),
            incomplete: report.incomplete,
            unreadable: report.unreadable.len(),
            findings: report.findings.iter().map(MaskedFinding::of).collect(),
            marked: report
                .allowed
                .iter()
                .filter(|f| {
                    f.marked.is_some()
                        && f.allowed_by
                            .as_deref()
                            .is_some_and(|w| w.starts_with("marked"))
                })
                .map(MaskedFinding::of)
                .collect(),
            local_test: report
                .allowed
                .iter()
                .filter(|f| {
                    f.local_test.is_some()
                        && f.allowed_by
                            .as_deref()
                            .is_some_and(|w| w.starts_with("test credential"))
                })
                .map(MaskedFinding::of)
                .collect(),
        }
    }

    pub fn is_clean(&self) -> bool {
        self.findings.is_empty() && !self.incomplete && self.unreadable == 0
    }
}

/// What the decision was made from, besides the tips in [`Mirror`]: each licence file read, by hash, and the
/// policy. A declined proposal stays declined while these and the tips are the same (see
/// [`crate::control::flow::evidence_changes`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Evidence {
    /// sha256 of the policy's rules that decide a verdict ([`crate::policy::Policy::digest`]).
    pub policy: String,
    /// Every file the licences were read from (licence and notice files, manifests, the README, a file with an
    /// SPDX header), path → sha256 of the whole file.
    #[serde(default)]
    pub license_files: BTreeMap<String, String>,
}

/// Where the record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordStatus {
    /// Proposed (and, once on the base branch, approved): `apply` publishes it.
    Proposed,
    /// Published by `apply`.
    Published,
    /// The original came back; nothing is published.
    Restored,
}

/// What `apply` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PublicationInfo {
    /// `organisation/name`, or the local forge's directory.
    pub target: String,
    /// Where git pushed (never with credentials).
    pub target_url: String,
    pub notice_commit: String,
    /// Every ref pushed → id.
    pub pushed: BTreeMap<String, String>,
    /// The approving pull request and its approving maintainers.
    pub pull_request: u64,
    pub approved_by: Vec<String>,
    pub at: DateTime<Utc>,
}

/// A decision record, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DecisionRecord {
    pub version: u32,
    pub source: Source,
    pub mirror: Mirror,
    /// When the repository was first found gone.
    pub removed_at: Option<DateTime<Utc>>,
    /// When the removal was confirmed.
    pub confirmed_at: Option<DateTime<Utc>>,
    pub verdict: VerdictRecord,
    /// The SPDX expression in effect.
    pub expression: String,
    pub licenses: Vec<LicenseLine>,
    pub holders: Vec<String>,
    /// The provenance notice that publication adds (PROVENANCE.md).
    pub notice_preview: String,
    pub safety: SafetySummary,
    /// What it was decided from; absent in records written before keepopen recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    pub status: RecordStatus,
    /// The branch of the batch proposal it was proposed in (`keepopen/batch/…`, see
    /// [`crate::proposal::is_batch_branch`]); absent when proposed on its own branch, as every record written
    /// before batches was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_in: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication: Option<PublicationInfo>,
}

/// The inputs of [`DecisionRecord::build`].
#[derive(Debug, Clone, Copy)]
pub struct RecordInputs<'a> {
    pub repo: &'a RepoRecord,
    pub check: &'a RepoCheck,
    /// The verdict after the safety gate.
    pub verdict: &'a Verdict,
    pub safety: &'a SafetyReport,
    pub notice: &'a str,
    /// [`crate::policy::Policy::digest`] of the policy that gave the verdict.
    pub policy_digest: &'a str,
}

impl DecisionRecord {
    /// A proposed record (pure).
    pub fn build(inputs: &RecordInputs<'_>) -> DecisionRecord {
        let repo = inputs.repo;
        let mirror = repo.mirror.clone().unwrap_or_default();
        let head = repo
            .default_branch
            .as_ref()
            .and_then(|b| mirror.tips.get(&format!("refs/heads/{b}")).cloned())
            .or_else(|| inputs.check.commit.clone());
        DecisionRecord {
            version: RECORD_VERSION,
            source: Source {
                full_name: repo.full_name.clone(),
                url: repo.html_url.clone(),
                id: repo.id,
                default_branch: repo.default_branch.clone(),
            },
            mirror: Mirror {
                path: mirror.path.clone(),
                head,
                tips: mirror.tips.clone(),
            },
            removed_at: repo.suspicion.first_at,
            confirmed_at: repo.removal_confirmed_at,
            verdict: VerdictRecord {
                kind: VerdictKind::of(inputs.verdict),
                reasons: inputs.verdict.reasons().to_vec(),
                conditions: inputs
                    .verdict
                    .conditions()
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
            },
            expression: inputs.check.expression.clone(),
            licenses: inputs
                .check
                .findings
                .iter()
                .map(|f| LicenseLine {
                    id: f.license.clone(),
                    file: f.file.clone(),
                    lines: format!("{}-{}", f.lines.0, f.lines.1),
                    score: (f.score * 1000.0).round() / 1000.0,
                    method: serde_json::to_value(f.method)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    modified: f.modified,
                })
                .collect(),
            holders: inputs.check.holders.clone(),
            notice_preview: inputs.notice.to_owned(),
            safety: SafetySummary::from_report(inputs.safety),
            evidence: Some(Evidence {
                policy: inputs.policy_digest.to_owned(),
                license_files: inputs
                    .check
                    .report
                    .iter()
                    .flat_map(|r| &r.files)
                    .map(|f| (f.path.clone(), f.sha256.to_lowercase()))
                    .collect(),
            }),
            status: RecordStatus::Proposed,
            proposed_in: None,
            publication: None,
        }
    }

    /// The branch its pull request comes from: its batch's, else its own.
    pub fn proposal_branch(&self) -> String {
        match &self.proposed_in {
            Some(batch) if crate::proposal::is_batch_branch(batch) => batch.clone(),
            _ => crate::proposal::branch_name(&self.source.full_name),
        }
    }

    /// Parse a record; `origin` (a file or `PR #n`) names it in errors, with the line and column.
    pub fn parse(text: &str, origin: &str) -> anyhow::Result<DecisionRecord> {
        let record: DecisionRecord =
            serde_yaml::from_str(text).map_err(|e| match e.location() {
                Some(l) => anyhow::anyhow!(
                    "{origin}:{}:{}: invalid decision record: {e}",
                    l.line(),
                    l.column()
                ),
                None => anyhow::anyhow!("{origin}: invalid decision record: {e}"),
            })?;
        anyhow::ensure!(
            record.version == RECORD_VERSION,
            "{origin}: decision record version {} is not supported (this keepopen reads version {RECORD_VERSION})",
            record.version
        );
        Ok(record)
    }

    /// Read and parse a record file.
    pub fn load(path: &Path) -> anyhow::Result<DecisionRecord> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        DecisionRecord::parse(&text, &path.display().to_string())
    }

    /// The YAML text, with a header comment.
    pub fn to_yaml(&self) -> String {
        let body = serde_yaml::to_string(self).expect("plain data serialises");
        format!(
            "# keepopen decision record for {}: a merge of its pull request is the maintainers' approval.\n{body}",
            self.source.full_name
        )
    }

    /// Write atomically.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        crate::state::write_atomic(path, self.to_yaml().as_bytes())
    }

    /// The record as approved: everything but the status and the publication, which `apply` writes.
    pub fn decided_part(&self) -> DecisionRecord {
        DecisionRecord {
            status: RecordStatus::Proposed,
            publication: None,
            ..self.clone()
        }
    }
}

/// Every record file under `dir` (`<owner>/<repo>.yaml`), sorted.
pub fn list(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let owners = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };
    for owner in owners {
        let owner = owner?.path();
        if !owner.is_dir() {
            continue;
        }
        for file in
            std::fs::read_dir(&owner).with_context(|| format!("cannot read {}", owner.display()))?
        {
            let file = file?.path();
            if file.extension().is_some_and(|e| e == "yaml") && file.is_file() {
                out.push(file);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A whole record for nhsuk/frontend (MIT, allowed), for this crate's unit tests to vary.
    pub(crate) fn sample() -> DecisionRecord {
        DecisionRecord {
            version: 1,
            source: Source {
                full_name: "nhsuk/frontend".into(),
                url: "https://github.com/nhsuk/frontend".into(),
                id: 42,
                default_branch: Some("main".into()),
            },
            mirror: Mirror {
                path: "42-frontend.git".into(),
                head: Some("a".repeat(40)),
                tips: [("refs/heads/main".to_owned(), "a".repeat(40))].into(),
            },
            removed_at: None,
            confirmed_at: None,
            verdict: VerdictRecord {
                kind: VerdictKind::Allowed,
                reasons: vec![],
                conditions: vec!["keep the notices".into()],
            },
            expression: "MIT".into(),
            licenses: vec![LicenseLine {
                id: "MIT".into(),
                file: "LICENSE".into(),
                lines: "1-21".into(),
                score: 0.99,
                method: "text".into(),
                modified: false,
            }],
            holders: vec!["NHS England".into()],
            notice_preview: "# Provenance\n".into(),
            safety: SafetySummary::default(),
            evidence: Some(Evidence {
                policy: "p".repeat(64),
                license_files: [("LICENSE".to_owned(), "1".repeat(64))].into(),
            }),
            status: RecordStatus::Proposed,
            proposed_in: None,
            publication: None,
        }
    }

    #[test]
    fn a_record_written_before_batches_names_its_own_branch_and_only_a_batch_branch_replaces_it() {
        let old = sample().to_yaml();
        assert!(!old.contains("proposed-in"), "{old}");
        let parsed = DecisionRecord::parse(&old, "old.yaml").unwrap();
        assert_eq!(parsed.proposed_in, None);
        assert_eq!(parsed.proposal_branch(), "keepopen/nhsuk/frontend");
        let with = |branch: &str| {
            DecisionRecord::parse(
                &old.replacen(
                    "status: proposed",
                    &format!("status: proposed\nproposed-in: {branch}"),
                    1,
                ),
                "new.yaml",
            )
            .unwrap()
            .proposal_branch()
        };
        assert_eq!(
            with("keepopen/batch/nhsuk/permissive-2"),
            "keepopen/batch/nhsuk/permissive-2"
        );
        // A record edited to name another branch is judged by its own branch's pull request.
        for other in ["main", "keepopen/nhsuk/other", "keepopen/batch/x"] {
            assert_eq!(with(other), "keepopen/nhsuk/frontend", "{other}");
        }
    }

    /// A record as keepopen wrote it while the verdict's kind was a string (before `VerdictKind`), byte for byte.
    const RECORD_WRITTEN_WITH_A_STRING_KIND: &str = r#"# keepopen decision record for nhsuk/frontend: a merge of its pull request is the maintainers' approval.
version: 1
source:
  full-name: nhsuk/frontend
  url: https://github.com/nhsuk/frontend
  id: 42
  default-branch: main
mirror:
  path: 42-frontend.git
  head: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  tips:
    refs/heads/main: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
removed-at: null
confirmed-at: null
verdict:
  kind: needs-review
  reasons:
  - 'sensitive content: 1 secret'
  conditions:
  - keep the notices
expression: MIT
licenses:
- id: MIT
  file: LICENSE
  lines: 1-21
  score: 0.99
  method: text
  modified: false
holders:
- NHS England
notice-preview: |
  # Provenance
safety:
  secrets: 0
  patient-data: 0
  sensitive-files: 0
  waived: 0
  incomplete: false
  unreadable: 0
  findings: []
evidence:
  policy: pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp
  license-files:
    LICENSE: '1111111111111111111111111111111111111111111111111111111111111111'
status: proposed
"#;

    #[test]
    fn records_written_with_a_string_kind_load_typed_and_are_rewritten_byte_for_byte() {
        for (word, kind) in [
            ("allowed", VerdictKind::Allowed),
            ("needs-review", VerdictKind::NeedsReview),
            ("forbidden", VerdictKind::Forbidden),
        ] {
            let text = RECORD_WRITTEN_WITH_A_STRING_KIND
                .replace("kind: needs-review", &format!("kind: {word}"));
            let record = DecisionRecord::parse(&text, "old.yaml").unwrap();
            assert_eq!(record.verdict.kind, kind);
            assert_eq!(record.verdict.kind.as_str(), word);
            assert_eq!(record.to_yaml(), text, "{word}: rewritten unchanged");
        }
        // The kind of a verdict is the word its name has always been.
        let verdicts = [
            Verdict::Allowed { conditions: vec![] },
            Verdict::NeedsReview {
                reasons: vec![],
                conditions: vec![],
            },
            Verdict::Forbidden { reasons: vec![] },
        ];
        for verdict in verdicts {
            assert_eq!(VerdictKind::of(&verdict).as_str(), verdict.name());
        }
    }

    #[test]
    fn a_record_whose_kind_is_no_verdict_is_refused_naming_the_file_and_line() {
        let text =
            RECORD_WRITTEN_WITH_A_STRING_KIND.replace("kind: needs-review", "kind: approved");
        let error = format!(
            "{:#}",
            DecisionRecord::parse(&text, "old.yaml").unwrap_err()
        );
        assert!(error.contains("old.yaml"), "{error}");
        assert!(error.contains("line 16"), "{error}");
    }

    #[test]
    fn a_record_survives_its_own_yaml() {
        let r = sample();
        assert_eq!(DecisionRecord::parse(&r.to_yaml(), "x.yaml").unwrap(), r);
        // A record written before keepopen recorded its evidence still reads.
        let older = DecisionRecord {
            evidence: None,
            ..sample()
        };
        let text = older.to_yaml();
        assert!(!text.contains("evidence"), "{text}");
        assert_eq!(DecisionRecord::parse(&text, "x.yaml").unwrap(), older);
    }

    #[test]
    fn parse_errors_name_the_origin_and_line() {
        let text = sample()
            .to_yaml()
            .replace("expression: MIT", "expression: MIT\ncolour: red");
        let e = DecisionRecord::parse(&text, "republications/nhsuk/frontend.yaml").unwrap_err();
        let e = e.to_string();
        assert!(e.starts_with("republications/nhsuk/frontend.yaml:"), "{e}");
        assert!(e.contains("unknown field `colour`"), "{e}");
        let line: usize = e.split(':').nth(1).unwrap().parse().unwrap();
        assert_eq!(text.lines().nth(line - 1), Some("colour: red"), "{e}");

        let old = sample().to_yaml().replace("version: 1", "version: 9");
        let e = DecisionRecord::parse(&old, "f.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("version 9 is not supported"), "{e}");
    }

    #[test]
    fn record_paths_are_safe_for_hostile_names() {
        let cases = [
            ("nhsuk/frontend", "republications/nhsuk/frontend.yaml"),
            ("nhsuk/../x", "republications/nhsuk/__x.yaml"),
            ("-o/a b", "republications/o/a_b.yaml"),
        ];
        for (name, expected) in cases {
            let got = repo_path("republications", name);
            assert_eq!(got, expected, "{name}");
            assert!(!got.split('/').any(|p| p == ".." || p == "."), "{got}");
        }
    }

    #[test]
    fn the_decided_part_ignores_status_and_publication_only() {
        let r = sample();
        let mut published = r.clone();
        published.status = RecordStatus::Published;
        published.publication = Some(PublicationInfo {
            target: "t".into(),
            target_url: "u".into(),
            notice_commit: "c".into(),
            pushed: BTreeMap::new(),
            pull_request: 1,
            approved_by: vec![],
            at: Utc::now(),
        });
        assert_eq!(published.decided_part(), r.decided_part());
        let mut edited = r.clone();
        edited.source.full_name = "nhsuk/other".into();
        assert_ne!(edited.decided_part(), r.decided_part());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// Any text — a hand edit gone wrong, a hostile pull request — parses or fails with an error naming the
        /// record, never a panic.
        #[test]
        fn arbitrary_record_text_never_panics_and_errors_name_the_record(text in proptest::prelude::any::<String>()) {
            if let Err(e) = DecisionRecord::parse(&text, "republications/x/y.yaml") {
                let message = format!("{e:#}");
                proptest::prop_assert!(message.starts_with("republications/x/y.yaml"), "{}", message);
            }
        }

        /// A valid record with one line replaced by arbitrary text: parsed, or refused naming the record.
        #[test]
        fn a_valid_record_with_one_line_mangled_is_parsed_or_refused_naming_the_record(
            at in 0usize..40,
            junk in "[ -~]{0,40}",
        ) {
            let text = sample().to_yaml();
            let mut lines: Vec<&str> = text.lines().collect();
            let at = at % lines.len();
            lines[at] = &junk;
            let mangled = lines.join("\n");
            match DecisionRecord::parse(&mangled, "r.yaml") {
                Ok(record) => proptest::prop_assert_eq!(record.version, 1),
                Err(e) => {
                    let message = format!("{e:#}");
                    proptest::prop_assert!(message.starts_with("r.yaml"), "{}", message)
                }
            }
        }
    }
}
