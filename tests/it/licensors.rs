//! THE REPOSITORY'S LICENSORS (issue 21): a file whose header is only a copyright line of a holder who
//! licenses the repository's own content is covered by the repository's licence, and needs no person.
//!
//! The licensors are gathered from the licence files that cover the root (a holder written before the mark
//! too: "Acme Lab (c) Crown Copyright 2019"), and from headers that themselves grant the repository's licence
//! with their holder (the Apache header template on a project's own sources). Holders are compared by a
//! normalised identity (case, marks, years, legal suffixes, "The", addresses, "Crown copyright" ≡ "© Crown"),
//! never by substring. A template placeholder ("YEAR THE PACKAGE'S COPYRIGHT HOLDER") names nobody; a code
//! comment that merely contains "confidential" is not a notice.
//!
//! The dangerous side stays closed (property tests below): a third party's "All rights reserved" in a
//! repository whose licence names someone else, a licensor's header that adds a withholding term, a header
//! joining a licensor with a third party, and a holder whose name merely begins with a licensor's all still
//! need a person.
//!
//! Each check builds a real git repository and runs `check --licence-only` as a user would (the library, or
//! the binary `KEEPOPEN_BIN` names: how these tests were seen failing on the build before this change).

use proptest::prelude::*;

use crate::fixture::RepoFixture;
use crate::support::check::licence_verdict;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");
const APACHE: &str = include_str!("../../licenses/text/Apache-2.0.txt");

/// The MIT licence with `line` as its copyright line.
fn mit_line(line: &str) -> String {
    MIT.replace("Copyright (c) <year> <copyright holders>", line)
}

/// The MIT licence with `holder` as its copyright holder.
fn mit(holder: &str) -> String {
    mit_line(&format!("Copyright (c) 2017 {holder}"))
}

fn verdict(files: &[(&str, String)]) -> (String, Vec<String>) {
    licence_verdict(&RepoFixture::one_commit(files))
}

fn assert_allowed(files: &[(&str, String)]) {
    let (verdict, reasons) = verdict(files);
    assert_eq!(verdict, "allowed", "{reasons:#?}");
}

fn assert_review_naming(files: &[(&str, String)], path: &str) {
    let (verdict, reasons) = verdict(files);
    assert_eq!(verdict, "needs-review", "{path}: {reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains(path)),
        "the reasons name {path}: {reasons:#?}"
    );
}

/// A Java source headed by `header` (one comment block).
fn java(header: &str, class: &str) -> String {
    let lines: String = header.lines().map(|l| format!(" * {l}\n")).collect();
    format!("/*\n{lines} */\npackage org.example;\n\npublic class {class} {{}}\n")
}

/// The Apache header a project applies to its sources, with its holder.
fn apache_header(holder: &str) -> String {
    format!(
        "Copyright 2021 {holder}\n\nLicensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\nYou may obtain a copy of the License at\n\n    http://www.apache.org/licenses/LICENSE-2.0\n\nUnless required by applicable law or agreed to in writing, software\ndistributed under the License is distributed on an \"AS IS\" BASIS,\nWITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied."
    )
}

/// An Apache repository whose LICENSE names no holder, whose sources carry the Apache header of `holder`,
/// and `extra` files beside them.
fn apache_project(holder: &str, extra: &[(&str, String)]) -> Vec<(&'static str, String)> {
    let mut files: Vec<(&'static str, String)> = vec![
        ("LICENSE", APACHE.to_string()),
        ("src/main/Calc.java", java(&apache_header(holder), "Calc")),
        ("src/main/Box.java", java(&apache_header(holder), "Box")),
    ];
    for (p, t) in extra {
        files.push((Box::leak(p.to_string().into_boxed_str()), t.clone()));
    }
    files
}

#[test]
fn a_bare_copyright_header_of_the_holder_whose_apache_header_licenses_the_sources_is_allowed() {
    // Most sources carry the Apache header with the holder; two carry the holder's copyright line alone.
    let files = apache_project(
        "Northwind Revenue & Customs",
        &[
            (
                "src/test/CalcSpec.java",
                java("Copyright 2020 Northwind Revenue & Customs", "CalcSpec"),
            ),
            (
                "src/main/Rate.java",
                java("Copyright 2021 NORTHWIND REVENUE & CUSTOMS LTD.", "Rate"),
            ),
        ],
    );
    assert_allowed(&files);
}

#[test]
fn a_holder_written_before_the_mark_in_the_licence_is_a_licensor() {
    // The licence and every source name the holder as "<lab> (c) Crown Copyright <year>".
    let header = "\"\"\"\n.. Acme Lab (c) Crown Copyright 2019\n\"\"\"\nimport os\n";
    assert_allowed(&[
        ("LICENSE.txt", mit_line("Acme Lab (c) Crown Copyright 2019")),
        ("setup.py", header.to_string()),
        ("acme/__init__.py", header.to_string()),
        ("acme/tests/test_core.py", header.to_string()),
    ]);
    // "Crown owned Copyright" in a short licence statement names the Crown too.
    let statement = "Crown owned Copyright 2021-2024\n\nExcept where noted otherwise, the Sensor Harness software\nis licensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\nYou may obtain a copy of the License at\n\n    http://www.apache.org/licenses/LICENSE-2.0\n";
    assert_allowed(&[
        ("LICENSE.txt", statement.to_string()),
        (
            "proto/alert.proto",
            "// Acme Lab (c) Crown Copyright 2024\n//\nsyntax = \"proto3\";\n".to_string(),
        ),
    ]);
}

#[test]
fn an_ide_template_header_of_the_licensor_with_all_rights_reserved_is_allowed() {
    let header = "//\n//  Geometry.swift\n//  Routing\n//\n//  Created by A Developer on 01/03/2016.\n//  Copyright © 2016 Fabrikam Survey Limited. All rights reserved.\n//\n\nimport Foundation\n";
    assert_allowed(&[
        ("LICENSE", mit("Fabrikam Survey Ltd")),
        ("Routing/Geometry.swift", header.to_string()),
        ("RoutingTests/GeometryTests.swift", header.to_string()),
    ]);
}

#[test]
fn the_crown_is_one_holder_however_its_copyright_is_written() {
    let own = mit("Crown Copyright (Fabrikam Digital Service)");
    for header in [
        "# © Crown copyright 2019\nx = 1\n",
        "# (c) Crown Copyright, 2020. All rights reserved.\nx = 1\n",
        "# Copyright (c) 2021 Fabrikam Digital Service\nx = 1\n",
    ] {
        assert_allowed(&[("LICENSE", own.clone()), ("tool/run.py", header.into())]);
    }
}

#[test]
fn a_template_placeholder_in_a_header_names_no_holder() {
    for header in [
        "# SOME DESCRIPTIVE TITLE.\n# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER\n# This file is distributed under the same license as the PACKAGE package.\n# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.\n#\nmsgid \"\"\nmsgstr \"\"\n",
        "# Copyright (C) YEAR ORGANIZATION NAME\nmsgid \"\"\n",
        "// Copyright (c) <year> <name of author>\nint x;\n",
        "// Copyright [yyyy] [fullname]\nint x;\n",
        "// Copyright {{ year }} {{ author }}\nint x;\n",
    ] {
        let path = if header.contains("msgid") {
            "app/locale/cy/LC_MESSAGES/django.po"
        } else {
            "src/x.c"
        };
        assert_allowed(&[
            ("LICENSE", mit("Northwind Statistics Office")),
            (path, header.into()),
        ]);
    }
}

#[test]
fn a_code_comment_that_mentions_confidential_information_is_not_a_notice() {
    let ruby = "# Be sure to restart your server when you modify this file.\n\n# Use the database for sessions instead of the cookie-based default,\n# which shouldn't be used to store highly confidential information\n# (create the session table with \"rails generate session_migration\")\nRails.application.config.session_store :active_record_store\n";
    assert_allowed(&[
        ("LICENCE", mit("Government Digital Service")),
        ("config/initializers/session_store.rb", ruby.into()),
    ]);
}

#[test]
fn a_withholding_adjective_said_of_the_file_or_as_a_label_is_still_a_notice() {
    for (path, text) in [
        (
            "src/pricing.py",
            "# This module is proprietary to the pricing team and is kept from the public build of the\n# service, with the rest of the engine, until the review of the pricing model is complete.\nx = 1\n",
        ),
        ("src/engine.py", "# ACME CONFIDENTIAL\nx = 1\n"),
        (
            "src/rules.py",
            "# The rules below hold the scoring thresholds used by the fraud team and are\n# confidential: they must not be shared outside the team or published anywhere.\nx = 1\n",
        ),
    ] {
        assert_review_naming(
            &[
                ("LICENSE", mit("Government Digital Service")),
                (path, text.into()),
            ],
            path,
        );
    }
}

#[test]
fn a_header_grant_of_another_licence_does_not_make_its_holder_a_licensor() {
    // The vendor licenses one file under MIT; its other file reserves all rights. The repository is Apache.
    let files = apache_project(
        "Northwind Revenue & Customs",
        &[
            (
                "lib/vendorlib/a.js",
                "/*! vendorlib | (c) 2018 Contoso Widgets Ltd | Licensed MIT */\nvar a;\n".into(),
            ),
            (
                "lib/vendorlib/b.js",
                "/* Copyright 2018 Contoso Widgets Ltd. All rights reserved. */\nvar b;\n".into(),
            ),
        ],
    );
    let (verdict, reasons) = verdict(&files);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains("lib/vendorlib/b.js")),
        "{reasons:#?}"
    );
}

#[test]
fn a_header_grant_inside_a_vendored_folder_does_not_make_its_holder_a_licensor() {
    // An Apache-licensed vendored library's header names its holder; that holder's other file reserves all
    // rights, outside the vendored folder. The repository's own licence names no holder.
    let files = apache_project(
        "Northwind Revenue & Customs",
        &[
            (
                "vendor/contoso/Lib.java",
                java(&apache_header("Contoso Widgets Ltd"), "Lib"),
            ),
            (
                "src/main/Copied.java",
                java(
                    "Copyright 2018 Contoso Widgets Ltd. All rights reserved.",
                    "Copied",
                ),
            ),
        ],
    );
    assert_review_naming(&files, "src/main/Copied.java");
}

/// Names a licensor may have, and names of other parties: no other party's identity is a licensor's.
const LICENSORS: &[&str] = &[
    "Epimorphics Limited",
    "Government Digital Service",
    "Fabrikam Survey Ltd",
    "Crown Copyright (Fabrikam Digital Service)",
    "Northwind Revenue & Customs",
];
const OTHERS: &[&str] = &[
    "Contoso Widgets Ltd",
    "Vendor Software Inc.",
    "Adventure Works LLC",
    "Jane Q. Developer",
    "Tailspin Toys plc",
];

/// A licensor's name made longer: a different party whose name begins with or contains the licensor's.
fn longer(licensor: &str) -> String {
    let bare = licensor
        .trim_end_matches(" Limited")
        .trim_end_matches(" Ltd")
        .trim_start_matches("Crown Copyright (")
        .trim_end_matches(')');
    format!("{bare} Evil Ltd")
}

/// Withholding terms a licensor's own header may add to its copyright line.
const LICENSOR_WITHHOLDING: &[&str] = &[
    "Confidential.",
    "For internal use only.",
    "Not for redistribution.",
    "Proprietary and confidential.",
    "This file may not be copied or distributed.",
    "Distribution of this file is not permitted.",
    "Internal use only.",
    "For the exclusive use of the pricing team.",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// A vendored file reserving all rights to a party the repository's licence does not name stays for a
    /// person, whichever way the licensor is named.
    #[test]
    fn another_partys_all_rights_reserved_header_is_never_allowed(
        licensor in 0..LICENSORS.len(),
        other in 0..OTHERS.len(),
        form in prop::sample::select(vec![
            "Copyright {o}. All rights reserved.",
            "Copyright (c) 2019 {o}. All Rights Reserved.",
            "© 2020 {o}",
            "(c) Copyright 2014, {o}",
        ]),
    ) {
        let header = form.replace("{o}", OTHERS[other]);
        let path = "lib/thing/Thing.java";
        let mut files = apache_project(LICENSORS[licensor], &[(path, java(&header, "Thing"))]);
        files.push(("NOTICE", format!("Copyright 2021 {}\n", LICENSORS[licensor])));
        let (verdict, reasons) = verdict(&files);
        prop_assert_ne!(verdict.as_str(), "allowed", "{}\n{:#?}", header, reasons);
        prop_assert!(reasons.iter().any(|r| r.contains(path)), "{:#?}", reasons);
    }

    /// A licensor's own header that adds a withholding term is never covered by the repository's licence.
    #[test]
    fn a_licensors_header_with_a_withholding_term_is_never_allowed(
        licensor in 0..LICENSORS.len(),
        term in 0..LICENSOR_WITHHOLDING.len(),
    ) {
        let path = "src/main/Secret.java";
        let header = format!("Copyright 2021 {}\n{}", LICENSORS[licensor], LICENSOR_WITHHOLDING[term]);
        let files = apache_project(LICENSORS[licensor], &[(path, java(&header, "Secret"))]);
        let (verdict, reasons) = verdict(&files);
        prop_assert_ne!(verdict.as_str(), "allowed", "{}\n{:#?}", header, reasons);
        prop_assert!(reasons.iter().any(|r| r.contains(path)), "{:#?}", reasons);
    }

    /// A header that joins a licensor with a third party, or names a party whose name merely begins with or
    /// contains the licensor's, is not the licensor's.
    #[test]
    fn a_joint_or_longer_holder_is_not_the_licensor(
        licensor in 0..LICENSORS.len(),
        other in 0..OTHERS.len(),
        shape in 0..3usize,
    ) {
        let own = LICENSORS[licensor];
        let holder = match shape {
            0 => format!("{own} and {}", OTHERS[other]),
            1 => format!("{}, {own}", OTHERS[other]),
            _ => longer(own),
        };
        let path = "src/main/Joint.java";
        let header = format!("Copyright 2021 {holder}");
        // The licence names the licensor itself, and so does the project's Apache header.
        let mut files = apache_project(own, &[(path, java(&header, "Joint"))]);
        files.push(("NOTICE", format!("Copyright 2021 {own}\n")));
        let (verdict, reasons) = verdict(&files);
        prop_assert_ne!(verdict.as_str(), "allowed", "{}\n{:#?}", header, reasons);
        prop_assert!(reasons.iter().any(|r| r.contains(path)), "{:#?}", reasons);
    }
}

// When the licence names no holder: the parties the repository's own claims name -----------------------------
//
// An Apache-2.0 LICENSE names no holder, so the repository's licensors were unknown and every bare copyright
// header of the project's own sources asked for a person (the class seen in UKGovLD's Java repositories).
// The root manifests' organisation and author fields name who makes the package: they are the licensors then.

/// The root manifest of each kind, naming `party` as its organisation or author.
fn manifests_naming(party: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "pom.xml",
            format!(
                "<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId><artifactId>calc</artifactId><organization><name>{party}</name></organization></project>\n"
            ),
        ),
        (
            "pom.xml",
            format!(
                "<project><artifactId>calc</artifactId><developers><developer><id>a</id><name>A Developer</name><organization>{party}</organization></developer></developers></project>\n"
            ),
        ),
        (
            "package.json",
            format!("{{\"name\": \"calc\", \"author\": \"{party} <dev@example.org>\"}}\n"),
        ),
        (
            "setup.py",
            format!("from setuptools import setup\nsetup(name='calc', author='{party}')\n"),
        ),
        (
            "pyproject.toml",
            format!("[project]\nname = \"calc\"\nauthors = [{{name = \"{party}\"}}]\n"),
        ),
        (
            "DESCRIPTION",
            format!(
                "Package: calc\nAuthors@R: person(given = \"{party}\", role = c(\"aut\", \"cph\"))\n"
            ),
        ),
        (
            "calc.gemspec",
            format!(
                "Gem::Specification.new do |s|\n  s.name = 'calc'\n  s.authors = ['{party}']\nend\n"
            ),
        ),
        (
            "Calc.csproj",
            format!(
                "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><Company>{party}</Company></PropertyGroup></Project>\n"
            ),
        ),
    ]
}

/// An Apache repository whose LICENSE names no holder, with `manifest` at its root and two sources headed
/// only by `header` (a copyright line).
fn holderless_apache(
    manifest: (&'static str, String),
    header: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("LICENSE", APACHE.to_string()),
        manifest,
        ("src/main/Calc.java", java(header, "Calc")),
        ("src/test/CalcTest.java", java(header, "CalcTest")),
    ]
}

#[test]
fn a_bare_header_of_the_party_a_root_manifest_names_is_allowed_when_the_licence_names_no_holder() {
    for manifest in manifests_naming("Fabrikam Data Limited") {
        let name = manifest.0;
        let (verdict, reasons) = verdict(&holderless_apache(
            manifest,
            "(c) Copyright 2014, Fabrikam Data Limited",
        ));
        assert_eq!(verdict, "allowed", "{name}: {reasons:#?}");
    }
}

#[test]
fn a_bare_header_of_a_party_no_claim_names_still_needs_review() {
    for manifest in manifests_naming("Fabrikam Data Limited") {
        let name = manifest.0;
        let files = holderless_apache(manifest, "(c) Copyright 2014, Contoso Widgets Ltd");
        let (verdict, reasons) = verdict(&files);
        assert_eq!(verdict, "needs-review", "{name}: {reasons:#?}");
    }
}

#[test]
fn a_manifest_partys_all_rights_reserved_header_still_needs_review() {
    for manifest in manifests_naming("Fabrikam Data Limited") {
        let name = manifest.0;
        let files = holderless_apache(
            manifest,
            "Copyright (c) 2014 Fabrikam Data Limited. All rights reserved.",
        );
        let (verdict, reasons) = verdict(&files);
        assert_eq!(verdict, "needs-review", "{name}: {reasons:#?}");
    }
}

#[test]
fn a_sub_packages_manifest_names_no_licensor_of_the_repository() {
    // The package in lib/widgets names its own author; the repository's sources headed by that author are
    // not covered by it.
    let files = vec![
        ("LICENSE", APACHE.to_string()),
        (
            "lib/widgets/package.json",
            "{\"name\": \"widgets\", \"author\": \"Contoso Widgets Ltd\", \"license\": \"Apache-2.0\"}\n"
                .to_string(),
        ),
        ("src/main/Calc.java", java("(c) Copyright 2014, Contoso Widgets Ltd", "Calc")),
    ];
    let (verdict, reasons) = verdict(&files);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
}

#[test]
fn a_manifest_names_no_licensor_when_the_licence_names_its_holder() {
    let files = vec![
        ("LICENSE", mit("Crown Copyright (Fabrikam Digital Service)")),
        (
            "package.json",
            "{\"name\": \"calc\", \"author\": \"Contoso Widgets Ltd\", \"license\": \"MIT\"}\n"
                .to_string(),
        ),
        (
            "src/calc.js",
            "/*\n * (c) Copyright 2014, Contoso Widgets Ltd\n */\nmodule.exports = 1\n".to_string(),
        ),
    ];
    let (verdict, reasons) = verdict(&files);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
}

#[test]
fn an_ampersand_inside_the_licensors_name_does_not_make_either_half_a_licensor() {
    let licence = mit("HM Fabrikam Revenue & Customs");
    let own = "Copyright 2020 HM Fabrikam Revenue & Customs";
    assert_allowed(&[
        ("LICENSE", licence.clone()),
        ("src/main/Calc.java", java(own, "Calc")),
    ]);
    assert_review_naming(
        &[
            ("LICENSE", licence),
            ("src/main/Calc.java", java("Copyright 2020 Customs", "Calc")),
        ],
        "src/main/Calc.java",
    );
    // Two people joined by an ampersand are both licensors, each alone too.
    let pair = mit("Alice Contoso & Bob Contoso");
    assert_allowed(&[
        ("LICENSE", pair),
        (
            "src/main/Calc.java",
            java("Copyright 2020 Bob Contoso", "Calc"),
        ),
    ]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever manifest names a party, a header of another party, or the party's own header with a
    /// withholding term, is never covered by the holderless licence.
    #[test]
    fn a_manifest_party_never_covers_another_party_or_a_withholding_header(
        manifest in 0..8usize,
        own in 0..LICENSORS.len(),
        other in 0..OTHERS.len(),
        withholding in proptest::option::of(0..LICENSOR_WITHHOLDING.len()),
    ) {
        let named = manifests_naming(LICENSORS[own]).swap_remove(manifest);
        let header = match withholding {
            Some(w) => format!("Copyright 2021 {}\n{}", LICENSORS[own], LICENSOR_WITHHOLDING[w]),
            None => format!("Copyright 2021 {}", OTHERS[other]),
        };
        let (verdict, reasons) = verdict(&holderless_apache(named, &header));
        prop_assert_ne!(verdict.as_str(), "allowed", "{}\n{:#?}", header, reasons);
    }
}
