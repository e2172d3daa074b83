//! The plan: the pure decision of what to publish, where and how, or why not ([`Refusal`]).

use super::*;

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
    /// The repository's one evaluation: its licence report and verdicts, and the heads and tags it was read
    /// at (its HEAD branch is the default branch when the record knows none).
    pub evaluation: &'a Evaluation,
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
    pub forge: ForgeKind,
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

pub(super) fn forge_name<S: serde::Serializer>(forge: &ForgeKind, s: S) -> Result<S::Ok, S::Error> {
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
    refuse_unless_publishable(inputs)?;
    let evaluation = inputs.evaluation;
    let verdict = &evaluation.verdict;
    let (default_branch, head) = default_branch_and_head(inputs)?;
    let name = target_name(
        &inputs.target.name,
        record.owner(),
        record.name(),
        record.id,
    );
    refuse_name_collision(inputs, &name)?;
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
    let (republisher, target_display) = republisher_and_target(target, &name);
    let original_refs = original_refs(&evaluation.refs.refs);
    let notice = notice(
        inputs,
        &original_refs,
        (&default_branch, &head),
        &republisher,
        &name,
        placement,
    );
    let (description, topics) = description_and_topics(inputs, placement, &notice.summary);
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
        overrides: overrides_in_force(inputs),
        notice_time: record.removal_confirmed_at.unwrap_or(record.last_seen),
        notice,
        bot: target.bot.clone(),
    })
}

/// The provenance notice for this plan: the evaluation's verdict and evidence, and the reasons of the person
/// who overrode the verdict or forced a publication, when that changed something.
fn notice(
    inputs: &PlanInputs<'_>,
    original_refs: &BTreeMap<String, String>,
    (default_branch, head): (&str, &str),
    republisher: &str,
    name: &str,
    placement: Placement,
) -> Notice {
    let (record, target) = (inputs.record, inputs.target);
    let verdict = &inputs.evaluation.verdict;
    let check = &inputs.evaluation.check;
    provenance::render(&NoticeInput {
        record,
        refs: original_refs,
        default_branch,
        head,
        verdict,
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
        republisher,
        target_name: name,
        bot_name: &target.bot.name,
        takedown: &target.takedown,
        placement,
    })
}

/// The two gates before anything is planned: the repository must be removed (or forced public) and under no legal
/// block, and its licence verdict allowed (or overridden by a person). The history has its own gate, on exactly
/// the refs pushed ([`super::gate`]); the notice tells the verdict with the history weighed.
fn refuse_unless_publishable(inputs: &PlanInputs<'_>) -> Result<(), Refusal> {
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
    let licence = &inputs.evaluation.licence;
    if !licence.is_allowed() && inputs.overrides.verdict.is_none() {
        return Err(Refusal::NotAllowed {
            repo,
            verdict: licence.name().into(),
            reasons: licence.reasons().to_vec(),
        });
    }
    Ok(())
}

/// The default branch (the record's, else the mirror's HEAD, else `main`) and the commit it points at.
fn default_branch_and_head(inputs: &PlanInputs<'_>) -> Result<(String, String), Refusal> {
    let evaluation = inputs.evaluation;
    let default_branch = inputs
        .record
        .default_branch
        .clone()
        .or_else(|| evaluation.refs.head_branch.clone())
        .unwrap_or_else(|| "main".into());
    let head = evaluation
        .refs
        .refs
        .get(&format!("refs/heads/{default_branch}"))
        .cloned()
        .ok_or_else(|| Refusal::NoDefaultBranch {
            repo: inputs.record.full_name.clone(),
            branch: default_branch.clone(),
        })?;
    Ok((default_branch, head))
}

/// Refuse a target name another published repository already holds (GitHub names ignore case).
fn refuse_name_collision(inputs: &PlanInputs<'_>, name: &str) -> Result<(), Refusal> {
    let record = inputs.record;
    match inputs
        .published
        .iter()
        .find(|(_, id, n)| *id != record.id && n.eq_ignore_ascii_case(name))
    {
        Some((other, _, _)) => Err(Refusal::NameCollision {
            repo: record.full_name.clone(),
            name: name.to_owned(),
            other: other.clone(),
        }),
        None => Ok(()),
    }
}

/// Who republishes (named in the notice) and where the new repository is, in words, for the target's forge.
fn republisher_and_target(target: &TargetConfig, name: &str) -> (String, String) {
    match target.forge {
        ForgeKind::Github => {
            let org = target.organisation.clone().unwrap_or_default();
            (org.clone(), format!("{org}/{name}"))
        }
        ForgeKind::Local => {
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
    }
}

/// The original's refs as they are republished: the mirror's own bookkeeping (the last-seen tags and the
/// provenance branch) left out.
fn original_refs(refs: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    refs.iter()
        .filter(|(n, _)| {
            !n.starts_with(&format!("refs/tags/{LAST_SEEN_TAG}"))
                && *n != &format!("refs/heads/{PROVENANCE_BRANCH}")
        })
        .map(|(n, id)| (n.clone(), id.clone()))
        .collect()
}

/// The new repository's description (the notice's summary added when the notice is on a separate branch; at most
/// GitHub's 350 characters) and its topics, each filled from the target's templates.
fn description_and_topics(
    inputs: &PlanInputs<'_>,
    placement: Placement,
    summary: &str,
) -> (String, Vec<String>) {
    let (record, target) = (inputs.record, inputs.target);
    let id = record.id.to_string();
    let values = [
        ("owner", record.owner()),
        ("repo", record.name()),
        ("id", id.as_str()),
        ("full_name", record.full_name.as_str()),
        ("url", record.html_url.as_str()),
        ("expression", inputs.evaluation.check.expression.as_str()),
    ];
    let mut description = config::fill(&target.description, &values);
    if placement == Placement::SeparateBranch {
        description = format!("{description} {summary}");
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
    (description, topics)
}

/// The overrides the plan records: only those that changed something (a verdict override of an allowed
/// repository, or a force-public of a removed one, is dropped).
fn overrides_in_force(inputs: &PlanInputs<'_>) -> Overrides {
    let mut overrides = inputs.overrides.clone();
    if inputs.evaluation.verdict.is_allowed() {
        overrides.verdict = None;
    }
    if inputs.record.status == Status::Removed {
        overrides.force_public = None;
    }
    overrides
}
