//! A ref with no licence text of its own, whose only licence words name the licence the default branch grants
//! (a release tag cut the day before the LICENSE file was added, its package.json saying MIT; branches whose
//! sub-packages' pyproject.toml say MIT), is under the repository's grant; a ref that names another licence, or
//! carries a restriction, is not (see `src/verdict/refs.rs`). Each case is a real git repository built in a
//! temporary directory and checked as the CLI checks it.

use keepopen::check::RepoCheck;

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::check_fixture;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn mit() -> String {
    MIT.replace("<year> <copyright holders>", "2026 Ordnance Survey")
}

fn package_json(license: &str) -> String {
    format!(
        "{{\n  \"name\": \"os-map-visual\",\n  \"version\": \"1.0.0\",\n  \"author\": \"Ordnance Survey\",\n  \"license\": \"{license}\"\n}}\n"
    )
}

/// A repository whose tag `v1.0.0` holds `shared` and `tag_only`, and whose default branch `main` is a commit
/// after it holding `shared` and an MIT LICENSE.
fn tag_before_the_licence(shared: &[(&str, String)], tag_only: &[(&str, String)]) -> RepoCheck {
    let fx = RepoFixture::bare();
    let mut on_tag = shared.to_vec();
    on_tag.extend(tag_only.iter().cloned());
    let tag = fx.commit("main", &TreeSpec::files(&on_tag));
    fx.write_ref("refs/tags/v1.0.0", tag);
    let mut on_main = shared.to_vec();
    on_main.push(("LICENSE", mit()));
    fx.commit("main", &TreeSpec::files(&on_main));
    fx.set_head("main");
    check_fixture(&fx)
}

fn visual(license: &str) -> Vec<(&'static str, String)> {
    vec![
        ("package.json", package_json(license)),
        ("src/visual.ts", "export class Visual {}\n".into()),
        (
            "README.md",
            "# OS map visual\n\nA Power BI visual.\n".into(),
        ),
    ]
}

fn names_the_tag(r: &RepoCheck) -> bool {
    r.verdict
        .reasons()
        .iter()
        .any(|w| w.contains("refs/tags/v1.0.0"))
}

/// The tag was judged on its own evidence and that needs a person: the verdict is *needs review*, naming it.
#[track_caller]
fn assert_the_tag_needs_review(r: &RepoCheck) {
    assert_eq!(
        r.verdict.name(),
        "needs-review",
        "{:#?}",
        r.verdict.reasons()
    );
    assert!(names_the_tag(r), "{:#?}", r.verdict.reasons());
}

#[test]
fn a_tag_before_the_licence_file_whose_manifest_names_the_same_licence_is_under_the_repositorys_grant()
 {
    let r = tag_before_the_licence(&visual("MIT"), &[]);
    assert_eq!(r.verdict.name(), "allowed", "{:#?}", r.verdict.reasons());
}

#[test]
fn branches_whose_sub_package_manifests_name_the_same_licence_are_under_the_repositorys_grant() {
    let pyproject = |name: &str| {
        format!("[project]\nname = \"{name}\"\nversion = \"0.1.0\"\nlicense = \"MIT\"\n")
    };
    let tagged = vec![
        ("jao-backend/pyproject.toml", pyproject("jao-backend")),
        ("jao-backend/app.py", "print('backend')\n".into()),
        ("jao-web/pyproject.toml", pyproject("jao-web")),
        ("jao-web/app.py", "print('web')\n".into()),
        ("README.md", "# JAO\n\nJob advert optimiser.\n".into()),
    ];
    let r = tag_before_the_licence(&tagged, &[]);
    assert_eq!(r.verdict.name(), "allowed", "{:#?}", r.verdict.reasons());
}

#[test]
fn a_tag_whose_manifest_names_another_licence_is_judged_on_its_own_and_named() {
    let r = tag_before_the_licence(&visual("GPL-3.0-only"), &[]);
    assert_the_tag_needs_review(&r);
}

#[test]
fn a_tag_naming_the_same_licence_but_withholding_rights_is_never_allowed() {
    let notice = (
        "NOTICE",
        "Copyright 2025 Ordnance Survey. All rights reserved. Not to be redistributed.\n".into(),
    );
    let r = tag_before_the_licence(&visual("MIT"), &[notice]);
    assert_ne!(r.verdict.name(), "allowed", "{:#?}", r.verdict.reasons());
    assert!(names_the_tag(&r), "{:#?}", r.verdict.reasons());
}

#[test]
fn a_tag_naming_the_same_licence_beside_a_gpl_header_is_judged_on_its_own() {
    let header = (
        "src/vendor.js",
        "// SPDX-License-Identifier: GPL-3.0-only\nexport const x = 1;\n".into(),
    );
    let r = tag_before_the_licence(&visual("MIT"), &[header]);
    assert_the_tag_needs_review(&r);
}

/// The grant is lent only to a ref whose every licence word names it: a tag whose package.json says ISC, beside
/// an MIT LICENSE on the default branch, says something else about that version, and is judged on its own
/// (weak evidence alone) for a person, even though ISC is as permissive.
#[test]
fn a_tag_whose_manifest_names_another_permissive_licence_is_not_lent_the_grant() {
    let r = tag_before_the_licence(&visual("ISC"), &[]);
    assert_the_tag_needs_review(&r);
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("refs/tags/v1.0.0") && w.contains("weak evidence alone")),
        "{:#?}",
        r.verdict.reasons()
    );
}

/// A folder named after a domain licence (`collectors/licensing/`, the code of a licensing service) is no licence
/// text: a tag before the LICENSE file whose only licence word is such a folder says nothing of its own, and is
/// under the repository's grant, as the default branch with the same folder is.
#[test]
fn a_tag_whose_only_licence_word_is_a_code_folder_named_licensing_is_under_the_repositorys_grant() {
    let code = vec![
        (
            "collectors/licensing/__init__.py",
            "from .collector import run\n".to_owned(),
        ),
        (
            "collectors/licensing/collector.py",
            "def run():\n    return []\n".to_owned(),
        ),
        ("README.md", "# Backdrop\n\nA data store.\n".to_owned()),
    ];
    let r = tag_before_the_licence(&code, &[]);
    assert_eq!(r.verdict.name(), "allowed", "{:#?}", r.verdict.reasons());
}

/// The same tag with a file in that folder that states terms of its own is judged on its own and named.
#[test]
fn a_tag_whose_licensing_folder_holds_a_licence_file_withholding_rights_is_named() {
    let code = vec![
        (
            "collectors/licensing/collector.py",
            "def run():\n    return []\n".to_owned(),
        ),
        ("README.md", "# Backdrop\n\nA data store.\n".to_owned()),
    ];
    let r = tag_before_the_licence(
        &code,
        &[(
            "collectors/licensing/LICENSE",
            "Copyright 2013 Vendor Ltd. All rights reserved. Not for redistribution.\n".to_owned(),
        )],
    );
    assert_the_tag_needs_review(&r);
}
