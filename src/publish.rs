//! Republishing: push an archived mirror, unchanged, to the community forge with a provenance notice.
//!
//! [`plan`] is the pure decision: is this repository confirmed removed, does the verdict allow it (or did a
//! person override it, with a reason), what is the new repository called, where does the notice go, what is
//! pushed. [`prepare`] gathers the plan's inputs (the repository's one [`Evaluation`], made by the caller or
//! here, and the other publications in state), runs the safety gate on exactly the refs pushed, and builds the
//! notice commit in a throw-away staging repository; a dry run stops
//! there and touches nothing. [`republish`] then does it: creates the target if missing (GitHub: Actions
//! disabled before the first push), compares the target's refs with what would be pushed (equal: nothing to do;
//! a prefix of it: a killed run, completed; anything else: refused unless forced), pushes with explicit
//! refspecs (the default branch in chunks when its history is long), and records the publication in state.
//! The manual command and the automated flow call the same functions.

pub mod config;
mod gate;
pub mod git;
mod pace;
mod plan;
mod prepare;
mod push_github;
mod push_local;
mod record;
pub mod restore;
mod sync;
#[cfg(test)]
mod tests;
mod wiki;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use self::{gate::*, pace::*, push_github::*, push_local::*, record::*};
pub use config::{BotIdentity, TargetConfig};
pub use plan::{Overrides, Plan, PlanInputs, Refusal, plan, target_name};
pub use prepare::{Prepared, prepare};
pub use sync::{TargetState, chunk_steps, compare};
pub use wiki::WikiPublication;
// What the rooms share with each other (their `pub(super)` items), each room taking `super::*`.
use self::{prepare::*, sync::*, wiki::*};

use crate::check::Evaluation;
use crate::github::{self, Token};
use crate::policy::{ForgeKind, Policy};
use crate::provenance::{self, LAST_SEEN_TAG, Notice, NoticeInput, PROVENANCE_BRANCH, Placement};
use crate::state::{PublicationRecord, RepoRecord, Status, Store};
use crate::verdict::Condition;

/// Where push credentials come from. Called before every push attempt and again when git refuses a token, so
/// a source that mints GitHub App tokens (valid for an hour) can hand out a fresh one in the middle of a run.
pub trait TokenSource: Send + Sync {
    fn token(&self) -> anyhow::Result<Token>;
}

impl<F> TokenSource for F
where
    F: Fn() -> anyhow::Result<Token> + Send + Sync,
{
    fn token(&self) -> anyhow::Result<Token> {
        self()
    }
}

/// A token that never changes (a personal or workflow token).
#[derive(Debug, Clone)]
pub struct StaticToken(pub Token);

impl TokenSource for StaticToken {
    fn token(&self) -> anyhow::Result<Token> {
        Ok(self.0.clone())
    }
}

/// A publication, as done (or found done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Publication {
    pub outcome: Outcome,
    pub target: String,
    /// Where git pushed (a directory, or the clone URL without credentials).
    pub target_url: String,
    pub notice_commit: String,
    pub refs: BTreeMap<String, String>,
    /// Pushes made (chunks included); 0 when already published.
    pub pushes: usize,
    pub created: bool,
    pub verdict: String,
    pub overrides: Overrides,
    /// The wiki, when the archive holds one: pushed unchanged to `<target>.wiki.git`.
    pub wiki: Option<WikiPublication>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Pushed to an empty (or new) target.
    Published,
    /// The target already held part of it (an interrupted run): completed.
    Completed,
    /// The target already equals what would be pushed: nothing done.
    AlreadyPublished,
    /// The target held something else and `--force` overwrote it.
    Overwritten,
}

/// One repository to republish.
#[derive(Debug, Clone)]
pub struct Request {
    pub record: RepoRecord,
    /// The bare mirror.
    pub mirror: PathBuf,
    pub policy: Arc<Policy>,
    pub target: TargetConfig,
    pub overrides: Overrides,
    /// When the publication happens (recorded in state; never in the notice).
    pub now: DateTime<Utc>,
    /// The repository's evaluation, when the caller made one (`apply` did, to compare its verdict with the
    /// approved record): the publication is made from it, at the refs it read. Without one, [`prepare`] makes
    /// it, once.
    pub evaluation: Option<Arc<Evaluation>>,
}

/// Prepare and publish one repository, then record the publication in state. `tokens` is needed for the
/// GitHub forge. Returns the publication; a refusal is an error holding a [`Refusal`].
pub async fn republish(
    store: &Store,
    request: Request,
    tokens: Option<Arc<dyn TokenSource>>,
) -> anyhow::Result<Publication> {
    // The scan cache `check` and `propose` fill: a republication of the tips they scanned reads no history.
    let prepared = prepare_caching(
        store,
        &request,
        crate::check::scan_cache::ScanCache::in_state(store.root()),
    )
    .await?;
    let publication = match request.target.forge {
        ForgeKind::Local => publish_local(prepared, &request).await?,
        ForgeKind::Github => {
            let tokens = tokens.context(
                "the github forge needs a token\nhelp: set GITHUB_TOKEN or GITHUB_APP_INSTALLATION_TOKEN",
            )?;
            publish_github(prepared, &request, tokens).await?
        }
    };
    record(store, &request, &publication)?;
    Ok(publication)
}
