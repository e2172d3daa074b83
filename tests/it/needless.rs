//! The needless reviews (and the one lost class) the acceptance set showed on real repositories, each as a
//! fixture repository of its own that reproduces the class, not the repository it was seen in: third-party
//! notices, a vendored script's licence header, unversioned Trove classifiers, a GNU text without its
//! optional appendix, placeholders inside a README's code, a build script named like a licence, and a
//! licence file that only the history holds. Each case has its counterpart that must still need review.

use keepopen::check::RepoCheck;
use keepopen::policy::{Action, Class, Policy};

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::{check_files, check_fixture, check_fixture_with};

const MIT: &str = include_str!("../../licenses/text/MIT.txt");
const APACHE: &str = include_str!("../../licenses/text/Apache-2.0.txt");
const BSD3: &str = include_str!("../../licenses/text/BSD-3-Clause.txt");
const GPL2: &str = include_str!("../../licenses/text/GPL-2.0-only.txt");

fn mit() -> String {
    MIT.replace(
        "<year> <copyright holders>",
        "2020 Crown Copyright (Department for Transport)",
    )
}

fn bsd3() -> String {
    BSD3.replace("<year> <owner>", "2021 Crown Copyright")
}

fn check(files: &[(&str, &str)]) -> RepoCheck {
    check_files(files)
}

fn check_with(files: &[(&str, &str)], policy: &Policy) -> RepoCheck {
    check_fixture_with(&RepoFixture::one_commit(files), policy)
}

fn verdict_of(r: &RepoCheck) -> (&str, Vec<String>) {
    (r.verdict.name(), r.licenses.clone())
}

// 1. Third-party notices ----------------------------------------------------------------------------------

const NOTICE_OPEN: &str = "This product bundles Bootstrap (https://getbootstrap.com), licensed under the MIT License.\n\
\n\
Contains Bootswatch theme Lumen licensed under http://opensource.org/licenses/MIT\n\
\n\
The boundary data in data/boundaries is derived from Ordnance Survey data and is available under the\n\
Open Government Licence v3.0; the OSTN15 grid files are under the BSD 2-Clause License.\n";

#[test]
fn a_notice_naming_only_allowed_licences_of_bundled_works_beside_an_own_grant_is_allowed() {
    let r = check(&[("LICENSE", APACHE), ("NOTICE", NOTICE_OPEN)]);
    assert_eq!(
        verdict_of(&r),
        ("allowed", vec!["Apache-2.0".to_string()]),
        "reasons {:?}; observations {:#?}",
        r.verdict.reasons(),
        r.observations
    );
    let conditions: Vec<String> = r
        .verdict
        .conditions()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        conditions.contains(&"keep the licence and copyright notices".to_string()),
        "{conditions:?}"
    );
}

#[test]
fn a_notice_naming_a_licence_the_policy_does_not_allow_still_needs_review() {
    let notice = "This product includes icons from Example Icons, licensed under the Creative Commons \
                  Attribution-NonCommercial 4.0 International licence (CC BY-NC 4.0).\n";
    let mut policy = Policy::default();
    policy
        .licenses
        .actions
        .insert(Class::NonCommercial, Action::Review);
    let r = check_with(&[("LICENSE", &mit()), ("NOTICE", notice)], &policy);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("NOTICE") && w.contains("CC-BY-NC-4.0")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_notice_that_withholds_rights_over_a_bundled_part_still_needs_review() {
    let notice = "This product includes software developed by Example Ltd under the MIT licence.\n\
                  The map tiles in assets/maps may not be redistributed.\n";
    let r = check(&[("LICENSE", &mit()), ("NOTICE", notice)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("may not be redistributed")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_notice_whose_terms_for_a_bundled_work_name_no_licence_keepopen_reads_still_needs_review() {
    let notice = "This product includes Bootstrap, licensed under the MIT License.\n\
                  The Example Sans webfont is used under a desktop and web font licence from Example Foundry.\n";
    let r = check(&[("LICENSE", &mit()), ("NOTICE", notice)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("NOTICE") && w.contains("Example Foundry")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_notice_saying_the_project_itself_is_under_another_licence_than_its_licence_file_needs_review()
{
    let notice = "Copyright 2020 Example Department\n\nThis project is licensed under the GNU General Public License v3.0.\n";
    let r = check(&[("LICENSE", &mit()), ("NOTICE", notice)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

#[test]
fn a_notice_alone_grants_nothing_for_the_repository() {
    let r = check(&[("NOTICE", NOTICE_OPEN)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

// 2. A vendored script's licence header -------------------------------------------------------------------

const GRADLEW: &str = "#!/bin/sh\n\
#\n\
# Copyright 2015 the original authors.\n\
#\n\
# Licensed under the Apache License, Version 2.0 (the \"License\");\n\
# you may not use this file except in compliance with the License.\n\
#\n\
# SPDX-License-Identifier: Apache-2.0\n\
#\n\
exec java -jar gradle/wrapper/gradle-wrapper.jar \"$@\"\n";

#[test]
fn a_licence_header_in_one_vendored_script_covers_that_file_and_does_not_conflict_with_the_licence()
{
    let r = check(&[
        ("LICENSE", &mit()),
        ("gradlew", GRADLEW),
        ("src/main.kt", "fun main() = println(\"hi\")\n"),
    ]);
    assert_eq!(
        verdict_of(&r),
        ("allowed", vec!["MIT".to_string()]),
        "reasons {:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_header_of_a_licence_the_policy_does_not_allow_needs_review_though_it_covers_one_file() {
    let script = "#!/bin/sh\n# SPDX-License-Identifier: CC-BY-NC-4.0\necho hi\n";
    let mut policy = Policy::default();
    policy
        .licenses
        .actions
        .insert(Class::NonCommercial, Action::Review);
    let r = check_with(&[("LICENSE", &mit()), ("tools/run.sh", script)], &policy);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("tools/run.sh") && w.contains("CC-BY-NC-4.0")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn one_files_header_alone_does_not_license_the_repository() {
    let r = check(&[
        ("sample.py", "# SPDX-License-Identifier: MIT\nprint('hi')\n"),
        ("app.py", "print('the rest')\n"),
    ]);
    assert_ne!(r.verdict, "allowed", "{:?}", r.findings);
}

// 3. Trove classifiers ------------------------------------------------------------------------------------

const PYPROJECT_BSD: &str = "[project]\n\
name = \"example\"\n\
version = \"1.0.0\"\n\
classifiers = [\n\
    \"Development Status :: 4 - Beta\",\n\
    \"License :: OSI Approved :: BSD License\",\n\
    \"Programming Language :: Python :: 3\",\n\
]\n\
license = {text = \"BSD License\"}\n";

#[test]
fn an_unversioned_bsd_classifier_agrees_with_a_full_bsd_licence_text() {
    let r = check(&[("LICENSE", &bsd3()), ("pyproject.toml", PYPROJECT_BSD)]);
    assert_eq!(
        verdict_of(&r),
        ("allowed", vec!["BSD-3-Clause".to_string()]),
        "reasons {:?}; observations {:#?}",
        r.verdict.reasons(),
        r.observations
    );
}

#[test]
fn an_unversioned_bsd_classifier_beside_an_mit_text_still_needs_review() {
    let r = check(&[("LICENSE", &mit()), ("pyproject.toml", PYPROJECT_BSD)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

#[test]
fn an_unversioned_bsd_classifier_alone_is_not_a_grant() {
    let r = check(&[("pyproject.toml", PYPROJECT_BSD)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

// 4. A GNU licence text without its optional appendix -----------------------------------------------------

fn gpl2_terms_only_markdown() -> String {
    let end = GPL2.find("END OF TERMS AND CONDITIONS").expect("marker")
        + "END OF TERMS AND CONDITIONS".len();
    let body = GPL2[..end].replacen("GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991\n", "", 1);
    format!(
        "The GNU General Public License, Version 2, June 1991 (GPLv2)\n============================================================\n\n{body}\n"
    )
}

#[test]
fn a_gpl_2_text_without_its_how_to_apply_appendix_is_the_gpl_2_not_the_affero_licence() {
    let r = check(&[
        ("LICENSE.md", &gpl2_terms_only_markdown()),
        (
            "package.json",
            "{\"name\": \"x\", \"license\": \"GPL-2.0\"}\n",
        ),
    ]);
    assert_eq!(
        verdict_of(&r),
        ("allowed", vec!["GPL-2.0-only".to_string()]),
        "reasons {:?}; findings {:#?}",
        r.verdict.reasons(),
        r.findings
    );
}

// 6. Placeholders inside a README's code -------------------------------------------------------------------

const README_WITH_CODE: &str = "# Example service\n\
\n\
## Running the acceptance tests\n\
\n\
```sh\n\
export BASE_URL=https://admin.{DEPLOY_ENV}.example.digital\n\
export API_URL=https://api.{DEPLOY_ENV}.example.digital\n\
export ACCOUNTS_URL=https://accounts.{DEPLOY_ENV}.example.digital\n\
```\n\
\n\
In a workflow, pass the key as `api-key: ${{ secrets.API_KEY }}` and the URL as `${{ vars.BASE_URL }}`;\n\
the service id is ${{ vars.SERVICE_ID }}.\n\
\n\
## Licence\n\
\n\
Released under the MIT licence; see LICENSE.\n";

#[test]
fn placeholders_inside_code_or_shell_and_actions_expressions_do_not_make_a_template_readme() {
    let r = check(&[("LICENSE", &mit()), ("README.md", README_WITH_CODE)]);
    assert_eq!(
        verdict_of(&r),
        ("allowed", vec!["MIT".to_string()]),
        "reasons {:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_readme_with_placeholders_in_its_own_prose_is_still_a_template() {
    let readme = "# {PROJECT NAME}\n\n{PROJECT DESCRIPTION} goes here.\n\nMaintained by {TEAM NAME}.\n\n\
                  ## Licence\n\nReleased under the MIT licence.\n";
    let r = check(&[("LICENSE", &mit()), ("README.md", readme)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("template README")),
        "{:?}",
        r.verdict.reasons()
    );
}

// 7. A build script named like a licence ------------------------------------------------------------------

#[test]
fn a_build_script_named_like_a_licence_is_code_not_a_licence_text() {
    let script = "subprojects {\n    apply plugin: 'license'\n    license {\n        \
                  header rootProject.file('config/license/HEADER')\n        mapping('pl', 'Artistic-2.0')\n    }\n}\n";
    let r = check(&[
        ("LICENSE", APACHE),
        ("gradle/license.gradle", script),
        ("build.gradle.kts", "plugins { java }\n"),
    ]);
    assert_eq!(
        verdict_of(&r),
        ("allowed", vec!["Apache-2.0".to_string()]),
        "reasons {:?}",
        r.verdict.reasons()
    );
}

// 8. A licence only the history holds ---------------------------------------------------------------------

#[test]
fn a_licence_file_removed_from_every_ref_tip_makes_it_needs_review_naming_the_commit() {
    let fx = RepoFixture::bare();
    let first = fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", mit())
            .file("README.md", "# x\n"),
    );
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("README.md", "# x\n")
            .file("src/app.js", "console.log(1)\n"),
    );
    fx.set_head("main");
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    let short = &first.to_string()[..12];
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("LICENSE") && w.contains(short) && w.contains("removed")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_licence_file_on_a_tag_only_in_history_is_found_too() {
    let fx = RepoFixture::bare();
    let old = fx.commit("old", &TreeSpec::new().file("LICENCE.md", mit()));
    let gone = fx.commit("old", &TreeSpec::new().file("notes.txt", "n\n"));
    fx.write_ref("refs/tags/v0.1", gone);
    fx.delete_ref("refs/heads/old");
    fx.commit("main", &TreeSpec::new().file("app.py", "print(1)\n"));
    fx.set_head("main");
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("LICENCE.md") && w.contains(&old.to_string()[..12])),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_repository_that_never_had_a_licence_anywhere_is_still_forbidden() {
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::new().file("app.py", "print(1)\n"));
    fx.commit("main", &TreeSpec::new().file("app.py", "print(2)\n"));
    fx.set_head("main");
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "forbidden", "{:?}", r.verdict.reasons());
}
