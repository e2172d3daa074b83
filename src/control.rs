//! The control repository: where proposals live and where maintainers decide.
//!
//! [`ControlRepository`] is what `propose` and `apply` need of it: open or update the one proposal of a
//! repository (found by its branch name), find the pull request a record was merged from with its reviews and
//! the record as it approved it, tell which logins are maintainers, and list the decision records on the base
//! branch. The base branch is read from the control repository itself, never from a checkout, so a stale or
//! missing checkout cannot make a merged decision look undecided. [`github::GithubControl`] does this through
//! the REST API (pulls, reviews, labels, git refs, trees and blobs, contents, team memberships);
//! [`local::LocalControl`] keeps proposals and its base branch as files for offline runs (`keepopen review`,
//! `keepopen merge`, `keepopen close`, `keepopen reopen`). [`flow`] is the pipeline over either: evaluate, propose, verify, publish.

pub mod flow;
pub mod github;
pub mod local;

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use chrono::{DateTime, Utc};

use crate::approval::{PullFacts, Review};

/// One proposal, ready to send: a repository's own, or a batch of several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// `keepopen/<owner>/<repo>`, or a batch's `keepopen/batch/<owner>/<class>-<n>`.
    pub branch: String,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    /// The record files it holds: path in the control repository (`/`-separated) → YAML. One for a
    /// repository's own proposal. A file already on the branch with the same text is not written again; a file
    /// on the branch not named here is left alone (a maintainer's deletion from a batch stays).
    pub records: BTreeMap<String, String>,
    /// The commit message that adds a record.
    pub message: String,
}

/// A batch proposal as the control repository holds it: its branch, its latest pull request if one was opened
/// (a branch without one is a batch half made, completed by the next `propose`), and the record files on its
/// head (for a closed one: its head as closed), by path, with their git blob ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub branch: String,
    pub pull: Option<BatchPull>,
    /// Path → git blob id of the text. Empty for a merged batch (the base branch then says what was merged).
    pub records: BTreeMap<String, String>,
    /// The commit the records were read at (for [`ControlRepository::record_at`]).
    pub head: Option<String>,
}

/// The latest pull request of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchPull {
    pub number: u64,
    pub url: String,
    pub state: PullState,
    pub closed_at: Option<DateTime<Utc>>,
    /// The ids keepopen put in it (its body's marker, [`crate::proposal::batch_members`]).
    pub members: BTreeSet<u64>,
}

/// The git blob id of `text`, as git and GitHub name the file's content: comparing it with a listed file's id
/// tells an unchanged file without reading it.
pub fn blob_id(text: &str) -> String {
    git2::Oid::hash_object(git2::ObjectType::Blob, text.as_bytes())
        .map(|id| id.to_string())
        .unwrap_or_default()
}

/// A comment on a pull request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    /// The login that wrote it.
    pub author: String,
    pub body: String,
}

/// What became of a proposal the control repository was sent: what it answers, and what `propose` reports for
/// every repository in it ([`flow::ProposeOutcome::Proposed`], serialised as `{"outcome": "opened", …}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum Proposed {
    /// A pull request was opened.
    Opened { number: u64, url: String },
    /// An open proposal for the same repository was brought up to date.
    Updated { number: u64, url: String },
    /// The open proposal already said all of it: nothing was written.
    Unchanged { number: u64, url: String },
}

impl Proposed {
    /// The pull request's number.
    pub fn number(&self) -> u64 {
        match self {
            Proposed::Opened { number, .. }
            | Proposed::Updated { number, .. }
            | Proposed::Unchanged { number, .. } => *number,
        }
    }
}

/// The pull request a record came from, as the control repository knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullEvidence {
    pub facts: PullFacts,
    pub url: String,
    /// Every review, oldest first.
    pub reviews: Vec<Review>,
    /// The record file as the pull request merged it (at its merge commit), if it holds one at that path.
    pub record_text: Option<String>,
}

/// Where a pull request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PullState {
    Open,
    Merged,
    /// Closed without merging: for a proposal, a decline.
    Closed,
}

/// The latest pull request from a proposal's branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestProposal {
    pub number: u64,
    pub url: String,
    pub state: PullState,
    /// When it was closed or merged, when known.
    pub closed_at: Option<DateTime<Utc>>,
    /// For a closed, unmerged one: the record at its head as it was closed (GitHub keeps a closed pull request's
    /// head where it was, whatever is pushed to the branch later); `None` when it holds none at that path.
    pub record_text: Option<String>,
    /// For an open one made after a decline: the latest pull request from the branch closed without merging
    /// before it, with its record as closed (its body says what changed since; the note must stay).
    pub declined_before: Option<(u64, Option<String>)>,
}

/// The decision records on the control repository's base branch, as the control repository holds them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BaseRecords {
    /// Where they were read, for messages: `main of nhs-community/control`, or the local forge's base.
    pub source: String,
    /// What brings a checkout up to date with that source, for the `help:` line of a refusal.
    pub update_help: String,
    /// Every `<records>/<owner>/<repo>.yaml`, by its `/`-separated path, with its text.
    pub records: BTreeMap<String, String>,
}

/// Where proposals live.
pub trait ControlRepository {
    /// Open the proposal, or update the open one from the same branch; write only what differs.
    fn propose(&self, proposal: &Proposal)
    -> impl Future<Output = anyhow::Result<Proposed>> + Send;

    /// Every batch proposal (every branch under `keepopen/batch/`, with its latest pull request), the record
    /// files on each under `records`.
    fn batches(&self, records: &str) -> impl Future<Output = anyhow::Result<Vec<Batch>>> + Send;

    /// The file at `path` at commit `head` (a [`Batch::head`]); `None` when it holds none.
    fn record_at(
        &self,
        head: &str,
        path: &str,
    ) -> impl Future<Output = anyhow::Result<Option<String>>> + Send;

    /// The pull request from `branch` that decides the record at `record_path`: the latest merged one, else
    /// the latest one; `None` when there is none.
    fn pull_for(
        &self,
        branch: &str,
        record_path: &str,
    ) -> impl Future<Output = anyhow::Result<Option<PullEvidence>>> + Send;

    /// The latest pull request from `branch` (an open one if there is one, else the highest-numbered), with
    /// the record at `record_path` on its head when it was closed without merging; `None` when there is none.
    fn latest_proposal(
        &self,
        branch: &str,
        record_path: &str,
    ) -> impl Future<Output = anyhow::Result<Option<LatestProposal>>> + Send;

    /// The comments on pull request `number`, oldest first, with their authors.
    fn comments(&self, number: u64) -> impl Future<Output = anyhow::Result<Vec<Comment>>> + Send;

    /// The login keepopen writes comments as here: only comments by it are keepopen's own (a marker in anyone
    /// else's comment means nothing).
    fn identity(&self) -> impl Future<Output = anyhow::Result<String>> + Send;

    /// Comment on pull request `number`.
    fn comment(&self, number: u64, body: &str) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// Which of `logins` are maintainers (lower case).
    fn maintainers(
        &self,
        logins: &[String],
    ) -> impl Future<Output = anyhow::Result<BTreeSet<String>>> + Send;

    /// The decision records on the base branch under `records` (`approval.records`): every
    /// `<records>/<owner>/<repo>.yaml` there, read from the control repository itself.
    fn base_records(
        &self,
        records: &str,
    ) -> impl Future<Output = anyhow::Result<BaseRecords>> + Send;

    /// A record `apply` or `propose` rewrote in the checkout, to bring onto the base branch. On GitHub this does
    /// nothing: the checkout is committed and pushed (by `scripts/commit-records` in `apply.yml`, or by you). The
    /// local forge, which has no git, writes it into its base branch.
    fn record_written(
        &self,
        record_path: &str,
        text: &str,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
}
