//! `keepopen demo`: the whole pipeline on a small organisation built on the spot, offline (see `demo`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;

use crate::cli::Global;
use crate::demo::{self, DemoReport, Locations, Outcome, StepDone};
use crate::report::Judged;
use std::collections::BTreeMap;

/// `keepopen demo`: build an organisation of git repositories, remove some, and watch keepopen archive and check
/// them, propose them, approve the allowed ones as a maintainer, and apply (republish) them.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Where to build everything (a new or empty directory; kept afterwards). Default: a temporary directory.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Keep the temporary directory (always kept with --dir).
    #[arg(long)]
    pub keep: bool,
}

pub async fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let (root, temporary) = match &args.dir {
        Some(dir) => (dir.clone(), None),
        None => {
            let dir = tempfile::Builder::new()
                .prefix("keepopen-demo-")
                .tempdir()
                .context("cannot create a temporary directory")?;
            (dir.path().to_owned(), Some(dir))
        }
    };
    let write_site =
        |locations: &Locations, judged: &BTreeMap<u64, Judged>| -> anyhow::Result<PathBuf> {
            let site = locations.root.join("site");
            let store = crate::state::Store::open(&locations.state)?;
            crate::report::write_site_with_decisions(
                &store,
                &site,
                judged,
                Some(&locations.records),
                Utc::now(),
            )?;
            Ok(site)
        };
    let report = demo::run(&root, Utc::now(), Some(&write_site)).await?;
    let kept = match temporary {
        Some(dir) if args.keep => {
            let _ = dir.keep();
            true
        }
        Some(_) => false,
        None => true,
    };
    if global.json {
        let mut value = serde_json::to_value(&report)?;
        value["steps"] = report
            .steps
            .iter()
            .map(|done| {
                Ok(serde_json::json!({
                    "step": done.step(),
                    "title": done.step().title(),
                    "detail": step_detail(done, &report.locations),
                }))
            })
            .collect::<serde_json::Result<_>>()?;
        value["kept"] = serde_json::Value::Bool(kept);
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", render(&report, kept));
    }
    Ok(ExitCode::SUCCESS)
}

/// What one step did, in words.
pub fn step_detail(done: &StepDone, locations: &Locations) -> String {
    match done {
        StepDone::Build {
            repositories,
            organisation,
        } => format!("{repositories} repositories in {}", organisation.display()),
        StepDone::FirstScan {
            seen,
            new,
            mirrored,
        } => format!("seen {seen}, new {new}, mirrored {mirrored}"),
        StepDone::Remove { removed, of } => {
            format!("deleted {removed} of {of} repositories from the forge")
        }
        StepDone::Confirm { scans, confirmed } => {
            format!("{scans} scan(s), {confirmed} removal(s) confirmed")
        }
        StepDone::Check { checked } => format!("{checked} confirmed removal(s) checked"),
        StepDone::Propose {
            proposals,
            allowed,
            needs_review,
            forbidden,
        } => format!(
            "{proposals} proposal(s) in {} ({allowed} allowed, {needs_review} needs-review); {forbidden} forbidden, not proposed",
            locations.proposals.display()
        ),
        StepDone::Approve {
            merged,
            batches,
            awaiting,
        } => {
            let batches: String = batches
                .iter()
                .map(|(number, held)| {
                    format!(
                        " (#{number} is a batch of {held} allowed repositories, approved and merged at once)"
                    )
                })
                .collect();
            format!(
                "@{} approved and merged {merged} allowed proposal(s){batches}; {awaiting} await a maintainer",
                demo::MAINTAINER
            )
        }
        StepDone::Apply { published } => format!(
            "{published} republished to {}, decision records in {}",
            locations.published.display(),
            locations.records.display()
        ),
        StepDone::Report { site: Some(site) } => format!("written to {}", site.display()),
        StepDone::Report { site: None } => "not asked for".into(),
    }
}

/// What became of a repository, as its table cell.
pub fn outcome_cell(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Republished { path, .. } => format!("republished to {path}"),
        Outcome::Refused { why } => format!("refused: {why}"),
        Outcome::AwaitingMaintainer { reason, .. } => format!("awaiting a maintainer: {reason}"),
        Outcome::StillPublic => "still public: archived only".into(),
        Outcome::Unconfirmed { status } => format!("removal not confirmed ({status})"),
    }
}

/// The steps, the table and the locations, as the terminal shows them.
pub fn render(report: &DemoReport, kept: bool) -> String {
    let mut out = String::new();
    for (i, done) in report.steps.iter().enumerate() {
        out.push_str(&format!(
            "{:>2}. {}: {}\n",
            i + 1,
            done.step().title(),
            step_detail(done, &report.locations)
        ));
    }
    out.push('\n');
    out.push_str(&table(report));
    let republished = report
        .rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Republished { .. }))
        .count();
    out.push_str(&format!(
        "\n{republished} of {} repositories republished.\n",
        report.rows.len()
    ));
    let l = &report.locations;
    if kept {
        write_kept(&mut out, report);
    } else {
        out.push_str(&format!(
            "\nThe temporary directory {} was removed; run `keepopen demo --keep` or `--dir <dir>` to keep the results.\n",
            l.root.display()
        ));
    }
    out
}

/// The results as a table, one row per repository, the last column unpadded.
fn table(report: &DemoReport) -> String {
    let mut out = String::new();
    let header = ["repository", "licence", "verdict", "outcome"];
    let cells: Vec<[String; 4]> = report
        .rows
        .iter()
        .map(|r| {
            [
                r.repo.clone(),
                r.license.clone(),
                r.verdict.clone(),
                outcome_cell(&r.outcome),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |row: [&str; 4]| {
        let mut s = String::new();
        for (i, (c, w)) in row.iter().zip(widths).enumerate() {
            if i == 3 {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  "));
            }
        }
        s.trim_end().to_owned() + "\n"
    };
    out.push_str(&line(header));
    out.push_str(&line(
        widths.map(|w| "-".repeat(w)).each_ref().map(String::as_str),
    ));
    for row in &cells {
        out.push_str(&line(row.each_ref().map(String::as_str)));
    }
    out
}

/// Where each result was kept, how to decide a proposal that awaits a maintainer, and the status page.
fn write_kept(out: &mut String, report: &DemoReport) {
    let l = &report.locations;
    out.push_str(&format!("\nResults in {}:\n", l.root.display()));
    for (what, path) in [
        ("source forge (the organisation)", Some(&l.forge)),
        ("policy", Some(&l.policy)),
        ("state (records, removal reports)", Some(&l.state)),
        ("archive (bare mirrors)", Some(&l.archive)),
        ("proposals (local control forge)", Some(&l.proposals)),
        ("decision records", Some(&l.records)),
        ("republished repositories", Some(&l.published)),
        ("status page", l.site.as_ref()),
    ] {
        if let Some(path) = path {
            out.push_str(&format!("  {what:<34} {}\n", path.display()));
        }
    }
    let keepopen = format!(
        "keepopen --policy {} --state {} --archive {}",
        l.policy.display(),
        l.state.display(),
        l.archive.display()
    );
    for row in &report.rows {
        if let Outcome::AwaitingMaintainer { proposal, .. } = &row.outcome {
            out.push_str(&format!(
                "\n{} awaits a maintainer (proposal #{proposal}). To decide it yourself:\n  {keepopen} review {proposal} --approve --as {}\n  {keepopen} merge {proposal}\n  {keepopen} apply\nAn approval alone does not publish sensitive content: apply refuses until each finding is waived in the\npolicy's `safety.overrides` (a revoked key, test data), and says how.\n",
                row.repo,
                demo::MAINTAINER
            ));
        }
    }
    if let Some(site) = &l.site {
        out.push_str(&format!(
            "\nOpen file://{}/index.html to see the status page.\n",
            site.display()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::Row;

    fn report(outcome: Outcome) -> DemoReport {
        DemoReport {
            steps: Vec::new(),
            rows: vec![Row {
                repo: "nhs-demo/referral-service".into(),
                license: "MIT".into(),
                verdict: "needs-review".into(),
                outcome,
            }],
            locations: Locations::under(std::path::Path::new("/d")),
        }
    }

    #[test]
    fn a_proposal_awaiting_a_maintainer_comes_with_the_commands_that_decide_it() {
        let text = render(
            &report(Outcome::AwaitingMaintainer {
                proposal: 5,
                reason: "sensitive content: a secret".into(),
            }),
            true,
        );
        assert!(
            text.contains("awaiting a maintainer: sensitive content: a secret"),
            "{text}"
        );
        let prefix = "keepopen --policy /d/policy.yaml --state /d/state --archive /d/archive";
        for command in [
            format!("{prefix} review 5 --approve --as demo-maintainer"),
            format!("{prefix} merge 5"),
            format!("{prefix} apply"),
        ] {
            assert!(text.contains(&command), "{command} missing from:\n{text}");
        }
        let refused = render(&report(Outcome::Refused { why: "x".into() }), true);
        assert!(!refused.contains("--approve"), "{refused}");
    }

    #[test]
    fn outcomes_read_as_table_cells() {
        let cases = [
            (
                Outcome::Republished {
                    path: "/p/x.git".into(),
                    notice_commit: "abc".into(),
                },
                "republished to /p/x.git",
            ),
            (
                Outcome::Refused {
                    why: "no licence".into(),
                },
                "refused: no licence",
            ),
            (
                Outcome::AwaitingMaintainer {
                    proposal: 6,
                    reason: "sensitive content: a secret".into(),
                },
                "awaiting a maintainer: sensitive content: a secret",
            ),
            (Outcome::StillPublic, "still public: archived only"),
        ];
        for (outcome, text) in cases {
            assert_eq!(outcome_cell(&outcome), text);
        }
    }
}
