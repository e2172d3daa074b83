use super::*;
use crate::license::holders::Licensors;

fn licence(id: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/licenses/text/{id}.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn the_full_texts_of_common_open_licences_withhold_nothing_and_are_recognised_as_open() {
    // The font and header licences met in bundled files: their own standard sentences must not read as
    // withholding terms (else every OFL font would need review).
    for id in [
        "MIT",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "ISC",
        "Apache-2.0",
        "OFL-1.1",
        "Bitstream-Vera",
        "CC0-1.0",
        "Zlib",
        "Unlicense",
        "CC-BY-4.0",
        "CC-BY-SA-4.0",
        "MPL-2.0",
        "OGL-UK-3.0",
    ] {
        let text = licence(id);
        assert_eq!(withholding_term(&text), None, "{id} read as withholding");
        assert!(open_grant(&text).is_some(), "{id} not recognised as open");
    }
}

#[test]
fn withholding_terms_of_real_assets_are_found() {
    for text in [
        "This font software is the property of Linotype GmbH. You may not copy or distribute this software.",
        "The font has been customised for exclusive use on gov.uk. This cut is not commercially available.",
        "Rights-managed image. Licensed to the NHS for one use.",
        "CONFIDENTIAL. Do not distribute.",
        "Proprietary and confidential.",
        "Not for redistribution.",
        "This webfont may not be embedded in any other website.",
        "Use of this image is prohibited without the prior written permission of Alamy Ltd.",
        "For internal use only",
        "A licence must be purchased from the foundry to use this font.",
        "Purchase a desktop licence before installing.",
    ] {
        assert!(withholding_term(text).is_some(), "missed: {text}");
        assert_eq!(class_terms(text).0, Terms::Restrictive, "{text}");
    }
}

#[test]
fn licences_named_in_banner_shorthand_are_open_grants() {
    // As vendored libraries word it (seen in the acceptance set's mirrors).
    for banner in [
        "/*! X-editable - v1.5.1 | Copyright (c) 2013 Vitaliy Potapov; Licensed MIT */",
        "/*!\n * type-detect\n * Copyright(c) 2013 jake luer <jake@alogicalparadox.com>\n * MIT Licensed\n */",
        "/* :copyright: Copyright 2007-2022 by the Sphinx team, see AUTHORS.\n * :license: BSD, see LICENSE for details. */",
        "/*! jQuery UI - v1.11.4 | Copyright 2015 jQuery Foundation and other contributors; Licensed MIT */",
    ] {
        assert!(open_grant(banner).is_some(), "no grant in {banner}");
        assert_eq!(judge_text("v.js", banner.as_bytes()), None, "{banner}");
    }
    assert_eq!(
        open_grant("Licensed to the Government Digital Service"),
        None
    );
    assert_eq!(open_grant("Licensed for use on GOV.UK"), None);
}

#[test]
fn free_for_commercial_use_is_not_an_open_licence() {
    assert_eq!(class_terms("Free for commercial use").0, Terms::Unknown);
    assert_eq!(class_terms("Free font by Somebody").0, Terms::Unknown);
}

#[test]
fn an_open_licence_named_beside_a_withholding_term_is_restrictive() {
    let (terms, evidence) = class_terms(
        "Licensed under the SIL Open Font License 1.1. You may not redistribute this font.",
    );
    assert_eq!(terms, Terms::Restrictive);
    assert!(evidence.contains("may not redistribute"), "{evidence}");
}

#[test]
fn non_commercial_and_no_derivatives_licences_are_not_open() {
    assert!(is_open_id("OFL-1.1"));
    assert!(is_open_id("CC-BY-4.0"));
    assert!(is_open_id("OGL-UK-3.0"));
    assert!(is_open_id("MIT"));
    assert!(!is_open_id("CC-BY-NC-4.0"));
    assert!(!is_open_id("CC-BY-ND-4.0"));
    assert!(!is_open_id("LicenseRef-proprietary"));
}

#[test]
fn comments_about_code_are_not_notices() {
    let js = "/**\n * Config supplied to component\n * Ignore 'ARIA attribute is not allowed'\n */\n// flagged for internal use\nvar a;\n";
    assert_eq!(judge_text("a.js", js.as_bytes()), None);
    // A word of commerce about the code's own domain is not a term of sale.
    let js = "const ORDER = route(\n  [\n    KEYS.PURCHASE_ORDER_USED\n    // Ignore purchase order number for now\n  ]\n)\n";
    assert_eq!(judge_text("purchase-order.js", js.as_bytes()), None);
}

#[test]
fn each_notice_block_needs_its_own_grant_when_several_holders_speak() {
    let js =
        "/*! lib-a | (c) Alpha Ltd | MIT License */\n/*! lib-b | Copyright Beta Corp */\nvar a;\n";
    let asset = judge_text("bundle.js", js.as_bytes()).expect("beta's notice has no grant");
    assert_eq!(asset.terms, Terms::Unknown);
    assert_eq!(asset.holders, vec!["Beta Corp".to_string()]);
}

#[test]
fn holders_are_read_from_banners_but_not_from_prose_about_copyright() {
    assert_eq!(
        notice_holders(
            "/*! jQuery v3.6.0 | (c) OpenJS Foundation and other contributors | jquery.org/license */"
        ),
        vec!["OpenJS Foundation and other contributors".to_string()]
    );
    assert_eq!(
        notice_holders(
            "/* The below comment needs a ! so that the copyright message doesn't get removed. */"
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        notice_holders("// [128] s-l+flow-in(n,c) = flow-out ⇒ ns-plain-safe-out; (c) = flow-in"),
        Vec::<String>::new()
    );
    assert_eq!(
        notice_holders(
            "/*! Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. All rights reserved. */"
        ),
        vec!["Margaret Calvert & Henrik Kubel".to_string()]
    );
    assert_eq!(
        notice_holders(
            "Copyright 2010, 2012 Adobe Systems Incorporated (http://www.adobe.com/), with Reserved Font Name 'Source'."
        ),
        vec!["Adobe Systems Incorporated".to_string()]
    );
}

#[test]
fn a_broken_xmp_packet_counts_only_when_it_holds_a_rights_property() {
    // Extended XMP split across JPEG segments: binary between the halves, so it will not parse.
    let camera =
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>\x00\x01<rdf:RDF><GCamera:Info/></x:xmpmeta>";
    assert!(judge_bytes("p.jpg", AssetKind::Image, camera).is_none());
    let rights = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>\x00\x01<dc:rights>Rights-managed</dc:rights></x:xmpmeta>";
    let asset = judge_bytes("p.jpg", AssetKind::Image, rights).expect("a rights property");
    assert_eq!(asset.terms, Terms::Restrictive);
    assert!(asset.holders.is_empty(), "{:?}", asset.holders);
}

#[test]
fn own_holders_match_without_years_or_company_suffixes() {
    let own = Licensors::of(&["Crown Copyright (Government Digital Service)"]);
    assert!(own.covers("Crown copyright"));
    assert!(own.covers("Government Digital Service"));
    assert!(!own.covers("Vendor Ltd"));
    assert!(!own.covers("Ltd"), "noise words name nobody");
    assert!(!own.covers(""));
    // A joint notice is own only when every holder it joins is.
    let bae = Licensors::of(&["BAE Systems Limited"]);
    assert!(bae.covers("BAE Systems Limited"));
    assert!(!bae.covers("BAE Systems Limited and GE Aviation Limited"));
    assert!(!bae.covers("BAE Systems Limited, GE Aviation Limited"));
    assert!(bae.covers("BAE Systems Limited and contributors"));
}

#[test]
fn an_unknown_asset_of_the_repositorys_own_holder_is_silent_and_a_restrictive_one_never_is() {
    let asset = |terms: Terms, holder: &str| ThirdPartyAsset {
        about_fonts: false,
        component: None,
        path: "x.js".into(),
        kind: AssetKind::Text,
        holders: vec![holder.into()],
        terms,
        evidence: String::new(),
    };
    let own = Licensors::of(&["NHS Digital"]);
    let scan = |a| AssetScan {
        assets: vec![a],
        ..Default::default()
    };
    assert!(observations(&scan(asset(Terms::Unknown, "NHS Digital")), &own).is_empty());
    assert_eq!(
        observations(&scan(asset(Terms::Restrictive, "NHS Digital")), &own).len(),
        1
    );
    assert_eq!(
        observations(&scan(asset(Terms::Unknown, "Vendor")), &own).len(),
        1
    );
    assert!(observations(&scan(asset(Terms::Open("MIT".into()), "Vendor")), &own).is_empty());
}

#[test]
fn a_scan_cut_by_a_limit_is_an_observation() {
    let scan = AssetScan {
        incomplete: Some("more than 1 asset files".into()),
        ..Default::default()
    };
    let obs = observations(&scan, &Licensors::default());
    assert_eq!(obs.len(), 1);
    assert!(review_reason(&obs).unwrap().contains("not every font"));
}
