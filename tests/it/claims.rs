//! Every licence claim gathered with what it speaks for, and checked for agreement; weak evidence never alone;
//! every pushed ref judged; *forbidden* only on evidence of absence; and the needless reviews that a full
//! licence text should have carried. Each case is a real git repository built in a temporary directory and
//! taken through `check_repo`, the path `keepopen check --licence-only` takes.

use keepopen::check::RepoCheck;
use keepopen::license::detect::Detector;
use keepopen::policy::{Class, Policy};

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::{check_files, check_fixture, check_fixture_with};

const MIT: &str = include_str!("../../licenses/text/MIT.txt");
const APACHE: &str = include_str!("../../licenses/text/Apache-2.0.txt");
const LGPL21: &str = include_str!("../../licenses/text/LGPL-2.1-only.txt");

fn mit() -> String {
    MIT.replace("<year> <copyright holders>", "2021 NHS Digital")
}

fn spec(files: &[(&str, &str)]) -> TreeSpec {
    TreeSpec::files(files)
}

fn check(files: &[(&str, &str)]) -> RepoCheck {
    check_files(files)
}

fn says(r: &RepoCheck, words: &[&str]) -> bool {
    r.verdict
        .reasons()
        .iter()
        .any(|reason| words.iter().all(|w| reason.contains(w)))
}

#[track_caller]
fn assert_review_saying(r: &RepoCheck, words: &[&str]) {
    assert_eq!(
        r.verdict,
        "needs-review",
        "reasons {:?}; findings {:#?}",
        r.verdict.reasons(),
        r.findings
    );
    assert!(
        says(r, words),
        "no reason says {words:?}: {:?}",
        r.verdict.reasons()
    );
}

// ---------------------------------------------------------------------------------------------------------
// (3) Every claim gathered with its scope; contradictions and withholdings anywhere need review

#[test]
fn an_unlicensed_manifest_beside_an_mit_licence_needs_review_naming_both() {
    let r = check(&[
        ("LICENSE", &mit()),
        (
            "package.json",
            "{\n  \"name\": \"x\",\n  \"author\": \"NHS\",\n  \"license\": \"UNLICENSED\"\n}\n",
        ),
    ]);
    assert_review_saying(&r, &["package.json", "UNLICENSED", "LICENSE", "MIT"]);
}

#[test]
fn a_notice_withholding_redistribution_beside_an_mit_licence_needs_review_naming_both() {
    let r = check(&[
        ("LICENSE", &mit()),
        (
            "NOTICE",
            "Copyright 2021 NHS Digital\n\nRedistribution of this software is not permitted.\n",
        ),
    ]);
    assert_review_saying(&r, &["NOTICE:3", "not permitted", "LICENSE", "MIT"]);
}

#[test]
fn a_notice_deep_in_a_subfolder_that_withholds_use_needs_review() {
    let r = check(&[
        ("LICENSE", &mit()),
        (
            "src/app/assets/fonts/NOTICE.txt",
            "These fonts are for exclusive use on gov.uk.\n",
        ),
    ]);
    assert_review_saying(&r, &["src/app/assets/fonts/NOTICE.txt:1", "exclusive use"]);
}

#[test]
fn a_licence_file_four_folders_down_is_read() {
    let r = check(&[
        ("LICENSE", &mit()),
        (
            "packages/app/src/vendor-data/LICENSE",
            "Copyright 2020 Example Data Ltd. All rights reserved.\nYou may not copy or distribute these files.\n",
        ),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|w| w.contains("packages/app/src/vendor-data/LICENSE")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_proprietary_licence_inside_a_vendored_folder_is_read_and_needs_review() {
    let r = check(&[
        ("LICENSE", &mit()),
        (
            "vendor/acme-charts/LICENSE.txt",
            "Acme Charts commercial licence. Copyright 2019 Acme Ltd.\nThis software may not be redistributed.\n",
        ),
    ]);
    assert_review_saying(&r, &["vendor/acme-charts/LICENSE.txt"]);
}

#[test]
fn a_bundled_librarys_licence_covers_its_folder_only_and_its_authors_are_not_credited() {
    let lgpl = LGPL21.replacen(
        "Copyright (C) 1991, 1999 Free Software Foundation, Inc.",
        "Copyright (C) 1991, 1999 Free Software Foundation, Inc.\nCopyright (c) 2004 Moxiecode Systems AB",
        1,
    );
    let r = check(&[
        ("LICENSE", &mit()),
        ("docs/js/tinymce/license.txt", &lgpl),
        ("docs/js/tinymce/tinymce.min.js", "!function(){}();\n"),
        ("docs/index.md", "# Docs\n"),
    ]);
    assert_eq!(r.licenses, ["MIT"], "{:?}", r.verdict.reasons());
    assert_eq!(
        r.holders,
        ["NHS Digital"],
        "the bundled library's authors are not the holders"
    );
    // With no licence of its own, the repository is not covered by the bundled library's licence.
    let alone = check(&[
        ("docs/js/tinymce/license.txt", &lgpl),
        ("docs/js/tinymce/tinymce.min.js", "!function(){}();\n"),
        ("docs/index.md", "# Docs\n"),
        ("src/app.js", "console.log(1);\n"),
    ]);
    assert_ne!(alone.verdict, "allowed", "{:?}", alone.verdict.reasons());
}

#[test]
fn an_unlicensed_private_sub_package_inside_an_mit_repository_needs_review() {
    let r = check(&[
        ("LICENSE", &mit()),
        (
            "packages/internal-tool/package.json",
            "{\n  \"name\": \"internal-tool\",\n  \"private\": true,\n  \"license\": \"UNLICENSED\"\n}\n",
        ),
    ]);
    assert_review_saying(&r, &["packages/internal-tool/package.json", "UNLICENSED"]);
}

#[test]
fn a_sub_package_declaring_a_copyleft_licence_inside_an_mit_repository_needs_review() {
    let r = check(&[
        ("LICENSE", &mit()),
        (
            "packages/engine/package.json",
            "{\n  \"name\": \"engine\",\n  \"author\": \"x\",\n  \"license\": \"GPL-3.0-only\"\n}\n",
        ),
    ]);
    assert_review_saying(&r, &["packages/engine/package.json", "GPL-3.0-only"]);
}

#[test]
fn a_manifest_pointing_at_a_missing_licence_file_needs_review() {
    let r = check(&[
        ("LICENSE", &mit()),
        (
            "package.json",
            "{\n  \"name\": \"x\",\n  \"author\": \"NHS\",\n  \"license\": \"SEE LICENSE IN TERMS.md\"\n}\n",
        ),
    ]);
    assert_review_saying(&r, &["TERMS.md", "not in the tree"]);
}

// ---------------------------------------------------------------------------------------------------------
// (4) Weak evidence never stands alone

#[test]
fn a_manifest_field_alone_is_not_a_licence_for_the_repository() {
    let r = check(&[
        (
            "package.json",
            "{\n  \"name\": \"x\",\n  \"author\": \"Someone\",\n  \"license\": \"ISC\"\n}\n",
        ),
        ("index.js", "module.exports = 1;\n"),
    ]);
    assert_review_saying(&r, &["weak evidence alone", "ISC"]);
}

#[test]
fn a_setup_py_licence_argument_alone_is_not_a_licence_for_the_repository() {
    let r = check(&[
        (
            "setup.py",
            "from setuptools import setup\nsetup(name='x', license='GPLv3')\n",
        ),
        ("x/__init__.py", "VERSION = 1\n"),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        says(&r, &["weak evidence alone"]),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn one_spdx_header_in_one_file_of_twenty_is_not_a_licence_for_the_repository() {
    let mut files: Vec<(String, String)> = (0..19)
        .map(|i| (format!("src/m{i}.py"), format!("X = {i}\n")))
        .collect();
    files.push((
        "src/sample.py".into(),
        "# SPDX-License-Identifier: MIT\nY = 1\n".into(),
    ));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = check(&files);
    // Either reason holds the verdict back: the header is weak evidence, and it covers only its own file.
    assert_review_saying(&r, &["src/sample.py"]);
}

// ---------------------------------------------------------------------------------------------------------
// (6) Every ref that will be pushed is judged

fn mit_main_and(branch: &str, other: &TreeSpec) -> RepoFixture {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &spec(&[("LICENSE", &mit()), ("app.py", "print(1)\n")]),
    );
    fx.commit(branch, other);
    fx.set_head("main");
    fx
}

#[test]
fn a_proprietary_licence_on_another_pushed_branch_needs_review_naming_the_branch() {
    let fx = mit_main_and(
        "old",
        &spec(&[
            (
                "LICENSE",
                "Copyright 2018 NHS Digital. All rights reserved.\nThis software is proprietary and may not be copied, modified or distributed.\n",
            ),
            ("app.py", "print(0)\n"),
        ]),
    );
    let r = check_fixture(&fx);
    assert_review_saying(&r, &["refs/heads/old"]);
}

#[test]
fn a_proprietary_licence_on_a_tag_needs_review_naming_the_tag() {
    let fx = RepoFixture::bare();
    let old = fx.commit(
        "main",
        &spec(&[(
            "LICENSE",
            "Proprietary. All rights reserved. Not for redistribution.\n",
        )]),
    );
    fx.commit("main", &spec(&[("LICENSE", &mit())]));
    fx.repo()
        .reference("refs/tags/v0.1", old, false, "tag")
        .unwrap();
    fx.set_head("main");
    let r = check_fixture(&fx);
    assert_review_saying(&r, &["refs/tags/v0.1"]);
}

#[test]
fn other_branches_with_the_same_licence_evidence_leave_the_verdict_allowed() {
    let fx = mit_main_and(
        "feature",
        &spec(&[("LICENSE", &mit()), ("app.py", "print(2)\n")]),
    );
    // An orphan gh-pages branch of built pages, with no licence-like file at all: under the repository's.
    fx.commit("gh-pages", &spec(&[("index.html", "<h1>Docs</h1>\n")]));
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
}

// ---------------------------------------------------------------------------------------------------------
// (7) Forbidden needs evidence of absence

#[test]
fn a_docs_legal_page_stating_agpl_is_not_forbidden_for_no_licence() {
    let r = check(&[
        ("README.md", "# Service\n\nRun it.\n"),
        (
            "docs/legal/intellectual-property.md",
            "# Intellectual property\n\nThe software in this repository is licensed under the GNU Affero General Public License v3.0.\n",
        ),
    ]);
    assert_review_saying(&r, &["docs/legal/intellectual-property.md:3", "AGPL-3.0"]);
}

#[test]
fn an_implementation_guide_page_with_an_apache_header_is_not_forbidden_for_no_licence() {
    let page = "<!--\n  Licensed under the Apache License, Version 2.0 (the \"License\");\n  you may not use this file except in compliance with the License.\n-->\n<h1>Implementation guide</h1>\n";
    let r = check(&[
        ("README.md", "# FHIR guide\n"),
        ("guides/implementation-guide/index.html", page),
    ]);
    assert_review_saying(
        &r,
        &["guides/implementation-guide/index.html:2", "Apache-2.0"],
    );
}

#[test]
fn a_licence_under_a_package_folder_is_not_forbidden_for_no_licence() {
    let r = check(&[
        ("README.md", "# Monorepo\n"),
        ("packages/web/components/button/LICENSE", APACHE),
        (
            "packages/web/components/button/index.js",
            "export default 1;\n",
        ),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

#[test]
fn a_licence_named_only_on_another_branch_is_not_forbidden_for_no_licence() {
    let fx = RepoFixture::bare();
    fx.commit("main", &spec(&[("README.md", "# Tool\n")]));
    fx.commit(
        "release",
        &spec(&[("docs/about.md", "Released under the MIT License.\n")]),
    );
    fx.set_head("main");
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

#[test]
fn a_repository_with_no_licence_named_anywhere_is_still_forbidden() {
    let r = check(&[
        ("README.md", "# Tool\n\nA tool.\n"),
        ("src/main.py", "licence_key = 'x'\nprint(licence_key)\n"),
    ]);
    assert_eq!(r.verdict, "forbidden", "{:?}", r.verdict.reasons());
}

// ---------------------------------------------------------------------------------------------------------
// (9) Needless reviews

#[test]
fn a_dual_mit_and_unversioned_ogl_statement_beside_a_full_mit_text_is_allowed() {
    for statement in [
        "This project is dual licensed under the MIT license and the OGL.",
        "This project is dual licensed under the MIT license and the Open Government Licence (OGL).",
    ] {
        let readme = format!("# Tool\n\n## Licence\n\n{statement}\n");
        let r = check(&[("LICENSE", &mit()), ("README.md", &readme)]);
        assert_eq!(
            r.verdict,
            "allowed",
            "{statement}: {:?} {:#?}",
            r.verdict.reasons(),
            r.findings
        );
        assert!(r.licenses.contains(&"MIT".to_string()));
    }
}

#[test]
fn an_and_with_an_unversioned_documentation_licence_still_needs_its_own_evidence() {
    let readme = "# Tool\n\n## Licence\n\nThe code is released under the MIT license. The documentation is available under the Open Government Licence.\n";
    let r = check(&[("LICENSE", &mit()), ("README.md", readme)]);
    assert_eq!(
        r.verdict,
        "needs-review",
        "{:?} {:#?}",
        r.verdict.reasons(),
        r.findings
    );
}

#[test]
fn a_symlink_to_the_root_licence_inside_the_tree_is_followed() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", mit().as_bytes())
            .symlink("src/LICENSE", "../LICENSE")
            .file("src/app.py", "print(1)\n"),
    );
    fx.set_head("main");
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
}

#[test]
fn a_symlink_leaving_the_tree_is_not_followed_and_needs_review() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", mit().as_bytes())
            .symlink("src/LICENSE", "../../etc/LICENSE"),
    );
    fx.set_head("main");
    let r = check_fixture(&fx);
    assert_review_saying(&r, &["src/LICENSE", "outside the repository"]);
}

#[test]
fn an_npm_default_isc_manifest_beside_a_full_mit_licence_is_allowed() {
    let r = check(&[
        ("LICENSE", &mit()),
        (
            "package.json",
            "{\n  \"name\": \"prototype-kit\",\n  \"author\": \"\",\n  \"license\": \"ISC\"\n}\n",
        ),
    ]);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
}

// ---------------------------------------------------------------------------------------------------------
// (8, part) The policy's overrides drive conditions

#[test]
fn a_licence_overridden_to_non_commercial_is_allowed_only_non_commercially() {
    let mut policy = Policy::default();
    policy
        .licenses
        .overrides
        .insert("MIT".to_string(), Class::NonCommercial);
    let fx = RepoFixture::bare();
    fx.commit("main", &spec(&[("LICENSE", &mit())]));
    fx.set_head("main");
    let r = check_fixture_with(&fx, &policy);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .conditions()
            .iter()
            .any(|c| c.to_string() == "non-commercial only (MIT)"),
        "{:?}",
        r.verdict.conditions()
    );
}

// ---------------------------------------------------------------------------------------------------------
// (6) The cost of judging every ref: shared trees and blobs are read once; the bound is said

#[test]
fn five_hundred_branches_sharing_their_licence_blobs_read_few_trees_and_stay_allowed() {
    use keepopen::license::refs::evidence;
    let fx = RepoFixture::bare();
    let base = fx.commit(
        "main",
        &spec(&[("LICENSE", &mit()), ("app.py", "print(0)\n")]),
    );
    // 500 branches: 450 at the default tip, 50 with one changed source file each (the LICENSE blob shared).
    for i in 0..450 {
        fx.repo()
            .reference(&format!("refs/heads/dependabot/{i}"), base, false, "b")
            .unwrap();
    }
    for i in 0..50 {
        fx.commit(
            &format!("feature/{i}"),
            &spec(&[
                ("LICENSE", &mit()),
                ("app.py", &format!("print({})\n", i + 1)),
            ]),
        );
    }
    fx.set_head("main");
    let started = std::time::Instant::now();
    let report = evidence(fx.path(), &Detector::embedded()).unwrap();
    let took = started.elapsed();
    eprintln!("500 branches, 51 distinct trees: refs::evidence took {took:?}");
    let refs = report.refs.as_ref().unwrap();
    assert_eq!(refs.pushed, 501);
    assert_eq!(
        refs.trees_read + refs.by_difference,
        50,
        "one judgement per distinct tree, none for the 450 at the tip"
    );
    assert_eq!(
        refs.trees_read, 0,
        "a changed source file is not licence evidence: judged by difference"
    );
    assert!(
        refs.differing.is_empty() && refs.not_read.is_empty(),
        "{refs:?}"
    );
    assert!(took.as_secs() < 30, "took {took:?}");
    let r = check_fixture(&fx);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
}

#[test]
fn refs_past_the_bound_on_full_reads_are_named_and_need_review() {
    use keepopen::license::discovery::Limits;
    use keepopen::license::refs::{RefLimits, evidence_with};
    use keepopen::verdict::judge;
    let fx = RepoFixture::bare();
    fx.commit("main", &spec(&[("LICENSE", &mit())]));
    // Each branch adds a licence file of its own, so each must be read in full.
    for i in 0..4 {
        let extra = format!("LICENSE-{i}");
        fx.commit(
            &format!("b{i}"),
            &spec(&[("LICENSE", &mit()), (&extra, &mit())]),
        );
    }
    fx.set_head("main");
    let limits = RefLimits {
        max_read_entries: 4,
        ..RefLimits::default()
    };
    let report = evidence_with(
        fx.path(),
        &Detector::embedded(),
        &Limits::default(),
        &limits,
    )
    .unwrap();
    let refs = report.refs.as_ref().unwrap();
    assert_eq!(refs.trees_read, 2);
    assert_eq!(refs.not_read.len(), 1, "{refs:?}");
    assert!(refs.not_read[0].contains(" and 1 more"), "{refs:?}");
    let verdict = judge("fixture", &report, &Policy::default());
    assert!(
        verdict
            .reasons()
            .iter()
            .any(|w| w.contains("was not judged") && w.contains("refs/heads/b")),
        "{verdict:?}"
    );
}

#[test]
fn check_json_names_the_branch_and_carries_notes() {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &spec(&[
            ("LICENSE", &mit()),
            (
                "package.json",
                "{\n  \"name\": \"kit\",\n  \"author\": \"\",\n  \"license\": \"ISC\"\n}\n",
            ),
        ]),
    );
    fx.set_head("main");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .env_remove("KEEPOPEN_POLICY")
        .env_remove("RUST_LOG")
        .args(["check", "--default-policy", "--licence-only", "--json"])
        .arg(fx.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &json[0];
    assert_eq!(r["verdict"], "allowed", "{r}");
    let notes = r["notes"].as_array().expect("notes are printed");
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("package.json")),
        "{r}"
    );
    fx.commit(
        "old",
        &spec(&[(
            "LICENSE",
            "Proprietary software. All rights reserved.\nNot for redistribution.\n",
        )]),
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .env_remove("KEEPOPEN_POLICY")
        .env_remove("RUST_LOG")
        .args(["check", "--default-policy", "--licence-only", "--json"])
        .arg(fx.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &json[0];
    assert_eq!(r["verdict"], "needs-review", "{r}");
    assert!(
        r["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("refs/heads/old")),
        "{r}"
    );
}
