//! Needless reviews from claims and the licence vocabulary (issue #21), each as a fixture repository that
//! reproduces the class rather than the repository it was seen in, with the counterparts that must still need a
//! person, and a property: a restriction, or a claim for a part under a licence the policy does not allow,
//! stays *needs review* however the repository's own name and the licence names are written.
//!
//! - a third-party notice naming its works' licences by their full SPDX names ("Mozilla Public License 1.1",
//!   "Common Development and Distribution License 1.0"; seen in gchq/gaffer-experimental's NOTICES);
//! - a README grant whose subject is the repository's own name written in lower case ("nix-bootstrap is
//!   released under the [Apache 2.0 Licence](…)"; seen in gchq/nix-bootstrap).

use keepopen::check::{RepoCheck, check_repo};
use keepopen::license::detect::Detector;
use keepopen::license::vocabulary;
use keepopen::policy::{Action, Class, Policy};
use proptest::prelude::*;

use crate::fixture::{RepoFixture, TreeSpec};

const APACHE: &str = include_str!("../../licenses/text/Apache-2.0.txt");

/// A repository at `origin` (`owner/name`, as GitHub names it) holding `files` on its one branch.
fn check_named(origin: &str, files: &[(&str, String)], policy: &Policy) -> RepoCheck {
    let fx = RepoFixture::bare();
    fx.repo()
        .remote("origin", &format!("https://github.com/{origin}.git"))
        .expect("origin remote");
    let mut spec = TreeSpec::new();
    for (path, text) in files {
        spec = spec.file(path, text.as_bytes());
    }
    fx.commit("main", &spec);
    fx.set_head("main");
    check_repo(fx.path(), &Detector::embedded(), policy)
}

fn shown(r: &RepoCheck) -> String {
    format!(
        "{}: {:?}; observations {:#?}",
        r.verdict.name(),
        r.verdict.reasons(),
        r.observations
    )
}

// 1. Licences named in full -------------------------------------------------------------------------------

/// A dependency list of the shape gaffer-experimental's NOTICES has: each work, then its licences by name.
fn notice_of_dependencies(names: &[&str]) -> String {
    let mut text = String::from(
        "Copyright 2017 Crown Copyright\n\n\
         The project is built with maven, which pulls in the dependencies below. Their licences are listed\n\
         here; see each project's site for the licences of their own dependencies.\n\n",
    );
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!(
            "Library {i} (org.example:library-{i}:1.0.{i})\n\n- {name}\n\n\n"
        ));
    }
    text
}

#[test]
fn a_notice_naming_works_licences_by_their_full_spdx_names_beside_an_own_grant_is_allowed() {
    let notice = notice_of_dependencies(&[
        "Apache License, Version 2.0",
        "Mozilla Public License 1.1",
        "Common Development and Distribution License 1.0",
        "GNU General Public License 2.0",
        "Eclipse Public License 1.0",
    ]);
    let r = check_named(
        "example/widgets",
        &[("LICENSE", APACHE.to_string()), ("NOTICES", notice)],
        &Policy::default(),
    );
    assert_eq!(r.verdict.name(), "allowed", "{}", shown(&r));
    assert_eq!(r.licenses, ["Apache-2.0"]);
}

#[test]
fn a_licence_named_in_full_that_the_policy_does_not_allow_still_needs_review() {
    let mut policy = Policy::default();
    policy
        .licenses
        .actions
        .insert(Class::WeakCopyleft, Action::Review);
    let notice = notice_of_dependencies(&["Common Development and Distribution License 1.0"]);
    let r = check_named(
        "example/widgets",
        &[("LICENSE", APACHE.to_string()), ("NOTICES", notice)],
        &policy,
    );
    assert_eq!(r.verdict.name(), "needs-review", "{}", shown(&r));
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|reason| reason.contains("CDDL-1.0")),
        "{}",
        shown(&r)
    );
}

#[test]
fn a_notice_putting_a_bundled_work_under_a_licence_keepopen_cannot_name_needs_review() {
    let notice = "This product bundles the Foo engine.\n\n\
                  The vendor/foo-engine folder is licensed under the Acme Engine Licence.\n";
    let r = check_named(
        "example/widgets",
        &[
            ("LICENSE", APACHE.to_string()),
            ("NOTICE", notice.to_string()),
        ],
        &Policy::default(),
    );
    assert_eq!(r.verdict.name(), "needs-review", "{}", shown(&r));
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|reason| reason.contains("Acme Engine Licence")),
        "{}",
        shown(&r)
    );
}

#[test]
fn a_notice_of_names_and_copyrights_alone_beside_an_own_grant_is_allowed() {
    let notice = "Widgets\nCopyright 2019 Crown Copyright\n\n\
                  This product includes software developed at\nThe Apache Software Foundation (https://www.apache.org/).\n";
    let r = check_named(
        "example/widgets",
        &[
            ("LICENSE", APACHE.to_string()),
            ("NOTICE", notice.to_string()),
        ],
        &Policy::default(),
    );
    assert_eq!(r.verdict.name(), "allowed", "{}", shown(&r));
}

#[test]
fn a_full_name_in_a_manifest_is_the_licence_it_names() {
    let mapping = keepopen::license::manifest::license_from_name(
        "Common Development and Distribution License 1.0",
    );
    assert_eq!(mapping.expression.as_deref(), Some("CDDL-1.0"));
    let mapping = keepopen::license::manifest::license_from_name("Mozilla Public Licence 1.1");
    assert_eq!(mapping.expression.as_deref(), Some("MPL-1.1"));
}

// 2. The repository's own name in lower case ---------------------------------------------------------------

fn readme(subject_line: &str) -> String {
    format!(
        "# nix-bootstrap\n\nBootstraps projects.\n\n## License\n\n{subject_line}\n\
         [Apache 2.0 Licence](https://www.apache.org/licenses/LICENSE-2.0)\nand is covered by\n\
         [Crown Copyright](https://www.nationalarchives.gov.uk/information-management/re-using-public-sector-information/copyright-and-re-use/crown-copyright/).\n"
    )
}

#[test]
fn a_grant_whose_subject_is_the_repositorys_own_lower_case_name_is_allowed() {
    let r = check_named(
        "gchq/nix-bootstrap",
        &[
            ("LICENSE", APACHE.to_string()),
            ("README.md", readme("nix-bootstrap is released under the")),
        ],
        &Policy::default(),
    );
    assert_eq!(r.verdict.name(), "allowed", "{}", shown(&r));
}

#[test]
fn the_same_grant_in_a_repository_of_another_name_still_needs_review() {
    let r = check_named(
        "gchq/other-tool",
        &[
            ("LICENSE", APACHE.to_string()),
            ("README.md", readme("nix-bootstrap is released under the")),
        ],
        &Policy::default(),
    );
    assert_eq!(r.verdict.name(), "needs-review", "{}", shown(&r));
}

#[test]
fn the_own_name_does_not_account_for_a_negation_beside_it() {
    let r = check_named(
        "gchq/nix-bootstrap",
        &[
            ("LICENSE", APACHE.to_string()),
            (
                "README.md",
                readme("nix-bootstrap is not released under the"),
            ),
        ],
        &Policy::default(),
    );
    assert_eq!(r.verdict.name(), "needs-review", "{}", shown(&r));
}

// 3. The property ------------------------------------------------------------------------------------------

/// Sentences that take rights away, each with the repository's own name written into it (`{}`).
const RESTRICTIONS: &[&str] = &[
    "{} may not be redistributed.",
    "{} is for internal use only.",
    "Redistribution of {} is prohibited.",
    "{} is not licensed for commercial use.",
    "You may not modify {}.",
    "Copies of {} must not be shared outside the department.",
    "{} is confidential and proprietary.",
    "None of the above applies to {}; all rights reserved.",
    "Use of {} requires a signed agreement with the authors.",
    "{} must not be published.",
    "Permission to use {} is not granted.",
    "{} is provided for evaluation only.",
];

/// SPDX licences the policy does not allow, by their full names, read back to their ids by the vocabulary.
fn names_not_allowed(policy: &Policy) -> Vec<(String, String)> {
    vocabulary::listed()
        .iter()
        .filter(|l| {
            let action = match policy.class_of(&l.id) {
                Some(class) => policy.action_for(class),
                None => policy.licenses.unknown,
            };
            action != Action::Allow && vocabulary::id_of_full_name(&l.name) == Some(l.id.as_str())
        })
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect()
}

fn own_name() -> impl Strategy<Value = String> {
    "[a-z]{3,7}(-[a-z0-9]{2,6}){1,2}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// A restriction anywhere in the licence section, with the repository's own name in it however it is
    /// written, is never allowed.
    #[test]
    fn a_restriction_naming_the_repository_is_never_allowed(
        name in own_name(),
        restriction in proptest::sample::select(RESTRICTIONS),
        upper in any::<bool>(),
        after in any::<bool>(),
    ) {
        let written = if upper { name.to_uppercase() } else { name.clone() };
        let restriction = restriction.replace("{}", &written);
        let grant = format!(
            "{written} is released under the\n[Apache 2.0 Licence](https://www.apache.org/licenses/LICENSE-2.0)."
        );
        let section = if after {
            format!("{grant}\n\n{restriction}\n")
        } else {
            format!("{restriction}\n\n{grant}\n")
        };
        let readme = format!("# {name}\n\nA tool.\n\n## Licence\n\n{section}");
        let r = check_named(
            &format!("example/{name}"),
            &[("LICENSE", APACHE.to_string()), ("README.md", readme)],
            &Policy::default(),
        );
        prop_assert_ne!(r.verdict.name(), "allowed", "{}", shown(&r));
    }

    /// A claim that a part of the repository is under a licence the policy does not allow, named in full,
    /// or under a licence keepopen cannot name at all, in the README or in a notice, is never allowed beside
    /// the repository's own grant.
    #[test]
    fn a_part_under_a_licence_not_allowed_is_never_allowed(
        name in own_name(),
        pick in any::<proptest::sample::Index>(),
        in_notice in any::<bool>(),
        invented in proptest::option::of("[A-Z][a-z]{3,8} [A-Z][a-z]{3,8} Licence"),
    ) {
        let mut policy = Policy::default();
        policy.licenses.actions.insert(Class::WeakCopyleft, Action::Review);
        policy.licenses.actions.insert(Class::Copyleft, Action::Review);
        let names = names_not_allowed(&policy);
        prop_assume!(!names.is_empty());
        let (id, full) = match invented {
            Some(invented) => ("(none)".to_string(), invented),
            None => names[pick.index(names.len())].clone(),
        };
        let claim = format!("The vendor/{name}-engine folder is licensed under the {full}.");
        let mut files = vec![("LICENSE", APACHE.to_string())];
        if in_notice {
            files.push(("NOTICE", format!("This product bundles {name}-engine.\n\n{claim}\n")));
        } else {
            files.push((
                "README.md",
                format!("# {name}\n\n## Licence\n\n{name} is released under the\n[Apache 2.0 Licence](https://www.apache.org/licenses/LICENSE-2.0).\n\n{claim}\n"),
            ));
        }
        let r = check_named(&format!("example/{name}"), &files, &policy);
        prop_assert_ne!(r.verdict.name(), "allowed", "{} ({}): {}", full, id, shown(&r));
    }
}
