//! Command line: clap definitions and dispatch. Library code never prints; this layer renders.
//! Each verb lives in `cli/<verb>.rs` as clap `Args` plus a `run` function.

pub mod check;
pub mod demo;
pub mod monitor;
pub mod policy;
pub mod propose;
pub mod report;
pub mod republish;
pub mod scan;
pub mod summary;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `keepopen --version`: the crate version, the SPDX licence list the binary carries, and the matcher.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (SPDX licence list ",
    env!("KEEPOPEN_LICENSE_LIST_VERSION"),
    ", askalono ",
    env!("KEEPOPEN_ASKALONO_VERSION"),
    ")"
);

/// Options every verb understands.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Machine-readable JSON on stdout instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// More log output on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// The policy file.
    #[arg(
        long,
        global = true,
        env = "KEEPOPEN_POLICY",
        default_value = "policy.yaml"
    )]
    pub policy: PathBuf,
    /// The state directory (inventory, removal reports, heartbeat).
    #[arg(long, global = true, env = "KEEPOPEN_STATE", default_value = "state")]
    pub state: PathBuf,
    /// The archive directory of bare mirrors.
    #[arg(
        long,
        global = true,
        env = "KEEPOPEN_ARCHIVE",
        default_value = "archive"
    )]
    pub archive: PathBuf,
}

#[derive(Debug, Parser)]
#[command(
    name = "keepopen",
    version = VERSION,
    about = "Keeps public-sector open source open: archive, check licences, republish what may lawfully be republished",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// See keepopen work, offline: build a small organisation, remove some repositories, archive and check them,
    /// propose, approve and apply, and show what happened to each.
    Demo(demo::Args),
    /// Write the status page: a static site of every watched repository that vanished, with a lookup of old URLs.
    Report(report::Args),
    /// Read the licences of a mirror (or of every git repository under a directory) and give a verdict.
    Check(check::Args),
    /// Work with policy.yaml.
    #[command(subcommand)]
    Policy(policy::Command),
    /// List the watched organisations, update the archive of bare mirrors, report removals.
    Monitor(monitor::Args),
    /// When the monitor last ran and what it saw.
    Status(monitor::StatusArgs),
    /// Manage the watched sources.
    #[command(subcommand)]
    Sources(monitor::SourcesCommand),
    /// Manage the archive of mirrors.
    #[command(subcommand)]
    Archive(monitor::ArchiveCommand),
    /// Push a removed repository's mirror, unchanged, to the community forge with a provenance notice.
    Republish(republish::Args),
    /// Scan a mirror's whole history for secrets, NHS numbers and files that must not be public
    /// (exit 0 clean, 3 findings, 2 a repository could not be scanned).
    Scan(scan::Args),
    /// Open (or update) one pull request in the control repository per confirmed removal that may be republished.
    Propose(propose::ProposeArgs),
    /// Publish every decision record merged on the base branch whose pull request maintainers approved.
    Apply(propose::ApplyArgs),
    /// Review a proposal on the local control forge.
    Review(propose::ReviewArgs),
    /// Merge a proposal on the local control forge (writes its record into the control checkout).
    Merge(propose::MergeArgs),
    /// Close a proposal on the local control forge without merging it: decline it.
    Close(propose::CloseArgs),
    /// Reopen a closed proposal on the local control forge: take the decline back.
    Reopen(propose::ReopenArgs),
}

/// Parse the command line, start logging, run the verb, map the outcome to an exit code
/// (0 success, 1 usage or configuration error, 2 some repositories failed).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Demo(args) => demo::run(args, &cli.global).await,
            Command::Report(args) => report::run(args, &cli.global).await,
            Command::Check(args) => check::run(args, &cli.global).await,
            Command::Policy(cmd) => policy::run(cmd, &cli.global).await,
            Command::Monitor(args) => monitor::run(args, &cli.global).await,
            Command::Status(args) => monitor::run_status(args, &cli.global).await,
            Command::Sources(cmd) => monitor::run_sources(cmd, &cli.global).await,
            Command::Archive(cmd) => monitor::run_archive(cmd, &cli.global).await,
            Command::Republish(args) => republish::run(args, &cli.global).await,
            Command::Scan(args) => scan::run(args, &cli.global).await,
            Command::Propose(args) => propose::run_propose(args, &cli.global).await,
            Command::Apply(args) => propose::run_apply(args, &cli.global).await,
            Command::Review(args) => propose::run_review(args, &cli.global).await,
            Command::Merge(args) => propose::run_merge(args, &cli.global).await,
            Command::Close(args) => propose::run_close(args, &cli.global).await,
            Command::Reopen(args) => propose::run_reopen(args, &cli.global).await,
        }
    });
    match outcome {
        Ok(code) => code,
        Err(e) => {
            report_error(&e);
            ExitCode::from(1)
        }
    }
}

/// `error: …`, then the cause chain. Policy diagnostics render as they are (one block each, with location).
pub fn report_error(e: &anyhow::Error) {
    if let Some(policy) = e.downcast_ref::<crate::policy::PolicyError>() {
        eprintln!("{policy}");
        return;
    }
    eprintln!("error: {e}");
    for cause in e.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}

fn init_tracing(verbose: u8) {
    use std::io::IsTerminal;
    let rust_log = std::env::var("RUST_LOG").ok();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(log_filter(verbose, rust_log.as_deref()))
        .with_writer(std::io::stderr)
        // Colours for a terminal; plain text for a file, a pipe or a CI log that someone will search.
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}

/// What is logged: the level `-v` asks for (none: warn; `-v` info, `-vv` debug, `-vvv` trace), with whole
/// licence texts left out at every level — keepopen's own (target [`crate::license::TEXT_LOG_TARGET`]) and
/// askalono's (which prints each text it normalises) — since one licence is pages of output. `RUST_LOG`'s
/// directives are added on top and win for what they name: `RUST_LOG=keepopen::license::text=trace` shows the
/// texts, `RUST_LOG=askalono=debug` askalono's own logs, `RUST_LOG=debug` raises the level of the rest.
pub fn log_filter(verbose: u8, rust_log: Option<&str>) -> tracing_subscriber::EnvFilter {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let mut directives = format!(
        "{level},askalono=warn,{}=off",
        crate::license::TEXT_LOG_TARGET
    );
    if let Some(extra) = rust_log.map(str::trim).filter(|extra| !extra.is_empty()) {
        directives.push(',');
        directives.push_str(extra);
    }
    tracing_subscriber::EnvFilter::builder().parse_lossy(directives)
}
