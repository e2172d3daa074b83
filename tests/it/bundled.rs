//! Bundled third-party files that are plainly open (issue 21): real git repositories built in the test, each an
//! MIT repository with one class of bundled file that a careful reader allows — a banner that names its licence
//! as a choice, a licence wrapped over decorated comment lines, a well-known component (d3, Glyphicons) whose
//! header names only its holder, a bundler's extracted banners, a stylesheet's font notice beside an OFL font —
//! and, beside each, the same file with one thing changed that must keep the verdict *needs review*.
//!
//! Each check runs the library's `check_repo` as `keepopen check` does. Set `KEEPOPEN_BIN` to run a built
//! `keepopen` binary instead (`check --default-policy --json --licence-only`): that is how these tests were seen
//! failing on the code before this change.

use crate::assets::{FAMILY, MANUFACTURER, font_tables, sfnt};
use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::{check_fixture, licence_verdict};

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

/// The licence verdict and its reasons for a repository whose history is `commits` (each a tree of the
/// `main` branch, oldest first).
fn verdict_of_history(commits: &[Vec<(&str, Vec<u8>)>]) -> (String, Vec<String>) {
    let fx = RepoFixture::bare();
    for files in commits {
        let mut spec = TreeSpec::new().file(
            "LICENSE",
            MIT.replace(
                "<year> <copyright holders>",
                "2021 Government Digital Service",
            ),
        );
        for (path, bytes) in files {
            spec = spec.file(path, bytes);
        }
        fx.commit("main", &spec);
    }
    fx.set_head("main");
    licence_verdict(&fx)
}

fn verdict_of(files: &[(&str, Vec<u8>)]) -> (String, Vec<String>) {
    verdict_of_history(&[files.to_vec()])
}

#[track_caller]
fn assert_allowed(files: &[(&str, Vec<u8>)]) {
    let (verdict, reasons) = verdict_of(files);
    assert_eq!(verdict, "allowed", "{reasons:#?}");
}

#[track_caller]
fn assert_review_naming(files: &[(&str, Vec<u8>)], path: &str) {
    let (verdict, reasons) = verdict_of(files);
    assert_eq!(verdict, "needs-review", "{path}: {reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains(path)),
        "{path} not named: {reasons:#?}"
    );
}

const RESPOND: &str = "/*! matchMedia() polyfill - Test a CSS media type/query in JS. Authors & copyright (c) 2012: Scott Jehl, Paul Irish, Nicholas Zakas. Dual MIT/BSD license */\n/*! NOTE: If you're already including a window.matchMedia polyfill via Modernizr or otherwise, you don't need this part */\nwindow.matchMedia=window.matchMedia||function(a){return a};\n";

#[test]
fn a_banner_naming_a_choice_of_open_licences_is_allowed_and_a_choice_with_a_commercial_option_is_not()
 {
    assert_allowed(&[("js/lib/respond.min.js", RESPOND.into())]);
    let commercial = RESPOND.replace("Dual MIT/BSD license", "Dual GPL/commercial license");
    assert_review_naming(
        &[("js/lib/respond.min.js", commercial.into())],
        "js/lib/respond.min.js",
    );
}

const GRAPHLIB: &str = "(function e(t,n,r){})({1:[function(require,module,exports){(function(global){/**\n * @license\n * Copyright (c) 2014, Chris Pettitt\n * All rights reserved.\n *\n * Redistribution and use in source and binary forms, with or without\n * modification, are permitted provided that the following conditions are met:\n *\n * 1. Redistributions of source code must retain the above copyright notice, this\n * list of conditions and the following disclaimer.\n *\n * 3. Neither the name of the copyright holder nor the names of its contributors\n * may be used to endorse or promote products derived from this software without\n * specific prior written permission.\n */\nglobal.graphlib=require(\"./index\")})}]});\n";

#[test]
fn a_licence_wrapped_over_decorated_comment_lines_is_read_as_written() {
    assert_allowed(&[("ui/js/graphlib.min.js", GRAPHLIB.into())]);
    let withheld = GRAPHLIB.replace(
        " * specific prior written permission.\n",
        " * specific prior written permission.\n * This file may not be\n * redistributed outside Example Ltd.\n",
    );
    assert_review_naming(
        &[("ui/js/graphlib.min.js", withheld.into())],
        "ui/js/graphlib.min.js",
    );
}

const D3: &str = "// https://d3js.org v5.16.0 Copyright 2020 Mike Bostock\n(function (global, factory) {\ntypeof exports === 'object' ? factory(exports) : factory(global.d3 = {});\n}(this, function (exports) { 'use strict'; }));\n";

#[test]
fn a_well_known_component_is_allowed_and_its_mutants_are_not() {
    assert_allowed(&[("static/js/d3.v5.min.js", D3.into())]);
    // Holder swapped: somebody else's file that calls itself d3.
    let swapped = D3.replace("Mike Bostock", "Acme Analytics Ltd");
    assert_review_naming(
        &[("static/js/d3.v5.min.js", swapped.into())],
        "static/js/d3.v5.min.js",
    );
    // A restriction added: the file's own words win.
    let restricted = D3.replace(
        "Mike Bostock\n",
        "Mike Bostock. All rights reserved; not for redistribution.\n",
    );
    assert_review_naming(
        &[("static/js/d3.v5.min.js", restricted.into())],
        "static/js/d3.v5.min.js",
    );
    // One signal removed: Mike Bostock's name on a file neither named d3 nor linking d3's home.
    let unnamed = "/* Copyright 2020 Mike Bostock */\nvar chart = 1;\n";
    assert_review_naming(
        &[("static/js/chart.js", unnamed.into())],
        "static/js/chart.js",
    );
}

fn glyphicons(family: &str, manufacturer: &str) -> Vec<u8> {
    sfnt(&font_tables(&[
        (FAMILY, family),
        (
            0,
            "Copyright \u{a9} 2014 by Jan Kovarik. All rights reserved.",
        ),
        (MANUFACTURER, manufacturer),
    ]))
}

#[test]
fn glyphicons_halflings_are_allowed_by_family_and_designer_but_not_by_a_file_name() {
    assert_allowed(&[(
        "fonts/glyphicons-halflings-regular.ttf",
        glyphicons("GLYPHICONS Halflings", "Jan Kovarik"),
    )]);
    // The file name says Glyphicons, the font is somebody else's.
    let other = sfnt(&font_tables(&[
        (FAMILY, "Icon Set Pro"),
        (0, "Copyright 2014 Icon Foundry Ltd. All rights reserved."),
        (MANUFACTURER, "Icon Foundry Ltd"),
    ]));
    assert_review_naming(
        &[("fonts/glyphicons-halflings-regular.ttf", other)],
        "fonts/glyphicons-halflings-regular.ttf",
    );
    // A commercial typeface that names the designer is never recognised.
    let transport = glyphicons("GDS Transport Website", "Jan Kovarik");
    assert_review_naming(&[("fonts/transport.ttf", transport)], "fonts/transport.ttf");
}

const BANNERS: &str = "/*!\n * domready (c) Dustin Diaz 2014 - License MIT\n */\n/** @license React v16.14.0\n * react-dom.production.min.js\n *\n * Copyright (c) Facebook, Inc. and its affiliates.\n *\n * This source code is licensed under the MIT license found in the\n * LICENSE file in the root directory of this source tree.\n */\n";

#[test]
fn a_bundles_extracted_banners_are_judged_banner_by_banner_not_as_a_licence_file() {
    assert_allowed(&[
        ("framework-2d6b.js", b"!function(){}();\n".to_vec()),
        ("framework-2d6b.js.LICENSE.txt", BANNERS.into()),
    ]);
    let unknown = format!("{BANNERS}/*! acme-widgets (c) Acme Widgets Ltd */\n");
    assert_review_naming(
        &[
            ("framework-2d6b.js", b"!function(){}();\n".to_vec()),
            ("framework-2d6b.js.LICENSE.txt", unknown.into()),
        ],
        "framework-2d6b.js.LICENSE.txt",
    );
}

const FONT_NOTICE_CSS: &str = "/*! Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. All rights reserved. The font has been customised for exclusive use on gov.uk. This cut is not commercially available. */@font-face{font-family:nta;src:url(/assets/fonts/light-2c037cf7e1-v1.woff2) format(\"woff2\")}\n";

fn lato() -> Vec<u8> {
    sfnt(&font_tables(&[
        (FAMILY, "Lato"),
        (
            0,
            "Copyright (c) 2010-2014 by tyPoland Lukasz Dziedzic with Reserved Font Name \"Lato\".",
        ),
        (
            13,
            "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        ),
    ]))
}

#[test]
fn a_stylesheets_font_notice_is_silent_beside_only_fonts_shown_open_and_not_beside_an_embedded_font()
 {
    assert_allowed(&[
        ("dist/govuk-frontend.min.css", FONT_NOTICE_CSS.into()),
        ("backstop/fonts/Lato-Regular.ttf", lato()),
    ]);
    // A font pushed whose terms are not shown open may be the one the notice speaks of.
    assert_review_naming(
        &[
            ("dist/govuk-frontend.min.css", FONT_NOTICE_CSS.into()),
            ("backstop/fonts/Lato-Regular.ttf", lato()),
            ("assets/fonts/light.eot", b"\x00\x01eot".to_vec()),
        ],
        "dist/govuk-frontend.min.css",
    );
    // The font embedded in the stylesheet is pushed with it.
    let embedded = FONT_NOTICE_CSS.replace(
        "/assets/fonts/light-2c037cf7e1-v1.woff2",
        "data:application/font-woff;base64,d09GRgABAAAAAXZw",
    );
    assert_review_naming(
        &[("app/assets/fonts.min.scss", embedded.into())],
        "app/assets/fonts.min.scss",
    );
}

const ASF_PAGE: &str = "<!DOCTYPE html>\n<!--\n  Licensed to the Apache Software Foundation (ASF) under one or more\n  contributor license agreements.  See the NOTICE file distributed with\n  this work for additional information regarding copyright ownership.\n  The ASF licenses this file to You under the Apache License, Version 2.0\n  (the \"License\"); you may not use this file except in compliance with\n  the License.  You may obtain a copy of the License at\n\n      http://www.apache.org/licenses/LICENSE-2.0\n-->\n<html><head><title>Apache License, Version 2.0</title></head><body></body></html>\n";

#[test]
fn a_saved_copy_of_the_apache_licence_page_is_not_restrictive_but_a_licence_to_a_named_body_is() {
    assert_allowed(&[("licenses/apache_software_license_2.0.html", ASF_PAGE.into())]);
    let to_body = ASF_PAGE.replace(
        "Licensed to the Apache Software Foundation (ASF) under one or more\n  contributor license agreements.",
        "Licensed to the Ministry of Defence only.",
    );
    assert_review_naming(
        &[("licenses/apache_software_license_2.0.html", to_body.into())],
        "licenses/apache_software_license_2.0.html",
    );
}

#[test]
fn a_licence_file_only_the_history_holds_is_judged_and_one_of_an_open_licence_is_not_raised() {
    let defcon = b"Licensed under DEFCON 705, (the \"License\");\nyou may not use this file except in compliance with the License.".to_vec();
    let (verdict, reasons) = verdict_of_history(&[vec![("mesa/LICENSE2", defcon)], vec![]]);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("mesa/LICENSE2") && r.contains("DEFCON 705")),
        "{reasons:#?}"
    );
    let apache = b"Copyright 2021 Core Mesa Team\n\nLicensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\nYou may obtain a copy of the License at\n\n    http://www.apache.org/licenses/LICENSE-2.0\n".to_vec();
    let (verdict, reasons) = verdict_of_history(&[vec![("mesa/LICENSE1", apache)], vec![]]);
    assert_eq!(verdict, "allowed", "{reasons:#?}");
}

#[test]
fn a_recognised_components_licence_is_shown_and_asks_what_it_asks() {
    let fx = RepoFixture::bare();
    let font = sfnt(&font_tables(&[
        (FAMILY, "FontAwesome"),
        (0, "Copyright Dave Gandy 2016. All rights reserved."),
        (MANUFACTURER, "Fort Awesome"),
        (14, "http://fontawesome.io/license/"),
    ]));
    fx.commit(
        "main",
        &TreeSpec::new()
            .file(
                "LICENSE",
                MIT.replace(
                    "<year> <copyright holders>",
                    "2021 Government Digital Service",
                ),
            )
            .file("_static/fonts/fontawesome-webfont.ttf", font),
    );
    fx.set_head("main");
    let result = check_fixture(&fx);
    assert_eq!(result.verdict, "allowed", "{:#?}", result.verdict.reasons());
    // The font's licence (OFL-1.1, weak copyleft) becomes a condition rather than being dropped.
    assert!(
        result
            .verdict
            .conditions()
            .iter()
            .any(|c| c.to_string().contains("OFL-1.1")),
        "{:#?}",
        result.verdict.conditions()
    );
    let shown = result.observations.iter().find_map(|o| match o {
        keepopen::license::Observation::RecognisedComponent { file, evidence, .. } => {
            Some((file.clone(), evidence.clone()))
        }
        _ => None,
    });
    let (file, evidence) = shown.expect("the recognition is on record");
    assert_eq!(file, "_static/fonts/fontawesome-webfont.ttf");
    assert!(
        evidence.starts_with("recognised as Font Awesome 4 (font files) (OFL-1.1): holder"),
        "{evidence}"
    );
}

/// An MP3: an ID3v2.3 tag holding `frames` (id, text), then three silent MPEG-1 Layer III frames.
fn mp3(frames: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (id, text) in frames {
        let mut content = vec![0u8]; // ISO-8859-1
        content.extend(text.as_bytes());
        body.extend(id.as_bytes());
        body.extend((content.len() as u32).to_be_bytes());
        body.extend([0u8, 0]);
        body.extend(content);
    }
    let size = body.len() as u32;
    let syncsafe = [
        (size >> 21) & 0x7f,
        (size >> 14) & 0x7f,
        (size >> 7) & 0x7f,
        size & 0x7f,
    ];
    let mut out = b"ID3\x03\x00\x00".to_vec();
    out.extend(syncsafe.iter().map(|b| *b as u8));
    out.extend(body);
    for _ in 0..3 {
        // 128 kbit/s, 44.1 kHz, no padding: 417 bytes a frame.
        let mut frame = vec![0xFF, 0xFB, 0x90, 0x64];
        frame.resize(417, 0);
        out.extend(frame);
    }
    out
}

#[test]
fn a_recording_whose_tags_name_a_performer_is_for_a_person_and_an_untagged_one_is_not() {
    let tagged = mp3(&[
        ("TPE1", "Clara Smith"),
        ("TALB", "Clara Smith Vol. 2 (1924)"),
    ]);
    assert_review_naming(
        &[("example_files/file.mp3", tagged)],
        "example_files/file.mp3",
    );
    assert_allowed(&[("example_files/file.mp3", mp3(&[]))]);
    // A recording of the repository's own holder is the repository's own work.
    assert_allowed(&[(
        "example_files/file.mp3",
        mp3(&[("TPE1", "Government Digital Service")]),
    )]);
}
