//! `keepopen report --html <dir>`: write the status page (see `report`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::Utc;

use crate::cli::Global;
use crate::state::Store;

/// `keepopen report`: the status page of vanished repositories.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Write the static site (index.html, redirects.json) into this directory.
    #[arg(long, value_name = "DIR")]
    pub html: PathBuf,
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    if !global.state.exists() {
        anyhow::bail!(
            "{}: no state directory\nhelp: `keepopen monitor` records the watched repositories (or pass --state)",
            global.state.display()
        );
    }
    let store = Store::open_read_only(&global.state)?;
    let policy = Arc::new(crate::cli::check::load_policy(global, true)?);
    let records = store.list()?;
    let judged = crate::report::judge_vanished(&records, &global.archive, policy.clone()).await?;
    // Decision records (who approved which publication) sit in the control checkout: the policy file's folder.
    let records_dir = {
        let approval = policy.approval.clone().unwrap_or_default();
        let checkout = match global.policy.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Some(checkout.join(approval.records)).filter(|d| d.is_dir())
    };
    let summary = crate::report::write_site_with_decisions(
        &store,
        &args.html,
        &judged,
        records_dir.as_deref(),
        Utc::now(),
    )?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "{} of {} watched repositories vanished, {} republished; wrote {} and {}",
            summary.vanished,
            summary.watched,
            summary.republished,
            summary.index.display(),
            summary.redirects.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
