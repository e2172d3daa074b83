//! The provenance notice: what a republished repository says about itself, for people (`PROVENANCE.md`) and for
//! machines (`provenance.json`). A pure function of the state record, the mirror's refs and the verdict: the same
//! inputs give the same bytes, so the notice commit (and its id) is the same on every run.
//!
//! It states where the code came from (URL, numeric id, default branch, every branch and tag as last seen, the
//! SWHID of the last-seen head), when it was last seen and when its removal was confirmed, the licences found
//! and the conditions they set, the copyright holders, what keepopen changed (nothing but this notice), that the
//! republisher is neither the author nor endorsed by them, and how to ask for a takedown.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::license::{Finding, Method};
use crate::state::RepoRecord;
use crate::untrusted::markdown as md;
use crate::verdict::{Condition, Verdict};

/// The file names of the notice.
pub const MARKDOWN_FILE: &str = "PROVENANCE.md";
pub const JSON_FILE: &str = "provenance.json";
/// The schema of `provenance.json`.
pub const SCHEMA: &str = "keepopen-provenance/1";
/// The separate branch that holds the notice where the licence forbids changes to the tree.
pub const PROVENANCE_BRANCH: &str = "keepopen/provenance";
/// The tag kept at the original tip of the default branch.
pub const LAST_SEEN_TAG: &str = "keepopen/last-seen";

/// Where the notice goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    /// One commit on top of the default branch.
    DefaultBranch,
    /// No derivatives allowed: a separate branch ([`PROVENANCE_BRANCH`]) and the description; the tree is untouched.
    SeparateBranch,
}

/// Everything the notice is made from.
#[derive(Debug, Clone)]
pub struct NoticeInput<'a> {
    pub record: &'a RepoRecord,
    /// The mirror's `refs/heads/*` and `refs/tags/*` → object id, as they will be pushed.
    pub refs: &'a BTreeMap<String, String>,
    pub default_branch: &'a str,
    /// The original tip of the default branch.
    pub head: &'a str,
    pub verdict: &'a Verdict,
    /// The SPDX expression in effect, e.g. `MIT AND OGL-UK-3.0`.
    pub expression: &'a str,
    pub findings: &'a [Finding],
    pub holders: &'a [String],
    pub license_list_version: &'a str,
    pub override_reason: Option<&'a str>,
    pub force_public_reason: Option<&'a str>,
    /// Who republished it: the organisation, or the local forge's directory name.
    pub republisher: &'a str,
    /// The new repository's name.
    pub target_name: &'a str,
    pub bot_name: &'a str,
    pub takedown: &'a str,
    pub placement: Placement,
}

/// `provenance.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Provenance {
    pub schema: String,
    pub original: Original,
    pub last_seen: LastSeen,
    pub licenses: Vec<LicenseEntry>,
    pub expression: String,
    pub license_list_version: String,
    pub verdict: String,
    pub conditions: Vec<Condition>,
    pub holders: Vec<String>,
    pub override_reason: Option<String>,
    pub force_public_reason: Option<String>,
    pub changes: Changes,
    pub republished_as: String,
    pub republisher: String,
    pub endorsement: String,
    pub takedown: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Original {
    pub url: String,
    pub full_name: String,
    pub id: u64,
    pub former_names: Vec<String>,
    pub default_branch: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LastSeen {
    /// The default branch's tip.
    pub head: String,
    /// `swh:1:rev:<head>`: look it up at Software Heritage.
    pub swhid: String,
    pub at: DateTime<Utc>,
    pub removal_confirmed_at: Option<DateTime<Utc>>,
    /// Every branch and tag → object id.
    pub refs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LicenseEntry {
    pub spdx_id: String,
    pub file: String,
    pub lines: (usize, usize),
    pub score: f32,
    pub method: Method,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Changes {
    pub history_modified: bool,
    pub placement: Placement,
    /// The only addition, in words.
    pub addition: String,
}

/// The notice in both forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub provenance: Provenance,
    pub markdown: String,
    pub json: String,
    /// A one-line summary for the repository description (the only place an ND notice shows on the main page).
    pub summary: String,
}

/// The SWHID of a git commit: Software Heritage's revision id equals the commit id.
pub fn swhid(commit: &str) -> String {
    format!("swh:1:rev:{commit}")
}

/// Render the notice. Pure: the same input gives the same bytes.
pub fn render(input: &NoticeInput<'_>) -> Notice {
    let record = input.record;
    let provenance = provenance_of(input);
    let mut json = serde_json::to_string_pretty(&provenance).expect("plain data serialises");
    json.push('\n');
    let markdown = markdown(&provenance, input.verdict);
    let summary = format!(
        "Copy of {} (id {}), removed from GitHub; last-seen head {}; unchanged; licence {}. Provenance: branch {PROVENANCE_BRANCH}.",
        record.full_name,
        record.id,
        swhid(input.head),
        if input.expression.is_empty() {
            "none found"
        } else {
            input.expression
        }
    );
    Notice {
        provenance,
        markdown,
        json,
        summary,
    }
}

/// The provenance record (provenance.json) of this republication.
fn provenance_of(input: &NoticeInput<'_>) -> Provenance {
    let record = input.record;
    Provenance {
        schema: SCHEMA.into(),
        original: Original {
            url: record.html_url.clone(),
            full_name: record.full_name.clone(),
            id: record.id,
            former_names: record.former_names.clone(),
            default_branch: input.default_branch.to_owned(),
        },
        last_seen: LastSeen {
            head: input.head.to_owned(),
            swhid: swhid(input.head),
            at: record.last_seen,
            removal_confirmed_at: record.removal_confirmed_at,
            refs: input.refs.clone(),
        },
        licenses: input
            .findings
            .iter()
            .map(|f| LicenseEntry {
                spdx_id: f.license.clone(),
                file: f.file.clone(),
                lines: f.lines,
                score: (f.score * 1000.0).round() / 1000.0,
                method: f.method,
            })
            .collect(),
        expression: input.expression.to_owned(),
        license_list_version: input.license_list_version.to_owned(),
        verdict: input.verdict.name().to_owned(),
        conditions: input.verdict.conditions().to_vec(),
        holders: input.holders.to_vec(),
        override_reason: input.override_reason.map(str::to_owned),
        force_public_reason: input.force_public_reason.map(str::to_owned),
        changes: Changes {
            history_modified: false,
            placement: input.placement,
            addition: addition(input),
        },
        republished_as: input.target_name.to_owned(),
        republisher: input.republisher.to_owned(),
        endorsement: format!(
            "{} is not the original author of this code and is not endorsed by its authors or by {}",
            input.republisher,
            record.owner()
        ),
        takedown: input.takedown.to_owned(),
    }
}

/// What the republication added to the original's history, in words, by where the notice is placed.
fn addition(input: &NoticeInput<'_>) -> String {
    match input.placement {
        Placement::DefaultBranch => format!(
            "one commit by {} on top of `{}`, adding {MARKDOWN_FILE} and {JSON_FILE}; its parent is the last-seen head, also tagged `{LAST_SEEN_TAG}`",
            input.bot_name, input.default_branch
        ),
        Placement::SeparateBranch => format!(
            "nothing: the licence allows no derivatives, so this notice is on the separate branch `{PROVENANCE_BRANCH}` and in the repository description; the last-seen head is tagged `{LAST_SEEN_TAG}`"
        ),
    }
}

fn markdown(p: &Provenance, verdict: &Verdict) -> String {
    let mut out = String::new();
    write_original(&mut out, p);
    write_licence(&mut out, p);
    write_decisions(&mut out, p, verdict);
    write_change_and_contacts(&mut out, p);
    out
}

/// The opening sentence, the original's facts, and every ref as last seen.
fn write_original(out: &mut String, p: &Provenance) {
    let o = &p.original;
    out.push_str("# Provenance of this repository\n\n");
    out.push_str(&format!(
        "This repository is a copy of **{}** (GitHub repository id {}), <{}>, which was removed from GitHub. \
         {} republished it with keepopen so that the code stays available under the terms of its licence.\n\n",
        md::text(&o.full_name),
        o.id,
        o.url,
        md::text(&p.republisher)
    ));
    out.push_str("## The original\n\n| | |\n|---|---|\n");
    out.push_str(&format!("| Original URL | <{}> |\n", o.url));
    out.push_str(&format!("| GitHub repository id | {} |\n", o.id));
    if !o.former_names.is_empty() {
        out.push_str(&format!(
            "| Former names | {} |\n",
            md::text(&o.former_names.join(", "))
        ));
    }
    out.push_str(&format!(
        "| Default branch | {} |\n",
        md::code_cell(&o.default_branch)
    ));
    out.push_str(&format!("| Last-seen head | `{}` |\n", p.last_seen.head));
    out.push_str(&format!(
        "| Software Heritage id | [`{}`](https://archive.softwareheritage.org/{}) |\n",
        p.last_seen.swhid, p.last_seen.swhid
    ));
    out.push_str(&format!(
        "| Last seen public | {} |\n",
        p.last_seen.at.to_rfc3339()
    ));
    out.push_str(&format!(
        "| Removal confirmed | {} |\n\n",
        p.last_seen
            .removal_confirmed_at
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "not confirmed (published on a person's decision, below)".into())
    ));
    out.push_str("Every branch and tag as last seen:\n\n| ref | id |\n|---|---|\n");
    for (name, id) in &p.last_seen.refs {
        out.push_str(&format!(
            "| {} | {} |\n",
            md::code_cell(name),
            md::code_cell(id)
        ));
    }
}

/// The licence in effect, the licence files found, the copyright holders and the conditions kept.
fn write_licence(out: &mut String, p: &Provenance) {
    out.push_str("\n## Licence\n\n");
    if p.expression.is_empty() {
        out.push_str("No licence was found.\n\n");
    } else {
        out.push_str(&format!(
            "Licence in effect: {} (keepopen's verdict: {}; SPDX licence list {}).\n\n",
            md::code(&p.expression),
            p.verdict,
            p.license_list_version
        ));
    }
    if !p.licenses.is_empty() {
        out.push_str("| SPDX id | file | lines | score | found by |\n|---|---|---|---|---|\n");
        for l in &p.licenses {
            out.push_str(&format!(
                "| {} | {} | {}–{} | {:.3} | {} |\n",
                md::code_cell(&l.spdx_id),
                md::code_cell(&l.file),
                l.lines.0,
                l.lines.1,
                l.score,
                method_name(l.method)
            ));
        }
        out.push('\n');
    }
    if p.holders.is_empty() {
        out.push_str("Copyright holders: none named in the licence files.\n\n");
    } else {
        out.push_str("Copyright holders:\n\n");
        for h in &p.holders {
            out.push_str(&format!("- {}\n", md::text(h)));
        }
        out.push('\n');
    }
    if !p.conditions.is_empty() {
        out.push_str("Conditions the licence sets, and this copy keeps:\n\n");
        for c in &p.conditions {
            out.push_str(&format!("- {}\n", md::text(&c.to_string())));
        }
        out.push('\n');
    }
}

/// What a person decided against keepopen's verdict, or without a confirmed removal, and why.
fn write_decisions(out: &mut String, p: &Provenance, verdict: &Verdict) {
    if let Some(reason) = &p.override_reason {
        out.push_str(&format!(
            "keepopen's verdict was **{}**; a person decided to republish it anyway: \"{}\".\n",
            p.verdict,
            md::text(reason)
        ));
        for r in verdict.reasons() {
            out.push_str(&format!("- verdict reason: {}\n", md::text(r)));
        }
        out.push('\n');
    }
    if let Some(reason) = &p.force_public_reason {
        out.push_str(&format!(
            "The original was not confirmed removed; a person decided to republish it anyway: \"{}\".\n\n",
            md::text(reason)
        ));
    }
}

/// What changed (only the addition), who republished it, and how to ask for a takedown.
fn write_change_and_contacts(out: &mut String, p: &Provenance) {
    out.push_str("## What changed\n\n");
    out.push_str(
        "Nothing in the history was modified: every commit, tree, file and tag is byte-for-byte the original, and \
         any of them can be checked by its id against Software Heritage or another copy. ",
    );
    out.push_str(&format!("The only addition is {}.\n\n", p.changes.addition));
    out.push_str("## Who republished it\n\n");
    out.push_str(&format!("{}.\n\n", policy_line(&p.endorsement)));
    out.push_str("## Takedown\n\n");
    out.push_str(&format!(
        "To ask for this copy to be taken down: {}.\n",
        policy_line(&p.takedown)
    ));
}

/// The policy's own words (the takedown contact, the republisher): trusted, so a link there stays a link; kept
/// on one line and out of HTML.
fn policy_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('<', "&lt;")
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Text => "licence text",
        Method::Header => "licence header",
        Method::Reference => "named or linked",
        Method::Declared => "declared",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::license::Scope;
    use chrono::TimeZone;

    fn record() -> RepoRecord {
        let t = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let mut r = RepoRecord::new(4242, "nhsuk/frontend", t);
        r.html_url = "https://github.com/nhsuk/frontend".into();
        r.former_names = vec!["nhsuk/old-frontend".into()];
        r.last_seen = Utc.with_ymd_and_hms(2024, 6, 1, 8, 30, 0).unwrap();
        r.removal_confirmed_at = Some(Utc.with_ymd_and_hms(2024, 6, 3, 9, 0, 0).unwrap());
        r
    }

    fn finding(id: &str) -> Finding {
        Finding {
            license: id.into(),
            undecided_between: Vec::new(),
            file: "LICENSE".into(),
            lines: (1, 21),
            score: 0.98765,
            method: Method::Text,
            scope: Scope::Repository,
            modified: false,
            operative_changes: Vec::new(),
            notes: Vec::new(),
        }
    }

    const HEAD: &str = "1111111111111111111111111111111111111111";

    fn input<'a>(
        record: &'a RepoRecord,
        refs: &'a BTreeMap<String, String>,
        verdict: &'a Verdict,
        findings: &'a [Finding],
        holders: &'a [String],
        placement: Placement,
    ) -> NoticeInput<'a> {
        NoticeInput {
            record,
            refs,
            default_branch: "main",
            head: HEAD,
            verdict,
            expression: "MIT",
            findings,
            holders,
            license_list_version: "3.27",
            override_reason: None,
            force_public_reason: None,
            republisher: "nhs-community",
            target_name: "nhsuk--frontend",
            bot_name: "keepopen[bot]",
            takedown: "open an issue",
            placement,
        }
    }

    fn refs() -> BTreeMap<String, String> {
        [
            ("refs/heads/main".to_owned(), HEAD.to_owned()),
            ("refs/tags/v1".to_owned(), "2".repeat(40)),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn markdown_notice_is_exact() {
        let (record, refs) = (record(), refs());
        let verdict = Verdict::Allowed {
            conditions: vec![
                Condition::KeepNotices,
                Condition::AttributeHolders(vec!["NHS England".into()]),
                Condition::StateChanges,
            ],
        };
        let findings = [finding("MIT")];
        let holders = ["NHS England".to_owned()];
        let notice = render(&input(
            &record,
            &refs,
            &verdict,
            &findings,
            &holders,
            Placement::DefaultBranch,
        ));
        let expected = "# Provenance of this repository

This repository is a copy of **nhsuk/frontend** (GitHub repository id 4242), <https://github.com/nhsuk/frontend>, which was removed from GitHub. nhs-community republished it with keepopen so that the code stays available under the terms of its licence.

## The original

| | |
|---|---|
| Original URL | <https://github.com/nhsuk/frontend> |
| GitHub repository id | 4242 |
| Former names | nhsuk/old-frontend |
| Default branch | `main` |
| Last-seen head | `1111111111111111111111111111111111111111` |
| Software Heritage id | [`swh:1:rev:1111111111111111111111111111111111111111`](https://archive.softwareheritage.org/swh:1:rev:1111111111111111111111111111111111111111) |
| Last seen public | 2024-06-01T08:30:00+00:00 |
| Removal confirmed | 2024-06-03T09:00:00+00:00 |

Every branch and tag as last seen:

| ref | id |
|---|---|
| `refs/heads/main` | `1111111111111111111111111111111111111111` |
| `refs/tags/v1` | `2222222222222222222222222222222222222222` |

## Licence

Licence in effect: `MIT` (keepopen's verdict: allowed; SPDX licence list 3.27).

| SPDX id | file | lines | score | found by |
|---|---|---|---|---|
| `MIT` | `LICENSE` | 1–21 | 0.988 | licence text |

Copyright holders:

- NHS England

Conditions the licence sets, and this copy keeps:

- keep the licence and copyright notices
- attribute the copyright holders: NHS England
- say that a provenance notice was added and nothing else changed

## What changed

Nothing in the history was modified: every commit, tree, file and tag is byte-for-byte the original, and any of them can be checked by its id against Software Heritage or another copy. The only addition is one commit by keepopen[bot] on top of `main`, adding PROVENANCE.md and provenance.json; its parent is the last-seen head, also tagged `keepopen/last-seen`.

## Who republished it

nhs-community is not the original author of this code and is not endorsed by its authors or by nhsuk.

## Takedown

To ask for this copy to be taken down: open an issue.
";
        assert_eq!(notice.markdown, expected);
    }

    #[test]
    fn json_notice_carries_ids_swhid_licences_and_holders() {
        let (record, refs) = (record(), refs());
        let verdict = Verdict::Allowed {
            conditions: vec![Condition::KeepNotices],
        };
        let findings = [finding("MIT")];
        let holders = ["Crown Copyright (NHS England)".to_owned()];
        let notice = render(&input(
            &record,
            &refs,
            &verdict,
            &findings,
            &holders,
            Placement::DefaultBranch,
        ));
        let value: serde_json::Value = serde_json::from_str(&notice.json).unwrap();
        assert_eq!(value["schema"], SCHEMA);
        assert_eq!(value["original"]["id"], 4242);
        assert_eq!(
            value["original"]["url"],
            "https://github.com/nhsuk/frontend"
        );
        assert_eq!(value["last-seen"]["head"], HEAD);
        assert_eq!(value["last-seen"]["swhid"], format!("swh:1:rev:{HEAD}"));
        assert_eq!(value["last-seen"]["refs"]["refs/tags/v1"], "2".repeat(40));
        assert_eq!(
            value["last-seen"]["removal-confirmed-at"],
            "2024-06-03T09:00:00Z"
        );
        assert_eq!(value["licenses"][0]["spdx-id"], "MIT");
        assert_eq!(value["licenses"][0]["score"].as_f64().unwrap(), 0.988);
        assert_eq!(value["holders"][0], "Crown Copyright (NHS England)");
        assert_eq!(value["changes"]["history-modified"], false);
        assert_eq!(value["override-reason"], serde_json::Value::Null);
        let back: Provenance = serde_json::from_str(&notice.json).unwrap();
        assert_eq!(back, notice.provenance);
    }

    #[test]
    fn rendering_is_deterministic_and_depends_on_its_inputs() {
        let (record, refs) = (record(), refs());
        let verdict = Verdict::Allowed { conditions: vec![] };
        let findings = [finding("MIT")];
        let a = render(&input(
            &record,
            &refs,
            &verdict,
            &findings,
            &[],
            Placement::DefaultBranch,
        ));
        let b = render(&input(
            &record,
            &refs,
            &verdict,
            &findings,
            &[],
            Placement::DefaultBranch,
        ));
        assert_eq!(a, b);
        let mut other = record.clone();
        other.id = 7;
        let c = render(&input(
            &other,
            &refs,
            &verdict,
            &findings,
            &[],
            Placement::DefaultBranch,
        ));
        assert_ne!(a.json, c.json);
        assert!(a.markdown.contains("Copyright holders: none named"));
    }

    #[test]
    fn no_derivatives_and_overrides_are_stated() {
        let (record, refs) = (record(), refs());
        let verdict = Verdict::NeedsReview {
            reasons: vec!["MIT: confidence 0.80 is below the policy's 0.90".into()],
            conditions: vec![Condition::NoChangesToTree("CC-BY-ND-4.0".into())],
        };
        let findings = [finding("CC-BY-ND-4.0")];
        let mut i = input(
            &record,
            &refs,
            &verdict,
            &findings,
            &[],
            Placement::SeparateBranch,
        );
        i.override_reason = Some("the team confirmed the licence by email | ticket 12");
        i.force_public_reason = Some("org asked");
        let n = render(&i);
        assert!(n.markdown.contains("The only addition is nothing: the licence allows no derivatives, so this notice is on the separate branch `keepopen/provenance`"), "{}", n.markdown);
        assert!(n.markdown.contains(
            "a person decided to republish it anyway: \"the team confirmed the licence by email \\| ticket 12\""
        ));
        assert!(
            n.markdown
                .contains("- verdict reason: MIT: confidence 0.80")
        );
        assert!(n.markdown.contains("not confirmed removed"));
        assert!(n.summary.contains("swh:1:rev:1111"));
        assert_eq!(n.provenance.changes.placement, Placement::SeparateBranch);
    }

    #[test]
    fn swhid_is_the_commit_id() {
        assert_eq!(swhid("abc"), "swh:1:rev:abc");
    }

    /// A no-derivatives licence's notice (a branch of its own; nothing added to the tree), published on a
    /// maintainer's override: PROVENANCE.md, provenance.json and the description's summary, as reviewed in
    /// `src/snapshots/`.
    #[test]
    fn separate_branch_notice_with_an_override_is_as_reviewed() {
        let (record, refs) = (record(), refs());
        let verdict = Verdict::NeedsReview {
            reasons: vec!["a licence below the policy's confidence".into()],
            conditions: vec![
                Condition::KeepNotices,
                Condition::AttributeHolders(vec!["NHS England".into()]),
                Condition::StateChanges,
                Condition::NoChangesToTree("CC-BY-ND-4.0".into()),
            ],
        };
        let findings = [finding("CC-BY-ND-4.0")];
        let holders = ["NHS England".to_owned()];
        let mut input = input(
            &record,
            &refs,
            &verdict,
            &findings,
            &holders,
            Placement::SeparateBranch,
        );
        input.expression = "CC-BY-ND-4.0";
        input.override_reason = Some("the team confirmed the licence in writing (ticket 12)");
        let notice = render(&input);
        insta::assert_snapshot!("separate_branch_notice_markdown", notice.markdown);
        insta::assert_snapshot!("separate_branch_notice_json", notice.json);
        insta::assert_snapshot!("separate_branch_notice_summary", notice.summary);
    }

    /// provenance.json of the plain MIT notice whose Markdown `markdown_notice_is_exact` pins.
    #[test]
    fn default_branch_notice_json_is_as_reviewed() {
        let (record, refs) = (record(), refs());
        let verdict = Verdict::Allowed {
            conditions: vec![Condition::KeepNotices, Condition::StateChanges],
        };
        let findings = [finding("MIT")];
        let holders = ["NHS England".to_owned()];
        let notice = render(&input(
            &record,
            &refs,
            &verdict,
            &findings,
            &holders,
            Placement::DefaultBranch,
        ));
        insta::assert_snapshot!("default_branch_notice_json", notice.json);
    }
}
