//! `keepopen propose`, `keepopen apply`, and the local control forge's `keepopen review` / `merge` / `close` /
//! `reopen`.
//!
//! propose and apply print a table (or `--json`), write a Markdown summary to `$GITHUB_STEP_SUMMARY` when it is
//! set, and emit `::warning::` / `::error::` annotations when `GITHUB_ACTIONS=true`. Exit codes: 0 done, 2 some
//! repository failed or was refused. A declined proposal (propose) and a record waiting for an approval that
//! `apply` already asked for on its pull request (apply) are not failures.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::approval::{ApprovalConfig, ReviewState};
use crate::cli::Global;
use crate::control::flow::{self, ApplyOutcome, Flow, ProposeOutcome, Proposed};
use crate::control::github::GithubControl;
use crate::control::local::LocalControl;
use crate::github::Token;
use crate::policy::ForgeKind;
use crate::policy::Policy;
use crate::publish::TokenSource;
use crate::state::Store;

/// `keepopen propose`.
#[derive(Debug, Clone, clap::Args)]
pub struct ProposeArgs {}

/// `keepopen apply`.
#[derive(Debug, Clone, clap::Args)]
pub struct ApplyArgs {}

/// `keepopen review <n>` (local control forge only).
#[derive(Debug, Clone, clap::Args)]
pub struct ReviewArgs {
    /// The proposal's number.
    pub number: u64,
    /// Approve it.
    #[arg(long, conflicts_with_all = ["request_changes", "comment"])]
    pub approve: bool,
    /// Ask for changes.
    #[arg(long, conflicts_with = "comment")]
    pub request_changes: bool,
    /// Only comment.
    #[arg(long)]
    pub comment: bool,
    /// The reviewer's login.
    #[arg(long = "as", value_name = "LOGIN")]
    pub login: String,
}

/// `keepopen merge <n>` (local control forge only).
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// The proposal's number.
    pub number: u64,
}

/// `keepopen close <n>` (local control forge only): decline a proposal.
#[derive(Debug, Clone, clap::Args)]
pub struct CloseArgs {
    /// The proposal's number.
    pub number: u64,
}

/// `keepopen reopen <n>` (local control forge only): take a decline back.
#[derive(Debug, Clone, clap::Args)]
pub struct ReopenArgs {
    /// The proposal's number.
    pub number: u64,
}

/// The directory that holds policy.yaml: the control checkout.
fn checkout_of(policy: &Path) -> PathBuf {
    match policy.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn load_flow(global: &Global) -> anyhow::Result<Flow> {
    let policy = Policy::load(&global.policy)?;
    let in_policy = || format!("in {}", global.policy.display());
    let approval = policy.require_approval().with_context(in_policy)?.clone();
    let target = policy.target.clone();
    let safety = policy.safety.clone();
    let control_name = match approval.forge {
        ForgeKind::Github => approval.repository.clone().unwrap_or_default(),
        ForgeKind::Local => format!("the local control forge {:?}", approval.path),
    };
    Ok(Flow {
        policy: Arc::new(policy),
        approval,
        target,
        safety,
        store: Store::open(&global.state)?,
        archive: global.archive.clone(),
        checkout: checkout_of(&global.policy),
        control_name,
    })
}

fn token() -> anyhow::Result<Token> {
    Token::from_env()
        .map(|(t, _)| t)
        .context("no GitHub token\nhelp: set GITHUB_TOKEN or GITHUB_APP_INSTALLATION_TOKEN")
}

/// The control repository's client: the policy's `github:` settings (timeout, retries, rate-limit waits), as
/// every other GitHub client of keepopen, with `approval`'s write pacing and budget.
fn github_control(flow: &Flow) -> anyhow::Result<GithubControl> {
    let github = &flow.policy.monitor;
    let client = crate::github::Client::new(crate::github::ClientConfig {
        api_url: flow.approval.api_url.clone(),
        token: Some(token()?),
        timeout: github.timeout,
        retry: github.retry.clone(),
    })?
    .with_writes(flow.approval.write_policy());
    GithubControl::new(&flow.approval, client)
}

fn local_control(approval: &ApprovalConfig) -> LocalControl {
    LocalControl::new(&approval.path, &approval.maintainers)
}

/// Append to `$GITHUB_STEP_SUMMARY` and print annotations when running in GitHub Actions.
fn report_to_actions(summary: &str, annotations: &[String]) -> anyhow::Result<()> {
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| {
                format!(
                    "cannot write the step summary {}",
                    Path::new(&path).display()
                )
            })?;
        writeln!(file, "{summary}")?;
    }
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        for a in annotations {
            println!("{}", crate::untrusted::terminal::line(a));
        }
    }
    Ok(())
}

pub async fn run_propose(_args: ProposeArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let flow = load_flow(global)?;
    let lines = match flow.approval.forge {
        ForgeKind::Github => flow::propose(&flow, &github_control(&flow)?).await?,
        ForgeKind::Local => flow::propose(&flow, &local_control(&flow.approval)).await?,
    };
    if global.json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
    } else if lines.is_empty() {
        println!("no confirmed removal to propose");
    } else {
        for l in &lines {
            // Reasons quote the repository: shown, never obeyed by the terminal.
            let t = crate::untrusted::terminal::line;
            println!(
                "{:<40} {:<13} {}",
                t(&l.repo),
                t(l.verdict.map_or("-", |k| k.as_str())),
                t(&propose_outcome_text(&l.outcome))
            );
        }
    }
    report_to_actions(
        &crate::cli::summary::propose_summary(&lines),
        &crate::cli::summary::propose_annotations(&lines),
    )?;
    let waiting = lines
        .iter()
        .filter(|l| matches!(l.outcome, ProposeOutcome::Waiting { .. }))
        .count();
    let count =
        |f: fn(&ProposeOutcome) -> bool| lines.iter().filter(|l| f(&l.outcome)).count() as u64;
    flow.store.record_propose_run(crate::state::ProposeRun {
        at: chrono::Utc::now(),
        proposed: count(|o| matches!(o, ProposeOutcome::Proposed(Proposed::Opened { .. }))),
        in_proposals: count(|o| matches!(o, ProposeOutcome::Proposed(_))),
        waiting: waiting as u64,
    })?;
    if waiting > 0 {
        eprintln!(
            "warning: writing stopped; {waiting} candidate(s) wait for the next run (not a failure)"
        );
    }
    let failed = lines
        .iter()
        .any(|l| matches!(l.outcome, ProposeOutcome::Failed { .. }));
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// What `propose` did for one repository, in words.
fn propose_outcome_text(outcome: &ProposeOutcome) -> String {
    match outcome {
        ProposeOutcome::Proposed(Proposed::Opened { number, url }) => {
            format!("opened #{number} {url}")
        }
        ProposeOutcome::Proposed(Proposed::Updated { number, url }) => {
            format!("updated #{number} {url}")
        }
        ProposeOutcome::Proposed(Proposed::Unchanged { number, url }) => {
            format!("in #{number} {url}, unchanged")
        }
        ProposeOutcome::Waiting { reason } => format!("waiting: {reason}"),
        ProposeOutcome::Forbidden { reasons } => {
            format!("not proposed (forbidden): {}", reasons.join("; "))
        }
        ProposeOutcome::Declined {
            number, closed_at, ..
        } => format!(
            "not proposed: {}",
            flow::declined_reason(*number, *closed_at)
        ),
        ProposeOutcome::Skipped { reason } => format!("skipped: {reason}"),
        ProposeOutcome::Failed { error } => format!("failed: {error}"),
    }
}

pub async fn run_apply(_args: ApplyArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let flow = load_flow(global)?;
    let tokens: Option<Arc<dyn TokenSource>> =
        (flow.target.forge == ForgeKind::Github).then(|| Arc::new(token) as Arc<dyn TokenSource>);
    let now = chrono::Utc::now();
    let lines = match flow.approval.forge {
        ForgeKind::Github => flow::apply(&flow, &github_control(&flow)?, tokens, now).await?,
        ForgeKind::Local => flow::apply(&flow, &local_control(&flow.approval), tokens, now).await?,
    };
    if global.json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
    } else if lines.is_empty() {
        println!("nothing to apply: every record is published");
    } else {
        for l in &lines {
            let what = match &l.outcome {
                ApplyOutcome::Published {
                    target,
                    pull_request,
                    approved_by,
                    ..
                } => format!(
                    "published to {target} (#{pull_request}, approved by {})",
                    approved_by.join(", ")
                ),
                ApplyOutcome::Refused { reason } => format!("refused: {reason}"),
                ApplyOutcome::Waiting { reason, .. } => format!("waiting: {reason}"),
                ApplyOutcome::Failed { error } => format!("failed: {error}"),
            };
            let t = crate::untrusted::terminal::line;
            println!("{:<50} {}", t(&l.record), t(&what));
        }
    }
    report_to_actions(
        &crate::cli::summary::apply_summary(&lines),
        &crate::cli::summary::apply_annotations(&lines),
    )?;
    let bad = lines.iter().any(|l| {
        matches!(
            l.outcome,
            ApplyOutcome::Refused { .. } | ApplyOutcome::Failed { .. }
        )
    });
    Ok(if bad {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn local_only(global: &Global) -> anyhow::Result<(ApprovalConfig, PathBuf)> {
    let policy = Policy::load(&global.policy)?;
    let approval = policy
        .require_approval()
        .with_context(|| format!("in {}", global.policy.display()))?
        .clone();
    anyhow::ensure!(
        approval.forge == ForgeKind::Local,
        "review, merge, close and reopen work on the local control forge only\nhelp: on GitHub, do it on the pull request there"
    );
    Ok((approval, checkout_of(&global.policy)))
}

pub async fn run_review(args: ReviewArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let (approval, _) = local_only(global)?;
    let state = if args.approve {
        ReviewState::Approved
    } else if args.request_changes {
        ReviewState::ChangesRequested
    } else {
        ReviewState::Commented
    };
    let pull = local_control(&approval).review(args.number, &args.login, state)?;
    println!(
        "#{} {}: {:?} by {} ({} review(s))",
        pull.number,
        pull.title,
        state,
        args.login,
        pull.reviews.len()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn run_merge(args: MergeArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let (approval, checkout) = local_only(global)?;
    let written = local_control(&approval).merge(args.number, &checkout)?;
    println!(
        "merged #{}: {} (run `keepopen apply` to publish)",
        args.number,
        written.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn run_close(args: CloseArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let (approval, _) = local_only(global)?;
    let pull = local_control(&approval).close(args.number, chrono::Utc::now())?;
    println!(
        "closed #{} {}: declined; `propose` does not propose it again until what it was decided from changes \
         (`keepopen reopen {}` takes the decline back)",
        pull.number, pull.title, pull.number
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn run_reopen(args: ReopenArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let (approval, _) = local_only(global)?;
    let pull = local_control(&approval).reopen(args.number)?;
    println!(
        "reopened #{} {}: the decline is taken back",
        pull.number, pull.title
    );
    Ok(ExitCode::SUCCESS)
}
