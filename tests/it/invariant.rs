//! The verdict's fail-closed invariant (see `src/verdict.rs`), checked over arbitrary licence reports: no report
//! without a repository-wide licence that the policy allows, evidenced at its confidence by strong evidence
//! (never a manifest field or a header alone), yields *allowed*; nor one with a withholding claim, a pushed
//! ref that is not allowed on its own, or a ref left unread; a licence-like file that cannot be recognised
//! never yields *forbidden* for want of a grant, and "no licence anywhere" is forbidden only on a complete
//! search that found no licence named.

use keepopen::license::claims::{Claim, Covers, MentionScope, Stance, Strength};
use keepopen::license::detect::family;
use keepopen::license::notice::NoticeLicence;
use keepopen::license::refs::{AbsenceSearch, Mention, RefEvidence, RefsJudged};
use keepopen::license::{
    Finding, FolderLayout, LicenseReport, Method, NotGrantKind, Observation, Relation, Scope,
};
use keepopen::policy::{Action, Class, Policy};
use keepopen::verdict::{Verdict, effective, judge, repository_grant};
use proptest::prelude::*;

const IDS: &[&str] = &[
    "MIT",
    "Apache-2.0",
    "OGL-UK-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "CC-BY-NC-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-4.0",
    "Unlicense",
    "LicenseRef-bespoke",
    "NotAnSpdxId-1.0",
    "JSON",
];

/// Folder names shared by folder scopes and layouts, so that the two meet often.
const FOLDERS: &[&str] = &["a", "b", "lib/c", "docs"];

fn layout() -> impl Strategy<Value = Option<FolderLayout>> {
    prop::option::of((
        prop::sample::subsequence(FOLDERS, 0..=FOLDERS.len()),
        prop::collection::vec(
            prop_oneof![Just("README.md"), Just("src/"), Just("x")],
            0..2,
        ),
    ))
    .prop_map(|layout| {
        layout.map(|(folders, outside)| FolderLayout {
            folders: folders.iter().map(|f| f.to_string()).collect(),
            outside: outside.iter().map(|o| o.to_string()).collect(),
        })
    })
}

fn scope() -> impl Strategy<Value = Scope> {
    prop_oneof![
        Just(Scope::Repository),
        Just(Scope::Code),
        Just(Scope::Documentation),
        prop::sample::select(FOLDERS).prop_map(|f| Scope::Folder(f.to_string())),
        "[A-Z][a-z]{1,6}".prop_map(Scope::Part),
    ]
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::Text),
        Just(Method::Header),
        Just(Method::Reference),
        Just(Method::Declared),
    ]
}

fn finding() -> impl Strategy<Value = Finding> {
    (
        prop::sample::select(IDS),
        scope(),
        method(),
        0.0f32..=1.0,
        prop_oneof![Just("LICENSE"), Just("README.md"), Just("docs/licence.md")],
    )
        .prop_map(|(id, scope, method, score, file)| Finding {
            license: id.to_string(),
            undecided_between: Vec::new(),
            file: file.to_string(),
            lines: (1, 2),
            score,
            method,
            scope,
            modified: false,
            operative_changes: Vec::new(),
            notes: Vec::new(),
        })
}

/// A finding that speaks for a part only: a folder, a named part, or one file's header.
fn partial_finding() -> impl Strategy<Value = Finding> {
    (
        finding(),
        prop_oneof![
            prop::sample::select(FOLDERS).prop_map(|f| Scope::Folder(f.to_string())),
            // A part named like the repository (`Repo` in `owner/repo`) is the repository itself
            // (`verdict::own_name`), so no part's name holds the repository's.
            "[A-Z][a-z]{1,6}"
                .prop_filter("a part named like the repository is the repository", |n| {
                    !n.to_ascii_lowercase().contains("repo")
                })
                .prop_map(Scope::Part),
            Just(Scope::Part("gradlew".into())),
        ],
    )
        .prop_map(|(mut f, scope)| {
            f.scope = scope;
            f
        })
}

fn observation() -> impl Strategy<Value = Observation> {
    let text = "[a-zA-Z ]{0,30}";
    prop_oneof![
        Just(Observation::NoLicense),
        text.prop_map(|t| Observation::AllRightsReserved {
            file: "LICENSE".into(),
            line: 1,
            text: t
        }),
        Just(Observation::AllRightsReserved {
            file: "LICENSE".into(),
            line: 1,
            text: "All rights reserved".into()
        }),
        (prop::option::of(text), 0.0f32..1.0).prop_map(|(best, score)| {
            Observation::Unrecognised {
                file: "LICENCE".into(),
                best,
                score,
            }
        }),
        text.prop_map(|t| Observation::CarveOut {
            file: "LICENSE".into(),
            line: 3,
            text: t
        }),
        text.prop_map(|t| Observation::NotAGrant {
            file: "LICENSE".into(),
            line: 1,
            reading: NotGrantKind::Advice,
            text: t
        }),
        text.prop_map(|t| Observation::Residue {
            file: "LICENSE".into(),
            line: 22,
            text: t
        }),
        text.prop_map(|t| Observation::Deceptive {
            file: "LICENSE".into(),
            line: 5,
            detail: t
        }),
        (1u64..2_000_000).prop_map(|bytes_read| Observation::Truncated {
            file: "LICENSE".into(),
            bytes_read
        }),
        prop::collection::vec((prop::sample::select(IDS), any::<bool>()), 1..3).prop_map(|named| {
            Observation::ThirdPartyNotice {
                file: "NOTICE".into(),
                licences: named
                    .into_iter()
                    .map(|(id, own)| NoticeLicence {
                        id: id.to_string(),
                        line: 2,
                        text: format!("includes a work licensed under {id}"),
                        own,
                    })
                    .collect(),
            }
        }),
        Just(Observation::LicenceInHistory {
            file: "LICENSE".into(),
            commit: "0123456789abcdef0123456789abcdef01234567".into()
        }),
        Just(Observation::Combination {
            relation: Relation::Or,
            expression: "MIT OR OGL-UK-3.0".into(),
            detail: "a choice".into()
        }),
        Just(Observation::Combination {
            relation: Relation::And,
            expression: "MIT AND OGL-UK-3.0".into(),
            detail: "all apply".into()
        }),
    ]
}

fn report() -> impl Strategy<Value = LicenseReport> {
    (
        prop::collection::vec(finding(), 0..5),
        prop::collection::vec(observation(), 0..4),
        layout(),
    )
        .prop_map(|(findings, observations, layout)| LicenseReport {
            observations,
            layout,
            ..bare_report(findings)
        })
}

fn covers() -> impl Strategy<Value = Covers> {
    prop_oneof![
        Just(Covers::Repository),
        Just(Covers::Unbounded("the code".into())),
        prop::sample::select(FOLDERS).prop_map(|f| Covers::Folder(f.to_string())),
        prop::sample::select(FOLDERS).prop_map(|f| Covers::File(format!("{f}/x.js"))),
    ]
}

/// A withholding claim somewhere in the tree.
fn withholding() -> impl Strategy<Value = Claim> {
    (covers(), "[a-zA-Z ]{0,30}").prop_map(|(covers, text)| Claim {
        file: "NOTICE".into(),
        line: 1,
        covers,
        strength: Strength::Strong,
        stance: Stance::Withholds { text },
    })
}

fn absence() -> impl Strategy<Value = Option<AbsenceSearch>> {
    let scope = prop::option::of(prop::sample::select(
        &[
            MentionScope::FileHeader,
            MentionScope::Dependency,
            MentionScope::Page,
            MentionScope::OwnFile,
            MentionScope::Unfilled,
        ][..],
    ));
    prop::option::of(
        (
            (any::<bool>(), any::<bool>()),
            prop::collection::vec(
                (
                    scope,
                    prop::sample::select(&["docs/legal.md", "gradlew", "src/geco.py"][..]),
                    any::<bool>(),
                ),
                0..3,
            ),
            (0usize..20, 0usize..20),
            (0usize..20, 0usize..20),
            (0usize..3, 0usize..3),
        )
            .prop_map(
                |(
                    (read_all, bound_reached),
                    scopes,
                    (code_files, headers),
                    (program_files, page_files),
                    (unread_count, cannot),
                )| AbsenceSearch {
                    blobs_read: 10,
                    complete: read_all && !bound_reached && unread_count == 0,
                    part_mentions: scopes.iter().filter(|(s, _, _)| s.is_some()).count(),
                    mentions: scopes
                        .into_iter()
                        .map(|(scope, file, named)| Mention {
                            reference: "refs/heads/main".into(),
                            file: file.into(),
                            line: 3,
                            license: named.then(|| "AGPL-3.0-only".into()),
                            text: "licensed under the AGPL".into(),
                            scope,
                        })
                        .collect(),
                    code_files,
                    header_files: headers.min(code_files),
                    unread: (0..unread_count).map(|i| format!("x{i}.ipynb")).collect(),
                    unread_count,
                    unread_cannot_speak: cannot.min(unread_count),
                    program_files,
                    page_files,
                    bound_reached,
                },
            ),
    )
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        0.5f32..1.0,
        prop::sample::select(&[Action::Allow, Action::Review, Action::Forbid][..]),
        prop::sample::select(&[Action::Allow, Action::Review, Action::Forbid][..]),
    )
        .prop_map(|(min, non_commercial, unknown)| {
            let mut p = Policy::default();
            p.licenses.min_confidence = min;
            p.licenses
                .actions
                .insert(Class::NonCommercial, non_commercial);
            p.licenses.unknown = unknown;
            p
        })
}

fn allows(policy: &Policy, id: &str) -> bool {
    match policy.class_of(id) {
        Some(class) => policy.action_for(class) == Action::Allow,
        None => policy.licenses.unknown == Action::Allow,
    }
}

fn unreadable(o: &Observation) -> bool {
    matches!(
        o,
        Observation::Unrecognised { .. }
            | Observation::CarveOut { .. }
            | Observation::NotAGrant { .. }
            | Observation::Placeholder { .. }
            | Observation::Residue { .. }
            | Observation::Deceptive { .. }
            | Observation::Truncated { .. }
            | Observation::LicenceInHistory { .. }
            | Observation::HistoryNotSearched { .. }
    )
}

/// A manifest field or SPDX line naming MIT, for any scope, at any confidence.
fn weak_mit() -> impl Strategy<Value = Finding> {
    (finding(), prop_oneof![Just("MIT"), Just("MIT-0")]).prop_map(|(mut f, id)| {
        f.license = id.to_string();
        f.method = Method::Declared;
        f
    })
}

/// Whatever on a ref asks a person: a line that withholds, a carve-out, an unrecognised, unread or truncated
/// licence-like file, words nothing accounts for.
fn restriction() -> impl Strategy<Value = Observation> {
    prop_oneof![
        observation().prop_filter("asks a person", unreadable),
        Just(Observation::AllRightsReserved {
            file: "NOTICE".into(),
            line: 1,
            text: "All rights reserved".into()
        }),
        Just(Observation::NotRead {
            file: "LICENCE.pdf".into(),
            reason: "binary file (20 bytes, NUL byte at offset 3): not read as text".into()
        }),
    ]
}

/// A full MIT text at the root: the repository's grant.
fn mit_text() -> Finding {
    Finding {
        license: "MIT".into(),
        undecided_between: Vec::new(),
        file: "LICENSE".into(),
        lines: (1, 21),
        score: 1.0,
        method: Method::Text,
        scope: Scope::Repository,
        modified: false,
        operative_changes: Vec::new(),
        notes: Vec::new(),
    }
}

/// A report of `findings` alone: no observations, holders, layout, claims, other refs or absence search.
fn bare_report(findings: Vec<Finding>) -> LicenseReport {
    LicenseReport {
        commit: None,
        branch: None,
        findings,
        observations: Vec::new(),
        holders: Vec::new(),
        files: Vec::new(),
        license_list_version: "3.29.0".into(),
        layout: None,
        claims: Vec::new(),
        refs: None,
        absence: None,
    }
}

/// Two pushed refs: the default branch, and `other` differing from it (or none), with a third left unread.
fn refs_with(other: Option<LicenseReport>, unread: bool) -> RefsJudged {
    RefsJudged {
        pushed: 2,
        trees_read: 1,
        by_difference: 0,
        differing: other
            .into_iter()
            .map(|report| RefEvidence {
                reference: "refs/heads/old".into(),
                also: 0,
                commit: "0".repeat(40),
                report: Box::new(report),
            })
            .collect(),
        silent: Vec::new(),
        not_read: if unread {
            vec!["refs/heads/x: bound".into()]
        } else {
            Vec::new()
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Allowed ⇒ a finding for the repository (or its code) of a licence the policy allows, at its confidence,
    /// or a tree made only of folders each licensed so by its own file; every licence of an AND allowed; and
    /// nothing unrecognised, carved out or not a grant.
    #[test]
    fn no_report_without_a_repository_wide_allowed_licence_is_allowed(r in report(), p in policy()) {
        let verdict = judge("owner/repo", &r, &p);
        if verdict.is_allowed() {
            let eff = effective(&r);
            let confident_allowed = |f: &Finding| {
                allows(&p, &f.license) && f.score >= p.licenses.min_confidence
            };
            // Strong evidence only: a declared expression (manifest field, header) never stands alone.
            let whole = r.findings.iter().any(|f| {
                matches!(f.scope, Scope::Repository | Scope::Code)
                    && confident_allowed(f)
                    && f.method != Method::Declared
            });
            let folders = r.layout.as_ref().is_some_and(|l| {
                !l.folders.is_empty()
                    && l.outside.is_empty()
                    && l.folders.iter().all(|d| {
                        r.findings
                            .iter()
                            .any(|f| {
                                f.scope == Scope::Folder(d.clone())
                                    && confident_allowed(f)
                                    && f.method != Method::Declared
                            })
                    })
            });
            let grounded = whole || folders;
            prop_assert!(grounded, "allowed without a repository-wide allowed licence: {r:#?}");
            if eff.relation != Some(Relation::Or) {
                for id in &eff.licenses {
                    prop_assert!(allows(&p, id), "allowed although {id} is not: {r:#?}");
                }
            }
            prop_assert!(!r.observations.iter().any(unreadable), "allowed over an unreadable file: {r:#?}");
            // A claim scoped to a part (a header, a folder's licence, a notice's bundled work) is never
            // weighed less than the repository's own: its licence too is one the policy allows.
            for f in r.findings.iter().filter(|f| f.scope.is_partial()) {
                prop_assert!(allows(&p, &f.license) || eff.licenses.iter().any(|id| keepopen::license::detect::family(id) == keepopen::license::detect::family(&f.license)),
                    "allowed although {} claimed for a part is not: {r:#?}", f.license);
            }
            for o in &r.observations {
                if let Observation::ThirdPartyNotice { licences, .. } = o {
                    for l in licences {
                        prop_assert!(allows(&p, &l.id), "allowed although the notice names {}: {r:#?}", l.id);
                    }
                }
            }
        }
    }

    /// An unrecognised licence-like file never makes a repository forbidden for want of a grant: only a
    /// licence the policy forbids can.
    #[test]
    fn an_unrecognised_licence_file_is_never_forbidden_for_want_of_a_grant(r in report(), p in policy()) {
        let verdict = judge("owner/repo", &r, &p);
        if let Verdict::Forbidden { reasons } = &verdict
            && r.observations.iter().any(unreadable)
        {
            prop_assert!(
                reasons.iter().any(|reason| reason.contains("forbid")),
                "forbidden over an unreadable file without a forbidden licence: {reasons:?}"
            );
        }
    }

    /// Weak evidence never stands alone: a report whose every finding is a declared expression (a manifest
    /// field, an SPDX header) is never *allowed*, whatever else it holds.
    #[test]
    fn declared_expressions_alone_are_never_allowed(mut r in report(), p in policy()) {
        for f in &mut r.findings {
            f.method = Method::Declared;
        }
        prop_assert!(!judge("owner/repo", &r, &p).is_allowed(), "{r:#?}");
    }

    /// A claim that withholds rights anywhere in the tree never leaves a report *allowed*.
    #[test]
    fn a_withholding_claim_anywhere_is_never_allowed(mut r in report(), p in policy(), w in withholding()) {
        r.claims.push(w);
        prop_assert!(!judge("owner/repo", &r, &p).is_allowed(), "{r:#?}");
    }

    /// Another pushed ref whose report is not *allowed* — neither on its own nor beside the repository's grant
    /// (`verdict::refs`) — or a ref left unread, never leaves a report *allowed*.
    #[test]
    fn a_pushed_ref_not_allowed_on_its_own_nor_beside_the_grant_is_never_allowed(
        mut r in report(),
        other in report(),
        p in policy(),
        unread in any::<bool>(),
    ) {
        let grant: Vec<Finding> = repository_grant(&r, &effective(&r).licenses).into_iter().cloned().collect();
        let mut beside = other.clone();
        beside.findings.extend(grant);
        let other_allowed = judge("owner/repo", &other, &p).is_allowed()
            || judge("owner/repo", &beside, &p).is_allowed();
        prop_assume!(!other_allowed || unread);
        r.refs = Some(refs_with(if other_allowed { None } else { Some(other) }, unread));
        prop_assert!(!judge("owner/repo", &r, &p).is_allowed(), "{r:#?}");
    }

    /// A ref under the repository's grant (no licence text of its own, every licence it names the grant's) is
    /// still judged in full: a restriction on it — a withholding line or claim, a carve-out, an unrecognised,
    /// unread or truncated licence-like file, words nothing accounts for — never leaves the repository
    /// *allowed*, whatever else the ref declares.
    #[test]
    fn a_restriction_on_a_ref_under_the_repositorys_grant_is_never_allowed(
        p in policy(),
        weak in prop::collection::vec(weak_mit(), 1..4),
        restriction in restriction(),
        claim in prop::option::of(withholding()),
    ) {
        let mut other = bare_report(weak);
        match claim {
            Some(w) => other.claims.push(w),
            None => other.observations.push(restriction),
        }
        let mut r = bare_report(vec![mit_text()]);
        r.refs = Some(refs_with(Some(other), false));
        prop_assert!(!judge("owner/fixture-repository", &r, &p).is_allowed(), "{r:#?}");
    }

    /// A ref whose licence words name the grant's licence and also another — a folder's or a named part's
    /// licence, a file's header, whatever its evidence — is judged on its own evidence alone: with no licence
    /// for the whole of its own, never *allowed*.
    #[test]
    fn a_partial_claim_for_another_licence_on_a_ref_is_never_allowed(
        p in policy(),
        weak in prop::collection::vec(weak_mit(), 0..3),
        part in partial_finding().prop_filter("another licence", |f| family(&f.license) != "MIT"),
    ) {
        let mut findings = weak;
        findings.push(part);
        let mut r = bare_report(vec![mit_text()]);
        r.refs = Some(refs_with(Some(bare_report(findings)), false));
        prop_assert!(!judge("owner/fixture-repository", &r, &p).is_allowed(), "{r:#?}");
    }

    /// "No licence anywhere" is *forbidden* only on evidence of absence: a search of every file that found no
    /// line that may speak for the repository as a whole, where every file it could not read could not, by its
    /// path, hold such a line; and the parts the lines speak for (a file's licence comment, a dependency's
    /// lockfile entry, a page's content, a file's own statement) do not add up to the repository's own work:
    /// licence comments in fewer than half of the source files, and a page footer only where the program
    /// outweighs the pages. Never *allowed*.
    #[test]
    fn no_licence_is_forbidden_only_on_evidence_of_absence(mut r in report(), p in policy(), a in absence()) {
        r.findings.clear();
        r.observations = vec![Observation::NoLicense];
        r.absence = a.clone();
        let verdict = judge("owner/repo", &r, &p);
        let shown = a.as_ref().is_some_and(|s| {
            let read_what_could_speak = s.complete
                || (!s.bound_reached && s.unread_count > 0 && s.unread_cannot_speak == s.unread_count);
            let has = |scope| s.mentions.iter().any(|m| m.scope == Some(scope));
            read_what_could_speak
                && s.mentions.iter().all(|m| m.scope.is_some())
                && !(has(MentionScope::FileHeader) && s.header_files * 2 >= s.code_files)
                // A source file's own header naming a licence is weak evidence, unless a build tool wrote it.
                && !s.mentions.iter().any(|m| m.scope == Some(MentionScope::FileHeader)
                    && m.license.is_some()
                    && m.file != "gradlew")
                && !(has(MentionScope::Page) && s.page_files >= s.program_files)
        });
        prop_assert_eq!(matches!(verdict, Verdict::Forbidden { .. }), shown, "{:?}", verdict);
        prop_assert!(!verdict.is_allowed());
    }

    /// No claim set without a claim for the repository as a whole is ever *allowed*: findings for a folder, a
    /// named part or one file (whatever their licence, method and confidence), with any absence search and any
    /// observations. (Folders whose licences together cover every file of the tree are a claim for the whole,
    /// `verdict::folders_cover`: the tree's layout is left unknown here.)
    #[test]
    fn no_claim_set_without_a_root_scope_claim_is_allowed(
        mut r in report(),
        p in policy(),
        a in absence(),
        parts in prop::collection::vec(partial_finding(), 0..5),
    ) {
        r.findings = parts;
        r.absence = a;
        r.layout = None;
        let verdict = judge("owner/repo", &r, &p);
        prop_assert!(!verdict.is_allowed(), "{:?}", verdict);
    }

    /// No claim set that holds a clean grant for the repository as a whole (a full MIT text at the root) is
    /// made *forbidden* by partial claims alone: findings for folders, named parts or one file, of any licence
    /// (the policy may forbid it), and any lines the absence search found.
    #[test]
    fn partial_claims_alone_never_make_a_clean_root_grant_forbidden(
        p in policy(),
        a in absence(),
        parts in prop::collection::vec(partial_finding(), 0..5),
    ) {
        let mut findings = vec![mit_text()];
        findings.extend(parts);
        let r = LicenseReport { absence: a, ..bare_report(findings) };
        let verdict = judge("owner/repo", &r, &p);
        prop_assert!(!matches!(verdict, Verdict::Forbidden { .. }), "{:?}", verdict);
    }

    /// Adding an unrecognised licence file to any report never yields *allowed*.
    #[test]
    fn an_unrecognised_licence_file_always_stops_an_allow(mut r in report(), p in policy()) {
        r.observations.push(Observation::Unrecognised { file: "COPYING".into(), best: None, score: 0.0 });
        prop_assert!(!judge("owner/repo", &r, &p).is_allowed());
    }
}
