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
use crate::license::{Finding, LicenseReport, Observation, Relation};
use crate::policy::{Action, ClarificationMatch, Policy};

mod absence;
mod conditions;
mod coverage;
mod own_name;
mod reasons;
mod refs;

use conditions::conditions_for;
pub use conditions::{class_name, license_conditions, license_conditions_under};
pub(crate) use coverage::action_of;
use coverage::{carrying_options, positive_evidence_standing, scoped_claims_not_allowed};
pub use coverage::{folders_cover, is_strong, positive_evidence};
use own_name::read_with_own_name;
use reasons::Reasons;
pub use refs::{repository_grant, under_repository_grant};

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
        o @ Observation::NotRead { .. } => !o.is_reported_only(),
        _ => false,
    })
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

/// The verdict on `report` as evidence for what `standing` says: every rule of the module's invariant, each
/// gathered into reasons by its own function, and the positive evidence checked last, on whatever the rest
/// reached.
fn judge_standing(
    repo: &str,
    report: &LicenseReport,
    policy: &Policy,
    standing: Standing,
) -> Verdict {
    let renamed = read_with_own_name(repo, report);
    let report = renamed.as_ref().unwrap_or(report);
    let mut reasons = Reasons::default();

    // A maintainer's clarification replaces the evidence while the files it pins are unchanged.
    match policy.clarification_for(repo, &report.files) {
        ClarificationMatch::Applies(c) => return clarified(c, report, policy),
        ClarificationMatch::Voided {
            clarification,
            changed,
        } => reasons.review.push(format!(
            "the clarification for {} ({}) no longer applies: {} changed since it was pinned",
            clarification.repo,
            clarification.expression,
            changed.join(", ")
        )),
        ClarificationMatch::None => {}
    }

    let eff = effective(report);
    // Condition 4: nothing else in the report asks for a person.
    let unreadable = unreadable_evidence(report);
    for o in &report.observations {
        reasons.weigh_observation(o, report, &eff, policy, unreadable);
    }
    // Third-party assets with terms of their own: one reason listing them.
    reasons
        .review
        .extend(crate::license::assets::review_reason(&report.observations));
    reasons
        .review
        .extend(scoped_claims_not_allowed(report, &eff, policy));
    reasons.review.extend(reasons::operative_changes(report));

    // Conditions 2 and 3: each licence in effect, its class and its best evidence. Of a choice (OR) that an
    // allowed option carries on its own (confident, covering the repository), another option's weaker
    // evidence is not weighed: the republisher relies on the option that is shown. An AND needs evidence for
    // each.
    let carrying = if eff.relation == Some(Relation::Or) {
        carrying_options(report, &eff, policy, standing)
    } else {
        Vec::new()
    };
    reasons.weigh_licences_in_effect(report, &eff, &carrying, policy);

    // Condition 1: a licence for one folder or part, or for documentation only, leaves the rest unlicensed.
    reasons
        .review
        .extend(reasons::uncovered(report, &eff, standing));
    // Every claim, with what it speaks for, must agree with the others (see `license::claims`).
    for d in crate::license::claims::agreement(&crate::license::claims::all(report), policy) {
        if d.blocking {
            reasons.review.push(d.text);
        }
    }
    // Every ref that is pushed is judged: one whose licence evidence differs must be allowed on its own, or
    // beside the repository's grant when it names no other licence (`refs`' invariant).
    if let Some(refs) = &report.refs {
        let grant = repository_grant(report, &eff.licenses);
        reasons
            .review
            .extend(refs::refs_not_allowed(refs, &grant, |other| {
                judge(repo, other, policy)
            }));
    }

    let options = if carrying.is_empty() {
        &eff.licenses
    } else {
        &carrying
    };
    let (conditions, notes) = conditions_relied_on(options, &eff, report, policy);
    // The invariant, conditions 1–3: a report that objects to nothing but proves nothing is *needs review*.
    let Reasons { mut review, forbid } = reasons;
    if forbid.is_empty()
        && review.is_empty()
        && notes.is_empty()
        && let Err(reason) = positive_evidence_standing(report, policy, standing)
    {
        review.push(reason);
    }
    finish(review, forbid, notes, conditions)
}

/// The verdict a maintainer's clarification gives: it stands for the evidence (coverage and confidence), and
/// the policy still classes the licences it names (an AND needs each allowed, an OR one).
fn clarified(c: &crate::policy::Clarification, report: &LicenseReport, policy: &Policy) -> Verdict {
    let choice = c.expression.contains(" OR ");
    let (conditions, notes) = conditions_for(&c.licenses, report, policy, choice);
    let allowed = c
        .licenses
        .iter()
        .filter(|id| action_of(id, policy) == Action::Allow)
        .count();
    let relied_ok = if choice {
        allowed > 0
    } else {
        !c.licenses.is_empty() && allowed == c.licenses.len()
    };
    let mut review = Vec::new();
    if !relied_ok {
        review.push(format!(
            "the clarification for {} names {}, which the policy does not allow",
            c.repo, c.expression
        ));
    }
    finish(review, Vec::new(), notes, conditions)
}

/// The conditions of the licences relied on (`options`), and of the bundled works that notices name and the
/// recognised components (each asks what it asks of its part, its notice kept); and the notes that keep a
/// verdict from *allowed*.
fn conditions_relied_on(
    options: &[String],
    eff: &Effective,
    report: &LicenseReport,
    policy: &Policy,
) -> (Vec<Condition>, Vec<String>) {
    let (mut conditions, notes) =
        conditions_for(options, report, policy, eff.relation == Some(Relation::Or));
    for o in &report.observations {
        match o {
            Observation::ThirdPartyNotice { licences, .. } => {
                for l in licences {
                    conditions.extend(license_conditions_under(&l.id, policy));
                }
            }
            Observation::RecognisedComponent { license, .. } => {
                conditions.extend(license_conditions_under(license, policy))
            }
            _ => {}
        }
    }
    // A folder or named part under its own licence is republished under it with the rest: what that licence
    // and its class ask joins the conditions, whatever the repository's own licence asks (a CC-BY-NC folder in
    // an MIT repository is republished non-commercially; an AGPL folder stays under the AGPL). A licence the
    // policy forbids is the reasons' business, not a condition.
    for f in &report.findings {
        if f.scope.is_partial() && action_of(&f.license, policy) != Action::Forbid {
            conditions.extend(license_conditions_under(&f.license, policy));
        }
    }
    // No derivatives anywhere: the notice goes outside the tree, so nothing in it is said to have changed.
    if conditions
        .iter()
        .any(|c| matches!(c, Condition::NoChangesToTree(_)))
    {
        conditions.retain(|c| *c != Condition::StateChanges);
    }
    conditions.sort();
    conditions.dedup();
    (conditions, notes)
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
