//! `apply`: every record on the base branch still `proposed`, verified against its approved pull request,
//! evaluated once, published from that evaluation, and the publication written back into the record.

use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::hold::{Hold, hold};
use super::{Flow, check_checkout, evaluate};
use crate::approval;
use crate::control::{BaseRecords, ControlRepository};
use crate::publish::{self, Overrides, Refusal, Request, TokenSource};
use crate::record::{DecisionRecord, PublicationInfo, RecordStatus, VerdictKind};
use crate::verdict::Verdict;

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
    let (pending, mut lines) = pending_records(&base);
    // Publications are written into the checkout: it must hold these records as the base branch does, or
    // nothing is published.
    check_checkout(
        flow,
        &base,
        &pending.iter().map(|(path, _, _)| *path).collect::<Vec<_>>(),
    )?;
    for (path, text, record) in pending {
        let applied = apply_one(
            flow,
            control,
            path,
            text,
            record.clone(),
            tokens.clone(),
            now,
        );
        let outcome = applied.await.unwrap_or_else(refused_or_failed);
        lines.push(ApplyLine {
            record: path.to_owned(),
            repo: Some(record.source.full_name.clone()),
            outcome,
        });
    }
    Ok(lines)
}

/// The records on the base branch still to publish (`proposed`, no publication yet), each with its path and text;
/// a record that does not parse is a failed line.
fn pending_records(base: &BaseRecords) -> (Vec<(&str, &str, DecisionRecord)>, Vec<ApplyLine>) {
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
    (pending, lines)
}

/// An error of `apply_one` as an outcome: a refusal of `apply` or of the publication is `Refused`, with its
/// reason; anything else `Failed`.
fn refused_or_failed(e: anyhow::Error) -> ApplyOutcome {
    match e.downcast_ref::<ApplyRefusal>() {
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
    }
}

pub(super) fn refuse(message: String) -> anyhow::Error {
    ApplyRefusal(message).into()
}

/// Verify and publish the record at `shown` (its path on the base branch, which is its path in the checkout),
/// whose text there is `text`: approved as it stands, the repository known and mirrored, the verdict unchanged.
async fn apply_one<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    shown: &str,
    text: &str,
    record: DecisionRecord,
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
    let (number, approved) = match verified_approval(flow, control, shown, text, &record).await? {
        Verified::Approved(number, approved) => (number, approved),
        Verified::Held(outcome) => return Ok(outcome),
    };
    let (state, mirror) = state_and_mirror(flow, shown, &record)?;
    // The verdict must still be the one the maintainers approved. This evaluation is the one the publication
    // is made from: the refs it read are the refs pushed, and nothing is judged again on the way.
    let evaluation = evaluate(flow, &mirror, &full_name).await?;
    refuse_changed_verdict(&record, &evaluation.verdict, number)?;
    let overrides = Overrides {
        verdict: (!evaluation.verdict.is_allowed()).then(|| flow.approval_reason(&full_name)),
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
    let info = PublicationInfo {
        target: publication.target.clone(),
        target_url: publication.target_url.clone(),
        notice_commit: publication.notice_commit.clone(),
        pushed: publication.refs.clone(),
        pull_request: number,
        approved_by: approved.approvers.clone(),
        at: now,
    };
    write_published(flow, control, shown, record, info).await?;
    Ok(ApplyOutcome::Published {
        target: publication.target,
        target_url: publication.target_url,
        pull_request: number,
        approved_by: approved.approvers,
    })
}

/// What [`verified_approval`] found: the pull request's number and its approval, or the record held (the
/// outcome [`hold`] gave).
enum Verified {
    Approved(u64, approval::Approval),
    Held(ApplyOutcome),
}

/// The approval that counts for this record: that of the pull request from its own branch, or the batch's it was
/// proposed in, for this record alone; and the record must be what that pull request merged. Not approved, the
/// record is held ([`hold`]); edited since, refused.
async fn verified_approval<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    shown: &str,
    text: &str,
    record: &DecisionRecord,
) -> anyhow::Result<Verified> {
    let full_name = &record.source.full_name;
    let branch = record.proposal_branch();
    let evidence = control
        .pull_for(&branch, shown)
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
            let required = flow.approval.required;
            let held = Hold::new(full_name, shown, text, &evidence, &refusal, required);
            return Ok(Verified::Held(hold(control, held).await?));
        }
    };
    let approved_text = evidence.record_text.as_deref().ok_or_else(|| {
        refuse(format!(
            "{full_name}: pull request #{number} did not merge a record at {shown}"
        ))
    })?;
    let approved_record =
        DecisionRecord::parse(approved_text, &format!("pull request #{number}: {shown}"))?;
    refuse_edited_after_approval(shown, record, &approved_record, number)?;
    Ok(Verified::Approved(number, approved))
}

/// Refuse a record whose decided part differs from what pull request `number` approved (`approved`).
fn refuse_edited_after_approval(
    shown: &str,
    record: &DecisionRecord,
    approved: &DecisionRecord,
    number: u64,
) -> anyhow::Result<()> {
    if approved.decided_part() == record.decided_part() {
        return Ok(());
    }
    let what = if approved.source != record.source {
        format!(
            "it names {} (id {}) where pull request #{number} approved {} (id {})",
            record.source.full_name,
            record.source.id,
            approved.source.full_name,
            approved.source.id
        )
    } else {
        format!("it differs from what pull request #{number} approved")
    };
    Err(refuse(format!(
        "{shown} was edited after approval: {what}; propose again"
    )))
}

/// The state's record of the repository the decision names (by id, under this name or a former one) and its
/// mirror's path; refused when the state does not know it so, an error when it was never mirrored.
fn state_and_mirror(
    flow: &Flow,
    shown: &str,
    record: &DecisionRecord,
) -> anyhow::Result<(crate::state::RepoRecord, std::path::PathBuf)> {
    let full_name = &record.source.full_name;
    let state = flow.store.load(record.source.id)?.ok_or_else(|| {
        refuse(format!(
            "{full_name}: no repository with id {} in {}",
            record.source.id,
            flow.store.root().display()
        ))
    })?;
    if state.full_name != *full_name && !state.former_names.contains(full_name) {
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
    Ok((state, mirror))
}

/// Refuse when the verdict now (`now`) is forbidden, or of another kind than pull request `number` approved.
fn refuse_changed_verdict(
    record: &DecisionRecord,
    now: &Verdict,
    number: u64,
) -> anyhow::Result<()> {
    let full_name = &record.source.full_name;
    if let Verdict::Forbidden { reasons } = now {
        return Err(refuse(format!(
            "{full_name}: the verdict is now forbidden: {}",
            reasons.join("; ")
        )));
    }
    if VerdictKind::of(now) != record.verdict.kind {
        return Err(refuse(format!(
            "{full_name}: the verdict is now {}, not the {} pull request #{number} approved; propose again",
            now.name(),
            record.verdict.kind
        )));
    }
    Ok(())
}

/// Write the publication into the record, `published`, in the checkout and through the control repository.
async fn write_published<C: ControlRepository>(
    flow: &Flow,
    control: &C,
    shown: &str,
    mut record: DecisionRecord,
    info: PublicationInfo,
) -> anyhow::Result<()> {
    record.status = RecordStatus::Published;
    record.publication = Some(info);
    record.save(&flow.checkout.join(shown))?;
    control.record_written(shown, &record.to_yaml()).await?;
    Ok(())
}
