//! Third-party terms in the header of a bundled text file of any kind (issue 21): an XML schema whose comment
//! limits reproduction to research and internal circulation, source files headed by a holder the repository's
//! licence does not name, a schema "All Rights Reserved" by a standards body — each inside an MIT repository,
//! each in a file whose extension is not a web file's. Beside them, the files a careful reader allows: a header
//! of the repository's own holder, a third party's header that names an open licence, a withholding word in a
//! comment below the code.
//!
//! Each check builds a real git repository and runs the library's `check_repo` as `keepopen check` does; with
//! `KEEPOPEN_BIN` set it runs that built binary instead (`check --default-policy --json --licence-only`), which
//! is how these tests were seen failing on the build before this change.

use proptest::prelude::*;

use crate::fixture::RepoFixture;
use crate::support::check::licence_verdict;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

/// The MIT licence with `holder` as its copyright holder.
fn mit(holder: &str) -> String {
    MIT.replace("<year> <copyright holders>", &format!("2017 {holder}"))
}

/// The licence verdict of a repository whose one commit holds `files`, and its reasons.
fn verdict(files: &[(&str, String)]) -> (String, Vec<String>) {
    licence_verdict(&RepoFixture::one_commit(files))
}

fn assert_review_naming(files: &[(&str, String)], path: &str) {
    let (verdict, reasons) = verdict(files);
    assert_eq!(verdict, "needs-review", "{path}: {reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains(path)),
        "the reasons name {path}: {reasons:#?}"
    );
}

fn assert_allowed(files: &[(&str, String)]) {
    let (verdict, reasons) = verdict(files);
    assert_eq!(verdict, "allowed", "{reasons:#?}");
}

const SCHEMA_NOTICE: &str = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"DCLG-CEPC/Exceptions\">\n\t<!--\n\t© Department of Communities and Local Government. © Crown copyright, 2007. This publication, excluding logos, may be reproduced free of charge in any format or medium for research, private study, for internal circulation within an organisation or by registered scheme users.\n-->\n\t<xs:element name=\"DataItem\" type=\"xs:string\"/>\n</xs:schema>\n";

#[test]
fn a_schema_whose_comment_limits_reproduction_to_research_and_internal_circulation_needs_review() {
    let path = "api/schemas/xml/CEPC-3.1/CommonFiles/Exceptions.xsd";
    assert_review_naming(
        &[
            (
                "LICENSE",
                mit("Ministry of Housing, Communities and Local Government"),
            ),
            (path, SCHEMA_NOTICE.into()),
        ],
        path,
    );
}

#[test]
fn a_schemas_documentation_element_is_read_as_its_notice() {
    let xsd = "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n<xs:annotation><xs:documentation>Copyright 2019 Standards Body Ltd. This schema may not be copied or distributed without written permission.</xs:documentation></xs:annotation>\n<xs:element name=\"x\"/>\n</xs:schema>\n";
    let path = "schemas/message.xsd";
    assert_review_naming(
        &[
            ("LICENSE", mit("Government Digital Service")),
            (path, xsd.into()),
        ],
        path,
    );
}

const JOINT_HEADER: &str = "/*\n * Copyright 2017, BAE Systems Limited and GE Aviation Limited.\n *  \n * This software and its outputs are not claimed to be fit or safe for any purpose. Any user should\n * satisfy themselves that this software or its outputs are appropriate for its intended purpose.\n*/\npackage com.iawg.ecoa;\n\npublic class AdaLanguageSupport {}\n";

#[test]
fn source_headed_by_a_partner_the_licence_does_not_name_needs_review() {
    let path = "osets-eclipse-plugin/src/com/iawg/ecoa/AdaLanguageSupport.java";
    assert_review_naming(
        &[
            ("LICENCE.txt", mit("BAE Systems Limited")),
            (path, JOINT_HEADER.into()),
        ],
        path,
    );
    // The licence's own holder alone heads the same file: allowed.
    let own = JOINT_HEADER.replace(" and GE Aviation Limited", "");
    assert_allowed(&[("LICENCE.txt", mit("BAE Systems Limited")), (path, own)]);
}

#[test]
fn a_schema_all_rights_reserved_by_a_standards_body_needs_review() {
    let xsd = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Copyright(C) OASIS(R) 2005,2010. All Rights Reserved.\n     OASIS trademark, IPR and other policies apply.  -->\n<schema xmlns=\"http://www.w3.org/2001/XMLSchema\"/>\n";
    let path = "osets-eclipse-plugin/res/sca/sca-1.1-cd06-subset.xsd";
    assert_review_naming(
        &[
            ("LICENCE.txt", mit("BAE Systems Limited")),
            (path, xsd.into()),
        ],
        path,
    );
}

#[test]
fn headers_a_careful_reader_allows_stay_allowed() {
    let gds = "Government Digital Service";
    // The repository's own holder, in three syntaxes.
    assert_allowed(&[
        ("LICENSE", mit(gds)),
        (
            "app/main.py",
            "#!/usr/bin/env python3\n# Copyright 2017 Government Digital Service\nimport os\n"
                .into(),
        ),
        (
            "db/schema.sql",
            "-- Copyright (c) 2017 Government Digital Service\ncreate table x (id int);\n".into(),
        ),
        (
            "config/app.xml",
            "<?xml version=\"1.0\"?>\n<!-- Copyright 2017 Government Digital Service -->\n<app/>\n"
                .into(),
        ),
    ]);
    // A third party's header that names an open licence.
    assert_allowed(&[
        ("LICENSE", mit(gds)),
        ("vendor/lib/client.go", "// Copyright 2015 Google Inc.\n//\n// Licensed under the Apache License, Version 2.0 (the \"License\");\n// you may not use this file except in compliance with the License.\n\npackage client\n".into()),
    ]);
    // Withholding words in a comment below the code speak of the code, not of the file's terms.
    assert_allowed(&[
        ("LICENSE", mit(gds)),
        ("app/secrets.rb", "require 'x'\n# Confidential values: do not copy them into logs. Copyright header above is ours.\n".into()),
    ]);
}

/// Comment syntaxes of many languages: how a notice line is written in each, and file names that carry it.
const SYNTAXES: &[(&str, &str, &[&str])] = &[
    (
        "/* ",
        " */",
        &[
            "src/Main.java",
            "lib/x.c",
            "src/lib.rs",
            "a/b.go",
            "x.kt",
            "y.cs",
            "z.swift",
            "q.scala",
        ],
    ),
    (
        "// ",
        "",
        &[
            "src/Main.java",
            "lib/x.cpp",
            "src/lib.rs",
            "a/b.go",
            "x.ts.snap",
            "proto/a.proto",
        ],
    ),
    (
        "# ",
        "",
        &[
            "bin/run.py",
            "tool.rb",
            "deploy.sh",
            "conf/app.yaml",
            "x.tf",
            "Makefile",
            "R/fit.R",
            "a.toml",
        ],
    ),
    ("-- ", "", &["db/init.sql", "src/Main.hs", "x.lua", "a.adb"]),
    ("; ", "", &["src/core.clj", "x.el", "conf.ini", "a.asm"]),
    ("% ", "", &["paper.tex", "model.m", "a.erl"]),
    ("' ", "", &["Module1.bas", "x.vbs"]),
    ("REM ", "", &["build.bat"]),
    ("(* ", " *)", &["x.ml", "y.pas"]),
    ("{- ", " -}", &["Main.elm"]),
    (
        "<!-- ",
        " -->",
        &[
            "schemas/a.xsd",
            "conf/web.config",
            "pom.xml",
            "x.wsdl",
            "Page.xaml",
            "a.plist",
            "docs/page.md.xml",
        ],
    ),
    (
        "",
        "",
        &["data/NOTES.txt", "docs/terms", "docs/about.md", "notes.rst"],
    ),
];

/// Withholding notices a third party writes at the head of a file.
const WITHHOLDING: &[&str] = &[
    "Copyright 2019 Vendor Ltd. This file may not be copied or distributed.",
    "Proprietary and confidential. Copyright Vendor Ltd.",
    "(c) 2012 Vendor plc. Not for redistribution.",
    "Copyright Vendor Ltd. For internal use only.",
    "Copyright 2019 Vendor Ltd. Redistribution is not permitted without written permission.",
    "This material may be reproduced only for research and private study. Copyright 2007 Vendor Ltd.",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// The invariant of the header reader: a withholding notice at the head of a text file, in the comment
    /// syntax of the file's language and whatever the file's extension, never leaves the verdict allowed.
    #[test]
    fn a_withholding_notice_in_any_comment_syntax_in_a_file_of_any_kind_is_never_allowed(
        syntax in 0..SYNTAXES.len(),
        file in 0..8usize,
        notice in 0..WITHHOLDING.len(),
        preamble in prop::sample::select(vec!["", "\n\n", "#!/usr/bin/env tool\n"]),
    ) {
        let (open, close, names) = SYNTAXES[syntax];
        let path = names[file % names.len()];
        let preamble = if open == "<!-- " { "<?xml version=\"1.0\"?>\n" } else { preamble };
        let preamble = if open.is_empty() && preamble.starts_with("#!") { "" } else { preamble };
        let body = if open == "<!-- " { "<root/>\n" } else { "x = 1\n" };
        let text = format!("{preamble}{open}{}{close}\n{body}", WITHHOLDING[notice]);
        let (verdict, reasons) = verdict(&[("LICENSE", mit("Government Digital Service")), (path, text.clone())]);
        prop_assert_ne!(verdict.as_str(), "allowed", "{}:\n{}\n{:#?}", path, text, reasons);
        prop_assert!(reasons.iter().any(|r| r.contains(path)), "{}: {:#?}", path, reasons);
    }
}
