//! The verdict: a pure function of the licence report and the policy. It says whether a repository may be
//! republished, on which conditions, or why a person must look first, or why it must not be.
//!
//! # The invariant: fail closed
//!
//! *Allowed* needs positive evidence, and nothing less. [`judge`] returns [`Verdict::Allowed`] only when
//!
//! 1. at least one licence is in effect, and together the licences relied on cover the repository as a whole
//!    (a licence for the repository or for its code; never only a folder, a named part or the documentation),
//!    shown by *strong* evidence ([`is_strong`]: a licence text, a licence's header, a statement naming the
//!    licence). Weak evidence never stands alone: a manifest field (npm's default `"ISC"`, `setup.py`'s
//!    `license="GPLv3"`), an `SPDX-License-Identifier:` line in one file of many, or a vendored folder's
//!    licence (which covers that folder only) cannot by itself make the repository *allowed*;
//! 2. every licence relied on (each of an AND; the options taken of an OR) is classed `allow` by the policy;
//! 3. each of them is evidenced at or above the policy's `min-confidence` (of an OR, the options relied on are
//!    those so evidenced: a weaker mention of another option lowers nothing, an AND needs each); and
//! 4. nothing else in the report asks for a person: no unrecognised or unreadable licence-like file, no
//!    operative change to a licence text, no carve-out, no advice or policy passed off as a grant, no
//!    placeholder, no conflict; no licence-like file read only in part, none with words that nothing
//!    accounts for (residue), none that shows one thing and stores another (see `license::residue` and
//!    `license::text`); no claim anywhere that disagrees with the grant (a withholding notice or
//!    `UNLICENSED` manifest beside it, a pointer to a missing licence file, weak evidence naming a licence
//!    that asks more: [`crate::license::claims::agreement`]); and no other pushed ref whose licence evidence
//!    differs and is not *allowed* on its own, nor one left unread at the bound
//!    ([`crate::license::refs`]); no font, image or bundled file under third-party terms
//!    ([`crate::license::assets`]).
//!
//! Conditions 1–3 are checked last, in [`positive_evidence`], on whatever verdict the rest of the function
//! reached: a report that objects to nothing but proves nothing is *needs review*, not *allowed*. The
//! property tests in `tests/it/invariant.rs` check it over arbitrary reports.
//!
//! *Forbidden* is kept for two things: a licence the policy forbids, and no grant at all where something says
//! rights are withheld ("All rights reserved", `UNLICENSED`) or nothing licence-like exists anywhere. The
//! last needs evidence of absence: a complete search of every text file of every pushed ref that found no
//! licence named and no grant ([`crate::license::refs::search_absence`]); a mention makes it *needs review*
//! naming the file and line, and so does a search that stopped at its bound or was not made. A licence-like
//! file that cannot be read or recognised makes the verdict *needs review*, never *forbidden*.

use serde::{Deserialize, Serialize};

use crate::license::detect::family;
use crate::license::{Finding, FolderLayout, LicenseReport, Observation, Relation, Scope};
use crate::policy::{Action, ClarificationMatch, Policy};

mod absence;
mod conditions;
mod coverage;

pub use conditions::{class_name, license_conditions, license_conditions_under};
use conditions::{conditions_for, describe_method};
pub(crate) use coverage::action_of;
use coverage::{
    Uncovered, best_finding, carrying_options, coverage, own_name_as_repository,
    positive_evidence_standing, scoped_claims_not_allowed,
};
pub use coverage::{folders_cover, is_strong, positive_evidence};

/// What republication must do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "detail")]
pub enum Condition {
    /// Keep every licence and copyright notice as found.
    KeepNotices,
    /// Name these holders in the notice.
    AttributeHolders(Vec<String>),
    /// Say that a provenance notice was added, and that nothing else changed.
    StateChanges,
    /// The licence's own attribution statement (the OGL's "Contains public sector information…").
    AttributionStatement(String),
    /// Non-commercial use only: republish without charge and say so.
    NonCommercial(String),
    /// No derivatives: add nothing to the tree; the notice goes on a separate branch and in the description.
    NoChangesToTree(String),
    /// Share-alike / copyleft: the republished copy stays under the same licence.
    ShareAlike(String),
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Condition::KeepNotices => write!(f, "keep the licence and copyright notices"),
            Condition::AttributeHolders(h) => {
                write!(f, "attribute the copyright holders: {}", h.join("; "))
            }
            Condition::StateChanges => write!(
                f,
                "say that a provenance notice was added and nothing else changed"
            ),
            Condition::AttributionStatement(s) => {
                write!(f, "include the attribution statement \"{s}\"")
            }
            Condition::NonCommercial(id) => write!(f, "non-commercial only ({id})"),
            Condition::NoChangesToTree(id) => {
                write!(f, "no changes to the tree: notice outside it ({id})")
            }
            Condition::ShareAlike(id) => write!(f, "keep it under the same licence ({id})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "verdict")]
pub enum Verdict {
    Allowed {
        conditions: Vec<Condition>,
    },
    NeedsReview {
        reasons: Vec<String>,
        conditions: Vec<Condition>,
    },
    Forbidden {
        reasons: Vec<String>,
    },
}

impl Verdict {
    /// `allowed`, `needs-review`, `forbidden`.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Allowed { .. } => "allowed",
            Verdict::NeedsReview { .. } => "needs-review",
            Verdict::Forbidden { .. } => "forbidden",
        }
    }

    pub fn reasons(&self) -> &[String] {
        match self {
            Verdict::Allowed { .. } => &[],
            Verdict::NeedsReview { reasons, .. } | Verdict::Forbidden { reasons } => reasons,
        }
    }

    pub fn conditions(&self) -> &[Condition] {
        match self {
            Verdict::Allowed { conditions } | Verdict::NeedsReview { conditions, .. } => conditions,
            Verdict::Forbidden { .. } => &[],
        }
    }

    pub fn is_allowed(&self) -> bool {
        matches!(self, Verdict::Allowed { .. })
    }
}

/// The licences in effect and how they combine: the input to conditions and to the notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effective {
    pub licenses: Vec<String>,
    pub relation: Option<Relation>,
    /// The SPDX expression, e.g. `MIT AND OGL-UK-3.0`.
    pub expression: String,
}

/// The licences that decide the verdict: one per family, in the order the evidence names them.
pub fn effective(report: &LicenseReport) -> Effective {
    let mut ids: Vec<String> = Vec::new();
    // A licence file in a sub-folder (or a licence for a named part) covers that part; it decides the
    // repository only when nothing else does.
    // A licence text whose grant was removed or negated grants nothing: it stays in the evidence (the verdict
    // names the change), but it is not a licence in effect.
    let grants = |f: &&Finding| {
        !f.operative_changes
            .iter()
            .any(|c| c.kind == "dropped-grant" || c.kind == "negated-grant")
    };
    let repo_wide = report
        .findings
        .iter()
        .filter(grants)
        .any(|f| !f.scope.is_partial());
    for f in report
        .findings
        .iter()
        .filter(grants)
        .filter(|f| !repo_wide || !f.scope.is_partial())
    {
        if !ids.iter().any(|i| family(i) == family(&f.license)) {
            ids.push(f.license.clone());
        }
    }
    let relation = report.observations.iter().find_map(|o| match o {
        Observation::Combination { relation, .. } => Some(*relation),
        _ => None,
    });
    let op = if relation == Some(Relation::Or) {
        " OR "
    } else {
        " AND "
    };
    Effective {
        expression: ids.join(op),
        licenses: ids,
        relation,
    }
}

/// Whether a report holds a licence-like file that could not be read or recognised: such a repository needs a
/// person, and is never *forbidden* for want of a grant.
fn unreadable_evidence(report: &LicenseReport) -> bool {
    report.observations.iter().any(|o| match o {
        Observation::Unrecognised { .. }
        | Observation::NotAGrant { .. }
        | Observation::CarveOut { .. }
        | Observation::Placeholder { .. }
        | Observation::Residue { .. }
        | Observation::Deceptive { .. }
        | Observation::Truncated { .. }
        | Observation::ThirdPartyNotice { .. }
        | Observation::LicenceInHistory { .. }
        | Observation::HistoryNotSearched { .. } => true,
        Observation::NotRead { reason, .. } => !ignored_not_read(reason),
        _ => false,
    })
}

/// A folder named like a licence (third-party texts) is reported, not weighed; so is a licence file a manifest
/// names but the tree lacks (the declaration itself still counts).
fn ignored_not_read(reason: &str) -> bool {
    reason.starts_with("a folder") || reason.starts_with("named by a manifest")
}

/// What evidence has to stand for: the repository (every rule of this module), or one file read on its own
/// ([`judge_file`]), where a manifest field or a header is what that file says even though it is too weak to
/// license a repository by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Repository,
    FileAlone,
}

/// Whether a file that could not be read is binary and named like no licence, notice or copying file.
fn binary_not_a_licence(file: &str, reason: &str) -> bool {
    let base = file.rsplit('/').next().unwrap_or(file).to_ascii_lowercase();
    reason.starts_with("binary file")
        && ![
            "licen",
            "copying",
            "notice",
            "copyright",
            "unlicense",
            "patents",
            "eula",
        ]
        .iter()
        .any(|w| base.contains(w))
}

/// The verdict for `repo` (`owner/name`, or a path when unknown).
pub fn judge(repo: &str, report: &LicenseReport, policy: &Policy) -> Verdict {
    judge_standing(repo, report, policy, Standing::Repository)
}

/// What the file `file` says on its own, given its part of the evidence (`LicenseReport::alone`): its findings,
/// observations and claims judged as if they were the only evidence there is. This is a reading for a person and for the corpus of single files, never
/// a decision: weak evidence stands here (the file does declare its licence), and a file that names no
/// licence and withholds nothing says nothing (*needs review*), where a repository with no licence anywhere
/// is *forbidden*; and a licence file below the root covers its folder, not a gap in the repository (a statement
/// for the documentation or a named part still leaves the rest unlicensed). Republication is decided by
/// [`judge`] alone.
pub fn judge_file(alone: &LicenseReport, file: &str, policy: &Policy) -> Verdict {
    if alone.findings.is_empty() && alone.observations.is_empty() && alone.claims.is_empty() {
        return Verdict::NeedsReview {
            reasons: vec![format!(
                "{file}: names no licence and withholds nothing: on its own it says nothing"
            )],
            conditions: Vec::new(),
        };
    }
    // No clarification applies to a single file: the repository name is left empty.
    judge_standing("", alone, policy, Standing::FileAlone)
}

fn judge_standing(
    repo: &str,
    report: &LicenseReport,
    policy: &Policy,
    standing: Standing,
) -> Verdict {
    let renamed = own_name_as_repository(repo, report);
    let report = renamed.as_ref().unwrap_or(report);
    let mut review: Vec<String> = Vec::new();
    let mut forbid: Vec<String> = Vec::new();

    // A maintainer's clarification replaces the evidence while the files it pins are unchanged.
    match policy.clarification_for(repo, &report.files) {
        ClarificationMatch::Applies(c) => {
            let choice = c.expression.contains(" OR ");
            let (conditions, notes) = conditions_for(&c.licenses, report, policy, choice);
            let mut review = Vec::new();
            // The clarification stands for the evidence (coverage and confidence); the policy still classes
            // the licences it names.
            let allowed: Vec<&String> = c
                .licenses
                .iter()
                .filter(|id| action_of(id, policy) == Action::Allow)
                .collect();
            let relied_ok = if choice {
                !allowed.is_empty()
            } else {
                !c.licenses.is_empty() && allowed.len() == c.licenses.len()
            };
            if !relied_ok {
                review.push(format!(
                    "the clarification for {} names {}, which the policy does not allow",
                    c.repo, c.expression
                ));
            }
            return finish(review, Vec::new(), notes, conditions);
        }
        ClarificationMatch::Voided {
            clarification,
            changed,
        } => review.push(format!(
            "the clarification for {} ({}) no longer applies: {} changed since it was pinned",
            clarification.repo,
            clarification.expression,
            changed.join(", ")
        )),
        ClarificationMatch::None => {}
    }

    let eff = effective(report);
    let unreadable = unreadable_evidence(report);
    for o in &report.observations {
        match o {
            Observation::NoLicense if unreadable => {}
            // Forbidden needs evidence of absence: a search of every text file of every pushed ref.
            Observation::NoLicense => {
                absence::weigh(report.absence.as_ref(), &mut review, &mut forbid)
            }
            Observation::AllRightsReserved { file, line, text }
                if report.findings.is_empty() && !unreadable && crate::license::holders::withholds(text) =>
            {
                forbid.push(format!("{file}:{line}: rights are withheld and no licence is granted: \"{text}\""))
            }
            Observation::AllRightsReserved { file, line, text } if report.findings.is_empty() => review.push(
                format!("{file}:{line}: a copyright notice and no licence: the holder's terms are not stated: \"{text}\""),
            ),
            Observation::AllRightsReserved { file, line, text } if crate::license::holders::withholds(text) => {
                review.push(format!("{file}:{line}: a statement withholds rights beside the licence: \"{text}\""))
            }
            Observation::AllRightsReserved { .. } => {}
            Observation::Unrecognised { file, best, score } => review.push(match best {
                Some(b) if *score > 0.0 => format!("{file}: a licence text keepopen does not recognise (closest: {b} at {score:.2})"),
                Some(b) => format!("{file}: a licence keepopen does not recognise: \"{b}\""),
                None => format!("{file}: a licence text keepopen does not recognise"),
            }),
            Observation::Placeholder { file, line, text } => {
                review.push(format!("{file}:{line}: template placeholder {text} left in: no real licensor named"))
            }
            Observation::NotRead { reason, .. } if ignored_not_read(reason) => {}
            // A binary document named like something other than a licence (a mock upload
            // `legal-agreement.pdf`, a `README.md` stored as bytes on an old branch) beside a licence that was
            // read: nobody reads it as the repository's terms, and it does not stop the gate. Without a
            // licence read it still keeps the verdict from *forbidden* (`unreadable_evidence`).
            Observation::NotRead { file, reason }
                if !report.findings.is_empty() && binary_not_a_licence(file, reason) => {}
            Observation::NotRead { file, reason } => review.push(format!("{file}: not read: {reason}")),
            Observation::Conflict { first, second, detail } => {
                review.push(format!("conflicting declarations: {first} vs {second} ({detail})"))
            }
            Observation::NotAGrant { file, line, reading, text } => {
                review.push(format!("{file}:{line}: {}: \"{text}\"", reading.describe()))
            }
            Observation::CarveOut { file, line, text } => review.push(format!(
                "{file}:{line}: a part of the repository is carved out of the licence: \"{text}\""
            )),
            Observation::Truncated { file, bytes_read } => review.push(format!(
                "{file}: read only in part (the first {bytes_read} bytes): the rest was not read, so it is never a clean grant"
            )),
            Observation::Residue { file, line, text } => review.push(format!(
                "{file}:{line}: words beside the licence that nothing accounts for: \"{text}\""
            )),
            Observation::Deceptive { file, line, detail } => review.push(format!(
                "{file}:{line}: shows one thing and stores another: {detail}"
            )),
            Observation::Combination { .. } => {}
            Observation::ThirdPartyTerms { .. } => {}
            // A bundled file read as a well-known component: its licence is that file's claim, weighed by the
            // policy like any other (its conditions are added below).
            Observation::RecognisedComponent { file, component, license, .. }
                if action_of(license, policy) != Action::Allow =>
            {
                review.push(format!(
                    "{file}: recognised as {component}, under {license}, which the policy does not allow"
                ))
            }
            Observation::RecognisedComponent { .. } => {}
            Observation::ThirdPartyNotice { file, licences } => {
                review.extend(crate::license::notice::weigh(file, licences, report, &eff, policy))
            }
            Observation::LicenceInHistory { file, commit } => review.push(format!(
                "a licence file existed at {commit} ({file}) and was removed, or never merged: the default \
                 branch's tip has no licence; a person must say whether that licence speaks for the repository"
            )),
            Observation::HistoryNotSearched { commits } => review.push(format!(
                "no ref tip carries a licence, and the history was searched for one only in part ({commits} commits): absence is not shown"
            )),
        }
    }
    // Third-party assets with terms of their own: one reason listing them (the invariant's condition 4).
    review.extend(crate::license::assets::review_reason(&report.observations));
    review.extend(scoped_claims_not_allowed(report, &eff, policy));

    for f in &report.findings {
        for change in &f.operative_changes {
            review.push(format!(
                "{}:{}-{}: the {} text was changed in a way that alters it ({}): {}",
                f.file, f.lines.0, f.lines.1, f.license, change.kind, change.diff
            ));
        }
    }

    // Each licence in effect: its class and its best evidence. Of a choice (OR) that an allowed option
    // carries on its own (confident, covering the repository), another option's weaker evidence is not
    // weighed: the republisher relies on the option that is shown. An AND needs evidence for each.
    let carrying = if eff.relation == Some(Relation::Or) {
        carrying_options(report, &eff, policy, standing)
    } else {
        Vec::new()
    };
    let mut allowed_options = 0;
    for id in &eff.licenses {
        let Some(best) = best_finding(report, id) else {
            review.push(format!("{id}: no evidence for a licence in effect"));
            continue;
        };
        let carried_by_another = !carrying.is_empty() && !carrying.contains(id);
        if best.score < policy.licenses.min_confidence && !carried_by_another {
            review.push(format!(
                "{id}: confidence {:.2} is below the policy's {:.2} ({} in {}:{})",
                best.score,
                policy.licenses.min_confidence,
                describe_method(best.method),
                best.file,
                best.lines.0
            ));
        }
        let action = match policy.class_of(id) {
            Some(class) => {
                let action = policy.action_for(class);
                match action {
                    Action::Forbid => forbid.push(format!(
                        "{id} is {} and the policy forbids it",
                        class_name(class)
                    )),
                    Action::Review => review.push(format!(
                        "{id} is {}: the policy asks for review",
                        class_name(class)
                    )),
                    Action::Allow => {}
                }
                action
            }
            None => {
                match policy.licenses.unknown {
                    Action::Forbid => forbid.push(format!(
                        "{id} has no class and the policy forbids unknown licences"
                    )),
                    _ => review.push(format!("{id}: a licence the policy does not classify")),
                }
                policy.licenses.unknown
            }
        };
        if action == Action::Allow {
            allowed_options += 1;
        }
    }
    // A choice (OR) is forbidden only when no option may be taken.
    if eff.relation == Some(Relation::Or) && allowed_options > 0 {
        forbid.retain(|r| !eff.licenses.iter().any(|id| r.starts_with(id.as_str())));
    }

    // Coverage: a licence for one folder or part, or for documentation only, leaves the rest unlicensed.
    let covered = coverage(report, &eff.licenses, 0.0, standing);
    if covered == Err(Uncovered::WeakOnly) {
        let weak: Vec<String> = report
            .findings
            .iter()
            .filter(|f| !is_strong(f) && matches!(f.scope, Scope::Repository | Scope::Code))
            .map(|f| format!("{} declared in {}:{}", f.license, f.file, f.lines.0))
            .collect();
        review.push(format!(
            "weak evidence alone: {}; a manifest field or an SPDX header supports a licence text or statement, and there is none for the repository",
            weak.join(", ")
        ));
    }
    if !report.findings.is_empty() && covered == Err(Uncovered::Partial) {
        let parts: Vec<String> = report
            .findings
            .iter()
            .filter(|f| {
                eff.licenses
                    .iter()
                    .any(|id| family(id) == family(&f.license))
            })
            .map(|f| match &f.scope {
                Scope::Folder(d) => format!("{} covers only {d}/ ({})", f.license, f.file),
                Scope::Part(p) => {
                    format!("{} covers only {p} ({}:{})", f.license, f.file, f.lines.0)
                }
                Scope::Code => format!(
                    "{} covers only the code ({}:{})",
                    f.license, f.file, f.lines.0
                ),
                _ => format!(
                    "{} covers only the documentation/content ({}:{})",
                    f.license, f.file, f.lines.0
                ),
            })
            .collect();
        let mut parts = parts;
        if let Some(layout) = &report.layout
            && !layout.outside.is_empty()
        {
            let more = if layout.outside.len() >= FolderLayout::MAX_OUTSIDE {
                ", …"
            } else {
                ""
            };
            parts.push(format!(
                "no licence of its own for {}{more}",
                layout.outside.join(", ")
            ));
        }
        review.push(format!(
            "the licence covers only part of the repository: {}",
            parts.join("; ")
        ));
    }
    // Every claim, with what it speaks for, must agree with the others (see `license::claims`).
    for d in crate::license::claims::agreement(&crate::license::claims::all(report), policy) {
        if d.blocking {
            review.push(d.text);
        }
    }
    // Every ref that is pushed is judged: one whose licence evidence differs must be allowed on its own. Refs
    // that fail for the same reasons are one line naming the first and how many more, so a maintainer reads each
    // reason once however many release tags carry it.
    if let Some(refs) = &report.refs {
        let mut groups: Vec<(String, usize, &'static str, String)> = Vec::new();
        for other in &refs.differing {
            let verdict = judge(repo, &other.report, policy);
            if verdict.is_allowed() {
                continue;
            }
            let why: Vec<&str> = verdict
                .reasons()
                .iter()
                .take(3)
                .map(String::as_str)
                .collect();
            let why = why.join("; ");
            match groups
                .iter_mut()
                .find(|g| g.2 == verdict.name() && g.3 == why)
            {
                Some(group) => group.1 += 1 + other.also,
                None => groups.push((other.reference.clone(), other.also, verdict.name(), why)),
            }
        }
        for (first, more, name, why) in groups {
            let also = match more {
                0 => String::new(),
                n => format!(" (and {n} more refs with the same reasons)"),
            };
            review.push(format!(
                "{first}{also}: its licence evidence differs from the default branch's and is {name} there: {why}"
            ));
        }
        for not_read in &refs.not_read {
            review.push(format!(
                "a ref that would be pushed was not judged: {not_read}"
            ));
        }
    }
    let options = if carrying.is_empty() {
        &eff.licenses
    } else {
        &carrying
    };
    let (mut conditions, notes) =
        conditions_for(options, report, policy, eff.relation == Some(Relation::Or));
    // The licences of bundled works that notices name ask what they ask of their parts.
    for o in &report.observations {
        if let Observation::ThirdPartyNotice { licences, .. } = o {
            for l in licences {
                conditions.extend(license_conditions_under(&l.id, policy));
            }
        }
        // A recognised component's licence asks what it asks of its file (its notice kept).
        if let Observation::RecognisedComponent { license, .. } = o {
            conditions.extend(license_conditions_under(license, policy));
        }
    }
    conditions.sort();
    conditions.dedup();
    if forbid.is_empty()
        && review.is_empty()
        && notes.is_empty()
        && let Err(reason) = positive_evidence_standing(report, policy, standing)
    {
        review.push(reason);
    }
    finish(review, forbid, notes, conditions)
}

fn finish(
    mut review: Vec<String>,
    forbid: Vec<String>,
    notes: Vec<String>,
    conditions: Vec<Condition>,
) -> Verdict {
    if !forbid.is_empty() {
        let mut reasons = forbid;
        reasons.extend(review);
        return Verdict::Forbidden { reasons };
    }
    review.extend(notes);
    review.dedup();
    if review.is_empty() {
        Verdict::Allowed { conditions }
    } else {
        Verdict::NeedsReview {
            reasons: review,
            conditions,
        }
    }
}
