//! `keepopen check <repo-or-directory>`: a table per repository, or `--json` as one array.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::check::{
    RepoCheck, SCOPE_LICENCE_ONLY, SafetySummary, ScanCache, check_all_with, find_repositories,
};
use crate::cli::Global;
use crate::license::{Finding, Method, Observation, Scope};
use crate::policy::Policy;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A git repository (bare mirror or working copy), or a directory holding many (as made by
    /// `git clone --mirror` or ghorg).
    pub path: PathBuf,
    /// How many repositories to check at once (default: the number of cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// How many folders deep to look for repositories under a directory.
    #[arg(long, default_value_t = 3)]
    pub depth: usize,
    /// Use the built-in default policy when the policy file does not exist.
    #[arg(long)]
    pub default_policy: bool,
    /// Judge the licence alone, without the history scan: not the republication verdict (labelled
    /// licence-only in the table and the JSON).
    #[arg(long, visible_alias = "license-only")]
    pub licence_only: bool,
}

/// Load the policy, or the built-in default when asked and the file is absent.
pub fn load_policy(global: &Global, allow_default: bool) -> anyhow::Result<Policy> {
    if allow_default && !global.policy.exists() {
        tracing::info!(
            "{} not found: using the built-in default policy",
            global.policy.display()
        );
        return Ok(Policy::default());
    }
    Ok(Policy::load(&global.policy)?)
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let policy = Arc::new(load_policy(global, args.default_policy)?);
    let repos = find_repositories(&args.path, args.depth)
        .with_context(|| format!("cannot look for repositories in {}", args.path.display()))?;
    if repos.is_empty() {
        anyhow::bail!(
            "no git repository found in {} (looked {} folders deep)",
            args.path.display(),
            args.depth
        );
    }
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    let bar = if std::io::stderr().is_terminal() && repos.len() > 1 {
        let bar = indicatif::ProgressBar::new(repos.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} repositories checked ({eta} left)",
            )
            .expect("template is valid"),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let safety = if args.licence_only {
        None
    } else {
        let config = policy.safety.clone();
        // The scan cache lives in the state directory when there is one; else it lasts this run only.
        let cache = if global.state.is_dir() {
            ScanCache::in_state(&global.state)
        } else {
            ScanCache::in_memory()
        };
        Some((Arc::new(config), Arc::new(cache)))
    };
    let tick = bar.clone();
    let mut results = check_all_with(repos, policy, safety, jobs, move |_| tick.inc(1)).await;
    bar.finish_and_clear();
    results.sort_by(|a, b| a.repo.cmp(&b.repo));
    if global.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        let mut out = String::new();
        for r in &results {
            out.push_str(&render(r));
            out.push('\n');
        }
        out.push_str(&summary(&results));
        print!("{out}");
    }
    let failed = results.iter().any(|r| r.verdict.error().is_some());
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The table for one repository.
pub fn render(r: &RepoCheck) -> String {
    let label = if r.scope == SCOPE_LICENCE_ONLY && r.verdict.error().is_none() {
        " (licence only: history not scanned)"
    } else {
        ""
    };
    // Everything but keepopen's own words came from the repository: one line each, shown, never obeyed.
    let t = crate::untrusted::terminal::line;
    let mut s = format!(
        "{}  [{}]{label}\n",
        t(&r.name),
        t(&r.verdict.name().to_uppercase())
    );
    s.push_str(&format!("  repository: {}\n", t(&r.repo)));
    if let Some(e) = r.verdict.error() {
        s.push_str(&format!("  error: {}\n", t(e)));
        return s;
    }
    if let (Some(b), Some(c)) = (&r.branch, &r.commit) {
        s.push_str(&format!("  read: {} at {}\n", t(b), t(c)));
    }
    if !r.expression.is_empty() {
        s.push_str(&format!("  licence: {}\n", t(&r.expression)));
    }
    write_findings(&mut s, &r.findings);
    write_combinations(&mut s, &r.observations);
    if !r.holders.is_empty() {
        s.push_str(&format!("  holders: {}\n", t(&r.holders.join("; "))));
    }
    if let Some(scan) = &r.safety {
        write_history(&mut s, scan);
    }
    if !r.verdict.conditions().is_empty() {
        s.push_str("  conditions:\n");
        for c in r.verdict.conditions() {
            s.push_str(&format!("    - {}\n", t(&c.to_string())));
        }
    }
    if !r.verdict.reasons().is_empty() {
        s.push_str("  reasons:\n");
        for why in r.verdict.reasons() {
            s.push_str(&format!("    - {}\n", t(why)));
        }
    }
    s
}

/// The licence findings as a table, each with its notes; nothing when there are none.
fn write_findings(s: &mut String, findings: &[Finding]) {
    let t = crate::untrusted::terminal::line;
    if findings.is_empty() {
        return;
    }
    s.push_str("  findings:\n");
    s.push_str(&format!(
        "    {:<22} {:>5}  {:<10} {:<14} {}\n",
        "licence", "score", "how", "scope", "where"
    ));
    for f in findings {
        let how = match f.method {
            Method::Text => "text",
            Method::Header => "header",
            Method::Reference => "reference",
            Method::Declared => "declared",
        };
        let scope = match &f.scope {
            Scope::Repository => "repository".to_string(),
            Scope::Code => "code".to_string(),
            Scope::Documentation => "documentation".to_string(),
            Scope::Folder(d) => format!("{}/", t(d)),
            Scope::Part(p) => format!("part: {}", t(p)),
        };
        let modified = if f.modified { " (modified)" } else { "" };
        s.push_str(&format!(
            "    {:<22} {:>5.3}  {:<10} {:<14} {}:{}-{}{}\n",
            t(&f.license),
            f.score,
            how,
            scope,
            t(&f.file),
            f.lines.0,
            f.lines.1,
            modified
        ));
        for n in &f.notes {
            s.push_str(&format!("      note: {}\n", t(n)));
        }
    }
}

/// The combinations of licences the engine observed, one line each.
fn write_combinations(s: &mut String, observations: &[Observation]) {
    let t = crate::untrusted::terminal::line;
    for o in observations {
        if let Observation::Combination {
            relation,
            expression,
            detail,
        } = o
        {
            s.push_str(&format!(
                "  combination ({relation:?}): {}: {}\n",
                t(expression),
                t(detail)
            ));
        }
    }
}

/// The history scan in one line: clean, or its findings and whether it is complete.
fn write_history(s: &mut String, scan: &SafetySummary) {
    let cached = if scan.cached { ", cached" } else { "" };
    if scan.clean {
        s.push_str(&format!(
            "  history: clean ({} commits, {} blobs{cached})\n",
            scan.commits_scanned, scan.blobs_scanned
        ));
    } else {
        s.push_str(&format!(
            "  history: {} finding(s), {} waived, {} ({} commits, {} blobs{cached})\n",
            scan.findings,
            scan.allowed,
            if scan.incomplete {
                "incomplete"
            } else {
                "complete"
            },
            scan.commits_scanned,
            scan.blobs_scanned
        ));
    }
}

fn summary(results: &[RepoCheck]) -> String {
    let count = |v: &str| results.iter().filter(|r| r.verdict == v).count();
    let scope = if results
        .iter()
        .any(|r| r.scope == SCOPE_LICENCE_ONLY && r.verdict.error().is_none())
    {
        "licence only, history not scanned"
    } else {
        "licence and history scan"
    };
    format!(
        "{} repositories: {} allowed, {} needs review, {} forbidden, {} failed (SPDX licence list {}; verdicts: {scope})\n",
        results.len(),
        count("allowed"),
        count("needs-review"),
        count("forbidden"),
        count("error"),
        crate::license::store::LICENSE_LIST_VERSION
    )
}
