//! What `propose` and `apply` report to GitHub Actions: the Markdown step summary and the workflow annotations
//! (pure renderings of the flow's lines; the library decides, the CLI says).

use crate::control::flow::{
    ApplyLine, ApplyOutcome, ProposeLine, ProposeOutcome, Proposed, declined_reason,
};
use crate::record::VerdictKind;
use crate::untrusted::markdown as md;

/// `[#3](url)`, or `#3 (url as code)` when the address is not plain.
fn pull_link(number: u64, url: &str) -> String {
    match md::link_target(url) {
        Some(url) => format!("[#{number}]({url})"),
        None => format!("#{number} ({})", md::code_cell(url)),
    }
}

/// The Markdown summary of a `propose` run, for `$GITHUB_STEP_SUMMARY` (pure).
pub fn propose_summary(lines: &[ProposeLine]) -> String {
    let mut out = String::from("## keepopen propose\n\n");
    if lines.is_empty() {
        out.push_str("No confirmed removal to propose.\n");
        return out;
    }
    out.push_str("| Repository | Verdict | Outcome |\n|---|---|---|\n");
    for l in lines {
        let outcome = match &l.outcome {
            ProposeOutcome::Proposed(Proposed::Opened { number, url }) => {
                format!("opened {}", pull_link(*number, url))
            }
            ProposeOutcome::Proposed(Proposed::Updated { number, url }) => {
                format!("updated {}", pull_link(*number, url))
            }
            ProposeOutcome::Proposed(Proposed::Unchanged { number, url }) => {
                format!("in {}, unchanged", pull_link(*number, url))
            }
            ProposeOutcome::Waiting { reason } => format!("waiting: {}", md::text(reason)),
            ProposeOutcome::Forbidden { reasons } => {
                format!("not proposed: {}", md::text(&reasons.join("; ")))
            }
            ProposeOutcome::Declined {
                number,
                url,
                closed_at,
            } => format!(
                "not proposed: {} ({})",
                // keepopen's own words: a number and a date.
                declined_reason(*number, *closed_at),
                pull_link(*number, url)
            ),
            ProposeOutcome::Skipped { reason } => format!("skipped: {}", md::text(reason)),
            ProposeOutcome::Failed { error } => format!("failed: {}", md::text(error)),
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            md::text(&l.repo),
            l.verdict.map_or("-", VerdictKind::as_str),
            outcome
        ));
    }
    out
}

/// Workflow annotations for a `propose` run: a warning for each NeedsReview proposal and each Forbidden
/// repository, an error for each failure (pure).
pub fn propose_annotations(lines: &[ProposeLine]) -> Vec<String> {
    let waiting = lines
        .iter()
        .filter_map(|l| match &l.outcome {
            ProposeOutcome::Waiting { reason } => Some(reason),
            _ => None,
        })
        .collect::<Vec<_>>();
    // One warning for everything writing stopped on, not one per repository.
    let stopped = waiting.first().map(|reason| {
        let message = format!(
            "{} candidate(s) wait for the next run: {reason}",
            waiting.len()
        );
        command(Level::Warning, "writing stopped", &message)
    });
    let each = lines.iter().filter_map(|l| match &l.outcome {
        ProposeOutcome::Forbidden { reasons } => Some(command(
            Level::Warning,
            "forbidden",
            &format!("{} is not proposed: {}", l.repo, reasons.join("; ")),
        )),
        ProposeOutcome::Failed { error } => Some(command(
            Level::Error,
            "propose failed",
            &format!("{}: {error}", l.repo),
        )),
        ProposeOutcome::Proposed(sent) if l.verdict == Some(VerdictKind::NeedsReview) => {
            Some(command(
                Level::Warning,
                "needs review",
                &format!(
                    "{} (pull request #{}) needs a maintainer's closer review",
                    l.repo,
                    sent.number()
                ),
            ))
        }
        _ => None,
    });
    stopped.into_iter().chain(each).collect()
}

/// The Markdown summary of an `apply` run (pure).
pub fn apply_summary(lines: &[ApplyLine]) -> String {
    let mut out = String::from("## keepopen apply\n\n");
    if lines.is_empty() {
        out.push_str("Nothing to publish: every record is published or none is approved.\n");
        return out;
    }
    out.push_str("| Record | Repository | Outcome |\n|---|---|---|\n");
    for l in lines {
        let outcome = match &l.outcome {
            ApplyOutcome::Published {
                target,
                pull_request,
                approved_by,
                ..
            } => md::text(&format!(
                "published to {target} (pull request #{pull_request}, approved by {})",
                approved_by
                    .iter()
                    .map(|a| format!("@{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            ApplyOutcome::Refused { reason } => format!("refused: {}", md::text(reason)),
            ApplyOutcome::Waiting { reason, .. } => format!("waiting: {}", md::text(reason)),
            ApplyOutcome::Failed { error } => format!("failed: {}", md::text(error)),
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            md::code_cell(&l.record),
            md::text(l.repo.as_deref().unwrap_or("-")),
            outcome
        ));
    }
    out
}

/// Workflow annotations for an `apply` run: an error for each refusal or failure, a warning for each record
/// waiting for an approval (pure).
pub fn apply_annotations(lines: &[ApplyLine]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| match &l.outcome {
            ApplyOutcome::Refused { reason } => {
                Some(command(Level::Error, "not published", reason))
            }
            ApplyOutcome::Waiting { reason, .. } => {
                Some(command(Level::Warning, "waiting for approval", reason))
            }
            ApplyOutcome::Failed { error } => Some(command(
                Level::Error,
                "apply failed",
                &format!("{}: {error}", l.record),
            )),
            ApplyOutcome::Published { .. } => None,
        })
        .collect()
}

/// A workflow annotation's level.
#[derive(Debug, Clone, Copy)]
enum Level {
    Warning,
    Error,
}

/// One workflow annotation, `::warning title=keepopen: <title>::<message>`: the whole message escaped, names
/// quoted in it included, so that whatever it holds it stays one command on one line.
fn command(level: Level, title: &str, message: &str) -> String {
    let level = match level {
        Level::Warning => "warning",
        Level::Error => "error",
    };
    format!("::{level} title=keepopen: {title}::{}", annotation(message))
}

/// Escape a workflow command's message (`%`, CR, LF).
fn annotation(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiting_record_is_a_warning_and_a_declined_repository_is_named_with_its_pull_request() {
        let lines = vec![ApplyLine {
            record: "republications/nhsuk/a.yaml".into(),
            repo: Some("nhsuk/a".into()),
            outcome: ApplyOutcome::Waiting {
                pull_request: 3,
                reason: "pull request #3 has 0 approval(s)".into(),
            },
        }];
        assert_eq!(
            apply_annotations(&lines),
            ["::warning title=keepopen: waiting for approval::pull request #3 has 0 approval(s)"]
        );
        assert!(apply_summary(&lines).contains("waiting: pull request \\#\u{200B}3"));
        let declined = vec![ProposeLine {
            repo: "nhsuk/a".into(),
            verdict: Some(VerdictKind::Allowed),
            outcome: ProposeOutcome::Declined {
                number: 7,
                url: "https://x/7".into(),
                closed_at: "2026-01-02T03:04:05Z".parse().ok(),
            },
        }];
        assert!(propose_annotations(&declined).is_empty());
        let summary = propose_summary(&declined);
        assert!(
            summary.contains(
                "not proposed: declined in pull request #7 on 2026-01-02; nothing it was decided from has changed; reopen it to take the decline back ([#7](https://x/7))"
            ),
            "{summary}"
        );
    }

    #[test]
    fn summaries_and_annotations_name_each_repository_and_escape_what_would_break_them() {
        let lines = vec![
            ProposeLine {
                repo: "nhsuk/a".into(),
                verdict: Some(VerdictKind::Allowed),
                outcome: ProposeOutcome::Proposed(Proposed::Opened {
                    number: 3,
                    url: "https://x/3".into(),
                }),
            },
            ProposeLine {
                repo: "nhsuk/b".into(),
                verdict: Some(VerdictKind::NeedsReview),
                outcome: ProposeOutcome::Proposed(Proposed::Updated {
                    number: 4,
                    url: "https://x/4".into(),
                }),
            },
            ProposeLine {
                repo: "nhsuk/c".into(),
                verdict: Some(VerdictKind::Forbidden),
                outcome: ProposeOutcome::Forbidden {
                    reasons: vec!["no licence | anywhere\n100%".into()],
                },
            },
        ];
        let summary = propose_summary(&lines);
        assert!(
            summary.contains("| nhsuk/a | allowed | opened [#3](https://x/3) |"),
            "{summary}"
        );
        assert!(
            summary
                .contains("| nhsuk/c | forbidden | not proposed: no licence \\| anywhere 100% |"),
            "{summary}"
        );
        let notes = propose_annotations(&lines);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0].starts_with("::warning") && notes[0].contains("nhsuk/b (pull request #4)")
        );
        assert!(
            notes[1].ends_with("no licence | anywhere%0A100%25"),
            "{}",
            notes[1]
        );

        let applied = vec![ApplyLine {
            record: "republications/nhsuk/a.yaml".into(),
            repo: Some("nhsuk/a".into()),
            outcome: ApplyOutcome::Refused {
                reason: "pull request #3 is not merged".into(),
            },
        }];
        assert!(
            apply_summary(&applied).contains("refused: pull request \\#\u{200B}3 is not merged")
        );
        assert_eq!(
            apply_annotations(&applied),
            ["::error title=keepopen: not published::pull request #3 is not merged"]
        );
        assert!(apply_summary(&[]).contains("Nothing to publish"));
    }

    #[test]
    fn every_annotation_is_one_workflow_command_whatever_the_names_it_quotes_hold() {
        // A record path or repository name is not keepopen's own text: a line break in one must not start a
        // second workflow command.
        let hostile = "o/a\n::error::forged%";
        let apply = vec![ApplyLine {
            record: hostile.into(),
            repo: None,
            outcome: ApplyOutcome::Failed {
                error: "push refused".into(),
            },
        }];
        let propose = vec![
            ProposeLine {
                repo: hostile.into(),
                verdict: Some(VerdictKind::Forbidden),
                outcome: ProposeOutcome::Forbidden {
                    reasons: vec!["no licence".into()],
                },
            },
            ProposeLine {
                repo: hostile.into(),
                verdict: Some(VerdictKind::NeedsReview),
                outcome: ProposeOutcome::Proposed(Proposed::Opened {
                    number: 5,
                    url: "https://x/5".into(),
                }),
            },
        ];
        let notes: Vec<String> = apply_annotations(&apply)
            .into_iter()
            .chain(propose_annotations(&propose))
            .collect();
        assert_eq!(notes.len(), 3, "{notes:?}");
        for note in &notes {
            assert!(!note.contains('\n') && !note.contains('\r'), "{note:?}");
            assert!(note.contains("o/a%0A::error::forged%25"), "{note:?}");
        }
    }
}
