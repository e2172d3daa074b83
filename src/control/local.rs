//! The local control forge, for offline runs and the demo: each proposal is a file `<dir>/pulls/<n>.yaml`
//! (branch, title, body, labels, state, author, reviews, comments, and the record it proposes), and its base
//! branch is the folder `<dir>/base`, holding the records as merged. `keepopen review` adds a review (to an open
//! or a merged proposal, as GitHub allows), `keepopen merge` merges: the record is written into the base branch,
//! and into the control checkout as a pull would bring it. `keepopen close` declines a proposal and `keepopen
//! reopen` takes the decline back.
//! `propose` and `apply` read the base branch from `<dir>/base`, never from the checkout, and `apply` verifies
//! against these files with the same pure decision as on GitHub; what `apply` writes back into the checkout is
//! written into the base branch too. A local forge knows no teams: only `approval.maintainers` are
//! maintainers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use chrono::{DateTime, Utc};

pub use super::PullState;
use super::{
    BaseRecords, Batch, BatchPull, Comment, ControlRepository, LatestProposal, Proposal, Proposed,
    PullEvidence,
};
use crate::approval::{PullFacts, Review, ReviewState};

/// The author of proposals on the local forge.
pub const BOT_LOGIN: &str = "keepopen[bot]";

/// One proposal on the local forge, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LocalPull {
    pub number: u64,
    pub branch: String,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    pub state: PullState,
    pub author: String,
    #[serde(default)]
    pub reviews: Vec<Review>,
    /// Its comments, oldest first. (A comment stored as bare text, as keepopen once wrote them, has no known
    /// author and is nobody's.)
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "comments_with_authors"
    )]
    pub comments: Vec<Comment>,
    /// When it was closed or merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    /// The record's path in the control checkout, `/`-separated (empty for a batch).
    pub record_path: String,
    pub record: String,
    /// A batch's records, path → text (empty for a repository's own proposal).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub batch: BTreeMap<String, String>,
}

impl LocalPull {
    /// The record files it holds, path → text.
    pub fn files(&self) -> BTreeMap<String, String> {
        if self.batch.is_empty() && !self.record_path.is_empty() {
            [(self.record_path.clone(), self.record.clone())].into()
        } else {
            self.batch.clone()
        }
    }
}

/// Comments as stored: with their author, or (written by an older keepopen) bare text, which no author owns.
fn comments_with_authors<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Comment>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Comment(Comment),
        Bare(String),
    }
    Ok(Vec::<Stored>::deserialize(deserializer)?
        .into_iter()
        .map(|c| match c {
            Stored::Comment(c) => c,
            Stored::Bare(body) => Comment {
                author: String::new(),
                body,
            },
        })
        .collect())
}

/// Proposals under a directory.
#[derive(Debug, Clone)]
pub struct LocalControl {
    dir: PathBuf,
    maintainers: BTreeSet<String>,
}

impl LocalControl {
    pub fn new(dir: impl Into<PathBuf>, maintainers: &[String]) -> LocalControl {
        LocalControl {
            dir: dir.into(),
            maintainers: maintainers.iter().map(|m| m.to_lowercase()).collect(),
        }
    }

    /// The forge's lock, held while a proposal is numbered or changed: two processes (two `propose` runs, a
    /// `review` during an `apply`) never give two proposals one number or lose each other's change.
    fn locked(&self) -> anyhow::Result<std::sync::Arc<crate::state::lock::DirLock>> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        crate::state::lock::acquire(
            &self.dir,
            "the local control forge",
            crate::state::lock::configured_wait()?,
        )
    }

    fn pulls_dir(&self) -> PathBuf {
        self.dir.join("pulls")
    }

    /// The base branch: the records as merged (and as `apply` updated them), at their paths.
    pub fn base_dir(&self) -> PathBuf {
        self.dir.join("base")
    }

    /// Write `text` at `record_path` (`/`-separated, inside the tree) under `root`.
    fn write_under(root: &Path, record_path: &str, text: &str) -> anyhow::Result<PathBuf> {
        let relative = Path::new(record_path);
        anyhow::ensure!(
            !record_path.is_empty()
                && relative
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))),
            "record path {record_path:?} leaves {}",
            root.display()
        );
        let target = root.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        crate::state::write_atomic(&target, text.as_bytes())?;
        Ok(target)
    }

    fn file(&self, number: u64) -> PathBuf {
        self.pulls_dir().join(format!("{number}.yaml"))
    }

    /// Every proposal, by number.
    /// The pull requests from `branch`, oldest first.
    fn pulls_on(&self, branch: &str) -> anyhow::Result<Vec<LocalPull>> {
        Ok(self
            .list()?
            .into_iter()
            .filter(|p| p.branch == branch)
            .collect())
    }

    pub fn list(&self) -> anyhow::Result<Vec<LocalPull>> {
        let dir = self.pulls_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
        };
        let mut out = Vec::new();
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                out.push(read(&path)?);
            }
        }
        out.sort_by_key(|p| p.number);
        Ok(out)
    }

    pub fn load(&self, number: u64) -> anyhow::Result<LocalPull> {
        let path = self.file(number);
        anyhow::ensure!(
            path.exists(),
            "no proposal #{number} in {}",
            self.pulls_dir().display()
        );
        read(&path)
    }

    fn save(&self, pull: &LocalPull) -> anyhow::Result<()> {
        std::fs::create_dir_all(self.pulls_dir())
            .with_context(|| format!("cannot create {}", self.pulls_dir().display()))?;
        let text = serde_yaml::to_string(pull).expect("plain data serialises");
        crate::state::write_atomic(&self.file(pull.number), text.as_bytes())
    }

    /// Add a review by `login` to an open or merged proposal (GitHub takes a review of a merged pull request;
    /// `apply` counts it).
    pub fn review(
        &self,
        number: u64,
        login: &str,
        state: ReviewState,
    ) -> anyhow::Result<LocalPull> {
        let _lock = self.locked()?;
        anyhow::ensure!(
            crate::monitor::config::valid_login(login),
            "{login:?} is not a login"
        );
        let mut pull = self.load(number)?;
        anyhow::ensure!(
            pull.state != PullState::Closed,
            "proposal #{number} is closed\nhelp: reopen it first (`keepopen reopen {number}`)"
        );
        pull.reviews.push(Review {
            login: login.to_owned(),
            state,
            stale: false,
        });
        self.save(&pull)?;
        Ok(pull)
    }

    /// Merge an open proposal: write its record into the base branch and into `checkout` (the control
    /// checkout, as a pull after the merge would), and mark it merged. Like a merge on GitHub without branch
    /// protection, this checks nothing: `apply` does.
    pub fn merge(&self, number: u64, checkout: &Path) -> anyhow::Result<PathBuf> {
        let _lock = self.locked()?;
        let mut pull = self.load(number)?;
        anyhow::ensure!(
            pull.state == PullState::Open,
            "proposal #{number} is {:?}, not open",
            pull.state
        );
        let in_proposal = || format!("proposal #{number}");
        let mut target = checkout.to_path_buf();
        for (path, text) in pull.files() {
            Self::write_under(&self.base_dir(), &path, &text).with_context(in_proposal)?;
            target = Self::write_under(checkout, &path, &text).with_context(in_proposal)?;
        }
        pull.state = PullState::Merged;
        pull.closed_at = Some(Utc::now());
        self.save(&pull)?;
        Ok(target)
    }

    /// Take the record at `record_path` out of open batch proposal `number`, as a maintainer deleting its file
    /// from the pull request would: the others stay, and `propose` proposes it again on its own.
    pub fn take_out(&self, number: u64, record_path: &str) -> anyhow::Result<LocalPull> {
        let _lock = self.locked()?;
        let mut pull = self.load(number)?;
        anyhow::ensure!(
            pull.state == PullState::Open,
            "proposal #{number} is {:?}, not open",
            pull.state
        );
        anyhow::ensure!(
            !pull.batch.is_empty(),
            "proposal #{number} is one repository's own; close it to decline it"
        );
        anyhow::ensure!(
            pull.batch.remove(record_path).is_some(),
            "proposal #{number} holds no record {record_path} (it holds {})",
            pull.batch.keys().cloned().collect::<Vec<_>>().join(", ")
        );
        // Its content changed: earlier reviews were of something else.
        for review in &mut pull.reviews {
            review.stale = true;
        }
        self.save(&pull)?;
        Ok(pull)
    }

    /// Close an open proposal without merging it: the maintainers decline it. `propose` does not propose the
    /// repository again while what it was decided from is unchanged.
    pub fn close(&self, number: u64, now: DateTime<Utc>) -> anyhow::Result<LocalPull> {
        let _lock = self.locked()?;
        let mut pull = self.load(number)?;
        anyhow::ensure!(
            pull.state == PullState::Open,
            "proposal #{number} is {:?}, not open",
            pull.state
        );
        pull.state = PullState::Closed;
        pull.closed_at = Some(now);
        self.save(&pull)?;
        Ok(pull)
    }

    /// Reopen a closed proposal, taking its decline back; refused while another proposal from the same branch
    /// is open, as on GitHub.
    pub fn reopen(&self, number: u64) -> anyhow::Result<LocalPull> {
        let _lock = self.locked()?;
        let mut pull = self.load(number)?;
        anyhow::ensure!(
            pull.state == PullState::Closed,
            "proposal #{number} is {:?}, not closed",
            pull.state
        );
        if let Some(open) = self
            .list()?
            .into_iter()
            .find(|p| p.state == PullState::Open && p.branch == pull.branch)
        {
            anyhow::bail!(
                "proposal #{} from the same branch {} is open; decide that one instead",
                open.number,
                pull.branch
            );
        }
        pull.state = PullState::Open;
        pull.closed_at = None;
        self.save(&pull)?;
        Ok(pull)
    }
}

fn read(path: &Path) -> anyhow::Result<LocalPull> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| match e.location() {
        Some(l) => anyhow::anyhow!("{}:{}:{}: {e}", path.display(), l.line(), l.column()),
        None => anyhow::anyhow!("{}: {e}", path.display()),
    })
}

impl ControlRepository for LocalControl {
    async fn propose(&self, proposal: &Proposal) -> anyhow::Result<Proposed> {
        let _lock = self.locked()?;
        let pulls = self.list()?;
        let open = pulls
            .iter()
            .find(|p| p.state == PullState::Open && p.branch == proposal.branch);
        let url = |n: u64| self.file(n).display().to_string();
        match open {
            Some(existing) => {
                let pull = updated_pull(existing, proposal);
                if &pull == existing {
                    return Ok(Proposed::Unchanged {
                        number: pull.number,
                        url: url(pull.number),
                    });
                }
                self.save(&pull)?;
                Ok(Proposed::Updated {
                    number: pull.number,
                    url: url(pull.number),
                })
            }
            None => {
                let number = pulls.iter().map(|p| p.number).max().unwrap_or(0) + 1;
                self.save(&new_pull(number, proposal))?;
                Ok(Proposed::Opened {
                    number,
                    url: url(number),
                })
            }
        }
    }

    async fn batches(&self, _records: &str) -> anyhow::Result<Vec<Batch>> {
        let pulls = self.list()?;
        let mut branches: BTreeSet<&str> = BTreeSet::new();
        for p in &pulls {
            if crate::proposal::is_batch_branch(&p.branch) {
                branches.insert(&p.branch);
            }
        }
        Ok(branches
            .into_iter()
            .filter_map(|branch| {
                let of: Vec<&LocalPull> = pulls.iter().filter(|p| p.branch == branch).collect();
                let latest = of
                    .iter()
                    .find(|p| p.state == PullState::Open)
                    .or_else(|| of.last())?;
                let records = if latest.state == PullState::Merged {
                    BTreeMap::new()
                } else {
                    latest
                        .files()
                        .iter()
                        .map(|(path, text)| (path.clone(), super::blob_id(text)))
                        .collect()
                };
                Some(Batch {
                    branch: branch.to_owned(),
                    pull: Some(BatchPull {
                        number: latest.number,
                        url: self.file(latest.number).display().to_string(),
                        state: latest.state,
                        closed_at: latest.closed_at,
                        members: crate::proposal::batch_members(&latest.body),
                    }),
                    records,
                    head: Some(latest.number.to_string()),
                })
            })
            .collect())
    }

    async fn record_at(&self, head: &str, path: &str) -> anyhow::Result<Option<String>> {
        let number: u64 = head
            .parse()
            .with_context(|| format!("{head:?} names no proposal of the local forge"))?;
        Ok(self.load(number)?.files().get(path).cloned())
    }

    async fn pull_for(
        &self,
        branch: &str,
        record_path: &str,
    ) -> anyhow::Result<Option<PullEvidence>> {
        let pulls = self.pulls_on(branch)?;
        let chosen = pulls
            .iter()
            .rfind(|p| p.state == PullState::Merged)
            .or_else(|| pulls.last());
        Ok(chosen.map(|p| {
            let merged = p.state == PullState::Merged;
            PullEvidence {
                facts: PullFacts {
                    number: p.number,
                    author: p.author.clone(),
                    merged,
                    head_branch: p.branch.clone(),
                },
                url: self.file(p.number).display().to_string(),
                reviews: p.reviews.clone(),
                record_text: if merged {
                    p.files().get(record_path).cloned()
                } else {
                    None
                },
            }
        }))
    }

    async fn latest_proposal(
        &self,
        branch: &str,
        record_path: &str,
    ) -> anyhow::Result<Option<LatestProposal>> {
        let pulls = self.pulls_on(branch)?;
        let chosen = pulls
            .iter()
            .rfind(|p| p.state == PullState::Open)
            .or_else(|| pulls.last());
        Ok(chosen.map(|p| LatestProposal {
            number: p.number,
            url: self.file(p.number).display().to_string(),
            state: p.state,
            closed_at: p.closed_at,
            record_text: if p.state == PullState::Closed {
                p.files().get(record_path).cloned()
            } else {
                None
            },
            declined_before: pulls
                .iter()
                .rfind(|d| d.number < p.number && d.state == PullState::Closed)
                .filter(|_| p.state == PullState::Open)
                .map(|d| (d.number, d.files().get(record_path).cloned())),
        }))
    }

    async fn comments(&self, number: u64) -> anyhow::Result<Vec<Comment>> {
        Ok(self.load(number)?.comments)
    }

    async fn identity(&self) -> anyhow::Result<String> {
        Ok(BOT_LOGIN.to_owned())
    }

    async fn comment(&self, number: u64, body: &str) -> anyhow::Result<()> {
        let _lock = self.locked()?;
        let mut pull = self.load(number)?;
        pull.comments.push(Comment {
            author: BOT_LOGIN.to_owned(),
            body: body.to_owned(),
        });
        self.save(&pull)
    }

    async fn maintainers(&self, logins: &[String]) -> anyhow::Result<BTreeSet<String>> {
        Ok(logins
            .iter()
            .map(|l| l.to_lowercase())
            .filter(|l| self.maintainers.contains(l))
            .collect())
    }

    async fn base_records(&self, records: &str) -> anyhow::Result<BaseRecords> {
        let base = self.base_dir();
        let dir = base.join(records);
        let mut out = std::collections::BTreeMap::new();
        for path in crate::record::list(&dir)? {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let relative = path.strip_prefix(&base).unwrap_or(&path);
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(parts.join("/"), text);
        }
        Ok(BaseRecords {
            source: format!(
                "the base branch of the local control forge ({})",
                base.display()
            ),
            update_help: format!(
                "copy {} into the checkout (the local forge's base branch), then rerun",
                dir.display()
            ),
            records: out,
        })
    }

    async fn record_written(&self, record_path: &str, text: &str) -> anyhow::Result<()> {
        let _lock = self.locked()?;
        Self::write_under(&self.base_dir(), record_path, text).map(|_| ())
    }
}

/// `existing` as `proposal` says it now: its records (a batch keeps only those named: what a maintainer took out
/// stays out), title, body and labels; when its files changed, the earlier reviews were of something else.
fn updated_pull(existing: &LocalPull, proposal: &Proposal) -> LocalPull {
    let mut pull = existing.clone();
    write_records(&mut pull, proposal);
    pull.title = proposal.title.clone();
    pull.body = proposal.body.clone();
    pull.labels = proposal.labels.clone();
    if pull.files() != existing.files() {
        for review in &mut pull.reviews {
            review.stale = true;
        }
    }
    pull
}

/// A new open pull request `number` of the bot's, holding `proposal`.
fn new_pull(number: u64, proposal: &Proposal) -> LocalPull {
    let mut pull = LocalPull {
        number,
        branch: proposal.branch.clone(),
        title: proposal.title.clone(),
        body: proposal.body.clone(),
        labels: proposal.labels.clone(),
        state: PullState::Open,
        author: BOT_LOGIN.into(),
        reviews: Vec::new(),
        comments: Vec::new(),
        closed_at: None,
        record_path: String::new(),
        record: String::new(),
        batch: BTreeMap::new(),
    };
    write_records(&mut pull, proposal);
    pull
}

/// The proposal's records into `pull`: a batch's added to those it holds, a repository's own one in its place.
fn write_records(pull: &mut LocalPull, proposal: &Proposal) {
    if crate::proposal::is_batch_branch(&proposal.branch) {
        pull.batch.extend(proposal.records.clone());
    } else if let Some((path, text)) = proposal.records.iter().next() {
        pull.record_path = path.clone();
        pull.record = text.clone();
    }
}
