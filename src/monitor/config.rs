//! The monitor's part of policy.yaml: the top-level keys `sources`, `removal`, `github` and `archive`,
//! typed, defaulted and validated. Every problem is collected and named by its key.

use std::time::Duration;

use anyhow::bail;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::github::{Owner, RetryPolicy};
use crate::policy::{Code, ForgeKind, Problem};

/// `sources:` — whom to watch.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SourcesConfig {
    pub orgs: Vec<String>,
    pub users: Vec<String>,
    /// Repository globs to include (against `name`, or `owner/name` if the glob has a `/`); empty = all.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Watch forks too.
    pub forks: bool,
    /// Where the watched accounts live: GitHub's API (the default), or a local directory of bare repositories,
    /// `<path>/<owner>/<name>.git` (the demo and offline trials).
    pub forge: ForgeKind,
    /// `forge: local`: the directory holding `<owner>/<name>.git` (relative to the working directory).
    pub path: Option<String>,
}

impl Default for SourcesConfig {
    fn default() -> Self {
        SourcesConfig {
            orgs: Vec::new(),
            users: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            forks: false,
            forge: ForgeKind::Github,
            path: None,
        }
    }
}

/// `removal:` — how sure to be before calling a repository removed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct RemovalConfig {
    /// Consecutive scans answering "gone" before a removal is declared.
    pub confirmations: u32,
    /// Least time between two scans that count towards `confirmations`, e.g. `12h`.
    pub min_gap: String,
}

impl Default for RemovalConfig {
    fn default() -> Self {
        RemovalConfig {
            confirmations: 2,
            min_gap: "12h".into(),
        }
    }
}

/// `github:` — how to reach the API.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct GithubConfig {
    /// The REST API of the watched accounts, and the default of `target.api-url` and `approval.api-url`.
    pub api_url: String,
    /// Per request attempt.
    pub timeout: String,
    /// Attempts per request, the first included.
    pub attempts: u32,
    /// First backoff step after a 5xx or timeout.
    pub backoff: String,
    /// Ceiling of one backoff step.
    pub max_backoff: String,
    /// First wait after a secondary rate limit without `retry-after`.
    pub secondary_wait: String,
    /// Longest wait for a rate limit before the request is given up (and retried next scan).
    pub max_rate_limit_wait: String,
}

impl Default for GithubConfig {
    fn default() -> Self {
        GithubConfig {
            api_url: crate::policy::DEFAULT_API_URL.into(),
            timeout: "10s".into(),
            attempts: 5,
            backoff: "1s".into(),
            max_backoff: "60s".into(),
            secondary_wait: "60s".into(),
            max_rate_limit_wait: "15m".into(),
        }
    }
}

/// What to do about Git LFS content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LfsMode {
    /// Detect and record LFS use; the objects themselves are not fetched (the gap is stated in the record).
    #[default]
    Record,
    /// Do not look.
    Ignore,
}

/// `archive:` — what to mirror.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ArchiveConfig {
    pub wikis: bool,
    pub lfs: LfsMode,
}

impl Default for ArchiveConfig {
    fn default() -> Self {
        ArchiveConfig {
            wikis: true,
            lfs: LfsMode::Record,
        }
    }
}

/// The validated monitor configuration.
#[derive(Debug, Clone)]
pub struct MonitorConfig {
    pub sources: SourcesConfig,
    pub removal: RemovalConfig,
    pub github: GithubConfig,
    pub archive: ArchiveConfig,
    /// Parsed `removal.min-gap`.
    pub min_gap: Duration,
    /// Parsed `github.timeout`.
    pub timeout: Duration,
    /// Parsed `github.*` retry keys.
    pub retry: RetryPolicy,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Default for MonitorConfig {
    fn default() -> Self {
        let (config, problems) = MonitorConfig::build(
            SourcesConfig::default(),
            RemovalConfig::default(),
            GithubConfig::default(),
            ArchiveConfig::default(),
        );
        assert!(problems.is_empty(), "the defaults are valid: {problems:?}");
        config
    }
}

impl MonitorConfig {
    /// Check the monitor's sections as read from policy.yaml (absent ones take their defaults); every problem
    /// is named by its key. `github.api-url` is checked with the other `api-url`s, by the policy loader.
    pub fn build(
        sources: SourcesConfig,
        removal: RemovalConfig,
        github: GithubConfig,
        archive: ArchiveConfig,
    ) -> (MonitorConfig, Vec<Problem>) {
        let mut problems: Vec<Problem> = Vec::new();
        let mut duration = |key: &str, text: &str| duration(key, text, &mut problems);
        let min_gap = duration("removal.min-gap", &removal.min_gap);
        let timeout = duration("github.timeout", &github.timeout);
        let base_delay = duration("github.backoff", &github.backoff);
        let max_delay = duration("github.max-backoff", &github.max_backoff);
        let secondary_wait = duration("github.secondary-wait", &github.secondary_wait);
        let max_rate_limit_wait =
            duration("github.max-rate-limit-wait", &github.max_rate_limit_wait);
        check_ranges(&removal, &github, timeout, &mut problems);
        check_logins(&sources, &mut problems);
        check_forge(&sources, &mut problems);
        let include = globs("sources.include", &sources.include, &mut problems);
        let exclude = globs("sources.exclude", &sources.exclude, &mut problems);

        let config = MonitorConfig {
            retry: RetryPolicy {
                max_attempts: github.attempts,
                base_delay: base_delay.unwrap_or_default(),
                max_delay: max_delay.unwrap_or_default(),
                secondary_wait: secondary_wait.unwrap_or_default(),
                max_rate_limit_wait: max_rate_limit_wait.unwrap_or_default(),
            },
            sources,
            removal,
            github,
            archive,
            min_gap: min_gap.unwrap_or_default(),
            timeout: timeout.unwrap_or_default(),
            include,
            exclude,
        };
        (config, problems)
    }

    /// The accounts to list, organisations first.
    pub fn owners(&self) -> Vec<Owner> {
        let orgs = self.sources.orgs.iter().map(|o| Owner::Org(o.clone()));
        orgs.chain(self.sources.users.iter().map(|u| Owner::User(u.clone())))
            .collect()
    }

    /// Whether `owner/name` is watched, by the include/exclude globs and the fork setting.
    pub fn watches(&self, full_name: &str, fork: bool) -> bool {
        if fork && !self.sources.forks {
            return false;
        }
        let name = full_name
            .split_once('/')
            .map(|(_, n)| n)
            .unwrap_or(full_name);
        let matches = |set: &GlobSet| set.is_match(name) || set.is_match(full_name);
        let included = self.include.as_ref().is_none_or(matches);
        let excluded = self.exclude.as_ref().is_some_and(matches);
        included && !excluded
    }

    /// Whether `owner` is one of the watched accounts (case-insensitive, as GitHub treats logins).
    pub fn watches_owner(&self, owner: &str) -> bool {
        self.sources
            .orgs
            .iter()
            .chain(&self.sources.users)
            .any(|o| o.eq_ignore_ascii_case(owner))
    }
}

/// A duration setting, or a problem at `key` and `None`.
fn duration(key: &str, text: &str, problems: &mut Vec<Problem>) -> Option<Duration> {
    match parse_duration(text) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(Problem::new(Code::BadDuration, key, e.to_string()));
            None
        }
    }
}

/// Counts of at least one, and a timeout of more than zero.
fn check_ranges(
    removal: &RemovalConfig,
    github: &GithubConfig,
    timeout: Option<Duration>,
    problems: &mut Vec<Problem>,
) {
    if removal.confirmations == 0 {
        problems.push(Problem::new(
            Code::OutOfRange,
            "removal.confirmations",
            "must be at least 1",
        ));
    }
    if github.attempts == 0 {
        problems.push(Problem::new(
            Code::OutOfRange,
            "github.attempts",
            "must be at least 1",
        ));
    }
    if timeout.is_some_and(|t| t.is_zero()) {
        problems.push(Problem::new(
            Code::OutOfRange,
            "github.timeout",
            "must be more than zero",
        ));
    }
}

/// Every listed account a valid GitHub login, none listed twice (case-insensitive) in one list.
fn check_logins(sources: &SourcesConfig, problems: &mut Vec<Problem>) {
    for (key, list) in [
        ("sources.orgs", &sources.orgs),
        ("sources.users", &sources.users),
    ] {
        let mut seen = std::collections::BTreeSet::new();
        for (n, login) in list.iter().enumerate() {
            let key = format!("{key}[{n}]");
            if !valid_login(login) {
                problems.push(Problem::new(
                    Code::BadLogin,
                    key,
                    format!("{login:?} is not a GitHub account name"),
                ));
            } else if !seen.insert(login.to_ascii_lowercase()) {
                problems.push(Problem::new(
                    Code::DuplicateEntry,
                    key,
                    format!("{login:?} is listed twice"),
                ));
            }
        }
    }
}

/// `sources.path` is needed by the local forge, and only by it.
fn check_forge(sources: &SourcesConfig, problems: &mut Vec<Problem>) {
    match (sources.forge, sources.path.as_deref()) {
        (ForgeKind::Local, None) => problems.push(Problem::new(
            Code::MissingKey,
            "sources.path",
            "`forge: local` needs the directory of bare repositories",
        )),
        (ForgeKind::Local, Some(p)) if p.trim().is_empty() => problems.push(Problem::new(
            Code::EmptyValue,
            "sources.path",
            "must not be empty",
        )),
        (ForgeKind::Github, Some(_)) => problems.push(Problem::new(
            Code::UnusedKey,
            "sources.path",
            "only used with `sources.forge: local`",
        )),
        _ => {}
    }
}

fn globs(key: &str, patterns: &[String], problems: &mut Vec<Problem>) -> Option<GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut builder = GlobSetBuilder::new();
    for (n, pattern) in patterns.iter().enumerate() {
        match Glob::new(pattern) {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(e) => problems.push(Problem::new(
                Code::BadGlob,
                format!("{key}[{n}]"),
                format!("{pattern:?}: {e}"),
            )),
        }
    }
    builder.build().ok()
}

/// GitHub logins: letters, digits and single hyphens, at most 39 characters, no leading or trailing hyphen.
pub fn valid_login(login: &str) -> bool {
    !login.is_empty()
        && login.len() <= 39
        && login
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !login.starts_with('-')
        && !login.starts_with('.')
}

/// `90s`, `15m`, `12h`, `2d`, `250ms`, or a plain number of seconds.
pub fn parse_duration(text: &str) -> anyhow::Result<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| anyhow::anyhow!("{text:?} is not a duration like 90s, 15m, 12h or 2d"))?;
    let seconds = match unit.trim() {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        other => bail!("{text:?}: unknown unit {other:?} (use ms, s, m, h or d)"),
    };
    // Checked: `Duration::from_secs_f64` panics past u64 seconds, and a far-off deadline overflows later
    // arithmetic (`Instant + d`, chrono's days), so anything past MAX_DURATION_DAYS is refused here.
    let total = value * seconds;
    if !total.is_finite() || total > MAX_DURATION_DAYS as f64 * 86_400.0 {
        bail!("{text:?} is out of range: at most {MAX_DURATION_DAYS}d");
    }
    Duration::try_from_secs_f64(total).map_err(|e| anyhow::anyhow!("{text:?} is out of range: {e}"))
}

/// The longest duration any setting takes: a hundred years.
pub const MAX_DURATION_DAYS: u64 = 36_500;

#[cfg(test)]
mod tests {
    use super::*;

    /// The `monitor` of a policy file holding `yaml`, or every problem in it.
    fn config(yaml: &str) -> anyhow::Result<MonitorConfig> {
        let text = format!("version: 1\n{yaml}");
        Ok(crate::policy::Policy::from_str(&text, "policy.yaml")?.monitor)
    }

    #[test]
    fn defaults_match_the_documentation() {
        let c = config("").unwrap();
        assert_eq!(c.removal.confirmations, 2);
        assert_eq!(c.min_gap, Duration::from_secs(12 * 3600));
        assert_eq!(c.github.api_url, "https://api.github.com");
        assert!(c.archive.wikis);
        assert_eq!(c.archive.lfs, LfsMode::Record);
        assert!(!c.sources.forks);
        assert_eq!(c.timeout, Duration::from_secs(10));
    }

    #[test]
    fn a_full_config_parses() {
        let c = config(
            "sources: {orgs: [NHSDigital, nhsuk], users: [someone], include: ['nhs-*'], exclude: ['*-archive'], forks: true}\n\
             removal: {confirmations: 3, min-gap: 1d}\n\
             github: {api-url: 'http://127.0.0.1:9', timeout: 250ms, attempts: 2}\n\
             archive: {wikis: false, lfs: ignore}\n\
",
        )
        .unwrap();
        assert_eq!(
            c.owners(),
            vec![
                Owner::Org("NHSDigital".into()),
                Owner::Org("nhsuk".into()),
                Owner::User("someone".into())
            ]
        );
        assert_eq!(c.min_gap, Duration::from_secs(86400));
        assert_eq!(c.timeout, Duration::from_millis(250));
        assert_eq!(c.retry.max_attempts, 2);
        assert_eq!(c.archive.lfs, LfsMode::Ignore);
    }

    #[test]
    fn every_problem_is_reported_by_key() {
        let error = config(
            "sources: {orgs: [nhsuk, NHSUK, 'bad org'], include: ['[']}\n\
             removal: {confirmations: 0, min-gap: soon}\n\
             github: {api-url: 'ftp://x', colour: blue}\n",
        )
        .unwrap_err()
        .to_string();
        for needle in [
            "`sources.orgs[1]`: \"NHSUK\" is listed twice",
            "`sources.orgs[2]`: \"bad org\"",
            "`sources.include[0]`",
            "`removal.confirmations`",
            "`removal.min-gap`",
            "`github`: unknown field `colour`",
        ] {
            assert!(error.contains(needle), "missing {needle:?} in:\n{error}");
        }
    }

    #[test]
    fn the_local_forge_needs_a_path_and_github_takes_none() {
        let cases = [
            ("sources: {forge: local, path: forge, orgs: [o]}", None),
            ("sources: {orgs: [o]}", None),
            (
                "sources: {forge: local, orgs: [o]}",
                Some("`forge: local` needs"),
            ),
            (
                "sources: {forge: local, path: ' '}",
                Some("must not be empty"),
            ),
            (
                "sources: {path: forge}",
                Some("only used with `sources.forge: local`"),
            ),
            ("sources: {forge: gitlab}", Some("unknown variant `gitlab`")),
        ];
        for (yaml, problem) in cases {
            match (config(yaml), problem) {
                (Ok(c), None) => assert_eq!(
                    c.sources.forge == ForgeKind::Local,
                    yaml.contains("local"),
                    "{yaml}"
                ),
                (Err(e), Some(needle)) => {
                    assert!(e.to_string().contains(needle), "{yaml}: {e}")
                }
                (other, _) => panic!("{yaml}: unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn watches_applies_forks_include_and_exclude() {
        let c = config("sources: {orgs: [o], include: ['nhs-*', 'o/special'], exclude: ['*-old']}")
            .unwrap();
        let cases = [
            ("o/nhs-app", false, true),
            ("o/nhs-app", true, false),
            ("o/nhs-app-old", false, false),
            ("o/special", false, true),
            ("o/other", false, false),
        ];
        for (name, fork, expected) in cases {
            assert_eq!(c.watches(name, fork), expected, "{name} fork={fork}");
        }
        assert!(c.watches_owner("O"));
        assert!(!c.watches_owner("p"));
    }

    #[test]
    fn durations_parse() {
        let cases = [
            ("12h", 43_200_000),
            ("90s", 90_000),
            ("15m", 900_000),
            ("2d", 172_800_000),
            ("250ms", 250),
            ("5", 5000),
            ("0s", 0),
        ];
        for (text, ms) in cases {
            assert_eq!(
                parse_duration(text).unwrap(),
                Duration::from_millis(ms),
                "{text}"
            );
        }
        assert!(parse_duration("12 parsecs").is_err());
        for huge in [
            "99999999999999999999999999d",
            "1e400",
            "36501d",
            "99999999999999999999",
        ] {
            assert!(parse_duration(huge).is_err(), "{huge}");
        }
        assert_eq!(
            parse_duration("36500d").unwrap(),
            Duration::from_secs(36_500 * 86_400)
        );
        assert!(parse_duration("").is_err());
    }
}
