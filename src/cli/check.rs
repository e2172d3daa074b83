//! `keepopen check <repo-or-directory>`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::Global;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A git repository (bare mirror or working copy), or a directory holding many.
    pub path: PathBuf,
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let _ = (args, global);
    Ok(ExitCode::SUCCESS)
}
