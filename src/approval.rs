//! Approval: who may let a proposed republication go ahead, and whether a pull request has their word.
//!
//! The `approval:` section of policy.yaml names the control repository where proposals live (a GitHub repository,
//! or a local directory for offline runs), how many maintainers must approve, and who the maintainers are (a
//! GitHub team and/or a list of logins). [`decide`] is the pure decision `apply` takes before publishing: the pull
//! request was merged from the expected branch, and at least `required` maintainers other than its author
//! approved it in their latest review, with no maintainer's request for changes outstanding.
//!
//! ```yaml
//! approval:
//!   forge: github                 # or local (default): proposals as files under `path`
//!   repository: nhs-community/control
//!   api-url: https://api.github.com   # default: `github.api-url`
//!   path: control                 # local forge: the directory of proposals
//!   base: main
//!   records: republications       # relative to the directory holding policy.yaml
//!   required: 1
//!   team: nhs-community/maintainers
//!   maintainers: [alice]
//!   labels: {allowed: "republish:allowed", review: "republish:needs-review"}
//!   bot-login: keepopen-nhs[bot]  # github: the login keepopen comments as (default: what GET /user says)
//!   batch-size: 25                # allowed candidates with a clean history proposed together (1: no batches)
//!   writes-per-run: 480           # github: most writes one `propose` run sends (GitHub allows 500 an hour)
//!   write-interval: 1s            # github: least time between two writes
//! ```

use std::collections::{BTreeMap, BTreeSet};

use crate::policy::{Code, ForgeKind, Problem};
use serde::{Deserialize, Serialize};

/// The labels that tell an Allowed proposal from one that needs a closer review.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Labels {
    pub allowed: String,
    pub review: String,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            allowed: "republish:allowed".into(),
            review: "republish:needs-review".into(),
        }
    }
}

/// `approval:` as written (kebab-case keys, unknown keys rejected).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ApprovalConfig {
    /// Where proposals live: files under `path` (the default: the demo and tests) or pull requests in
    /// `repository` on GitHub.
    pub forge: ForgeKind,
    /// GitHub: the control repository, `owner/name`.
    pub repository: Option<String>,
    /// GitHub: the REST API of the control repository. Resolved by [`ApprovalConfig::finish`]:
    /// `approval.api-url` if written, else `github.api-url`, else GitHub.com.
    pub api_url: String,
    /// Local: the directory that holds proposals (`pulls/<n>.yaml`), relative to the working directory.
    pub path: String,
    /// The branch proposals are merged into.
    pub base: String,
    /// The directory of decision records, relative to the control checkout (the directory holding policy.yaml).
    pub records: String,
    /// Approving maintainers needed, the pull request's author not counting.
    pub required: u32,
    /// GitHub: `org/team-slug`; its active members are maintainers.
    pub team: Option<String>,
    /// Logins that are maintainers whatever the team says.
    pub maintainers: Vec<String>,
    pub labels: Labels,
    /// GitHub: the login keepopen's token acts as (a GitHub App's `<slug>[bot]`). Only comments by it are
    /// keepopen's own. Unset: `GET /user` says (a personal or user token).
    pub bot_login: Option<String>,
    /// The most repositories in one batch proposal (Allowed, clean history); 1 proposes each on its own.
    pub batch_size: usize,
    /// GitHub: the most writes one `propose` run sends; the rest wait for the next run.
    pub writes_per_run: u64,
    /// GitHub: least time between two writes, e.g. `1s`.
    pub write_interval: String,
}

impl Default for ApprovalConfig {
    fn default() -> Self {
        ApprovalConfig {
            forge: ForgeKind::Local,
            repository: None,
            api_url: crate::policy::DEFAULT_API_URL.into(),
            path: "control".into(),
            base: "main".into(),
            records: "republications".into(),
            required: 1,
            team: None,
            maintainers: Vec::new(),
            labels: Labels::default(),
            bot_login: None,
            batch_size: 25,
            writes_per_run: 480,
            write_interval: "1s".into(),
        }
    }
}

impl ApprovalConfig {
    /// Complete and check `approval:` as read from policy.yaml: `api_url` is the API of the control repository
    /// (its own `api-url`, else `github.api-url`, else GitHub.com; each written one is checked by the policy
    /// loader). Every problem is named by its key.
    pub fn finish(mut self, api_url: String) -> (ApprovalConfig, Vec<Problem>) {
        self.api_url = api_url;
        let problems = self.problems();
        (self, problems)
    }

    /// How the control repository's client writes: paced by `write-interval`, at most `writes-per-run`.
    pub fn write_policy(&self) -> crate::github::WritePolicy {
        crate::github::WritePolicy {
            interval: crate::monitor::config::parse_duration(&self.write_interval)
                .unwrap_or(std::time::Duration::from_secs(1)),
            budget: Some(self.writes_per_run),
        }
    }

    /// `team` split into organisation and slug (validated).
    pub fn team_parts(&self) -> Option<(&str, &str)> {
        self.team.as_deref().and_then(|t| t.split_once('/'))
    }

    /// Every semantic problem, by key.
    fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        self.repository_problems(&mut problems);
        self.approver_problems(&mut problems);
        self.place_problems(&mut problems);
        self.pace_problems(&mut problems);
        self.label_problems(&mut problems);
        problems
    }

    /// The control repository: required on GitHub, and owner/name.
    fn repository_problems(&self, problems: &mut Vec<Problem>) {
        let valid = crate::monitor::config::valid_login;
        let mut push = |code, key: &str, message: String| {
            problems.push(Problem::new(code, key, message));
        };
        match (&self.forge, &self.repository) {
            (ForgeKind::Github, None) => push(
                Code::MissingKey,
                "approval.repository",
                "the github forge needs the control repository, owner/name".into(),
            ),
            (_, Some(repo)) => match repo.split_once('/') {
                Some((owner, name)) if valid(owner) && valid_repo_name(name) => {}
                _ => push(
                    Code::BadRepo,
                    "approval.repository",
                    format!("{repo:?} is not owner/name"),
                ),
            },
            _ => {}
        }
    }

    /// Who approves: at least one approval required, a valid team, maintainers and bot login, and somebody named.
    fn approver_problems(&self, problems: &mut Vec<Problem>) {
        let valid = crate::monitor::config::valid_login;
        let mut push = |code, key: &str, message: String| {
            problems.push(Problem::new(code, key, message));
        };
        if self.required == 0 {
            push(
                Code::OutOfRange,
                "approval.required",
                "must be at least 1; nothing is published without a maintainer".into(),
            );
        }
        if let Some(team) = &self.team {
            match team.split_once('/') {
                Some((org, slug))
                    if valid(org)
                        && !slug.is_empty()
                        && slug
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => {}
                _ => push(
                    Code::BadLogin,
                    "approval.team",
                    format!("{team:?} is not org/team-slug"),
                ),
            }
        }
        for (n, login) in self.maintainers.iter().enumerate() {
            if !valid(login) {
                push(
                    Code::BadLogin,
                    &format!("approval.maintainers[{n}]"),
                    format!("{login:?} is not a GitHub login"),
                );
            }
        }
        if let Some(login) = &self.bot_login {
            let bare = login.strip_suffix("[bot]").unwrap_or(login);
            if !valid(bare) {
                push(
                    Code::BadLogin,
                    "approval.bot-login",
                    format!("{login:?} is not a GitHub login (a user, or an App's `<slug>[bot]`)"),
                );
            }
        }
        if self.team.is_none() && self.maintainers.is_empty() {
            push(
                Code::MissingKey,
                "approval",
                "name the maintainers (`team: org/slug` and/or `maintainers: [login]`); nobody could approve"
                    .into(),
            );
        }
    }

    /// Where proposals live: the local path, the base branch, the records folder inside the checkout.
    fn place_problems(&self, problems: &mut Vec<Problem>) {
        let mut push = |code, key: &str, message: String| {
            problems.push(Problem::new(code, key, message));
        };
        if self.forge == ForgeKind::Local && self.path.trim().is_empty() {
            push(
                Code::EmptyValue,
                "approval.path",
                "empty; name the directory of proposals".into(),
            );
        }
        if self.base.trim().is_empty() || self.base.starts_with('-') || self.base.contains("..") {
            push(
                Code::BadValue,
                "approval.base",
                format!("{:?} is not a branch name", self.base),
            );
        }
        let records = std::path::Path::new(&self.records);
        if self.records.trim().is_empty()
            || records.is_absolute()
            || records
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            push(
                Code::BadPath,
                "approval.records",
                format!(
                    "{:?} must be a relative folder inside the control checkout",
                    self.records
                ),
            );
        }
    }

    /// How fast it writes: the batch size, the writes per run, the interval between writes.
    fn pace_problems(&self, problems: &mut Vec<Problem>) {
        let mut push = |code, key: &str, message: String| {
            problems.push(Problem::new(code, key, message));
        };
        if self.batch_size == 0 || self.batch_size > 100 {
            push(
                Code::OutOfRange,
                "approval.batch-size",
                format!("{} is not between 1 and 100", self.batch_size),
            );
        }
        if self.writes_per_run == 0 {
            push(
                Code::OutOfRange,
                "approval.writes-per-run",
                "must be at least 1".into(),
            );
        }
        if let Err(e) = crate::monitor::config::parse_duration(&self.write_interval) {
            push(Code::BadDuration, "approval.write-interval", e.to_string());
        }
    }

    /// The two labels: non-empty and different.
    fn label_problems(&self, problems: &mut Vec<Problem>) {
        let mut push = |code, key: &str, message: String| {
            problems.push(Problem::new(code, key, message));
        };
        if self.labels.allowed.trim().is_empty() || self.labels.review.trim().is_empty() {
            push(
                Code::EmptyValue,
                "approval.labels",
                "two different, non-empty labels".into(),
            );
        } else if self.labels.allowed == self.labels.review {
            push(
                Code::DuplicateEntry,
                "approval.labels.review",
                "two different, non-empty labels: this is the same as `allowed`".into(),
            );
        }
    }
}

/// A GitHub repository name: `[A-Za-z0-9._-]`, not `.` or `..`.
pub fn valid_repo_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// What a review said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewState {
    Approved,
    ChangesRequested,
    Commented,
    Dismissed,
    Pending,
}

/// One review, in the order they were submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub login: String,
    pub state: ReviewState,
    /// Given on an earlier commit than the one merged (the proposal changed since): it does not count.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

/// The facts about a pull request that approval depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullFacts {
    pub number: u64,
    pub author: String,
    pub merged: bool,
    /// The branch it was opened from.
    pub head_branch: String,
}

/// The approval, as recorded with a publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub number: u64,
    /// The maintainers whose latest review approves, sorted.
    pub approvers: Vec<String>,
}

/// Why a pull request does not authorise a publication. A caller branches on these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalRefusal {
    #[error("pull request #{number} is not merged")]
    NotMerged { number: u64 },
    #[error("pull request #{number} comes from branch {found:?}, not {expected:?}")]
    WrongBranch {
        number: u64,
        expected: String,
        found: String,
    },
    #[error(
        "pull request #{number} has {counted} approval(s) from maintainers other than its author, {required} required{}",
        if ignored.is_empty() { String::new() } else { format!(" (not counted: {})", ignored.join("; ")) }
    )]
    TooFewApprovals {
        number: u64,
        required: u32,
        counted: usize,
        ignored: Vec<String>,
    },
    #[error("pull request #{number}: changes requested by maintainer(s) {} are outstanding", logins.join(", "))]
    ChangesRequested { number: u64, logins: Vec<String> },
}

/// Decide whether `pull` authorises the publication of the record proposed from `expected_branch` (pure).
///
/// Each reviewer's latest review counts (a comment does not replace an approval or a request for changes; a
/// dismissal does). Logins compare case-insensitively. `maintainers` are the logins known to be maintainers.
pub fn decide(
    pull: &PullFacts,
    expected_branch: &str,
    reviews: &[Review],
    maintainers: &BTreeSet<String>,
    required: u32,
) -> Result<Approval, ApprovalRefusal> {
    if pull.head_branch != expected_branch {
        return Err(ApprovalRefusal::WrongBranch {
            number: pull.number,
            expected: expected_branch.to_owned(),
            found: pull.head_branch.clone(),
        });
    }
    if !pull.merged {
        return Err(ApprovalRefusal::NotMerged {
            number: pull.number,
        });
    }
    let (latest, stale) = latest_reviews(reviews);
    let counted = count_reviews(&latest, stale, &pull.author, maintainers);
    if !counted.changes.is_empty() {
        return Err(ApprovalRefusal::ChangesRequested {
            number: pull.number,
            logins: counted.changes,
        });
    }
    if counted.approvers.len() < required as usize {
        return Err(ApprovalRefusal::TooFewApprovals {
            number: pull.number,
            required,
            counted: counted.approvers.len(),
            ignored: counted.ignored,
        });
    }
    Ok(Approval {
        number: pull.number,
        approvers: counted.approvers,
    })
}

/// Each reviewer's latest standing review (approved, changes requested or dismissed; comments and pending
/// reviews stand for nothing), by lowercased login, and who approved only an earlier version.
fn latest_reviews(reviews: &[Review]) -> (BTreeMap<String, ReviewState>, BTreeSet<String>) {
    let mut latest: BTreeMap<String, ReviewState> = BTreeMap::new();
    let mut stale: BTreeSet<String> = BTreeSet::new();
    for review in reviews {
        let login = review.login.to_lowercase();
        if review.stale {
            if review.state == ReviewState::Approved {
                stale.insert(login);
            }
            continue;
        }
        match review.state {
            ReviewState::Commented | ReviewState::Pending => {}
            state => {
                latest.insert(login, state);
            }
        }
    }
    (latest, stale)
}

/// The reviews sorted for the decision: approvals that count, why each other approval does not, and the
/// maintainers who request changes.
struct Counted {
    approvers: Vec<String>,
    ignored: Vec<String>,
    changes: Vec<String>,
}

/// An approval counts from a maintainer other than the author, on the current version; a request for changes
/// counts from a maintainer.
fn count_reviews(
    latest: &BTreeMap<String, ReviewState>,
    stale: BTreeSet<String>,
    author: &str,
    maintainers: &BTreeSet<String>,
) -> Counted {
    let maintainers: BTreeSet<String> = maintainers.iter().map(|m| m.to_lowercase()).collect();
    let author = author.to_lowercase();
    let mut approvers = Vec::new();
    let mut ignored = Vec::new();
    let mut changes = Vec::new();
    for (login, state) in latest {
        let maintainer = maintainers.contains(login);
        match state {
            ReviewState::Approved if *login == author => {
                ignored.push(format!("@{login} is the author"))
            }
            ReviewState::Approved if !maintainer => {
                ignored.push(format!("@{login} is not a maintainer"))
            }
            ReviewState::Approved => approvers.push(login.clone()),
            ReviewState::ChangesRequested if maintainer => changes.push(login.clone()),
            _ => {}
        }
    }
    for login in stale {
        if latest.get(&login) != Some(&ReviewState::Approved) {
            ignored.push(format!("@{login} approved an earlier version"));
        }
    }
    Counted {
        approvers,
        ignored,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pull(author: &str, merged: bool) -> PullFacts {
        PullFacts {
            number: 7,
            author: author.into(),
            merged,
            head_branch: "keepopen/nhsuk/frontend".into(),
        }
    }

    fn review(login: &str, state: ReviewState) -> Review {
        Review {
            login: login.into(),
            state,
            stale: false,
        }
    }

    fn stale(login: &str, state: ReviewState) -> Review {
        Review {
            stale: true,
            ..review(login, state)
        }
    }

    #[test]
    fn decide_counts_only_the_latest_review_of_maintainers_other_than_the_author() {
        use ReviewState::*;
        let maintainers: BTreeSet<String> = ["alice", "bob", "Carol"].map(String::from).into();
        type Case = (
            &'static str,
            PullFacts,
            Vec<Review>,
            u32,
            Result<Vec<&'static str>, &'static str>,
        );
        let cases: Vec<Case> = vec![
            (
                "one maintainer approves",
                pull("bot", true),
                vec![review("alice", Approved)],
                1,
                Ok(vec!["alice"]),
            ),
            (
                "not merged",
                pull("bot", false),
                vec![review("alice", Approved)],
                1,
                Err("is not merged"),
            ),
            (
                "only the author approves",
                pull("alice", true),
                vec![review("alice", Approved)],
                1,
                Err(
                    "0 approval(s) from maintainers other than its author, 1 required (not counted: @alice is the author)",
                ),
            ),
            (
                "a non-maintainer approves",
                pull("bot", true),
                vec![review("mallory", Approved)],
                1,
                Err("(not counted: @mallory is not a maintainer)"),
            ),
            (
                "no review",
                pull("bot", true),
                vec![],
                1,
                Err("0 approval(s)"),
            ),
            (
                "approval then dismissed",
                pull("bot", true),
                vec![review("alice", Approved), review("alice", Dismissed)],
                1,
                Err("0 approval(s)"),
            ),
            (
                "approval then a comment still counts",
                pull("bot", true),
                vec![review("alice", Approved), review("alice", Commented)],
                1,
                Ok(vec!["alice"]),
            ),
            (
                "changes requested then approved",
                pull("bot", true),
                vec![review("bob", ChangesRequested), review("bob", Approved)],
                1,
                Ok(vec!["bob"]),
            ),
            (
                "approved then changes requested",
                pull("bot", true),
                vec![review("alice", Approved), review("bob", ChangesRequested)],
                1,
                Err("changes requested by maintainer(s) bob"),
            ),
            (
                "a non-maintainer's request for changes does not block",
                pull("bot", true),
                vec![
                    review("alice", Approved),
                    review("mallory", ChangesRequested),
                ],
                1,
                Ok(vec!["alice"]),
            ),
            (
                "two required, one given",
                pull("bot", true),
                vec![review("alice", Approved), review("alice", Approved)],
                2,
                Err("1 approval(s) from maintainers other than its author, 2 required"),
            ),
            (
                "an approval of an earlier version does not count",
                pull("bot", true),
                vec![stale("alice", Approved)],
                1,
                Err("(not counted: @alice approved an earlier version)"),
            ),
            (
                "an earlier version's approval, then a fresh one",
                pull("bot", true),
                vec![stale("alice", Approved), review("alice", Approved)],
                1,
                Ok(vec!["alice"]),
            ),
            (
                "two required, two given, case-insensitive",
                pull("bot", true),
                vec![review("ALICE", Approved), review("carol", Approved)],
                2,
                Ok(vec!["alice", "carol"]),
            ),
        ];
        for (what, pull, reviews, required, expected) in cases {
            let got = decide(
                &pull,
                "keepopen/nhsuk/frontend",
                &reviews,
                &maintainers,
                required,
            );
            match (got, expected) {
                (Ok(a), Ok(logins)) => assert_eq!(a.approvers, logins, "{what}"),
                (Err(e), Err(needle)) => assert!(e.to_string().contains(needle), "{what}: {e}"),
                (got, expected) => panic!("{what}: got {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn decide_refuses_a_pull_request_from_another_branch() {
        let maintainers: BTreeSet<String> = ["alice".to_owned()].into();
        let got = decide(
            &pull("bot", true),
            "keepopen/nhsuk/other",
            &[review("alice", ReviewState::Approved)],
            &maintainers,
            1,
        );
        assert!(
            matches!(got, Err(ApprovalRefusal::WrongBranch { .. })),
            "{got:?}"
        );
    }

    /// `approval:` as a policy file holding `yaml` types it (an absent section is an error, as for propose).
    fn config(yaml: &str) -> anyhow::Result<ApprovalConfig> {
        let policy =
            crate::policy::Policy::from_str(&format!("version: 1\n{yaml}"), "policy.yaml")?;
        Ok(policy.require_approval()?.clone())
    }

    #[test]
    fn the_control_repository_is_reached_at_github_api_url_unless_approval_names_its_own() {
        let ghes = "https://ghe.example.org/api/v3";
        let shared = config(&format!(
            "github: {{api-url: '{ghes}'}}\napproval: {{forge: github, repository: nhs-community/control, maintainers: [a]}}\n"
        ))
        .unwrap();
        assert_eq!(shared.api_url, ghes);
        let own = config(&format!(
            "github: {{api-url: '{ghes}'}}\napproval: {{api-url: 'http://127.0.0.1:9', maintainers: [a]}}\n"
        ))
        .unwrap();
        assert_eq!(own.api_url, "http://127.0.0.1:9");
        assert_eq!(
            config("approval: {maintainers: [a]}\n").unwrap().api_url,
            crate::policy::DEFAULT_API_URL
        );
    }

    #[test]
    fn the_approval_section_is_typed_defaulted_and_every_problem_named_by_key() {
        let ok = config("approval: {forge: github, repository: nhs-community/control, team: nhs-community/maintainers}\n").unwrap();
        assert_eq!(ok.forge, ForgeKind::Github);
        assert_eq!(ok.team_parts(), Some(("nhs-community", "maintainers")));
        assert_eq!(
            (ok.required, ok.base.as_str(), ok.records.as_str()),
            (1, "main", "republications")
        );
        assert_eq!(ok.labels, Labels::default());

        let cases = [
            (
                "approval: {maintainers: [a], colour: red}\n",
                "unknown field `colour`",
            ),
            (
                "approval: {forge: github, maintainers: [a]}\n",
                "`approval.repository`: the github forge needs",
            ),
            (
                "approval: {repository: nope, maintainers: [a]}\n",
                "`approval.repository`: \"nope\" is not owner/name",
            ),
            (
                "approval: {required: 0, maintainers: [a]}\n",
                "`approval.required`: must be at least 1",
            ),
            (
                "approval: {team: justorg, maintainers: [a]}\n",
                "`approval.team`: \"justorg\" is not org/team-slug",
            ),
            ("approval: {}\n", "nobody could approve"),
            (
                "approval: {maintainers: [a], records: ../elsewhere}\n",
                "`approval.records`",
            ),
            (
                "approval: {maintainers: [a], labels: {allowed: x, review: x}}\n",
                "`approval.labels.review`",
            ),
            (
                "approval: {maintainers: [\"-rf\"]}\n",
                "`approval.maintainers[0]`",
            ),
        ];
        for (yaml, needle) in cases {
            let e = config(yaml).unwrap_err().to_string();
            assert!(e.contains(needle), "{yaml}: {e}");
        }
        let both = config("approval: {required: 0}\n").unwrap_err().to_string();
        assert!(
            both.contains("required") && both.contains("nobody could approve"),
            "{both}"
        );
    }
}
