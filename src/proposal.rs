//! The proposal: what a maintainer sees in the pull request that adds a decision record. Pure: the branch name
//! (one per repository, so an open proposal is found and updated rather than duplicated), the title, the labels,
//! and the Markdown body — licence table, the matched text and how it differs from the canonical licence,
//! holders, conditions, the notice to be added, and what the safety scan found.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::approval::Labels;
use crate::license::Finding;
use crate::record::{DecisionRecord, VerdictKind};
use crate::untrusted::markdown as md;

/// The prefix of every proposal branch.
pub const BRANCH_PREFIX: &str = "keepopen/";

/// The most characters of matched licence text quoted in a body.
const MAX_QUOTE_CHARS: usize = 4_000;
/// The most characters of a change's diff, and of the notice preview, quoted in a body.
const MAX_DIFF_CHARS: usize = 4_000;
const MAX_NOTICE_CHARS: usize = 20_000;

/// `keepopen/<owner>/<repo>`, each part made safe for a ref name.
pub fn branch_name(full_name: &str) -> String {
    let (owner, name) = full_name.split_once('/').unwrap_or(("_", full_name));
    format!(
        "{BRANCH_PREFIX}{}/{}",
        crate::archive::sanitize_name(owner),
        ref_safe(&crate::archive::sanitize_name(name))
    )
}

/// A sanitised name can still end in `.lock`, which git refuses in a ref component.
fn ref_safe(part: &str) -> String {
    match part.strip_suffix(".lock") {
        Some(stem) => format!("{stem}_lock"),
        None => part.to_owned(),
    }
}

/// The prefix of every batch proposal's branch: `keepopen/batch/<owner>/<licence class>-<n>`.
pub const BATCH_PREFIX: &str = "keepopen/batch/";

/// Whether `branch` is a batch proposal's: under [`BATCH_PREFIX`], and a valid ref name. (A repository's own
/// branch is `keepopen/<owner>/<repo>`; `batch` is no GitHub owner, since logins hold no `/`, but an owner
/// called `batch` would give `keepopen/batch/<repo>`, one part after the prefix, which this refuses.)
pub fn is_batch_branch(branch: &str) -> bool {
    branch.strip_prefix(BATCH_PREFIX).is_some_and(|rest| {
        rest.split('/').count() == 2
            && git2::Reference::is_valid_name(&format!("refs/heads/{branch}"))
    })
}

/// The branch of batch number `n` of `owner`'s repositories of licence class `class`.
pub fn batch_branch(owner: &str, class: &str, n: u32) -> String {
    format!(
        "{BATCH_PREFIX}{}/{}-{n}",
        crate::archive::sanitize_name(owner),
        ref_safe(&crate::archive::sanitize_name(class))
    )
}

/// The batch's group: the source owner and the licence class of the records' licences (one class, or
/// `mixed`), as `(owner, class)`. Reviewers read one organisation's repositories under one kind of licence.
pub fn batch_group(record: &DecisionRecord, policy: &crate::policy::Policy) -> (String, String) {
    let owner = record
        .source
        .full_name
        .split_once('/')
        .map(|(o, _)| o.to_owned())
        .unwrap_or_default();
    let classes: std::collections::BTreeSet<&str> = record
        .licenses
        .iter()
        .map(|l| {
            policy
                .class_of(&l.id)
                .map(crate::verdict::class_name)
                .unwrap_or("unclassified")
        })
        .collect();
    let class = match classes.len() {
        0 => "none".to_owned(),
        1 => classes.into_iter().next().unwrap_or_default().to_owned(),
        _ => "mixed".to_owned(),
    };
    (owner, class)
}

/// The hidden marker a batch's body opens with: the GitHub ids of the repositories keepopen put in it, so a
/// later run knows which a maintainer took out. Numbers only: no repository text goes into the comment.
pub fn batch_marker(members: &std::collections::BTreeSet<u64>) -> String {
    format!(
        "<!-- keepopen:batch {} -->",
        members
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// The ids in a body's batch marker (empty when it has none; anything but digits and commas is no marker).
pub fn batch_members(body: &str) -> std::collections::BTreeSet<u64> {
    let Some(rest) = body.split("<!-- keepopen:batch ").nth(1) else {
        return Default::default();
    };
    let Some((list, _)) = rest.split_once(" -->") else {
        return Default::default();
    };
    if !list.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return Default::default();
    }
    list.split(',').filter_map(|n| n.parse().ok()).collect()
}

/// A batch proposal's title.
pub fn batch_title(owner: &str, class: &str, count: usize) -> String {
    let t = |s: &str| crate::untrusted::cap(&crate::untrusted::terminal::line(s), 60).into_owned();
    format!(
        "Republish {count} repositories of {} ({} licences, allowed)",
        t(owner),
        t(class)
    )
}

/// One row of a batch proposal: the record's path on the batch's branch, the address that shows it (none on a
/// forge without web pages), and the record.
#[derive(Debug, Clone)]
pub struct BatchRow {
    pub path: String,
    pub link: Option<String>,
    pub record: DecisionRecord,
}

/// A batch proposal's body (pure): the marker, how to review, and one row per repository with a link to its
/// record on the batch's branch, the evidence one click away. `members` are the records on the branch;
/// `taken_out` the names of repositories a maintainer removed.
pub fn batch_body(
    members: &std::collections::BTreeSet<u64>,
    rows: &[BatchRow],
    taken_out: &[String],
) -> String {
    let mut b = batch_marker(members);
    let _ = writeln!(
        b,
        "\nkeepopen proposes to republish these **{}** repositories together: each was removed from GitHub, is \
         **allowed** under the policy, and its history scan found nothing. Each keeps its own decision record in \
         this pull request.\n",
        rows.len()
    );
    b.push_str(
        "**To approve all:** review each row (the record link shows everything it was decided from: licences, \
         holders, conditions, the notice, the scan), approve, and merge. Only approvals by maintainers other than \
         the author count.\n\n**To take one out:** delete its record file from this pull request (Files changed → \
         ⋯ → Delete file) before merging; keepopen then proposes it again on its own. **To decline all:** close \
         this pull request.\n\n",
    );
    b.push_str(
        "| Repository | Licence | Holders | Removal confirmed | Record |\n|---|---|---|---|---|\n",
    );
    for BatchRow { path, link, record } in rows {
        let holders = match record.holders.len() {
            0 => "none named".to_owned(),
            1 => md::text(&record.holders[0]),
            n => format!("{} and {} more", md::text(&record.holders[0]), n - 1),
        };
        let link = match link.as_deref().and_then(md::link_target) {
            Some(url) => format!("[record]({url})"),
            None => md::code_cell(path),
        };
        let _ = writeln!(
            b,
            "| {} | {} | {} | {} | {} |",
            md::text(&record.source.full_name),
            md::code_cell(&record.expression),
            holders,
            record
                .confirmed_at
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "-".into()),
            link
        );
    }
    if !taken_out.is_empty() {
        b.push_str("\nTaken out by a maintainer, proposed on their own: ");
        b.push_str(
            &taken_out
                .iter()
                .map(|n| md::text(n))
                .collect::<Vec<_>>()
                .join(", "),
        );
        b.push('\n');
    }
    b.push_str("\n<sub>Written by keepopen. Merging approves each record in it; `apply` publishes each.</sub>\n");
    b
}

/// The pull request's title: plain text on GitHub (no mention, no HTML), but the expression is the
/// repository's, so hidden characters are shown escaped and its length is capped.
pub fn title(record: &DecisionRecord) -> String {
    let t = |s: &str| crate::untrusted::cap(&crate::untrusted::terminal::line(s), 100).into_owned();
    format!(
        "Republish {} ({}, {})",
        t(&record.source.full_name),
        t(&record.expression),
        record.verdict.kind
    )
}

/// The labels: one tells Allowed from NeedsReview.
pub fn labels(record: &DecisionRecord, labels: &Labels) -> Vec<String> {
    if record.verdict.kind == VerdictKind::Allowed {
        vec![labels.allowed.clone()]
    } else {
        vec![labels.review.clone()]
    }
}

/// The body. `findings` are the licence engine's findings (for their differences from the canonical text);
/// `texts` the matched lines of each licence file, by file name, when they could be read.
pub fn body(
    record: &DecisionRecord,
    findings: &[Finding],
    texts: &BTreeMap<String, String>,
) -> String {
    let mut b = String::new();
    write_heading(&mut b, record);
    write_licences(&mut b, record, texts);
    write_differences(&mut b, findings);
    write_list(
        &mut b,
        "## Copyright holders\n\n",
        "None named.\n\n",
        &record.holders,
    );
    write_list(
        &mut b,
        "## Conditions\n\n",
        "None.\n\n",
        &record.verdict.conditions,
    );
    write_safety(&mut b, &record.safety);
    write_notice(&mut b, record);
    b
}

/// What is proposed, the verdict, and (when it is not allowed) why a maintainer must look closer.
fn write_heading(b: &mut String, record: &DecisionRecord) {
    let source = &record.source;
    let _ = writeln!(
        b,
        "keepopen proposes to republish **{}** (GitHub id {}), removed from GitHub{}.\n",
        md::text(&source.full_name),
        source.id,
        record
            .confirmed_at
            .map(|t| format!(" (removal confirmed {})", t.format("%Y-%m-%d %H:%M UTC")))
            .unwrap_or_default()
    );
    let _ = writeln!(
        b,
        "**Verdict: {}** · licence expression {} · original: {}\n",
        md::text(record.verdict.kind.as_str()),
        md::code(&record.expression),
        md::url(&source.url)
    );
    if record.verdict.kind != VerdictKind::Allowed {
        b.push_str(
            "> [!WARNING]\n> This repository needs a maintainer's closer look before approval:\n",
        );
        for reason in &record.verdict.reasons {
            let _ = writeln!(b, "> - {}", md::text(reason));
        }
        b.push('\n');
    }
    b.push_str("Approving and merging this pull request publishes the mirror, unchanged, with the notice below. ");
    b.push_str("Only approvals by maintainers other than the author count.\n\n");
}

/// The licence table and the matched text of each licence file.
fn write_licences(b: &mut String, record: &DecisionRecord, texts: &BTreeMap<String, String>) {
    b.push_str("## Licences\n\n");
    if record.licenses.is_empty() {
        b.push_str("No licence was found.\n\n");
    } else {
        b.push_str(
            "| Licence | File | Lines | Score | Method | Modified |\n|---|---|---|---|---|---|\n",
        );
        for l in &record.licenses {
            let _ = writeln!(
                b,
                "| {} | {} | {} | {:.3} | {} | {} |",
                md::text(&l.id),
                md::code_cell(&l.file),
                md::text(&l.lines),
                l.score,
                md::text(&l.method),
                if l.modified { "yes" } else { "no" }
            );
        }
        b.push('\n');
    }
    for (file, text) in texts {
        let _ = writeln!(
            b,
            "<details><summary>Matched text of <code>{}</code></summary>\n\n{}\n</details>\n",
            md::html(file),
            md::fenced(text, "text", MAX_QUOTE_CHARS)
        );
    }
}

/// How each modified licence text differs from the canonical one; nothing when none is modified.
fn write_differences(b: &mut String, findings: &[Finding]) {
    let mut changes = false;
    for f in findings
        .iter()
        .filter(|f| f.modified || !f.operative_changes.is_empty())
    {
        if !changes {
            b.push_str("### Differences from the canonical licence text\n\n");
            changes = true;
        }
        if f.operative_changes.is_empty() {
            let _ = writeln!(
                b,
                "- {} ({}): modified, but no change alters what the licence permits.",
                md::code(&f.file),
                md::text(&f.license)
            );
        }
        for c in &f.operative_changes {
            let _ = writeln!(
                b,
                "- {} ({}): **{}**: {}\n\n{}",
                md::code(&f.file),
                md::text(&f.license),
                md::text(&c.kind),
                md::text(&c.summary),
                md::fenced(&c.diff, "diff", MAX_DIFF_CHARS)
            );
        }
    }
    if changes {
        b.push('\n');
    }
}

/// A section that is a bulleted list of `items`, or `none` when there are none.
fn write_list(b: &mut String, heading: &str, none: &str, items: &[String]) {
    b.push_str(heading);
    if items.is_empty() {
        b.push_str(none);
    } else {
        for item in items {
            let _ = writeln!(b, "- {}", md::text(item));
        }
        b.push('\n');
    }
}

/// The safety scan's summary and its three tables: blocking findings, authors' markers, local test credentials.
fn write_safety(b: &mut String, s: &crate::record::SafetySummary) {
    b.push_str("## Safety scan\n\n");
    if s.is_clean() {
        let _ = writeln!(
            b,
            "Nothing found: no secrets, patient data or sensitive files in the history{}.\n",
            if s.waived > 0 {
                format!(" ({} finding(s) waived by the policy)", s.waived)
            } else {
                String::new()
            }
        );
    } else {
        let _ = writeln!(
            b,
            "{} secret(s), {} patient-data finding(s), {} sensitive file(s){}{}. Excerpts are masked. \
             Publication is refused until each is waived in `safety.overrides` by its fingerprint.\n",
            s.secrets,
            s.patient_data,
            s.sensitive_files,
            if s.incomplete {
                "; the scan is incomplete"
            } else {
                ""
            },
            if s.unreadable > 0 {
                format!("; {} object(s) could not be read", s.unreadable)
            } else {
                String::new()
            }
        );
    }
    write_findings_table(b, "", &s.findings);
    write_findings_table(
        b,
        "Marked by the repository's authors as not secret (`gitleaks:allow`, `.gitleaksignore`); listed for a \
         person to confirm, not blocking (`safety.authors-markers: block` makes them block):\n\n",
        &s.marked,
    );
    write_findings_table(
        b,
        "Test credentials used only locally (under a test path, in files that name local endpoints only, minted by \
         the test: docs/safety.md); listed for a person to confirm, not blocking \
         (`safety.local-test-credentials: block` makes them block):\n\n",
        &s.local_test,
    );
}

/// One row per finding: the same value in many places is one row, its first place named. Nothing when empty.
fn write_findings_table(b: &mut String, title: &str, findings: &[crate::record::MaskedFinding]) {
    if findings.is_empty() {
        return;
    }
    b.push_str(title);
    b.push_str("| Kind | Rule | File | Line | Commit | Excerpt | Fingerprint |\n|---|---|---|---|---|---|---|\n");
    for f in findings {
        let _ = writeln!(
            b,
            "| {} | {} | {}{} | {} | {} | {}{} | {} |",
            f.kind,
            md::text(&f.rule),
            md::code_cell(&f.path),
            match f.places {
                0 | 1 => String::new(),
                n => format!(" and {} other place(s)", n - 1),
            },
            f.line.map(|l| l.to_string()).unwrap_or_default(),
            md::code_cell(f.commit.get(..12).unwrap_or(&f.commit)),
            md::code_cell(&f.excerpt),
            f.marked
                .as_deref()
                .map(|m| format!(" (marked by the authors: {})", md::text(m)))
                .unwrap_or_default(),
            md::code_cell(&f.fingerprint)
        );
    }
    b.push('\n');
}

/// The notice to be added, then where the decision record and the branch are.
fn write_notice(b: &mut String, record: &DecisionRecord) {
    b.push_str("## The notice to be added\n\n");
    b.push_str(&md::fenced(
        &record.notice_preview,
        "markdown",
        MAX_NOTICE_CHARS,
    ));
    b.push('\n');
    let _ = writeln!(
        b,
        "<sub>Decision record: {} · branch {} · written by keepopen.</sub>",
        md::code(&crate::record::repo_path(
            "republications",
            &record.source.full_name
        )),
        md::code(&branch_name(&record.source.full_name))
    );
}

/// The note that opens a proposal made after pull request `declined` was closed without merging, because
/// what the repository was decided from changed (`changes`, in words, from
/// [`crate::control::flow::evidence_changes`]).
pub fn declined_note(declined: u64, changes: &[String]) -> String {
    let mut b = format!(
        "> [!NOTE]\n> #{declined} (declined): the maintainers closed an earlier proposal of this repository without \
         merging it. This one is made because what it was decided from has changed since:\n"
    );
    for change in changes {
        let _ = writeln!(b, "> - {}", md::text(change));
    }
    b.push('\n');
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::license::{Method, OperativeChange, Scope};
    use crate::record::{
        LicenseLine, MaskedFinding, Mirror, RecordStatus, SafetySummary, Source, VerdictRecord,
    };
    use crate::safety::FindingKind;

    fn record(kind: VerdictKind) -> DecisionRecord {
        DecisionRecord {
            version: 1,
            source: Source {
                full_name: "nhsuk/front|end".into(),
                url: "https://github.com/nhsuk/front|end".into(),
                id: 42,
                default_branch: Some("main".into()),
            },
            mirror: Mirror {
                path: "42.git".into(),
                head: None,
                tips: BTreeMap::new(),
            },
            removed_at: None,
            confirmed_at: None,
            verdict: VerdictRecord {
                kind,
                reasons: vec!["sensitive content: secret (aws-access-token) in .env".into()],
                conditions: vec!["keep the licence and copyright notices".into()],
            },
            expression: "MIT".into(),
            licenses: vec![LicenseLine {
                id: "MIT".into(),
                file: "LICENSE".into(),
                lines: "1-21".into(),
                score: 0.97,
                method: "text".into(),
                modified: true,
            }],
            holders: vec!["NHS England".into()],
            notice_preview: "# Provenance\n```\ncode\n```\n".into(),
            safety: SafetySummary {
                secrets: 1,
                findings: vec![MaskedFinding {
                    kind: FindingKind::Secret,
                    rule: "aws-access-token".into(),
                    path: ".env".into(),
                    commit: "c".repeat(40),
                    line: Some(3),
                    excerpt: "AKIA****************…".into(),
                    fingerprint: "f".repeat(64),
                    places: 1,
                    marked: None,
                }],
                ..SafetySummary::default()
            },
            evidence: None,
            status: RecordStatus::Proposed,
            proposed_in: None,
            publication: None,
        }
    }

    #[test]
    fn branch_names_are_one_per_repository_and_safe_as_refs() {
        let cases = [
            ("nhsuk/frontend", "keepopen/nhsuk/frontend"),
            ("nhsuk/../../main", "keepopen/nhsuk/____main"),
            ("-x/repo.lock", "keepopen/x/repo_lock"),
            ("nhsuk/naïve repo", "keepopen/nhsuk/na_ve_repo"),
        ];
        for (name, expected) in cases {
            let got = branch_name(name);
            assert_eq!(got, expected, "{name}");
            assert!(
                git2::Reference::is_valid_name(&format!("refs/heads/{got}")),
                "{got}"
            );
        }
    }

    #[test]
    fn a_batch_marker_names_its_members_by_id_and_nothing_else_reads_as_one() {
        let members: std::collections::BTreeSet<u64> = [7, 42, 1_000_001].into();
        let body = format!("{}\nrest of the body", batch_marker(&members));
        assert_eq!(batch_members(&body), members);
        for forged in [
            "no marker",
            "<!-- keepopen:batch 1,2",
            "<!-- keepopen:batch 1,x --> ",
            "<!-- keepopen:batch 1 2 -->",
        ] {
            assert!(batch_members(forged).is_empty(), "{forged}");
        }
    }

    #[test]
    fn batch_branches_are_told_from_a_repositorys_own() {
        assert_eq!(
            batch_branch("nhs uk", "weak-copyleft", 3),
            "keepopen/batch/nhs_uk/weak-copyleft-3"
        );
        assert!(is_batch_branch(&batch_branch("nhsuk", "permissive", 1)));
        for own in [
            branch_name("nhsuk/frontend"),
            branch_name("batch/frontend"),
            "keepopen/batch/x/y/z".to_owned(),
            "keepopen/batch/x/..".to_owned(),
        ] {
            assert!(!is_batch_branch(&own), "{own}");
        }
    }

    #[test]
    fn labels_tell_allowed_from_needs_review() {
        let l = Labels::default();
        assert_eq!(
            labels(&record(VerdictKind::Allowed), &l),
            ["republish:allowed"]
        );
        assert_eq!(
            labels(&record(VerdictKind::NeedsReview), &l),
            ["republish:needs-review"]
        );
    }

    #[test]
    fn the_body_holds_what_a_maintainer_decides_from() {
        let finding = Finding {
            license: "MIT".into(),
            undecided_between: vec![],
            file: "LICENSE".into(),
            lines: (1, 21),
            score: 0.97,
            method: Method::Text,
            scope: Scope::Repository,
            modified: true,
            operative_changes: vec![OperativeChange {
                kind: "added-restriction".into(),
                summary: "adds: not for commercial use".into(),
                diff: "… {+not for commercial use+} …".into(),
            }],
            notes: vec![],
        };
        let texts: BTreeMap<String, String> = [(
            "LICENSE".to_owned(),
            "MIT License\n\nCopyright NHS England".to_owned(),
        )]
        .into();
        let b = body(&record(VerdictKind::NeedsReview), &[finding], &texts);
        // The whole body as a maintainer reads it, reviewed once (insta); the needles below say why each part
        // is there.
        insta::assert_snapshot!("proposal_body_needs_review", b);
        for needle in [
            "**nhsuk/front\\|end** (GitHub id 42)",
            "**Verdict: needs-review**",
            "> - sensitive content: secret (aws-access-token) in .env",
            "| MIT | `LICENSE` | 1-21 | 0.970 | text | yes |",
            "Matched text of <code>LICENSE</code>",
            "Copyright NHS England",
            "**added-restriction**: adds: not for commercial use",
            "{+not for commercial use+}",
            "- NHS England",
            "- keep the licence and copyright notices",
            "| secret | aws-access-token | `.env` | 3 | `cccccccccccc` | `AKIA****************…` |",
            "````markdown\n# Provenance\n```\ncode\n```\n````",
        ] {
            assert!(b.contains(needle), "missing {needle:?} in:\n{b}");
        }
        let allowed = body(&record(VerdictKind::Allowed), &[], &BTreeMap::new());
        assert!(!allowed.contains("[!WARNING]"), "{allowed}");
    }

    #[test]
    fn a_test_credential_used_only_locally_is_listed_in_its_own_table() {
        let mut r = record(VerdictKind::NeedsReview);
        let mut f = r.safety.findings[0].clone();
        f.rule = "generic-api-key".into();
        f.path = "sdk/headers_test.go".into();
        r.safety.local_test = vec![f];
        let b = body(&r, &[], &BTreeMap::new());
        let table = b
            .split("Test credentials used only locally")
            .nth(1)
            .unwrap_or_else(|| panic!("no table of local test credentials in:\n{b}"));
        assert!(
            table.contains("| secret | generic-api-key | `sdk/headers_test.go` | 3 |"),
            "{b}"
        );
    }

    #[test]
    fn a_proposal_after_a_decline_links_it_and_says_what_changed() {
        let note = declined_note(
            3,
            &[
                "licence file LICENSE changed: 1a2b → 3c4d".into(),
                "refs/heads/a|b moved".into(),
            ],
        );
        assert!(note.starts_with("> [!NOTE]\n> #3 (declined): "), "{note}");
        assert!(
            note.contains("> - licence file LICENSE changed: 1a2b → 3c4d\n"),
            "{note}"
        );
        assert!(note.contains("> - refs/heads/a\\|b moved\n"), "{note}");
        assert!(note.ends_with("\n\n"), "{note}");
    }
}
