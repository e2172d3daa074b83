//! Files named after a domain licence (issue 21): government services issue licences (probation licences,
//! driving licences, fishing licences), and their code names files after them. A stylesheet or a script so
//! named is code, judged by its kind, never read as "a licence keepopen does not recognise". Its own header
//! notice is still read as any bundled file's is, so a withholding notice in it keeps the verdict *needs
//! review*.
//!
//! Real git repositories built in the test; `KEEPOPEN_BIN` runs a built binary instead of the library.

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::licence_verdict;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn verdict_with(path: &str, contents: &str) -> (String, Vec<String>) {
    let fx = RepoFixture::bare();
    fx.commit(
        "main",
        &TreeSpec::new()
            .file(
                "LICENSE",
                MIT.replace(
                    "<year> <copyright holders>",
                    "2021 Crown Copyright (Ministry of Justice)",
                ),
            )
            .file("server/app.ts", "export const app = 1\n")
            .file(path, contents),
    );
    fx.set_head("main");
    licence_verdict(&fx)
}

const SASS: &str = "// Styles for the printed licence: the offender's details, the standard\n// conditions (DSDP, PSS) and the licence period.\n.licence-header\n  font-weight: bold\n  margin-bottom: 10px\n";

#[test]
fn a_stylesheet_or_script_named_after_a_probation_licence_is_code_not_a_licence() {
    for path in [
        "assets/sass/licence-pdf.sass",
        "assets/licence-print.styl",
        "server/licence-summary.coffee",
    ] {
        let (verdict, reasons) = verdict_with(path, SASS);
        assert_eq!(verdict, "allowed", "{path}: {reasons:#?}");
    }
}

#[test]
fn a_withholding_notice_in_a_licence_named_stylesheet_still_needs_review() {
    let notice = format!(
        "/* Copyright 2020 Vendor Print Ltd. All rights reserved. Not for redistribution. */\n{SASS}"
    );
    let (verdict, reasons) = verdict_with("assets/sass/licence-pdf.scss", &notice);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains("licence-pdf.scss")),
        "{reasons:#?}"
    );
}

/// A scenario of a behaviour-test suite about a service's licensing data (alphagov/backdrop's shape: a Cucumber
/// `.feature` file named after the licensing service). Written here; no real file copied.
const FEATURE: &str = "@api_client\nFeature: licensing application volumes\n\n    Scenario: receiving the weekly report\n        Given I have the data in \"weekly-report.json\"\n          and I have a data set named \"licensing\"\n         when I POST to the path \"/data/licensing/volume\"\n         then I should get back a status of \"200\"\n";

#[test]
fn a_licence_named_file_of_an_unknown_kind_whose_text_states_no_terms_is_source() {
    for path in [
        "features/write_api/licensing.feature",
        "licensing.feature",
        "specs/licence.robot",
    ] {
        let (verdict, reasons) = verdict_with(path, FEATURE);
        assert_eq!(verdict, "allowed", "{path}: {reasons:#?}");
    }
}

#[test]
fn a_licence_named_file_of_an_unknown_kind_that_states_terms_is_still_a_licence_file() {
    // The dangerous side: whatever the extension, a text with grant, warranty, copyright or withholding
    // words is read as a licence file, and one keepopen cannot match asks a person.
    for text in [
        "Internal use only. Do not share outside the department.\n",
        "Redistribution of these scenarios is prohibited.\n",
        "Permission to use these files is granted to customers of Vendor Ltd only.\n",
        "THESE FILES ARE PROVIDED WITHOUT WARRANTY; the vendor's terms and conditions apply.\n",
        "Proprietary and confidential.\n",
    ] {
        for path in [
            "LICENSE.vendor",
            "features/licensing.feature",
            "LICENCE.special",
        ] {
            let (verdict, reasons) = verdict_with(path, text);
            assert_eq!(verdict, "needs-review", "{path} {text:?}: {reasons:#?}");
        }
    }
}
