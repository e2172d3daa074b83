//! Third-party assets in forms the asset judges did not open (issue 21, mechanisms 5 and 6): a font inlined
//! as a `data:` URI, a font under another extension, a single compressed file, rights in an image's free-text
//! fields or an SVG's own metadata, a licence or notice file committed as a git-lfs pointer, and a notice or
//! terms file that only the pushed history holds. Each asset is real bytes made here, committed to a bare
//! repository, and judged as `check --licence-only` judges it (`KEEPOPEN_BIN` runs another build instead).
//!
//! The cases are generated over the shapes each form can take (containers, MIME types, encodings, names,
//! fields, phrasings), not only the one the red team wrote.

use base64::Engine as _;
use std::io::Write as _;

use crate::assets::{
    COPYRIGHT, FRUTIGER_TERMS, LICENSE, OFL_TERMS, app1_xmp, jpeg_with, plain_jpeg, ttf, xmp_packet,
};
use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::licence_verdict;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");
const HOLDER: &str = "Acme Digital Ltd";

fn mit() -> String {
    MIT.replace("<year> <copyright holders>", &format!("2023 {HOLDER}"))
}

/// A bare repository whose one commit holds an MIT licence of [`HOLDER`] and `extra`.
fn mit_with(extra: &[(&str, Vec<u8>)]) -> RepoFixture {
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("LICENSE", mit().into_bytes()),
        ("README.md", b"# Service\n\nA service.\n".to_vec()),
    ];
    files.extend(extra.iter().cloned());
    RepoFixture::one_commit(&files)
}

/// The restrictive font: a foundry's terms in its licence field.
fn foundry_font() -> Vec<u8> {
    ttf(&[
        (COPYRIGHT, "Copyright 2009 Linotype GmbH"),
        (LICENSE, FRUTIGER_TERMS),
    ])
}

fn open_font() -> Vec<u8> {
    ttf(&[
        (COPYRIGHT, "Copyright 2015 Fixture Authors"),
        (LICENSE, OFL_TERMS),
    ])
}

fn verdict(fx: &RepoFixture) -> (String, Vec<String>) {
    licence_verdict(fx)
}

#[track_caller]
fn assert_review(fx: &RepoFixture, case: &str, naming: &str) {
    let (v, reasons) = verdict(fx);
    assert_eq!(v, "needs-review", "{case}: must need review: {reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains(naming)),
        "{case}: a reason must name {naming:?}: {reasons:#?}"
    );
}

#[track_caller]
fn assert_allowed(fx: &RepoFixture, case: &str) {
    let (v, reasons) = verdict(fx);
    assert_eq!(v, "allowed", "{case}: expected allowed: {reasons:#?}");
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

/// An Embedded OpenType file (version 0x00010000, no names) wrapping `sfnt`, plain or XOR-obfuscated.
fn eot(sfnt: &[u8], xor: bool) -> Vec<u8> {
    let mut h = Vec::new();
    let total = 80 + 16 + sfnt.len();
    h.extend((total as u32).to_le_bytes()); // EOTSize
    h.extend((sfnt.len() as u32).to_le_bytes()); // FontDataSize
    h.extend(0x0001_0000u32.to_le_bytes()); // Version
    h.extend((if xor { 0x1000_0000u32 } else { 0 }).to_le_bytes()); // Flags
    h.extend([0u8; 10]); // PANOSE
    h.extend([1, 0]); // Charset, Italic
    h.extend(400u32.to_le_bytes()); // Weight
    h.extend(0u16.to_le_bytes()); // fsType
    h.extend(0x504Cu16.to_le_bytes()); // MagicNumber
    h.extend([0u8; 16 + 8 + 4 + 16]); // Unicode and code page ranges, checksum adjustment, reserved
    h.extend([0u8; 16]); // four (padding, empty name) pairs
    assert_eq!(h.len(), 96);
    h.extend(sfnt.iter().map(|b| if xor { b ^ 0x50 } else { *b }));
    h
}

// -----------------------------------------------------------------------------------------------------------
// (a) data: URIs

/// Every way a font is inlined: the MIME types generators write, with and without a charset, in a stylesheet,
/// a page, a script and an SVG, after padding longer than the head a bundled file is read for.
#[test]
fn a_restrictive_font_inlined_as_a_data_uri_needs_review_in_every_container_and_mime_type() {
    let font = b64(&foundry_font());
    let mimes = [
        "font/ttf",
        "font/woff2",
        "application/x-font-ttf",
        "application/font-woff",
        "application/octet-stream",
        "application/vnd.ms-fontobject",
        "font/opentype;charset=utf-8",
        "",
    ];
    let padding = "/* layout */\n.a{color:red}\n".repeat(600);
    for (i, mime) in mimes.iter().enumerate() {
        let uri = format!("data:{mime};base64,{font}");
        let containers: Vec<(&str, String)> = vec![
            (
                "fonts.css",
                format!("{padding}@font-face{{font-family:F;src:url({uri}) format('truetype')}}\n"),
            ),
            (
                "index.html",
                format!(
                    "<html><head><style>{padding}@font-face{{font-family:F;src:url(\"{uri}\")}}</style></head></html>\n"
                ),
            ),
            ("app.js", format!("{padding}var f='{uri}';\n")),
            (
                "logo.svg",
                format!(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>@font-face{{font-family:F;src:url({uri})}}</style><text>A</text></svg>\n"
                ),
            ),
        ];
        for (name, body) in containers {
            let path = format!("static/{i}/{name}");
            let fx = mit_with(&[(&path, body.into_bytes())]);
            assert_review(&fx, &format!("{mime} in {name}"), &path);
        }
    }
}

#[test]
fn an_open_font_inlined_as_a_data_uri_and_inlined_icons_stay_allowed() {
    let css = format!(
        "@font-face{{font-family:F;src:url(data:font/ttf;base64,{})}}\n.i{{background:url(data:image/png;base64,{})}}\n.s{{background:url(\"data:image/svg+xml;charset=utf8,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3C/svg%3E\")}}\n",
        b64(&open_font()),
        b64(&crate::assets::png(None)),
    );
    assert_allowed(
        &mit_with(&[("css/site.css", css.into_bytes())]),
        "open font and icons",
    );
}

#[test]
fn an_image_inlined_as_a_data_uri_is_judged_by_its_own_rights_metadata() {
    let packet = xmp_packet(
        "",
        "<xmpRights:UsageTerms>Rights managed. Not for redistribution.</xmpRights:UsageTerms><photoshop:Credit>Fixture Picture Agency</photoshop:Credit>",
    );
    let jpeg = jpeg_with(&[app1_xmp(&packet)]);
    let page = format!("<img src=\"data:image/jpeg;base64,{}\">\n", b64(&jpeg));
    assert_review(
        &mit_with(&[("docs/page.html", page.into_bytes())]),
        "jpeg in html",
        "docs/page.html",
    );
}

// -----------------------------------------------------------------------------------------------------------
// (b) content, not extension

#[test]
fn a_restrictive_font_under_any_name_is_read_by_its_bytes() {
    let font = foundry_font();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("fonts/a.eot", font.clone()),
        ("fonts/b.eot", eot(&font, false)),
        ("fonts/c.eot", eot(&font, true)),
        ("fonts/d.bin", font.clone()),
        ("fonts/e", font.clone()),
        ("fonts/f.png", font.clone()),
        ("fonts/g.css", font.clone()),
        ("fonts/h.font", font.clone()),
    ];
    for (path, bytes) in cases {
        assert_review(&mit_with(&[(path, bytes)]), path, path);
    }
}

#[test]
fn an_open_font_wrapped_as_eot_stays_allowed() {
    let fx = mit_with(&[
        ("fonts/a.eot", eot(&open_font(), false)),
        ("fonts/b.eot", eot(&open_font(), true)),
    ]);
    assert_allowed(&fx, "OFL font as EOT");
}

// -----------------------------------------------------------------------------------------------------------
// (c) single compressed files

#[test]
fn a_compressed_font_or_terms_file_is_judged_as_the_file_it_holds() {
    let terms = b"Copyright (c) 2023 Fixture Data Ltd. All rights reserved.\nUnauthorised copying, distribution or use is strictly prohibited.\n";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a.ttf.gz", gzip(&foundry_font())),
        ("fonts/a.woff.gz", gzip(&foundry_font())),
        ("fonts/blob.gz", gzip(&foundry_font())),
        ("fonts/a.ttf.br", crate::assets::brotli_stored(&foundry_font())),
        ("NOTICE.br", crate::assets::brotli_stored(terms)),
        ("TERMS.txt.gz", gzip(terms)),
        ("data/NOTICE.gz", gzip(terms)),
        ("LICENSE.md.gz", gzip(terms)),
        ("docs/font.svgz", gzip(format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><style>@font-face{{src:url(data:font/ttf;base64,{})}}</style></svg>", b64(&foundry_font())).as_bytes())),
        ("data/TERMS.txt.bz2", b"BZh91AY&SY not opened".to_vec()),
        ("data/TERMS.txt.xz", b"\xfd7zXZ\0 not opened".to_vec()),
    ];
    for (path, bytes) in cases {
        assert_review(&mit_with(&[(path, bytes)]), path, path);
    }
}

#[test]
fn compressed_data_an_open_compressed_font_and_compressed_icons_stay_allowed() {
    let fx = mit_with(&[
        ("data/rows.csv.gz", gzip(b"a,b\n1,2\n")),
        ("fonts/ofl.ttf.gz", gzip(&open_font())),
        ("data/dump.sql.bz2", b"BZh91AY&SY data".to_vec()),
        (
            "assets/icon.svg.br",
            crate::assets::brotli_stored(
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><title>Close</title></svg>",
            ),
        ),
    ]);
    assert_allowed(&fx, "compressed data");
}

// -----------------------------------------------------------------------------------------------------------
// (d) rights in free-text image fields, and an SVG's own metadata

/// A JPEG APP1 Exif segment whose IFD0 holds one ASCII (type 2) or UNDEFINED/BYTE (7/1) tag.
fn app1_exif(tag: u16, kind: u16, value: &[u8]) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend(b"II*\0");
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(tag.to_le_bytes());
    tiff.extend(kind.to_le_bytes());
    tiff.extend((value.len() as u32).to_le_bytes());
    tiff.extend(26u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(value);
    let mut body = b"Exif\0\0".to_vec();
    body.extend(tiff);
    let mut s = vec![0xFF, 0xE1];
    s.extend(((body.len() + 2) as u16).to_be_bytes());
    s.extend(body);
    s
}

fn exif_free_text(field: &str, text: &str) -> Vec<u8> {
    match field {
        "ImageDescription" => {
            let mut v = text.as_bytes().to_vec();
            v.push(0);
            app1_exif(0x010E, 2, &v)
        }
        "UserComment" => {
            let mut v = b"ASCII\0\0\0".to_vec();
            v.extend(text.as_bytes());
            app1_exif(0x9286, 7, &v)
        }
        "XPComment" | "XPSubject" | "XPTitle" => {
            let tag = match field {
                "XPComment" => 0x9C9C,
                "XPSubject" => 0x9C9F,
                _ => 0x9C9B,
            };
            let mut v: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            v.extend([0, 0]);
            app1_exif(tag, 1, &v)
        }
        other => panic!("{other}"),
    }
}

const WITHHOLDING_PHRASES: &[&str] = &[
    "Science Photo Library. Rights managed. Not for redistribution.",
    "Photo: Fixture Agency. All rights reserved.",
    "(c) Fixture Images Ltd - licensed for one use only",
    "Copyright Fixture Wire 2019. Editorial use only.",
    "Image courtesy of Fixture Museum; reproduction prohibited without permission",
];

#[test]
fn a_photographs_rights_in_any_free_text_field_need_review() {
    for field in [
        "ImageDescription",
        "UserComment",
        "XPComment",
        "XPSubject",
        "XPTitle",
    ] {
        for (i, phrase) in WITHHOLDING_PHRASES.iter().enumerate() {
            let path = format!("img/{field}-{i}.jpg");
            let fx = mit_with(&[(&path, jpeg_with(&[exif_free_text(field, phrase)]))]);
            assert_review(&fx, &format!("exif {field}: {phrase}"), &path);
        }
    }
    for (i, phrase) in WITHHOLDING_PHRASES.iter().enumerate() {
        for element in [
            "dc:description",
            "dc:title",
            "photoshop:Instructions",
            "photoshop:Headline",
        ] {
            let packet = xmp_packet(
                "",
                &format!(
                    "<{element}><rdf:Alt><rdf:li xml:lang=\"x-default\">{phrase}</rdf:li></rdf:Alt></{element}>"
                ),
            );
            let path = format!("img/xmp-{i}.jpg");
            let fx = mit_with(&[(&path, jpeg_with(&[app1_xmp(&packet)]))]);
            assert_review(&fx, &format!("xmp {element}: {phrase}"), &path);
        }
        let path = format!("img/iptc-{i}.jpg");
        let fx = mit_with(&[(
            &path,
            jpeg_with(&[crate::assets::app13_iptc(&[(120, phrase)])]),
        )]);
        assert_review(&fx, &format!("iptc caption: {phrase}"), &path);
    }
}

#[test]
fn a_description_that_says_nothing_of_rights_stays_allowed() {
    let fx = mit_with(&[
        (
            "img/a.jpg",
            jpeg_with(&[exif_free_text(
                "ImageDescription",
                "The team at the March workshop",
            )]),
        ),
        (
            "img/b.jpg",
            jpeg_with(&[exif_free_text("XPComment", "cropped for the header")]),
        ),
        ("img/c.jpg", plain_jpeg()),
    ]);
    assert_allowed(&fx, "plain descriptions");
}

fn svg_with_metadata(inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:cc=\"http://creativecommons.org/ns#\" xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><metadata>{inner}</metadata><rect width=\"9\" height=\"9\"/></svg>\n"
    )
}

#[test]
fn an_svgs_own_rights_metadata_is_read() {
    let cases = [
        "<dc:rights>Getty Images. All rights reserved.</dc:rights>",
        "<rdf:RDF><cc:Work><dc:rights><cc:Agent><dc:title>Fixture Stock Ltd</dc:title></cc:Agent></dc:rights></cc:Work></rdf:RDF>",
        "<dc:description>Licensed from Fixture Icons; not for redistribution</dc:description>",
        "<rdf:RDF><rdf:Description dc:rights=\"(c) Fixture Maps plc\"/></rdf:RDF>",
    ];
    for (i, inner) in cases.iter().enumerate() {
        let path = format!("img/logo{i}.svg");
        let fx = mit_with(&[(&path, svg_with_metadata(inner).into_bytes())]);
        assert_review(&fx, inner, &path);
    }
    // The SVG's own <title> and <desc> too.
    let fx = mit_with(&[(
        "img/t.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><title>Map (c) Fixture Maps plc, all rights reserved</title></svg>".to_vec(),
    )]);
    assert_review(&fx, "svg title", "img/t.svg");
}

#[test]
fn an_svg_whose_metadata_names_an_open_licence_or_nothing_stays_allowed() {
    let fx = mit_with(&[
        (
            "img/a.svg",
            svg_with_metadata("<rdf:RDF><cc:Work><cc:license rdf:resource=\"http://creativecommons.org/publicdomain/zero/1.0/\"/><dc:title>Logo</dc:title></cc:Work></rdf:RDF>").into_bytes(),
        ),
        ("img/b.svg", svg_with_metadata("<dc:title>Diagram of the flow</dc:title>").into_bytes()),
        ("img/c.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><title>Arrow</title><desc>An arrow</desc></svg>".to_vec()),
    ]);
    assert_allowed(&fx, "open or silent svg metadata");
}

// -----------------------------------------------------------------------------------------------------------
// (e) git-lfs pointers

const LFS_POINTER: &str = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";

#[test]
fn a_licence_notice_or_terms_file_committed_as_an_lfs_pointer_needs_review_naming_it() {
    for path in [
        "NOTICE",
        "COPYRIGHT.txt",
        "docs/LICENSE.md",
        "data/TERMS.txt",
        "EULA.md",
        "vendor/x/LICENCE",
    ] {
        let fx = mit_with(&[
            (
                ".gitattributes",
                b"* filter=lfs diff=lfs merge=lfs -text\n".to_vec(),
            ),
            (path, LFS_POINTER.as_bytes().to_vec()),
        ]);
        assert_review(&fx, path, path);
    }
}

// -----------------------------------------------------------------------------------------------------------
// (f) notice and terms files only the history holds

#[test]
fn a_withholding_notice_or_terms_file_deleted_in_history_needs_review_naming_it() {
    let withholding = [
        "The data in this folder is supplied under the Fixture Geospatial Agreement.\nIt may be used by members for their own business only and must not be passed to third parties.\n",
        "Not for redistribution.\n",
        "Copyright 2020 Fixture Data Ltd. All rights reserved.\n",
    ];
    for path in [
        "NOTICE",
        "data/TERMS.txt",
        "COPYRIGHT",
        "data/terms-of-use.md",
        "EULA.txt",
        "data/NOTICE.md",
    ] {
        for text in withholding {
            let fx = RepoFixture::bare();
            fx.commit("main", &TreeSpec::files(&[("LICENSE", mit())]));
            fx.commit(
                "main",
                &TreeSpec::files(&[
                    ("LICENSE", mit().as_str()),
                    (path, text),
                    ("data/os.csv", "a\n"),
                ]),
            );
            fx.commit("main", &TreeSpec::files(&[("LICENSE", mit())]));
            fx.set_head("main");
            assert_review(&fx, &format!("{path}: {text}"), path);
        }
    }
}

#[test]
fn a_notice_of_the_repositorys_own_holder_deleted_in_history_stays_allowed() {
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::files(&[("LICENSE", mit())]));
    fx.commit(
        "main",
        &TreeSpec::files(&[
            ("LICENSE", mit()),
            ("NOTICE", format!("Copyright 2023 {HOLDER}\n")),
        ]),
    );
    fx.commit("main", &TreeSpec::files(&[("LICENSE", mit())]));
    fx.set_head("main");
    assert_allowed(&fx, "own notice deleted");
}

#[test]
fn a_services_pages_named_like_legal_or_credits_deleted_in_history_stay_allowed() {
    let fx = RepoFixture::bare();
    fx.commit("main", &TreeSpec::files(&[("LICENSE", mit())]));
    fx.commit(
        "main",
        &TreeSpec::files(&[
            ("LICENSE", mit().as_str()),
            (
                "views/legal-agreement-type.html",
                "{% extends 'form.html' %}<h1>What type of legal agreement?</h1>",
            ),
            (
                "views/credits-cost.html",
                "<p>Credits cost money and can only be purchased by applicants.</p>",
            ),
        ]),
    );
    fx.commit("main", &TreeSpec::files(&[("LICENSE", mit())]));
    fx.set_head("main");
    assert_allowed(&fx, "service pages deleted");
}
