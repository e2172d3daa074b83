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
