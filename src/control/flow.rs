//! The approval flow over a [`ControlRepository`]: `propose` and `apply`.
//!
//! [`propose`]: for every confirmed removal in state not yet decided, read the mirror's licences, scan its
//! history, gate the verdict, and — for Allowed and NeedsReview — open (or update) its one proposal with the
//! decision record; Forbidden repositories are listed with their reasons. A proposal closed without merging is a
//! decline: the repository is not proposed again while what it was decided from ([`evidence_changes`]: the
//! tips, the licence files by hash, the policy) is the same; once that changes, a new proposal says what changed
//! and links the declined one. [`apply`]: for every record on the base branch still `proposed`, verify that its
//! pull request was merged and approved by enough maintainers and that the record is the one it approved, check
//! the verdict still holds, republish, and write the publication into the record. A record merged without the
//! approval it needs is held ([`Hold`]): `apply` says why on its pull request once, then reports it as waiting
//! until a maintainer approves or the record changes. A failure in one repository is recorded and the run goes
//! on.
//!
//! Both read the records from the base branch of the control repository itself
//! ([`ControlRepository::base_records`]), never from the checkout: a stale or missing checkout cannot make a
//! merged record look undecided. What they write back (a publication, `restored`) goes into the checkout, to be
//! committed and pushed; so before writing a record the checkout's copy must be the base branch's, or the run is
//! refused with [`StaleCheckout`], naming the records and how to bring the checkout up to date.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{BaseRecords, Batch, ControlRepository, Proposal, Proposed, PullEvidence, PullState};
use crate::approval::{self, ApprovalConfig};
use crate::check::Evaluation;
use crate::policy::Policy;
use crate::publish::{self, Overrides, PlanInputs, Refusal, Request, TargetConfig, TokenSource};
use crate::record::{DecisionRecord, PublicationInfo, RecordInputs, RecordStatus, VerdictKind};
use crate::safety::SafetyConfig;
use crate::state::{RepoRecord, Status, Store};
use crate::verdict::Verdict;

/// Everything the flow reads.
#[derive(Debug, Clone)]
pub struct Flow {
    pub policy: Arc<Policy>,
    pub approval: ApprovalConfig,
    pub target: TargetConfig,
    pub safety: SafetyConfig,
    pub store: Store,
    /// The archive directory of bare mirrors.
    pub archive: PathBuf,
    /// The control checkout: the directory that holds policy.yaml. Records live under `approval.records` in it.
    pub checkout: PathBuf,
    /// How notices name the control repository (`nhs-community/control`, or the local forge's directory).
    pub control_name: String,
}

impl Flow {
    /// The history scan cache in state, shared with `check` and the republication's safety gate: a mirror's
    /// history is read once per set of tips, however many commands ask.
    pub fn scan_cache(&self) -> crate::check::ScanCache {
        crate::check::ScanCache::in_state(self.store.root())
    }

    /// The address of the record at `path` on `branch` of the control repository: a GitHub page, or the
    /// local forge's file.
    pub fn record_link(&self, branch: &str, path: &str) -> Option<String> {
        match self.approval.forge {
            crate::approval::ControlForge::Github => {
                let web = web_url(&self.approval.api_url);
                Some(format!(
                    "{web}/{}/blob/{branch}/{path}",
                    self.approval.repository.as_deref()?
                ))
            }
            crate::approval::ControlForge::Local => None,
        }
    }

    /// The directory of decision records.
    pub fn records_dir(&self) -> PathBuf {
        self.checkout.join(&self.approval.records)
    }

    /// The override reason a NeedsReview publication carries once its pull request is approved: the same in the
    /// preview and in the published notice.
    pub fn approval_reason(&self, full_name: &str) -> String {
        format!(
            "approved by the maintainers of {} in the pull request from branch {}",
            self.control_name,
            crate::proposal::branch_name(full_name)
        )
    }
}

/// The web address of the GitHub whose REST API is at `api` (pure): `https://api.github.com` →
/// `https://github.com`, a GitHub Enterprise `https://host/api/v3` → `https://host`; anything else (a test
/// server) as it is.
pub fn web_url(api: &str) -> String {
    let api = api.trim_end_matches('/');
    if let Some(rest) = api.strip_prefix("https://api.") {
        return format!("https://{rest}");
    }
    api.strip_suffix("/api/v3").unwrap_or(api).to_owned()
}

/// How the checkout's copy of a record differs from the base branch's (pure): `None` when they are the same.
pub fn checkout_difference(base: &str, checkout: Option<&str>) -> Option<String> {
    let Some(checkout) = checkout else {
        return Some("on the base branch, not in the checkout".into());
    };
    if checkout == base {
        return None;
    }
    let published = |text: &str| {
        DecisionRecord::parse(text, "")
            .map(|r| r.publication.is_some())
            .unwrap_or(false)
    };
    Some(if published(checkout) && !published(base) {
        "the checkout's copy records a publication the base branch does not have yet: commit and push it".into()
    } else {
        "the checkout's copy differs from the base branch's".into()
    })
}

/// The checkout cannot take what `apply` or `propose` would write: its copies of these records are not the
/// base branch's. Nothing was written or published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the checkout at {checkout} is behind {base}: {} of the record(s) to write there differ ({})\nhelp: {help}",
    records.len(),
    records.iter().map(|(path, what)| format!("{path}: {what}")).collect::<Vec<_>>().join("; ")
)]
pub struct StaleCheckout {
    pub checkout: String,
    /// Where the records were read: `main of nhs-community/control`.
    pub base: String,
    /// Each record path, and how the checkout's copy differs.
    pub records: Vec<(String, String)>,
    pub help: String,
}

/// Whether the checkout holds each of `paths` as `base` does; a [`StaleCheckout`] naming those it does not.
fn check_checkout(flow: &Flow, base: &BaseRecords, paths: &[&str]) -> anyhow::Result<()> {
    let mut records = Vec::new();
    for path in paths {
        let Some(text) = base.records.get(*path) else {
            continue;
        };
        let file = flow.checkout.join(path);
        let copy = match std::fs::read_to_string(&file) {
            Ok(copy) => Some(copy),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
        };
        if let Some(what) = checkout_difference(text, copy.as_deref()) {
            records.push(((*path).to_owned(), what));
        }
    }
    if records.is_empty() {
        return Ok(());
    }
    Err(StaleCheckout {
        checkout: flow.checkout.display().to_string(),
        base: base.source.clone(),
        records,
        help: base.update_help.clone(),
    }
    .into())
}

/// Evaluate `mirror` as `full_name` under the flow's policy and safety settings, through the scan cache in
/// state: the one evaluation of a repository that a decision is made from (off the async runtime).
async fn evaluate(flow: &Flow, mirror: &Path, full_name: &str) -> anyhow::Result<Evaluation> {
    let (mirror, name, policy, safety) = (
        mirror.to_path_buf(),
        full_name.to_owned(),
        flow.policy.clone(),
        flow.safety.clone(),
    );
    let cache = flow.scan_cache();
    tokio::task::spawn_blocking(move || {
        let detector = crate::license::detect::Detector::embedded();
        crate::check::evaluate(&mirror, &name, &detector, &policy, &safety, Some(&cache))
    })
    .await
    .context("the evaluation task panicked")?
}

/// What `propose` did for one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum ProposeOutcome {
    Opened {
        number: u64,
        url: String,
    },
    Updated {
        number: u64,
        url: String,
    },
    /// In open proposal `number`, which already says all of it: nothing was written.
    Unchanged {
        number: u64,
        url: String,
    },
    /// Not proposed this run, and not a failure: writing stopped (GitHub limited writes, or the run's write
    /// budget is spent). The next run resumes, completing a proposal left half made.
    Waiting {
        reason: String,
    },
    /// No proposal: the verdict forbids it.
    Forbidden {
        reasons: Vec<String>,
    },
    /// No proposal: the maintainers closed pull request `number` without merging it, and what it was decided
    /// from has not changed since. Reopening it takes the decline back.
    Declined {
        number: u64,
        url: String,
        closed_at: Option<DateTime<Utc>>,
    },
    /// Nothing to do, and why.
    Skipped {
        reason: String,
    },
    /// Not proposed for another reason (refused by the plan, or an error), named.
    Failed {
        error: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ProposeLine {
    pub repo: String,
    pub verdict: Option<VerdictKind>,
    #[serde(flatten)]
    pub outcome: ProposeOutcome,
}

/// Mark the decision record at `record_path` on the base branch (`text`) `restored`, in the checkout (its
/// publication, if any, is kept as a matter of record). False when it already said so.
async fn mark_restored<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    base: &BaseRecords,
    record_path: &str,
    text: &str,
) -> anyhow::Result<bool> {
    let mut record = DecisionRecord::parse(text, &format!("{record_path} on {}", base.source))?;
    if record.status == RecordStatus::Restored {
        return Ok(false);
    }
    check_checkout(flow, base, &[record_path])?;
    record.status = RecordStatus::Restored;
    record.save(&flow.checkout.join(record_path))?;
    control
        .record_written(record_path, &record.to_yaml())
        .await?;
    Ok(true)
}

/// The order candidates are proposed in (pure): the most used first — stars and forks together, then the most
/// recently pushed — from the inventory the monitor keeps, so no request is spent on it; the id breaks ties.
pub fn usage_order(a: &RepoRecord, b: &RepoRecord) -> std::cmp::Ordering {
    let used = |r: &RepoRecord| r.stars.saturating_add(r.forks);
    used(b)
        .cmp(&used(a))
        .then(b.pushed_at.cmp(&a.pushed_at))
        .then(a.id.cmp(&b.id))
}

/// Where one evaluated candidate goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    /// Its own proposal, with a note opening its body (a decline it follows), if any.
    Single(Option<String>),
    /// The open (or half-made) batch on this branch, which holds its record.
    Batch(String),
    /// A new batch: Allowed, a clean history, and no proposal history.
    Pool,
}

/// A candidate evaluated and ready to propose.
#[derive(Debug, Clone)]
struct Ready {
    /// Its place in [`usage_order`].
    rank: usize,
    full_name: String,
    id: u64,
    kind: VerdictKind,
    record: DecisionRecord,
    /// The body of its own proposal.
    body: String,
    route: Route,
}

/// One proposal to send and the candidates it holds.
struct Unit {
    rank: usize,
    proposal: Proposal,
    members: Vec<(String, VerdictKind)>,
}

/// Propose every confirmed removal not yet decided: Allowed candidates with a clean history together, in
/// batches of `approval.batch-size` grouped by source owner and licence class ([`crate::proposal::batch_group`]);
/// every other one on its own; the most used first ([`usage_order`]). A batch of one is an ordinary proposal.
/// Nothing is written for a proposal that already says it all; once writing stops (a rate limit, the write
/// budget), every candidate not yet sent is [`ProposeOutcome::Waiting`] and the next run resumes.
pub async fn propose<C: ControlRepository>(
    flow: &Flow,
    control: &C,
) -> anyhow::Result<Vec<ProposeLine>> {
    let records = flow.store.list()?;
    let published: Vec<(String, u64, String)> = records
        .iter()
        .flat_map(|r| {
            r.publications
                .iter()
                .map(|p| (r.full_name.clone(), r.id, p.name.clone()))
        })
        .collect();
    let mut lines = Vec::new();
    // What is decided is what the control repository's base branch holds, not what a checkout shows.
    let base = control.base_records(&flow.approval.records).await?;
    // An original that came back gets no pull request; a decision record about it says `restored`.
    for repo in records.iter().filter(|r| r.status == Status::Restored) {
        let record_path = crate::record::repo_path(&flow.approval.records, &repo.full_name);
        let Some(text) = base.records.get(&record_path) else {
            continue;
        };
        let outcome = match mark_restored(flow, control, &base, &record_path, text).await {
            Ok(true) => ProposeOutcome::Skipped {
                reason: format!(
                    "restored: the original is public again; {} now says `restored`",
                    flow.checkout.join(&record_path).display()
                ),
            },
            Ok(false) => continue,
            Err(e) => ProposeOutcome::Failed {
                error: format!("{e:#}"),
            },
        };
        lines.push(ProposeLine {
            repo: repo.full_name.clone(),
            verdict: None,
            outcome,
        });
    }
    let batches = control.batches(&flow.approval.records).await?;
    let mut candidates: Vec<&RepoRecord> = Vec::new();
    for repo in records.iter().filter(|r| r.status == Status::Removed) {
        let skipped = |reason: String| ProposeLine {
            repo: repo.full_name.clone(),
            verdict: None,
            outcome: ProposeOutcome::Skipped { reason },
        };
        if !repo.publications.is_empty() {
            lines.push(skipped("already published".into()));
            continue;
        }
        let decided = crate::record::repo_path(&flow.approval.records, &repo.full_name);
        if base.records.contains_key(&decided) {
            lines.push(skipped(format!(
                "already decided: {decided} is on {}",
                base.source
            )));
            continue;
        }
        candidates.push(repo);
    }
    candidates.sort_by(|a, b| usage_order(a, b));
    let mut ready = Vec::new();
    for (rank, repo) in candidates.iter().enumerate() {
        match prepare(flow, control, repo, &published, &batches, rank).await {
            Ok(Prepared::Ready(r)) => ready.push(*r),
            Ok(Prepared::Done(verdict, outcome)) => lines.push(ProposeLine {
                repo: repo.full_name.clone(),
                verdict: Some(verdict),
                outcome,
            }),
            Err(e) => lines.push(ProposeLine {
                repo: repo.full_name.clone(),
                verdict: None,
                outcome: ProposeOutcome::Failed {
                    error: format!("{e:#}"),
                },
            }),
        }
    }
    let names: BTreeMap<u64, String> = records
        .iter()
        .map(|r| (r.id, r.full_name.clone()))
        .collect();
    let mut units = plan_units(flow, control, ready, &batches, &names);
    units.sort_by_key(|u| u.rank);
    let mut stopped: Option<String> = None;
    for unit in units {
        let outcome = match &stopped {
            Some(reason) => Err(reason.clone()),
            None => match control.propose(&unit.proposal).await {
                Ok(Proposed::Opened { number, url }) => Ok(ProposeOutcome::Opened { number, url }),
                Ok(Proposed::Updated { number, url }) => {
                    Ok(ProposeOutcome::Updated { number, url })
                }
                Ok(Proposed::Unchanged { number, url }) => {
                    Ok(ProposeOutcome::Unchanged { number, url })
                }
                Err(e) => match e.downcast_ref::<crate::github::Error>() {
                    Some(crate::github::Error::WritesStopped { stop, .. }) => {
                        let reason = format!("{stop}; proposed by a later run");
                        stopped = Some(reason.clone());
                        Err(reason)
                    }
                    _ => Ok(ProposeOutcome::Failed {
                        error: format!("{e:#}"),
                    }),
                },
            },
        };
        let outcome = outcome.unwrap_or_else(|reason| ProposeOutcome::Waiting { reason });
        for (repo, verdict) in unit.members {
            lines.push(ProposeLine {
                repo,
                verdict: Some(verdict),
                outcome: outcome.clone(),
            });
        }
    }
    Ok(lines)
}

/// The proposals to send (pure but for the control repository's link to a record): each candidate in its
/// own, in the open batch that holds it, or, from the pool, in new batches of its group.
fn plan_units<C: ControlRepository>(
    flow: &Flow,
    _control: &C,
    ready: Vec<Ready>,
    batches: &[Batch],
    names: &BTreeMap<u64, String>,
) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut existing: BTreeMap<String, Vec<Ready>> = BTreeMap::new();
    let mut pool: BTreeMap<(String, String), Vec<Ready>> = BTreeMap::new();
    for r in ready {
        match r.route.clone() {
            Route::Single(note) => units.push(single_unit(flow, r, note)),
            Route::Batch(branch) => existing.entry(branch).or_default().push(r),
            Route::Pool => {
                let group = crate::proposal::batch_group(&r.record, &flow.policy);
                pool.entry(group).or_default().push(r);
            }
        }
    }
    for (branch, members) in existing {
        let batch = batches.iter().find(|b| b.branch == branch);
        let mut ids: BTreeSet<u64> = members.iter().map(|m| m.id).collect();
        let earlier = batch
            .and_then(|b| b.pull.as_ref())
            .map(|p| p.members.clone())
            .unwrap_or_default();
        let taken_out: Vec<String> = earlier
            .difference(&ids)
            .filter(|id| {
                // Out of the branch, not merely decided or gone from the candidates.
                batch.is_some_and(|b| {
                    !b.records
                        .keys()
                        .any(|p| names.get(id).is_some_and(|n| *p == record_path(flow, n)))
                })
            })
            .map(|id| names.get(id).cloned().unwrap_or_else(|| format!("id {id}")))
            .collect();
        ids.extend(earlier);
        units.push(batch_unit(flow, &branch, members, &ids, &taken_out));
    }
    // New batches: numbered after every batch of the group there ever was.
    for ((owner, class), members) in pool {
        let prefix = crate::proposal::batch_branch(&owner, &class, 0);
        let prefix = prefix.trim_end_matches('0');
        let mut next = batches
            .iter()
            .filter_map(|b| b.branch.strip_prefix(prefix)?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        let size = flow.approval.batch_size.max(1);
        let mut members = members;
        members.sort_by_key(|m| m.rank);
        let mut rest = members.into_iter().peekable();
        while rest.peek().is_some() {
            let chunk: Vec<Ready> = rest.by_ref().take(size).collect();
            if chunk.len() == 1 {
                let one = chunk.into_iter().next().expect("one member");
                units.push(single_unit(flow, one, None));
                continue;
            }
            next += 1;
            let branch = crate::proposal::batch_branch(&owner, &class, next);
            let ids = chunk.iter().map(|m| m.id).collect();
            units.push(batch_unit(flow, &branch, chunk, &ids, &[]));
        }
    }
    units
}

fn record_path(flow: &Flow, full_name: &str) -> String {
    crate::record::repo_path(&flow.approval.records, full_name)
}

fn single_unit(flow: &Flow, r: Ready, note: Option<String>) -> Unit {
    let mut record = r.record;
    record.proposed_in = None;
    let body = match note {
        Some(note) => format!("{note}{}", r.body),
        None => r.body,
    };
    Unit {
        rank: r.rank,
        proposal: Proposal {
            branch: crate::proposal::branch_name(&r.full_name),
            title: crate::proposal::title(&record),
            body,
            labels: crate::proposal::labels(&record, &flow.approval.labels),
            records: [(record_path(flow, &r.full_name), record.to_yaml())].into(),
            message: format!(
                "Propose the republication of {} ({})",
                r.full_name, record.verdict.kind
            ),
        },
        members: vec![(r.full_name, r.kind)],
    }
}

fn batch_unit(
    flow: &Flow,
    branch: &str,
    mut members: Vec<Ready>,
    ids: &BTreeSet<u64>,
    taken_out: &[String],
) -> Unit {
    members.sort_by_key(|m| m.rank);
    let rank = members.first().map(|m| m.rank).unwrap_or(usize::MAX);
    let mut records = BTreeMap::new();
    let mut rows = Vec::new();
    for m in &members {
        let mut record = m.record.clone();
        record.proposed_in = Some(branch.to_owned());
        let path = record_path(flow, &m.full_name);
        records.insert(path.clone(), record.to_yaml());
        rows.push((path, record));
    }
    let (owner, class) = members
        .first()
        .map(|m| crate::proposal::batch_group(&m.record, &flow.policy))
        .unwrap_or_default();
    let link = |path: &str| flow.record_link(branch, path);
    let body = crate::proposal::batch_body(ids, &rows, taken_out, &link);
    Unit {
        rank,
        proposal: Proposal {
            branch: branch.to_owned(),
            title: crate::proposal::batch_title(&owner, &class, members.len()),
            body,
            labels: vec![flow.approval.labels.allowed.clone()],
            records,
            message: format!(
                "Propose the republication of {} repositories (batch)",
                members.len()
            ),
        },
        members: members.into_iter().map(|m| (m.full_name, m.kind)).collect(),
    }
}

/// What [`prepare`] made of a candidate.
enum Prepared {
    Ready(Box<Ready>),
    /// Settled without a proposal (forbidden, declined, refused by the plan): the verdict and the outcome.
    Done(VerdictKind, ProposeOutcome),
}

/// Whether a decline still stands against `record` (pure but for reading): `Ok(None)` when it does, else the
/// note a new proposal opens with.
fn after_decline(
    number: u64,
    declined_text: Option<&str>,
    record: &DecisionRecord,
    record_path: &str,
) -> Option<String> {
    let declined = declined_text.and_then(|text| DecisionRecord::parse(text, record_path).ok());
    let changes = match &declined {
        Some(declined) => evidence_changes(declined, record),
        None => vec![format!(
            "pull request #{number} holds no readable record at {record_path} to compare with"
        )],
    };
    (!changes.is_empty()).then(|| crate::proposal::declined_note(number, &changes))
}

async fn prepare<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    repo: &RepoRecord,
    published: &[(String, u64, String)],
    batches: &[Batch],
    rank: usize,
) -> anyhow::Result<Prepared> {
    let mirror = repo
        .mirror
        .as_ref()
        .filter(|m| m.fetched_at.is_some())
        .with_context(|| format!("{}: keepopen never mirrored it", repo.full_name))?;
    let mirror = crate::archive::resolve(&flow.archive, &mirror.path)?;
    let evaluation = evaluate(flow, &mirror, &repo.full_name).await?;
    let kind = VerdictKind::of(&evaluation.verdict);
    if let Verdict::Forbidden { reasons } = &evaluation.verdict {
        return Ok(Prepared::Done(
            kind,
            ProposeOutcome::Forbidden {
                reasons: reasons.clone(),
            },
        ));
    }
    let overrides = Overrides {
        verdict: (!evaluation.verdict.is_allowed()).then(|| flow.approval_reason(&repo.full_name)),
        ..Overrides::default()
    };
    let plan = match publish::plan(&PlanInputs {
        record: repo,
        evaluation: &evaluation,
        target: &flow.target,
        overrides: &overrides,
        published,
    }) {
        Ok(plan) => plan,
        Err(refusal) => {
            return Ok(Prepared::Done(
                kind,
                ProposeOutcome::Failed {
                    error: refusal.to_string(),
                },
            ));
        }
    };
    let record = DecisionRecord::build(&RecordInputs {
        repo,
        check: &evaluation.check,
        verdict: &evaluation.verdict,
        safety: &evaluation.safety,
        notice: &plan.notice.markdown,
        policy_digest: &flow.policy.digest(),
    });
    let branch = crate::proposal::branch_name(&repo.full_name);
    let path = record_path(flow, &repo.full_name);
    let body = crate::proposal::body(&record, &evaluation.check.findings, &evaluation.texts);
    let ready = |route| {
        Ok(Prepared::Ready(Box::new(Ready {
            rank,
            full_name: repo.full_name.clone(),
            id: repo.id,
            kind,
            record: record.clone(),
            body: body.clone(),
            route,
        })))
    };
    let open = |b: &&Batch| b.pull.as_ref().is_none_or(|p| p.state == PullState::Open);
    // Only what needs the least judgement is approved in bulk.
    let batchable = record.verdict.kind == VerdictKind::Allowed && record.safety.is_clean();
    // In an open batch (or one half made) that still holds its record: that batch, while it still belongs
    // there. One that no longer does (its history now holds a finding) is proposed on its own for a closer look;
    // the batch's stale copy is refused by `apply` (the verdict changed).
    if let Some(batch) = batches
        .iter()
        .filter(open)
        .find(|b| b.records.contains_key(&path))
        && batchable
    {
        return ready(Route::Batch(batch.branch.clone()));
    }
    // Its own proposal: open, it is updated; closed without merging, it is a decline that stands while the
    // evidence is the same.
    if let Some(latest) = control.latest_proposal(&branch, &path).await? {
        match latest.state {
            PullState::Open => {
                // Made after a decline: its body keeps saying what changed since.
                let note = latest.declined_before.and_then(|(number, text)| {
                    after_decline(number, text.as_deref(), &record, &path)
                });
                return ready(Route::Single(note));
            }
            PullState::Closed => {
                return match after_decline(
                    latest.number,
                    latest.record_text.as_deref(),
                    &record,
                    &path,
                ) {
                    None => Ok(Prepared::Done(
                        kind,
                        ProposeOutcome::Declined {
                            number: latest.number,
                            url: latest.url,
                            closed_at: latest.closed_at,
                        },
                    )),
                    Some(note) => ready(Route::Single(Some(note))),
                };
            }
            PullState::Merged => {}
        }
    }
    // A batch closed without merging declined each record in it, each on its own evidence.
    for batch in batches.iter().rev() {
        let (Some(pull), Some(head)) = (&batch.pull, &batch.head) else {
            continue;
        };
        if pull.state != PullState::Closed || !batch.records.contains_key(&path) {
            continue;
        }
        let text = control.record_at(head, &path).await?;
        return match after_decline(pull.number, text.as_deref(), &record, &path) {
            None => Ok(Prepared::Done(
                kind,
                ProposeOutcome::Declined {
                    number: pull.number,
                    url: pull.url.clone(),
                    closed_at: pull.closed_at,
                },
            )),
            Some(note) => ready(Route::Single(Some(note))),
        };
    }
    // Taken out of a batch by a maintainer: on its own from now on.
    if batches.iter().any(|b| {
        b.pull
            .as_ref()
            .is_some_and(|p| p.members.contains(&repo.id))
    }) {
        return ready(Route::Single(None));
    }
    if flow.approval.batch_size > 1 && batchable {
        return ready(Route::Pool);
    }
    ready(Route::Single(None))
}

/// The most ref changes [`evidence_changes`] lists one by one.
const MAX_LISTED_REFS: usize = 10;

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// Each key of two maps (path or ref → id) added, removed or changed, in words: `<what> <key> changed: a → b`.
fn map_changes(
    what: &str,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter_map(|key| match (before.get(key), after.get(key)) {
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => None,
            (Some(a), Some(b)) => Some(format!("{what}{key} changed: {} → {}", short(a), short(b))),
            (None, Some(b)) => Some(format!("{what}{key} added: {}", short(b))),
            (Some(a), None) => Some(format!("{what}{key} removed (was {})", short(a))),
            (None, None) => None,
        })
        .collect()
}

/// How what the record proposed now was decided from differs from what a declined proposal's record was (pure):
/// empty when the decline still stands. Compared: the repository (by id), the mirror's tips, and, when the
/// declined record holds them (records written before keepopen recorded its evidence do not), the licence files
/// by sha256 and the policy's digest. Anything else in the record — the notice, the removal dates, the wording
/// of a reason — is not evidence: a decline is not undone by a reworded notice.
pub fn evidence_changes(declined: &DecisionRecord, now: &DecisionRecord) -> Vec<String> {
    if declined.source.id != now.source.id {
        return vec![format!(
            "the declined record is of another repository ({}, id {})",
            declined.source.full_name, declined.source.id
        )];
    }
    let mut out = Vec::new();
    if let (Some(before), Some(after)) = (&declined.evidence, &now.evidence) {
        out.extend(map_changes(
            "licence file ",
            &before.license_files,
            &after.license_files,
        ));
        if before.policy != after.policy {
            out.push(format!(
                "the policy's licence or safety rules changed: {} → {}",
                short(&before.policy),
                short(&after.policy)
            ));
        }
    }
    let mut refs = map_changes("", &declined.mirror.tips, &now.mirror.tips);
    if refs.len() > MAX_LISTED_REFS {
        let more = refs.len() - MAX_LISTED_REFS;
        refs.truncate(MAX_LISTED_REFS);
        refs.push(format!("and {more} more ref change(s)"));
    }
    out.extend(refs);
    out
}

/// What `propose` says of a declined repository.
pub fn declined_reason(number: u64, closed_at: Option<DateTime<Utc>>) -> String {
    format!(
        "declined in pull request #{number}{}; nothing it was decided from has changed; reopen it to take the decline back",
        closed_at
            .map(|t| format!(" on {}", t.format("%Y-%m-%d")))
            .unwrap_or_default()
    )
}

/// What `apply` did for one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum ApplyOutcome {
    Published {
        target: String,
        target_url: String,
        pull_request: u64,
        approved_by: Vec<String>,
    },
    /// Not published, and why (approval, a changed record or verdict, a publication refusal). A record merged
    /// without the approval it needs is refused once, when `apply` says so on its pull request; then it waits.
    Refused {
        reason: String,
    },
    /// Not published: merged without the approval it needs, which `apply` already said on pull request
    /// `pull_request` (see [`Hold`]). A warning, not a failure: it is published once a maintainer approves.
    Waiting {
        pull_request: u64,
        reason: String,
    },
    Failed {
        error: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ApplyLine {
    /// The record file, relative to the checkout.
    pub record: String,
    pub repo: Option<String>,
    #[serde(flatten)]
    pub outcome: ApplyOutcome,
}

/// A refusal of `apply`, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ApplyRefusal(pub String);

/// Publish every approved record not yet published. Records already published (or restored) are left alone,
/// so a rerun does nothing.
pub async fn apply<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    tokens: Option<Arc<dyn TokenSource>>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<ApplyLine>> {
    // The records on the base branch of the control repository: a checkout may be stale, or absent.
    let base = control.base_records(&flow.approval.records).await?;
    let mut lines = Vec::new();
    let mut pending = Vec::new();
    for (path, text) in &base.records {
        match DecisionRecord::parse(text, &format!("{path} on {}", base.source)) {
            Ok(record)
                if record.status == RecordStatus::Proposed && record.publication.is_none() =>
            {
                pending.push((path.as_str(), text.as_str(), record));
            }
            Ok(_) => {}
            Err(e) => lines.push(ApplyLine {
                record: path.clone(),
                repo: None,
                outcome: ApplyOutcome::Failed {
                    error: format!("{e:#}"),
                },
            }),
        }
    }
    // Publications are written into the checkout: it must hold these records as the base branch does, or
    // nothing is published.
    check_checkout(
        flow,
        &base,
        &pending.iter().map(|(path, _, _)| *path).collect::<Vec<_>>(),
    )?;
    for (path, text, record) in pending {
        let outcome = match apply_one(
            flow,
            control,
            path,
            text,
            record.clone(),
            tokens.clone(),
            now,
        )
        .await
        {
            Ok(outcome) => outcome,
            Err(e) => match e.downcast_ref::<ApplyRefusal>() {
                Some(r) => ApplyOutcome::Refused {
                    reason: r.0.clone(),
                },
                None => match e.downcast_ref::<Refusal>() {
                    Some(r) => ApplyOutcome::Refused {
                        reason: r.to_string(),
                    },
                    None => ApplyOutcome::Failed {
                        error: format!("{e:#}"),
                    },
                },
            },
        };
        lines.push(ApplyLine {
            record: path.to_owned(),
            repo: Some(record.source.full_name.clone()),
            outcome,
        });
    }
    Ok(lines)
}

fn refuse(message: String) -> anyhow::Error {
    ApplyRefusal(message).into()
}

/// A record on the base branch whose pull request does not authorise its publication (the approval decision
/// refused it): `apply` comments once on that pull request with the reason and what would let it through, and
/// reports it as waiting on later runs. The comment carries [`Hold::marker`], which names the record's text, the
/// pull request and the reason: the control repository itself remembers what was said, so a lost state, or
/// another machine, never comments twice, and a changed record or reason is judged afresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub full_name: String,
    /// The record's path on the base branch.
    pub record_path: String,
    pub pull_request: u64,
    /// Why, as `apply` reports it: the approval decision's refusal and the pull request's address.
    pub reason: String,
    /// What would let it through.
    pub help: String,
    /// The hidden marker that opens the comment.
    pub marker: crate::untrusted::markdown::Marker,
}

impl Hold {
    /// The hold of the record `record_text` at `record_path`, refused by the approval decision (pure).
    pub fn new(
        full_name: &str,
        record_path: &str,
        record_text: &str,
        pull: &PullEvidence,
        refusal: &approval::ApprovalRefusal,
        required: u32,
    ) -> Hold {
        use sha2::{Digest, Sha256};
        let number = pull.facts.number;
        let reason = format!("{full_name}: {refusal} ({})", pull.url);
        let key = hex::encode(Sha256::digest(
            format!("{record_path}\0{record_text}\0{number}\0{reason}").as_bytes(),
        ));
        let rerun = "then run `apply` again (re-run the apply workflow)";
        let help = match refusal {
            approval::ApprovalRefusal::TooFewApprovals { .. } => format!(
                "an approving review of this pull request by {required} maintainer(s) other than its author \
                 (GitHub takes a review of a merged pull request), {rerun}"
            ),
            approval::ApprovalRefusal::ChangesRequested { logins, .. } => format!(
                "the maintainer(s) who asked for changes ({}) approve this pull request, or their reviews are \
                 dismissed, {rerun}",
                logins
                    .iter()
                    .map(|l| format!("@{l}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            approval::ApprovalRefusal::NotMerged { .. } => format!(
                "the record reached the base branch without this pull request being merged: have maintainers \
                 approve it and merge it, {rerun}"
            ),
            approval::ApprovalRefusal::WrongBranch { .. } => {
                "remove the record from the base branch and run `propose` again".to_owned()
            }
        };
        Hold {
            full_name: full_name.to_owned(),
            record_path: record_path.to_owned(),
            pull_request: number,
            reason,
            help,
            marker: crate::untrusted::markdown::Marker::new("held", &key),
        }
    }

    /// The comment on the pull request (pure). The marker opens it; the repository's name, the record's path
    /// and the reason are untrusted text, and no login in it is a live mention.
    pub fn comment(&self) -> String {
        use crate::untrusted::markdown as md;
        format!(
            "{}\n**keepopen did not publish {}.** The record {} is on the base branch, but this pull request does \
             not authorise its publication:\n\n> {}\n\nTo publish it: {}.\n\nUntil then `apply` reports the \
             record as waiting, with a warning that does not fail the workflow, and does not comment again; a \
             change to the record is judged afresh. To decline the republication instead, remove the record from \
             the base branch.\n",
            self.marker,
            md::text(&self.full_name),
            md::code(&self.record_path),
            md::text(&self.reason),
            // keepopen's own words, with backticks meant as code; the logins in them are GitHub's.
            self.help.replace('@', "@\u{200B}")
        )
    }
}

/// Say on its pull request, once, why the record is held: the first time a refusal (an error), after that
/// [`ApplyOutcome::Waiting`].
async fn hold<C: ControlRepository>(control: &C, hold: Hold) -> anyhow::Result<ApplyOutcome> {
    // Only keepopen's own comment counts: the marker is computed from public text, so anyone could write it.
    let me = control.identity().await?;
    let said = control
        .comments(hold.pull_request)
        .await?
        .iter()
        .any(|c| c.author.eq_ignore_ascii_case(&me) && hold.marker.opens(&c.body));
    if said {
        return Ok(ApplyOutcome::Waiting {
            pull_request: hold.pull_request,
            reason: format!(
                "{}; waiting for {} (said on pull request #{})",
                hold.reason, hold.help, hold.pull_request
            ),
        });
    }
    control.comment(hold.pull_request, &hold.comment()).await?;
    Err(refuse(format!(
        "{}; said so on pull request #{}: to publish it, {}",
        hold.reason, hold.pull_request, hold.help
    )))
}

/// Verify and publish the record at `shown` (its path on the base branch, which is its path in the checkout),
/// whose text there is `text`.
async fn apply_one<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    shown: &str,
    text: &str,
    mut record: DecisionRecord,
    tokens: Option<Arc<dyn TokenSource>>,
    now: DateTime<Utc>,
) -> anyhow::Result<ApplyOutcome> {
    let full_name = record.source.full_name.clone();
    // The file's place names the repository it decides; the content must agree.
    let record_path = crate::record::repo_path(&flow.approval.records, &full_name);
    if record_path != shown {
        return Err(refuse(format!(
            "{shown} names {full_name}, whose record belongs at {record_path}; a record edited to point at another repository is not applied"
        )));
    }
    // Its own branch, or the batch's it was proposed in: the approval of that pull request is what counts, for
    // this record alone.
    let branch = record.proposal_branch();
    let evidence = control
        .pull_for(&branch, &record_path)
        .await?
        .ok_or_else(|| refuse(format!("{shown}: no pull request from branch {branch}")))?;
    let number = evidence.facts.number;
    let candidates: Vec<String> = evidence
        .reviews
        .iter()
        .filter(|r| r.state == approval::ReviewState::Approved)
        .map(|r| r.login.clone())
        .collect();
    let maintainers = control.maintainers(&candidates).await?;
    let approved = match approval::decide(
        &evidence.facts,
        &branch,
        &evidence.reviews,
        &maintainers,
        flow.approval.required,
    ) {
        Ok(approved) => approved,
        Err(refusal) => {
            let held = Hold::new(
                &full_name,
                shown,
                text,
                &evidence,
                &refusal,
                flow.approval.required,
            );
            return hold(control, held).await;
        }
    };
    let approved_text = evidence.record_text.as_deref().ok_or_else(|| {
        refuse(format!(
            "{full_name}: pull request #{number} did not merge a record at {record_path}"
        ))
    })?;
    let approved_record = DecisionRecord::parse(
        approved_text,
        &format!("pull request #{number}: {record_path}"),
    )?;
    if approved_record.decided_part() != record.decided_part() {
        let what = if approved_record.source != record.source {
            format!(
                "it names {} (id {}) where pull request #{number} approved {} (id {})",
                record.source.full_name,
                record.source.id,
                approved_record.source.full_name,
                approved_record.source.id
            )
        } else {
            format!("it differs from what pull request #{number} approved")
        };
        return Err(refuse(format!(
            "{shown} was edited after approval: {what}; propose again"
        )));
    }
    let state = flow.store.load(record.source.id)?.ok_or_else(|| {
        refuse(format!(
            "{full_name}: no repository with id {} in {}",
            record.source.id,
            flow.store.root().display()
        ))
    })?;
    if state.full_name != full_name && !state.former_names.contains(&full_name) {
        return Err(refuse(format!(
            "{shown}: the state knows id {} as {}, not {full_name}",
            record.source.id, state.full_name
        )));
    }
    let mirror = state
        .mirror
        .as_ref()
        .filter(|m| m.fetched_at.is_some())
        .with_context(|| format!("{full_name}: keepopen never mirrored it"))?;
    let mirror = crate::archive::resolve(&flow.archive, &mirror.path)?;
    // The verdict must still be the one the maintainers approved. This evaluation is the one the publication
    // is made from: the refs it read are the refs pushed, and nothing is judged again on the way.
    let evaluation = evaluate(flow, &mirror, &full_name).await?;
    let now_verdict = &evaluation.verdict;
    if let Verdict::Forbidden { reasons } = &now_verdict {
        return Err(refuse(format!(
            "{full_name}: the verdict is now forbidden: {}",
            reasons.join("; ")
        )));
    }
    if VerdictKind::of(now_verdict) != record.verdict.kind {
        return Err(refuse(format!(
            "{full_name}: the verdict is now {}, not the {} pull request #{number} approved; propose again",
            now_verdict.name(),
            record.verdict.kind
        )));
    }
    let overrides = Overrides {
        verdict: (!now_verdict.is_allowed()).then(|| flow.approval_reason(&full_name)),
        ..Overrides::default()
    };
    let request = Request {
        record: state,
        mirror,
        policy: flow.policy.clone(),
        target: flow.target.clone(),
        overrides,
        now,
        evaluation: Some(Arc::new(evaluation)),
    };
    let publication = publish::republish(&flow.store, request, tokens).await?;
    record.status = RecordStatus::Published;
    record.publication = Some(PublicationInfo {
        target: publication.target.clone(),
        target_url: publication.target_url.clone(),
        notice_commit: publication.notice_commit.clone(),
        pushed: publication.refs.clone(),
        pull_request: number,
        approved_by: approved.approvers.clone(),
        at: now,
    });
    record.save(&flow.checkout.join(shown))?;
    control.record_written(shown, &record.to_yaml()).await?;
    Ok(ApplyOutcome::Published {
        target: publication.target,
        target_url: publication.target_url,
        pull_request: number,
        approved_by: approved.approvers,
    })
}

use crate::untrusted::markdown as md;

/// `[#3](url)`, or `#3 (url as code)` when the address is not plain.
fn pull_link(number: u64, url: &str) -> String {
    match md::link_target(url) {
        Some(url) => format!("[#{number}]({url})"),
        None => format!("#{number} ({})", md::code_cell(url)),
    }
}

/// The Markdown summary of a `propose` run, for `$GITHUB_STEP_SUMMARY` (pure).
pub fn propose_summary(lines: &[ProposeLine]) -> String {
    let mut out = String::from("## keepopen propose\n\n");
    if lines.is_empty() {
        out.push_str("No confirmed removal to propose.\n");
        return out;
    }
    out.push_str("| Repository | Verdict | Outcome |\n|---|---|---|\n");
    for l in lines {
        let outcome = match &l.outcome {
            ProposeOutcome::Opened { number, url } => format!("opened {}", pull_link(*number, url)),
            ProposeOutcome::Updated { number, url } => {
                format!("updated {}", pull_link(*number, url))
            }
            ProposeOutcome::Unchanged { number, url } => {
                format!("in {}, unchanged", pull_link(*number, url))
            }
            ProposeOutcome::Waiting { reason } => format!("waiting: {}", md::text(reason)),
            ProposeOutcome::Forbidden { reasons } => {
                format!("not proposed: {}", md::text(&reasons.join("; ")))
            }
            ProposeOutcome::Declined {
                number,
                url,
                closed_at,
            } => format!(
                "not proposed: {} ({})",
                // keepopen's own words: a number and a date.
                declined_reason(*number, *closed_at),
                pull_link(*number, url)
            ),
            ProposeOutcome::Skipped { reason } => format!("skipped: {}", md::text(reason)),
            ProposeOutcome::Failed { error } => format!("failed: {}", md::text(error)),
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            md::text(&l.repo),
            l.verdict.map_or("-", VerdictKind::as_str),
            outcome
        ));
    }
    out
}

/// Workflow annotations for a `propose` run: a warning for each NeedsReview proposal and each Forbidden
/// repository, an error for each failure (pure).
pub fn propose_annotations(lines: &[ProposeLine]) -> Vec<String> {
    let waiting: Vec<&ProposeLine> = lines
        .iter()
        .filter(|l| matches!(l.outcome, ProposeOutcome::Waiting { .. }))
        .collect();
    // One warning for everything writing stopped on, not one per repository.
    let stopped = waiting.first().map(|l| match &l.outcome {
        ProposeOutcome::Waiting { reason } => format!(
            "::warning title=keepopen: writing stopped::{} candidate(s) wait for the next run: {}",
            waiting.len(),
            annotation(reason)
        ),
        _ => String::new(),
    });
    stopped
        .into_iter()
        .chain(lines.iter().filter_map(|l| match &l.outcome {
            ProposeOutcome::Forbidden { reasons } => Some(format!(
                "::warning title=keepopen: forbidden::{} is not proposed: {}",
                l.repo,
                annotation(&reasons.join("; "))
            )),
            ProposeOutcome::Failed { error } => Some(format!(
                "::error title=keepopen: propose failed::{}: {}",
                l.repo,
                annotation(error)
            )),
            ProposeOutcome::Opened { number, .. }
            | ProposeOutcome::Updated { number, .. }
            | ProposeOutcome::Unchanged { number, .. }
                if l.verdict == Some(VerdictKind::NeedsReview) =>
            {
                Some(format!(
                    "::warning title=keepopen: needs review::{} (pull request #{number}) needs a maintainer's closer review",
                    l.repo
                ))
            }
            _ => None,
        }))
        .collect()
}

/// The Markdown summary of an `apply` run (pure).
pub fn apply_summary(lines: &[ApplyLine]) -> String {
    let mut out = String::from("## keepopen apply\n\n");
    if lines.is_empty() {
        out.push_str("Nothing to publish: every record is published or none is approved.\n");
        return out;
    }
    out.push_str("| Record | Repository | Outcome |\n|---|---|---|\n");
    for l in lines {
        let outcome = match &l.outcome {
            ApplyOutcome::Published {
                target,
                pull_request,
                approved_by,
                ..
            } => md::text(&format!(
                "published to {target} (pull request #{pull_request}, approved by {})",
                approved_by
                    .iter()
                    .map(|a| format!("@{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            ApplyOutcome::Refused { reason } => format!("refused: {}", md::text(reason)),
            ApplyOutcome::Waiting { reason, .. } => format!("waiting: {}", md::text(reason)),
            ApplyOutcome::Failed { error } => format!("failed: {}", md::text(error)),
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            md::code_cell(&l.record),
            md::text(l.repo.as_deref().unwrap_or("-")),
            outcome
        ));
    }
    out
}

/// Workflow annotations for an `apply` run: an error for each refusal or failure, a warning for each record
/// waiting for an approval (pure).
pub fn apply_annotations(lines: &[ApplyLine]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| match &l.outcome {
            ApplyOutcome::Refused { reason } => Some(format!(
                "::error title=keepopen: not published::{}",
                annotation(reason)
            )),
            ApplyOutcome::Waiting { reason, .. } => Some(format!(
                "::warning title=keepopen: waiting for approval::{}",
                annotation(reason)
            )),
            ApplyOutcome::Failed { error } => Some(format!(
                "::error title=keepopen: apply failed::{}: {}",
                l.record,
                annotation(error)
            )),
            ApplyOutcome::Published { .. } => None,
        })
        .collect()
}

/// Escape a workflow command's message (`%`, CR, LF).
fn annotation(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Evidence;

    fn record(tips: &[(&str, &str)], files: &[(&str, &str)], policy: &str) -> DecisionRecord {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let mut record = crate::record::tests::sample();
        record.mirror.tips = map(tips);
        record.evidence = Some(Evidence {
            policy: policy.into(),
            license_files: map(files),
        });
        record
    }

    #[test]
    fn a_decline_stands_while_the_tips_the_licence_files_and_the_policy_are_the_same() {
        let main = ("refs/heads/main", "a1a1a1a1a1a1a1a1");
        let license = ("LICENSE", "11111111111111111111");
        let declined = record(&[main], &[license], "p1p1p1p1p1p1p1p1");
        let mut reworded = declined.clone();
        reworded.notice_preview = "# Provenance, reworded\n".into();
        reworded.confirmed_at = Some(Utc::now());
        let mut other_repository = declined.clone();
        other_repository.source.id = 43;
        let mut older = declined.clone();
        older.evidence = None;
        let many: Vec<(String, String)> = (0..12)
            .map(|i| (format!("refs/tags/v{i:02}"), format!("{i:040}")))
            .collect();
        let many: Vec<(&str, &str)> = many
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([main])
            .collect();
        let cases: Vec<(&str, &DecisionRecord, DecisionRecord, Vec<&str>)> = vec![
            ("the same", &declined, declined.clone(), vec![]),
            ("only the notice and dates", &declined, reworded, vec![]),
            (
                "the licence file changed",
                &declined,
                record(
                    &[("refs/heads/main", "b2b2b2b2b2b2b2b2")],
                    &[("LICENSE", "22222222222222222222")],
                    "p1p1p1p1p1p1p1p1",
                ),
                vec![
                    "licence file LICENSE changed: 111111111111 → 222222222222",
                    "refs/heads/main changed: a1a1a1a1a1a1 → b2b2b2b2b2b2",
                ],
            ),
            (
                "a licence file added, one removed",
                &declined,
                record(
                    &[main],
                    &[("COPYING", "33333333333333")],
                    "p1p1p1p1p1p1p1p1",
                ),
                vec![
                    "licence file COPYING added: 333333333333",
                    "licence file LICENSE removed (was 111111111111)",
                ],
            ),
            (
                "the policy changed",
                &declined,
                record(&[main], &[license], "p2p2p2p2p2p2p2p2"),
                vec!["the policy's licence or safety rules changed: p1p1p1p1p1p1 → p2p2p2p2p2p2"],
            ),
            (
                "a tag added, a branch removed",
                &declined,
                record(
                    &[("refs/tags/v1", "c3c3c3c3c3c3c3c3")],
                    &[license],
                    "p1p1p1p1p1p1p1p1",
                ),
                vec![
                    "refs/heads/main removed (was a1a1a1a1a1a1)",
                    "refs/tags/v1 added: c3c3c3c3c3c3",
                ],
            ),
            (
                "a record without evidence: only the tips compare",
                &older,
                record(&[main], &[("LICENSE", "9999")], "p9"),
                vec![],
            ),
            (
                "another repository",
                &other_repository,
                declined.clone(),
                vec!["the declined record is of another repository (nhsuk/frontend, id 43)"],
            ),
        ];
        for (what, before, now, expected) in cases {
            assert_eq!(evidence_changes(before, &now), expected, "{what}");
        }
        let changes = evidence_changes(&declined, &record(&many, &[license], "p1p1p1p1p1p1p1p1"));
        assert_eq!(changes.len(), MAX_LISTED_REFS + 1, "{changes:?}");
        assert_eq!(changes.last().unwrap(), "and 2 more ref change(s)");
    }

    #[test]
    fn the_most_used_repositories_are_proposed_first() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().ok();
        let repo = |id: u64, stars: u64, forks: u64, pushed: &str| {
            let mut r = RepoRecord::new(id, &format!("o/r{id}"), Utc::now());
            r.stars = stars;
            r.forks = forks;
            r.pushed_at = at(pushed);
            r
        };
        let mut repos = [
            repo(1, 0, 0, "2020-01-01T00:00:00Z"),
            repo(2, 0, 0, "2025-01-01T00:00:00Z"),
            repo(3, 10, 5, "2019-01-01T00:00:00Z"),
            repo(4, 0, 20, "2019-01-01T00:00:00Z"),
            repo(5, 0, 0, "2020-01-01T00:00:00Z"),
        ];
        repos.sort_by(usage_order);
        let order: Vec<u64> = repos.iter().map(|r| r.id).collect();
        assert_eq!(order, [4, 3, 2, 1, 5]);
    }

    #[test]
    fn a_web_address_is_derived_from_the_api_address() {
        assert_eq!(web_url("https://api.github.com/"), "https://github.com");
        assert_eq!(web_url("https://ghe.nhs.uk/api/v3"), "https://ghe.nhs.uk");
        assert_eq!(web_url("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    }

    fn pull(number: u64) -> PullEvidence {
        PullEvidence {
            facts: approval::PullFacts {
                number,
                author: "keepopen-bot".into(),
                merged: true,
                head_branch: "keepopen/nhsuk/frontend".into(),
            },
            url: format!("https://github.com/o/c/pull/{number}"),
            reviews: vec![],
            record_text: None,
        }
    }

    #[test]
    fn a_hold_is_keyed_by_the_record_text_the_pull_request_and_the_reason() {
        let too_few = approval::ApprovalRefusal::TooFewApprovals {
            number: 1,
            required: 1,
            counted: 0,
            ignored: vec!["@mallory is not a maintainer".into()],
        };
        let path = "republications/nhsuk/frontend.yaml";
        let hold = |text: &str, number: u64, refusal: &approval::ApprovalRefusal| {
            Hold::new("nhsuk/frontend", path, text, &pull(number), refusal, 1)
        };
        let first = hold("a", 1, &too_few);
        assert_eq!(
            first,
            hold("a", 1, &too_few),
            "the same hold, the same marker"
        );
        let marker = first.marker.as_str();
        assert!(marker.starts_with("<!-- keepopen:held ") && marker.ends_with(" -->"));
        let changes = approval::ApprovalRefusal::ChangesRequested {
            number: 1,
            logins: vec!["alice".into()],
        };
        for (what, other) in [
            ("another record text", hold("b", 1, &too_few)),
            ("another pull request", hold("a", 2, &too_few)),
            ("another reason", hold("a", 1, &changes)),
        ] {
            assert_ne!(first.marker, other.marker, "{what}");
        }
        assert!(
            first.reason.contains("@mallory is not a maintainer")
                && first.reason.ends_with("(https://github.com/o/c/pull/1)"),
            "{}",
            first.reason
        );
        assert!(first.help.contains("approving review"), "{}", first.help);
        assert!(hold("a", 1, &changes).help.contains("@alice"));
        let comment = first.comment();
        assert!(comment.starts_with(first.marker.as_str()), "{comment}");
        assert!(
            comment.contains("@\u{200B}mallory is not a maintainer")
                && !comment.contains("@mallory"),
            "a login in a comment is no live mention: {comment}"
        );
        for needle in [
            "keepopen did not publish nhsuk/frontend",
            path,
            "To publish it: an approving review",
            "then run `apply` again",
            "does not comment again",
        ] {
            assert!(comment.contains(needle), "{needle:?} not in {comment}");
        }
    }

    #[test]
    fn a_waiting_record_is_a_warning_and_a_declined_repository_is_named_with_its_pull_request() {
        let lines = vec![ApplyLine {
            record: "republications/nhsuk/a.yaml".into(),
            repo: Some("nhsuk/a".into()),
            outcome: ApplyOutcome::Waiting {
                pull_request: 3,
                reason: "pull request #3 has 0 approval(s)".into(),
            },
        }];
        assert_eq!(
            apply_annotations(&lines),
            ["::warning title=keepopen: waiting for approval::pull request #3 has 0 approval(s)"]
        );
        assert!(apply_summary(&lines).contains("waiting: pull request \\#\u{200B}3"));
        let declined = vec![ProposeLine {
            repo: "nhsuk/a".into(),
            verdict: Some(VerdictKind::Allowed),
            outcome: ProposeOutcome::Declined {
                number: 7,
                url: "https://x/7".into(),
                closed_at: "2026-01-02T03:04:05Z".parse().ok(),
            },
        }];
        assert!(propose_annotations(&declined).is_empty());
        let summary = propose_summary(&declined);
        assert!(
            summary.contains(
                "not proposed: declined in pull request #7 on 2026-01-02; nothing it was decided from has changed; reopen it to take the decline back ([#7](https://x/7))"
            ),
            "{summary}"
        );
    }

    #[test]
    fn summaries_and_annotations_name_each_repository_and_escape_what_would_break_them() {
        let lines = vec![
            ProposeLine {
                repo: "nhsuk/a".into(),
                verdict: Some(VerdictKind::Allowed),
                outcome: ProposeOutcome::Opened {
                    number: 3,
                    url: "https://x/3".into(),
                },
            },
            ProposeLine {
                repo: "nhsuk/b".into(),
                verdict: Some(VerdictKind::NeedsReview),
                outcome: ProposeOutcome::Updated {
                    number: 4,
                    url: "https://x/4".into(),
                },
            },
            ProposeLine {
                repo: "nhsuk/c".into(),
                verdict: Some(VerdictKind::Forbidden),
                outcome: ProposeOutcome::Forbidden {
                    reasons: vec!["no licence | anywhere\n100%".into()],
                },
            },
        ];
        let summary = propose_summary(&lines);
        assert!(
            summary.contains("| nhsuk/a | allowed | opened [#3](https://x/3) |"),
            "{summary}"
        );
        assert!(
            summary
                .contains("| nhsuk/c | forbidden | not proposed: no licence \\| anywhere 100% |"),
            "{summary}"
        );
        let notes = propose_annotations(&lines);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0].starts_with("::warning") && notes[0].contains("nhsuk/b (pull request #4)")
        );
        assert!(
            notes[1].ends_with("no licence | anywhere%0A100%25"),
            "{}",
            notes[1]
        );

        let applied = vec![ApplyLine {
            record: "republications/nhsuk/a.yaml".into(),
            repo: Some("nhsuk/a".into()),
            outcome: ApplyOutcome::Refused {
                reason: "pull request #3 is not merged".into(),
            },
        }];
        assert!(
            apply_summary(&applied).contains("refused: pull request \\#\u{200B}3 is not merged")
        );
        assert_eq!(
            apply_annotations(&applied),
            ["::error title=keepopen: not published::pull request #3 is not merged"]
        );
        assert!(apply_summary(&[]).contains("Nothing to publish"));
    }
}
