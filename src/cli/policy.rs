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
            // Loading checks every section, and reports every problem of every section together.
            crate::policy::Policy::load(&global.policy)?;
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
