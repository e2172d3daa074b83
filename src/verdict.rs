//! The verdict: a pure function of the licence report and the policy. It says whether a repository may be
//! republished, on which conditions, or why a person must look first, or why it must not be.

use serde::{Deserialize, Serialize};

use crate::license::detect::family;
use crate::license::{Finding, LicenseReport, Method, Observation, Relation, Scope};
use crate::policy::{Action, ClarificationMatch, Class, Policy};

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
    // A licence file in a sub-folder covers that folder; it decides the repository only when nothing else does.
    let repo_wide = report
        .findings
        .iter()
        .any(|f| !matches!(f.scope, Scope::Folder(_)));
    for f in report
        .findings
        .iter()
        .filter(|f| !repo_wide || !matches!(f.scope, Scope::Folder(_)))
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

/// The verdict for `repo` (`owner/name`, or a path when unknown).
pub fn judge(repo: &str, report: &LicenseReport, policy: &Policy) -> Verdict {
    let mut review: Vec<String> = Vec::new();
    let mut forbid: Vec<String> = Vec::new();

    // A maintainer's clarification replaces the evidence while the files it pins are unchanged.
    match policy.clarification_for(repo, &report.files) {
        ClarificationMatch::Applies(c) => {
            let conditions =
                conditions_for(&c.licenses, report, policy, c.expression.contains(" OR "));
            return finish(Vec::new(), Vec::new(), conditions.1, conditions.0, policy);
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
    for o in &report.observations {
        match o {
            Observation::NoLicense => forbid.push(
                "no licence anywhere (no licence file, header, manifest field or README statement): all rights reserved"
                    .into(),
            ),
            Observation::AllRightsReserved { file, line, text } if report.findings.is_empty() => {
                forbid.push(format!("{file}:{line}: only a copyright statement, no licence: \"{text}\""))
            }
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
            // A folder named like a licence (third-party texts) is reported, not weighed.
            // So is a licence file a manifest names but the tree lacks: the declaration itself still counts.
            Observation::NotRead { reason, .. } if reason.starts_with("a folder") || reason.starts_with("named by a manifest") => {}
            Observation::NotRead { file, reason } => review.push(format!("{file}: not read: {reason}")),
            Observation::Conflict { first, second, detail } => {
                review.push(format!("conflicting declarations: {first} vs {second} ({detail})"))
            }
            Observation::Truncated { .. } | Observation::Combination { .. } => {}
        }
    }

    for f in &report.findings {
        for change in &f.operative_changes {
            review.push(format!(
                "{}:{}-{}: the {} text was changed in a way that alters it ({}): {}",
                f.file, f.lines.0, f.lines.1, f.license, change.kind, change.diff
            ));
        }
        if !f.undecided_between.is_empty() {
            // Both versions permit republication on the same terms; say so rather than block.
            continue;
        }
    }

    // Each licence in effect: its class and its best evidence.
    let mut allowed_options = 0;
    for id in &eff.licenses {
        let best = report
            .findings
            .iter()
            .filter(|f| family(&f.license) == family(id))
            .max_by(|a, b| a.score.total_cmp(&b.score))
            .expect("an effective licence has a finding");
        if best.score < policy.licenses.min_confidence {
            review.push(format!(
                "{id}: confidence {:.2} is below the policy's {:.2} ({} in {})",
                best.score,
                policy.licenses.min_confidence,
                describe_method(best.method),
                best.file
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

    // Coverage: a licence for one folder, or for documentation only, leaves the rest unlicensed.
    let repo_wide: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !matches!(f.scope, Scope::Folder(_) | Scope::Documentation))
        .collect();
    if !report.findings.is_empty() && repo_wide.is_empty() {
        let parts: Vec<String> = report
            .findings
            .iter()
            .map(|f| match &f.scope {
                Scope::Folder(d) => format!("{} covers only {d}/", f.license),
                _ => format!("{} covers only the documentation/content", f.license),
            })
            .collect();
        review.push(format!(
            "the licence covers only part of the repository: {}",
            parts.join("; ")
        ));
    }
    // Declarations that disagree with the licence files.
    if let Some(conflict) = declared_conflict(report) {
        review.push(conflict);
    }
    let (conditions, notes) = conditions_for(
        &eff.licenses,
        report,
        policy,
        eff.relation == Some(Relation::Or),
    );
    finish(review, forbid, notes, conditions, policy)
}

fn finish(
    mut review: Vec<String>,
    forbid: Vec<String>,
    notes: Vec<String>,
    conditions: Vec<Condition>,
    _policy: &Policy,
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

fn describe_method(m: Method) -> &'static str {
    match m {
        Method::Text => "matched text",
        Method::Header => "licence header",
        Method::Reference => "named or linked, not quoted",
        Method::Declared => "declared",
    }
}

pub fn class_name(c: Class) -> &'static str {
    match c {
        Class::Permissive => "permissive",
        Class::PublicDomain => "public-domain",
        Class::WeakCopyleft => "weak-copyleft",
        Class::Copyleft => "copyleft",
        Class::NonCommercial => "non-commercial",
        Class::NoDerivatives => "no-derivatives",
        Class::Forbidden => "forbidden",
    }
}

/// Manifest or SPDX headers name licences the licence files do not, and none in common.
fn declared_conflict(report: &LicenseReport) -> Option<String> {
    let declared: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.method == Method::Declared)
        .collect();
    let files: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.method == Method::Text && !matches!(f.scope, Scope::Folder(_)))
        .collect();
    if declared.is_empty() || files.is_empty() {
        return None;
    }
    let overlap = declared.iter().any(|d| {
        files
            .iter()
            .any(|f| family(&f.license) == family(&d.license))
    });
    if overlap {
        return None;
    }
    let d = &declared[0];
    let f = &files[0];
    Some(format!(
        "conflicting declarations: {} says {}, {} says {}",
        d.file, d.license, f.file, f.license
    ))
}

/// Conditions for the licences in effect; for a choice, those of the option with the fewest. Also returns
/// notes that need a person (e.g. an undecided GNU version is said, not blocked).
fn conditions_for(
    ids: &[String],
    report: &LicenseReport,
    policy: &Policy,
    choice: bool,
) -> (Vec<Condition>, Vec<String>) {
    let per_id: Vec<(String, Vec<Condition>)> = ids
        .iter()
        .filter(|id| {
            policy
                .class_of(id)
                .map(|c| policy.action_for(c) != Action::Forbid)
                .unwrap_or(true)
        })
        .map(|id| (id.clone(), license_conditions(id)))
        .collect();
    let mut conditions = vec![Condition::KeepNotices];
    if !report.holders.is_empty() {
        conditions.push(Condition::AttributeHolders(report.holders.clone()));
    }
    let chosen: Vec<&(String, Vec<Condition>)> = if choice {
        per_id
            .iter()
            .min_by_key(|(_, c)| c.len())
            .into_iter()
            .collect()
    } else {
        per_id.iter().collect()
    };
    let no_derivatives = chosen
        .iter()
        .any(|(_, c)| c.iter().any(|c| matches!(c, Condition::NoChangesToTree(_))));
    if !no_derivatives {
        conditions.push(Condition::StateChanges);
    }
    for (_, c) in chosen {
        conditions.extend(c.iter().cloned());
    }
    conditions.sort();
    conditions.dedup();
    (conditions, Vec::new())
}

/// What one licence asks of a republisher, from its id.
pub fn license_conditions(id: &str) -> Vec<Condition> {
    let mut out = Vec::new();
    if let Some(statement) = crate::policy::ogl_attribution(id) {
        out.push(Condition::AttributionStatement(statement.to_string()));
    }
    let flags = crate::policy::conditions_flags(id);
    if flags.non_commercial {
        out.push(Condition::NonCommercial(id.to_string()));
    }
    if flags.no_derivatives {
        out.push(Condition::NoChangesToTree(id.to_string()));
    }
    if flags.share_alike || flags.copyleft || flags.weak_copyleft {
        out.push(Condition::ShareAlike(id.to_string()));
    }
    out
}
