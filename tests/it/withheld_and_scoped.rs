//! Two readings of the licence gate (issue #21), each through real git repositories and the library's check:
//!
//! - **A notice that only withholds** (corpus 014, the Met Office `COPYRIGHT` box): every sentence reserves
//!   rights, prohibits, asks for written permission, or makes use subject to a licence it does not name. It is
//!   a statement of rights reserved, not an unrecognised licence: alone it is *forbidden* (no grant anywhere,
//!   rights withheld), beside a licence file it withholds what that licence grants (*needs review*).
//! - **A grant with a stated scope** (corpus 029): "The minimal code content in this repository that is
//!   specific to this site (and is not part of the underlying documentation framework or its dependencies) is
//!   licensed under the MIT License" grants the repository's own code; the exclusion names only what is not
//!   the licensor's (a framework and its dependencies). A subject that describes or excludes anything else is
//!   a part, and the rest of the repository is then uncovered.
//!
//! The properties: a restriction written into either never makes a repository *allowed*.

use keepopen::check::{RepoCheck, check_repo};
use keepopen::license::detect::Detector;
use keepopen::policy::Policy;
use proptest::prelude::*;

use crate::fixture::{RepoFixture, TreeSpec};
use crate::mutation::{Rng, restriction};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");

fn corpus_file(prefix: &str) -> String {
    let dir = std::fs::read_dir(CORPUS).expect("corpus folder");
    for entry in dir {
        let path = entry.expect("entry").path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix))
        {
            return std::fs::read_to_string(&path).expect("corpus file");
        }
    }
    panic!("no corpus file {prefix}");
}

fn check(files: &[(&str, &str)]) -> RepoCheck {
    let fx = RepoFixture::bare();
    let mut spec = TreeSpec::new();
    for (path, text) in files {
        spec = spec.file(path, text.as_bytes());
    }
    fx.commit("main", &spec);
    fx.set_head("main");
    check_repo(fx.path(), &Detector::embedded(), &Policy::default())
}

fn shown(r: &RepoCheck) -> String {
    format!(
        "{}: {:?}; observations {:#?}",
        r.verdict.name(),
        r.verdict.reasons(),
        r.observations
    )
}

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn mit() -> String {
    MIT.replace("<year>", "2021")
        .replace("<copyright holders>", "Example Body")
}

// 1. A notice that only withholds ----------------------------------------------------------------------------

#[test]
fn a_notice_that_only_withholds_is_forbidden_alone_and_needs_review_beside_a_licence() {
    let notice = corpus_file("014");
    let alone = check(&[("COPYRIGHT", &notice)]);
    assert_eq!(alone.verdict.name(), "forbidden", "{}", shown(&alone));
    assert!(
        alone
            .verdict
            .reasons()
            .iter()
            .any(|r| r.contains("strictly") && r.contains("prohibited")),
        "the withholding sentence is quoted: {}",
        shown(&alone)
    );
    assert!(
        !alone
            .verdict
            .reasons()
            .iter()
            .any(|r| r.contains("does not recognise")),
        "no line of it is an unrecognised licence: {}",
        shown(&alone)
    );
    let bsd = corpus_file("013");
    for (name, licence) in [("BSD-3-Clause", bsd), ("MIT", mit())] {
        let beside = check(&[("COPYRIGHT", &notice), ("LICENSE", &licence)]);
        assert_eq!(
            beside.verdict.name(),
            "needs-review",
            "{name}: {}",
            shown(&beside)
        );
        assert!(
            beside
                .verdict
                .reasons()
                .iter()
                .any(|r| r.contains("withholds rights beside the licence")
                    && r.contains("prohibited")),
            "{name}: the contradiction is said: {}",
            shown(&beside)
        );
    }
}

#[test]
fn a_notice_that_grants_as_well_as_withholding_is_not_forbidden_alone() {
    let notice = corpus_file("014");
    for grant in [
        "Permission is hereby granted to copy and redistribute this code.",
        "You may use this code freely for any purpose.",
        "This code is licensed under the Acme Public Licence.",
    ] {
        let text = notice.replace(
            "| Met Office, FitzRoy",
            &format!("| {grant}\n| Met Office, FitzRoy"),
        );
        let r = check(&[("COPYRIGHT", &text)]);
        assert_eq!(r.verdict.name(), "needs-review", "{grant}: {}", shown(&r));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// A restriction sentence (the mutation harness's grammar) written anywhere into the withholding notice,
    /// alone or beside an MIT licence, never makes the repository *allowed*.
    #[test]
    fn a_restriction_in_a_withholding_notice_is_never_allowed(
        seed in any::<u64>(),
        at in 0usize..12,
        beside in any::<bool>(),
    ) {
        let sentence = restriction(&mut Rng(seed));
        let notice = corpus_file("014");
        let mut lines: Vec<String> = notice.lines().map(str::to_string).collect();
        let at = at.min(lines.len());
        lines.insert(at, format!("| {sentence} |"));
        let text = lines.join("\n");
        let licence = mit();
        let mut files = vec![("COPYRIGHT", text.as_str())];
        if beside {
            files.push(("LICENSE", licence.as_str()));
        }
        let r = check(&files);
        prop_assert_ne!(r.verdict.name(), "allowed", "{}", shown(&r));
    }
}

// 2. A grant with a stated scope -----------------------------------------------------------------------------

/// The scope of each finding of the check, by licence.
fn scopes(r: &RepoCheck) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = r
        .findings
        .iter()
        .map(|f| (f.license.clone(), format!("{:?}", f.scope)))
        .collect();
    out.sort();
    out
}

#[test]
fn a_grant_of_a_stated_scope_is_a_grant_of_that_scope() {
    let licence = corpus_file("029");
    let alone = check(&[("LICENSE", &licence)]);
    assert_eq!(alone.verdict.name(), "allowed", "{}", shown(&alone));
    assert_eq!(
        scopes(&alone),
        [
            ("CC-BY-SA-4.0".to_string(), "Documentation".to_string()),
            ("MIT".to_string(), "Code".to_string())
        ],
        "the documentation grant covers the documentation, the MIT grant the site's own code"
    );
    let site = check(&[
        ("LICENSE", &licence),
        ("docs/index.md", "# Growth charts\n\nHow to use the API.\n"),
        ("overrides/main.html", "<div>{{ super() }}</div>\n"),
        ("mkdocs.yml", "site_name: Growth charts\n"),
    ]);
    assert_eq!(site.verdict.name(), "allowed", "{}", shown(&site));
}

#[test]
fn a_subject_that_leaves_out_or_narrows_own_material_needs_review() {
    let licence = corpus_file("029");
    let exclusion =
        "(and is not part of the underlying documentation framework or its dependencies)";
    assert!(licence.contains(exclusion));
    for other in [
        "(and is not part of the data folder or the images)",
        "(and is not for commercial use)",
        "(except the logos, which are Crown copyright)",
        "(and is used internally only)",
    ] {
        let r = check(&[("LICENSE", &licence.replace(exclusion, other))]);
        assert_eq!(r.verdict.name(), "needs-review", "{other}: {}", shown(&r));
    }
    let written = "All written documentation content";
    assert!(licence.contains(written));
    for other in [
        "All written permission content",
        "All internal documentation content",
    ] {
        let r = check(&[("LICENSE", &licence.replace(written, other))]);
        assert_eq!(r.verdict.name(), "needs-review", "{other}: {}", shown(&r));
    }
}

/// Clauses a subject could be narrowed with, none of them a kind of the repository's own material or work
/// that is not the licensor's.
const SUBJECT_CLAUSES: &[&str] = &[
    "for non-commercial use",
    "used internally only",
    "not for redistribution",
    "owned by the Department",
    "except the images",
    "excluding the data folder",
    "for NHS staff alone",
    "on loan to the project",
    "subject to written approval",
    "with the permission of the editor",
    "but not the tests",
    "in the src folder",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A restriction written into a grant of a stated scope, as a sentence of its own on any line or as a
    /// clause of either grant's subject, never makes the repository *allowed*.
    #[test]
    fn a_restriction_in_a_grant_of_a_stated_scope_is_never_allowed(
        seed in any::<u64>(),
        at in 0usize..48,
        clause in 0usize..SUBJECT_CLAUSES.len(),
        into_subject in any::<bool>(),
        which in any::<bool>(),
    ) {
        let licence = corpus_file("029");
        let text = if into_subject {
            let (anchor, clause) = (
                if which { "in this repository that is specific to this site" } else { "All written documentation content in this repository" },
                SUBJECT_CLAUSES[clause],
            );
            prop_assert!(licence.contains(anchor));
            licence.replace(anchor, &format!("{anchor} {clause}"))
        } else {
            let mut lines: Vec<String> = licence.lines().map(str::to_string).collect();
            let at = at.min(lines.len());
            lines.insert(at, restriction(&mut Rng(seed)));
            lines.join("\n")
        };
        let r = check(&[("LICENSE", &text)]);
        prop_assert_ne!(r.verdict.name(), "allowed", "{}", shown(&r));
    }
}
