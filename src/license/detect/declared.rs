//! Declared expressions (manifest fields, `SPDX-License-Identifier:` lines, REUSE names), GNU versions,
//! and how several findings relate (a choice or a split by scope).

use super::*;

/// GNU references name a version but say "-only" or "-or-later" in words, or not at all.
pub(super) fn gnu_reference_id(id: &str, or_later: Option<bool>) -> (String, Vec<String>) {
    if !id.contains("GPL") || id.ends_with("-only") || id.ends_with("-or-later") {
        return (id.to_string(), Vec::new());
    }
    match or_later {
        Some(true) => (format!("{id}-or-later"), Vec::new()),
        Some(false) => (format!("{id}-only"), Vec::new()),
        None => (
            format!("{id}-only"),
            vec![format!("{id}-only"), format!("{id}-or-later")],
        ),
    }
}

/// `GPL-3.0-only` and `GPL-3.0` and `GPL-3.0-or-later` are one family; `MIT` is its own.
pub fn family(id: &str) -> &str {
    id.strip_suffix("-or-later")
        .or_else(|| id.strip_suffix("-only"))
        .or_else(|| id.strip_suffix('+'))
        .unwrap_or(id)
}

pub(super) fn same_family(a: &str, b: &str) -> bool {
    family(a) == family(b)
}

/// Declared expressions: manifest fields, `SPDX-License-Identifier:` lines, REUSE names. Returns whether
/// the expression offers a choice (OR).
pub(super) fn declared(
    candidate: &Candidate,
    findings: &mut Vec<Finding>,
    observations: &mut Vec<Observation>,
) -> bool {
    let raw = candidate.text.trim();
    // A header speaks for its own file (often a vendored one: `gradlew` carries Gradle's Apache-2.0), not
    // for the repository: a claim scoped to that file, never a grant or a contradiction for the whole.
    let scope = if candidate.kind == SourceKind::SpdxHeader {
        Scope::Part(candidate.path.clone())
    } else if let Some((folder, _)) = candidate.path.rsplit_once('/') {
        // A sub-package's manifest speaks for its package.
        Scope::Folder(folder.to_string())
    } else {
        Scope::Repository
    };
    let upper = raw.to_ascii_uppercase();
    if upper == "UNLICENSED"
        || upper == "PROPRIETARY"
        || upper.starts_with("SEE LICENSE IN")
        || upper.starts_with("FILE LICENSE")
    {
        if upper == "UNLICENSED" || upper == "PROPRIETARY" {
            observations.push(Observation::AllRightsReserved {
                file: candidate.path.clone(),
                line: candidate.first_line,
                text: format!("declares \"{raw}\""),
            });
        }
        return false;
    }
    match spdx::Expression::parse_mode(raw, spdx::ParseMode::LAX) {
        Ok(expression) => {
            let declared = Declared {
                candidate,
                raw,
                scope,
            };
            declared.spdx_findings(&expression, findings)
        }
        Err(_) => {
            // Not SPDX: "Open Government Licence", "GPL (>= 2)", "MIT + file LICENSE".
            let refs = reference::references(raw);
            if refs.is_empty() {
                observations.push(Observation::Unrecognised {
                    file: candidate.path.clone(),
                    best: Some(raw.to_string()),
                    score: 0.0,
                });
            }
            let declared = Declared {
                candidate,
                raw,
                scope,
            };
            for r in refs {
                findings.push(declared.named_finding(r));
            }
            reference::offers_choice(raw)
        }
    }
}

/// One declared expression, where it was declared and for what.
struct Declared<'a> {
    candidate: &'a Candidate,
    raw: &'a str,
    scope: Scope,
}

impl Declared<'_> {
    /// A finding for each licence of a valid SPDX expression. Returns whether it offers a choice (OR).
    fn spdx_findings(&self, expression: &spdx::Expression, findings: &mut Vec<Finding>) -> bool {
        use spdx::expression::{ExprNode, Operator};
        let mut choice = false;
        for node in expression.iter() {
            match node {
                ExprNode::Op(Operator::Or) => choice = true,
                ExprNode::Op(_) => {}
                ExprNode::Req(req) => {
                    let id = match &req.req.license {
                        spdx::LicenseItem::Spdx { id, or_later } => {
                            normalise_id(id.name, *or_later)
                        }
                        spdx::LicenseItem::Other(r) => r.to_string(),
                    };
                    let notes = if self.raw != expression.as_ref() {
                        vec![format!("declared as \"{}\"", self.raw)]
                    } else {
                        Vec::new()
                    };
                    findings.push(self.finding(id, Vec::new(), DECLARED_SCORE, notes));
                }
            }
        }
        choice
    }

    /// A finding for a licence named (not in SPDX) in a declared field.
    fn named_finding(&self, r: Reference) -> Finding {
        let (license, undecided) = gnu_reference_id(&r.id, r.or_later);
        let score = if r.versioned {
            DECLARED_SCORE
        } else {
            UNVERSIONED_REFERENCE_SCORE
        };
        let notes = vec![format!("declared as \"{}\"", self.raw)];
        self.finding(license, undecided, score, notes)
    }

    fn finding(
        &self,
        license: String,
        undecided_between: Vec<String>,
        score: f32,
        notes: Vec<String>,
    ) -> Finding {
        let line = self.candidate.first_line;
        Finding {
            license,
            undecided_between,
            file: self.candidate.path.clone(),
            lines: (line, line),
            score,
            method: Method::Declared,
            scope: self.scope.clone(),
            modified: false,
            operative_changes: Vec::new(),
            notes,
        }
    }
}

/// SPDX's deprecated GNU ids ("GPL-3.0", "GPL-3.0+") as their current names.
pub(super) fn normalise_id(name: &str, or_later: bool) -> String {
    let gnu = ["GPL-", "LGPL-", "AGPL-", "GFDL-"]
        .iter()
        .any(|p| name.starts_with(p));
    if gnu {
        let base = family(name);
        if or_later || name.ends_with('+') || name.ends_with("-or-later") {
            return format!("{base}-or-later");
        }
        return format!("{base}-only");
    }
    if or_later {
        format!("{name}+")
    } else {
        name.to_string()
    }
}

/// A GNU licence text says nothing of "-only" or "-or-later"; a header, manifest or README may.
pub(super) fn resolve_gnu_versions(findings: &mut [Finding]) {
    let decided: Vec<String> = findings
        .iter()
        .filter(|f| {
            f.undecided_between.is_empty()
                && (f.license.ends_with("-only") || f.license.ends_with("-or-later"))
        })
        .map(|f| f.license.clone())
        .collect();
    for f in findings
        .iter_mut()
        .filter(|f| !f.undecided_between.is_empty())
    {
        let fam = family(&f.license).to_string();
        let answers: BTreeSet<&String> = decided.iter().filter(|d| family(d) == fam).collect();
        if answers.len() == 1 {
            let answer = (*answers.iter().next().expect("one answer")).clone();
            f.notes.push(format!("{answer}, as the repository's own declaration says (the licence text alone cannot tell)"));
            f.license = answer;
            f.undecided_between.clear();
        } else {
            f.notes.push(format!(
                "{} -only or -or-later: not decidable from the licence text, and no header, manifest or README says",
                fam
            ));
        }
    }
}

/// Several licences: a choice (OR) or a split by scope (AND).
pub(super) fn relate(findings: &[Finding], choice: bool, observations: &mut Vec<Observation>) {
    let mut ids: Vec<&str> = Vec::new();
    let mut scopes: Vec<String> = Vec::new();
    let repo_wide: Vec<&Finding> = findings.iter().filter(|f| !f.scope.is_partial()).collect();
    for f in &repo_wide {
        if !ids.iter().any(|i| same_family(i, &f.license)) {
            ids.push(&f.license);
            // The narrowest scope any evidence gives this licence ("the codebase is released under MIT").
            let scope = repo_wide
                .iter()
                .filter(|g| same_family(&g.license, &f.license))
                .map(|g| &g.scope)
                .find(|s| **s != Scope::Repository)
                .unwrap_or(&f.scope);
            scopes.push(match scope {
                Scope::Code => format!("{} for code", f.license),
                Scope::Documentation => format!("{} for documentation", f.license),
                _ => format!("{} for the repository", f.license),
            });
        }
    }
    if ids.len() < 2 {
        return;
    }
    let relation = if choice { Relation::Or } else { Relation::And };
    let op = if choice { " OR " } else { " AND " };
    let detail = if choice {
        "the texts offer a choice between these licences".to_string()
    } else {
        format!("all apply: {}", scopes.join("; "))
    };
    observations.push(Observation::Combination {
        relation,
        expression: ids.join(op),
        detail,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deprecated_gnu_ids_get_current_names() {
        assert_eq!(normalise_id("GPL-3.0", false), "GPL-3.0-only");
        assert_eq!(normalise_id("GPL-3.0", true), "GPL-3.0-or-later");
        assert_eq!(normalise_id("GPL-2.0-or-later", false), "GPL-2.0-or-later");
        assert_eq!(normalise_id("MIT", false), "MIT");
    }

    #[test]
    fn gnu_references_without_a_word_on_versions_stay_undecided() {
        assert_eq!(
            gnu_reference_id("GPL-3.0", Some(true)).0,
            "GPL-3.0-or-later"
        );
        let (id, undecided) = gnu_reference_id("GPL-3.0", None);
        assert_eq!(id, "GPL-3.0-only");
        assert_eq!(undecided, ["GPL-3.0-only", "GPL-3.0-or-later"]);
        assert_eq!(gnu_reference_id("MIT", None).0, "MIT");
    }
}
