//! Committed archives and objects missing from the mirror (issue 21). History is pushed unchanged, so an
//! archive is published whatever it holds: keepopen opens it (zip family and tarballs) and judges each member
//! as the repository's own files are judged, at the path `<archive>!/<member>`. An archive that bundles
//! another package (its metadata, a vendored folder, a nested archive, compiled code), holds a licence file or
//! a member with terms of its own, or cannot be read whole (corrupt, over a limit, missing from the mirror)
//! makes the licence verdict *needs review*, naming it; only an archive whose every member was read and judged
//! clean is silent. The build tools' own wrapper jars (Gradle's, Maven's) at their conventional place and size
//! are their tools' Apache-2.0 components.
//!
//! Real git repositories built in the test; `KEEPOPEN_BIN` runs a built binary instead of the library.

use crate::fixture::{RepoFixture, TreeSpec};
use crate::support::check::licence_verdict;

const MIT: &str = include_str!("../../licenses/text/MIT.txt");

fn mit() -> String {
    MIT.replace(
        "<year> <copyright holders>",
        "2014 Department for Work and Pensions",
    )
}

/// A zip's first bytes (a local file header), then filler: what keepopen sees of any archive.
fn zip_bytes(len: usize) -> Vec<u8> {
    let mut out = b"PK\x03\x04\x14\x00\x08\x08\x08\x00".to_vec();
    out.resize(len, 0x5a);
    out
}

/// An MIT repository whose `main` holds `files`.
fn repo_with(files: &[(&str, Vec<u8>)]) -> RepoFixture {
    let fx = RepoFixture::bare();
    let mut spec = TreeSpec::new()
        .file("LICENSE", mit())
        .file("src/Main.java", "class Main {}\n");
    for (path, bytes) in files {
        spec = spec.file(path, bytes);
    }
    fx.commit("main", &spec);
    fx.set_head("main");
    fx
}

#[track_caller]
fn assert_review_naming(fx: &RepoFixture, path: &str) {
    let (verdict, reasons) = licence_verdict(fx);
    assert_eq!(verdict, "needs-review", "{path}: {reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains(path)),
        "{path} not named: {reasons:#?}"
    );
}

/// (The premise changed with issue 21's archive reading: these filler bytes are not a readable archive, so each
/// stays *needs review* as a corrupt archive, where before it did as an archive keepopen did not open.)
#[test]
fn a_committed_archive_that_cannot_be_read_anywhere_in_the_pushed_history_is_named_for_review() {
    for path in [
        "p1-4.01-SNAPSHOT-full.jar",
        "dist/app.war",
        "vendor/lib.zip",
        "packages/tool-1.0-py3-none-any.whl",
        "deps/thing.1.2.0.nupkg",
        "release/site.tar.gz",
        "release/site.tgz",
    ] {
        let fx = repo_with(&[(path, zip_bytes(2048))]);
        assert_review_naming(&fx, path);
    }
    // Deleted at the tip, or only on another branch: pushed all the same.
    let fx = repo_with(&[("libs/itext-full.jar", zip_bytes(2048))]);
    fx.commit(
        "main",
        &TreeSpec::new()
            .file("LICENSE", mit())
            .file("src/Main.java", "class Main {}\n"),
    );
    assert_review_naming(&fx, "libs/itext-full.jar");
    let fx = repo_with(&[]);
    fx.commit(
        "feature",
        &TreeSpec::new()
            .file("LICENSE", mit())
            .file("build/out.ear", zip_bytes(4096)),
    );
    assert_review_naming(&fx, "build/out.ear");
}

#[test]
fn a_build_tools_wrapper_jar_at_its_place_and_size_is_allowed_and_any_other_jar_is_not() {
    for path in [
        "gradle/wrapper/gradle-wrapper.jar",
        "service/gradle/wrapper/gradle-wrapper.jar",
        ".mvn/wrapper/maven-wrapper.jar",
    ] {
        let fx = repo_with(&[(path, zip_bytes(60 * 1024))]);
        let (verdict, reasons) = licence_verdict(&fx);
        assert_eq!(verdict, "allowed", "{path}: {reasons:#?}");
    }
    // The same name elsewhere, or a wrapper grown to a bundle's size, is an archive like any other.
    let fx = repo_with(&[("libs/gradle-wrapper.jar", zip_bytes(60 * 1024))]);
    assert_review_naming(&fx, "libs/gradle-wrapper.jar");
    let fx = repo_with(&[("gradle/wrapper/gradle-wrapper.jar", zip_bytes(900 * 1024))]);
    assert_review_naming(&fx, "gradle/wrapper/gradle-wrapper.jar");
}

/// An MIT repository holding `path`, whose object is then deleted from the mirror.
fn repo_missing(path: &str, bytes: Vec<u8>) -> RepoFixture {
    let fx = repo_with(&[(path, bytes.clone())]);
    let id = fx.blob(&bytes);
    fx.remove_object(id);
    fx
}

#[test]
fn a_licence_relevant_file_whose_object_is_missing_is_named_for_review_never_skipped() {
    let woff2 = {
        let mut b = b"wOF2\x00\x01\x00\x00".to_vec();
        b.resize(512, 7);
        b
    };
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.resize(512, 3);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(512, 3);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("static/fonts/brand.woff2", woff2),
        ("docs/photo.jpg", jpeg),
        ("docs/diagram.png", png),
        ("docs/terms-of-use.pdf", b"%PDF-1.4 terms".repeat(40)),
        ("legal/LICENCE.docx", zip_bytes(700)),
        ("vendor/bundle.js", b"/*! bundle */ var a = 1;\n".repeat(40)),
        ("lib/full.jar", zip_bytes(700)),
        ("bin/chromedriver", b"\x7fELF\x02\x01\x01\x00".repeat(80)),
        (
            "third_party/COPYING",
            b"Some terms of some kind.\n".repeat(20),
        ),
    ];
    for (path, bytes) in cases {
        let fx = repo_missing(path, bytes);
        assert_review_naming(&fx, path);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Archives opened: every member judged as the repository's own files are.

/// A zip (deflated) holding `members`; a name ending in `/` is a folder entry.
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            if let Some(folder) = name.strip_suffix('/') {
                zip.add_directory(folder, options).expect("zip folder");
            } else {
                zip.start_file(*name, options).expect("zip member");
                zip.write_all(bytes).expect("zip write");
            }
        }
        zip.finish().expect("zip finish");
    }
    out.into_inner()
}

/// A gzipped tarball holding `members`.
pub fn tar_gz_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    for (name, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, *bytes)
            .expect("tar member");
    }
    tar.into_inner()
        .expect("tar finish")
        .finish()
        .expect("gzip finish")
}

const HANDLER_JS: &[u8] =
    b"// Sends each alarm to the team's channel.\nexports.handler = async (event) => {\n  return { statusCode: 200 };\n};\n";
const HANDLER_PY: &[u8] = b"\"\"\"Resize uploaded images.\"\"\"\nimport json\n\n\ndef handler(event, context):\n    return json.dumps(event)\n";

#[track_caller]
fn assert_allowed(fx: &RepoFixture, what: &str) {
    let (verdict, reasons) = licence_verdict(fx);
    assert_eq!(verdict, "allowed", "{what}: {reasons:#?}");
}

#[test]
fn a_zip_of_the_projects_own_code_is_opened_read_whole_and_silent() {
    let own = zip_of(&[
        ("index.js", HANDLER_JS),
        ("lib/", b""),
        ("lib/resize.py", HANDLER_PY),
        ("fixtures/rows.csv", b"id,name\n1,Ada\n2,Grace\n"),
    ]);
    assert_allowed(
        &repo_with(&[("terraform/lambda/alarm.zip", own.clone())]),
        "zip",
    );
    let own_tar = tar_gz_of(&[("index.js", HANDLER_JS), ("lib/resize.py", HANDLER_PY)]);
    assert_allowed(&repo_with(&[("release/site.tar.gz", own_tar)]), "tar.gz");
}

#[test]
fn a_zip_holding_a_vendored_packages_licence_file_is_named_by_that_member() {
    let zip = zip_of(&[
        ("index.js", HANDLER_JS),
        ("node_modules/left-pad/index.js", HANDLER_JS),
        ("node_modules/left-pad/LICENSE", mit().as_bytes()),
    ]);
    let fx = repo_with(&[("lambda/alarm.zip", zip)]);
    assert_review_naming(&fx, "lambda/alarm.zip!/node_modules/left-pad");
    // A licence file alone, with no package around it, is a licence of bundled material too.
    let zip = zip_of(&[
        ("index.js", HANDLER_JS),
        (
            "LICENSE.txt",
            b"Copyright Acme Ltd. Licensed to you under the Acme Licence.\n",
        ),
    ]);
    let fx = repo_with(&[("lambda/alarm.zip", zip)]);
    assert_review_naming(&fx, "lambda/alarm.zip!/LICENSE.txt");
    let (_, reasons) = licence_verdict(&fx);
    assert!(
        reasons.iter().any(|r| r.contains(
            "alarm.zip!/LICENSE.txt (archive: terms not stated: a licence file inside an archive"
        )),
        "{reasons:#?}"
    );
    // A byte copy of the repository's own root licence inside its own archive is that licence.
    let zip = zip_of(&[("index.js", HANDLER_JS), ("LICENSE", mit().as_bytes())]);
    assert_allowed(&repo_with(&[("lambda/alarm.zip", zip)]), "own licence copy");
}

#[test]
fn a_jar_with_the_maven_metadata_of_a_foreign_group_is_review_naming_the_package() {
    let jar = zip_of(&[
        ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n"),
        (
            "META-INF/maven/org.example.other/parser/pom.properties",
            b"groupId=org.example.other\nartifactId=parser\nversion=1.2\n",
        ),
        (
            "META-INF/maven/org.example.other/parser/pom.xml",
            b"<project><groupId>org.example.other</groupId><artifactId>parser</artifactId></project>\n",
        ),
    ]);
    let fx = repo_with(&[("libs/parser-1.2.jar", jar)]);
    assert_review_naming(&fx, "org.example.other/parser");
}

#[test]
fn a_jar_of_compiled_classes_whose_terms_cannot_be_read_is_review() {
    let jar = zip_of(&[
        ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n"),
        (
            "com/vendor/driver/Driver.class",
            b"\xca\xfe\xba\xbe\x00\x00\x00\x34\x00",
        ),
    ]);
    let fx = repo_with(&[("lib/driver.jar", jar)]);
    assert_review_naming(&fx, "lib/driver.jar");
}

#[test]
fn a_wheel_with_the_dist_info_of_another_package_is_review_and_its_own_wheel_is_not() {
    let own_members: Vec<(&str, &[u8])> = vec![
        ("mypkg/__init__.py", HANDLER_PY),
        (
            "mypkg-1.0.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: mypkg\nVersion: 1.0\n",
        ),
        ("mypkg-1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\n"),
        ("mypkg-1.0.dist-info/RECORD", b"mypkg/__init__.py,,\n"),
    ];
    // The project's own wheel: its package's source is in the repository beside it.
    let own = repo_with(&[
        ("mypkg/__init__.py", HANDLER_PY.to_vec()),
        ("dist/mypkg-1.0-py3-none-any.whl", zip_of(&own_members)),
    ]);
    assert_allowed(&own, "own wheel");
    // The same wheel where the repository holds no such package: another project's wheel.
    let foreign = repo_with(&[("dist/mypkg-1.0-py3-none-any.whl", zip_of(&own_members))]);
    assert_review_naming(&foreign, "mypkg-1.0.dist-info");
    // The own wheel with another package's metadata inside.
    let mut bundling = own_members.clone();
    bundling.push(("requests/__init__.py", HANDLER_PY));
    bundling.push((
        "requests-2.31.0.dist-info/METADATA",
        b"Metadata-Version: 2.1\nName: requests\n",
    ));
    let fx = repo_with(&[
        ("mypkg/__init__.py", HANDLER_PY.to_vec()),
        ("dist/mypkg-1.0-py3-none-any.whl", zip_of(&bundling)),
    ]);
    assert_review_naming(&fx, "requests-2.31.0.dist-info");
}

#[test]
fn a_tarball_holding_a_font_whose_licence_is_restrictive_is_review_naming_the_font() {
    use crate::assets::{COPYRIGHT, FRUTIGER_TERMS, LICENSE, ttf};
    let font = ttf(&[
        (
            COPYRIGHT,
            "Copyright 1988 Linotype GmbH. All rights reserved.",
        ),
        (LICENSE, FRUTIGER_TERMS),
    ]);
    let tarball = tar_gz_of(&[
        ("site/index.js", HANDLER_JS),
        ("site/fonts/brand.ttf", &font),
    ]);
    let fx = repo_with(&[("release/site.tgz", tarball)]);
    let (verdict, reasons) = licence_verdict(&fx);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
    let named = reasons.join("\n");
    assert!(
        named.contains("release/site.tgz!/site/fonts/brand.ttf"),
        "{named}"
    );
    assert!(named.contains("may not copy or distribute"), "{named}");
}

#[test]
fn a_member_whose_header_reserves_all_rights_to_another_party_is_review() {
    let zip = zip_of(&[(
        "static/vendor-widget.js",
        b"/*! Widget 3.2 (c) 2019 Widget Corp. All rights reserved. Not for redistribution. */\nvar w=1;\n",
    )]);
    let fx = repo_with(&[("site.zip", zip)]);
    assert_review_naming(&fx, "site.zip!/static/vendor-widget.js");
}

#[test]
fn an_archive_over_a_limit_is_review_saying_which_limit() {
    // A zip bomb: a member that inflates past the per-archive bound on bytes read.
    let zeros = vec![0u8; 130 * 1024 * 1024];
    let bomb = zip_of(&[("data.bin", &zeros)]);
    assert!(bomb.len() < 1024 * 1024, "the fixture is small when packed");
    let fx = repo_with(&[("fixtures/bomb.zip", bomb)]);
    let (verdict, reasons) = licence_verdict(&fx);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
    let named = reasons.join("\n");
    assert!(
        named.contains("fixtures/bomb.zip") && named.contains("limit"),
        "{named}"
    );
    // Too many members.
    let names: Vec<String> = (0..20_001).map(|i| format!("f/{i}.txt")).collect();
    let members: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), b"x".as_slice()))
        .collect();
    let fx = repo_with(&[("many.zip", zip_of(&members))]);
    let (verdict, reasons) = licence_verdict(&fx);
    assert_eq!(verdict, "needs-review", "{reasons:#?}");
    let named = reasons.join("\n");
    assert!(
        named.contains("many.zip") && named.contains("members"),
        "{named}"
    );
}

#[test]
fn a_real_archive_whose_object_is_missing_is_review_never_excused() {
    let own = zip_of(&[("index.js", HANDLER_JS)]);
    let fx = repo_missing("terraform/lambda/alarm.zip", own);
    assert_review_naming(&fx, "terraform/lambda/alarm.zip");
}

#[test]
fn an_archive_in_a_format_not_read_is_review_saying_so() {
    let fx = repo_with(&[("data/grids.7z", b"7z\xbc\xaf\x27\x1c\x00\x04".repeat(30))]);
    assert_review_naming(&fx, "data/grids.7z");
}

#[test]
fn a_module_tarball_with_its_package_metadata_is_review_and_so_is_any_archive_in_a_vendored_folder()
{
    let module = tar_gz_of(&[
        (
            "acme-ramdisk-0.1.0/metadata.json",
            b"{\"name\": \"acme-ramdisk\", \"version\": \"0.1.0\", \"license\": \"Apache-2.0\"}\n",
        ),
        (
            "acme-ramdisk-0.1.0/manifests/init.pp",
            b"class ramdisk {}\n",
        ),
    ]);
    let fx = repo_with(&[("deploy/modules/acme-ramdisk-0.1.0.tar.gz", module)]);
    assert_review_naming(&fx, "acme-ramdisk-0.1.0/metadata.json");
    // An archive whose members are clean, but which sits in a vendored folder: another package by its place.
    let clean = zip_of(&[("index.js", HANDLER_JS)]);
    assert_allowed(&repo_with(&[("tools/helper.zip", clean.clone())]), "own");
    let fx = repo_with(&[("vendor/cache/helper-1.0.zip", clean)]);
    assert_review_naming(&fx, "vendor/cache/helper-1.0.zip");
}

mod property {
    use proptest::prelude::*;

    use super::*;

    /// What is planted in an otherwise own archive: each must flip it to review.
    #[derive(Debug, Clone, Copy)]
    enum Plant {
        LicenceFile,
        RestrictiveHeader,
        ForeignPackageJson,
        DistInfo,
        MavenMetadata,
        VendoredFolder,
        NestedArchive,
    }

    const PLANTS: &[Plant] = &[
        Plant::LicenceFile,
        Plant::RestrictiveHeader,
        Plant::ForeignPackageJson,
        Plant::DistInfo,
        Plant::MavenMetadata,
        Plant::VendoredFolder,
        Plant::NestedArchive,
    ];

    fn planted(plant: Plant, depth: &str) -> Vec<(String, Vec<u8>)> {
        let at = |p: &str| format!("{depth}{p}");
        match plant {
            Plant::LicenceFile => vec![(at("COPYING"), b"Copyright 2001 Someone Else.\nPermission to use is granted.\n".to_vec())],
            Plant::RestrictiveHeader => vec![(
                at("widget.js"),
                b"/* Copyright 2019 Widget Corp. All rights reserved. Confidential and proprietary. */\nvar w = 1;\n".to_vec(),
            )],
            Plant::ForeignPackageJson => vec![(at("pkg/package.json"), b"{\"name\": \"leftpad\", \"version\": \"1.0.0\"}\n".to_vec())],
            Plant::DistInfo => vec![(at("six-1.16.0.dist-info/METADATA"), b"Metadata-Version: 2.1\nName: six\n".to_vec())],
            Plant::MavenMetadata => vec![(at("META-INF/maven/com.other/lib/pom.properties"), b"groupId=com.other\n".to_vec())],
            Plant::VendoredFolder => vec![(at("vendor/thing/thing.py"), HANDLER_PY.to_vec())],
            Plant::NestedArchive => vec![(at("inner.zip"), zip_of(&[("a.js", HANDLER_JS)]))],
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn planting_a_licence_terms_or_foreign_package_anywhere_in_an_own_archive_flips_it_to_review(
            plant in proptest::sample::select(PLANTS),
            depth in proptest::sample::select(&["", "a/", "src/app/", "x/y/z/w/"][..]),
            tarball in any::<bool>(),
            own in proptest::collection::btree_set("[a-z]{1,8}", 1..5),
        ) {
            let mut members: Vec<(String, Vec<u8>)> = own
                .iter()
                .map(|name| if name.len() % 2 == 0 {
                    (format!("src/{name}.js"), HANDLER_JS.to_vec())
                } else {
                    (format!("src/{name}.py"), HANDLER_PY.to_vec())
                })
                .collect();
            let pack = |members: &[(String, Vec<u8>)]| {
                let refs: Vec<(&str, &[u8])> =
                    members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
                if tarball { tar_gz_of(&refs) } else { zip_of(&refs) }
            };
            let path = if tarball { "build/app.tar.gz" } else { "build/app.zip" };
            // The own archive alone is silent: what follows is decided by the plant.
            let (verdict, reasons) = licence_verdict(&repo_with(&[(path, pack(&members))]));
            prop_assert_eq!(verdict, "allowed", "{:#?}", reasons);
            members.extend(planted(plant, depth));
            let (verdict, reasons) = licence_verdict(&repo_with(&[(path, pack(&members))]));
            prop_assert_eq!(verdict, "needs-review", "{:?} at {:?}: {:#?}", plant, depth, reasons);
            prop_assert!(reasons.iter().any(|r| r.contains(path)), "{:#?}", reasons);
        }
    }
}
