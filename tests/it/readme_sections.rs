//! README licence sections that grant by reference, held to the same word-by-word accounting as a licence
//! file, through real git repositories: a sentence beside the grant that nothing accounts for makes the
//! repository *needs review*, quoted with its line; the harmless shapes beside a grant (a pointer to the
//! licence file, a holder line, a badge) keep it *allowed*.

use keepopen::check::{RepoCheck, check_repo};
use keepopen::license::detect::Detector;
use keepopen::policy::Policy;

use crate::fixture::{RepoFixture, TreeSpec};

fn check_readme(readme: &str) -> RepoCheck {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("README.md", readme.as_bytes())
            .file("app.py", b"print(1)\n"),
    );
    fx.set_head("main");
    let mut r = check_repo(fx.path(), &Detector::embedded(), &Policy::default());
    r.repo = "fixture".into();
    r
}

const INTRO: &str = "# Example service\n\nA service that does one thing.\n\n";

#[test]
fn a_readme_licence_section_granting_mit_beside_a_restriction_needs_review_quoting_it() {
    for grant in [
        "This project is licensed under the MIT License.",
        "Licensed under the MIT licence.",
    ] {
        let readme = format!(
            "{INTRO}## License\n\n{grant}\n\nExcept that redistribution of this software is prohibited.\n"
        );
        let r = check_readme(&readme);
        assert_eq!(
            r.verdict,
            "needs-review",
            "{grant}: {:?}",
            r.verdict.reasons()
        );
        assert!(
            r.verdict
                .reasons()
                .iter()
                .any(|reason| reason.contains("README.md:9")
                    && reason
                        .contains("Except that redistribution of this software is prohibited.")),
            "{grant}: {:?}",
            r.verdict.reasons()
        );
    }
}

#[test]
fn a_readme_licence_section_with_a_pointer_a_holder_and_a_badge_beside_the_grant_stays_allowed() {
    let readme = format!(
        "{INTRO}## Licence\n\n[![License: MIT](https://img.shields.io/badge/License-MIT-yellow.svg)](https://opensource.org/licenses/MIT)\n\nThis project is licensed under the MIT License. See [LICENSE](LICENSE) for details.\n\nCopyright (c) 2024 Crown Copyright (Government Digital Service)\n"
    );
    let r = check_readme(&readme);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
}

/// A README licence section beside an MIT LICENSE is held to every word whether or not it grants: a section that
/// grants nothing and only withholds, or narrows the licence file's scope, or follows a bare licence name with
/// anything else, is residue for a person (red-team cases B1, B3, N2), never silently nothing. A section that only
/// points at the licence file stays allowed.
#[test]
fn a_readme_licence_section_that_grants_nothing_is_held_to_every_word() {
    let mit = include_str!("../../licenses/text/MIT.txt")
        .replace("<year> <copyright holders>", "2023 Acme Ltd");
    let check = |section: &str| {
        let fx = RepoFixture::bare();
        fx.commit(
            "main",
            &TreeSpec::new()
                .file("LICENSE", mit.as_bytes())
                .file(
                    "README.md",
                    format!("{INTRO}## Licence\n\n{section}\n").as_bytes(),
                )
                .file("app.py", b"print(1)\n"),
        );
        fx.set_head("main");
        let r = check_repo(fx.path(), &Detector::embedded(), &Policy::default());
        (r.verdict.name().to_string(), r.verdict.reasons().to_vec())
    };
    for section in [
        "Not for redistribution.",
        "MIT\n\nFor internal Acme use only.",
        "The LICENSE file applies to the examples only.",
        "Copying is permitted only within the UK public sector.",
    ] {
        let (verdict, reasons) = check(section);
        assert_eq!(verdict, "needs-review", "{section}: {reasons:#?}");
        assert!(
            reasons.iter().any(|r| r.contains("README.md")),
            "{section}: {reasons:#?}"
        );
    }
    for section in ["See [LICENSE](LICENSE).", "MIT"] {
        let (verdict, reasons) = check(section);
        assert_eq!(verdict, "allowed", "{section}: {reasons:#?}");
    }
}
