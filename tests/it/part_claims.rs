//! Claims scoped to a part say nothing about the rest of the repository. Each test builds a real repository
//! with git2 and checks it as keepopen would: a build wrapper's own Apache header, the licences of the
//! dependencies a lockfile records, a site footer's licence in a page template, a grant whose subject is a
//! named component; and, beside them, the cases that must still need a person (licence headers across the
//! repository's own sources, a documentation page that speaks for the project) or stay allowed (a binary
//! document that is not a licence beside a licence that was read).

use keepopen::check::RepoCheck;
use keepopen::license::refs;
use keepopen::policy::Policy;
use keepopen::verdict;

use crate::fixture::RepoFixture;
use crate::support::check::{DETECTOR, OGL_FOOTER, check_files};

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

/// The header Maven's wrapper script carries, as copied into projects by `mvn wrapper:wrapper`.
const MVNW_HEADER: &str = "#!/bin/sh\n\
# ----------------------------------------------------------------------------\n\
# Licensed to the Apache Software Foundation (ASF) under one\n\
# or more contributor license agreements.  See the NOTICE file\n\
# distributed with this work for additional information\n\
# regarding copyright ownership.  The ASF licenses this file\n\
# to you under the Apache License, Version 2.0 (the\n\
# \"License\"); you may not use this file except in compliance\n\
# with the License.  You may obtain a copy of the License at\n\
#\n\
#    https://www.apache.org/licenses/LICENSE-2.0\n\
# ----------------------------------------------------------------------------\n\
\n\
MAVEN_OPTS=\"$MAVEN_OPTS\"\n\
exec java $MAVEN_OPTS -classpath .mvn/wrapper/maven-wrapper.jar \"$@\"\n";

const APACHE_SOURCE_HEADER: &str = "/*\n\
 * Copyright 2021 Crown Copyright\n\
 *\n\
 * Licensed under the Apache License, Version 2.0 (the \"License\");\n\
 * you may not use this file except in compliance with the License.\n\
 */\n";

fn check(files: &[(&str, &[u8])]) -> RepoCheck {
    check_files(files)
}

fn java(name: &str) -> String {
    format!(
        "package uk.gov.example;\n\npublic class {name} {{\n    int answer() {{ return 42; }}\n}}\n"
    )
}

/// An unlicensed Java service: `count` own classes, a README that says nothing of licences, and `extra`.
fn unlicensed_service(count: usize, extra: &[(&str, String)]) -> RepoCheck {
    let mut owned: Vec<(String, String)> = (0..count)
        .map(|i| {
            (
                format!("src/main/java/uk/gov/example/Class{i}.java"),
                java(&format!("Class{i}")),
            )
        })
        .collect();
    owned.push((
        "README.md".into(),
        "# Example service\n\nRun it with `./mvnw spring-boot:run`.\n".into(),
    ));
    owned.extend(extra.iter().map(|(p, t)| (p.to_string(), t.clone())));
    let files: Vec<(&str, &[u8])> = owned
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    check(&files)
}

#[test]
fn a_build_wrappers_own_header_does_not_license_an_unlicensed_repository() {
    let r = unlicensed_service(
        6,
        &[
            ("mvnw", MVNW_HEADER.to_string()),
            ("mvnw.cmd", MVNW_HEADER.replace('#', "@REM")),
        ],
    );
    assert_eq!(r.verdict, "forbidden", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("mvnw:") && x.contains("header")),
        "the part-scoped evidence is shown: {:?}",
        r.verdict.reasons()
    );
}

/// moj-analytical-services/splink_synthetic_data: no licence file, statement or manifest field; one copied
/// module carries an MPL-2.0 header whose name wraps across two comment lines. The search read a line at a
/// time and said "no licence named in any file of any ref": *forbidden*. A header in one of the
/// repository's own sources is weak evidence, as one SPDX line is: a person looks.
#[test]
fn one_copied_modules_wrapped_licence_header_is_weak_evidence_not_evidence_of_absence() {
    let header = "# Copied from a record-linkage toolkit.\n#\n#  This Source Code Form is subject to the terms of the Mozilla Public\n#  License, v. 2.0. If a copy of the licence was not distributed with this\n#  file, you can obtain one from its publisher.\n\nimport random\n";
    let mut owned: Vec<(String, String)> = (0..8)
        .map(|i| {
            (
                format!("step_{i}.py"),
                format!("def step_{i}():\n    return {i}\n"),
            )
        })
        .collect();
    owned.push(("corrupt/geco_corrupt.py".into(), header.into()));
    owned.push((
        "README.md".into(),
        "# Synthetic data\n\nRun the steps in order.\n".into(),
    ));
    let files: Vec<(&str, &[u8])> = owned
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let r = check(&files);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("corrupt/geco_corrupt.py:3") && x.contains("MPL-2.0")),
        "the header is named: {:?}",
        r.verdict.reasons()
    );
}

#[test]
fn licence_headers_on_the_repositorys_own_sources_without_a_licence_file_need_a_person() {
    let mut extra: Vec<(&str, String)> = vec![("mvnw", MVNW_HEADER.to_string())];
    let headed: Vec<(String, String)> = (0..6)
        .map(|i| {
            (
                format!("src/main/java/uk/gov/example/Headed{i}.java"),
                format!("{APACHE_SOURCE_HEADER}{}", java(&format!("Headed{i}"))),
            )
        })
        .collect();
    extra.extend(headed.iter().map(|(p, t)| (p.as_str(), t.clone())));
    let r = unlicensed_service(2, &extra);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

#[test]
fn dependency_licences_in_a_lockfile_do_not_license_the_repository() {
    let mut lock = String::from(
        "{\n  \"name\": \"example\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\n      \"name\": \"example\",\n      \"version\": \"1.0.0\"\n    },\n",
    );
    // More dependencies than the search keeps mentions of: they must not stop it.
    for i in 0..40 {
        let id = if i % 2 == 0 { "MIT" } else { "Apache-2.0" };
        lock.push_str(&format!(
            "    \"node_modules/dep{i}\": {{\n      \"version\": \"1.0.{i}\",\n      \"license\": \"{id}\"\n    }},\n"
        ));
    }
    lock.push_str("    \"node_modules/last\": {\n      \"version\": \"1.0.0\"\n    }\n  }\n}\n");
    let package =
        "{\n  \"name\": \"example\",\n  \"version\": \"1.0.0\",\n  \"private\": true\n}\n";
    let files: Vec<(&str, &[u8])> = vec![
        ("package.json", package.as_bytes()),
        ("package-lock.json", lock.as_bytes()),
        ("index.js", b"module.exports = () => 42;\n"),
    ];
    let r = check(&files);
    assert_eq!(r.verdict, "forbidden", "{:?}", r.verdict.reasons());

    // A documentation page that speaks for the project is a claim about the repository: a person looks.
    let page =
        b"# Legal\n\nThe software is licensed under the GNU Affero General Public License v3.0.\n";
    let mut with_page = files.clone();
    with_page.push(("docs/legal/intellectual-property.md", page));
    let r = check(&with_page);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

/// A site footer's licence speaks for the pages' content. Where the pages are at least as much of the
/// repository as its program (here a layout and a README beside one controller), that content may be the
/// repository's own work: for a person (a blind reader labelled a tech-docs site with only such a footer
/// *needs review*). An application mostly made of program code is another matter (`root_scope.rs`).
#[test]
fn a_site_footers_licence_in_a_page_template_is_for_a_person() {
    let r = check(&[
        (
            "app/views/layouts/application.html.erb",
            OGL_FOOTER.as_bytes(),
        ),
        (
            "app/controllers/home_controller.rb",
            b"class HomeController\n  def index; end\nend\n",
        ),
        ("README.md", b"# Prototype\n\nA prototype.\n"),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    assert!(
        r.verdict
            .reasons()
            .iter()
            .any(|x| x.contains("application.html.erb")),
        "{:?}",
        r.verdict.reasons()
    );
}

fn readme_licence_section(subject: &str) -> String {
    format!(
        "# Overlay finder demo\n\nA demo app.\n\n## Licence\n\n{subject} is subject to the MIT licence as follows:\n\n{}\n",
        MIT.replace("<year> <copyright holders>", "2000, Frank Warmerdam")
    )
}

#[test]
fn a_grant_whose_subject_is_a_named_component_does_not_cover_the_repository() {
    let readme = readme_licence_section("Proj4");
    let source = "//\n//  AppDelegate.m\n//\n//  Copyright (c) 2013 Example Survey. All rights reserved.\n//\n\n#import \"AppDelegate.h\"\n";
    let r = check(&[
        ("README.md", readme.as_bytes()),
        ("Demo/AppDelegate.m", source.as_bytes()),
    ]);
    assert_ne!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
}

#[test]
fn a_grant_whose_subject_is_the_repositorys_own_name_covers_the_repository() {
    // As dstl/Stone-Soup and dstl/Noisify word it: a statement naming the project, no licence text.
    let readme = "# Stone Soup\n\nA tracking framework.\n\n## License\n\nStone Soup is released under the MIT License.\n";
    let fx = RepoFixture::one_commit(&[
        ("README.md", readme.as_bytes()),
        ("stonesoup/__init__.py", b"VERSION = '1.0'\n"),
    ]);
    let report = refs::evidence(fx.path(), &DETECTOR).unwrap();
    let policy = Policy::default();
    let own = verdict::judge("dstl/Stone-Soup", &report, &policy);
    assert!(own.is_allowed(), "{:?}", own.reasons());
    let other = verdict::judge("dstl/Overlay-Finder", &report, &policy);
    assert!(!other.is_allowed(), "{:?}", other.reasons());
}

#[test]
fn a_binary_document_that_is_not_a_licence_does_not_stop_the_gate() {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend([0u8, 1, 2, 3, 0, 255]);
    pdf.extend(b"\nendobj\n");
    let licence = MIT.replace("<year> <copyright holders>", "2023 Crown Copyright (Defra)");
    let r = check(&[
        ("LICENSE", licence.as_bytes()),
        ("test/uploads/legal-agreement.pdf", &pdf),
    ]);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
    // A licence stored as bytes is still a licence nobody has read.
    let r = check(&[("LICENSE", licence.as_bytes()), ("docs/LICENSE.pdf", &pdf)]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

const GDS_FONT_NOTICE: &str = "/*! Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. All rights reserved. The font has been customised for exclusive use on gov.uk. This cut is not commercially available. */";

fn stylesheet(notice: &str) -> String {
    format!(
        "a,.govuk-link{{font-family:\"GDS Transport\",arial,sans-serif}}{notice}@font-face{{font-family:\"GDS Transport\";src:url(\"/assets/fonts/light-94a07e06a1-v2.woff2\") format(\"woff2\")}}body{{margin:0}}\n"
    )
}

#[test]
fn a_fonts_terms_in_a_stylesheet_with_no_font_file_pushed_restrict_nothing() {
    let licence = MIT.replace("<year> <copyright holders>", "2023 Crown Copyright (Defra)");
    let css = stylesheet(GDS_FONT_NOTICE);
    let r = check(&[
        ("LICENSE", licence.as_bytes()),
        ("public/stylesheets/application.css", css.as_bytes()),
    ]);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
    // The font embedded in the stylesheet itself, or pushed in a format not read (`.eot`), is pushed.
    let embedded = stylesheet(GDS_FONT_NOTICE).replace(
        "url(\"/assets/fonts/light-94a07e06a1-v2.woff2\")",
        "url(data:application/font-woff;base64,d09GRgABAAAAAHxUABMAAAAA)",
    );
    let r = check(&[
        ("LICENSE", licence.as_bytes()),
        ("app/assets/scss/_custom-fonts.scss", embedded.as_bytes()),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    let css = stylesheet(GDS_FONT_NOTICE);
    let r = check(&[
        ("LICENSE", licence.as_bytes()),
        ("public/stylesheets/fonts.css", css.as_bytes()),
        (
            "public/stylesheets/fonts/GDSTransportWebsite.eot",
            b"\x01\x02eot",
        ),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
    // A withholding notice that is not a font's is the stylesheet's own: a person looks.
    let css = stylesheet(
        "/*! Copyright (c) 2019 Example Ltd. This stylesheet may not be redistributed. */",
    );
    let r = check(&[
        ("LICENSE", licence.as_bytes()),
        ("public/stylesheets/application.css", css.as_bytes()),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

#[test]
fn a_bundled_file_inside_a_folder_with_its_own_open_licence_is_under_that_licence() {
    let licence = MIT.replace("<year> <copyright holders>", "2021 Crown Copyright (GDS)");
    let theirs = MIT.replace("<year> <copyright holders>", "2020 argparse.js authors");
    let script = "// Port of python's argparse module, version 3.9.0\n// Copyright (C) 2010-2020 Python Software Foundation.\n\n'use strict'\nmodule.exports = {};\n";
    let r = check(&[
        ("LICENSE", licence.as_bytes()),
        ("lambda/node_modules/argparse/LICENSE", theirs.as_bytes()),
        (
            "lambda/node_modules/argparse/argparse.js",
            script.as_bytes(),
        ),
        ("lambda/index.js", b"exports.handler = async () => 42;\n"),
    ]);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
    // The same file with no licence of its folder: whose terms it is under is for a person.
    let r = check(&[
        ("LICENSE", licence.as_bytes()),
        ("lambda/lib/argparse.js", script.as_bytes()),
        ("lambda/index.js", b"exports.handler = async () => 42;\n"),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

#[test]
fn a_manifest_pointing_at_licence_in_the_other_spelling_points_at_the_licence_file() {
    let licence = MIT.replace("<year> <copyright holders>", "2023 Crown Copyright (Defra)");
    let package = "{\n  \"name\": \"forms-runner\",\n  \"version\": \"1.0.0\",\n  \"license\": \"SEE LICENSE IN LICENSE\"\n}\n";
    let r = check(&[
        ("LICENCE", licence.as_bytes()),
        ("package.json", package.as_bytes()),
    ]);
    assert_eq!(r.verdict, "allowed", "{:?}", r.verdict.reasons());
    // A pointer to a file that is not there in any spelling is still terms unknown.
    let package = package.replace("IN LICENSE", "IN TERMS.md");
    let r = check(&[
        ("LICENCE", licence.as_bytes()),
        ("package.json", package.as_bytes()),
    ]);
    assert_eq!(r.verdict, "needs-review", "{:?}", r.verdict.reasons());
}

/// A folder under its own licence is republished under that licence: what the licence and its class ask joins the
/// verdict's conditions (a CC-BY-NC folder in an MIT repository is republished non-commercially, an AGPL folder
/// stays under the AGPL), never dropped because the repository's own licence asks less.
#[test]
fn a_folders_own_licence_adds_its_conditions_to_the_repositorys() {
    let mit = include_str!("../../licenses/text/MIT.txt")
        .replace("<year> <copyright holders>", "2023 Acme Ltd");
    for (licence, text, wanted) in [
        (
            "CC-BY-NC-4.0",
            include_str!("../../licenses/text/CC-BY-NC-4.0.txt"),
            "non-commercial",
        ),
        (
            "AGPL-3.0-only",
            include_str!("../../licenses/text/AGPL-3.0-only.txt"),
            "AGPL-3.0",
        ),
        (
            "CC-BY-ND-4.0",
            include_str!("../../licenses/text/CC-BY-ND-4.0.txt"),
            "CC-BY-ND-4.0",
        ),
    ] {
        let r = check(&[
            ("LICENSE", mit.as_bytes()),
            ("app.py", b"print(1)\n"),
            ("part/LICENSE", text.as_bytes()),
            ("part/data.csv", b"a,b\n1,2\n"),
        ]);
        let conditions: Vec<String> = r
            .verdict
            .conditions()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert!(
            conditions.iter().any(|c| c.contains(wanted)),
            "{licence} in part/: {conditions:#?} ({:#?})",
            r.verdict.reasons()
        );
    }
}
