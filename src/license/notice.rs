//! Third-party notices: a NOTICE, NOTICES, COPYRIGHT, CREDITS or ATTRIBUTIONS file that attributes works the
//! repository bundles and names their licences ("This product includes Bootstrap, licensed under the MIT
//! License"; "the boundary data is available under the Open Government Licence v3.0").
//!
//! Such a file grants nothing for the repository; it is a set of claims, each scoped to the work it names.
//! The verdict weighs them against the policy ([`crate::verdict`]): beside the repository's own grant, a
//! notice whose every licence the policy allows asks only that the notices be kept (and each licence's own
//! conditions); a licence the policy does not allow, a sentence that withholds rights, or a claim about the
//! project itself that the licence files do not bear out, still needs a person. Pure over text.

use serde::{Deserialize, Serialize};

use super::detect::family;
use super::reference::Reference;
use super::{Candidate, LicenseReport, Observation, holders, statement};
use crate::policy::{Action, Policy};
use crate::verdict::{Effective, action_of};

/// One licence a notice names, where, and for what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeLicence {
    /// SPDX id (or `LicenseRef-…`).
    pub id: String,
    /// 1-based line in the notice file.
    pub line: usize,
    /// The sentence (line) that names it.
    pub text: String,
    /// The sentence speaks of the project itself ("this project is licensed under…", an Apache-style notice
    /// of its own holder), not of a bundled work: it must agree with the repository's licence.
    pub own: bool,
}

/// What a notice file that names licences (and matched no licence text) says: a [`Observation::ThirdPartyNotice`]
/// of every licence it names, and a [`Observation::CarveOut`] for each line that withholds rights.
/// `offset` is the candidate's first line less one; `references` the licences named in its text.
pub fn read(candidate: &Candidate, references: &[Reference], offset: usize) -> Vec<Observation> {
    let lines: Vec<&str> = candidate.text.lines().collect();
    let line_at = |n: usize| lines.get(n.saturating_sub(1)).copied().unwrap_or_default();
    let licences = references
        .iter()
        .map(|r| {
            let sentence = line_at(r.line).trim();
            let context: Vec<&str> = lines
                .iter()
                .skip(r.line.saturating_sub(4))
                .take(r.line.min(4))
                .copied()
                .collect();
            NoticeLicence {
                id: r.id.clone(),
                line: r.line + offset,
                text: sentence.to_string(),
                own: statement::speaks_of_project(sentence) || statement::is_own_notice(&context),
            }
        })
        .collect();
    let mut out = vec![Observation::ThirdPartyNotice {
        file: candidate.path.clone(),
        licences,
    }];
    for (i, line) in lines.iter().enumerate() {
        if withholds(&lines, i) {
            out.push(Observation::CarveOut {
                file: candidate.path.clone(),
                line: i + 1 + offset,
                text: line.trim().to_string(),
            });
        }
    }
    out
}

/// What a notice's claims ask of a person, if anything: none when the repository has its own grant, every
/// licence the notice names is one the policy allows, and what it says of the project itself agrees with the
/// licences in effect. `eff` is the licences in effect for the repository.
pub fn weigh(
    file: &str,
    licences: &[NoticeLicence],
    report: &LicenseReport,
    eff: &Effective,
    policy: &Policy,
) -> Vec<String> {
    let in_effect = |id: &str| eff.licenses.iter().any(|e| family(e) == family(id));
    let own_grant = report
        .findings
        .iter()
        .any(|f| !f.scope.is_partial() && in_effect(&f.license));
    if !own_grant {
        let ids: Vec<&str> = licences.iter().map(|l| l.id.as_str()).collect();
        return vec![format!(
            "{file}: a notice naming the licences of other works ({}), and no licence of the repository's own",
            ids.join(", ")
        )];
    }
    let mut out = Vec::new();
    for l in licences {
        let (file, line, id, text) = (file, l.line, &l.id, &l.text);
        if action_of(id, policy) != Action::Allow {
            out.push(format!(
                "{file}:{line}: the notice names {id} for a work it attributes, and the policy does not allow it: \"{text}\""
            ));
        } else if l.own && !in_effect(id) {
            out.push(format!(
                "{file}:{line}: the notice says the project is under {id}, which its licence files do not: \"{text}\""
            ));
        }
    }
    out
}

/// Whether line `i` of a notice withholds rights: a carve-out ("may not be redistributed") or a statement
/// that permission is withheld — except "All rights reserved" said of a holder, on a copyright line or on
/// the line just below one, which BSD-style notices carry beside their grant.
fn withholds(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    if statement::is_carve_out(line) {
        return true;
    }
    if !holders::withholds(line) {
        return false;
    }
    let only_reserved = line
        .trim()
        .trim_end_matches('.')
        .eq_ignore_ascii_case("all rights reserved");
    let of_holder = holders::is_copyright_line(line)
        || (only_reserved && i > 0 && holders::is_copyright_line(lines[i - 1]));
    !of_holder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_rights_reserved_of_a_holder_is_not_withholding_but_a_prohibition_is() {
        let lines = [
            "Copyright (c) 2005, Example Survey",
            "All rights reserved.",
            "Copyright 2011 Example Ltd. All rights reserved.",
            "The fonts may not be redistributed.",
            "All rights reserved.",
            "Use without prior written permission is not allowed.",
        ];
        let withheld: Vec<usize> = (0..lines.len()).filter(|&i| withholds(&lines, i)).collect();
        assert_eq!(withheld, [3, 4, 5]);
    }
}
