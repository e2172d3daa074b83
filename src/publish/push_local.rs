//! Publishing to the local forge: a directory of bare repositories.

use super::*;

pub(super) async fn publish_local(
    prepared: Prepared,
    request: &Request,
) -> anyhow::Result<Publication> {
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
