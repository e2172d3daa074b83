//! A grant statement whose subject names the repository itself (issue #21): a README sentence whose subject is
//! the repository's name without its language suffix ("`osgrid` is licensed under the terms of the MIT
//! License." in `example/osgrid-r`, the shape seen in OrdnanceSurvey/osbng-r), or a deictic with no other
//! subject ("These demos are released under the Apache 2.0 License", seen in OrdnanceSurvey/OS-Open-Names),
//! speaks for the repository, and accounts for the sentence when its licence agrees with the repository's.
//! Fixtures written here reproduce the class; nothing is copied from those repositories.
//!
//! The dangerous side (fixtures and a property): such a sentence that also restricts, or names a different
//! licence, or whose subject names something else, still needs a person.

use proptest::prelude::*;

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::licence_verdict;

const APACHE: &str = include_str!("../../licenses/text/Apache-2.0.txt");
const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn mit() -> String {
    MIT.replace(
        "Copyright (c) <year> <copyright holders>",
        "Copyright (c) 2025 Fabrikam Survey Ltd",
    )
}

/// The licence verdict and reasons of a repository at `origin` (`owner/name`, as GitHub names it) holding
/// `files` on its one branch (the binary `KEEPOPEN_BIN` names, when set: how these were seen failing).
fn check_named(origin: &str, files: &[(&str, String)]) -> Checked {
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
    let (verdict, reasons) = licence_verdict(&fx);
    Checked { verdict, reasons }
}

struct Checked {
    verdict: String,
    reasons: Vec<String>,
}

fn shown(r: &Checked) -> String {
    format!("{}: {:?}", r.verdict, r.reasons)
}

fn readme(title: &str, section: &str) -> String {
    format!("# {title}\n\nTools for working with grid references.\n\n## License\n\n{section}\n")
}

#[test]
fn a_grant_whose_subject_is_the_repository_name_without_its_language_suffix_is_allowed() {
    for (origin, subject) in [
        ("example/osgrid-r", "`osgrid`"),
        ("example/osgrid-py", "osgrid"),
        ("example/osgrid-r", "example/osgrid-r"),
    ] {
        let r = check_named(
            origin,
            &[
                ("LICENSE.md", mit()),
                (
                    "README.md",
                    readme(
                        "osgrid",
                        &format!("{subject} is licensed under the terms of the MIT License."),
                    ),
                ),
            ],
        );
        assert_eq!(
            r.verdict.as_str(),
            "allowed",
            "{origin} {subject}: {}",
            shown(&r)
        );
    }
}

#[test]
fn a_grant_whose_subject_is_a_deictic_is_allowed() {
    for sentence in [
        "These demos are released under the [Apache 2.0 License](http://www.apache.org/licenses/LICENSE-2.0.html)",
        "This project is released under the Apache License, Version 2.0.",
        "These demo scripts are licensed under the Apache 2.0 License.",
    ] {
        let r = check_named(
            "example/open-places",
            &[
                ("LICENSE", APACHE.to_string()),
                ("README.md", readme("Open Places", sentence)),
            ],
        );
        assert_eq!(r.verdict.as_str(), "allowed", "{sentence}: {}", shown(&r));
    }
}

#[test]
fn a_repository_subject_with_another_licence_a_restriction_or_another_name_still_needs_review() {
    for sentence in [
        // Another licence than the repository's.
        "These demos are released under the GNU General Public License v3.0.",
        "`osgrid` is licensed under the terms of the GNU General Public License v3.0.",
        // A restriction beside the repository's own licence.
        "These demos are released under the Apache 2.0 License for internal use only.",
        "These demos are not released under the Apache 2.0 License.",
        "`osgrid` is licensed under the Apache 2.0 License, except for commercial use.",
        // A subject that names something else: a component, not the repository.
        "WidgetGlobe is also released under the Apache 2.0 License.",
        "These proprietary demos are released under the Apache 2.0 License.",
    ] {
        let r = check_named(
            "example/osgrid-r",
            &[
                ("LICENSE", APACHE.to_string()),
                ("README.md", readme("osgrid", sentence)),
            ],
        );
        assert_eq!(
            r.verdict.as_str(),
            "needs-review",
            "{sentence}: {}",
            shown(&r)
        );
    }
}

/// Sentences that take rights away, with the grant's subject written into them (`{}`).
const RESTRICTED_GRANTS: &[&str] = &[
    "{} is released under the Apache 2.0 License for internal use only.",
    "{} is released under the Apache 2.0 License; redistribution is prohibited.",
    "{} is not released under the Apache 2.0 License.",
    "{} is released under the Apache 2.0 License, but may not be redistributed.",
    "{} is released under the Apache 2.0 License except for commercial use.",
    "{} is released under the Apache 2.0 License and is confidential.",
    "{} is released under the Apache 2.0 License unless otherwise agreed.",
    "{} may only be used under the Apache 2.0 License by Fabrikam staff.",
];

fn subject(name: String) -> impl Strategy<Value = String> {
    prop_oneof![
        Just(name.clone()),
        Just(format!("`{name}`")),
        Just(name.to_uppercase()),
        Just("This project".to_string()),
        Just("These demos".to_string()),
        Just("This code".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Whatever subject speaks for the repository, a grant sentence that restricts is never accounted for:
    /// the repository is never allowed. (That a grant of another licence is never accounted for by its
    /// subject is the property of `verdict::own_name`'s unit tests: such a grant is weighed as a claim of
    /// its own, whatever its subject.)
    #[test]
    fn a_repository_subject_never_accounts_for_a_restriction(
        (name, subject) in "[a-z]{4,8}".prop_flat_map(|n| (Just(n.clone()), subject(n))),
        suffix in proptest::sample::select(&["r", "py", "js"][..]),
        pick in any::<proptest::sample::Index>(),
    ) {
        let sentence = RESTRICTED_GRANTS[pick.index(RESTRICTED_GRANTS.len())].replace("{}", &subject);
        let r = check_named(
            &format!("example/{name}-{suffix}"),
            &[("LICENSE", APACHE.to_string()), ("README.md", readme(&name, &sentence))],
        );
        prop_assert_ne!(r.verdict.as_str(), "allowed", "{}: {}", sentence, shown(&r));
    }
}
