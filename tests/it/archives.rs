//! Bundled material keepopen cannot read (issue 21): committed archives (a self-contained "full" jar that
//! bundles other projects' libraries, a zip, a wheel) and objects missing from the mirror. History is pushed
//! unchanged, so such a file is published whatever its terms; keepopen does not open archives, and a missing
//! object cannot be read at all. Either makes the licence verdict *needs review*, naming the file. The build
//! tools' own wrapper jars (Gradle's, Maven's) at their conventional place and size are their tools' Apache-2.0
//! components.
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

#[test]
fn a_committed_archive_anywhere_in_the_pushed_history_is_named_for_review() {
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
