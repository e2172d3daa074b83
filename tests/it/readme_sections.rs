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
