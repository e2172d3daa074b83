//! The other pushed refs: each one whose licence evidence differs from the default branch's must be *allowed*
//! on its own, or the repository is *needs review*.
//!
//! # The invariant: a ref leans on the repository's grant only when it says nothing else
//!
//! A ref is judged by [`super::judge`] like a repository. One thing it may lean on is the default branch's
//! grant — its licences in effect, shown by a licence text or statement for the repository as a whole
//! ([`repository_grant`]) — and only when the ref adds no licence of its own to it: it holds no strong evidence
//! (no licence text, header of a licence file or statement: nothing that could grant other terms), and every
//! licence it names (a manifest field, an `SPDX-License-Identifier:` line, for the repository or for a part) is
//! of a family that grant names. Such a ref is what a ref with no licence words at all already is — under the
//! repository's licence (`RefsJudged::silent`) — with its own words agreeing; it is judged with the grant
//! beside its evidence ([`under_repository_grant`]), so that every other rule still applies to it in full: a
//! withholding notice, a carve-out, an unrecognised or unread licence-like file, words nothing accounts for,
//! a claim that disagrees, a missing licence file a manifest points to. A ref that names any other licence, or
//! carries a licence text of its own, is judged on its own evidence alone, as before.
//!
//! So a restriction, or a partial claim for another licence, on a ref never becomes *allowed* by this: the
//! property tests in `tests/it/invariant.rs` check that over generated reports, and that a ref not allowed
//! either way never leaves the repository *allowed*; `tests/it/ref_grant.rs` checks real repositories.

use std::borrow::Cow;

use super::Verdict;
use super::coverage::is_strong;
use crate::license::detect::family;
use crate::license::refs::RefsJudged;
use crate::license::{Finding, LicenseReport, Scope};

/// The default branch's grant: its findings for the repository as a whole (or its code) by strong evidence,
/// of the licences in effect (`effective`), whose text still grants. Empty when there is none.
pub fn repository_grant<'a>(default: &'a LicenseReport, effective: &[String]) -> Vec<&'a Finding> {
    default
        .findings
        .iter()
        .filter(|f| is_strong(f) && matches!(f.scope, Scope::Repository | Scope::Code))
        .filter(|f| effective.iter().any(|id| family(id) == family(&f.license)))
        .filter(|f| {
            !f.operative_changes
                .iter()
                .any(|c| c.kind == "dropped-grant" || c.kind == "negated-grant")
        })
        .collect()
}

/// The evidence a ref is judged on: its own, with the repository's `grant` beside it when the ref adds no
/// licence of its own to that grant (the module's invariant), else its own alone.
pub fn under_repository_grant<'a>(
    other: &'a LicenseReport,
    grant: &[&Finding],
) -> Cow<'a, LicenseReport> {
    let adds_nothing = !grant.is_empty()
        && !other.findings.is_empty()
        && other.findings.iter().all(|f| {
            !is_strong(f)
                && grant
                    .iter()
                    .any(|g| family(&g.license) == family(&f.license))
        });
    if !adds_nothing {
        return Cow::Borrowed(other);
    }
    let mut with_grant = other.clone();
    with_grant.findings.extend(grant.iter().copied().cloned());
    Cow::Owned(with_grant)
}

/// Every pushed ref whose licence evidence differs and whose verdict (`judge`, on the evidence
/// [`under_repository_grant`] gives) is not *allowed*, and every ref left unjudged. Refs that fail for the
/// same reasons are one line naming the first and how many more, so a maintainer reads each reason once
/// however many release tags carry it.
pub(super) fn refs_not_allowed(
    refs: &RefsJudged,
    grant: &[&Finding],
    judge: impl Fn(&LicenseReport) -> Verdict,
) -> Vec<String> {
    // (first ref, how many more, verdict, its first reasons)
    let mut groups: Vec<(String, usize, &'static str, String)> = Vec::new();
    for other in &refs.differing {
        let verdict = judge(&under_repository_grant(&other.report, grant));
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
    let mut reasons: Vec<String> = groups
        .into_iter()
        .map(|(first, more, name, why)| {
            let also = match more {
                0 => String::new(),
                n => format!(" (and {n} more refs with the same reasons)"),
            };
            format!(
                "{first}{also}: its licence evidence differs from the default branch's and is {name} there: {why}"
            )
        })
        .collect();
    reasons.extend(
        refs.not_read
            .iter()
            .map(|not_read| format!("a ref that would be pushed was not judged: {not_read}")),
    );
    reasons
}
