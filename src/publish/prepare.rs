//! Preparing a publication: the repository's evaluation (the caller's, or made here once), the plan, the safety
//! gate and the notice commit built in a throw-away staging repository. A dry run stops here.

use super::*;

/// The plan with its notice commit built: what a dry run shows.
pub struct Prepared {
    pub plan: Plan,
    pub notice_commit: String,
    pub desired: BTreeMap<String, String>,
    pub(super) staging: git::Staging,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("plan", &self.plan)
            .field("notice_commit", &self.notice_commit)
            .finish_non_exhaustive()
    }
}

/// Evaluate the mirror (unless the request carries its evaluation), plan, and build the notice commit in a
/// staging repository. Writes
/// nothing outside a temporary directory (the scan cache in state is read, not written); refusals come back
/// as a [`Refusal`] inside the error.
pub async fn prepare(store: &Store, request: &Request) -> anyhow::Result<Prepared> {
    prepare_caching(
        store,
        request,
        crate::check::scan_cache::ScanCache::in_state_read_only(store.root()),
    )
    .await
}

pub(super) async fn prepare_caching(
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

pub(super) fn prepare_blocking(
    request: &Request,
    published: &[(String, u64, String)],
    cache: &crate::check::ScanCache,
) -> anyhow::Result<Prepared> {
    let record = &request.record;
    let evaluation = match &request.evaluation {
        Some(evaluation) => evaluation.clone(),
        None => Arc::new(evaluate(request, cache)?),
    };
    let plan = plan(&PlanInputs {
        record,
        evaluation: &evaluation,
        target: &request.target,
        overrides: &request.overrides,
        published,
    })?;
    let scanned = safety_gate(request, &evaluation, &plan.original_refs, cache)?;
    let staging = git::Staging::new(&request.mirror)?;
    let repo = staging.open()?;
    let notice_commit = write_notice_commit(&repo, &plan)?;
    let desired = plan.desired_refs(&notice_commit);
    refuse_large_files(request, &scanned, &plan, &repo, &desired, &notice_commit)?;
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

/// The commit that adds the provenance notice: on the default branch's head, or a root commit of its own when
/// the notice goes on a separate branch.
fn write_notice_commit(repo: &git2::Repository, plan: &Plan) -> anyhow::Result<String> {
    let message = plan.notice_message();
    Ok(git::write_notice_commit(
        repo,
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
    .to_string())
}

/// Refuse a publication with any file over the target's size limit, the notice's own two files included.
fn refuse_large_files(
    request: &Request,
    scanned: &crate::safety::SafetyReport,
    plan: &Plan,
    repo: &git2::Repository,
    desired: &BTreeMap<String, String>,
    notice_commit: &str,
) -> anyhow::Result<()> {
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
                        commit: notice_commit.to_owned(),
                    });
                }
            }
            large
        }
        None => git::large_files(repo, &tips, limit)?,
    };
    if !large.is_empty() {
        return Err(Refusal::LargeFiles {
            repo: request.record.full_name.clone(),
            limit: request.target.max_file_bytes,
            files: large
                .iter()
                .map(|f| format!("{} ({} bytes, in commit {})", f.path, f.bytes, f.commit))
                .collect(),
        }
        .into());
    }
    Ok(())
}

/// The evaluation of the request's mirror under its policy (blocking), through `cache`. A mirror whose licences
/// cannot be read is a [`Refusal::CheckFailed`].
fn evaluate(request: &Request, cache: &crate::check::ScanCache) -> anyhow::Result<Evaluation> {
    let name = &request.record.full_name;
    let safety = &request.policy.safety;
    let detector = crate::license::detect::Detector::embedded();
    crate::check::evaluation::evaluate(
        &request.mirror,
        name,
        &detector,
        &request.policy,
        safety,
        Some(cache),
    )
    .map_err(|e| match e.downcast::<crate::check::LicenceUnreadable>() {
        Ok(unreadable) => Refusal::CheckFailed {
            repo: name.clone(),
            error: unreadable.error,
        }
        .into(),
        Err(e) => e.context(format!(
            "{name}: cannot evaluate the mirror {}",
            request.mirror.display()
        )),
    })
}
