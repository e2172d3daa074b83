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
    let store = Store::open(&global.state)?;
    let policy = Arc::new(crate::cli::check::load_policy(global, true)?);
    let records = store.list()?;
    let judged = crate::report::judge_vanished(&records, &global.archive, policy).await?;
    let summary = crate::report::write_site(&store, &args.html, &judged, Utc::now())?;
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
