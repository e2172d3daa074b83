//! Fixture repositories built with git2, one per case of the licence engine's brief: each asserts the exact
//! SPDX ids and verdict that `check` gives, through discovery, detection and the verdict.

use keepopen::check::RepoCheck;
use keepopen::license::{Method, Observation, Relation};
use keepopen::policy::Policy;

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::check_fixture_with;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");
const APACHE: &str = include_str!("../../licenses/text/Apache-2.0.txt");
const GPL3: &str = include_str!("../../licenses/text/GPL-3.0-only.txt");
const OGL3: &str = include_str!("../../licenses/text/OGL-UK-3.0.txt");
const OGL2: &str = include_str!("../../licenses/text/OGL-UK-2.0.txt");
const CC_BY: &str = include_str!("../../licenses/text/CC-BY-4.0.txt");
const CC_BY_NC: &str = include_str!("../../licenses/text/CC-BY-NC-4.0.txt");
const CC_BY_ND: &str = include_str!("../../licenses/text/CC-BY-ND-4.0.txt");
const CC0: &str = include_str!("../../licenses/text/CC0-1.0.txt");
const BSD3: &str = include_str!("../../licenses/text/BSD-3-Clause.txt");

fn mit_for(holder: &str) -> String {
    MIT.replace("<year> <copyright holders>", &format!("2021 {holder}"))
}

fn check_files(files: &[(&str, &str)]) -> RepoCheck {
    check_files_with(files, &Policy::default(), "main")
}

fn check_files_with(files: &[(&str, &str)], policy: &Policy, branch: &str) -> RepoCheck {
    let fx = RepoFixture::bare();
    fx.commit(branch, &TreeSpec::files(files));
    fx.set_head(branch);
    check_fixture_with(&fx, policy)
}

fn assert_verdict(r: &RepoCheck, verdict: &str, ids: &[&str]) {
    assert_eq!(
        r.verdict,
        verdict,
        "verdict; reasons {:?}; findings {:#?}",
        r.verdict.reasons(),
        r.findings
    );
    assert_eq!(r.licenses, ids, "licences; findings {:#?}", r.findings);
}

#[test]
fn permissive_mit_is_allowed_with_notice_conditions_and_holder() {
    let r = check_files(&[("LICENCE", &mit_for("NHS Digital"))]);
    assert_verdict(&r, "allowed", &["MIT"]);
    assert_eq!(r.holders, ["NHS Digital"]);
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
    assert!(
        conditions.contains(&"attribute the copyright holders: NHS Digital".to_string()),
        "{conditions:?}"
    );
    assert_eq!(r.findings[0].file, "LICENCE");
    assert_eq!(r.findings[0].method, Method::Text);
    assert!(!r.findings[0].modified);
}

#[test]
fn copyleft_gpl_text_with_an_or_later_header_is_gpl_or_later_with_share_alike() {
    let header = "// SPDX-License-Identifier: GPL-3.0-or-later\nfn main() {}\n";
    let r = check_files(&[("COPYING", GPL3), ("src/main.rs", header)]);
    assert_verdict(&r, "allowed", &["GPL-3.0-or-later"]);
    assert!(
        r.verdict
            .conditions()
            .iter()
            .any(|c| c.to_string().contains("same licence (GPL-3.0-or-later)")),
        "{:?}",
        r.verdict.conditions()
    );
    assert!(
        r.holders.is_empty(),
        "the FSF holds the GPL's text, not this repository: {:?}",
        r.holders
    );
}

#[test]
fn gpl_text_alone_says_that_only_or_later_is_undecided() {
    let r = check_files(&[("COPYING", GPL3)]);
    assert_eq!(
        r.verdict,
        "allowed",
        "{:?} {:#?}",
        r.verdict.reasons(),
        r.findings
    );
    let f = &r.findings[0];
    assert_eq!(f.undecided_between, ["GPL-3.0-only", "GPL-3.0-or-later"]);
    assert!(
        f.notes.iter().any(|n| n.contains("not decidable")),
        "{:?}",
        f.notes
    );
}

#[test]
fn non_commercial_licence_is_allowed_only_non_commercially() {
    let r = check_files(&[("LICENSE", CC_BY_NC)]);
    assert_verdict(&r, "allowed", &["CC-BY-NC-4.0"]);
    assert!(
        r.verdict
            .conditions()
            .iter()
            .any(|c| c.to_string() == "non-commercial only (CC-BY-NC-4.0)"),
        "{:?}",
        r.verdict.conditions()
    );
}

#[test]
fn no_derivatives_licence_forbids_changes_to_the_tree() {
    let r = check_files(&[("LICENSE", CC_BY_ND)]);
    assert_verdict(&r, "allowed", &["CC-BY-ND-4.0"]);
    let text: Vec<String> = r
        .verdict
        .conditions()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        text.iter().any(|c| c.starts_with("no changes to the tree")),
        "{text:?}"
    );
    assert!(
        !text
            .iter()
            .any(|c| c.starts_with("say that a provenance notice was added")),
        "{text:?}"
    );
}

#[test]
fn cc_by_is_not_confused_with_its_nc_and_nd_variants() {
    assert_verdict(
        &check_files(&[("LICENSE", CC_BY)]),
        "allowed",
        &["CC-BY-4.0"],
    );
    assert_eq!(
        check_files(&[("LICENSE", CC_BY_NC)]).licenses,
        ["CC-BY-NC-4.0"]
    );
    assert_eq!(
        check_files(&[("LICENSE", CC_BY_ND)]).licenses,
        ["CC-BY-ND-4.0"]
    );
}

#[test]
fn public_domain_dedication_is_allowed() {
    assert_verdict(&check_files(&[("LICENSE", CC0)]), "allowed", &["CC0-1.0"]);
}

#[test]
fn apache_without_its_appendix_is_apache_not_pixar() {
    let cut = APACHE.find("APPENDIX: How to apply").unwrap();
    let r = check_files(&[("LICENSE", &APACHE[..cut])]);
    assert_verdict(&r, "allowed", &["Apache-2.0"]);
}

#[test]
fn ogl_versions_are_told_apart() {
    assert_verdict(
        &check_files(&[("LICENCE", OGL3)]),
        "allowed",
        &["OGL-UK-3.0"],
    );
    assert_verdict(
        &check_files(&[("LICENCE", OGL2)]),
        "allowed",
        &["OGL-UK-2.0"],
    );
}

#[test]
fn nhs_licence_with_mit_for_code_and_ogl_for_content_is_allowed_with_both_conditions() {
    let text = format!(
        "# MIT Licence\n\n{}\n\n# Open Government Licence\n\nThe documentation is © Crown copyright and available under the terms of the Open Government Licence v3.0.\n\n{}",
        mit_for("Crown Copyright NHS England"),
        OGL3
    );
    let r = check_files(&[("LICENCE.md", &text)]);
    assert_verdict(&r, "allowed", &["MIT", "OGL-UK-3.0"]);
    assert_eq!(r.expression, "MIT AND OGL-UK-3.0");
    assert!(r.observations.iter().any(|o| matches!(
        o,
        Observation::Combination {
            relation: Relation::And,
            ..
        }
    )));
    let text: Vec<String> = r
        .verdict
        .conditions()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        text.iter().any(|c| c.contains(
            "Contains public sector information licensed under the Open Government Licence v3.0."
        )),
        "{text:?}"
    );
    let mit = r.findings.iter().find(|f| f.license == "MIT").unwrap();
    let ogl = r
        .findings
        .iter()
        .find(|f| f.license == "OGL-UK-3.0")
        .unwrap();
    assert!(
        mit.lines.1 < ogl.lines.0,
        "MIT {:?} comes before OGL {:?}",
        mit.lines,
        ogl.lines
    );
}

#[test]
fn two_licences_concatenated_are_both_found() {
    let text = format!(
        "{}\n\n{}",
        mit_for("A"),
        BSD3.replace("<year> <owner>", "2020 B")
    );
    let r = check_files(&[("LICENSE", &text)]);
    assert_eq!(r.licenses.len(), 2, "{:#?}", r.findings);
    assert!(
        r.licenses.contains(&"MIT".to_string()) && r.licenses.contains(&"BSD-3-Clause".to_string())
    );
    assert_eq!(
        r.verdict,
        "allowed",
        "{:?} {:#?}",
        r.verdict.reasons(),
        r.findings
    );
}

#[test]
fn dual_licensing_is_a_choice() {
    let readme = "# Tool\n\n## Licence\n\nThis project is dual licensed under the MIT Licence and the Open Government Licence v3.0: you may choose either.\n";
    let r = check_files(&[("README.md", readme)]);
    assert_eq!(r.expression, "MIT OR OGL-UK-3.0");
    assert_eq!(
        r.verdict,
        "allowed",
        "{:?} {:#?}",
        r.verdict.reasons(),
        r.findings
    );
}

#[test]
fn markdown_header_and_changed_copyright_line_do_not_change_the_verdict() {
    let text = format!(
        "# The MIT License\n\n{}",
        mit_for("Crown Copyright (Government Digital Service)")
    );
    let r = check_files(&[("LICENSE.md", &text)]);
    assert_verdict(&r, "allowed", &["MIT"]);
    assert!(r.findings[0].operative_changes.is_empty());
}

#[test]
fn negated_grant_scores_high_but_needs_review_with_the_diff() {
    let text = mit_for("X").replace(
        "Permission is hereby granted",
        "Permission is not hereby granted",
    );
    let r = check_files(&[("LICENSE", &text)]);
    assert_eq!(r.verdict, "needs-review");
    assert!(
        r.findings[0].score > 0.9,
        "askalono still scores it high: {}",
        r.findings[0].score
    );
    let change = &r.findings[0].operative_changes[0];
    assert_eq!(change.kind, "negated-grant");
    assert!(change.diff.contains("{+not+}"), "{}", change.diff);
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|why| why.contains("negated-grant")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn added_non_commercial_clause_needs_review() {
    let text = mit_for("X").replace("without restriction,", "for non-commercial purposes only,");
    let r = check_files(&[("LICENSE", &text)]);
    assert_eq!(r.verdict, "needs-review");
    assert_eq!(r.findings[0].operative_changes[0].kind, "added-restriction");
}

#[test]
fn truncated_licence_that_keeps_grant_and_conditions_is_allowed_but_marked_modified() {
    let full = mit_for("X");
    let text = &full[..full.find("IN NO").unwrap()];
    let r = check_files(&[("LICENSE", text)]);
    assert_eq!(r.licenses, ["MIT"]);
    assert!(r.findings[0].modified, "{:#?}", r.findings);
}

#[test]
fn readme_only_statement_is_a_reference_below_text_confidence() {
    let readme = "# Project\n\nSome words.\n\n## Licence\n\nThis work is licensed under the Open Government Licence v3.0, see https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\n";
    let r = check_files(&[("README.md", readme)]);
    assert_verdict(&r, "allowed", &["OGL-UK-3.0"]);
    let f = &r.findings[0];
    assert_eq!(f.method, Method::Reference);
    assert!(f.score < 0.95);
    assert_eq!(f.file, "README.md");
    assert_eq!(f.lines.0, 7);
}

#[test]
fn a_bare_copyright_notice_without_a_grant_needs_review_not_forbidden() {
    let r = check_files(&[(
        "README.md",
        "# Schema\n\nCrown copyright 2018, 2019, 2020\n",
    )]);
    assert_verdict(&r, "needs-review", &[]);
    assert!(
        r.verdict.reasons()[0].contains("a copyright notice and no licence"),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn all_rights_reserved_is_forbidden_not_unknown() {
    let r = check_files(&[("LICENCE", "© Crown copyright 2021. All rights reserved.\n")]);
    assert_verdict(&r, "forbidden", &[]);
    assert!(
        r.verdict.reasons()[0].contains("rights are withheld and no licence is granted"),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn no_licence_at_all_is_forbidden() {
    let r = check_files(&[
        ("README.md", "# A tool\n\nIt does things.\n"),
        ("src/lib.rs", "pub fn f() {}\n"),
    ]);
    assert_verdict(&r, "forbidden", &[]);
    assert!(r.observations.contains(&Observation::NoLicense));
}

#[test]
fn unrecognised_text_needs_review_and_is_kept_apart_from_no_licence() {
    let text = "Terms of use\n\n".to_string() + &"You may look at this software on Tuesdays if the moon is full and you write to us first. ".repeat(20);
    let r = check_files(&[("LICENSE", &text)]);
    assert_eq!(r.verdict, "needs-review");
    assert!(
        r.observations
            .iter()
            .any(|o| matches!(o, Observation::Unrecognised { .. }))
    );
    assert!(!r.observations.contains(&Observation::NoLicense));
}

#[test]
fn manifest_that_contradicts_the_licence_file_needs_review() {
    // A manifest naming a licence that asks more than the licence text (share-alike beside MIT) needs a
    // person. (The reverse — a manifest's MIT beside a GPL text — asks nothing more, and is a note: issue 21.)
    let r = check_files(&[
        ("LICENSE", &mit_for("NHS Digital")),
        (
            "package.json",
            "{\n  \"name\": \"x\",\n  \"license\": \"GPL-3.0-only\"\n}\n",
        ),
    ]);
    assert_eq!(r.verdict, "needs-review");
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|why| why.starts_with("conflicting declarations: package.json says GPL-3.0-only")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn cookiecutter_placeholders_mean_no_real_licensor() {
    let text = MIT.replace(
        "<year> <copyright holders>",
        "{{ cookiecutter.year }} {{ cookiecutter.author_name }}",
    );
    let r = check_files(&[("LICENSE", &text)]);
    assert_eq!(r.verdict, "needs-review");
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|why| why.contains("placeholder")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn clarification_applies_while_the_file_is_unchanged_and_is_voided_when_it_changes() {
    let text =
        "Use of this code is permitted by NHS Example under terms agreed with the maintainers.\n";
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(text.as_bytes()));
    let policy = Policy::from_str(
        &format!(
            "version: 1\nclarifications:\n  - repo: fixture-owner/fixture\n    expression: MIT\n    files:\n      - path: LICENSE\n        sha256: {digest}\n    reason: confirmed in writing by the owner\n"
        ),
        "policy.yaml",
    )
    .unwrap();
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::new().file("LICENSE", text.as_bytes()));
    fx.set_head("main");
    fx.repo()
        .remote("origin", "https://github.com/fixture-owner/fixture.git")
        .unwrap();
    let r = check_fixture_with(&fx, &policy);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());

    let changed = format!("{text}Except on Sundays.\n");
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::new().file("LICENSE", changed.as_bytes()));
    fx.set_head("main");
    fx.repo()
        .remote("origin", "https://github.com/fixture-owner/fixture.git")
        .unwrap();
    let r = check_fixture_with(&fx, &policy);
    assert_eq!(r.verdict, "needs-review");
    assert!(
        r.verdict.reasons()[0].contains("no longer applies: LICENSE changed"),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn licence_on_a_branch_other_than_main_is_read_from_the_default_branch() {
    let r = check_files_with(
        &[("LICENCE.md", &mit_for("NHS England"))],
        &Policy::default(),
        "develop",
    );
    assert_eq!(r.branch.as_deref(), Some("develop"));
    assert_verdict(&r, "allowed", &["MIT"]);
}

#[test]
fn policy_forbidding_a_class_forbids_the_repository() {
    let policy = Policy::from_str(
        "version: 1\nlicenses:\n  classes:\n    copyleft: forbid\n",
        "policy.yaml",
    )
    .unwrap();
    let r = check_files_with(&[("COPYING", GPL3)], &policy, "main");
    assert_eq!(r.verdict, "forbidden");
}

// Classes that fooled the gate into allowing (issue: licence verdicts, second pass). Each failed before.

#[test]
fn a_readme_licensing_one_named_part_is_partial_coverage_needing_review() {
    let readme =
        "# Service\n\n## Licence\n\nThe Widget codebase is released under the MIT License.\n";
    let r = check_files(&[("README.md", readme), ("src/app.py", "print(1)\n")]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("covers only The Widget codebase")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_pasted_licence_template_with_advice_grants_nothing() {
    let text = "If the MIT License suits your needs, here's a template you can use:\n\n    MIT License, Copyright (c) <year> <name>\n";
    let r = check_files(&[("LICENSE", text)]);
    assert_ne!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
    assert!(r.licenses.is_empty(), "{:?}", r.licenses);
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("advice or a draft") && x.contains("LICENSE:1")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_statement_of_custom_in_a_template_is_not_a_grant() {
    let readme =
        "# Project template\n\n## Licence\n\nAs standard, research projects have a MIT licence.\n";
    let r = check_files(&[("README.md", readme)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("policy or custom")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_grant_with_a_carve_out_names_the_withholding_sentence() {
    let text = "The code in this repository is released under the Unlicense, see https://unlicense.org.\n\nThe map images are Crown copyright and may not be redistributed.\n";
    let r = check_files(&[("LICENSE", text)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict.reasons().iter().any(|x| x.contains("LICENSE:3")
            && x.contains("carved out")
            && x.contains("may not be redistributed")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_licence_file_granting_by_reference_reads_as_a_grant_not_an_unknown_text() {
    let mut text = String::from(
        "Licence\n=======\n\nThis project is licensed under the MIT Licence.\n\nThe data in this repository is made available under the Open Government Licence v3.0.\n\n",
    );
    for i in 0..30 {
        text.push_str(&format!(
            "Contributors are thanked in the changelog, entry number {i}.\n"
        ));
    }
    let r = check_files(&[("LICENSE", &text)]);
    assert!(
        r.findings.iter().all(|f| f.score >= 0.9) && r.licenses == ["MIT", "OGL-UK-3.0"],
        "{:#?}",
        r.findings
    );
    assert!(
        !r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("does not recognise")),
        "{:?}",
        r.verdict.reasons()
    );
    // Issue 21: every line of a licence file is accounted for. The thanks are harmless to a reader, but no
    // harmless shape accounts for them, so a person confirms they add no term (this was *allowed* before).
    assert_review_naming(&r, &["LICENSE:8", "Contributors are thanked"]);
    // Holder lines in their place are accounted for: the same grant is then allowed.
    let mut text = String::from(
        "Licence\n=======\n\nThis project is licensed under the MIT Licence.\n\nThe data in this repository is made available under the Open Government Licence v3.0.\n\n",
    );
    for i in 0..30 {
        text.push_str(&format!("Copyright (c) 20{i:02} Contributor number {i}\n"));
    }
    let r = check_files(&[("LICENSE", &text)]);
    assert_eq!(
        r.verdict,
        "allowed",
        "{:?} {:#?}",
        r.verdict.reasons(),
        r.findings
    );
}

#[test]
fn nist_software_is_a_built_in_permissive_licence() {
    assert_eq!(
        keepopen::policy::default_class("NIST-Software"),
        Some(keepopen::policy::Class::Permissive)
    );
}

#[test]
fn a_canonical_text_with_inoperative_cuts_is_read_as_its_licence_and_the_difference_said() {
    let mpl = include_str!("../../licenses/text/MPL-2.0.txt");
    // Cut after the disclaimers (sections 8-10 and the Exhibits: litigation venue, miscellany, the licence's
    // own versions, how to apply it): nothing that grants or conditions is lost.
    let cut = mpl.split("8. Litigation").next().unwrap().to_string();
    let r = check_files(&[("LICENSE", &cut)]);
    let f = r
        .findings
        .iter()
        .find(|f| f.license == "MPL-2.0")
        .expect("MPL-2.0 found");
    assert!(f.score >= 0.9, "{:#?}", r.findings);
    assert!(
        f.notes.iter().any(|n| n.contains("none of them operative")),
        "{:#?}",
        r.findings
    );
    assert_eq!(
        r.verdict,
        "allowed",
        "{:?} {:#?}",
        r.verdict.reasons(),
        r.findings
    );
}

#[test]
fn a_licence_files_title_over_a_text_it_does_not_match_grants_nothing() {
    let text = format!(
        "MIT License\n\n{}",
        BSD3.replace("<year> <owner>", "2020 Met Office")
    );
    let r = check_files(&[("LICENSE", &text)]);
    assert_eq!(r.licenses, ["BSD-3-Clause"], "{:#?}", r.findings);
}

#[test]
fn folders_each_with_their_own_licence_cover_a_repository_made_only_of_them() {
    // As MetOffice/mule: each sub-package carries its own LICENCE.txt, nothing else at the root but git's files.
    let bsd = BSD3.replace("<year> <owner>", "2024 the Met Office");
    let packages = [
        ("um_packing/LICENCE.txt", bsd.as_str()),
        ("um_packing/src/pack.f90", "! packing\n"),
        ("um_utils/LICENCE.txt", bsd.as_str()),
        ("um_utils/lib/utils.py", "print('utils')\n"),
        (".gitignore", "*.o\n"),
    ];
    let r = check_files(&packages);
    assert_verdict(&r, "allowed", &["BSD-3-Clause"]);

    // One file outside the licensed folders leaves the repository partly unlicensed, and is named.
    let mut more = packages.to_vec();
    more.push(("setup.py", "from setuptools import setup\n"));
    let r = check_files(&more);
    assert_verdict(&r, "needs-review", &["BSD-3-Clause"]);
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|reason| reason.contains("no licence of its own for setup.py")),
        "{:?}",
        r.verdict.reasons()
    );

    // A folder whose own licence cannot be read covers nothing.
    let mut unread = packages.to_vec();
    unread.push((
        "mule/LICENCE.txt",
        "Terms to be agreed with the Met Office.\n",
    ));
    unread.push(("mule/mule.py", "print('mule')\n"));
    let r = check_files(&unread);
    assert_ne!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
}

#[test]
fn an_mit_text_whose_grant_paragraph_was_removed_is_no_licence_in_effect() {
    // As alphagov/whitehall's LICENCE once was: titled MIT, the "Permission is hereby granted…" paragraph gone.
    let text = mit_for("Crown copyright (Government Digital Service)");
    let start = text.find("Permission is hereby granted").unwrap();
    let end = text.find("The above copyright notice").unwrap();
    let cut = format!("{}{}", &text[..start], &text[end..]);
    let r = check_files(&[("LICENCE", &cut)]);
    assert_verdict(&r, "needs-review", &[]);
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|reason| reason.contains("dropped-grant")),
        "the reason names the removed grant: {:?}",
        r.verdict.reasons()
    );
    // The closest text stays in the evidence, for the maintainer to see.
    assert!(!r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_guidance_page_named_like_a_licence_below_the_root_reports_none_of_its_examples() {
    // As an organisation's playbook page `src/development/coding-licences.md`: advice on licensing other
    // repositories, with a licence header and a manifest field as examples in code fences.
    let page = "---\nlayout: article\ntitle: \"Licensing software or code\"\n---\n\
Everything we produce should have an appropriate licence applied.\n\n\
## Applying the licence\n\n\
Make sure the licence content is included in full, including the title \"APACHE LICENSE, VERSION 2.0\", so \
that readers are quickly able to see which licence is being used. Name the file LICENCE and keep the \
copyright line at the top, with the year the code was first published and the organisation in brackets, \
and update the range only when significant changes were made to the code over the years that followed.\n\n\
```text\nCopyright 2022 Crown Copyright (An NHS Authority)\n\n\
Licensed under the Apache License, Version 2.0 (the \"License\");\n\
you may not use this file except in compliance with the License.\n```\n\n\
## Project descriptors\n\n\
Add licence information to the project descriptors, as build tools read them.\n\n\
```json\n{\n  \"license\": \"Apache-2.0\"\n}\n```\n\n\
## OGL v3\n\n\
We use Open Government Licence v3 for our published content. User interfaces need a link to the licence \
agreement in the footer, so that people who read the pages know how they may re-use them.\n";
    let r = check_files(&[
        ("src/development/coding-licences.md", page),
        ("src/index.md", "# Playbook\n"),
    ]);
    assert_verdict(&r, "needs-review", &[]);
    assert!(
        !r.verdict
            .reasons()
            .iter()
            .any(|reason| reason.contains("forbidden")),
        "{:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_creative_commons_port_to_a_jurisdiction_is_its_own_licence_classed_like_its_generic_one() {
    // As the Software Sustainability Institute's READMEs: documents under the CC BY-NC 2.5 Scotland port, which
    // is not on the SPDX list, and code under MIT.
    let readme = "# Guide\n\nThe code is licensed under the MIT licence. The licence text is in LICENSE.\n\n\
Documents are licensed under the Creative Commons [Attribution-NonCommercial 2.5 UK: Scotland (CC BY-NC 2.5 \
SCOTLAND)](http://creativecommons.org/licenses/by-nc/2.5/scotland/).\n";
    let r = check_files(&[
        ("README.md", readme),
        ("LICENSE", &mit_for("The University of Edinburgh")),
    ]);
    assert!(
        r.licenses
            .contains(&"LicenseRef-CC-BY-NC-2.5-Scotland".to_string())
            && !r.licenses.contains(&"CC-BY-NC-2.5".to_string()),
        "{:?} {:#?}",
        r.licenses,
        r.findings
    );
    assert!(
        r.verdict.conditions().iter().any(|c| c
            .to_string()
            .contains("non-commercial only (LicenseRef-CC-BY-NC-2.5-Scotland)")),
        "{:?}",
        r.verdict.conditions()
    );
    // A port SPDX lists keeps SPDX's id.
    let r = check_files(&[(
        "LICENCE.md",
        "This work is licensed under the Creative Commons Attribution-ShareAlike 2.0 England and Wales licence: \
http://creativecommons.org/licenses/by-sa/2.0/uk/\n",
    )]);
    assert_eq!(r.licenses, ["CC-BY-SA-2.0-UK"], "{:#?}", r.findings);
}

/// The verdict is needs-review, and one reason holds every one of `parts`.
fn assert_review_naming(r: &RepoCheck, parts: &[&str]) {
    assert_eq!(
        r.verdict,
        "needs-review",
        "{:?} {:#?}",
        r.verdict.reasons(),
        r.findings
    );
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| parts.iter().all(|p| x.contains(p))),
        "no reason names all of {parts:?}: {:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_carve_out_worded_not_to_be_redistributed_holds_an_unlicense_grant_back() {
    let unlicense = include_str!("../../licenses/text/Unlicense.txt");
    let text = format!(
        "This repository holds our own code and some survey maps.\n\nOur own work is released under the Unlicense:\n\n{unlicense}\n\nThe survey maps and the legend images are Crown copyright, and are not to be used or redistributed for any purpose.\n"
    );
    let r = check_files(&[("LICENSE.md", &text), ("bot.py", "print('hi')\n")]);
    assert_review_naming(&r, &["carved out", "are not to be used or redistributed"]);
}

#[test]
fn images_owned_by_others_in_a_wrapped_sentence_are_a_carve_out() {
    let text = format!(
        "# Licence\n\nThe code that builds this site is licensed under the MIT licence below. Images are\nthe copyright works of their respective owners unless declared otherwise.\n\n---\n\n{}",
        mit_for("The Site Authors")
    );
    let r = check_files(&[("LICENSE.md", &text)]);
    assert_review_naming(&r, &["LICENSE.md:3", "respective owners"]);
}

#[test]
fn a_titled_licence_stub_that_grants_for_documentation_only_does_not_cover_the_code() {
    let text = "# Open Government Licence v3.0\n\nThis repository contains documentation licensed under the Open Government Licence (OGL) v3.0.\nYou are encouraged to use and re-use the information that is available under this licence.\n\nYou can view the full licence at:\nhttps://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\n";
    let r = check_files(&[
        ("OGL_LICENSE.md", text),
        ("src/model.ttl", "@prefix x: <y> .\n"),
    ]);
    assert_review_naming(&r, &["covers only the documentation", "OGL_LICENSE.md:1"]);
}

#[test]
fn a_licence_page_in_docs_granting_gpl_version_3_by_link_is_read_not_called_no_licence() {
    let page = "Licence\n=======\n\nTidalModel is an open source project that can be freely used under the `GNU GPL version 3 licence`_.\n\n.. _GNU GPL version 3 licence: http://www.gnu.org/licenses/gpl.html\n";
    let r = check_files(&[("docs/licence.rst", page), ("model.py", "x = 1\n")]);
    assert_ne!(r.verdict, "forbidden", "{:?}", r.verdict.reasons());
    assert!(
        r.findings
            .iter()
            .any(|f| f.license.starts_with("GPL-3.0") && f.file == "docs/licence.rst"),
        "{:#?}",
        r.findings
    );
}

#[test]
fn a_licence_page_that_says_nothing_readable_needs_review_never_forbidden() {
    let page = "Terms\n=====\n\nPlease contact the project office before you do anything with this work.\n";
    let r = check_files(&[("docs/licence.rst", page), ("model.py", "x = 1\n")]);
    assert_review_naming(&r, &["docs/licence.rst"]);
}

#[test]
fn copying_lesser_holding_the_lgpl3_permissions_alone_is_lgpl3() {
    let full = include_str!("../../licenses/text/LGPL-3.0-only.txt");
    let lesser = full.split("\nGNU GENERAL PUBLIC LICENSE").next().unwrap();
    let r = check_files(&[("COPYING.LESSER", lesser), ("COPYING", GPL3)]);
    assert!(
        r.findings.iter().any(|f| f.file == "COPYING.LESSER"
            && f.license.starts_with("LGPL-3.0")
            && f.score >= 0.9),
        "{:?} {:#?}",
        r.verdict.reasons(),
        r.findings
    );
    assert!(
        !r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("does not recognise") || x.contains("alters it")),
        "{:?}",
        r.verdict.reasons()
    );
    assert!(r.findings.iter().all(|f| f.operative_changes.is_empty()));
}

#[test]
fn an_apache_notice_with_its_holder_on_a_docs_licence_page_is_the_projects_grant() {
    let page = "License\n=======\n\nCopyright 2023- Weather Modelling Centre (WMC).\n\nLicensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\nYou may obtain a copy of the License at:\n\n    http://www.apache.org/licenses/LICENSE-2.0.\n\nUnless required by applicable law or agreed to in writing, software\ndistributed under the License is distributed on an \"AS IS\" BASIS,\nWITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\nSee the License for the specific language governing permissions and\nlimitations under the License.\n";
    let r = check_files(&[("docs/licence.rst", page), ("kit/__init__.py", "x = 1\n")]);
    assert_verdict(&r, "allowed", &["Apache-2.0"]);
}

// Issue 21, mechanisms 1 and 2: texts a hostile or careless author could write. Each was judged *allowed*
// before the gate accounted for every line of a licence file and read text as a person sees it.

/// A full MIT text with `extra` on a paragraph of its own after it (as a careless author appends a term).
fn mit_then(extra: &str) -> String {
    format!("{}\n{extra}\n", mit_for("NHS Example").trim_end())
}

/// The 1-based line of the first line of `text` that holds `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_restriction_appended_to_a_full_mit_text_is_residue_quoted_with_its_line() {
    for sentence in [
        "Except that redistribution of this Software is prohibited.",
        "For internal NHS use only.",
        "Not for redistribution.",
        "None of the above applies; all rights reserved.",
    ] {
        let text = mit_then(sentence);
        let r = check_files(&[("LICENSE", &text)]);
        let at = format!("LICENSE:{}", line_of(&text, sentence));
        assert_review_naming(&r, &[&at, sentence]);
    }
}

#[test]
fn a_draft_framing_line_before_a_full_mit_text_is_residue() {
    let text = format!("Draft only — does not apply\n\n{}", mit_for("NHS Example"));
    let r = check_files(&[("LICENSE", &text)]);
    assert_review_naming(&r, &["LICENSE:1", "Draft only"]);
}

#[test]
fn a_cyrillic_o_in_not_is_read_as_a_person_reads_it_and_named() {
    // "nоt" with U+043E CYRILLIC SMALL LETTER O: a person reads "not", askalono's tokens see another word.
    let text = mit_for("NHS Example").replace(
        "Permission is hereby granted",
        "Permission is n\u{43e}t hereby granted",
    );
    let r = check_files(&[("LICENSE", &text)]);
    let at = format!("LICENSE:{}", line_of(&text, "Permission is"));
    assert_review_naming(&r, &[&at, "U+043E"]);
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("negated-grant")),
        "folded to Latin, the word is the negation it looks like: {:?}",
        r.verdict.reasons()
    );
}

#[test]
fn a_right_to_left_override_that_displays_not_is_named_with_its_code_point() {
    // Stored "ton" between RLO and PDF: displayed as "not".
    let text = mit_for("NHS Example").replace(
        "Permission is hereby granted",
        "Permission is \u{202e}ton\u{202c} hereby granted",
    );
    let r = check_files(&[("LICENSE", &text)]);
    let at = format!("LICENSE:{}", line_of(&text, "Permission is"));
    assert_review_naming(&r, &[&at, "U+202E"]);
}

#[test]
fn a_restriction_after_a_mebibyte_of_padding_is_never_a_clean_grant() {
    let padding = " \n".repeat(600 * 1024);
    let text = format!(
        "{}{padding}Redistribution of this Software is prohibited.\n",
        mit_for("NHS Example")
    );
    assert!(text.len() > 1024 * 1024);
    let r = check_files(&[("LICENSE", &text)]);
    assert_review_naming(&r, &["LICENSE", "read only in part"]);
}

#[test]
fn a_full_mit_text_inside_a_code_fence_quote_or_comment_of_a_markdown_licence_is_not_a_grant() {
    let mit = mit_for("NHS Example");
    let quoted: String = mit.lines().map(|l| format!("> {l}\n")).collect();
    for (how, text) in [
        ("fenced", format!("```\n{mit}```\n")),
        ("quoted", quoted),
        ("commented", format!("<!--\n{mit}-->\n")),
    ] {
        let r = check_files(&[("LICENSE.md", &text)]);
        assert_eq!(
            r.verdict,
            "needs-review",
            "{how}: {:?} {:#?}",
            r.verdict.reasons(),
            r.findings
        );
        assert!(
            r.verdict.reasons().iter().any(|x| x.contains("LICENSE.md")),
            "{how}: {:?}",
            r.verdict.reasons()
        );
    }
}

#[test]
fn harmless_lines_around_a_full_mit_text_leave_it_allowed() {
    // A title, a heading, holder lines, an SPDX line, the licence's URL and a separator account for themselves.
    let text = format!(
        "# The MIT License (MIT)\n\nSPDX-License-Identifier: MIT\n\n{}\n---\n\nCopyright (c) 2022 NHS England\n\nhttps://opensource.org/licenses/MIT\n",
        mit_for("Crown Copyright (NHS Digital)")
    );
    let r = check_files(&[("LICENSE.md", &text)]);
    assert_verdict(&r, "allowed", &["MIT"]);
}

/// A licence text is the same text whatever character ends its lines: NEL (U+0085), LINE SEPARATOR (U+2028),
/// PARAGRAPH SEPARATOR (U+2029) and a lone CR (classic Mac OS) are line breaks as a person sees them. An MIT text
/// so written is the MIT text, and a restriction appended to it with the same breaks is still residue.
#[test]
fn a_licence_whose_lines_end_in_nel_line_separators_or_lone_cr_is_read_line_by_line() {
    for brk in ["\u{85}", "\u{2028}", "\u{2029}", "\r"] {
        let text = mit_for("Acme Ltd").replace('\n', brk);
        let r = check_files(&[("LICENSE", text.as_str()), ("app.py", "print(1)\n")]);
        assert_verdict(&r, "allowed", &["MIT"]);
        let withheld =
            format!("{text}Except that redistribution of this Software is prohibited.{brk}");
        let r = check_files(&[("LICENSE", withheld.as_str()), ("app.py", "print(1)\n")]);
        assert_eq!(
            r.verdict.name(),
            "needs-review",
            "{brk:?}: {:#?}",
            r.verdict.reasons()
        );
    }
}
