//! `keepopen scan <repo-or-directory>`: the sensitive-content gate on one mirror or every mirror under a
//! directory — secrets, NHS numbers and files that must not be public, in the whole history, masked.
//!
//! Exit codes: 0 every repository is clean; 3 some repository has findings (or an incomplete scan, or objects
//! that could not be read); 2 some repository could not be scanned at all (this wins over 3); 1 usage or
//! configuration error.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::check::{find_repositories, repo_name};
use crate::cli::Global;
use crate::cli::check::load_policy;
use crate::monitor::config::parse_duration;
use crate::safety::{SafetyConfig, SafetyReport, scan_path};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A git repository (bare mirror or working copy), or a directory holding many.
    pub path: PathBuf,
    /// A ref or ref glob to scan (repeatable); default: `safety.refs` of the policy (heads and tags).
    #[arg(long = "ref", value_name = "REF")]
    pub refs: Vec<String>,
    /// Time limit per repository, e.g. 120s (default: `safety.time-limit`).
    #[arg(long)]
    pub time_limit: Option<String>,
    /// How many folders deep to look for repositories under a directory.
    #[arg(long, default_value_t = 3)]
    pub depth: usize,
    /// Use the built-in default policy when the policy file does not exist.
    #[arg(long)]
    pub default_policy: bool,
}

/// The outcome for one repository, as `scan --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct RepoScan {
    pub repo: String,
    pub name: String,
    /// `clean`, `findings` or `error`.
    pub status: String,
    /// Masked, one line each: what a person must look at before publication.
    pub blocking_reasons: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<SafetyReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let policy = load_policy(global, args.default_policy)?;
    let mut config = policy.safety.clone();
    if !args.refs.is_empty() {
        config.refs = args.refs.clone();
    }
    if let Some(limit) = &args.time_limit {
        config.limits.time_limit =
            parse_duration(limit).with_context(|| format!("--time-limit {limit:?}"))?;
    }
    let repos = find_repositories(&args.path, args.depth)
        .with_context(|| format!("cannot look for repositories in {}", args.path.display()))?;
    if repos.is_empty() {
        anyhow::bail!(
            "no git repository found in {} (looked {} folders deep)",
            args.path.display(),
            args.depth
        );
    }
    let results = tokio::task::spawn_blocking(move || {
        repos
            .iter()
            .map(|path| scan_one(path, &config))
            .collect::<Vec<_>>()
    })
    .await
    .context("the scan task failed")?;

    if global.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        let mut out = String::new();
        for r in &results {
            out.push_str(&render(r));
            out.push('\n');
        }
        let count = |s: &str| results.iter().filter(|r| r.status == s).count();
        out.push_str(&format!(
            "{} repositories: {} clean, {} with findings, {} failed\n",
            results.len(),
            count("clean"),
            count("findings"),
            count("error")
        ));
        print!("{out}");
    }
    Ok(exit_code(&results))
}

/// Scan one repository's history: clean, with findings (and the reasons they block), or the error.
fn scan_one(path: &std::path::Path, config: &SafetyConfig) -> RepoScan {
    let name = repo_name(path);
    let repo = path.display().to_string();
    match scan_path(path, &name, config) {
        Ok(report) => {
            let blocking_reasons = report.blocking_reasons();
            let status = if blocking_reasons.is_empty() {
                "clean"
            } else {
                "findings"
            };
            RepoScan {
                repo,
                name,
                status: status.into(),
                blocking_reasons,
                report: Some(report),
                error: None,
            }
        }
        Err(e) => RepoScan {
            repo,
            name,
            status: "error".into(),
            blocking_reasons: Vec::new(),
            report: None,
            error: Some(format!("{e:#}")),
        },
    }
}

/// 2 if any repository failed, else 3 if any has findings, else 0.
pub fn exit_code(results: &[RepoScan]) -> ExitCode {
    if results.iter().any(|r| r.status == "error") {
        ExitCode::from(2)
    } else if results.iter().any(|r| r.status == "findings") {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

/// The text for one repository.
pub fn render(r: &RepoScan) -> String {
    // Names, paths, excerpts and reasons came from the repository: one line each, shown, never obeyed.
    let t = crate::untrusted::terminal::line;
    let mut s = format!("{}  [{}]\n", t(&r.name), t(&r.status.to_uppercase()));
    s.push_str(&format!("  repository: {}\n", t(&r.repo)));
    if let Some(e) = &r.error {
        s.push_str(&format!("  error: {}\n", t(e)));
        return s;
    }
    let Some(report) = &r.report else { return s };
    s.push_str(&format!(
        "  scanned: {} of {} commits, {} blobs ({:.1} MiB, {} binary) from {} refs in {:.2}s\n",
        report.commits_scanned,
        report.commits_total,
        report.blobs_scanned,
        report.bytes_scanned as f64 / (1024.0 * 1024.0),
        report.blobs_binary,
        report.refs.len(),
        report.elapsed_ms as f64 / 1000.0
    ));
    s.push_str(&format!(
        "  rules: {} secret rules from {}{}\n",
        report.rules.loaded,
        t(&report.rules.source),
        if report.rules.skipped.is_empty() {
            String::new()
        } else {
            format!(
                " ({} skipped: the regex crate cannot compile them)",
                report.rules.skipped.len()
            )
        }
    ));
    write_findings(&mut s, "findings", &report.findings);
    write_findings(&mut s, "allowed", &report.allowed);
    write_gaps(&mut s, report);
    s
}

/// One table of findings under `title`, each with its other places, the authors' marker, the waiver and its
/// fingerprint; nothing when there are none.
fn write_findings(s: &mut String, title: &str, findings: &[crate::safety::SafetyFinding]) {
    let t = crate::untrusted::terminal::line;
    if findings.is_empty() {
        return;
    }
    s.push_str(&format!("  {title}:\n"));
    for f in findings {
        let line = f.line.map(|l| format!(":{l}")).unwrap_or_default();
        s.push_str(&format!(
            "    {:<14} {:<26} {}{line}  commit {}  {}\n",
            f.kind.to_string(),
            t(&f.rule),
            t(&f.path),
            t(f.commit.get(..12).unwrap_or(&f.commit)),
            t(&f.excerpt)
        ));
        if f.places_total > 1 {
            s.push_str(&format!(
                "      in {} places (path and version); the first {}:\n",
                f.places_total,
                f.places.len()
            ));
            for p in &f.places {
                let line = p.line.map(|l| format!(":{l}")).unwrap_or_default();
                s.push_str(&format!(
                    "        {}{line}  commit {}\n",
                    t(&p.path),
                    t(p.commit.get(..12).unwrap_or(&p.commit))
                ));
            }
        }
        if let Some(how) = &f.marked {
            s.push_str(&format!("      marked by the authors: {}\n", t(how)));
        }
        if let Some(why) = &f.allowed_by {
            s.push_str(&format!("      {}\n", t(why)));
        }
        s.push_str(&format!("      fingerprint {}\n", f.fingerprint));
    }
}

/// What the scan could not read in full, and the NHS test numbers it saw.
fn write_gaps(s: &mut String, report: &SafetyReport) {
    let t = crate::untrusted::terminal::line;
    if let Some(why) = &report.incomplete_reason {
        s.push_str(&format!("  incomplete: {}\n", t(why)));
    }
    for u in &report.unreadable {
        s.push_str(&format!("  unreadable: {}\n", t(&u.to_string())));
    }
    for cut in &report.truncated {
        s.push_str(&format!(
            "  read in part (time limit): {} ({} bytes, first {} read) in commit {}\n",
            t(&cut.path),
            cut.size,
            cut.read,
            t(cut.commit.get(..12).unwrap_or(&cut.commit))
        ));
    }
    if report.nhs_test_numbers > 0 {
        s.push_str(&format!(
            "  note: {} NHS test numbers (9xx…) seen; they do not block\n",
            report.nhs_test_numbers
        ));
    }
}
