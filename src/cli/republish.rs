//! `keepopen republish <owner/repo>`: the manual republication of one removed repository. The automated flow
//! calls the same library functions (`publish::prepare`, `publish::republish`).

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::Utc;

use crate::cli::Global;
use crate::github::Token;
use crate::policy::ForgeKind;
use crate::policy::Policy;
use crate::publish::{self, Overrides, Refusal, Request, TokenSource};
use crate::state::Store;

/// `keepopen republish`: push an archived mirror, unchanged, to the community forge with a provenance notice.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The repository, `owner/name` as the state knows it (a former name works too).
    pub repo: String,
    /// Print the target, the refs and the notice; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Publish although the verdict is not `allowed`; the reason is recorded in the notice and in state.
    #[arg(long = "override", value_name = "REASON")]
    pub override_reason: Option<String>,
    /// Publish although the repository is not confirmed removed (never for a legal block).
    #[arg(long, value_name = "REASON")]
    pub force_public: Option<String>,
    /// Overwrite a target that holds something else.
    #[arg(long, value_name = "REASON")]
    pub force: Option<String>,
}

/// The token, read from the environment at each push attempt (a workflow may renew it).
pub(crate) fn env_tokens() -> Arc<dyn TokenSource> {
    Arc::new(|| {
        Token::from_env()
            .map(|(t, _)| t)
            .context("no GitHub token\nhelp: set GITHUB_TOKEN or GITHUB_APP_INSTALLATION_TOKEN")
    })
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let dry_run = args.dry_run;
    let (store, request) = gather_request(args, global)?;
    if dry_run {
        let prepared = match publish::prepare(&store, &request).await {
            Ok(p) => p,
            Err(e) => return refused_or(e),
        };
        if global.json {
            print_dry_run_json(&prepared)?;
        } else {
            print_dry_run(&prepared);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let tokens = (request.target.forge == ForgeKind::Github).then(env_tokens);
    let publication = match publish::republish(&store, request, tokens).await {
        Ok(p) => p,
        Err(e) => return refused_or(e),
    };
    if global.json {
        println!("{}", serde_json::to_string_pretty(&publication)?);
    } else {
        let what = match publication.outcome {
            publish::Outcome::Published => "published",
            publish::Outcome::Completed => "completed an interrupted publication",
            publish::Outcome::AlreadyPublished => "already published; nothing to do",
            publish::Outcome::Overwritten => "overwrote the target",
        };
        println!(
            "{what}: {} ({} push(es), notice commit {})",
            publication.target, publication.pushes, publication.notice_commit
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The state (read-only for a dry run) and the request to publish the named repository from its mirror.
fn gather_request(args: Args, global: &Global) -> anyhow::Result<(Store, Request)> {
    let policy = Policy::load(&global.policy)?;
    let target = policy.target.clone();
    // A dry run writes nothing, so it needs no lock and leaves no trace in the state directory.
    let store = if args.dry_run {
        Store::open_read_only(&global.state)?
    } else {
        Store::open(&global.state)?
    };
    let record = store.find_by_full_name(&args.repo)?.with_context(|| {
        format!(
            "{}: no such repository in {}\nhelp: `keepopen monitor` records the watched repositories",
            args.repo,
            global.state.display()
        )
    })?;
    let mirror = record
        .mirror
        .as_ref()
        .filter(|m| m.fetched_at.is_some())
        .with_context(|| format!("{}: keepopen never mirrored it", record.full_name))?;
    let mirror = crate::archive::resolve(&global.archive, &mirror.path)?;
    let request = Request {
        record,
        mirror,
        policy: Arc::new(policy),
        target,
        overrides: Overrides {
            verdict: args.override_reason,
            force_public: args.force_public,
            force: args.force,
        },
        now: Utc::now(),
        // Evaluated once, by `publish::prepare`.
        evaluation: None,
    };
    Ok((store, request))
}

/// A dry run's plan, refs and notice as one JSON object.
fn print_dry_run_json(prepared: &publish::Prepared) -> anyhow::Result<()> {
    let plan = &prepared.plan;
    let value = serde_json::json!({
        "dry-run": true,
        "plan": plan,
        "notice-commit": prepared.notice_commit,
        "refs": prepared.desired,
        "provenance-md": plan.notice.markdown,
        "provenance-json": plan.notice.provenance,
    });
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(())
}

/// A dry run for a person: the target, the verdict, the metadata, the refs and the notice.
fn print_dry_run(prepared: &publish::Prepared) {
    let plan = &prepared.plan;
    println!(
        "dry run: would republish {} (id {}) to {} ({})",
        plan.full_name,
        plan.id,
        plan.target,
        plan.forge.as_str()
    );
    println!(
        "verdict: {}",
        crate::untrusted::terminal::line(&plan.verdict.to_string())
    );
    if let Some(reason) = &plan.overrides.verdict {
        println!("override: {reason}");
    }
    println!("description: {}", plan.description);
    println!("homepage: {}", plan.homepage);
    println!("topics: {}", plan.topics.join(", "));
    println!("refs:");
    for (name, id) in &prepared.desired {
        let note = if *id == prepared.notice_commit {
            format!("  (notice commit; last-seen head {})", plan.head)
        } else {
            String::new()
        };
        // Ref names are the repository's: shown, never obeyed by the terminal.
        println!("  {} {id}{note}", crate::untrusted::terminal::line(name));
    }
    println!(
        "\n--- {} ---\n{}",
        crate::provenance::MARKDOWN_FILE,
        crate::untrusted::terminal::block(&plan.notice.markdown)
    );
    println!("nothing was written");
}

/// A refusal is an answer, not a fault: printed with its reasons, exit code 2. Anything else propagates.
fn refused_or(e: anyhow::Error) -> anyhow::Result<ExitCode> {
    match e.downcast_ref::<Refusal>() {
        Some(refusal) => {
            eprintln!("refused: {refusal}");
            Ok(ExitCode::from(2))
        }
        None => Err(e),
    }
}
