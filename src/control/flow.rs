//! The approval flow over a [`ControlRepository`]: `propose` and `apply`.
//!
//! [`propose`]: for every confirmed removal in state not yet decided, read the mirror's licences, scan its
//! history, gate the verdict, and — for Allowed and NeedsReview — open (or update) its one proposal with the
//! decision record; Forbidden repositories are listed with their reasons. [`apply`]: for every record on the
//! base branch still `proposed`, verify that its pull request was merged and approved by enough maintainers and
//! that the record is the one it approved, check the verdict still holds, republish, and write the publication
//! into the record. A failure in one repository is recorded and the run goes on.
//!
//! Both read the records from the base branch of the control repository itself
//! ([`ControlRepository::base_records`]), never from the checkout: a stale or missing checkout cannot make a
//! merged record look undecided. What they write back (a publication, `restored`) goes into the checkout, to be
//! committed and pushed; so before writing a record the checkout's copy must be the base branch's, or the run is
//! refused with [`StaleCheckout`], naming the records and how to bring the checkout up to date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{BaseRecords, ControlRepository, Proposal, Proposed};
use crate::approval::{self, ApprovalConfig};
use crate::check::RepoCheck;
use crate::policy::Policy;
use crate::publish::{self, Overrides, PlanInputs, Refusal, Request, TargetConfig, TokenSource};
use crate::record::{DecisionRecord, PublicationInfo, RecordInputs, RecordStatus};
use crate::safety::{SafetyConfig, SafetyReport};
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

/// A mirror read for a decision.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The licence engine's result; `decision` holds the verdict after the safety gate.
    pub check: RepoCheck,
    pub safety: SafetyReport,
    pub verdict: Verdict,
    pub refs: publish::git::MirrorRefs,
    /// The matched lines of each licence file, by file.
    pub texts: BTreeMap<String, String>,
}

/// Read the licences and scan the history of `mirror` (blocking).
pub fn evaluate_blocking(
    mirror: &Path,
    full_name: &str,
    policy: &Policy,
    safety: &SafetyConfig,
    cache: Option<&crate::check::ScanCache>,
) -> anyhow::Result<Evaluation> {
    let detector = crate::license::detect::Detector::embedded();
    let (check, report, verdict) =
        crate::check::judge_republication(mirror, full_name, &detector, policy, safety, cache)?;
    let refs = publish::git::mirror_refs(mirror)?;
    let texts = matched_texts(mirror, &check);
    Ok(Evaluation {
        check,
        safety: report,
        verdict,
        refs,
        texts,
    })
}

/// The matched lines of each licence file found by text, read at the checked commit. Unreadable files are
/// left out (the table still names them).
fn matched_texts(mirror: &Path, check: &RepoCheck) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(commit) = check.commit.as_deref() else {
        return out;
    };
    let Ok(repo) = git2::Repository::open_bare(mirror) else {
        return out;
    };
    let tree = git2::Oid::from_str(commit)
        .and_then(|id| repo.find_commit(id))
        .and_then(|c| c.tree());
    let Ok(tree) = tree else { return out };
    for f in &check.findings {
        if out.contains_key(&f.file) {
            continue;
        }
        let blob = tree
            .get_path(Path::new(&f.file))
            .and_then(|e| repo.find_blob(e.id()));
        if let Ok(blob) = blob
            && !blob.is_binary()
        {
            let text = String::from_utf8_lossy(blob.content());
            let (first, last) = f.lines;
            let lines: Vec<&str> = text
                .lines()
                .skip(first.saturating_sub(1))
                .take(last.saturating_sub(first) + 1)
                .collect();
            out.insert(f.file.clone(), lines.join("\n"));
        }
    }
    out
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
    /// No proposal: the verdict forbids it.
    Forbidden {
        reasons: Vec<String>,
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
    pub verdict: Option<String>,
    #[serde(flatten)]
    pub outcome: ProposeOutcome,
}

/// Propose every confirmed removal not yet decided.
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
    for repo in records.iter().filter(|r| r.status == Status::Removed) {
        let line = |verdict: Option<String>, outcome| ProposeLine {
            repo: repo.full_name.clone(),
            verdict,
            outcome,
        };
        if !repo.publications.is_empty() {
            lines.push(line(
                None,
                ProposeOutcome::Skipped {
                    reason: "already published".into(),
                },
            ));
            continue;
        }
        let decided = crate::record::repo_path(&flow.approval.records, &repo.full_name);
        if base.records.contains_key(&decided) {
            lines.push(line(
                None,
                ProposeOutcome::Skipped {
                    reason: format!("already decided: {decided} is on {}", base.source),
                },
            ));
            continue;
        }
        match propose_one(flow, control, repo, &published).await {
            Ok((verdict, outcome)) => lines.push(line(Some(verdict), outcome)),
            Err(e) => lines.push(line(
                None,
                ProposeOutcome::Failed {
                    error: format!("{e:#}"),
                },
            )),
        }
    }
    Ok(lines)
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

async fn propose_one<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    repo: &RepoRecord,
    published: &[(String, u64, String)],
) -> anyhow::Result<(String, ProposeOutcome)> {
    let mirror = repo
        .mirror
        .as_ref()
        .filter(|m| m.fetched_at.is_some())
        .with_context(|| format!("{}: keepopen never mirrored it", repo.full_name))?;
    let mirror = crate::archive::resolve(&flow.archive, &mirror.path)?;
    let evaluation = {
        let (mirror, name, policy, safety) = (
            mirror.clone(),
            repo.full_name.clone(),
            flow.policy.clone(),
            flow.safety.clone(),
        );
        let cache = flow.scan_cache();
        tokio::task::spawn_blocking(move || {
            evaluate_blocking(&mirror, &name, &policy, &safety, Some(&cache))
        })
        .await
        .context("the evaluation task panicked")??
    };
    let kind = evaluation.verdict.name().to_owned();
    if let Verdict::Forbidden { reasons } = &evaluation.verdict {
        return Ok((
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
        check: &evaluation.check,
        mirror_refs: &evaluation.refs.refs,
        mirror_head: evaluation.refs.head_branch.as_deref(),
        target: &flow.target,
        overrides: &overrides,
        published,
    }) {
        Ok(plan) => plan,
        Err(refusal) => {
            return Ok((
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
    });
    let branch = crate::proposal::branch_name(&repo.full_name);
    let proposal = Proposal {
        title: crate::proposal::title(&record),
        body: crate::proposal::body(&record, &evaluation.check.findings, &evaluation.texts),
        labels: crate::proposal::labels(&record, &flow.approval.labels),
        record_path: crate::record::repo_path(&flow.approval.records, &repo.full_name),
        record_yaml: record.to_yaml(),
        message: format!(
            "Propose the republication of {} ({})",
            repo.full_name, record.verdict.kind
        ),
        branch,
    };
    let outcome = match control.propose(&proposal).await? {
        Proposed::Opened { number, url } => ProposeOutcome::Opened { number, url },
        Proposed::Updated { number, url } => ProposeOutcome::Updated { number, url },
    };
    Ok((kind, outcome))
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
    /// Not published, and why (approval, a changed record or verdict, a publication refusal).
    Refused {
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
                pending.push((path.as_str(), record));
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
        &pending.iter().map(|(path, _)| *path).collect::<Vec<_>>(),
    )?;
    for (path, record) in pending {
        let outcome =
            match apply_one(flow, control, path, record.clone(), tokens.clone(), now).await {
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

/// Verify and publish the record at `shown` (its path on the base branch, which is its path in the checkout).
async fn apply_one<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    shown: &str,
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
    let branch = crate::proposal::branch_name(&full_name);
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
    let approved = approval::decide(
        &evidence.facts,
        &branch,
        &evidence.reviews,
        &maintainers,
        flow.approval.required,
    )
    .map_err(|e| refuse(format!("{full_name}: {e} ({})", evidence.url)))?;
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
    // The verdict must still be the one the maintainers approved.
    let now_verdict = {
        let (mirror, name, policy, safety) = (
            mirror.clone(),
            full_name.clone(),
            flow.policy.clone(),
            flow.safety.clone(),
        );
        let cache = flow.scan_cache();
        tokio::task::spawn_blocking(move || {
            evaluate_blocking(&mirror, &name, &policy, &safety, Some(&cache))
        })
        .await
        .context("the evaluation task panicked")??
        .verdict
    };
    if let Verdict::Forbidden { reasons } = &now_verdict {
        return Err(refuse(format!(
            "{full_name}: the verdict is now forbidden: {}",
            reasons.join("; ")
        )));
    }
    if now_verdict.name() != record.verdict.kind {
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

fn md(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
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
            ProposeOutcome::Opened { number, url } => format!("opened [#{number}]({url})"),
            ProposeOutcome::Updated { number, url } => format!("updated [#{number}]({url})"),
            ProposeOutcome::Forbidden { reasons } => {
                format!("not proposed: {}", reasons.join("; "))
            }
            ProposeOutcome::Skipped { reason } => format!("skipped: {reason}"),
            ProposeOutcome::Failed { error } => format!("failed: {error}"),
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            md(&l.repo),
            l.verdict.as_deref().unwrap_or("-"),
            md(&outcome)
        ));
    }
    out
}

/// Workflow annotations for a `propose` run: a warning for each NeedsReview proposal and each Forbidden
/// repository, an error for each failure (pure).
pub fn propose_annotations(lines: &[ProposeLine]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| match &l.outcome {
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
            ProposeOutcome::Opened { number, .. } | ProposeOutcome::Updated { number, .. }
                if l.verdict.as_deref() == Some("needs-review") =>
            {
                Some(format!(
                    "::warning title=keepopen: needs review::{} (pull request #{number}) needs a maintainer's closer review",
                    l.repo
                ))
            }
            _ => None,
        })
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
            } => format!(
                "published to {target} (pull request #{pull_request}, approved by {})",
                approved_by
                    .iter()
                    .map(|a| format!("@{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ApplyOutcome::Refused { reason } => format!("refused: {reason}"),
            ApplyOutcome::Failed { error } => format!("failed: {error}"),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            md(&l.record),
            md(l.repo.as_deref().unwrap_or("-")),
            md(&outcome)
        ));
    }
    out
}

/// Workflow annotations for an `apply` run: an error for each refusal or failure (pure).
pub fn apply_annotations(lines: &[ApplyLine]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| match &l.outcome {
            ApplyOutcome::Refused { reason } => Some(format!(
                "::error title=keepopen: not published::{}",
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

    #[test]
    fn summaries_and_annotations_name_each_repository_and_escape_what_would_break_them() {
        let lines = vec![
            ProposeLine {
                repo: "nhsuk/a".into(),
                verdict: Some("allowed".into()),
                outcome: ProposeOutcome::Opened {
                    number: 3,
                    url: "https://x/3".into(),
                },
            },
            ProposeLine {
                repo: "nhsuk/b".into(),
                verdict: Some("needs-review".into()),
                outcome: ProposeOutcome::Updated {
                    number: 4,
                    url: "https://x/4".into(),
                },
            },
            ProposeLine {
                repo: "nhsuk/c".into(),
                verdict: Some("forbidden".into()),
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
        assert!(apply_summary(&applied).contains("refused: pull request #3 is not merged"));
        assert_eq!(
            apply_annotations(&applied),
            ["::error title=keepopen: not published::pull request #3 is not merged"]
        );
        assert!(apply_summary(&[]).contains("Nothing to publish"));
    }
}
