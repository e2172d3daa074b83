use super::*;
use crate::license::holders::Licensors;

#[test]
fn a_banner_that_names_a_choice_of_licences_is_open_under_the_options_it_reads() {
    let js = "/*! matchMedia() polyfill - Test a CSS media type/query in JS. Authors & copyright (c) 2012: Scott Jehl, Paul Irish, Nicholas Zakas. Dual MIT/BSD license */\n/*! NOTE: If you're already including a window.matchMedia polyfill via Modernizr or otherwise, you don't need this part */\nwindow.matchMedia=1;";
    assert_eq!(
        open_choice("Dual MIT/BSD license"),
        Some("MIT OR BSD-3-Clause".to_string())
    );
    assert_eq!(open_choice("Dual BSD/commercial license"), None);
    assert_eq!(judge_text("respond.min.js", js.as_bytes()), None);
}

#[test]
fn a_licence_wrapped_over_decorated_comment_lines_is_read() {
    let js = "/**\n * @license\n * Copyright (c) 2014, Chris Pettitt\n * All rights reserved.\n *\n * Redistribution and use in source and binary forms, with or without\n * modification, are permitted provided that the following conditions are met:\n *\n * 3. Neither the name of the copyright holder nor the names of its contributors\n * may be used to endorse or promote products derived from this software without\n * specific prior written permission.\n */\nvar x;";
    assert_eq!(judge_text("graphlib.min.js", js.as_bytes()), None);
}

#[test]
fn the_apache_foundations_source_header_is_not_a_withholding_term() {
    let html = "<!--\n  Licensed to the Apache Software Foundation (ASF) under one or more\n  contributor license agreements.  See the NOTICE file distributed with\n  this work for additional information regarding copyright ownership.\n  The ASF licenses this file to You under the Apache License, Version 2.0\n  (the \"License\"); you may not use this file except in compliance with\n  the License.  You may obtain a copy of the License at\n      http://www.apache.org/licenses/LICENSE-2.0\n-->\n<html></html>";
    assert_eq!(withholding_term(html), None);
    assert_eq!(
        judge_text("licenses/apache_software_license_2.0.html", html.as_bytes()),
        None
    );
    // Licensed *to* a named body otherwise still withholds.
    assert!(
        withholding_term("Licensed to the Government Digital Service for use on GOV.UK").is_some()
    );
}

#[test]
fn a_well_known_component_is_open_with_what_was_recognised_and_why() {
    let js =
        "// https://d3js.org v5.16.0 Copyright 2020 Mike Bostock\n(function (global, factory) {})";
    let asset = judge_text("static/js/d3.v5.min.js", js.as_bytes()).expect("recorded");
    assert_eq!(asset.terms, Terms::Open("BSD-3-Clause".into()));
    assert!(
        asset.evidence.starts_with(
            "recognised as d3 (BSD-3-Clause): holder Mike Bostock, name d3 in the file name"
        ),
        "{}",
        asset.evidence
    );
    // The same file renamed, naming no home of d3's: a holder alone.
    let bare = "/* Copyright 2020 Mike Bostock */\nvar x;";
    assert_eq!(
        judge_text("static/js/chart.min.js", bare.as_bytes()).map(|a| a.terms),
        Some(Terms::Unknown)
    );
    // Restrictive words win over recognition.
    let restricted = "// https://d3js.org v5.16.0 Copyright 2020 Mike Bostock. All rights reserved; not for redistribution.\nvar x;";
    assert_eq!(
        judge_text("static/js/d3.v5.min.js", restricted.as_bytes()).map(|a| a.terms),
        Some(Terms::Restrictive)
    );
}

#[test]
fn a_holder_with_an_email_and_a_banner_inside_a_bundlers_string_are_recognised() {
    let css = "/*\n\nOriginal style from softwaremaniacs.org (c) Ivan Sagalaev <Maniac@SoftwareManiacs.Org>\n\n*/\n.hljs{}";
    assert_eq!(
        judge_text("swagger/css/print.css", css.as_bytes()).map(|a| a.terms),
        Some(Terms::Open("BSD-3-Clause".into()))
    );
    let js = r#"eval("/* @preserve\n * Leaflet 1.5.1+build.2e3e0ff, a JS library for interactive maps. http://leafletjs.com\n * (c) 2010-2018 Vladimir Agafonkin, (c) 2010-2011 CloudMade\n */\n(function (global, factory) {})");"#;
    assert_eq!(
        judge_text("contact-block.js", js.as_bytes()).map(|a| a.terms),
        Some(Terms::Open("BSD-2-Clause".into()))
    );
}

fn font(family: &str, copyright: &str, manufacturer: &str, license_url: &str) -> FontNames {
    FontNames {
        family: vec![family.into()],
        copyright: vec![copyright.into()],
        manufacturer: vec![manufacturer.into()],
        license_url: if license_url.is_empty() {
            vec![]
        } else {
            vec![license_url.into()]
        },
        ..Default::default()
    }
}

#[test]
fn well_known_open_fonts_are_recognised_and_commercial_ones_never_are() {
    let glyph = font(
        "GLYPHICONS Halflings",
        "Copyright © 2014 by Jan Kovarik. All rights reserved.",
        "Jan Kovarik",
        "",
    );
    let a = judge_font("fonts/glyphicons-halflings-regular.ttf", &glyph);
    assert_eq!(a.terms, Terms::Open("MIT".into()), "{}", a.evidence);
    assert!(
        a.evidence.contains("recognised as Glyphicons Halflings"),
        "{}",
        a.evidence
    );
    let fa = font(
        "FontAwesome",
        "Copyright Dave Gandy 2016. All rights reserved.",
        "Fort Awesome",
        "http://fontawesome.io/license/",
    );
    assert_eq!(
        judge_font("fontawesome-webfont.ttf", &fa).terms,
        Terms::Open("OFL-1.1".into())
    );
    // The family alone: somebody else's font called FontAwesome.
    let other = font(
        "FontAwesome",
        "Copyright 2016 Icon Vendor Ltd. All rights reserved.",
        "Icon Vendor Ltd",
        "",
    );
    assert_eq!(
        judge_font("fontawesome-webfont.ttf", &other).terms,
        Terms::Unknown
    );
    // A commercial font naming Glyphicons' designer is still not recognised.
    let nta = font(
        "GDS Transport Website",
        "Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. All rights reserved.",
        "Jan Kovarik",
        "",
    );
    assert_ne!(
        judge_font("nta.woff", &nta).terms,
        Terms::Open("MIT".into())
    );
}

#[test]
fn a_stylesheets_font_notice_counts_only_when_a_font_not_shown_open_is_pushed() {
    let css = "/*! Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. All rights reserved. The font has been customised for exclusive use on gov.uk. This cut is not commercially available. */@font-face{font-family:nta;src:url(/assets/fonts/light-2c037cf7e1-v1.woff2) format(\"woff2\")}";
    let notice = judge_text("dist/govuk-frontend.min.css", css.as_bytes()).expect("restrictive");
    assert!(notice.about_fonts);
    let lato = ThirdPartyAsset {
        about_fonts: false,
        component: None,
        path: "backstop/fonts/Lato-Regular.ttf".into(),
        kind: AssetKind::Font,
        holders: vec!["tyPoland Lukasz Dziedzic".into()],
        terms: Terms::Open("OFL-1.1".into()),
        evidence: String::new(),
    };
    let scan = |fonts: Vec<ThirdPartyAsset>, other_fonts| AssetScan {
        assets: [vec![notice.clone()], fonts].concat(),
        other_fonts,
        ..Default::default()
    };
    assert!(observations(&scan(vec![lato.clone()], 0), &Licensors::default()).is_empty());
    // An .eot (not read) or a font of unknown terms may be the one the notice speaks of.
    assert_eq!(
        observations(&scan(vec![lato.clone()], 1), &Licensors::default()).len(),
        1
    );
    let unknown = ThirdPartyAsset {
        terms: Terms::Unknown,
        path: "fonts/light.woff2".into(),
        ..lato
    };
    assert_eq!(
        observations(&scan(vec![unknown], 0), &Licensors::default()).len(),
        2
    );
    // A font embedded in the stylesheet itself is pushed with it.
    let embedded = css.replace(
        "/assets/fonts/light-2c037cf7e1-v1.woff2",
        "data:application/font-woff;base64,d09GRg",
    );
    assert!(
        !judge_text("fonts.min.scss", embedded.as_bytes())
            .unwrap()
            .about_fonts
    );
}

#[test]
fn a_bundles_extracted_banners_are_a_bundled_file_not_a_licence_file() {
    use crate::license::discovery::{is_nested_license_name, root_file_kind};
    for name in [
        "main.d75e403a.js.LICENSE.txt",
        "framework-2d6b7d2e2be378715b78.js.LICENSE.txt",
        "app.css.LICENSE",
    ] {
        assert_eq!(
            kind_of(&format!("static/js/{name}")),
            Some(AssetKind::Text),
            "{name}"
        );
        assert_eq!(root_file_kind(name), None, "{name}");
        assert!(!is_nested_license_name(name), "{name}");
    }
    // A licence file named after a product stays one.
    assert!(root_file_kind("MIT-LICENSE.txt").is_some());
    assert_eq!(kind_of("LICENSE.txt"), None);
    let banners = "/*!\n * domready (c) Dustin Diaz 2014 - License MIT\n * ie10 fix - Mikael Kristiansson 2019\n */\n/** @license React v0.19.1\n * scheduler.production.min.js\n *\n * Copyright (c) Facebook, Inc. and its affiliates.\n *\n * This source code is licensed under the MIT license found in the\n * LICENSE file in the root directory of this source tree.\n */\n\n/* @preserve\n * Leaflet 1.7.1, a JS library for interactive maps. http://leafletjs.com\n * (c) 2010-2019 Vladimir Agafonkin, (c) 2010-2011 CloudMade\n */\n";
    let judged =
        judge_text("main.d75e403a.js.LICENSE.txt", banners.as_bytes()).expect("leaflet recognised");
    assert_eq!(
        judged.terms,
        Terms::Open("BSD-2-Clause AND MIT".into()),
        "{}",
        judged.evidence
    );
    let restricted =
        format!("{banners}/*! acme-widgets (c) Acme Ltd. Not for redistribution. */\n");
    assert_eq!(
        judge_text("main.d75e403a.js.LICENSE.txt", restricted.as_bytes()).map(|a| a.terms),
        Some(Terms::Restrictive)
    );
    let unknown = format!("{banners}/*! acme-widgets (c) Acme Ltd. */\n");
    assert_eq!(
        judge_text("main.d75e403a.js.LICENSE.txt", unknown.as_bytes()).map(|a| a.terms),
        Some(Terms::Unknown)
    );
}

#[test]
fn a_licence_file_only_in_history_counts_when_it_states_terms() {
    assert!(judge_history_licence("src/doc/licence.adoc", b"=== Licence Terms N/A").is_none());
    let defcon = judge_history_licence(
        "mesa/LICENSE2",
        b"Licensed under DEFCON 705, (the \"License\");\nyou may not use this file except in compliance with the License.",
    )
    .expect("states terms");
    assert_eq!(defcon.terms, Terms::Unknown);
    assert!(
        judge_history_licence(
            "LICENSE",
            b"Copyright 2019 Vendor Ltd. All rights reserved."
        )
        .is_some()
    );
    assert!(
        judge_history_licence("LICENSE", include_bytes!("../../../licenses/text/MIT.txt"))
            .is_none()
    );
}
