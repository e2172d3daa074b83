//! The positive evidence *allowed* needs (the module's invariant, conditions 1–3): which licences cover the
//! repository as a whole, by strong evidence, at the policy's confidence.

use super::{Effective, Standing, effective};
use crate::license::detect::family;
use crate::license::{Finding, LicenseReport, Method, Relation, Scope};
use crate::policy::{Action, Policy};

/// The options of a choice that carry it alone: allowed by the policy, evidenced at its confidence, and
/// covering the repository on their own (strong evidence, see [`coverage`]).
pub(super) fn carrying_options(
    report: &LicenseReport,
    eff: &Effective,
    policy: &Policy,
    standing: Standing,
) -> Vec<String> {
    eff.licenses
        .iter()
        .filter(|id| action_of(id, policy) == Action::Allow)
        .filter(|id| {
            best_finding(report, id).is_some_and(|f| f.score >= policy.licenses.min_confidence)
        })
        .filter(|id| {
            coverage(
                report,
                std::slice::from_ref(*id),
                policy.licenses.min_confidence,
                standing,
            )
            .is_ok()
        })
        .cloned()
        .collect()
}

/// Claims scoped to one file, folder or named part (a licence header, a nested licence file, "the Widget app
/// is released under…") that the licences in effect do not already cover: each covers only its part, so it
/// neither grants nor contradicts for the repository, but its licence must still be one the policy allows.
pub(super) fn scoped_claims_not_allowed(
    report: &LicenseReport,
    eff: &Effective,
    policy: &Policy,
) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.scope.is_partial())
        .filter(|f| {
            !eff.licenses
                .iter()
                .any(|id| family(id) == family(&f.license))
        })
        .filter(|f| action_of(&f.license, policy) != Action::Allow)
        .map(|f| {
            format!(
                "{}:{}: {} is claimed for {}, and the policy does not allow it",
                f.file,
                f.lines.0,
                f.license,
                match &f.scope {
                    Scope::Folder(d) => format!("{d}/"),
                    Scope::Part(p) => p.clone(),
                    _ => "a part".to_string(),
                }
            )
        })
        .collect()
}

/// The policy's action for one licence id (its class's action, or the action for unknown licences).
pub(crate) fn action_of(id: &str, policy: &Policy) -> Action {
    match policy.class_of(id) {
        Some(class) => policy.action_for(class),
        None => policy.licenses.unknown,
    }
}

/// The strongest finding for a licence family, preferring repository-wide evidence.
pub(super) fn best_finding<'a>(report: &'a LicenseReport, id: &str) -> Option<&'a Finding> {
    let of_family = || {
        report
            .findings
            .iter()
            .filter(move |f| family(&f.license) == family(id))
    };
    of_family()
        .filter(|f| !f.scope.is_partial())
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .or_else(|| of_family().max_by(|a, b| a.score.total_cmp(&b.score)))
}

/// Whether a finding can stand alone as evidence of a licence: a licence text, a licence's standard header, or
/// a statement that names the licence (in a licence file, the README, a documentation page). A declared
/// expression — a manifest field (npm's default `"ISC"`, `setup.py`'s `license="GPLv3"`), an
/// `SPDX-License-Identifier:` line in one file — is weak: it supports a licence that stronger evidence shows,
/// and never by itself makes the repository licensed.
pub fn is_strong(finding: &Finding) -> bool {
    finding.method != Method::Declared
}

/// Why the licences found do not cover the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Uncovered {
    /// Only a folder, a named part or the documentation is licensed.
    Partial,
    /// The repository (or its code) is licensed only by weak evidence ([`is_strong`]).
    WeakOnly,
}

/// Whether the licences `ids` together cover the repository: one of them for the repository as a whole or for
/// its code, shown by strong evidence ([`is_strong`]). Partial scopes (a folder, a named part) and
/// documentation alone never count; nor does a manifest field or a header alone.
pub(super) fn coverage(
    report: &LicenseReport,
    ids: &[String],
    min_confidence: f32,
    standing: Standing,
) -> Result<(), Uncovered> {
    let mut whole = false;
    let mut whole_weak = false;
    for id in ids {
        // Only evidence at the policy's confidence counts for coverage: a confident documentation-only
        // finding and a weak repository-wide one do not add up to a confident repository-wide licence.
        // A folder's or a named part's licence covers that part only; any evidence for the whole
        // repository (a root licence file) covers it whatever else says the same of a part.
        // The code's licence covers a repository of code ("the codebase is released under MIT"); a licence
        // for the documentation alone does not.
        for f in report
            .findings
            .iter()
            .filter(|f| family(id) == family(&f.license) && f.score >= min_confidence)
            .filter(|f| matches!(f.scope, Scope::Repository | Scope::Code))
        {
            if is_strong(f) {
                whole = true;
            } else {
                whole_weak = true;
            }
        }
    }
    // Read alone, a licence file in a folder covers the folder it is about, and a manifest field speaks for its
    // package; a statement for the documentation or one named part still leaves the rest unlicensed.
    let named = |f: &Finding| {
        f.score >= min_confidence
            && ids.iter().any(|id| family(id) == family(&f.license))
            && matches!(f.scope, Scope::Repository | Scope::Code | Scope::Folder(_))
    };
    if standing == Standing::FileAlone && report.findings.iter().any(named) {
        return Ok(());
    }
    // Folders that hold their own licences cover the repository together when nothing of the tree lies
    // outside them and each folder's licence is one of `ids`, at the confidence.
    whole |= folders_cover(report, ids, min_confidence);
    if whole {
        Ok(())
    } else if whole_weak {
        Err(Uncovered::WeakOnly)
    } else {
        Err(Uncovered::Partial)
    }
}

impl Uncovered {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Uncovered::Partial => "the licences found do not cover the repository as a whole",
            Uncovered::WeakOnly => {
                "only weak evidence (a manifest field or an SPDX header) licenses the repository as a whole"
            }
        }
    }
}

/// Whether the licence folders of the tree cover all of it: at least one folder, nothing outside them, and
/// every folder licensed by its own licence file (strong evidence, [`is_strong`]) under one of `ids` at
/// `min_confidence`.
pub fn folders_cover(report: &LicenseReport, ids: &[String], min_confidence: f32) -> bool {
    let Some(layout) = &report.layout else {
        return false;
    };
    !layout.folders.is_empty()
        && layout.outside.is_empty()
        && layout.folders.iter().all(|folder| {
            report.findings.iter().any(|f| {
                f.scope == Scope::Folder(folder.clone())
                    && is_strong(f)
                    && f.score >= min_confidence
                    && ids.iter().any(|id| family(id) == family(&f.license))
            })
        })
}

/// The positive evidence that *allowed* requires (the module's invariant, conditions 1–3): at least one
/// licence in effect, the licences relied on covering the repository, each classed `allow` and evidenced at
/// or above the policy's confidence. `Err` says what is missing.
pub fn positive_evidence(report: &LicenseReport, policy: &Policy) -> Result<(), String> {
    positive_evidence_standing(report, policy, Standing::Repository)
}

pub(super) fn positive_evidence_standing(
    report: &LicenseReport,
    policy: &Policy,
    standing: Standing,
) -> Result<(), String> {
    let eff = effective(report);
    if eff.licenses.is_empty() {
        return Err("no licence was found that grants republication".into());
    }
    let choice = eff.relation == Some(Relation::Or);
    let relied: Vec<String> = if choice {
        // Of a choice, the options relied on are those the policy allows and the evidence shows at the
        // policy's confidence: a weaker mention of another option lowers nothing.
        let confident = carrying_options(report, &eff, policy, standing);
        if confident.is_empty() {
            eff.licenses
                .iter()
                .filter(|id| action_of(id, policy) == Action::Allow)
                .cloned()
                .collect()
        } else {
            confident
        }
    } else {
        eff.licenses.clone()
    };
    if relied.is_empty() {
        return Err(format!(
            "no option of {} is allowed by the policy",
            eff.expression
        ));
    }
    for id in &relied {
        if action_of(id, policy) != Action::Allow {
            return Err(format!("{id} is not a licence the policy allows"));
        }
        let confident = best_finding(report, id)
            .map(|f| f.score >= policy.licenses.min_confidence)
            .unwrap_or(false);
        if !confident {
            return Err(format!(
                "{id} is not evidenced at the policy's confidence {:.2}",
                policy.licenses.min_confidence
            ));
        }
    }
    coverage(report, &relied, policy.licenses.min_confidence, standing)
        .map_err(|u| u.describe().to_string())
}
