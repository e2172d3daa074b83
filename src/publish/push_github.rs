//! Publishing to GitHub: create the repository (Actions off before the first push), set its metadata,
//! push over HTTPS with the token handed to git through a pipe, and set the default branch.

use super::*;

/// The API client for the target, with the token the source gives now.
pub(super) fn github_client(
    target: &TargetConfig,
    tokens: &dyn TokenSource,
) -> anyhow::Result<github::Client> {
    Ok(github::Client::new(github::ClientConfig {
        api_url: target.api_url.clone(),
        token: Some(tokens.token()?),
        timeout: target.client.timeout,
        retry: target.client.retry.clone(),
    })?)
}

pub(super) async fn publish_github(
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
    let (repository, created) =
        find_or_create(&client, &mut pace, request, &plan, &org, &full).await?;
    let url = repository.clone_url.clone();
    // Compare before any write, so a finished publication costs reads only.
    let listed = list_target(&prepared, &url, &tokens).await?;
    let synced = if listed == TargetState::Equal {
        Synced {
            outcome: Outcome::AlreadyPublished,
            pushes: 0,
        }
    } else {
        let github = Github {
            client: &client,
            tokens: &tokens,
            full: &full,
        };
        write_and_push(&github, &mut pace, &prepared, request, &url).await?
    };
    let wiki = publish_wiki(request, &url, &tokens).await?;
    Ok(Publication {
        wiki,
        outcome: synced.outcome,
        target: plan.target.clone(),
        target_url: url,
        notice_commit: prepared.notice_commit.clone(),
        refs: prepared.desired.clone(),
        pushes: synced.pushes,
        created,
        verdict: plan.verdict.clone(),
        overrides: plan.overrides.clone(),
    })
}

/// The target repository, and whether it was created now. An existing one that names another original as its
/// homepage is a name collision, refused unless forced.
async fn find_or_create(
    client: &github::Client,
    pace: &mut Pace,
    request: &Request,
    plan: &Plan,
    org: &str,
    full: &str,
) -> anyhow::Result<(github::TargetRepository, bool)> {
    if let Some(existing) = client.target_repository(full).await? {
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
        return Ok((existing, false));
    }
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
    Ok((client.create_org_repository(org, &new).await?, true))
}

/// How the target at `url` stands against what is to be published (reads only).
async fn list_target(
    prepared: &Arc<Prepared>,
    url: &str,
    tokens: &Arc<dyn TokenSource>,
) -> anyhow::Result<TargetState> {
    let (prepared, url, tokens) = (prepared.clone(), url.to_owned(), tokens.clone());
    tokio::task::spawn_blocking(move || -> anyhow::Result<TargetState> {
        let repo = prepared.staging.open()?;
        let present = git::remote_refs(&repo, &url, Some(tokens.as_ref()))?;
        Ok(compare(&prepared.desired, &present, |w, h| {
            git::contains(&repo, w, h)
        }))
    })
    .await
    .context("the listing task panicked")?
}

/// The GitHub side of one publication: the client, the token source and the target's full name.
struct Github<'a> {
    client: &'a github::Client,
    tokens: &'a Arc<dyn TokenSource>,
    full: &'a str,
}

/// The writes, in order: Actions off (nothing is pushed if that fails), metadata and topics, the push, then the
/// default branch (and archiving when configured).
async fn write_and_push(
    github: &Github<'_>,
    pace: &mut Pace,
    prepared: &Arc<Prepared>,
    request: &Request,
    url: &str,
) -> anyhow::Result<Synced> {
    let (client, full, plan) = (github.client, github.full, &prepared.plan);
    // The republished code's own workflows must never run in the community organisation.
    pace.wait().await;
    client
        .disable_actions(full)
        .await
        .with_context(|| format!("cannot disable Actions on {full}; nothing was pushed"))?;
    pace.wait().await;
    client
        .update_repository(
            full,
            &serde_json::json!({"description": plan.description, "homepage": plan.homepage}),
        )
        .await?;
    pace.wait().await;
    client.replace_topics(full, &plan.topics).await?;
    let chunk = request.target.chunk_commits;
    let force = request.overrides.force.is_some();
    let synced = {
        let (prepared, url, tokens) = (prepared.clone(), url.to_owned(), github.tokens.clone());
        tokio::task::spawn_blocking(move || {
            sync_blocking(&prepared, &url, Some(tokens.as_ref()), chunk, force)
        })
        .await
        .context("the push task panicked")?
        .with_context(|| format!("cannot publish {} to {full}", plan.full_name))?
    };
    let mut fields = serde_json::json!({"default_branch": plan.default_branch});
    if request.target.archive_after_publish {
        fields["archived"] = serde_json::Value::Bool(true);
    }
    // A fresh client: the token may have been renewed during a long push.
    pace.wait().await;
    github_client(&request.target, github.tokens.as_ref())?
        .update_repository(full, &fields)
        .await?;
    Ok(synced)
}

/// The wiki, when the original had one. GitHub serves a wiki only once it has been enabled and has a page; a
/// refusal is recorded, not fatal.
async fn publish_wiki(
    request: &Request,
    url: &str,
    tokens: &Arc<dyn TokenSource>,
) -> anyhow::Result<Option<WikiPublication>> {
    let Some(mirror) = wiki_mirror(request) else {
        return Ok(None);
    };
    let url = match url.strip_suffix(".git") {
        Some(stem) => format!("{stem}.wiki.git"),
        None => format!("{url}.wiki.git"),
    };
    let force = request.overrides.force.is_some();
    let tokens = tokens.clone();
    Ok(Some(
        tokio::task::spawn_blocking(move || {
            publish_wiki_blocking(&mirror, &url, Some(tokens.as_ref()), force)
        })
        .await
        .context("the wiki task panicked")?,
    ))
}
