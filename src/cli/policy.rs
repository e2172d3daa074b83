//! `keepopen policy check`: validate policy.yaml without running anything.

use std::process::ExitCode;

use crate::cli::Global;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Validate the policy file and print every problem with its line and column.
    Check,
}

pub async fn run(command: Command, global: &Global) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check => {
            let policy = crate::policy::Policy::load(&global.policy)?;
            // The monitor's sections (sources, removal, github, archive) are typed by the monitor.
            crate::monitor::config::MonitorConfig::from_sections(&policy.sections)
                .map_err(|e| anyhow::anyhow!("{}: {e:#}", global.policy.display()))?;
            if global.json {
                println!(
                    "{}",
                    serde_json::json!({"policy": global.policy, "valid": true})
                );
            } else {
                println!("{}: valid", global.policy.display());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
