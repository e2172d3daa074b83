//! `keepopen demo`: the whole pipeline, offline, on a small organisation built on the spot.
//!
//! A newcomer sees keepopen work before they have a token. The demo builds an organisation of real git
//! repositories (a local forge, `monitor::local`) with licences that deserve different outcomes, writes a policy
//! that watches it, and then runs the production stages one after the other: monitor (which mirrors everything),
//! the removal of some repositories, monitor again until the removals are confirmed, the licence check and the
//! sensitive-content scan of each confirmed removal, and republication to a local target forge. It returns
//! what each step did and what happened to each repository, as data; the CLI (`cli::demo`) renders it.
//!
//! The steps are listed in [`STEPS`]. After the licence check the demo goes through the approval flow exactly as
//! `keepopen propose`, `keepopen review --approve`, `keepopen merge` and `keepopen apply` do on the local control
//! forge: [`flow::propose`] reads the licences, scans the history and opens one proposal per allowed or
//! needs-review repository; the demo's maintainer ([`MAINTAINER`]) approves and merges the allowed ones only; and
//! [`flow::apply`] verifies each merged record's approval and republishes it (`publish::republish`, with its own
//! sensitive-content gate). A needs-review proposal stays open, awaiting a person.

mod organisation;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

pub use self::organisation::{DemoRepository, build_organisation, commit_files, organisation};
use crate::approval::{ApprovalConfig, ReviewState};
use crate::archive::Archive;
use crate::check::RepoCheck;
use crate::control::flow::{
    self, ApplyLine, ApplyOutcome, Flow, ProposeLine, ProposeOutcome, Proposed,
};
use crate::control::local::{LocalControl, PullState};
use crate::monitor::{self, Monitor, MonitorConfig, Shard};
use crate::policy::Policy;
use crate::record::{DecisionRecord, VerdictKind, VerdictRecord};
use crate::state::{RepoRecord, Status, Store};

/// The organisation the demo builds.
pub const ORGANISATION: &str = "nhs-demo";

/// The maintainer of the demo's control forge, who approves and merges the allowed proposals.
pub const MAINTAINER: &str = "demo-maintainer";

/// The demo's steps, in order. Each is a production stage.
pub const STEPS: [Step; 9] = [
    Step::Build,
    Step::FirstScan,
    Step::Remove,
    Step::Confirm,
    Step::Check,
    Step::Propose,
    Step::Approve,
    Step::Apply,
    Step::Report,
];

/// One step of the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// Build the organisation: bare repositories written with git2.
    Build,
    /// `keepopen monitor`: list the organisation, mirror every repository.
    FirstScan,
    /// Delete some repositories from the forge, as an organisation deleting or hiding them would.
    Remove,
    /// `keepopen monitor` until every removal is confirmed (`removal.confirmations` scans, `min-gap` apart).
    Confirm,
    /// `keepopen check`: licences from git objects and the verdict, for each confirmed removal.
    Check,
    /// `keepopen propose`: licences, the history scan (secrets and personal data make a verdict needs-review)
    /// and one proposal with its decision record per allowed or needs-review repository.
    Propose,
    /// `keepopen review --approve` and `keepopen merge` by the maintainer, for the allowed proposals.
    Approve,
    /// `keepopen apply`: verify each merged record's approval, republish with the provenance notice, and write
    /// the publication back into the record.
    Apply,
    /// `keepopen report --html`: the status page.
    Report,
}

impl Step {
    pub fn title(self) -> &'static str {
        match self {
            Step::Build => "build the organisation",
            Step::FirstScan => "monitor: first scan",
            Step::Remove => "remove repositories",
            Step::Confirm => "monitor: confirm removals",
            Step::Check => "check licences",
            Step::Propose => "propose (history scan included)",
            Step::Approve => "approve and merge",
            Step::Apply => "apply: republish",
            Step::Report => "status page",
        }
    }
}

/// What one step did: the facts, which the CLI puts into words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "step")]
pub enum StepDone {
    Build {
        repositories: usize,
        organisation: PathBuf,
    },
    FirstScan {
        seen: u64,
        new: u64,
        mirrored: u64,
    },
    Remove {
        removed: usize,
        of: usize,
    },
    Confirm {
        scans: u32,
        confirmed: u64,
    },
    Check {
        checked: usize,
    },
    Propose {
        proposals: usize,
        allowed: usize,
        needs_review: usize,
        forbidden: usize,
    },
    Approve {
        merged: usize,
        /// The batches among them: (proposal number, how many repositories it holds).
        batches: Vec<(u64, usize)>,
        awaiting: usize,
    },
    Apply {
        published: usize,
    },
    /// The status page, written to `site` when asked for.
    Report {
        site: Option<PathBuf>,
    },
}

impl StepDone {
    pub fn step(&self) -> Step {
        match self {
            StepDone::Build { .. } => Step::Build,
            StepDone::FirstScan { .. } => Step::FirstScan,
            StepDone::Remove { .. } => Step::Remove,
            StepDone::Confirm { .. } => Step::Confirm,
            StepDone::Check { .. } => Step::Check,
            StepDone::Propose { .. } => Step::Propose,
            StepDone::Approve { .. } => Step::Approve,
            StepDone::Apply { .. } => Step::Apply,
            StepDone::Report { .. } => Step::Report,
        }
    }
}

/// What happened to one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Outcome {
    /// Pushed to the target forge with its provenance notice.
    Republished { path: String, notice_commit: String },
    /// Not republished; why.
    Refused { why: String },
    /// Proposed, and waiting for a maintainer's approval (a needs-review verdict); why it needs one.
    AwaitingMaintainer { proposal: u64, reason: String },
    /// Still public at its source: only archived.
    StillPublic,
    /// Removed but not (yet) confirmed by the monitor.
    Unconfirmed { status: String },
}

/// One row of the demo's table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub repo: String,
    /// The licence expression found in git objects (`-` when not checked, `none` when nothing was found).
    pub license: String,
    /// `allowed`, `needs-review`, `forbidden`, or `-` when not checked.
    pub verdict: String,
    pub outcome: Outcome,
}

/// Where the demo left its results.
#[derive(Debug, Clone, Serialize)]
pub struct Locations {
    pub root: PathBuf,
    pub forge: PathBuf,
    pub policy: PathBuf,
    pub state: PathBuf,
    pub archive: PathBuf,
    pub published: PathBuf,
    /// The control checkout's decision records (`approval.records` beside policy.yaml).
    pub records: PathBuf,
    /// The local control forge: proposals as `pulls/<n>.yaml`.
    pub proposals: PathBuf,
    pub site: Option<PathBuf>,
}

impl Locations {
    pub fn under(root: &Path) -> Locations {
        Locations {
            root: root.to_owned(),
            forge: root.join("forge"),
            policy: root.join("policy.yaml"),
            state: root.join("state"),
            archive: root.join("archive"),
            published: root.join("published"),
            records: root.join(ApprovalConfig::default().records),
            proposals: root.join("control"),
            site: None,
        }
    }
}

/// Everything the demo did.
#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    pub steps: Vec<StepDone>,
    pub rows: Vec<Row>,
    pub locations: Locations,
}

/// The demo's policy: the embedded defaults, plus a source (the local forge), a target (a local forge), the
/// local control forge with its one maintainer, and removal settings that let the demo's scans, one hour apart,
/// confirm a removal on the second "gone".
pub fn policy_text(locations: &Locations) -> String {
    let yaml_path = |p: &Path| serde_json::to_string(&p.display().to_string()).unwrap_or_default();
    format!(
        "# Written by `keepopen demo`.\nversion: 1\n\
         sources:\n  forge: local\n  path: {forge}\n  orgs: [{ORGANISATION}]\n\
         removal:\n  confirmations: 2\n  min-gap: 1h\n\
         archive:\n  wikis: false\n\
         target:\n  forge: local\n  path: {published}\n\
         approval:\n  forge: local\n  path: {proposals}\n  maintainers: [{MAINTAINER}]\n  required: 1\n",
        forge = yaml_path(&locations.forge),
        published = yaml_path(&locations.published),
        proposals = yaml_path(&locations.proposals),
    )
}

/// Writes the status page from the demo's state and the licences it judged; returns the site's folder.
pub type SiteWriter<'a> =
    dyn Fn(&Locations, &BTreeMap<u64, crate::report::Judged>) -> anyhow::Result<PathBuf> + 'a;

/// The stages the demo runs, opened on its policy: the production types, set up as the CLI would.
struct Stages {
    policy: Arc<Policy>,
    monitor_config: MonitorConfig,
    monitor: Monitor,
    store: Store,
    flow: Flow,
    control: LocalControl,
}

impl Stages {
    fn open(locations: &Locations) -> anyhow::Result<Stages> {
        std::fs::write(&locations.policy, policy_text(locations))
            .with_context(|| format!("cannot write {}", locations.policy.display()))?;
        let policy = Policy::load(&locations.policy)?;
        let in_policy = || format!("in {}", locations.policy.display());
        let monitor_config = policy.monitor.clone();
        let target = policy.target.clone();
        let safety = policy.safety.clone();
        let approval = policy.require_approval().with_context(in_policy)?.clone();
        let policy = Arc::new(policy);
        let store = Store::open(&locations.state)?;
        let monitor = Monitor::new(
            monitor_config.clone(),
            store.clone(),
            Archive::open(&locations.archive, 2)?,
            None,
            Shard::default(),
            2,
        )?;
        let control = LocalControl::new(&approval.path, &approval.maintainers);
        let flow = Flow {
            policy: policy.clone(),
            control_name: format!("the local control forge {:?}", approval.path),
            approval,
            target,
            safety,
            store: store.clone(),
            archive: locations.archive.clone(),
            checkout: locations.root.clone(),
        };
        Ok(Stages {
            policy,
            monitor_config,
            monitor,
            store,
            flow,
            control,
        })
    }
}

/// Run the demo in `root` (created if missing; it must be empty or absent), with `now` as the time of the last
/// scan. `site` writes the status page there when given.
pub async fn run(
    root: &Path,
    now: DateTime<Utc>,
    site: Option<&SiteWriter<'_>>,
) -> anyhow::Result<DemoReport> {
    let mut locations = Locations::under(&empty_root(root)?);
    let repositories = organisation();
    let base = now - Duration::hours(3);
    let mut steps = vec![build(&locations, &repositories, base).await?];
    let stages = Stages::open(&locations)?;
    let first = base + Duration::minutes(30);
    steps.push(first_scan(&stages, first).await?);
    steps.push(remove(&locations, &repositories)?);
    steps.push(confirm(&stages, &repositories, first, now).await?);
    let records = stages.store.list()?;
    let candidates = confirmed_removals(&records, &locations)?;
    let checks = check(&stages, &candidates).await;
    steps.push(StepDone::Check {
        checked: checks.len(),
    });
    let proposed = flow::propose(&stages.flow, &stages.control).await?;
    steps.push(propose_step(&proposed));
    let (approve, awaiting) = approve(&stages, &locations)?;
    steps.push(approve);
    let applied = flow::apply(&stages.flow, &stages.control, None, now).await?;
    steps.push(StepDone::Apply {
        published: applied
            .iter()
            .filter(|l| matches!(l.outcome, ApplyOutcome::Published { .. }))
            .count(),
    });
    let mut judged = BTreeMap::new();
    let mut rows = Vec::new();
    for (record, mirror) in &candidates {
        let row = candidate_row(
            &stages.flow,
            record,
            checks.get(mirror),
            &Decided {
                proposed: &proposed,
                applied: &applied,
                awaiting: &awaiting,
            },
        )?;
        judged.insert(
            record.id,
            crate::report::Judged {
                license: row.license.clone(),
                verdict: row.verdict.clone(),
            },
        );
        rows.push(row);
    }
    rows.extend(
        records
            .iter()
            .filter(|r| r.status != Status::Removed)
            .map(|r| public_row(r, &repositories)),
    );
    rows.sort_by(|a, b| a.repo.cmp(&b.repo));
    locations.site = site.map(|write| write(&locations, &judged)).transpose()?;
    steps.push(StepDone::Report {
        site: locations.site.clone(),
    });
    Ok(DemoReport {
        steps,
        rows,
        locations,
    })
}

/// `root` made absolute, created if missing; refused unless empty.
fn empty_root(root: &Path) -> anyhow::Result<PathBuf> {
    if root.exists()
        && std::fs::read_dir(root)
            .with_context(|| format!("cannot read {}", root.display()))?
            .next()
            .is_some()
    {
        anyhow::bail!(
            "{} is not empty\nhelp: give `--dir` a new or empty directory",
            root.display()
        );
    }
    std::fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
    std::path::absolute(root).context("cannot resolve the demo directory")
}

/// Step 1: build the organisation on the local source forge.
async fn build(
    locations: &Locations,
    repositories: &[DemoRepository],
    base: DateTime<Utc>,
) -> anyhow::Result<StepDone> {
    let org_dir = locations.forge.join(ORGANISATION);
    {
        let org_dir = org_dir.clone();
        let repositories = repositories.to_vec();
        tokio::task::spawn_blocking(move || build_organisation(&org_dir, &repositories, base))
            .await
            .context("the build task panicked")??;
    }
    Ok(StepDone::Build {
        repositories: repositories.len(),
        organisation: org_dir,
    })
}

/// Step 2: the monitor's first scan: everything listed and mirrored.
async fn first_scan(stages: &Stages, at: DateTime<Utc>) -> anyhow::Result<StepDone> {
    let summary = stages.monitor.scan(at, Arc::new(monitor::Quiet)).await?;
    if summary.errors > 0 {
        anyhow::bail!(
            "the first scan failed:\n  {}",
            summary.error_messages.join("\n  ")
        );
    }
    Ok(StepDone::FirstScan {
        seen: summary.seen,
        new: summary.new,
        mirrored: summary.fetched,
    })
}

/// Step 3: delete the repositories marked `removed` from the source forge.
fn remove(locations: &Locations, repositories: &[DemoRepository]) -> anyhow::Result<StepDone> {
    let removed: Vec<&DemoRepository> = repositories.iter().filter(|r| r.removed).collect();
    for repository in &removed {
        let path = locations
            .forge
            .join(ORGANISATION)
            .join(format!("{}.git", repository.name));
        std::fs::remove_dir_all(&path)
            .with_context(|| format!("cannot delete {}", path.display()))?;
    }
    Ok(StepDone::Remove {
        removed: removed.len(),
        of: repositories.len(),
    })
}

/// Step 4: scan until every removal is confirmed: `confirmations` scans at least `min-gap` apart, the first after
/// `at`, none after `now`.
async fn confirm(
    stages: &Stages,
    repositories: &[DemoRepository],
    mut at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<StepDone> {
    let config = &stages.monitor_config;
    let removed = repositories.iter().filter(|r| r.removed).count() as u64;
    let gap = Duration::from_std(config.min_gap)
        .unwrap_or_else(|_| Duration::hours(1))
        .max(Duration::minutes(1));
    let mut scans = 0;
    let mut confirmed = 0;
    while confirmed < removed && scans < config.removal.confirmations + 2 {
        at = (at + gap).min(now);
        let summary = stages.monitor.scan(at, Arc::new(monitor::Quiet)).await?;
        scans += 1;
        confirmed += summary.removed;
    }
    Ok(StepDone::Confirm { scans, confirmed })
}

/// Every confirmed removal with its mirror's path.
fn confirmed_removals(
    records: &[RepoRecord],
    locations: &Locations,
) -> anyhow::Result<Vec<(RepoRecord, PathBuf)>> {
    let mut candidates = Vec::new();
    for record in records.iter().filter(|r| r.status == Status::Removed) {
        let mirror = record
            .mirror
            .as_ref()
            .filter(|m| m.fetched_at.is_some())
            .with_context(|| format!("{}: keepopen never mirrored it", record.full_name))?;
        candidates.push((
            record.clone(),
            crate::archive::resolve(&locations.archive, &mirror.path)?,
        ));
    }
    Ok(candidates)
}

/// Step 5: `keepopen check` on the confirmed removals, by mirror path: the licences for the table.
async fn check(
    stages: &Stages,
    candidates: &[(RepoRecord, PathBuf)],
) -> BTreeMap<PathBuf, RepoCheck> {
    crate::check::check_all(
        candidates.iter().map(|(_, p)| p.clone()).collect(),
        stages.policy.clone(),
        2,
        |_| {},
    )
    .await
    .into_iter()
    .map(|c| (PathBuf::from(&c.repo), c))
    .collect()
}

/// Step 6: what `keepopen propose` did, counted.
fn propose_step(proposed: &[ProposeLine]) -> StepDone {
    let count = |kind: VerdictKind| proposed.iter().filter(|l| l.verdict == Some(kind)).count();
    StepDone::Propose {
        proposals: proposed
            .iter()
            .filter(|l| {
                matches!(
                    l.outcome,
                    ProposeOutcome::Proposed(Proposed::Opened { .. })
                        | ProposeOutcome::Proposed(Proposed::Updated { .. })
                )
            })
            .count(),
        allowed: count(VerdictKind::Allowed),
        needs_review: count(VerdictKind::NeedsReview),
        forbidden: count(VerdictKind::Forbidden),
    }
}

/// Step 7: the maintainer approves and merges what is allowed; a needs-review proposal waits for a person. Returns
/// the step and, for each waiting repository, its proposal and the reason it waits.
fn approve(stages: &Stages, locations: &Locations) -> anyhow::Result<(StepDone, Awaiting)> {
    let mut awaiting = BTreeMap::new();
    let mut merged = 0;
    let mut batches = Vec::new();
    for pull in stages.control.list()? {
        if pull.state != PullState::Open {
            continue;
        }
        // A batch holds several records, a repository's own proposal one.
        let records = pull
            .files()
            .iter()
            .map(|(path, text)| {
                DecisionRecord::parse(text, &format!("proposal #{}: {path}", pull.number))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        if records
            .iter()
            .all(|r| r.verdict.kind == VerdictKind::Allowed)
        {
            stages
                .control
                .review(pull.number, MAINTAINER, ReviewState::Approved)?;
            stages.control.merge(pull.number, &locations.root)?;
            merged += 1;
            if records.len() > 1 {
                batches.push((pull.number, records.len()));
            }
        } else {
            for record in records {
                awaiting.insert(
                    record.source.full_name.clone(),
                    (pull.number, first_reason_of(&record.verdict)),
                );
            }
        }
    }
    let step = StepDone::Approve {
        merged,
        batches,
        awaiting: awaiting.len(),
    };
    Ok((step, awaiting))
}

/// The proposals waiting for a maintainer: repository → (proposal number, the reason it waits).
type Awaiting = BTreeMap<String, (u64, String)>;

/// What `propose`, the maintainer and `apply` decided, for the table.
struct Decided<'a> {
    proposed: &'a [ProposeLine],
    applied: &'a [ApplyLine],
    awaiting: &'a Awaiting,
}

/// The table row of a confirmed removal: its licence, its verdict and what became of it.
fn candidate_row(
    flow: &Flow,
    record: &RepoRecord,
    check: Option<&RepoCheck>,
    Decided {
        proposed,
        applied,
        awaiting,
    }: &Decided<'_>,
) -> anyhow::Result<Row> {
    let license = check
        .map(|c| {
            if c.expression.is_empty() {
                "none".to_owned()
            } else {
                c.expression.clone()
            }
        })
        .unwrap_or_else(|| "-".into());
    let line = proposed.iter().find(|l| l.repo == record.full_name);
    let verdict = line
        .and_then(|l| l.verdict)
        .map_or_else(|| "-".into(), |kind| kind.to_string());
    let applied = applied
        .iter()
        .find(|l| l.repo.as_deref() == Some(&record.full_name));
    let outcome = match (applied.map(|l| &l.outcome), line.map(|l| &l.outcome)) {
        (Some(ApplyOutcome::Published { target_url, .. }), _) => {
            let path = flow
                .records_dir()
                .join(crate::record::relative_path(&record.full_name));
            let notice_commit = DecisionRecord::load(&path)?
                .publication
                .map(|p| p.notice_commit)
                .with_context(|| format!("{}: no publication written back", path.display()))?;
            Outcome::Republished {
                path: target_url.clone(),
                notice_commit,
            }
        }
        (Some(applied), _) => refused_by_apply(applied),
        (None, Some(ProposeOutcome::Proposed(_) | ProposeOutcome::Waiting { .. }) | None) => {
            match awaiting.get(&record.full_name) {
                Some((proposal, reason)) => Outcome::AwaitingMaintainer {
                    proposal: *proposal,
                    reason: reason.clone(),
                },
                None => Outcome::Refused {
                    why: "not proposed".into(),
                },
            }
        }
        (None, Some(proposed)) => refused_by_propose(proposed),
    };
    Ok(Row {
        repo: record.full_name.clone(),
        license,
        verdict,
        outcome,
    })
}

/// Why `apply` did not publish.
fn refused_by_apply(outcome: &ApplyOutcome) -> Outcome {
    let why = match outcome {
        ApplyOutcome::Refused { reason } | ApplyOutcome::Waiting { reason, .. } => reason.clone(),
        ApplyOutcome::Failed { error } => error.lines().next().unwrap_or("").to_owned(),
        _ => "not published".into(),
    };
    Outcome::Refused { why }
}

/// Why `propose` did not propose.
fn refused_by_propose(outcome: &ProposeOutcome) -> Outcome {
    let why = match outcome {
        ProposeOutcome::Forbidden { reasons } => reasons
            .first()
            .cloned()
            .unwrap_or_else(|| "the verdict is forbidden".into()),
        ProposeOutcome::Failed { error } => error.lines().next().unwrap_or("").to_owned(),
        ProposeOutcome::Skipped { reason } => reason.clone(),
        ProposeOutcome::Declined {
            number, closed_at, ..
        } => flow::declined_reason(*number, *closed_at),
        ProposeOutcome::Proposed(_) => "not proposed".into(),
        ProposeOutcome::Waiting { reason } => reason.clone(),
    };
    Outcome::Refused { why }
}

/// The table row of a repository that was not confirmed removed: still public, or not (yet) confirmed.
fn public_row(record: &RepoRecord, repositories: &[DemoRepository]) -> Row {
    let still_listed = repositories
        .iter()
        .any(|r| !r.removed && record.name() == r.name);
    Row {
        repo: record.full_name.clone(),
        license: "-".into(),
        verdict: "-".into(),
        outcome: if still_listed {
            Outcome::StillPublic
        } else {
            Outcome::Unconfirmed {
                status: format!("{:?}", record.status).to_lowercase(),
            }
        },
    }
}

/// The first reason of a recorded verdict that is not `allowed` (sensitive content first), for a one-line table
/// cell.
fn first_reason_of(verdict: &VerdictRecord) -> String {
    let sensitive = verdict
        .reasons
        .iter()
        .find(|r| r.starts_with("sensitive content"));
    sensitive
        .or(verdict.reasons.first())
        .cloned()
        .unwrap_or_else(|| format!("the verdict is {}", verdict.kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_run_check_propose_approve_apply_in_that_order_each_once() {
        let position = |s: Step| STEPS.iter().position(|x| *x == s).unwrap();
        assert!(position(Step::Confirm) < position(Step::Check));
        assert!(position(Step::Check) < position(Step::Propose));
        assert!(position(Step::Propose) < position(Step::Approve));
        assert!(position(Step::Approve) < position(Step::Apply));
        assert!(position(Step::Apply) < position(Step::Report));
        let mut titles: Vec<&str> = STEPS.iter().map(|s| s.title()).collect();
        titles.sort();
        titles.dedup();
        assert_eq!(titles.len(), STEPS.len());
    }

    #[test]
    fn the_table_gives_the_sensitive_content_reason_first() {
        let record = |kind: VerdictKind, reasons: &[&str]| VerdictRecord {
            kind,
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            conditions: Vec::new(),
        };
        let cases = [
            (
                record(
                    VerdictKind::NeedsReview,
                    &["licence text modified", "sensitive content: 1 secret"],
                ),
                "sensitive content: 1 secret",
            ),
            (
                record(VerdictKind::NeedsReview, &["licence text modified"]),
                "licence text modified",
            ),
            (
                record(VerdictKind::NeedsReview, &[]),
                "the verdict is needs-review",
            ),
        ];
        for (verdict, expected) in cases {
            assert_eq!(first_reason_of(&verdict), expected, "{verdict:?}");
        }
    }
}
