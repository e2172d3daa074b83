//! The gate's part of policy.yaml: the top-level key `safety`, typed, defaulted and validated, and the
//! allow-lists it holds. Every problem is collected and named by its key.
//!
//! ```yaml
//! safety:
//!   time-limit: 120s            # per repository; a scan that hits it is incomplete, which blocks
//!   max-blob-bytes: 2097152     # the read window; a bigger blob is read in overlapping windows to its end
//!   refs: ["refs/heads/*", "refs/tags/*"]
//!   nhs-numbers:
//!     threshold: 3              # valid patient NHS numbers in a tabular file that make a finding
//!     threshold-other-files: 10 # the same in any other text file
//!   allow:                      # waive findings by path glob and/or rule id, optionally only in some repos
//!     - paths: ["tests/fixtures/**"]
//!       rules: [generic-api-key]
//!       repos: ["nhsx/*"]
//!       reason: "made-up keys for the parser's tests"
//!   authors-markers: report     # gitleaks:allow / .gitleaksignore: shown, not blocking (`block`: they block)
//!   local-test-credentials: report  # a test's own credential, used locally only: shown, not blocking
//!   overrides:                  # waive one finding of one repo, pinned by its fingerprint
//!     - repo: nhsx/example
//!       fingerprint: "<64 hex digits, as `keepopen scan` prints them>"
//!       reason: "key revoked in 2021, confirmed by the team"
//! ```
//!
//! Nothing waives an incomplete scan or unreadable objects: raise the limit and scan again.

use std::collections::BTreeSet;
use std::time::Duration;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use super::{NHS_NUMBER_RULE, RuleSet, SafetyReport, ScanLimits, files};
use crate::monitor::config::parse_duration;
use crate::policy::{Code, Problem};

/// `safety:` as written (kebab-case keys, unknown keys refused); [`SafetyConfig::build`] checks it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct RawSafety {
    time_limit: String,
    max_blob_bytes: usize,
    refs: Vec<String>,
    nhs_numbers: RawNhs,
    allow: Vec<RawAllow>,
    overrides: Vec<RawOverride>,
    authors_markers: AuthorsMarkers,
    local_test_credentials: AuthorsMarkers,
}

/// How the repository's own markers (`gitleaks:allow` on a line, a fingerprint in `.gitleaksignore`) count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthorsMarkers {
    /// A finding the authors marked at every place is listed, marked, and does not block.
    #[default]
    Report,
    /// It blocks like any other finding (still shown as marked).
    Block,
}

impl Default for RawSafety {
    fn default() -> Self {
        let limits = ScanLimits::default();
        RawSafety {
            time_limit: format!("{}s", limits.time_limit.as_secs()),
            max_blob_bytes: limits.max_blob_bytes,
            refs: super::DEFAULT_REFS.iter().map(|s| s.to_string()).collect(),
            nhs_numbers: RawNhs::default(),
            allow: Vec::new(),
            overrides: Vec::new(),
            authors_markers: AuthorsMarkers::default(),
            local_test_credentials: AuthorsMarkers::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
struct RawNhs {
    threshold: usize,
    threshold_other_files: usize,
}

impl Default for RawNhs {
    fn default() -> Self {
        let limits = ScanLimits::default();
        RawNhs {
            threshold: limits.nhs_threshold,
            threshold_other_files: limits.nhs_threshold_other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAllow {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    repos: Vec<String>,
    reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    repo: String,
    fingerprint: String,
    reason: String,
}

/// The keys of `safety` and of `safety.nhs-numbers`, for the test that keeps the repository's policy.yaml whole.
#[cfg(test)]
pub(crate) fn section_keys() -> [(&'static str, &'static [&'static str]); 2] {
    use crate::policy::fields_of;
    [
        ("safety", fields_of::<RawSafety>()),
        ("safety.nhs-numbers", fields_of::<RawNhs>()),
    ]
}

/// One allow-list entry: every non-empty criterion must hold.
#[derive(Debug, Clone)]
pub struct Allowance {
    paths: Vec<GlobMatcher>,
    rules: Vec<String>,
    repos: Vec<GlobMatcher>,
    pub reason: String,
}

/// One waived finding of one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub repo: String,
    pub fingerprint: String,
    pub reason: String,
}

/// The validated `safety:` section.
#[derive(Debug, Clone)]
pub struct SafetyConfig {
    pub limits: ScanLimits,
    pub refs: Vec<String>,
    pub allow: Vec<Allowance>,
    pub overrides: Vec<Override>,
    pub authors_markers: AuthorsMarkers,
    /// How a test credential used only locally counts (`report`: listed, not blocking; `block`).
    pub local_test_credentials: AuthorsMarkers,
}

impl Default for SafetyConfig {
    fn default() -> Self {
        let (config, problems) = SafetyConfig::build(RawSafety::default());
        assert!(problems.is_empty(), "the defaults are valid: {problems:?}");
        config
    }
}

impl SafetyConfig {
    /// Check `safety:` as read from policy.yaml (an absent section takes the defaults); every problem is named
    /// by its key.
    pub fn build(raw: RawSafety) -> (SafetyConfig, Vec<Problem>) {
        let mut problems: Vec<Problem> = Vec::new();
        let mut problem = |code, key: String, message: String| {
            problems.push(Problem::new(code, key, message));
        };
        let time_limit = match parse_duration(&raw.time_limit) {
            Ok(d) if d.is_zero() => {
                problem(
                    Code::OutOfRange,
                    "safety.time-limit".into(),
                    "must be more than zero".into(),
                );
                Duration::ZERO
            }
            Ok(d) => d,
            Err(e) => {
                problem(Code::BadDuration, "safety.time-limit".into(), e.to_string());
                Duration::ZERO
            }
        };
        for (key, value) in [
            ("safety.max-blob-bytes", raw.max_blob_bytes),
            ("safety.nhs-numbers.threshold", raw.nhs_numbers.threshold),
            (
                "safety.nhs-numbers.threshold-other-files",
                raw.nhs_numbers.threshold_other_files,
            ),
        ] {
            if value == 0 {
                problem(Code::OutOfRange, key.into(), "must be at least 1".into());
            }
        }
        if raw.refs.is_empty() {
            problem(
                Code::BadRef,
                "safety.refs".into(),
                "name at least one ref glob, e.g. refs/heads/*".into(),
            );
        }
        for (n, r) in raw.refs.iter().enumerate() {
            if !r.starts_with("refs/") {
                problem(
                    Code::BadRef,
                    format!("safety.refs[{n}]"),
                    format!("{r:?} is not a full ref name or glob (they start with refs/)"),
                );
            }
        }

        let known = (raw.allow.iter().any(|entry| !entry.rules.is_empty())).then(known_rules);
        let mut allow = Vec::new();
        for (i, entry) in raw.allow.iter().enumerate() {
            let key = format!("safety.allow[{i}]");
            if entry.paths.is_empty() && entry.rules.is_empty() {
                problem(
                    Code::MissingKey,
                    key.clone(),
                    "name `paths` or `rules` (an entry that waives everything is refused)".into(),
                );
            }
            if entry.reason.trim().is_empty() {
                problem(
                    Code::MissingReason,
                    format!("{key}.reason"),
                    "say why these findings may be published".into(),
                );
            }
            for (n, rule) in entry.rules.iter().enumerate() {
                if known
                    .as_ref()
                    .is_some_and(|known| !known.contains(rule.as_str()))
                {
                    problem(
                        Code::UnknownRule,
                        format!("{key}.rules[{n}]"),
                        format!("{rule:?} is not a rule id"),
                    );
                }
            }
            let mut matchers = |list: &str, patterns: &[String]| -> Vec<GlobMatcher> {
                let mut out = Vec::new();
                for (n, pattern) in patterns.iter().enumerate() {
                    match Glob::new(pattern) {
                        Ok(g) => out.push(g.compile_matcher()),
                        Err(e) => problem(
                            Code::BadGlob,
                            format!("{key}.{list}[{n}]"),
                            format!("{pattern:?}: {e}"),
                        ),
                    }
                }
                out
            };
            let paths = matchers("paths", &entry.paths);
            let repos = matchers("repos", &entry.repos);
            allow.push(Allowance {
                paths,
                rules: entry.rules.clone(),
                repos,
                reason: entry.reason.trim().to_owned(),
            });
        }
        let mut overrides = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, entry) in raw.overrides.iter().enumerate() {
            let key = format!("safety.overrides[{i}]");
            let valid_repo = entry
                .repo
                .split_once('/')
                .is_some_and(|(o, n)| !o.is_empty() && !n.is_empty() && !n.contains('/'));
            if !valid_repo {
                problem(
                    Code::BadRepo,
                    format!("{key}.repo"),
                    format!("{:?} is not owner/name", entry.repo),
                );
            }
            let fingerprint = entry.fingerprint.trim().to_ascii_lowercase();
            if fingerprint.len() != 64 || !fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
                problem(
                    Code::BadSha256,
                    format!("{key}.fingerprint"),
                    format!(
                        "{:?} is not a sha256 (64 hexadecimal digits, as `keepopen scan` prints it)",
                        entry.fingerprint
                    ),
                );
            }
            if entry.reason.trim().is_empty() {
                problem(
                    Code::MissingReason,
                    format!("{key}.reason"),
                    "say why this finding may be published".into(),
                );
            }
            if !seen.insert((entry.repo.to_ascii_lowercase(), fingerprint.clone())) {
                problem(
                    Code::DuplicateEntry,
                    key.clone(),
                    "the same override is listed twice".into(),
                );
            }
            overrides.push(Override {
                repo: entry.repo.clone(),
                fingerprint,
                reason: entry.reason.trim().to_owned(),
            });
        }
        let config = SafetyConfig {
            limits: ScanLimits {
                max_blob_bytes: raw.max_blob_bytes,
                time_limit,
                nhs_threshold: raw.nhs_numbers.threshold,
                nhs_threshold_other: raw.nhs_numbers.threshold_other_files,
            },
            refs: raw.refs,
            allow,
            overrides,
            authors_markers: raw.authors_markers,
            local_test_credentials: raw.local_test_credentials,
        };
        (config, problems)
    }

    /// Move the findings that an allow-list entry or an override waives from `findings` to `allowed`, each
    /// marked with the reason. `repo` is `owner/name` (compared case-insensitively, as GitHub does).
    ///
    /// An override pins a finding by the fingerprint of any of its places: one value found in several places is
    /// one finding, and a decision about it (written, perhaps, before places were grouped) is about all of them.
    /// A finding the repository's authors marked at every place is moved too, unless `authors-markers: block`,
    /// and so is a test credential used only locally, unless `local-test-credentials: block`.
    pub fn apply(&self, repo: &str, report: &mut SafetyReport) {
        let findings = std::mem::take(&mut report.findings);
        for mut finding in findings {
            let pinned = self.overrides.iter().find(|o| {
                o.repo.eq_ignore_ascii_case(repo)
                    && finding.all_fingerprints().any(|f| f == o.fingerprint)
            });
            let listed = || {
                self.allow.iter().find(|a| {
                    (a.paths.is_empty() || a.paths.iter().any(|g| g.is_match(&finding.path)))
                        && (a.rules.is_empty() || a.rules.contains(&finding.rule))
                        && (a.repos.is_empty()
                            || a.repos
                                .iter()
                                .any(|g| g.is_match(repo) || g.is_match(repo.to_ascii_lowercase())))
                })
            };
            let marked = || {
                finding
                    .marked
                    .as_deref()
                    .filter(|_| self.authors_markers == AuthorsMarkers::Report)
                    .map(|how| {
                        format!(
                            "marked by the authors ({how}); `safety.authors-markers: block` makes such findings block"
                        )
                    })
            };
            let local_test = || {
                finding
                    .local_test
                    .as_deref()
                    .filter(|_| self.local_test_credentials == AuthorsMarkers::Report)
                    .map(|why| {
                        format!(
                            "test credential, local only ({why}); `safety.local-test-credentials: block` makes such \
                             findings block"
                        )
                    })
            };
            let reason = match pinned {
                Some(o) => Some(format!("override: {}", o.reason)),
                None => listed()
                    .map(|a| format!("allow-list: {}", a.reason))
                    .or_else(marked)
                    .or_else(local_test),
            };
            match reason {
                Some(reason) => {
                    finding.allowed_by = Some(reason);
                    report.allowed.push(finding);
                }
                None => report.findings.push(finding),
            }
        }
    }
}

/// Every rule id a finding can carry.
fn known_rules() -> BTreeSet<String> {
    let mut known: BTreeSet<String> = files::ALL.iter().map(|r| r.id.to_owned()).collect();
    known.insert(NHS_NUMBER_RULE.to_owned());
    if let Ok(rules) = RuleSet::gitleaks() {
        known.extend(rules.rules().iter().map(|r| r.id.clone()));
        known.extend(rules.skipped().iter().map(|r| r.id.clone()));
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::safety::RulesSummary;
    use crate::safety::tests::finding;

    /// The `safety` of a policy file holding `yaml`, or every problem in it.
    fn config(yaml: &str) -> anyhow::Result<SafetyConfig> {
        let text = format!("version: 1\n{yaml}");
        Ok(crate::policy::Policy::from_str(&text, "policy.yaml")?.safety)
    }

    #[test]
    fn defaults_match_the_documentation() {
        let c = SafetyConfig::default();
        assert_eq!(c.limits, ScanLimits::default());
        assert_eq!(c.limits.time_limit, Duration::from_secs(120));
        assert_eq!(c.limits.max_blob_bytes, 2 * 1024 * 1024);
        assert_eq!(c.limits.nhs_threshold, 3);
        assert_eq!(c.refs, ["refs/heads/*", "refs/tags/*"]);
    }

    #[test]
    fn a_full_section_parses() {
        let fp = "a".repeat(64);
        let c = config(&format!(
            "safety:\n  time-limit: 30s\n  max-blob-bytes: 1024\n  refs: [refs/heads/main]\n  \
             nhs-numbers: {{threshold: 5, threshold-other-files: 20}}\n  \
             allow: [{{paths: ['tests/**'], rules: [generic-api-key], reason: fixtures}}]\n  \
             overrides: [{{repo: nhsx/example, fingerprint: '{}', reason: revoked}}]\n",
            fp.to_uppercase()
        ))
        .unwrap();
        assert_eq!(c.limits.time_limit, Duration::from_secs(30));
        assert_eq!(c.limits.max_blob_bytes, 1024);
        assert_eq!(c.limits.nhs_threshold, 5);
        assert_eq!(c.limits.nhs_threshold_other, 20);
        assert_eq!(c.refs, ["refs/heads/main"]);
        assert_eq!(c.overrides[0].fingerprint, fp, "stored lower case");
    }

    #[test]
    fn every_problem_is_reported_by_key() {
        let error = config(
            "safety:\n  time-limit: soon\n  max-blob-bytes: 0\n  refs: [main]\n  \
             nhs-numbers: {threshold: 0}\n  \
             allow: [{reason: ''}, {rules: [no-such-rule], paths: ['['], reason: x}]\n  \
             overrides: [{repo: example, fingerprint: abc, reason: ' '}]\n",
        )
        .unwrap_err()
        .to_string();
        for needle in [
            "`safety.time-limit`",
            "`safety.max-blob-bytes`",
            "`safety.refs[0]`: \"main\"",
            "`safety.nhs-numbers.threshold`",
            "`safety.allow[0]`: name `paths` or `rules`",
            "`safety.allow[0].reason`",
            "`safety.allow[1].rules[0]`: \"no-such-rule\"",
            "`safety.allow[1].paths[0]`",
            "`safety.overrides[0].repo`",
            "`safety.overrides[0].fingerprint`",
            "`safety.overrides[0].reason`",
        ] {
            assert!(error.contains(needle), "missing {needle:?} in:\n{error}");
        }
    }

    #[test]
    fn the_example_in_docs_safety_md_parses() {
        let docs = include_str!("../../docs/safety.md");
        let block = docs
            .split("```yaml\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("docs/safety.md has a yaml block");
        let c = config(block).unwrap();
        assert_eq!(
            c.limits,
            ScanLimits::default(),
            "the example shows the defaults"
        );
        assert_eq!(c.allow.len(), 1);
        assert_eq!(c.overrides.len(), 1);
    }

    #[test]
    fn unknown_keys_are_refused() {
        let error = config("safety: {dry-run: true}").unwrap_err().to_string();
        assert!(error.contains("unknown field `dry-run`"), "{error}");
    }

    #[test]
    fn apply_moves_waived_findings_with_their_reason() {
        let fp_pinned = "1".repeat(64);
        let fp_other = "2".repeat(64);
        let c = config(&format!(
            "safety:\n  allow:\n    - {{paths: ['tests/fixtures/**'], rules: [generic-api-key], reason: made-up keys}}\n    \
             - {{paths: ['docs/**'], repos: ['nhsx/*'], reason: examples}}\n  \
             overrides:\n    - {{repo: nhsx/app, fingerprint: '{fp_pinned}', reason: revoked}}\n"
        ))
        .unwrap();
        let cases: &[(&str, &str, &str, &str, Option<&str>)] = &[
            (
                "nhsx/app",
                "generic-api-key",
                "tests/fixtures/a.py",
                &fp_other,
                Some("allow-list: made-up keys"),
            ),
            (
                "nhsx/app",
                "aws-access-token",
                "tests/fixtures/a.py",
                &fp_other,
                None,
            ),
            (
                "nhsx/app",
                "aws-access-token",
                "docs/x.md",
                &fp_other,
                Some("allow-list: examples"),
            ),
            (
                "nhsuk/app",
                "aws-access-token",
                "docs/x.md",
                &fp_other,
                None,
            ),
            (
                "NHSX/App",
                "private-key",
                "src/k",
                &fp_pinned,
                Some("override: revoked"),
            ),
            ("nhsx/other", "private-key", "src/k", &fp_pinned, None),
        ];
        for (repo, rule, path, fp, expected) in cases {
            let mut report = SafetyReport {
                findings: vec![finding(rule, path, fp)],
                ..SafetyReport::nothing_read(
                    RulesSummary {
                        source: String::new(),
                        loaded: 0,
                        skipped: vec![],
                    },
                    0,
                    0,
                )
            };
            c.apply(repo, &mut report);
            let got = report.allowed.first().and_then(|f| f.allowed_by.as_deref());
            assert_eq!(got, *expected, "{repo} {rule} {path}");
            assert_eq!(report.findings.len() + report.allowed.len(), 1);
        }
    }
}
