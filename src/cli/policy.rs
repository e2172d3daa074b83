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
            // The typed sections: each stage types its own; every problem of every section is reported.
            let sections = &policy.sections;
            let problems: Vec<String> = [
                crate::monitor::config::MonitorConfig::from_sections(sections).err(),
                crate::publish::TargetConfig::from_sections(sections).err(),
                crate::safety::SafetyConfig::from_sections(sections).err(),
                // `approval` is needed only by propose/apply, which refuse to start without maintainers.
                sections
                    .contains_key("approval")
                    .then(|| crate::approval::ApprovalConfig::from_sections(sections).err())
                    .flatten(),
            ]
            .into_iter()
            .flatten()
            .map(|e| {
                // Each section's problems, pointed at their keys' lines in the file.
                let text = std::fs::read_to_string(&global.policy).unwrap_or_default();
                crate::policy::locate_section_problems(
                    &text,
                    &global.policy.display().to_string(),
                    &format!("{e:#}"),
                )
            })
            .collect();
            if !problems.is_empty() {
                anyhow::bail!("{}: {}", global.policy.display(), problems.join("\n"));
            }
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
