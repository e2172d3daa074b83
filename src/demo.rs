//! `keepopen demo`: the whole pipeline, offline, on a small organisation built on the spot.
//!
//! A newcomer sees keepopen work before they have a token. The demo builds an organisation of real git
//! repositories (a local forge, `monitor::local`) with licences that deserve different outcomes, writes a policy
//! that watches it, and then runs the production stages one after the other: monitor (which mirrors everything),
//! the removal of some repositories, monitor again until the removals are confirmed, the licence check and the
//! sensitive-content scan of each confirmed removal, and republication to a local target forge. It returns a
//! table of what happened to each repository and where the results are on disk. Nothing is printed here; the
//! CLI renders [`DemoReport`].
//!
//! The steps are listed in [`STEPS`]. After the licence check the demo goes through the approval flow exactly as
//! `keepopen propose`, `keepopen review --approve`, `keepopen merge` and `keepopen apply` do on the local control
//! forge: [`flow::propose`] reads the licences, scans the history and opens one proposal per allowed or
//! needs-review repository; the demo's maintainer ([`MAINTAINER`]) approves and merges the allowed ones only; and
//! [`flow::apply`] verifies each merged record's approval and republishes it (`publish::republish`, with its own
//! sensitive-content gate). A needs-review proposal stays open, awaiting a person.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::approval::{ApprovalConfig, ReviewState};
use crate::archive::Archive;
use crate::control::flow::{self, ApplyOutcome, Flow, ProposeOutcome};
use crate::control::local::{LocalControl, PullState};
use crate::monitor::{self, Monitor, MonitorConfig, Shard, local};
use crate::policy::Policy;
use crate::publish::TargetConfig;
use crate::record::{DecisionRecord, VerdictRecord};
use crate::safety::SafetyConfig;
use crate::state::{Status, Store};

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

/// What one step did, one line.
#[derive(Debug, Clone, Serialize)]
pub struct StepLog {
    pub step: Step,
    pub title: &'static str,
    pub detail: String,
}

/// One repository of the demo organisation and what it deserves.
#[derive(Debug, Clone)]
pub struct DemoRepository {
    pub name: &'static str,
    /// Why it is in the demo.
    pub about: &'static str,
    pub files: Vec<(&'static str, String)>,
    /// Deleted from the forge after the first scan.
    pub removed: bool,
}

/// The NHS's usual README licence section (MIT for code, OGL for documentation), a labelled corpus file.
const NHS_MIT_OGL_README: &str =
    include_str!("../tests/corpus/034-nhse-performance-grid-readme-mit-ogl.md");
const MIT_LICENSE: &str = include_str!("../tests/corpus/002-nhsuk-service-manual-mit.txt");
const GPL3_LICENSE: &str = include_str!("../licenses/text/GPL-3.0-only.txt");
const CC_BY_NC_LICENSE: &str = include_str!("../licenses/text/CC-BY-NC-4.0.txt");

/// A made-up AWS access key id (AKIA and 16 of A-Z2-7), assembled so that this source file holds no key.
fn fake_aws_key() -> String {
    ["AK", "IA", "M4XR7TQ2WZ5KN3VP"].concat()
}

/// The demo organisation: one repository per outcome worth seeing.
pub fn organisation() -> Vec<DemoRepository> {
    let readme =
        |title: &str| format!("# {title}\n\nA demo repository built by `keepopen demo`.\n");
    vec![
        DemoRepository {
            name: "appointments-api",
            about: "MIT: republished",
            files: vec![
                ("README.md", readme("Appointments API")),
                ("LICENSE", MIT_LICENSE.to_owned()),
                ("src/main.py", "print('appointments')\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "performance-grid",
            about: "the NHS's MIT (code) and OGL (documentation) README section: republished",
            files: vec![
                ("README.md", NHS_MIT_OGL_README.to_owned()),
                ("grid.R", "grid <- function() NULL\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "clinical-coder",
            about: "GPL-3.0: republished (copyleft allows it, unchanged and with the licence)",
            files: vec![
                ("README.md", readme("Clinical coder")),
                ("COPYING", GPL3_LICENSE.to_owned()),
                ("coder.c", "int main(void) { return 0; }\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "waiting-times-data",
            about: "CC-BY-NC-4.0: republished with its non-commercial condition (republishing is non-commercial)",
            files: vec![
                ("README.md", readme("Waiting times data")),
                ("LICENSE", CC_BY_NC_LICENSE.to_owned()),
                ("data/waits.csv", "trust,weeks\nRX1,18\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "ward-dashboard",
            about: "no licence: refused (no permission to copy)",
            files: vec![
                ("README.md", readme("Ward dashboard")),
                ("app.js", "console.log('ward');\n".into()),
            ],
            removed: true,
        },
        DemoRepository {
            name: "referral-service",
            about: "MIT, but a leaked (fake) AWS key in its config: held back",
            files: vec![
                ("README.md", readme("Referral service")),
                ("LICENSE", MIT_LICENSE.to_owned()),
                (
                    "config/settings.ini",
                    format!(
                        "[aws]\nregion = eu-west-2\naws_access_key_id = {}\n",
                        fake_aws_key()
                    ),
                ),
            ],
            removed: true,
        },
        DemoRepository {
            name: "nhs-login-widget",
            about: "MIT, still public: archived, nothing to republish",
            files: vec![
                ("README.md", readme("NHS login widget")),
                ("LICENSE", MIT_LICENSE.to_owned()),
            ],
            removed: false,
        },
    ]
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

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Republished { path, .. } => write!(f, "republished to {path}"),
            Outcome::Refused { why } => write!(f, "refused: {why}"),
            Outcome::AwaitingMaintainer { reason, .. } => {
                write!(f, "awaiting a maintainer: {reason}")
            }
            Outcome::StillPublic => f.write_str("still public: archived only"),
            Outcome::Unconfirmed { status } => write!(f, "removal not confirmed ({status})"),
        }
    }
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
    pub steps: Vec<StepLog>,
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

/// Run the demo in `root` (created if missing; it must be empty or absent), with `now` as the time of the last
/// scan. `site` writes the status page there when given.
pub async fn run(
    root: &Path,
    now: DateTime<Utc>,
    site: Option<&SiteWriter<'_>>,
) -> anyhow::Result<DemoReport> {
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
    let root = std::path::absolute(root).context("cannot resolve the demo directory")?;
    let mut locations = Locations::under(&root);
    let mut steps = Vec::new();
    let mut log = |step: Step, detail: String| {
        steps.push(StepLog {
            step,
            title: step.title(),
            detail,
        })
    };

    // 1. Build the organisation.
    let repositories = organisation();
    let base = now - Duration::hours(3);
    let org_dir = locations.forge.join(ORGANISATION);
    {
        let org_dir = org_dir.clone();
        let repositories = repositories.clone();
        tokio::task::spawn_blocking(move || build_organisation(&org_dir, &repositories, base))
            .await
            .context("the build task panicked")??;
    }
    log(
        Step::Build,
        format!(
            "{} repositories in {}",
            repositories.len(),
            org_dir.display()
        ),
    );
    std::fs::write(&locations.policy, policy_text(&locations))
        .with_context(|| format!("cannot write {}", locations.policy.display()))?;
    let policy = Policy::load(&locations.policy)?;
    let config = MonitorConfig::from_sections(&policy.sections)
        .with_context(|| format!("in {}", locations.policy.display()))?;
    let target = TargetConfig::from_sections(&policy.sections)
        .with_context(|| format!("in {}", locations.policy.display()))?;
    let safety_config = SafetyConfig::from_sections(&policy.sections)
        .with_context(|| format!("in {}", locations.policy.display()))?;
    let approval = ApprovalConfig::from_sections(&policy.sections)
        .with_context(|| format!("in {}", locations.policy.display()))?;
    let policy = Arc::new(policy);
    let store = Store::open(&locations.state)?;
    let archive = Archive::open(&locations.archive, 2)?;
    let monitor = Monitor::new(
        config.clone(),
        store.clone(),
        archive,
        None,
        Shard::default(),
        2,
    )?;

    // 2. First scan.
    let mut at = base + Duration::minutes(30);
    let summary = monitor.scan(at, Arc::new(monitor::Quiet)).await?;
    if summary.errors > 0 {
        anyhow::bail!(
            "the first scan failed:\n  {}",
            summary.error_messages.join("\n  ")
        );
    }
    log(
        Step::FirstScan,
        format!(
            "seen {}, new {}, mirrored {}",
            summary.seen, summary.new, summary.fetched
        ),
    );

    // 3. Remove.
    let removed: Vec<&DemoRepository> = repositories.iter().filter(|r| r.removed).collect();
    for repository in &removed {
        let path = org_dir.join(format!("{}.git", repository.name));
        std::fs::remove_dir_all(&path)
            .with_context(|| format!("cannot delete {}", path.display()))?;
    }
    log(
        Step::Remove,
        format!(
            "deleted {} of {} repositories from the forge",
            removed.len(),
            repositories.len()
        ),
    );

    // 4. Scan until confirmed: `confirmations` scans at least `min-gap` apart.
    let gap = Duration::from_std(config.min_gap)
        .unwrap_or_else(|_| Duration::hours(1))
        .max(Duration::minutes(1));
    let mut scans = 0;
    let mut confirmed = 0;
    while confirmed < removed.len() as u64 && scans < config.removal.confirmations + 2 {
        at = (at + gap).min(now);
        let summary = monitor.scan(at, Arc::new(monitor::Quiet)).await?;
        scans += 1;
        confirmed += summary.removed;
    }
    log(
        Step::Confirm,
        format!("{scans} scan(s), {confirmed} removal(s) confirmed"),
    );

    // 5. Check: the licences in git objects, for the table's licence column.
    let records = store.list()?;
    let mut candidates = Vec::new();
    for record in &records {
        if record.status != Status::Removed {
            continue;
        }
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
    let checks = crate::check::check_all(
        candidates.iter().map(|(_, p)| p.clone()).collect(),
        policy.clone(),
        2,
        |_| {},
    )
    .await;
    let checks: BTreeMap<PathBuf, crate::check::RepoCheck> = checks
        .into_iter()
        .map(|c| (PathBuf::from(&c.repo), c))
        .collect();
    log(
        Step::Check,
        format!("{} confirmed removal(s) checked", checks.len()),
    );

    // 6. Propose: `keepopen propose` on the local control forge (licences, history scan, gated verdict).
    let control = LocalControl::new(&approval.path, &approval.maintainers);
    let flow = Flow {
        policy: policy.clone(),
        control_name: format!("the local control forge {:?}", approval.path),
        approval,
        target,
        safety: safety_config,
        store: store.clone(),
        archive: locations.archive.clone(),
        checkout: locations.root.clone(),
    };
    let proposed = flow::propose(&flow, &control).await?;
    let count = |kind: &str| {
        proposed
            .iter()
            .filter(|l| l.verdict.as_deref() == Some(kind))
            .count()
    };
    log(
        Step::Propose,
        format!(
            "{} proposal(s) in {} ({} allowed, {} needs-review); {} forbidden, not proposed",
            proposed
                .iter()
                .filter(|l| matches!(
                    l.outcome,
                    ProposeOutcome::Opened { .. } | ProposeOutcome::Updated { .. }
                ))
                .count(),
            locations.proposals.display(),
            count("allowed"),
            count("needs-review"),
            count("forbidden"),
        ),
    );

    // 7. Approve: the maintainer approves and merges what is allowed; needs-review waits for a person.
    let mut awaiting: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut merged = 0;
    for pull in control.list()? {
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
        if records.iter().all(|r| r.verdict.kind == "allowed") {
            control.review(pull.number, MAINTAINER, ReviewState::Approved)?;
            control.merge(pull.number, &locations.root)?;
            merged += 1;
            if records.len() > 1 {
                log(
                    Step::Approve,
                    format!(
                        "proposal #{} is a batch of {} allowed repositories, approved and merged at once",
                        pull.number,
                        records.len()
                    ),
                );
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
    log(
        Step::Approve,
        format!(
            "@{MAINTAINER} approved and merged {merged} allowed proposal(s); {} await a maintainer",
            awaiting.len()
        ),
    );

    // 8. Apply: `keepopen apply` verifies each merged record's approval and republishes it.
    let applied = flow::apply(&flow, &control, None, now).await?;
    let published = applied
        .iter()
        .filter(|l| matches!(l.outcome, ApplyOutcome::Published { .. }))
        .count();
    log(
        Step::Apply,
        format!(
            "{published} republished to {}, decision records in {}",
            locations.published.display(),
            locations.records.display()
        ),
    );

    let mut judged = BTreeMap::new();
    let mut rows = Vec::new();
    for (record, mirror) in &candidates {
        let check = checks.get(mirror);
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
            .and_then(|l| l.verdict.clone())
            .unwrap_or_else(|| "-".into());
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
            (Some(ApplyOutcome::Refused { reason } | ApplyOutcome::Waiting { reason, .. }), _) => {
                Outcome::Refused {
                    why: reason.clone(),
                }
            }
            (Some(ApplyOutcome::Failed { error }), _) => Outcome::Refused {
                why: error.lines().next().unwrap_or("").to_owned(),
            },
            (None, Some(ProposeOutcome::Forbidden { reasons })) => Outcome::Refused {
                why: reasons
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "the verdict is forbidden".into()),
            },
            (None, Some(ProposeOutcome::Failed { error })) => Outcome::Refused {
                why: error.lines().next().unwrap_or("").to_owned(),
            },
            (None, Some(ProposeOutcome::Skipped { reason })) => Outcome::Refused {
                why: reason.clone(),
            },
            (
                None,
                Some(ProposeOutcome::Declined {
                    number, closed_at, ..
                }),
            ) => Outcome::Refused {
                why: flow::declined_reason(*number, *closed_at),
            },
            (None, _) => match awaiting.get(&record.full_name) {
                Some((proposal, reason)) => Outcome::AwaitingMaintainer {
                    proposal: *proposal,
                    reason: reason.clone(),
                },
                None => Outcome::Refused {
                    why: "not proposed".into(),
                },
            },
        };
        judged.insert(
            record.id,
            crate::report::Judged {
                license: license.clone(),
                verdict: verdict.clone(),
            },
        );
        rows.push(Row {
            repo: record.full_name.clone(),
            license,
            verdict,
            outcome,
        });
    }
    for record in &records {
        if record.status == Status::Removed {
            continue;
        }
        let still_listed = repositories
            .iter()
            .any(|r| !r.removed && record.name() == r.name);
        rows.push(Row {
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
        });
    }
    rows.sort_by(|a, b| a.repo.cmp(&b.repo));

    // 11. Status page.
    match site {
        Some(write) => {
            let path = write(&locations, &judged)?;
            log(Step::Report, format!("written to {}", path.display()));
            locations.site = Some(path);
        }
        None => log(Step::Report, "not asked for".into()),
    }
    Ok(DemoReport {
        steps,
        rows,
        locations,
    })
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

/// Write each repository of `repositories` as a bare repository `<dir>/<name>.git` with one commit on `main`,
/// and give them ids 1, 2, … in order (as a forge would on creation). Blocking.
pub fn build_organisation(
    dir: &Path,
    repositories: &[DemoRepository],
    time: DateTime<Utc>,
) -> anyhow::Result<()> {
    for (i, repository) in repositories.iter().enumerate() {
        let path = dir.join(format!("{}.git", repository.name));
        let files: Vec<(&str, &[u8])> = repository
            .files
            .iter()
            .map(|(p, c)| (*p, c.as_bytes()))
            .collect();
        commit_files(
            &path,
            "main",
            &files,
            &format!("Initial commit of {}", repository.name),
            time + Duration::minutes(i as i64),
        )
        .with_context(|| format!("cannot build {}", path.display()))?;
        local::set_id(&path, 1000 + i as u64)?;
    }
    Ok(())
}

/// Create (or open) the bare repository at `path` and commit `files` on `branch`, on top of its tip if it has
/// one; HEAD points at `branch`. Returns the commit id. Blocking.
pub fn commit_files(
    path: &Path,
    branch: &str,
    files: &[(&str, &[u8])],
    message: &str,
    time: DateTime<Utc>,
) -> anyhow::Result<git2::Oid> {
    let repo = match git2::Repository::open_bare(path) {
        Ok(repo) => repo,
        Err(_) => {
            let mut options = git2::RepositoryInitOptions::new();
            options.bare(true).mkpath(true).external_template(false);
            git2::Repository::init_opts(path, &options)?
        }
    };
    let mut index = git2::Index::new()?;
    for (name, contents) in files {
        let id = repo.blob(contents)?;
        index.add(&git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100644,
            uid: 0,
            gid: 0,
            file_size: contents.len() as u32,
            id,
            flags: name.len().min(0xfff) as u16,
            flags_extended: 0,
            path: name.as_bytes().to_vec(),
        })?;
    }
    let tree = repo.find_tree(index.write_tree_to(&repo)?)?;
    let signature = git2::Signature::new(
        "NHS Demo Developer",
        "developer@nhs-demo.invalid",
        &git2::Time::new(time.timestamp(), 0),
    )?;
    let reference = format!("refs/heads/{branch}");
    let parent = repo
        .find_reference(&reference)
        .ok()
        .and_then(|r| r.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let id = repo.commit(
        Some(&reference),
        &signature,
        &signature,
        message,
        &tree,
        &parents,
    )?;
    repo.set_head(&reference)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_outcome_is_in_the_organisation() {
        let org = organisation();
        let names: Vec<&str> = org.iter().map(|r| r.name).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "names repeat: {names:?}");
        assert_eq!(org.iter().filter(|r| !r.removed).count(), 1);
        let leaked = org.iter().find(|r| r.name == "referral-service").unwrap();
        assert!(
            leaked
                .files
                .iter()
                .any(|(_, c)| c.contains(&fake_aws_key()))
        );
        assert!(
            org.iter()
                .find(|r| r.name == "ward-dashboard")
                .unwrap()
                .files
                .iter()
                .all(|(p, _)| !p.contains("LICEN") && !p.contains("COPYING"))
        );
    }

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
        let record = |kind: &str, reasons: &[&str]| VerdictRecord {
            kind: kind.into(),
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            conditions: Vec::new(),
        };
        let cases = [
            (
                record(
                    "needs-review",
                    &["licence text modified", "sensitive content: 1 secret"],
                ),
                "sensitive content: 1 secret",
            ),
            (
                record("needs-review", &["licence text modified"]),
                "licence text modified",
            ),
            (record("needs-review", &[]), "the verdict is needs-review"),
        ];
        for (verdict, expected) in cases {
            assert_eq!(first_reason_of(&verdict), expected, "{verdict:?}");
        }
    }

    #[test]
    fn outcomes_read_as_table_cells() {
        let cases = [
            (
                Outcome::Republished {
                    path: "/p/x.git".into(),
                    notice_commit: "abc".into(),
                },
                "republished to /p/x.git",
            ),
            (
                Outcome::Refused {
                    why: "no licence".into(),
                },
                "refused: no licence",
            ),
            (
                Outcome::AwaitingMaintainer {
                    proposal: 6,
                    reason: "sensitive content: a secret".into(),
                },
                "awaiting a maintainer: sensitive content: a secret",
            ),
            (Outcome::StillPublic, "still public: archived only"),
        ];
        for (outcome, text) in cases {
            assert_eq!(outcome.to_string(), text);
        }
    }
}
