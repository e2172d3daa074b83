//! Republishing: push an archived mirror, unchanged, to the community forge with a provenance notice.
//!
//! [`plan`] is the pure decision: is this repository confirmed removed, does the verdict allow it (or did a
//! person override it, with a reason), what is the new repository called, where does the notice go, what is
//! pushed. [`prepare`] gathers the plan's inputs (the licence engine run on the mirror, the mirror's refs, the
//! other publications in state) and builds the notice commit in a throw-away staging repository; a dry run stops
//! there and touches nothing. [`republish`] then does it: creates the target if missing (GitHub: Actions
//! disabled before the first push), compares the target's refs with what would be pushed (equal: nothing to do;
//! a prefix of it: a killed run, completed; anything else: refused unless forced), pushes with explicit
//! refspecs (the default branch in chunks when its history is long), and records the publication in state.
//! The manual command and the automated flow call the same functions.

pub mod config;
pub mod git;
pub mod restore;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

pub use config::{BotIdentity, Forge, TargetConfig};

use crate::check::RepoCheck;
use crate::github::{self, Token};
use crate::policy::Policy;
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

/// A person's decisions that let a publication go ahead, each with its reason (recorded in the notice and state).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Overrides {
    /// Publish although the verdict is not `allowed`.
    pub verdict: Option<String>,
    /// Publish although the repository is not confirmed removed.
    pub force_public: Option<String>,
    /// Overwrite a target that holds something else.
    pub force: Option<String>,
}

/// Why a repository is not published. A caller branches on these (a refusal is not a failure of the tool).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{repo} is blocked for legal reasons (HTTP 451) and is never republished")]
    LegalBlock { repo: String },
    #[error(
        "{repo} is not confirmed removed (status: {status})\nhelp: wait for the monitor to confirm the removal, or pass --force-public \"<reason>\""
    )]
    NotRemoved { repo: String, status: String },
    #[error("{repo}: the licence check failed: {error}")]
    CheckFailed { repo: String, error: String },
    #[error(
        "{repo}: the verdict is {verdict}, not allowed:\n  - {}\nhelp: a person may decide otherwise with --override \"<reason>\"; the reason is recorded in the notice", reasons.join("\n  - ")
    )]
    NotAllowed {
        repo: String,
        verdict: String,
        reasons: Vec<String>,
    },
    #[error(
        "{repo}: the history holds what must not be made public without a person's decision ({} finding(s), masked):\n  - {}\nhelp: look at each one; if it may be published (a revoked key, test data), add to `safety.overrides` in the policy: {{ repo: {repo}, fingerprint: <the fingerprint above>, reason: \"<why>\" }}",
        reasons.len(), reasons.join("\n  - ")
    )]
    SensitiveContent {
        repo: String,
        /// One line each: file, commit, rule, masked excerpt and fingerprint (or why the scan is incomplete).
        reasons: Vec<String>,
        /// The fingerprints to put in `safety.overrides`, in the order of the findings.
        fingerprints: Vec<String>,
    },
    #[error("{repo}: the mirror has no default branch {branch:?} to publish")]
    NoDefaultBranch { repo: String, branch: String },
    #[error(
        "{repo}: the target name {name:?} is already the republication of {other}\nhelp: change `target.name` in the policy (placeholders {{owner}}, {{repo}}, {{id}})"
    )]
    NameCollision {
        repo: String,
        name: String,
        other: String,
    },
    #[error(
        "{repo}: {} file(s) over {limit} bytes in the history; the target would refuse the push:\n  - {}\nhelp: such files cannot be republished to GitHub unchanged; publish to another forge or raise `target.max-file-bytes` for a forge without the limit",
        files.len(), files.join("\n  - ")
    )]
    LargeFiles {
        repo: String,
        limit: u64,
        files: Vec<String>,
    },
    #[error(
        "{repo}: the target {target} already holds something else:\n  - {}\nhelp: check the target by hand; --force \"<reason>\" overwrites it",
        refs.join("\n  - ")
    )]
    TargetDiffers {
        repo: String,
        target: String,
        refs: Vec<String>,
    },
}

/// The inputs of [`plan`], all plain data.
#[derive(Debug, Clone)]
pub struct PlanInputs<'a> {
    pub record: &'a RepoRecord,
    /// The licence engine's result on the mirror.
    pub check: &'a RepoCheck,
    /// The mirror's heads and tags.
    pub mirror_refs: &'a BTreeMap<String, String>,
    /// The mirror's HEAD branch, used when the record knows no default branch.
    pub mirror_head: Option<&'a str>,
    pub target: &'a TargetConfig,
    pub overrides: &'a Overrides,
    /// Every other publication in state: (repository `owner/name`, id, target name).
    pub published: &'a [(String, u64, String)],
}

/// What will be published, and how. Serialised for `--dry-run --json`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Plan {
    pub full_name: String,
    pub id: u64,
    #[serde(serialize_with = "forge_name")]
    pub forge: Forge,
    /// The new repository's name.
    pub target_name: String,
    /// `organisation/name` on GitHub, or the local forge's directory.
    pub target: String,
    pub description: String,
    /// The original URL.
    pub homepage: String,
    pub topics: Vec<String>,
    pub default_branch: String,
    /// The original tip of the default branch.
    pub head: String,
    pub placement: Placement,
    /// The original heads and tags, pushed unchanged (the default branch gets the notice commit on top unless
    /// the placement is a separate branch).
    pub original_refs: BTreeMap<String, String>,
    pub verdict: String,
    pub overrides: Overrides,
    /// The notice commit's time: the removal confirmation (or the last sighting when forced), fixed so a rerun
    /// builds the same commit.
    pub notice_time: DateTime<Utc>,
    #[serde(skip)]
    pub notice: Notice,
    #[serde(skip)]
    pub bot: BotIdentity,
}

fn forge_name<S: serde::Serializer>(forge: &Forge, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(forge.as_str())
}

impl Plan {
    /// Every ref the target must end up with, given the notice commit's id.
    pub fn desired_refs(&self, notice_commit: &str) -> BTreeMap<String, String> {
        let mut refs = self.original_refs.clone();
        match self.placement {
            Placement::DefaultBranch => {
                refs.insert(
                    format!("refs/heads/{}", self.default_branch),
                    notice_commit.to_owned(),
                );
            }
            Placement::SeparateBranch => {
                refs.insert(
                    format!("refs/heads/{PROVENANCE_BRANCH}"),
                    notice_commit.to_owned(),
                );
            }
        }
        refs.insert(format!("refs/tags/{LAST_SEEN_TAG}"), self.head.clone());
        refs
    }

    /// The commit message of the notice commit.
    pub fn notice_message(&self) -> String {
        format!(
            "Add the provenance notice of {} (republished by keepopen)\n\n\
             This is a copy of {} (GitHub repository id {}), removed from GitHub.\n\
             The history is unchanged; this commit only adds the notice.\n\
             Last-seen head: {} ({})\n",
            self.full_name,
            self.notice.provenance.original.url,
            self.id,
            self.head,
            provenance::swhid(&self.head)
        )
    }
}

/// The new repository's name from the template, made safe for GitHub.
pub fn target_name(template: &str, owner: &str, repo: &str, id: u64) -> String {
    let id = id.to_string();
    let filled = config::fill(template, &[("owner", owner), ("repo", repo), ("id", &id)]);
    crate::archive::sanitize_name(&filled)
}

/// Decide what to publish (pure).
pub fn plan(inputs: &PlanInputs<'_>) -> Result<Plan, Refusal> {
    let record = inputs.record;
    let repo = record.full_name.clone();
    match record.status {
        Status::LegalBlock => return Err(Refusal::LegalBlock { repo }),
        _ if record.legal_block.is_some() => return Err(Refusal::LegalBlock { repo }),
        Status::Removed => {}
        status if inputs.overrides.force_public.is_none() => {
            return Err(Refusal::NotRemoved {
                repo,
                status: serde_json::to_value(status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
            });
        }
        _ => {}
    }
    if let Some(error) = &inputs.check.error {
        return Err(Refusal::CheckFailed {
            repo,
            error: error.clone(),
        });
    }
    let verdict = inputs
        .check
        .decision
        .clone()
        .ok_or_else(|| Refusal::CheckFailed {
            repo: repo.clone(),
            error: "no verdict".into(),
        })?;
    if !verdict.is_allowed() && inputs.overrides.verdict.is_none() {
        return Err(Refusal::NotAllowed {
            repo,
            verdict: verdict.name().into(),
            reasons: verdict.reasons().to_vec(),
        });
    }
    let default_branch = record
        .default_branch
        .clone()
        .or_else(|| inputs.mirror_head.map(str::to_owned))
        .unwrap_or_else(|| "main".into());
    let head = inputs
        .mirror_refs
        .get(&format!("refs/heads/{default_branch}"))
        .cloned()
        .ok_or_else(|| Refusal::NoDefaultBranch {
            repo: repo.clone(),
            branch: default_branch.clone(),
        })?;
    let name = target_name(
        &inputs.target.name,
        record.owner(),
        record.name(),
        record.id,
    );
    if let Some((other, _, _)) = inputs
        .published
        .iter()
        .find(|(_, id, n)| *id != record.id && n.eq_ignore_ascii_case(&name))
    {
        return Err(Refusal::NameCollision {
            repo,
            name,
            other: other.clone(),
        });
    }
    let no_derivatives = verdict
        .conditions()
        .iter()
        .any(|c| matches!(c, Condition::NoChangesToTree(_)));
    let placement = if no_derivatives {
        Placement::SeparateBranch
    } else {
        Placement::DefaultBranch
    };
    let target = inputs.target;
    let (republisher, target_display) = match target.forge {
        Forge::Github => {
            let org = target.organisation.clone().unwrap_or_default();
            (org.clone(), format!("{org}/{name}"))
        }
        Forge::Local => {
            let dir = PathBuf::from(&target.path);
            let label = dir
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| target.path.clone());
            (
                format!("the keepopen forge \"{label}\""),
                dir.join(format!("{name}.git")).display().to_string(),
            )
        }
    };
    let original_refs: BTreeMap<String, String> = inputs
        .mirror_refs
        .iter()
        .filter(|(n, _)| {
            !n.starts_with(&format!("refs/tags/{LAST_SEEN_TAG}"))
                && *n != &format!("refs/heads/{PROVENANCE_BRANCH}")
        })
        .map(|(n, id)| (n.clone(), id.clone()))
        .collect();
    let check = inputs.check;
    let notice = provenance::render(&NoticeInput {
        record,
        refs: &original_refs,
        default_branch: &default_branch,
        head: &head,
        verdict: &verdict,
        expression: &check.expression,
        findings: &check.findings,
        holders: &check.holders,
        license_list_version: &check.license_list_version,
        override_reason: if verdict.is_allowed() {
            None
        } else {
            inputs.overrides.verdict.as_deref()
        },
        force_public_reason: if record.status == Status::Removed {
            None
        } else {
            inputs.overrides.force_public.as_deref()
        },
        republisher: &republisher,
        target_name: &name,
        bot_name: &target.bot.name,
        takedown: &target.takedown,
        placement,
    });
    let id = record.id.to_string();
    let values = [
        ("owner", record.owner()),
        ("repo", record.name()),
        ("id", id.as_str()),
        ("full_name", record.full_name.as_str()),
        ("url", record.html_url.as_str()),
        ("expression", check.expression.as_str()),
    ];
    let mut description = config::fill(&target.description, &values);
    if placement == Placement::SeparateBranch {
        description = format!("{description} {}", notice.summary);
    }
    // GitHub's limit is 350 characters.
    let description: String = description.chars().take(350).collect();
    let mut topics: Vec<String> = target
        .topics
        .iter()
        .map(|t| {
            config::fill(t, &values)
                .to_lowercase()
                .replace([' ', '_', '/'], "-")
        })
        .filter(|t| !t.is_empty())
        .collect();
    topics.dedup();
    let mut overrides = inputs.overrides.clone();
    if verdict.is_allowed() {
        overrides.verdict = None;
    }
    if record.status == Status::Removed {
        overrides.force_public = None;
    }
    Ok(Plan {
        full_name: record.full_name.clone(),
        id: record.id,
        forge: target.forge,
        target_name: name,
        target: target_display,
        description,
        homepage: record.html_url.clone(),
        topics,
        default_branch,
        head,
        placement,
        original_refs,
        verdict: verdict.name().into(),
        overrides,
        notice_time: record.removal_confirmed_at.unwrap_or(record.last_seen),
        notice,
        bot: target.bot.clone(),
    })
}

/// How the target compares with what would be pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetState {
    /// No heads or tags yet.
    Empty,
    /// Exactly what would be pushed: nothing to do.
    Equal,
    /// Every ref it has is one we push, at our commit or an ancestor of it: an interrupted run; push the rest.
    Partial,
    /// Refs that are not ours, or point elsewhere: `ref: why` each.
    Differs(Vec<String>),
}

/// Compare the target's refs with the desired ones; `contains(desired, present)` says whether the desired
/// commit contains the present one (pure given that function).
pub fn compare(
    desired: &BTreeMap<String, String>,
    present: &BTreeMap<String, String>,
    contains: impl Fn(&str, &str) -> bool,
) -> TargetState {
    if present.is_empty() {
        return TargetState::Empty;
    }
    if present == desired {
        return TargetState::Equal;
    }
    let mut differs = Vec::new();
    for (name, id) in present {
        match desired.get(name) {
            None => differs.push(format!("{name} ({id}) is not part of this republication")),
            Some(want) if want == id => {}
            Some(want) if name.starts_with("refs/heads/") && contains(want, id) => {}
            Some(want) => differs.push(format!("{name} is {id}, not {want}")),
        }
    }
    if differs.is_empty() {
        TargetState::Partial
    } else {
        TargetState::Differs(differs)
    }
}

/// The intermediate steps of a chunked push of a first-parent history of `len` commits (oldest first): every
/// `chunk`-th index, in order, short of the tip (pushed last by the caller), beyond what the target already has
/// (`already`: the index of the target's current tip in that history).
pub fn chunk_steps(len: usize, chunk: usize, already: Option<usize>) -> Vec<usize> {
    if chunk == 0 || len <= chunk {
        return Vec::new();
    }
    (1..)
        .map(|k| k * chunk - 1)
        .take_while(|&i| i < len - 1)
        .filter(|&i| already.is_none_or(|a| i > a))
        .collect()
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

/// What happened to the wiki. A wiki that cannot be pushed does not undo the publication of the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum WikiPublication {
    Published { target_url: String },
    Unchanged { target_url: String },
    Failed { target_url: String, error: String },
}

/// The archived wiki mirror of the record, if one was mirrored (beside the repository's mirror).
fn wiki_mirror(request: &Request) -> Option<PathBuf> {
    let wiki = request.record.wiki.as_ref()?;
    if wiki.state != crate::state::WikiState::Mirrored {
        return None;
    }
    let relative = wiki.path.as_deref()?;
    crate::archive::resolve(request.mirror.parent()?, relative).ok()
}

/// Push a wiki mirror's heads and tags, unchanged, to `url` (blocking). Nothing is added to a wiki.
fn publish_wiki_blocking(
    mirror: &std::path::Path,
    url: &str,
    tokens: Option<&dyn TokenSource>,
    force: bool,
) -> WikiPublication {
    let attempt = || -> anyhow::Result<WikiPublication> {
        let desired = git::mirror_refs(mirror)?.refs;
        let staging = git::Staging::new(mirror)?;
        let repo = staging.open()?;
        for (name, id) in &desired {
            repo.reference(name, git2::Oid::from_str(id)?, true, "keepopen: stage")?;
        }
        let present = git::remote_refs(&repo, url, tokens)?;
        let plus = match compare(&desired, &present, |w, h| git::contains(&repo, w, h)) {
            TargetState::Equal => {
                return Ok(WikiPublication::Unchanged {
                    target_url: url.to_owned(),
                });
            }
            TargetState::Differs(refs) if !force => {
                anyhow::bail!("the target wiki holds something else: {}", refs.join("; "))
            }
            TargetState::Differs(_) => "+",
            TargetState::Empty | TargetState::Partial => "",
        };
        let refspecs: Vec<String> = desired
            .iter()
            .filter(|(name, id)| present.get(*name) != Some(*id))
            .map(|(name, _)| format!("{plus}{name}:{name}"))
            .collect();
        git::push(&repo, url, &refspecs, tokens)?;
        Ok(WikiPublication::Published {
            target_url: url.to_owned(),
        })
    };
    attempt().unwrap_or_else(|e| WikiPublication::Failed {
        target_url: url.to_owned(),
        error: format!("{e:#}"),
    })
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
}

/// The plan with its notice commit built: what a dry run shows.
pub struct Prepared {
    pub plan: Plan,
    pub notice_commit: String,
    pub desired: BTreeMap<String, String>,
    staging: git::Staging,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("plan", &self.plan)
            .field("notice_commit", &self.notice_commit)
            .finish_non_exhaustive()
    }
}

/// Run the licence engine on the mirror, plan, and build the notice commit in a staging repository. Writes
/// nothing outside a temporary directory (the scan cache in state is read, not written); refusals come back
/// as a [`Refusal`] inside the error.
pub async fn prepare(store: &Store, request: &Request) -> anyhow::Result<Prepared> {
    prepare_caching(
        store,
        request,
        crate::check::ScanCache::in_state_read_only(store.root()),
    )
    .await
}

async fn prepare_caching(
    store: &Store,
    request: &Request,
    cache: crate::check::ScanCache,
) -> anyhow::Result<Prepared> {
    let published: Vec<(String, u64, String)> = store
        .list()?
        .into_iter()
        .flat_map(|r| {
            let (full, id) = (r.full_name.clone(), r.id);
            r.publications
                .into_iter()
                .map(move |p| (full.clone(), id, p.name))
        })
        .collect();
    let request = request.clone();
    tokio::task::spawn_blocking(move || prepare_blocking(&request, &published, &cache))
        .await
        .context("the preparation task panicked")?
}

fn prepare_blocking(
    request: &Request,
    published: &[(String, u64, String)],
    cache: &crate::check::ScanCache,
) -> anyhow::Result<Prepared> {
    let record = &request.record;
    let mirror = git::mirror_refs(&request.mirror).with_context(|| {
        format!(
            "{}: cannot read the refs of the mirror {}",
            record.full_name,
            request.mirror.display()
        )
    })?;
    let detector = crate::license::detect::Detector::embedded();
    let check = match crate::license::refs::evidence(&request.mirror, &detector) {
        Ok(report) => crate::check::judge_report(
            &request.mirror,
            record.full_name.clone(),
            report,
            &request.policy,
        ),
        Err(e) => {
            return Err(Refusal::CheckFailed {
                repo: record.full_name.clone(),
                error: format!("{e:#}"),
            }
            .into());
        }
    };
    let plan = plan(&PlanInputs {
        record,
        check: &check,
        mirror_refs: &mirror.refs,
        mirror_head: mirror.head_branch.as_deref(),
        target: &request.target,
        overrides: &request.overrides,
        published,
    })?;
    let scanned = safety_gate(request, &plan.original_refs, cache)?;
    let staging = git::Staging::new(&request.mirror)?;
    let repo = staging.open()?;
    let message = plan.notice_message();
    let notice_commit = git::write_notice_commit(
        &repo,
        &git::NoticeCommit {
            markdown: &plan.notice.markdown,
            json: &plan.notice.json,
            parent: match plan.placement {
                Placement::DefaultBranch => Some(&plan.head),
                Placement::SeparateBranch => None,
            },
            bot_name: &plan.bot.name,
            bot_email: &plan.bot.email,
            time: plan.notice_time.timestamp(),
            message: &message,
        },
    )?
    .to_string();
    let desired = plan.desired_refs(&notice_commit);
    let tips: Vec<git2::Oid> = desired
        .values()
        .filter_map(|id| git2::Oid::from_str(id).ok())
        .collect();
    // The size limit, judged on the largest blobs the gate's scan kept (the same history, the notice commit
    // aside) when they vouch for it, else on the object database.
    let limit = request.target.max_file_bytes;
    let large = match scanned.blobs_over(limit) {
        Some(over) => {
            let mut large: Vec<git::LargeFile> = over
                .into_iter()
                .map(|b| git::LargeFile {
                    path: b.path.clone(),
                    bytes: b.size,
                    commit: b.commit.clone(),
                })
                .collect();
            for (path, bytes) in [
                (crate::provenance::MARKDOWN_FILE, plan.notice.markdown.len()),
                (crate::provenance::JSON_FILE, plan.notice.json.len()),
            ] {
                if bytes as u64 > limit {
                    large.push(git::LargeFile {
                        path: path.to_owned(),
                        bytes: bytes as u64,
                        commit: notice_commit.clone(),
                    });
                }
            }
            large
        }
        None => git::large_files(&repo, &tips, limit)?,
    };
    if !large.is_empty() {
        return Err(Refusal::LargeFiles {
            repo: record.full_name.clone(),
            limit: request.target.max_file_bytes,
            files: large
                .iter()
                .map(|f| format!("{} ({} bytes, in commit {})", f.path, f.bytes, f.commit))
                .collect(),
        }
        .into());
    }
    // The staging repository names what is pushed; its refs die with it.
    for (name, id) in &desired {
        repo.reference(name, git2::Oid::from_str(id)?, true, "keepopen: stage")?;
    }
    drop(repo);
    Ok(Prepared {
        plan,
        notice_commit,
        desired,
        staging,
    })
}

/// The sensitive-content gate: scan every blob reachable from the refs that will be pushed (and the archived
/// wiki, pushed beside it) with the policy's `safety` section; what its allow-list and overrides do not waive
/// refuses the publication. The notice commit is ours and is not scanned. Blocking; writes nothing but the
/// scan cache, whose key is the exact tips pushed, the rules and the settings (so a cached report is the
/// report a fresh scan would give).
fn safety_gate(
    request: &Request,
    refs: &BTreeMap<String, String>,
    cache: &crate::check::ScanCache,
) -> anyhow::Result<crate::safety::SafetyReport> {
    let repo_name = &request.record.full_name;
    let config = crate::safety::SafetyConfig::from_sections(&request.policy.sections)
        .context("the policy's safety section")?;
    let mirror = git2::Repository::open_bare(&request.mirror).with_context(|| {
        format!(
            "{repo_name}: cannot open the mirror {}",
            request.mirror.display()
        )
    })?;
    let (report, cached) = cache
        .scan_tips(&mirror, repo_name, refs, &config)
        .with_context(|| format!("{repo_name}: cannot scan the mirror"))?;
    let mut reasons = Vec::new();
    let mut fingerprints = Vec::new();
    let mut add = |prefix: &str, report: &crate::safety::SafetyReport| {
        for finding in &report.findings {
            reasons.push(format!(
                "{prefix}{}; fingerprint {}",
                finding.summary(),
                finding.fingerprint
            ));
            fingerprints.push(finding.fingerprint.clone());
        }
        let rest = report.blocking_reasons();
        reasons.extend(
            rest.into_iter()
                .skip(report.findings.len())
                .map(|r| format!("{prefix}{r}")),
        );
    };
    add("", &report);
    if let Some(wiki) = wiki_mirror(request) {
        let wiki_report = crate::safety::scan_path(&wiki, repo_name, &config)
            .with_context(|| format!("{repo_name}: cannot scan the archived wiki"))?;
        add("wiki: ", &wiki_report);
    }
    tracing::debug!(
        repo = %repo_name,
        blobs = report.blobs_scanned,
        bytes = report.bytes_scanned,
        waived = report.allowed.len(),
        blocking = reasons.len(),
        cached,
        "safety gate"
    );
    if reasons.is_empty() {
        return Ok(report);
    }
    Err(Refusal::SensitiveContent {
        repo: repo_name.clone(),
        reasons,
        fingerprints,
    }
    .into())
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
        crate::check::ScanCache::in_state(store.root()),
    )
    .await?;
    let publication = match request.target.forge {
        Forge::Local => publish_local(prepared, &request).await?,
        Forge::Github => {
            let tokens = tokens.context(
                "the github forge needs a token\nhelp: set GITHUB_TOKEN or GITHUB_APP_INSTALLATION_TOKEN",
            )?;
            publish_github(prepared, &request, tokens).await?
        }
    };
    record(store, &request, &publication)?;
    Ok(publication)
}

fn record(store: &Store, request: &Request, p: &Publication) -> anyhow::Result<()> {
    let mut record = store
        .load(request.record.id)?
        .unwrap_or_else(|| request.record.clone());
    let already = record
        .publications
        .iter()
        .any(|r| r.target_url == p.target_url && r.pushed == p.refs);
    if already {
        return Ok(());
    }
    record.publications.push(PublicationRecord {
        forge: request.target.forge.as_str().into(),
        name: target_name(
            &request.target.name,
            request.record.owner(),
            request.record.name(),
            request.record.id,
        ),
        target_url: p.target_url.clone(),
        pushed: p.refs.clone(),
        notice_commit: p.notice_commit.clone(),
        last_seen_commit: p
            .refs
            .get(&format!("refs/tags/{LAST_SEEN_TAG}"))
            .cloned()
            .unwrap_or_default(),
        verdict: p.verdict.clone(),
        override_reason: p.overrides.verdict.clone(),
        force_public_reason: p.overrides.force_public.clone(),
        force_reason: p.overrides.force.clone(),
        wiki_url: match &p.wiki {
            Some(WikiPublication::Published { target_url })
            | Some(WikiPublication::Unchanged { target_url }) => Some(target_url.clone()),
            _ => None,
        },
        published_at: request.now,
    });
    store.save(&record)
}

/// What a push run did.
struct Synced {
    outcome: Outcome,
    pushes: usize,
}

/// Bring the target at `url` to `desired` from the staging repository: list its refs, compare, push (the
/// default branch in chunks first when its history is long). Blocking.
fn sync_blocking(
    prepared: &Prepared,
    url: &str,
    tokens: Option<&dyn TokenSource>,
    chunk: usize,
    force: bool,
) -> anyhow::Result<Synced> {
    let repo = prepared.staging.open()?;
    let desired = &prepared.desired;
    let present = git::remote_refs(&repo, url, tokens)?;
    let state = compare(desired, &present, |want, have| {
        git::contains(&repo, want, have)
    });
    tracing::debug!(?state, target = %prepared.plan.target, "target compared");
    let outcome = match &state {
        TargetState::Equal => {
            return Ok(Synced {
                outcome: Outcome::AlreadyPublished,
                pushes: 0,
            });
        }
        TargetState::Empty => Outcome::Published,
        TargetState::Partial => Outcome::Completed,
        TargetState::Differs(_) if force => Outcome::Overwritten,
        TargetState::Differs(refs) => {
            return Err(Refusal::TargetDiffers {
                repo: prepared.plan.full_name.clone(),
                target: prepared.plan.target.clone(),
                refs: refs.clone(),
            }
            .into());
        }
    };
    let mut pushes = 0;
    let branch_ref = format!("refs/heads/{}", prepared.plan.default_branch);
    // Chunks: the original default branch, `chunk` first-parent commits at a time.
    if chunk > 0 && outcome != Outcome::Overwritten {
        let head = git2::Oid::from_str(&prepared.plan.head)?;
        let chain = git::first_parent_chain(&repo, head)?;
        if chain.len() > chunk {
            let already = present
                .get(&branch_ref)
                .and_then(|id| git2::Oid::from_str(id).ok())
                .and_then(|id| chain.iter().position(|c| *c == id));
            for index in chunk_steps(chain.len(), chunk, already) {
                let step = "refs/keepopen/chunk";
                repo.reference(step, chain[index], true, "keepopen: chunk")?;
                tracing::debug!(index, of = chain.len(), "pushing a chunk of {branch_ref}");
                git::push(&repo, url, &[format!("{step}:{branch_ref}")], tokens)
                    .with_context(|| format!("chunk {} of {branch_ref}", index + 1))?;
                pushes += 1;
            }
        }
    }
    let plus = if force { "+" } else { "" };
    let mut refspecs: Vec<String> = desired
        .iter()
        .filter(|(name, id)| present.get(*name) != Some(*id))
        .map(|(name, _)| format!("{plus}{name}:{name}"))
        .collect();
    if force {
        refspecs.extend(
            present
                .keys()
                .filter(|name| !desired.contains_key(*name))
                .map(|name| format!(":{name}")),
        );
    }
    git::push(&repo, url, &refspecs, tokens)?;
    pushes += 1;
    Ok(Synced { outcome, pushes })
}

async fn publish_local(prepared: Prepared, request: &Request) -> anyhow::Result<Publication> {
    let target = std::path::absolute(PathBuf::from(&request.target.path))
        .context("cannot resolve target.path")?
        .join(format!("{}.git", prepared.plan.target_name));
    let chunk = request.target.chunk_commits;
    let force = request.overrides.force.is_some();
    let mirror = request.mirror.clone();
    let wiki = wiki_mirror(request);
    tokio::task::spawn_blocking(move || {
        let created = git::ensure_local(&target)?;
        let url = target.display().to_string();
        let empty = git2::Repository::open_bare(&target)?
            .references()?
            .next()
            .is_none();
        let seeded = empty && git::only_published_history(&mirror)?;
        if seeded {
            git::seed_local(&mirror, &target, &prepared.plan.original_refs)
                .with_context(|| format!("cannot seed {url} from the mirror"))?;
        }
        let mut synced = sync_blocking(&prepared, &url, None, chunk, force)
            .with_context(|| format!("cannot publish {} to {url}", prepared.plan.full_name))?;
        if seeded && synced.outcome == Outcome::Completed {
            synced.outcome = Outcome::Published;
        }
        if synced.outcome != Outcome::AlreadyPublished {
            git::set_local_head(
                &target,
                &prepared.plan.default_branch,
                &prepared.plan.description,
            )?;
        }
        let wiki = wiki.map(|mirror| {
            let target = target.with_extension("wiki.git");
            match git::ensure_local(&target) {
                Ok(_) => publish_wiki_blocking(&mirror, &target.display().to_string(), None, force),
                Err(e) => WikiPublication::Failed {
                    target_url: target.display().to_string(),
                    error: format!("{e:#}"),
                },
            }
        });
        Ok(Publication {
            wiki,
            outcome: synced.outcome,
            target: prepared.plan.target.clone(),
            target_url: url,
            notice_commit: prepared.notice_commit.clone(),
            refs: prepared.desired.clone(),
            pushes: synced.pushes,
            created,
            verdict: prepared.plan.verdict.clone(),
            overrides: prepared.plan.overrides.clone(),
        })
    })
    .await
    .context("the publishing task panicked")?
}

/// Spaces API writes: GitHub asks for content-creating requests one at a time, about a second apart.
struct Pace {
    interval: std::time::Duration,
    last: Option<tokio::time::Instant>,
}

impl Pace {
    fn new(interval: std::time::Duration) -> Pace {
        Pace {
            interval,
            last: None,
        }
    }

    async fn wait(&mut self) {
        if let Some(last) = self.last {
            tokio::time::sleep_until(last + self.interval).await;
        }
        self.last = Some(tokio::time::Instant::now());
    }
}

/// The API client for the target, with the token the source gives now.
fn github_client(
    target: &TargetConfig,
    tokens: &dyn TokenSource,
) -> anyhow::Result<github::Client> {
    Ok(github::Client::new(github::ClientConfig {
        api_url: target.api_url.clone(),
        token: Some(tokens.token()?),
        timeout: std::time::Duration::from_secs(30),
        retry: github::RetryPolicy::default(),
    })?)
}

async fn publish_github(
    prepared: Prepared,
    request: &Request,
    tokens: Arc<dyn TokenSource>,
) -> anyhow::Result<Publication> {
    // Before any write: the push needs the system git.
    let git_version = tokio::task::spawn_blocking(git::check_git)
        .await
        .context("the git check panicked")??;
    tracing::debug!(git = git_version, "pushing with the system git");
    let prepared = Arc::new(prepared);
    let plan = prepared.plan.clone();
    let org = request
        .target
        .organisation
        .clone()
        .context("`target.organisation` is not set")?;
    let full = format!("{org}/{}", plan.target_name);
    let client = github_client(&request.target, tokens.as_ref())?;
    let mut pace = Pace::new(request.target.write_interval());
    let (repository, created) = match client.target_repository(&full).await? {
        Some(existing) => {
            let homepage = existing.homepage.clone().unwrap_or_default();
            if !homepage.is_empty()
                && homepage.trim_end_matches('/') != plan.homepage.trim_end_matches('/')
                && request.overrides.force.is_none()
            {
                return Err(Refusal::NameCollision {
                    repo: plan.full_name.clone(),
                    name: plan.target_name.clone(),
                    other: homepage,
                }
                .into());
            }
            (existing, false)
        }
        None => {
            let new = github::NewRepository {
                name: plan.target_name.clone(),
                description: plan.description.clone(),
                homepage: plan.homepage.clone(),
                private: false,
                has_issues: true,
                has_wiki: wiki_mirror(request).is_some(),
                has_projects: false,
                auto_init: false,
            };
            tracing::info!(target = %full, "creating the target repository");
            pace.wait().await;
            (client.create_org_repository(&org, &new).await?, true)
        }
    };
    let url = repository.clone_url.clone();
    // Compare before any write, so a finished publication costs reads only.
    let chunk = request.target.chunk_commits;
    let force = request.overrides.force.is_some();
    let listed = {
        let (prepared, url, tokens) = (prepared.clone(), url.clone(), tokens.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<TargetState> {
            let repo = prepared.staging.open()?;
            let present = git::remote_refs(&repo, &url, Some(tokens.as_ref()))?;
            Ok(compare(&prepared.desired, &present, |w, h| {
                git::contains(&repo, w, h)
            }))
        })
        .await
        .context("the listing task panicked")??
    };
    let mut outcome = Outcome::AlreadyPublished;
    let mut pushes = 0;
    if listed != TargetState::Equal {
        // The republished code's own workflows must never run in the community organisation.
        pace.wait().await;
        client
            .disable_actions(&full)
            .await
            .with_context(|| format!("cannot disable Actions on {full}; nothing was pushed"))?;
        pace.wait().await;
        client
            .update_repository(
                &full,
                &serde_json::json!({"description": plan.description, "homepage": plan.homepage}),
            )
            .await?;
        pace.wait().await;
        client.replace_topics(&full, &plan.topics).await?;
        let synced = {
            let (prepared, url, tokens) = (prepared.clone(), url.clone(), tokens.clone());
            tokio::task::spawn_blocking(move || {
                sync_blocking(&prepared, &url, Some(tokens.as_ref()), chunk, force)
            })
            .await
            .context("the push task panicked")?
            .with_context(|| format!("cannot publish {} to {full}", plan.full_name))?
        };
        outcome = synced.outcome;
        pushes = synced.pushes;
        let mut fields = serde_json::json!({"default_branch": plan.default_branch});
        if request.target.archive_after_publish {
            fields["archived"] = serde_json::Value::Bool(true);
        }
        // A fresh client: the token may have been renewed during a long push.
        pace.wait().await;
        github_client(&request.target, tokens.as_ref())?
            .update_repository(&full, &fields)
            .await?;
    }
    // GitHub serves a wiki only once it has been enabled and has a page; a refusal is recorded, not fatal.
    let wiki = match wiki_mirror(request) {
        None => None,
        Some(mirror) => {
            let url = match url.strip_suffix(".git") {
                Some(stem) => format!("{stem}.wiki.git"),
                None => format!("{url}.wiki.git"),
            };
            let tokens = tokens.clone();
            Some(
                tokio::task::spawn_blocking(move || {
                    publish_wiki_blocking(&mirror, &url, Some(tokens.as_ref()), force)
                })
                .await
                .context("the wiki task panicked")?,
            )
        }
    };
    Ok(Publication {
        wiki,
        outcome,
        target: plan.target.clone(),
        target_url: url,
        notice_commit: prepared.notice_commit.clone(),
        refs: prepared.desired.clone(),
        pushes,
        created,
        verdict: plan.verdict.clone(),
        overrides: plan.overrides.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Verdict;

    const HEAD: &str = "1111111111111111111111111111111111111111";
    const TAG: &str = "2222222222222222222222222222222222222222";

    fn record(status: Status) -> RepoRecord {
        let now = chrono::DateTime::from_timestamp(1_717_000_000, 0).unwrap();
        let mut r = RepoRecord::new(77, "nhsuk/front end", now);
        r.html_url = "https://github.com/nhsuk/front end".into();
        r.default_branch = Some("main".into());
        r.status = status;
        r.removal_confirmed_at = Some(now);
        r
    }

    fn check(verdict: Verdict) -> RepoCheck {
        RepoCheck {
            repo: "/archive/77-front.git".into(),
            name: "nhsuk/front end".into(),
            verdict: verdict.name().into(),
            licenses: vec!["MIT".into()],
            expression: "MIT".into(),
            conditions: verdict.conditions().to_vec(),
            reasons: verdict.reasons().to_vec(),
            notes: Vec::new(),
            findings: Vec::new(),
            observations: Vec::new(),
            files: Vec::new(),
            holders: vec!["NHS England".into()],
            commit: Some(HEAD.into()),
            branch: Some("main".into()),
            license_list_version: "3.27".into(),
            scope: crate::check::SCOPE_LICENCE_ONLY.into(),
            safety: None,
            error: None,
            report: None,
            decision: Some(verdict),
        }
    }

    fn refs() -> BTreeMap<String, String> {
        [
            ("refs/heads/main".to_owned(), HEAD.to_owned()),
            ("refs/tags/v1".to_owned(), TAG.to_owned()),
        ]
        .into_iter()
        .collect()
    }

    fn allowed() -> Verdict {
        Verdict::Allowed {
            conditions: vec![Condition::KeepNotices],
        }
    }

    fn run(
        record: &RepoRecord,
        verdict: Verdict,
        overrides: Overrides,
        published: &[(String, u64, String)],
    ) -> Result<Plan, Refusal> {
        let check = check(verdict);
        let refs = refs();
        plan(&PlanInputs {
            record,
            check: &check,
            mirror_refs: &refs,
            mirror_head: Some("main"),
            target: &TargetConfig::default(),
            overrides: &overrides,
            published,
        })
    }

    #[test]
    fn plan_refuses_what_may_not_be_published_and_says_why() {
        let review = Verdict::NeedsReview {
            reasons: vec!["MIT: confidence 0.50 is below the policy's 0.90".into()],
            conditions: vec![],
        };
        let forbidden = Verdict::Forbidden {
            reasons: vec!["no licence anywhere".into()],
        };
        let with = |verdict: Option<&str>, public: Option<&str>| Overrides {
            verdict: verdict.map(str::to_owned),
            force_public: public.map(str::to_owned),
            force: None,
        };
        let taken = [(
            "nhsuk/other".to_owned(),
            5u64,
            "nhsuk--front_end".to_owned(),
        )];
        type Case<'a> = (
            &'a str,
            RepoRecord,
            Verdict,
            Overrides,
            &'a [(String, u64, String)],
            Result<(), &'a str>,
        );
        let cases: Vec<Case<'_>> = vec![
            (
                "allowed and removed",
                record(Status::Removed),
                allowed(),
                with(None, None),
                &[],
                Ok(()),
            ),
            (
                "still public",
                record(Status::Present),
                allowed(),
                with(None, None),
                &[],
                Err("not confirmed removed (status: present)"),
            ),
            (
                "still public, forced",
                record(Status::Present),
                allowed(),
                with(None, Some("asked by the owner")),
                &[],
                Ok(()),
            ),
            (
                "legal block, forced",
                record(Status::LegalBlock),
                allowed(),
                with(Some("x"), Some("y")),
                &[],
                Err("blocked for legal reasons"),
            ),
            (
                "needs review",
                record(Status::Removed),
                review.clone(),
                with(None, None),
                &[],
                Err("confidence 0.50"),
            ),
            (
                "needs review, overridden",
                record(Status::Removed),
                review,
                with(Some("read it myself"), None),
                &[],
                Ok(()),
            ),
            (
                "forbidden",
                record(Status::Removed),
                forbidden,
                with(None, None),
                &[],
                Err("the verdict is forbidden, not allowed:\n  - no licence anywhere"),
            ),
            (
                "name taken by another repository",
                record(Status::Removed),
                allowed(),
                with(None, None),
                &taken,
                Err("already the republication of nhsuk/other"),
            ),
        ];
        for (what, record, verdict, overrides, published, expected) in cases {
            let got = run(&record, verdict, overrides, published);
            match (got, expected) {
                (Ok(_), Ok(())) => {}
                (Err(e), Err(needle)) => {
                    assert!(e.to_string().contains(needle), "{what}: {e}")
                }
                (got, expected) => panic!("{what}: got {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn plan_names_the_target_places_the_notice_and_keeps_only_real_overrides() {
        let r = record(Status::Removed);
        let p = run(
            &r,
            allowed(),
            Overrides {
                verdict: Some("not needed".into()),
                ..Overrides::default()
            },
            &[("nhsuk/front end".into(), 77, "nhsuk--front_end".into())],
        )
        .unwrap();
        assert_eq!(p.target_name, "nhsuk--front_end");
        assert_eq!(p.placement, Placement::DefaultBranch);
        assert_eq!(
            p.overrides.verdict, None,
            "an allowed verdict needs no override"
        );
        assert_eq!(p.notice_time, r.removal_confirmed_at.unwrap());
        let desired = p.desired_refs("abc");
        assert_eq!(desired["refs/heads/main"], "abc");
        assert_eq!(desired["refs/tags/v1"], TAG);
        assert_eq!(desired["refs/tags/keepopen/last-seen"], HEAD);
        assert_eq!(desired.len(), 3);

        let nd = Verdict::Allowed {
            conditions: vec![Condition::NoChangesToTree("CC-BY-ND-4.0".into())],
        };
        let p = run(&r, nd, Overrides::default(), &[]).unwrap();
        assert_eq!(p.placement, Placement::SeparateBranch);
        let desired = p.desired_refs("abc");
        assert_eq!(
            desired["refs/heads/main"], HEAD,
            "ND: the default branch is untouched"
        );
        assert_eq!(desired["refs/heads/keepopen/provenance"], "abc");
        assert!(
            p.description.contains("swh:1:rev:1111"),
            "{}",
            p.description
        );
    }

    #[test]
    fn target_names_are_safe() {
        assert_eq!(
            target_name("{owner}--{repo}", "nhsuk", "frontend", 1),
            "nhsuk--frontend"
        );
        assert_eq!(target_name("{owner}--{repo}", "o", "../x", 1), "o--__x");
        assert_eq!(target_name("r-{id}", "o", "x", 42), "r-42");
    }

    #[test]
    fn compare_tells_equal_partial_and_different_targets_apart() {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let desired = map(&[("refs/heads/main", "c3"), ("refs/tags/v1", "t1")]);
        // c1 and c2 are ancestors of c3; x is unrelated.
        let contains = |want: &str, have: &str| want == "c3" && (have == "c1" || have == "c2");
        let cases = [
            (map(&[]), TargetState::Empty),
            (desired.clone(), TargetState::Equal),
            (map(&[("refs/heads/main", "c2")]), TargetState::Partial),
            (
                map(&[("refs/heads/main", "c1"), ("refs/tags/v1", "t1")]),
                TargetState::Partial,
            ),
            (
                map(&[("refs/heads/main", "x")]),
                TargetState::Differs(vec!["refs/heads/main is x, not c3".into()]),
            ),
            (
                map(&[("refs/heads/main", "c3"), ("refs/heads/other", "c1")]),
                TargetState::Differs(vec![
                    "refs/heads/other (c1) is not part of this republication".into(),
                ]),
            ),
            (
                map(&[("refs/tags/v1", "t0")]),
                TargetState::Differs(vec!["refs/tags/v1 is t0, not t1".into()]),
            ),
        ];
        for (present, expected) in cases {
            assert_eq!(
                compare(&desired, &present, contains),
                expected,
                "{present:?}"
            );
        }
    }

    #[test]
    fn chunk_steps_cover_the_history_and_resume_after_what_is_there() {
        let cases: [(usize, usize, Option<usize>, Vec<usize>); 7] = [
            (10, 0, None, vec![]),
            (10, 10, None, vec![]),
            (10, 3, None, vec![2, 5, 8]),
            (9, 3, None, vec![2, 5]),
            (10, 3, Some(5), vec![8]),
            (10, 3, Some(4), vec![5, 8]),
            (10, 3, Some(9), vec![]),
        ];
        for (len, chunk, already, expected) in cases {
            assert_eq!(
                chunk_steps(len, chunk, already),
                expected,
                "{len} {chunk} {already:?}"
            );
        }
    }
}
