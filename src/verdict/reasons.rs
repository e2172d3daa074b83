//! The reasons the verdict gathers, each rule of the invariant (`super`'s conditions 1–4) in its own function:
//! what each observation asks, the licences in effect (class and confidence), what the licences relied on
//! leave uncovered, and an operative change to a licence text (other pushed refs: [`super::refs`]). Which reasons make the verdict is [`super::judge`]'s decision; these only gather and say them.

use super::absence;
use super::conditions::{class_name, describe_method};
use super::coverage::{Uncovered, action_of, best_finding, coverage, is_strong};
use super::{Effective, Standing, binary_not_a_licence};
use crate::license::detect::family;
use crate::license::{FolderLayout, LicenseReport, Observation, Relation, Scope};
use crate::policy::{Action, Policy};

/// The reasons gathered so far: those that forbid republication, and those that ask for a person.
#[derive(Debug, Default)]
pub(super) struct Reasons {
    pub(super) review: Vec<String>,
    pub(super) forbid: Vec<String>,
}

impl Reasons {
    /// What one observation asks. No licence, or a withholding notice with no licence, forbids only on
    /// evidence: a complete absence search, and no licence-like file left unread (`unreadable`).
    pub(super) fn weigh_observation(
        &mut self,
        o: &Observation,
        report: &LicenseReport,
        eff: &Effective,
        policy: &Policy,
        unreadable: bool,
    ) {
        // Rights reserved, or a sentence that withholds a right (a withholding notice quotes one).
        let withholds = |text: &str| {
            crate::license::holders::withholds(text) || crate::license::claims::withholds(text)
        };
        match o {
            Observation::NoLicense if unreadable => {}
            // Forbidden needs evidence of absence: a search of every text file of every pushed ref.
            Observation::NoLicense => {
                absence::weigh(report.absence.as_ref(), &mut self.review, &mut self.forbid)
            }
            Observation::AllRightsReserved { file, line, text }
                if report.findings.is_empty() && !unreadable && withholds(text) =>
            {
                self.forbid.push(format!(
                    "{file}:{line}: rights are withheld and no licence is granted: \"{text}\""
                ))
            }
            Observation::AllRightsReserved { file, line, text } if report.findings.is_empty() => {
                self.review.push(format!(
                    "{file}:{line}: a copyright notice and no licence: the holder's terms are not stated: \"{text}\""
                ))
            }
            Observation::AllRightsReserved { file, line, text } if withholds(text) => {
                self.review.push(format!(
                    "{file}:{line}: a statement withholds rights beside the licence: \"{text}\""
                ))
            }
            // A notice beside the licence is harmless only in the shape of a holder line (an allow-list):
            // words after the holder's name that no withholding pattern knows ("Reproduction prohibited.",
            // "Use restricted to the Department.") are a statement for a person, never part of the notice.
            Observation::AllRightsReserved { file, line, text }
                if !text
                    .lines()
                    .all(crate::license::residue::says_only_who_holds) =>
            {
                self.review.push(format!(
                    "{file}:{line}: a notice beside the licence says more than who holds the copyright: \"{text}\""
                ))
            }
            other => self
                .review
                .extend(observation_review(other, report, eff, policy)),
        }
    }

    /// Each licence in effect: evidenced at the policy's confidence (unless another option carries the
    /// choice), and classed by the policy. A choice (OR) is forbidden only when no option may be taken.
    pub(super) fn weigh_licences_in_effect(
        &mut self,
        report: &LicenseReport,
        eff: &Effective,
        carrying: &[String],
        policy: &Policy,
    ) {
        let mut allowed_options = 0;
        for id in &eff.licenses {
            let Some(best) = best_finding(report, id) else {
                self.review
                    .push(format!("{id}: no evidence for a licence in effect"));
                continue;
            };
            let carried_by_another = !carrying.is_empty() && !carrying.iter().any(|c| c == id);
            if best.score < policy.licenses.min_confidence && !carried_by_another {
                self.review.push(format!(
                    "{id}: confidence {:.2} is below the policy's {:.2} ({} in {}:{})",
                    best.score,
                    policy.licenses.min_confidence,
                    describe_method(best.method),
                    best.file,
                    best.lines.0
                ));
            }
            if self.weigh_class(id, policy) == Action::Allow {
                allowed_options += 1;
            }
        }
        if eff.relation == Some(Relation::Or) && allowed_options > 0 {
            self.forbid
                .retain(|r| !eff.licenses.iter().any(|id| r.starts_with(id.as_str())));
        }
    }

    /// The policy's action for the licence `id` (its class's, or the one for unknown licences), with the
    /// reason it forbids or asks for review.
    fn weigh_class(&mut self, id: &str, policy: &Policy) -> Action {
        let Some(class) = policy.class_of(id) else {
            match policy.licenses.unknown {
                Action::Forbid => self.forbid.push(format!(
                    "{id} has no class and the policy forbids unknown licences"
                )),
                _ => self
                    .review
                    .push(format!("{id}: a licence the policy does not classify")),
            }
            return policy.licenses.unknown;
        };
        let action = policy.action_for(class);
        match action {
            Action::Forbid => self.forbid.push(format!(
                "{id} is {} and the policy forbids it",
                class_name(class)
            )),
            Action::Review => self.review.push(format!(
                "{id} is {}: the policy asks for review",
                class_name(class)
            )),
            Action::Allow => {}
        }
        action
    }
}

/// What an observation other than absence or a withholding notice asks of a person (nothing for those that
/// are only evidence).
fn observation_review(
    o: &Observation,
    report: &LicenseReport,
    eff: &Effective,
    policy: &Policy,
) -> Vec<String> {
    let one = |reason: String| vec![reason];
    match o {
        Observation::Unrecognised { file, best, score } => one(match best {
            Some(b) if *score > 0.0 => format!(
                "{file}: a licence text keepopen does not recognise (closest: {b} at {score:.2})"
            ),
            Some(b) => format!("{file}: a licence keepopen does not recognise: \"{b}\""),
            None => format!("{file}: a licence text keepopen does not recognise"),
        }),
        Observation::Placeholder { file, line, text } => one(format!(
            "{file}:{line}: template placeholder {text} left in: no real licensor named"
        )),
        o @ Observation::NotRead { .. } if o.is_reported_only() => Vec::new(),
        // A binary document named like something other than a licence (a mock upload
        // `legal-agreement.pdf`, a `README.md` stored as bytes on an old branch) beside a licence that was
        // read: nobody reads it as the repository's terms, and it does not stop the gate. Without a licence
        // read it still keeps the verdict from *forbidden* (`unreadable_evidence`).
        Observation::NotRead { file, reason }
            if !report.findings.is_empty() && binary_not_a_licence(file, reason) =>
        {
            Vec::new()
        }
        Observation::NotRead { file, reason } => one(format!("{file}: not read: {reason}")),
        Observation::Conflict {
            first,
            second,
            detail,
        } => one(format!(
            "conflicting declarations: {first} vs {second} ({detail})"
        )),
        Observation::NotAGrant {
            file,
            line,
            reading,
            text,
        } => one(format!("{file}:{line}: {}: \"{text}\"", reading.describe())),
        Observation::Withholding { line: 0, text, .. } => one(text.clone()),
        Observation::Withholding {
            reference,
            file,
            line,
            text,
        } => one(format!(
            "{file}:{line} (in {reference}): a statement withholds the work: \"{text}\""
        )),
        Observation::CarveOut { file, line, text } => one(format!(
            "{file}:{line}: a part of the repository is carved out of the licence: \"{text}\""
        )),
        Observation::Truncated { file, bytes_read } => one(format!(
            "{file}: read only in part (the first {bytes_read} bytes): the rest was not read, so it is never a clean grant"
        )),
        Observation::Residue { file, line, text } => one(format!(
            "{file}:{line}: words beside the licence that nothing accounts for: \"{text}\""
        )),
        Observation::Deceptive { file, line, detail } => one(format!(
            "{file}:{line}: shows one thing and stores another: {detail}"
        )),
        // A bundled file read as a well-known component: its licence is that file's claim, weighed by the
        // policy like any other (its conditions are added with the others').
        Observation::RecognisedComponent {
            file,
            component,
            license,
            ..
        } if action_of(license, policy) != Action::Allow => one(format!(
            "{file}: recognised as {component}, under {license}, which the policy does not allow"
        )),
        Observation::ThirdPartyNotice { file, licences } => {
            crate::license::notice::weigh(file, licences, report, eff, policy)
        }
        Observation::LicenceInHistory { file, commit } => one(format!(
            "a licence file existed at {commit} ({file}) and was removed, or never merged: the default \
             branch's tip has no licence; a person must say whether that licence speaks for the repository"
        )),
        Observation::LicenceRemovedOnRef {
            reference,
            file,
            base,
        } => one(format!(
            "{reference}: the licence file {file} was removed on this ref (it is in {base}, where the ref was cut \
             from the default branch, and not at the ref's tip, which names no licence): a person must say whether \
             the repository's licence still speaks for what the ref adds"
        )),
        Observation::HistoryNotSearched { commits } => one(format!(
            "no ref tip carries a licence, and the history was searched for one only in part ({commits} commits): absence is not shown"
        )),
        Observation::NoLicense
        | Observation::AllRightsReserved { .. }
        | Observation::Combination { .. }
        | Observation::ThirdPartyTerms { .. }
        | Observation::RecognisedComponent { .. } => Vec::new(),
    }
}

/// Each change to a licence text that alters what it says.
pub(super) fn operative_changes(report: &LicenseReport) -> Vec<String> {
    report
        .findings
        .iter()
        .flat_map(|f| {
            f.operative_changes.iter().map(move |change| {
                format!(
                    "{}:{}-{}: the {} text was changed in a way that alters it ({}): {}",
                    f.file, f.lines.0, f.lines.1, f.license, change.kind, change.diff
                )
            })
        })
        .collect()
}

/// What the licences in effect leave uncovered: only weak evidence for the repository, or only parts of it
/// (a folder, a named part, the code of a repository that is more, the documentation).
pub(super) fn uncovered(
    report: &LicenseReport,
    eff: &Effective,
    standing: Standing,
) -> Vec<String> {
    match coverage(report, &eff.licenses, 0.0, standing) {
        Err(Uncovered::WeakOnly) => {
            let weak: Vec<String> = report
                .findings
                .iter()
                .filter(|f| !is_strong(f) && matches!(f.scope, Scope::Repository | Scope::Code))
                .map(|f| format!("{} declared in {}:{}", f.license, f.file, f.lines.0))
                .collect();
            vec![format!(
                "weak evidence alone: {}; a manifest field or an SPDX header supports a licence text or statement, and there is none for the repository",
                weak.join(", ")
            )]
        }
        Err(Uncovered::Partial) if !report.findings.is_empty() => vec![format!(
            "the licence covers only part of the repository: {}",
            parts_covered(report, eff).join("; ")
        )],
        _ => Vec::new(),
    }
}

/// What each finding of a licence in effect covers, and what lies outside every licensed folder.
fn parts_covered(report: &LicenseReport, eff: &Effective) -> Vec<String> {
    let mut parts: Vec<String> = report
        .findings
        .iter()
        .filter(|f| {
            eff.licenses
                .iter()
                .any(|id| family(id) == family(&f.license))
        })
        .map(|f| match &f.scope {
            Scope::Folder(d) => format!("{} covers only {d}/ ({})", f.license, f.file),
            Scope::Part(p) => format!("{} covers only {p} ({}:{})", f.license, f.file, f.lines.0),
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
    parts
}
