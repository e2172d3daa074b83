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
//! The steps are listed in [`STEPS`]; the proposal steps (propose, approve, apply: local records of a maintainer's
//! decision) have their places in that list and are reported as not yet available until those verbs exist.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::archive::Archive;
use crate::monitor::{self, Monitor, MonitorConfig, Shard, local};
use crate::policy::Policy;
use crate::publish::{self, Overrides, Refusal, Request, TargetConfig};
use crate::safety::{self, SafetyConfig};
use crate::state::{Status, Store};
use crate::verdict::Verdict;

/// The organisation the demo builds.
pub const ORGANISATION: &str = "nhs-demo";

/// The demo's steps, in order. Each is a production stage; the ones marked pending are the places where the
/// proposal records slot in once they exist.
pub const STEPS: [Step; 11] = [
    Step::Build,
    Step::FirstScan,
    Step::Remove,
    Step::Confirm,
    Step::Check,
    Step::Scan,
    Step::Propose,
    Step::Approve,
    Step::Apply,
    Step::Republish,
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
    /// `keepopen scan`: secrets and personal data in the whole history; findings hold a publication back.
    Scan,
    /// `keepopen propose`: ask the maintainers (local records). Pending.
    Propose,
    /// `keepopen review --approve`. Pending.
    Approve,
    /// `keepopen apply`. Pending.
    Apply,
    /// `keepopen republish`: push the mirror with its provenance notice to the target forge.
    Republish,
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
            Step::Scan => "scan for sensitive content",
            Step::Propose => "propose",
            Step::Approve => "approve",
            Step::Apply => "apply",
            Step::Republish => "republish",
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

/// The demo's policy: the embedded defaults, plus a source (the local forge), a target (a local forge) and
/// removal settings that let the demo's scans, one hour apart, confirm a removal on the second "gone".
pub fn policy_text(locations: &Locations) -> String {
    let yaml_path = |p: &Path| serde_json::to_string(&p.display().to_string()).unwrap_or_default();
    format!(
        "# Written by `keepopen demo`.\nversion: 1\n\
         sources:\n  forge: local\n  path: {forge}\n  orgs: [{ORGANISATION}]\n\
         removal:\n  confirmations: 2\n  min-gap: 1h\n\
         archive:\n  wikis: false\n\
         target:\n  forge: local\n  path: {published}\n",
        forge = yaml_path(&locations.forge),
        published = yaml_path(&locations.published),
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

    // 5. Check, 6. scan: the verdict with the sensitive-content gate applied.
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
    let mut gated: BTreeMap<u64, (String, String, Option<Verdict>)> = BTreeMap::new();
    let mut judged = BTreeMap::new();
    let mut held = 0;
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
        let Some(decision) = check.and_then(|c| c.decision.clone()) else {
            let why = check
                .and_then(|c| c.error.clone())
                .unwrap_or_else(|| "the licence check failed".into());
            gated.insert(record.id, (license, "error".into(), None));
            tracing::warn!("{}: {why}", record.full_name);
            continue;
        };
        let (name, path, config) = (
            record.full_name.clone(),
            mirror.clone(),
            safety_config.clone(),
        );
        let report = tokio::task::spawn_blocking(move || safety::scan_path(&path, &name, &config))
            .await
            .context("the scan task panicked")??;
        let decision = safety::gate_verdict(decision, &report);
        if !report.is_clean() {
            held += 1;
        }
        judged.insert(
            record.id,
            crate::report::Judged {
                license: license.clone(),
                verdict: decision.name().to_owned(),
            },
        );
        gated.insert(
            record.id,
            (license, decision.name().to_owned(), Some(decision)),
        );
    }
    log(
        Step::Scan,
        format!(
            "{} scanned, {held} with findings held back",
            candidates.len()
        ),
    );
    for step in [Step::Propose, Step::Approve, Step::Apply] {
        log(
            step,
            "not yet available: the proposal records will slot in here; the verdict decides meanwhile".into(),
        );
    }

    // 10. Republish.
    let mut rows = Vec::new();
    let mut published = 0;
    for (record, mirror) in &candidates {
        let (license, verdict, decision) = gated
            .remove(&record.id)
            .unwrap_or_else(|| ("-".into(), "-".into(), None));
        let outcome = match decision {
            None => Outcome::Refused {
                why: "the licence check failed".into(),
            },
            Some(decision) if !decision.is_allowed() => Outcome::Refused {
                why: first_reason(&decision),
            },
            Some(_) => {
                let request = Request {
                    record: record.clone(),
                    mirror: mirror.clone(),
                    policy: policy.clone(),
                    target: target.clone(),
                    overrides: Overrides::default(),
                    now,
                };
                match publish::republish(&store, request, None).await {
                    Ok(publication) => {
                        published += 1;
                        Outcome::Republished {
                            path: publication.target_url,
                            notice_commit: publication.notice_commit,
                        }
                    }
                    Err(e) => match e.downcast_ref::<Refusal>() {
                        Some(refusal) => Outcome::Refused {
                            why: refusal.to_string().lines().next().unwrap_or("").to_owned(),
                        },
                        None => return Err(e),
                    },
                }
            }
        };
        rows.push(Row {
            repo: record.full_name.clone(),
            license,
            verdict,
            outcome,
        });
    }
    log(
        Step::Republish,
        format!(
            "{published} republished to {}",
            locations.published.display()
        ),
    );
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

/// The first reason of a verdict that is not `allowed`, for a one-line table cell.
fn first_reason(verdict: &Verdict) -> String {
    let reasons = verdict.reasons();
    let sensitive = reasons.iter().find(|r| r.starts_with("sensitive content"));
    sensitive
        .or(reasons.first())
        .cloned()
        .unwrap_or_else(|| format!("the verdict is {}", verdict.name()))
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
    fn the_steps_keep_the_proposal_between_scan_and_republish() {
        let position = |s: Step| STEPS.iter().position(|x| *x == s).unwrap();
        assert!(position(Step::Scan) < position(Step::Propose));
        assert!(position(Step::Propose) < position(Step::Approve));
        assert!(position(Step::Approve) < position(Step::Apply));
        assert!(position(Step::Apply) < position(Step::Republish));
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
            (Outcome::StillPublic, "still public: archived only"),
        ];
        for (outcome, text) in cases {
            assert_eq!(outcome.to_string(), text);
        }
    }
}
