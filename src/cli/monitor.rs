//! `keepopen monitor`, `keepopen status`, `keepopen sources import`, `keepopen archive import`.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::Utc;

use crate::archive::Archive;
use crate::cli::Global;
use crate::monitor::{self, Monitor, MonitorConfig, Observer, Shard};
use crate::state::{Status, Store};

/// `keepopen monitor`: list the watched accounts, update the archive, report removals.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Handle only repositories whose id hashes to shard i of n (for a GitHub Actions matrix).
    #[arg(long, default_value = "1/1", value_name = "i/n")]
    pub shard: Shard,
    /// Repositories fetched at the same time.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
}

/// `keepopen status`: when the monitor last ran and what it saw.
#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    /// Warn (and exit 2) when the last finished run is older than this.
    #[arg(long, default_value = "48h")]
    pub max_age: String,
}

/// `keepopen sources …`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum SourcesCommand {
    /// Read a published organisation map (CSV or JSON) and print its GitHub organisations, or merge them into
    /// policy.yaml's `sources.orgs`.
    Import(SourcesImportArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct SourcesImportArgs {
    /// The organisation map, e.g. publicsectorcodebyorg.co.uk's CSV or JSON.
    pub file: PathBuf,
    /// Merge into the policy file (--policy) instead of printing; the rest of the file is left as it is.
    #[arg(long)]
    pub write: bool,
}

/// `keepopen archive …`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ArchiveCommand {
    /// Adopt a folder of mirrors made elsewhere (`git clone --mirror`, ghorg) into the archive.
    Import(ArchiveImportArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct ArchiveImportArgs {
    /// The folder holding the repositories (directly, or one level down as ghorg lays them out).
    pub dir: PathBuf,
    /// Repositories copied at the same time.
    #[arg(long, default_value_t = 4)]
    pub jobs: u16,
}

/// The monitor's configuration from the policy file's top-level `sources`, `removal`, `github`, `archive`.
pub fn load_config(policy: &Path) -> anyhow::Result<MonitorConfig> {
    Ok(crate::policy::Policy::load(policy)?.monitor)
}

struct Bar(indicatif::ProgressBar);

impl Observer for Bar {
    fn planned(&self, repos: usize) {
        self.0.set_length(repos as u64);
        self.0.set_message("repositories");
    }
    fn repo_done(&self, _full_name: &str) {
        self.0.inc(1);
    }
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let config = load_config(&global.policy)?;
    if config.owners().is_empty() {
        anyhow::bail!(
            "{}: `sources` names no organisation or user to watch\nhelp: add `sources: {{orgs: [NHSDigital]}}`, or run `keepopen sources import <map> --write`",
            global.policy.display()
        );
    }
    let token = monitor::token_from_env();
    match &token {
        Some((_, variable)) => tracing::info!("using the GitHub token from {variable}"),
        None => tracing::warn!("no GITHUB_TOKEN: unauthenticated, 60 requests an hour"),
    }
    let store = Store::open(&global.state)?;
    let archive = Archive::open(&global.archive, usize::from(args.jobs))?;
    let monitor = Monitor::new(
        config,
        store,
        archive,
        token.map(|(t, _)| t),
        args.shard,
        usize::from(args.jobs),
    )?;
    let summary = monitor.scan(Utc::now(), progress(global)).await?;
    let restored = restored_copies(global).await;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_summary(&summary);
    }
    let restore_errors = report_restored(&restored, global.json);
    Ok(if summary.errors > 0 || restore_errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// A progress bar on a terminal (and not for JSON), else nothing shown.
fn progress(global: &Global) -> Arc<dyn Observer> {
    if std::io::stderr().is_terminal() && !global.json {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} {msg} [{elapsed}]")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Arc::new(Bar(bar))
    } else {
        Arc::new(monitor::Quiet)
    }
}

/// A scan's counts, the API's cost, where the removal report is, and each error.
fn print_summary(summary: &monitor::Summary) {
    println!(
        "shard {}: seen {}, new {}, fetched {}, unchanged {}, renamed {}, suspected {}, confirmed removed {}, legal blocks {}, restored {}, errors {}",
        summary.shard,
        summary.seen,
        summary.new,
        summary.fetched,
        summary.unchanged,
        summary.renamed,
        summary.suspected,
        summary.removed,
        summary.legal_blocks,
        summary.restored,
        summary.errors
    );
    println!(
        "GitHub API: {} requests, {} answered 304",
        summary.api_requests, summary.api_not_modified
    );
    if let Some(report) = &summary.report {
        println!("removal report: {report}");
    }
    for error in &summary.error_messages {
        eprintln!("error: {error}");
    }
}

/// Say what pointing restored originals' copies back did; the number that failed.
fn report_restored(restored: &[crate::publish::restore::RestoreUpdate], json: bool) -> usize {
    let mut restore_errors = 0;
    for update in restored {
        match &update.error {
            Some(error) => {
                restore_errors += 1;
                eprintln!(
                    "error: cannot point {} back at its restored original: {error}",
                    update.target
                );
            }
            None if !update.steps.is_empty() && !json => {
                println!("restored original: {} now points back at it", update.target);
            }
            None => {}
        }
    }
    restore_errors
}

/// Point the published copies of restored repositories back at their originals (`publish::restore`). A policy
/// whose `target` section is invalid is reported as one failed update.
async fn restored_copies(global: &Global) -> Vec<crate::publish::restore::RestoreUpdate> {
    use crate::policy::ForgeKind;
    use crate::publish::restore;
    let attempt = async {
        let policy = crate::policy::Policy::load(&global.policy)?;
        let target = policy.target;
        let tokens = (target.forge == ForgeKind::Github).then(crate::cli::republish::env_tokens);
        restore::update_restored(&Store::open(&global.state)?, &target, tokens).await
    };
    attempt.await.unwrap_or_else(|e| {
        vec![restore::RestoreUpdate {
            target: global.policy.display().to_string(),
            steps: Vec::new(),
            error: Some(format!("{e:#}")),
        }]
    })
}

pub async fn run_status(args: StatusArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let max_age = monitor::config::parse_duration(&args.max_age).context("--max-age")?;
    let store = Store::open_read_only(&global.state)?;
    let heartbeats = store.heartbeats()?;
    let records = store.list()?;
    let now = Utc::now();
    let by_status = count_by_status(&records)?;
    let mut warnings = Vec::new();
    if heartbeats.is_empty() {
        warnings.push(format!(
            "the monitor has never run against {}",
            global.state.display()
        ));
    }
    warnings.extend(heartbeat_warnings(&heartbeats, now, max_age, &args.max_age));
    let backlog = store.backlog()?;
    if global.json {
        let proposals = backlog.runs.last().map(|last| {
            serde_json::json!({
                "at": last.at,
                "waiting": last.waiting,
                "in-open-proposals": last.in_proposals,
                "clears-at": backlog.clears_at(),
            })
        });
        let value = serde_json::json!({
            "heartbeats": heartbeats,
            "repositories": by_status,
            "proposals": proposals,
            "warnings": warnings,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_heartbeats(&heartbeats, now);
        let statuses: Vec<String> = by_status.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("repositories: {} ({})", records.len(), statuses.join(", "));
        if records.iter().any(|r| r.status == Status::Removed) {
            println!("removal log: {}", store.removals_path().display());
        }
        if let Some(last) = backlog.runs.last() {
            println!("{}", crate::report::backlog_line(&backlog, last, now));
        }
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
    Ok(if warnings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// How many repositories the state holds in each status, by the status's name.
fn count_by_status(records: &[crate::state::RepoRecord]) -> anyhow::Result<BTreeMap<String, u64>> {
    let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
    for r in records {
        let key = serde_json::to_value(r.status)?
            .as_str()
            .unwrap_or("?")
            .to_owned();
        *by_status.entry(key).or_default() += 1;
    }
    Ok(by_status)
}

/// A warning for each shard that never finished, finished longer than `max_age` ago (`max_age_text` as given),
/// or started a run it did not finish.
fn heartbeat_warnings(
    heartbeats: &BTreeMap<String, crate::state::Heartbeat>,
    now: chrono::DateTime<Utc>,
    max_age: std::time::Duration,
    max_age_text: &str,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for (shard, beat) in heartbeats {
        match beat.finished_at {
            None => warnings.push(format!("shard {shard}: started but never finished")),
            Some(finished) => {
                let age = (now - finished).to_std().unwrap_or_default();
                if age > max_age {
                    warnings.push(format!(
                        "shard {shard}: last run finished {} ago (more than {max_age_text}); is the schedule disabled?",
                        human(age),
                    ));
                }
                if beat.started_at.is_some_and(|s| s > finished) {
                    warnings.push(format!(
                        "shard {shard}: the last run started but did not finish"
                    ));
                }
            }
        }
    }
    warnings
}

/// Each shard's last run for a person: when it finished, what it saw, its errors.
fn print_heartbeats(
    heartbeats: &BTreeMap<String, crate::state::Heartbeat>,
    now: chrono::DateTime<Utc>,
) {
    for (shard, beat) in heartbeats {
        let finished = beat.finished_at.map(|f| {
            format!(
                "{} ({} ago)",
                f.to_rfc3339(),
                human((now - f).to_std().unwrap_or_default())
            )
        });
        println!(
            "shard {shard}: last run finished {}",
            finished.unwrap_or_else(|| "never".into())
        );
        let counts: Vec<String> = beat
            .counts
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        if !counts.is_empty() {
            println!("  saw: {}", counts.join(", "));
        }
        for e in &beat.errors {
            println!("  error: {e}");
        }
    }
}

fn human(d: std::time::Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=119 => format!("{s}s"),
        120..=7199 => format!("{}m", s / 60),
        7200..=172_799 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86400),
    }
}

pub async fn run_sources(command: SourcesCommand, global: &Global) -> anyhow::Result<ExitCode> {
    let SourcesCommand::Import(args) = command;
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let orgs = monitor::sources::parse_org_map(&text)
        .with_context(|| format!("in {}", args.file.display()))?;
    if orgs.is_empty() {
        anyhow::bail!("{}: no GitHub organisation found", args.file.display());
    }
    if !args.write {
        if global.json {
            println!("{}", serde_json::to_string_pretty(&orgs)?);
        } else {
            println!("sources:\n  orgs:");
            for org in &orgs {
                println!("    - {org}");
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let policy = match std::fs::read_to_string(&global.policy) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read {}", global.policy.display()));
        }
    };
    let (merged, added) = monitor::sources::merge_orgs_into_policy(&policy, &orgs)
        .with_context(|| format!("cannot merge into {}", global.policy.display()))?;
    if !added.is_empty() {
        crate::state::write_atomic(&global.policy, merged.as_bytes())?;
    }
    if global.json {
        println!(
            "{}",
            serde_json::json!({ "added": added, "policy": global.policy })
        );
    } else {
        println!(
            "{}: added {} organisation(s){}",
            global.policy.display(),
            added.len(),
            if added.is_empty() {
                String::new()
            } else {
                format!(": {}", added.join(", "))
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run_archive(command: ArchiveCommand, global: &Global) -> anyhow::Result<ExitCode> {
    let ArchiveCommand::Import(args) = command;
    let store = Store::open(&global.state)?;
    let archive = Archive::open(&global.archive, usize::from(args.jobs))?;
    let report = monitor::import::import_mirrors(&args.dir, &store, &archive, Utc::now()).await?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for (source, _, full_name, path) in &report.adopted {
            println!("adopted {} as {full_name} → {path}", source.display());
        }
        for (source, why) in &report.skipped {
            eprintln!("warning: skipped {}: {why}", source.display());
        }
        println!(
            "{} adopted, {} skipped",
            report.adopted.len(),
            report.skipped.len()
        );
    }
    Ok(if report.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
