//! What republication must do for the licences in effect: the conditions each licence and its class ask.

use super::Condition;
use crate::license::{LicenseReport, Method};
use crate::policy::{Action, Class, Policy};

pub(super) fn describe_method(m: Method) -> &'static str {
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

/// Conditions for the licences in effect; for a choice, those of the option with the fewest. Also returns
/// notes that need a person (e.g. an undecided GNU version is said, not blocked).
pub(super) fn conditions_for(
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
        .map(|id| (id.clone(), license_conditions_under(id, policy)))
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

/// What one licence asks of a republisher under `policy`: the conditions its id carries
/// ([`license_conditions`]) and those of the class the policy gives it. A class can only add: a licence the
/// policy's `overrides` class `non-commercial` is republished non-commercially (with the condition said), one
/// classed `no-derivatives` leaves the tree unchanged, one classed copyleft or weak-copyleft stays under its
/// licence; overriding a non-commercial licence to `permissive` does not drop the licence's own condition.
pub fn license_conditions_under(id: &str, policy: &Policy) -> Vec<Condition> {
    let mut out = license_conditions(id);
    let from_class = match policy.class_of(id) {
        Some(Class::NonCommercial) => Some(Condition::NonCommercial(id.to_string())),
        Some(Class::NoDerivatives) => Some(Condition::NoChangesToTree(id.to_string())),
        Some(Class::Copyleft | Class::WeakCopyleft) => Some(Condition::ShareAlike(id.to_string())),
        _ => None,
    };
    if let Some(condition) = from_class
        && !out.contains(&condition)
    {
        out.push(condition);
    }
    out
}

/// What one licence asks of a republisher, from its id alone (the built-in classification).
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
