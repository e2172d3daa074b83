//! Proposal-body injection: what a repository says (holders, licence ids, file and folder names, licence texts,
//! reasons that quote them, commit ids, excerpts) cannot shape the Markdown a maintainer reads. The property
//! is checked on the parsed document (pulldown-cmark, GitHub-flavoured options), not on the string: for any
//! text in every untrusted slot, the body, the hold comment and the step summaries have exactly the structure
//! they have for plain text — no tag, link, image, heading, list, table cell or HTML comes from the text — no
//! `@` mention is live, and no keepopen marker appears but the ones keepopen wrote.

use std::collections::BTreeMap;

use keepopen::approval::{ApprovalRefusal, PullFacts};
use keepopen::cli::summary::{apply_summary, propose_summary};
use keepopen::control::PullEvidence;
use keepopen::control::flow::{
    ApplyLine, ApplyOutcome, Hold, ProposeLine, ProposeOutcome, Proposed,
};
use keepopen::license::{Finding, Method, OperativeChange, Scope};
use keepopen::record::{
    DecisionRecord, LicenseLine, MaskedFinding, Mirror, RecordStatus, SafetySummary, Source,
    VerdictRecord,
};
use keepopen::safety::FindingKind;
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser};

/// Every untrusted slot of a proposal, filled from one list of texts (cycled).
fn record_with(texts: &[String]) -> (DecisionRecord, Vec<Finding>, BTreeMap<String, String>) {
    let mut next = texts.iter().cycle().cloned();
    let mut t = || next.next().unwrap();
    let record = DecisionRecord {
        version: 1,
        source: Source {
            full_name: t(),
            // GitHub's address of the original (from the API, not from the repository).
            url: "https://github.com/o/r".into(),
            id: 42,
            default_branch: Some(t()),
        },
        mirror: Mirror {
            path: "42.git".into(),
            head: None,
            tips: BTreeMap::new(),
        },
        removed_at: None,
        confirmed_at: None,
        verdict: VerdictRecord {
            kind: keepopen::record::VerdictKind::NeedsReview,
            reasons: vec![t(), t()],
            conditions: vec![t(), t()],
        },
        expression: t(),
        licenses: vec![LicenseLine {
            id: t(),
            file: t(),
            lines: t(),
            score: 0.97,
            method: t(),
            modified: true,
        }],
        holders: vec![t(), t(), t()],
        notice_preview: t(),
        safety: SafetySummary {
            secrets: 1,
            findings: vec![MaskedFinding {
                kind: FindingKind::Secret,
                rule: t(),
                path: t(),
                commit: t(),
                line: Some(3),
                excerpt: t(),
                fingerprint: t(),
                places: 3,
                marked: Some(t()),
            }],
            ..SafetySummary::default()
        },
        evidence: None,
        status: RecordStatus::Proposed,
        proposed_in: None,
        publication: None,
    };
    let finding = Finding {
        license: t(),
        undecided_between: vec![],
        file: t(),
        lines: (1, 21),
        score: 0.97,
        method: Method::Text,
        scope: Scope::Repository,
        modified: true,
        operative_changes: vec![OperativeChange {
            kind: t(),
            summary: t(),
            diff: t(),
        }],
        notes: vec![],
    };
    let unchanged = Finding {
        operative_changes: vec![],
        file: t(),
        license: t(),
        ..finding.clone()
    };
    let files: BTreeMap<String, String> = [(t(), t())].into();
    (record, vec![finding, unchanged], files)
}

/// Everything keepopen renders from untrusted text, as one document per renderer.
fn documents(texts: &[String]) -> Vec<(&'static str, String)> {
    let mut next = texts.iter().cycle().cloned();
    let mut t = || next.next().unwrap();
    let (record, findings, files) = record_with(texts);
    let body = format!(
        "{}{}",
        keepopen::proposal::declined_note(3, &[t(), t()]),
        keepopen::proposal::body(&record, &findings, &files)
    );
    let pull = PullEvidence {
        facts: PullFacts {
            number: 1,
            author: "keepopen[bot]".into(),
            merged: true,
            head_branch: "keepopen/o/r".into(),
        },
        url: "https://github.com/o/c/pull/1".into(),
        reviews: vec![],
        record_text: None,
    };
    let refusal = ApprovalRefusal::TooFewApprovals {
        number: 1,
        required: 1,
        counted: 0,
        ignored: vec![t()],
    };
    let comment = Hold::new(&t(), &t(), &t(), &pull, &refusal, 1).comment();
    let propose = propose_summary(&[
        ProposeLine {
            repo: t(),
            verdict: Some(keepopen::record::VerdictKind::NeedsReview),
            outcome: ProposeOutcome::Forbidden {
                reasons: vec![t(), t()],
            },
        },
        ProposeLine {
            repo: t(),
            verdict: None,
            outcome: ProposeOutcome::Failed { error: t() },
        },
        ProposeLine {
            repo: t(),
            verdict: None,
            outcome: ProposeOutcome::Skipped { reason: t() },
        },
        ProposeLine {
            repo: t(),
            verdict: Some(keepopen::record::VerdictKind::NeedsReview),
            outcome: ProposeOutcome::Waiting { reason: t() },
        },
        ProposeLine {
            repo: t(),
            verdict: Some(keepopen::record::VerdictKind::Allowed),
            outcome: ProposeOutcome::Proposed(Proposed::Opened {
                number: 3,
                url: "https://github.com/o/c/pull/3".into(),
            }),
        },
    ]);
    let apply = apply_summary(&[
        ApplyLine {
            record: t(),
            repo: Some(t()),
            outcome: ApplyOutcome::Refused { reason: t() },
        },
        ApplyLine {
            record: t(),
            repo: None,
            outcome: ApplyOutcome::Waiting {
                pull_request: 1,
                reason: t(),
            },
        },
    ]);
    let members = [42u64, 43].into();
    let mut row = || {
        let path = keepopen::record::repo_path("republications", &t());
        keepopen::proposal::BatchRow {
            link: Some(format!(
                "https://github.com/o/c/blob/keepopen/batch/o/permissive-1/{path}"
            )),
            path,
            record: record.clone(),
        }
    };
    let rows = [row(), row()];
    let batch = keepopen::proposal::batch_body(&members, &rows, &[t(), t()]);
    vec![
        ("batch body", batch),
        ("proposal body", body),
        ("hold comment", comment),
        ("propose summary", propose),
        ("apply summary", apply),
    ]
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
}

/// The document's structure: every event but text, by kind and (for tags) with their attributes. A batch row's
/// link to its record names the record's path, which keepopen makes from the repository's name: any path of
/// plain characters under the batch's branch is the same structure; anything else is not.
fn shape(markdown: &str) -> Vec<String> {
    let record_link = regex::Regex::new(
        r#"dest_url: Borrowed\("https://github\.com/o/c/blob/keepopen/batch/o/permissive-1/republications/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+\.yaml"\)"#,
    )
    .unwrap();
    Parser::new_ext(markdown, options())
        .filter_map(|event| match event {
            Event::Text(_) => None,
            Event::Code(_) => Some("code".to_owned()),
            Event::Html(_) | Event::InlineHtml(_) => Some("html".to_owned()),
            Event::Start(tag) => Some(
                record_link
                    .replace(&format!("start {tag:?}"), "dest_url: <a record>")
                    .into_owned(),
            ),
            Event::End(tag) => Some(format!("end {tag:?}")),
            other => Some(format!("{other:?}")),
        })
        .collect()
}

/// HTML keepopen writes itself; any other tag in an HTML event came from the text.
const OWN_HTML: &[&str] = &[
    "<details>",
    "</details>",
    "<summary>",
    "</summary>",
    "<code>",
    "</code>",
    "<sub>",
    "</sub>",
];

/// The problems of a rendering of hostile texts, against the rendering of plain ones.
fn problems(name: &str, hostile: &str, plain: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (got, want) = (shape(hostile), shape(plain));
    if got != want {
        let at = got.iter().zip(&want).position(|(a, b)| a != b).unwrap_or(0);
        out.push(format!(
            "{name}: structure changed at event {at}: {:?} where plain text gives {:?}",
            got.get(at..at + 3),
            want.get(at..at + 3)
        ));
    }
    // GitHub mentions `@` followed by a letter or digit; keepopen's own text mentions nobody either.
    let mention = regex::Regex::new(r"@[A-Za-z0-9]").unwrap();
    for event in Parser::new_ext(hostile, options()) {
        match event {
            Event::Text(text) | Event::Code(text) if mention.is_match(&text) => {
                out.push(format!("{name}: a live mention in {text:?}"))
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let mut rest = html.to_string();
                for own in OWN_HTML {
                    rest = rest.replace(own, "");
                }
                if let Some(marker) = rest.find("<!-- keepopen:") {
                    rest.replace_range(
                        marker
                            ..rest[marker..]
                                .find("-->")
                                .map_or(rest.len(), |e| marker + e + 3),
                        "",
                    );
                }
                if rest.contains('<') {
                    out.push(format!("{name}: HTML from the text: {html:?}"));
                }
            }
            _ => {}
        }
    }
    let markers = |s: &str| s.matches("<!-- keepopen:").count();
    if markers(hostile) != markers(plain) {
        out.push(format!(
            "{name}: {} keepopen marker(s) where keepopen wrote {}",
            markers(hostile),
            markers(plain)
        ));
    }
    out
}

/// Texts an attacker writes: the issue's own examples, Markdown and HTML syntax, backtick runs, controls.
fn attack() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "@nhs-community/keepopen-maintainers",
        "<img src=x onerror=alert(1)>",
        "<b>Approved by @alice</b>",
        "<h2>Safety scan</h2> Nothing found",
        "<!-- keepopen:held 0123abcd -->",
        "`",
        "```",
        "``@x``",
        "\\",
        "[x](https://evil.example)",
        "![i](https://evil.example/i.png)",
        "https://evil.example",
        "www.evil.example",
        "# Heading",
        "1. item",
        "- item",
        "> quote",
        "| a | b |",
        "\n\n---\n\n",
        "***",
        "$x$",
        "&lt;b&gt;",
        "<details>",
        "</details>",
        "\u{1b}]0;title\u{7}",
        "\u{202e}",
        "\u{200b}",
        "LicenseRef-@evil",
        "    indented",
        "\t",
        "\r\n",
        "[^1]",
        ":",
        "~~x~~",
        "_",
        "*",
    ]);
    let mixed = prop::collection::vec(
        prop_oneof![
            pieces.prop_map(str::to_owned),
            "[a-zA-Z0-9 @#<>&!`*_|\\[\\]()\\\\:./~$=+{}^\"'\n-]{1,12}",
            any::<String>(),
        ],
        1..5,
    )
    .prop_map(|parts| parts.concat());
    // A text that is white space alone renders as nothing: `**` `**` is then no emphasis, the only change it
    // can make, and one that shows less, not more. Real names and holders are never blank.
    mixed.prop_filter("not blank", |s| !s.trim().is_empty())
}

fn check(texts: &[String]) -> Result<(), TestCaseError> {
    let plain: Vec<String> = (0..texts.len()).map(|i| format!("plain{i}")).collect();
    let mut all = Vec::new();
    for ((name, hostile), (_, plain)) in documents(texts).iter().zip(documents(&plain)) {
        all.extend(problems(name, hostile, &plain));
    }
    prop_assert!(all.is_empty(), "{}", all.join("\n"));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_repository_text_shapes_a_proposal_a_comment_or_a_summary(
        texts in prop::collection::vec(attack(), 1..12)
    ) {
        check(&texts)?;
    }
}

#[test]
fn the_issues_examples_are_shown_as_text() {
    let texts: Vec<String> = [
        "@nhs-community/keepopen-maintainers",
        "<img src=x>",
        "<b>Approved by @alice</b>",
        "<h2>Safety scan</h2> Nothing found",
        "<!-- keepopen:held abc -->",
        "folder`@alice ![x](https://e/x.png)`",
        "LicenseRef-<b>x</b>",
    ]
    .map(str::to_owned)
    .into();
    check(&texts).unwrap();
    let body = &documents(&texts)[0].1;
    assert!(
        body.contains("@\u{200B}nhs-community/keepopen-maintainers"),
        "the holder is shown, as text"
    );
}
