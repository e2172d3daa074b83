//! `propose`: every confirmed removal not yet decided, evaluated once, routed to its own proposal, an open batch
//! or a new batch, and sent; a decline stands while its evidence is the same ([`super::decline`]).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::decline::after_decline;
use super::{Flow, check_checkout, evaluate};
use crate::control::{BaseRecords, Batch, ControlRepository, Proposal, Proposed, PullState};
use crate::publish::{self, Overrides, PlanInputs};
use crate::record::{DecisionRecord, RecordInputs, RecordStatus, VerdictKind};
use crate::state::{RepoRecord, Status};
use crate::verdict::Verdict;

/// What `propose` did for one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum ProposeOutcome {
    /// Not proposed this run, and not a failure: writing stopped (GitHub limited writes, or the run's write
    /// budget is spent). The next run resumes, completing a proposal left half made.
    Waiting { reason: String },
    /// No proposal: the verdict forbids it.
    Forbidden { reasons: Vec<String> },
    /// No proposal: the maintainers closed pull request `number` without merging it, and what it was decided
    /// from has not changed since. Reopening it takes the decline back.
    Declined {
        number: u64,
        url: String,
        closed_at: Option<DateTime<Utc>>,
    },
    /// Nothing to do, and why.
    Skipped { reason: String },
    /// Not proposed for another reason (refused by the plan, or an error), named.
    Failed { error: String },
    /// Sent to the control repository: opened, brought up to date, or already saying all of it (then nothing
    /// was written). Serialised as the [`Proposed`] it holds, so the JSON is one flat object as for the others.
    #[serde(untagged)]
    Proposed(Proposed),
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
    // What is decided is what the control repository's base branch holds, not what a checkout shows.
    let base = control.base_records(&flow.approval.records).await?;
    let mut lines = mark_all_restored(flow, control, &base, &records).await;
    let batches = control.batches(&flow.approval.records).await?;
    let (candidates, skipped) = candidates(flow, &base, &records);
    lines.extend(skipped);
    let published = published_names(&records);
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
    let mut units = plan_units(flow, ready, &batches, &names);
    units.sort_by_key(|u| u.rank);
    lines.extend(send_units(control, units).await);
    Ok(lines)
}

/// Every published repository's name, id and target name, for the plan's name-collision check.
fn published_names(records: &[RepoRecord]) -> Vec<(String, u64, String)> {
    records
        .iter()
        .flat_map(|r| {
            r.publications
                .iter()
                .map(|p| (r.full_name.clone(), r.id, p.name.clone()))
        })
        .collect()
}

/// An original that came back gets no pull request; a decision record about it says `restored`. One line for each
/// record marked now (or that could not be).
async fn mark_all_restored<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    base: &BaseRecords,
    records: &[RepoRecord],
) -> Vec<ProposeLine> {
    let mut lines = Vec::new();
    for repo in records.iter().filter(|r| r.status == Status::Restored) {
        let record_path = record_path(flow, &repo.full_name);
        let Some(text) = base.records.get(&record_path) else {
            continue;
        };
        let outcome = match mark_restored(flow, control, base, &record_path, text).await {
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
    lines
}

/// The confirmed removals still to decide, in [`usage_order`], and a skipped line for each one already published
/// or already decided on the base branch.
fn candidates<'r>(
    flow: &Flow,
    base: &BaseRecords,
    records: &'r [RepoRecord],
) -> (Vec<&'r RepoRecord>, Vec<ProposeLine>) {
    let mut candidates: Vec<&RepoRecord> = Vec::new();
    let mut lines = Vec::new();
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
        let decided = record_path(flow, &repo.full_name);
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
    (candidates, lines)
}

/// Send each unit, most used first. Once writing stops (a rate limit, the write budget), every unit not yet sent
/// is [`ProposeOutcome::Waiting`]; another failure is that unit's alone.
async fn send_units<C: ControlRepository>(control: &C, units: Vec<Unit>) -> Vec<ProposeLine> {
    let mut lines = Vec::new();
    let mut stopped: Option<String> = None;
    for unit in units {
        let outcome = match &stopped {
            Some(reason) => Err(reason.clone()),
            None => match control.propose(&unit.proposal).await {
                Ok(proposed) => Ok(ProposeOutcome::Proposed(proposed)),
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
    lines
}

/// The proposals to send (pure): each candidate in its own, in the open batch that holds it, or, from the pool,
/// in new batches of its group.
fn plan_units(
    flow: &Flow,
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
        units.push(open_batch_unit(flow, &branch, members, batches, names));
    }
    for ((owner, class), members) in pool {
        units.extend(new_batch_units(flow, (&owner, &class), members, batches));
    }
    units
}

/// The open (or half-made) batch on `branch` with its `members` now: every repository it ever held is named in
/// its marker, and those a maintainer took out of the branch are said so.
fn open_batch_unit(
    flow: &Flow,
    branch: &str,
    members: Vec<Ready>,
    batches: &[Batch],
    names: &BTreeMap<u64, String>,
) -> Unit {
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
    batch_unit(flow, branch, members, &ids, &taken_out)
}

/// New batches of one group from the pool, `batch-size` at a time in usage order, numbered after every batch of
/// the group there ever was; a lone member left over is proposed on its own.
fn new_batch_units(
    flow: &Flow,
    (owner, class): (&str, &str),
    mut members: Vec<Ready>,
    batches: &[Batch],
) -> Vec<Unit> {
    let mut units = Vec::new();
    let prefix = crate::proposal::batch_branch(owner, class, 0);
    let prefix = prefix.trim_end_matches('0');
    let mut next = batches
        .iter()
        .filter_map(|b| b.branch.strip_prefix(prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    let size = flow.approval.batch_size.max(1);
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
        let branch = crate::proposal::batch_branch(owner, class, next);
        let ids = chunk.iter().map(|m| m.id).collect();
        units.push(batch_unit(flow, &branch, chunk, &ids, &[]));
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
        let link = flow.record_link(branch, &path);
        rows.push(crate::proposal::BatchRow { path, link, record });
    }
    let (owner, class) = members
        .first()
        .map(|m| crate::proposal::batch_group(&m.record, &flow.policy))
        .unwrap_or_default();
    let body = crate::proposal::batch_body(ids, &rows, taken_out);
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

/// Evaluate one candidate, build its decision record and body, and route it ([`route`]).
async fn prepare<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    repo: &RepoRecord,
    published: &[(String, u64, String)],
    batches: &[Batch],
    rank: usize,
) -> anyhow::Result<Prepared> {
    let (kind, record, body) = match decide(flow, repo, published).await? {
        Decided::Record(kind, record, body) => (kind, *record, body),
        Decided::Done(prepared) => return Ok(prepared),
    };
    let route = match route(flow, control, repo, &record, batches).await? {
        Ok(route) => route,
        Err(declined) => return Ok(Prepared::Done(kind, declined)),
    };
    Ok(Prepared::Ready(Box::new(Ready {
        rank,
        full_name: repo.full_name.clone(),
        id: repo.id,
        kind,
        record,
        body,
        route,
    })))
}

/// What [`decide`] made of a candidate: its verdict, decision record and proposal body, or settled already.
enum Decided {
    Record(VerdictKind, Box<DecisionRecord>, String),
    Done(Prepared),
}

/// Evaluate the candidate's mirror and plan its publication: forbidden, or refused by the plan, it is settled
/// here; otherwise its decision record and the body of its own proposal.
async fn decide(
    flow: &Flow,
    repo: &RepoRecord,
    published: &[(String, u64, String)],
) -> anyhow::Result<Decided> {
    let mirror = repo
        .mirror
        .as_ref()
        .filter(|m| m.fetched_at.is_some())
        .with_context(|| format!("{}: keepopen never mirrored it", repo.full_name))?;
    let mirror = crate::archive::resolve(&flow.archive, &mirror.path)?;
    let evaluation = evaluate(flow, &mirror, &repo.full_name).await?;
    let kind = VerdictKind::of(&evaluation.verdict);
    if let Verdict::Forbidden { reasons } = &evaluation.verdict {
        let reasons = reasons.clone();
        let outcome = ProposeOutcome::Forbidden { reasons };
        return Ok(Decided::Done(Prepared::Done(kind, outcome)));
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
            let error = refusal.to_string();
            let outcome = ProposeOutcome::Failed { error };
            return Ok(Decided::Done(Prepared::Done(kind, outcome)));
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
    let body = crate::proposal::body(&record, &evaluation.check.findings, &evaluation.texts);
    Ok(Decided::Record(kind, Box::new(record), body))
}

/// Where a candidate with this `record` goes, or (`Err`) the decline that still stands for it. In order: the open
/// batch that holds it, its own proposal's state, a batch declined with it, taken out of a batch, the pool.
async fn route<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    repo: &RepoRecord,
    record: &DecisionRecord,
    batches: &[Batch],
) -> anyhow::Result<Result<Route, ProposeOutcome>> {
    let path = record_path(flow, &repo.full_name);
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
        return Ok(Ok(Route::Batch(batch.branch.clone())));
    }
    if let Some(routed) = route_by_own_proposal(control, repo, record, &path).await? {
        return Ok(routed);
    }
    if let Some(routed) = route_by_declined_batch(control, record, &path, batches).await? {
        return Ok(routed);
    }
    // Taken out of a batch by a maintainer: on its own from now on.
    if batches.iter().any(|b| {
        b.pull
            .as_ref()
            .is_some_and(|p| p.members.contains(&repo.id))
    }) {
        return Ok(Ok(Route::Single(None)));
    }
    if flow.approval.batch_size > 1 && batchable {
        return Ok(Ok(Route::Pool));
    }
    Ok(Ok(Route::Single(None)))
}

/// Its own proposal: open, it is updated; closed without merging, it is a decline that stands while the evidence
/// is the same. `None` when it has none (or it was merged).
async fn route_by_own_proposal<C: ControlRepository>(
    control: &C,
    repo: &RepoRecord,
    record: &DecisionRecord,
    path: &str,
) -> anyhow::Result<Option<Result<Route, ProposeOutcome>>> {
    let branch = crate::proposal::branch_name(&repo.full_name);
    let Some(latest) = control.latest_proposal(&branch, path).await? else {
        return Ok(None);
    };
    Ok(match latest.state {
        PullState::Open => {
            // Made after a decline: its body keeps saying what changed since.
            let note = latest
                .declined_before
                .and_then(|(number, text)| after_decline(number, text.as_deref(), record, path));
            Some(Ok(Route::Single(note)))
        }
        PullState::Closed => Some(
            match after_decline(latest.number, latest.record_text.as_deref(), record, path) {
                None => Err(ProposeOutcome::Declined {
                    number: latest.number,
                    url: latest.url,
                    closed_at: latest.closed_at,
                }),
                Some(note) => Ok(Route::Single(Some(note))),
            },
        ),
        PullState::Merged => None,
    })
}

/// A batch closed without merging declined each record in it, each on its own evidence: the latest such batch
/// holding this record decides. `None` when no declined batch held it.
async fn route_by_declined_batch<C: ControlRepository>(
    control: &C,
    record: &DecisionRecord,
    path: &str,
    batches: &[Batch],
) -> anyhow::Result<Option<Result<Route, ProposeOutcome>>> {
    for batch in batches.iter().rev() {
        let (Some(pull), Some(head)) = (&batch.pull, &batch.head) else {
            continue;
        };
        if pull.state != PullState::Closed || !batch.records.contains_key(path) {
            continue;
        }
        let text = control.record_at(head, path).await?;
        return Ok(Some(
            match after_decline(pull.number, text.as_deref(), record, path) {
                None => Err(ProposeOutcome::Declined {
                    number: pull.number,
                    url: pull.url.clone(),
                    closed_at: pull.closed_at,
                }),
                Some(note) => Ok(Route::Single(Some(note))),
            },
        ));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_proposal_sent_serialises_as_one_flat_line_as_before_the_outcomes_were_one_type() {
        let line = |outcome| ProposeLine {
            repo: "o/a".into(),
            verdict: Some(VerdictKind::Allowed),
            outcome,
        };
        let json = |outcome| serde_json::to_value(line(outcome)).unwrap();
        let sent = |p| json(ProposeOutcome::Proposed(p));
        let (number, url) = (3, "https://github.com/c/r/pull/3".to_owned());
        for (proposed, kind) in [
            (
                Proposed::Opened {
                    number,
                    url: url.clone(),
                },
                "opened",
            ),
            (
                Proposed::Updated {
                    number,
                    url: url.clone(),
                },
                "updated",
            ),
            (
                Proposed::Unchanged {
                    number,
                    url: url.clone(),
                },
                "unchanged",
            ),
        ] {
            assert_eq!(
                sent(proposed),
                serde_json::json!({"repo": "o/a", "verdict": "allowed", "outcome": kind, "number": 3, "url": url})
            );
        }
        assert_eq!(
            json(ProposeOutcome::Waiting {
                reason: "budget".into()
            }),
            serde_json::json!({"repo": "o/a", "verdict": "allowed", "outcome": "waiting", "reason": "budget"})
        );
    }
}
