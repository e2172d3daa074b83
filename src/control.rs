//! The control repository: where proposals live and where maintainers decide.
//!
//! [`ControlRepository`] is what `propose` and `apply` need of it: open or update the one proposal of a
//! repository (found by its branch name), find the pull request a record was merged from with its reviews and
//! the record as it approved it, and tell which logins are maintainers. [`github::GithubControl`] does this
//! through the REST API (pulls, reviews, labels, git refs, contents, team memberships); [`local::LocalControl`]
//! keeps proposals as files for offline runs (`keepopen review`, `keepopen merge`). [`flow`] is the pipeline
//! over either: evaluate, propose, verify, publish.

pub mod flow;
pub mod github;
pub mod local;

use std::collections::BTreeSet;
use std::future::Future;

use crate::approval::{PullFacts, Review};

/// One proposal, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// `keepopen/<owner>/<repo>`.
    pub branch: String,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    /// The record's path in the control repository, `/`-separated.
    pub record_path: String,
    pub record_yaml: String,
    /// The commit message that adds the record.
    pub message: String,
}

/// What became of a proposal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "action")]
pub enum Proposed {
    Opened {
        number: u64,
        url: String,
    },
    /// An open proposal for the same repository was brought up to date.
    Updated {
        number: u64,
        url: String,
    },
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

/// Where proposals live.
pub trait ControlRepository {
    /// Open the proposal, or update the open one from the same branch.
    fn propose(&self, proposal: &Proposal)
    -> impl Future<Output = anyhow::Result<Proposed>> + Send;

    /// The pull request from `branch` that decides the record at `record_path`: the latest merged one, else
    /// the latest one; `None` when there is none.
    fn pull_for(
        &self,
        branch: &str,
        record_path: &str,
    ) -> impl Future<Output = anyhow::Result<Option<PullEvidence>>> + Send;

    /// Which of `logins` are maintainers (lower case).
    fn maintainers(
        &self,
        logins: &[String],
    ) -> impl Future<Output = anyhow::Result<BTreeSet<String>>> + Send;
}
